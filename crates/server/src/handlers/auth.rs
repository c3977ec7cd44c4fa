//! Cognito auth: Create/Update/Import/Get/DeleteBackendAuth, with the Amplify CLI's rules.

use super::{
    from_stored, job_reply, require_env, require_no_resource, require_resource, to_stored,
    validate_resource_name,
};
use crate::error::ApiError;
use crate::jobs::start_job;
use crate::meta;
use crate::state::Ctx;
use amplifybackend_model::*;
use amplifybackend_store::{Change, Resource, ResourceKind};
use serde_json::json;

const KIND: ResourceKind = ResourceKind::Auth;

/// The rules a complete auth config, valid under the model, must follow beyond the model's
/// (docs/BEHAVIOUR.md, "Auth").
pub fn check_auth_config(config: &CreateBackendAuthResourceConfig) -> Result<(), ApiError> {
    if config.auth_resources == AuthResources::IdentityPoolAndUserPool
        && config.identity_pool_configs.is_none()
    {
        return Err(ApiError::bad_request(
            "'resourceConfig.identityPoolConfigs' is required when authResources is IDENTITY_POOL_AND_USER_POOL.",
        ));
    }
    let pool = &config.user_pool_configs;
    if let Some(len) = pool.password_policy.as_ref().map(|p| p.minimum_length)
        && (len.fract() != 0.0 || !(6.0..=99.0).contains(&len))
    {
        return Err(ApiError::bad_request(format!(
            "Invalid value {len} for 'resourceConfig.userPoolConfigs.passwordPolicy.minimumLength': must be a whole number from 6 to 99."
        )));
    }
    if let Some(mfa) = &pool.mfa {
        let needs_types = matches!(mfa.mfa_mode, MFAMode::On | MFAMode::Optional);
        let has_types = mfa
            .settings
            .as_ref()
            .and_then(|s| s.mfa_types.as_ref())
            .is_some_and(|t| !t.is_empty());
        if needs_types && !has_types {
            return Err(ApiError::bad_request(
                "'resourceConfig.userPoolConfigs.mfa.settings.mfaTypes' is required when MFAMode is ON or OPTIONAL.",
            ));
        }
    }
    if let Some(oauth) = &pool.o_auth {
        let prefix = "resourceConfig.userPoolConfigs.oAuth";
        for (member, list) in [
            ("redirectSignInURIs", &oauth.redirect_sign_in_uris),
            ("redirectSignOutURIs", &oauth.redirect_sign_out_uris),
        ] {
            if list.is_empty() {
                return Err(ApiError::bad_request(format!(
                    "'{prefix}.{member}' is required with oAuth and must not be empty."
                )));
            }
        }
        if oauth.o_auth_scopes.is_empty() {
            return Err(ApiError::bad_request(format!(
                "'{prefix}.oAuthScopes' is required with oAuth and must not be empty."
            )));
        }
        if let Some(domain) = &oauth.domain_prefix {
            check_domain_prefix(domain)?;
        }
    }
    Ok(())
}

/// Cognito hosted-UI domain prefixes: lowercase letters, digits and inner hyphens, at most
/// 63 characters, without the reserved words `aws`, `amazon`, `cognito`.
fn check_domain_prefix(domain: &str) -> Result<(), ApiError> {
    let shape_ok = (1..=63).contains(&domain.len())
        && domain
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        && !domain.starts_with('-')
        && !domain.ends_with('-');
    let reserved = ["aws", "amazon", "cognito"]
        .iter()
        .find(|w| domain.contains(*w));
    match (shape_ok, reserved) {
        (true, None) => Ok(()),
        (_, Some(word)) => Err(ApiError::bad_request(format!(
            "Invalid domainPrefix '{domain}': it must not contain the reserved word '{word}'."
        ))),
        (false, None) => Err(ApiError::bad_request(format!(
            "Invalid domainPrefix '{domain}': use at most 63 lowercase letters, digits and inner hyphens."
        ))),
    }
}

