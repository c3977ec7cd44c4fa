//! The embedded migrations, run at start under an advisory lock, and the per-database
//! signing key.

use super::{Pool, db_err, pool_err};
use crate::{StoreError, StoreResult};

/// Serializes migrators of every process on the database (`"amplifyb"` in ASCII).
const MIGRATION_LOCK: i64 = 0x616d_706c_6966_7962;

/// Migration `i` brings the schema from version i to i + 1. Append only: a released
/// migration never changes. The first creates the current schema; later ones, if any,
/// change it.
const MIGRATIONS: &[&str] = &[
    r#"
CREATE TABLE apps (
    account                TEXT NOT NULL,
    region                 TEXT NOT NULL,
    app_id                 TEXT NOT NULL,
    app_name               TEXT NOT NULL,
    created_at_ms          BIGINT NOT NULL,
    backend_manager_app_id TEXT,
    login_auth_config      JSON,
    PRIMARY KEY (account, region, app_id)
);

CREATE TABLE environments (
    account       TEXT NOT NULL,
    region        TEXT NOT NULL,
    app_id        TEXT NOT NULL,
    env_name      TEXT NOT NULL,
    created_at_ms BIGINT NOT NULL,
    meta          JSON NOT NULL,
    PRIMARY KEY (account, region, app_id, env_name)
);

-- One resource of each kind per environment: the primary key.
CREATE TABLE resources (
    account       TEXT NOT NULL,
    region        TEXT NOT NULL,
    app_id        TEXT NOT NULL,
    env_name      TEXT NOT NULL,
    kind          TEXT NOT NULL CHECK (kind IN ('auth', 'api', 'storage')),
    name          TEXT NOT NULL,
    config        JSON NOT NULL,
    outputs       JSON NOT NULL,
    imported      BOOLEAN NOT NULL,
    updated_at_ms BIGINT NOT NULL,
    PRIMARY KEY (account, region, app_id, env_name, kind),
    FOREIGN KEY (account, region, app_id, env_name)
        REFERENCES environments (account, region, app_id, env_name) ON DELETE CASCADE
);

CREATE TABLE api_models (
    account             TEXT NOT NULL,
    region              TEXT NOT NULL,
    app_id              TEXT NOT NULL,
    env_name            TEXT NOT NULL,
    resource_name       TEXT NOT NULL,
    models              TEXT NOT NULL,
    model_introspection TEXT NOT NULL,
    schema_sha256       TEXT NOT NULL,
    PRIMARY KEY (account, region, app_id, env_name),
    FOREIGN KEY (account, region, app_id, env_name)
        REFERENCES environments (account, region, app_id, env_name) ON DELETE CASCADE
);

-- No foreign key: a job stays readable after its environment is deleted. `seq` orders
-- jobs and is the ListBackendJobs cursor; `claimed_until_ms` / `claimed_by` are a
-- worker's lease on a due job.
CREATE TABLE jobs (
    seq              BIGSERIAL PRIMARY KEY,
    job_id           TEXT NOT NULL CONSTRAINT jobs_job_id_unique UNIQUE,
    account          TEXT NOT NULL,
    region           TEXT NOT NULL,
    app_id           TEXT NOT NULL,
    env_name         TEXT NOT NULL,
    operation        TEXT NOT NULL,
    status           TEXT NOT NULL CHECK (status IN ('RUNNING', 'COMPLETED', 'FAILED')),
    error            TEXT,
    create_time_ms   BIGINT NOT NULL,
    update_time_ms   BIGINT NOT NULL,
    due_at_ms        BIGINT,
    changes          JSON,
    claimed_until_ms BIGINT,
    claimed_by       TEXT
);
-- One pending job per environment, enforced here rather than by a check in memory.
CREATE UNIQUE INDEX jobs_one_running ON jobs (account, region, app_id, env_name)
    WHERE status = 'RUNNING';
CREATE INDEX jobs_by_env ON jobs (account, region, app_id, env_name, seq);
CREATE INDEX jobs_due ON jobs (due_at_ms, seq) WHERE status = 'RUNNING';

CREATE TABLE tokens (
    account         TEXT NOT NULL,
    region          TEXT NOT NULL,
    app_id          TEXT NOT NULL,
    session_id      TEXT NOT NULL,
    challenge_code  TEXT NOT NULL,
    expires_at_secs BIGINT NOT NULL,
    PRIMARY KEY (account, region, app_id, session_id)
);

CREATE TABLE buckets (
    account       TEXT NOT NULL,
    region        TEXT NOT NULL,
    name          TEXT NOT NULL,
    created_at_ms BIGINT NOT NULL,
    PRIMARY KEY (account, region, name)
);

CREATE TABLE meta (
    key   TEXT PRIMARY KEY,
    value BYTEA NOT NULL
);

-- Aborts the statement that calls it: how one statement carrying a job and its changes
-- refuses them all when one breaks a rule (`one_statement`, `new_backends`). Its message
-- is the index of the refusing part of the statement, its detail what that part found
-- (the app's name); the store turns them into the rule, and the server words it.
CREATE FUNCTION amplifybackend_refuse(part integer, seen text) RETURNS boolean
LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION USING ERRCODE = 'AB001', MESSAGE = part::text, DETAIL = coalesce(seen, '');
END
$$;
"#,
    r#"
-- The Amplify service's view of an app (CreateApp, UpdateApp, TagResource): one JSON
-- object the store never queries inside. NULL for an app that CreateBackend created.
ALTER TABLE apps ADD COLUMN amplify JSON;
"#,
];

const SIGNING_KEY: &str = "token_signing_key";

/// What a migration run found and did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Migrated {
    /// The schema version before.
    pub from: i64,
    /// The schema version now.
    pub to: i64,
}

