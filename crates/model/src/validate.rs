//! Checks of required members, enumeration values and ranges, as botocore makes them
//! before sending and as the service makes them before acting.

use std::fmt;

/// One thing wrong with an input, at a dotted path of wire names
/// (`resourceConfig.userPoolConfigs.mfa.MFAMode`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Violation {
    /// Where, in wire names; list items as `name[3]`.
    pub path: String,
    /// What.
    pub problem: Problem,
}

/// The kinds of violation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Problem {
    /// A required member is absent or `null`.
    Missing,
    /// An enumeration member holds a value the model does not define.
    UnknownEnum {
        /// The value received.
        value: String,
        /// The values the model allows.
        allowed: &'static [&'static str],
    },
    /// A number, length or count outside the model's range.
    OutOfRange {
        /// The value received (or its length).
        value: i64,
        /// The smallest allowed.
        min: Option<i64>,
        /// The largest allowed.
        max: Option<i64>,
    },
    /// A value of the wrong type (found by a client decoding a document).
    WrongType {
        /// What was wrong.
        detail: String,
    },
}

impl Violation {
    /// A required member absent at `path`.
    pub fn missing(path: impl Into<String>) -> Violation {
        Violation {
            path: path.into(),
            problem: Problem::Missing,
        }
    }
}

impl fmt::Display for Violation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.problem {
            Problem::Missing => write!(f, "Missing required member '{}'", self.path),
            Problem::UnknownEnum { value, allowed } => write!(
                f,
                "Invalid value '{value}' for '{}': must be one of {}",
                self.path,
                allowed.join(", ")
            ),
            Problem::WrongType { detail } => {
                write!(f, "Invalid type for '{}': {detail}", self.path)
            }
            Problem::OutOfRange { value, min, max } => {
                write!(f, "Invalid value {value} for '{}': must be", self.path)?;
                match (min, max) {
                    (Some(lo), Some(hi)) => write!(f, " between {lo} and {hi}"),
                    (Some(lo), None) => write!(f, " at least {lo}"),
                    (None, Some(hi)) => write!(f, " at most {hi}"),
                    (None, None) => Ok(()),
                }
            }
        }
    }
}

/// Every violation found in one input.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidationError {
    /// In the order of the model's members.
    pub violations: Vec<Violation>,
}

impl fmt::Display for ValidationError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, v) in self.violations.iter().enumerate() {
            if i > 0 {
                f.write_str("; ")?;
            }
            write!(f, "{v}")?;
        }
        Ok(())
    }
}

impl std::error::Error for ValidationError {}

/// A value that can check itself against the model.
pub trait Validate {
    /// Appends the violations of `self`, found at `prefix`, to `out`.
    fn validate_at(&self, prefix: &str, out: &mut Vec<Violation>);

    /// Checks the whole value.
    fn validate(&self) -> Result<(), ValidationError> {
        let mut violations = Vec::new();
        self.validate_at("", &mut violations);
        if violations.is_empty() {
            Ok(())
        } else {
            Err(ValidationError { violations })
        }
    }
}

/// `prefix.member`, or `member` at the top.
pub fn path(prefix: &str, member: &str) -> String {
    if prefix.is_empty() {
        member.to_owned()
    } else {
        format!("{prefix}.{member}")
    }
}

/// A required member must be present (in a wire form, where it may be absent).
pub fn required<T>(prefix: &str, member: &str, value: &Option<T>, out: &mut Vec<Violation>) {
    if value.is_none() {
        out.push(Violation::missing(path(prefix, member)));
    }
}

/// A present structure or enumeration member must be valid itself.
pub fn nested<T: Validate>(
    prefix: &str,
    member: &str,
    value: Option<&T>,
    out: &mut Vec<Violation>,
) {
    if let Some(v) = value {
        v.validate_at(&path(prefix, member), out);
    }
}

/// Every item of a present list member must be valid.
pub fn nested_list<T: Validate>(
    prefix: &str,
    member: &str,
    value: Option<&[T]>,
    out: &mut Vec<Violation>,
) {
    if let Some(items) = value {
        let base = path(prefix, member);
        for (i, item) in items.iter().enumerate() {
            item.validate_at(&format!("{base}[{i}]"), out);
        }
    }
}

