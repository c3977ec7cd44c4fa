//! The domain records the store keeps.

use crate::JobFailure;
use serde::{Deserialize, Serialize};

/// Whose data: every record belongs to one account in one region.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Tenant {
    /// 12-digit AWS account id.
    pub account: String,
    /// AWS region (`us-east-1`).
    pub region: String,
}

/// Tuning that does not change behaviour.
#[derive(Debug, Clone)]
pub struct StoreOptions {
    /// Read connections kept open (SQLite).
    pub read_connections: usize,
    /// Most connections to the database per process (PostgreSQL's pool).
    pub pool_size: usize,
    /// Longest a statement may run before the database cancels it (PostgreSQL's
    /// `statement_timeout`); `None` or zero: the server's own setting.
    pub statement_timeout: Option<std::time::Duration>,
    /// Longest wait to connect, and to get a connection from a full pool (PostgreSQL).
    pub connect_timeout: std::time::Duration,
    /// How long a worker's claim on a due job lasts (PostgreSQL): a job claimed by a
    /// process that died before completing it is claimed again once this has passed,
    /// measured on the clock the callers of `complete_due_jobs` pass in.
    pub job_lease: std::time::Duration,
}

impl Default for StoreOptions {
    fn default() -> Self {
        StoreOptions {
            read_connections: 4,
            pool_size: 16,
            statement_timeout: Some(std::time::Duration::from_secs(30)),
            connect_timeout: std::time::Duration::from_secs(5),
            job_lease: std::time::Duration::from_secs(30),
        }
    }
}

/// An Amplify app as this service knows it.
#[derive(Debug, Clone, PartialEq)]
pub struct App {
    /// `appId`.
    pub app_id: String,
    /// `appName`.
    pub app_name: String,
    /// Creation time, epoch milliseconds.
    pub created_at_ms: i64,
    /// Set while Studio (backend manager) is enabled.
    pub backend_manager_app_id: Option<String>,
    /// `loginAuthConfig` of UpdateBackendConfig, as its JSON document.
    pub login_auth_config: Option<serde_json::Value>,
    /// What the Amplify service's CreateApp, UpdateApp and TagResource recorded of the app
    /// (a JSON object the server defines; the store replaces its top-level members and
    /// never looks inside them): absent for an app CreateBackend created.
    pub amplify: Option<serde_json::Value>,
}

/// An app the Amplify service's CreateApp creates.
#[derive(Debug, Clone, PartialEq)]
pub struct NewApp {
    /// `appId`.
    pub app_id: String,
    /// `name`, the app's name AmplifyBackend knows as `appName`.
    pub app_name: String,
    /// Creation time, epoch milliseconds.
    pub created_at_ms: i64,
    /// Its Amplify attributes ([`App::amplify`]).
    pub amplify: serde_json::Value,
}

/// A change to an app of UpdateApp, TagResource or UntagResource, applied in one
/// transaction to the app as it is then.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct AppUpdate {
    /// A new name.
    pub app_name: Option<String>,
    /// Top-level members of [`App::amplify`] replaced whole.
    pub set: serde_json::Map<String, serde_json::Value>,
    /// Tags added or replaced (in the `tags` member).
    pub tag: serde_json::Map<String, serde_json::Value>,
    /// Tag keys removed.
    pub untag: Vec<String>,
}

impl AppUpdate {
    /// Applies the change to the app's Amplify attributes (an object; anything else is
    /// replaced by one).
    pub fn apply(&self, amplify: Option<serde_json::Value>) -> serde_json::Value {
        let mut object = match amplify {
            Some(serde_json::Value::Object(object)) => object,
            _ => serde_json::Map::new(),
        };
        for (key, value) in &self.set {
            object.insert(key.clone(), value.clone());
        }
        if !self.tag.is_empty() || !self.untag.is_empty() {
            let tags = object
                .entry("tags")
                .or_insert_with(|| serde_json::Value::Object(serde_json::Map::new()));
            if !tags.is_object() {
                *tags = serde_json::Value::Object(serde_json::Map::new());
            }
            if let serde_json::Value::Object(tags) = tags {
                for (key, value) in &self.tag {
                    tags.insert(key.clone(), value.clone());
                }
                for key in &self.untag {
                    tags.remove(key);
                }
            }
        }
        serde_json::Value::Object(object)
    }
}

