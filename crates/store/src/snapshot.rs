//! The whole state as rows, for tests that save, reset and restore it (the server's
//! `/_amplifybackend/state`), and a job finished by hand (`/_amplifybackend/jobs/advance`).
//!
//! A [`Snapshot`] holds every row of every table the [`crate::Store`] keeps, each with its
//! [`Tenant`], in the order the store reads them back: importing the snapshot of a scope
//! after that scope was emptied gives back exactly what every read answered before.

use crate::{ApiModels, App, Bucket, Change, Environment, Job, Resource, Tenant, Token};

/// The due time of a job that no worker completes: it waits for
/// [`crate::Store::advance_job`] (or UpdateBackendJob). Kept as a due time rather than as
/// a state of its own so that the workers' queries pass it by with no change.
pub const NEVER_DUE: i64 = i64::MAX;

/// Which part of the state a reset, export, import or advance concerns: one account, one
/// region, both, or (neither given) everything.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Scope {
    /// Only this account, if given.
    pub account: Option<String>,
    /// Only this region, if given.
    pub region: Option<String>,
}

impl Scope {
    /// Every account in every region.
    pub fn everything() -> Scope {
        Scope::default()
    }

    /// Whether the tenant's data lies within the scope.
    pub fn contains(&self, tenant: &Tenant) -> bool {
        self.account.as_ref().is_none_or(|a| *a == tenant.account)
            && self.region.as_ref().is_none_or(|r| *r == tenant.region)
    }
}

/// A row and whose it is.
#[derive(Debug, Clone, PartialEq)]
pub struct Owned<T> {
    /// The account and region the row belongs to.
    pub tenant: Tenant,
    /// The row.
    pub row: T,
}

/// The models generated for an environment's API.
#[derive(Debug, Clone, PartialEq)]
pub struct EnvironmentApiModels {
    /// `appId`.
    pub app_id: String,
    /// `backendEnvironmentName`.
    pub env: String,
    /// The models.
    pub models: ApiModels,
}

/// A job with what a worker needs to complete it.
#[derive(Debug, Clone, PartialEq)]
pub struct JobRecord {
    /// The job as clients see it.
    pub job: Job,
    /// A RUNNING job's due time; `None` for a finished job and for one that waits to be
    /// advanced ([`NEVER_DUE`]).
    pub due_at_ms: Option<i64>,
    /// A RUNNING job's changes, applied when it completes.
    pub changes: Option<Vec<Change>>,
    /// Its place in the order of jobs, which ListBackendJobs' page tokens point at. An
    /// import keeps the places given when none of them is taken outside the scope (page
    /// tokens given out before then stay valid), else numbers the jobs afresh in the
    /// snapshot's order.
    pub seq: Option<i64>,
}

/// Every row of a scope of the state, each list in the order the store keeps it (jobs
/// oldest first: the order ListBackendJobs pages through).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Snapshot {
    /// Apps, with their Studio settings.
    pub apps: Vec<Owned<App>>,
    /// Environments.
    pub environments: Vec<Owned<Environment>>,
    /// Resources of environments.
    pub resources: Vec<Owned<Resource>>,
    /// Generated API models of environments.
    pub api_models: Vec<Owned<EnvironmentApiModels>>,
    /// Jobs, oldest first.
    pub jobs: Vec<Owned<JobRecord>>,
    /// Studio login challenges (expired ones too: they are still held).
    pub tokens: Vec<Owned<Token>>,
    /// Known buckets.
    pub buckets: Vec<Owned<Bucket>>,
}

/// When [`crate::Store::import_state`] imports.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ImportWhen {
    /// Always: the scope's rows are replaced.
    Always,
    /// Only if the database holds no app at all (seed data at start): several processes
    /// starting at once on one database import it once.
    NoApps,
}

/// How a job waiting in RUNNING ends, by hand.
#[derive(Debug, Clone, PartialEq)]
pub struct JobAdvance {
    /// `appId`.
    pub app_id: String,
    /// The job's environment.
    pub env: String,
    /// The job.
    pub job_id: String,
    /// `Ok`: completed, its changes applied (FAILED after all if one breaks a rule);
    /// `Err(text)`: FAILED with `text` as its error, nothing applied.
    pub outcome: Result<(), String>,
    /// Now, epoch milliseconds.
    pub now_ms: i64,
}
