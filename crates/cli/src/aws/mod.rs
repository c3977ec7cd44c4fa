//! The AWS CLI-style commands: one subcommand per operation (`get-backend`, …) and
//! `wait job`, with the AWS CLI's flags, documents, output and exit codes.

mod convert;
mod output;
mod wait;

use amplifybackend_client::model::schema::{self, Member, ShapeKind};
use amplifybackend_client::model::{ListBackendJobsRequest, Operation, OperationInput, Structure};
use amplifybackend_client::{Client, Config, Error};
use clap::{Arg, ArgAction, ArgMatches, Command};
use convert::ParamError;
pub use output::Format;
use serde_json::{Map, Value};
use std::process::ExitCode;
use std::time::Duration;

/// Exit status of a usage error (AWS CLI v2).
pub const EXIT_USAGE: u8 = 252;
/// Exit status of a configuration or credentials error.
pub const EXIT_CONFIG: u8 = 253;
/// Exit status of an error the service answered.
pub const EXIT_SERVICE: u8 = 254;
/// Exit status of any other failure.
pub const EXIT_OTHER: u8 = 255;

/// Adds the global flags, one subcommand per operation, and `wait`.
pub fn augment(mut command: Command) -> Command {
    command = command
        .arg(
            Arg::new("endpoint-url")
                .long("endpoint-url")
                .global(true)
                .help("Send requests to this URL instead of the region's endpoint"),
        )
        .arg(
            Arg::new("region")
                .long("region")
                .global(true)
                .help("The region to sign requests for"),
        )
        .arg(
            Arg::new("profile")
                .long("profile")
                .global(true)
                .help("A profile of ~/.aws/config and ~/.aws/credentials"),
        )
        .arg(
            Arg::new("output")
                .long("output")
                .global(true)
                .value_parser(clap::builder::EnumValueParser::<Format>::new())
                .help("Output format (default json, or AWS_DEFAULT_OUTPUT)"),
        )
        .arg(
            Arg::new("no-paginate")
                .long("no-paginate")
                .global(true)
                .action(ArgAction::SetTrue)
                .help("Make one call only, without automatic pagination"),
        )
        .arg(
            Arg::new("cli-read-timeout")
                .long("cli-read-timeout")
                .global(true)
                .value_parser(clap::value_parser!(u64))
                .help("Seconds to wait for response data (default 60)"),
        )
        .arg(
            Arg::new("cli-connect-timeout")
                .long("cli-connect-timeout")
                .global(true)
                .value_parser(clap::value_parser!(u64))
                .help("Seconds to wait for a connection (default 60)"),
        );
    for op in Operation::ALL {
        command = command.subcommand(operation_command(op));
    }
    command.subcommand(wait::command())
}

/// Whether `name` is a subcommand of this module.
pub fn handles(name: &str) -> bool {
    name == "wait" || Operation::ALL.iter().any(|o| o.cli_name() == name)
}

fn input_members(op: Operation) -> &'static [Member] {
    schema::members(op.shapes().0)
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

/// A failure and its exit status.
struct Failure {
    status: u8,
    message: String,
}

impl Failure {
    fn usage(message: impl Into<String>) -> Failure {
        Failure {
            status: EXIT_USAGE,
            message: message.into(),
        }
    }
}

impl From<ParamError> for Failure {
    fn from(e: ParamError) -> Failure {
        Failure::usage(format!("\nParameter validation failed:\n{}", e.0))
    }
}

