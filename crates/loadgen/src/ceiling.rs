//! The reference ceiling: a bare axum handler doing one statement per request on the same
//! database settings as the server, so that the server's figures can be given as ratios
//! that survive a noisy machine.
//!
//! - SQLite: WAL, `synchronous=FULL`. Reads: one `SELECT` by primary key on a read
//!   connection taken from a small pool, on the async worker (as the store does). Writes:
//!   one `INSERT`, by default through a writer thread that commits whatever is queued in
//!   one transaction (group commit, as the store does); `--writes inline` commits each
//!   `INSERT` on its own, on the async worker.
//! - PostgreSQL: a deadpool pool of 16 (the store's default), prepared statements; reads
//!   one `SELECT` by primary key, writes one autocommitted `INSERT … RETURNING`.
//!
//! The request body is parsed as JSON and the answer is a serialized JSON document, as in
//! the server; signatures are not checked.

use crate::Res;
use axum::Router;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use rusqlite::{Connection, OpenFlags, OptionalExtension};
use std::sync::{Arc, Mutex};
use tokio::sync::oneshot;

/// How the SQLite ceiling commits writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum WriteMode {
    /// A writer thread commits queued inserts together.
    Group,
    /// Each insert commits by itself, on the request's task.
    Inline,
}

/// Flags of `loadgen ceiling`.
#[derive(Debug, clap::Args)]
pub struct CeilingArgs {
    /// Address to listen on.
    #[arg(long, default_value = "127.0.0.1:4751")]
    listen: std::net::SocketAddr,
    /// `sqlite:///path.db` (or a bare path) or `postgres://…` (a `?schema=` is ignored;
    /// the table `loadgen_ceiling` is recreated).
    #[arg(long)]
    database_url: String,
    /// How SQLite writes commit.
    #[arg(long, value_enum, default_value_t = WriteMode::Group)]
    writes: WriteMode,
}

/// Rows the reads choose from.
const SEED_ROWS: i64 = 1000;

type Insert = (String, oneshot::Sender<Result<i64, String>>);

enum Db {
    Sqlite {
        readers: Mutex<Vec<Connection>>,
        path: String,
        group: Option<std::sync::mpsc::Sender<Insert>>,
        inline: Mutex<Connection>,
    },
    Postgres(deadpool_postgres::Pool),
}

fn open_sqlite(path: &str, write: bool) -> rusqlite::Result<Connection> {
    let flags = if write {
        OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_CREATE
    } else {
        OpenFlags::SQLITE_OPEN_READ_ONLY
    } | OpenFlags::SQLITE_OPEN_NO_MUTEX;
    let conn = Connection::open_with_flags(path, flags)?;
    conn.busy_timeout(std::time::Duration::from_secs(5))?;
    if write {
        conn.pragma_update(None, "journal_mode", "WAL")?;
        conn.pragma_update(None, "synchronous", "FULL")?;
    }
    Ok(conn)
}

fn group_writer(conn: Connection) -> std::sync::mpsc::Sender<Insert> {
    let (tx, rx) = std::sync::mpsc::channel::<Insert>();
    std::thread::spawn(move || {
        let mut conn = conn;
        while let Ok(first) = rx.recv() {
            let mut batch = vec![first];
            while batch.len() < 256 {
                match rx.try_recv() {
                    Ok(next) => batch.push(next),
                    Err(_) => break,
                }
            }
            let mut results = Vec::with_capacity(batch.len());
            let outcome = (|| -> rusqlite::Result<()> {
                let txn = conn.transaction()?;
                {
                    let mut stmt = txn.prepare_cached("INSERT INTO items (doc) VALUES (?1)")?;
                    for (doc, _) in &batch {
                        stmt.execute([doc])?;
                        results.push(txn.last_insert_rowid());
                    }
                }
                txn.commit()
            })();
            for (i, (_, reply)) in batch.into_iter().enumerate() {
                let answer = match (&outcome, results.get(i)) {
                    (Ok(()), Some(id)) => Ok(*id),
                    (Err(e), _) => Err(e.to_string()),
                    (Ok(()), None) => Err("not inserted".to_owned()),
                };
                let _ = reply.send(answer);
            }
        }
    });
    tx
}

fn pg_base_url(url: &str) -> String {
    match url.split_once('?') {
        Some((base, query)) => {
            let kept: Vec<&str> = query
                .split('&')
                .filter(|p| !p.starts_with("schema="))
                .collect();
            if kept.is_empty() {
                base.to_owned()
            } else {
                format!("{base}?{}", kept.join("&"))
            }
        }
        None => url.to_owned(),
    }
}