/// A page of apps, by `appId`.
#[derive(Debug, Clone, PartialEq)]
pub struct AppPage {
    /// The apps, sorted by `appId`.
    pub apps: Vec<App>,
    /// Whether apps follow the last one.
    pub more: bool,
}

/// A JSON document kept as the text the database holds: GetBackend writes an environment's
/// deployment identifiers into its amplify-meta as they are, rather than building a tree
/// of them and printing it again. Equal when the texts are.
#[derive(Debug, Clone)]
pub struct JsonText(Box<serde_json::value::RawValue>);

impl JsonText {
    /// Checks that `text` is one JSON value, and keeps it as it is.
    pub fn parse(text: String) -> Result<JsonText, serde_json::Error> {
        serde_json::value::RawValue::from_string(text).map(JsonText)
    }

    /// The document's text.
    pub fn get(&self) -> &str {
        self.0.get()
    }

    /// The document as a tree.
    pub fn to_value(&self) -> serde_json::Result<serde_json::Value> {
        serde_json::from_str(self.get())
    }
}

impl PartialEq for JsonText {
    fn eq(&self, other: &JsonText) -> bool {
        self.get() == other.get()
    }
}

impl Serialize for JsonText {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.0.serialize(serializer)
    }
}

impl<'de> Deserialize<'de> for JsonText {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<JsonText, D::Error> {
        Box::<serde_json::value::RawValue>::deserialize(deserializer).map(JsonText)
    }
}

/// A backend environment of an app.
#[derive(Debug, Clone, PartialEq)]
pub struct Environment {
    /// `appId`.
    pub app_id: String,
    /// `backendEnvironmentName`.
    pub name: String,
    /// Creation time, epoch milliseconds.
    pub created_at_ms: i64,
    /// Identifiers generated once for the environment's deployment (stack, roles, bucket).
    pub meta: JsonText,
}

/// The kinds of resource an environment holds, at most one of each.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ResourceKind {
    /// Cognito.
    Auth,
    /// AppSync GraphQL API.
    Api,
    /// S3.
    Storage,
}

impl ResourceKind {
    /// Every kind, in amplify-meta order.
    pub const ALL: [ResourceKind; 3] =
        [ResourceKind::Auth, ResourceKind::Api, ResourceKind::Storage];

    /// `auth`, `api`, `storage`: the category names of amplify-meta.json.
    pub fn as_str(self) -> &'static str {
        match self {
            ResourceKind::Auth => "auth",
            ResourceKind::Api => "api",
            ResourceKind::Storage => "storage",
        }
    }

    /// The kind named by [`ResourceKind::as_str`].
    pub fn parse(s: &str) -> Option<ResourceKind> {
        ResourceKind::ALL.into_iter().find(|k| k.as_str() == s)
    }
}

/// A resource of an environment.
#[derive(Clone, PartialEq)]
pub struct Resource {
    /// `appId`.
    pub app_id: String,
    /// `backendEnvironmentName`.
    pub env: String,
    /// Which kind.
    pub kind: ResourceKind,
    /// `resourceName`.
    pub name: String,
    /// The resource config document as the model shapes it.
    pub config: serde_json::Value,
    /// Identifiers generated once for the resource (amplify-meta `output`).
    pub outputs: serde_json::Value,
    /// Recorded by an Import operation rather than created.
    pub imported: bool,
    /// Last change, epoch milliseconds.
    pub updated_at_ms: i64,
}

/// What GetBackend reads: an app, its environments, and the resources of one of them.
#[derive(Debug, Clone, PartialEq)]
pub struct Backend {
    /// The app.
    pub app: App,
    /// Its environments, sorted by name.
    pub environments: Vec<Environment>,
    /// The resources of the environment asked for, ordered by kind; empty if none was
    /// asked for or it does not exist.
    pub resources: Vec<Resource>,
}

