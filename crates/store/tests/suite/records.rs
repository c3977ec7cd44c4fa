//! Buckets, backend config (Studio) and tokens.

use super::*;
use amplifybackend_store::Token;

pub async fn check_buckets(store: Arc<dyn Store>) {
    let t = fresh_tenant();
    assert!(store.list_buckets(&t).await.unwrap().is_empty());
    run(&store, &t, "app1", "dev", create_backend("todo", "dev")).await;
    run(
        &store,
        &t,
        "app1",
        "dev",
        vec![
            put_resource("dev", ResourceKind::Storage, "s3"),
            Change::AddBucket {
                name: "zeta-123456-dev".into(),
            },
        ],
    )
    .await;
    // Recording a known bucket again keeps its first creation time.
    let job = inline(
        "app2",
        "dev",
        "ImportBackendStorage",
        vec![
            Change::AddBucket {
                name: "alpha".into(),
            },
            Change::AddBucket {
                name: "zeta-123456-dev".into(),
            },
        ],
    );
    store
        .start_job(
            &t,
            NewJob {
                now_ms: NOW + 1000,
                ..job
            },
        )
        .await
        .unwrap();
    let buckets = store.list_buckets(&t).await.unwrap();
    let listed: Vec<_> = buckets
        .iter()
        .map(|b| (b.name.as_str(), b.created_at_ms))
        .collect();
    assert_eq!(listed, [("alpha", NOW + 1000), ("zeta-123456-dev", NOW)]);
    // Buckets are retained when their storage, environment or app goes.
    run(
        &store,
        &t,
        "app1",
        "dev",
        vec![Change::DeleteResource {
            env: "dev".into(),
            kind: ResourceKind::Storage,
        }],
    )
    .await;
    run(
        &store,
        &t,
        "app1",
        "dev",
        vec![
            Change::DeleteEnvironment { env: "dev".into() },
            Change::DeleteApp,
        ],
    )
    .await;
    assert_eq!(store.list_buckets(&t).await.unwrap(), buckets);
}

pub async fn check_backend_config(store: Arc<dyn Store>) {
    let t = fresh_tenant();
    let app = "app1";
    assert!(matches!(
        store.set_login_auth_config(&t, app, Some(json!({}))).await,
        Err(StoreError::NotFound("app"))
    ));
    assert!(matches!(
        store.remove_backend_config(&t, app).await,
        Err(StoreError::NotFound("app"))
    ));

    run(
        &store,
        &t,
        app,
        "staging",
        vec![
            Change::EnsureApp {
                app_name: app.into(),
            },
            Change::EnableStudio {
                backend_manager_app_id: "bm-1".into(),
            },
        ],
    )
    .await;
    let config =
        json!({ "awsCognitoIdentityPoolId": "us-east-1:x", "awsCognitoRegion": "us-east-1" });
    let updated = store
        .set_login_auth_config(&t, app, Some(config.clone()))
        .await
        .unwrap();
    assert_eq!(updated.login_auth_config.as_ref(), Some(&config));
    assert_eq!(updated.backend_manager_app_id.as_deref(), Some("bm-1"));
    assert_eq!(updated.app_name, app);
    assert_eq!(store.get_app(&t, app).await.unwrap(), Some(updated));

    let cleared = store.set_login_auth_config(&t, app, None).await.unwrap();
    assert_eq!(cleared.login_auth_config, None);
    store
        .set_login_auth_config(&t, app, Some(config))
        .await
        .unwrap();

    store.remove_backend_config(&t, app).await.unwrap();
    let got = store.get_app(&t, app).await.unwrap().unwrap();
    assert_eq!(
        (got.backend_manager_app_id, got.login_auth_config),
        (None, None)
    );
    // Removing twice is fine: the app is still there.
    store.remove_backend_config(&t, app).await.unwrap();
}

