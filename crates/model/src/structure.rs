//! What every generated structure offers besides its members: its wire form, and the error
//! of a builder that lacks a required member.

use crate::validate::{Validate, ValidationError};
use serde::Serialize;
use serde::de::DeserializeOwned;
use std::fmt;

/// A structure shape of the model and the form a document carries it in.
///
/// Required members are plain fields of the structure, so a document that lacks one cannot
/// be checked in it. Documents are therefore read into [`Structure::Wire`], where every
/// member is optional, validated there, and then moved into the structure.
pub trait Structure: Serialize + DeserializeOwned + Validate + Default + Send + 'static {
    /// The structure's wire form ([`crate::wire`]), or the structure itself when nothing in
    /// it is required.
    type Wire: Serialize + DeserializeOwned + Validate + Default + Into<Self> + Send + 'static;

    /// The structure, if its wire form breaks no rule of the model.
    fn from_wire(wire: Self::Wire) -> Result<Self, ValidationError> {
        wire.validate()?;
        Ok(wire.into())
    }
}

/// A builder was asked to build a structure without one or more of its required members.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BuildError {
    shape: &'static str,
    missing: Vec<&'static str>,
}

impl BuildError {
    /// The structure that could not be built (`CreateBackendRequest`).
    pub fn shape(&self) -> &'static str {
        self.shape
    }

    /// The required members that were not set, by their model names (`AppId`), in the
    /// model's order.
    pub fn missing(&self) -> &[&'static str] {
        &self.missing
    }

    /// Fails unless every one of `members` (`(name, set)`) of `shape` is set: what the
    /// generated `build()` checks.
    pub fn check(shape: &'static str, members: &[(&'static str, bool)]) -> Result<(), BuildError> {
        let missing: Vec<&'static str> = members
            .iter()
            .filter(|(_, set)| !set)
            .map(|(name, _)| *name)
            .collect();
        if missing.is_empty() {
            Ok(())
        } else {
            Err(BuildError { shape, missing })
        }
    }
}

impl fmt::Display for BuildError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let noun = if self.missing.len() == 1 {
            "member"
        } else {
            "members"
        };
        write!(
            f,
            "cannot build {}: required {noun} {} not set",
            self.shape,
            self.missing.join(", ")
        )
    }
}

impl std::error::Error for BuildError {}

#[cfg(test)]
mod tests {
    use crate::*;

    #[test]
    fn building_without_a_required_member_names_the_shape_and_members() {
        let err = CreateBackendRequest::builder()
            .app_id("a")
            .build()
            .err()
            .map(|e| (e.shape(), e.missing().to_vec(), e.to_string()));
        assert_eq!(
            err,
            Some((
                "CreateBackendRequest",
                vec!["AppName", "BackendEnvironmentName"],
                "cannot build CreateBackendRequest: required members AppName, \
                 BackendEnvironmentName not set"
                    .to_owned()
            ))
        );
        let err = CreateBackendAuthMFAConfig::builder().build().err();
        assert_eq!(
            err.map(|e| e.to_string()),
            Some("cannot build CreateBackendAuthMFAConfig: required member MFAMode not set".into())
        );
    }

    #[test]
    fn building_with_every_required_member_succeeds() {
        let built = CreateBackendRequest::builder()
            .app_id("a")
            .app_name("n")
            .backend_environment_name("dev")
            .resource_config(ResourceConfig::default())
            .build();
        assert_eq!(
            built,
            Ok(CreateBackendRequest {
                app_id: "a".into(),
                app_name: "n".into(),
                backend_environment_name: "dev".into(),
                resource_config: Some(ResourceConfig::default()),
                resource_name: None,
            })
        );
        // Clearing a required member again makes the build fail.
        let err = GetBackendRequest::builder()
            .app_id("a")
            .set_app_id(None)
            .build()
            .err();
        assert_eq!(err.map(|e| e.missing().to_vec()), Some(vec!["AppId"]));
    }

    #[test]
    fn builders_of_structures_without_required_members_cannot_fail() {
        let input: ListS3BucketsRequest = ListS3BucketsRequest::builder().next_token("t").build();
        assert_eq!(input.next_token.as_deref(), Some("t"));
    }

    #[test]
    fn decoding_gives_absent_required_members_their_default() {
        let job: Option<BackendJobRespObj> =
            serde_json::from_str(r#"{"jobId":"j","appId":null}"#).ok();
        assert_eq!(
            job,
            Some(BackendJobRespObj {
                job_id: Some("j".into()),
                ..Default::default()
            })
        );
        let mfa: Option<CreateBackendAuthMFAConfig> = serde_json::from_str("{}").ok();
        assert_eq!(
            mfa.map(|m| m.mfa_mode),
            Some(MFAMode::Unknown(String::new()))
        );
    }

    #[test]
    fn requests_are_validated_in_their_wire_form_then_moved() {
        let wire: wire::GetBackendRequest =
            serde_json::from_str(r#"{"backendEnvironmentName":"dev"}"#).unwrap_or_default();
        assert_eq!(
            GetBackendRequest::from_wire(wire.clone()).map_err(|e| e.to_string()),
            Err("Missing required member 'appId'".to_owned())
        );
        assert_eq!(
            GetBackendRequest::from_request(wire, vec![("appId", "a".into())]),
            Ok(GetBackendRequest {
                app_id: "a".into(),
                backend_environment_name: Some("dev".into()),
            })
        );
        // The typed structure cannot lack a member; it still checks enumerations.
        let mfa = CreateBackendAuthMFAConfig::default();
        assert_eq!(
            mfa.validate().map_err(|e| e.to_string()),
            Err("Invalid value '' for 'MFAMode': must be one of ON, OFF, OPTIONAL".to_owned())
        );
    }
}
