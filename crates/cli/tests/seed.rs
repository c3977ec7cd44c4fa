//! `amplifybackend serve --seed FILE`: a state document loaded into an empty database,
//! ignored once the database holds an app (a restart keeps the data), and a bad file
//! stopping the start with exit code 2 and the JSON path of the problem.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::{Served, TempDir, http};
use serde_json::json;
use std::process::{Command, Stdio};

const ACCOUNT: &str = "000000000000";

fn seed(app_id: &str, app_name: &str) -> serde_json::Value {
    json!({
        "format": "amplifybackend-state",
        "version": 1,
        "apps": [{"accountId": ACCOUNT, "region": "us-east-1", "appId": app_id,
                  "appName": app_name, "createdAtMs": 1_700_000_000_000_i64}],
        "environments": [{"accountId": ACCOUNT, "region": "us-east-1", "appId": app_id,
                          "name": "dev", "createdAtMs": 1_700_000_000_000_i64,
                          "meta": {"StackName": "amplify-seeded-dev"}}],
        "jobs": [{"accountId": ACCOUNT, "region": "us-east-1", "appId": app_id,
                  "backendEnvironmentName": "dev", "jobId": format!("{app_id}-job"),
                  "operation": "CreateBackend", "status": "COMPLETED",
                  "createTimeMs": 1_700_000_000_000_i64, "updateTimeMs": 1_700_000_000_000_i64}]
    })
}

fn app_names(served: &Served) -> Vec<String> {
    let state = http(served.addr, "GET", "/_amplifybackend/state", "")
        .unwrap()
        .json();
    state["apps"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["appName"].as_str().unwrap().to_owned())
        .collect()
}

#[test]
fn a_seed_fills_an_empty_database_once_and_a_restart_keeps_the_data() {
    let dir = TempDir::new("seed");
    let first = dir.file("first.json", &seed("seeded1", "shop").to_string());
    let second = dir.file("second.json", &seed("seeded2", "other").to_string());
    let url = dir.database_url();
    let first = first.as_str();

    let mut served = Served::start(&["--database-url", &url, "--seed", first], &[], None);
    assert_eq!(app_names(&served), ["shop"]);
    // The seeded app answers the API like any other.
    let backend = http(
        served.addr,
        "POST",
        "/backend/seeded1/details",
        r#"{"backendEnvironmentName":"dev"}"#,
    )
    .unwrap();
    assert_eq!(backend.status, 200, "{}", backend.body);
    assert_eq!(backend.json()["appName"], "shop");
    let created = http(
        served.addr,
        "POST",
        "/backend",
        r#"{"appId":"added1","appName":"added","backendEnvironmentName":"prod"}"#,
    )
    .unwrap();
    assert_eq!(created.status, 200, "{}", created.body);
    served.terminate();

    // Restarted with the same seed (through the environment) or another: the database
    // holds apps, so it is left as it was.
    let mut served = Served::start(
        &["--database-url", &url],
        &[("AMPLIFYBACKEND_SEED", first)],
        None,
    );
    assert_eq!(app_names(&served), ["added", "shop"]);
    served.terminate();
    let served = Served::start(&["--database-url", &url, "--seed", &second], &[], None);
    assert_eq!(app_names(&served), ["added", "shop"]);
}

#[test]
fn a_bad_seed_stops_the_start_with_the_path_of_the_problem() {
    let dir = TempDir::new("seed-bad");
    let mut bad = seed("seeded1", "shop");
    bad["environments"][0]["appId"] = json!("nosuchapp");
    let cases = [
        (bad, "$.environments[0].appId"),
        (
            json!({"format": "amplifybackend-state", "version": 2}),
            "$.version",
        ),
        (
            json!({"format": "amplifybackend-state", "version": 1, "app": []}),
            "unknown field `app`",
        ),
    ];
    for (i, (document, expected)) in cases.into_iter().enumerate() {
        let file = dir.file(&format!("bad{i}.json"), &document.to_string());
        let url = format!(
            "sqlite://{}",
            dir.path().join(format!("db{i}.db")).display()
        );
        let output = Command::new(env!("CARGO_BIN_EXE_amplifybackend"))
            .args(["serve", "--listen", "127.0.0.1:0", "--database-url", &url])
            .args(["--seed", &file])
            .env_remove("AMPLIFYBACKEND_LOG")
            .stdin(Stdio::null())
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(2), "{stderr}");
        assert!(stderr.contains(expected), "{expected} in {stderr}");
        // Stopped before the database was even created.
        assert!(!dir.path().join(format!("db{i}.db")).exists());
    }
}
