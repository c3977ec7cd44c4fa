//! The ceiling's reads: one `SELECT` by primary key of a stored document the size and
//! shape of the server answer it is compared with.

use super::{Db, fail, json, open_sqlite};
use crate::Res;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use rusqlite::{Connection, OptionalExtension};
use std::sync::Mutex;

/// Rows the reads choose from.
const SEED_ROWS: i64 = 1000;

/// Rows of the heavy tables (job pages, model sets).
const HEAVY_ROWS: i64 = 16;

/// The tables reads are served from: (SQLite table, PostgreSQL table).
#[derive(Debug, Clone, Copy)]
pub(super) enum Table {
    Items,
    JobPages,
    ModelSets,
}

impl Table {
    pub(super) fn name(self, postgres: bool) -> &'static str {
        match (self, postgres) {
            (Table::Items, false) => "items",
            (Table::JobPages, false) => "job_pages",
            (Table::ModelSets, false) => "model_sets",
            (Table::Items, true) => "loadgen_ceiling",
            (Table::JobPages, true) => "loadgen_ceiling_job_pages",
            (Table::ModelSets, true) => "loadgen_ceiling_model_sets",
        }
    }

    fn select(self, postgres: bool) -> &'static str {
        match (self, postgres) {
            (Table::Items, false) => "SELECT doc FROM items WHERE id = ?1",
            (Table::JobPages, false) => "SELECT doc FROM job_pages WHERE id = ?1",
            (Table::ModelSets, false) => "SELECT doc FROM model_sets WHERE id = ?1",
            (Table::Items, true) => "SELECT doc FROM loadgen_ceiling WHERE id = $1",
            (Table::JobPages, true) => "SELECT doc FROM loadgen_ceiling_job_pages WHERE id = $1",
            (Table::ModelSets, true) => "SELECT doc FROM loadgen_ceiling_model_sets WHERE id = $1",
        }
    }

    /// Its rows' documents.
    pub(super) fn docs(self) -> Res<Vec<String>> {
        Ok(match self {
            Table::Items => (1..=SEED_ROWS)
                .map(|n| READ_DOC.replace("seed-app", &format!("seed{n}")))
                .collect(),
            Table::JobPages => (1..=HEAVY_ROWS).map(job_page).collect(),
            Table::ModelSets => {
                let generated = modelgen::generate(&crate::load::api_schema())
                    .map_err(|e| format!("the load's schema does not compile: {}", e.message))?;
                let doc = serde_json::json!({
                    "models": generated.models_js,
                    "modelIntrospectionSchema": generated.model_introspection,
                    "status": "LATEST",
                })
                .to_string();
                (1..=HEAVY_ROWS).map(|_| doc.clone()).collect()
            }
        })
    }
}

/// A ListBackendJobs page of 25 jobs, with a next token, as the server answers it.
fn job_page(n: i64) -> String {
    let jobs: Vec<serde_json::Value> = (0..25)
        .map(|i| {
            serde_json::json!({
                "appId": format!("seed{n}"),
                "backendEnvironmentName": "dev",
                "createTime": (1_796_490_046_108_i64 + i).to_string(),
                "jobId": format!("{:08x}-d07c-4203-b959-{:012x}", n, i),
                "operation": "GenerateBackendAPIModels",
                "status": "COMPLETED",
                "updateTime": (1_796_490_046_108_i64 + i).to_string(),
            })
        })
        .collect();
    serde_json::json!({ "jobs": jobs, "nextToken": format!("eyJzZXEiOjI1LCJhcHAiOiJzZWVk{n:04}In0") })
        .to_string()
}

/// What a read answers: a document the size and shape of a GetBackend answer (its
/// amplify-meta and feature flags are JSON text inside JSON strings, escaped when
/// answered), so that the ceiling's answer costs what the server's must.
pub(super) const READ_DOC: &str = include_str!("read_doc.json");

fn sqlite_read(
    readers: &Mutex<Vec<Connection>>,
    path: &str,
    table: Table,
    id: i64,
) -> Res<Option<String>> {
    let taken = readers.lock().map(|mut r| r.pop()).unwrap_or(None);
    let conn = match taken {
        Some(c) => c,
        None => open_sqlite(path, false)?,
    };
    let doc = conn
        .prepare_cached(table.select(false))
        .and_then(|mut s| s.query_row([id], |row| row.get::<_, String>(0)).optional());
    if let Ok(mut r) = readers.lock()
        && r.len() < 4
    {
        r.push(conn);
    }
    Ok(doc?)
}

