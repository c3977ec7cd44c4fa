//! `Client::control()` against the real server: fault rules and the request journal,
//! reset, snapshots and manual job progression, and who may use them.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use amplifybackend_client::control::{FaultRule, JobAdvance, JobProgression, Scope};
use amplifybackend_client::model::*;
use amplifybackend_client::{Client, Config, Credentials, Error, MapEnv, RetryConfig};
use amplifybackend_server::credentials::Credential;
use amplifybackend_testkit::base_config;
use common::{Clients, TestServer, app_id, client_for};
use std::time::Duration;

async fn create_backend(client: &Client, app: &str) -> CreateBackendResponse {
    client
        .create_backend(
            CreateBackendRequest::builder()
                .app_id(app)
                .app_name("Control app")
                .backend_environment_name("dev"),
        )
        .await
        .unwrap()
}

#[tokio::test]
async fn retries_ride_through_injected_429s_and_the_journal_shows_them() {
    let server = TestServer::start().await;
    let control = server.client().control();
    let retrying = client_for(
        &server.endpoint(),
        RetryConfig {
            base: Duration::from_millis(1),
            ..RetryConfig::default()
        },
    );
    let app = app_id();
    create_backend(&retrying, &app).await;
    let rules = control
        .add_fault(&FaultRule::error("GetBackend", 429).times(2))
        .await
        .unwrap();
    assert_eq!(rules.len(), 1);
    assert_eq!(
        rules[0].error.as_ref().and_then(|e| e.code.as_deref()),
        Some("TooManyRequestsException")
    );
    let (_, meta) = retrying
        .send_with_meta(GetBackendRequest::builder().app_id(&app).build().unwrap())
        .await
        .unwrap();
    assert_eq!(meta.attempts, 3);
    assert!(control.faults().await.unwrap().is_empty());

    let journal = control.requests(Some(3)).await.unwrap();
    let injected: Vec<bool> = journal.iter().map(|e| e.fault_injected).collect();
    assert_eq!(injected, [false, true, true]);
    assert!(
        journal
            .iter()
            .all(|e| e.operation.as_deref() == Some("GetBackend"))
    );
    assert_eq!(
        journal[1].error_code.as_deref(),
        Some("TooManyRequestsException")
    );
    assert_eq!(journal[0].request_id, meta.request_id.unwrap());
    assert_eq!(control.requests(None).await.unwrap().len(), 4);
}

#[tokio::test]
async fn a_bad_rule_is_a_bad_request_and_changes_nothing() {
    let server = TestServer::start().await;
    let control = server.client().control();
    let kept = FaultRule::error("GetBackend", 504);
    control
        .set_faults(std::slice::from_ref(&kept))
        .await
        .unwrap();
    let bad = FaultRule {
        probability: Some(3.0),
        ..FaultRule::error("GetBackend", 429)
    };
    let err = control.set_faults(&[bad]).await.unwrap_err();
    assert!(
        matches!(&err, Error::BadRequest { message, .. } if message.contains("probability")),
        "{err:?}"
    );
    let listed = control.faults().await.unwrap();
    assert_eq!(listed.len(), 1);
    assert_eq!(listed[0].operation, kept.operation);
    // The injected 504 reaches our client as the modeled error.
    let err = server
        .client()
        .get_backend(GetBackendRequest::builder().app_id("x"))
        .await
        .unwrap_err();
    assert!(matches!(err, Error::GatewayTimeout { .. }), "{err:?}");
    control.clear_faults().await.unwrap();
    assert!(control.faults().await.unwrap().is_empty());
}

#[tokio::test]
async fn reset_export_import_and_manual_jobs() {
    let server = TestServer::start().await;
    let client = server.client();
    let control = client.control();
    let app = app_id();
    create_backend(&client, &app).await;
    let document = control.export_state(&Scope::default()).await.unwrap();
    assert_eq!(document["format"], "amplifybackend-state");
    control.reset(&Scope::default()).await.unwrap();
    let gone = client
        .get_backend(GetBackendRequest::builder().app_id(&app))
        .await
        .unwrap_err();
    assert!(matches!(gone, Error::NotFound { .. }), "{gone:?}");
    control
        .import_state(&Scope::default(), &document)
        .await
        .unwrap();
    client
        .get_backend(GetBackendRequest::builder().app_id(&app))
        .await
        .unwrap();

    control
        .set_job_progression(&JobProgression {
            mode: "manual".into(),
            ..JobProgression::default()
        })
        .await
        .unwrap();
    assert_eq!(control.job_progression().await.unwrap()["mode"], "manual");
    let other = app_id();
    let job = create_backend(&client, &other).await;
    assert_eq!(job.status.as_deref(), Some("RUNNING"));
    let advanced = control
        .advance_job(&JobAdvance {
            app_id: other.clone(),
            backend_environment_name: "dev".into(),
            job_id: job.job_id.clone().unwrap(),
            status: "COMPLETED".into(),
            ..JobAdvance::default()
        })
        .await
        .unwrap();
    assert_eq!(advanced["status"], "COMPLETED");
    client
        .get_backend(GetBackendRequest::builder().app_id(&other))
        .await
        .unwrap();
}

fn signed(server: &TestServer, key: &str, secret: &str) -> Client {
    Client::new(
        Config::builder()
            .env(MapEnv::new())
            .endpoint_url(server.endpoint())
            .region("us-east-1")
            .credentials(Credentials::new(key, secret, None))
            .retry(RetryConfig::disabled())
            .build(),
    )
}

#[tokio::test]
async fn with_credentials_only_admin_keys_may_use_control() {
    let mut config = base_config();
    config.credentials = Some(vec![
        Credential {
            access_key_id: "AKIDADMIN".into(),
            secret_access_key: "admin-secret".into(),
            account_id: "111111111111".into(),
            session_token: None,
            admin: true,
        },
        Credential {
            access_key_id: "AKIDUSER".into(),
            secret_access_key: "user-secret".into(),
            account_id: "222222222222".into(),
            session_token: None,
            admin: false,
        },
    ]);
    let server = TestServer::start_with(config).await;
    let admin = signed(&server, "AKIDADMIN", "admin-secret").control();
    admin
        .add_fault(&FaultRule::error("GetBackend", 429))
        .await
        .unwrap();
    let user = signed(&server, "AKIDUSER", "user-secret");
    let err = user.control().faults().await.unwrap_err();
    assert_eq!(err.code(), Some("AccessDeniedException"), "{err:?}");
    assert_eq!(err.status(), Some(403));
    let err = user.control().reset(&Scope::default()).await.unwrap_err();
    assert_eq!(err.code(), Some("AccessDeniedException"), "{err:?}");
    // A wrong secret fails as on the API; the user's API calls are not control calls.
    let forged = signed(&server, "AKIDADMIN", "not-the-secret").control();
    let err = forged.faults().await.unwrap_err();
    assert_eq!(err.code(), Some("InvalidSignatureException"), "{err:?}");
    let err = user
        .get_backend(GetBackendRequest::builder().app_id("x"))
        .await
        .unwrap_err();
    assert!(matches!(err, Error::TooManyRequests { .. }), "{err:?}");
    let unsigned = reqwest::get(format!("{}/_amplifybackend/faults", server.endpoint()))
        .await
        .unwrap();
    assert_eq!(unsigned.status().as_u16(), 403);
    assert_eq!(admin.faults().await.unwrap().len(), 1);
}
