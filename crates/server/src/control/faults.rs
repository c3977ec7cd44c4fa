//! Fault injection: rules a test sets (`/_amplifybackend/faults`) that make matching
//! requests slow, answer a modeled error, or start jobs that fail. Rules live in this
//! process's memory and apply to the requests it receives.

use crate::error::{ApiError, ErrorKind};
use amplifybackend_model::{Operation, amplify};
use amplifybackend_store::Tenant;
use serde::{Deserialize, Serialize};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Mutex, PoisonError};
use std::time::Duration;

/// The AWS services this server answers; a rule may be limited to one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Service {
    /// AWS Amplify Admin's backend API.
    #[serde(rename = "amplifybackend")]
    AmplifyBackend,
    /// AWS Amplify's app API.
    #[serde(rename = "amplify")]
    Amplify,
}

impl Service {
    /// The service's name in rules and in the request journal.
    pub fn as_str(self) -> &'static str {
        match self {
            Service::AmplifyBackend => "amplifybackend",
            Service::Amplify => "amplify",
        }
    }

    /// Whether `name` is an operation of this service's model.
    fn knows(self, name: &str) -> bool {
        match self {
            Service::AmplifyBackend => Operation::ALL.iter().any(|o| o.name() == name),
            Service::Amplify => amplify::Operation::ALL.iter().any(|o| o.name() == name),
        }
    }
}

/// The error a rule answers, as a test writes it.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ErrorEffect {
    /// The HTTP status; derived from `code` when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status_code: Option<u16>,
    /// The error's name (`TooManyRequestsException`); derived from `statusCode` when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub code: Option<String>,
    /// The error's `message`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
    /// `limitType` of a 429 (default `RequestRate`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub limit_type: Option<String>,
    /// `resourceType` of a 404 (default `app`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resource_type: Option<String>,
}

/// A fault rule: optional filters and at least one effect.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct FaultRule {
    /// Only requests to this service.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub service: Option<Service>,
    /// Only requests of this operation.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub operation: Option<String>,
    /// Only requests of this account.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub account_id: Option<String>,
    /// Only requests to this region.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub region: Option<String>,
    /// The chance a matching request is affected, 0 to 1 (default 1).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub probability: Option<f64>,
    /// How many more requests the rule affects before it expires; absent: forever.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub times: Option<u64>,
    /// Effect: the request waits this long before it runs (or fails).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub latency_ms: Option<u64>,
    /// Effect: the request answers this error instead of running.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<ErrorEffect>,
    /// Effect: the jobs the request starts end with this status (`FAILED`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub job_status: Option<String>,
    /// The `error` of those jobs.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub job_error: Option<String>,
}

/// Longest latency a rule may add: beyond, the request time limit answers anyway.
const MAX_LATENCY_MS: u64 = 600_000;
/// What a failed job's `error` says when the rule gives none.
const DEFAULT_JOB_ERROR: &str = "The job failed (injected fault).";
/// The errors a rule may answer: the model's, and the service's unmodeled ones.
const INJECTABLE: [ErrorKind; 6] = [
    ErrorKind::BadRequest,
    ErrorKind::NotFound,
    ErrorKind::TooManyRequests,
    ErrorKind::GatewayTimeout,
    ErrorKind::Validation,
    ErrorKind::InternalFailure,
];

/// Why a rule cannot be used: the field at fault and the problem.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BadRule {
    /// The member's path within the rule (`error.statusCode`).
    pub field: &'static str,
    /// What is wrong.
    pub problem: String,
}

fn bad(field: &'static str, problem: impl Into<String>) -> BadRule {
    BadRule {
        field,
        problem: problem.into(),
    }
}

/// A checked rule, ready to match.
#[derive(Debug, Clone)]
struct Active {
    /// As listed (normalized: defaults filled in, `times` counting down).
    rule: FaultRule,
    probability: f64,
    error: Option<ApiError>,
    job_error: Option<String>,
}

