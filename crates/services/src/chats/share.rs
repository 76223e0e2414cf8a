//! Sharing: a frozen snapshot reachable by its token, who may open it, and the lists.

use super::access::{managed_chat, own_chat};
use super::dto::{ChatResponse, SharedEntry};
use super::forms::{AccessForm, ShareForm};
use super::{PAGE_SIZE, paging};
use crate::App;
use crate::error::{ServiceError, ServiceResult};
use crate::grants::{self, GrantBody};
use crate::messages as msg;
use crate::permissions::may;
use hearth_domain::chat::Chat;
use hearth_domain::chat::share::SharedChat;
use hearth_domain::ids::{ChatId, ShareId};
use hearth_domain::time::now_epoch;
use hearth_domain::{Role, User};
use serde_json::{Value, json};

/// Shares a chat (needs `chat.share`), or refreshes its snapshot if already shared.
pub async fn share(
    app: &App,
    user: &User,
    id: &ChatId,
    form: Option<ShareForm>,
) -> ServiceResult<ChatResponse> {
    if !may(app, user, "chat.share") {
        return Err(ServiceError::unauthorized(msg::ACCESS_PROHIBITED));
    }
    let chat = own_chat(app, user, id, msg::ACCESS_PROHIBITED).await?;
    let mode = form.map(|f| f.share_mode).unwrap_or_default();
    app.storage
        .shares()
        .snapshot(&chat.id, mode, now_epoch())
        .await?;
    let chat = app
        .storage
        .chats()
        .get(&chat.id)
        .await?
        .ok_or_else(|| ServiceError::not_found(msg::NOT_FOUND))?;
    Ok(chat.into())
}

/// Stops sharing a chat.
pub async fn unshare(app: &App, user: &User, id: &ChatId) -> ServiceResult<bool> {
    let chat = own_chat(app, user, id, msg::ACCESS_PROHIBITED).await?;
    app.storage.shares().unshare(&chat.id).await?;
    Ok(true)
}

/// Stops sharing every chat of the caller.
pub async fn unshare_all(app: &App, user: &User) -> ServiceResult<bool> {
    loop {
        let batch = app
            .storage
            .shares()
            .shared_by_user(&user.id, 0, 500)
            .await?;
        if batch.is_empty() {
            return Ok(true);
        }
        for shared in batch {
            app.storage.shares().unshare(&shared.chat_id).await?;
        }
    }
}

/// The caller's shared chats.
pub async fn shared_list(
    app: &App,
    user: &User,
    page: Option<i64>,
) -> ServiceResult<Vec<SharedEntry>> {
    let (offset, limit) = paging(Some(page.unwrap_or(1)), PAGE_SIZE);
    let shared = app
        .storage
        .shares()
        .shared_by_user(&user.id, offset, limit.unwrap_or(PAGE_SIZE))
        .await?;
    Ok(shared
        .into_iter()
        .map(|s| SharedEntry {
            id: s.chat_id.into_string(),
            title: s.title,
            share_id: Some(s.id.into_string()),
            updated_at: s.updated_at,
            created_at: s.created_at,
        })
        .collect())
}

async fn can_read(app: &App, user: Option<&User>, shared: &SharedChat) -> ServiceResult<bool> {
    let Some(user) = user.filter(|u| u.role.is_verified()) else {
        return Ok(false);
    };
    if user.role == Role::Admin || shared.user_id == user.id {
        return Ok(true);
    }
    Ok(app
        .storage
        .shares()
        .grants(&shared.chat_id)
        .await?
        .iter()
        .any(|g| g.lets_read(&user.id)))
}

/// Shows a shared chat to signed-in users allowed by its grants (the owner and admins
/// always): the snapshot, or the live chat for its owner in `continue` mode.
pub async fn shared_chat(
    app: &App,
    user: Option<&User>,
    share: &ShareId,
) -> ServiceResult<ChatResponse> {
    let Some(shared) = app.storage.shares().shared(share).await? else {
        return Err(ServiceError::unauthorized(msg::NOT_FOUND));
    };
    if !can_read(app, user, &shared).await? {
        let detail = if user.is_some() {
            msg::ACCESS_PROHIBITED
        } else {
            msg::INVALID_TOKEN
        };
        return Err(ServiceError::unauthorized(detail));
    }
    let live = shared.document.get("share_mode").and_then(Value::as_str) == Some("continue")
        && user.is_some_and(|u| u.id == shared.user_id);
    let mut chat = if live {
        app.storage
            .chats()
            .get(&shared.chat_id)
            .await?
            .ok_or_else(|| ServiceError::unauthorized(msg::NOT_FOUND))?
    } else {
        snapshot_chat(shared)
    };
    chat.document.set(
        "share_mode",
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
            chat.document.remove(key);
        }
    }
    Ok(chat.into())
}

fn snapshot_chat(shared: SharedChat) -> Chat {
    Chat {
        id: ChatId::from(shared.id.as_str()),
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

/// Who may open a shared chat.
pub async fn access(app: &App, user: &User, id: &ChatId) -> ServiceResult<Vec<GrantBody>> {
    let chat = managed_chat(app, user, id, ServiceError::not_found(msg::NOT_FOUND)).await?;
    let grants = app.storage.shares().grants(&chat.id).await?;
    Ok(grants::bodies(grants))
}

/// Replaces who may open a shared chat (sharing with everyone needs `sharing.public_chats`).
pub async fn update_access(
    app: &App,
    user: &User,
    id: &ChatId,
    form: AccessForm,
) -> ServiceResult<ChatResponse> {
    let chat = managed_chat(app, user, id, ServiceError::not_found(msg::NOT_FOUND)).await?;
    let public_allowed = may(app, user, "sharing.public_chats");
    let grants = grants::accept(form.access_grants, public_allowed)?;
    let shares = app.storage.shares();
    shares.set_grants(&chat.id, &grants, now_epoch()).await?;
    if let (Some(mode), Some(_)) = (form.share_mode, &chat.share_id) {
        shares.snapshot(&chat.id, Some(mode), now_epoch()).await?;
    }
    Ok(chat.into())
}
