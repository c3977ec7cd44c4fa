//! `amplifybackend control …` against `amplifybackend serve`: every subcommand, its JSON
//! output, and the AWS CLI v2 exit codes the API commands have.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use serde_json::{Value, json};
mod common;

use common::{Served, cli_as};
use std::process::Output;

/// `amplifybackend serve` on an in-memory database, with `extra` flags.
fn serve(extra: &[&str]) -> Served {
    let mut args = vec!["--database-url", "sqlite::memory:"];
    args.extend_from_slice(extra);
    Served::start(&args, &[], None)
}

fn cli(endpoint: &str, args: &[&str]) -> Output {
    cli_as(endpoint, ("AKIDEXAMPLE", "secret"), args)
}

fn ok_json(out: &Output) -> Value {
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

fn failed(out: &Output, status: i32, code: &str) {
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(status), "{stderr}");
    assert!(stderr.contains(code), "{stderr}");
}

#[test]
fn faults_and_requests_from_the_command_line() {
    let server = serve(&[]);
    let e = &server.endpoint();
    let added = ok_json(&cli(
        e,
        &[
            "control",
            "faults",
            "add",
            "--operation",
            "GetBackend",
            "--status",
            "429",
            "--times",
            "3",
            "--message",
            "Slow down",
        ],
    ));
    assert_eq!(
        added["faults"][0]["error"]["code"],
        "TooManyRequestsException"
    );
    assert_eq!(added["faults"][0]["times"], 3);
    // The command's three attempts (standard retries) each meet the rule.
    failed(
        &cli(e, &["get-backend", "--app-id", "x"]),
        254,
        "(TooManyRequestsException) when calling the GetBackend operation: Slow down",
    );
    failed(
        &cli(e, &["get-backend", "--app-id", "x"]),
        254,
        "NotFoundException",
    );
    let journal = ok_json(&cli(e, &["control", "requests", "--limit", "4"]));
    let injected: Vec<&Value> = journal["requests"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| &r["faultInjected"])
        .collect();
    assert_eq!(
        injected,
        [&json!(false), &json!(true), &json!(true), &json!(true)]
    );

    // A bad rule: the service's 400, exit 254, nothing added.
    failed(
        &cli(e, &["control", "faults", "add", "--status", "418"]),
        254,
        "BadRequestException",
    );
    ok_json(&cli(e, &["control", "faults", "add", "--latency-ms", "1"]));
    assert_eq!(
        ok_json(&cli(e, &["control", "faults", "list"]))["faults"]
            .as_array()
            .map(Vec::len),
        Some(1)
    );
    assert_eq!(
        ok_json(&cli(e, &["control", "faults", "clear"])),
        json!({"faults": []})
    );
    // Usage errors are 252; a server that is not there, 255.
    failed(
        &cli(e, &["control", "jobs", "mode", "sometimes"]),
        252,
        "sometimes",
    );
    failed(
        &cli("http://127.0.0.1:9", &["control", "faults", "list"]),
        255,
        "endpoint",
    );
}

#[test]
fn reset_export_import_and_manual_jobs_from_the_command_line() {
    let server = serve(&[]);
    let e = &server.endpoint();
    let create = |app: &str| {
        ok_json(&cli(
            e,
            &[
                "create-backend",
                "--app-id",
                app,
                "--app-name",
                "shop",
                "--backend-environment-name",
                "dev",
            ],
        ))
    };
    create("app1");
    let dir = amplifybackend_testkit::TempDir::new("control-cli");
    let file = dir.path().join("state.json");
    let file = file.to_str().unwrap();
    let out = cli(e, &["control", "export", "--output", file]);
    assert!(out.status.success() && out.stdout.is_empty());
    assert_eq!(
        ok_json(&cli(e, &["control", "reset"])),
        json!({"reset": true})
    );
    failed(
        &cli(e, &["get-backend", "--app-id", "app1"]),
        254,
        "NotFoundException",
    );
    ok_json(&cli(e, &["control", "import", file]));
    ok_json(&cli(e, &["get-backend", "--app-id", "app1"]));
    failed(
        &cli(e, &["control", "import", "/nonexistent/state.json"]),
        252,
        "cannot read",
    );

    let mode = ok_json(&cli(e, &["control", "jobs", "mode", "manual"]));
    assert_eq!(mode["mode"], "manual");
    assert_eq!(
        ok_json(&cli(e, &["control", "jobs", "show"]))["mode"],
        "manual"
    );
    let job = create("app2");
    assert_eq!(job["Status"], "RUNNING", "{job}");
    let state = ok_json(&cli(e, &["control", "export"]));
    let app2 = state["jobs"]
        .as_array()
        .unwrap()
        .iter()
        .find(|j| j["jobId"] == job["JobId"])
        .unwrap()
        .clone();
    let advance = |account: &str| {
        cli(
            e,
            &[
                "control",
                "jobs",
                "advance",
                "--app-id",
                "app2",
                "--backend-environment-name",
                "dev",
                "--job-id",
                job["JobId"].as_str().unwrap(),
                "--status",
                "COMPLETED",
                "--account-id",
                account,
                "--target-region",
                app2["region"].as_str().unwrap(),
            ],
        )
    };
    // Another account's job of that id does not exist.
    failed(&advance("999999999999"), 254, "NotFound");
    let advanced = ok_json(&advance(app2["accountId"].as_str().unwrap()));
    assert_eq!(advanced["status"], "COMPLETED");
    ok_json(&cli(e, &["get-backend", "--app-id", "app2"]));
}

#[test]
fn admin_keys_only_with_credentials_and_nothing_with_control_off() {
    let dir = amplifybackend_testkit::TempDir::new("control-cli-keys");
    let keys = dir.path().join("keys.toml");
    std::fs::write(
        &keys,
        "[[credentials]]\naccess_key_id = \"AKIDADMIN\"\nsecret_access_key = \"admin-secret\"\n\
         account_id = \"111111111111\"\nadmin = true\n\n\
         [[credentials]]\naccess_key_id = \"AKIDUSER\"\nsecret_access_key = \"user-secret\"\n\
         account_id = \"222222222222\"\n",
    )
    .unwrap();
    let server = serve(&["--credentials", keys.to_str().unwrap()]);
    let e = &server.endpoint();
    ok_json(&cli_as(
        e,
        ("AKIDADMIN", "admin-secret"),
        &["control", "faults", "list"],
    ));
    failed(
        &cli_as(
            e,
            ("AKIDUSER", "user-secret"),
            &["control", "faults", "list"],
        ),
        254,
        "AccessDeniedException",
    );
    drop(server);
    let server = serve(&["--control", "off"]);
    failed(
        &cli(&server.endpoint(), &["control", "requests"]),
        254,
        "NotFoundException",
    );
}
