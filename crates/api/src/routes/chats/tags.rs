//! Chat tags: the caller's tags, a chat's tags, adding and removing one.

use crate::error::ApiResult;
use crate::extract::VerifiedUser;
use crate::json_body::JsonBody;
use crate::state::AppState;
use actix_web::{delete, get, post, web};
use hearth_domain::ids::ChatId;
use hearth_services::chats::dto::TagResponse;
use hearth_services::chats::forms::TagForm;
use hearth_services::chats::tags;

type Tags = ApiResult<web::Json<Vec<TagResponse>>>;

/// Every tag of the caller.
#[utoipa::path(tag = "chats", responses((status = 200, body = Vec<TagResponse>)))]
#[get("/all/tags")]
pub async fn all_tags(state: web::Data<AppState>, caller: VerifiedUser) -> Tags {
    Ok(web::Json(tags::all_tags(&state.app, caller.user()).await?))
}

/// A chat's tags.
#[utoipa::path(tag = "chats", responses((status = 200, body = Vec<TagResponse>)))]
#[get("/{id}/tags")]
pub async fn chat_tags(
    state: web::Data<AppState>,
    caller: VerifiedUser,
    path: web::Path<String>,
) -> Tags {
    let id = ChatId::from(path.into_inner());
    Ok(web::Json(
        tags::chat_tags(&state.app, caller.user(), &id).await?,
    ))
}

/// Tags a chat (creating the tag); answers with the chat's tags.
#[utoipa::path(tag = "chats", request_body = TagForm, responses((status = 200, body = Vec<TagResponse>)))]
#[post("/{id}/tags")]
pub async fn add_tag(
    state: web::Data<AppState>,
    caller: VerifiedUser,
    path: web::Path<String>,
    form: JsonBody<TagForm>,
) -> Tags {
    let id = ChatId::from(path.into_inner());
    Ok(web::Json(
        tags::add_tag(&state.app, caller.user(), &id, &form.name).await?,
    ))
}

/// Untags a chat; the tag row goes when no chat uses it.
#[utoipa::path(tag = "chats", request_body = TagForm, responses((status = 200, body = Vec<TagResponse>)))]
#[delete("/{id}/tags")]
pub async fn remove_tag(
    state: web::Data<AppState>,
    caller: VerifiedUser,
    path: web::Path<String>,
    form: JsonBody<TagForm>,
) -> Tags {
    let id = ChatId::from(path.into_inner());
    Ok(web::Json(
        tags::remove_tag(&state.app, caller.user(), &id, &form.name).await?,
    ))
}
