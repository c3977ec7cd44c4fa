//! CreateBackendEnvironment, GetBackendEnvironment, ListBackendEnvironments,
//! DeleteBackendEnvironment, and bad input to each.

use super::*;
use crate::common::*;
use serde_json::json;
use std::time::Duration;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn backend_environments_are_created_listed_and_deleted() {
    let server = TestServer::start().await;
    let amplify = Amplify::new(server.addr());
    let app = create_app(&amplify, json!({ "name": "todo" })).await;
    let id = app["appId"].as_str().unwrap().to_owned();
    let base = format!("/apps/{id}/backendenvironments");

    let created = amplify
        .post(
            &base,
            json!({ "environmentName": "staging", "stackName": "my-stack", "deploymentArtifacts": "my-bucket" }),
        )
        .await
        .ok()["backendEnvironment"]
        .clone();
    assert_eq!(
        created["backendEnvironmentArn"],
        json!(format!(
            "arn:aws:amplify:us-east-1:000000000000:apps/{id}/backendenvironments/staging"
        ))
    );
    assert_eq!(
        (
            &created["environmentName"],
            &created["stackName"],
            &created["deploymentArtifacts"]
        ),
        (&json!("staging"), &json!("my-stack"), &json!("my-bucket"))
    );
    assert!(created["createTime"].is_number() && created["updateTime"].is_number());
    // Without them, the identifiers CreateBackend would generate.
    let generated = amplify
        .post(&base, json!({ "environmentName": "prod" }))
        .await
        .ok();
    let stack = generated["backendEnvironment"]["stackName"]
        .as_str()
        .unwrap();
    assert!(stack.starts_with(&format!("amplify-{id}-prod-")), "{stack}");
    assert!(
        generated["backendEnvironment"]["deploymentArtifacts"]
            .as_str()
            .is_some_and(|b| b.ends_with("-deployment"))
    );

    let got = amplify.get(&format!("{base}/staging")).await.ok();
    assert_eq!(got["backendEnvironment"], created);
    let all = amplify.get(&base).await.ok();
    let names: Vec<_> = all["backendEnvironments"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["environmentName"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(names, ["prod", "staging"]);
    let one = amplify
        .get(&format!("{base}?environmentName=staging"))
        .await
        .ok();
    assert_eq!(one["backendEnvironments"], json!([created]));
    let page = amplify.get(&format!("{base}?maxResults=1")).await.ok();
    assert_eq!(page["backendEnvironments"][0]["environmentName"], "prod");
    let token = encode_segment(page["nextToken"].as_str().unwrap());
    let next = amplify
        .get(&format!("{base}?maxResults=1&nextToken={token}"))
        .await
        .ok();
    assert_eq!(next["backendEnvironments"][0]["environmentName"], "staging");
    assert!(next.get("nextToken").is_none());

    amplify
        .post(&base, json!({ "environmentName": "staging" }))
        .await
        .error(400, "BadRequestException");
    let deleted = amplify.delete(&format!("{base}/staging")).await.ok();
    assert_eq!(deleted["backendEnvironment"], created);
    amplify
        .get(&format!("{base}/staging"))
        .await
        .error(404, "NotFoundException");
    amplify
        .delete(&format!("{base}/staging"))
        .await
        .error(404, "NotFoundException");
    amplify
        .get("/apps/dnosuchapp/backendenvironments")
        .await
        .error(404, "NotFoundException");
    amplify
        .post(
            "/apps/dnosuchapp/backendenvironments",
            json!({ "environmentName": "dev" }),
        )
        .await
        .error(404, "NotFoundException");
    server.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bad_environment_input_gets_the_modeled_400_and_changes_nothing() {
    let server = TestServer::start().await;
    let amplify = Amplify::new(server.addr());
    let id = create_app(&amplify, json!({ "name": "todo" })).await["appId"]
        .as_str()
        .unwrap()
        .to_owned();
    let base = format!("/apps/{id}/backendenvironments");
    for (body, word) in [
        (json!({}), "environmentName"),
        (json!({ "environmentName": "" }), "environmentName"),
        (json!({ "environmentName": "Prod-1" }), "environmentName"),
        (
            json!({ "environmentName": "dev", "stackName": "" }),
            "stackName",
        ),
        (
            json!({ "environmentName": "dev", "deploymentArtifacts": 3 }),
            "deploymentArtifacts",
        ),
    ] {
        let message = amplify
            .post(&base, body.clone())
            .await
            .error(400, "BadRequestException");
        assert!(message.contains(word), "{body}: {message}");
    }
    amplify
        .get(&format!("{base}?maxResults=51"))
        .await
        .error(400, "BadRequestException");
    let listed = amplify.get(&base).await.ok();
    assert_eq!(listed["backendEnvironments"], json!([]));
    server.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_pending_job_refuses_delete_backend_environment() {
    let server =
        TestServer::start_with(config_on("sqlite::memory:", Duration::from_secs(3600))).await;
    let amplify = Amplify::new(server.addr());
    let client = server.client();
    let id = create_app(&amplify, json!({ "name": "todo" })).await["appId"]
        .as_str()
        .unwrap()
        .to_owned();
    // CreateBackend's own job stays pending for an hour.
    client
        .create_backend()
        .app_id(&id)
        .app_name("todo")
        .backend_environment_name("dev")
        .send()
        .await
        .unwrap();
    let message = amplify
        .delete(&format!("/apps/{id}/backendenvironments/dev"))
        .await
        .error(400, "BadRequestException");
    assert!(message.contains("pending job"), "{message}");
    server.stop().await;
}
