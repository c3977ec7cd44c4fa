//! The Amplify service's apps and environments: CreateApp, ListApps, UpdateApp and the tag
//! changes, DeleteApp's cascade, CreateBackendEnvironment and DeleteBackendEnvironment.

use super::*;
use amplifybackend_store::{AppUpdate, NewApp, Token};

fn new_app(app_id: &str, name: &str) -> NewApp {
    NewApp {
        app_id: app_id.to_owned(),
        app_name: name.to_owned(),
        created_at_ms: NOW,
        amplify: json!({ "description": "d", "tags": { "team": "a" } }),
    }
}

pub async fn check_amplify_app_lifecycle(store: Arc<dyn Store>) {
    let t = fresh_tenant();
    let app = store
        .create_app(&t, new_app("dapp1", "todo"))
        .await
        .unwrap();
    assert_eq!(
        (
            app.app_id.as_str(),
            app.app_name.as_str(),
            app.created_at_ms
        ),
        ("dapp1", "todo", NOW)
    );
    assert_eq!(
        app.amplify.as_ref().map(|a| a["description"].clone()),
        Some(json!("d"))
    );
    assert_eq!(store.get_app(&t, "dapp1").await.unwrap(), Some(app.clone()));
    let taken = store.create_app(&t, new_app("dapp1", "other")).await;
    assert!(
        matches!(&taken, Err(StoreError::Rule(RuleBroken::AppExists { app_id })) if app_id == "dapp1"),
        "{taken:?}"
    );

    // The same app for AmplifyBackend: CreateBackend with its name adds an environment.
    run(&store, &t, "dapp1", "dev", create_backend("todo", "dev")).await;
    let failure = run_failing(&store, &t, "dapp1", "prod", create_backend("nope", "prod")).await;
    assert!(
        matches!(
            failure,
            JobFailure::Rule(RuleBroken::AppNameMismatch { .. })
        ),
        "{failure:?}"
    );

    let update = AppUpdate {
        app_name: Some("renamed".into()),
        set: json!({ "description": "new", "platform": "WEB_COMPUTE" })
            .as_object()
            .cloned()
            .unwrap_or_default(),
        tag: json!({ "stage": "beta" })
            .as_object()
            .cloned()
            .unwrap_or_default(),
        untag: vec!["team".into()],
    };
    let updated = store.update_app(&t, "dapp1", update).await.unwrap();
    assert_eq!(updated.app_name, "renamed");
    assert_eq!(
        updated.amplify,
        Some(
            json!({ "description": "new", "platform": "WEB_COMPUTE", "tags": { "stage": "beta" } })
        )
    );
    assert_eq!(store.get_app(&t, "dapp1").await.unwrap(), Some(updated));
    let missing = store.update_app(&t, "nope", AppUpdate::default()).await;
    assert!(
        matches!(missing, Err(StoreError::NotFound("app"))),
        "{missing:?}"
    );
}

pub async fn check_list_apps_pages(store: Arc<dyn Store>) {
    let t = fresh_tenant();
    let other = fresh_tenant();
    for id in ["dc", "da", "db"] {
        store.create_app(&t, new_app(id, id)).await.unwrap();
    }
    // An app CreateBackend made is listed too.
    run(&store, &t, "dd", "dev", create_backend("dd", "dev")).await;
    store
        .create_app(&other, new_app("d0", "theirs"))
        .await
        .unwrap();

    let first = store.list_apps(&t, None, 2).await.unwrap();
    let ids = |page: &amplifybackend_store::AppPage| {
        page.apps
            .iter()
            .map(|a| a.app_id.clone())
            .collect::<Vec<_>>()
    };
    assert_eq!(
        (ids(&first), first.more),
        (vec!["da".to_string(), "db".into()], true)
    );
    let second = store.list_apps(&t, Some("db"), 2).await.unwrap();
    assert_eq!(
        (ids(&second), second.more),
        (vec!["dc".to_string(), "dd".into()], false)
    );
    assert_eq!(second.apps[1].amplify, None);
    let all = store.list_apps(&t, None, 10).await.unwrap();
    assert_eq!((all.apps.len(), all.more), (4, false));
    let theirs = store.list_apps(&other, None, 10).await.unwrap();
    assert_eq!(ids(&theirs), ["d0"]);
}

