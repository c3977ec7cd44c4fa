//! Environment lifecycle through the AWS SDK: CloneBackend, DeleteBackend,
//! RemoveAllBackends.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use crate::common::*;

const APP: &str = "d1abcdefgh";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn clone_backend_copies_resources_with_new_identifiers() {
    let server = TestServer::start().await;
    let client = server.client();
    create_backend(&client, APP, "myapp", "dev").await;
    create_auth(&client, APP, "dev", "myauth", with_identity_pool(true)).await;
    create_api(&client, APP, "dev", "myapi", api_config(TODO_SCHEMA)).await;
    create_storage(&client, APP, "dev", "mystorage", None).await;

    let out = client
        .clone_backend()
        .app_id(APP)
        .backend_environment_name("dev")
        .target_environment_name("test")
        .send()
        .await
        .unwrap();
    assert_eq!(out.status(), Some("COMPLETED"));
    assert_eq!(out.operation(), Some("CloneBackend"));
    assert_eq!(out.backend_environment_name(), Some("dev"));
    assert_uuid_v4(out.job_id());
    // The clone job belongs to the source environment.
    let job = get_job(&client, APP, "dev", out.job_id().unwrap()).await;
    assert_eq!(job.operation(), Some("CloneBackend"));
    assert_eq!(job.status(), Some("COMPLETED"));
    not_found(
        client
            .get_backend_job()
            .app_id(APP)
            .backend_environment_name("test")
            .job_id(out.job_id().unwrap())
            .send()
            .await,
        "job",
    );

    let app = client.get_backend().app_id(APP).send().await.unwrap();
    assert_eq!(app.backend_environment_list(), ["dev", "test"]);
    let source = amplify_meta(&client, APP, "dev").await;
    let copy = amplify_meta(&client, APP, "test").await;
    assert_ne!(
        source["providers"]["awscloudformation"]["StackName"],
        copy["providers"]["awscloudformation"]["StackName"]
    );
    for (category, name) in [
        ("auth", "myauth"),
        ("api", "myapi"),
        ("storage", "mystorage"),
    ] {
        assert_eq!(
            copy[category][name]["service"], source[category][name]["service"],
            "{copy}"
        );
    }
    let (s, c) = (
        &source["auth"]["myauth"]["output"],
        &copy["auth"]["myauth"]["output"],
    );
    assert!(is_user_pool_id(str_at(c, &["UserPoolId"]), REGION));
    assert_ne!(s["UserPoolId"], c["UserPoolId"]);
    assert_ne!(s["AppClientIDWeb"], c["AppClientIDWeb"]);
    assert_ne!(s["IdentityPoolId"], c["IdentityPoolId"]);
    assert!(is_identity_pool_id(str_at(c, &["IdentityPoolId"]), REGION));
    assert_ne!(
        source["api"]["myapi"]["output"]["GraphQLAPIIdOutput"],
        copy["api"]["myapi"]["output"]["GraphQLAPIIdOutput"]
    );
    let copied_bucket = str_at(&copy, &["storage", "mystorage", "output", "BucketName"]);
    assert!(
        copied_bucket.starts_with("mystorage") && copied_bucket.ends_with("-test"),
        "{copied_bucket}"
    );

    // The configs are copied as they are.
    let src_auth = client
        .get_backend_auth()
        .app_id(APP)
        .backend_environment_name("dev")
        .resource_name("myauth")
        .send()
        .await
        .unwrap();
    let dst_auth = client
        .get_backend_auth()
        .app_id(APP)
        .backend_environment_name("test")
        .resource_name("myauth")
        .send()
        .await
        .unwrap();
    assert_eq!(src_auth.resource_config(), dst_auth.resource_config());
    let src_api = client
        .get_backend_api()
        .app_id(APP)
        .backend_environment_name("dev")
        .resource_name("myapi")
        .send()
        .await
        .unwrap();
    let dst_api = client
        .get_backend_api()
        .app_id(APP)
        .backend_environment_name("test")
        .resource_name("myapi")
        .send()
        .await
        .unwrap();
    assert_eq!(src_api.resource_config(), dst_api.resource_config());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn clone_backend_refuses_existing_targets_and_unknown_sources() {
    let server = TestServer::start().await;
    let client = server.client();
    create_backend(&client, APP, "myapp", "dev").await;
    create_backend(&client, APP, "myapp", "prod").await;
    let clone = |source: &str, target: &str| {
        client
            .clone_backend()
            .app_id(APP)
            .backend_environment_name(source)
            .target_environment_name(target)
            .send()
    };
    bad_request(clone("dev", "prod").await);
    bad_request(clone("dev", "Bad1").await);
    not_found(clone("nosuch", "other").await, "environment");
    let app = client.get_backend().app_id(APP).send().await.unwrap();
    assert_eq!(app.backend_environment_list(), ["dev", "prod"]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn delete_backend_removes_one_environment_and_its_resources() {
    let server = TestServer::start().await;
    let client = server.client();
    create_backend(&client, APP, "myapp", "dev").await;
    create_backend(&client, APP, "myapp", "prod").await;
    create_auth(
        &client,
        APP,
        "dev",
        "myauth",
        user_pool_only(user_pool("pool").build()),
    )
    .await;

    let out = client
        .delete_backend()
        .app_id(APP)
        .backend_environment_name("dev")
        .send()
        .await
        .unwrap();
    assert_eq!(out.status(), Some("COMPLETED"));
    assert_eq!(out.operation(), Some("DeleteBackend"));
    assert_eq!(out.backend_environment_name(), Some("dev"));
    assert_uuid_v4(out.job_id());

    let app = client.get_backend().app_id(APP).send().await.unwrap();
    assert_eq!(app.backend_environment_list(), ["prod"]);
    not_found(
        client
            .get_backend()
            .app_id(APP)
            .backend_environment_name("dev")
            .send()
            .await,
        "environment",
    );
    let f = failure(
        client
            .get_backend_auth()
            .app_id(APP)
            .backend_environment_name("dev")
            .resource_name("myauth")
            .send()
            .await,
    );
    assert_eq!(
        f.code.as_deref(),
        Some("NotFoundException"),
        "{}",
        f.display
    );
    not_found(
        client
            .delete_backend()
            .app_id(APP)
            .backend_environment_name("dev")
            .send()
            .await,
        "environment",
    );

    // The environment can be created again, empty.
    create_backend(&client, APP, "myapp", "dev").await;
    assert!(
        amplify_meta(&client, APP, "dev")
            .await
            .get("auth")
            .is_none()
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn remove_all_backends_keeps_or_cleans_the_app() {
    let server = TestServer::start().await;
    let client = server.client();
    for env in ["dev", "prod"] {
        create_backend(&client, APP, "myapp", env).await;
        create_backend(&client, "otherapp", "other", env).await;
    }
    create_auth(
        &client,
        APP,
        "dev",
        "myauth",
        user_pool_only(user_pool("pool").build()),
    )
    .await;

    let out = client
        .remove_all_backends()
        .app_id(APP)
        .send()
        .await
        .unwrap();
    assert_eq!(out.app_id(), Some(APP));
    assert_eq!(out.operation(), Some("RemoveAllBackends"));
    assert_eq!(out.status(), Some("COMPLETED"));
    assert_uuid_v4(out.job_id());
    let app = client.get_backend().app_id(APP).send().await.unwrap();
    assert_eq!(app.app_name(), Some("myapp"));
    assert!(app.backend_environment_list().is_empty(), "{app:?}");
    not_found(
        client
            .get_backend()
            .app_id(APP)
            .backend_environment_name("dev")
            .send()
            .await,
        "environment",
    );

    let out = client
        .remove_all_backends()
        .app_id("otherapp")
        .clean_amplify_app(true)
        .send()
        .await
        .unwrap();
    assert_eq!(out.status(), Some("COMPLETED"));
    not_found(client.get_backend().app_id("otherapp").send().await, "app");
    // The first app survived the second removal.
    client.get_backend().app_id(APP).send().await.unwrap();
    not_found(
        client
            .remove_all_backends()
            .app_id("nosuchapp")
            .send()
            .await,
        "app",
    );
}
