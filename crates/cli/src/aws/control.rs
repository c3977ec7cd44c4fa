//! `amplifybackend control …`: the server's test control endpoints (reset, snapshots,
//! fault rules, job progression, the request journal), sent and signed as the API
//! commands send theirs, with their endpoint, credential and exit-status rules. Answers are
//! printed as JSON.

use super::failure::{Failure, call_failure};
use super::globals::{self, Globals};
use super::output::{self, Format};
use amplifybackend_client::Error;
use amplifybackend_client::control::{FaultError, FaultRule, JobAdvance, JobProgression, Scope};
use clap::{Arg, ArgMatches, Command};
use serde_json::Value;

/// The global options a control command takes: where and as whom, not how to print
/// (`export --output` names a file).
fn connection_args() -> Vec<Arg> {
    globals::args()
        .into_iter()
        .filter(|a| {
            matches!(
                a.get_id().as_str(),
                "endpoint-url" | "region" | "profile" | "cli-read-timeout" | "cli-connect-timeout"
            )
        })
        .collect()
}

fn scope_args() -> [Arg; 2] {
    [
        Arg::new("account-id")
            .long("account-id")
            .help("Only this account (12 digits)"),
        Arg::new("target-region")
            .long("target-region")
            .help("Only this region (--region is the one requests are signed for)"),
    ]
}

fn leaf(name: &'static str, about: &'static str) -> Command {
    Command::new(name).about(about).args(connection_args())
}

/// The `control` command and its subcommands.
pub fn command() -> Command {
    let faults = Command::new("faults")
        .about("Fault rules: make requests slow, answer errors, or fail jobs.")
        .subcommand_required(true)
        .subcommand(leaf("list", "Lists the rules in force."))
        .subcommand(leaf("clear", "Removes every rule."))
        .subcommand(
            leaf("add", "Adds a rule; prints the rules in force.")
                .args(scope_args())
                .arg(
                    Arg::new("operation")
                        .long("operation")
                        .help("Only this operation (CreateBackend)"),
                )
                .arg(
                    Arg::new("service")
                        .long("service")
                        .help("Only this service: amplifybackend or amplify"),
                )
                .arg(
                    Arg::new("probability")
                        .long("probability")
                        .value_parser(clap::value_parser!(f64))
                        .help("Chance a matching request is affected, 0 to 1 (default 1)"),
                )
                .arg(
                    Arg::new("times")
                        .long("times")
                        .value_parser(clap::value_parser!(u64))
                        .help("Requests affected before the rule expires"),
                )
                .arg(
                    Arg::new("status")
                        .long("status")
                        .value_parser(clap::value_parser!(u16))
                        .help("Answer the service's error of this HTTP status (429, 504, ...)"),
                )
                .arg(
                    Arg::new("code")
                        .long("code")
                        .help("Answer this error (TooManyRequestsException, ...)"),
                )
                .arg(
                    Arg::new("message")
                        .long("message")
                        .help("The error's message"),
                )
                .arg(
                    Arg::new("limit-type")
                        .long("limit-type")
                        .help("limitType of a 429"),
                )
                .arg(
                    Arg::new("resource-type")
                        .long("resource-type")
                        .help("resourceType of a 404"),
                )
                .arg(
                    Arg::new("latency-ms")
                        .long("latency-ms")
                        .value_parser(clap::value_parser!(u64))
                        .help("Delay the request by this many milliseconds"),
                )
                .arg(
                    Arg::new("job-status")
                        .long("job-status")
                        .value_parser(["FAILED"])
                        .help("Make the jobs the request starts end FAILED"),
                )
                .arg(
                    Arg::new("job-error")
                        .long("job-error")
                        .help("The error of those jobs"),
                ),
        );
    let jobs = Command::new("jobs")
        .about("How jobs progress, and finishing jobs by hand.")
        .subcommand_required(true)
        .subcommand(leaf("show", "Shows how jobs progress."))
        .subcommand(
            leaf(
                "mode",
                "Sets how jobs progress: at once, after a time, or when advanced.",
            )
            .arg(
                Arg::new("mode")
                    .required(true)
                    .value_parser(["manual", "immediate", "time"]),
            )
            .arg(
                Arg::new("duration-ms")
                    .long("duration-ms")
                    .value_parser(clap::value_parser!(u64))
                    .help("How long a job runs in time mode"),
            )
            .arg(
                Arg::new("operation")
                    .long("operation")
                    .help("Only this operation's jobs"),
            ),
        )
        .subcommand(
            leaf(
                "advance",
                "Finishes a job that manual progression keeps RUNNING.",
            )
            .arg(Arg::new("app-id").long("app-id").required(true))
            .arg(
                Arg::new("backend-environment-name")
                    .long("backend-environment-name")
                    .required(true),
            )
            .arg(Arg::new("job-id").long("job-id").required(true))
            .arg(
                Arg::new("status")
                    .long("status")
                    .required(true)
                    .value_parser(["COMPLETED", "FAILED"]),
            )
            .arg(
                Arg::new("error")
                    .long("error")
                    .help("The error of a FAILED job"),
            )
            .args(scope_args()),
        );
    Command::new("control")
        .about("The server's test control endpoints (/_amplifybackend/).")
        .subcommand_required(true)
        .subcommand(
            leaf(
                "reset",
                "Empties the state, or one account's or region's part.",
            )
            .args(scope_args()),
        )
        .subcommand(
            leaf(
                "export",
                "Prints (or writes) the state as one versioned JSON document.",
            )
            .args(scope_args())
            .arg(
                Arg::new("output")
                    .long("output")
                    .help("Write the document to this file"),
            ),
        )
        .subcommand(
            leaf(
                "import",
                "Replaces the state (or one account's or region's part) with an exported document.",
            )
            .args(scope_args())
            .arg(Arg::new("file").required(true).help("The document's file")),
        )
        .subcommand(faults)
        .subcommand(jobs)
        .subcommand(
            leaf(
                "requests",
                "The last requests the server answered, newest first.",
            )
            .arg(
                Arg::new("limit")
                    .long("limit")
                    .value_parser(clap::value_parser!(usize))
                    .help("How many (the server's default: 100)"),
            ),
        )
}

