//! `amplifybackend serve`.

use amplifybackend_server::config::{DEFAULT_DATABASE_URL, DEFAULT_PORT};
use amplifybackend_server::control::document;
use amplifybackend_server::credentials::load_credentials;
use amplifybackend_server::{Server, ServerConfig, ServerError};
use amplifybackend_store::{Scope, Snapshot, StoreOptions};
use clap::Args;
use std::net::SocketAddr;
use std::process::ExitCode;
use std::time::Duration;

/// Exit status of `serve` when its configuration is unusable (the credentials file, the
/// seed file).
const EXIT_CONFIG: u8 = 2;
/// Exit status of `serve` when it cannot listen on the address.
const EXIT_LISTEN: u8 = 3;
/// Exit status of `serve` when the database cannot be opened or migrated.
const EXIT_DATABASE: u8 = 4;

/// Flags of `serve`; each also reads `AMPLIFYBACKEND_<FLAG>`.
#[derive(Debug, Args)]
pub struct ServeArgs {
    /// Address and port to listen on.
    #[arg(long, env = "AMPLIFYBACKEND_LISTEN", default_value_t = SocketAddr::from(([127, 0, 0, 1], DEFAULT_PORT)))]
    listen: SocketAddr,
    /// Database: `sqlite://file.db`, `sqlite:///absolute/file.db`, `sqlite::memory:`, or
    /// `postgres://user[:password]@host[:port]/database` (also `postgresql://`; add
    /// `?schema=name` to keep the tables in a schema of their own). Several processes may
    /// share one PostgreSQL database.
    #[arg(long, env = "AMPLIFYBACKEND_DATABASE_URL", default_value = DEFAULT_DATABASE_URL)]
    database_url: String,
    /// Most database connections this process opens (PostgreSQL's pool); with SQLite, the
    /// read connections it keeps open.
    #[arg(long, env = "AMPLIFYBACKEND_DB_POOL_SIZE")]
    db_pool_size: Option<usize>,
    /// Longest a database statement may run before PostgreSQL cancels it (the request
    /// then fails with a 500), in milliseconds; 0 leaves the server's setting.
    #[arg(
        long,
        env = "AMPLIFYBACKEND_DB_STATEMENT_TIMEOUT_MS",
        default_value_t = 30_000
    )]
    db_statement_timeout_ms: u64,
    /// Longest wait to connect to PostgreSQL or for a free pooled connection, in
    /// milliseconds.
    #[arg(
        long,
        env = "AMPLIFYBACKEND_DB_CONNECT_TIMEOUT_MS",
        default_value_t = 5000
    )]
    db_connect_timeout_ms: u64,
    /// How long a server process's claim on a due job lasts, in milliseconds: a job
    /// claimed by a process that died before completing it is completed by another
    /// process once this has passed (PostgreSQL).
    #[arg(long, env = "AMPLIFYBACKEND_JOB_LEASE_MS", default_value_t = 30_000)]
    job_lease_ms: u64,
    /// How long a job runs before it completes, in milliseconds; 0 completes jobs inside
    /// the request that starts them.
    #[arg(long, env = "AMPLIFYBACKEND_JOB_DURATION_MS", default_value_t = 0)]
    job_duration_ms: u64,
    /// Lifetime of a CreateToken challenge, in seconds.
    #[arg(long, env = "AMPLIFYBACKEND_TOKEN_TTL_SECS", default_value_t = 600)]
    token_ttl_secs: u64,
    /// TOML file of `[[credentials]]` (access_key_id, secret_access_key, account_id,
    /// optional session_token). With it every request must be signed with SigV4 by one of
    /// these keys; without it signatures are not checked (local development).
    #[arg(long, env = "AMPLIFYBACKEND_CREDENTIALS")]
    credentials: Option<std::path::PathBuf>,
    /// JSON state document (as `GET /_amplifybackend/state` answers) loaded at start when
    /// the database holds no app, so that a restart keeps what was changed since; a file
    /// that is not a valid document stops the start (exit code 2).
    #[arg(long, env = "AMPLIFYBACKEND_SEED")]
    seed: Option<std::path::PathBuf>,
    /// Requests per second allowed per account (token bucket); unlimited when absent.
    #[arg(long, env = "AMPLIFYBACKEND_RATE_LIMIT", value_parser = positive_rate)]
    rate_limit: Option<f64>,
    /// Requests an account may send at once above the rate (with --rate-limit).
    #[arg(
        long,
        env = "AMPLIFYBACKEND_BURST",
        default_value_t = 50,
        requires = "rate_limit"
    )]
    burst: u32,
    /// Largest request body, in bytes (413 beyond).
    #[arg(long, env = "AMPLIFYBACKEND_MAX_BODY_BYTES", default_value_t = 6 * 1024 * 1024)]
    max_body_bytes: usize,
    /// Longest time a request may take once its body is in, in milliseconds (504 beyond).
    #[arg(
        long,
        env = "AMPLIFYBACKEND_REQUEST_TIMEOUT_MS",
        default_value_t = 30_000
    )]
    request_timeout_ms: u64,
    /// Longest a client may take to send a request's headers, in milliseconds, from its
    /// connection or, on a connection kept alive, from the request's first byte; the
    /// connection is closed beyond.
    #[arg(long, env = "AMPLIFYBACKEND_HEADER_TIMEOUT_MS", default_value_t = 10_000, value_parser = clap::value_parser!(u64).range(1..))]
    header_timeout_ms: u64,
    /// Longest a request's body may go without a byte arriving, in milliseconds (408
    /// beyond, and the connection is closed); a slow upload that keeps moving is not cut.
    #[arg(long, env = "AMPLIFYBACKEND_BODY_TIMEOUT_MS", default_value_t = 30_000, value_parser = clap::value_parser!(u64).range(1..))]
    body_timeout_ms: u64,
    /// Longest a connection may sit between requests before it is closed, in milliseconds.
    #[arg(long, env = "AMPLIFYBACKEND_IDLE_TIMEOUT_MS", default_value_t = 60_000, value_parser = clap::value_parser!(u64).range(1..))]
    idle_timeout_ms: u64,
    /// Most connections open at once; further ones are closed on arrival. Default: the
    /// process's open-file limit less what the database and the process need.
    #[arg(long, env = "AMPLIFYBACKEND_MAX_CONNECTIONS", value_parser = clap::value_parser!(u32).range(1..))]
    max_connections: Option<u32>,
    /// Threads that handle requests. Default: one per core, on either engine (SQLite's
    /// writer thread shares them: it waits on the disk more than it computes).
    #[arg(long, env = "AMPLIFYBACKEND_WORKER_THREADS", value_parser = clap::value_parser!(u16).range(1..))]
    worker_threads: Option<u16>,
    /// Serve the Studio console at `/console/` (a browser's `GET /` goes there).
    #[arg(long, env = "AMPLIFYBACKEND_CONSOLE", value_enum, default_value_t = Switch::On)]
    console: Switch,
    /// The test control endpoints under /_amplifybackend/ (faults, request journal, state,
    /// jobs): `on`, or `off` to answer 404 there. With --credentials only keys marked
    /// `admin = true` may use them.
    #[arg(long, env = "AMPLIFYBACKEND_CONTROL", value_enum, default_value_t = Switch::On)]
    control: Switch,
    /// How many of the last requests the request journal (GET /_amplifybackend/requests)
    /// keeps; 0 keeps none.
    #[arg(long, env = "AMPLIFYBACKEND_JOURNAL_SIZE", default_value_t = amplifybackend_server::control::journal::DEFAULT_JOURNAL_SIZE)]
    journal_size: usize,
    /// Shut down (as on SIGTERM) when standard input reaches its end: a parent that keeps
    /// the writing end of a pipe open takes the server down with it however it ends, even
    /// killed (the Python package's `Server` starts it so).
    #[arg(long, env = "AMPLIFYBACKEND_STOP_ON_STDIN_EOF")]
    stop_on_stdin_eof: bool,
}

