//! The PostgreSQL [`Store`]: tokio-postgres over a deadpool pool, prepared statements
//! cached per connection, one transaction per write. The database enforces the rules that
//! must hold across processes (one RUNNING job per environment: a partial unique index;
//! one resource of a kind per environment: the primary key), and due jobs are claimed
//! with `FOR UPDATE SKIP LOCKED` under a lease, so any number of server processes can
//! share one database and each job completes exactly once.
//!
//! A connection that breaks (the server restarted, the network failed) fails the request
//! that was using it with [`StoreError::Database`] and is discarded; the pool opens fresh
//! ones as soon as the server answers again.
//!
//! # Write routes
//!
//! An inline job (`start_job` without a due time) takes one of four routes, chosen in
//! `jobs::start_inline`:
//!
//! - **`one_statement`**: when its changes can share one statement
//!   (`one_statement::composable`: a few changes, none reading what another wrote, no row
//!   written twice), the job's row (recorded COMPLETED unless a job of its environment is
//!   RUNNING) and each statement of its changes become the data-modifying `WITH` parts of
//!   one statement, whose final `SELECT` aborts it all (`amplifybackend_refuse`) when a
//!   part's answer breaks a rule. PostgreSQL runs it as its own transaction: one round
//!   trip, one parse, one commit.
//! - **`group_commit`**: every such statement goes through one queue, drained by one task.
//!   With no statement of jobs at the database a job goes at once; with some there, the
//!   jobs that queue meanwhile go together, those of different apps with the same parts
//!   as one statement: one round trip, one executor start and one commit (WAL flush) for
//!   all. If a combined statement fails, nothing of it was kept and each of its jobs runs
//!   again alone, for the answer it would have had alone.
//! - **`new_backends`**: CreateBackends ([`NewJob::new_backend`]) that go together are one
//!   multi-row `INSERT … SELECT … FROM unnest(…)` per table instead of a `WITH` part per
//!   row of each job.
//! - **`transaction`** (`jobs::in_transaction`): any other job (EnableStudio after
//!   EnsureApp, more than a few changes, changes that could break different rules on one
//!   table). BEGIN, the job's row and every statement of its changes are sent together
//!   (`changes::begin_and_apply`, pipelined), then COMMIT: two round trips however many
//!   statements, each answer judged in order.
//!
//! A job whose change broke a rule keeps nothing of the route it took: it is recorded
//! FAILED by a statement of its own (or refused, [`crate::WhenBroken::Refuse`]).
//! Deferred jobs are one INSERT in a transaction; the worker claims due jobs with one
//! statement (`FOR UPDATE SKIP LOCKED`, under a lease) and completes each in a transaction
//! of its own, its changes pipelined inside a savepoint (`changes::apply`), as
//! UpdateBackendJob does; tokens and the backend config are one statement each.

mod changes;
mod group_commit;
mod jobs;
mod new_backends;
mod one_statement;
mod reads;
mod schema;
mod snapshot;
mod target;

pub use schema::Migrated;
pub use target::PgTarget;

use crate::{
    ApiModels, App, Backend, Bucket, Environment, ImportWhen, Job, JobAdvance, JobPage, JobQuery,
    JobUpdate, NewJob, Resource, ResourceKind, RuleBroken, Scope, Snapshot, Store, StoreError,
    StoreOptions, StoreResult, Tenant, Token,
};
use async_trait::async_trait;
use deadpool_postgres::{Manager, ManagerConfig, Pool, PoolError, RecyclingMethod, Runtime};
use reads::{APP_COLUMNS, app_row, exec, one};
use std::time::Duration;

/// A transaction on a pooled connection.
type Tx<'a> = deadpool_postgres::Transaction<'a>;

/// A PostgreSQL database behind the [`Store`] trait.
pub struct PgStore {
    pool: Pool,
    signing_key: [u8; 32],
    /// Names this process's claims on due jobs (`jobs.claimed_by`), for diagnosis.
    instance: String,
    job_lease: Duration,
    described: String,
    /// Where inline jobs queue to share statements with other requests' jobs.
    group_commit: group_commit::GroupCommit,
}

