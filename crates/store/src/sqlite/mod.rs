//! The SQLite [`Store`]: one writer thread that commits in groups, and read connections
//! used directly by the async callers. File databases run in WAL mode with
//! `synchronous=FULL`, so an acknowledged write survives a crash or a power cut.
//!
//! # Write routes
//!
//! Every write is a closure sent to the one writer thread (`writer::Writer`), which owns
//! the only write connection. It takes whatever has queued (up to 256 writes) into one
//! `BEGIN IMMEDIATE` transaction and commits it once: group commit, one fsync for all of
//! them. Within the batch each write runs in one of two ways:
//!
//! - **In a savepoint of its own** (`Writer::write`, every write but one): the
//!   `request` savepoint, rolled back if the write fails, so that it fails alone and the
//!   rest of the batch still commits. An inline job (`jobs::start`) applies its changes
//!   under that same savepoint, with nothing to roll back before it; a deferred job is
//!   one INSERT of its RUNNING row; completing a job (the worker's `complete_due_jobs`,
//!   UpdateBackendJob's `update_job`) nests a `finish` savepoint per job and a `changes`
//!   savepoint for its changes, so that a broken rule undoes the changes and still
//!   records the job FAILED.
//! - **Without a savepoint** (`Writer::write_reads_first`): an inline CreateBackend
//!   ([`NewJob::new_backend`], `jobs::start_new_backend`). One read finds whatever would
//!   refuse or fail it (a pending job, the app under another name, the environment
//!   already there), then its rows go in by statements that cannot abort, so it fails, if
//!   at all, before it has written anything. SQLite then copies none of the pages it
//!   changes into a savepoint's sub-journal: the commonest job writes least. Should it
//!   fail having written all the same, the whole batch rolls back and every write in it
//!   is told so.
//!
//! A broken rule comes back from `changes::apply` as a [`crate::JobFailure`]: the job is
//! recorded FAILED with it, or, for a job that refuses instead
//! ([`crate::WhenBroken::Refuse`]), the request's savepoint is rolled back and
//! `start_job` answers [`crate::StoreError::Rule`].

mod apps;
mod changes;
mod jobs;
mod reads;
mod schema;
mod snapshot;
mod target;
mod writer;

pub use target::SqliteTarget;

use crate::{
    ApiModels, App, AppPage, AppUpdate, Backend, Bucket, Environment, ImportWhen, Job, JobAdvance,
    JobPage, JobQuery, JobUpdate, NewApp, NewJob, Resource, ResourceKind, RuleBroken, Scope,
    Snapshot, Store, StoreError, StoreOptions, StoreResult, Tenant, Token,
};
use async_trait::async_trait;
use reads::{APP_COLUMNS, ReadPool, app_row};
use rusqlite::{Connection, OpenFlags, OptionalExtension, params};
use writer::Writer;

/// A SQLite database behind the [`Store`] trait.
pub struct SqliteStore {
    // Declared first so that it is dropped (and its thread joined) before the readers.
    writer: Writer,
    readers: ReadPool,
    signing_key: [u8; 32],
    target: SqliteTarget,
}

impl std::fmt::Debug for SqliteStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SqliteStore")
            .field("target", &self.target)
            .field("readers", &self.readers)
            .finish_non_exhaustive()
    }
}

pub(super) fn db_err(e: rusqlite::Error) -> StoreError {
    StoreError::Database(e.to_string())
}

pub(super) fn is_constraint(e: &rusqlite::Error) -> bool {
    e.sqlite_error_code() == Some(rusqlite::ErrorCode::ConstraintViolation)
}

impl SqliteStore {
    /// Opens (creating if needed) the database and brings its schema up to date.
    pub async fn open(target: SqliteTarget, options: &StoreOptions) -> StoreResult<SqliteStore> {
        let options = options.clone();
        // Opening touches the disk and may wait on another process's migration.
        tokio::task::spawn_blocking(move || Self::open_blocking(target, &options))
            .await
            .map_err(|e| StoreError::Database(format!("opening the database failed: {e}")))?
    }

    /// Write transactions committed (or attempted) so far; writes per transaction show how
    /// well group commit is grouping.
    pub fn write_transactions(&self) -> u64 {
        self.writer.batches()
    }

