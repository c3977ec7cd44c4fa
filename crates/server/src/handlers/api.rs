//! AppSync GraphQL APIs: Create/Update/Get/DeleteBackendAPI.

use super::{
    from_stored, job_reply, require_env, require_no_resource, require_resource, to_stored,
    validate_resource_name,
};
use crate::error::ApiError;
use crate::jobs::start_job;
use crate::meta;
use crate::state::Ctx;
use amplifybackend_model::*;
use amplifybackend_store::{ApiModels, Change, ResourceKind};
use sha2::{Digest, Sha256};

const KIND: ResourceKind = ResourceKind::Api;

/// 1-based line and column of a byte offset.
fn line_column(text: &str, offset: usize) -> (usize, usize) {
    let before = text.get(..offset.min(text.len())).unwrap_or(text);
    let line = before.matches('\n').count() + 1;
    let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    (line, column)
}

/// A transform schema must parse as GraphQL; the 400 names the first error's position.
pub fn check_transform_schema(schema: &str) -> Result<(), ApiError> {
    let cst = apollo_parser::Parser::new(schema)
        .recursion_limit(256)
        .token_limit(2_000_000)
        .parse();
    match cst.errors().next() {
        None => Ok(()),
        Some(e) => {
            let (line, column) = line_column(schema, e.index());
            Err(ApiError::bad_request(format!(
                "Invalid transformSchema: syntax error at line {line}, column {column}: {}",
                e.message()
            )))
        }
    }
}

fn check_api_config(config: &BackendAPIResourceConfig) -> Result<(), ApiError> {
    if let Some(schema) = &config.transform_schema {
        check_transform_schema(schema)?;
    }
    Ok(())
}

/// CreateBackendAPI.
pub async fn create_backend_api(
    cx: Ctx,
    input: CreateBackendAPIRequest,
) -> Result<CreateBackendAPIResponse, ApiError> {
    let app_id = input.app_id.as_str();
    let env = input.backend_environment_name.as_str();
    let name = input.resource_name.as_str();
    validate_resource_name(name)?;
    let mut config = input.resource_config;
    check_api_config(&config)?;
    if config.api_name.is_none() {
        config.api_name = Some(name.to_owned());
    }
    require_env(&cx, app_id, env).await?;
    require_no_resource(&cx, app_id, env, KIND).await?;
    let outputs = meta::api_outputs(cx.state.ids.as_ref(), &cx.tenant, None, &config);
    let changes = vec![Change::PutResource {
        env: env.to_owned(),
        kind: KIND,
        name: name.to_owned(),
        config: to_stored(&config)?,
        outputs,
        imported: false,
    }];
    let job = start_job(&cx, app_id, env, Operation::CreateBackendAPI, changes).await?;
    Ok(job_reply!(CreateBackendAPIResponse, job))
}

/// Replaces the members of `current` that `update` sends.
pub fn merge_api_config(
    current: BackendAPIResourceConfig,
    update: BackendAPIResourceConfig,
) -> BackendAPIResourceConfig {
    BackendAPIResourceConfig {
        additional_auth_types: update
            .additional_auth_types
            .or(current.additional_auth_types),
        api_name: update.api_name.or(current.api_name),
        conflict_resolution: update.conflict_resolution.or(current.conflict_resolution),
        default_auth_type: update.default_auth_type.or(current.default_auth_type),
        service: update.service.or(current.service),
        transform_schema: update.transform_schema.or(current.transform_schema),
    }
}