impl FaultRule {
    /// Checks every member and fills in the defaults.
    fn check(mut self) -> Result<Active, BadRule> {
        if let Some(op) = &self.operation {
            let known = match self.service {
                Some(service) => service.knows(op),
                None => Service::AmplifyBackend.knows(op) || Service::Amplify.knows(op),
            };
            if !known {
                return Err(bad(
                    "operation",
                    format!("{op} is not an operation of the service"),
                ));
            }
        }
        if let Some(account) = &self.account_id
            && (account.len() != 12 || !account.bytes().all(|b| b.is_ascii_digit()))
        {
            return Err(bad("accountId", "an account id is 12 digits"));
        }
        if let Some(region) = &self.region
            && (region.is_empty()
                || region.len() > 64
                || !region
                    .bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-'))
        {
            return Err(bad(
                "region",
                "a region is lowercase letters, digits and '-'",
            ));
        }
        let probability = self.probability.unwrap_or(1.0);
        if !(0.0..=1.0).contains(&probability) {
            return Err(bad("probability", "must be between 0.0 and 1.0"));
        }
        self.probability = Some(probability);
        if self.times == Some(0) {
            return Err(bad(
                "times",
                "must be at least 1 (leave it out for no limit)",
            ));
        }
        if self.latency_ms.is_some_and(|ms| ms > MAX_LATENCY_MS) {
            return Err(bad(
                "latencyMs",
                format!("must be at most {MAX_LATENCY_MS}"),
            ));
        }
        let error = match &mut self.error {
            Some(effect) => Some(effect.check()?),
            None => None,
        };
        let job_error = self.check_job_effect()?;
        if error.is_some() && job_error.is_some() {
            return Err(bad(
                "jobStatus",
                "a rule answers an error or fails jobs, not both",
            ));
        }
        if error.is_none() && job_error.is_none() && self.latency_ms.is_none() {
            return Err(bad(
                "error",
                "a rule needs an effect: error, latencyMs or jobStatus",
            ));
        }
        Ok(Active {
            rule: self,
            probability,
            error,
            job_error,
        })
    }

    fn check_job_effect(&mut self) -> Result<Option<String>, BadRule> {
        match self.job_status.as_deref() {
            None if self.job_error.is_some() => {
                Err(bad("jobError", "goes with \"jobStatus\": \"FAILED\""))
            }
            None => Ok(None),
            Some("FAILED") => {
                // Only AmplifyBackend's operations start jobs: a rule that could never
                // apply is refused rather than kept.
                if self.service == Some(Service::Amplify) {
                    return Err(bad(
                        "service",
                        "the amplify service starts no jobs; \"jobStatus\" rules are for amplifybackend",
                    ));
                }
                if let Some(op) = &self.operation
                    && !Operation::ALL
                        .iter()
                        .any(|o| o.name() == op && o.creates_job())
                {
                    return Err(bad("operation", format!("{op} starts no jobs")));
                }
                let text = self
                    .job_error
                    .get_or_insert_with(|| DEFAULT_JOB_ERROR.to_owned());
                Ok(Some(text.clone()))
            }
            Some(other) => Err(bad(
                "jobStatus",
                format!("{other} is not a status a job can be made to end with; use FAILED"),
            )),
        }
    }
}

impl ErrorEffect {
    /// The error answered, with `statusCode` and `code` both filled in.
    fn check(&mut self) -> Result<ApiError, BadRule> {
        let kind = match (&self.code, self.status_code) {
            (Some(code), status) => {
                let kind = INJECTABLE
                    .into_iter()
                    .find(|k| k.code() == code)
                    .ok_or_else(|| bad("error.code", format!("{code} is not an error of the service; use one of {}", codes())))?;
                if status.is_some_and(|s| s != kind.status().as_u16()) {
                    return Err(bad(
                        "error.statusCode",
                        format!("{code} is answered with {}", kind.status().as_u16()),
                    ));
                }
                kind
            }
            (None, Some(status)) => INJECTABLE
                .into_iter()
                .find(|k| k.status().as_u16() == status)
                .ok_or_else(|| {
                    bad(
                        "error.statusCode",
                        format!("{status} is not a status of the service's errors; use one of 400, 404, 429, 500, 504"),
                    )
                })?,
            (None, None) => {
                return Err(bad("error", "give statusCode, code or both"));
            }
        };
        self.code = Some(kind.code().to_owned());
        self.status_code = Some(kind.status().as_u16());
        let detail = match kind {
            ErrorKind::TooManyRequests => Some(
                self.limit_type
                    .get_or_insert_with(|| "RequestRate".to_owned())
                    .clone(),
            ),
            ErrorKind::NotFound => Some(
                self.resource_type
                    .get_or_insert_with(|| "app".to_owned())
                    .clone(),
            ),
            _ => None,
        };
        if self.limit_type.is_some() && kind != ErrorKind::TooManyRequests {
            return Err(bad("error.limitType", "only a 429 has a limitType"));
        }
        if self.resource_type.is_some() && kind != ErrorKind::NotFound {
            return Err(bad("error.resourceType", "only a 404 has a resourceType"));
        }
        let message = self
            .message
            .get_or_insert_with(|| format!("{} (injected fault).", kind.code()))
            .clone();
        Ok(ApiError {
            kind,
            message,
            detail,
        })
    }
}

fn codes() -> String {
    INJECTABLE.map(|k| k.code()).join(", ")
}

/// The request a rule is matched against.
#[derive(Debug, Clone, Copy)]
pub struct Target<'a> {
    /// Its service.
    pub service: Service,
    /// Its operation's name.
    pub operation: &'a str,
    /// Whether the operation starts a job.
    pub starts_jobs: bool,
    /// Whose request.
    pub tenant: &'a Tenant,
}

