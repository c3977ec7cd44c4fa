//! CreateApp, GetApp, ListApps, UpdateApp, DeleteApp.

use super::{app_output, cursor, epoch_seconds, next_token, page_size, require_app};
use crate::error::ApiError;
use crate::state::Ctx;
use amplifybackend_model::amplify::{
    CreateAppRequest, CreateAppResult, DeleteAppRequest, DeleteAppResult, GetAppRequest,
    GetAppResult, ListAppsRequest, ListAppsResult, UpdateAppRequest, UpdateAppResult,
};
use amplifybackend_store::{AppUpdate, NewApp};
use serde_json::{Map, Value, json};

/// Members of CreateApp and UpdateApp that are not kept with the app's attributes: its
/// name has a column of its own, and the repository tokens are secrets the service never
/// answers with.
const NOT_KEPT: [&str; 3] = ["name", "oauthToken", "accessToken"];

/// The members of a CreateApp or UpdateApp input kept as the app's attributes, by wire
/// name.
fn attributes<T: serde::Serialize>(input: &T) -> Result<Map<String, Value>, ApiError> {
    match serde_json::to_value(input).map_err(ApiError::internal)? {
        Value::Object(mut object) => {
            for key in NOT_KEPT {
                object.remove(key);
            }
            Ok(object)
        }
        _ => Ok(Map::new()),
    }
}

/// CreateApp: a new app with a generated id (`d` and 13 lowercase letters and digits).
pub async fn create_app(cx: Ctx, input: CreateAppRequest) -> Result<CreateAppResult, ApiError> {
    if let Some(tags) = &input.tags {
        super::tags::validate_tags(tags)?;
    }
    let app_id = format!("d{}", cx.state.ids.alphanumeric(13).to_ascii_lowercase());
    let app = cx
        .store()
        .create_app(
            &cx.tenant,
            NewApp {
                app_id,
                app_name: input.name.clone(),
                created_at_ms: cx.now_ms(),
                amplify: Value::Object(attributes(&input)?),
            },
        )
        .await?;
    Ok(CreateAppResult {
        app: app_output(&cx.tenant, &app)?,
    })
}

/// GetApp.
pub async fn get_app(cx: Ctx, input: GetAppRequest) -> Result<GetAppResult, ApiError> {
    let app = require_app(&cx, &input.app_id).await?;
    Ok(GetAppResult {
        app: app_output(&cx.tenant, &app)?,
    })
}

/// ListApps: the tenant's apps by `appId`, apps CreateBackend created included.
pub async fn list_apps(cx: Ctx, input: ListAppsRequest) -> Result<ListAppsResult, ApiError> {
    let scope = [
        cx.tenant.account.as_str(),
        cx.tenant.region.as_str(),
        "ListApps",
    ];
    let after = cursor(&cx, input.next_token.as_deref(), &scope)?;
    let page = cx
        .store()
        .list_apps(&cx.tenant, after.as_deref(), page_size(input.max_results))
        .await?;
    let next = match (page.more, page.apps.last()) {
        (true, Some(last)) => Some(next_token(&cx, &last.app_id, &scope)),
        _ => None,
    };
    Ok(ListAppsResult {
        apps: page
            .apps
            .iter()
            .map(|app| app_output(&cx.tenant, app))
            .collect::<Result<_, _>>()?,
        next_token: next,
    })
}

/// UpdateApp: replaces each member given; a new `name` is the app's name for
/// AmplifyBackend too.
pub async fn update_app(cx: Ctx, input: UpdateAppRequest) -> Result<UpdateAppResult, ApiError> {
    let mut set = attributes(&input)?;
    set.insert("updateTime".into(), json!(epoch_seconds(cx.now_ms())));
    let update = AppUpdate {
        app_name: input.name.clone(),
        set,
        ..AppUpdate::default()
    };
    let app = cx
        .store()
        .update_app(&cx.tenant, &input.app_id, update)
        .await
        .map_err(|e| match e {
            amplifybackend_store::StoreError::NotFound(_) => {
                ApiError::not_found("app", format!("App {} not found.", input.app_id))
            }
            other => other.into(),
        })?;
    Ok(UpdateAppResult {
        app: app_output(&cx.tenant, &app)?,
    })
}

/// DeleteApp: the app with its environments, resources, jobs and tokens, in one
/// transaction; answers the app as it was.
pub async fn delete_app(cx: Ctx, input: DeleteAppRequest) -> Result<DeleteAppResult, ApiError> {
    let app = cx
        .store()
        .delete_app(&cx.tenant, &input.app_id)
        .await?
        .ok_or_else(|| ApiError::not_found("app", format!("App {} not found.", input.app_id)))?;
    Ok(DeleteAppResult {
        app: app_output(&cx.tenant, &app)?,
    })
}