    fn open_blocking(target: SqliteTarget, options: &StoreOptions) -> StoreResult<SqliteStore> {
        let (name, file) = match &target {
            SqliteTarget::File(path) => (path.clone(), true),
            // The memdb VFS shares one in-memory database among this process's connections
            // by name, with ordinary locking that the busy timeout handles.
            SqliteTarget::Memory => {
                let id: u64 = rand::random();
                (
                    format!("file:/amplifybackend-{id:016x}?vfs=memdb").into(),
                    false,
                )
            }
        };
        let uri = if file {
            OpenFlags::empty()
        } else {
            OpenFlags::SQLITE_OPEN_URI
        };
        let open_err = |e: rusqlite::Error| {
            StoreError::Database(format!("cannot open {}: {e}", name.display()))
        };

        let mut conn = Connection::open_with_flags(
            &name,
            OpenFlags::SQLITE_OPEN_READ_WRITE
                | OpenFlags::SQLITE_OPEN_CREATE
                | OpenFlags::SQLITE_OPEN_NO_MUTEX
                | uri,
        )
        .map_err(open_err)?;
        schema::configure(&conn, true, file)?;
        schema::migrate(&mut conn)?;
        let signing_key = schema::signing_key(&conn)?;

        let read_name = name.clone();
        let readers = ReadPool::new(
            options.read_connections,
            Box::new(move || {
                let conn = Connection::open_with_flags(
                    &read_name,
                    OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX | uri,
                )
                .map_err(|e| {
                    StoreError::Database(format!("cannot open {}: {e}", read_name.display()))
                })?;
                schema::configure(&conn, false, file)?;
                Ok(conn)
            }),
        )?;
        let writer = Writer::spawn(conn, file)?;
        Ok(SqliteStore {
            writer,
            readers,
            signing_key,
            target,
        })
    }
}

#[async_trait]
impl Store for SqliteStore {
    fn token_signing_key(&self) -> &[u8] {
        &self.signing_key
    }

    async fn get_app(&self, tenant: &Tenant, app_id: &str) -> StoreResult<Option<App>> {
        self.readers.with(|c| reads::get_app(c, tenant, app_id))
    }

    async fn list_environments(
        &self,
        tenant: &Tenant,
        app_id: &str,
    ) -> StoreResult<Vec<Environment>> {
        self.readers
            .with(|c| reads::list_environments(c, tenant, app_id))
    }

    async fn get_environment(
        &self,
        tenant: &Tenant,
        app_id: &str,
        env: &str,
    ) -> StoreResult<Option<Environment>> {
        self.readers
            .with(|c| reads::get_environment(c, tenant, app_id, env))
    }

    async fn get_resource(
        &self,
        tenant: &Tenant,
        app_id: &str,
        env: &str,
        kind: ResourceKind,
    ) -> StoreResult<Option<Resource>> {
        self.readers
            .with(|c| reads::get_resource(c, tenant, app_id, env, kind))
    }

    async fn list_resources(
        &self,
        tenant: &Tenant,
        app_id: &str,
        env: &str,
    ) -> StoreResult<Vec<Resource>> {
        self.readers
            .with(|c| reads::list_resources(c, tenant, app_id, env))
    }

    async fn get_backend(
        &self,
        tenant: &Tenant,
        app_id: &str,
        env: Option<&str>,
    ) -> StoreResult<Option<Backend>> {
        self.readers
            .with(|c| reads::get_backend(c, tenant, app_id, env))
    }

    async fn start_job(&self, tenant: &Tenant, job: NewJob) -> StoreResult<Job> {
        let tenant = tenant.clone();
        let encoded = if job.due_at_ms.is_none() {
            changes::Encoded::new(&job.changes)?
        } else {
            changes::Encoded::default()
        };
        let new_backend = job.due_at_ms.is_none() && job.new_backend().is_some();
        // The job goes to the writer thread and comes back with how it was recorded, so
        // that the writer, which every write waits for, neither builds the answer nor
        // frees the job's documents.
        let run = move |c: &Connection| {
            let recorded = if new_backend {
                jobs::start_new_backend(c, &tenant, &job, &encoded)
            } else {
                jobs::start(c, &tenant, &job, &encoded)
            };
            recorded.map(|(status, error)| (job, status, error, tenant, encoded))
        };
        let (job, status, error, ..) = if new_backend {
            self.writer.write_reads_first(run).await?
        } else {
            self.writer.write(run).await?
        };
        Ok(job.recorded(status, error))
    }