impl std::fmt::Debug for PgStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PgStore")
            .field("database", &self.described)
            .field("instance", &self.instance)
            .field("pool", &self.pool.status())
            .finish_non_exhaustive()
    }
}

pub(super) fn db_err(e: tokio_postgres::Error) -> StoreError {
    match e.as_db_error() {
        Some(db) => StoreError::Database(format!(
            "{} ({}): {}",
            db.severity(),
            db.code().code(),
            db.message()
        )),
        None => {
            // "error connecting to server: Connection refused (os error 111)"
            let mut text = e.to_string();
            let mut source = std::error::Error::source(&e);
            while let Some(cause) = source {
                let cause_text = cause.to_string();
                if !text.contains(&cause_text) {
                    text.push_str(": ");
                    text.push_str(&cause_text);
                }
                source = cause.source();
            }
            StoreError::Database(text)
        }
    }
}

pub(super) fn pool_err(e: PoolError) -> StoreError {
    match e {
        PoolError::Backend(e) => db_err(e),
        other => StoreError::Database(format!("no database connection: {other}")),
    }
}

/// An integrity constraint violation (SQLSTATE class 23): a rule of the data would break.
pub(super) fn is_constraint(e: &tokio_postgres::Error) -> bool {
    e.code().is_some_and(|c| c.code().starts_with("23"))
}

fn build_pool(target: &PgTarget, options: &StoreOptions) -> StoreResult<Pool> {
    let manager = Manager::from_config(
        target.connection_config(options),
        tokio_postgres::NoTls,
        ManagerConfig {
            // A connection the server closed is noticed when it is handed out again and
            // replaced, so the pool heals by itself once the server is back.
            recycling_method: RecyclingMethod::Fast,
        },
    );
    Pool::builder(manager)
        .max_size(options.pool_size.max(1))
        .runtime(Runtime::Tokio1)
        .wait_timeout(Some(options.connect_timeout))
        .create_timeout(Some(options.connect_timeout))
        .recycle_timeout(Some(options.connect_timeout))
        .build()
        .map_err(|e| StoreError::Database(format!("cannot build the connection pool: {e}")))
}

impl PgStore {
    /// Connects, brings the schema up to date (creating the URL's `schema`, if any) and
    /// reads or creates the signing key.
    pub async fn open(target: PgTarget, options: &StoreOptions) -> StoreResult<PgStore> {
        let pool = build_pool(&target, options)?;
        schema::migrate(&pool, target.schema.as_deref()).await?;
        let signing_key = schema::signing_key(&pool).await?;
        let described = describe(&target);
        let in_flight = in_flight_statements(options.pool_size);
        let group_commit = group_commit::GroupCommit::start(pool.clone(), in_flight);
        Ok(PgStore {
            pool,
            signing_key,
            instance: format!("{:016x}", rand::random::<u64>()),
            job_lease: options.job_lease,
            described,
            group_commit,
        })
    }

    /// Runs the migrations and nothing else (`amplifybackend migrate`).
    pub async fn migrate(target: PgTarget, options: &StoreOptions) -> StoreResult<Migrated> {
        let options = StoreOptions {
            pool_size: 1,
            ..options.clone()
        };
        let pool = build_pool(&target, &options)?;
        let migrated = schema::migrate(&pool, target.schema.as_deref()).await;
        pool.close();
        migrated
    }

    async fn client(&self) -> StoreResult<deadpool_postgres::Client> {
        self.pool.get().await.map_err(pool_err)
    }
}

/// How many statements of inline jobs may be at the database at once: half the pool, so
/// that reads always find a connection.
fn in_flight_statements(pool_size: usize) -> usize {
    (pool_size / 2).max(1)
}

fn describe(target: &PgTarget) -> String {
    let c = &target.config;
    let hosts: Vec<String> = c
        .get_hosts()
        .iter()
        .map(|h| match h {
            tokio_postgres::config::Host::Tcp(name) => name.clone(),
            #[cfg(unix)]
            tokio_postgres::config::Host::Unix(path) => path.display().to_string(),
        })
        .collect();
    format!(
        "{}@{}:{:?}/{}{}",
        c.get_user().unwrap_or(""),
        hosts.join(","),
        c.get_ports(),
        c.get_dbname().unwrap_or(""),
        target
            .schema
            .as_deref()
            .map(|s| format!(" schema {s}"))
            .unwrap_or_default()
    )
}

