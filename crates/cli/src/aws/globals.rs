//! The AWS CLI's global options (`--endpoint-url`, `--output`, `--query`, …). They are
//! defined on the top command, to go before a command's name, and on every API command, to
//! go after it, under a heading of their own; server commands (`serve`, `migrate`, …) do
//! not have them, so their help shows only their own flags.

use super::Format;
use super::query::{Query, QueryError};
use amplifybackend_client::{Client, Config, amplify};
use clap::parser::ValueSource;
use clap::{Arg, ArgAction, ArgMatches};
use std::sync::OnceLock;
use std::time::Duration;

/// The help heading of the global options.
pub const HEADING: &str = "Global options";

/// The global options, for a command's definition.
pub fn args() -> Vec<Arg> {
    [
        Arg::new("endpoint-url")
            .long("endpoint-url")
            .help("Send requests to this URL instead of the region's endpoint"),
        Arg::new("region")
            .long("region")
            .help("The region to sign requests for"),
        Arg::new("profile")
            .long("profile")
            .help("A profile of ~/.aws/config and ~/.aws/credentials"),
        Arg::new("output")
            .long("output")
            .value_parser(clap::builder::EnumValueParser::<Format>::new())
            .help("Output format (default json, or AWS_DEFAULT_OUTPUT)"),
        Arg::new("query")
            .long("query")
            .help("A JMESPath query applied to the response before it is printed"),
        Arg::new("no-paginate")
            .long("no-paginate")
            .action(ArgAction::SetTrue)
            .help("Make one call only, without automatic pagination"),
        Arg::new("cli-read-timeout")
            .long("cli-read-timeout")
            .value_parser(clap::value_parser!(u64))
            .help("Seconds to wait for response data (default 60; 0: no limit)"),
        Arg::new("cli-connect-timeout")
            .long("cli-connect-timeout")
            .value_parser(clap::value_parser!(u64))
            .help("Seconds to wait for a connection (default 60; 0: no limit)"),
    ]
    .into_iter()
    .map(|a| a.help_heading(HEADING))
    .collect()
}

/// The first global option given to a command that does not take them (`serve --region`
/// before the command's name), as its flag.
pub fn misplaced(matches: &ArgMatches) -> Option<String> {
    args()
        .iter()
        .map(|a| a.get_id().as_str().to_owned())
        .find(|id| {
            matches.try_contains_id(id).is_ok_and(|present| present)
                && matches.value_source(id) == Some(ValueSource::CommandLine)
        })
        .map(|id| format!("--{id}"))
}

/// The global options of one call, read from the innermost command out (a flag after the
/// command's name wins over one before it).
#[derive(Debug)]
pub struct Globals {
    endpoint_url: Option<String>,
    region: Option<String>,
    profile: Option<String>,
    /// The output format: `--output`, `AWS_DEFAULT_OUTPUT`, or JSON.
    pub format: Format,
    query: Option<String>,
    /// `--no-paginate`.
    pub no_paginate: bool,
    read_timeout: Option<u64>,
    connect_timeout: Option<u64>,
}

fn innermost<T: Clone + Send + Sync + 'static>(chain: &[&ArgMatches], id: &str) -> Option<T> {
    chain
        .iter()
        .find_map(|m| m.try_get_one::<T>(id).ok().flatten().cloned())
}

impl Globals {
    /// Reads the options from `chain`, the innermost command's matches first.
    pub fn from_matches(chain: &[&ArgMatches]) -> Globals {
        let format = innermost::<Format>(chain, "output")
            .or_else(|| {
                std::env::var("AWS_DEFAULT_OUTPUT")
                    .ok()
                    .and_then(|v| <Format as clap::ValueEnum>::from_str(&v, true).ok())
            })
            .unwrap_or(Format::Json);
        Globals {
            endpoint_url: innermost(chain, "endpoint-url"),
            region: innermost(chain, "region"),
            profile: innermost(chain, "profile"),
            format,
            query: innermost(chain, "query"),
            no_paginate: chain
                .iter()
                .any(|m| m.try_get_one::<bool>("no-paginate").ok().flatten() == Some(&true)),
            read_timeout: innermost(chain, "cli-read-timeout"),
            connect_timeout: innermost(chain, "cli-connect-timeout"),
        }
    }

    /// `--query`, compiled: a bad expression fails before anything is sent.
    pub fn query(&self) -> Result<Option<Query>, QueryError> {
        self.query.as_deref().map(Query::compile).transpose()
    }

    /// The clients these options describe, of either service.
    pub fn client(&self) -> ApiClient {
        ApiClient {
            config: self.config(),
            backend: OnceLock::new(),
            amplify: OnceLock::new(),
        }
    }

    /// The configuration these options describe. It leaves enumerations and maximums to
    /// the service, as the AWS CLI does: the CLI checks what botocore checks (convert.rs).
    pub fn config(&self) -> Config {
        let mut config = Config::builder().validate(false);
        if let Some(url) = &self.endpoint_url {
            config = config.endpoint_url(url);
        }
        if let Some(region) = &self.region {
            config = config.region(region);
        }
        if let Some(profile) = &self.profile {
            config = config.profile(profile);
        }
        if let Some(secs) = self.read_timeout {
            config = config.read_timeout(timeout(secs));
        }
        if let Some(secs) = self.connect_timeout {
            config = config.connect_timeout(timeout(secs));
        }
        config.build()
    }
}

/// The client of each service, made on first use from one configuration (a command calls
/// one service; building both would cost the other's connection pool for nothing).
#[derive(Debug)]
pub struct ApiClient {
    config: Config,
    backend: OnceLock<Client>,
    amplify: OnceLock<amplify::Client>,
}

impl ApiClient {
    /// The AmplifyBackend client.
    pub fn backend(&self) -> &Client {
        self.backend
            .get_or_init(|| Client::new(self.config.clone()))
    }

    /// The Amplify client.
    pub fn amplify(&self) -> &amplify::Client {
        self.amplify
            .get_or_init(|| amplify::Client::new(self.config.clone()))
    }
}

/// Seconds of a `--cli-*-timeout`; 0 means no timeout, as in the AWS CLI.
fn timeout(secs: u64) -> Duration {
    if secs == 0 {
        Duration::from_secs(365 * 24 * 3600)
    } else {
        Duration::from_secs(secs)
    }
}
