//! Jobs: inline and deferred completion, exactly-once completion, the pending-job rule,
//! and writes under concurrency.

use super::*;
use amplifybackend_store::JobQuery;
use std::collections::HashSet;

pub async fn check_inline_job_completes(store: Arc<dyn Store>) {
    let t = fresh_tenant();
    let new = inline(
        "app1",
        "dev",
        "CreateBackend",
        create_backend("todo", "dev"),
    );
    let job = store.start_job(&t, new.clone()).await.unwrap();
    let expected = Job {
        job_id: new.job_id.clone(),
        app_id: "app1".into(),
        env: "dev".into(),
        operation: "CreateBackend".into(),
        status: JobStatus::Completed,
        error: None,
        create_time_ms: NOW,
        update_time_ms: NOW,
    };
    assert_eq!(job, expected);
    assert_eq!(
        store.get_job(&t, "app1", "dev", &new.job_id).await.unwrap(),
        Some(expected)
    );
    assert!(
        store
            .get_environment(&t, "app1", "dev")
            .await
            .unwrap()
            .is_some()
    );
    // A job id is never recorded twice, inline or deferred, and the refused job's changes
    // are not applied.
    for again in [
        NewJob {
            job_id: new.job_id.clone(),
            ..inline(
                "app1",
                "prod",
                "CreateBackend",
                create_backend("todo", "prod"),
            )
        },
        NewJob {
            job_id: new.job_id.clone(),
            ..inline(
                "app1",
                "prod",
                "CreateBackend",
                ensure_app_and_environment("todo", "prod"),
            )
        },
        NewJob {
            job_id: new.job_id.clone(),
            ..deferred("app1", "prod", "CreateBackend", NOW + 1000, vec![])
        },
    ] {
        let refused = store.start_job(&t, again).await;
        assert!(
            matches!(
                refused,
                Err(StoreError::Rule(RuleBroken::JobIdTaken { ref job_id })) if *job_id == new.job_id
            ),
            "{refused:?}"
        );
    }
    assert_eq!(
        store.get_environment(&t, "app1", "prod").await.unwrap(),
        None
    );
    assert!(!store.app_has_running_job(&t, "app1").await.unwrap());
    assert_eq!(store.next_due_at().await.unwrap(), None);
    // A job id is used once.
    assert!(
        store
            .start_job(
                &t,
                NewJob {
                    changes: vec![],
                    ..new
                }
            )
            .await
            .is_err()
    );
    // A job without changes completes too.
    run(&store, &t, "app1", "dev", vec![]).await;
}