/// Model validation of a nested document, reported with its path from the request root.
trait ValidateAtRoot {
    fn validate_at_root(&self, prefix: &str) -> Result<(), ValidationError>;
}

impl<T: Validate> ValidateAtRoot for T {
    fn validate_at_root(&self, prefix: &str) -> Result<(), ValidationError> {
        let mut violations = Vec::new();
        self.validate_at(prefix, &mut violations);
        if violations.is_empty() {
            Ok(())
        } else {
            Err(ValidationError { violations })
        }
    }
}

/// CreateBackendAuth.
pub async fn create_backend_auth(
    cx: Ctx,
    input: CreateBackendAuthRequest,
) -> Result<CreateBackendAuthResponse, ApiError> {
    let app_id = input.app_id.as_str();
    let env = input.backend_environment_name.as_str();
    let name = input.resource_name.as_str();
    validate_resource_name(name)?;
    let config = input.resource_config;
    check_auth_config(&config)?;
    require_env(&cx, app_id, env).await?;
    require_no_resource(&cx, app_id, env, KIND).await?;
    let outputs = meta::auth_outputs(cx.state.ids.as_ref(), &cx.tenant, &config);
    let changes = vec![Change::PutResource {
        env: env.to_owned(),
        kind: KIND,
        name: name.to_owned(),
        config: to_stored(&config)?,
        outputs,
        imported: false,
    }];
    let job = start_job(&cx, app_id, env, Operation::CreateBackendAuth, changes).await?;
    Ok(job_reply!(CreateBackendAuthResponse, job))
}

/// Applies an update to a stored config: each user-pool member sent replaces that member
/// whole, unsent members stay, `oAuth: {}` removes OAuth. The result is in wire form: a
/// member sent in an update may lack what the complete config requires.
pub fn merge_auth_config(
    current: wire::CreateBackendAuthResourceConfig,
    update: UpdateBackendAuthResourceConfig,
) -> wire::CreateBackendAuthResourceConfig {
    let mut merged = current;
    merged.auth_resources = Some(update.auth_resources);
    merged.service = Some(update.service);
    match merged.auth_resources {
        Some(AuthResources::UserPoolOnly) => merged.identity_pool_configs = None,
        _ => {
            if let Some(pool) = update.identity_pool_configs {
                let mut ipc = merged.identity_pool_configs.unwrap_or_default();
                if pool.unauthenticated_login.is_some() {
                    ipc.unauthenticated_login = pool.unauthenticated_login;
                }
                merged.identity_pool_configs = Some(ipc);
            }
        }
    }
    let mut pool = merged.user_pool_configs.unwrap_or_default();
    let up = update.user_pool_configs;
    if let Some(fp) = up.forgot_password {
        pool.forgot_password = Some(wire::CreateBackendAuthForgotPasswordConfig {
            delivery_method: fp.delivery_method,
            email_settings: fp.email_settings,
            sms_settings: fp.sms_settings,
        });
    }
    if let Some(mfa) = up.mfa {
        pool.mfa = Some(wire::CreateBackendAuthMFAConfig {
            mfa_mode: mfa.mfa_mode,
            settings: mfa.settings,
        });
    }
    if let Some(o) = up.o_auth {
        let empty = o == UpdateBackendAuthOAuthConfig::default();
        pool.o_auth = (!empty).then_some(wire::CreateBackendAuthOAuthConfig {
            domain_prefix: o.domain_prefix,
            o_auth_grant_type: o.o_auth_grant_type,
            o_auth_scopes: o.o_auth_scopes,
            redirect_sign_in_uris: o.redirect_sign_in_uris,
            redirect_sign_out_uris: o.redirect_sign_out_uris,
            social_provider_settings: o.social_provider_settings,
        });
    }
    if let Some(pp) = up.password_policy {
        pool.password_policy = Some(wire::CreateBackendAuthPasswordPolicyConfig {
            additional_constraints: pp.additional_constraints,
            minimum_length: pp.minimum_length,
        });
    }
    if let Some(vm) = up.verification_message {
        pool.verification_message = Some(wire::CreateBackendAuthVerificationMessageConfig {
            delivery_method: Some(vm.delivery_method),
            email_settings: vm.email_settings,
            sms_settings: vm.sms_settings,
        });
    }
    merged.user_pool_configs = Some(pool);
    merged
}

