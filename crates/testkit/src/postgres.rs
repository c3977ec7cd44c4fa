//! PostgreSQL for the tests. [`URL_VAR`] names a database in which the tests may create
//! schemas; the crates with PostgreSQL tests set `cfg(postgres_tests)` from it in their build
//! scripts and mark those tests ignored without it, so a test that gets here without the
//! variable fails rather than passing without having run. Each test works in a schema of
//! its own, selected by the store URL's `schema` parameter and dropped when the test ends,
//! so tests run in parallel on one database without seeing each other.

/// The variable naming the test database.
pub const URL_VAR: &str = "AMPLIFYBACKEND_TEST_POSTGRES_URL";

/// The test database's URL.
///
/// # Panics
/// When [`URL_VAR`] is not set: the test should have been ignored.
pub fn base_url() -> String {
    match std::env::var(URL_VAR) {
        Ok(url) if !url.trim().is_empty() => url,
        _ => panic!(
            "{URL_VAR} is not set, so this PostgreSQL test should have been ignored \
             (mark it `#[cfg_attr(not(postgres_tests), ignore = ...)]`)"
        ),
    }
}

/// A throwaway schema of the test database, dropped with everything in it on drop.
///
/// It is named, not created: the store creates the schema of its URL when it opens, as it
/// does in production.
#[derive(Debug)]
pub struct PgSchema {
    base: String,
    name: String,
    url: String,
}

impl PgSchema {
    /// A fresh schema.
    ///
    /// # Panics
    /// When [`URL_VAR`] is not set (see [`base_url`]).
    // Each call names a new schema, and panics without the database: not a `Default`.
    #[allow(clippy::new_without_default)]
    pub fn new() -> PgSchema {
        let base = base_url();
        let name = format!("t_{}", uuid::Uuid::new_v4().simple());
        let separator = if base.contains('?') { '&' } else { '?' };
        let url = format!("{base}{separator}schema={name}");
        PgSchema { base, name, url }
    }

    /// The schema's name (`t_<32 hex digits>`).
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The database URL that selects the schema, for the store, the server and the CLI.
    pub fn url(&self) -> &str {
        &self.url
    }

    /// Runs `sql` (one or more statements) with the schema first on the search path;
    /// answers the first column of every row, NULL as the empty string.
    pub fn query(&self, sql: &str) -> Vec<String> {
        let sql = format!("SET search_path TO {}; {sql}", self.name);
        run_sql(&self.base, &sql).unwrap_or_else(|e| panic!("{sql}: {e}"))
    }

    /// A `SELECT count(*) …` as a number.
    pub fn count(&self, sql: &str) -> i64 {
        let rows = self.query(sql);
        let first = rows.first().unwrap_or_else(|| panic!("no row: {sql}"));
        first
            .parse()
            .unwrap_or_else(|e| panic!("not a count ({e}): {first}"))
    }
}

impl Drop for PgSchema {
    fn drop(&mut self) {
        let sql = format!("DROP SCHEMA IF EXISTS {} CASCADE", self.name);
        if let Err(e) = run_sql(&self.base, &sql) {
            eprintln!("note: could not drop the test schema {}: {e}", self.name);
        }
    }
}

/// Runs `sql` (simple protocol) on a connection of its own; the first column of each row.
///
/// It runs on a thread of its own, with a runtime of its own: callers may be inside an
/// async test's runtime, which cannot block on another future.
fn run_sql(url: &str, sql: &str) -> Result<Vec<String>, tokio_postgres::Error> {
    let (url, sql) = (url.to_owned(), sql.to_owned());
    std::thread::spawn(move || {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("a runtime for the test's SQL");
        runtime.block_on(async {
            let (client, connection) = tokio_postgres::connect(&url, tokio_postgres::NoTls).await?;
            let task = tokio::spawn(connection);
            let messages = client.simple_query(&sql).await;
            drop(client);
            let _ = task.await;
            Ok(messages?
                .into_iter()
                .filter_map(|message| match message {
                    tokio_postgres::SimpleQueryMessage::Row(row) => {
                        Some(row.get(0).unwrap_or_default().to_owned())
                    }
                    _ => None,
                })
                .collect())
        })
    })
    .join()
    .expect("the thread running the test's SQL did not panic")
}
