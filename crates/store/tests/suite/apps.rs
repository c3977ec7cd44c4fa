//! Apps, environments and resources through jobs; failed changes.

use super::*;

pub async fn check_ping_and_signing_key(store: Arc<dyn Store>) {
    store.ping().await.unwrap();
    assert_eq!(store.token_signing_key().len(), 32);
    assert!(
        store.token_signing_key().iter().any(|b| *b != 0),
        "the key is random"
    );
}

pub async fn check_app_env_resource_lifecycle(store: Arc<dyn Store>) {
    let t = fresh_tenant();
    let app = "app1";
    assert_eq!(store.get_app(&t, app).await.unwrap(), None);

    let create = run(&store, &t, app, "prod", create_backend("todo", "prod")).await;
    let got = store.get_app(&t, app).await.unwrap().unwrap();
    assert_eq!(
        (
            got.app_id.as_str(),
            got.app_name.as_str(),
            got.created_at_ms
        ),
        (app, "todo", NOW)
    );
    assert_eq!(
        (got.backend_manager_app_id, got.login_auth_config),
        (None, None)
    );
    // A second environment under the same app (EnsureApp with the same name is a no-op).
    run(&store, &t, app, "dev", create_backend("todo", "dev")).await;
    let envs = store.list_environments(&t, app).await.unwrap();
    assert_eq!(
        envs.iter().map(|e| e.name.as_str()).collect::<Vec<_>>(),
        ["dev", "prod"]
    );
    let dev = store
        .get_environment(&t, app, "dev")
        .await
        .unwrap()
        .unwrap();
    // The document as it was written, text for text.
    assert_eq!(dev.meta.get(), r#"{"StackName":"amplify-dev"}"#);
    assert_eq!((dev.app_id.as_str(), dev.created_at_ms), (app, NOW));

    // Resources come back in amplify-meta order whatever order they were put in.
    run(
        &store,
        &t,
        app,
        "dev",
        vec![
            put_resource("dev", ResourceKind::Storage, "s3"),
            put_resource("dev", ResourceKind::Api, "gql"),
            put_resource("dev", ResourceKind::Auth, "cognito"),
        ],
    )
    .await;
    let kinds: Vec<_> = store
        .list_resources(&t, app, "dev")
        .await
        .unwrap()
        .iter()
        .map(|r| r.kind)
        .collect();
    assert_eq!(kinds, ResourceKind::ALL);
    let auth = store
        .get_resource(&t, app, "dev", ResourceKind::Auth)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(auth.name, "cognito");
    assert_eq!(
        auth.config,
        json!({ "resourceName": "cognito", "kind": "auth" })
    );
    assert_eq!(auth.outputs, json!({ "Id": "cognito-id" }));
    assert!(!auth.imported);
    assert_eq!(
        (auth.app_id.as_str(), auth.env.as_str(), auth.updated_at_ms),
        (app, "dev", NOW)
    );

    // PutResource replaces the one resource of its kind.
    let later = NOW + 5;
    let replace = Change::PutResource {
        env: "dev".into(),
        kind: ResourceKind::Auth,
        name: "imported".into(),
        config: json!({ "userPoolId": "us-east-1_abc" }),
        outputs: json!({}),
        imported: true,
    };
    let job = store
        .start_job(
            &t,
            NewJob {
                now_ms: later,
                ..inline(app, "dev", "ImportBackendAuth", vec![replace])
            },
        )
        .await
        .unwrap();
    assert_eq!(
        (job.status, job.create_time_ms, job.update_time_ms),
        (JobStatus::Completed, later, later)
    );
    let auth = store
        .get_resource(&t, app, "dev", ResourceKind::Auth)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        (auth.name.as_str(), auth.imported, auth.updated_at_ms),
        ("imported", true, later)
    );
    assert_eq!(store.list_resources(&t, app, "dev").await.unwrap().len(), 3);

    run(
        &store,
        &t,
        app,
        "dev",
        vec![Change::DeleteResource {
            env: "dev".into(),
            kind: ResourceKind::Api,
        }],
    )
    .await;
    assert_eq!(
        store
            .get_resource(&t, app, "dev", ResourceKind::Api)
            .await
            .unwrap(),
        None
    );
    // Deleting what is not there is no failure.
    run(
        &store,
        &t,
        app,
        "dev",
        vec![Change::DeleteResource {
            env: "dev".into(),
            kind: ResourceKind::Api,
        }],
    )
    .await;

    // DeleteEnvironment takes its resources; its jobs stay readable.
    run(
        &store,
        &t,
        app,
        "prod",
        vec![put_resource("prod", ResourceKind::Storage, "s3")],
    )
    .await;
    let delete = run(
        &store,
        &t,
        app,
        "dev",
        vec![Change::DeleteEnvironment { env: "dev".into() }],
    )
    .await;
    assert_eq!(store.get_environment(&t, app, "dev").await.unwrap(), None);
    assert!(
        store
            .list_resources(&t, app, "dev")
            .await
            .unwrap()
            .is_empty()
    );
    assert_eq!(
        store
            .get_resource(&t, app, "dev", ResourceKind::Auth)
            .await
            .unwrap(),
        None
    );
    assert_eq!(
        store
            .get_job(&t, app, "dev", &delete.job_id)
            .await
            .unwrap()
            .unwrap()
            .status,
        JobStatus::Completed
    );
    assert_eq!(
        store.list_resources(&t, app, "prod").await.unwrap().len(),
        1
    );
    // The name is free again.
    run(
        &store,
        &t,
        app,
        "dev",
        vec![Change::CreateEnvironment {
            env: "dev".into(),
            meta: json!({}),
        }],
    )
    .await;
    assert!(
        store
            .list_resources(&t, app, "dev")
            .await
            .unwrap()
            .is_empty()
    );

    // DeleteApp takes everything but the jobs.
    run(&store, &t, app, "prod", vec![Change::DeleteApp]).await;
    assert_eq!(store.get_app(&t, app).await.unwrap(), None);
    assert!(store.list_environments(&t, app).await.unwrap().is_empty());
    assert!(
        store
            .list_resources(&t, app, "prod")
            .await
            .unwrap()
            .is_empty()
    );
    assert!(
        store
            .get_job(&t, app, "prod", &create.job_id)
            .await
            .unwrap()
            .is_some()
    );
    // And the app can be created again, under another name this time.
    run(&store, &t, app, "prod", create_backend("renamed", "prod")).await;
    assert_eq!(
        store.get_app(&t, app).await.unwrap().unwrap().app_name,
        "renamed"
    );
}

