//! Web pages into collections (use cases in `hearth_services::collections`): the page is
//! fetched through the outbound policy, so loopback, private and link-local targets are
//! refused unless the settings allow them.

use crate::error::ApiResult;
use crate::extract::VerifiedUser;
use crate::json_body::JsonBody;
use crate::state::AppState;
use actix_web::{post, web};
use hearth_services::collections::{self, dto};
use serde_json::Value;

/// Reads a web page and indexes its text (what the chat input's URL attachment calls).
#[utoipa::path(tag = "retrieval", params(dto::ProcessUrlParams), request_body = dto::ProcessUrlForm, responses((status = 200, body = dto::ProcessedUrl), (status = 400), (status = 403)))]
#[post("/process/url")]
pub async fn process_url(
    state: web::Data<AppState>,
    caller: VerifiedUser,
    params: web::Query<dto::ProcessUrlParams>,
    form: JsonBody<dto::ProcessUrlForm>,
) -> ApiResult<web::Json<dto::ProcessedUrl>> {
    Ok(web::Json(
        collections::process_url(&state.app, caller.user(), form.into_inner(), &params).await?,
    ))
}

/// Reads a web page and indexes its text, answering it as a file-like record.
#[utoipa::path(tag = "retrieval", params(dto::ProcessUrlParams), request_body = dto::ProcessUrlForm, responses((status = 200, body = Object), (status = 400), (status = 403)))]
#[post("/process/web")]
pub async fn process_web(
    state: web::Data<AppState>,
    caller: VerifiedUser,
    params: web::Query<dto::ProcessUrlParams>,
    form: JsonBody<dto::ProcessUrlForm>,
) -> ApiResult<web::Json<Value>> {
    Ok(web::Json(
        collections::process_web(&state.app, caller.user(), form.into_inner(), &params).await?,
    ))
}