/// A job's status, as the wire spells it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum JobStatus {
    /// Not finished; its changes are not applied yet.
    Running,
    /// Finished; its changes are applied.
    Completed,
    /// Finished without effect (failed or cancelled).
    Failed,
}

impl JobStatus {
    /// `RUNNING`, `COMPLETED`, `FAILED`.
    pub const fn as_str(self) -> &'static str {
        match self {
            JobStatus::Running => "RUNNING",
            JobStatus::Completed => "COMPLETED",
            JobStatus::Failed => "FAILED",
        }
    }

    /// The status named by [`JobStatus::as_str`].
    pub fn parse(s: &str) -> Option<JobStatus> {
        [JobStatus::Running, JobStatus::Completed, JobStatus::Failed]
            .into_iter()
            .find(|k| k.as_str() == s)
    }
}

/// A job as clients see it.
#[derive(Debug, Clone, PartialEq)]
pub struct Job {
    /// Lowercase UUID v4.
    pub job_id: String,
    /// `appId`.
    pub app_id: String,
    /// The environment the job belongs to.
    pub env: String,
    /// The API operation's name (`CreateBackendAuth`), or what UpdateBackendJob set.
    pub operation: String,
    /// Where it stands.
    pub status: JobStatus,
    /// Why it failed, for the server to word.
    pub error: Option<JobFailure>,
    /// Epoch milliseconds.
    pub create_time_ms: i64,
    /// Epoch milliseconds.
    pub update_time_ms: i64,
}

/// A job to record.
#[derive(Debug, Clone, PartialEq)]
pub struct NewJob {
    /// Lowercase UUID v4, chosen by the caller.
    pub job_id: String,
    /// `appId`.
    pub app_id: String,
    /// The environment the job belongs to (and whose pending-job slot it takes).
    pub env: String,
    /// The API operation's name.
    pub operation: String,
    /// Now, epoch milliseconds.
    pub now_ms: i64,
    /// When a worker should complete it; `None`: complete within `start_job`.
    pub due_at_ms: Option<i64>,
    /// What completing it does, applied in order in one transaction.
    pub changes: Vec<Change>,
    /// What a job completed within `start_job` does when a change breaks a rule (a
    /// deferred job, completed later, is always recorded FAILED).
    pub when_broken: WhenBroken,
}

/// What an inline job does when one of its changes breaks a rule of the data.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum WhenBroken {
    /// The job is recorded FAILED, the rule its error: what the service's jobs do.
    #[default]
    Fail,
    /// Nothing is recorded and `start_job` answers [`crate::StoreError::Rule`] with the
    /// rule: for the rules an operation refuses before any job exists (CreateBackend: the
    /// app's name, an environment that is new), checked in the job's own transaction
    /// instead of by reads before it. A [`Change::Fail`] still fails the job: it is no
    /// rule of the data.
    Refuse,
}

impl NewJob {
    /// The job as recorded with `status` (and `error`), created and updated now.
    pub fn recorded(self, status: JobStatus, error: Option<JobFailure>) -> Job {
        Job {
            job_id: self.job_id,
            app_id: self.app_id,
            env: self.env,
            operation: self.operation,
            status,
            error,
            create_time_ms: self.now_ms,
            update_time_ms: self.now_ms,
        }
    }

    /// The app's name, the environment and its deployment identifiers, if this is a
    /// CreateBackend job (its one change is [`Change::CreateBackend`]): the commonest
    /// job, which each store writes by a route of its own, in fewer steps than a general
    /// job (the crate's documentation maps the routes).
    pub fn new_backend(&self) -> Option<(&str, &str, &serde_json::Value)> {
        match &self.changes[..] {
            [
                Change::CreateBackend {
                    app_name,
                    env,
                    meta,
                },
            ] => Some((app_name, env, meta)),
            _ => None,
        }
    }
}

