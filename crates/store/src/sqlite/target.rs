//! Which SQLite database a URL names.

use std::path::PathBuf;

/// A SQLite database: a file, or a private in-memory database.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SqliteTarget {
    /// Lives as long as the store; for tests and throwaway runs.
    Memory,
    /// A database file (created if missing).
    File(PathBuf),
}

impl SqliteTarget {
    /// Parses `sqlite:///abs/path.db`, `sqlite://rel.db`, `sqlite:rel.db`,
    /// `sqlite::memory:` or a bare path; `None` for anything else (another engine's URL).
    pub fn from_url(url: &str) -> Option<SqliteTarget> {
        let url = url.trim();
        if let Some(rest) = strip_prefix_ignore_case(url, "sqlite:") {
            // sqlx-style options (`?mode=rwc`) mean nothing here.
            let rest = rest.split_once('?').map_or(rest, |(path, _)| path);
            let path = rest.strip_prefix("//").unwrap_or(rest);
            return match path {
                "" => None,
                ":memory:" => Some(SqliteTarget::Memory),
                _ => Some(SqliteTarget::File(PathBuf::from(path))),
            };
        }
        match url {
            ":memory:" => Some(SqliteTarget::Memory),
            _ if url.is_empty() || has_scheme(url) => None,
            _ => Some(SqliteTarget::File(PathBuf::from(url))),
        }
    }
}

fn strip_prefix_ignore_case<'a>(s: &'a str, prefix: &str) -> Option<&'a str> {
    let head = s.get(..prefix.len())?;
    head.eq_ignore_ascii_case(prefix)
        .then(|| &s[prefix.len()..])
}

/// `scheme:` as URLs start (RFC 3986), so `postgres://…` is not taken for a file name.
/// A single letter is a Windows drive (`C:\x.db`), not a scheme.
fn has_scheme(s: &str) -> bool {
    let Some((scheme, _)) = s.split_once(':') else {
        return false;
    };
    let mut chars = scheme.chars();
    let starts_alpha = chars.next().is_some_and(|c| c.is_ascii_alphabetic());
    starts_alpha
        && scheme.len() > 1
        && chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
}

#[cfg(test)]
mod tests {
    use super::SqliteTarget::{self, File, Memory};
    use std::path::PathBuf;

    fn file(p: &str) -> Option<SqliteTarget> {
        Some(File(PathBuf::from(p)))
    }

    #[test]
    fn sqlite_urls() {
        assert_eq!(
            SqliteTarget::from_url("sqlite:///abs/path.db"),
            file("/abs/path.db")
        );
        assert_eq!(SqliteTarget::from_url("sqlite://rel.db"), file("rel.db"));
        assert_eq!(
            SqliteTarget::from_url("sqlite://dir/rel.db"),
            file("dir/rel.db")
        );
        assert_eq!(SqliteTarget::from_url("sqlite:rel.db"), file("rel.db"));
        assert_eq!(SqliteTarget::from_url("sqlite:/abs.db"), file("/abs.db"));
        assert_eq!(SqliteTarget::from_url("SQLITE://rel.db"), file("rel.db"));
        assert_eq!(
            SqliteTarget::from_url("sqlite://x.db?mode=rwc"),
            file("x.db")
        );
    }

    #[test]
    fn memory_urls() {
        assert_eq!(SqliteTarget::from_url("sqlite::memory:"), Some(Memory));
        assert_eq!(SqliteTarget::from_url("sqlite://:memory:"), Some(Memory));
        assert_eq!(SqliteTarget::from_url(":memory:"), Some(Memory));
    }

    #[test]
    fn bare_paths() {
        assert_eq!(SqliteTarget::from_url("foo.db"), file("foo.db"));
        assert_eq!(SqliteTarget::from_url("/x/y.db"), file("/x/y.db"));
        assert_eq!(
            SqliteTarget::from_url("./data/a b.db"),
            file("./data/a b.db")
        );
        assert_eq!(
            SqliteTarget::from_url("C:\\data\\x.db"),
            file("C:\\data\\x.db")
        );
    }

    #[test]
    fn not_sqlite() {
        assert_eq!(SqliteTarget::from_url("postgres://u@h:5432/db"), None);
        assert_eq!(SqliteTarget::from_url("postgresql://h/db"), None);
        assert_eq!(SqliteTarget::from_url("mysql://h/db"), None);
        assert_eq!(SqliteTarget::from_url(""), None);
        assert_eq!(SqliteTarget::from_url("sqlite:"), None);
        assert_eq!(SqliteTarget::from_url("sqlite://"), None);
    }
}
