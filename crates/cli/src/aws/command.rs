//! The API commands' definitions: one subcommand per operation under the AWS CLI's name,
//! a flag per input member, and the global options under their own heading.

use super::globals;
use super::input::input_members;
use amplifybackend_client::model::Operation;
use amplifybackend_client::model::schema::{self, ShapeKind};
use clap::{Arg, ArgAction, Command};

/// Adds the global options, one subcommand per operation, and `wait`.
pub fn augment(mut command: Command) -> Command {
    command = command.args(globals::args());
    for op in Operation::ALL {
        command = command.subcommand(operation_command(op).args(globals::args()));
    }
    let wait = super::wait::command()
        .args(globals::args())
        .mut_subcommand("job", |job| job.args(globals::args()));
    command.subcommand(wait)
}

fn operation_command(op: Operation) -> Command {
    let mut command = Command::new(op.cli_name()).about(format!(
        "Calls {} ({} {}).",
        op.name(),
        op.http_method(),
        op.uri_template()
    ));
    for m in input_members(op) {
        let kind = schema::shape(m.shape);
        let help = match kind {
            Some(ShapeKind::Structure(_)) => format!(
                "{} ({}): a JSON document with the AWS CLI's member names, or file://path{}",
                m.name,
                m.shape,
                if m.required { "; required" } else { "" }
            ),
            Some(ShapeKind::Enum(values)) => format!(
                "{}: one of {}{}",
                m.name,
                values.join(", "),
                if m.required { "; required" } else { "" }
            ),
            _ => format!("{}{}", m.name, if m.required { " (required)" } else { "" }),
        };
        command = match kind {
            Some(ShapeKind::Boolean) => command
                .arg(
                    Arg::new(m.name)
                        .long(m.cli_name)
                        .action(ArgAction::SetTrue)
                        .help(help),
                )
                .arg(
                    Arg::new(format!("no-{}", m.name))
                        .long(format!("no-{}", m.cli_name))
                        .action(ArgAction::SetTrue)
                        .conflicts_with(m.name)
                        .help(format!("Sets {} to false", m.name)),
                ),
            Some(ShapeKind::List(item))
                if !matches!(schema::shape(item), Some(ShapeKind::Structure(_))) =>
            {
                command.arg(
                    Arg::new(m.name)
                        .long(m.cli_name)
                        .num_args(1..)
                        .action(ArgAction::Append)
                        .help(help),
                )
            }
            _ => command.arg(Arg::new(m.name).long(m.cli_name).help(help)),
        };
    }
    command = command.arg(
        Arg::new("cli-input-json")
            .long("cli-input-json")
            .help("The input as a JSON document (or file://path); flags override its members"),
    );
    if amplifybackend_client::can_paginate(op.name()) {
        command = command
            .arg(
                Arg::new("page-size")
                    .long("page-size")
                    .value_parser(clap::value_parser!(i32))
                    .help("Items per service call while paginating"),
            )
            .arg(
                Arg::new("max-items")
                    .long("max-items")
                    .value_parser(clap::value_parser!(usize))
                    .help("Items in all; prints NextToken when cut short"),
            )
            .arg(
                Arg::new("starting-token")
                    .long("starting-token")
                    .help("A NextToken printed by an earlier --max-items call"),
            );
    }
    command
}
