//! What only a shared database server shows: several stores (as several server processes
//! would have) on one PostgreSQL database, claims that outlive their worker, concurrent
//! migrators, and connections that the server drops. Ignored unless
//! `AMPLIFYBACKEND_TEST_POSTGRES_URL` is set (see `build.rs`).
#![cfg(feature = "postgres")]
#![allow(clippy::unwrap_used, clippy::expect_used)]

#[allow(unused_imports, unused_macros)]
mod suite;

use amplifybackend_store::{
    Change, JobFailure, JobStatus, RuleBroken, Store, StoreError, StoreOptions,
};
use amplifybackend_testkit::PgSchema;
use std::collections::HashSet;
use std::sync::Arc;
use std::time::Duration;
use suite::*;

async fn open(url: &str, options: &StoreOptions) -> Arc<dyn Store> {
    amplifybackend_store::open(url, options).await.unwrap()
}

async fn stores(url: &str, n: usize) -> Vec<Arc<dyn Store>> {
    let mut stores = Vec::new();
    for _ in 0..n {
        stores.push(open(url, &StoreOptions::default()).await);
    }
    stores
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
#[cfg_attr(
    not(postgres_tests),
    ignore = "needs AMPLIFYBACKEND_TEST_POSTGRES_URL (a PostgreSQL database)"
)]
async fn several_stores_complete_each_job_exactly_once() {
    let schema = PgSchema::new();
    let stores = stores(schema.url(), 3).await;
    let t = fresh_tenant();
    let mut expected = HashSet::new();
    for i in 0..150 {
        let env = format!("env{i:03}");
        let job = stores[i % 3]
            .start_job(
                &t,
                deferred(
                    "app1",
                    &env,
                    "CreateBackend",
                    NOW + i as i64,
                    create_backend("todo", &env),
                ),
            )
            .await
            .unwrap();
        expected.insert(job.job_id);
    }
    let workers: Vec<_> = (0..9)
        .map(|w| {
            let store = stores[w % 3].clone();
            tokio::spawn(async move {
                let mut mine = Vec::new();
                loop {
                    let done = store.complete_due_jobs(NOW + 1000, 5).await.unwrap();
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
    assert_eq!(seen.len(), 150, "each job is completed exactly once");
    assert_eq!(ids, expected);
    assert!(seen.iter().all(|j| j.status == JobStatus::Completed));
    assert_eq!(
        stores[1].list_environments(&t, "app1").await.unwrap().len(),
        150
    );
    assert_eq!(stores[2].next_due_at().await.unwrap(), None);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
#[cfg_attr(
    not(postgres_tests),
    ignore = "needs AMPLIFYBACKEND_TEST_POSTGRES_URL (a PostgreSQL database)"
)]
async fn a_claim_whose_worker_died_is_taken_over_when_its_lease_ends() {
    let schema = PgSchema::new();
    let options = StoreOptions {
        job_lease: Duration::from_millis(1000),
        ..StoreOptions::default()
    };
    let store = open(schema.url(), &options).await;
    let t = fresh_tenant();
    let job = store
        .start_job(
            &t,
            deferred(
                "app1",
                "dev",
                "CreateBackend",
                NOW,
                create_backend("todo", "dev"),
            ),
        )
        .await
        .unwrap();
    // Another process claimed it at NOW and died before completing it.
    schema.query(&format!(
        "UPDATE jobs SET claimed_until_ms = {}, claimed_by = 'dead' WHERE job_id = '{}'",
        NOW + 1000,
        job.job_id
    ));
    assert!(
        store
            .complete_due_jobs(NOW + 999, 10)
            .await
            .unwrap()
            .is_empty()
    );
    assert_eq!(store.next_due_at().await.unwrap(), Some(NOW + 1000));
    let done = store.complete_due_jobs(NOW + 1000, 10).await.unwrap();
    assert_eq!(done.len(), 1);
    assert_eq!(
        (done[0].job_id.as_str(), done[0].status),
        (job.job_id.as_str(), JobStatus::Completed)
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
            .complete_due_jobs(NOW + 5000, 10)
            .await
            .unwrap()
            .is_empty()
    );

    // A claim that is still ours when someone cancels the job: the cancel wins, once.
    let job = store
        .start_job(
            &t,
            deferred("app1", "dev", "CreateBackendAuth", NOW, vec![]),
        )
        .await
        .unwrap();
    schema.query(&format!(
        "UPDATE jobs SET claimed_until_ms = {}, claimed_by = 'dead', status = 'FAILED'
         WHERE job_id = '{}'",
        NOW + 1000,
        job.job_id
    ));
    assert!(
        store
            .complete_due_jobs(NOW + 5000, 10)
            .await
            .unwrap()
            .is_empty()
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
#[cfg_attr(
    not(postgres_tests),
    ignore = "needs AMPLIFYBACKEND_TEST_POSTGRES_URL (a PostgreSQL database)"
)]
async fn concurrent_first_starts_agree() {
    let schema = PgSchema::new();
    let opens: Vec<_> = (0..8)
        .map(|_| {
            let url = schema.url().to_owned();
            tokio::spawn(async move { open(&url, &StoreOptions::default()).await })
        })
        .collect();
    let mut keys = HashSet::new();
    for store in opens {
        keys.insert(store.await.unwrap().token_signing_key().to_vec());
    }
    assert_eq!(keys.len(), 1, "every process reads the same signing key");
    let report = amplifybackend_store::migrate(schema.url(), &StoreOptions::default())
        .await
        .unwrap();
    assert!(report.contains("up to date"), "{report}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
#[cfg_attr(
    not(postgres_tests),
    ignore = "needs AMPLIFYBACKEND_TEST_POSTGRES_URL (a PostgreSQL database)"
)]
async fn migrate_alone_creates_the_schema() {
    let schema = PgSchema::new();
    let report = amplifybackend_store::migrate(schema.url(), &StoreOptions::default())
        .await
        .unwrap();
    assert!(report.contains("from version 0 to 2"), "{report}");
    let tables = schema.query(
        "SELECT count(*) FROM information_schema.tables WHERE table_schema = current_schema()",
    );
    assert_eq!(
        tables.first().map(String::as_str),
        Some("9"),
        "8 tables and the migrations' own"
    );
    let functions = schema.query(
        "SELECT count(*) FROM information_schema.routines \
         WHERE routine_schema = current_schema() AND routine_name = 'amplifybackend_refuse'",
    );
    assert_eq!(
        functions.first().map(String::as_str),
        Some("1"),
        "the function that refuses a statement"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
#[cfg_attr(
    not(postgres_tests),
    ignore = "needs AMPLIFYBACKEND_TEST_POSTGRES_URL (a PostgreSQL database)"
)]
async fn the_pending_job_rule_holds_across_stores() {
    let schema = PgSchema::new();
    let stores = stores(schema.url(), 3).await;
    let t = fresh_tenant();
    run(&stores[0], &t, "app1", "dev", create_backend("todo", "dev")).await;
    let racers: Vec<_> = (0..30)
        .map(|i| {
            let (store, t) = (stores[i % 3].clone(), t.clone());
            tokio::spawn(async move {
                store
                    .start_job(
                        &t,
                        deferred("app1", "dev", "UpdateBackendAuth", NOW + 10, vec![]),
                    )
                    .await
            })
        })
        .collect();
    let mut won = 0;
    for racer in racers {
        match racer.await.unwrap() {
            Ok(_) => won += 1,
            Err(StoreError::Rule(RuleBroken::PendingJob { .. })) => {}
            Err(e) => panic!("unexpected error: {e}"),
        }
    }
    assert_eq!(won, 1);
}

/// Connections the server drops (as a restart does) fail the requests using them with a
/// database error; the pool replaces them and the store works again by itself.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
#[cfg_attr(
    not(postgres_tests),
    ignore = "needs AMPLIFYBACKEND_TEST_POSTGRES_URL (a PostgreSQL database)"
)]
async fn the_pool_heals_after_the_server_drops_its_connections() {
    let schema = PgSchema::new();
    let app_name = format!("ab_{}", schema.name());
    let url = format!("{}&application_name={app_name}", schema.url());
    let store = open(&url, &StoreOptions::default()).await;
    let t = fresh_tenant();
    run(&store, &t, "app1", "dev", create_backend("todo", "dev")).await;
    // Several connections in the pool.
    let reads: Vec<_> = (0..8)
        .map(|_| {
            let (store, t) = (store.clone(), t.clone());
            tokio::spawn(async move { store.get_app(&t, "app1").await.unwrap() })
        })
        .collect();
    for read in reads {
        assert!(read.await.unwrap().is_some());
    }
    schema.query(&format!(
        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = '{app_name}'"
    ));
    tokio::time::sleep(Duration::from_millis(100)).await;
    let mut failures = 0;
    for i in 0..20 {
        match store.get_app(&t, "app1").await {
            Ok(app) => assert!(app.is_some()),
            Err(StoreError::Database(_)) => failures += 1,
            Err(e) => panic!("unexpected error {i}: {e}"),
        }
    }
    assert!(
        failures <= 8,
        "{failures} reads failed after the connections were dropped"
    );
    store.ping().await.unwrap();
    run(&store, &t, "app1", "prod", create_backend("todo", "prod")).await;
}

/// An inline job begins its transaction in the same round trip as its statements, outside
/// tokio-postgres's `Transaction` (which would roll back when dropped). A request cancelled
/// at any point of it must not leave its connection in the pool mid-transaction, where the
/// next request would run inside it: no session of the store may stay idle in a
/// transaction, and the next job on the one pooled connection commits for all to see.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[cfg_attr(
    not(postgres_tests),
    ignore = "needs AMPLIFYBACKEND_TEST_POSTGRES_URL (a PostgreSQL database)"
)]
async fn a_cancelled_inline_job_leaves_no_open_transaction_behind() {
    let schema = PgSchema::new();
    let options = StoreOptions {
        pool_size: 1,
        ..StoreOptions::default()
    };
    let url = format!("{}&application_name={}", schema.url(), schema.name());
    let store = open(&url, &options).await;
    let t = fresh_tenant();
    let idle_in_transaction = || {
        let answer = schema.query(&format!(
            "SELECT count(*) FROM pg_stat_activity \
             WHERE application_name = '{}' AND state LIKE 'idle in transaction%'",
            schema.name()
        ));
        answer.first().cloned().unwrap_or_default()
    };
    let mut cancelled = 0;
    // CreateBackend's changes go as one statement, EnableStudio's in a transaction.
    for (i, studio) in (0..40_u64).flat_map(|i| [(i, false), (i, true)]) {
        let env = format!("c{}{i:02}", u8::from(studio));
        let changes = if studio {
            vec![
                Change::EnsureApp {
                    app_name: "todo".to_owned(),
                },
                Change::EnableStudio {
                    backend_manager_app_id: format!("m{i}"),
                },
            ]
        } else {
            create_backend("todo", &env)
        };
        let job = inline("app1", &env, "CreateBackendConfig", changes);
        // From cancelling before anything is sent to cancelling after COMMIT went out.
        let limit = Duration::from_micros(i * 100);
        if tokio::time::timeout(limit, store.start_job(&t, job))
            .await
            .is_err()
        {
            cancelled += 1;
        }
        // A discarded connection takes a moment to close.
        let mut waited = 0;
        while idle_in_transaction() != "0" {
            assert!(
                waited < 40,
                "a session was left in a transaction ({limit:?})"
            );
            waited += 1;
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        let after = format!("a{}{i:02}", u8::from(studio));
        let job = store
            .start_job(
                &t,
                inline(
                    "app1",
                    &after,
                    "CreateBackend",
                    create_backend("todo", &after),
                ),
            )
            .await
            .unwrap();
        assert_eq!(job.status, JobStatus::Completed);
        let seen = schema.query(&format!(
            "SELECT 1 FROM environments WHERE app_id = 'app1' AND env_name = '{after}'"
        ));
        assert_eq!(
            seen.len(),
            1,
            "the job after a cancelled one ({limit:?}) committed"
        );
    }
    assert!(cancelled > 0, "some jobs were cancelled on the way");
}

/// Inline jobs started together share statements (group commit): jobs of different apps
/// and tenants commit in one transaction, and a job that breaks a rule, in a statement
/// with others, fails alone while the others complete: each gets the answer it would have
/// had alone.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
#[cfg_attr(
    not(postgres_tests),
    ignore = "needs AMPLIFYBACKEND_TEST_POSTGRES_URL (a PostgreSQL database)"
)]
async fn inline_jobs_started_together_share_statements_and_keep_their_own_answers() {
    let schema = PgSchema::new();
    let store = open(schema.url(), &StoreOptions::default()).await;
    let tenants = [fresh_tenant(), fresh_tenant()];
    run(
        &store,
        &tenants[0],
        "named",
        "dev",
        create_backend("first", "dev"),
    )
    .await;
    run(
        &store,
        &tenants[0],
        "made",
        "dev",
        create_backend("made", "dev"),
    )
    .await;
    // An environment with a pending job: a CreateBackend there is refused.
    let pending = deferred(
        "busy",
        "dev",
        "CreateBackend",
        NOW + 3_600_000,
        create_backend("busy", "dev"),
    );
    store.start_job(&tenants[0], pending).await.unwrap();
    for round in 0..5 {
        let jobs: Vec<_> = (0..40)
            .map(|i| {
                let (store, t) = (store.clone(), tenants[i % 2].clone());
                let (app, changes) = match i % 10 {
                    4 => ("named".to_owned(), create_backend("second", "dev")),
                    8 => ("made".to_owned(), create_backend("made", "dev")),
                    6 => ("busy".to_owned(), create_backend("busy", "dev")),
                    _ => (format!("app{round}x{i}"), create_backend("todo", "dev")),
                };
                tokio::spawn(async move {
                    let job = store
                        .start_job(&t, inline(&app, "dev", "CreateBackend", changes))
                        .await;
                    (i, app, job)
                })
            })
            .collect();
        for job in jobs {
            let (i, app, job) = job.await.unwrap();
            if i % 10 == 6 {
                assert!(is_pending_in(&job, &app, "dev"), "{app}: {job:?}");
                continue;
            }
            let job = job.unwrap();
            let error = job.error.clone();
            match i % 10 {
                4 => {
                    assert_eq!(job.status, JobStatus::Failed, "{app}");
                    let rule = app_named(&app, "first", "second");
                    assert_eq!(error, Some(JobFailure::Rule(rule)));
                }
                8 => {
                    assert_eq!(job.status, JobStatus::Failed, "{app}");
                    assert_eq!(error, Some(JobFailure::Rule(env_exists(&app, "dev"))));
                }
                _ => {
                    assert_eq!(job.status, JobStatus::Completed, "{app}: {error:?}");
                    let t = &tenants[i % 2];
                    let backend = store.get_backend(t, &app, Some("dev")).await.unwrap();
                    assert!(backend.is_some(), "{app} was created");
                }
            }
        }
    }
    let named = store.get_app(&tenants[0], "named").await.unwrap().unwrap();
    assert_eq!(named.app_name, "first", "failed jobs changed nothing");
    // Rows written by one statement carry its transaction id.
    let counts = schema.query(
        "SELECT count(*) || ' ' || count(DISTINCT xmin::text) FROM jobs WHERE status = 'COMPLETED'",
    );
    let counts: Vec<u64> = counts
        .first()
        .map(String::as_str)
        .unwrap_or_default()
        .split(' ')
        .filter_map(|n| n.parse().ok())
        .collect();
    assert_eq!(
        counts.first(),
        Some(&142),
        "2 + 5 rounds of 28 completed jobs"
    );
    assert!(
        counts
            .get(1)
            .is_some_and(|&transactions| transactions < 142),
        "jobs started together committed together: {counts:?}"
    );
}
