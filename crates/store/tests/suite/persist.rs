//! What must survive closing and reopening the database.

use super::*;
use amplifybackend_store::{JobQuery, StoreOptions, Token};

async fn open(url: &str) -> Arc<dyn Store> {
    amplifybackend_store::open(url, &StoreOptions::default())
        .await
        .unwrap()
}

pub async fn check_durable_across_reopen(url: &str) {
    let t = fresh_tenant();
    let token = Token {
        app_id: "app1".into(),
        session_id: uid(),
        challenge_code: uid(),
        expires_at_secs: i64::MAX,
    };
    let (done, pending) = {
        let store = open(url).await;
        run(&store, &t, "app1", "dev", create_backend("todo", "dev")).await;
        let done = run(
            &store,
            &t,
            "app1",
            "dev",
            vec![
                put_resource("dev", ResourceKind::Auth, "auth"),
                Change::AddBucket {
                    name: "bucket".into(),
                },
                Change::EnableStudio {
                    backend_manager_app_id: "bm".into(),
                },
            ],
        )
        .await;
        store
            .set_login_auth_config(&t, "app1", Some(json!({ "k": "v" })))
            .await
            .unwrap();
        store.create_token(&t, token.clone()).await.unwrap();
        let changes = vec![put_resource("dev", ResourceKind::Api, "api")];
        let pending = store
            .start_job(
                &t,
                deferred("app1", "dev", "CreateBackendAPI", NOW + 10, changes),
            )
            .await
            .unwrap();
        (done, pending)
    };

    let store = open(url).await;
    let app = store.get_app(&t, "app1").await.unwrap().unwrap();
    assert_eq!(
        (app.app_name.as_str(), app.backend_manager_app_id.as_deref()),
        ("todo", Some("bm"))
    );
    assert_eq!(app.login_auth_config, Some(json!({ "k": "v" })));
    assert_eq!(store.list_environments(&t, "app1").await.unwrap().len(), 1);
    assert_eq!(
        store.list_resources(&t, "app1", "dev").await.unwrap().len(),
        1
    );
    assert_eq!(store.list_buckets(&t).await.unwrap().len(), 1);
    assert_eq!(
        store
            .get_token(&t, "app1", &token.session_id, 0)
            .await
            .unwrap(),
        Some(token)
    );
    assert_eq!(
        store
            .get_job(&t, "app1", "dev", &done.job_id)
            .await
            .unwrap(),
        Some(done)
    );
    let page = store
        .list_jobs(
            &t,
            "app1",
            "dev",
            &JobQuery {
                limit: 25,
                ..JobQuery::default()
            },
        )
        .await
        .unwrap();
    assert_eq!(page.jobs.len(), 3);
    // The deferred job is still pending, still holds its slot, and completes after reopening.
    assert_eq!(store.next_due_at().await.unwrap(), Some(NOW + 10));
    assert!(is_pending_in(
        &store
            .start_job(&t, inline("app1", "dev", "X", vec![]))
            .await,
        "app1",
        "dev"
    ));
    let completed = store.complete_due_jobs(NOW + 10, 10).await.unwrap();
    assert_eq!(
        completed.iter().map(|j| &j.job_id).collect::<Vec<_>>(),
        [&pending.job_id]
    );
    assert_eq!(completed[0].status, JobStatus::Completed);
    assert!(
        store
            .get_resource(&t, "app1", "dev", ResourceKind::Api)
            .await
            .unwrap()
            .is_some()
    );
}

pub async fn check_signing_key_stable_across_reopen(url: &str) {
    let key = open(url).await.token_signing_key().to_vec();
    assert_eq!(key.len(), 32);
    assert_eq!(open(url).await.token_signing_key(), key);
    // Two stores open on one database at once agree too.
    let (a, b) = (open(url).await, open(url).await);
    assert_eq!(a.token_signing_key(), b.token_signing_key());
}
