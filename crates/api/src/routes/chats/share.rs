//! Sharing: a frozen snapshot reachable by its token, who may open it, and the lists.

use super::dto::ChatResponse;
use super::{PAGE_SIZE, may, own_chat, paging};
use crate::error::{ApiError, ApiResult};
use crate::extract::VerifiedUser;
use crate::messages as msg;
use crate::routes::auths::optional_session_user;
use crate::routes::grants::{self, GrantBody};
use crate::state::AppState;
use actix_web::{HttpRequest, delete, get, post, web};
use hearth_domain::chat::Chat;
use hearth_domain::chat::share::SharedChat;
use hearth_domain::time::now_epoch;
use hearth_domain::{Role, User};
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};
use utoipa::{IntoParams, ToSchema};

/// Body of `POST /{id}/share`.
#[derive(Debug, Default, Deserialize, ToSchema)]
pub struct ShareForm {
    /// `continue` lets readers with access continue the live chat; `null` shows the snapshot.
    #[serde(default, deserialize_with = "present")]
    pub share_mode: Option<Option<String>>,
}

fn present<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<Option<String>>, D::Error> {
    Option::<String>::deserialize(d).map(Some)
}

/// Shares a chat (needs `chat.share`), or refreshes its snapshot if already shared.
#[utoipa::path(tag = "chats", request_body = ShareForm, responses((status = 200, body = ChatResponse)))]
#[post("/{id}/share")]
pub async fn share(
    state: web::Data<AppState>,
    caller: VerifiedUser,
    path: web::Path<String>,
    form: Option<web::Json<ShareForm>>,
) -> ApiResult<web::Json<ChatResponse>> {
    let user = caller.user();
    if !may(&state, user, "chat.share") {
        return Err(ApiError::unauthorized(msg::ACCESS_PROHIBITED));
    }
    let chat = own_chat(&state, user, &path, msg::ACCESS_PROHIBITED).await?;
    let mode = form.map(|f| f.into_inner().share_mode).unwrap_or_default();
    state
        .stores
        .shares
        .snapshot(&chat.id, mode, now_epoch())
        .await?;
    let chat = state
        .stores
        .chats
        .get(&chat.id)
        .await?
        .ok_or_else(|| ApiError::not_found(msg::NOT_FOUND))?;
    Ok(web::Json(chat.into()))
}

/// Stops sharing a chat.
#[utoipa::path(tag = "chats", responses((status = 200, body = bool)))]
#[delete("/{id}/share")]
pub async fn unshare(
    state: web::Data<AppState>,
    caller: VerifiedUser,
    path: web::Path<String>,
) -> ApiResult<web::Json<bool>> {
    let chat = own_chat(&state, caller.user(), &path, msg::ACCESS_PROHIBITED).await?;
    state.stores.shares.unshare(&chat.id).await?;
    Ok(web::Json(true))
}

/// Stops sharing every chat of the caller.
#[utoipa::path(tag = "chats", responses((status = 200, body = bool)))]
#[delete("/share/all")]
pub async fn unshare_all(
    state: web::Data<AppState>,
    caller: VerifiedUser,
) -> ApiResult<web::Json<bool>> {
    loop {
        let batch = state
            .stores
            .shares
            .shared_by_user(&caller.user().id, 0, 500)
            .await?;
        if batch.is_empty() {
            return Ok(web::Json(true));
        }
        for shared in batch {
            state.stores.shares.unshare(&shared.chat_id).await?;
        }
    }
}

/// A shared chat as the share list shows it.
#[derive(Debug, Serialize, ToSchema)]
pub struct SharedEntry {
    /// The chat's id.
    pub id: String,
    /// Title.
    pub title: String,
    /// Share token.
    pub share_id: Option<String>,
    /// Last re-snapshot.
    pub updated_at: i64,
    /// First shared.
    pub created_at: i64,
}

/// Query of the share list.
#[derive(Debug, Deserialize, IntoParams)]
pub struct SharedParams {
    /// Page (60 per page).
    pub page: Option<i64>,
}

/// The caller's shared chats.
#[utoipa::path(tag = "chats", params(SharedParams), responses((status = 200, body = Vec<SharedEntry>)))]
#[get("/shared")]
pub async fn shared_list(
    state: web::Data<AppState>,
    caller: VerifiedUser,
    params: web::Query<SharedParams>,
) -> ApiResult<web::Json<Vec<SharedEntry>>> {
    let (offset, limit) = paging(Some(params.page.unwrap_or(1)), PAGE_SIZE);
    let shared = state
        .stores
        .shares
        .shared_by_user(&caller.user().id, offset, limit.unwrap_or(PAGE_SIZE))
        .await?;
    Ok(web::Json(
        shared
            .into_iter()
            .map(|s| SharedEntry {
                id: s.chat_id,
                title: s.title,
                share_id: Some(s.id),
                updated_at: s.updated_at,
                created_at: s.created_at,
            })
            .collect(),
    ))
}

