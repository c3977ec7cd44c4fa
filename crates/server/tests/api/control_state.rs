//! `/_amplifybackend/state` and `/_amplifybackend/state/reset` through HTTP on the real
//! router: export → reset → import gives back what every operation answered (SQLite and
//! PostgreSQL), bad documents answer 400 with the JSON path and change nothing, resets
//! by account and region, and resets while requests run.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use crate::common::control::{Answer, Fixture, call, call_as, export, fixtures, ok};
use crate::common::{TestServer, base_config, config_on};
use amplifybackend_server::ServerConfig;
use amplifybackend_testkit::PgSchema;
use serde_json::{Value, json};
use std::collections::HashSet;
use std::net::SocketAddr;
use std::time::Duration;

const OTHER: (&str, &str) = ("111111111111", "eu-west-1");

/// The operations that take away from the state: left out while building it.
const TAKING_AWAY: [&str; 7] = [
    "DeleteToken",
    "RemoveBackendConfig",
    "DeleteBackendStorage",
    "DeleteBackendAPI",
    "DeleteBackendAuth",
    "DeleteBackend",
    "RemoveAllBackends",
];

/// Keys whose values a new request makes afresh (new jobs and tokens, and a token's
/// time to live, which counts down).
const FRESH: [&str; 6] = [
    "jobId",
    "createTime",
    "updateTime",
    "sessionId",
    "challengeCode",
    "ttl",
];

fn target(f: &Fixture, job_id: &str, session_id: &str) -> String {
    f.path
        .replace("{jobId}", job_id)
        .replace("{sessionId}", session_id)
}

/// A state of every kind: two tenants, every resource, models, Studio, a token, buckets,
/// jobs COMPLETED, FAILED and one RUNNING until advanced. Answers the CreateBackend job's
/// id and the token's session id.
async fn build(addr: SocketAddr) -> (String, String) {
    let (mut job_id, mut session_id) = (String::new(), String::new());
    for f in fixtures() {
        if TAKING_AWAY.contains(&f.operation.as_str()) {
            continue;
        }
        let answer = call(
            addr,
            &f.method,
            &target(&f, &job_id, &session_id),
            &f.body.to_string(),
        )
        .await;
        assert!(answer.status < 500, "{}: {answer:?}", f.operation);
        match f.operation.as_str() {
            "CreateBackend" => job_id = answer.body["jobId"].as_str().unwrap().to_owned(),
            "CreateToken" => session_id = answer.body["sessionId"].as_str().unwrap().to_owned(),
            _ => {}
        }
    }
    let other = call_as(
        addr,
        Some(OTHER),
        "POST",
        "/backend",
        r#"{"appId":"otherapp","appName":"Other","backendEnvironmentName":"dev"}"#,
    )
    .await;
    assert_eq!(other.status, 200, "{other:?}");
    // An app of the Amplify service, with its attributes, tags and an environment of
    // CreateBackendEnvironment's.
    let app = ok(
        addr,
        "POST",
        "/apps",
        &json!({"name": "Studio", "description": "made by CreateApp", "platform": "WEB_COMPUTE",
                "environmentVariables": {"STAGE": "test"}, "tags": {"team": "core"}})
        .to_string(),
    )
    .await;
    let app_id = app["app"]["appId"].as_str().unwrap();
    ok(
        addr,
        "POST",
        &format!("/apps/{app_id}/backendenvironments"),
        r#"{"environmentName":"staging","stackName":"amplify-studio-staging","deploymentArtifacts":"amplify-studio-staging-deployment"}"#,
    )
    .await;
    // One job waits in RUNNING for an advance, in an environment of its own.
    ok(
        addr,
        "POST",
        "/backend",
        r#"{"appId":"stormapp","appName":"Storm","backendEnvironmentName":"qa"}"#,
    )
    .await;
    ok(
        addr,
        "PUT",
        "/_amplifybackend/jobs/progression",
        r#"{"mode":"manual","operation":"CreateBackendAuth"}"#,
    )
    .await;
    let running = ok(
        addr,
        "POST",
        "/backend/stormapp/auth",
        &json!({"backendEnvironmentName": "qa", "resourceName": "qaauth", "resourceConfig": {
            "authResources": "USER_POOL_ONLY", "service": "COGNITO",
            "userPoolConfigs": {"userPoolName": "qapool", "signInMethod": "EMAIL",
                                "requiredSignUpAttributes": ["EMAIL"]}}})
        .to_string(),
    )
    .await;
    assert_eq!(running["status"], "RUNNING");
    ok(
        addr,
        "PUT",
        "/_amplifybackend/jobs/progression",
        r#"{"mode":"immediate"}"#,
    )
    .await;
    (job_id, session_id)
}

