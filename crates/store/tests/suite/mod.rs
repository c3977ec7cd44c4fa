//! The store conformance suite: `check_*` functions that any [`Store`] must pass. A
//! backend runs them with [`store_conformance!`] (each check on a fresh store) and, if it
//! persists, [`persistent_conformance!`] (each check given a database URL to open and reopen).

#![allow(dead_code)]

mod apps;
mod control;
mod job_updates;
mod jobs;
mod persist;
mod records;
mod tenancy;

pub use apps::*;
pub use control::*;
pub use job_updates::*;
pub use jobs::*;
pub use persist::*;
pub use records::*;
pub use tenancy::*;

use amplifybackend_store::{
    ApiModels, Backend, Change, Job, JobFailure, JobStatus, NewJob, ResourceKind, RuleBroken,
    Store, StoreError, Tenant, WhenBroken,
};
use serde_json::json;
use std::sync::Arc;

/// One test per check, each given a fresh store by `$open` (an expression whose future
/// yields a value with a `store()` method that outlives the check, e.g. a temp-file guard).
/// Attributes in brackets before `$open` go on every test, e.g. an `ignore` for a database
/// server that is not configured, so that the test is listed as ignored rather than passing.
macro_rules! store_conformance {
    (@each [$($attrs:tt)*] $open:expr; $check:ident, $($rest:ident,)*) => {
        #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
        $($attrs)*
        async fn $check() {
            let db = $open.await;
            $crate::suite::$check(db.store()).await;
        }
        store_conformance!(@each [$($attrs)*] $open; $($rest,)*);
    };
    (@each [$($attrs:tt)*] $open:expr;) => {};
    ([$($attrs:tt)*] $open:expr) => {
        store_conformance!(@each [$($attrs)*] $open;
            check_ping_and_signing_key,
            check_tenancy_isolation,
            check_app_env_resource_lifecycle,
            check_get_backend,
            check_failed_change_applies_nothing,
            check_refused_job_records_nothing,
            check_create_backend_breaking_a_rule_fails,
            check_buckets,
            check_api_models,
            check_backend_config,
            check_tokens,
            check_inline_job_completes,
            check_deferred_job,
            check_complete_due_jobs_exactly_once_concurrently,
            check_pending_job_rule,
            check_cancelled_job_never_applies,
            check_update_job,
            check_list_jobs,
            check_group_commit_concurrency,
            check_export_reset_import_gives_back_every_read,
            check_reset_by_account_or_region,
            check_import_when_no_apps,
            check_advance_job,
        );
    };
    ($open:expr) => {
        store_conformance!([] $open);
    };
}

/// One test per check that needs to reopen the database: `$url` is an expression whose
/// future yields a guard with a `url()` method naming a fresh database; attributes in
/// brackets before `$url` go on every test, as with [`store_conformance!`].
macro_rules! persistent_conformance {
    (@each [$($attrs:tt)*] $url:expr; $check:ident, $($rest:ident,)*) => {
        #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
        $($attrs)*
        async fn $check() {
            let db = $url.await;
            $crate::suite::$check(db.url()).await;
        }
        persistent_conformance!(@each [$($attrs)*] $url; $($rest,)*);
    };
    (@each [$($attrs:tt)*] $url:expr;) => {};
    ([$($attrs:tt)*] $url:expr) => {
        persistent_conformance!(@each [$($attrs)*] $url;
            check_durable_across_reopen,
            check_signing_key_stable_across_reopen,
        );
    };
    ($url:expr) => {
        persistent_conformance!([] $url);
    };
}

pub(crate) use {persistent_conformance, store_conformance};

/// A fixed "now" so that times are checked exactly.
pub const NOW: i64 = 1_700_000_000_000;

pub fn tenant(account: &str, region: &str) -> Tenant {
    Tenant {
        account: account.to_owned(),
        region: region.to_owned(),
    }
}

/// A tenant of its own, so that checks never see each other's data on a shared database.
pub fn fresh_tenant() -> Tenant {
    let digits: String = uuid::Uuid::new_v4()
        .as_u128()
        .to_string()
        .chars()
        .take(12)
        .collect();
    tenant(&format!("{digits:0>12}"), "us-east-1")
}

pub fn uid() -> String {
    uuid::Uuid::new_v4().to_string()
}

