//! One app seen by both services: the Amplify service's apps and environments are
//! AmplifyBackend's, and the other way round.

use super::*;
use crate::common::*;
use serde_json::{Value, json};

/// The `providers.awscloudformation` block of an environment's amplify-meta.
async fn providers(client: &aws_sdk_amplifybackend::Client, app_id: &str, env: &str) -> Value {
    amplify_meta(client, app_id, env).await["providers"]["awscloudformation"].clone()
}

fn env_names(list: &Value) -> Vec<String> {
    list["backendEnvironments"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["environmentName"].as_str().unwrap().to_owned())
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn create_app_then_create_backend_uses_the_same_app() {
    let server = TestServer::start().await;
    let amplify = Amplify::new(server.addr());
    let client = server.client();
    let id = create_app(&amplify, json!({ "name": "todo" })).await["appId"]
        .as_str()
        .unwrap()
        .to_owned();
    create_backend(&client, &id, "todo", "dev").await;
    let backend = client.get_backend().app_id(&id).send().await.unwrap();
    assert_eq!(backend.app_name(), Some("todo"));
    bad_request(
        client
            .create_backend()
            .app_id(&id)
            .app_name("another")
            .backend_environment_name("prod")
            .send()
            .await,
    );
    client
        .clone_backend()
        .app_id(&id)
        .backend_environment_name("dev")
        .target_environment_name("test")
        .send()
        .await
        .unwrap();

    // Environments of CreateBackend and CloneBackend, with their amplify-meta's stack and
    // deployment bucket.
    let base = format!("/apps/{id}/backendenvironments");
    let listed = amplify.get(&base).await.ok();
    assert_eq!(env_names(&listed), ["dev", "test"]);
    for env in ["dev", "test"] {
        let meta = providers(&client, &id, env).await;
        let got = amplify.get(&format!("{base}/{env}")).await.ok()["backendEnvironment"].clone();
        assert_eq!(got["stackName"], meta["StackName"], "{env}");
        assert_eq!(
            got["deploymentArtifacts"], meta["DeploymentBucketName"],
            "{env}"
        );
    }

    // An environment of CreateBackendEnvironment is a backend environment of GetBackend.
    let staging = amplify
        .post(
            &base,
            json!({ "environmentName": "staging", "stackName": "s-stack", "deploymentArtifacts": "s-bucket" }),
        )
        .await
        .ok();
    assert_eq!(staging["backendEnvironment"]["stackName"], "s-stack");
    let backend = client.get_backend().app_id(&id).send().await.unwrap();
    assert_eq!(
        backend.backend_environment_list(),
        ["dev", "staging", "test"]
    );
    let meta = providers(&client, &id, "staging").await;
    assert_eq!(
        (&meta["StackName"], &meta["DeploymentBucketName"]),
        (&json!("s-stack"), &json!("s-bucket"))
    );
    create_auth(
        &client,
        &id,
        "staging",
        "stagingauth",
        with_identity_pool(false),
    )
    .await;

    // DeleteBackend and DeleteBackendEnvironment delete the same thing.
    client
        .delete_backend()
        .app_id(&id)
        .backend_environment_name("staging")
        .send()
        .await
        .unwrap();
    amplify
        .get(&format!("{base}/staging"))
        .await
        .error(404, "NotFoundException");
    amplify.delete(&format!("{base}/test")).await.ok();
    let backend = client.get_backend().app_id(&id).send().await.unwrap();
    assert_eq!(backend.backend_environment_list(), ["dev"]);
    server.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn create_backend_on_an_unknown_app_creates_an_app_with_defaults() {
    let server = TestServer::start().await;
    let amplify = Amplify::new(server.addr());
    create_backend(&server.client(), "legacyapp1", "Legacy", "dev").await;
    let app = amplify.get("/apps/legacyapp1").await.ok()["app"].clone();
    assert_eq!(app["name"], "Legacy");
    assert_eq!(app["platform"], "WEB");
    assert_eq!(app["environmentVariables"], json!({}));
    assert_eq!(app["enableBasicAuth"], json!(false));
    assert_eq!(app["defaultDomain"], "legacyapp1.amplifyapp.com");
    assert!(app["createTime"].is_number());
    let listed = amplify.get("/apps").await.ok();
    assert_eq!(listed["apps"], json!([app]));
    server.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn delete_app_leaves_nothing_in_either_service() {
    let server = TestServer::start().await;
    let amplify = Amplify::new(server.addr());
    let client = server.client();
    let id = create_app(&amplify, json!({ "name": "todo" })).await["appId"]
        .as_str()
        .unwrap()
        .to_owned();
    let kept = create_app(&amplify, json!({ "name": "kept" })).await;
    create_backend(&client, &id, "todo", "dev").await;
    create_auth(&client, &id, "dev", "devauth", with_identity_pool(false)).await;
    create_api(&client, &id, "dev", "todoapi", api_config(TODO_SCHEMA)).await;
    let token = client.create_token().app_id(&id).send().await.unwrap();
    let session = token.session_id().unwrap().to_owned();

    let deleted = amplify.delete(&format!("/apps/{id}")).await.ok();
    assert_eq!(deleted["app"]["appId"], json!(id));
    not_found(client.get_backend().app_id(&id).send().await, "app");
    assert!(
        client
            .get_token()
            .app_id(&id)
            .session_id(&session)
            .send()
            .await
            .is_err()
    );
    let jobs = client
        .list_backend_jobs()
        .app_id(&id)
        .backend_environment_name("dev")
        .send()
        .await;
    assert!(jobs.is_err() || jobs.unwrap().jobs().is_empty());
    amplify
        .get(&format!("/apps/{id}/backendenvironments/dev"))
        .await
        .error(404, "NotFoundException");
    let listed = amplify.get("/apps").await.ok();
    assert_eq!(listed["apps"], json!([kept]));
    // The app id can start over, empty.
    create_backend(&client, &id, "again", "dev").await;
    let meta = amplify_meta(&client, &id, "dev").await;
    assert!(
        meta.get("auth").is_none() && meta.get("api").is_none(),
        "{meta}"
    );
    server.stop().await;
}