pub async fn check_deferred_job(store: Arc<dyn Store>) {
    let t = fresh_tenant();
    let due = NOW + 30_000;
    let new = deferred(
        "app1",
        "dev",
        "CreateBackend",
        due,
        create_backend("todo", "dev"),
    );
    let job = store.start_job(&t, new.clone()).await.unwrap();
    assert_eq!((job.status, job.error.clone()), (JobStatus::Running, None));
    assert_eq!((job.create_time_ms, job.update_time_ms), (NOW, NOW));
    // Nothing is visible before the job completes.
    assert_eq!(store.get_app(&t, "app1").await.unwrap(), None);
    assert_eq!(
        store.get_environment(&t, "app1", "dev").await.unwrap(),
        None
    );
    assert!(store.app_has_running_job(&t, "app1").await.unwrap());
    assert_eq!(store.next_due_at().await.unwrap(), Some(due));

    assert!(
        store
            .complete_due_jobs(due - 1, 10)
            .await
            .unwrap()
            .is_empty()
    );
    assert!(store.complete_due_jobs(due, 0).await.unwrap().is_empty());
    let done = store.complete_due_jobs(due + 5, 10).await.unwrap();
    let expected = Job {
        status: JobStatus::Completed,
        update_time_ms: due + 5,
        ..job
    };
    assert_eq!(done, std::slice::from_ref(&expected));
    assert_eq!(
        store.get_job(&t, "app1", "dev", &new.job_id).await.unwrap(),
        Some(expected)
    );
    assert_eq!(
        store
            .get_app(&t, "app1")
            .await
            .unwrap()
            .unwrap()
            .created_at_ms,
        due + 5
    );
    assert!(
        store
            .get_environment(&t, "app1", "dev")
            .await
            .unwrap()
            .is_some()
    );
    assert!(
        store
            .complete_due_jobs(due + 10, 10)
            .await
            .unwrap()
            .is_empty()
    );
    assert_eq!(store.next_due_at().await.unwrap(), None);
    assert!(!store.app_has_running_job(&t, "app1").await.unwrap());

    // A deferred job whose change breaks a rule fails when due, changing nothing.
    let bad = deferred(
        "app1",
        "dev",
        "CreateBackend",
        due,
        vec![
            Change::AddBucket { name: "b".into() },
            Change::CreateEnvironment {
                env: "dev".into(),
                meta: json!({}),
            },
        ],
    );
    store.start_job(&t, bad.clone()).await.unwrap();
    let done = store.complete_due_jobs(due, 10).await.unwrap();
    assert_eq!(done.len(), 1);
    assert_eq!(
        (done[0].job_id.as_str(), done[0].status),
        (bad.job_id.as_str(), JobStatus::Failed)
    );
    assert_eq!(
        done[0].error,
        Some(JobFailure::Rule(env_exists("app1", "dev")))
    );
    assert_eq!(
        store
            .get_job(&t, "app1", "dev", &bad.job_id)
            .await
            .unwrap()
            .unwrap()
            .error,
        done[0].error,
        "the failure is kept as answered"
    );
    assert!(store.list_buckets(&t).await.unwrap().is_empty());

    // `limit` bounds one call; the earliest due come first.
    for (env, at) in [("c", due + 3), ("a", due + 1), ("b", due + 2)] {
        store
            .start_job(&t, deferred("app1", env, "CreateBackendAuth", at, vec![]))
            .await
            .unwrap();
    }
    assert_eq!(store.next_due_at().await.unwrap(), Some(due + 1));
    let first = store.complete_due_jobs(due + 3, 2).await.unwrap();
    assert_eq!(
        first.iter().map(|j| j.env.as_str()).collect::<Vec<_>>(),
        ["a", "b"]
    );
    let rest = store.complete_due_jobs(due + 3, 2).await.unwrap();
    assert_eq!(
        rest.iter().map(|j| j.env.as_str()).collect::<Vec<_>>(),
        ["c"]
    );
}

pub async fn check_complete_due_jobs_exactly_once_concurrently(store: Arc<dyn Store>) {
    let tenants = [fresh_tenant(), fresh_tenant()];
    let mut expected = HashSet::new();
    for i in 0..60 {
        let t = &tenants[i % 2];
        let env = format!("env{i}");
        let changes = create_backend("todo", &env);
        let job = store
            .start_job(
                t,
                deferred("app1", &env, "CreateBackend", NOW + i as i64, changes),
            )
            .await
            .unwrap();
        expected.insert(job.job_id);
    }
    let workers: Vec<_> = (0..8)
        .map(|_| {
            let store = store.clone();
            tokio::spawn(async move {
                let mut mine = Vec::new();
                loop {
                    let done = store.complete_due_jobs(NOW + 100, 7).await.unwrap();
                    assert!(done.len() <= 7);
                    if done.is_empty() {
                        return mine;
                    }
                    mine.extend(done);
                }
            })
        })
        .collect();
    let mut seen = Vec::new();
    for worker in workers {
        seen.extend(worker.await.unwrap());
    }
    let ids: HashSet<_> = seen.iter().map(|j| j.job_id.clone()).collect();
    assert_eq!(seen.len(), 60, "each job is completed exactly once");
    assert_eq!(ids, expected);
    assert!(
        seen.iter().all(|j| j.status == JobStatus::Completed),
        "no change was applied twice"
    );
    for t in &tenants {
        assert_eq!(store.list_environments(t, "app1").await.unwrap().len(), 30);
        assert!(!store.app_has_running_job(t, "app1").await.unwrap());
    }
}