/// What a matching rule does to a request.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Injection {
    /// Wait this long first.
    pub latency: Option<Duration>,
    /// Then answer this instead of running.
    pub error: Option<ApiError>,
    /// Or run, and have the jobs started fail with this error.
    pub job_error: Option<String>,
}

/// The rules in force on this instance.
#[derive(Debug, Default)]
pub struct Faults {
    rules: Mutex<Vec<Active>>,
    /// Whether any rule is in force: requests skip the lock when none is.
    armed: AtomicBool,
}

impl Faults {
    /// The rules, as listed (with the uses left).
    pub fn list(&self) -> Vec<FaultRule> {
        self.lock().iter().map(|a| a.rule.clone()).collect()
    }

    /// Checks `rules` and adds them (or replaces all rules with them): all or nothing.
    /// The error names the index of the first bad rule when there are several.
    pub fn install(&self, rules: Vec<FaultRule>, replace: bool) -> Result<(), (usize, BadRule)> {
        let checked = rules
            .into_iter()
            .enumerate()
            .map(|(i, r)| r.check().map_err(|e| (i, e)))
            .collect::<Result<Vec<_>, _>>()?;
        let mut rules = self.lock();
        if replace {
            rules.clear();
        }
        rules.extend(checked);
        self.armed.store(!rules.is_empty(), Ordering::Release);
        Ok(())
    }

    /// Removes every rule.
    pub fn clear(&self) {
        let mut rules = self.lock();
        rules.clear();
        self.armed.store(false, Ordering::Release);
    }

