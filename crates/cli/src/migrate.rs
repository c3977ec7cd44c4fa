//! `amplifybackend migrate`: brings the database's schema up to date and exits, so that
//! a deployment can migrate once before it starts (or restarts) its server processes.
//! `serve` runs the same migrations at start; either way concurrent migrators wait for
//! each other.

use amplifybackend_server::config::DEFAULT_DATABASE_URL;
use amplifybackend_store::StoreOptions;
use clap::Args;
use std::process::ExitCode;
use std::time::Duration;

/// Flags of `migrate`.
#[derive(Debug, Args)]
pub struct MigrateArgs {
    /// Database: `postgres://user[:password]@host[:port]/database` (optionally
    /// `?schema=name`), `sqlite://file.db` or `sqlite:///absolute/file.db`.
    #[arg(long, env = "AMPLIFYBACKEND_DATABASE_URL", default_value = DEFAULT_DATABASE_URL)]
    database_url: String,
    /// Longest wait to connect to the database, in milliseconds.
    #[arg(
        long,
        env = "AMPLIFYBACKEND_DB_CONNECT_TIMEOUT_MS",
        default_value_t = 5000
    )]
    db_connect_timeout_ms: u64,
}

/// Runs the migrations; exit status 0 once the schema is current.
pub fn run(args: MigrateArgs) -> ExitCode {
    crate::serve::init_logging();
    let runtime = match tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
    {
        Ok(r) => r,
        Err(e) => {
            eprintln!("amplifybackend: cannot start the runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    let options = StoreOptions {
        // Migrations may take long on a big database; nothing else waits on them.
        statement_timeout: None,
        connect_timeout: Duration::from_millis(args.db_connect_timeout_ms),
        ..StoreOptions::default()
    };
    match runtime.block_on(amplifybackend_store::migrate(&args.database_url, &options)) {
        Ok(report) => {
            println!("amplifybackend: {report}");
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("amplifybackend: {e}");
            ExitCode::FAILURE
        }
    }
}