pub async fn check_pending_job_rule(store: Arc<dyn Store>) {
    let t = fresh_tenant();
    let app = "app1";
    run(&store, &t, app, "dev", create_backend("todo", "dev")).await;
    run(&store, &t, app, "prod", create_backend("todo", "prod")).await;

    let first = store
        .start_job(
            &t,
            deferred(app, "dev", "CreateBackendAuth", NOW + 1000, vec![]),
        )
        .await
        .unwrap();
    assert!(is_pending_in(
        &store
            .start_job(&t, deferred(app, "dev", "CreateBackendAPI", NOW, vec![]))
            .await,
        app,
        "dev"
    ));
    let refused = inline(
        app,
        "dev",
        "CreateBackendAPI",
        vec![put_resource("dev", ResourceKind::Api, "api")],
    );
    assert!(is_pending_in(
        &store.start_job(&t, refused.clone()).await,
        app,
        "dev"
    ));
    // The refused job left no trace.
    assert_eq!(
        store
            .get_job(&t, app, "dev", &refused.job_id)
            .await
            .unwrap(),
        None
    );
    assert_eq!(
        store
            .get_resource(&t, app, "dev", ResourceKind::Api)
            .await
            .unwrap(),
        None
    );
    let all = JobQuery {
        limit: 25,
        ..JobQuery::default()
    };
    assert_eq!(
        store
            .list_jobs(&t, app, "dev", &all)
            .await
            .unwrap()
            .jobs
            .len(),
        2
    );

    // Other environments and other apps are not blocked.
    run(
        &store,
        &t,
        app,
        "prod",
        vec![put_resource("prod", ResourceKind::Api, "api")],
    )
    .await;
    run(&store, &t, "app2", "dev", vec![]).await;

    // Once the job finishes, the environment takes jobs again.
    assert_eq!(
        store.complete_due_jobs(NOW + 1000, 10).await.unwrap()[0].job_id,
        first.job_id
    );
    run(
        &store,
        &t,
        app,
        "dev",
        vec![put_resource("dev", ResourceKind::Api, "api")],
    )
    .await;

    // Racing requests: exactly one gets the slot.
    let racers: Vec<_> = (0..20)
        .map(|_| {
            let (store, t) = (store.clone(), t.clone());
            tokio::spawn(async move {
                store
                    .start_job(
                        &t,
                        deferred(app, "dev", "UpdateBackendAPI", NOW + 2000, vec![]),
                    )
                    .await
            })
        })
        .collect();
    let mut won = Vec::new();
    for racer in racers {
        match racer.await.unwrap() {
            Ok(job) => won.push(job),
            Err(StoreError::Rule(RuleBroken::PendingJob { .. })) => {}
            Err(e) => panic!("unexpected error: {e}"),
        }
    }
    assert_eq!(won.len(), 1);
    assert!(store.app_has_running_job(&t, app).await.unwrap());
}

pub async fn check_group_commit_concurrency(store: Arc<dyn Store>) {
    let t = fresh_tenant();
    let tasks: Vec<_> = (0..500)
        .map(|i| {
            let (store, t) = (store.clone(), t.clone());
            tokio::spawn(async move {
                let env = format!("env{i:03}");
                let mut changes = create_backend("todo", &env);
                changes.push(put_resource(&env, ResourceKind::Storage, "s3"));
                let job = store
                    .start_job(&t, inline("app1", &env, "CreateBackend", changes))
                    .await
                    .unwrap();
                // Reads interleave with the writes and see each acknowledged one.
                assert!(
                    store
                        .get_environment(&t, "app1", &env)
                        .await
                        .unwrap()
                        .is_some()
                );
                job
            })
        })
        .collect();
    let mut jobs = Vec::new();
    for task in tasks {
        jobs.push(task.await.unwrap());
    }
    assert!(
        jobs.iter().all(|j| j.status == JobStatus::Completed),
        "{:?}",
        jobs.iter().find(|j| j.error.is_some())
    );
    for job in &jobs {
        assert_eq!(
            store
                .get_job(&t, "app1", &job.env, &job.job_id)
                .await
                .unwrap()
                .as_ref(),
            Some(job)
        );
        assert_eq!(
            store
                .list_resources(&t, "app1", &job.env)
                .await
                .unwrap()
                .len(),
            1
        );
    }
    assert_eq!(
        store.list_environments(&t, "app1").await.unwrap().len(),
        500
    );
}
