//! Durable state of the amplifybackend service.
//!
//! [`Store`] speaks the service's domain (apps, environments, resources, jobs, tokens,
//! backend configs, buckets), never HTTP or wire shapes; resource configurations travel as
//! the JSON documents the model defines. Every write is one transaction. The database, not
//! a check in memory, enforces the rules that must hold across server processes: one
//! RUNNING job per environment, one resource of each kind per environment, one environment
//! of a name per app.
//!
//! Implementations: SQLite (the default, [`sqlite::SqliteStore`]) and PostgreSQL
//! ([`postgres::PgStore`], which several server processes can share), each behind a cargo
//! feature of its name; both are on by default. Each creates its schema with one
//! migration; the migration runner applies later ones in order.
//!
//! # Broken rules
//!
//! A write that would break a rule of the data fails with [`StoreError::Rule`] and a
//! [`RuleBroken`] naming the rule and what broke it; a job whose change broke one is
//! recorded FAILED with a [`JobFailure`] as its `error`. Neither carries a sentence: the
//! server words them (`crates/server/src/error`), once, so that a rule reads the same
//! whether it was found by a read before the job, by the job's own transaction within the
//! request, or by the worker completing a deferred job later. Why the failure is kept as
//! a value rather than as its sentence: [`JobFailure`].
//!
//! # Write routes
//!
//! Every write is one of the [`Store`] methods below. Reads never wait for writes (SQLite
//! reads on connections of their own in WAL mode; PostgreSQL reads on pooled connections).
//!
//! | write (operations) | SQLite ([`sqlite`]) | PostgreSQL ([`postgres`]) |
//! |---|---|---|
//! | `start_job`, inline CreateBackend ([`NewJob::new_backend`]) | writer thread, group commit, no savepoint: `write_reads_first` | `group_commit` queue: one statement alone (`one_statement`) or with other apps' CreateBackends (`new_backends`) |
//! | `start_job`, other inline jobs (every job-starting operation with `--job-duration-ms 0`) | writer thread, group commit, the request's savepoint | `group_commit` queue, `one_statement` (changes that can share one statement), else `transaction` |
//! | `start_job`, deferred jobs | writer thread, group commit, savepoint: one row | a transaction of one row |
//! | `complete_due_jobs` (the job worker), `update_job` (UpdateBackendJob) | writer thread, group commit, a savepoint per job and one for its changes | claim under a lease, then a transaction per job, its changes pipelined |
//! | tokens, backend config | writer thread, group commit, savepoint: one statement | one statement |
//! | the Amplify service's apps and environments (`create_app`, `update_app`, `delete_app`, `create_environment`, `delete_environment`) | writer thread, group commit, savepoint: the read and the write of a change in one closure | a transaction each; `update_app` locks the app's row (`FOR UPDATE`) |
//!
//! Why each is faster than one plain transaction per write:
//!
//! - **Group commit** (SQLite's writer thread; PostgreSQL's `group_commit`): the writes
//!   that queue while the database is busy share one commit, so one fsync (one WAL flush)
//!   acknowledges them all; a busy server commits far fewer times than it writes.
//! - **A savepoint per write** (SQLite): a write that fails rolls back alone, without
//!   spoiling the batch's transaction that it shares.
//! - **`write_reads_first`** (SQLite, CreateBackend): it reads everything that could
//!   refuse it before it writes, so it needs no savepoint, and SQLite copies no page it
//!   changes into a sub-journal.
//! - **`transaction`** (PostgreSQL): BEGIN, the job's row and every statement of its
//!   changes go in one round trip (pipelined), then COMMIT: two round trips however many
//!   statements.
//! - **`one_statement`** (PostgreSQL): the job's row and changes as the parts of one
//!   statement, which PostgreSQL runs as its own transaction: one round trip, one parse,
//!   one commit.
//! - **`new_backends`** (PostgreSQL): CreateBackends that go together as one multi-row
//!   `INSERT` per table instead of a statement part per row, which was most of a combined
//!   statement's cost.
//!
//! Each engine's module says when a write takes which route, and how.

#[cfg(feature = "postgres")]
pub mod postgres;
mod rules;
mod snapshot;
#[cfg(feature = "sqlite")]
pub mod sqlite;
mod types;

