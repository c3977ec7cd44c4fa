//! Sets `cfg(postgres_tests)` when `AMPLIFYBACKEND_TEST_POSTGRES_URL` names a test
//! database, and `cfg(pg_restart_tests)` when `AMPLIFYBACKEND_TEST_PG_RESTART` is also `1`,
//! so that the tests needing them are listed as `ignored` (with the variable named) rather
//! than passing without having run when they are absent.

fn main() {
    println!("cargo::rerun-if-env-changed=AMPLIFYBACKEND_TEST_POSTGRES_URL");
    println!("cargo::rerun-if-env-changed=AMPLIFYBACKEND_TEST_PG_RESTART");
    println!("cargo::rustc-check-cfg=cfg(postgres_tests)");
    println!("cargo::rustc-check-cfg=cfg(pg_restart_tests)");
    let postgres =
        std::env::var("AMPLIFYBACKEND_TEST_POSTGRES_URL").is_ok_and(|url| !url.trim().is_empty());
    if postgres {
        println!("cargo::rustc-cfg=postgres_tests");
    }
    if postgres && std::env::var("AMPLIFYBACKEND_TEST_PG_RESTART").as_deref() == Ok("1") {
        println!("cargo::rustc-cfg=pg_restart_tests");
    }
}
