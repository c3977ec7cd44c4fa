//! The generated methods of `amplify::Client` against the real server: signed for
//! `amplify`, query-string members (`maxResults`, `tagKeys`) sent as the model binds them,
//! epoch-second timestamps decoded, modeled errors typed.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use amplifybackend_client::amplify::Client;
use amplifybackend_client::model::amplify::{
    CreateAppRequest, CreateBackendEnvironmentRequest, GetAppRequest, ListAppsRequest,
    ListTagsForResourceRequest, Platform, TagResourceRequest, UntagResourceRequest,
};
use amplifybackend_client::{Config, Credentials, Error, MapEnv, RetryConfig};
use amplifybackend_testkit::TestServer;
use std::collections::BTreeMap;

fn client(server: &TestServer) -> Client {
    Client::new(
        Config::builder()
            .env(MapEnv::new())
            .endpoint_url(server.endpoint())
            .region("us-east-1")
            .credentials(Credentials::new("AKIDEXAMPLE", "secret", None))
            .retry(RetryConfig::disabled())
            .build(),
    )
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn generated_methods_reach_the_server() {
    let server = TestServer::start().await;
    let amplify = client(&server);
    let mut ids = Vec::new();
    for name in ["one", "two", "three"] {
        let created = amplify
            .create_app(
                CreateAppRequest::builder()
                    .name(name)
                    .tags(BTreeMap::from([("team".to_owned(), "web".to_owned())])),
            )
            .await
            .unwrap();
        assert_eq!(created.app.platform, Platform::Web);
        assert!(
            created.app.create_time > 1.6e9,
            "{}",
            created.app.create_time
        );
        ids.push(created.app.app_id);
    }
    let page = amplify
        .list_apps(ListAppsRequest::builder().max_results(2))
        .await
        .unwrap();
    assert_eq!(page.apps.len(), 2);
    let rest = amplify
        .list_apps(ListAppsRequest::builder().set_next_token(page.next_token))
        .await
        .unwrap();
    assert_eq!((rest.apps.len(), rest.next_token), (1, None));

    let arn = format!("arn:aws:amplify:us-east-1:000000000000:apps/{}", ids[0]);
    amplify
        .tag_resource(
            TagResourceRequest::builder()
                .resource_arn(&arn)
                .tags(BTreeMap::from([("stage".to_owned(), "beta".to_owned())])),
        )
        .await
        .unwrap();
    amplify
        .untag_resource(
            UntagResourceRequest::builder()
                .resource_arn(&arn)
                .tag_keys(vec!["team".to_owned(), "none".to_owned()]),
        )
        .await
        .unwrap();
    let tags = amplify
        .list_tags_for_resource(ListTagsForResourceRequest::builder().resource_arn(&arn))
        .await
        .unwrap();
    assert_eq!(
        tags.tags,
        Some(BTreeMap::from([("stage".to_owned(), "beta".to_owned())]))
    );
    let env = amplify
        .create_backend_environment(
            CreateBackendEnvironmentRequest::builder()
                .app_id(&ids[0])
                .environment_name("dev"),
        )
        .await
        .unwrap();
    assert!(
        env.backend_environment
            .backend_environment_arn
            .ends_with("/backendenvironments/dev")
    );

    let missing = amplify
        .get_app(GetAppRequest::builder().app_id("dnosuchapp"))
        .await;
    assert!(
        matches!(missing, Err(Error::NotFound { .. })),
        "{missing:?}"
    );
    server.stop().await;
}