/// UpdateBackendAPI: members not sent keep their value.
pub async fn update_backend_api(
    cx: Ctx,
    input: UpdateBackendAPIRequest,
) -> Result<UpdateBackendAPIResponse, ApiError> {
    let app_id = input.app_id.as_str();
    let env = input.backend_environment_name.as_str();
    let name = input.resource_name.as_str();
    let update = input.resource_config.unwrap_or_default();
    check_api_config(&update)?;
    let resource = require_resource(&cx, app_id, env, KIND, name).await?;
    let merged = merge_api_config(from_stored(&resource.config)?, update);
    let outputs = meta::api_outputs(
        cx.state.ids.as_ref(),
        &cx.tenant,
        Some(&resource.outputs),
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
    let job = start_job(&cx, app_id, env, Operation::UpdateBackendAPI, changes).await?;
    Ok(job_reply!(UpdateBackendAPIResponse, job))
}

/// GetBackendAPI.
pub async fn get_backend_api(
    cx: Ctx,
    input: GetBackendAPIRequest,
) -> Result<GetBackendAPIResponse, ApiError> {
    let app_id = input.app_id.as_str();
    let env = input.backend_environment_name.as_str();
    let name = input.resource_name.as_str();
    let resource = require_resource(&cx, app_id, env, KIND, name).await?;
    Ok(GetBackendAPIResponse {
        app_id: Some(resource.app_id),
        backend_environment_name: Some(resource.env),
        error: None,
        resource_config: Some(from_stored(&resource.config)?),
        resource_name: Some(resource.name),
    })
}

/// DeleteBackendAPI.
pub async fn delete_backend_api(
    cx: Ctx,
    input: DeleteBackendAPIRequest,
) -> Result<DeleteBackendAPIResponse, ApiError> {
    let app_id = input.app_id.as_str();
    let env = input.backend_environment_name.as_str();
    let name = input.resource_name.as_str();
    require_resource(&cx, app_id, env, KIND, name).await?;
    let changes = vec![Change::DeleteResource {
        env: env.to_owned(),
        kind: KIND,
    }];
    let job = start_job(&cx, app_id, env, Operation::DeleteBackendAPI, changes).await?;
    Ok(job_reply!(DeleteBackendAPIResponse, job))
}

fn schema_sha256(schema: &str) -> String {
    crate::sigv4::hex(&Sha256::digest(schema.as_bytes()))
}

/// GenerateBackendAPIModels: a job that compiles the API's current schema into the
/// DataStore models and the Model Introspection Schema. A schema the generator rejects
/// fails the job, with the line and column in its `error`.
pub async fn generate_backend_api_models(
    cx: Ctx,
    input: GenerateBackendAPIModelsRequest,
) -> Result<GenerateBackendAPIModelsResponse, ApiError> {
    let app_id = input.app_id.as_str();
    let env = input.backend_environment_name.as_str();
    let name = input.resource_name.as_str();
    let resource = require_resource(&cx, app_id, env, KIND, name).await?;
    let config: BackendAPIResourceConfig = from_stored(&resource.config)?;
    let schema = config.transform_schema.unwrap_or_default();
    let sha = schema_sha256(&schema);
    // Compiling is CPU work proportional to the schema: keep it off the async workers.
    let compiled = tokio::task::spawn_blocking(move || modelgen::generate(&schema))
        .await
        .map_err(ApiError::internal)?;
    let change = match compiled {
        Ok(generated) => Change::PutApiModels {
            env: env.to_owned(),
            models: ApiModels {
                resource_name: name.to_owned(),
                models: generated.models_js,
                model_introspection: generated.model_introspection,
                schema_sha256: sha,
            },
        },
        Err(e) => Change::Fail {
            error: format!(
                "The transformSchema of {name} could not be compiled: {} (line {}, column {}).",
                e.message, e.line, e.column
            ),
        },
    };
    let job = start_job(
        &cx,
        app_id,
        env,
        Operation::GenerateBackendAPIModels,
        vec![change],
    )
    .await?;
    Ok(job_reply!(GenerateBackendAPIModelsResponse, job))
}

/// GetBackendAPIModels: the generated documents, `LATEST` when they come from the current
/// schema, `STALE` when the schema changed since or nothing was generated yet.
pub async fn get_backend_api_models(
    cx: Ctx,
    input: GetBackendAPIModelsRequest,
) -> Result<GetBackendAPIModelsResponse, ApiError> {
    let app_id = input.app_id.as_str();
    let env = input.backend_environment_name.as_str();
    let name = input.resource_name.as_str();
    let resource = require_resource(&cx, app_id, env, KIND, name).await?;
    let config: BackendAPIResourceConfig = from_stored(&resource.config)?;
    let current = schema_sha256(config.transform_schema.as_deref().unwrap_or_default());
    let stored = cx
        .store()
        .get_api_models(&cx.tenant, app_id, env)
        .await?
        .filter(|m| m.resource_name == name);
    Ok(match stored {
        Some(m) => GetBackendAPIModelsResponse {
            status: Some(if m.schema_sha256 == current {
                Status::Latest
            } else {
                Status::Stale
            }),
            models: Some(m.models),
            model_introspection_schema: Some(m.model_introspection),
        },
        None => GetBackendAPIModelsResponse {
            status: Some(Status::Stale),
            models: None,
            model_introspection_schema: None,
        },
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_amplify_schemas() {
        let schema =
            "type Todo @model @auth(rules: [{allow: owner}]) {\n  id: ID!\n  name: String!\n}\n";
        assert_eq!(check_transform_schema(schema), Ok(()));
    }

    #[test]
    fn names_line_and_column_of_syntax_errors() {
        let schema = "type Todo @model {\n  id: ID!\n  name String\n}\n";
        let message = check_transform_schema(schema)
            .err()
            .map(|e| e.message)
            .unwrap_or_default();
        assert!(message.contains("line 3, column"), "{message}");
    }

    #[test]
    fn keeps_members_an_update_does_not_send() {
        let current = BackendAPIResourceConfig {
            api_name: Some("a".into()),
            transform_schema: Some("type A { id: ID }".into()),
            ..Default::default()
        };
        let update = BackendAPIResourceConfig {
            transform_schema: Some("type B { id: ID }".into()),
            ..Default::default()
        };
        let merged = merge_api_config(current, update);
        assert_eq!(merged.api_name.as_deref(), Some("a"));
        assert_eq!(
            merged.transform_schema.as_deref(),
            Some("type B { id: ID }")
        );
    }
}