/// A present number (or length) must lie within the model's range.
pub fn range(
    prefix: &str,
    member: &str,
    value: Option<i64>,
    min: Option<i64>,
    max: Option<i64>,
    out: &mut Vec<Violation>,
) {
    if let Some(v) = value
        && (min.is_some_and(|lo| v < lo) || max.is_some_and(|hi| v > hi))
    {
        out.push(Violation {
            path: path(prefix, member),
            problem: Problem::OutOfRange { value: v, min, max },
        });
    }
}

#[cfg(test)]
mod tests {
    use crate::*;

    #[test]
    fn reports_missing_members_by_wire_name() {
        let input = wire::CreateBackendRequest::default();
        let err = input
            .validate()
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default();
        assert!(err.contains("'appId'"), "{err}");
        assert!(err.contains("'appName'"), "{err}");
        assert!(err.contains("'backendEnvironmentName'"), "{err}");
    }

    #[test]
    fn reports_nested_unknown_enums_with_their_path() {
        let input: wire::CreateBackendAuthRequest = serde_json::from_str(
            r#"{"backendEnvironmentName":"dev","resourceName":"r","resourceConfig":{
                "authResources":"USER_POOL_ONLY","service":"COGNITO",
                "userPoolConfigs":{"requiredSignUpAttributes":["EMAIL","NOPE"],
                "signInMethod":"EMAIL","userPoolName":"p","mfa":{"MFAMode":"MAYBE"}}}}"#,
        )
        .unwrap_or_default();
        let mut v = Vec::new();
        input.validate_at("", &mut v);
        let paths: Vec<_> = v.iter().map(|v| v.path.as_str()).collect();
        assert_eq!(
            paths,
            [
                "appId",
                "resourceConfig.userPoolConfigs.mfa.MFAMode",
                "resourceConfig.userPoolConfigs.requiredSignUpAttributes[1]"
            ]
        );
    }

    #[test]
    fn checks_ranges() {
        let input = ListBackendJobsRequest {
            app_id: "a".into(),
            backend_environment_name: "dev".into(),
            max_results: Some(26),
            ..Default::default()
        };
        let err = input
            .validate()
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default();
        assert_eq!(
            err,
            "Invalid value 26 for 'maxResults': must be between 1 and 25"
        );
    }

    #[test]
    fn serializes_wire_names_and_omits_absent_members() {
        let mfa = CreateBackendAuthMFAConfig {
            mfa_mode: MFAMode::On,
            settings: None,
        };
        assert_eq!(
            serde_json::to_string(&mfa).unwrap_or_default(),
            r#"{"MFAMode":"ON"}"#
        );
    }

    #[test]
    fn debug_redacts_secrets() {
        let token = GetTokenResponse {
            challenge_code: Some("secret-code".into()),
            ..Default::default()
        };
        assert!(!format!("{token:?}").contains("secret-code"));
        let apple = BackendAuthAppleProviderConfig {
            private_key: Some("pk".into()),
            ..Default::default()
        };
        assert!(!format!("{apple:?}").contains("pk"));
        // The wire form a request is read into, and a builder, redact alike.
        let oauth: wire::CreateBackendAuthOAuthConfig = serde_json::from_str(
            r#"{"socialProviderSettings":{"Facebook":{"client_id":"c","client_secret":"cs"}}}"#,
        )
        .unwrap_or_default();
        assert!(oauth.social_provider_settings.is_some());
        assert!(!format!("{oauth:?}").contains("cs"));
        let builder = CreateBackendAuthOAuthConfig::builder().social_provider_settings(
            SocialProviderSettings {
                facebook: Some(BackendAuthSocialProviderConfig {
                    client_secret: Some("cs".into()),
                    ..Default::default()
                }),
                ..Default::default()
            },
        );
        assert!(!format!("{builder:?}").contains("cs"));
    }
}
