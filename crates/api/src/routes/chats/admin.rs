//! Admin views of chats: another user's list, and the chat settings.

use crate::error::ApiResult;
use crate::extract::AdminUser;
use crate::json_body::JsonBody;
use crate::state::AppState;
use actix_web::{get, post, web};
use hearth_domain::UserId;
use hearth_services::chats::admin;
use hearth_services::chats::dto::ChatTitleResponse;
use hearth_services::chats::forms::UserChatsParams;
use serde_json::{Map, Value};

/// Another user's chats, archived ones included (admin).
#[utoipa::path(tag = "chats", params(UserChatsParams), responses((status = 200, body = Vec<ChatTitleResponse>)))]
#[get("/list/user/{user_id}")]
pub async fn user_chats(
    state: web::Data<AppState>,
    _admin: AdminUser,
    path: web::Path<String>,
    params: web::Query<UserChatsParams>,
) -> ApiResult<web::Json<Vec<ChatTitleResponse>>> {
    let owner = UserId::from(path.into_inner());
    Ok(web::Json(
        admin::user_chats(&state.app, &owner, &params).await?,
    ))
}

/// The chat settings (admin).
#[utoipa::path(tag = "chats", responses((status = 200, body = Object)))]
#[get("/config")]
pub async fn get_config(
    state: web::Data<AppState>,
    _admin: AdminUser,
) -> web::Json<Map<String, Value>> {
    web::Json(admin::chat_config(&state.app))
}

/// Saves the chat settings (admin); fields not sent keep their values.
#[utoipa::path(tag = "chats", request_body = hearth_services::chats::admin::ChatConfigForm, responses((status = 200, body = Object), (status = 422)))]
#[post("/config")]
pub async fn set_config(
    state: web::Data<AppState>,
    _admin: AdminUser,
    form: JsonBody<Map<String, Value>>,
) -> ApiResult<web::Json<Map<String, Value>>> {
    Ok(web::Json(
        admin::set_chat_config(&state.app, form.into_inner()).await?,
    ))
}
