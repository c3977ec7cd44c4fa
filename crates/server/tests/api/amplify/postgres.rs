//! The Amplify service's operations on PostgreSQL, with two servers sharing one database
//! (as two processes would). Ignored unless `AMPLIFYBACKEND_TEST_POSTGRES_URL` names a
//! database; each test works in a schema of its own.

use super::*;
use crate::common::*;
use amplifybackend_testkit::PgSchema;
use serde_json::json;
use std::time::Duration;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[cfg_attr(
    not(postgres_tests),
    ignore = "needs AMPLIFYBACKEND_TEST_POSTGRES_URL (a PostgreSQL database)"
)]
async fn apps_and_environments_across_two_servers() {
    let schema = PgSchema::new();
    let one = TestServer::start_with(config_on(schema.url(), Duration::ZERO)).await;
    let two = TestServer::start_with(config_on(schema.url(), Duration::ZERO)).await;
    let (a, b) = (Amplify::new(one.addr()), Amplify::new(two.addr()));

    let app = create_app(&a, json!({ "name": "todo", "tags": { "team": "web" } })).await;
    let id = app["appId"].as_str().unwrap().to_owned();
    assert_eq!(b.get(&format!("/apps/{id}")).await.ok()["app"], app);
    for n in 0..3 {
        create_app(&b, json!({ "name": format!("more{n}") })).await;
    }
    // Pages of one server continue on the other: the token key is the database's.
    let first = a.get("/apps?maxResults=2").await.ok();
    let token = encode_segment(first["nextToken"].as_str().unwrap());
    let second = b
        .get(&format!("/apps?maxResults=2&nextToken={token}"))
        .await
        .ok();
    assert_eq!(second["apps"].as_array().map(Vec::len), Some(2));
    assert!(second.get("nextToken").is_none());

    // Concurrent tag changes on both servers all land.
    let path = format!("/tags/{}", encode_segment(app["appArn"].as_str().unwrap()));
    let mut tasks = Vec::new();
    for n in 0..8 {
        let caller = if n % 2 == 0 { a.clone() } else { b.clone() };
        let path = path.clone();
        tasks.push(tokio::spawn(async move {
            caller
                .post(&path, json!({ "tags": { format!("k{n}"): "v" } }))
                .await
                .ok()
        }));
    }
    for task in tasks {
        task.await.unwrap();
    }
    let tags = a.get(&path).await.ok()["tags"].clone();
    assert_eq!(tags.as_object().map(|t| t.len()), Some(9), "{tags}");

    create_backend(&one.client(), &id, "todo", "dev").await;
    let base = format!("/apps/{id}/backendenvironments");
    b.post(&base, json!({ "environmentName": "staging" }))
        .await
        .ok();
    let backend = one.client().get_backend().app_id(&id).send().await.unwrap();
    assert_eq!(backend.backend_environment_list(), ["dev", "staging"]);
    let listed = b.get(&base).await.ok();
    assert_eq!(
        listed["backendEnvironments"].as_array().map(Vec::len),
        Some(2)
    );
    b.delete(&format!("{base}/staging")).await.ok();
    create_auth(
        &two.client(),
        &id,
        "dev",
        "devauth",
        with_identity_pool(false),
    )
    .await;

    a.delete(&format!("/apps/{id}")).await.ok();
    not_found(two.client().get_backend().app_id(&id).send().await, "app");
    b.get(&format!("/apps/{id}"))
        .await
        .error(404, "NotFoundException");
    assert_eq!(
        schema.count("SELECT count(*) FROM resources")
            + schema.count("SELECT count(*) FROM environments"),
        0
    );
    one.stop().await;
    two.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[cfg_attr(
    not(postgres_tests),
    ignore = "needs AMPLIFYBACKEND_TEST_POSTGRES_URL (a PostgreSQL database)"
)]
async fn a_pending_job_refuses_delete_backend_environment_on_postgres() {
    let schema = PgSchema::new();
    let server = TestServer::start_with(config_on(schema.url(), Duration::from_secs(3600))).await;
    let amplify = Amplify::new(server.addr());
    let id = create_app(&amplify, json!({ "name": "todo" })).await["appId"]
        .as_str()
        .unwrap()
        .to_owned();
    server
        .client()
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
