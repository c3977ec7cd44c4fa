//! TagResource, UntagResource, ListTagsForResource, for app ARNs
//! (`arn:aws:amplify:REGION:ACCOUNT:apps/APPID`) of the caller's account and region.

use crate::error::{ApiError, ErrorKind};
use crate::state::Ctx;
use amplifybackend_model::amplify::{
    ListTagsForResourceRequest, ListTagsForResourceResponse, TagResourceRequest,
    TagResourceResponse, UntagResourceRequest, UntagResourceResponse,
};
use amplifybackend_store::{AppUpdate, StoreError};
use std::collections::BTreeMap;

/// The Amplify service's tag key rule: 1 to 128 letters, digits and `+-=._:/`, not
/// starting with `aws:`.
fn validate_tag_key(key: &str) -> Result<(), ApiError> {
    let ok = (1..=128).contains(&key.chars().count())
        && !key.starts_with("aws:")
        && key
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"+-=._:/".contains(&b));
    if ok {
        Ok(())
    } else {
        Err(ApiError::bad_request(format!(
            "Invalid tag key '{key}': use 1 to 128 letters, digits and '+-=._:/', not starting with 'aws:'."
        )))
    }
}

/// Every key and value of a tag map, by the model's rules.
pub fn validate_tags(tags: &BTreeMap<String, String>) -> Result<(), ApiError> {
    for (key, value) in tags {
        validate_tag_key(key)?;
        if value.chars().count() > 256 {
            return Err(ApiError::bad_request(format!(
                "Invalid value for tag '{key}': at most 256 characters."
            )));
        }
    }
    Ok(())
}

fn resource_not_found(arn: &str) -> ApiError {
    ApiError::new(
        ErrorKind::ResourceNotFound,
        format!("Resource {arn} not found."),
    )
}

/// The app id of an app ARN of the caller's account and region; 400 for what is not an
/// Amplify ARN, the Amplify service's ResourceNotFoundException for any other resource.
fn app_of_arn<'a>(cx: &Ctx, arn: &'a str) -> Result<&'a str, ApiError> {
    let Some(rest) = arn.strip_prefix("arn:aws:amplify:") else {
        return Err(ApiError::bad_request(format!(
            "Invalid resourceArn '{arn}': expected arn:aws:amplify:REGION:ACCOUNT:apps/APPID."
        )));
    };
    let mut parts = rest.splitn(3, ':');
    let (region, account, resource) = (parts.next(), parts.next(), parts.next());
    match (
        region,
        account,
        resource.and_then(|r| r.strip_prefix("apps/")),
    ) {
        (Some(region), Some(account), Some(app_id))
            if region == cx.tenant.region
                && account == cx.tenant.account
                && !app_id.is_empty()
                && !app_id.contains('/') =>
        {
            Ok(app_id)
        }
        _ => Err(resource_not_found(arn)),
    }
}

/// Applies a tag change to the app an ARN names.
async fn change_tags(cx: &Ctx, arn: &str, update: AppUpdate) -> Result<(), ApiError> {
    let app_id = app_of_arn(cx, arn)?;
    match cx.store().update_app(&cx.tenant, app_id, update).await {
        Ok(_) => Ok(()),
        Err(StoreError::NotFound(_)) => Err(resource_not_found(arn)),
        Err(other) => Err(other.into()),
    }
}

/// TagResource: adds or replaces the tags given.
pub async fn tag_resource(
    cx: Ctx,
    input: TagResourceRequest,
) -> Result<TagResourceResponse, ApiError> {
    validate_tags(&input.tags)?;
    let update = AppUpdate {
        tag: input
            .tags
            .iter()
            .map(|(k, v)| (k.clone(), serde_json::Value::String(v.clone())))
            .collect(),
        ..AppUpdate::default()
    };
    change_tags(&cx, &input.resource_arn, update).await?;
    Ok(TagResourceResponse {})
}

/// UntagResource: removes the keys given (absent keys are no error).
pub async fn untag_resource(
    cx: Ctx,
    input: UntagResourceRequest,
) -> Result<UntagResourceResponse, ApiError> {
    for key in &input.tag_keys {
        validate_tag_key(key)?;
    }
    let update = AppUpdate {
        untag: input.tag_keys.clone(),
        ..AppUpdate::default()
    };
    change_tags(&cx, &input.resource_arn, update).await?;
    Ok(UntagResourceResponse {})
}

/// ListTagsForResource.
pub async fn list_tags_for_resource(
    cx: Ctx,
    input: ListTagsForResourceRequest,
) -> Result<ListTagsForResourceResponse, ApiError> {
    let arn = input.resource_arn.as_str();
    let app_id = app_of_arn(&cx, arn)?;
    let app = cx
        .store()
        .get_app(&cx.tenant, app_id)
        .await?
        .ok_or_else(|| resource_not_found(arn))?;
    let tags = app
        .amplify
        .as_ref()
        .and_then(|a| a.get("tags"))
        .and_then(|t| serde_json::from_value(t.clone()).ok())
        .unwrap_or_default();
    Ok(ListTagsForResourceResponse { tags: Some(tags) })
}
