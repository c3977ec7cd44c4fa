//! The ceiling's writes, each in one transaction, through the group-commit writer thread
//! by default:
//!
//! - **a new backend** (`POST /ceiling/backends`), what a CreateBackend has to store at the
//!   least: its environment under the app id and name the request gives, refused if it
//!   exists, with the app's name and an amplify-meta-sized document; and its job, under a new UUID v4 and
//!   indexed by environment for listing. Its keys land where the request's names and the
//!   random job id put them, as the server's do, but nothing is read, checked or
//!   rendered, and the tables have no tenancy columns.
//! - **an append** (`POST /ceiling/items`): one `INSERT` at the end of a table, the least a
//!   write can store. It measures the stack, not a write the API has.

use super::{Db, fail, json, reads::READ_DOC};
use crate::Res;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use rusqlite::Connection;
use std::sync::{Arc, LazyLock};
use tokio::sync::oneshot;

/// The SQLite tables of the writes (those of the reads are made apart).
pub(super) const SQLITE_TABLES: &str = "
CREATE TABLE IF NOT EXISTS environments (
    app_id   TEXT NOT NULL,
    env_name TEXT NOT NULL,
    app_name TEXT NOT NULL,
    meta     TEXT NOT NULL,
    PRIMARY KEY (app_id, env_name)
);
CREATE TABLE IF NOT EXISTS jobs (
    seq      INTEGER PRIMARY KEY,
    job_id   TEXT NOT NULL UNIQUE,
    app_id   TEXT NOT NULL,
    env_name TEXT NOT NULL,
    doc      TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS jobs_by_env ON jobs (app_id, env_name, seq);";

/// The PostgreSQL tables of the writes, made anew (the append's is made with the reads').
pub(super) const POSTGRES_TABLES: &str = "
DROP TABLE IF EXISTS loadgen_ceiling_environments, loadgen_ceiling_jobs;
CREATE TABLE loadgen_ceiling_environments (
    app_id   TEXT NOT NULL,
    env_name TEXT NOT NULL,
    app_name TEXT NOT NULL,
    meta     TEXT NOT NULL,
    PRIMARY KEY (app_id, env_name)
);
CREATE TABLE loadgen_ceiling_jobs (
    seq      BIGSERIAL PRIMARY KEY,
    job_id   TEXT NOT NULL UNIQUE,
    app_id   TEXT NOT NULL,
    env_name TEXT NOT NULL,
    doc      TEXT NOT NULL
);
CREATE INDEX loadgen_ceiling_jobs_by_env ON loadgen_ceiling_jobs (app_id, env_name, seq);";

/// The environment's document: the amplify-meta of the GetBackend-sized read document
/// (600 bytes, the size of the one the server stores), made the app's own.
static META: LazyLock<String> = LazyLock::new(|| {
    serde_json::from_str::<serde_json::Value>(READ_DOC)
        .ok()
        .and_then(|doc| doc["amplifyMetaConfig"].as_str().map(str::to_owned))
        .unwrap_or_default()
});

/// A write the ceiling stores.
pub(super) enum Write {
    /// One row at the end of a table: its document.
    Append(String),
    /// A CreateBackend's environment and job.
    Backend(NewBackend),
}

/// What a CreateBackend stores.
pub(super) struct NewBackend {
    app_id: String,
    app_name: String,
    env: String,
    meta: String,
    job_id: String,
    job: String,
}

impl NewBackend {
    /// The environment the request body names, and a new job for it.
    fn from_request(body: &[u8]) -> Option<NewBackend> {
        #[derive(serde::Deserialize)]
        #[serde(rename_all = "camelCase")]
        struct Request {
            app_id: String,
            app_name: String,
            backend_environment_name: String,
        }
        let request: Request = serde_json::from_slice(body).ok()?;
        let now_ms = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_millis());
        Some(NewBackend {
            meta: META.replace("seed-app", &request.app_id),
            job_id: uuid::Builder::from_random_bytes(rand::random())
                .into_uuid()
                .to_string(),
            job: serde_json::json!({
                "operation": "CreateBackend",
                "status": "COMPLETED",
                "createTime": now_ms.to_string(),
                "updateTime": now_ms.to_string(),
            })
            .to_string(),
            app_id: request.app_id,
            app_name: request.app_name,
            env: request.backend_environment_name,
        })
    }
}