/// Runs `control …`; `matches` are the `control` command's, `top` the program's.
pub async fn run(matches: &ArgMatches, top: &ArgMatches) -> Result<(), Failure> {
    // The innermost command and the names leading to it (`faults add`).
    let mut chain = vec![matches];
    let mut names = vec!["control"];
    while let Some((name, sub)) = chain.last().and_then(|m| m.subcommand()) {
        names.push(name);
        chain.push(sub);
    }
    let leaf = chain.last().copied().unwrap_or(matches);
    let mut innermost_first: Vec<&ArgMatches> = chain.iter().rev().copied().collect();
    innermost_first.push(top);
    let client = Globals::from_matches(&innermost_first).client();
    let command = names.join(" ");
    let fail = |e: Error| call_failure(&command, e);
    let control = client.backend().control();
    let answer: Value = match names[1..] {
        ["reset"] => {
            control.reset(&scope(leaf)).await.map_err(fail)?;
            serde_json::json!({"reset": true})
        }
        ["export"] => {
            let document = control.export_state(&scope(leaf)).await.map_err(fail)?;
            if let Some(path) = leaf.get_one::<String>("output") {
                let text = serde_json::to_string_pretty(&document)
                    .map_err(|e| Failure::other(format!("\n{e}")))?;
                std::fs::write(path, text + "\n")
                    .map_err(|e| Failure::other(format!("\ncannot write {path}: {e}")))?;
                return Ok(());
            }
            document
        }
        ["import"] => {
            let path = leaf.get_one::<String>("file").cloned().unwrap_or_default();
            let text = std::fs::read_to_string(&path)
                .map_err(|e| Failure::usage(format!("\ncannot read {path}: {e}")))?;
            let document: Value = serde_json::from_str(&text)
                .map_err(|e| Failure::usage(format!("\n{path} is not JSON: {e}")))?;
            control
                .import_state(&scope(leaf), &document)
                .await
                .map_err(fail)?
        }
        ["faults", "list"] => faults_answer(control.faults().await.map_err(fail)?),
        ["faults", "clear"] => {
            control.clear_faults().await.map_err(fail)?;
            faults_answer(Vec::new())
        }
        ["faults", "add"] => {
            faults_answer(control.add_fault(&fault_rule(leaf)).await.map_err(fail)?)
        }
        ["jobs", "show"] => control.job_progression().await.map_err(fail)?,
        ["jobs", "mode"] => {
            let progression = JobProgression {
                mode: string(leaf, "mode").unwrap_or_default(),
                duration_ms: leaf.get_one::<u64>("duration-ms").copied(),
                operation: string(leaf, "operation"),
            };
            control
                .set_job_progression(&progression)
                .await
                .map_err(fail)?
        }
        ["jobs", "advance"] => {
            let advance = JobAdvance {
                app_id: string(leaf, "app-id").unwrap_or_default(),
                backend_environment_name: string(leaf, "backend-environment-name")
                    .unwrap_or_default(),
                job_id: string(leaf, "job-id").unwrap_or_default(),
                status: string(leaf, "status").unwrap_or_default(),
                error: string(leaf, "error"),
                account_id: string(leaf, "account-id"),
                region: string(leaf, "target-region"),
            };
            control.advance_job(&advance).await.map_err(fail)?
        }
        ["requests"] => {
            let limit = leaf.get_one::<usize>("limit").copied();
            let entries = control.requests(limit).await.map_err(fail)?;
            serde_json::json!({ "requests": entries })
        }
        _ => return Err(Failure::usage(format!("unknown command {command}"))),
    };
    let mut stdout = std::io::stdout().lock();
    match output::print(Format::Json, &command, &answer, &mut stdout) {
        Err(e) if !e.is_broken_pipe() => Err(e.into()),
        _ => Ok(()),
    }
}

fn string(matches: &ArgMatches, id: &str) -> Option<String> {
    matches.try_get_one::<String>(id).ok().flatten().cloned()
}

fn scope(matches: &ArgMatches) -> Scope {
    Scope {
        account_id: string(matches, "account-id"),
        region: string(matches, "target-region"),
    }
}

fn fault_rule(m: &ArgMatches) -> FaultRule {
    let error = FaultError {
        status_code: m.get_one::<u16>("status").copied(),
        code: string(m, "code"),
        message: string(m, "message"),
        limit_type: string(m, "limit-type"),
        resource_type: string(m, "resource-type"),
    };
    FaultRule {
        service: string(m, "service"),
        operation: string(m, "operation"),
        account_id: string(m, "account-id"),
        region: string(m, "target-region"),
        probability: m.get_one::<f64>("probability").copied(),
        times: m.get_one::<u64>("times").copied(),
        latency_ms: m.get_one::<u64>("latency-ms").copied(),
        error: (error != FaultError::default()).then_some(error),
        job_status: string(m, "job-status"),
        job_error: string(m, "job-error"),
    }
}

fn faults_answer(rules: Vec<FaultRule>) -> Value {
    serde_json::json!({ "faults": rules })
}
