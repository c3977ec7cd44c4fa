//! `amplifybackend amplify …` against `amplifybackend serve`: every served Amplify command,
//! the AWS CLI's output formats, `--query`, ListApps pagination and exit statuses.
//! (conformance/tests/test_amplify_cli.py compares the output with `aws amplify` itself.)
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::Served;
use serde_json::{Value, json};
use std::process::Output;

fn serve() -> Served {
    Served::start(&["--database-url", "sqlite::memory:"], &[], None)
}

/// Runs `amplifybackend amplify ARGS` as `account` (a 12-digit access key is an account).
fn amplify(served: &Served, account: &str, args: &[&str]) -> Output {
    let mut all = vec!["amplify"];
    all.extend_from_slice(args);
    common::cli_as(&served.endpoint(), (account, "secret"), &all)
}

fn stdout(out: &Output) -> String {
    assert!(
        out.status.success(),
        "exit {:?}: {}",
        out.status.code(),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout.clone()).unwrap()
}

fn json_of(out: &Output) -> Value {
    let text = stdout(out);
    if text.trim().is_empty() {
        return json!({});
    }
    serde_json::from_str(&text).unwrap()
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

const ACCOUNT: &str = "123456789012";

#[test]
fn every_served_command_round_trips() {
    let s = serve();
    let run = |args: &[&str]| json_of(&amplify(&s, ACCOUNT, args));
    let app = run(&[
        "create-app",
        "--name",
        "cli-app",
        "--description",
        "made here",
        "--environment-variables",
        "STAGE=dev,MODE=test",
        "--tags",
        r#"{"team": "blue"}"#,
        "--enable-branch-auto-build",
    ])["app"]
        .clone();
    let app_id = app["appId"].as_str().unwrap().to_owned();
    let arn = app["appArn"].as_str().unwrap().to_owned();
    assert_eq!(app["name"], "cli-app");
    assert_eq!(app["description"], "made here");
    assert_eq!(app["platform"], "WEB");
    assert_eq!(
        app["environmentVariables"],
        json!({"STAGE": "dev", "MODE": "test"})
    );
    assert_eq!(app["tags"], json!({"team": "blue"}));
    assert_eq!(app["enableBranchAutoBuild"], true);
    assert_eq!(
        arn,
        format!("arn:aws:amplify:us-east-1:{ACCOUNT}:apps/{app_id}")
    );
    assert!(app["createTime"].is_number(), "{app}");
    // The model's member order, 4-space indentation, as the AWS CLI prints.
    let text = stdout(&amplify(&s, ACCOUNT, &["get-app", "--app-id", &app_id]));
    assert!(
        text.starts_with(&format!(
            "{{\n    \"app\": {{\n        \"appId\": \"{app_id}\",\n        \"appArn\": "
        )),
        "{text}"
    );

    let updated = run(&[
        "update-app",
        "--app-id",
        &app_id,
        "--name",
        "renamed",
        "--no-enable-branch-auto-build",
    ])["app"]
        .clone();
    assert_eq!(updated["name"], "renamed");
    assert_eq!(updated["enableBranchAutoBuild"], false);
    assert_eq!(updated["description"], "made here");

    let env = run(&[
        "create-backend-environment",
        "--app-id",
        &app_id,
        "--environment-name",
        "dev",
        "--stack-name",
        "stack-dev",
        "--deployment-artifacts",
        "bucket-dev",
    ])["backendEnvironment"]
        .clone();
    assert_eq!(env["environmentName"], "dev");
    assert_eq!(env["stackName"], "stack-dev");
    assert_eq!(env["deploymentArtifacts"], "bucket-dev");
    let got = run(&[
        "get-backend-environment",
        "--app-id",
        &app_id,
        "--environment-name",
        "dev",
    ]);
    assert_eq!(got["backendEnvironment"], env);
    let listed = run(&["list-backend-environments", "--app-id", &app_id]);
    assert_eq!(listed["backendEnvironments"], json!([env]));

    run(&["tag-resource", "--resource-arn", &arn, "--tags", "a=1,b=2"]);
    run(&[
        "untag-resource",
        "--resource-arn",
        &arn,
        "--tag-keys",
        "a",
        "team",
    ]);
    assert_eq!(
        run(&["list-tags-for-resource", "--resource-arn", &arn]),
        json!({"tags": {"b": "2"}})
    );

    let deleted = run(&[
        "delete-backend-environment",
        "--app-id",
        &app_id,
        "--environment-name",
        "dev",
    ]);
    assert_eq!(deleted["backendEnvironment"]["environmentName"], "dev");
    assert_eq!(
        run(&["delete-app", "--app-id", &app_id])["app"]["appId"],
        app_id.as_str()
    );
    assert_eq!(run(&["list-apps"]), json!({"apps": []}));
}

#[test]
fn list_apps_paginates_like_the_aws_cli() {
    let s = serve();
    let account = "210987654321";
    let mut ids = Vec::new();
    for i in 0..5 {
        let app = json_of(&amplify(
            &s,
            account,
            &["create-app", "--name", &format!("p{i}")],
        ));
        ids.push(app["app"]["appId"].as_str().unwrap().to_owned());
    }
    let all = json_of(&amplify(&s, account, &["list-apps", "--page-size", "2"]));
    let listed: Vec<String> = all["apps"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["appId"].as_str().unwrap().to_owned())
        .collect();
    let mut sorted = listed.clone();
    sorted.sort();
    ids.sort();
    assert_eq!(sorted, ids);
    assert!(all.get("NextToken").is_none(), "{all}");

    // --max-items cuts and answers a resume token as NextToken, as botocore does.
    let first = json_of(&amplify(
        &s,
        account,
        &["list-apps", "--page-size", "2", "--max-items", "3"],
    ));
    assert_eq!(first["apps"].as_array().unwrap().len(), 3);
    let token = first["NextToken"].as_str().unwrap().to_owned();
    assert!(first.get("nextToken").is_none(), "{first}");
    let rest = json_of(&amplify(
        &s,
        account,
        &["list-apps", "--page-size", "2", "--starting-token", &token],
    ));
    let resumed: Vec<&str> = first["apps"]
        .as_array()
        .unwrap()
        .iter()
        .chain(rest["apps"].as_array().unwrap())
        .map(|a| a["appId"].as_str().unwrap())
        .collect();
    assert_eq!(resumed, listed);

    // One call only: the service's own token comes back.
    let one = json_of(&amplify(&s, account, &["list-apps", "--max-results", "2"]));
    assert_eq!(one["apps"].as_array().unwrap().len(), 2);
    assert!(one["nextToken"].is_string(), "{one}");

    // Text output, page by page as it comes, the query applied to each page and then to
    // the resume token (which has no apps: `None`), as the AWS CLI prints it.
    let text = stdout(&amplify(
        &s,
        account,
        &[
            "list-apps",
            "--page-size",
            "2",
            "--max-items",
            "3",
            "--query",
            "apps[].appId",
            "--output",
            "text",
        ],
    ));
    assert_eq!(
        text,
        format!("{}\t{}\n{}\nNone\n", listed[0], listed[1], listed[2])
    );
}

#[test]
fn query_and_output_formats() {
    let s = serve();
    let account = "111122223333";
    let app = json_of(&amplify(&s, account, &["create-app", "--name", "fmt"]));
    let app_id = app["app"]["appId"].as_str().unwrap();
    let names = stdout(&amplify(
        &s,
        account,
        &["list-apps", "--query", "apps[].name", "--output", "text"],
    ));
    assert_eq!(names, "fmt\n");
    let table = stdout(&amplify(
        &s,
        account,
        &[
            "get-app",
            "--app-id",
            app_id,
            "--query",
            "app.{Name: name, Platform: platform}",
            "--output",
            "table",
        ],
    ));
    assert_eq!(
        table,
        "----------------------\n\
         |       GetApp       |\n\
         +-------+------------+\n\
         | Name  | Platform   |\n\
         +-------+------------+\n\
         |  fmt  |  WEB       |\n\
         +-------+------------+\n"
    );
}

#[test]
fn exit_statuses_are_the_aws_cli_v2_ones() {
    let s = serve();
    let missing = amplify(&s, ACCOUNT, &["get-app", "--app-id", "d0000000000000"]);
    assert_eq!(missing.status.code(), Some(254));
    assert!(
        stderr(&missing).starts_with(
            "\nAn error occurred (NotFoundException) when calling the GetApp operation: "
        ),
        "{}",
        stderr(&missing)
    );
    assert!(missing.stdout.is_empty());

    let usage = amplify(&s, ACCOUNT, &["get-app"]);
    assert_eq!(usage.status.code(), Some(252));
    assert!(stderr(&usage).contains("usage: amplifybackend amplify get-app"));
    assert!(stderr(&usage).contains("--app-id"));

    let both = amplify(
        &s,
        ACCOUNT,
        &["list-apps", "--no-paginate", "--page-size", "2"],
    );
    assert_eq!(both.status.code(), Some(252));
    assert!(
        stderr(&both)
            .contains("Cannot specify --no-paginate along with pagination arguments: --page-size")
    );

    // Not an Amplify command, and not served: no command at all.
    assert_eq!(
        amplify(&s, ACCOUNT, &["get-backend"]).status.code(),
        Some(252)
    );
    assert_eq!(
        amplify(&s, ACCOUNT, &["create-branch", "--app-id", "a"])
            .status
            .code(),
        Some(252)
    );

    let bad_map = amplify(
        &s,
        ACCOUNT,
        &[
            "create-app",
            "--name",
            "x",
            "--environment-variables",
            "novalue",
        ],
    );
    assert_eq!(bad_map.status.code(), Some(252));

    let bad_request = amplify(
        &s,
        ACCOUNT,
        &["create-app", "--name", "x", "--platform", "NOPE"],
    );
    assert_eq!(bad_request.status.code(), Some(254));
    assert!(stderr(&bad_request).contains("(BadRequestException)"));
}

#[test]
fn global_options_go_before_or_after_the_group() {
    let s = serve();
    json_of(&amplify(&s, ACCOUNT, &["create-app", "--name", "g"]));
    let endpoint = format!("http://{}", s.addr);
    let run = |args: &[&str]| {
        common::cli_command((ACCOUNT, "secret"))
            .args(args)
            .output()
            .unwrap()
    };
    let query = ["--query", "apps[].name", "--output", "text"];
    for args in [
        [
            &[
                "--endpoint-url",
                &endpoint,
                "--region",
                "us-east-1",
                "amplify",
                "list-apps",
            ][..],
            &query[..],
        ]
        .concat(),
        [
            &[
                "amplify",
                "--endpoint-url",
                &endpoint,
                "--region",
                "us-east-1",
                "list-apps",
            ][..],
            &query[..],
        ]
        .concat(),
        [
            &[
                "amplify",
                "list-apps",
                "--endpoint-url",
                &endpoint,
                "--region",
                "us-east-1",
            ][..],
            &query[..],
        ]
        .concat(),
    ] {
        assert_eq!(stdout(&run(&args)), "g\n", "{args:?}");
    }
    // Another region of the same account has no apps.
    let other = run(&[
        "amplify",
        "list-apps",
        "--endpoint-url",
        &endpoint,
        "--region",
        "eu-west-1",
    ]);
    assert_eq!(json_of(&other), json!({"apps": []}));
}
