//! How many connections the process can hold: its open-file limit, less the files the
//! database and the process itself need. Past that, `accept` would fail with `EMFILE`, and
//! so would opening a database file.

use amplifybackend_store::StoreOptions;

/// Files kept for the process beside its connections and database: the listening socket,
/// the runtime's, standard streams, and a margin.
const RESERVED_FILES: usize = 64;

/// Files one database connection may hold (SQLite: the database, its WAL, its shared
/// memory; PostgreSQL: one socket).
const FILES_PER_DATABASE_CONNECTION: usize = 3;

/// Assumed when the limit cannot be read (not Linux): the usual soft limit.
const USUAL_FILE_LIMIT: u64 = 1024;

/// The default cap on open connections for a process with these store options.
pub fn default_max_connections(store: &StoreOptions) -> usize {
    let limit = std::fs::read_to_string("/proc/self/limits")
        .ok()
        .and_then(|text| open_file_limit(&text))
        .unwrap_or(USUAL_FILE_LIMIT);
    from_file_limit(limit, store)
}

fn from_file_limit(limit: u64, store: &StoreOptions) -> usize {
    let limit = usize::try_from(limit).unwrap_or(usize::MAX);
    // The writer or the pool, plus one: a migration's or a health check's connection.
    let database_connections = store.pool_size.max(store.read_connections) + 2;
    let reserved = RESERVED_FILES + FILES_PER_DATABASE_CONNECTION * database_connections;
    // A tiny limit still serves: half of it goes to connections.
    limit.saturating_sub(reserved).max(limit / 2).max(1)
}

/// The soft `Max open files` from the text of `/proc/<pid>/limits`; `None` when absent or
/// `unlimited`.
fn open_file_limit(limits: &str) -> Option<u64> {
    limits
        .lines()
        .find_map(|line| line.strip_prefix("Max open files"))?
        .split_whitespace()
        .next()?
        .parse()
        .ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    const LIMITS: &str = "\
Limit                     Soft Limit           Hard Limit           Units     
Max processes             63704                63704                processes 
Max open files            20000                524288               files     
Max locked memory         8388608              8388608              bytes     
";

    #[test]
    fn the_soft_limit_is_read() {
        assert_eq!(open_file_limit(LIMITS), Some(20000));
        assert_eq!(
            open_file_limit("Max open files  unlimited  unlimited  files"),
            None
        );
        assert_eq!(open_file_limit("Max processes 5 5 processes"), None);
    }

    #[test]
    fn the_database_and_the_process_keep_their_files() {
        let store = StoreOptions::default();
        // 64 + 3 × (16 + 2) = 118 reserved.
        assert_eq!(from_file_limit(20_000, &store), 19_882);
        assert_eq!(from_file_limit(1024, &store), 906);
        assert_eq!(from_file_limit(100, &store), 50);
        assert_eq!(from_file_limit(1, &store), 1);
    }
}