/// A merged config, if it still satisfies the model (violations reported from the request
/// root) and the rules beyond it.
fn checked_merge(
    merged: wire::CreateBackendAuthResourceConfig,
) -> Result<CreateBackendAuthResourceConfig, ApiError> {
    merged
        .validate_at_root("resourceConfig")
        .map_err(|e| ApiError::bad_request(e.to_string()))?;
    let merged = merged.into();
    check_auth_config(&merged)?;
    Ok(merged)
}

/// UpdateBackendAuth.
pub async fn update_backend_auth(
    cx: Ctx,
    input: UpdateBackendAuthRequest,
) -> Result<UpdateBackendAuthResponse, ApiError> {
    let app_id = input.app_id.as_str();
    let env = input.backend_environment_name.as_str();
    let name = input.resource_name.as_str();
    let resource = require_resource(&cx, app_id, env, KIND, name).await?;
    if resource.imported {
        return Err(ApiError::bad_request(format!(
            "Auth resource {name} is imported: update it where it was created."
        )));
    }
    let current: wire::CreateBackendAuthResourceConfig = from_stored(&resource.config)?;
    let merged = checked_merge(merge_auth_config(current, input.resource_config))?;
    let outputs = meta::updated_auth_outputs(
        cx.state.ids.as_ref(),
        &cx.tenant,
        &resource.outputs,
        &merged,
    );
    let changes = vec![Change::PutResource {
        env: env.to_owned(),
        kind: KIND,
        name: name.to_owned(),
        config: to_stored(&merged)?,
        outputs,
        imported: false,
    }];
    let job = start_job(&cx, app_id, env, Operation::UpdateBackendAuth, changes).await?;
    Ok(job_reply!(UpdateBackendAuthResponse, job))
}

/// ImportBackendAuth: records an existing user pool as the environment's auth.
pub async fn import_backend_auth(
    cx: Ctx,
    input: ImportBackendAuthRequest,
) -> Result<ImportBackendAuthResponse, ApiError> {
    let app_id = input.app_id.as_str();
    let env = input.backend_environment_name.as_str();
    let user_pool_id = input.user_pool_id.as_str();
    let web_client_id = input.web_client_id.as_str();
    let native_client_id = input.native_client_id.as_str();
    for (member, value) in [
        ("userPoolId", user_pool_id),
        ("webClientId", web_client_id),
        ("nativeClientId", native_client_id),
    ] {
        if value.is_empty() || value.len() > 128 {
            return Err(ApiError::bad_request(format!(
                "Invalid value for '{member}': 1 to 128 characters."
            )));
        }
    }
    require_env(&cx, app_id, env).await?;
    require_no_resource(&cx, app_id, env, KIND).await?;
    let auth_resources = if input.identity_pool_id.is_some() {
        AuthResources::IdentityPoolAndUserPool
    } else {
        AuthResources::UserPoolOnly
    };
    let config = json!({
        "authResources": auth_resources.as_str(),
        "service": "COGNITO",
        "userPoolConfigs": {},
    });
    let mut outputs = json!({
        "UserPoolId": user_pool_id,
        "AppClientIDWeb": web_client_id,
        "AppClientID": native_client_id,
    });
    if let Some(pool) = &input.identity_pool_id {
        outputs["IdentityPoolId"] = pool.clone().into();
    }
    let name = format!("{app_id}{env}imported")
        .chars()
        .filter(char::is_ascii_alphanumeric)
        .collect::<String>();
    let changes = vec![Change::PutResource {
        env: env.to_owned(),
        kind: KIND,
        name,
        config,
        outputs,
        imported: true,
    }];
    let job = start_job(&cx, app_id, env, Operation::ImportBackendAuth, changes).await?;
    Ok(job_reply!(ImportBackendAuthResponse, job))
}