    async fn get_job(
        &self,
        tenant: &Tenant,
        app_id: &str,
        env: &str,
        job_id: &str,
    ) -> StoreResult<Option<Job>> {
        self.readers
            .with(|c| reads::get_job(c, tenant, app_id, env, job_id))
    }

    async fn list_jobs(
        &self,
        tenant: &Tenant,
        app_id: &str,
        env: &str,
        query: &JobQuery,
    ) -> StoreResult<JobPage> {
        self.readers
            .with(|c| reads::list_jobs(c, tenant, app_id, env, query))
    }

    async fn app_has_running_job(&self, tenant: &Tenant, app_id: &str) -> StoreResult<bool> {
        self.readers
            .with(|c| reads::app_has_running_job(c, tenant, app_id))
    }

    async fn update_job(&self, tenant: &Tenant, update: JobUpdate) -> StoreResult<Job> {
        let tenant = tenant.clone();
        self.writer
            .write(move |c| jobs::update(c, &tenant, update))
            .await
    }

    async fn complete_due_jobs(&self, now_ms: i64, limit: usize) -> StoreResult<Vec<Job>> {
        if limit == 0 {
            return Ok(Vec::new());
        }
        self.writer
            .write(move |c| jobs::complete_due(c, now_ms, limit))
            .await
    }

    async fn next_due_at(&self) -> StoreResult<Option<i64>> {
        self.readers.with(reads::next_due_at)
    }

