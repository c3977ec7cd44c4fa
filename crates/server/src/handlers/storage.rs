//! S3 storage: Create/Update/Import/Get/DeleteBackendStorage and ListS3Buckets.

use super::{
    from_stored, require_env, require_no_resource, require_resource, to_stored,
    validate_resource_name,
};
use crate::error::ApiError;
use crate::ids::IdGenerator;
use crate::jobs::start_job;
use crate::state::Ctx;
use amplifybackend_model::*;
use amplifybackend_store::{Change, Job, ResourceKind};
use serde_json::json;

const KIND: ResourceKind = ResourceKind::Storage;

macro_rules! storage_reply {
    ($output:ident, $job:expr) => {{
        let job: Job = $job;
        $output {
            app_id: Some(job.app_id),
            backend_environment_name: Some(job.env),
            job_id: Some(job.job_id),
            status: Some(job.status.as_str().to_owned()),
        }
    }};
}

/// Whether `name` follows S3's bucket naming rules.
pub fn is_valid_bucket_name(name: &str) -> bool {
    let bytes = name.as_bytes();
    (3..=63).contains(&bytes.len())
        && bytes
            .iter()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || *b == b'.' || *b == b'-')
        && bytes.first().is_some_and(u8::is_ascii_alphanumeric)
        && bytes.last().is_some_and(u8::is_ascii_alphanumeric)
        && !name.contains("..")
        && name.parse::<std::net::Ipv4Addr>().is_err()
        && !name.starts_with("xn--")
        && !name.ends_with("-s3alias")
}

/// `<base><6 digits>-<env>`, lowercased and cut to S3's 63 characters.
pub fn physical_bucket_name(
    ids: &dyn IdGenerator,
    base: &str,
    env: &str,
) -> Result<String, ApiError> {
    let suffix = format!("{}-{env}", ids.digits(6));
    let cleaned: String = base
        .to_lowercase()
        .chars()
        .filter(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || *c == '-')
        .collect();
    let cleaned = cleaned.trim_matches('-');
    let room = 63usize.saturating_sub(suffix.len());
    let stem: String = cleaned.chars().take(room).collect();
    let name = format!("{stem}{suffix}");
    if stem.is_empty() || !is_valid_bucket_name(&name) {
        return Err(ApiError::bad_request(format!(
            "Cannot derive an S3 bucket name from '{base}': use lowercase letters, digits and hyphens."
        )));
    }
    Ok(name)
}

/// The `output` block of a storage resource.
pub fn storage_outputs(cx: &Ctx, bucket: &str) -> serde_json::Value {
    json!({"BucketName": bucket, "Region": cx.tenant.region})
}

/// Guest permissions need an auth resource whose identity pool lets guests in.
async fn check_permissions(
    cx: &Ctx,
    app_id: &str,
    env: &str,
    permissions: &BackendStoragePermissions,
) -> Result<(), ApiError> {
    if permissions.authenticated.is_empty() {
        return Err(ApiError::bad_request(
            "'resourceConfig.permissions.authenticated' must grant at least one permission.",
        ));
    }
    if permissions
        .un_authenticated
        .as_ref()
        .is_some_and(|p| !p.is_empty())
    {
        let auth = cx
            .store()
            .get_resource(&cx.tenant, app_id, env, ResourceKind::Auth)
            .await?;
        let guests_allowed = auth.is_some_and(|a| {
            a.config["identityPoolConfigs"]["unauthenticatedLogin"].as_bool() == Some(true)
                || (a.imported && a.outputs.get("IdentityPoolId").is_some())
        });
        if !guests_allowed {
            return Err(ApiError::bad_request(
                "'resourceConfig.permissions.unAuthenticated' needs an auth resource whose identity pool allows unauthenticated logins.",
            ));
        }
    }
    Ok(())
}

/// CreateBackendStorage: a new bucket, recorded as the account's.
pub async fn create_backend_storage(
    cx: Ctx,
    input: CreateBackendStorageRequest,
) -> Result<CreateBackendStorageResponse, ApiError> {
    let app_id = input.app_id.as_str();
    let env = input.backend_environment_name.as_str();
    let name = input.resource_name.as_str();
    validate_resource_name(name)?;
    let config = input.resource_config;
    require_env(&cx, app_id, env).await?;
    require_no_resource(&cx, app_id, env, KIND).await?;
    check_permissions(&cx, app_id, env, &config.permissions).await?;
    let base = config
        .bucket_name
        .clone()
        .unwrap_or_else(|| name.to_owned());
    let bucket = physical_bucket_name(cx.state.ids.as_ref(), &base, env)?;
    let changes = vec![
        Change::AddBucket {
            name: bucket.clone(),
        },
        Change::PutResource {
            env: env.to_owned(),
            kind: KIND,
            name: name.to_owned(),
            config: to_stored(&config)?,
            outputs: storage_outputs(&cx, &bucket),
            imported: false,
        },
    ];
    let job = start_job(&cx, app_id, env, Operation::CreateBackendStorage, changes).await?;
    Ok(storage_reply!(CreateBackendStorageResponse, job))
}

