//! `amplifyMetaConfig` and `amplifyFeatureFlags` of GetBackend, and the identifiers behind
//! them, generated once and stored (docs/BEHAVIOUR.md, "amplify-meta").

use crate::ids::IdGenerator;
use amplifybackend_model::{BackendAPIResourceConfig, CreateBackendAuthResourceConfig, Mode};
use amplifybackend_store::{Environment, JsonText, Resource, ResourceKind, Tenant};
use serde::ser::{Serialize, SerializeMap, Serializer};
use serde_json::{Map, Value, json};

/// The deployment identifiers of a new environment (`providers.awscloudformation`).
pub fn environment_meta(ids: &dyn IdGenerator, tenant: &Tenant, app_id: &str, env: &str) -> Value {
    let stem = format!(
        "amplify-{}-{}-{}",
        app_id.to_lowercase(),
        env,
        ids.digits(6)
    );
    let stack_id = format!(
        "arn:aws:cloudformation:{}:{}:stack/{stem}/{}",
        tenant.region,
        tenant.account,
        ids.uuid()
    );
    let role = |suffix: &str| format!("{stem}-{suffix}");
    json!({
        "AuthRoleName": role("authRole"),
        "UnauthRoleArn": format!("arn:aws:iam::{}:role/{}", tenant.account, role("unauthRole")),
        "AuthRoleArn": format!("arn:aws:iam::{}:role/{}", tenant.account, role("authRole")),
        "Region": tenant.region,
        "DeploymentBucketName": role("deployment"),
        "UnauthRoleName": role("unauthRole"),
        "StackName": stem,
        "StackId": stack_id,
        "AmplifyAppId": app_id,
    })
}

/// The `output` block of a created auth resource.
pub fn auth_outputs(
    ids: &dyn IdGenerator,
    tenant: &Tenant,
    config: &CreateBackendAuthResourceConfig,
) -> Value {
    let mut out = Map::new();
    out.insert(
        "UserPoolId".into(),
        format!("{}_{}", tenant.region, ids.alphanumeric(9)).into(),
    );
    out.insert(
        "AppClientIDWeb".into(),
        ids.alphanumeric(26).to_lowercase().into(),
    );
    out.insert(
        "AppClientID".into(),
        ids.alphanumeric(26).to_lowercase().into(),
    );
    out.insert(
        "UserPoolName".into(),
        config.user_pool_configs.user_pool_name.clone().into(),
    );
    if let Some(pool) = &config.identity_pool_configs {
        out.insert(
            "IdentityPoolId".into(),
            format!("{}:{}", tenant.region, ids.uuid()).into(),
        );
        out.insert(
            "IdentityPoolName".into(),
            pool.identity_pool_name.clone().into(),
        );
    }
    Value::Object(out)
}

/// Keeps the identifiers of `previous` and adds or drops the identity pool's as `config` asks.
pub fn updated_auth_outputs(
    ids: &dyn IdGenerator,
    tenant: &Tenant,
    previous: &Value,
    config: &CreateBackendAuthResourceConfig,
) -> Value {
    let mut out = previous.as_object().cloned().unwrap_or_default();
    match &config.identity_pool_configs {
        Some(pool) => {
            if !out.contains_key("IdentityPoolId") {
                out.insert(
                    "IdentityPoolId".into(),
                    format!("{}:{}", tenant.region, ids.uuid()).into(),
                );
            }
            out.insert(
                "IdentityPoolName".into(),
                pool.identity_pool_name.clone().into(),
            );
        }
        None => {
            out.remove("IdentityPoolId");
            out.remove("IdentityPoolName");
        }
    }
    Value::Object(out)
}

fn mode_has_api_key(config: &BackendAPIResourceConfig) -> bool {
    let default = config.default_auth_type.iter();
    let additional = config.additional_auth_types.iter().flatten();
    default
        .chain(additional)
        .any(|a| a.mode == Some(Mode::ApiKey))
}

