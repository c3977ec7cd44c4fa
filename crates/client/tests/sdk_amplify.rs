//! The Amplify service as the official AWS SDK for Rust (`aws-sdk-amplify`) sees it: every
//! served operation, the ListApps paginator, the modeled errors, and an operation the server
//! does not serve answered as a client error.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use aws_sdk_amplify::Client;
use aws_sdk_amplify::config::retry::RetryConfig;
use aws_sdk_amplify::config::{BehaviorVersion, Credentials, Region};
use aws_sdk_amplify::error::{ProvideErrorMetadata, SdkError};
use aws_sdk_amplify::operation::RequestId;
use aws_sdk_amplify::types::Platform;
use common::{REGION, TestServer};

fn sdk(server: &TestServer, account: &str) -> Client {
    let config = aws_sdk_amplify::Config::builder()
        .behavior_version(BehaviorVersion::latest())
        .region(Region::new(REGION))
        .endpoint_url(server.endpoint())
        .credentials_provider(Credentials::new(account, "secret", None, None, "test"))
        .retry_config(RetryConfig::disabled())
        .build();
    Client::from_conf(config)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_served_operation() {
    let server = TestServer::start().await;
    let client = sdk(&server, "123412341234");
    let app = client
        .create_app()
        .name("sdk-app")
        .description("from the SDK")
        .environment_variables("STAGE", "dev")
        .tags("team", "blue")
        .send()
        .await
        .unwrap()
        .app
        .unwrap();
    assert_eq!(app.name(), "sdk-app");
    assert_eq!(app.platform(), &Platform::Web);
    assert_eq!(app.repository(), "");
    assert_eq!(
        app.default_domain(),
        format!("{}.amplifyapp.com", app.app_id())
    );
    assert_eq!(
        app.app_arn(),
        format!(
            "arn:aws:amplify:us-east-1:123412341234:apps/{}",
            app.app_id()
        )
    );
    assert!(!app.enable_basic_auth() && !app.enable_branch_auto_build());
    assert!(app.create_time().secs() > 1_600_000_000);
    let id = app.app_id().to_owned();
    let arn = app.app_arn().to_owned();

    let got = client.get_app().app_id(&id).send().await.unwrap();
    assert_eq!(got.app.unwrap().description(), "from the SDK");
    let updated = client
        .update_app()
        .app_id(&id)
        .name("renamed")
        .send()
        .await
        .unwrap()
        .app
        .unwrap();
    assert_eq!(updated.name(), "renamed");
    assert_eq!(updated.create_time(), app.create_time());

    let env = client
        .create_backend_environment()
        .app_id(&id)
        .environment_name("dev")
        .stack_name("stack-dev")
        .deployment_artifacts("bucket-dev")
        .send()
        .await
        .unwrap()
        .backend_environment
        .unwrap();
    assert_eq!(env.environment_name(), "dev");
    assert_eq!(env.stack_name(), Some("stack-dev"));
    assert!(env.backend_environment_arn().starts_with(&arn));
    let got = client
        .get_backend_environment()
        .app_id(&id)
        .environment_name("dev")
        .send()
        .await
        .unwrap()
        .backend_environment
        .unwrap();
    assert_eq!(got, env);
    let listed = client
        .list_backend_environments()
        .app_id(&id)
        .send()
        .await
        .unwrap();
    assert_eq!(listed.backend_environments(), [env]);

    client
        .tag_resource()
        .resource_arn(&arn)
        .tags("a", "1")
        .send()
        .await
        .unwrap();
    client
        .untag_resource()
        .resource_arn(&arn)
        .tag_keys("team")
        .send()
        .await
        .unwrap();
    let tags = client
        .list_tags_for_resource()
        .resource_arn(&arn)
        .send()
        .await
        .unwrap();
    assert_eq!(
        tags.tags().unwrap().iter().collect::<Vec<_>>(),
        [(&"a".to_owned(), &"1".to_owned())]
    );

    client
        .delete_backend_environment()
        .app_id(&id)
        .environment_name("dev")
        .send()
        .await
        .unwrap();
    let deleted = client.delete_app().app_id(&id).send().await.unwrap();
    assert_eq!(deleted.app.unwrap().app_id(), id);
    assert!(client.list_apps().send().await.unwrap().apps().is_empty());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn list_apps_paginator() {
    let server = TestServer::start().await;
    let client = sdk(&server, "567856785678");
    let mut made = Vec::new();
    for i in 0..5 {
        let app = client
            .create_app()
            .name(format!("p{i}"))
            .send()
            .await
            .unwrap();
        made.push(app.app.unwrap().app_id().to_owned());
    }
    let pages: Vec<_> = client
        .list_apps()
        .into_paginator()
        .page_size(2)
        .send()
        .collect::<Result<Vec<_>, _>>()
        .await
        .unwrap();
    assert_eq!(
        pages.iter().map(|p| p.apps().len()).collect::<Vec<_>>(),
        [2, 2, 1]
    );
    let mut listed: Vec<String> = pages
        .iter()
        .flat_map(|p| p.apps().iter().map(|a| a.app_id().to_owned()))
        .collect();
    listed.sort();
    made.sort();
    assert_eq!(listed, made);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn modeled_errors_and_unserved_operations() {
    let server = TestServer::start().await;
    let client = sdk(&server, "909090909090");
    let err = client
        .get_app()
        .app_id("d0000000000000")
        .send()
        .await
        .unwrap_err();
    let SdkError::ServiceError(service) = &err else {
        panic!("{err:?}");
    };
    assert!(service.err().is_not_found_exception(), "{err:?}");
    assert_eq!(service.raw().status().as_u16(), 404);
    assert!(service.err().request_id().is_some());

    let err = client
        .create_backend_environment()
        .app_id("d0000000000000")
        .environment_name("dev")
        .send()
        .await
        .unwrap_err();
    assert!(
        err.as_service_error()
            .is_some_and(|e| e.is_not_found_exception()),
        "{err:?}"
    );

    let app = client
        .create_app()
        .name("dup")
        .send()
        .await
        .unwrap()
        .app
        .unwrap();
    client
        .create_backend_environment()
        .app_id(app.app_id())
        .environment_name("dev")
        .send()
        .await
        .unwrap();
    let err = client
        .create_backend_environment()
        .app_id(app.app_id())
        .environment_name("dev")
        .send()
        .await
        .unwrap_err();
    assert!(
        err.as_service_error()
            .is_some_and(|e| e.is_bad_request_exception()),
        "{err:?}"
    );

    // Branches are not served: a client error that says so, not a 5xx.
    let err = client
        .create_branch()
        .app_id(app.app_id())
        .branch_name("main")
        .send()
        .await
        .unwrap_err();
    let SdkError::ServiceError(service) = &err else {
        panic!("{err:?}");
    };
    let status = service.raw().status().as_u16();
    assert!((400..500).contains(&status), "{status}: {err:?}");
    let message = service.err().message().unwrap_or_default();
    assert!(message.contains("CreateBranch"), "{message}");
}