/// One step of a job's effect, scoped to the job's tenant and app.
#[derive(Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "change", rename_all = "snake_case")]
pub enum Change {
    /// Creates the app if it does not exist; fails if it exists with another name.
    EnsureApp {
        /// `appName`.
        app_name: String,
    },
    /// CreateBackend: [`Change::EnsureApp`] then [`Change::CreateEnvironment`], as one
    /// change so that the stores recognise the commonest job by what it says it is
    /// ([`NewJob::new_backend`]) rather than by the shape of its changes.
    CreateBackend {
        /// `appName`.
        app_name: String,
        /// The new environment's name.
        env: String,
        /// Its generated deployment identifiers.
        meta: serde_json::Value,
    },
    /// Creates an environment; fails if it exists.
    CreateEnvironment {
        /// Its name.
        env: String,
        /// Its generated deployment identifiers.
        meta: serde_json::Value,
    },
    /// Deletes an environment and its resources (its jobs stay readable).
    DeleteEnvironment {
        /// Its name.
        env: String,
    },
    /// Deletes the app, its environments, resources and backend config.
    DeleteApp,
    /// Creates or replaces the environment's resource of a kind; fails if the environment
    /// does not exist.
    PutResource {
        /// The environment.
        env: String,
        /// Which kind.
        kind: ResourceKind,
        /// `resourceName`.
        name: String,
        /// The full config document.
        config: serde_json::Value,
        /// Generated identifiers.
        outputs: serde_json::Value,
        /// Recorded by an Import operation.
        imported: bool,
    },
    /// Deletes the environment's resource of a kind, if any.
    DeleteResource {
        /// The environment.
        env: String,
        /// Which kind.
        kind: ResourceKind,
    },
    /// Records a bucket of the tenant (kept if it is already known).
    AddBucket {
        /// The bucket's name.
        name: String,
    },
    /// Enables Studio for the app (which must exist).
    EnableStudio {
        /// `backendManagerAppId`.
        backend_manager_app_id: String,
    },
    /// Records the models generated from the environment's GraphQL API (replacing any
    /// earlier ones); fails if the environment does not exist.
    PutApiModels {
        /// The environment.
        env: String,
        /// The documents and the schema they came from.
        models: ApiModels,
    },
    /// Fails the job with this sentence as its `error` (work that could not be done, such
    /// as a schema the model generator rejects): [`JobFailure::Message`].
    Fail {
        /// The job's `error`.
        error: String,
    },
}

/// What GenerateBackendAPIModels produced for an environment's API.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ApiModels {
    /// The API's `resourceName`.
    pub resource_name: String,
    /// The DataStore schema module (`models`).
    pub models: String,
    /// The Model Introspection Schema (`modelIntrospectionSchema`).
    pub model_introspection: String,
    /// Hex SHA-256 of the transform schema they were generated from.
    pub schema_sha256: String,
}

/// What ListBackendJobs asks for.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct JobQuery {
    /// Exact `jobId`.
    pub job_id: Option<String>,
    /// Exact `operation`.
    pub operation: Option<String>,
    /// Exact `status` text.
    pub status: Option<String>,
    /// Only jobs older than this cursor (a [`JobPage::next_cursor`]).
    pub before: Option<i64>,
    /// Page size (the caller bounds it).
    pub limit: usize,
}

/// One page of jobs, newest first.
#[derive(Debug, Clone, PartialEq)]
pub struct JobPage {
    /// The jobs.
    pub jobs: Vec<Job>,
    /// Where the next page starts, if there are more jobs.
    pub next_cursor: Option<i64>,
}

/// A change asked for by UpdateBackendJob.
#[derive(Debug, Clone, PartialEq)]
pub struct JobUpdate {
    /// `appId`.
    pub app_id: String,
    /// The job's environment.
    pub env: String,
    /// The job.
    pub job_id: String,
    /// New operation label.
    pub operation: Option<String>,
    /// New status.
    pub status: Option<JobStatus>,
    /// Now, epoch milliseconds.
    pub now_ms: i64,
}

/// A Studio login challenge.
#[derive(Clone, PartialEq)]
pub struct Token {
    /// `appId`.
    pub app_id: String,
    /// `sessionId` (UUID v4).
    pub session_id: String,
    /// `challengeCode` (UUID v4): a secret, never logged.
    pub challenge_code: String,
    /// Expiry, epoch seconds.
    pub expires_at_secs: i64,
}