/// The environment's auth resource named `name`. An imported pool's resource name is ours,
/// not the caller's, so any name finds an imported one.
async fn find_auth(cx: &Ctx, app_id: &str, env: &str, name: &str) -> Result<Resource, ApiError> {
    match require_resource(cx, app_id, env, KIND, name).await {
        Ok(r) => Ok(r),
        Err(e) => match cx
            .store()
            .get_resource(&cx.tenant, app_id, env, KIND)
            .await?
        {
            Some(r) if r.imported => Ok(r),
            _ => Err(e),
        },
    }
}

/// GetBackendAuth. The config is answered as stored, in wire form: an imported one lacks
/// members the model requires, and they stay absent.
pub async fn get_backend_auth(
    cx: Ctx,
    input: GetBackendAuthRequest,
) -> Result<wire::GetBackendAuthResponse, ApiError> {
    let app_id = input.app_id.as_str();
    let env = input.backend_environment_name.as_str();
    let name = input.resource_name.as_str();
    let resource = find_auth(&cx, app_id, env, name).await?;
    Ok(wire::GetBackendAuthResponse {
        app_id: Some(resource.app_id),
        backend_environment_name: Some(resource.env),
        error: None,
        resource_config: Some(from_stored(&resource.config)?),
        resource_name: Some(resource.name),
    })
}

