//! The server's test control endpoints under `/_amplifybackend/` ([`Control`], from
//! [`Client::control`]): resetting, exporting and importing state, fault rules, job
//! progression and the request journal. Requests are signed like API requests (a server
//! with credentials lets only its admin keys in) and fail with the same [`Error`]s.

use crate::{Client, Error};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use serde_json::Value;

/// Which part of the state an operation applies to: everything, one account, one region,
/// or one region of one account.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Scope {
    /// Only this account (12 digits).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub account_id: Option<String>,
    /// Only this region.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub region: Option<String>,
}

/// The error a fault rule answers.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct FaultError {
    /// The HTTP status (derived from `code` when absent).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status_code: Option<u16>,
    /// The error's name, such as `TooManyRequestsException` (derived from the status when
    /// absent).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub code: Option<String>,
    /// The error's message.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
    /// `limitType` of a 429.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub limit_type: Option<String>,
    /// `resourceType` of a 404.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resource_type: Option<String>,
}

/// A fault rule: filters (all optional) and at least one effect (`error`, `latency_ms`
/// or `job_status`).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct FaultRule {
    /// `amplifybackend` or `amplify`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub service: Option<String>,
    /// The operation's name (`CreateBackend`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub operation: Option<String>,
    /// Only this account's requests.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub account_id: Option<String>,
    /// Only requests to this region.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub region: Option<String>,
    /// The chance a matching request is affected, 0 to 1 (the server's default: 1).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub probability: Option<f64>,
    /// How many requests it affects before it expires (as listed: how many are left).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub times: Option<u64>,
    /// Delay added before the request runs, milliseconds.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub latency_ms: Option<u64>,
    /// The error answered instead.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<FaultError>,
    /// `FAILED`: the jobs the request starts fail.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub job_status: Option<String>,
    /// The `error` of those jobs.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub job_error: Option<String>,
}

impl FaultRule {
    /// A rule answering `status_code` (its modeled error) to `operation`.
    pub fn error(operation: impl Into<String>, status_code: u16) -> FaultRule {
        FaultRule {
            operation: Some(operation.into()),
            error: Some(FaultError {
                status_code: Some(status_code),
                ..FaultError::default()
            }),
            ..FaultRule::default()
        }
    }

    /// The rule, expiring after `times` requests.
    pub fn times(mut self, times: u64) -> FaultRule {
        self.times = Some(times);
        self
    }
}

/// How jobs progress: at once, after a time, or when advanced.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct JobProgression {
    /// `immediate`, `time` or `manual`.
    pub mode: String,
    /// How long a job runs in `time` mode, milliseconds.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub duration_ms: Option<u64>,
    /// Only this operation's jobs.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub operation: Option<String>,
}

/// Finishes a job that manual progression keeps RUNNING.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct JobAdvance {
    /// The job's app.
    pub app_id: String,
    /// The job's environment.
    pub backend_environment_name: String,
    /// The job.
    pub job_id: String,
    /// `COMPLETED` (its effect is applied) or `FAILED`.
    pub status: String,
    /// The `error` of a FAILED job.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
    /// The job's account, when not the one of the signing key.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub account_id: Option<String>,
    /// The job's region, when not the one requests are signed for.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub region: Option<String>,
}

/// One request of the server's request journal.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct JournalEntry {
    /// When it arrived (ISO 8601).
    pub time: String,
    /// Its `x-amzn-RequestId`.
    pub request_id: String,
    /// The service it was sent to.
    pub service: String,
    /// The operation, when routed to one.
    pub operation: Option<String>,
    /// The account, when let in.
    pub account_id: Option<String>,
    /// The region, when let in.
    pub region: Option<String>,
    /// The HTTP status answered.
    pub status: u16,
    /// The error's name, when it failed.
    pub error_code: Option<String>,
    /// How long it took, milliseconds.
    pub latency_ms: u64,
    /// Whether a fault rule affected it.
    pub fault_injected: bool,
}

#[derive(Deserialize)]
struct Faults {
    faults: Vec<FaultRule>,
}

#[derive(Deserialize)]
struct Requests {
    requests: Vec<JournalEntry>,
}

/// The control endpoints of the server the client points at.
#[derive(Debug, Clone)]
pub struct Control {
    client: Client,
}

impl Client {
    /// The server's test control endpoints.
    pub fn control(&self) -> Control {
        Control {
            client: self.clone(),
        }
    }
}

