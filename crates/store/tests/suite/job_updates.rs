//! UpdateBackendJob (cancel, complete, relabel) and ListBackendJobs.

use super::*;
use amplifybackend_store::{JobPage, JobQuery, JobUpdate};

pub async fn check_cancelled_job_never_applies(store: Arc<dyn Store>) {
    let t = fresh_tenant();
    let app = "app1";
    run(&store, &t, app, "dev", create_backend("todo", "dev")).await;
    let changes = vec![
        put_resource("dev", ResourceKind::Auth, "auth"),
        Change::AddBucket { name: "b".into() },
    ];
    let job = store
        .start_job(
            &t,
            deferred(app, "dev", "CreateBackendAuth", NOW + 1000, changes),
        )
        .await
        .unwrap();
    let cancel = JobUpdate {
        app_id: app.into(),
        env: "dev".into(),
        job_id: job.job_id.clone(),
        operation: None,
        status: Some(JobStatus::Failed),
        now_ms: NOW + 10,
    };
    let cancelled = store.update_job(&t, cancel.clone()).await.unwrap();
    assert_eq!(
        (cancelled.status, cancelled.update_time_ms),
        (JobStatus::Failed, NOW + 10)
    );
    assert_eq!(
        (cancelled.operation.as_str(), cancelled.create_time_ms),
        ("CreateBackendAuth", NOW)
    );
    assert_eq!(cancelled.error, Some(JobFailure::Cancelled));
    assert_eq!(
        store.get_job(&t, app, "dev", &job.job_id).await.unwrap(),
        Some(cancelled.clone())
    );

    assert!(
        store
            .complete_due_jobs(NOW + 5000, 10)
            .await
            .unwrap()
            .is_empty()
    );
    assert_eq!(store.next_due_at().await.unwrap(), None);
    assert_eq!(
        store
            .get_resource(&t, app, "dev", ResourceKind::Auth)
            .await
            .unwrap(),
        None
    );
    assert!(store.list_buckets(&t).await.unwrap().is_empty());
    assert_eq!(
        store.get_job(&t, app, "dev", &job.job_id).await.unwrap(),
        Some(cancelled)
    );
    // Cancelling again is a no-op; the environment is free.
    assert_eq!(
        store.update_job(&t, cancel).await.unwrap().status,
        JobStatus::Failed
    );
    assert!(!store.app_has_running_job(&t, app).await.unwrap());
    run(&store, &t, app, "dev", vec![]).await;
}

fn update(job: &Job, operation: Option<&str>, status: Option<JobStatus>, now_ms: i64) -> JobUpdate {
    JobUpdate {
        app_id: job.app_id.clone(),
        env: job.env.clone(),
        job_id: job.job_id.clone(),
        operation: operation.map(str::to_owned),
        status,
        now_ms,
    }
}