/// Runs `$body` in a transaction on a pooled connection `$tx`, committing if it returns
/// `Ok` (dropping the transaction rolls it back otherwise).
macro_rules! in_transaction {
    ($store:expr, |$tx:ident| $body:expr) => {{
        let mut client = $store.client().await?;
        #[allow(unused_mut)]
        let mut $tx = client.transaction().await.map_err(db_err)?;
        let value = $body;
        $tx.commit().await.map_err(db_err)?;
        Ok(value)
    }};
}

#[async_trait]
impl Store for PgStore {
    fn token_signing_key(&self) -> &[u8] {
        &self.signing_key
    }

    async fn get_app(&self, tenant: &Tenant, app_id: &str) -> StoreResult<Option<App>> {
        reads::get_app(&self.client().await?, tenant, app_id).await
    }

    async fn list_environments(
        &self,
        tenant: &Tenant,
        app_id: &str,
    ) -> StoreResult<Vec<Environment>> {
        reads::list_environments(&self.client().await?, tenant, app_id).await
    }

    async fn get_environment(
        &self,
        tenant: &Tenant,
        app_id: &str,
        env: &str,
    ) -> StoreResult<Option<Environment>> {
        reads::get_environment(&self.client().await?, tenant, app_id, env).await
    }

    async fn get_resource(
        &self,
        tenant: &Tenant,
        app_id: &str,
        env: &str,
        kind: ResourceKind,
    ) -> StoreResult<Option<Resource>> {
        reads::get_resource(&self.client().await?, tenant, app_id, env, kind).await
    }

    async fn list_resources(
        &self,
        tenant: &Tenant,
        app_id: &str,
        env: &str,
    ) -> StoreResult<Vec<Resource>> {
        reads::list_resources(&self.client().await?, tenant, app_id, env).await
    }

    async fn get_backend(
        &self,
        tenant: &Tenant,
        app_id: &str,
        env: Option<&str>,
    ) -> StoreResult<Option<Backend>> {
        reads::get_backend(&self.client().await?, tenant, app_id, env).await
    }

    async fn start_job(&self, tenant: &Tenant, job: NewJob) -> StoreResult<Job> {
        match job.due_at_ms {
            None => jobs::start_inline(self, tenant, job).await,
            Some(due_at_ms) => {
                in_transaction!(self, |tx| jobs::start_deferred(
                    &mut tx, tenant, job, due_at_ms
                )
                .await?)
            }
        }
    }

    async fn get_job(
        &self,
        tenant: &Tenant,
        app_id: &str,
        env: &str,
        job_id: &str,
    ) -> StoreResult<Option<Job>> {
        reads::get_job(&self.client().await?, tenant, app_id, env, job_id).await
    }

    async fn list_jobs(
        &self,
        tenant: &Tenant,
        app_id: &str,
        env: &str,
        query: &JobQuery,
    ) -> StoreResult<JobPage> {
        reads::list_jobs(&self.client().await?, tenant, app_id, env, query).await
    }

    async fn app_has_running_job(&self, tenant: &Tenant, app_id: &str) -> StoreResult<bool> {
        reads::app_has_running_job(&self.client().await?, tenant, app_id).await
    }

    async fn update_job(&self, tenant: &Tenant, update: JobUpdate) -> StoreResult<Job> {
        in_transaction!(self, |tx| jobs::update(&mut tx, tenant, update).await?)
    }

    async fn complete_due_jobs(&self, now_ms: i64, limit: usize) -> StoreResult<Vec<Job>> {
        if limit == 0 {
            return Ok(Vec::new());
        }
        jobs::complete_due(self, now_ms, limit).await
    }

    async fn next_due_at(&self) -> StoreResult<Option<i64>> {
        reads::next_due_at(&self.client().await?).await
    }