impl Control {
    /// Empties the state (`POST /_amplifybackend/state/reset`), or only `scope`'s part.
    pub async fn reset(&self, scope: &Scope) -> Result<(), Error> {
        self.call::<Value>("POST", "state/reset", Some(to_body(scope)?))
            .await
            .map(|_| ())
    }

    /// The state, or `scope`'s part, as one versioned document (`GET /_amplifybackend/state`).
    pub async fn export_state(&self, scope: &Scope) -> Result<Value, Error> {
        self.call("GET", &state_path(scope), None).await
    }

    /// Replaces the state, or `scope`'s part, with an exported `document` in one
    /// transaction (`POST /_amplifybackend/state`); a bad document changes nothing.
    pub async fn import_state(&self, scope: &Scope, document: &Value) -> Result<Value, Error> {
        self.call("POST", &state_path(scope), Some(to_body(document)?))
            .await
    }

    /// The fault rules in force on the server instance.
    pub async fn faults(&self) -> Result<Vec<FaultRule>, Error> {
        let faults: Faults = self.call("GET", "faults", None).await?;
        Ok(faults.faults)
    }

    /// Adds a fault rule; answers the rules now in force.
    pub async fn add_fault(&self, rule: &FaultRule) -> Result<Vec<FaultRule>, Error> {
        let faults: Faults = self.call("POST", "faults", Some(to_body(rule)?)).await?;
        Ok(faults.faults)
    }

    /// Replaces every fault rule with `rules`; answers the rules now in force.
    pub async fn set_faults(&self, rules: &[FaultRule]) -> Result<Vec<FaultRule>, Error> {
        let faults: Faults = self.call("POST", "faults", Some(to_body(&rules)?)).await?;
        Ok(faults.faults)
    }

    /// Removes every fault rule.
    pub async fn clear_faults(&self) -> Result<(), Error> {
        self.call::<Faults>("DELETE", "faults", None)
            .await
            .map(|_| ())
    }

    /// How jobs progress (`GET /_amplifybackend/jobs/progression`).
    pub async fn job_progression(&self) -> Result<Value, Error> {
        self.call("GET", "jobs/progression", None).await
    }

    /// Sets how jobs progress, for all operations or one.
    pub async fn set_job_progression(&self, progression: &JobProgression) -> Result<Value, Error> {
        self.call("PUT", "jobs/progression", Some(to_body(progression)?))
            .await
    }

    /// Finishes a job kept RUNNING by manual progression.
    pub async fn advance_job(&self, advance: &JobAdvance) -> Result<Value, Error> {
        self.call("POST", "jobs/advance", Some(to_body(advance)?))
            .await
    }

    /// The last `limit` requests the server instance answered (its default: 100), newest
    /// first.
    pub async fn requests(&self, limit: Option<usize>) -> Result<Vec<JournalEntry>, Error> {
        let path = match limit {
            Some(n) => format!("requests?limit={n}"),
            None => "requests".to_owned(),
        };
        let requests: Requests = self.call("GET", &path, None).await?;
        Ok(requests.requests)
    }

    /// Any control endpoint: `method` on `/_amplifybackend/{path}`, the answer as `T`.
    pub async fn call<T: DeserializeOwned>(
        &self,
        method: &'static str,
        path: &str,
        body: Option<Vec<u8>>,
    ) -> Result<T, Error> {
        let (bytes, meta) = self
            .client
            .execute(
                method,
                &format!("/_amplifybackend/{path}"),
                body.unwrap_or_default(),
            )
            .await?;
        serde_json::from_slice(&bytes).map_err(|e| Error::Decode {
            message: format!("{method} /_amplifybackend/{path} response: {e}"),
            meta: crate::ErrorMeta {
                status: Some(200),
                request_id: meta.request_id,
                attempts: meta.attempts,
            },
        })
    }
}

/// `state`, with the scope as query parameters.
fn state_path(scope: &Scope) -> String {
    let mut query = Vec::new();
    if let Some(account) = &scope.account_id {
        query.push(format!("accountId={}", encode(account)));
    }
    if let Some(region) = &scope.region {
        query.push(format!("region={}", encode(region)));
    }
    if query.is_empty() {
        "state".to_owned()
    } else {
        format!("state?{}", query.join("&"))
    }
}

fn to_body(value: &impl Serialize) -> Result<Vec<u8>, Error> {
    serde_json::to_vec(value).map_err(|e| Error::Config {
        message: format!("cannot serialize the request: {e}"),
    })
}

/// Percent-encodes a query parameter's value.
fn encode(value: &str) -> String {
    value
        .bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b"-_.~".contains(&b) {
                char::from(b).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}
