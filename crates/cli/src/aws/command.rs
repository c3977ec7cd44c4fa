//! The API commands' definitions: one subcommand per operation under the AWS CLI's name,
//! a flag per input member, and the global options under their own heading.

use super::globals;
use super::input::input_members;
use amplifybackend_client::model::Operation;
use amplifybackend_client::model::schema::{self, ShapeKind};
use clap::{Arg, ArgAction, Command};

/// Adds the global options, one subcommand per operation, `wait` and `control`.
pub fn augment(mut command: Command) -> Command {
    command = command.args(globals::args());
    for op in Operation::ALL {
        command = command.subcommand(operation_command(op).args(globals::args()));
    }
    let wait = super::wait::command()
        .args(globals::args())
        .mut_subcommand("job", |job| job.args(globals::args()));
    command
        .subcommand(wait)
        .subcommand(super::control::command())
}

/// The first sentence of `text`: up to the first `. ` or the end of its first paragraph.
/// `-h` shows it; `--help` shows the whole text, as the AWS CLI's help does.
fn first_sentence(text: &str) -> &str {
    let paragraph = text.split("\n\n").next().unwrap_or_default();
    match paragraph.find(". ") {
        Some(i) => &paragraph[..=i],
        None => paragraph,
    }
}

/// The non-empty `parts` joined by `separator`.
fn joined(parts: &[&str], separator: &str) -> String {
    parts
        .iter()
        .filter(|p| !p.is_empty())
        .copied()
        .collect::<Vec<_>>()
        .join(separator)
}

fn operation_command(op: Operation) -> Command {
    let call = format!(
        "Calls {} ({} {}).",
        op.name(),
        op.http_method(),
        op.uri_template()
    );
    let description = op.description();
    let mut command = Command::new(op.cli_name())
        .about(if description.is_empty() {
            call.clone()
        } else {
            first_sentence(description).to_string()
        })
        .long_about(joined(&[description, &call], "\n\n"));
    for m in input_members(op) {
        let kind = schema::shape(m.shape);
        let required = if m.required { "(required)" } else { "" };
        let details = match kind {
            Some(ShapeKind::Structure(_)) => format!(
                "A JSON document ({}) with the AWS CLI's member names, or file://path.",
                m.shape
            ),
            Some(ShapeKind::Enum(values)) => format!("One of: {}.", values.join(", ")),
            _ => String::new(),
        };
        let description = if m.doc.is_empty() { m.name } else { m.doc };
        let help = joined(&[first_sentence(description), &details, required], " ");
        let long_help = joined(&[description, &details, required], "\n");
        command = match kind {
            Some(ShapeKind::Boolean) => command
                .arg(
                    Arg::new(m.name)
                        .long(m.cli_name)
                        .action(ArgAction::SetTrue)
                        .help(help)
                        .long_help(long_help),
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
                        .help(help)
                        .long_help(long_help),
                )
            }
            _ => command.arg(
                Arg::new(m.name)
                    .long(m.cli_name)
                    .help(help)
                    .long_help(long_help),
            ),
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn first_sentence_stops_at_a_period_or_paragraph() {
        assert_eq!(first_sentence("One. Two."), "One.");
        assert_eq!(first_sentence("Only one\n\nSecond."), "Only one");
        assert_eq!(first_sentence("Version 1.2 is out."), "Version 1.2 is out.");
        assert_eq!(first_sentence(""), "");
    }

    #[test]
    fn joined_skips_empty_parts() {
        assert_eq!(joined(&["a", "", "b"], " "), "a b");
        assert_eq!(joined(&["", ""], "\n"), "");
    }
}
