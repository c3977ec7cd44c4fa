//! An acknowledged SQLite write survives the process dying without any cleanup: a child
//! process writes, sees its writes acknowledged and aborts; the parent reopens the file.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use amplifybackend_store::{Change, JobStatus, NewJob, StoreOptions, Tenant, WhenBroken};
use std::path::Path;
use std::process::Command;

const DB_VAR: &str = "AMPLIFYBACKEND_STORE_CRASH_DB";
const WRITES: usize = 200;

fn tenant() -> Tenant {
    Tenant {
        account: "123456789012".into(),
        region: "us-east-1".into(),
    }
}

/// The child's part; does nothing unless the parent started it.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "run by acknowledged_writes_survive_abort in a child process"]
async fn crash_child() {
    let Ok(path) = std::env::var(DB_VAR) else {
        return;
    };
    let store = amplifybackend_store::open(&path, &StoreOptions::default())
        .await
        .unwrap();
    let tasks: Vec<_> = (0..WRITES)
        .map(|i| {
            let store = store.clone();
            tokio::spawn(async move {
                let env = format!("env{i}");
                let job = NewJob {
                    job_id: uuid::Uuid::new_v4().to_string(),
                    app_id: "app1".into(),
                    env: env.clone(),
                    operation: "CreateBackend".into(),
                    now_ms: 1,
                    due_at_ms: None,
                    changes: vec![Change::CreateBackend {
                        app_name: "todo".into(),
                        env,
                        meta: serde_json::json!({}),
                    }],
                    when_broken: WhenBroken::Fail,
                };
                store.start_job(&tenant(), job).await.unwrap().status
            })
        })
        .collect();
    for task in tasks {
        assert_eq!(task.await.unwrap(), JobStatus::Completed);
    }
    println!("acknowledged {WRITES}");
    // No destructor runs: the store is neither closed nor checkpointed.
    std::process::abort();
}

#[test]
fn acknowledged_writes_survive_abort() {
    let path =
        std::env::temp_dir().join(format!("amplifybackend-crash-{}.db", uuid::Uuid::new_v4()));
    let output = Command::new(std::env::current_exe().unwrap())
        .args([
            "--exact",
            "crash_child",
            "--ignored",
            "--nocapture",
            "--test-threads=1",
        ])
        .env(DB_VAR, &path)
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(!output.status.success(), "the child aborts");
    assert!(
        stdout.contains(&format!("acknowledged {WRITES}")),
        "child output: {stdout}"
    );

    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .unwrap();
    let envs = runtime.block_on(async {
        let store = amplifybackend_store::open(path.to_str().unwrap(), &StoreOptions::default())
            .await
            .unwrap();
        store
            .list_environments(&tenant(), "app1")
            .await
            .unwrap()
            .len()
    });
    drop(runtime);
    remove(&path);
    assert_eq!(envs, WRITES);
}

fn remove(path: &Path) {
    for suffix in ["", "-wal", "-shm"] {
        let mut name = path.as_os_str().to_owned();
        name.push(suffix);
        let _ = std::fs::remove_file(name);
    }
}
