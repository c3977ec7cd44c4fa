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
    /// Largest request body accepted (413 beyond).
    pub max_body_bytes: usize,
    /// Longest request URI (path and query) accepted (414 beyond).
    pub max_uri_bytes: usize,
    /// Largest total size of the request's header names and values (431 beyond).
    pub max_header_bytes: usize,
    /// Deepest nesting of arrays and objects in a JSON body (400 beyond).
    pub max_json_depth: usize,
    /// Longest time one request may take once its body is in (504 GatewayTimeoutException
    /// beyond).
    pub request_timeout: Duration,
    /// Longest a client may take to send a request's headers, counted from the connection
    /// or, on a connection kept alive, from the request's first byte; the connection is
    /// closed beyond.
    pub header_timeout: Duration,
    /// Longest a request's body may go without a byte arriving (408 RequestTimeoutException
    /// beyond): a slow upload that keeps moving is never cut.
    pub body_timeout: Duration,
    /// Longest a connection may sit between requests before it is closed.
    pub idle_timeout: Duration,
    /// Most connections open at once (further ones are closed on arrival); `None`: the
    /// process's open-file limit less what the database and the process need.
    pub max_connections: Option<usize>,
    /// Most requests one HTTP/2 connection may have in flight at once.
    pub http2_max_concurrent_streams: u32,
    /// Per-account request rate, as (requests per second, burst); `None`: unlimited.
    pub rate_limit: Option<(f64, u32)>,
    /// The access keys allowed in; `None` runs in local-development mode, where
    /// signatures are not verified.
    pub credentials: Option<Vec<crate::credentials::Credential>>,
    /// Whether the control surface (`/_amplifybackend/faults`, ...) is served; off, its
    /// paths answer 404.
    pub control: bool,
    /// How many requests the request journal keeps (0: none).
    pub journal_size: usize,
    /// State loaded at start when the database holds no app (`serve --seed`).
    pub seed: Option<amplifybackend_store::Snapshot>,
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
            max_uri_bytes: 8 * 1024,
            max_header_bytes: 64 * 1024,
            max_json_depth: 64,
            request_timeout: Duration::from_secs(30),
            header_timeout: Duration::from_secs(10),
            body_timeout: Duration::from_secs(30),
            idle_timeout: Duration::from_secs(60),
            max_connections: None,
            http2_max_concurrent_streams: 128,
            rate_limit: None,
            credentials: None,
            control: true,
            journal_size: crate::control::journal::DEFAULT_JOURNAL_SIZE,
            seed: None,
        }
    }
}