/// An inline job started with [`WhenBroken::Refuse`] whose change breaks a rule is
/// answered with the rule as a conflict, and leaves no job and no change behind.
pub async fn check_refused_job_records_nothing(store: Arc<dyn Store>) {
    let t = fresh_tenant();
    let app = "app1";
    let refusing = |env: &str, changes| NewJob {
        when_broken: WhenBroken::Refuse,
        ..inline(app, env, "CreateBackend", changes)
    };
    let job = store
        .start_job(&t, refusing("dev", create_backend("todo", "dev")))
        .await
        .unwrap();
    assert_eq!(job.status, JobStatus::Completed);
    let attempts = [
        (
            "prod",
            create_backend("other-name", "prod"),
            app_named(app, "todo", "other-name"),
        ),
        (
            "prod",
            ensure_app_and_environment("other-name", "prod"),
            app_named(app, "todo", "other-name"),
        ),
        ("dev", create_backend("todo", "dev"), env_exists(app, "dev")),
        (
            "dev",
            ensure_app_and_environment("todo", "dev"),
            env_exists(app, "dev"),
        ),
    ];
    for (env, changes, why) in attempts {
        match store.start_job(&t, refusing(env, changes)).await {
            Err(StoreError::Rule(rule)) => assert_eq!(rule, why),
            other => panic!("{env}: {other:?}"),
        }
        let jobs = store
            .list_jobs(
                &t,
                app,
                env,
                &amplifybackend_store::JobQuery {
                    limit: 10,
                    ..Default::default()
                },
            )
            .await
            .unwrap();
        assert_eq!(jobs.jobs.len(), usize::from(env == "dev"), "{env}");
    }
    assert_eq!(
        store.get_app(&t, app).await.unwrap().unwrap().app_name,
        "todo"
    );
    assert_eq!(store.list_environments(&t, app).await.unwrap().len(), 1);
}