/// What a write stored.
#[derive(Debug, PartialEq, Eq)]
pub(super) enum Stored {
    /// The appended row's id.
    Appended(i64),
    /// The environment and its job (the job's id).
    Created(String),
    /// Nothing: the environment exists.
    Exists,
}

/// A write queued for the writer thread, and where its outcome goes.
pub(super) type Queued = (Write, oneshot::Sender<Result<Stored, String>>);

impl Write {
    /// Stores this write in the open transaction of `conn`.
    fn store(&self, conn: &Connection) -> rusqlite::Result<Stored> {
        match self {
            Write::Append(doc) => {
                conn.prepare_cached("INSERT INTO items (doc) VALUES (?1)")?
                    .execute([doc])?;
                Ok(Stored::Appended(conn.last_insert_rowid()))
            }
            Write::Backend(b) => {
                // `OR IGNORE` refuses an existing environment without aborting the
                // statement, as the server's own insert does.
                let added = conn
                    .prepare_cached(
                        "INSERT OR IGNORE INTO environments (app_id, env_name, app_name, meta)
                         VALUES (?1, ?2, ?3, ?4)",
                    )?
                    .execute((&b.app_id, &b.env, &b.app_name, &b.meta))?;
                if added == 0 {
                    return Ok(Stored::Exists);
                }
                conn.prepare_cached(
                    "INSERT INTO jobs (job_id, app_id, env_name, doc) VALUES (?1, ?2, ?3, ?4)",
                )?
                .execute((&b.job_id, &b.app_id, &b.env, &b.job))?;
                Ok(Stored::Created(b.job_id.clone()))
            }
        }
    }
}

/// Stores a batch of writes in PostgreSQL: one statement (one implicit transaction) for
/// its new backends and one for its appends, each of any number of rows. The answers are
/// in the batch's order.
async fn store_postgres(client: &deadpool_postgres::Client, batch: &[Write]) -> Res<Vec<Stored>> {
    let mut appends = Vec::new();
    let mut backends: [Vec<&str>; 6] = Default::default();
    for write in batch {
        match write {
            Write::Append(doc) => appends.push(doc.as_str()),
            Write::Backend(b) => {
                for (column, value) in backends.iter_mut().zip([
                    &b.app_id,
                    &b.env,
                    &b.app_name,
                    &b.meta,
                    &b.job_id,
                    &b.job,
                ]) {
                    column.push(value);
                }
            }
        }
    }
    let mut ids = Vec::new();
    if !appends.is_empty() {
        let stmt = client
            .prepare_cached(
                "INSERT INTO loadgen_ceiling (doc) SELECT doc FROM unnest($1::text[]) AS u (doc)
                 RETURNING id",
            )
            .await?;
        ids = client
            .query(&stmt, &[&appends])
            .await?
            .iter()
            .map(|row| row.get::<_, i64>(0))
            .collect();
        // Serial ids are drawn in the order the rows go in.
        ids.sort_unstable();
    }
    let mut created = std::collections::HashSet::new();
    if !backends[0].is_empty() {
        let stmt = client
            .prepare_cached(
                "WITH input AS (
                     SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[],
                                          $5::text[], $6::text[])
                         AS u (app_id, env_name, app_name, meta, job_id, doc)),
                 environment AS (
                     INSERT INTO loadgen_ceiling_environments (app_id, env_name, app_name, meta)
                     SELECT app_id, env_name, app_name, meta FROM input
                     ON CONFLICT DO NOTHING RETURNING app_id, env_name)
                 INSERT INTO loadgen_ceiling_jobs (job_id, app_id, env_name, doc)
                 SELECT input.job_id, input.app_id, input.env_name, input.doc
                 FROM input JOIN environment USING (app_id, env_name)
                 RETURNING job_id",
            )
            .await?;
        let [a, b, c, d, e, f] = &backends;
        created = client
            .query(&stmt, &[a, b, c, d, e, f])
            .await?
            .iter()
            .map(|row| row.get::<_, String>(0))
            .collect();
    }
    let mut ids = ids.into_iter();
    batch
        .iter()
        .map(|write| match write {
            Write::Append(_) => ids
                .next()
                .map(Stored::Appended)
                .ok_or_else(|| "an append was not stored".into()),
            Write::Backend(b) if created.contains(&b.job_id) => {
                Ok(Stored::Created(b.job_id.clone()))
            }
            Write::Backend(_) => Ok(Stored::Exists),
        })
        .collect()
}

