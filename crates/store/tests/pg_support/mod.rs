//! PostgreSQL for the tests: `AMPLIFYBACKEND_TEST_POSTGRES_URL` names a database the tests
//! may create schemas in (unset: PostgreSQL tests are skipped). Each test gets a schema
//! of its own (`?schema=t_<uuid>`), dropped when its guard goes.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used)]

use std::sync::Once;

/// The variable naming the test database.
pub const URL_VAR: &str = "AMPLIFYBACKEND_TEST_POSTGRES_URL";

/// The test database's URL, or `None` (with a note, once) when it is not configured.
pub fn base_url() -> Option<String> {
    match std::env::var(URL_VAR) {
        Ok(url) if !url.trim().is_empty() => Some(url),
        _ => {
            static NOTE: Once = Once::new();
            NOTE.call_once(|| {
                eprintln!("note: {URL_VAR} is not set; skipping the PostgreSQL tests");
            });
            None
        }
    }
}

/// A fresh schema in the test database; dropped (with everything in it) on drop.
#[derive(Debug)]
pub struct PgSchema {
    base: String,
    /// The schema's name.
    pub name: String,
    /// The store URL that selects it.
    pub url: String,
}

impl PgSchema {
    /// A new, not yet created, schema name (the store creates it when it opens).
    pub fn new() -> Option<PgSchema> {
        let base = base_url()?;
        let name = format!("t_{}", uuid::Uuid::new_v4().simple());
        let sep = if base.contains('?') { '&' } else { '?' };
        let url = format!("{base}{sep}schema={name}");
        Some(PgSchema { base, name, url })
    }

    /// Runs SQL on the test database with the schema first on the search path.
    pub fn sql(&self, sql: &str) -> Vec<tokio_postgres::SimpleQueryMessage> {
        let (base, sql) = (
            self.base.clone(),
            format!("SET search_path TO {}; {sql}", self.name),
        );
        std::thread::spawn(move || run_sql(&base, &sql))
            .join()
            .unwrap()
            .unwrap()
    }
}

fn run_sql(
    url: &str,
    sql: &str,
) -> Result<Vec<tokio_postgres::SimpleQueryMessage>, tokio_postgres::Error> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    runtime.block_on(async {
        let (client, connection) = tokio_postgres::connect(url, tokio_postgres::NoTls).await?;
        let task = tokio::spawn(connection);
        let result = client.simple_query(sql).await;
        drop(client);
        let _ = task.await;
        result
    })
}

impl Drop for PgSchema {
    fn drop(&mut self) {
        let (base, sql) = (
            self.base.clone(),
            format!("DROP SCHEMA IF EXISTS {} CASCADE", self.name),
        );
        // On a thread of its own: this may run inside an async test's runtime.
        let dropped = std::thread::spawn(move || run_sql(&base, &sql)).join();
        if !matches!(dropped, Ok(Ok(_))) {
            eprintln!(
                "note: could not drop the test schema {}: {dropped:?}",
                self.name
            );
        }
    }
}
