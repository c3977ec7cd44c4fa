//! Our Amplify client against the real server: every served operation, the ListApps
//! paginator as a `Stream`, the modeled errors as variants, and one app seen by both
//! services' clients.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use amplifybackend_client::model::amplify::*;
use amplifybackend_client::model::{CreateBackendRequest, GetBackendRequest};
use amplifybackend_client::{
    Config, Credentials, Error, MapEnv, ResumeToken, RetryConfig, amplify,
};
use common::{REGION, TestServer};
use futures_util::{StreamExt, TryStreamExt};
use std::collections::BTreeMap;
use std::time::Duration;

/// Our Amplify client of `server` signing as `account`.
fn amplify_client(server: &TestServer, account: &str) -> amplify::Client {
    amplify::Client::new(
        Config::builder()
            .env(MapEnv::new())
            .endpoint_url(server.endpoint())
            .region(REGION)
            .credentials(Credentials::new(account, "secret", None))
            .retry(RetryConfig::disabled())
            .connect_timeout(Duration::from_secs(5))
            .read_timeout(Duration::from_secs(10))
            .build(),
    )
}

async fn create(client: &amplify::Client, name: &str) -> App {
    client
        .create_app(CreateAppRequest::builder().name(name))
        .await
        .unwrap()
        .app
}

#[tokio::test]
async fn apps_environments_and_tags() {
    let server = TestServer::start().await;
    let client = amplify_client(&server, "123456789012");
    let app = client
        .create_app(
            CreateAppRequest::builder()
                .name("client-app")
                .description("from the Rust client")
                .environment_variables(BTreeMap::from([("K".to_owned(), "V".to_owned())]))
                .tags(BTreeMap::from([("team".to_owned(), "blue".to_owned())])),
        )
        .await
        .unwrap()
        .app;
    assert_eq!(app.name, "client-app");
    assert_eq!(app.platform.as_str(), "WEB");
    assert_eq!(app.repository, "");
    assert_eq!(app.default_domain, format!("{}.amplifyapp.com", app.app_id));
    assert_eq!(
        app.app_arn,
        format!("arn:aws:amplify:us-east-1:123456789012:apps/{}", app.app_id)
    );
    assert!(
        app.app_id.starts_with('d') && app.app_id.len() == 14,
        "{}",
        app.app_id
    );
    assert!(!app.enable_basic_auth && !app.enable_branch_auto_build);
    let got = client
        .get_app(GetAppRequest::builder().app_id(&app.app_id))
        .await
        .unwrap();
    assert_eq!(got.app, app);

    let updated = client
        .update_app(
            UpdateAppRequest::builder()
                .app_id(&app.app_id)
                .description("changed"),
        )
        .await
        .unwrap()
        .app;
    assert_eq!(updated.description, "changed");
    assert_eq!(updated.name, "client-app");
    assert_eq!(updated.create_time, app.create_time);

    let env = client
        .create_backend_environment(
            CreateBackendEnvironmentRequest::builder()
                .app_id(&app.app_id)
                .environment_name("dev")
                .stack_name("stack")
                .deployment_artifacts("bucket"),
        )
        .await
        .unwrap()
        .backend_environment;
    assert_eq!(env.environment_name, "dev");
    assert_eq!(env.stack_name.as_deref(), Some("stack"));
    let listed = client
        .list_backend_environments(ListBackendEnvironmentsRequest::builder().app_id(&app.app_id))
        .await
        .unwrap();
    assert_eq!(listed.backend_environments, vec![env.clone()]);
    let got = client
        .get_backend_environment(
            GetBackendEnvironmentRequest::builder()
                .app_id(&app.app_id)
                .environment_name("dev"),
        )
        .await
        .unwrap();
    assert_eq!(got.backend_environment, env);

    client
        .tag_resource(
            TagResourceRequest::builder()
                .resource_arn(&app.app_arn)
                .tags(BTreeMap::from([("a".to_owned(), "1".to_owned())])),
        )
        .await
        .unwrap();
    client
        .untag_resource(
            UntagResourceRequest::builder()
                .resource_arn(&app.app_arn)
                .tag_keys(vec!["team".to_owned()]),
        )
        .await
        .unwrap();
    let tags = client
        .list_tags_for_resource(ListTagsForResourceRequest::builder().resource_arn(&app.app_arn))
        .await
        .unwrap();
    assert_eq!(
        tags.tags,
        Some(BTreeMap::from([("a".to_owned(), "1".to_owned())]))
    );

    client
        .delete_backend_environment(
            DeleteBackendEnvironmentRequest::builder()
                .app_id(&app.app_id)
                .environment_name("dev"),
        )
        .await
        .unwrap();
    client
        .delete_app(DeleteAppRequest::builder().app_id(&app.app_id))
        .await
        .unwrap();
    let gone = client
        .get_app(GetAppRequest::builder().app_id(&app.app_id))
        .await
        .unwrap_err();
    assert!(matches!(gone, Error::NotFound { .. }), "{gone:?}");
    assert_eq!(gone.status(), Some(404));
    assert!(gone.request_id().is_some());
}