    async fn create_token(&self, tenant: &Tenant, token: Token) -> StoreResult<()> {
        let tenant = tenant.clone();
        self.writer
            .write(move |c| {
                c.prepare_cached(
                    "INSERT INTO tokens (account, region, app_id, session_id, challenge_code, expires_at_secs)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                )
                .and_then(|mut s| {
                    s.execute(params![
                        tenant.account,
                        tenant.region,
                        token.app_id,
                        token.session_id,
                        token.challenge_code,
                        token.expires_at_secs
                    ])
                })
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
            })
            .await
    }

    async fn get_token(
        &self,
        tenant: &Tenant,
        app_id: &str,
        session_id: &str,
        now_secs: i64,
    ) -> StoreResult<Option<Token>> {
        self.readers
            .with(|c| reads::get_token(c, tenant, app_id, session_id, now_secs))
    }

    async fn delete_token(
        &self,
        tenant: &Tenant,
        app_id: &str,
        session_id: &str,
        now_secs: i64,
    ) -> StoreResult<bool> {
        let (tenant, app_id, session_id) =
            (tenant.clone(), app_id.to_owned(), session_id.to_owned());
        self.writer
            .write(move |c| {
                // An expired token goes too, but reads as if it had not been there.
                let expires: Option<i64> = c
                    .prepare_cached(
                        "DELETE FROM tokens WHERE account = ?1 AND region = ?2 AND app_id = ?3 AND session_id = ?4
                         RETURNING expires_at_secs",
                    )
                    .and_then(|mut s| {
                        s.query_row(params![tenant.account, tenant.region, app_id, session_id], |row| row.get(0))
                            .optional()
                    })
                    .map_err(db_err)?;
                Ok(expires.is_some_and(|at| at > now_secs))
            })
            .await
    }

    async fn set_login_auth_config(
        &self,
        tenant: &Tenant,
        app_id: &str,
        login_auth_config: Option<serde_json::Value>,
    ) -> StoreResult<App> {
        let (tenant, app_id) = (tenant.clone(), app_id.to_owned());
        let config = login_auth_config
            .map(|v| serde_json::to_string(&v))
            .transpose()
            .map_err(|e| StoreError::Database(format!("cannot encode JSON: {e}")))?;
        self.writer
            .write(move |c| {
                c.prepare_cached(&format!(
                    "UPDATE backends SET login_auth_config = ?4
                     WHERE account = ?1 AND region = ?2 AND app_id = ?3 AND env_name = ''
                     RETURNING {APP_COLUMNS}"
                ))
                .and_then(|mut s| {
                    s.query_row(
                        params![tenant.account, tenant.region, app_id, config],
                        app_row,
                    )
                    .optional()
                })
                .map_err(db_err)?
                .ok_or(StoreError::NotFound("app"))
            })
            .await
    }

    async fn remove_backend_config(&self, tenant: &Tenant, app_id: &str) -> StoreResult<()> {
        let (tenant, app_id) = (tenant.clone(), app_id.to_owned());
        self.writer
            .write(move |c| {
                let updated = c
                    .prepare_cached(
                        "UPDATE backends SET backend_manager_app_id = NULL, login_auth_config = NULL
                         WHERE account = ?1 AND region = ?2 AND app_id = ?3 AND env_name = ''",
                    )
                    .and_then(|mut s| s.execute(params![tenant.account, tenant.region, app_id]))
                    .map_err(db_err)?;
                if updated == 0 {
                    Err(StoreError::NotFound("app"))
                } else {
                    Ok(())
                }
            })
            .await
    }

    async fn create_app(&self, tenant: &Tenant, app: NewApp) -> StoreResult<App> {
        let tenant = tenant.clone();
        self.writer
            .write(move |c| apps::create_app(c, &tenant, &app))
            .await
    }

    async fn list_apps(
        &self,
        tenant: &Tenant,
        after: Option<&str>,
        limit: usize,
    ) -> StoreResult<AppPage> {
        self.readers
            .with(|c| apps::list_apps(c, tenant, after, limit))
    }

    async fn update_app(
        &self,
        tenant: &Tenant,
        app_id: &str,
        update: AppUpdate,
    ) -> StoreResult<App> {
        let (tenant, app_id) = (tenant.clone(), app_id.to_owned());
        self.writer
            .write(move |c| apps::update_app(c, &tenant, &app_id, &update))
            .await
    }

    async fn delete_app(&self, tenant: &Tenant, app_id: &str) -> StoreResult<Option<App>> {
        let (tenant, app_id) = (tenant.clone(), app_id.to_owned());
        self.writer
            .write(move |c| apps::delete_app(c, &tenant, &app_id))
            .await
    }

    async fn create_environment(
        &self,
        tenant: &Tenant,
        app_id: &str,
        env: &str,
        meta: serde_json::Value,
        created_at_ms: i64,
    ) -> StoreResult<Environment> {
        let (tenant, app_id, env) = (tenant.clone(), app_id.to_owned(), env.to_owned());
        self.writer
            .write(move |c| {
                apps::create_environment(c, &tenant, &app_id, &env, &meta, created_at_ms)
            })
            .await
    }

    async fn delete_environment(
        &self,
        tenant: &Tenant,
        app_id: &str,
        env: &str,
    ) -> StoreResult<Option<Environment>> {
        let (tenant, app_id, env) = (tenant.clone(), app_id.to_owned(), env.to_owned());
        self.writer
            .write(move |c| apps::delete_environment(c, &tenant, &app_id, &env))
            .await
    }

    async fn get_api_models(
        &self,
        tenant: &Tenant,
        app_id: &str,
        env: &str,
    ) -> StoreResult<Option<ApiModels>> {
        self.readers
            .with(|c| reads::get_api_models(c, tenant, app_id, env))
    }

    async fn list_buckets(&self, tenant: &Tenant) -> StoreResult<Vec<Bucket>> {
        self.readers.with(|c| reads::list_buckets(c, tenant))
    }

    async fn export_state(&self, scope: &Scope) -> StoreResult<Snapshot> {
        self.readers.with(|c| snapshot::export(c, scope))
    }

    async fn import_state(
        &self,
        scope: &Scope,
        snapshot: Snapshot,
        when: ImportWhen,
    ) -> StoreResult<bool> {
        let scope = scope.clone();
        self.writer
            .write(move |c| snapshot::import(c, &scope, &snapshot, when))
            .await
    }

    async fn advance_job(&self, scope: &Scope, advance: JobAdvance) -> StoreResult<(Tenant, Job)> {
        let scope = scope.clone();
        self.writer
            .write(move |c| jobs::advance(c, &scope, advance))
            .await
    }

    async fn ping(&self) -> StoreResult<()> {
        if !self.writer.is_running() {
            return Err(StoreError::Database(
                "the SQLite writer thread has stopped".to_owned(),
            ));
        }
        self.readers.with(reads::ping)
    }
}
