//! Client configuration: credentials, region, endpoint, retries and timeouts, resolved
//! from explicit settings, the environment and the shared AWS files as botocore does.

use crate::env::{self, Env};
use crate::profile;
use std::fmt;
use std::sync::Arc;
use std::time::Duration;

/// AWS credentials. `Debug` never prints the secret or the session token.
#[derive(Clone, PartialEq, Eq)]
pub struct Credentials {
    access_key_id: String,
    secret_access_key: String,
    session_token: Option<String>,
}

impl Credentials {
    /// Long-term (or, with a session token, temporary) credentials.
    pub fn new(
        access_key_id: impl Into<String>,
        secret_access_key: impl Into<String>,
        session_token: Option<String>,
    ) -> Credentials {
        Credentials {
            access_key_id: access_key_id.into(),
            secret_access_key: secret_access_key.into(),
            session_token: session_token.filter(|t| !t.is_empty()),
        }
    }
    /// The access key id.
    pub fn access_key_id(&self) -> &str {
        &self.access_key_id
    }
    /// The secret access key.
    pub fn secret_access_key(&self) -> &str {
        &self.secret_access_key
    }
    /// The session token of temporary credentials.
    pub fn session_token(&self) -> Option<&str> {
        self.session_token.as_deref()
    }
}

impl fmt::Debug for Credentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Credentials")
            .field("access_key_id", &self.access_key_id)
            .field("secret_access_key", &amplifybackend_model::REDACTED)
            .field(
                "session_token",
                &self
                    .session_token
                    .as_ref()
                    .map(|_| amplifybackend_model::REDACTED),
            )
            .finish()
    }
}

/// Where each resolved setting came from (useful for `--debug`-style diagnostics and tests).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Source {
    /// Given to the builder.
    Explicit,
    /// An environment variable.
    Environment,
    /// The shared credentials file.
    CredentialsFile,
    /// The shared config file.
    ConfigFile,
    /// The built-in default.
    Default,
}

/// Retries in botocore's "standard" mode.
#[derive(Debug, Clone, PartialEq)]
pub struct RetryConfig {
    /// Attempts in all, the first included (1 disables retries).
    pub max_attempts: u32,
    /// The backoff base: before retry `n` (1-based) the client sleeps
    /// `random(0, 1) * base * 2^(n-1)`, at most [`RetryConfig::max_backoff`].
    pub base: Duration,
    /// The longest backoff.
    pub max_backoff: Duration,
    /// Whether the retry quota (500 units, 5 per retry, 10 per retried timeout, 1 back
    /// per success) limits retries.
    pub quota: bool,
}

impl Default for RetryConfig {
    fn default() -> Self {
        RetryConfig {
            max_attempts: 3,
            base: Duration::from_secs(1),
            max_backoff: Duration::from_secs(20),
            quota: true,
        }
    }
}

impl RetryConfig {
    /// No retries: one attempt.
    pub fn disabled() -> RetryConfig {
        RetryConfig {
            max_attempts: 1,
            ..RetryConfig::default()
        }
    }
}

/// Resolved client configuration. Build one with [`Config::builder`] or
/// [`Config::from_env`]; what could not be resolved (no region, no credentials, a named
/// profile that does not exist) is reported by the first call, as botocore does.
#[derive(Debug, Clone)]
pub struct Config {
    pub(crate) region: Option<(String, Source)>,
    pub(crate) endpoint: Option<(String, Source)>,
    pub(crate) credentials: Option<(Credentials, Source)>,
    pub(crate) problem: Option<String>,
    pub(crate) retry: RetryConfig,
    pub(crate) connect_timeout: Duration,
    pub(crate) read_timeout: Duration,
    pub(crate) validate: bool,
    pub(crate) profile: String,
}

impl Config {
    /// A builder with nothing set: unset settings come from the environment.
    pub fn builder() -> ConfigBuilder {
        ConfigBuilder::default()
    }

    /// Everything from the process environment and the shared files.
    pub fn from_env() -> Config {
        ConfigBuilder::default().build()
    }

    /// The region requests are signed for.
    pub fn region(&self) -> Option<&str> {
        self.region.as_ref().map(|(r, _)| r.as_str())
    }