/// A feature turned on or off.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum Switch {
    On,
    Off,
}

fn positive_rate(text: &str) -> Result<f64, String> {
    match text.parse::<f64>() {
        Ok(r) if r.is_finite() && r > 0.0 => Ok(r),
        _ => Err(format!(
            "'{text}' is not a positive number of requests per second"
        )),
    }
}

/// The seed file's state, every row checked, or where the file is wrong.
fn read_seed(path: &std::path::Path) -> Result<Snapshot, String> {
    let bytes = std::fs::read(path).map_err(|e| format!("cannot read it: {e}"))?;
    document::parse(&bytes, &Scope::everything()).map_err(|e| e.to_string())
}

/// Resolves when standard input reaches its end (or cannot be read). The read blocks, so
/// it runs on a thread of its own, which the process does not wait for when it exits.
async fn stdin_closed() {
    let (closed, wait) = tokio::sync::oneshot::channel::<()>();
    let spawned = std::thread::Builder::new()
        .name("stdin-eof".into())
        .spawn(move || {
            let mut stdin = std::io::stdin().lock();
            let mut buf = [0u8; 256];
            loop {
                match std::io::Read::read(&mut stdin, &mut buf) {
                    Ok(0) => break,
                    Ok(_) => {}
                    Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
                    Err(_) => break,
                }
            }
            let _ = closed.send(());
        });
    match spawned {
        Ok(_) => {
            let _ = wait.await;
            tracing::info!("standard input closed");
        }
        Err(e) => {
            tracing::warn!(error = %e, "cannot watch standard input; SIGTERM still stops the server");
            std::future::pending::<()>().await;
        }
    }
}

/// Resolves when SIGTERM or SIGINT arrives, or, with `--stop-on-stdin-eof`, when standard
/// input closes.
async fn shutdown_signal(watch_stdin: bool) {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    let stdin = async {
        if watch_stdin {
            stdin_closed().await;
        } else {
            std::future::pending::<()>().await;
        }
    };
    tokio::select! {
        _ = ctrl_c => {}
        _ = term => {}
        _ = stdin => {}
    }
    tracing::info!("shutting down: finishing in-flight requests");
}