/// Most writes in one PostgreSQL statement, as the server's store groups CreateBackends.
const POSTGRES_MOST_WRITES: usize = 8;

/// Starts the PostgreSQL group commit: a write goes at once while a pooled connection is
/// free; while every connection is at the database, writes queue and the next free one
/// takes up to [`POSTGRES_MOST_WRITES`] of them in one statement.
pub(super) fn postgres_group_writer(
    pool: deadpool_postgres::Pool,
) -> tokio::sync::mpsc::UnboundedSender<Queued> {
    let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel::<Queued>();
    tokio::spawn(async move {
        while let Some(first) = rx.recv().await {
            let client = pool.get().await;
            let mut batch = vec![first];
            while batch.len() < POSTGRES_MOST_WRITES {
                match rx.try_recv() {
                    Ok(next) => batch.push(next),
                    Err(_) => break,
                }
            }
            tokio::spawn(async move {
                let (writes, replies): (Vec<Write>, Vec<_>) = batch.into_iter().unzip();
                let outcome = match client {
                    Ok(client) => store_postgres(&client, &writes).await,
                    Err(e) => Err(e.into()),
                };
                match outcome {
                    Ok(stored) => {
                        for (reply, stored) in replies.into_iter().zip(stored) {
                            let _ = reply.send(Ok(stored));
                        }
                    }
                    Err(e) => {
                        for reply in replies {
                            let _ = reply.send(Err(e.to_string()));
                        }
                    }
                }
            });
        }
    });
    tx
}

/// Starts the SQLite writer thread: it commits whatever is queued in one transaction (group
/// commit, as the server's SQLite store does).
pub(super) fn group_writer(conn: Connection) -> std::sync::mpsc::Sender<Queued> {
    let (tx, rx) = std::sync::mpsc::channel::<Queued>();
    std::thread::spawn(move || {
        let mut conn = conn;
        // The server's checkpoints: none inside a commit; one after half a second without
        // writes, and one every 1000 commits under constant load.
        let checkpoint = |conn: &Connection| {
            let _ = conn.query_row("PRAGMA wal_checkpoint(PASSIVE)", [], |_| Ok(()));
        };
        let _ = conn.pragma_update(None, "wal_autocheckpoint", 0);
        let mut commits = 0usize;
        loop {
            let first = match rx.recv_timeout(std::time::Duration::from_millis(500)) {
                Ok(first) => first,
                Err(std::sync::mpsc::RecvTimeoutError::Timeout) => {
                    if commits > 0 {
                        checkpoint(&conn);
                        commits = 0;
                    }
                    continue;
                }
                Err(std::sync::mpsc::RecvTimeoutError::Disconnected) => break,
            };
            commits += 1;
            if commits >= 1000 {
                checkpoint(&conn);
                commits = 0;
            }
            let mut batch = vec![first];
            while batch.len() < 256 {
                match rx.try_recv() {
                    Ok(next) => batch.push(next),
                    Err(_) => break,
                }
            }
            let outcome = (|| -> rusqlite::Result<Vec<Stored>> {
                let txn = conn.transaction()?;
                let stored = batch
                    .iter()
                    .map(|(write, _)| write.store(&txn))
                    .collect::<rusqlite::Result<Vec<_>>>()?;
                txn.commit()?;
                Ok(stored)
            })();
            match outcome {
                Ok(stored) => {
                    for ((_, reply), stored) in batch.into_iter().zip(stored) {
                        let _ = reply.send(Ok(stored));
                    }
                }
                Err(e) => {
                    for (_, reply) in batch {
                        let _ = reply.send(Err(e.to_string()));
                    }
                }
            }
        }
    });
    tx
}

/// Stores `write` in one transaction, the engine's way.
async fn commit(db: &Db, write: Write) -> Res<Stored> {
    match db {
        Db::Sqlite {
            group: Some(group), ..
        } => {
            let (tx, rx) = oneshot::channel();
            group.send((write, tx)).map_err(|_| "the writer stopped")?;
            Ok(rx.await??)
        }
        Db::Sqlite { inline, .. } => {
            let mut conn = inline.lock().map_err(|_| "poisoned")?;
            let txn = conn.transaction()?;
            let stored = write.store(&txn)?;
            txn.commit()?;
            Ok(stored)
        }
        Db::Postgres { writes, .. } => {
            let (tx, rx) = oneshot::channel();
            writes.send((write, tx)).map_err(|_| "the writer stopped")?;
            Ok(rx.await??)
        }
    }
}