    /// Where the region came from.
    pub fn region_source(&self) -> Option<Source> {
        self.region.as_ref().map(|(_, s)| *s)
    }

    /// The endpoint URL: explicit, from the environment or profile, else
    /// `https://amplifybackend.<region>.amazonaws.com`.
    pub fn endpoint_url(&self) -> Option<String> {
        match (&self.endpoint, self.region()) {
            (Some((url, _)), _) => Some(url.clone()),
            (None, Some(region)) => Some(default_endpoint(region)),
            (None, None) => None,
        }
    }

    /// Where the endpoint came from.
    pub fn endpoint_source(&self) -> Source {
        self.endpoint.as_ref().map_or(Source::Default, |(_, s)| *s)
    }

    /// The credentials requests are signed with.
    pub fn credentials(&self) -> Option<&Credentials> {
        self.credentials.as_ref().map(|(c, _)| c)
    }

    /// Where the credentials came from.
    pub fn credentials_source(&self) -> Option<Source> {
        self.credentials.as_ref().map(|(_, s)| *s)
    }

    /// The profile consulted in the shared files.
    pub fn profile(&self) -> &str {
        &self.profile
    }

    /// The retry settings.
    pub fn retry(&self) -> &RetryConfig {
        &self.retry
    }

    /// A configuration problem the first call reports (a missing named profile).
    pub fn problem(&self) -> Option<&str> {
        self.problem.as_deref()
    }
}

/// `https://amplifybackend.<region>.amazonaws.com` (`.com.cn` in China regions).
pub fn default_endpoint(region: &str) -> String {
    service_endpoint("amplifybackend", region)
}

/// `https://<prefix>.<region>.amazonaws.com` (`.com.cn` in China regions).
pub(crate) fn service_endpoint(prefix: &str, region: &str) -> String {
    if region.starts_with("cn-") {
        format!("https://{prefix}.{region}.amazonaws.com.cn")
    } else {
        format!("https://{prefix}.{region}.amazonaws.com")
    }
}

/// Builds a [`Config`]; anything not set explicitly is looked up in the [`Env`]
/// (the process environment unless [`ConfigBuilder::env`] says otherwise).
#[derive(Debug, Clone, Default)]
pub struct ConfigBuilder {
    region: Option<String>,
    endpoint_url: Option<String>,
    credentials: Option<Credentials>,
    profile: Option<String>,
    env: Option<Arc<dyn Env>>,
    retry: Option<RetryConfig>,
    connect_timeout: Option<Duration>,
    read_timeout: Option<Duration>,
    validate: Option<bool>,
}

