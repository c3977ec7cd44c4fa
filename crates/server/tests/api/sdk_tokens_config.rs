//! Studio login challenges (Create/Get/DeleteToken) and backend config
//! (Create/Update/RemoveBackendConfig) through the AWS SDK.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use crate::common::*;
use aws_sdk_amplifybackend::types::LoginAuthConfigReqObj;
use std::time::Duration;

const APP: &str = "d7studioapp";

fn now_secs() -> i64 {
    now_ms() / 1000
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn tokens_live_until_deleted() {
    let server = TestServer::start().await;
    let client = server.client();
    let created = client.create_token().app_id(APP).send().await.unwrap();
    assert_eq!(created.app_id(), Some(APP));
    assert_uuid_v4(created.session_id());
    assert_uuid_v4(created.challenge_code());
    assert_ne!(created.session_id(), created.challenge_code());
    let ttl: i64 = created
        .ttl()
        .expect("ttl")
        .parse()
        .expect("ttl is epoch seconds in a string");
    assert!(
        (ttl - (now_secs() + 600)).abs() <= 5,
        "ttl {ttl} is not now + 10 min"
    );
    let session = created.session_id().unwrap();

    // Fresh codes every time.
    let other = client.create_token().app_id(APP).send().await.unwrap();
    assert_ne!(other.session_id(), created.session_id());
    assert_ne!(other.challenge_code(), created.challenge_code());

    for _ in 0..2 {
        let got = client
            .get_token()
            .app_id(APP)
            .session_id(session)
            .send()
            .await
            .unwrap();
        assert_eq!(got.app_id(), Some(APP));
        assert_eq!(got.session_id(), created.session_id());
        assert_eq!(got.challenge_code(), created.challenge_code());
        assert_eq!(got.ttl(), created.ttl());
    }
    // A session belongs to its app.
    not_found(
        client
            .get_token()
            .app_id("otherapp")
            .session_id(session)
            .send()
            .await,
        "token",
    );

    let deleted = client
        .delete_token()
        .app_id(APP)
        .session_id(session)
        .send()
        .await
        .unwrap();
    assert_eq!(deleted.is_success(), Some(true));
    not_found(
        client
            .get_token()
            .app_id(APP)
            .session_id(session)
            .send()
            .await,
        "token",
    );
    not_found(
        client
            .delete_token()
            .app_id(APP)
            .session_id(session)
            .send()
            .await,
        "token",
    );
    not_found(
        client
            .delete_token()
            .app_id(APP)
            .session_id(uuid::Uuid::new_v4().to_string())
            .send()
            .await,
        "token",
    );
    not_found(
        client
            .get_token()
            .app_id(APP)
            .session_id(uuid::Uuid::new_v4().to_string())
            .send()
            .await,
        "token",
    );
    // The other session is untouched.
    client
        .get_token()
        .app_id(APP)
        .session_id(other.session_id().unwrap())
        .send()
        .await
        .unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn tokens_expire_after_their_ttl() {
    let mut config = base_config();
    config.token_ttl = Duration::from_secs(1);
    let server = TestServer::start_with(config).await;
    let client = server.client();
    let created = client.create_token().app_id(APP).send().await.unwrap();
    let ttl: i64 = created.ttl().unwrap().parse().unwrap();
    assert!((ttl - (now_secs() + 1)).abs() <= 2, "ttl {ttl}");
    let session = created.session_id().unwrap();
    client
        .get_token()
        .app_id(APP)
        .session_id(session)
        .send()
        .await
        .unwrap();
    tokio::time::sleep(Duration::from_millis(2100)).await;
    not_found(
        client
            .get_token()
            .app_id(APP)
            .session_id(session)
            .send()
            .await,
        "token",
    );
    not_found(
        client
            .delete_token()
            .app_id(APP)
            .session_id(session)
            .send()
            .await,
        "token",
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn create_backend_config_files_its_job_under_staging_or_the_first_env() {
    let server = TestServer::start().await;
    let client = server.client();

    // An app this service has not seen: the job goes under `staging` and the app appears.
    let out = client
        .create_backend_config()
        .app_id(APP)
        .backend_manager_app_id(APP)
        .send()
        .await
        .unwrap();
    assert_eq!(out.app_id(), Some(APP));
    assert_eq!(out.backend_environment_name(), Some("staging"));
    assert_eq!(out.status(), Some("COMPLETED"));
    assert_uuid_v4(out.job_id());
    let job = get_job(&client, APP, "staging", out.job_id().unwrap()).await;
    assert_eq!(job.operation(), Some("CreateBackendConfig"));
    assert_eq!(job.status(), Some("COMPLETED"));
    let app = client.get_backend().app_id(APP).send().await.unwrap();
    assert_eq!(app.app_id(), Some(APP));

    // An app with environments: the first of them.
    for env in ["prod", "dev"] {
        create_backend(&client, "otherapp", "other", env).await;
    }
    let out = client
        .create_backend_config()
        .app_id("otherapp")
        .send()
        .await
        .unwrap();
    assert_eq!(out.backend_environment_name(), Some("dev"));
    assert_eq!(out.status(), Some("COMPLETED"));
    let job = get_job(&client, "otherapp", "dev", out.job_id().unwrap()).await;
    assert_eq!(job.operation(), Some("CreateBackendConfig"));
    // The app keeps its name.
    let app = client
        .get_backend()
        .app_id("otherapp")
        .send()
        .await
        .unwrap();
    assert_eq!(app.app_name(), Some("other"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn update_and_remove_backend_config() {
    let server = TestServer::start().await;
    let client = server.client();
    create_backend(&client, APP, "studio", "dev").await;
    client
        .create_backend_config()
        .app_id(APP)
        .backend_manager_app_id("manager1")
        .send()
        .await
        .unwrap();

    let login = LoginAuthConfigReqObj::builder()
        .aws_cognito_identity_pool_id("us-east-1:11111111-2222-4333-8444-555555555555")
        .aws_cognito_region("us-east-1")
        .aws_user_pools_id("us-east-1_AbCdEfGhI")
        .aws_user_pools_web_client_id("webclient123")
        .build();
    let out = client
        .update_backend_config()
        .app_id(APP)
        .login_auth_config(login.clone())
        .send()
        .await
        .unwrap();
    assert_eq!(out.app_id(), Some(APP));
    assert_eq!(out.backend_manager_app_id(), Some("manager1"));
    // Every snake_case member came back: the server read and wrote the wire names.
    assert_eq!(out.login_auth_config(), Some(&login));
    assert_eq!(out.error(), None);

    // A second update replaces the first.
    let login2 = LoginAuthConfigReqObj::builder()
        .aws_cognito_region("eu-west-1")
        .build();
    let out = client
        .update_backend_config()
        .app_id(APP)
        .login_auth_config(login2.clone())
        .send()
        .await
        .unwrap();
    assert_eq!(out.login_auth_config(), Some(&login2));

    let out = client
        .remove_backend_config()
        .app_id(APP)
        .send()
        .await
        .unwrap();
    assert_eq!(out.error(), None);
    // The app itself stays.
    let app = client.get_backend().app_id(APP).send().await.unwrap();
    assert_eq!(app.backend_environment_list(), ["dev"]);

    not_found(
        client
            .update_backend_config()
            .app_id("nosuchapp")
            .login_auth_config(login)
            .send()
            .await,
        "app",
    );
    not_found(
        client
            .remove_backend_config()
            .app_id("nosuchapp")
            .send()
            .await,
        "app",
    );
}
