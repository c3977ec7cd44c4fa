//! Failures of the API commands, worded as the AWS CLI words them, with AWS CLI v2's exit
//! statuses.

use super::convert::ParamError;
use super::output::OutputError;
use super::query::QueryError;
use amplifybackend_client::Error;

/// Exit status of a usage error (AWS CLI v2).
pub const EXIT_USAGE: u8 = 252;
/// Exit status of a configuration or credentials error.
pub const EXIT_CONFIG: u8 = 253;
/// Exit status of an error the service answered.
pub const EXIT_SERVICE: u8 = 254;
/// Exit status of any other failure.
pub const EXIT_OTHER: u8 = 255;

/// A failure and its exit status.
#[derive(Debug)]
pub struct Failure {
    /// The exit status.
    pub status: u8,
    /// What standard error shows.
    pub message: String,
}

impl Failure {
    /// A usage or parameter error (252).
    pub fn usage(message: impl Into<String>) -> Failure {
        Failure {
            status: EXIT_USAGE,
            message: message.into(),
        }
    }

    /// Any other failure (255).
    pub fn other(message: impl Into<String>) -> Failure {
        Failure {
            status: EXIT_OTHER,
            message: message.into(),
        }
    }
}

impl From<ParamError> for Failure {
    fn from(e: ParamError) -> Failure {
        Failure::usage(format!("\nParameter validation failed:\n{e}"))
    }
}

/// A bad `--query` is not a parameter error for the AWS CLI either: 255.
impl From<QueryError> for Failure {
    fn from(e: QueryError) -> Failure {
        Failure::other(format!("\n{e}"))
    }
}

impl From<OutputError> for Failure {
    fn from(e: OutputError) -> Failure {
        Failure::other(format!("\n{e}"))
    }
}

/// The failure of a call of `operation`.
pub fn call_failure(operation: &str, e: Error) -> Failure {
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
        Error::Transport { source, .. } | Error::Timeout { source, .. } => {
            Failure::other(format!("\n{}", unreachable(source.as_ref())))
        }
        _ if e.is_service_error() => Failure {
            status: EXIT_SERVICE,
            message: format!(
                "\nAn error occurred ({}) when calling the {operation} operation: {}",
                e.code().unwrap_or_default(),
                e.message()
            ),
        },
        _ => Failure::other(format!("\n{e}")),
    }
}

/// botocore's words for an endpoint that could not be reached or did not answer in time.
fn unreachable(source: &(dyn std::error::Error + Send + Sync + 'static)) -> String {
    let Some(e) = source.downcast_ref::<reqwest::Error>() else {
        return source.to_string();
    };
    let url = e.url().map(|u| u.as_str()).unwrap_or_default();
    match (e.is_connect(), e.is_timeout()) {
        (true, true) => format!("Connect timeout on endpoint URL: \"{url}\""),
        (false, true) => format!("Read timeout on endpoint URL: \"{url}\""),
        (true, false) => format!("Could not connect to the endpoint URL: \"{url}\""),
        (false, false) => format!(
            "Connection was closed before we received a valid response from endpoint URL: \"{url}\"."
        ),
    }
}
