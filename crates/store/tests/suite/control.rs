//! Test control: export, import and reset of a scope's state, and jobs advanced by hand.

use super::*;
use amplifybackend_store::{ImportWhen, JobAdvance, JobQuery, NEVER_DUE, Scope, Snapshot, Token};

fn scope_of(t: &Tenant) -> Scope {
    Scope {
        account: Some(t.account.clone()),
        region: Some(t.region.clone()),
    }
}

/// A job that waits for [`Store::advance_job`].
fn manual(app_id: &str, env: &str, operation: &str, changes: Vec<Change>) -> NewJob {
    deferred(app_id, env, operation, NEVER_DUE, changes)
}

fn advance(job: &Job, outcome: Result<(), String>, now_ms: i64) -> JobAdvance {
    JobAdvance {
        app_id: job.app_id.clone(),
        env: job.env.clone(),
        job_id: job.job_id.clone(),
        outcome,
        now_ms,
    }
}

/// Everything a client could read of the tenant's app `app1` (and its environments).
async fn reads(store: &Arc<dyn Store>, t: &Tenant) -> String {
    let mut seen = Vec::new();
    seen.push(format!(
        "{:?}",
        store.get_backend(t, "app1", Some("dev")).await.unwrap()
    ));
    for env in ["dev", "prod"] {
        seen.push(format!(
            "{:?}",
            store.list_resources(t, "app1", env).await.unwrap()
        ));
        seen.push(format!(
            "{:?}",
            store.get_api_models(t, "app1", env).await.unwrap()
        ));
        let all = JobQuery {
            limit: 100,
            ..JobQuery::default()
        };
        let page = store.list_jobs(t, "app1", env, &all).await.unwrap();
        seen.push(format!("{:?}", page.jobs));
        // Page cursors too: the jobs keep their places in the order.
        let first = JobQuery {
            limit: 2,
            ..JobQuery::default()
        };
        let page = store.list_jobs(t, "app1", env, &first).await.unwrap();
        seen.push(format!("{page:?}"));
    }
    seen.push(format!("{:?}", store.list_buckets(t).await.unwrap()));
    seen.push(format!(
        "{:?}",
        store.get_token(t, "app1", "s1", 0).await.unwrap()
    ));
    seen.join("\n")
}

/// A tenant's state of every kind: resources, models, Studio, tokens, buckets, and jobs
/// COMPLETED, FAILED, RUNNING until due and RUNNING until advanced.
async fn fill(store: &Arc<dyn Store>, t: &Tenant) -> (Job, Job) {
    run(store, t, "app1", "dev", create_backend("todo", "dev")).await;
    run(
        store,
        t,
        "app1",
        "prod",
        vec![Change::CreateEnvironment {
            env: "prod".into(),
            meta: json!({"StackName": "amplify-prod", "Nested": {"b": 1, "a": [true, null]}}),
        }],
    )
    .await;
    run(
        store,
        t,
        "app1",
        "dev",
        vec![
            put_resource("dev", ResourceKind::Auth, "auth1"),
            put_resource("dev", ResourceKind::Api, "api1"),
            put_resource("dev", ResourceKind::Storage, "files"),
            Change::AddBucket {
                name: "bucket-b".into(),
            },
            Change::AddBucket {
                name: "bucket-a".into(),
            },
            Change::EnableStudio {
                backend_manager_app_id: "app1".into(),
            },
            Change::PutApiModels {
                env: "dev".into(),
                models: ApiModels {
                    resource_name: "api1".into(),
                    models: "export const schema = {};".into(),
                    model_introspection: "{\"version\":1}".into(),
                    schema_sha256: "abc".into(),
                },
            },
        ],
    )
    .await;
    store
        .set_login_auth_config(t, "app1", Some(json!({"AwsUserPoolsId": "pool"})))
        .await
        .unwrap();
    run_failing(
        store,
        t,
        "app1",
        "dev",
        vec![Change::Fail {
            error: "The schema is wrong.".into(),
        }],
    )
    .await;
    store
        .create_token(
            t,
            Token {
                app_id: "app1".into(),
                session_id: "s1".into(),
                challenge_code: "secret".into(),
                expires_at_secs: NOW / 1000 + 600,
            },
        )
        .await
        .unwrap();
    let due = store
        .start_job(
            t,
            deferred(
                "app1",
                "dev",
                "UpdateBackendAuth",
                NOW + 1000,
                vec![put_resource("dev", ResourceKind::Auth, "auth2")],
            ),
        )
        .await
        .unwrap();
    let waiting = store
        .start_job(
            t,
            manual(
                "app1",
                "prod",
                "CreateBackendStorage",
                vec![put_resource("prod", ResourceKind::Storage, "files")],
            ),
        )
        .await
        .unwrap();
    (due, waiting)
}