/// A job that completes within `start_job`.
pub fn inline(app_id: &str, env: &str, operation: &str, changes: Vec<Change>) -> NewJob {
    NewJob {
        job_id: uid(),
        app_id: app_id.to_owned(),
        env: env.to_owned(),
        operation: operation.to_owned(),
        now_ms: NOW,
        due_at_ms: None,
        changes,
        when_broken: WhenBroken::Fail,
    }
}

/// A job a worker completes at `due_at_ms`.
pub fn deferred(
    app_id: &str,
    env: &str,
    operation: &str,
    due_at_ms: i64,
    changes: Vec<Change>,
) -> NewJob {
    NewJob {
        due_at_ms: Some(due_at_ms),
        ..inline(app_id, env, operation, changes)
    }
}

/// What CreateBackend does.
pub fn create_backend(app_name: &str, env: &str) -> Vec<Change> {
    vec![Change::CreateBackend {
        app_name: app_name.to_owned(),
        env: env.to_owned(),
        meta: json!({ "StackName": format!("amplify-{env}") }),
    }]
}

/// What CreateBackend does, as the general changes it stands for.
pub fn ensure_app_and_environment(app_name: &str, env: &str) -> Vec<Change> {
    vec![
        Change::EnsureApp {
            app_name: app_name.to_owned(),
        },
        Change::CreateEnvironment {
            env: env.to_owned(),
            meta: json!({ "StackName": format!("amplify-{env}") }),
        },
    ]
}

pub fn put_resource(env: &str, kind: ResourceKind, name: &str) -> Change {
    Change::PutResource {
        env: env.to_owned(),
        kind,
        name: name.to_owned(),
        config: json!({ "resourceName": name, "kind": kind.as_str() }),
        outputs: json!({ "Id": format!("{name}-id") }),
        imported: false,
    }
}

/// Runs an inline job and insists that it completed.
pub async fn run(
    store: &Arc<dyn Store>,
    t: &Tenant,
    app_id: &str,
    env: &str,
    changes: Vec<Change>,
) -> Job {
    let job = store
        .start_job(t, inline(app_id, env, "CreateBackend", changes))
        .await
        .unwrap();
    assert_eq!(
        job.status,
        JobStatus::Completed,
        "job failed: {:?}",
        job.error
    );
    job
}

/// Runs an inline job and insists that it failed; returns why.
pub async fn run_failing(
    store: &Arc<dyn Store>,
    t: &Tenant,
    app_id: &str,
    env: &str,
    changes: Vec<Change>,
) -> JobFailure {
    let job = store
        .start_job(t, inline(app_id, env, "CreateBackend", changes))
        .await
        .unwrap();
    assert_eq!(job.status, JobStatus::Failed);
    let recorded = store
        .get_job(t, app_id, env, &job.job_id)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(recorded.error, job.error, "the failure is kept as answered");
    job.error.expect("a failed job says why")
}

/// Runs an inline job and insists that it failed by breaking a rule; returns the rule.
pub async fn run_breaking(
    store: &Arc<dyn Store>,
    t: &Tenant,
    app_id: &str,
    env: &str,
    changes: Vec<Change>,
) -> RuleBroken {
    match run_failing(store, t, app_id, env, changes).await {
        JobFailure::Rule(rule) => rule,
        other => panic!("not a rule: {other:?}"),
    }
}

/// The refusal of a job of `app_id` and `env` while another of the environment runs.
pub fn is_pending_in(result: &Result<Job, StoreError>, app_id: &str, env: &str) -> bool {
    matches!(
        result,
        Err(StoreError::Rule(RuleBroken::PendingJob { app_id: a, env: e })) if a == app_id && e == env
    )
}

pub fn is_pending(result: &Result<Job, StoreError>) -> bool {
    matches!(result, Err(StoreError::Rule(RuleBroken::PendingJob { .. })))
}

/// [`RuleBroken::AppNameMismatch`].
pub fn app_named(app_id: &str, name: &str, expected: &str) -> RuleBroken {
    RuleBroken::AppNameMismatch {
        app_id: app_id.to_owned(),
        name: name.to_owned(),
        expected: expected.to_owned(),
    }
}

/// [`RuleBroken::EnvironmentExists`].
pub fn env_exists(app_id: &str, env: &str) -> RuleBroken {
    RuleBroken::EnvironmentExists {
        app_id: app_id.to_owned(),
        env: env.to_owned(),
    }
}

/// [`RuleBroken::EnvironmentMissing`].
pub fn env_missing(app_id: &str, env: &str) -> RuleBroken {
    RuleBroken::EnvironmentMissing {
        app_id: app_id.to_owned(),
        env: env.to_owned(),
    }
}
