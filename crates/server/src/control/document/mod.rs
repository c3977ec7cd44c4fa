//! The state document (`{"format": "amplifybackend-state", "version": 1, ...}`): what
//! `GET /_amplifybackend/state` answers, `POST` takes back and `serve --seed` loads. Its
//! rows are the store's tables, one list each, every row naming its account and region,
//! so that a table added later (or a column) is one more list (or field) here.
//!
//! Reading one checks everything before anything is stored, and names where the first
//! problem is as a JSON path (`$.jobs[1].status`): the format and version first, then
//! every field (unknown ones are refused), then the rules the database would enforce
//! (no duplicate, no environment without its app, no resource without its environment,
//! one RUNNING job per environment) and that every row lies in the scope imported.

use amplifybackend_store::{
    ApiModels, App, Bucket, Change, Environment, EnvironmentApiModels, Job, JobFailure, JobRecord,
    JobStatus, JsonText, Owned, Resource, ResourceKind, Scope, Snapshot, Tenant, Token,
};
use serde::{Deserialize, Serialize};

mod check;

/// The document's `format`.
pub const FORMAT: &str = "amplifybackend-state";
/// The document's `version`.
pub const VERSION: u64 = 1;

/// Where a document is not valid, and why.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{path}: {problem}")]
pub struct DocumentError {
    /// JSON path of the first problem (`$.apps[0].appId`).
    pub path: String,
    /// What is wrong there.
    pub problem: String,
}

fn problem(path: String, problem: impl Into<String>) -> DocumentError {
    DocumentError {
        path,
        problem: problem.into(),
    }
}

/// The whole document.
#[derive(Debug, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct Document {
    format: String,
    version: u64,
    #[serde(default)]
    apps: Vec<AppRow>,
    #[serde(default)]
    environments: Vec<EnvironmentRow>,
    #[serde(default)]
    resources: Vec<ResourceRow>,
    #[serde(default)]
    api_models: Vec<ApiModelsRow>,
    #[serde(default)]
    jobs: Vec<JobRow>,
    #[serde(default)]
    tokens: Vec<TokenRow>,
    #[serde(default)]
    buckets: Vec<BucketRow>,
}

#[derive(Debug, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct AppRow {
    account_id: String,
    region: String,
    app_id: String,
    app_name: String,
    created_at_ms: i64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    backend_manager_app_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    login_auth_config: Option<serde_json::Value>,
}

#[derive(Debug, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct EnvironmentRow {
    account_id: String,
    region: String,
    app_id: String,
    name: String,
    created_at_ms: i64,
    meta: serde_json::Value,
}

#[derive(Debug, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct ResourceRow {
    account_id: String,
    region: String,
    app_id: String,
    backend_environment_name: String,
    kind: ResourceKind,
    resource_name: String,
    config: serde_json::Value,
    outputs: serde_json::Value,
    imported: bool,
    updated_at_ms: i64,
}

#[derive(Debug, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct ApiModelsRow {
    account_id: String,
    region: String,
    app_id: String,
    backend_environment_name: String,
    resource_name: String,
    models: String,
    model_introspection: String,
    schema_sha256: String,
}

#[derive(Debug, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct JobRow {
    account_id: String,
    region: String,
    app_id: String,
    backend_environment_name: String,
    job_id: String,
    operation: String,
    status: JobStatus,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    error: Option<JobFailure>,
    create_time_ms: i64,
    update_time_ms: i64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    due_at_ms: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    changes: Option<Vec<Change>>,
    /// The job's place in the order ListBackendJobs pages through (its page tokens
    /// point at it); kept by an import when free, else the jobs are numbered afresh.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    sequence: Option<i64>,
}

#[derive(Debug, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct TokenRow {
    account_id: String,
    region: String,
    app_id: String,
    session_id: String,
    challenge_code: String,
    expires_at_secs: i64,
}

