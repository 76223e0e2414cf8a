//! Chat tags: the caller's tags, a chat's tags, adding and removing one.

use super::dto::{TagForm, TagResponse};
use super::{own_chat, readable_chat};
use crate::error::{ApiError, ApiResult};
use crate::extract::VerifiedUser;
use crate::messages as msg;
use crate::state::AppState;
use actix_web::{delete, get, post, web};
use hearth_domain::chat::Chat;
use hearth_domain::chat::tags::{Tag, tag_id};
use hearth_domain::text::strip_nul;
use serde_json::{Value, json};

/// Every tag of the caller.
#[utoipa::path(tag = "chats", responses((status = 200, body = Vec<TagResponse>)))]
#[get("/all/tags")]
pub async fn all_tags(
    state: web::Data<AppState>,
    caller: VerifiedUser,
) -> ApiResult<web::Json<Vec<TagResponse>>> {
    let tags = state.stores.chats.tags(&caller.user().id).await?;
    Ok(web::Json(tags.into_iter().map(Into::into).collect()))
}

async fn tags_of(state: &AppState, chat: &Chat) -> ApiResult<Vec<TagResponse>> {
    let ids = chat.tag_ids();
    let tags = state.stores.chats.tags(&chat.user_id).await?;
    Ok(tags
        .into_iter()
        .filter(|t| ids.contains(&t.id))
        .map(Into::into)
        .collect())
}

/// A chat's tags.
#[utoipa::path(tag = "chats", responses((status = 200, body = Vec<TagResponse>)))]
#[get("/{id}/tags")]
pub async fn chat_tags(
    state: web::Data<AppState>,
    caller: VerifiedUser,
    path: web::Path<String>,
) -> ApiResult<web::Json<Vec<TagResponse>>> {
    let chat = readable_chat(&state, caller.user(), &path).await?;
    Ok(web::Json(tags_of(&state, &chat).await?))
}

/// Tags a chat (creating the tag); answers with the chat's tags.
#[utoipa::path(tag = "chats", request_body = TagForm, responses((status = 200, body = Vec<TagResponse>)))]
#[post("/{id}/tags")]
pub async fn add_tag(
    state: web::Data<AppState>,
    caller: VerifiedUser,
    path: web::Path<String>,
    form: web::Json<TagForm>,
) -> ApiResult<web::Json<Vec<TagResponse>>> {
    let user = caller.user();
    let mut chat = own_chat(&state, user, &path, msg::DEFAULT).await?;
    let name = strip_nul(form.name.trim());
    let id = tag_id(&name);
    if id == "none" {
        return Err(ApiError::bad_request("[ERROR: Tag name cannot be 'None']"));
    }
    if id.is_empty() {
        return Err(ApiError::bad_request("[ERROR: Tag name cannot be empty]"));
    }
    let mut ids = chat.tag_ids();
    if !ids.contains(&id) {
        let tag = Tag {
            id: id.clone(),
            name,
            user_id: user.id.to_string(),
            meta: None,
        };
        state.stores.chats.ensure_tag(&tag).await?;
        ids.push(id);
        set_tags(&mut chat, ids);
        state.stores.chats.save_flags(&chat).await?;
    }
    Ok(web::Json(tags_of(&state, &chat).await?))
}

/// Untags a chat; the tag row goes when no chat uses it.
#[utoipa::path(tag = "chats", request_body = TagForm, responses((status = 200, body = Vec<TagResponse>)))]
#[delete("/{id}/tags")]
pub async fn remove_tag(
    state: web::Data<AppState>,
    caller: VerifiedUser,
    path: web::Path<String>,
    form: web::Json<TagForm>,
) -> ApiResult<web::Json<Vec<TagResponse>>> {
    let user = caller.user();
    let mut chat = own_chat(&state, user, &path, msg::NOT_FOUND).await?;
    let id = tag_id(&form.name);
    let ids: Vec<String> = chat.tag_ids().into_iter().filter(|t| *t != id).collect();
    set_tags(&mut chat, ids);
    state.stores.chats.save_flags(&chat).await?;
    state.stores.chats.delete_unused_tags(&user.id).await?;
    Ok(web::Json(tags_of(&state, &chat).await?))
}

/// Stores `ids` as the chat's tags (`meta.tags`), making `meta` an object if it is not one.
pub(crate) fn set_tags(chat: &mut Chat, ids: Vec<String>) {
    if !chat.meta.is_object() {
        chat.meta = json!({});
    }
    if let Value::Object(meta) = &mut chat.meta {
        meta.insert("tags".into(), json!(ids));
    }
}