/// A read's answer: the row's id and its document.
#[derive(serde::Serialize)]
struct Answer<'a> {
    id: i64,
    item: &'a serde_json::value::RawValue,
}

pub(super) async fn read(db: &Db, table: Table, id: i64, body: &[u8]) -> Response {
    if serde_json::from_slice::<serde_json::Value>(body).is_err() {
        return json(
            StatusCode::BAD_REQUEST,
            &serde_json::json!({"message": "bad JSON"}),
        );
    }
    let doc = match db {
        Db::Sqlite { readers, path, .. } => sqlite_read(readers, path, table, id),
        Db::Postgres { pool, .. } => {
            async {
                let client = pool.get().await?;
                let stmt = client.prepare_cached(table.select(true)).await?;
                let row = client.query_opt(&stmt, &[&id]).await?;
                Ok(row.map(|r| r.get::<_, String>(0)))
            }
            .await
        }
    };
    match doc {
        // A GetBackend-sized document is parsed and serialized again, as a handler that
        // builds its answer does. The heavy documents go out as they are, checked but not
        // parsed: rebuilding 190 KB of models through `Value` costs more than the server's
        // whole answer, and a ceiling the server beats measures nothing.
        Ok(Some(doc)) if matches!(table, Table::Items) => {
            match serde_json::from_str::<serde_json::Value>(&doc) {
                Ok(v) => json(StatusCode::OK, &serde_json::json!({ "id": id, "item": v })),
                Err(e) => fail(e),
            }
        }
        Ok(Some(doc)) => match serde_json::value::RawValue::from_string(doc) {
            Ok(item) => match serde_json::to_vec(&Answer { id, item: &item }) {
                Ok(body) => {
                    (StatusCode::OK, [("content-type", "application/json")], body).into_response()
                }
                Err(e) => fail(e),
            },
            Err(e) => fail(e),
        },
        Ok(None) => json(
            StatusCode::NOT_FOUND,
            &serde_json::json!({"message": "no such item"}),
        ),
        Err(e) => fail(e),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every stored document is JSON of the size of the answer it stands for.
    #[test]
    fn each_table_holds_json_documents_of_its_answer_size() -> Res<()> {
        for (table, rows, smallest, largest) in [
            (Table::Items, SEED_ROWS, 2_000, 3_000),
            (Table::JobPages, HEAVY_ROWS, 4_500, 6_500),
            (Table::ModelSets, HEAVY_ROWS, 150_000, 250_000),
        ] {
            let docs = table.docs()?;
            assert_eq!(docs.len() as i64, rows, "{table:?}");
            for doc in &docs {
                let value: serde_json::Value = serde_json::from_str(doc)?;
                assert!(value.is_object(), "{table:?}");
                assert!(
                    (smallest..largest).contains(&doc.len()),
                    "{table:?}: {} bytes",
                    doc.len()
                );
            }
        }
        Ok(())
    }

    /// The GetBackend-sized document names each row's own app and carries the strings a
    /// GetBackend answer escapes.
    #[test]
    fn read_documents_are_getbackend_answers() -> Res<()> {
        let docs = Table::Items.docs()?;
        let first: serde_json::Value = serde_json::from_str(&docs[0])?;
        assert_eq!(first["appId"], "seed1");
        for member in ["amplifyFeatureFlags", "amplifyMetaConfig"] {
            let text = first[member].as_str().ok_or(member)?;
            let inner: serde_json::Value = serde_json::from_str(text)?;
            assert!(inner.is_object(), "{member}");
        }
        Ok(())
    }

    /// A page of jobs has 25 jobs and a token to the next page.
    #[test]
    fn a_job_page_has_25_jobs_and_a_next_token() -> Res<()> {
        let page: serde_json::Value = serde_json::from_str(&job_page(3))?;
        assert_eq!(page["jobs"].as_array().map(Vec::len), Some(25));
        assert!(page["nextToken"].is_string());
        Ok(())
    }
}
