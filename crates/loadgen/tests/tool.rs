//! The load tool end to end, as BENCHMARKS.md runs it: against the real `amplifybackend`
//! binary (which `cargo test --workspace` builds beside this one) and the tool's own
//! ceilings, briefly, checking that every figure it reports is there and no request failed.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::PathBuf;
use std::process::Command;

fn server_binary() -> String {
    let loadgen = PathBuf::from(env!("CARGO_BIN_EXE_loadgen"));
    let server = loadgen.with_file_name(format!("amplifybackend{}", std::env::consts::EXE_SUFFIX));
    assert!(
        server.exists(),
        "{} is missing: run `cargo test --workspace`, or `cargo build -p amplifybackend-cli` first",
        server.display()
    );
    server.display().to_string()
}

/// Runs the tool; its whole output, which must say it succeeded.
fn loadgen(args: &[&str]) -> String {
    let out = Command::new(env!("CARGO_BIN_EXE_loadgen"))
        .args(args)
        .output()
        .unwrap();
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(out.status.success(), "loadgen {args:?} failed:\n{text}");
    text
}

/// The rows of `compare`'s table, each as its cells.
fn table_rows(text: &str) -> Vec<Vec<String>> {
    text.lines()
        .filter(|line| line.starts_with("| SQLite |") || line.starts_with("| PostgreSQL |"))
        .map(|line| {
            line.trim_matches('|')
                .split('|')
                .map(|cell| cell.trim().to_owned())
                .collect()
        })
        .collect()
}

#[test]
fn compare_measures_server_and_ceiling_on_each_database() {
    let server = server_binary();
    let postgres = std::env::var("AMPLIFYBACKEND_TEST_POSTGRES_URL").ok();
    let mut args = vec![
        "compare",
        "--server",
        &server,
        "--concurrency",
        "2",
        "--duration",
        "300ms",
        "--warmup",
        "0s",
        "--rounds",
        "1",
        "--pool",
        "4000",
        "--heavy",
    ];
    if let Some(url) = &postgres {
        args.extend(["--postgres", url]);
    }
    let text = loadgen(&args);
    if let Some(url) = &postgres {
        drop_ceiling_tables(url);
    }
    let rows = table_rows(&text);
    let engines: &[&str] = if postgres.is_some() {
        &["SQLite", "PostgreSQL"]
    } else {
        &["SQLite"]
    };
    assert_eq!(rows.len(), 5 * engines.len(), "{text}");
    for (row, (engine, what)) in rows.iter().zip(engines.iter().flat_map(|e| {
        [
            (*e, "GetBackend / ceiling read"),
            (*e, "CreateBackend / ceiling write"),
            (*e, "CreateBackend / ceiling append"),
            (*e, "ListBackendJobs / ceiling read of a page of jobs"),
            (*e, "GetBackendAPIModels / ceiling read of 30 models"),
        ]
    })) {
        assert_eq!(
            (row[0].as_str(), row[1].as_str(), row[2].as_str()),
            (engine, "2", what)
        );
        let ops = |cell: &str| cell.parse::<f64>().unwrap();
        assert!(ops(&row[3]) > 0.0 && ops(&row[4]) > 0.0, "{row:?}");
        assert!(row[5].ends_with('%') || row[5].contains("% ("), "{row:?}");
        assert_ne!(row[8], "-", "server CPU per request: {row:?}");
        assert!(
            !row[10].starts_with('-') && row[10].contains(") / "),
            "loadgen CPU per request: {row:?}"
        );
        assert_eq!(row[11], "0", "errors: {row:?}");
    }
}

/// The PostgreSQL ceiling's tables, which it leaves in place for the next run.
fn drop_ceiling_tables(url: &str) {
    let runtime = tokio::runtime::Runtime::new().unwrap();
    runtime.block_on(async {
        let (client, connection) = tokio_postgres::connect(url, tokio_postgres::NoTls)
            .await
            .unwrap();
        tokio::spawn(connection);
        client
            .batch_execute(
                "DROP TABLE IF EXISTS loadgen_ceiling, loadgen_ceiling_job_pages,
                     loadgen_ceiling_model_sets, loadgen_ceiling_environments,
                     loadgen_ceiling_jobs",
            )
            .await
            .unwrap();
    });
}

#[test]
fn a_run_reports_client_and_server_side_figures() {
    let server = server_binary();
    let text = loadgen(&[
        "--spawn",
        &server,
        "--mix",
        "mixed",
        "--concurrency",
        "4",
        "--duration",
        "500ms",
        "--warmup",
        "0s",
        "--pool",
        "4000",
    ]);
    for expected in [
        "idle RSS",
        " 0 errors",
        "server CPU per request",
        "loadgen CPU per request",
        "server RSS",
        // From the server's own metrics endpoint.
        "server-side (",
        "store get_backend",
        "store start_job",
    ] {
        assert!(text.contains(expected), "no {expected:?} in:\n{text}");
    }
}

#[test]
fn the_heaviest_answers_are_read_from_seeded_apps() {
    let server = server_binary();
    for (mix, operation) in [
        ("list-jobs", "ListBackendJobs"),
        ("api-models", "GetBackendAPIModels"),
    ] {
        let text = loadgen(&[
            "--spawn",
            &server,
            "--mix",
            mix,
            "--concurrency",
            "2",
            "--duration",
            "300ms",
            "--warmup",
            "0s",
        ]);
        assert!(text.contains(" 0 errors"), "{mix}: {text}");
        assert!(text.contains("server-side ("), "{mix}: {text}");
        assert!(
            !text.contains("server-side (0 requests"),
            "{operation}: {text}"
        );
    }
}

#[test]
fn threads_compares_request_thread_counts_on_each_mix() {
    let server = server_binary();
    let text = loadgen(&[
        "threads",
        "--server",
        &server,
        "--mix",
        "read,write",
        "--concurrency",
        "2",
        "--duration",
        "300ms",
        "--warmup",
        "0s",
        "--rounds",
        "1",
        "--pool",
        "4000",
    ]);
    let rows: Vec<Vec<&str>> = text
        .lines()
        .filter(|l| l.starts_with("| Read |") || l.starts_with("| Write |"))
        .map(|l| l.trim_matches('|').split('|').map(str::trim).collect())
        .collect();
    let keys: Vec<(&str, &str)> = rows.iter().map(|r| (r[0], r[2])).collect();
    assert_eq!(
        keys,
        [("Read", "1"), ("Read", "2"), ("Write", "1"), ("Write", "2")],
        "{text}"
    );
    for row in &rows {
        assert!(row[3].parse::<f64>().unwrap() > 0.0, "{row:?}");
        assert_eq!(row[7], "0", "errors: {row:?}");
    }
}

#[test]
fn seeded_apps_and_start_up_are_measured() {
    let server = server_binary();
    let dir = std::env::temp_dir().join(format!("loadgen-test-{:016x}", rand::random::<u64>()));
    std::fs::create_dir_all(&dir).unwrap();
    let url = format!("sqlite://{}", dir.join("apps.db").display());
    let seeded = loadgen(&["seed", "--database-url", &url, "--apps", "500"]);
    assert!(seeded.contains("500 apps"), "{seeded}");
    let started = loadgen(&[
        "startup",
        "--server",
        &server,
        "--database-url",
        &url,
        "--repeat",
        "2",
    ]);
    assert!(
        started.contains("median start to healthy over 2 starts"),
        "{started}"
    );
    std::fs::remove_dir_all(&dir).unwrap();
}