async fn open(args: &CeilingArgs) -> Res<Db> {
    let url = &args.database_url;
    if url.starts_with("postgres://") || url.starts_with("postgresql://") {
        let config: tokio_postgres::Config = pg_base_url(url).parse()?;
        let manager = deadpool_postgres::Manager::from_config(
            config,
            tokio_postgres::NoTls,
            deadpool_postgres::ManagerConfig {
                recycling_method: deadpool_postgres::RecyclingMethod::Fast,
            },
        );
        let pool = deadpool_postgres::Pool::builder(manager)
            .max_size(16)
            .runtime(deadpool_postgres::Runtime::Tokio1)
            .build()?;
        let client = pool.get().await?;
        client
            .batch_execute(&format!(
                "DROP TABLE IF EXISTS loadgen_ceiling;
                 CREATE TABLE loadgen_ceiling (id BIGSERIAL PRIMARY KEY, doc TEXT NOT NULL);
                 INSERT INTO loadgen_ceiling (doc)
                   SELECT '{{\"appId\":\"seed' || g || '\",\"appName\":\"seed\",\"backendEnvironmentName\":\"dev\"}}'
                   FROM generate_series(1, {SEED_ROWS}) g;"
            ))
            .await?;
        drop(client);
        return Ok(Db::Postgres(pool));
    }
    let path = url
        .strip_prefix("sqlite://")
        .or_else(|| url.strip_prefix("sqlite:"))
        .unwrap_or(url)
        .to_owned();
    let writer = open_sqlite(&path, true)?;
    writer.execute_batch(&format!(
        "CREATE TABLE IF NOT EXISTS items (id INTEGER PRIMARY KEY, doc TEXT NOT NULL);
         WITH RECURSIVE g(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM g WHERE n < {SEED_ROWS})
         INSERT INTO items (doc)
           SELECT '{{\"appId\":\"seed' || n || '\",\"appName\":\"seed\",\"backendEnvironmentName\":\"dev\"}}' FROM g;"
    ))?;
    let readers = (0..4)
        .map(|_| open_sqlite(&path, false))
        .collect::<rusqlite::Result<Vec<_>>>()?;
    let inline = open_sqlite(&path, true)?;
    let group = (args.writes == WriteMode::Group).then(|| group_writer(writer));
    Ok(Db::Sqlite {
        readers: Mutex::new(readers),
        path,
        group,
        inline: Mutex::new(inline),
    })
}

fn json(status: StatusCode, doc: &serde_json::Value) -> Response {
    (
        status,
        [("content-type", "application/json")],
        doc.to_string(),
    )
        .into_response()
}

fn fail(e: impl std::fmt::Display) -> Response {
    json(
        StatusCode::INTERNAL_SERVER_ERROR,
        &serde_json::json!({ "message": e.to_string() }),
    )
}

fn sqlite_read(readers: &Mutex<Vec<Connection>>, path: &str, id: i64) -> Res<Option<String>> {
    let taken = readers.lock().map(|mut r| r.pop()).unwrap_or(None);
    let conn = match taken {
        Some(c) => c,
        None => open_sqlite(path, false)?,
    };
    let doc = conn
        .prepare_cached("SELECT doc FROM items WHERE id = ?1")
        .and_then(|mut s| s.query_row([id], |row| row.get::<_, String>(0)).optional());
    if let Ok(mut r) = readers.lock()
        && r.len() < 4
    {
        r.push(conn);
    }
    Ok(doc?)
}

async fn read(State(db): State<Arc<Db>>, Path(id): Path<i64>, body: axum::body::Bytes) -> Response {
    if serde_json::from_slice::<serde_json::Value>(&body).is_err() {
        return json(
            StatusCode::BAD_REQUEST,
            &serde_json::json!({"message": "bad JSON"}),
        );
    }
    let doc = match db.as_ref() {
        Db::Sqlite { readers, path, .. } => sqlite_read(readers, path, id),
        Db::Postgres(pool) => {
            async {
                let client = pool.get().await?;
                let stmt = client
                    .prepare_cached("SELECT doc FROM loadgen_ceiling WHERE id = $1")
                    .await?;
                let row = client.query_opt(&stmt, &[&id]).await?;
                Ok(row.map(|r| r.get::<_, String>(0)))
            }
            .await
        }
    };
    match doc {
        Ok(Some(doc)) => match serde_json::from_str::<serde_json::Value>(&doc) {
            Ok(v) => json(StatusCode::OK, &serde_json::json!({ "id": id, "item": v })),
            Err(e) => fail(e),
        },
        Ok(None) => json(
            StatusCode::NOT_FOUND,
            &serde_json::json!({"message": "no such item"}),
        ),
        Err(e) => fail(e),
    }
}

async fn write(State(db): State<Arc<Db>>, body: axum::body::Bytes) -> Response {
    let doc = match serde_json::from_slice::<serde_json::Value>(&body) {
        Ok(v) => v.to_string(),
        Err(_) => {
            return json(
                StatusCode::BAD_REQUEST,
                &serde_json::json!({"message": "bad JSON"}),
            );
        }
    };
    let id: Res<i64> = match db.as_ref() {
        Db::Sqlite {
            group: Some(group), ..
        } => {
            async {
                let (tx, rx) = oneshot::channel();
                group.send((doc, tx)).map_err(|_| "the writer stopped")?;
                Ok(rx.await??)
            }
            .await
        }
        Db::Sqlite { inline, .. } => (|| {
            let conn = inline.lock().map_err(|_| "poisoned")?;
            conn.prepare_cached("INSERT INTO items (doc) VALUES (?1)")?
                .execute([&doc])?;
            Ok(conn.last_insert_rowid())
        })(),
        Db::Postgres(pool) => {
            async {
                let client = pool.get().await?;
                let stmt = client
                    .prepare_cached("INSERT INTO loadgen_ceiling (doc) VALUES ($1) RETURNING id")
                    .await?;
                let row = client.query_one(&stmt, &[&doc]).await?;
                Ok(row.get::<_, i64>(0))
            }
            .await
        }
    };
    match id {
        Ok(id) => json(
            StatusCode::OK,
            &serde_json::json!({ "id": id, "status": "COMPLETED" }),
        ),
        Err(e) => fail(e),
    }
}

/// `loadgen ceiling`: serves until killed.
pub async fn serve(args: CeilingArgs) -> Res<()> {
    let db = Arc::new(open(&args).await?);
    let app = Router::new()
        .route(
            "/_amplifybackend/health",
            get(|| async { r#"{"status":"ok"}"# }),
        )
        .route("/ceiling/items/{id}", post(read))
        .route("/ceiling/items", post(write))
        .with_state(db);
    let listener = tokio::net::TcpListener::bind(args.listen).await?;
    axum::serve(listener, app).await?;
    Ok(())
}
