//! The AWS CLI-style commands of the `amplifybackend` binary against `amplifybackend serve`:
//! output shape, flags, pagination and the AWS CLI v2 exit codes. (conformance/tests/test_cli.py
//! compares the output with the AWS CLI's itself.)
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::Served;
use std::process::{Command, Output};

const BIN: &str = env!("CARGO_BIN_EXE_amplifybackend");

/// `amplifybackend serve` on an in-memory database, with `extra` flags.
fn serve(extra: &[&str]) -> Served {
    let mut args = vec!["--database-url", "sqlite::memory:"];
    args.extend_from_slice(extra);
    Served::start(&args, &[], None)
}

/// Runs the binary with a key, the region and no shared files.
fn cli(endpoint: &str, args: &[&str]) -> Output {
    common::cli_as(endpoint, ("AKIDEXAMPLE", "secret"), args)
}

fn json(out: &Output) -> serde_json::Value {
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

#[test]
fn operations_print_aws_cli_json() {
    let s = serve(&[]);
    let e = &s.endpoint();
    let created = json(&cli(
        e,
        &[
            "create-backend",
            "--app-id",
            "cli1",
            "--app-name",
            "CLI",
            "--backend-environment-name",
            "dev",
        ],
    ));
    assert_eq!(created["Status"], "COMPLETED");
    assert_eq!(created["Operation"], "CreateBackend");
    let out = cli(e, &["get-backend", "--app-id", "cli1"]);
    // 4-space indentation and the model's member names.
    let text = String::from_utf8(out.stdout.clone()).unwrap();
    assert!(
        text.starts_with("{\n    \"AppId\": \"cli1\",\n    \"AppName\": \"CLI\",\n"),
        "{text}"
    );
    assert_eq!(
        json(&out)["BackendEnvironmentList"],
        serde_json::json!(["dev"])
    );

    let config = r#"{"AuthResources":"USER_POOL_ONLY","Service":"COGNITO","UserPoolConfigs":{"SignInMethod":"EMAIL","UserPoolName":"p","RequiredSignUpAttributes":["EMAIL"],"Mfa":{"MFAMode":"OFF"}}}"#;
    json(&cli(
        e,
        &[
            "create-backend-auth",
            "--app-id",
            "cli1",
            "--backend-environment-name",
            "dev",
            "--resource-name",
            "auth",
            "--resource-config",
            config,
        ],
    ));
    let auth = json(&cli(
        e,
        &[
            "get-backend-auth",
            "--app-id",
            "cli1",
            "--backend-environment-name",
            "dev",
            "--resource-name",
            "auth",
        ],
    ));
    assert_eq!(
        auth["ResourceConfig"]["UserPoolConfigs"]["Mfa"]["MFAMode"],
        "OFF"
    );

    for target in ["ta", "tb", "tc"] {
        json(&cli(
            e,
            &[
                "clone-backend",
                "--app-id",
                "cli1",
                "--backend-environment-name",
                "dev",
                "--target-environment-name",
                target,
            ],
        ));
    }
    let all = json(&cli(
        e,
        &[
            "list-backend-jobs",
            "--app-id",
            "cli1",
            "--backend-environment-name",
            "dev",
            "--page-size",
            "2",
        ],
    ));
    assert_eq!(all["Jobs"].as_array().unwrap().len(), 5);
    assert!(all.get("NextToken").is_none());
    let cut = json(&cli(
        e,
        &[
            "list-backend-jobs",
            "--app-id",
            "cli1",
            "--backend-environment-name",
            "dev",
            "--page-size",
            "2",
            "--max-items",
            "3",
        ],
    ));
    assert_eq!(cut["Jobs"].as_array().unwrap().len(), 3);
    let token = cut["NextToken"].as_str().unwrap();
    let rest = json(&cli(
        e,
        &[
            "list-backend-jobs",
            "--app-id",
            "cli1",
            "--backend-environment-name",
            "dev",
            "--page-size",
            "2",
            "--starting-token",
            token,
        ],
    ));
    assert_eq!(rest["Jobs"].as_array().unwrap().len(), 2);
    let one = json(&cli(
        e,
        &[
            "list-backend-jobs",
            "--app-id",
            "cli1",
            "--backend-environment-name",
            "dev",
            "--no-paginate",
            "--max-results",
            "1",
        ],
    ));
    assert_eq!(one["Jobs"].as_array().unwrap().len(), 1);
    assert!(one["NextToken"].is_string());

    let text = cli(e, &["get-backend", "--app-id", "cli1", "--output", "text"]);
    assert_eq!(
        String::from_utf8(text.stdout).unwrap(),
        "cli1\tCLI\nBACKENDENVIRONMENTLIST\tdev\nBACKENDENVIRONMENTLIST\tta\nBACKENDENVIRONMENTLIST\ttb\nBACKENDENVIRONMENTLIST\ttc\n"
    );
    let table = cli(e, &["--output", "table", "get-backend", "--app-id", "cli1"]);
    let table = String::from_utf8(table.stdout).unwrap();
    assert!(
        table.starts_with("--------------------------\n|       GetBackend       |\n"),
        "{table}"
    );
    assert!(table.contains("|  cli1    |  CLI        |\n"), "{table}");
}

#[test]
fn exit_codes_are_the_aws_cli_v2_ones() {
    let s = serve(&[]);
    let e = &s.endpoint();
    let out = cli(e, &["get-backend", "--app-id", "nope"]);
    assert_eq!(out.status.code(), Some(254));
    assert_eq!(
        String::from_utf8(out.stderr).unwrap().trim(),
        "An error occurred (NotFoundException) when calling the GetBackend operation: App nope was not found."
    );
    assert_eq!(cli(e, &["get-backend"]).status.code(), Some(252));
    assert_eq!(
        cli(e, &["get-backend", "--app-id", "a", "--bogus"])
            .status
            .code(),
        Some(252)
    );
    assert_eq!(
        cli(
            e,
            &[
                "list-backend-jobs",
                "--app-id",
                "a",
                "--backend-environment-name",
                "dev",
                "--max-results",
                "0"
            ]
        )
        .status
        .code(),
        Some(252)
    );
    // Maximums and enumerations are the service's to check, as with the AWS CLI.
    assert_eq!(
        cli(
            e,
            &[
                "list-backend-jobs",
                "--app-id",
                "a",
                "--backend-environment-name",
                "dev",
                "--max-results",
                "99"
            ]
        )
        .status
        .code(),
        Some(254)
    );
    assert_eq!(
        cli(e, &["get-backend", "--app-id", "a", "--profile", "missing"])
            .status
            .code(),
        Some(253)
    );
    assert_eq!(
        cli("http://127.0.0.1:9", &["get-backend", "--app-id", "a"])
            .status
            .code(),
        Some(255)
    );
    assert_eq!(
        Command::new(BIN)
            .arg("--help")
            .output()
            .unwrap()
            .status
            .code(),
        Some(0)
    );
}

/// The pending-job refusal is a `ValidationException`, which the model does not define:
/// reported as the AWS CLI reports any ClientError.
#[test]
fn a_pending_job_is_refused_like_any_client_error() {
    let s = serve(&["--job-duration-ms", "5000"]);
    let e = &s.endpoint();
    let create = [
        "create-backend",
        "--app-id",
        "p1",
        "--app-name",
        "P",
        "--backend-environment-name",
        "dev",
    ];
    assert_eq!(json(&cli(e, &create))["Status"], "RUNNING");
    let out = cli(e, &create);
    assert_eq!(out.status.code(), Some(254));
    assert!(out.stdout.is_empty());
    assert_eq!(
        String::from_utf8(out.stderr).unwrap(),
        "\nAn error occurred (ValidationException) when calling the CreateBackend operation: \
         An error occurred while processing your request: There is already a pending job for \
         the requested appId: p1 and backendEnvironmentName: dev, wait for it to complete \
         before creating a new job.\n"
    );
}

#[test]
fn wait_job_waits_for_completion() {
    let s = serve(&["--job-duration-ms", "300"]);
    let e = &s.endpoint();
    let created = json(&cli(
        e,
        &[
            "create-backend",
            "--app-id",
            "w1",
            "--app-name",
            "W",
            "--backend-environment-name",
            "dev",
        ],
    ));
    assert_eq!(created["Status"], "RUNNING");
    let job_id = created["JobId"].as_str().unwrap();
    let out = cli(
        e,
        &[
            "wait",
            "job",
            "--app-id",
            "w1",
            "--backend-environment-name",
            "dev",
            "--job-id",
            job_id,
            "--delay",
            "0.1",
        ],
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let job = json(&cli(
        e,
        &[
            "get-backend-job",
            "--app-id",
            "w1",
            "--backend-environment-name",
            "dev",
            "--job-id",
            job_id,
        ],
    ));
    assert_eq!(job["Status"], "COMPLETED");
}

fn stdout(out: &Output) -> String {
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout.clone()).unwrap()
}

fn stderr(out: &Output) -> String {
    String::from_utf8(out.stderr.clone()).unwrap()
}

#[test]
fn query_selects_before_output_formatting() {
    let s = serve(&[]);
    let e = &s.endpoint();
    json(&cli(
        e,
        &[
            "create-backend",
            "--app-id",
            "q1",
            "--app-name",
            "Q",
            "--backend-environment-name",
            "dev",
        ],
    ));
    for target in ["ta", "tb"] {
        json(&cli(
            e,
            &[
                "clone-backend",
                "--app-id",
                "q1",
                "--backend-environment-name",
                "dev",
                "--target-environment-name",
                target,
            ],
        ));
    }
    let get = ["get-backend", "--app-id", "q1"];
    let with = |extra: &[&str]| {
        let mut args = get.to_vec();
        args.extend_from_slice(extra);
        stdout(&cli(e, &args))
    };
    assert_eq!(with(&["--query", "AppId"]), "\"q1\"\n");
    assert_eq!(with(&["--query", "AppId", "--output", "text"]), "q1\n");
    assert_eq!(with(&["--query", "Nope"]), "null\n");
    assert_eq!(with(&["--query", "Nope", "--output", "text"]), "None\n");
    assert_eq!(with(&["--query", "Nope", "--output", "table"]), "");
    assert_eq!(
        with(&["--query", "BackendEnvironmentList", "--output", "text"]),
        "dev\tta\ttb\n"
    );
    assert_eq!(
        with(&["--query", "{Name: AppName, Id: AppId}"]),
        "{\n    \"Name\": \"Q\",\n    \"Id\": \"q1\"\n}\n"
    );
    assert_eq!(
        with(&["--query", "BackendEnvironmentList[?@ == `ta`]"]),
        "[\n    \"ta\"\n]\n"
    );

    // Text pages one by one through the query; the resume token goes through it too.
    let jobs = stdout(&cli(
        e,
        &[
            "list-backend-jobs",
            "--app-id",
            "q1",
            "--backend-environment-name",
            "dev",
            "--page-size",
            "2",
            "--max-items",
            "2",
            "--query",
            "Jobs[].Operation",
            "--output",
            "text",
        ],
    ));
    assert_eq!(jobs, "CloneBackend\tCloneBackend\nNone\n");

    let bad = cli(e, &["get-backend", "--app-id", "q1", "--query", "a["]);
    assert_eq!(bad.status.code(), Some(255));
    assert_eq!(
        stderr(&bad),
        "\nBad value for --query a[: Invalid jmespath expression: Incomplete expression:\n\"a[\"\n   ^\n"
    );
    assert!(bad.stdout.is_empty());
}

#[test]
fn parameter_errors_name_the_cli_members() {
    let s = serve(&[]);
    let e = &s.endpoint();
    let out = cli(e, &["get-backend", "--cli-input-json", r#"{"AppIdx":"a"}"#]);
    assert_eq!(out.status.code(), Some(252));
    assert_eq!(
        stderr(&out),
        "\nParameter validation failed:\nMissing required parameter in input: \"AppId\"\n\
         Unknown parameter in input: \"AppIdx\", must be one of: AppId, BackendEnvironmentName\n"
    );
    // An enumeration value goes to the service as given; its answer is a service error.
    let out = cli(
        e,
        &[
            "delete-backend-storage",
            "--app-id",
            "a",
            "--backend-environment-name",
            "dev",
            "--resource-name",
            "r",
            "--service-name",
            "GCS",
        ],
    );
    assert_eq!(out.status.code(), Some(254), "{}", stderr(&out));
    assert!(stderr(&out).contains("(BadRequestException)"));
}

#[test]
fn connection_failures_read_like_the_aws_clis() {
    let out = cli("http://127.0.0.1:9", &["get-backend", "--app-id", "a"]);
    assert_eq!(out.status.code(), Some(255));
    assert_eq!(
        stderr(&out),
        "\nCould not connect to the endpoint URL: \"http://127.0.0.1:9/backend/a/details\"\n"
    );
}

#[test]
fn a_mistyped_command_suggests_the_closest_first() {
    let out = Command::new(BIN).arg("get-backendd").output().unwrap();
    assert_eq!(out.status.code(), Some(252));
    assert!(
        stderr(&out).contains(
            "tip: some similar subcommands exist: 'get-backend', 'get-backend-job', 'get-backend-api'\n"
        ),
        "{}",
        stderr(&out)
    );
}

#[test]
fn server_commands_show_only_their_own_flags() {
    let help = |args: &[&str]| {
        let out = Command::new(BIN).args(args).output().unwrap();
        assert!(out.status.success());
        String::from_utf8(out.stdout).unwrap()
    };
    for command in ["serve", "migrate"] {
        let text = help(&[command, "--help"]);
        assert!(!text.contains("--endpoint-url"), "{text}");
        assert!(!text.contains("Global options"), "{text}");
    }
    for args in [
        &["get-backend", "--help"][..],
        &["wait", "job", "--help"],
        &["--help"],
    ] {
        let text = help(args);
        assert_eq!(text.matches("Global options:").count(), 1, "{text}");
        assert_eq!(text.matches("--endpoint-url").count(), 1, "{text}");
        assert!(text.contains("--query"), "{text}");
    }
    let out = Command::new(BIN)
        .args(["--region", "us-east-1", "serve"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(252));
    assert!(stderr(&out).contains("--region is an option of the API commands"));
}

#[test]
fn operation_help_shows_the_models_documentation() {
    let help = |args: &[&str]| {
        let out = Command::new(BIN).args(args).output().unwrap();
        assert!(out.status.success(), "{}", stderr(&out));
        String::from_utf8(out.stdout).unwrap()
    };
    let long = help(&["create-backend", "--help"]);
    assert!(
        long.contains(
            "This operation creates a backend for an Amplify app. Backends are automatically \
             created at the time of app creation."
        ),
        "{long}"
    );
    assert!(
        long.contains("Calls CreateBackend (POST /backend)."),
        "{long}"
    );
    assert!(
        long.contains("The name of the backend environment.\n"),
        "{long}"
    );
    assert!(
        long.contains("The resource configuration for creating a backend.\n"),
        "{long}"
    );
    let app_id = long.find("--app-id").unwrap();
    assert!(
        long[app_id..]
            .starts_with("--app-id <AppId>\n          The app ID.\n          (required)\n"),
        "{long}"
    );
    let resource_name = long.find("--resource-name").unwrap();
    assert!(
        !long[resource_name..]
            .split("\n\n")
            .next()
            .unwrap()
            .contains("(required)"),
        "{long}"
    );

    // -h keeps to the first sentence, on one line per option.
    let short = help(&["create-backend", "-h"]);
    assert!(
        short.starts_with("This operation creates a backend for an Amplify app.\n"),
        "{short}"
    );
    assert!(!short.contains("Backends are automatically"), "{short}");
    assert!(short.contains("The app ID. (required)\n"), "{short}");

    // The operation list shows each operation's first sentence.
    let top = help(&["--help"]);
    assert!(
        top.contains("Creates a new backend authentication resource."),
        "{top}"
    );
}
