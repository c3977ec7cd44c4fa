//! What `amplifybackend serve` is configured with.

use std::net::SocketAddr;
use std::time::Duration;

/// The port the server listens on unless told otherwise.
pub const DEFAULT_PORT: u16 = 4750;
/// The database used unless told otherwise: a SQLite file in the working directory.
pub const DEFAULT_DATABASE_URL: &str = "sqlite://amplifybackend.db";

/// Server settings.
#[derive(Debug, Clone)]
pub struct ServerConfig {
    /// Address to listen on (port 0: any free port).
    pub listen: SocketAddr,
    /// Where the state lives (`sqlite://…`, `sqlite::memory:`, `postgres://…`).
    pub database_url: String,
    /// Connection pool, statement timeout and job lease of the store.
    pub store_options: amplifybackend_store::StoreOptions,
    /// How long a job runs before a worker completes it; zero completes jobs inside the
    /// request that starts them.
    pub job_duration: Duration,
    /// Lifetime of a CreateToken challenge.
    pub token_ttl: Duration,
    /// Largest request body accepted.
    pub max_body_bytes: usize,
    /// The access keys allowed in; `None` runs in local-development mode, where
    /// signatures are not verified.
    pub credentials: Option<Vec<crate::credentials::Credential>>,
}

impl Default for ServerConfig {
    fn default() -> Self {
        ServerConfig {
            listen: SocketAddr::from(([127, 0, 0, 1], DEFAULT_PORT)),
            database_url: DEFAULT_DATABASE_URL.to_owned(),
            store_options: amplifybackend_store::StoreOptions::default(),
            job_duration: Duration::ZERO,
            token_ttl: Duration::from_secs(600),
            max_body_bytes: 6 * 1024 * 1024,
            credentials: None,
        }
    }
}