pub async fn check_export_reset_import_gives_back_every_read(store: Arc<dyn Store>) {
    let t = fresh_tenant();
    let other = fresh_tenant();
    let (due, waiting) = fill(&store, &t).await;
    run(
        &store,
        &other,
        "app1",
        "dev",
        create_backend("other", "dev"),
    )
    .await;
    let before = reads(&store, &t).await;
    let other_before = reads(&store, &other).await;

    let snapshot = store.export_state(&scope_of(&t)).await.unwrap();
    assert_eq!(snapshot.apps.len(), 1);
    assert_eq!(snapshot.environments.len(), 2);
    assert_eq!(snapshot.resources.len(), 3);
    assert_eq!(snapshot.api_models.len(), 1);
    assert_eq!(snapshot.jobs.len(), 6);
    assert_eq!(snapshot.tokens.len(), 1);
    assert_eq!(snapshot.buckets.len(), 2);
    assert!(snapshot.apps.iter().all(|a| a.tenant == t));
    let records: Vec<_> = snapshot.jobs.iter().map(|j| &j.row).collect();
    assert_eq!(records[4].job.job_id, due.job_id);
    assert_eq!(records[4].due_at_ms, Some(NOW + 1000));
    assert!(records[4].changes.is_some());
    assert_eq!(records[5].job.job_id, waiting.job_id);
    assert_eq!(records[5].due_at_ms, None, "waits for an advance");
    assert!(
        records[..4]
            .iter()
            .all(|r| r.changes.is_none() && r.due_at_ms.is_none())
    );

    store
        .import_state(&scope_of(&t), Snapshot::default(), ImportWhen::Always)
        .await
        .unwrap();
    assert_eq!(store.get_app(&t, "app1").await.unwrap(), None);
    assert!(store.list_buckets(&t).await.unwrap().is_empty());
    assert_eq!(
        store.export_state(&scope_of(&t)).await.unwrap(),
        Snapshot::default()
    );
    assert_eq!(
        reads(&store, &other).await,
        other_before,
        "another tenant is kept"
    );

    assert!(
        store
            .import_state(&scope_of(&t), snapshot.clone(), ImportWhen::Always)
            .await
            .unwrap()
    );
    assert_eq!(reads(&store, &t).await, before);
    assert_eq!(store.export_state(&scope_of(&t)).await.unwrap(), snapshot);
    assert_eq!(reads(&store, &other).await, other_before);

    // The imported jobs go on as they would have: one falls due, the other waits.
    let done = store.complete_due_jobs(NOW + 5000, 10).await.unwrap();
    assert_eq!(
        done.iter().map(|j| j.job_id.as_str()).collect::<Vec<_>>(),
        [due.job_id.as_str()]
    );
    assert_eq!(
        store
            .get_resource(&t, "app1", "dev", ResourceKind::Auth)
            .await
            .unwrap()
            .unwrap()
            .name,
        "auth2"
    );
    let job = store
        .get_job(&t, "app1", "prod", &waiting.job_id)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(job.status, JobStatus::Running);
}

pub async fn check_reset_by_account_or_region(store: Arc<dyn Store>) {
    let t = fresh_tenant();
    let same_account = tenant(&t.account, "eu-west-1");
    let other = fresh_tenant();
    for who in [&t, &same_account, &other] {
        run(&store, who, "app1", "dev", create_backend("todo", "dev")).await;
    }
    let by_region = Scope {
        account: None,
        region: Some("eu-west-1".into()),
    };
    store
        .import_state(&by_region, Snapshot::default(), ImportWhen::Always)
        .await
        .unwrap();
    assert!(
        store
            .get_app(&same_account, "app1")
            .await
            .unwrap()
            .is_none()
    );
    assert!(store.get_app(&t, "app1").await.unwrap().is_some());
    let by_account = Scope {
        account: Some(t.account.clone()),
        region: None,
    };
    store
        .import_state(&by_account, Snapshot::default(), ImportWhen::Always)
        .await
        .unwrap();
    assert!(store.get_app(&t, "app1").await.unwrap().is_none());
    assert!(store.get_app(&other, "app1").await.unwrap().is_some());
    // A job's id stays taken outside the scope: importing it again elsewhere is refused,
    // and nothing of the import is kept.
    let mut snapshot = store.export_state(&scope_of(&other)).await.unwrap();
    let first_job = snapshot.jobs[0].row.job.job_id.clone();
    for row in &mut snapshot.apps {
        row.tenant = t.clone();
    }
    for row in &mut snapshot.environments {
        row.tenant = t.clone();
    }
    for row in &mut snapshot.jobs {
        row.tenant = t.clone();
    }
    let refused = store
        .import_state(&scope_of(&t), snapshot, ImportWhen::Always)
        .await;
    assert!(
        matches!(&refused, Err(StoreError::Rule(RuleBroken::JobIdTaken { job_id })) if *job_id == first_job),
        "{refused:?}"
    );
    assert!(store.get_app(&t, "app1").await.unwrap().is_none());
}

