//! Tenancy: the same app id in two accounts or regions names two unrelated apps.

use super::*;
use amplifybackend_store::{JobQuery, JobUpdate, Token};

pub async fn check_tenancy_isolation(store: Arc<dyn Store>) {
    let a = fresh_tenant();
    let b = fresh_tenant();
    let a_other_region = tenant(&a.account, "eu-west-1");
    let app = "d1a2b3c4d5e6f7";

    run(&store, &a, app, "dev", create_backend("one", "dev")).await;
    let a_job = run(
        &store,
        &a,
        app,
        "dev",
        vec![put_resource("dev", ResourceKind::Auth, "authA")],
    )
    .await;
    run(
        &store,
        &a,
        app,
        "dev",
        vec![Change::AddBucket {
            name: "bucket-a".into(),
        }],
    )
    .await;
    run(
        &store,
        &a,
        app,
        "dev",
        vec![Change::EnableStudio {
            backend_manager_app_id: "bm".into(),
        }],
    )
    .await;
    let token = Token {
        app_id: app.into(),
        session_id: uid(),
        challenge_code: uid(),
        expires_at_secs: i64::MAX,
    };
    store.create_token(&a, token.clone()).await.unwrap();
    let running = store
        .start_job(
            &a,
            deferred(app, "dev", "UpdateBackendAuth", NOW + 10_000, vec![]),
        )
        .await
        .unwrap();

    // The same app id elsewhere is another app: another name is fine, and it has its own
    // pending-job slot.
    run(&store, &b, app, "dev", create_backend("two", "dev")).await;
    assert_eq!(
        store.get_app(&a, app).await.unwrap().unwrap().app_name,
        "one"
    );
    assert_eq!(
        store.get_app(&b, app).await.unwrap().unwrap().app_name,
        "two"
    );

    for other in [&b, &a_other_region] {
        let has_app = other == &b;
        assert_eq!(store.get_app(other, app).await.unwrap().is_some(), has_app);
        if let Some(app) = store.get_app(other, app).await.unwrap() {
            assert_eq!(app.backend_manager_app_id, None);
        }
        assert_eq!(
            store.list_environments(other, app).await.unwrap().len(),
            usize::from(has_app)
        );
        assert_eq!(
            store
                .get_environment(other, app, "dev")
                .await
                .unwrap()
                .is_some(),
            has_app
        );
        assert_eq!(
            store
                .get_resource(other, app, "dev", ResourceKind::Auth)
                .await
                .unwrap(),
            None
        );
        assert!(
            store
                .list_resources(other, app, "dev")
                .await
                .unwrap()
                .is_empty()
        );
        assert_eq!(
            store
                .get_job(other, app, "dev", &a_job.job_id)
                .await
                .unwrap(),
            None
        );
        assert_eq!(
            store
                .get_job(other, app, "dev", &running.job_id)
                .await
                .unwrap(),
            None
        );
        let page = store
            .list_jobs(
                other,
                app,
                "dev",
                &JobQuery {
                    limit: 25,
                    ..JobQuery::default()
                },
            )
            .await
            .unwrap();
        assert_eq!(page.jobs.len(), usize::from(has_app));
        assert!(!store.app_has_running_job(other, app).await.unwrap());
        assert_eq!(
            store
                .get_token(other, app, &token.session_id, 0)
                .await
                .unwrap(),
            None
        );
        assert!(
            !store
                .delete_token(other, app, &token.session_id, 0)
                .await
                .unwrap()
        );
        assert!(store.list_buckets(other).await.unwrap().is_empty());
        let update = JobUpdate {
            app_id: app.into(),
            env: "dev".into(),
            job_id: running.job_id.clone(),
            operation: Some("Hijacked".into()),
            status: Some(JobStatus::Failed),
            now_ms: NOW,
        };
        assert!(matches!(
            store.update_job(other, update).await,
            Err(StoreError::NotFound(_))
        ));
    }
    let c = &a_other_region;
    assert!(matches!(
        store.set_login_auth_config(c, app, Some(json!({}))).await,
        Err(StoreError::NotFound(_))
    ));
    assert!(matches!(
        store.remove_backend_config(c, app).await,
        Err(StoreError::NotFound(_))
    ));
    // Another tenant's job on the same app/env does not block this one.
    store
        .start_job(
            &b,
            deferred(app, "dev", "UpdateBackendAuth", NOW + 10_000, vec![]),
        )
        .await
        .unwrap();
    store
        .start_job(c, inline(app, "dev", "CreateBackend", vec![]))
        .await
        .unwrap();

    // Tenant A still has everything.
    assert_eq!(
        store
            .get_app(&a, app)
            .await
            .unwrap()
            .unwrap()
            .backend_manager_app_id
            .as_deref(),
        Some("bm")
    );
    assert!(
        store
            .get_resource(&a, app, "dev", ResourceKind::Auth)
            .await
            .unwrap()
            .is_some()
    );
    assert_eq!(
        store
            .get_token(&a, app, &token.session_id, 0)
            .await
            .unwrap(),
        Some(token)
    );
    assert_eq!(store.list_buckets(&a).await.unwrap().len(), 1);
    assert!(store.app_has_running_job(&a, app).await.unwrap());
    let running_now = store
        .get_job(&a, app, "dev", &running.job_id)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(running_now.status, JobStatus::Running);
    assert_eq!(running_now.operation, "UpdateBackendAuth");
}