pub use rules::{JobFailure, RuleBroken};
pub use snapshot::*;
pub use types::*;

use async_trait::async_trait;
use std::sync::Arc;

/// Why a store operation failed.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// The write would break a rule of the data; nothing of it was kept. The server words
    /// it for clients; this crate's text is for logs.
    #[error("a rule of the data would break: {0:?}")]
    Rule(RuleBroken),
    /// The thing to change does not exist; the payload names its kind (`job`, `app`, `token`).
    #[error("{0} not found")]
    NotFound(&'static str),
    /// The database URL is not one this build understands.
    #[error("unsupported database URL: {0}")]
    UnsupportedUrl(String),
    /// The database failed or is unreachable; the text is for logs, not for clients.
    #[error("database error: {0}")]
    Database(String),
}

/// Result of store operations.
pub type StoreResult<T> = Result<T, StoreError>;

/// The service's durable state. All methods are scoped to a [`Tenant`].
#[async_trait]
pub trait Store: Send + Sync + std::fmt::Debug + 'static {
    /// A 32-byte key, created once per database, that signs pagination tokens so that
    /// every server process sharing the database accepts the others' tokens.
    fn token_signing_key(&self) -> &[u8];

    // --- apps and environments -------------------------------------------------------

    /// The app, if this tenant has it.
    async fn get_app(&self, tenant: &Tenant, app_id: &str) -> StoreResult<Option<App>>;
    /// The app's environments, sorted by name.
    async fn list_environments(
        &self,
        tenant: &Tenant,
        app_id: &str,
    ) -> StoreResult<Vec<Environment>>;
    /// One environment.
    async fn get_environment(
        &self,
        tenant: &Tenant,
        app_id: &str,
        env: &str,
    ) -> StoreResult<Option<Environment>>;

    // --- the Amplify service's apps and environments ---------------------------------

    /// Creates an app ([`RuleBroken::AppExists`] if its id is taken).
    async fn create_app(&self, tenant: &Tenant, app: NewApp) -> StoreResult<App>;
    /// Up to `limit` apps whose id sorts after `after`, by `appId`.
    async fn list_apps(
        &self,
        tenant: &Tenant,
        after: Option<&str>,
        limit: usize,
    ) -> StoreResult<AppPage>;
    /// Changes the app as it is at the time of the write; [`StoreError::NotFound`]`("app")`
    /// if it does not exist.
    async fn update_app(
        &self,
        tenant: &Tenant,
        app_id: &str,
        update: AppUpdate,
    ) -> StoreResult<App>;
    /// Deletes the app with everything it holds (environments, resources, API models,
    /// jobs, tokens) in one transaction; answers the app as it was, if it existed.
    async fn delete_app(&self, tenant: &Tenant, app_id: &str) -> StoreResult<Option<App>>;
    /// Creates an environment of an existing app: [`RuleBroken::AppMissing`],
    /// [`RuleBroken::EnvironmentExists`].
    async fn create_environment(
        &self,
        tenant: &Tenant,
        app_id: &str,
        env: &str,
        meta: serde_json::Value,
        created_at_ms: i64,
    ) -> StoreResult<Environment>;
    /// Deletes an environment and its resources and API models (its jobs stay readable);
    /// [`RuleBroken::PendingJob`] while a job of it is RUNNING. Answers the environment as
    /// it was, if it existed.
    async fn delete_environment(
        &self,
        tenant: &Tenant,
        app_id: &str,
        env: &str,
    ) -> StoreResult<Option<Environment>>;

    // --- resources ------------------------------------------------------------------

    /// The environment's resource of one kind.
    async fn get_resource(
        &self,
        tenant: &Tenant,
        app_id: &str,
        env: &str,
        kind: ResourceKind,
    ) -> StoreResult<Option<Resource>>;
    /// Every resource of the environment, ordered by kind (auth, api, storage).
    async fn list_resources(
        &self,
        tenant: &Tenant,
        app_id: &str,
        env: &str,
    ) -> StoreResult<Vec<Resource>>;

    /// The app with its environments and, if `env` names one of them, its resources:
    /// GetBackend in one read (one snapshot; one round trip to a database server).
    async fn get_backend(
        &self,
        tenant: &Tenant,
        app_id: &str,
        env: Option<&str>,
    ) -> StoreResult<Option<Backend>>;

    /// The models last generated from the environment's GraphQL API.
    async fn get_api_models(
        &self,
        tenant: &Tenant,
        app_id: &str,
        env: &str,
    ) -> StoreResult<Option<ApiModels>>;

    // --- jobs -----------------------------------------------------------------------

    /// Records a RUNNING job. With `due_at_ms: None` its changes are applied and it is
    /// completed in the same transaction (FAILED, with the reason in `error`, if a change
    /// breaks a rule of the data; nothing is then applied). Fails with
    /// [`RuleBroken::PendingJob`] if the environment already has a RUNNING job, and
    /// [`RuleBroken::JobIdTaken`] if the job's id is.
    async fn start_job(&self, tenant: &Tenant, job: NewJob) -> StoreResult<Job>;
    /// One job of an environment.
    async fn get_job(
        &self,
        tenant: &Tenant,
        app_id: &str,
        env: &str,
        job_id: &str,
    ) -> StoreResult<Option<Job>>;
    /// The environment's jobs matching `query`, newest first.
    async fn list_jobs(
        &self,
        tenant: &Tenant,
        app_id: &str,
        env: &str,
        query: &JobQuery,
    ) -> StoreResult<JobPage>;
    /// Whether any environment of the app has a RUNNING job.
    async fn app_has_running_job(&self, tenant: &Tenant, app_id: &str) -> StoreResult<bool>;
    /// Changes a job's `operation` label and/or status. RUNNING → FAILED cancels the job
    /// (its changes are never applied); RUNNING → COMPLETED completes it now (its changes are
    /// applied); a finished job's status cannot change ([`RuleBroken::InvalidJobTransition`]).
    async fn update_job(&self, tenant: &Tenant, update: JobUpdate) -> StoreResult<Job>;
    /// Completes up to `limit` RUNNING jobs of any tenant whose due time is at or before
    /// `now_ms`, each in its own transaction, each exactly once; returns them.
    async fn complete_due_jobs(&self, now_ms: i64, limit: usize) -> StoreResult<Vec<Job>>;
    /// The earliest due time of a RUNNING job, if any (for a job that another worker has
    /// claimed, the end of that claim if it is later).
    async fn next_due_at(&self) -> StoreResult<Option<i64>>;

    // --- tokens ---------------------------------------------------------------------

    /// Records a login challenge; [`RuleBroken::TokenSessionTaken`] if the app has a token
    /// of its session id.
    async fn create_token(&self, tenant: &Tenant, token: Token) -> StoreResult<()>;
    /// The token unless it has expired at `now_secs` (expired tokens read as absent).
    async fn get_token(
        &self,
        tenant: &Tenant,
        app_id: &str,
        session_id: &str,
        now_secs: i64,
    ) -> StoreResult<Option<Token>>;
    /// Deletes a token; false if there was none (or it had expired).
    async fn delete_token(
        &self,
        tenant: &Tenant,
        app_id: &str,
        session_id: &str,
        now_secs: i64,
    ) -> StoreResult<bool>;

    // --- backend config -------------------------------------------------------------

    /// Stores the app's Studio login configuration; [`StoreError::NotFound`]`("app")` if
    /// the app is unknown.
    async fn set_login_auth_config(
        &self,
        tenant: &Tenant,
        app_id: &str,
        login_auth_config: Option<serde_json::Value>,
    ) -> StoreResult<App>;
    /// Disables Studio for the app and forgets its login configuration.
    async fn remove_backend_config(&self, tenant: &Tenant, app_id: &str) -> StoreResult<()>;

    // --- buckets --------------------------------------------------------------------

    /// The tenant's known buckets, sorted by name.
    async fn list_buckets(&self, tenant: &Tenant) -> StoreResult<Vec<Bucket>>;

    // --- test control ---------------------------------------------------------------

    /// Every row of the `scope`, read in one snapshot of the database.
    async fn export_state(&self, scope: &Scope) -> StoreResult<Snapshot>;
    /// Replaces every row of the `scope` with the `snapshot`'s (an empty snapshot resets
    /// the scope), in one transaction: a concurrent request sees the state before or
    /// after, never part of it. The caller checks that the snapshot's rows lie in the
    /// scope and keep the rules of the data; a job id taken outside the scope answers
    /// [`RuleBroken::JobIdTaken`]. With [`ImportWhen::NoApps`] nothing is done (false)
    /// if the database holds an app.
    async fn import_state(
        &self,
        scope: &Scope,
        snapshot: Snapshot,
        when: ImportWhen,
    ) -> StoreResult<bool>;
    /// Completes or fails a RUNNING job of the `scope` by hand (the job waits for this
    /// when started with [`NEVER_DUE`]); returns its tenant and the job as it ends.
    /// [`StoreError::NotFound`]`("job")` if the scope has no such job,
    /// [`RuleBroken::InvalidJobTransition`] if it is no longer RUNNING.
    async fn advance_job(&self, scope: &Scope, advance: JobAdvance) -> StoreResult<(Tenant, Job)>;

    // --- operations -----------------------------------------------------------------

    /// Checks that the database answers (health endpoint).
    async fn ping(&self) -> StoreResult<()>;
}