pub async fn check_import_when_no_apps(store: Arc<dyn Store>) {
    let t = fresh_tenant();
    let source = fresh_tenant();
    run(
        &store,
        &source,
        "seed1",
        "dev",
        create_backend("seeded", "dev"),
    )
    .await;
    let mut seed = store.export_state(&scope_of(&source)).await.unwrap();
    store
        .import_state(
            &Scope::everything(),
            Snapshot::default(),
            ImportWhen::Always,
        )
        .await
        .unwrap();
    for row in &mut seed.apps {
        row.tenant = t.clone();
    }
    for row in &mut seed.environments {
        row.tenant = t.clone();
    }
    for row in &mut seed.jobs {
        row.tenant = t.clone();
    }
    assert!(
        store
            .import_state(&Scope::everything(), seed.clone(), ImportWhen::NoApps)
            .await
            .unwrap()
    );
    run(&store, &t, "app2", "dev", create_backend("mine", "dev")).await;
    assert!(
        !store
            .import_state(&Scope::everything(), seed, ImportWhen::NoApps)
            .await
            .unwrap()
    );
    assert!(store.get_app(&t, "seed1").await.unwrap().is_some());
    assert!(
        store.get_app(&t, "app2").await.unwrap().is_some(),
        "nothing replaced"
    );
}

pub async fn check_advance_job(store: Arc<dyn Store>) {
    let t = fresh_tenant();
    run(&store, &t, "app1", "dev", create_backend("todo", "dev")).await;
    let job = store
        .start_job(
            &t,
            manual(
                "app1",
                "dev",
                "CreateBackendAuth",
                vec![put_resource("dev", ResourceKind::Auth, "auth1")],
            ),
        )
        .await
        .unwrap();
    // No worker completes it, however late.
    assert!(
        store
            .complete_due_jobs(i64::MAX - 1, 10)
            .await
            .unwrap()
            .is_empty()
    );
    let second = store
        .start_job(&t, inline("app1", "dev", "CreateBackendAPI", vec![]))
        .await;
    assert!(is_pending_in(&second, "app1", "dev"));

    let elsewhere = Scope {
        account: Some(fresh_tenant().account),
        region: None,
    };
    assert!(matches!(
        store
            .advance_job(&elsewhere, advance(&job, Ok(()), NOW + 5))
            .await,
        Err(StoreError::NotFound("job"))
    ));
    let (owner, done) = store
        .advance_job(&Scope::everything(), advance(&job, Ok(()), NOW + 5))
        .await
        .unwrap();
    assert_eq!(owner, t);
    assert_eq!(
        (done.status, done.update_time_ms, done.error.clone()),
        (JobStatus::Completed, NOW + 5, None)
    );
    assert_eq!(
        store.get_job(&t, "app1", "dev", &job.job_id).await.unwrap(),
        Some(done)
    );
    assert!(
        store
            .get_resource(&t, "app1", "dev", ResourceKind::Auth)
            .await
            .unwrap()
            .is_some()
    );
    assert!(matches!(
        store
            .advance_job(&scope_of(&t), advance(&job, Ok(()), NOW + 6))
            .await,
        Err(StoreError::Rule(RuleBroken::InvalidJobTransition {
            from: JobStatus::Completed,
            to: JobStatus::Completed,
            ..
        }))
    ));

    // Failed by hand: its error as given, nothing applied, the environment free again.
    let job = store
        .start_job(
            &t,
            manual(
                "app1",
                "dev",
                "CreateBackendStorage",
                vec![put_resource("dev", ResourceKind::Storage, "files")],
            ),
        )
        .await
        .unwrap();
    let (_, failed) = store
        .advance_job(
            &scope_of(&t),
            advance(&job, Err("Deployment failed.".into()), NOW + 7),
        )
        .await
        .unwrap();
    assert_eq!(failed.status, JobStatus::Failed);
    assert_eq!(
        failed.error,
        Some(JobFailure::Message {
            text: "Deployment failed.".into()
        })
    );
    assert!(
        store
            .get_resource(&t, "app1", "dev", ResourceKind::Storage)
            .await
            .unwrap()
            .is_none()
    );
    assert!(!store.app_has_running_job(&t, "app1").await.unwrap());
    let unknown = JobAdvance {
        job_id: uid(),
        ..advance(&job, Ok(()), NOW)
    };
    assert!(matches!(
        store.advance_job(&scope_of(&t), unknown).await,
        Err(StoreError::NotFound("job"))
    ));
}
