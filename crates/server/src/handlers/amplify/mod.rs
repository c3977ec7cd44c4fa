//! The Amplify service's operations this server serves: apps (CreateApp … DeleteApp),
//! backend environments and tags. An Amplify app is the app AmplifyBackend's `appId`
//! names (docs/BEHAVIOUR.md, "Apps"): one row, seen by both services.

pub mod apps;
pub mod environments;
pub mod tags;

use crate::error::ApiError;
use crate::state::Ctx;
use amplifybackend_model::amplify;
use amplifybackend_store::{App, Environment, Tenant};
use serde_json::{Value, json};

/// The table from the Amplify service's operations to their handlers, like
/// [`crate::handlers::with_handler`]: `with_handler!(operation, |handler| body,
/// |unserved| other)` evaluates `body` with `handler` bound to the operation's handler, or
/// `other` with `unserved` bound to the name of an operation this server does not serve.
macro_rules! with_handler {
    ($operation:expr, |$handler:ident| $body:expr, |$unserved:ident| $other:expr) => {{
        use amplifybackend_model::amplify::Operation as A;
        use $crate::handlers::amplify::{apps, environments, tags};
        match $operation {
            A::CreateApp => {
                let $handler = apps::create_app;
                $body
            }
            A::GetApp => {
                let $handler = apps::get_app;
                $body
            }
            A::ListApps => {
                let $handler = apps::list_apps;
                $body
            }
            A::UpdateApp => {
                let $handler = apps::update_app;
                $body
            }
            A::DeleteApp => {
                let $handler = apps::delete_app;
                $body
            }
            A::CreateBackendEnvironment => {
                let $handler = environments::create_backend_environment;
                $body
            }
            A::GetBackendEnvironment => {
                let $handler = environments::get_backend_environment;
                $body
            }
            A::ListBackendEnvironments => {
                let $handler = environments::list_backend_environments;
                $body
            }
            A::DeleteBackendEnvironment => {
                let $handler = environments::delete_backend_environment;
                $body
            }
            A::TagResource => {
                let $handler = tags::tag_resource;
                $body
            }
            A::UntagResource => {
                let $handler = tags::untag_resource;
                $body
            }
            A::ListTagsForResource => {
                let $handler = tags::list_tags_for_resource;
                $body
            }
            other => {
                let $unserved = other.name();
                $other
            }
        }
    }};
}
pub(crate) use with_handler;

/// How many items a list answers when `maxResults` is absent (or 0).
pub const DEFAULT_PAGE: usize = 50;

/// `arn:aws:amplify:REGION:ACCOUNT:apps/APPID`.
pub fn app_arn(tenant: &Tenant, app_id: &str) -> String {
    format!(
        "arn:aws:amplify:{}:{}:apps/{app_id}",
        tenant.region, tenant.account
    )
}

/// Epoch seconds (the model's timestamps) of epoch milliseconds.
pub fn epoch_seconds(ms: i64) -> f64 {
    ms as f64 / 1000.0
}

/// The app as the Amplify service shows it: what CreateApp and UpdateApp recorded, the
/// identifiers derived from the app's id, and the model's required members at their
/// defaults where nothing was recorded (an app CreateBackend created has none).
pub fn app_output(tenant: &Tenant, app: &App) -> Result<amplify::App, ApiError> {
    render_app(tenant, app).map_err(ApiError::internal)
}

/// [`app_output`], with serde's reason when the recorded attributes do not fit the model
/// (a state document's import checks its apps with it).
pub fn render_app(tenant: &Tenant, app: &App) -> serde_json::Result<amplify::App> {
    let mut object = match &app.amplify {
        Some(Value::Object(object)) => object.clone(),
        _ => serde_json::Map::new(),
    };
    let created = epoch_seconds(app.created_at_ms);
    for (key, default) in [
        ("description", json!("")),
        ("repository", json!("")),
        ("platform", json!("WEB")),
        ("environmentVariables", json!({})),
        ("enableBranchAutoBuild", json!(false)),
        ("enableBranchAutoDeletion", json!(false)),
        ("enableBasicAuth", json!(false)),
        ("updateTime", json!(created)),
    ] {
        object.entry(key).or_insert(default);
    }
    object.insert("appId".into(), json!(app.app_id));
    object.insert("appArn".into(), json!(app_arn(tenant, &app.app_id)));
    object.insert("name".into(), json!(app.app_name));
    object.insert(
        "defaultDomain".into(),
        json!(format!("{}.amplifyapp.com", app.app_id)),
    );
    object.insert("createTime".into(), json!(created));
    serde_json::from_value(Value::Object(object))
}

/// The environment as the Amplify service shows it: its stack and deployment bucket are
/// those of its amplify-meta (what GetBackend shows).
pub fn environment_output(
    tenant: &Tenant,
    env: &Environment,
) -> Result<amplify::BackendEnvironment, ApiError> {
    let meta: Value = serde_json::from_str(env.meta.get()).map_err(ApiError::internal)?;
    let text = |key: &str| meta[key].as_str().map(str::to_owned);
    let time = epoch_seconds(env.created_at_ms);
    Ok(amplify::BackendEnvironment {
        backend_environment_arn: format!(
            "{}/backendenvironments/{}",
            app_arn(tenant, &env.app_id),
            env.name
        ),
        environment_name: env.name.clone(),
        stack_name: text("StackName"),
        deployment_artifacts: text("DeploymentBucketName"),
        create_time: time,
        update_time: time,
    })
}

/// The app, or the Amplify service's 404.
pub async fn require_app(cx: &Ctx, app_id: &str) -> Result<App, ApiError> {
    cx.store()
        .get_app(&cx.tenant, app_id)
        .await?
        .ok_or_else(|| ApiError::not_found("app", format!("App {app_id} not found.")))
}

/// The page size a `maxResults` asks for.
pub fn page_size(max_results: Option<i32>) -> usize {
    match max_results.and_then(|n| usize::try_from(n).ok()) {
        Some(0) | None => DEFAULT_PAGE,
        Some(n) => n,
    }
}

/// The cursor a `nextToken` of the list `scope` carries, or 400.
pub fn cursor(cx: &Ctx, token: Option<&str>, scope: &[&str]) -> Result<Option<String>, ApiError> {
    token
        .map(|token| {
            crate::pagination::decode_name(cx.store().token_signing_key(), token, scope).ok_or_else(
                || ApiError::bad_request("The nextToken is not valid for this request."),
            )
        })
        .transpose()
}

/// The `nextToken` of the page that ends with the item named `last`.
pub fn next_token(cx: &Ctx, last: &str, scope: &[&str]) -> String {
    crate::pagination::encode_name(cx.store().token_signing_key(), last, scope)
}