/// The `output` block of a GraphQL API (keeping the identifiers of `previous`).
pub fn api_outputs(
    ids: &dyn IdGenerator,
    tenant: &Tenant,
    previous: Option<&Value>,
    config: &BackendAPIResourceConfig,
) -> Value {
    let mut out = previous
        .and_then(Value::as_object)
        .cloned()
        .unwrap_or_default();
    if !out.contains_key("GraphQLAPIIdOutput") {
        let id = ids.alphanumeric(26).to_lowercase();
        out.insert(
            "GraphQLAPIEndpointOutput".into(),
            format!(
                "https://{id}.appsync-api.{}.amazonaws.com/graphql",
                tenant.region
            )
            .into(),
        );
        out.insert("GraphQLAPIIdOutput".into(), id.into());
    }
    if mode_has_api_key(config) {
        if !out.contains_key("GraphQLAPIKeyOutput") {
            out.insert(
                "GraphQLAPIKeyOutput".into(),
                format!("da2-{}", ids.alphanumeric(26).to_lowercase()).into(),
            );
        }
    } else {
        out.remove("GraphQLAPIKeyOutput");
    }
    Value::Object(out)
}

fn auth_provider(auth: &amplifybackend_model::BackendAPIAuthType) -> Value {
    let mode = auth.mode.as_ref().map_or("API_KEY", |m| m.as_str());
    let mut provider = Map::new();
    provider.insert("authenticationType".into(), mode.into());
    let settings = auth.settings.clone().unwrap_or_default();
    match auth.mode {
        Some(Mode::ApiKey) | None => {
            let days = settings.expiration_time.unwrap_or(7.0);
            provider.insert(
                "apiKeyConfig".into(),
                json!({"apiKeyExpirationDays": days, "description": settings.description}),
            );
        }
        Some(Mode::AmazonCognitoUserPools) => {
            provider.insert(
                "userPoolConfig".into(),
                json!({"userPoolId": settings.cognito_user_pool_id}),
            );
        }
        Some(Mode::OpenidConnect) => {
            provider.insert(
                "openIDConnectConfig".into(),
                json!({
                    "name": settings.open_id_provider_name,
                    "issuerUrl": settings.open_id_issue_url,
                    "clientId": settings.open_id_client_id,
                    "iatTTL": settings.open_id_iat_ttl,
                    "authTTL": settings.open_id_auth_ttl,
                }),
            );
        }
        _ => {}
    }
    Value::Object(provider)
}

fn api_auth_config(config: &Value) -> Value {
    let config: BackendAPIResourceConfig =
        serde_json::from_value(config.clone()).unwrap_or_default();
    let default = config.default_auth_type.as_ref().map(auth_provider);
    let additional: Vec<Value> = config
        .additional_auth_types
        .iter()
        .flatten()
        .map(auth_provider)
        .collect();
    json!({
        "defaultAuthentication": default.unwrap_or_else(|| json!({"authenticationType": "API_KEY"})),
        "additionalAuthenticationProviders": additional,
    })
}

fn resource_entry(resource: &Resource) -> Value {
    let service = match resource.kind {
        ResourceKind::Auth => "Cognito",
        ResourceKind::Api => "AppSync",
        ResourceKind::Storage => "S3",
    };
    let mut output = resource.outputs.as_object().cloned().unwrap_or_default();
    let mut entry = Map::new();
    entry.insert("service".into(), service.into());
    entry.insert("providerPlugin".into(), "awscloudformation".into());
    if resource.imported {
        entry.insert("serviceType".into(), "imported".into());
    }
    match resource.kind {
        ResourceKind::Auth => {
            entry.insert("dependsOn".into(), json!([]));
            entry.insert("customAuth".into(), false.into());
        }
        ResourceKind::Api => {
            output.insert("authConfig".into(), api_auth_config(&resource.config));
        }
        ResourceKind::Storage => {
            entry.insert("dependsOn".into(), json!([]));
        }
    }
    entry.insert("output".into(), Value::Object(output));
    Value::Object(entry)
}