/// Every operation once, reads first: what each answered.
async fn probe(addr: SocketAddr, job_id: &str, session_id: &str) -> Vec<(String, Answer)> {
    let mut answers = Vec::new();
    let first_page = call(
        addr,
        "POST",
        "/backend/stormapp/job/dev",
        r#"{"maxResults":1}"#,
    )
    .await;
    answers.push(("ListBackendJobs, first page".to_owned(), first_page.clone()));
    if let Some(token) = first_page.body["nextToken"].as_str() {
        let body = json!({"maxResults": 1, "nextToken": token}).to_string();
        let next = call(addr, "POST", "/backend/stormapp/job/dev", &body).await;
        answers.push(("ListBackendJobs, next page".to_owned(), next));
    }
    let other = call_as(
        addr,
        Some(OTHER),
        "POST",
        "/backend/otherapp/details",
        r#"{"backendEnvironmentName":"dev"}"#,
    )
    .await;
    answers.push(("GetBackend of the other tenant".to_owned(), other));
    let prod = call(
        addr,
        "POST",
        "/backend/stormapp/job/qa",
        r#"{"status":"RUNNING"}"#,
    )
    .await;
    answers.push(("the RUNNING job".to_owned(), prod));
    let apps = call(addr, "GET", "/apps", "").await;
    answers.push(("ListApps".to_owned(), apps.clone()));
    for app in apps.body["apps"].as_array().unwrap() {
        let app_id = app["appId"].as_str().unwrap();
        let arn = app["appArn"]
            .as_str()
            .unwrap()
            .replace(':', "%3A")
            .replace('/', "%2F");
        for (operation, method, target) in [
            ("GetApp", "GET", format!("/apps/{app_id}")),
            (
                "ListBackendEnvironments",
                "GET",
                format!("/apps/{app_id}/backendenvironments"),
            ),
            (
                "GetBackendEnvironment",
                "GET",
                format!("/apps/{app_id}/backendenvironments/staging"),
            ),
            ("ListTagsForResource", "GET", format!("/tags/{arn}")),
        ] {
            let answer = call(addr, method, &target, "").await;
            answers.push((format!("{operation} of {app_id}"), answer));
        }
    }
    for f in fixtures() {
        let answer = call(
            addr,
            &f.method,
            &target(&f, job_id, session_id),
            &f.body.to_string(),
        )
        .await;
        answers.push((f.operation, answer));
    }
    answers
}

/// Every string and number of the document, as text.
fn known(value: &Value, into: &mut HashSet<String>) {
    match value {
        Value::String(s) => {
            into.insert(s.clone());
        }
        Value::Number(n) => {
            into.insert(n.to_string());
        }
        Value::Array(items) => items.iter().for_each(|v| known(v, into)),
        Value::Object(map) => map.values().for_each(|v| known(v, into)),
        _ => {}
    }
}

/// `value` with what a request made afresh (not in the exported state) masked.
fn masked(value: &Value, state: &HashSet<String>) -> Value {
    match value {
        Value::Array(items) => Value::Array(items.iter().map(|v| masked(v, state)).collect()),
        Value::Object(map) => Value::Object(
            map.iter()
                .map(|(k, v)| {
                    let fresh = FRESH.contains(&k.as_str())
                        && (k == "ttl" || v.as_str().is_some_and(|s| !state.contains(s)));
                    let v = if fresh {
                        Value::String("<fresh>".into())
                    } else {
                        masked(v, state)
                    };
                    (k.clone(), v)
                })
                .collect(),
        ),
        other => other.clone(),
    }
}