#[derive(Debug, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct BucketRow {
    account_id: String,
    region: String,
    name: String,
    created_at_ms: i64,
}

/// The document of a snapshot, as JSON.
pub fn to_json(snapshot: Snapshot) -> serde_json::Result<serde_json::Value> {
    let doc = Document {
        format: FORMAT.to_owned(),
        version: VERSION,
        apps: snapshot
            .apps
            .into_iter()
            .map(|Owned { tenant: t, row: a }| AppRow {
                account_id: t.account,
                region: t.region,
                app_id: a.app_id,
                app_name: a.app_name,
                created_at_ms: a.created_at_ms,
                backend_manager_app_id: a.backend_manager_app_id,
                login_auth_config: a.login_auth_config,
            })
            .collect(),
        environments: snapshot
            .environments
            .into_iter()
            .map(|Owned { tenant: t, row: e }| {
                Ok(EnvironmentRow {
                    account_id: t.account,
                    region: t.region,
                    app_id: e.app_id,
                    name: e.name,
                    created_at_ms: e.created_at_ms,
                    meta: e.meta.to_value()?,
                })
            })
            .collect::<serde_json::Result<_>>()?,
        resources: snapshot
            .resources
            .into_iter()
            .map(|Owned { tenant: t, row: r }| ResourceRow {
                account_id: t.account,
                region: t.region,
                app_id: r.app_id,
                backend_environment_name: r.env,
                kind: r.kind,
                resource_name: r.name,
                config: r.config,
                outputs: r.outputs,
                imported: r.imported,
                updated_at_ms: r.updated_at_ms,
            })
            .collect(),
        api_models: snapshot
            .api_models
            .into_iter()
            .map(|Owned { tenant: t, row: m }| ApiModelsRow {
                account_id: t.account,
                region: t.region,
                app_id: m.app_id,
                backend_environment_name: m.env,
                resource_name: m.models.resource_name,
                models: m.models.models,
                model_introspection: m.models.model_introspection,
                schema_sha256: m.models.schema_sha256,
            })
            .collect(),
        jobs: snapshot
            .jobs
            .into_iter()
            .map(|Owned { tenant: t, row: r }| JobRow {
                account_id: t.account,
                region: t.region,
                app_id: r.job.app_id,
                backend_environment_name: r.job.env,
                job_id: r.job.job_id,
                operation: r.job.operation,
                status: r.job.status,
                error: r.job.error,
                create_time_ms: r.job.create_time_ms,
                update_time_ms: r.job.update_time_ms,
                due_at_ms: r.due_at_ms,
                changes: r.changes,
                sequence: r.seq,
            })
            .collect(),
        tokens: snapshot
            .tokens
            .into_iter()
            .map(|Owned { tenant: t, row: k }| TokenRow {
                account_id: t.account,
                region: t.region,
                app_id: k.app_id,
                session_id: k.session_id,
                challenge_code: k.challenge_code,
                expires_at_secs: k.expires_at_secs,
            })
            .collect(),
        buckets: snapshot
            .buckets
            .into_iter()
            .map(|Owned { tenant: t, row: b }| BucketRow {
                account_id: t.account,
                region: t.region,
                name: b.name,
                created_at_ms: b.created_at_ms,
            })
            .collect(),
    };
    serde_json::to_value(doc)
}

/// Reads a document for the `scope`: every check passed, or the first problem.
pub fn parse(bytes: &[u8], scope: &Scope) -> Result<Snapshot, DocumentError> {
    let value: serde_json::Value = serde_json::from_slice(bytes)
        .map_err(|e| problem("$".to_owned(), format!("not a JSON document: {e}")))?;
    let Some(object) = value.as_object() else {
        return Err(problem("$".to_owned(), "must be a JSON object"));
    };
    match object.get("format") {
        Some(serde_json::Value::String(f)) if f == FORMAT => {}
        _ => {
            return Err(problem(
                "$.format".to_owned(),
                format!("must be \"{FORMAT}\""),
            ));
        }
    }
    match object.get("version").and_then(serde_json::Value::as_u64) {
        Some(VERSION) => {}
        _ => {
            return Err(problem(
                "$.version".to_owned(),
                format!("must be {VERSION}, the version this server reads"),
            ));
        }
    }
    let doc: Document = serde_path_to_error::deserialize(value).map_err(|e| {
        let path = e.path().to_string();
        let path = if path == "." {
            "$".to_owned()
        } else {
            format!("$.{path}")
        };
        problem(path, e.into_inner().to_string())
    })?;
    check::check(&doc, scope)?;
    into_snapshot(doc)
}