/// The environment's amplify-meta.json document, as text: `providers` first, then a
/// category per kind of resource present (auth, api, storage), as the Amplify CLI writes it.
pub fn render_amplify_meta(env: &Environment, resources: &[Resource]) -> String {
    struct AmplifyMeta<'a> {
        providers: &'a JsonText,
        categories: Vec<(&'static str, Map<String, Value>)>,
    }
    impl Serialize for AmplifyMeta<'_> {
        fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
            let mut map = serializer.serialize_map(Some(1 + self.categories.len()))?;
            let providers = Providers {
                awscloudformation: self.providers,
            };
            map.serialize_entry("providers", &providers)?;
            for (kind, category) in &self.categories {
                map.serialize_entry(kind, category)?;
            }
            map.end()
        }
    }
    #[derive(serde::Serialize)]
    struct Providers<'a> {
        awscloudformation: &'a JsonText,
    }
    let categories = ResourceKind::ALL
        .into_iter()
        .filter_map(|kind| {
            let category: Map<String, Value> = resources
                .iter()
                .filter(|r| r.kind == kind)
                .map(|r| (r.name.clone(), resource_entry(r)))
                .collect();
            (!category.is_empty()).then_some((kind.as_str(), category))
        })
        .collect();
    let meta = AmplifyMeta {
        providers: &env.meta,
        categories,
    };
    // Text and maps with string keys always serialize.
    serde_json::to_string(&meta).unwrap_or_default()
}

/// The `cli.json` feature flags of a new Amplify project (lowercased keys, as the CLI writes).
pub const FEATURE_FLAGS: &str = r#"{"features":{"graphqltransformer":{"addmissingownerfields":true,"improvepluralization":false,"validatetypenamereservedwords":true,"useexperimentalpipelinedtransformer":true,"enableiterativegsiupdates":true,"secondarykeyasgsi":true,"skipoverridemutationinputtypes":true,"transformerversion":2,"suppressschemamigrationprompt":true,"securityenhancementnotification":false,"showfieldauthnotification":false,"usesubusernamefordefaultidentityclaim":true,"usefieldnameforprimarykeyconnectionfield":false,"enableautoindexquerynames":true,"respectprimarykeyattributesonconnectionfield":true,"shoulddeepmergedirectiveconfigdefaults":false,"populateownerfieldforstaticgroupauth":true},"frontend-ios":{"enablexcodeintegration":true},"auth":{"enablecaseinsensitivity":true,"useinclusiveterminology":true,"breakcirculardependency":true,"forcealiasattributes":false,"useenabledmfas":true},"codegen":{"useappsyncmodelgenplugin":true,"usedocsgeneratorplugin":true,"usetypesgeneratorplugin":true,"cleangeneratedmodelsdirectory":true,"retaincasestyle":true,"addtimestampfields":true,"handlelistnullabilitytransparently":true,"emitauthprovider":true,"generateindexrules":true,"enabledartnullsafety":true,"generatemodelsforlazyloadandcustomselectionset":true},"appsync":{"generategraphqlpermissions":true},"latestregionsupport":{"pinpoint":1,"translate":1,"transcribe":1,"rekognition":1,"textract":1,"comprehend":1},"project":{"overrides":true}}}"#;

