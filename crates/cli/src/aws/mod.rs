//! The AWS CLI-style commands: one subcommand per operation (`get-backend`, …) and
//! `wait job`, with the AWS CLI's flags, documents, `--query`, output and exit codes.

mod command;
mod control;
mod convert;
mod east_asian_width;
mod failure;
mod globals;
mod input;
mod output;
mod paginate;
mod python;
mod query;
mod suggest;
mod table;
mod text;
mod wait;

use amplifybackend_client::model::Operation;
use clap::ArgMatches;
use clap::error::{ContextKind, ContextValue, ErrorKind};
pub use command::augment;
use failure::{EXIT_OTHER, EXIT_USAGE, Failure, call_failure};
use globals::Globals;
pub use globals::misplaced as misplaced_global;
pub use output::Format;
use serde_json::Value;
use std::process::ExitCode;

/// Whether `name` is a subcommand of this module.
pub fn handles(name: &str) -> bool {
    name == "wait" || name == "control" || Operation::ALL.iter().any(|o| o.cli_name() == name)
}

/// Runs the subcommand `name` (one of [`handles`]).
pub fn run(matches: &ArgMatches) -> ExitCode {
    let runtime = match tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
    {
        Ok(r) => r,
        Err(e) => {
            eprintln!("amplifybackend: cannot start the runtime: {e}");
            return ExitCode::from(EXIT_OTHER);
        }
    };
    match runtime.block_on(dispatch(matches)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(f) => {
            eprintln!("{}", f.message);
            ExitCode::from(f.status)
        }
    }
}

async fn dispatch(matches: &ArgMatches) -> Result<(), Failure> {
    let Some((name, sub)) = matches.subcommand() else {
        return Err(Failure::usage("a command is required"));
    };
    if name == "control" {
        return control::run(sub, matches).await;
    }
    if name == "wait" {
        let chain: Vec<&ArgMatches> = sub
            .subcommand()
            .map(|(_, job)| job)
            .into_iter()
            .chain([sub, matches])
            .collect();
        let globals = Globals::from_matches(&chain);
        return wait::run(&globals.client(), sub).await;
    }
    let globals = Globals::from_matches(&[sub, matches]);
    // As the AWS CLI: a bad expression fails before anything is sent.
    let query = globals.query()?;
    let Some(op) = Operation::ALL.into_iter().find(|o| o.cli_name() == name) else {
        return Err(Failure::usage(format!("unknown command {name}")));
    };
    let document = input::input_document(op, sub)?;
    let wire = convert::to_wire(op.shapes().0, &Value::Object(document), "")?;
    let client = globals.client();
    let paginated = paginate::wanted(op, sub, &wire, globals.no_paginate)?;
    let mut stdout = std::io::stdout().lock();
    if paginated && globals.format == Format::Text {
        return paginate::print_text_pages(&client, op, sub, &wire, query.as_ref(), &mut stdout)
            .await;
    }
    let response = if paginated {
        paginate::full_result(&client, op, sub, &wire).await?
    } else {
        client
            .send_json(op, wire)
            .await
            .map_err(|e| call_failure(op.name(), e))?
    };
    let mut printed = convert::from_wire(op.shapes().1, &response);
    if let Some(query) = &query {
        printed = query.search(&printed)?;
    }
    match output::print(globals.format, op.name(), &printed, &mut stdout) {
        Err(e) if !e.is_broken_pipe() => Err(e.into()),
        _ => Ok(()),
    }
}

/// Prints a clap error and answers its exit status (0 for help and version, 252 else).
/// A mistyped command gets the AWS CLI's suggestions, the closest first.
pub fn usage_error(mut e: clap::Error) -> ExitCode {
    // clap offers every command it finds similar, the closest last.
    if e.kind() == ErrorKind::InvalidSubcommand
        && let Some(ContextValue::String(typed)) = e.get(ContextKind::InvalidSubcommand)
        && let Some(ContextValue::Strings(similar)) = e.get(ContextKind::SuggestedSubcommand)
    {
        let closest: Vec<String> =
            suggest::close_matches(typed, similar.iter().map(String::as_str))
                .into_iter()
                .map(str::to_owned)
                .collect();
        e.insert(
            ContextKind::SuggestedSubcommand,
            ContextValue::Strings(closest),
        );
    }
    let _ = e.print();
    if e.use_stderr() {
        ExitCode::from(EXIT_USAGE)
    } else {
        ExitCode::SUCCESS
    }
}