/// A CreateBackend job, which stores write by a shorter path than other jobs, fails and
/// refuses by the same rules as the general changes it stands for (the app, then a new
/// environment).
pub async fn check_create_backend_breaking_a_rule_fails(store: Arc<dyn Store>) {
    let t = fresh_tenant();
    let app = "app1";
    run(&store, &t, app, "dev", create_backend("todo", "dev")).await;
    let named_otherwise = app_named(app, "todo", "other");
    let dev_exists = env_exists(app, "dev");
    let cases = [
        ("prod", "other", &named_otherwise),
        ("dev", "todo", &dev_exists),
        // Both rules broken: the app's is met first.
        ("dev", "other", &named_otherwise),
    ];
    for (env, app_name, why) in cases {
        for changes in [
            create_backend(app_name, env),
            ensure_app_and_environment(app_name, env),
        ] {
            let rule = run_breaking(&store, &t, app, env, changes.clone()).await;
            assert_eq!(&rule, why, "{changes:?}");
        }
    }
    assert_eq!(
        store.get_app(&t, app).await.unwrap().unwrap().app_name,
        "todo"
    );
    let envs = store.list_environments(&t, app).await.unwrap();
    assert_eq!(
        envs.iter().map(|e| e.name.as_str()).collect::<Vec<_>>(),
        ["dev"]
    );

    // A job pending in an environment keeps a CreateBackend out of it, and out of the app.
    let pending = deferred("app2", "dev", "CreateBackendAuth", NOW + 60_000, Vec::new());
    store.start_job(&t, pending).await.unwrap();
    let refused = store
        .start_job(
            &t,
            inline(
                "app2",
                "dev",
                "CreateBackend",
                create_backend("todo", "dev"),
            ),
        )
        .await;
    assert!(is_pending_in(&refused, "app2", "dev"), "{refused:?}");
    assert_eq!(store.get_app(&t, "app2").await.unwrap(), None);

    // Environments of one new app created together: one app, each environment once.
    let started = ["e1", "e2", "e3", "e4"].map(|env| {
        let (store, t) = (store.clone(), t.clone());
        let job = inline("app3", env, "CreateBackend", create_backend("three", env));
        tokio::spawn(async move { store.start_job(&t, job).await })
    });
    for job in started {
        assert_eq!(job.await.unwrap().unwrap().status, JobStatus::Completed);
    }
    assert_eq!(
        store.get_app(&t, "app3").await.unwrap().unwrap().app_name,
        "three"
    );
    assert_eq!(store.list_environments(&t, "app3").await.unwrap().len(), 4);
}

pub async fn check_failed_change_applies_nothing(store: Arc<dyn Store>) {
    let t = fresh_tenant();
    let app = "app1";
    run(&store, &t, app, "dev", create_backend("todo", "dev")).await;

    // Each job starts with changes that would succeed; the last one breaks a rule.
    let partial = || {
        vec![
            put_resource("dev", ResourceKind::Auth, "auth1"),
            Change::AddBucket { name: "bkt".into() },
        ]
    };
    let failing: Vec<Change> = vec![
        Change::EnsureApp {
            app_name: "other-name".into(),
        },
        Change::CreateEnvironment {
            env: "dev".into(),
            meta: json!({}),
        },
        put_resource("nope", ResourceKind::Api, "api1"),
    ];
    for bad in failing {
        let mut changes = partial();
        changes.push(bad.clone());
        let rule = run_breaking(&store, &t, app, "dev", changes).await;
        let expected = match &bad {
            Change::EnsureApp { .. } => app_named(app, "todo", "other-name"),
            Change::CreateEnvironment { .. } => env_exists(app, "dev"),
            _ => env_missing(app, "nope"),
        };
        assert_eq!(rule, expected);
        assert_eq!(
            store
                .get_resource(&t, app, "dev", ResourceKind::Auth)
                .await
                .unwrap(),
            None,
            "after {bad:?}"
        );
        assert!(
            store.list_buckets(&t).await.unwrap().is_empty(),
            "after {bad:?}"
        );
    }
    assert_eq!(
        store.get_app(&t, app).await.unwrap().unwrap().app_name,
        "todo"
    );
    assert_eq!(store.list_environments(&t, app).await.unwrap().len(), 1);

    // EnableStudio needs the app; EnsureApp before it in the same job provides it.
    let rule = run_breaking(
        &store,
        &t,
        "ghost",
        "staging",
        vec![Change::EnableStudio {
            backend_manager_app_id: "x".into(),
        }],
    )
    .await;
    assert_eq!(
        rule,
        RuleBroken::AppMissing {
            app_id: "ghost".into()
        }
    );
    assert_eq!(store.get_app(&t, "ghost").await.unwrap(), None);
    run(
        &store,
        &t,
        "ghost",
        "staging",
        vec![
            Change::EnsureApp {
                app_name: "ghost".into(),
            },
            Change::EnableStudio {
                backend_manager_app_id: "x".into(),
            },
        ],
    )
    .await;
    assert_eq!(
        store
            .get_app(&t, "ghost")
            .await
            .unwrap()
            .unwrap()
            .backend_manager_app_id
            .as_deref(),
        Some("x")
    );

    // A failed job frees its environment's pending-job slot like any finished job.
    assert!(!store.app_has_running_job(&t, app).await.unwrap());
    run(
        &store,
        &t,
        app,
        "dev",
        vec![put_resource("dev", ResourceKind::Auth, "auth1")],
    )
    .await;
}