/// Brings the schema up to date in one transaction. Concurrent migrators (several
/// processes starting at once) queue on a transaction-scoped advisory lock, so each
/// migration runs once; `schema`, if given, is created first.
pub(super) async fn migrate(pool: &Pool, schema: Option<&str>) -> StoreResult<Migrated> {
    let mut client = pool.get().await.map_err(pool_err)?;
    let tx = client.transaction().await.map_err(db_err)?;
    tx.execute("SELECT pg_advisory_xact_lock($1)", &[&MIGRATION_LOCK])
        .await
        .map_err(db_err)?;
    // No "already exists, skipping" notices in the logs of every start.
    tx.batch_execute("SET LOCAL client_min_messages = warning")
        .await
        .map_err(db_err)?;
    if let Some(schema) = schema {
        // The name was checked to be a plain lowercase identifier.
        tx.batch_execute(&format!("CREATE SCHEMA IF NOT EXISTS \"{schema}\""))
            .await
            .map_err(db_err)?;
    }
    tx.batch_execute(
        "CREATE TABLE IF NOT EXISTS amplifybackend_schema (
             version    BIGINT PRIMARY KEY,
             applied_at TIMESTAMPTZ NOT NULL DEFAULT now()
         )",
    )
    .await
    .map_err(db_err)?;
    let from: i64 = tx
        .query_one(
            "SELECT COALESCE(MAX(version), 0) FROM amplifybackend_schema",
            &[],
        )
        .await
        .and_then(|row| row.try_get(0))
        .map_err(db_err)?;
    let known = i64::try_from(MIGRATIONS.len()).unwrap_or(i64::MAX);
    if from > known {
        return Err(StoreError::Database(format!(
            "the database schema is version {from}, newer than this build's {known}"
        )));
    }
    for (index, sql) in MIGRATIONS
        .iter()
        .enumerate()
        .skip(usize::try_from(from).unwrap_or(0))
    {
        let version = i64::try_from(index + 1).unwrap_or(i64::MAX);
        tx.batch_execute(sql).await.map_err(db_err)?;
        tx.execute(
            "INSERT INTO amplifybackend_schema (version) VALUES ($1)",
            &[&version],
        )
        .await
        .map_err(db_err)?;
        tracing::info!(version, "applied PostgreSQL migration");
    }
    tx.commit().await.map_err(db_err)?;
    Ok(Migrated {
        from,
        to: from.max(known),
    })
}

/// The database's pagination-token key: the first process to start creates it, and
/// every process reads the one that won.
pub(super) async fn signing_key(pool: &Pool) -> StoreResult<[u8; 32]> {
    let client = pool.get().await.map_err(pool_err)?;
    let fresh: [u8; 32] = rand::random();
    client
        .execute(
            "INSERT INTO meta (key, value) VALUES ($1, $2) ON CONFLICT (key) DO NOTHING",
            &[&SIGNING_KEY, &&fresh[..]],
        )
        .await
        .map_err(db_err)?;
    let stored: Vec<u8> = client
        .query_one("SELECT value FROM meta WHERE key = $1", &[&SIGNING_KEY])
        .await
        .and_then(|row| row.try_get(0))
        .map_err(db_err)?;
    <[u8; 32]>::try_from(stored.as_slice()).map_err(|_| {
        StoreError::Database("the stored token signing key is not 32 bytes".to_owned())
    })
}