impl std::fmt::Debug for Token {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Token")
            .field("app_id", &self.app_id)
            .field("session_id", &self.session_id)
            .field("challenge_code", &"*** Sensitive Data Redacted ***")
            .field("expires_at_secs", &self.expires_at_secs)
            .finish()
    }
}

/// An S3 bucket known to the tenant.
#[derive(Debug, Clone, PartialEq)]
pub struct Bucket {
    /// The bucket's name.
    pub name: String,
    /// When it was recorded, epoch milliseconds.
    pub created_at_ms: i64,
}

/// What `Debug` prints for a config document: auth configs carry OAuth client secrets and
/// private keys, which must never reach a log.
const CONFIG_REDACTED: &str = "<config redacted>";

impl std::fmt::Debug for Resource {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Resource")
            .field("app_id", &self.app_id)
            .field("env", &self.env)
            .field("kind", &self.kind)
            .field("name", &self.name)
            .field("config", &CONFIG_REDACTED)
            .field("outputs", &self.outputs)
            .field("imported", &self.imported)
            .field("updated_at_ms", &self.updated_at_ms)
            .finish()
    }
}

impl std::fmt::Debug for Change {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Change::EnsureApp { app_name } => f
                .debug_struct("EnsureApp")
                .field("app_name", app_name)
                .finish(),
            Change::CreateBackend {
                app_name,
                env,
                meta,
            } => f
                .debug_struct("CreateBackend")
                .field("app_name", app_name)
                .field("env", env)
                .field("meta", meta)
                .finish(),
            Change::CreateEnvironment { env, meta } => f
                .debug_struct("CreateEnvironment")
                .field("env", env)
                .field("meta", meta)
                .finish(),
            Change::DeleteEnvironment { env } => f
                .debug_struct("DeleteEnvironment")
                .field("env", env)
                .finish(),
            Change::DeleteApp => f.write_str("DeleteApp"),
            Change::PutResource {
                env,
                kind,
                name,
                outputs,
                imported,
                ..
            } => f
                .debug_struct("PutResource")
                .field("env", env)
                .field("kind", kind)
                .field("name", name)
                .field("config", &CONFIG_REDACTED)
                .field("outputs", outputs)
                .field("imported", imported)
                .finish(),
            Change::DeleteResource { env, kind } => f
                .debug_struct("DeleteResource")
                .field("env", env)
                .field("kind", kind)
                .finish(),
            Change::AddBucket { name } => f.debug_struct("AddBucket").field("name", name).finish(),
            Change::EnableStudio {
                backend_manager_app_id,
            } => f
                .debug_struct("EnableStudio")
                .field("backend_manager_app_id", backend_manager_app_id)
                .finish(),
            Change::PutApiModels { env, models } => f
                .debug_struct("PutApiModels")
                .field("env", env)
                .field("resource_name", &models.resource_name)
                .field("schema_sha256", &models.schema_sha256)
                .finish(),
            Change::Fail { error } => f.debug_struct("Fail").field("error", error).finish(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_never_prints_resource_configs() {
        let config = serde_json::json!({"userPoolConfigs": {"oAuth": {"socialProviderSettings":
            {"Google": {"client_id": "id", "client_secret": "top-secret"}}}}});
        let resource = Resource {
            app_id: "a".into(),
            env: "dev".into(),
            kind: ResourceKind::Auth,
            name: "auth".into(),
            config: config.clone(),
            outputs: serde_json::json!({}),
            imported: false,
            updated_at_ms: 0,
        };
        assert!(!format!("{resource:?}").contains("top-secret"));
        let change = Change::PutResource {
            env: "dev".into(),
            kind: ResourceKind::Auth,
            name: "auth".into(),
            config,
            outputs: serde_json::json!({}),
            imported: false,
        };
        let job = NewJob {
            job_id: "j".into(),
            app_id: "a".into(),
            env: "dev".into(),
            operation: "CreateBackendAuth".into(),
            now_ms: 0,
            due_at_ms: None,
            changes: vec![change],
            when_broken: WhenBroken::Fail,
        };
        assert!(!format!("{job:?}").contains("top-secret"));
    }
}