/// `get_backend` answers exactly what the three reads it stands for answer.
pub async fn check_get_backend(store: Arc<dyn Store>) {
    let t = fresh_tenant();
    let app = "app1";
    assert_eq!(store.get_backend(&t, app, None).await.unwrap(), None);
    for env in ["prod", "Dev", "dev"] {
        run(&store, &t, app, env, create_backend("todo", env)).await;
    }
    store
        .set_login_auth_config(&t, app, Some(json!({ "z": 1, "a": [true, null] })))
        .await
        .unwrap();
    let documents = Change::PutResource {
        env: "dev".to_owned(),
        kind: ResourceKind::Api,
        name: "gql".to_owned(),
        // Nesting, escapes and numbers survive the round trip through the database.
        config: json!({ "zeta": { "b": 1, "a": "é \"q\"" }, "alpha": [1.5, -2, null] }),
        outputs: json!({ "Url": "https://x/graphql" }),
        imported: true,
    };
    run(
        &store,
        &t,
        app,
        "dev",
        vec![put_resource("dev", ResourceKind::Storage, "s3"), documents],
    )
    .await;
    run(
        &store,
        &t,
        app,
        "prod",
        vec![put_resource("prod", ResourceKind::Auth, "cognito")],
    )
    .await;

    let apart = |env: Option<&'static str>| {
        let (store, t) = (store.clone(), t.clone());
        async move {
            let app = store.get_app(&t, "app1").await.unwrap().unwrap();
            let environments = store.list_environments(&t, "app1").await.unwrap();
            let resources = match env {
                Some(env) => store.list_resources(&t, "app1", env).await.unwrap(),
                None => Vec::new(),
            };
            Backend {
                app,
                environments,
                resources,
            }
        }
    };
    let dev = store
        .get_backend(&t, app, Some("dev"))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(dev, apart(Some("dev")).await);
    assert_eq!(
        dev.environments
            .iter()
            .map(|e| e.name.as_str())
            .collect::<Vec<_>>(),
        ["Dev", "dev", "prod"]
    );
    assert_eq!(
        dev.resources.iter().map(|r| r.kind).collect::<Vec<_>>(),
        [ResourceKind::Api, ResourceKind::Storage]
    );
    assert_eq!(
        dev.resources[0].config,
        json!({ "zeta": { "b": 1, "a": "é \"q\"" }, "alpha": [1.5, -2, null] })
    );
    assert_eq!(
        store
            .get_backend(&t, app, Some("prod"))
            .await
            .unwrap()
            .unwrap(),
        apart(Some("prod")).await
    );
    for env in [None, Some("Dev"), Some("staging")] {
        let got = store.get_backend(&t, app, env).await.unwrap().unwrap();
        assert_eq!(got, apart(None).await, "{env:?}");
    }
    assert_eq!(
        store
            .get_backend(&fresh_tenant(), app, Some("dev"))
            .await
            .unwrap(),
        None,
        "another tenant's app"
    );
}
