//! Restart durability in-process: state written through one server is read back, intact,
//! through a new server on the same SQLite file.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use crate::common::*;
use amplifybackend_testkit::TempDir;
use aws_sdk_amplifybackend::Client;
use aws_sdk_amplifybackend::types::BackendApiResourceConfig;
use std::time::Duration;

const APP: &str = "d9durable";

/// Reads every page of `env` from `token` on, `page` jobs per page.
async fn ids_from(client: &Client, env: &str, page: i32, mut token: Option<String>) -> Vec<String> {
    let mut ids = Vec::new();
    loop {
        let out = client
            .list_backend_jobs()
            .app_id(APP)
            .backend_environment_name(env)
            .max_results(page)
            .set_next_token(token.take())
            .send()
            .await
            .unwrap();
        ids.extend(out.jobs().iter().map(|j| j.job_id().unwrap().to_owned()));
        match out.next_token() {
            Some(t) => token = Some(t.to_owned()),
            None => return ids,
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn everything_survives_a_restart() {
    let dir = TempDir::new("durability");
    let url = dir.database_url();
    assert!(url.starts_with("sqlite:///"), "{url}");

    // --- before ---------------------------------------------------------------------
    let server = TestServer::start_with(config_on(&url, Duration::ZERO)).await;
    let client = server.client();
    let tenant_b = server.client_for("222222222222", "eu-west-1");
    create_backend(&client, APP, "durable", "dev").await;
    create_backend(&client, APP, "durable", "prod").await;
    create_auth(&client, APP, "dev", "myauth", with_identity_pool(true)).await;
    create_api(&client, APP, "dev", "myapi", api_config(TODO_SCHEMA)).await;
    create_storage(&client, APP, "dev", "mystorage", None).await;
    for i in 0..8 {
        client
            .update_backend_api()
            .app_id(APP)
            .backend_environment_name("dev")
            .resource_name("myapi")
            .resource_config(
                BackendApiResourceConfig::builder()
                    .api_name(format!("name{i}"))
                    .build(),
            )
            .send()
            .await
            .unwrap();
    }
    create_backend(&tenant_b, APP, "tenantb", "dev").await;
    let token = client.create_token().app_id(APP).send().await.unwrap();
    client
        .create_backend_config()
        .app_id(APP)
        .backend_manager_app_id("mgr")
        .send()
        .await
        .unwrap();

    let app_before = client.get_backend().app_id(APP).send().await.unwrap();
    let meta_before = client
        .get_backend()
        .app_id(APP)
        .backend_environment_name("dev")
        .send()
        .await
        .unwrap();
    let auth_before = client
        .get_backend_auth()
        .app_id(APP)
        .backend_environment_name("dev")
        .resource_name("myauth")
        .send()
        .await
        .unwrap();
    let api_before = client
        .get_backend_api()
        .app_id(APP)
        .backend_environment_name("dev")
        .resource_name("myapi")
        .send()
        .await
        .unwrap();
    let storage_before = client
        .get_backend_storage()
        .app_id(APP)
        .backend_environment_name("dev")
        .resource_name("mystorage")
        .send()
        .await
        .unwrap();
    let buckets_before = client.list_s3_buckets().send().await.unwrap();
    let all_ids = ids_from(&client, "dev", 25, None).await;
    assert_eq!(all_ids.len(), 1 + 1 + 1 + 1 + 8 + 1, "{all_ids:?}");
    let mut jobs_before = Vec::new();
    for id in &all_ids {
        jobs_before.push(get_job(&client, APP, "dev", id).await);
    }
    let first_page = client
        .list_backend_jobs()
        .app_id(APP)
        .backend_environment_name("dev")
        .max_results(4)
        .send()
        .await
        .unwrap();
    let old_token = first_page.next_token().expect("a nextToken").to_owned();
    let filtered = client
        .list_backend_jobs()
        .app_id(APP)
        .backend_environment_name("dev")
        .operation("UpdateBackendAPI")
        .max_results(3)
        .send()
        .await
        .unwrap();
    let old_filtered_token = filtered.next_token().expect("a nextToken").to_owned();

    server.stop().await;

    // --- after ----------------------------------------------------------------------
    let server = TestServer::start_with(config_on(&url, Duration::ZERO)).await;
    let client = server.client();
    let tenant_b = server.client_for("222222222222", "eu-west-1");

    let app_after = client.get_backend().app_id(APP).send().await.unwrap();
    assert_eq!(app_after.app_name(), app_before.app_name());
    assert_eq!(app_after.backend_environment_list(), ["dev", "prod"]);
    let meta_after = client
        .get_backend()
        .app_id(APP)
        .backend_environment_name("dev")
        .send()
        .await
        .unwrap();
    assert_eq!(
        meta_after.amplify_meta_config(),
        meta_before.amplify_meta_config()
    );
    assert_eq!(
        meta_after.amplify_feature_flags(),
        meta_before.amplify_feature_flags()
    );
    let auth_after = client
        .get_backend_auth()
        .app_id(APP)
        .backend_environment_name("dev")
        .resource_name("myauth")
        .send()
        .await
        .unwrap();
    assert_eq!(auth_after.resource_config(), auth_before.resource_config());
    let api_after = client
        .get_backend_api()
        .app_id(APP)
        .backend_environment_name("dev")
        .resource_name("myapi")
        .send()
        .await
        .unwrap();
    assert_eq!(api_after.resource_config(), api_before.resource_config());
    assert_eq!(
        api_after.resource_config().unwrap().api_name(),
        Some("name7")
    );
    let storage_after = client
        .get_backend_storage()
        .app_id(APP)
        .backend_environment_name("dev")
        .resource_name("mystorage")
        .send()
        .await
        .unwrap();
    assert_eq!(
        storage_after.resource_config(),
        storage_before.resource_config()
    );
    assert_eq!(
        client.list_s3_buckets().send().await.unwrap().buckets(),
        buckets_before.buckets()
    );
    assert_eq!(
        tenant_b
            .get_backend()
            .app_id(APP)
            .send()
            .await
            .unwrap()
            .app_name(),
        Some("tenantb")
    );

    let got = client
        .get_token()
        .app_id(APP)
        .session_id(token.session_id().unwrap())
        .send()
        .await
        .unwrap();
    assert_eq!(got.challenge_code(), token.challenge_code());
    assert_eq!(got.ttl(), token.ttl());

    for before in &jobs_before {
        let after = get_job(&client, APP, "dev", before.job_id().unwrap()).await;
        assert_eq!(after.status(), before.status());
        assert_eq!(after.operation(), before.operation());
        assert_eq!(after.create_time(), before.create_time());
        assert_eq!(after.update_time(), before.update_time());
    }
    assert_eq!(ids_from(&client, "dev", 25, None).await, all_ids);
    // Page tokens issued before the restart still work, and still bind their query.
    assert_eq!(
        ids_from(&client, "dev", 4, Some(old_token.clone())).await,
        all_ids[4..]
    );
    let mut rest = Vec::new();
    let mut token = Some(old_filtered_token);
    while let Some(t) = token.take() {
        let out = client
            .list_backend_jobs()
            .app_id(APP)
            .backend_environment_name("dev")
            .operation("UpdateBackendAPI")
            .max_results(3)
            .next_token(t)
            .send()
            .await
            .unwrap();
        rest.extend(out.jobs().iter().map(|j| j.job_id().unwrap().to_owned()));
        token = out.next_token().map(str::to_owned);
    }
    assert_eq!(rest.len(), 5, "8 updates, 3 read before the restart");
    bad_request(
        client
            .list_backend_jobs()
            .app_id(APP)
            .backend_environment_name("prod")
            .max_results(4)
            .next_token(old_token)
            .send()
            .await,
    );

    // And the new server keeps writing.
    create_storage(&client, APP, "prod", "more", None).await;
    assert_eq!(
        client
            .list_s3_buckets()
            .send()
            .await
            .unwrap()
            .buckets()
            .len(),
        2
    );
    server.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_running_job_completes_after_a_restart() {
    let dir = TempDir::new("durability-job");
    let url = dir.database_url();
    let slow = Duration::from_millis(300);

    let server = TestServer::start_with(config_on(&url, slow)).await;
    let client = server.client();
    let out = client
        .create_backend()
        .app_id(APP)
        .app_name("durable")
        .backend_environment_name("dev")
        .send()
        .await
        .unwrap();
    wait_for_job(
        &client,
        APP,
        "dev",
        out.job_id().unwrap(),
        Duration::from_secs(5),
    )
    .await;
    let out = client
        .create_backend_auth()
        .app_id(APP)
        .backend_environment_name("dev")
        .resource_name("myauth")
        .resource_config(user_pool_only(user_pool("pool").build()))
        .send()
        .await
        .unwrap();
    assert_eq!(out.status(), Some("RUNNING"));
    let job_id = out.job_id().unwrap().to_owned();
    server.stop().await;

    let server = TestServer::start_with(config_on(&url, slow)).await;
    let client = server.client();
    let job = wait_for_job(&client, APP, "dev", &job_id, Duration::from_secs(5)).await;
    assert_eq!(job.status(), Some("COMPLETED"), "{job:?}");
    assert!(amplify_meta(&client, APP, "dev").await["auth"]["myauth"].is_object());
    server.stop().await;
}