fn bad_request(message: &str) -> Response {
    json(
        StatusCode::BAD_REQUEST,
        &serde_json::json!({ "message": message }),
    )
}

/// `POST /ceiling/items`: appends the request's document.
pub(super) async fn append(State(db): State<Arc<Db>>, body: Bytes) -> Response {
    let Ok(doc) = serde_json::from_slice::<serde_json::Value>(&body) else {
        return bad_request("bad JSON");
    };
    match commit(&db, Write::Append(doc.to_string())).await {
        Ok(Stored::Appended(id)) => json(
            StatusCode::OK,
            &serde_json::json!({ "id": id, "status": "COMPLETED" }),
        ),
        Ok(other) => fail(format!("an append stored {other:?}")),
        Err(e) => fail(e),
    }
}

/// `POST /ceiling/backends`: stores a CreateBackend's environment and job, and answers as
/// CreateBackend does.
pub(super) async fn create_backend(State(db): State<Arc<Db>>, body: Bytes) -> Response {
    let Some(backend) = NewBackend::from_request(&body) else {
        return bad_request("expected appId, appName and backendEnvironmentName");
    };
    let (app_id, env) = (backend.app_id.clone(), backend.env.clone());
    match commit(&db, Write::Backend(backend)).await {
        Ok(Stored::Created(job_id)) => json(
            StatusCode::OK,
            &serde_json::json!({
                "appId": app_id,
                "backendEnvironmentName": env,
                "jobId": job_id,
                "operation": "CreateBackend",
                "status": "COMPLETED",
            }),
        ),
        Ok(Stored::Exists) => bad_request("the environment exists"),
        Ok(other) => fail(format!("a new backend stored {other:?}")),
        Err(e) => fail(e),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn database() -> Res<Connection> {
        let conn = Connection::open_in_memory()?;
        conn.execute_batch(&format!(
            "CREATE TABLE items (id INTEGER PRIMARY KEY, doc TEXT NOT NULL); {SQLITE_TABLES}"
        ))?;
        Ok(conn)
    }

    fn backend(app_id: &str) -> Res<NewBackend> {
        let body =
            format!(r#"{{"appId":"{app_id}","appName":"shop","backendEnvironmentName":"dev"}}"#);
        Ok(NewBackend::from_request(body.as_bytes()).ok_or("refused")?)
    }

    /// A new backend stores its environment, with the app's own amplify-meta of the
    /// server's size, and its job under a UUID v4; a second one of the same name is
    /// refused and stores nothing.
    #[test]
    fn a_backend_is_stored_once_with_its_job() -> Res<()> {
        let conn = database()?;
        let first = backend("d1abc")?;
        assert!(
            (500..800).contains(&first.meta.len()),
            "{}",
            first.meta.len()
        );
        assert!(first.meta.contains("d1abc") && !first.meta.contains("seed-app"));
        let job_id = first.job_id.clone();
        assert_eq!(
            uuid::Uuid::parse_str(&job_id)?.get_version_num(),
            4,
            "{job_id}"
        );

        assert_eq!(
            Write::Backend(first).store(&conn)?,
            Stored::Created(job_id.clone())
        );
        assert_eq!(
            Write::Backend(backend("d1abc")?).store(&conn)?,
            Stored::Exists
        );

        let (jobs, envs): (i64, i64) = conn.query_row(
            "SELECT (SELECT COUNT(*) FROM jobs WHERE job_id = ?1 AND app_id = 'd1abc'),
                    (SELECT COUNT(*) FROM environments)",
            [&job_id],
            |row| Ok((row.get(0)?, row.get(1)?)),
        )?;
        assert_eq!((jobs, envs), (1, 1));
        Ok(())
    }

    #[test]
    fn appends_take_the_next_id() -> Res<()> {
        let conn = database()?;
        for expected in 1..=3 {
            assert_eq!(
                Write::Append("{}".to_owned()).store(&conn)?,
                Stored::Appended(expected)
            );
        }
        Ok(())
    }

    #[test]
    fn a_request_without_its_names_is_refused() {
        for body in [
            r#"{"appId":"a","backendEnvironmentName":"dev"}"#,
            r#"{"appName":"a","backendEnvironmentName":"dev"}"#,
            "not json",
        ] {
            assert!(
                NewBackend::from_request(body.as_bytes()).is_none(),
                "{body}"
            );
        }
    }
}