    /// The effect on `target` of the first rule that matches it and wins its roll, which
    /// uses one of the rule's `times`.
    pub fn draw(&self, target: Target<'_>) -> Option<Injection> {
        if !self.armed.load(Ordering::Acquire) {
            return None;
        }
        let mut rules = self.lock();
        let index = rules.iter().position(|a| {
            a.matches(&target) && (a.probability >= 1.0 || rand::random::<f64>() < a.probability)
        })?;
        let active = &mut rules[index];
        let injection = Injection {
            latency: active.rule.latency_ms.map(Duration::from_millis),
            error: active.error.clone(),
            job_error: active.job_error.clone(),
        };
        if let Some(times) = &mut active.rule.times {
            *times -= 1;
            if *times == 0 {
                rules.remove(index);
                self.armed.store(!rules.is_empty(), Ordering::Release);
            }
        }
        Some(injection)
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Vec<Active>> {
        self.rules.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

impl Active {
    fn matches(&self, target: &Target<'_>) -> bool {
        let rule = &self.rule;
        rule.service.is_none_or(|s| s == target.service)
            && rule.operation.as_deref().is_none_or(|o| o == target.operation)
            && rule
                .account_id
                .as_deref()
                .is_none_or(|a| a == target.tenant.account)
            && rule
                .region
                .as_deref()
                .is_none_or(|r| r == target.tenant.region)
            // A rule that fails jobs is not used up by requests that start none.
            && (self.job_error.is_none() || target.starts_jobs)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn rule(value: serde_json::Value) -> FaultRule {
        serde_json::from_value(value).unwrap_or_default()
    }

    fn tenant() -> Tenant {
        Tenant {
            account: "123456789012".into(),
            region: "us-east-1".into(),
        }
    }

    fn target<'a>(operation: &'a str, tenant: &'a Tenant) -> Target<'a> {
        Target {
            service: Service::AmplifyBackend,
            operation,
            starts_jobs: operation.starts_with("Create"),
            tenant,
        }
    }

    #[test]
    fn a_rule_with_times_expires() {
        let faults = Faults::default();
        let r = rule(json!({"operation": "GetBackend", "times": 2, "error": {"statusCode": 429}}));
        assert!(faults.install(vec![r], false).is_ok());
        let t = tenant();
        for _ in 0..2 {
            let injected = faults.draw(target("GetBackend", &t));
            let error = injected.and_then(|i| i.error);
            assert_eq!(
                error.as_ref().map(|e| e.kind),
                Some(ErrorKind::TooManyRequests)
            );
            assert_eq!(error.and_then(|e| e.detail).as_deref(), Some("RequestRate"));
        }
        assert_eq!(faults.draw(target("GetBackend", &t)), None);
        assert!(faults.list().is_empty());
    }

    #[test]
    fn probability_zero_never_applies_and_keeps_its_uses() {
        let faults = Faults::default();
        let r = rule(json!({"probability": 0.0, "times": 1, "latencyMs": 1}));
        assert!(faults.install(vec![r], true).is_ok());
        let t = tenant();
        for _ in 0..50 {
            assert_eq!(faults.draw(target("GetBackend", &t)), None);
        }
        assert_eq!(faults.list()[0].times, Some(1));
    }

    #[test]
    fn filters_must_all_match() {
        let faults = Faults::default();
        let r = rule(
            json!({"service": "amplifybackend", "operation": "GetBackend",
            "accountId": "123456789012", "region": "eu-west-1", "latencyMs": 5}),
        );
        assert!(faults.install(vec![r], true).is_ok());
        let t = tenant();
        assert_eq!(faults.draw(target("GetBackend", &t)), None);
        let eu = Tenant {
            region: "eu-west-1".into(),
            ..tenant()
        };
        assert_eq!(faults.draw(target("ListBackendJobs", &eu)), None);
        let amplify = Target {
            service: Service::Amplify,
            ..target("GetBackend", &eu)
        };
        assert_eq!(faults.draw(amplify), None);
        assert_eq!(
            faults
                .draw(target("GetBackend", &eu))
                .and_then(|i| i.latency),
            Some(Duration::from_millis(5))
        );
    }

    #[test]
    fn job_rules_wait_for_a_request_that_starts_jobs() {
        let faults = Faults::default();
        let r = rule(json!({"jobStatus": "FAILED", "times": 1}));
        assert!(faults.install(vec![r], true).is_ok());
        let t = tenant();
        assert_eq!(faults.draw(target("GetBackend", &t)), None);
        let injected = faults.draw(target("CreateBackendAuth", &t));
        assert_eq!(
            injected.and_then(|i| i.job_error).as_deref(),
            Some(DEFAULT_JOB_ERROR)
        );
    }

    #[test]
    fn bad_rules_are_refused_whole() {
        let faults = Faults::default();
        let good = rule(json!({"latencyMs": 1}));
        assert!(faults.install(vec![good.clone()], true).is_ok());
        let cases = [
            (json!({}), "error"),
            (
                json!({"operation": "Nope", "service": "amplifybackend", "latencyMs": 1}),
                "operation",
            ),
            (json!({"probability": 1.5, "latencyMs": 1}), "probability"),
            (json!({"times": 0, "latencyMs": 1}), "times"),
            (json!({"error": {"statusCode": 503}}), "error.statusCode"),
            (
                json!({"error": {"code": "TooManyRequestsException", "statusCode": 400}}),
                "error.statusCode",
            ),
            (json!({"error": {"code": "Teapot"}}), "error.code"),
            (
                json!({"error": {"statusCode": 400, "limitType": "x"}}),
                "error.limitType",
            ),
            (json!({"jobStatus": "COMPLETED"}), "jobStatus"),
            (
                json!({"operation": "GetBackend", "jobStatus": "FAILED"}),
                "operation",
            ),
            (
                json!({"operation": "CreateApp", "jobStatus": "FAILED"}),
                "operation",
            ),
            (
                json!({"service": "amplify", "jobStatus": "FAILED"}),
                "service",
            ),
            (
                json!({"error": {"statusCode": 429}, "jobStatus": "FAILED"}),
                "jobStatus",
            ),
            (json!({"accountId": "12", "latencyMs": 1}), "accountId"),
        ];
        for (value, field) in cases {
            let r = rule(value.clone());
            let result = faults.install(vec![good.clone(), r], true);
            assert_eq!(
                result.map_err(|(i, e)| (i, e.field)),
                Err((1, field)),
                "{value}"
            );
        }
        assert_eq!(faults.list().len(), 1);
        let amplify = rule(json!({"operation": "CreateApp", "service": "amplify", "latencyMs": 1}));
        assert!(faults.install(vec![amplify], true).is_ok());
    }

    #[test]
    fn errors_are_filled_in_from_status_or_code() {
        let faults = Faults::default();
        let r = rule(json!({"error": {"code": "NotFoundException"}}));
        assert!(faults.install(vec![r], true).is_ok());
        let listed = faults.list();
        let effect = listed[0].error.clone().unwrap_or_default();
        assert_eq!(effect.status_code, Some(404));
        assert_eq!(effect.resource_type.as_deref(), Some("app"));
        assert_eq!(listed[0].probability, Some(1.0));
    }
}