async fn can_read(state: &AppState, user: Option<&User>, shared: &SharedChat) -> ApiResult<bool> {
    let Some(user) = user.filter(|u| u.role.is_verified()) else {
        return Ok(false);
    };
    if user.role == Role::Admin || shared.user_id == user.id {
        return Ok(true);
    }
    Ok(state
        .stores
        .shares
        .grants(&shared.chat_id)
        .await?
        .iter()
        .any(|g| g.lets_read(&user.id)))
}

/// Shows a shared chat to signed-in users allowed by its grants (the owner and admins
/// always): the snapshot, or the live chat for its owner in `continue` mode.
#[utoipa::path(tag = "chats", responses((status = 200, body = ChatResponse)))]
#[get("/share/{share_id}")]
pub async fn shared_chat(
    req: HttpRequest,
    state: web::Data<AppState>,
    path: web::Path<String>,
) -> ApiResult<web::Json<ChatResponse>> {
    let user = optional_session_user(&req, &state).await?;
    let Some(shared) = state.stores.shares.shared(&path).await? else {
        return Err(ApiError::unauthorized(msg::NOT_FOUND));
    };
    if !can_read(&state, user.as_ref(), &shared).await? {
        let detail = if user.is_some() {
            msg::ACCESS_PROHIBITED
        } else {
            msg::INVALID_TOKEN
        };
        return Err(ApiError::unauthorized(detail));
    }
    let live = shared.document.get("share_mode").and_then(Value::as_str) == Some("continue")
        && user.as_ref().is_some_and(|u| u.id == shared.user_id);
    let mut response: ChatResponse = if live {
        let chat = state
            .stores
            .chats
            .get(&shared.chat_id)
            .await?
            .ok_or_else(|| ApiError::unauthorized(msg::NOT_FOUND))?;
        chat.into()
    } else {
        snapshot_chat(shared).into()
    };
    if let Value::Object(document) = &mut response.chat {
        document.insert(
            "share_mode".into(),
            if live { json!("continue") } else { Value::Null },
        );
        if !live {
            for key in [
                "params",
                "tool_servers",
                "tool_ids",
                "filter_ids",
                "variables",
            ] {
                document.remove(key);
            }
        }
    }
    Ok(web::Json(response))
}

fn snapshot_chat(shared: SharedChat) -> Chat {
    Chat {
        id: shared.id.clone(),
        user_id: shared.user_id,
        title: shared.title,
        document: shared.document,
        created_at: shared.created_at,
        updated_at: shared.updated_at,
        share_id: Some(shared.id),
        archived: false,
        pinned: false,
        meta: json!({}),
        variables: json!({}),
        folder_id: None,
        tasks: None,
        summary: None,
        current_message_id: None,
        last_read_at: None,
    }
}

/// Body of `POST /shared/{id}/access/update`.
#[derive(Debug, Deserialize, ToSchema)]
pub struct AccessForm {
    /// The grants replacing the current ones.
    pub access_grants: Vec<GrantBody>,
    /// New share mode, when sent.
    #[serde(default, deserialize_with = "present")]
    pub share_mode: Option<Option<String>>,
}

async fn grantable_chat(state: &AppState, user: &User, id: &str) -> ApiResult<Chat> {
    match state.stores.chats.get(id).await? {
        Some(chat) if chat.user_id == user.id || user.role == Role::Admin => Ok(chat),
        _ => Err(ApiError::not_found(msg::NOT_FOUND)),
    }
}

/// Who may open a shared chat.
#[utoipa::path(tag = "chats", responses((status = 200, body = Vec<GrantBody>)))]
#[get("/shared/{id}/access")]
pub async fn access(
    state: web::Data<AppState>,
    caller: VerifiedUser,
    path: web::Path<String>,
) -> ApiResult<web::Json<Vec<GrantBody>>> {
    let chat = grantable_chat(&state, caller.user(), &path).await?;
    let grants = state.stores.shares.grants(&chat.id).await?;
    Ok(web::Json(grants::bodies(grants)))
}

/// Replaces who may open a shared chat (sharing with everyone needs `sharing.public_chats`).
#[utoipa::path(tag = "chats", request_body = AccessForm, responses((status = 200, body = ChatResponse)))]
#[post("/shared/{id}/access/update")]
pub async fn update_access(
    state: web::Data<AppState>,
    caller: VerifiedUser,
    path: web::Path<String>,
    form: web::Json<AccessForm>,
) -> ApiResult<web::Json<ChatResponse>> {
    let user = caller.user();
    let chat = grantable_chat(&state, user, &path).await?;
    let form = form.into_inner();
    let public_allowed = may(&state, user, "sharing.public_chats");
    let grants = grants::accept(form.access_grants, public_allowed)?;
    state
        .stores
        .shares
        .set_grants(&chat.id, &grants, now_epoch())
        .await?;
    if let (Some(mode), Some(_)) = (form.share_mode, &chat.share_id) {
        state
            .stores
            .shares
            .snapshot(&chat.id, Some(mode), now_epoch())
            .await?;
    }
    Ok(web::Json(chat.into()))
}