pub async fn check_update_job(store: Arc<dyn Store>) {
    let t = fresh_tenant();
    let app = "app1";
    let created = run(&store, &t, app, "dev", create_backend("todo", "dev")).await;
    let changes = vec![put_resource("dev", ResourceKind::Auth, "auth")];
    let job = store
        .start_job(
            &t,
            deferred(app, "dev", "CreateBackendAuth", NOW + 1000, changes),
        )
        .await
        .unwrap();

    // Relabelling leaves the status alone; asking for the status it has is a no-op.
    let relabelled = store
        .update_job(&t, update(&job, Some("Relabelled"), None, NOW + 1))
        .await
        .unwrap();
    assert_eq!(
        (relabelled.operation.as_str(), relabelled.status),
        ("Relabelled", JobStatus::Running)
    );
    assert_eq!(
        (relabelled.create_time_ms, relabelled.update_time_ms),
        (NOW, NOW + 1)
    );
    let same = store
        .update_job(&t, update(&job, None, Some(JobStatus::Running), NOW + 2))
        .await
        .unwrap();
    assert_eq!(
        (same.status, same.update_time_ms, same.operation.as_str()),
        (JobStatus::Running, NOW + 2, "Relabelled")
    );

    // RUNNING → COMPLETED applies the changes now, once.
    let completed = store
        .update_job(&t, update(&job, None, Some(JobStatus::Completed), NOW + 3))
        .await
        .unwrap();
    assert_eq!(
        (
            completed.status,
            completed.update_time_ms,
            completed.error.clone()
        ),
        (JobStatus::Completed, NOW + 3, None)
    );
    let auth = store
        .get_resource(&t, app, "dev", ResourceKind::Auth)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(auth.updated_at_ms, NOW + 3);
    assert!(
        store
            .complete_due_jobs(NOW + 5000, 10)
            .await
            .unwrap()
            .is_empty()
    );

    // A finished job's status cannot change; a refused update changes nothing at all.
    let cancelled = store
        .start_job(
            &t,
            deferred(app, "dev", "DeleteBackendAuth", NOW + 1000, vec![]),
        )
        .await
        .unwrap();
    let cancelled = store
        .update_job(
            &t,
            update(&cancelled, None, Some(JobStatus::Failed), NOW + 4),
        )
        .await
        .unwrap();
    for (finished, to) in [
        (&completed, JobStatus::Running),
        (&completed, JobStatus::Failed),
        (&created, JobStatus::Running),
        (&cancelled, JobStatus::Completed),
        (&cancelled, JobStatus::Running),
    ] {
        let refused = store
            .update_job(&t, update(finished, Some("Nope"), Some(to), NOW + 9))
            .await;
        let expected = RuleBroken::InvalidJobTransition {
            job_id: finished.job_id.clone(),
            from: finished.status,
            to,
        };
        assert!(
            matches!(refused, Err(StoreError::Rule(ref rule)) if *rule == expected),
            "{refused:?}"
        );
        let unchanged = store
            .get_job(&t, app, "dev", &finished.job_id)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(&unchanged, finished);
    }
    // A finished job can still be relabelled, and be told the status it has.
    let relabelled = store
        .update_job(
            &t,
            update(
                &completed,
                Some("Again"),
                Some(JobStatus::Completed),
                NOW + 6,
            ),
        )
        .await
        .unwrap();
    assert_eq!(
        (
            relabelled.operation.as_str(),
            relabelled.status,
            relabelled.update_time_ms
        ),
        ("Again", JobStatus::Completed, NOW + 6)
    );

    // Completing a job whose changes break a rule fails it instead.
    let clash = vec![Change::CreateEnvironment {
        env: "dev".into(),
        meta: json!({}),
    }];
    let doomed = store
        .start_job(&t, deferred(app, "dev", "CloneBackend", NOW + 1000, clash))
        .await
        .unwrap();
    let failed = store
        .update_job(
            &t,
            update(&doomed, None, Some(JobStatus::Completed), NOW + 7),
        )
        .await
        .unwrap();
    assert_eq!(failed.status, JobStatus::Failed);
    assert_eq!(failed.error, Some(JobFailure::Rule(env_exists(app, "dev"))));

    // Unknown jobs, or known ones asked for under another app or environment.
    let mut unknown = update(&job, None, Some(JobStatus::Failed), NOW);
    unknown.job_id = uid();
    assert!(matches!(
        store.update_job(&t, unknown).await,
        Err(StoreError::NotFound(_))
    ));
    let mut wrong_env = update(&job, Some("x"), None, NOW);
    wrong_env.env = "prod".into();
    assert!(matches!(
        store.update_job(&t, wrong_env).await,
        Err(StoreError::NotFound(_))
    ));
    let mut wrong_app = update(&job, Some("x"), None, NOW);
    wrong_app.app_id = "app2".into();
    assert!(matches!(
        store.update_job(&t, wrong_app).await,
        Err(StoreError::NotFound(_))
    ));
}

async fn all_pages(
    store: &Arc<dyn Store>,
    t: &Tenant,
    env: &str,
    mut query: JobQuery,
) -> Vec<JobPage> {
    let mut pages = Vec::new();
    loop {
        let page = store.list_jobs(t, "app1", env, &query).await.unwrap();
        assert!(page.jobs.len() <= query.limit);
        let next = page.next_cursor;
        pages.push(page);
        match next {
            Some(cursor) => query.before = Some(cursor),
            None => return pages,
        }
    }
}

fn ids(jobs: &[Job]) -> Vec<&str> {
    jobs.iter().map(|j| j.job_id.as_str()).collect()
}

