//! `amplifybackend`: the AmplifyBackend API, served locally.

mod migrate;
mod serve;

use clap::{Parser, Subcommand};
use std::process::ExitCode;

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
    Serve(serve::ServeArgs),
    /// Bring the database's schema up to date, then exit.
    Migrate(migrate::MigrateArgs),
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Serve(args) => serve::run(args),
        Command::Migrate(args) => migrate::run(args),
    }
}
