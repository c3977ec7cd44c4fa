//! Connection setup, the embedded migrations and the per-database signing key.

use super::db_err;
use crate::{StoreError, StoreResult};
use rusqlite::{Connection, OptionalExtension, TransactionBehavior};
use std::time::Duration;

/// How long a connection waits for another's lock (another process, a checkpoint).
pub(super) const BUSY_TIMEOUT: Duration = Duration::from_secs(5);

/// Migration `i` brings the database from `user_version` i to i + 1. Append only: a
/// released migration never changes. The first creates the current schema; later ones,
/// if any, change it (run with foreign keys off, so that a rebuilt parent table does not
/// take its children with it: [`migrate`]).
const MIGRATIONS: &[&str] = &[
    r#"
-- An app and its environments in one table: the app's own row has the empty environment
-- name (environment names are 2 to 10 letters) and the app's columns; each environment's
-- row has its amplify-meta. A new app and its first environment then sit side by side in
-- one key, where two tables would each take an entry at a random place of their own
-- b-tree (a page written to the WAL each).
--
-- Environments, resources and API models hold JSON documents of hundreds of bytes to many
-- kilobytes, so their tables keep rowids: the documents are appended together and only
-- the short key goes in the middle, in the primary key's index. As WITHOUT ROWID tables
-- every row (keyed by a random app id) would land in the middle of pages of a few rows
-- each, splitting them (SQLite advises WITHOUT ROWID only for rows well under a twentieth
-- of a page); a CreateBackend wrote a fifth more pages so.
CREATE TABLE backends (
    account                TEXT NOT NULL,
    region                 TEXT NOT NULL,
    app_id                 TEXT NOT NULL,
    env_name               TEXT NOT NULL,
    created_at_ms          INTEGER NOT NULL,
    meta                   TEXT,
    app_name               TEXT,
    backend_manager_app_id TEXT,
    login_auth_config      TEXT,
    PRIMARY KEY (account, region, app_id, env_name),
    CHECK (CASE WHEN env_name = '' THEN app_name IS NOT NULL AND meta IS NULL
                ELSE app_name IS NULL AND meta IS NOT NULL END)
);

-- One resource of each kind per environment: the primary key. The CHECKs of this table
-- and of jobs are comparisons, not `IN` lists of three values, which SQLite evaluates by
-- building a temporary table on every insert and update (a fifth of a job insert's work).
CREATE TABLE resources (
    account       TEXT NOT NULL,
    region        TEXT NOT NULL,
    app_id        TEXT NOT NULL,
    env_name      TEXT NOT NULL,
    kind          TEXT NOT NULL CHECK (kind = 'auth' OR kind = 'api' OR kind = 'storage'),
    name          TEXT NOT NULL,
    config        TEXT NOT NULL,
    outputs       TEXT NOT NULL,
    imported      INTEGER NOT NULL,
    updated_at_ms INTEGER NOT NULL,
    PRIMARY KEY (account, region, app_id, env_name, kind),
    FOREIGN KEY (account, region, app_id, env_name)
        REFERENCES backends (account, region, app_id, env_name) ON DELETE CASCADE
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
        REFERENCES backends (account, region, app_id, env_name) ON DELETE CASCADE
);

-- No foreign key: a job stays readable after its environment is deleted. `seq` orders
-- jobs and is the ListBackendJobs cursor; AUTOINCREMENT never gives a deleted job's
-- number again.
CREATE TABLE jobs (
    seq            INTEGER PRIMARY KEY AUTOINCREMENT,
    job_id         TEXT NOT NULL UNIQUE,
    account        TEXT NOT NULL,
    region         TEXT NOT NULL,
    app_id         TEXT NOT NULL,
    env_name       TEXT NOT NULL,
    operation      TEXT NOT NULL,
    status         TEXT NOT NULL
        CHECK (status = 'RUNNING' OR status = 'COMPLETED' OR status = 'FAILED'),
    error          TEXT,
    create_time_ms INTEGER NOT NULL,
    update_time_ms INTEGER NOT NULL,
    due_at_ms      INTEGER,
    changes        TEXT
);
-- One pending job per environment, enforced here rather than by a check in memory.
CREATE UNIQUE INDEX jobs_one_running ON jobs (account, region, app_id, env_name)
    WHERE status = 'RUNNING';
CREATE INDEX jobs_by_env ON jobs (account, region, app_id, env_name, seq);
CREATE INDEX jobs_due ON jobs (due_at_ms) WHERE status = 'RUNNING';

CREATE TABLE tokens (
    account         TEXT NOT NULL,
    region          TEXT NOT NULL,
    app_id          TEXT NOT NULL,
    session_id      TEXT NOT NULL,
    challenge_code  TEXT NOT NULL,
    expires_at_secs INTEGER NOT NULL,
    PRIMARY KEY (account, region, app_id, session_id)
) WITHOUT ROWID;

CREATE TABLE buckets (
    account       TEXT NOT NULL,
    region        TEXT NOT NULL,
    name          TEXT NOT NULL,
    created_at_ms INTEGER NOT NULL,
    PRIMARY KEY (account, region, name)
) WITHOUT ROWID;

CREATE TABLE meta (
    key   TEXT PRIMARY KEY,
    value BLOB NOT NULL
);
"#,
    r#"
-- The Amplify service's view of an app (CreateApp, UpdateApp, TagResource): one JSON
-- object on the app's own row, which the store never queries inside. NULL for an app
-- that CreateBackend created.
ALTER TABLE backends ADD COLUMN amplify TEXT;
"#,
];

const SIGNING_KEY: &str = "token_signing_key";

/// Settings every connection needs; `file` adds the durability ones of the writer.
pub(super) fn configure(conn: &Connection, writer: bool, file: bool) -> StoreResult<()> {
    conn.busy_timeout(BUSY_TIMEOUT).map_err(db_err)?;
    conn.set_prepared_statement_cache_capacity(64);
    // Query planner stability: without it, SQLite 3.54 marks a statement whose plan could
    // depend on a bound value (a LIMIT ?, a partial index's condition, ...) to be prepared
    // again on every new binding, so cached statements were recompiled on each request
    // (a fifth of GetBackend's instructions; BENCHMARKS.md, "Server"). Every hot query
    // has one right plan, an index search (tests/query_plans.rs).
    conn.set_db_config(
        rusqlite::config::DbConfig::SQLITE_DBCONFIG_ENABLE_QPSG,
        true,
    )
    .map_err(db_err)?;
    conn.pragma_update(None, "foreign_keys", true)
        .map_err(db_err)?;
    if writer && file {
        let mode: String = conn
            .pragma_update_and_check(None, "journal_mode", "WAL", |row| row.get(0))
            .map_err(db_err)?;
        if !mode.eq_ignore_ascii_case("wal") {
            return Err(StoreError::Database(format!(
                "could not enable WAL (journal_mode is {mode})"
            )));
        }
        // An acknowledged write survives a power cut.
        conn.pragma_update(None, "synchronous", "FULL")
            .map_err(db_err)?;
        // The one writer touches every table; keeping more of them in memory spares it
        // reading pages back from the WAL (8 MiB instead of SQLite's 2).
        conn.pragma_update(None, "cache_size", -8192)
            .map_err(db_err)?;
        // The writer checkpoints when idle instead of inside a request's commit.
        conn.pragma_update(None, "wal_autocheckpoint", 0)
            .map_err(db_err)?;
        // Each write runs in its own savepoint within the batch's transaction, and SQLite
        // copies the pages a savepoint changes into a sub-journal that spills to a
        // temporary file past 64 KiB: a quarter of the writer's bytes written went there.
        // In memory it costs a copy, and nothing outlives the transaction.
        conn.pragma_update(None, "temp_store", "MEMORY")
            .map_err(db_err)?;
    }
    Ok(())
}

/// Brings the schema up to date; several processes may race here, `BEGIN IMMEDIATE`
/// serializes them. Foreign keys are off meanwhile (a rebuilt parent table would otherwise
/// take its children with it when dropped) and checked before the commit.
pub(super) fn migrate(conn: &mut Connection) -> StoreResult<()> {
    migrate_with(conn, MIGRATIONS)
}

/// [`migrate`] with `migrations` as the history.
fn migrate_with(conn: &mut Connection, migrations: &[&str]) -> StoreResult<()> {
    conn.pragma_update(None, "foreign_keys", false)
        .map_err(db_err)?;
    let result = run_migrations(conn, migrations);
    let restored = conn
        .pragma_update(None, "foreign_keys", true)
        .map_err(db_err);
    result.and(restored)
}

fn run_migrations(conn: &mut Connection, migrations: &[&str]) -> StoreResult<()> {
    let tx = conn
        .transaction_with_behavior(TransactionBehavior::Immediate)
        .map_err(db_err)?;
    let version: i64 = tx
        .pragma_query_value(None, "user_version", |row| row.get(0))
        .map_err(db_err)?;
    let known = i64::try_from(migrations.len()).unwrap_or(i64::MAX);
    if version > known {
        return Err(StoreError::Database(format!(
            "the database schema is version {version}, newer than this build's {known}"
        )));
    }
    for (index, sql) in migrations
        .iter()
        .enumerate()
        .skip(usize::try_from(version).unwrap_or(0))
    {
        tx.execute_batch(sql).map_err(db_err)?;
        tx.pragma_update(
            None,
            "user_version",
            i64::try_from(index + 1).unwrap_or(i64::MAX),
        )
        .map_err(db_err)?;
    }
    if version == known {
        return tx.commit().map_err(db_err);
    }
    let broken: Option<String> = tx
        .query_row("PRAGMA foreign_key_check", [], |row| row.get(0))
        .optional()
        .map_err(db_err)?;
    if let Some(table) = broken {
        return Err(StoreError::Database(format!(
            "after migrating, a row of {table} refers to a missing row"
        )));
    }
    tx.commit().map_err(db_err)
}

/// The database's pagination-token key, created on first open.
pub(super) fn signing_key(conn: &Connection) -> StoreResult<[u8; 32]> {
    let fresh: [u8; 32] = rand::random();
    conn.execute(
        "INSERT OR IGNORE INTO meta (key, value) VALUES (?1, ?2)",
        (SIGNING_KEY, &fresh[..]),
    )
    .map_err(db_err)?;
    let stored: Option<Vec<u8>> = conn
        .query_row(
            "SELECT value FROM meta WHERE key = ?1",
            [SIGNING_KEY],
            |row| row.get(0),
        )
        .optional()
        .map_err(db_err)?;
    stored
        .and_then(|bytes| <[u8; 32]>::try_from(bytes.as_slice()).ok())
        .ok_or_else(|| {
            StoreError::Database("the stored token signing key is not 32 bytes".to_owned())
        })
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;

    /// A new in-memory database, configured as the writer's.
    fn database() -> Connection {
        let conn = Connection::open_in_memory().unwrap();
        configure(&conn, true, false).unwrap();
        conn
    }

    fn count(conn: &Connection, sql: &str) -> i64 {
        conn.query_row(sql, [], |row| row.get(0)).unwrap()
    }

    #[test]
    fn a_new_database_gets_the_current_schema_and_its_rules() {
        let mut conn = database();
        migrate(&mut conn).unwrap();

        assert_eq!(
            count(&conn, "PRAGMA user_version"),
            i64::try_from(MIGRATIONS.len()).unwrap()
        );
        assert_eq!(count(&conn, "PRAGMA foreign_keys"), 1, "turned back on");
        let mut tables: Vec<String> = conn
            .prepare("SELECT name FROM sqlite_schema WHERE type = 'table' ORDER BY name")
            .unwrap()
            .query_map([], |row| row.get(0))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap();
        tables.retain(|t| t != "sqlite_sequence");
        assert_eq!(
            tables,
            [
                "api_models",
                "backends",
                "buckets",
                "jobs",
                "meta",
                "resources",
                "tokens"
            ]
        );
        // The documents' tables keep rowids: the documents do not live in the key's b-tree.
        for table in ["backends", "resources", "api_models"] {
            assert!(
                conn.prepare(&format!("SELECT rowid FROM {table}")).is_ok(),
                "{table}"
            );
        }

        conn.execute_batch(
            "INSERT INTO backends (account, region, app_id, env_name, created_at_ms, app_name)
                 VALUES ('1', 'r', 'a', '', 0, 'shop');
             INSERT INTO backends (account, region, app_id, env_name, created_at_ms, meta)
                 VALUES ('1', 'r', 'a', 'dev', 0, '{}');
             INSERT INTO resources VALUES ('1', 'r', 'a', 'dev', 'auth', 'n', '{}', '{}', 0, 0);
             INSERT INTO api_models VALUES ('1', 'r', 'a', 'dev', 'g', '[]', '{}', 'abc');
             INSERT INTO jobs (job_id, account, region, app_id, env_name, operation, status,
                               create_time_ms, update_time_ms)
                 VALUES ('j1', '1', 'r', 'a', 'dev', 'CreateBackend', 'COMPLETED', 0, 0),
                        ('j2', '1', 'r', 'a', 'dev', 'CreateBackendAuth', 'RUNNING', 0, 0);",
        )
        .unwrap();
        // One RUNNING job per environment, known statuses and kinds, one environment of a
        // name, no resource without its environment.
        for bad in [
            "INSERT INTO jobs (job_id, account, region, app_id, env_name, operation, status,
                               create_time_ms, update_time_ms)
             VALUES ('j3', '1', 'r', 'a', 'dev', 'CreateBackendAPI', 'RUNNING', 0, 0)",
            "UPDATE jobs SET status = 'DONE' WHERE job_id = 'j1'",
            "UPDATE resources SET kind = 'cache'",
            "INSERT INTO backends (account, region, app_id, env_name, created_at_ms, meta)
             VALUES ('1', 'r', 'a', 'dev', 0, '{}')",
            "INSERT INTO resources VALUES ('1', 'r', 'b', 'dev', 'auth', 'n', '{}', '{}', 0, 0)",
            // An app's row has a name and no amplify-meta; an environment's the reverse.
            "INSERT INTO backends (account, region, app_id, env_name, created_at_ms)
             VALUES ('1', 'r', 'c', '', 0)",
            "INSERT INTO backends (account, region, app_id, env_name, created_at_ms, meta, app_name)
             VALUES ('1', 'r', 'c', 'dev', 0, '{}', 'x')",
            "INSERT INTO backends (account, region, app_id, env_name, created_at_ms)
             VALUES ('1', 'r', 'c', 'dev', 0)",
        ] {
            assert!(conn.execute(bad, []).is_err(), "{bad}");
        }
        // Deleting an environment takes its resources and API models with it.
        conn.execute("DELETE FROM backends WHERE env_name = 'dev'", [])
            .unwrap();
        assert_eq!(count(&conn, "SELECT COUNT(*) FROM resources"), 0);
        assert_eq!(count(&conn, "SELECT COUNT(*) FROM api_models"), 0);
        // A deleted job's number is not given again.
        conn.execute("DELETE FROM jobs WHERE job_id = 'j2'", [])
            .unwrap();
        conn.execute(
            "INSERT INTO jobs (job_id, account, region, app_id, env_name, operation, status,
                               create_time_ms, update_time_ms)
             VALUES ('j4', '1', 'r', 'a', 'prod', 'CreateBackend', 'COMPLETED', 0, 0)",
            [],
        )
        .unwrap();
        assert_eq!(count(&conn, "SELECT seq FROM jobs WHERE job_id = 'j4'"), 3);
        // The rules' CHECKs cost no temporary table.
        for sql in [
            "INSERT INTO jobs (job_id, account, region, app_id, env_name, operation, status,
                               create_time_ms, update_time_ms) VALUES (?1, '1', 'r', 'a', 'x', 'o', ?2, 0, 0)",
            "INSERT INTO resources VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
        ] {
            let mut explain = conn.prepare(&format!("EXPLAIN {sql}")).unwrap();
            let params = vec![rusqlite::types::Null; explain.parameter_count()];
            let opcodes: Vec<String> = explain
                .query_map(rusqlite::params_from_iter(params), |row| row.get(1))
                .unwrap()
                .collect::<Result<_, _>>()
                .unwrap();
            assert!(!opcodes.iter().any(|op| op == "OpenEphemeral"), "{sql}");
        }
    }

    #[test]
    fn migrating_an_up_to_date_database_changes_nothing() {
        let mut conn = database();
        migrate(&mut conn).unwrap();
        conn.execute("INSERT INTO meta (key, value) VALUES ('k', x'00')", [])
            .unwrap();
        migrate(&mut conn).unwrap();
        assert_eq!(count(&conn, "SELECT COUNT(*) FROM meta"), 1);
        assert_eq!(
            count(&conn, "PRAGMA user_version"),
            i64::try_from(MIGRATIONS.len()).unwrap()
        );
    }

    #[test]
    fn a_schema_newer_than_the_build_is_refused() {
        let mut conn = database();
        conn.pragma_update(None, "user_version", 99).unwrap();
        let err = migrate(&mut conn).unwrap_err();
        assert!(err.to_string().contains("newer than this build"), "{err}");
        assert_eq!(count(&conn, "PRAGMA foreign_keys"), 1);
    }

    #[test]
    fn later_migrations_run_in_order_after_the_first() {
        let mut conn = database();
        migrate(&mut conn).unwrap();
        let mut later = MIGRATIONS.to_vec();
        later.extend([
            "CREATE TABLE later (v INTEGER);",
            "INSERT INTO later VALUES (2);",
        ]);
        migrate_with(&mut conn, &later).unwrap();
        assert_eq!(
            count(&conn, "PRAGMA user_version"),
            i64::try_from(MIGRATIONS.len() + 2).unwrap()
        );
        assert_eq!(count(&conn, "SELECT v FROM later"), 2);
    }

    #[test]
    fn a_migration_that_leaves_a_dangling_row_is_rolled_back() {
        let mut conn = database();
        migrate(&mut conn).unwrap();
        let mut dangling = MIGRATIONS.to_vec();
        dangling.push(
            "INSERT INTO resources VALUES ('1', 'r', 'gone', 'dev', 'auth', 'n', '{}', '{}', 0, 0);",
        );

        let err = migrate_with(&mut conn, &dangling).unwrap_err();

        assert!(err.to_string().contains("resources"), "{err}");
        assert_eq!(
            count(&conn, "PRAGMA user_version"),
            i64::try_from(MIGRATIONS.len()).unwrap(),
            "nothing committed"
        );
        assert_eq!(count(&conn, "SELECT COUNT(*) FROM resources"), 0);
        assert_eq!(count(&conn, "PRAGMA foreign_keys"), 1);
    }
}