fn tenant(account: String, region: String) -> Tenant {
    Tenant { account, region }
}

fn into_snapshot(doc: Document) -> Result<Snapshot, DocumentError> {
    Ok(Snapshot {
        apps: doc
            .apps
            .into_iter()
            .map(|a| Owned {
                tenant: tenant(a.account_id, a.region),
                row: App {
                    app_id: a.app_id,
                    app_name: a.app_name,
                    created_at_ms: a.created_at_ms,
                    backend_manager_app_id: a.backend_manager_app_id,
                    login_auth_config: a.login_auth_config,
                },
            })
            .collect(),
        environments: doc
            .environments
            .into_iter()
            .enumerate()
            .map(|(i, e)| {
                let meta = JsonText::parse(e.meta.to_string())
                    .map_err(|why| problem(format!("$.environments[{i}].meta"), why.to_string()))?;
                Ok(Owned {
                    tenant: tenant(e.account_id, e.region),
                    row: Environment {
                        app_id: e.app_id,
                        name: e.name,
                        created_at_ms: e.created_at_ms,
                        meta,
                    },
                })
            })
            .collect::<Result<_, DocumentError>>()?,
        resources: doc
            .resources
            .into_iter()
            .map(|r| Owned {
                tenant: tenant(r.account_id, r.region),
                row: Resource {
                    app_id: r.app_id,
                    env: r.backend_environment_name,
                    kind: r.kind,
                    name: r.resource_name,
                    config: r.config,
                    outputs: r.outputs,
                    imported: r.imported,
                    updated_at_ms: r.updated_at_ms,
                },
            })
            .collect(),
        api_models: doc
            .api_models
            .into_iter()
            .map(|m| Owned {
                tenant: tenant(m.account_id, m.region),
                row: EnvironmentApiModels {
                    app_id: m.app_id,
                    env: m.backend_environment_name,
                    models: ApiModels {
                        resource_name: m.resource_name,
                        models: m.models,
                        model_introspection: m.model_introspection,
                        schema_sha256: m.schema_sha256,
                    },
                },
            })
            .collect(),
        jobs: doc
            .jobs
            .into_iter()
            .map(|j| Owned {
                tenant: tenant(j.account_id, j.region),
                row: JobRecord {
                    job: Job {
                        job_id: j.job_id,
                        app_id: j.app_id,
                        env: j.backend_environment_name,
                        operation: j.operation,
                        status: j.status,
                        error: j.error,
                        create_time_ms: j.create_time_ms,
                        update_time_ms: j.update_time_ms,
                    },
                    due_at_ms: j.due_at_ms,
                    changes: j.changes,
                    seq: j.sequence,
                },
            })
            .collect(),
        tokens: doc
            .tokens
            .into_iter()
            .map(|k| Owned {
                tenant: tenant(k.account_id, k.region),
                row: Token {
                    app_id: k.app_id,
                    session_id: k.session_id,
                    challenge_code: k.challenge_code,
                    expires_at_secs: k.expires_at_secs,
                },
            })
            .collect(),
        buckets: doc
            .buckets
            .into_iter()
            .map(|b| Owned {
                tenant: tenant(b.account_id, b.region),
                row: Bucket {
                    name: b.name,
                    created_at_ms: b.created_at_ms,
                },
            })
            .collect(),
    })
}
