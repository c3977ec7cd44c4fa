//! The hot queries of the SQLite store use an index: `EXPLAIN QUERY PLAN` on a database
//! the store created (and filled, so that the planner has something to weigh) shows no
//! full table scan and no temporary sort for the paginated job list.
//!
//! The SQL below is the store's (crates/store/src/sqlite/reads.rs and jobs.rs); keep it in
//! step when a query changes.
#![cfg(feature = "sqlite")]
#![allow(clippy::unwrap_used, clippy::expect_used)]

use amplifybackend_store::{Change, NewJob, StoreOptions, Tenant, WhenBroken};
use rusqlite::Connection;

const JOB_COLUMNS: &str =
    "job_id, app_id, env_name, operation, status, error, create_time_ms, update_time_ms, seq";

/// (what, SQL) of every query on a request's path or the worker's.
fn hot_queries() -> Vec<(&'static str, String)> {
    let list_jobs = format!(
        "SELECT {JOB_COLUMNS} FROM jobs WHERE account = ?1 AND region = ?2 AND app_id = ?3 AND env_name = ?4"
    );
    vec![
        (
            "get_app",
            "SELECT * FROM backends WHERE account = ?1 AND region = ?2 AND app_id = ?3 AND env_name = ''"
                .to_owned(),
        ),
        (
            "list_environments",
            "SELECT app_id, env_name, created_at_ms, meta FROM backends
             WHERE account = ?1 AND region = ?2 AND app_id = ?3 AND env_name > '' ORDER BY env_name"
                .to_owned(),
        ),
        (
            "get_environment",
            "SELECT app_id, env_name, created_at_ms, meta FROM backends
             WHERE account = ?1 AND region = ?2 AND app_id = ?3 AND env_name = ?4 AND env_name <> ''"
                .to_owned(),
        ),
        (
            "get_resource",
            "SELECT * FROM resources
             WHERE account = ?1 AND region = ?2 AND app_id = ?3 AND env_name = ?4 AND kind = ?5"
                .to_owned(),
        ),
        (
            "list_resources",
            "SELECT * FROM resources
             WHERE account = ?1 AND region = ?2 AND app_id = ?3 AND env_name = ?4"
                .to_owned(),
        ),
        (
            "get_job",
            format!(
                "SELECT {JOB_COLUMNS} FROM jobs
                 WHERE job_id = ?1 AND account = ?2 AND region = ?3 AND app_id = ?4 AND env_name = ?5"
            ),
        ),
        (
            "list_jobs (first page)",
            format!("{list_jobs} ORDER BY seq DESC LIMIT ?9"),
        ),
        (
            "list_jobs (next page)",
            format!("{list_jobs} AND seq < ?8 ORDER BY seq DESC LIMIT ?9"),
        ),
        (
            "list_jobs (by status)",
            format!("{list_jobs} AND status = ?7 ORDER BY seq DESC LIMIT ?9"),
        ),
        (
            "list_jobs (by job id)",
            format!("{list_jobs} AND job_id = ?5 ORDER BY seq DESC LIMIT ?9"),
        ),
        (
            "app_has_running_job",
            "SELECT EXISTS (SELECT 1 FROM jobs
             WHERE account = ?1 AND region = ?2 AND app_id = ?3 AND status = 'RUNNING')"
                .to_owned(),
        ),
        (
            "start_inline (running job in the environment)",
            "SELECT EXISTS (SELECT 1 FROM jobs WHERE account = ?1 AND region = ?2
                 AND app_id = ?3 AND env_name = ?4 AND status = 'RUNNING')"
                .to_owned(),
        ),
        (
            "next_due_at",
            "SELECT MIN(due_at_ms) FROM jobs WHERE status = 'RUNNING' AND due_at_ms IS NOT NULL"
                .to_owned(),
        ),
        (
            "complete_due (claim)",
            "SELECT job_id, account, region, app_id, changes FROM jobs
             WHERE status = 'RUNNING' AND due_at_ms <= ?1 ORDER BY due_at_ms, seq LIMIT ?2"
                .to_owned(),
        ),
        (
            "get_token",
            "SELECT app_id, session_id, challenge_code, expires_at_secs FROM tokens
             WHERE account = ?1 AND region = ?2 AND app_id = ?3 AND session_id = ?4 AND expires_at_secs > ?5"
                .to_owned(),
        ),
    ]
}

fn plan(conn: &Connection, sql: &str) -> Vec<String> {
    let mut stmt = conn
        .prepare(&format!("EXPLAIN QUERY PLAN {sql}"))
        .unwrap_or_else(|e| panic!("{e}: {sql}"));
    let count = stmt.parameter_count();
    let params: Vec<rusqlite::types::Value> =
        (0..count).map(|_| rusqlite::types::Value::Null).collect();
    stmt.query_map(rusqlite::params_from_iter(params), |row| {
        row.get::<_, String>(3)
    })
    .unwrap()
    .collect::<Result<_, _>>()
    .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn hot_queries_use_an_index() {
    let dir = std::env::temp_dir().join(format!("amplifybackend-plans-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("plans.db");
    let url = format!("sqlite://{}", path.display());
    let store = amplifybackend_store::open(&url, &StoreOptions::default())
        .await
        .unwrap();
    let tenant = Tenant {
        account: "000000000000".into(),
        region: "us-east-1".into(),
    };
    // A few apps with jobs, so that ANALYZE has statistics to plan with.
    for i in 0..50 {
        for j in 0..4 {
            let changes = if j == 0 {
                vec![Change::CreateBackend {
                    app_name: format!("app{i}"),
                    env: "dev".into(),
                    meta: serde_json::json!({}),
                }]
            } else {
                Vec::new()
            };
            store
                .start_job(
                    &tenant,
                    NewJob {
                        job_id: format!("00000000-0000-4000-8000-{i:06}{j:06}"),
                        app_id: format!("app{i}"),
                        env: "dev".into(),
                        operation: "CreateBackend".into(),
                        now_ms: 1_700_000_000_000 + i * 10 + j,
                        due_at_ms: None,
                        changes,
                        when_broken: WhenBroken::Fail,
                    },
                )
                .await
                .unwrap();
        }
    }
    drop(store);

    for analyzed in [false, true] {
        let conn = Connection::open(&path).unwrap();
        // As the store configures its connections.
        conn.set_db_config(
            rusqlite::config::DbConfig::SQLITE_DBCONFIG_ENABLE_QPSG,
            true,
        )
        .unwrap();
        if analyzed {
            conn.execute_batch("ANALYZE").unwrap();
        }
        for (what, sql) in hot_queries() {
            let plan = plan(&conn, &sql);
            let text = plan.join(" | ");
            assert!(!plan.is_empty(), "{what}: no plan");
            for step in &plan {
                let scans = step.starts_with("SCAN ")
                    && step != "SCAN CONSTANT ROW"
                    && !step.contains("USING INDEX")
                    && !step.contains("USING COVERING INDEX")
                    && !step.contains("USING INTEGER PRIMARY KEY");
                assert!(
                    !scans,
                    "{what} scans a whole table (analyzed: {analyzed}): {text}"
                );
            }
            if what.starts_with("list_jobs") || what.starts_with("list_environments") {
                assert!(
                    !text.contains("TEMP B-TREE"),
                    "{what} sorts in a temporary b-tree (analyzed: {analyzed}): {text}"
                );
            }
            println!("{what}: {text}");
        }
    }
    let _ = std::fs::remove_dir_all(&dir);
}
