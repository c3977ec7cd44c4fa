//! Sets `cfg(postgres_tests)` when `AMPLIFYBACKEND_TEST_POSTGRES_URL` names a test
//! database, so that the PostgreSQL tests are listed as `ignored` (with the variable named)
//! rather than passing without having run when it does not.

fn main() {
    println!("cargo::rerun-if-env-changed=AMPLIFYBACKEND_TEST_POSTGRES_URL");
    println!("cargo::rustc-check-cfg=cfg(postgres_tests)");
    if std::env::var("AMPLIFYBACKEND_TEST_POSTGRES_URL").is_ok_and(|url| !url.trim().is_empty()) {
        println!("cargo::rustc-cfg=postgres_tests");
    }
}