pub async fn check_tokens(store: Arc<dyn Store>) {
    let t = fresh_tenant();
    let now = 1_700_000_000;
    let token = Token {
        app_id: "app1".into(),
        session_id: uid(),
        challenge_code: uid(),
        expires_at_secs: now + 600,
    };
    store.create_token(&t, token.clone()).await.unwrap();
    let taken = store.create_token(&t, token.clone()).await;
    assert!(
        matches!(
            &taken,
            Err(StoreError::Rule(RuleBroken::TokenSessionTaken { app_id, session_id }))
                if app_id == "app1" && *session_id == token.session_id
        ),
        "session ids are unique: {taken:?}"
    );

    let got = store
        .get_token(&t, "app1", &token.session_id, now)
        .await
        .unwrap();
    assert_eq!(got.as_ref(), Some(&token));
    assert_eq!(
        store
            .get_token(&t, "app1", &token.session_id, now + 599)
            .await
            .unwrap()
            .as_ref(),
        Some(&token)
    );
    // At its expiry second it is gone.
    assert_eq!(
        store
            .get_token(&t, "app1", &token.session_id, now + 600)
            .await
            .unwrap(),
        None
    );
    assert_eq!(
        store
            .get_token(&t, "app2", &token.session_id, now)
            .await
            .unwrap(),
        None
    );
    assert_eq!(
        store.get_token(&t, "app1", "unknown", now).await.unwrap(),
        None
    );
    assert!(
        !store
            .delete_token(&t, "app1", &token.session_id, now + 600)
            .await
            .unwrap()
    );

    let other = Token {
        session_id: uid(),
        ..token.clone()
    };
    store.create_token(&t, other.clone()).await.unwrap();
    assert!(
        store
            .delete_token(&t, "app1", &other.session_id, now)
            .await
            .unwrap()
    );
    assert!(
        !store
            .delete_token(&t, "app1", &other.session_id, now)
            .await
            .unwrap()
    );
    assert_eq!(
        store
            .get_token(&t, "app1", &other.session_id, now)
            .await
            .unwrap(),
        None
    );
    assert!(
        !store
            .delete_token(&t, "app1", "unknown", now)
            .await
            .unwrap()
    );
}

fn models(resource: &str, sha: &str) -> ApiModels {
    ApiModels {
        resource_name: resource.into(),
        models: format!("export const schema = {{}}; // {sha}"),
        model_introspection: format!("{{\"version\":1,\"sha\":\"{sha}\"}}"),
        schema_sha256: sha.into(),
    }
}

pub async fn check_api_models(store: Arc<dyn Store>) {
    let t = fresh_tenant();
    let other = fresh_tenant();
    run(&store, &t, "app1", "dev", create_backend("todo", "dev")).await;
    assert_eq!(store.get_api_models(&t, "app1", "dev").await.unwrap(), None);
    let put = |sha: &str| Change::PutApiModels {
        env: "dev".into(),
        models: models("api1", sha),
    };
    run(&store, &t, "app1", "dev", vec![put("aaa")]).await;
    assert_eq!(
        store.get_api_models(&t, "app1", "dev").await.unwrap(),
        Some(models("api1", "aaa"))
    );
    assert_eq!(
        store.get_api_models(&other, "app1", "dev").await.unwrap(),
        None
    );
    run(&store, &t, "app1", "dev", vec![put("bbb")]).await;
    assert_eq!(
        store.get_api_models(&t, "app1", "dev").await.unwrap(),
        Some(models("api1", "bbb"))
    );

    // A Fail change fails the job with its sentence and applies nothing before it.
    let error = run_failing(
        &store,
        &t,
        "app1",
        "dev",
        vec![
            put("ccc"),
            Change::Fail {
                error: "The schema is wrong (line 3, column 8).".into(),
            },
        ],
    )
    .await;
    assert_eq!(
        error,
        JobFailure::Message {
            text: "The schema is wrong (line 3, column 8).".into()
        }
    );
    assert_eq!(
        store.get_api_models(&t, "app1", "dev").await.unwrap(),
        Some(models("api1", "bbb"))
    );

    // Models need their environment, and go with it.
    let rule = run_breaking(
        &store,
        &t,
        "app1",
        "prod",
        vec![Change::PutApiModels {
            env: "prod".into(),
            models: models("api1", "x"),
        }],
    )
    .await;
    assert_eq!(rule, env_missing("app1", "prod"));
    run(
        &store,
        &t,
        "app1",
        "dev",
        vec![Change::DeleteEnvironment { env: "dev".into() }],
    )
    .await;
    assert_eq!(store.get_api_models(&t, "app1", "dev").await.unwrap(), None);
}