/// UpdateBackendStorage: new permissions.
pub async fn update_backend_storage(
    cx: Ctx,
    input: UpdateBackendStorageRequest,
) -> Result<UpdateBackendStorageResponse, ApiError> {
    let app_id = input.app_id.as_str();
    let env = input.backend_environment_name.as_str();
    let name = input.resource_name.as_str();
    let resource = require_resource(&cx, app_id, env, KIND, name).await?;
    let permissions = input.resource_config.permissions;
    check_permissions(&cx, app_id, env, &permissions).await?;
    let mut config = resource.config.clone();
    config["permissions"] = to_stored(&permissions)?;
    let changes = vec![Change::PutResource {
        env: env.to_owned(),
        kind: KIND,
        name: name.to_owned(),
        config,
        outputs: resource.outputs,
        imported: resource.imported,
    }];
    let job = start_job(&cx, app_id, env, Operation::UpdateBackendStorage, changes).await?;
    Ok(storage_reply!(UpdateBackendStorageResponse, job))
}

/// ImportBackendStorage: records an existing bucket as the environment's storage.
pub async fn import_backend_storage(
    cx: Ctx,
    input: ImportBackendStorageRequest,
) -> Result<ImportBackendStorageResponse, ApiError> {
    let app_id = input.app_id.as_str();
    let env = input.backend_environment_name.as_str();
    // The model leaves `bucketName` optional; an import cannot do without it.
    let bucket = input
        .bucket_name
        .as_deref()
        .ok_or_else(|| ApiError::bad_request(Violation::missing("bucketName").to_string()))?;
    if !is_valid_bucket_name(bucket) {
        return Err(ApiError::bad_request(format!(
            "Invalid value '{bucket}' for 'bucketName': it does not follow S3's bucket naming rules."
        )));
    }
    require_env(&cx, app_id, env).await?;
    require_no_resource(&cx, app_id, env, KIND).await?;
    let config = json!({"bucketName": bucket, "serviceName": "S3"});
    let changes = vec![
        Change::AddBucket {
            name: bucket.to_owned(),
        },
        Change::PutResource {
            env: env.to_owned(),
            kind: KIND,
            name: bucket.to_owned(),
            config,
            outputs: storage_outputs(&cx, bucket),
            imported: true,
        },
    ];
    let job = start_job(&cx, app_id, env, Operation::ImportBackendStorage, changes).await?;
    Ok(storage_reply!(ImportBackendStorageResponse, job))
}

/// GetBackendStorage: the physical bucket name and permissions, in wire form: an imported
/// bucket has no permissions, and those of a created one are answered as stored.
pub async fn get_backend_storage(
    cx: Ctx,
    input: GetBackendStorageRequest,
) -> Result<wire::GetBackendStorageResponse, ApiError> {
    let app_id = input.app_id.as_str();
    let env = input.backend_environment_name.as_str();
    let name = input.resource_name.as_str();
    let resource = require_resource(&cx, app_id, env, KIND, name).await?;
    let stored: wire::CreateBackendStorageResourceConfig = from_stored(&resource.config)?;
    Ok(wire::GetBackendStorageResponse {
        app_id: Some(resource.app_id),
        backend_environment_name: Some(resource.env),
        resource_config: Some(wire::GetBackendStorageResourceConfig {
            bucket_name: resource.outputs["BucketName"].as_str().map(str::to_owned),
            imported: Some(resource.imported),
            permissions: stored.permissions,
            service_name: Some(ServiceName::S3),
        }),
        resource_name: Some(resource.name),
    })
}

/// DeleteBackendStorage: the bucket itself is kept (Amplify's retain policy).
pub async fn delete_backend_storage(
    cx: Ctx,
    input: DeleteBackendStorageRequest,
) -> Result<DeleteBackendStorageResponse, ApiError> {
    let app_id = input.app_id.as_str();
    let env = input.backend_environment_name.as_str();
    let name = input.resource_name.as_str();
    require_resource(&cx, app_id, env, KIND, name).await?;
    let changes = vec![Change::DeleteResource {
        env: env.to_owned(),
        kind: KIND,
    }];
    let job = start_job(&cx, app_id, env, Operation::DeleteBackendStorage, changes).await?;
    Ok(storage_reply!(DeleteBackendStorageResponse, job))
}

/// ListS3Buckets: the account's known buckets, in one page.
pub async fn list_s3_buckets(
    cx: Ctx,
    _input: ListS3BucketsRequest,
) -> Result<ListS3BucketsResponse, ApiError> {
    let buckets = cx.store().list_buckets(&cx.tenant).await?;
    Ok(ListS3BucketsResponse {
        buckets: Some(
            buckets
                .into_iter()
                .map(|b| S3BucketInfo {
                    creation_date: Some(crate::time::iso8601(b.created_at_ms)),
                    name: Some(b.name),
                })
                .collect(),
        ),
        next_token: None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ids::RandomIds;

    #[test]
    fn follows_s3_naming_rules() {
        for good in ["abc", "my.bucket-1", "a1b"] {
            assert!(is_valid_bucket_name(good), "{good}");
        }
        for bad in [
            "ab",
            "Abc",
            "-abc",
            "abc-",
            "a..b",
            "192.168.1.1",
            "a_b",
            &"a".repeat(64),
        ] {
            assert!(!is_valid_bucket_name(bad), "{bad}");
        }
    }

    #[test]
    fn derives_physical_names() {
        let name = physical_bucket_name(&RandomIds, "My_Photos", "dev").unwrap_or_default();
        assert!(
            name.starts_with("myphotos") && name.ends_with("-dev"),
            "{name}"
        );
        assert_eq!(name.len(), "myphotos".len() + 6 + 4);
        let long = physical_bucket_name(&RandomIds, &"x".repeat(80), "prod").unwrap_or_default();
        assert_eq!(long.len(), 63);
        assert!(physical_bucket_name(&RandomIds, "___", "dev").is_err());
    }
}
