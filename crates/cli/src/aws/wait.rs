//! `amplifybackend wait job`: polls GetBackendJob until the job completes.

use super::{EXIT_OTHER, Failure, call_failure};
use amplifybackend_client::model::Operation;
use amplifybackend_client::{Client, Error};
use clap::{Arg, ArgMatches, Command};
use std::io::IsTerminal;
use std::time::Duration;

pub fn command() -> Command {
    Command::new("wait")
        .about("Waits until a condition is met.")
        .subcommand_required(true)
        .subcommand(
            Command::new("job")
                .about("Waits until a backend job is COMPLETED (exit 255 if it FAILED).")
                .arg(
                    Arg::new("app-id")
                        .long("app-id")
                        .required(true)
                        .help("AppId"),
                )
                .arg(
                    Arg::new("backend-environment-name")
                        .long("backend-environment-name")
                        .required(true)
                        .help("BackendEnvironmentName"),
                )
                .arg(
                    Arg::new("job-id")
                        .long("job-id")
                        .required(true)
                        .help("JobId"),
                )
                .arg(
                    Arg::new("delay")
                        .long("delay")
                        .value_parser(clap::value_parser!(f64))
                        .default_value("2")
                        .help("Seconds between polls"),
                )
                .arg(
                    Arg::new("timeout")
                        .long("timeout")
                        .value_parser(clap::value_parser!(f64))
                        .default_value("600")
                        .help("Seconds to wait in all"),
                ),
        )
}

pub async fn run(client: &Client, matches: &ArgMatches) -> Result<(), Failure> {
    let Some(("job", sub)) = matches.subcommand() else {
        return Err(Failure::usage(
            "usage: amplifybackend wait job --app-id … --backend-environment-name … --job-id …",
        ));
    };
    let get = |name: &str| sub.get_one::<String>(name).cloned().unwrap_or_default();
    let seconds = |name: &str| {
        sub.get_one::<f64>(name)
            .copied()
            .filter(|s| s.is_finite() && *s >= 0.0)
            .map(Duration::from_secs_f64)
            .unwrap_or(Duration::from_secs(2))
    };
    let job_id = get("job-id");
    let spinner = std::io::stderr().is_terminal().then(|| {
        let bar = indicatif::ProgressBar::new_spinner();
        bar.enable_steady_tick(Duration::from_millis(100));
        bar.set_message(format!("waiting for job {job_id}"));
        bar
    });
    let progress = spinner.clone();
    let result = client
        .wait_for_job(get("app-id"), get("backend-environment-name"), &job_id)
        .interval(seconds("delay"))
        .timeout(seconds("timeout"))
        .on_poll(move |job| {
            if let Some(bar) = &progress {
                bar.set_message(format!(
                    "job {} ({}): {}",
                    job.job_id.as_deref().unwrap_or_default(),
                    job.operation.as_deref().unwrap_or_default(),
                    job.status.as_deref().unwrap_or_default()
                ));
            }
        })
        .wait()
        .await;
    if let Some(bar) = spinner {
        bar.finish_and_clear();
    }
    match result {
        Ok(_) => Ok(()),
        Err(Error::JobFailed { error, .. }) => Err(Failure {
            status: EXIT_OTHER,
            message: format!(
                "\nWaiter JobCompleted failed: Waiter encountered a terminal failure state: job {job_id} FAILED: {}",
                error.as_deref().unwrap_or("no reason given")
            ),
        }),
        Err(e @ Error::WaiterTimeout { .. }) => Err(Failure {
            status: EXIT_OTHER,
            message: format!("\nWaiter JobCompleted failed: Max attempts exceeded ({e})"),
        }),
        Err(e) => Err(call_failure(Operation::GetBackendJob.name(), e)),
    }
}
