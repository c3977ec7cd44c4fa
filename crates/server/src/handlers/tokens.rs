//! Studio login challenges: CreateToken, GetToken, DeleteToken. Challenge codes are secrets:
//! they are never logged (the model types redact them in `Debug`).

use crate::error::ApiError;
use crate::state::Ctx;
use amplifybackend_model::*;
use amplifybackend_store::Token;

fn token_not_found(session_id: &str) -> ApiError {
    ApiError::not_found(
        "token",
        format!("Session {session_id} was not found or has expired."),
    )
}

/// CreateToken.
pub async fn create_token(
    cx: Ctx,
    input: CreateTokenRequest,
) -> Result<CreateTokenResponse, ApiError> {
    let app_id = input.app_id.as_str();
    let ttl = i64::try_from(cx.state.config.token_ttl.as_secs()).unwrap_or(i64::MAX);
    let token = Token {
        app_id: app_id.to_owned(),
        session_id: cx.state.ids.uuid(),
        challenge_code: cx.state.ids.uuid(),
        expires_at_secs: (cx.now_ms() / 1000).saturating_add(ttl),
    };
    cx.store().create_token(&cx.tenant, token.clone()).await?;
    Ok(CreateTokenResponse {
        app_id: Some(token.app_id),
        challenge_code: Some(token.challenge_code),
        session_id: Some(token.session_id),
        ttl: Some(token.expires_at_secs.to_string()),
    })
}

/// GetToken: the same record until it expires or is deleted.
pub async fn get_token(cx: Ctx, input: GetTokenRequest) -> Result<GetTokenResponse, ApiError> {
    let app_id = input.app_id.as_str();
    let session_id = input.session_id.as_str();
    let token = cx
        .store()
        .get_token(&cx.tenant, app_id, session_id, cx.now_ms() / 1000)
        .await?
        .ok_or_else(|| token_not_found(session_id))?;
    Ok(GetTokenResponse {
        app_id: Some(token.app_id),
        challenge_code: Some(token.challenge_code),
        session_id: Some(token.session_id),
        ttl: Some(token.expires_at_secs.to_string()),
    })
}

/// DeleteToken.
pub async fn delete_token(
    cx: Ctx,
    input: DeleteTokenRequest,
) -> Result<DeleteTokenResponse, ApiError> {
    let app_id = input.app_id.as_str();
    let session_id = input.session_id.as_str();
    if !cx
        .store()
        .delete_token(&cx.tenant, app_id, session_id, cx.now_ms() / 1000)
        .await?
    {
        return Err(token_not_found(session_id));
    }
    Ok(DeleteTokenResponse {
        is_success: Some(true),
    })
}