/// The failure of a call of `operation`, worded as the AWS CLI words it.
fn call_failure(operation: &str, e: Error) -> Failure {
    match &e {
        Error::Validation(v) => Failure::usage(format!(
            "\nParameter validation failed:\n{}",
            v.violations
                .iter()
                .map(|v| v.to_string())
                .collect::<Vec<_>>()
                .join("\n")
        )),
        Error::Config { message } | Error::Credentials { message } => Failure {
            status: EXIT_CONFIG,
            message: message.clone(),
        },
        _ if e.is_service_error() => Failure {
            status: EXIT_SERVICE,
            message: format!(
                "\nAn error occurred ({}) when calling the {operation} operation: {}",
                e.code().unwrap_or_default(),
                e.message()
            ),
        },
        _ => Failure {
            status: EXIT_OTHER,
            message: e.to_string(),
        },
    }
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
    let result = runtime.block_on(dispatch(matches));
    match result {
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
    let client = client(matches)?;
    let format = matches
        .get_one::<Format>("output")
        .copied()
        .or_else(|| {
            std::env::var("AWS_DEFAULT_OUTPUT")
                .ok()
                .and_then(|v| <Format as clap::ValueEnum>::from_str(&v, true).ok())
        })
        .unwrap_or(Format::Json);
    if name == "wait" {
        return wait::run(&client, sub).await;
    }
    let Some(op) = Operation::ALL.into_iter().find(|o| o.cli_name() == name) else {
        return Err(Failure::usage(format!("unknown command {name}")));
    };
    let document = input_document(op, sub)?;
    let wire = convert::to_wire(op.shapes().0, &Value::Object(document), "")?;
    let no_paginate = matches.get_flag("no-paginate");
    let output = if amplifybackend_client::can_paginate(op.name()) {
        paginate(&client, op, sub, wire, no_paginate).await?
    } else {
        client
            .send_json(op, wire)
            .await
            .map_err(|e| call_failure(op.name(), e))?
    };
    let mut printed = convert::from_wire(op.shapes().1, &output);
    let mut stdout = std::io::stdout().lock();
    // Paginated text output ends with the resume token on its own line, as the AWS CLI's.
    let mut resume = None;
    if format == Format::Text
        && amplifybackend_client::can_paginate(op.name())
        && !no_paginate
        && let Some(map) = printed.as_object_mut()
    {
        resume = map
            .remove("NextToken")
            .map(|t| serde_json::json!({"NextToken": {"NextToken": t}}));
    }
    let result =
        output::print(format, op.name(), &printed, &mut stdout).and_then(|()| match &resume {
            Some(token) => output::print(format, op.name(), token, &mut stdout),
            None => Ok(()),
        });
    match result {
        // A reader that stopped early (`| head`) is not a failure.
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => Err(Failure {
            status: EXIT_OTHER,
            message: e.to_string(),
        }),
        _ => Ok(()),
    }
}

fn client(matches: &ArgMatches) -> Result<Client, Failure> {
    let mut config = Config::builder();
    if let Some(url) = matches.get_one::<String>("endpoint-url") {
        config = config.endpoint_url(url);
    }
    if let Some(region) = matches.get_one::<String>("region") {
        config = config.region(region);
    }
    if let Some(profile) = matches.get_one::<String>("profile") {
        config = config.profile(profile);
    }
    if let Some(secs) = matches.get_one::<u64>("cli-read-timeout") {
        config = config.read_timeout(timeout(*secs));
    }
    if let Some(secs) = matches.get_one::<u64>("cli-connect-timeout") {
        config = config.connect_timeout(timeout(*secs));
    }
    Ok(Client::new(config.build()))
}

/// Seconds of a `--cli-*-timeout`; 0 means no timeout, as in the AWS CLI.
fn timeout(secs: u64) -> Duration {
    if secs == 0 {
        Duration::from_secs(365 * 24 * 3600)
    } else {
        Duration::from_secs(secs)
    }
}

/// The text of a parameter: itself, or the file a `file://` / `fileb://` prefix names.
fn param_text(value: &str) -> Result<String, Failure> {
    for prefix in ["file://", "fileb://"] {
        if let Some(path) = value.strip_prefix(prefix) {
            return std::fs::read_to_string(path).map_err(|e| {
                Failure::usage(format!(
                    "Error parsing parameter: Unable to load paramfile {value}: {e}"
                ))
            });
        }
    }
    Ok(value.to_owned())
}

fn parse_json(member: &str, text: &str) -> Result<Value, Failure> {
    serde_json::from_str(text).map_err(|e| {
        Failure::usage(format!(
            "Error parsing parameter '{member}': Invalid JSON: {e}\nJSON received: {text}"
        ))
    })
}

fn scalar(m: &Member, shape: &str, text: &str) -> Result<Value, Failure> {
    match schema::shape(shape) {
        Some(ShapeKind::Integer) => text.trim().parse::<i64>().map(Value::from).map_err(|_| {
            Failure::usage(format!(
                "argument --{}: invalid int value: '{text}'",
                m.cli_name
            ))
        }),
        Some(ShapeKind::Double) => text
            .trim()
            .parse::<f64>()
            .ok()
            .and_then(serde_json::Number::from_f64)
            .map(Value::Number)
            .ok_or_else(|| {
                Failure::usage(format!(
                    "argument --{}: invalid float value: '{text}'",
                    m.cli_name
                ))
            }),
        Some(ShapeKind::Boolean) => match text.trim().to_ascii_lowercase().as_str() {
            "true" => Ok(Value::Bool(true)),
            "false" => Ok(Value::Bool(false)),
            _ => Err(Failure::usage(format!(
                "argument --{}: invalid boolean value: '{text}'",
                m.cli_name
            ))),
        },
        Some(ShapeKind::Structure(_) | ShapeKind::List(_)) => parse_json(m.cli_name, text),
        _ => Ok(Value::String(text.to_owned())),
    }
}

/// The input document (model member names): `--cli-input-json`, then each flag given.
fn input_document(op: Operation, sub: &ArgMatches) -> Result<Map<String, Value>, Failure> {
    let mut document = match sub.get_one::<String>("cli-input-json") {
        Some(text) => match parse_json("cli-input-json", &param_text(text)?)? {
            Value::Object(map) => map,
            _ => {
                return Err(Failure::usage(
                    "Invalid JSON received for --cli-input-json: an object is required",
                ));
            }
        },
        None => Map::new(),
    };
    for m in input_members(op) {
        let value = match schema::shape(m.shape) {
            Some(ShapeKind::Boolean) => {
                if sub.get_flag(m.name) {
                    Some(Value::Bool(true))
                } else if sub.get_flag(&format!("no-{}", m.name)) {
                    Some(Value::Bool(false))
                } else {
                    None
                }
            }
            Some(ShapeKind::List(item))
                if !matches!(schema::shape(item), Some(ShapeKind::Structure(_))) =>
            {
                match sub.get_many::<String>(m.name) {
                    None => None,
                    Some(values) => {
                        let values: Vec<&String> = values.collect();
                        match values.as_slice() {
                            [one]
                                if one.trim_start().starts_with('[') || one.starts_with("file") =>
                            {
                                Some(parse_json(m.cli_name, &param_text(one)?)?)
                            }
                            _ => Some(Value::Array(
                                values
                                    .iter()
                                    .map(|v| scalar(m, item, v))
                                    .collect::<Result<_, _>>()?,
                            )),
                        }
                    }
                }
            }
            _ => match sub.get_one::<String>(m.name) {
                None => None,
                Some(text) => Some(scalar(m, m.shape, &param_text(text)?)?),
            },
        };
        if let Some(value) = value {
            document.insert(m.name.to_owned(), value);
        }
    }
    let missing: Vec<String> = input_members(op)
        .iter()
        .filter(|m| m.required && document.get(m.name).is_none_or(|v| v.is_null()))
        .map(|m| format!("--{}", m.cli_name))
        .collect();
    if !missing.is_empty() {
        return Err(Failure::usage(format!(
            "usage: amplifybackend {} [options]\namplifybackend: error: the following arguments are required: {}",
            op.cli_name(),
            missing.join(", ")
        )));
    }
    Ok(document)
}

/// A paginated operation: every page merged (with the resume token as `nextToken` when
/// `--max-items` cut it short), or one call with `--no-paginate` or a manual token.
async fn paginate(
    client: &Client,
    op: Operation,
    sub: &ArgMatches,
    wire: Value,
    no_paginate: bool,
) -> Result<Value, Failure> {
    let paging_used: Vec<&str> = ["starting-token", "page-size", "max-items"]
        .into_iter()
        .filter(|a| sub.contains_id(a) && sub.value_source(a).is_some())
        .collect();
    let manual = wire.get("nextToken").is_some() || wire.get("maxResults").is_some();
    if no_paginate || manual {
        if !paging_used.is_empty() {
            return Err(Failure::usage(format!(
                "\nCannot specify --no-paginate along with pagination arguments: {}",
                paging_used
                    .iter()
                    .map(|a| format!("--{a}"))
                    .collect::<Vec<_>>()
                    .join(", ")
            )));
        }
        return client
            .send_json(op, wire)
            .await
            .map_err(|e| call_failure(op.name(), e));
    }
    // Read into the wire form: the required members were checked with the arguments.
    let mut input: <ListBackendJobsRequest as Structure>::Wire =
        serde_json::from_value(wire.clone())
            .map_err(|e| Failure::usage(format!("\nParameter validation failed:\n{e}")))?;
    for name in ["appId", "backendEnvironmentName"] {
        if let Some(v) = wire.get(name).and_then(Value::as_str) {
            ListBackendJobsRequest::set_uri_param(&mut input, name, v.to_owned());
        }
    }
    let mut paginator = client.list_backend_jobs_paginator(ListBackendJobsRequest::from(input));
    if let Some(size) = sub.get_one::<i32>("page-size") {
        paginator = paginator.page_size(*size);
    }
    if let Some(max) = sub.get_one::<usize>("max-items") {
        paginator = paginator.max_items(*max);
    }
    if let Some(token) = sub.get_one::<String>("starting-token") {
        paginator = paginator.starting_token(token);
    }
    let full = paginator
        .build_full_result()
        .await
        .map_err(|e| call_failure(op.name(), e))?;
    serde_json::to_value(full).map_err(|e| Failure {
        status: EXIT_OTHER,
        message: e.to_string(),
    })
}

/// Prints a clap error and answers its exit status (0 for help and version, 252 else).
pub fn usage_error(e: clap::Error) -> ExitCode {
    let _ = e.print();
    if e.use_stderr() {
        ExitCode::from(EXIT_USAGE)
    } else {
        ExitCode::SUCCESS
    }
}