pub async fn check_list_jobs(store: Arc<dyn Store>) {
    let t = fresh_tenant();
    run(&store, &t, "app1", "dev", create_backend("todo", "dev")).await;
    for i in 0..29 {
        let op = if i % 2 == 0 {
            "CreateBackendAuth"
        } else {
            "UpdateBackendAuth"
        };
        let changes = if i % 5 == 0 {
            vec![Change::EnsureApp {
                app_name: "clash".into(),
            }]
        } else {
            vec![]
        };
        store
            .start_job(&t, inline("app1", "dev", op, changes))
            .await
            .unwrap();
    }
    for (app, env) in [("app1", "prod"), ("app1", "prod"), ("app2", "dev")] {
        store
            .start_job(&t, inline(app, env, "CreateBackendAuth", vec![]))
            .await
            .unwrap();
    }
    let page = |limit| JobQuery {
        limit,
        ..JobQuery::default()
    };
    let everything = store
        .list_jobs(&t, "app1", "dev", &page(100))
        .await
        .unwrap();
    assert_eq!(everything.next_cursor, None);
    let newest_first = everything.jobs;
    assert_eq!(newest_first.len(), 30);
    assert_eq!(
        newest_first.last().unwrap().operation,
        "CreateBackend",
        "the first job comes last"
    );
    assert!(
        newest_first
            .iter()
            .all(|j| j.app_id == "app1" && j.env == "dev")
    );

    let first = store.list_jobs(&t, "app1", "dev", &page(25)).await.unwrap();
    assert_eq!(ids(&first.jobs), ids(&newest_first[..25]));
    let cursor = first.next_cursor.expect("more after 25");
    let second = store
        .list_jobs(
            &t,
            "app1",
            "dev",
            &JobQuery {
                before: Some(cursor),
                ..page(25)
            },
        )
        .await
        .unwrap();
    assert_eq!(ids(&second.jobs), ids(&newest_first[25..]));
    assert_eq!(second.next_cursor, None);
    assert_eq!(
        store
            .list_jobs(&t, "app1", "dev", &page(30))
            .await
            .unwrap()
            .next_cursor,
        None,
        "exactly full"
    );
    let pages = all_pages(&store, &t, "dev", page(10)).await;
    assert_eq!(
        pages.iter().map(|p| p.jobs.len()).collect::<Vec<_>>(),
        [10, 10, 10]
    );
    let walked: Vec<Job> = pages.into_iter().flat_map(|p| p.jobs).collect();
    assert_eq!(walked, newest_first);

    // Filters are exact and combine with AND, also across pages.
    let expect = |f: &dyn Fn(&Job) -> bool| {
        newest_first
            .iter()
            .filter(|j| f(j))
            .cloned()
            .collect::<Vec<_>>()
    };
    let by_op = JobQuery {
        operation: Some("UpdateBackendAuth".into()),
        ..page(4)
    };
    let walked: Vec<Job> = all_pages(&store, &t, "dev", by_op)
        .await
        .into_iter()
        .flat_map(|p| p.jobs)
        .collect();
    assert_eq!(walked, expect(&|j| j.operation == "UpdateBackendAuth"));
    let failed = JobQuery {
        status: Some("FAILED".into()),
        ..page(25)
    };
    let got = store
        .list_jobs(&t, "app1", "dev", &failed)
        .await
        .unwrap()
        .jobs;
    assert_eq!(got, expect(&|j| j.status == JobStatus::Failed));
    assert_eq!(got.len(), 6);
    let both = JobQuery {
        operation: Some("CreateBackendAuth".into()),
        status: Some("COMPLETED".into()),
        ..page(25)
    };
    let got = store
        .list_jobs(&t, "app1", "dev", &both)
        .await
        .unwrap()
        .jobs;
    assert_eq!(
        got,
        expect(&|j| j.operation == "CreateBackendAuth" && j.status == JobStatus::Completed)
    );
    let one = &newest_first[7];
    let by_id = JobQuery {
        job_id: Some(one.job_id.clone()),
        ..page(25)
    };
    assert_eq!(
        store
            .list_jobs(&t, "app1", "dev", &by_id)
            .await
            .unwrap()
            .jobs,
        std::slice::from_ref(one)
    );
    let id_and_other_op = JobQuery {
        operation: Some("Other".into()),
        ..by_id
    };
    assert!(
        store
            .list_jobs(&t, "app1", "dev", &id_and_other_op)
            .await
            .unwrap()
            .jobs
            .is_empty()
    );
    for status in ["RUNNING", "running", "BOGUS"] {
        let q = JobQuery {
            status: Some(status.into()),
            ..page(25)
        };
        assert!(
            store
                .list_jobs(&t, "app1", "dev", &q)
                .await
                .unwrap()
                .jobs
                .is_empty()
        );
    }
    let running = store
        .start_job(
            &t,
            deferred("app1", "dev", "UpdateBackendAuth", NOW + 1, vec![]),
        )
        .await
        .unwrap();
    let q = JobQuery {
        status: Some("RUNNING".into()),
        ..page(25)
    };
    assert_eq!(
        store.list_jobs(&t, "app1", "dev", &q).await.unwrap().jobs,
        std::slice::from_ref(&running)
    );
    assert_eq!(
        store
            .list_jobs(&t, "app1", "dev", &page(1))
            .await
            .unwrap()
            .jobs,
        [running],
        "newest first"
    );
    // Other environments and apps keep their own lists.
    assert_eq!(
        store
            .list_jobs(&t, "app1", "prod", &page(25))
            .await
            .unwrap()
            .jobs
            .len(),
        2
    );
    assert_eq!(
        store
            .list_jobs(&t, "app2", "dev", &page(25))
            .await
            .unwrap()
            .jobs
            .len(),
        1
    );
    assert!(
        store
            .list_jobs(&t, "app1", "none", &page(25))
            .await
            .unwrap()
            .jobs
            .is_empty()
    );
}
