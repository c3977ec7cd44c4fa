//! `amplifybackend`: the AmplifyBackend API and the Amplify service's apps, served locally,
//! and a command per operation to call them as the AWS CLI does (`amplifybackend
//! get-backend`, `amplifybackend amplify list-apps`).

mod aws;
mod migrate;
mod serve;

use clap::{CommandFactory, FromArgMatches, Parser, Subcommand};
use std::process::ExitCode;

/// The server's requests allocate on one thread and free on another (a reply built by
/// the SQLite writer, a body read by one worker and dropped by the next); glibc's malloc
/// spent a third of the request threads' time there, mimalloc a fraction (BENCHMARKS.md).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// A self-hostable AWS Amplify Admin backend API (AmplifyBackend 2020-08-11).
#[derive(Debug, Parser)]
#[command(name = "amplifybackend", version, about)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Serve the AmplifyBackend API.
    // Boxed: its many flags would make every `Command` that large.
    Serve(Box<serve::ServeArgs>),
    /// Bring the database's schema up to date, then exit.
    Migrate(migrate::MigrateArgs),
}

fn main() -> ExitCode {
    let matches = match aws::augment(Cli::command()).try_get_matches() {
        Ok(m) => m,
        Err(e) => return aws::usage_error(e),
    };
    if matches.subcommand_name().is_some_and(aws::handles) {
        return aws::run(&matches);
    }
    // The global options are the API commands'; a server command refuses them.
    if let Some(flag) = aws::misplaced_global(&matches) {
        let e = Cli::command().error(
            clap::error::ErrorKind::ArgumentConflict,
            format!(
                "{flag} is an option of the API commands, not of `{}`",
                matches.subcommand_name().unwrap_or_default()
            ),
        );
        return aws::usage_error(e);
    }
    let cli = match Cli::from_arg_matches(&matches) {
        Ok(cli) => cli,
        Err(e) => return aws::usage_error(e),
    };
    match cli.command {
        Command::Serve(args) => serve::run(*args),
        Command::Migrate(args) => migrate::run(args),
    }
}