#[tokio::test]
async fn list_apps_paginator_is_a_stream_with_resume_tokens() {
    let server = TestServer::start().await;
    let client = amplify_client(&server, "222233334444");
    let mut made = Vec::new();
    for i in 0..7 {
        made.push(create(&client, &format!("p{i}")).await.app_id);
    }
    let pages: Vec<ListAppsResult> = client
        .list_apps_paginator(ListAppsRequest::builder())
        .page_size(3)
        .pages()
        .try_collect()
        .await
        .unwrap();
    let sizes: Vec<usize> = pages.iter().map(|p| p.apps.len()).collect();
    assert_eq!(sizes, [3, 3, 1]);
    assert!(pages.last().unwrap().next_token.is_none());
    let all: Vec<String> = client
        .list_apps_paginator(ListAppsRequest::builder())
        .page_size(2)
        .items()
        .map_ok(|app| app.app_id)
        .try_collect()
        .await
        .unwrap();
    let mut sorted = all.clone();
    sorted.sort();
    made.sort();
    assert_eq!(sorted, made);

    let mut items = client
        .list_apps_paginator(ListAppsRequest::builder())
        .page_size(3)
        .max_items(4)
        .items();
    let mut first = Vec::new();
    while let Some(app) = items.next().await {
        first.push(app.unwrap().app_id);
    }
    assert_eq!(first, all[..4]);
    let token = items.resume_token().unwrap().to_owned();
    assert_eq!(
        ResumeToken::decode_for(&token, "nextToken")
            .unwrap()
            .truncate_amount,
        Some(1)
    );
    let rest = client
        .list_apps_paginator(ListAppsRequest::builder())
        .page_size(3)
        .starting_token(token)
        .build_full_result()
        .await
        .unwrap();
    let rest: Vec<String> = rest.apps.into_iter().map(|a| a.app_id).collect();
    assert_eq!(rest, all[4..]);
}

#[tokio::test]
async fn modeled_errors_are_variants() {
    let server = TestServer::start().await;
    let client = amplify_client(&server, "333344445555");
    let e = client
        .get_app(GetAppRequest::builder().app_id("d0000000000000"))
        .await
        .unwrap_err();
    assert!(matches!(e, Error::NotFound { .. }), "{e:?}");
    assert_eq!(e.code(), Some("NotFoundException"));

    // Without the client's own checks, the server's: a 400 that changes nothing.
    let unchecked = amplify::Client::new(
        Config::builder()
            .env(MapEnv::new())
            .endpoint_url(server.endpoint())
            .region(REGION)
            .credentials(Credentials::new("333344445555", "secret", None))
            .retry(RetryConfig::disabled())
            .validate(false)
            .build(),
    );
    let e = unchecked
        .create_app(CreateAppRequest::builder().name(""))
        .await
        .unwrap_err();
    assert!(matches!(e, Error::BadRequest { .. }), "{e:?}");
    assert_eq!(e.status(), Some(400));
    assert!(!e.message().is_empty());
    let e = unchecked
        .list_apps(ListAppsRequest::builder().max_results(1000))
        .await
        .unwrap_err();
    assert!(matches!(e, Error::BadRequest { .. }), "{e:?}");
    assert!(
        client
            .list_apps(ListAppsRequest::builder())
            .await
            .unwrap()
            .apps
            .is_empty()
    );

    // The client's own checks stop what the model forbids before it is sent.
    let e = client
        .create_app(CreateAppRequest::builder().name(""))
        .await
        .unwrap_err();
    assert!(matches!(e, Error::Validation(_)), "{e:?}");
}

#[tokio::test]
async fn one_app_seen_by_both_clients() {
    let server = TestServer::start().await;
    let account = "444455556666";
    let apps = amplify_client(&server, account);
    let backend = amplifybackend_client::Client::new(
        Config::builder()
            .env(MapEnv::new())
            .endpoint_url(server.endpoint())
            .region(REGION)
            .credentials(Credentials::new(account, "secret", None))
            .retry(RetryConfig::disabled())
            .build(),
    );
    let app = create(&apps, "shared").await;
    backend
        .create_backend(
            CreateBackendRequest::builder()
                .app_id(&app.app_id)
                .app_name("shared")
                .backend_environment_name("dev"),
        )
        .await
        .unwrap();
    let envs = apps
        .list_backend_environments(ListBackendEnvironmentsRequest::builder().app_id(&app.app_id))
        .await
        .unwrap()
        .backend_environments;
    assert_eq!(envs.len(), 1);
    assert_eq!(envs[0].environment_name, "dev");
    assert!(envs[0].stack_name.is_some());

    apps.delete_app(DeleteAppRequest::builder().app_id(&app.app_id))
        .await
        .unwrap();
    let e = backend
        .get_backend(GetBackendRequest::builder().app_id(&app.app_id))
        .await
        .unwrap_err();
    assert!(matches!(e, Error::NotFound { .. }), "{e:?}");
    // The default account's client of the same server sees none of it.
    assert!(
        amplify_client(&server, "AKIDEXAMPLE")
            .list_apps(ListAppsRequest::builder())
            .await
            .unwrap()
            .apps
            .iter()
            .all(|a| a.app_id != app.app_id)
    );
}
