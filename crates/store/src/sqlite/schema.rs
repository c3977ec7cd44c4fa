//! Connection setup, the embedded migrations and the per-database signing key.

use super::db_err;
use crate::{StoreError, StoreResult};
use rusqlite::{Connection, OptionalExtension, TransactionBehavior};
use std::time::Duration;

/// How long a connection waits for another's lock (another process, a checkpoint).
pub(super) const BUSY_TIMEOUT: Duration = Duration::from_secs(5);

/// Migration `i` brings the database from `user_version` i to i + 1. Append only: a
/// released migration never changes.
const MIGRATIONS: &[&str] = &[
    r#"
CREATE TABLE apps (
    account                TEXT NOT NULL,
    region                 TEXT NOT NULL,
    app_id                 TEXT NOT NULL,
    app_name               TEXT NOT NULL,
    created_at_ms          INTEGER NOT NULL,
    backend_manager_app_id TEXT,
    login_auth_config      TEXT,
    PRIMARY KEY (account, region, app_id)
) WITHOUT ROWID;

CREATE TABLE environments (
    account       TEXT NOT NULL,
    region        TEXT NOT NULL,
    app_id        TEXT NOT NULL,
    env_name      TEXT NOT NULL,
    created_at_ms INTEGER NOT NULL,
    meta          TEXT NOT NULL,
    PRIMARY KEY (account, region, app_id, env_name)
) WITHOUT ROWID;

CREATE TABLE resources (
    account       TEXT NOT NULL,
    region        TEXT NOT NULL,
    app_id        TEXT NOT NULL,
    env_name      TEXT NOT NULL,
    kind          TEXT NOT NULL CHECK (kind IN ('auth', 'api', 'storage')),
    name          TEXT NOT NULL,
    config        TEXT NOT NULL,
    outputs       TEXT NOT NULL,
    imported      INTEGER NOT NULL,
    updated_at_ms INTEGER NOT NULL,
    PRIMARY KEY (account, region, app_id, env_name, kind),
    FOREIGN KEY (account, region, app_id, env_name)
        REFERENCES environments (account, region, app_id, env_name) ON DELETE CASCADE
) WITHOUT ROWID;

-- No foreign key: a job stays readable after its environment is deleted.
CREATE TABLE jobs (
    seq            INTEGER PRIMARY KEY AUTOINCREMENT,
    job_id         TEXT NOT NULL UNIQUE,
    account        TEXT NOT NULL,
    region         TEXT NOT NULL,
    app_id         TEXT NOT NULL,
    env_name       TEXT NOT NULL,
    operation      TEXT NOT NULL,
    status         TEXT NOT NULL CHECK (status IN ('RUNNING', 'COMPLETED', 'FAILED')),
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
) WITHOUT ROWID;
"#,
    // The CHECKs of v1 were `IN` lists of three values, which SQLite evaluates by building
    // a temporary table on every insert and update (a fifth of a job insert's work). The
    // same rules as comparisons cost nothing; SQLite cannot alter a CHECK, so both tables
    // are rebuilt, keeping every row, rowid and the job sequence.
    r#"
CREATE TABLE jobs_v3 (
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
INSERT INTO jobs_v3 SELECT * FROM jobs;
UPDATE sqlite_sequence SET seq = (SELECT MAX(seq) FROM sqlite_sequence WHERE name IN ('jobs', 'jobs_v3'))
    WHERE name = 'jobs_v3';
DROP TABLE jobs;
ALTER TABLE jobs_v3 RENAME TO jobs;
CREATE UNIQUE INDEX jobs_one_running ON jobs (account, region, app_id, env_name)
    WHERE status = 'RUNNING';
CREATE INDEX jobs_by_env ON jobs (account, region, app_id, env_name, seq);
CREATE INDEX jobs_due ON jobs (due_at_ms) WHERE status = 'RUNNING';

CREATE TABLE resources_v3 (
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
        REFERENCES environments (account, region, app_id, env_name) ON DELETE CASCADE
) WITHOUT ROWID;
INSERT INTO resources_v3 SELECT * FROM resources;
DROP TABLE resources;
ALTER TABLE resources_v3 RENAME TO resources;
"#,
    // Environments, resources and API models hold JSON documents of hundreds of bytes to
    // many kilobytes. A WITHOUT ROWID table keeps its rows in the primary key's b-tree, so
    // every new environment (keyed by a random app id) landed in the middle of pages of a
    // few rows each, splitting them (SQLite advises WITHOUT ROWID only for rows well under
    // a twentieth of a page). As rowid tables the documents are appended together and only
    // the short key goes in the middle, in the primary key's index: a CreateBackend
    // writes a fifth fewer pages. Run with foreign keys off, as SQLite's procedure for
    // rebuilding a table asks (`migrate`); every row is kept.
    r#"
CREATE TABLE environments_v4 (
    account       TEXT NOT NULL,
    region        TEXT NOT NULL,
    app_id        TEXT NOT NULL,
    env_name      TEXT NOT NULL,
    created_at_ms INTEGER NOT NULL,
    meta          TEXT NOT NULL,
    PRIMARY KEY (account, region, app_id, env_name)
);
INSERT INTO environments_v4 SELECT * FROM environments;

CREATE TABLE resources_v4 (
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
        REFERENCES environments (account, region, app_id, env_name) ON DELETE CASCADE
);
INSERT INTO resources_v4 SELECT * FROM resources;

CREATE TABLE api_models_v4 (
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
INSERT INTO api_models_v4 SELECT * FROM api_models;

DROP TABLE api_models;
DROP TABLE resources;
DROP TABLE environments;
ALTER TABLE environments_v4 RENAME TO environments;
ALTER TABLE resources_v4 RENAME TO resources;
ALTER TABLE api_models_v4 RENAME TO api_models;
"#,
    // An app and its environments in one table, `backends`: the app's own row has the
    // empty environment name (environment names are 2 to 10 letters) and the app's
    // columns; each environment's row has its amplify-meta. A CreateBackend used to add
    // an entry at a random place in two b-trees (the apps key and the environments key),
    // each a page written to the WAL; now both entries sit side by side in one key. The
    // environments table is built again under the new name and renamed, which carries the
    // references of resources and API models with it; every row is kept.
    r#"
CREATE TABLE environments_v5 (
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
INSERT INTO environments_v5
        (account, region, app_id, env_name, created_at_ms, app_name, backend_manager_app_id,
         login_auth_config)
    SELECT account, region, app_id, '', created_at_ms, app_name, backend_manager_app_id,
           login_auth_config
    FROM apps;
INSERT INTO environments_v5 (account, region, app_id, env_name, created_at_ms, meta)
    SELECT account, region, app_id, env_name, created_at_ms, meta FROM environments;
DROP TABLE apps;
DROP TABLE environments;
ALTER TABLE environments_v5 RENAME TO environments;
ALTER TABLE environments RENAME TO backends;
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
    conn.pragma_update(None, "foreign_keys", false)
        .map_err(db_err)?;
    let result = run_migrations(conn);
    let restored = conn
        .pragma_update(None, "foreign_keys", true)
        .map_err(db_err);
    result.and(restored)
}

fn run_migrations(conn: &mut Connection) -> StoreResult<()> {
    let tx = conn
        .transaction_with_behavior(TransactionBehavior::Immediate)
        .map_err(db_err)?;
    let version: i64 = tx
        .pragma_query_value(None, "user_version", |row| row.get(0))
        .map_err(db_err)?;
    let known = i64::try_from(MIGRATIONS.len()).unwrap_or(i64::MAX);
    if version > known {
        return Err(StoreError::Database(format!(
            "the database schema is version {version}, newer than this build's {known}"
        )));
    }
    for (index, sql) in MIGRATIONS
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

    /// An in-memory database as the first `version` migrations left it.
    fn database_at(version: usize) -> Connection {
        let conn = Connection::open_in_memory().unwrap();
        configure(&conn, true, false).unwrap();
        for sql in &MIGRATIONS[..version] {
            conn.execute_batch(sql).unwrap();
        }
        conn.pragma_update(None, "user_version", i64::try_from(version).unwrap())
            .unwrap();
        conn
    }

    fn count(conn: &Connection, sql: &str) -> i64 {
        conn.query_row(sql, [], |row| row.get(0)).unwrap()
    }

    #[test]
    fn version_3_keeps_every_job_resource_and_the_job_sequence() {
        let mut conn = database_at(2);
        conn.execute_batch(
            "INSERT INTO environments VALUES ('1', 'r', 'a', 'dev', 0, '{}');
             INSERT INTO resources VALUES ('1', 'r', 'a', 'dev', 'auth', 'n', '{}', '{}', 0, 0);
             INSERT INTO jobs (job_id, account, region, app_id, env_name, operation, status,
                               create_time_ms, update_time_ms)
                 VALUES ('j1', '1', 'r', 'a', 'dev', 'CreateBackend', 'COMPLETED', 0, 0),
                        ('j2', '1', 'r', 'a', 'dev', 'CreateBackendAuth', 'RUNNING', 0, 0),
                        ('j3', '1', 'r', 'a', 'dev', 'CreateBackendAuth', 'FAILED', 0, 0);
             DELETE FROM jobs WHERE job_id = 'j3';",
        )
        .unwrap();

        migrate(&mut conn).unwrap();

        assert_eq!(
            count(&conn, "PRAGMA user_version"),
            i64::try_from(MIGRATIONS.len()).unwrap()
        );
        assert_eq!(count(&conn, "SELECT COUNT(*) FROM resources"), 1);
        assert_eq!(
            count(&conn, "SELECT seq FROM jobs WHERE job_id = 'j2'"),
            2,
            "rowids are kept"
        );
        assert_eq!(
            count(&conn, "SELECT seq FROM sqlite_sequence WHERE name = 'jobs'"),
            3,
            "a deleted job's number is not given again"
        );
        conn.execute(
            "INSERT INTO jobs (job_id, account, region, app_id, env_name, operation, status,
                               create_time_ms, update_time_ms)
             VALUES ('j4', '1', 'r', 'a', 'prod', 'CreateBackend', 'COMPLETED', 0, 0)",
            [],
        )
        .unwrap();
        assert_eq!(count(&conn, "SELECT seq FROM jobs WHERE job_id = 'j4'"), 4);
        // The rules still hold: one RUNNING job per environment, known statuses and kinds.
        let second_running = conn.execute(
            "INSERT INTO jobs (job_id, account, region, app_id, env_name, operation, status,
                               create_time_ms, update_time_ms)
             VALUES ('j5', '1', 'r', 'a', 'dev', 'CreateBackendAPI', 'RUNNING', 0, 0)",
            [],
        );
        assert!(second_running.is_err());
        assert!(
            conn.execute("UPDATE jobs SET status = 'DONE' WHERE job_id = 'j1'", [])
                .is_err()
        );
        assert!(
            conn.execute("UPDATE resources SET kind = 'cache'", [])
                .is_err()
        );
        // And they cost no temporary table any more.
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
    fn version_4_keeps_every_environment_resource_and_model_and_their_links() {
        let mut conn = database_at(3);
        conn.execute_batch(
            "INSERT INTO environments VALUES ('1', 'r', 'a', 'dev', 5, '{\"StackName\":\"s\"}'),
                                             ('1', 'r', 'a', 'prod', 6, '{}'),
                                             ('2', 'r', 'a', 'dev', 7, '{}');
             INSERT INTO resources VALUES ('1', 'r', 'a', 'dev', 'auth', 'n', '{\"c\":1}', '{}', 0, 8),
                                          ('1', 'r', 'a', 'dev', 'api', 'g', '{}', '{}', 1, 9),
                                          ('1', 'r', 'a', 'prod', 'auth', 'n', '{}', '{}', 0, 9);
             INSERT INTO api_models VALUES ('1', 'r', 'a', 'dev', 'g', '[]', '{}', 'abc');",
        )
        .unwrap();

        migrate(&mut conn).unwrap();

        assert_eq!(
            count(&conn, "PRAGMA user_version"),
            i64::try_from(MIGRATIONS.len()).unwrap()
        );
        assert_eq!(count(&conn, "PRAGMA foreign_keys"), 1, "turned back on");
        let meta: String = conn
            .query_row(
                "SELECT meta FROM backends WHERE account = '1' AND env_name = 'dev'",
                [],
                |row| row.get(0),
            )
            .unwrap();
        assert_eq!(meta, "{\"StackName\":\"s\"}");
        assert_eq!(count(&conn, "SELECT COUNT(*) FROM backends"), 3);
        assert_eq!(count(&conn, "SELECT COUNT(*) FROM resources"), 3);
        assert_eq!(count(&conn, "SELECT COUNT(*) FROM api_models"), 1);
        // Rowid tables now: the documents no longer live in the key's b-tree.
        for table in ["backends", "resources", "api_models"] {
            assert!(
                conn.prepare(&format!("SELECT rowid FROM {table}")).is_ok(),
                "{table}"
            );
        }
        // The keys and links still hold: one environment per name, no orphan resource,
        // and deleting an environment takes its resources and models with it.
        assert!(
            conn.execute(
                "INSERT INTO backends (account, region, app_id, env_name, created_at_ms, meta)
                 VALUES ('1', 'r', 'a', 'dev', 0, '{}')",
                []
            )
            .is_err()
        );
        assert!(
            conn.execute(
                "INSERT INTO resources VALUES ('1', 'r', 'b', 'dev', 'auth', 'n', '{}', '{}', 0, 0)",
                []
            )
            .is_err()
        );
        conn.execute(
            "DELETE FROM backends WHERE account = '1' AND env_name = 'dev'",
            [],
        )
        .unwrap();
        assert_eq!(count(&conn, "SELECT COUNT(*) FROM resources"), 1);
        assert_eq!(count(&conn, "SELECT COUNT(*) FROM api_models"), 0);
        assert_eq!(count(&conn, "SELECT COUNT(*) FROM backends"), 2);
    }

    #[test]
    fn version_5_keeps_every_app_and_environment_in_one_table_and_the_links() {
        let mut conn = database_at(4);
        conn.execute_batch(
            "INSERT INTO apps VALUES ('1', 'r', 'a', 'shop', 5, 'bm', '{\"x\":1}'),
                                     ('1', 'r', 'b', 'blog', 6, NULL, NULL),
                                     ('2', 'r', 'a', 'other', 7, NULL, NULL);
             INSERT INTO environments VALUES ('1', 'r', 'a', 'dev', 8, '{\"StackName\":\"s\"}'),
                                             ('1', 'r', 'a', 'prod', 9, '{}'),
                                             ('2', 'r', 'a', 'dev', 10, '{}');
             INSERT INTO resources VALUES ('1', 'r', 'a', 'dev', 'auth', 'n', '{}', '{}', 0, 11);
             INSERT INTO api_models VALUES ('1', 'r', 'a', 'prod', 'g', '[]', '{}', 'abc');",
        )
        .unwrap();

        migrate(&mut conn).unwrap();

        assert_eq!(count(&conn, "PRAGMA user_version"), 5);
        for gone in ["apps", "environments", "environments_v5"] {
            let left = count(
                &conn,
                &format!("SELECT COUNT(*) FROM sqlite_schema WHERE name = '{gone}'"),
            );
            assert_eq!(left, 0, "{gone}");
        }
        let app: (String, i64, Option<String>, Option<String>) = conn
            .query_row(
                "SELECT app_name, created_at_ms, backend_manager_app_id, login_auth_config
                 FROM backends WHERE account = '1' AND app_id = 'a' AND env_name = ''",
                [],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
            )
            .unwrap();
        assert_eq!(
            app,
            (
                "shop".into(),
                5,
                Some("bm".into()),
                Some("{\"x\":1}".into())
            )
        );
        assert_eq!(
            count(&conn, "SELECT COUNT(*) FROM backends WHERE env_name = ''"),
            3
        );
        assert_eq!(
            count(&conn, "SELECT COUNT(*) FROM backends WHERE env_name <> ''"),
            3
        );
        // The references followed the table: a resource needs its environment, and
        // deleting an environment still takes its resources and API models with it.
        for table in ["resources", "api_models"] {
            let sql: String = conn
                .query_row(
                    "SELECT sql FROM sqlite_schema WHERE name = ?1",
                    [table],
                    |r| r.get(0),
                )
                .unwrap();
            assert!(sql.contains("REFERENCES \"backends\""), "{sql}");
        }
        assert!(
            conn.execute(
                "INSERT INTO resources VALUES ('1', 'r', 'b', 'dev', 'auth', 'n', '{}', '{}', 0, 0)",
                []
            )
            .is_err()
        );
        conn.execute(
            "DELETE FROM backends WHERE account = '1' AND app_id = 'a' AND env_name <> ''",
            [],
        )
        .unwrap();
        assert_eq!(count(&conn, "SELECT COUNT(*) FROM resources"), 0);
        assert_eq!(count(&conn, "SELECT COUNT(*) FROM api_models"), 0);
        // An app's row has a name and no amplify-meta; an environment's the reverse.
        for bad in [
            "INSERT INTO backends (account, region, app_id, env_name, created_at_ms)
             VALUES ('1', 'r', 'c', '', 0)",
            "INSERT INTO backends (account, region, app_id, env_name, created_at_ms, meta, app_name)
             VALUES ('1', 'r', 'c', 'dev', 0, '{}', 'x')",
            "INSERT INTO backends (account, region, app_id, env_name, created_at_ms)
             VALUES ('1', 'r', 'c', 'dev', 0)",
        ] {
            assert!(conn.execute(bad, []).is_err(), "{bad}");
        }
    }

    #[test]
    fn a_migration_that_leaves_a_dangling_row_is_rolled_back() {
        let mut conn = database_at(3);
        conn.pragma_update(None, "foreign_keys", false).unwrap();
        conn.execute_batch(
            "INSERT INTO resources VALUES ('1', 'r', 'gone', 'dev', 'auth', 'n', '{}', '{}', 0, 0);",
        )
        .unwrap();
        conn.pragma_update(None, "foreign_keys", true).unwrap();

        let err = migrate(&mut conn).unwrap_err();

        assert!(err.to_string().contains("resources"), "{err}");
        assert_eq!(count(&conn, "PRAGMA user_version"), 3, "nothing committed");
        assert_eq!(count(&conn, "PRAGMA foreign_keys"), 1);
    }
}