/// Opens the store a database URL names: `sqlite:///abs/path.db`, `sqlite://rel.db`,
/// `sqlite:rel.db`, `sqlite::memory:`, a bare file path, or
/// `postgres://user:password@host:port/database` (also `postgresql://`; libpq's query
/// parameters, plus `?schema=name` to keep the tables in a schema of their own). Brings
/// the database's schema up to date first.
pub async fn open(url: &str, options: &StoreOptions) -> StoreResult<Arc<dyn Store>> {
    #[cfg(feature = "postgres")]
    if let Some(target) = postgres::PgTarget::from_url(url) {
        return Ok(Arc::new(postgres::PgStore::open(target?, options).await?));
    }
    #[cfg(feature = "sqlite")]
    if let Some(target) = sqlite::SqliteTarget::from_url(url) {
        return Ok(Arc::new(sqlite::SqliteStore::open(target, options).await?));
    }
    let _ = options;
    Err(StoreError::UnsupportedUrl(redacted_url(url)))
}

/// Brings the schema of the database `url` names up to date, and nothing else; several
/// processes may do so at once. Returns what it did, in words.
pub async fn migrate(url: &str, options: &StoreOptions) -> StoreResult<String> {
    #[cfg(feature = "postgres")]
    if let Some(target) = postgres::PgTarget::from_url(url) {
        let migrated = postgres::PgStore::migrate(target?, options).await?;
        return Ok(if migrated.from == migrated.to {
            format!("the schema is up to date (version {})", migrated.to)
        } else {
            format!(
                "migrated the schema from version {} to {}",
                migrated.from, migrated.to
            )
        });
    }
    #[cfg(feature = "sqlite")]
    if let Some(target) = sqlite::SqliteTarget::from_url(url) {
        // Opening a SQLite database migrates it.
        drop(sqlite::SqliteStore::open(target, options).await?);
        return Ok("the schema is up to date".to_owned());
    }
    let _ = options;
    Err(StoreError::UnsupportedUrl(redacted_url(url)))
}

/// `url` with its password, if any, replaced by `***`: for logs and messages.
pub fn redacted_url(url: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else {
        return url.to_owned();
    };
    let (authority, tail) = match rest.find(['/', '?']) {
        Some(i) => rest.split_at(i),
        None => (rest, ""),
    };
    match authority.rsplit_once('@') {
        Some((userinfo, host)) if userinfo.contains(':') => {
            let user = userinfo.split_once(':').map_or(userinfo, |(u, _)| u);
            format!("{scheme}://{user}:***@{host}{tail}")
        }
        _ => url.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::redacted_url;

    #[test]
    fn passwords_are_redacted() {
        assert_eq!(
            redacted_url("postgres://u:secret@h:5432/db?x=1"),
            "postgres://u:***@h:5432/db?x=1"
        );
        assert_eq!(redacted_url("postgres://u@h/db"), "postgres://u@h/db");
        assert_eq!(redacted_url("postgres://h/db"), "postgres://h/db");
        assert_eq!(redacted_url("sqlite::memory:"), "sqlite::memory:");
        assert_eq!(redacted_url("sqlite:///a/b.db"), "sqlite:///a/b.db");
    }
}