/// [`FEATURE_FLAGS`] as a JSON string literal, escaped once per process: it is half of a
/// GetBackend answer, and escaping it on every read was a twentieth of the read's time.
pub fn feature_flags_literal() -> &'static serde_json::value::RawValue {
    static LITERAL: std::sync::OnceLock<Box<serde_json::value::RawValue>> =
        std::sync::OnceLock::new();
    LITERAL.get_or_init(|| {
        // A `&str` always serializes; the fallback is the empty string's literal.
        serde_json::value::to_raw_value(FEATURE_FLAGS).unwrap_or_else(|_| {
            serde_json::value::RawValue::from_string("\"\"".to_owned()).unwrap_or_default()
        })
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ids::RandomIds;

    fn tenant() -> Tenant {
        Tenant {
            account: "123456789012".into(),
            region: "eu-west-1".into(),
        }
    }

    #[test]
    fn environment_meta_has_the_cloudformation_provider_keys() {
        let meta = environment_meta(&RandomIds, &tenant(), "App1", "dev");
        for key in [
            "AuthRoleName",
            "AuthRoleArn",
            "UnauthRoleName",
            "UnauthRoleArn",
            "Region",
            "DeploymentBucketName",
            "StackName",
            "StackId",
            "AmplifyAppId",
        ] {
            assert!(meta.get(key).is_some_and(Value::is_string), "{key}");
        }
        assert_eq!(meta["Region"], "eu-west-1");
        let bucket = meta["DeploymentBucketName"].as_str().unwrap_or_default();
        assert_eq!(bucket, bucket.to_lowercase());
        assert!(
            meta["AuthRoleArn"]
                .as_str()
                .unwrap_or_default()
                .starts_with("arn:aws:iam::123456789012:role/amplify-app1-dev-")
        );
    }

    #[test]
    fn auth_outputs_follow_cognito_formats() {
        let config: CreateBackendAuthResourceConfig = serde_json::from_value(json!({
            "authResources": "IDENTITY_POOL_AND_USER_POOL", "service": "COGNITO",
            "identityPoolConfigs": {"identityPoolName": "ip", "unauthenticatedLogin": true},
            "userPoolConfigs": {"userPoolName": "up", "signInMethod": "EMAIL", "requiredSignUpAttributes": ["EMAIL"]}
        })).unwrap_or_default();
        let out = auth_outputs(&RandomIds, &tenant(), &config);
        let pool = out["UserPoolId"].as_str().unwrap_or_default();
        assert!(
            pool.starts_with("eu-west-1_") && pool.len() == "eu-west-1_".len() + 9,
            "{pool}"
        );
        assert!(
            out["IdentityPoolId"]
                .as_str()
                .unwrap_or_default()
                .starts_with("eu-west-1:")
        );
        assert_eq!(out["UserPoolName"], "up");
    }

    #[test]
    #[allow(clippy::unwrap_used)]
    fn renders_one_entry_per_resource() {
        let env = Environment {
            app_id: "a".into(),
            name: "dev".into(),
            created_at_ms: 0,
            meta: JsonText::parse(r#"{"Region":"eu-west-1"}"#.to_owned()).unwrap(),
        };
        let api = Resource {
            app_id: "a".into(),
            env: "dev".into(),
            kind: ResourceKind::Api,
            name: "api1".into(),
            config: json!({"defaultAuthType": {"mode": "API_KEY"}}),
            outputs: json!({"GraphQLAPIIdOutput": "x"}),
            imported: false,
            updated_at_ms: 0,
        };
        let text = render_amplify_meta(&env, &[api]);
        // The stored identifiers as they are, first; then the categories.
        assert!(
            text.starts_with(
                r#"{"providers":{"awscloudformation":{"Region":"eu-west-1"}},"api":{"api1":{"#
            ),
            "{text}"
        );
        let meta: Value = serde_json::from_str(&text).unwrap_or_default();
        assert_eq!(
            meta["providers"]["awscloudformation"]["Region"],
            "eu-west-1"
        );
        assert_eq!(meta["api"]["api1"]["service"], "AppSync");
        assert_eq!(
            meta["api"]["api1"]["output"]["authConfig"]["defaultAuthentication"]["authenticationType"],
            "API_KEY"
        );
        assert!(meta.get("auth").is_none());
        let flags: Value = serde_json::from_str(FEATURE_FLAGS).unwrap_or_default();
        assert!(flags["features"].is_object());
    }
}
