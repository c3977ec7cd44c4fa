//! Which PostgreSQL database (and schema) a URL names, and the connection settings.

use crate::{StoreError, StoreOptions, StoreResult, redacted_url as redact};
use std::str::FromStr;

/// A PostgreSQL database, and optionally a schema of its own within it.
#[derive(Debug, Clone)]
pub struct PgTarget {
    /// Connection settings, with `options` carrying the session settings we need.
    pub(super) config: tokio_postgres::Config,
    /// `?schema=name`: the store's tables live in (and are created in) this schema.
    pub(super) schema: Option<String>,
}

impl PgTarget {
    /// Parses `postgres://…` or `postgresql://…` (libpq's URL form: user, password, host,
    /// port, database, and query parameters such as `connect_timeout`, `sslmode=disable`,
    /// `application_name`, `options`). One extra query parameter: `schema=name` keeps the
    /// store's tables in that schema (created if missing) instead of the user's default
    /// search path; the name is lowercase letters, digits and `_`, not starting with a
    /// digit. `None` if the URL is not a PostgreSQL URL; `Some(Err)` if it is one but is
    /// malformed.
    pub fn from_url(url: &str) -> Option<StoreResult<PgTarget>> {
        let url = url.trim();
        let scheme = url.split_once("://")?.0;
        if !(scheme.eq_ignore_ascii_case("postgres") || scheme.eq_ignore_ascii_case("postgresql")) {
            return None;
        }
        Some(Self::parse(url))
    }

    fn parse(url: &str) -> StoreResult<PgTarget> {
        let bad = |why: String| StoreError::UnsupportedUrl(format!("{}: {why}", redact(url)));
        let (base, query) = match url.split_once('?') {
            Some((base, query)) => (base, Some(query)),
            None => (url, None),
        };
        let mut schema = None;
        let mut kept = Vec::new();
        for pair in query.unwrap_or("").split('&').filter(|p| !p.is_empty()) {
            match pair.split_once('=') {
                Some(("schema", name)) => {
                    if !valid_schema(name) {
                        return Err(bad(format!(
                            "schema {name:?} must be lowercase letters, digits and _, not starting with a digit"
                        )));
                    }
                    schema = Some(name.to_owned());
                }
                _ => kept.push(pair),
            }
        }
        let url = if kept.is_empty() {
            base.to_owned()
        } else {
            format!("{base}?{}", kept.join("&"))
        };
        let config = tokio_postgres::Config::from_str(&url).map_err(|e| bad(e.to_string()))?;
        Ok(PgTarget { config, schema })
    }

    /// The connection settings the pool uses: the URL's, plus the session settings of
    /// `options` (search path, statement timeout) and a connect timeout.
    pub(super) fn connection_config(&self, options: &StoreOptions) -> tokio_postgres::Config {
        let mut config = self.config.clone();
        let mut session = config.get_options().unwrap_or("").to_owned();
        let mut add = |setting: String| {
            if !session.is_empty() {
                session.push(' ');
            }
            session.push_str("-c ");
            session.push_str(&setting);
        };
        if let Some(schema) = &self.schema {
            add(format!("search_path={schema}"));
        }
        if let Some(timeout) = options.statement_timeout.filter(|t| !t.is_zero()) {
            add(format!("statement_timeout={}", timeout.as_millis()));
        }
        if !session.is_empty() {
            config.options(&session);
        }
        if config.get_connect_timeout().is_none() {
            config.connect_timeout(options.connect_timeout);
        }
        if config.get_application_name().is_none() {
            config.application_name("amplifybackend");
        }
        config
    }
}

fn valid_schema(name: &str) -> bool {
    let mut chars = name.chars();
    chars
        .next()
        .is_some_and(|c| c.is_ascii_lowercase() || c == '_')
        && chars.all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
        && name.len() <= 63
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use std::time::Duration;

    fn target(url: &str) -> PgTarget {
        PgTarget::from_url(url).unwrap().unwrap()
    }

    #[test]
    fn postgres_urls() {
        let t = target("postgres://postgres@127.0.0.1:5432/test");
        assert_eq!(t.config.get_user(), Some("postgres"));
        assert_eq!(t.config.get_dbname(), Some("test"));
        assert_eq!(t.config.get_ports(), [5432]);
        assert_eq!(t.schema, None);
        let t = target("postgresql://u:pw@db.example/app?schema=amp_1&connect_timeout=3");
        assert_eq!(t.schema.as_deref(), Some("amp_1"));
        assert_eq!(
            t.config.get_connect_timeout(),
            Some(&Duration::from_secs(3))
        );
        assert_eq!(t.config.get_password(), Some(&b"pw"[..]));
        assert!(PgTarget::from_url("POSTGRES://h/db").is_some());
    }

    #[test]
    fn other_urls_are_not_ours() {
        for url in [
            "sqlite::memory:",
            "sqlite://x.db",
            "x.db",
            "mysql://h/db",
            "",
        ] {
            assert!(PgTarget::from_url(url).is_none(), "{url}");
        }
    }

    #[test]
    fn bad_urls_are_refused() {
        for url in [
            "postgres://h/db?schema=Bad",
            "postgres://h/db?schema=1x",
            "postgres://h/db?schema=a;drop",
            "postgres://h/db?nonsense=1",
        ] {
            assert!(
                matches!(
                    PgTarget::from_url(url),
                    Some(Err(StoreError::UnsupportedUrl(_)))
                ),
                "{url}"
            );
        }
    }

    #[test]
    fn session_settings() {
        let options = StoreOptions {
            statement_timeout: Some(Duration::from_millis(1500)),
            ..StoreOptions::default()
        };
        let c = target("postgres://h/db?schema=s1&options=-c%20work_mem%3D4MB")
            .connection_config(&options);
        assert_eq!(
            c.get_options(),
            Some("-c work_mem=4MB -c search_path=s1 -c statement_timeout=1500")
        );
        let c = target("postgres://h/db").connection_config(&StoreOptions {
            statement_timeout: None,
            ..StoreOptions::default()
        });
        assert_eq!(c.get_options(), None);
    }
}