/// DeleteBackendAuth.
pub async fn delete_backend_auth(
    cx: Ctx,
    input: DeleteBackendAuthRequest,
) -> Result<DeleteBackendAuthResponse, ApiError> {
    let app_id = input.app_id.as_str();
    let env = input.backend_environment_name.as_str();
    let name = input.resource_name.as_str();
    let resource = find_auth(&cx, app_id, env, name).await?;
    let changes = vec![Change::DeleteResource {
        env: env.to_owned(),
        kind: resource.kind,
    }];
    let job = start_job(&cx, app_id, env, Operation::DeleteBackendAuth, changes).await?;
    Ok(job_reply!(DeleteBackendAuthResponse, job))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn config(v: serde_json::Value) -> CreateBackendAuthResourceConfig {
        serde_json::from_value(v).unwrap_or_default()
    }

    fn stored(v: serde_json::Value) -> wire::CreateBackendAuthResourceConfig {
        serde_json::from_value(v).unwrap_or_default()
    }

    fn base() -> serde_json::Value {
        json!({"authResources": "USER_POOL_ONLY", "service": "COGNITO",
               "userPoolConfigs": {"userPoolName": "p", "signInMethod": "EMAIL", "requiredSignUpAttributes": ["EMAIL"]}})
    }

    #[test]
    fn accepts_a_minimal_config() {
        assert_eq!(check_auth_config(&config(base())), Ok(()));
    }

    #[test]
    fn enforces_each_rule() {
        let mut c = base();
        c["userPoolConfigs"]["passwordPolicy"] = json!({"minimumLength": 5});
        assert!(check_auth_config(&config(c.clone())).is_err());
        c["userPoolConfigs"]["passwordPolicy"] = json!({"minimumLength": 100});
        assert!(check_auth_config(&config(c.clone())).is_err());
        c["userPoolConfigs"]["passwordPolicy"] = json!({"minimumLength": 8});
        assert!(check_auth_config(&config(c.clone())).is_ok());

        let mut m = base();
        m["userPoolConfigs"]["mfa"] = json!({"MFAMode": "ON"});
        assert!(check_auth_config(&config(m.clone())).is_err());
        m["userPoolConfigs"]["mfa"] =
            json!({"MFAMode": "OPTIONAL", "settings": {"mfaTypes": ["TOTP"]}});
        assert!(check_auth_config(&config(m)).is_ok());

        let mut i = base();
        i["authResources"] = json!("IDENTITY_POOL_AND_USER_POOL");
        assert!(check_auth_config(&config(i)).is_err());

        let mut o = base();
        o["userPoolConfigs"]["oAuth"] = json!({"oAuthGrantType": "CODE", "oAuthScopes": ["EMAIL"], "redirectSignInURIs": ["https://a/"]});
        assert!(check_auth_config(&config(o.clone())).is_err());
        o["userPoolConfigs"]["oAuth"]["redirectSignOutURIs"] = json!(["https://a/"]);
        assert!(check_auth_config(&config(o.clone())).is_ok());
        for bad in [
            "my-aws-app",
            "Upper",
            "-lead",
            "trail-",
            "amazonx",
            "has_underscore",
        ] {
            o["userPoolConfigs"]["oAuth"]["domainPrefix"] = json!(bad);
            assert!(check_auth_config(&config(o.clone())).is_err(), "{bad}");
        }
        o["userPoolConfigs"]["oAuth"]["domainPrefix"] = json!("my-app-1");
        assert!(check_auth_config(&config(o)).is_ok());
    }

    #[test]
    fn merges_updates_member_by_member() {
        let mut c = base();
        c["userPoolConfigs"]["passwordPolicy"] = json!({"minimumLength": 8});
        c["userPoolConfigs"]["oAuth"] = json!({"oAuthGrantType": "CODE", "oAuthScopes": ["EMAIL"],
            "redirectSignInURIs": ["https://a/"], "redirectSignOutURIs": ["https://a/"]});
        let update: UpdateBackendAuthResourceConfig = serde_json::from_value(json!({
            "authResources": "USER_POOL_ONLY", "service": "COGNITO",
            "userPoolConfigs": {"mfa": {"MFAMode": "OFF"}}
        }))
        .unwrap_or_default();
        let merged = merge_auth_config(stored(c.clone()), update);
        let pool = merged.user_pool_configs.unwrap_or_default();
        assert_eq!(
            pool.password_policy.and_then(|p| p.minimum_length),
            Some(8.0)
        );
        assert!(pool.o_auth.is_some());
        assert_eq!(pool.mfa.and_then(|m| m.mfa_mode), Some(MFAMode::Off));
        assert_eq!(pool.user_pool_name.as_deref(), Some("p"));

        let remove_oauth: UpdateBackendAuthResourceConfig = serde_json::from_value(json!({
            "authResources": "USER_POOL_ONLY", "service": "COGNITO", "userPoolConfigs": {"oAuth": {}}
        })).unwrap_or_default();
        let merged = merge_auth_config(stored(c), remove_oauth);
        assert!(merged.user_pool_configs.and_then(|p| p.o_auth).is_none());
    }

    #[test]
    fn a_merge_lacking_a_required_member_is_refused_with_its_path() {
        let update: UpdateBackendAuthResourceConfig = serde_json::from_value(json!({
            "authResources": "USER_POOL_ONLY", "service": "COGNITO",
            "userPoolConfigs": {"forgotPassword": {}}
        }))
        .unwrap_or_default();
        let err = checked_merge(merge_auth_config(stored(base()), update)).err();
        assert_eq!(
            err.map(|e| e.message),
            Some(
                "Missing required member \
                 'resourceConfig.userPoolConfigs.forgotPassword.deliveryMethod'"
                    .to_owned()
            )
        );
        let fine: UpdateBackendAuthResourceConfig = serde_json::from_value(json!({
            "authResources": "USER_POOL_ONLY", "service": "COGNITO",
            "userPoolConfigs": {"forgotPassword": {"deliveryMethod": "EMAIL"}}
        }))
        .unwrap_or_default();
        let merged = checked_merge(merge_auth_config(stored(base()), fine)).ok();
        assert_eq!(
            merged.map(|c| c.user_pool_configs.user_pool_name),
            Some("p".to_owned())
        );
    }
}