impl ConfigBuilder {
    /// The region (else `AWS_REGION`, `AWS_DEFAULT_REGION`, the profile's `region`).
    pub fn region(mut self, region: impl Into<String>) -> Self {
        self.region = Some(region.into());
        self
    }
    /// The endpoint URL (else `AWS_ENDPOINT_URL_AMPLIFYBACKEND`, `AWS_ENDPOINT_URL`, the
    /// profile's `endpoint_url`, else the region's AWS endpoint).
    pub fn endpoint_url(mut self, url: impl Into<String>) -> Self {
        self.endpoint_url = Some(url.into());
        self
    }
    /// The credentials (else `AWS_ACCESS_KEY_ID` / `AWS_SECRET_ACCESS_KEY` /
    /// `AWS_SESSION_TOKEN`, else the profile in the shared credentials then config file).
    pub fn credentials(mut self, credentials: Credentials) -> Self {
        self.credentials = Some(credentials);
        self
    }
    /// The profile of the shared files (else `AWS_PROFILE`, else `default`). Naming one
    /// explicitly makes credentials come from it rather than from the environment
    /// variables, as in botocore.
    pub fn profile(mut self, profile: impl Into<String>) -> Self {
        self.profile = Some(profile.into());
        self
    }
    /// Where unset settings are looked up (default: the process environment).
    pub fn env(mut self, env: impl Env + 'static) -> Self {
        self.env = Some(Arc::new(env));
        self
    }
    /// Retry settings (default: standard mode, 3 attempts, or `AWS_MAX_ATTEMPTS`, or the
    /// profile's `max_attempts`).
    pub fn retry(mut self, retry: RetryConfig) -> Self {
        self.retry = Some(retry);
        self
    }
    /// How long to wait for a connection (default 60 s).
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = Some(timeout);
        self
    }
    /// How long to wait for response data (default 60 s).
    pub fn read_timeout(mut self, timeout: Duration) -> Self {
        self.read_timeout = Some(timeout);
        self
    }
    /// Whether inputs are validated against the model before sending (default true).
    pub fn validate(mut self, validate: bool) -> Self {
        self.validate = Some(validate);
        self
    }

    /// Resolves every setting.
    pub fn build(self) -> Config {
        let env = self.env.unwrap_or_else(env::process);
        let env = env.as_ref();
        let explicit_profile = self.profile.is_some();
        let profile_name = self
            .profile
            .or_else(|| env.var("AWS_PROFILE"))
            .or_else(|| env.var("AWS_DEFAULT_PROFILE"))
            .unwrap_or_else(|| "default".to_owned());
        let profile = profile::load(env, &profile_name);
        let mut problem = None;
        if !profile.found && (explicit_profile || profile_name != "default") {
            problem = Some(format!(
                "The config profile ({profile_name}) could not be found"
            ));
        }

        let region = self
            .region
            .map(|r| (r, Source::Explicit))
            .or_else(|| env.var("AWS_REGION").map(|r| (r, Source::Environment)))
            .or_else(|| {
                env.var("AWS_DEFAULT_REGION")
                    .map(|r| (r, Source::Environment))
            })
            .or_else(|| {
                profile
                    .config
                    .get("region")
                    .filter(|r| !r.is_empty())
                    .map(|r| (r.clone(), Source::ConfigFile))
            });

        let ignore_configured = env
            .var("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS")
            .is_some_and(|v| v.eq_ignore_ascii_case("true"))
            || profile
                .config
                .get("ignore_configured_endpoint_urls")
                .is_some_and(|v| v.eq_ignore_ascii_case("true"));
        let endpoint = self
            .endpoint_url
            .map(|u| (u, Source::Explicit))
            .or_else(|| {
                if ignore_configured {
                    return None;
                }
                env.var("AWS_ENDPOINT_URL_AMPLIFYBACKEND")
                    .or_else(|| env.var("AWS_ENDPOINT_URL"))
                    .map(|u| (u, Source::Environment))
                    .or_else(|| {
                        profile
                            .config
                            .get("endpoint_url")
                            .filter(|u| !u.is_empty())
                            .map(|u| (u.clone(), Source::ConfigFile))
                    })
            });

        let from_env = || {
            let key = env.var("AWS_ACCESS_KEY_ID")?;
            let secret = env.var("AWS_SECRET_ACCESS_KEY")?;
            Some((
                Credentials::new(key, secret, env.var("AWS_SESSION_TOKEN")),
                Source::Environment,
            ))
        };
        let from_section = |section: &profile::Section, source: Source| {
            let key = section.get("aws_access_key_id").filter(|v| !v.is_empty())?;
            let secret = section
                .get("aws_secret_access_key")
                .filter(|v| !v.is_empty())?;
            Some((
                Credentials::new(
                    key.clone(),
                    secret.clone(),
                    section.get("aws_session_token").cloned(),
                ),
                source,
            ))
        };
        let credentials = self
            .credentials
            .map(|c| (c, Source::Explicit))
            .or_else(|| if explicit_profile { None } else { from_env() })
            .or_else(|| from_section(&profile.credentials, Source::CredentialsFile))
            .or_else(|| from_section(&profile.config, Source::ConfigFile));

        let retry = self.retry.unwrap_or_else(|| {
            let attempts = env
                .var("AWS_MAX_ATTEMPTS")
                .or_else(|| profile.config.get("max_attempts").cloned())
                .and_then(|v| v.trim().parse::<u32>().ok())
                .filter(|n| *n > 0);
            RetryConfig {
                max_attempts: attempts.unwrap_or(3),
                ..RetryConfig::default()
            }
        });

        Config {
            region,
            endpoint,
            credentials,
            problem,
            retry,
            connect_timeout: self.connect_timeout.unwrap_or(Duration::from_secs(60)),
            read_timeout: self.read_timeout.unwrap_or(Duration::from_secs(60)),
            validate: self.validate.unwrap_or(true),
            profile: profile_name,
        }
    }
}