    async fn create_token(&self, tenant: &Tenant, token: Token) -> StoreResult<()> {
        exec(
            &self.client().await?,
            "INSERT INTO tokens (account, region, app_id, session_id, challenge_code, expires_at_secs)
             VALUES ($1, $2, $3, $4, $5, $6)",
            &[
                &tenant.account,
                &tenant.region,
                &token.app_id,
                &token.session_id,
                &token.challenge_code,
                &token.expires_at_secs,
            ],
        )
        .await
        .map(drop)
        .map_err(|e| {
            if is_constraint(&e) {
                StoreError::Rule(RuleBroken::TokenSessionTaken {
                    app_id: token.app_id.clone(),
                    session_id: token.session_id.clone(),
                })
            } else {
                db_err(e)
            }
        })
    }

    async fn get_token(
        &self,
        tenant: &Tenant,
        app_id: &str,
        session_id: &str,
        now_secs: i64,
    ) -> StoreResult<Option<Token>> {
        reads::get_token(&self.client().await?, tenant, app_id, session_id, now_secs).await
    }

    async fn delete_token(
        &self,
        tenant: &Tenant,
        app_id: &str,
        session_id: &str,
        now_secs: i64,
    ) -> StoreResult<bool> {
        // An expired token goes too, but reads as if it had not been there.
        let expires: Option<i64> = one(
            &self.client().await?,
            "DELETE FROM tokens WHERE account = $1 AND region = $2 AND app_id = $3 AND session_id = $4
             RETURNING expires_at_secs",
            &[&tenant.account, &tenant.region, &app_id, &session_id],
            |row| row.try_get(0).map_err(db_err),
        )
        .await?;
        Ok(expires.is_some_and(|at| at > now_secs))
    }

    async fn set_login_auth_config(
        &self,
        tenant: &Tenant,
        app_id: &str,
        login_auth_config: Option<serde_json::Value>,
    ) -> StoreResult<App> {
        one(
            &self.client().await?,
            &format!(
                "UPDATE apps SET login_auth_config = $4
                 WHERE account = $1 AND region = $2 AND app_id = $3
                 RETURNING {APP_COLUMNS}"
            ),
            &[&tenant.account, &tenant.region, &app_id, &login_auth_config],
            app_row,
        )
        .await?
        .ok_or(StoreError::NotFound("app"))
    }

    async fn remove_backend_config(&self, tenant: &Tenant, app_id: &str) -> StoreResult<()> {
        let updated = exec(
            &self.client().await?,
            "UPDATE apps SET backend_manager_app_id = NULL, login_auth_config = NULL
             WHERE account = $1 AND region = $2 AND app_id = $3",
            &[&tenant.account, &tenant.region, &app_id],
        )
        .await
        .map_err(db_err)?;
        if updated == 0 {
            Err(StoreError::NotFound("app"))
        } else {
            Ok(())
        }
    }

    async fn get_api_models(
        &self,
        tenant: &Tenant,
        app_id: &str,
        env: &str,
    ) -> StoreResult<Option<ApiModels>> {
        reads::get_api_models(&self.client().await?, tenant, app_id, env).await
    }

    async fn list_buckets(&self, tenant: &Tenant) -> StoreResult<Vec<Bucket>> {
        reads::list_buckets(&self.client().await?, tenant).await
    }

    async fn export_state(&self, scope: &Scope) -> StoreResult<Snapshot> {
        snapshot::export(self, scope).await
    }

    async fn import_state(
        &self,
        scope: &Scope,
        snapshot: Snapshot,
        when: ImportWhen,
    ) -> StoreResult<bool> {
        snapshot::import(self, scope, &snapshot, when).await
    }

    async fn advance_job(&self, scope: &Scope, advance: JobAdvance) -> StoreResult<(Tenant, Job)> {
        in_transaction!(self, |tx| jobs::advance(&mut tx, scope, advance).await?)
    }

    async fn ping(&self) -> StoreResult<()> {
        let client = self.client().await?;
        client.simple_query("SELECT 1").await.map_err(db_err)?;
        Ok(())
    }
}