pub(crate) fn init_logging() {
    let filter = tracing_subscriber::EnvFilter::try_from_env("AMPLIFYBACKEND_LOG")
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info"));
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        // Colours for a terminal only: escape codes in a log file or a CI log are noise.
        .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()))
        .try_init();
}

/// Runs the server until SIGTERM/SIGINT.
pub fn run(args: ServeArgs) -> ExitCode {
    init_logging();
    // Before a database is created or migrated: an address that is taken fails at once,
    // named, and leaves no database behind.
    if let Err(e) = std::net::TcpListener::bind(args.listen) {
        eprintln!("amplifybackend: cannot listen on {}: {e}", args.listen);
        return ExitCode::from(EXIT_LISTEN);
    }
    // One per core, SQLite's commit thread included among them: on two cores one thread
    // fewer gave reads up to a fifth less and writes no steady gain (BENCHMARKS.md,
    // "Request threads").
    let worker_threads = args.worker_threads.map_or_else(
        || std::thread::available_parallelism().map_or(1, usize::from),
        usize::from,
    );
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .worker_threads(worker_threads)
        .enable_all()
        .build()
    {
        Ok(r) => r,
        Err(e) => {
            eprintln!("amplifybackend: cannot start the runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    let credentials = match &args.credentials {
        Some(path) => match load_credentials(&path.to_string_lossy()) {
            Ok(c) => Some(c),
            Err(e) => {
                eprintln!("amplifybackend: {e}");
                return ExitCode::from(EXIT_CONFIG);
            }
        },
        None => None,
    };
    let seed = match &args.seed {
        Some(path) => match read_seed(path) {
            Ok(seed) => Some(seed),
            Err(e) => {
                eprintln!("amplifybackend: seed {}: {e}", path.display());
                return ExitCode::from(EXIT_CONFIG);
            }
        },
        None => None,
    };
    let defaults = StoreOptions::default();
    let store_options = StoreOptions {
        read_connections: args.db_pool_size.unwrap_or(defaults.read_connections),
        pool_size: args.db_pool_size.unwrap_or(defaults.pool_size),
        statement_timeout: (args.db_statement_timeout_ms > 0)
            .then(|| Duration::from_millis(args.db_statement_timeout_ms)),
        connect_timeout: Duration::from_millis(args.db_connect_timeout_ms),
        job_lease: Duration::from_millis(args.job_lease_ms.max(1)),
    };
    let config = ServerConfig {
        credentials,
        store_options,
        rate_limit: args.rate_limit.map(|r| (r, args.burst)),
        max_body_bytes: args.max_body_bytes,
        request_timeout: Duration::from_millis(args.request_timeout_ms.max(1)),
        header_timeout: Duration::from_millis(args.header_timeout_ms),
        body_timeout: Duration::from_millis(args.body_timeout_ms),
        idle_timeout: Duration::from_millis(args.idle_timeout_ms),
        max_connections: args.max_connections.map(|n| n as usize),
        listen: args.listen,
        database_url: args.database_url,
        job_duration: Duration::from_millis(args.job_duration_ms),
        token_ttl: Duration::from_secs(args.token_ttl_secs),
        console: args.console == Switch::On,
        control: args.control == Switch::On,
        journal_size: args.journal_size,
        seed,
        ..ServerConfig::default()
    };
    runtime.block_on(async move {
        let server = match Server::bind(config.clone()).await {
            Ok(s) => s,
            // Taken since the check above.
            Err(ServerError::Io(e)) => {
                eprintln!("amplifybackend: cannot listen on {}: {e}", config.listen);
                return ExitCode::from(EXIT_LISTEN);
            }
            Err(e) => {
                eprintln!("amplifybackend: {e}");
                return ExitCode::from(EXIT_DATABASE);
            }
        };
        let addr = server
            .local_addr()
            .map(|a| a.to_string())
            .unwrap_or_default();
        let max_connections = server.max_connections();
        // Where a browser finds the console, in the one start-up line.
        let console = if config.console {
            format!("http://{addr}/console/")
        } else {
            "off".to_owned()
        };
        match &config.credentials {
            Some(keys) => tracing::info!(
                listen = %addr,
                database = %amplifybackend_store::redacted_url(&config.database_url),
                job_duration_ms = args.job_duration_ms,
                worker_threads,
                max_connections,
                access_keys = keys.len(),
                %console,
                "amplifybackend is serving: every request must carry a valid SigV4 signature"
            ),
            None => tracing::info!(
                listen = %addr,
                database = %amplifybackend_store::redacted_url(&config.database_url),
                job_duration_ms = args.job_duration_ms,
                worker_threads,
                max_connections,
                %console,
                "amplifybackend is serving in local-development mode: signatures are not verified"
            ),
        }
        match server.serve(shutdown_signal(args.stop_on_stdin_eof)).await {
            Ok(()) => ExitCode::SUCCESS,
            Err(e) => {
                eprintln!("amplifybackend: {e}");
                ExitCode::FAILURE
            }
        }
    })
}