async fn round_trip(config: ServerConfig) {
    let server = TestServer::start_with(config).await;
    let addr = server.addr();
    let (job_id, session_id) = build(addr).await;
    let before = export(addr).await;
    assert_eq!(before["format"], "amplifybackend-state");
    assert_eq!(before["version"], 1);
    for list in [
        "apps",
        "environments",
        "resources",
        "apiModels",
        "jobs",
        "tokens",
        "buckets",
    ] {
        assert!(
            !before[list].as_array().unwrap().is_empty(),
            "{list} in {before}"
        );
    }
    assert!(
        before["apps"]
            .as_array()
            .unwrap()
            .iter()
            .any(|a| a["amplify"]["description"] == "made by CreateApp"),
        "the Amplify attributes are in the document: {before}"
    );
    let mut state = HashSet::new();
    known(&before, &mut state);

    let first = probe(addr, &job_id, &session_id).await;

    let reset = ok(addr, "POST", "/_amplifybackend/state/reset", "").await;
    assert_eq!(reset, json!({"reset": true}));
    let empty = export(addr).await;
    for list in ["apps", "environments", "jobs", "tokens", "buckets"] {
        assert_eq!(empty[list], json!([]), "{list} after the reset");
    }
    let missing = call(addr, "POST", "/backend/stormapp/details", "{}").await;
    assert_eq!(missing.status, 404);

    let imported = ok(addr, "POST", "/_amplifybackend/state", &before.to_string()).await;
    assert_eq!(imported["imported"], true);
    assert_eq!(
        imported["jobs"].as_u64().unwrap(),
        before["jobs"].as_array().unwrap().len() as u64
    );
    assert_eq!(
        export(addr).await,
        before,
        "the document comes back as it went"
    );

    let second = probe(addr, &job_id, &session_id).await;
    assert_eq!(first.len(), second.len());
    for ((operation, a), (_, b)) in first.iter().zip(&second) {
        assert_eq!(a.status, b.status, "{operation}: {a:?} then {b:?}");
        assert_eq!(
            masked(&a.body, &state),
            masked(&b.body, &state),
            "{operation} answers the same"
        );
    }
    // The probes saw the state, not only errors.
    let succeeded = first.iter().filter(|(_, a)| a.status == 200).count();
    assert!(succeeded >= 25, "{succeeded} of {} succeeded", first.len());
    server.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn export_reset_import_gives_back_every_answer_sqlite() {
    round_trip(base_config()).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[cfg_attr(
    not(postgres_tests),
    ignore = "needs AMPLIFYBACKEND_TEST_POSTGRES_URL (a PostgreSQL database)"
)]
async fn export_reset_import_gives_back_every_answer_postgres() {
    let schema = PgSchema::new();
    round_trip(config_on(schema.url(), Duration::ZERO)).await;
}

/// A document with one app, its environment and a job, of the default account.
fn small_document() -> Value {
    json!({
        "format": "amplifybackend-state",
        "version": 1,
        "apps": [{"accountId": "000000000000", "region": "us-east-1", "appId": "docapp",
                  "appName": "Doc", "createdAtMs": 1_700_000_000_000_i64}],
        "environments": [{"accountId": "000000000000", "region": "us-east-1", "appId": "docapp",
                          "name": "dev", "createdAtMs": 1_700_000_000_000_i64,
                          "meta": {"StackName": "amplify-docapp-dev"}}],
        "resources": [],
        "jobs": [{"accountId": "000000000000", "region": "us-east-1", "appId": "docapp",
                  "backendEnvironmentName": "dev", "jobId": "job-1", "operation": "CreateBackend",
                  "status": "RUNNING", "createTimeMs": 1_700_000_000_000_i64,
                  "updateTimeMs": 1_700_000_000_000_i64, "changes": []}]
    })
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bad_documents_answer_400_with_the_path_and_change_nothing() {
    let server = TestServer::start().await;
    let addr = server.addr();
    let good = small_document();
    ok(addr, "POST", "/_amplifybackend/state", &good.to_string()).await;
    let before = export(addr).await;

    let mut cases: Vec<(String, Value, &'static str)> = Vec::new();
    let mut with = |what: &str, path: &'static str, change: &dyn Fn(&mut Value)| {
        let mut doc = small_document();
        change(&mut doc);
        cases.push((what.to_owned(), doc, path));
    };
    with("another format", "$.format", &|d| {
        d["format"] = json!("other")
    });
    with("another version", "$.version", &|d| d["version"] = json!(2));
    with("an unknown field", "$.extra: unknown field `extra`", &|d| {
        d["extra"] = json!(1)
    });
    with("an unknown nested field", "unknown field `color`", &|d| {
        d["apps"][0]["color"] = json!("red");
    });
    with(
        "Amplify attributes that are not an object",
        "$.apps[0].amplify",
        &|d| {
            d["apps"][0]["amplify"] = json!(5);
        },
    );
    with(
        "Amplify attributes GetApp cannot show",
        "$.apps[0].amplify",
        &|d| {
            d["apps"][0]["amplify"] = json!({"platform": 5});
        },
    );
    with("a wrong type", "$.apps[0].createdAtMs", &|d| {
        d["apps"][0]["createdAtMs"] = json!("yesterday");
    });
    with(
        "a resource in a missing environment",
        "$.resources[0].backendEnvironmentName",
        &|d| {
            d["resources"] = json!([{"accountId": "000000000000", "region": "us-east-1",
            "appId": "docapp", "backendEnvironmentName": "prod", "kind": "auth",
            "resourceName": "a", "config": {}, "outputs": {}, "imported": false,
            "updatedAtMs": 1}]);
        },
    );
    with(
        "an environment of a missing app",
        "$.environments[0].appId",
        &|d| {
            d["environments"][0]["appId"] = json!("nosuchapp");
        },
    );
    with(
        "two RUNNING jobs in one environment",
        "$.jobs[1].status",
        &|d| {
            let mut second = d["jobs"][0].clone();
            second["jobId"] = json!("job-2");
            d["jobs"].as_array_mut().unwrap().push(second);
        },
    );
    with("a job id twice", "$.jobs[1].jobId", &|d| {
        let mut second = d["jobs"][0].clone();
        second["status"] = json!("COMPLETED");
        second.as_object_mut().unwrap().remove("changes");
        d["jobs"].as_array_mut().unwrap().push(second);
    });
    with(
        "a finished job with a due time",
        "$.jobs[0].dueAtMs",
        &|d| {
            d["jobs"][0]["status"] = json!("COMPLETED");
            d["jobs"][0].as_object_mut().unwrap().remove("changes");
            d["jobs"][0]["dueAtMs"] = json!(5);
        },
    );
    with("an unknown job status", "$.jobs[0].status", &|d| {
        d["jobs"][0]["status"] = json!("DONE")
    });
    with(
        "an account that is not 12 digits",
        "$.apps[0].accountId",
        &|d| {
            d["apps"][0]["accountId"] = json!("123");
        },
    );
    cases.push(("not JSON".into(), json!("{"), "$"));
    for (what, doc, path) in cases {
        let body = if what == "not JSON" {
            "{".to_owned()
        } else {
            doc.to_string()
        };
        let answer = call(addr, "POST", "/_amplifybackend/state", &body).await;
        assert_eq!(answer.status, 400, "{what}: {answer:?}");
        let message = answer.body["message"].as_str().unwrap();
        assert!(message.contains(path), "{what}: {path} in {message}");
        assert_eq!(export(addr).await, before, "{what} changed nothing");
    }
    // A row outside the scope imported.
    let answer = call(
        addr,
        "POST",
        "/_amplifybackend/state?accountId=111111111111",
        &good.to_string(),
    )
    .await;
    assert_eq!(answer.status, 400, "{answer:?}");
    assert!(
        answer.body["message"]
            .as_str()
            .unwrap()
            .contains("$.apps[0].accountId")
    );
    // A job id taken outside the scope: nothing of the import is kept.
    let mut elsewhere = small_document();
    for list in ["apps", "environments", "jobs"] {
        elsewhere[list][0]["accountId"] = json!(OTHER.0);
    }
    let answer = call(
        addr,
        "POST",
        "/_amplifybackend/state?accountId=111111111111",
        &elsewhere.to_string(),
    )
    .await;
    assert_eq!(answer.status, 400, "{answer:?}");
    assert_eq!(export(addr).await, before);
    for query in ["?color=red", "?accountId=", "?region=a&region=b"] {
        let answer = call(addr, "GET", &format!("/_amplifybackend/state{query}"), "").await;
        assert_eq!(answer.status, 400, "{query}: {answer:?}");
    }
    let answer = call(
        addr,
        "POST",
        "/_amplifybackend/state/reset",
        r#"{"account":"1"}"#,
    )
    .await;
    assert_eq!(answer.status, 400, "{answer:?}");
    assert_eq!(export(addr).await, before);
    server.stop().await;
}

async fn create(addr: SocketAddr, tenant: (&str, &str), app_id: &str) {
    let body = json!({"appId": app_id, "appName": "app", "backendEnvironmentName": "dev"});
    let answer = call_as(addr, Some(tenant), "POST", "/backend", &body.to_string()).await;
    assert_eq!(answer.status, 200, "{answer:?}");
}

fn app_ids(doc: &Value) -> Vec<String> {
    doc["apps"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| {
            format!(
                "{}/{}/{}",
                a["accountId"].as_str().unwrap(),
                a["region"].as_str().unwrap(),
                a["appId"].as_str().unwrap()
            )
        })
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn reset_and_export_by_account_and_region() {
    let server = TestServer::start().await;
    let addr = server.addr();
    let a = ("222222222222", "us-east-1");
    let b = ("222222222222", "eu-west-1");
    let c = ("333333333333", "eu-west-1");
    for (tenant, app) in [(a, "appa"), (b, "appb"), (c, "appc")] {
        create(addr, tenant, app).await;
    }
    let by_region = ok(addr, "GET", "/_amplifybackend/state?region=eu-west-1", "").await;
    assert_eq!(
        app_ids(&by_region),
        ["222222222222/eu-west-1/appb", "333333333333/eu-west-1/appc"]
    );
    let one = ok(
        addr,
        "GET",
        "/_amplifybackend/state?accountId=222222222222&region=eu-west-1",
        "",
    )
    .await;
    assert_eq!(app_ids(&one), ["222222222222/eu-west-1/appb"]);
    assert_eq!(one["jobs"].as_array().unwrap().len(), 1);

    ok(
        addr,
        "POST",
        "/_amplifybackend/state/reset",
        r#"{"accountId":"222222222222","region":"eu-west-1"}"#,
    )
    .await;
    assert_eq!(
        app_ids(&export(addr).await),
        ["222222222222/us-east-1/appa", "333333333333/eu-west-1/appc"]
    );
    // The part exported comes back on its own, the rest untouched.
    ok(
        addr,
        "POST",
        "/_amplifybackend/state?accountId=222222222222&region=eu-west-1",
        &one.to_string(),
    )
    .await;
    assert_eq!(app_ids(&export(addr).await).len(), 3);
    ok(
        addr,
        "POST",
        "/_amplifybackend/state/reset",
        r#"{"region":"eu-west-1"}"#,
    )
    .await;
    assert_eq!(
        app_ids(&export(addr).await),
        ["222222222222/us-east-1/appa"]
    );
    ok(
        addr,
        "POST",
        "/_amplifybackend/state/reset",
        r#"{"accountId":"222222222222"}"#,
    )
    .await;
    assert!(app_ids(&export(addr).await).is_empty());
    create(addr, a, "appa").await;
    ok(addr, "POST", "/_amplifybackend/state/reset", "{}").await;
    assert!(app_ids(&export(addr).await).is_empty());
    server.stop().await;
}

/// Resets while CreateBackends and GetBackends run: every app the state holds afterwards
/// is whole (its environment and its job with it), every read saw a whole app or none.
async fn reset_while_requests_run(config: ServerConfig) {
    let server = TestServer::start_with(config).await;
    let addr = server.addr();
    let writers = (0..4).map(|w| {
        tokio::spawn(async move {
            for i in 0..15 {
                let app = format!("w{w}app{i}");
                let body = json!({"appId": app, "appName": "n", "backendEnvironmentName": "dev"});
                let created = call(addr, "POST", "/backend", &body.to_string()).await;
                assert_eq!(created.status, 200, "{created:?}");
                let read = call(
                    addr,
                    "POST",
                    &format!("/backend/{app}/details"),
                    r#"{"backendEnvironmentName":"dev"}"#,
                )
                .await;
                match read.status {
                    200 => assert_eq!(
                        read.body["backendEnvironmentList"],
                        json!(["dev"]),
                        "{read:?}"
                    ),
                    404 => {}
                    other => panic!("GetBackend answered {other}: {read:?}"),
                }
            }
        })
    });
    let writers: Vec<_> = writers.collect();
    for _ in 0..5 {
        ok(addr, "POST", "/_amplifybackend/state/reset", "").await;
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    for w in writers {
        w.await.unwrap();
    }
    let state = export(addr).await;
    let pairs = |list: &str| -> HashSet<String> {
        state[list]
            .as_array()
            .unwrap()
            .iter()
            .map(|row| row["appId"].as_str().unwrap().to_owned())
            .collect()
    };
    assert_eq!(pairs("apps"), pairs("environments"), "{state}");
    assert_eq!(pairs("apps"), pairs("jobs"), "{state}");
    server.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn reset_while_requests_run_sqlite() {
    reset_while_requests_run(base_config()).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
#[cfg_attr(
    not(postgres_tests),
    ignore = "needs AMPLIFYBACKEND_TEST_POSTGRES_URL (a PostgreSQL database)"
)]
async fn reset_while_requests_run_postgres() {
    let schema = PgSchema::new();
    reset_while_requests_run(config_on(schema.url(), Duration::ZERO)).await;
}