pub async fn check_backend_environments(store: Arc<dyn Store>) {
    let t = fresh_tenant();
    let meta = json!({ "StackName": "amplify-dapp-staging" });
    let missing = store
        .create_environment(&t, "dapp", "staging", meta.clone(), NOW)
        .await;
    assert!(
        matches!(&missing, Err(StoreError::Rule(RuleBroken::AppMissing { app_id })) if app_id == "dapp"),
        "{missing:?}"
    );
    store.create_app(&t, new_app("dapp", "todo")).await.unwrap();
    let env = store
        .create_environment(&t, "dapp", "staging", meta.clone(), NOW + 1)
        .await
        .unwrap();
    assert_eq!(
        (env.app_id.as_str(), env.name.as_str(), env.created_at_ms),
        ("dapp", "staging", NOW + 1)
    );
    let again = store
        .create_environment(&t, "dapp", "staging", meta, NOW)
        .await;
    assert!(
        matches!(&again, Err(StoreError::Rule(RuleBroken::EnvironmentExists { env, .. })) if env == "staging"),
        "{again:?}"
    );
    // AmplifyBackend sees it: a resource can be added, GetBackend lists it.
    run(
        &store,
        &t,
        "dapp",
        "staging",
        vec![put_resource("staging", ResourceKind::Auth, "a")],
    )
    .await;
    let backend = store
        .get_backend(&t, "dapp", Some("staging"))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(backend.environments.len(), 1);
    assert_eq!(backend.resources.len(), 1);

    // A pending job refuses the delete; once it is done the environment goes.
    let pending = store
        .start_job(
            &t,
            deferred("dapp", "staging", "UpdateBackendAuth", NOW + 60_000, vec![]),
        )
        .await
        .unwrap();
    let refused = store.delete_environment(&t, "dapp", "staging").await;
    assert!(
        matches!(&refused, Err(StoreError::Rule(RuleBroken::PendingJob { env, .. })) if env == "staging"),
        "{refused:?}"
    );
    assert!(
        store
            .get_environment(&t, "dapp", "staging")
            .await
            .unwrap()
            .is_some()
    );
    store.complete_due_jobs(NOW + 60_000, 10).await.unwrap();
    let deleted = store
        .delete_environment(&t, "dapp", "staging")
        .await
        .unwrap();
    assert_eq!(deleted.map(|e| e.name), Some("staging".to_string()));
    assert_eq!(
        store.get_environment(&t, "dapp", "staging").await.unwrap(),
        None
    );
    assert_eq!(
        store
            .get_resource(&t, "dapp", "staging", ResourceKind::Auth)
            .await
            .unwrap(),
        None
    );
    // Its jobs stay readable.
    assert!(
        store
            .get_job(&t, "dapp", "staging", &pending.job_id)
            .await
            .unwrap()
            .is_some()
    );
    assert_eq!(
        store
            .delete_environment(&t, "dapp", "staging")
            .await
            .unwrap(),
        None
    );
}

pub async fn check_delete_app_cascades(store: Arc<dyn Store>) {
    let t = fresh_tenant();
    store
        .create_app(&t, new_app("dgone", "todo"))
        .await
        .unwrap();
    run(&store, &t, "dgone", "dev", create_backend("todo", "dev")).await;
    let job = run(
        &store,
        &t,
        "dgone",
        "dev",
        vec![put_resource("dev", ResourceKind::Api, "gql")],
    )
    .await;
    store
        .create_environment(&t, "dgone", "prod", json!({}), NOW)
        .await
        .unwrap();
    let token = Token {
        app_id: "dgone".into(),
        session_id: uid(),
        challenge_code: uid(),
        expires_at_secs: NOW / 1000 + 600,
    };
    store.create_token(&t, token.clone()).await.unwrap();
    // Another app of the tenant keeps everything.
    run(&store, &t, "dkept", "dev", create_backend("kept", "dev")).await;

    let deleted = store.delete_app(&t, "dgone").await.unwrap();
    assert_eq!(deleted.map(|a| a.app_name), Some("todo".to_string()));
    assert_eq!(store.get_app(&t, "dgone").await.unwrap(), None);
    assert!(
        store
            .list_environments(&t, "dgone")
            .await
            .unwrap()
            .is_empty()
    );
    assert!(
        store
            .list_resources(&t, "dgone", "dev")
            .await
            .unwrap()
            .is_empty()
    );
    assert_eq!(
        store
            .get_job(&t, "dgone", "dev", &job.job_id)
            .await
            .unwrap(),
        None
    );
    assert_eq!(
        store
            .get_token(&t, "dgone", &token.session_id, NOW / 1000)
            .await
            .unwrap(),
        None
    );
    assert!(store.get_app(&t, "dkept").await.unwrap().is_some());
    assert_eq!(store.delete_app(&t, "dgone").await.unwrap(), None);
    // The id can be used again.
    store
        .create_app(&t, new_app("dgone", "again"))
        .await
        .unwrap();
    assert!(
        store
            .list_environments(&t, "dgone")
            .await
            .unwrap()
            .is_empty()
    );
}
