//! `/api/v1/chats`: the chat history — lists, documents, pins, archive, folders, tags,
//! export and import.

mod admin;
mod branches;
mod crud;
pub mod dto;
mod flags;
mod lists;
mod share;
mod tags;
pub(crate) use tags::set_tags;
mod transfer;

use crate::error::{ApiError, ApiResult};
use crate::messages as msg;
use crate::state::AppState;
use hearth_domain::chat::document::{message_record, messages_of};
use hearth_domain::chat::{Chat, MessageRecord};
use hearth_domain::{Role, User};
use serde_json::{Value, json};
use utoipa_actix_web::scope;
use utoipa_actix_web::service_config::ServiceConfig;

/// Chats per page of the main lists.
pub const PAGE_SIZE: u64 = 60;
/// Chats per page of a folder's list.
pub const FOLDER_PAGE_SIZE: u64 = 10;

/// Registers the router. Fixed paths come before `/{id}`.
pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(
        scope("/api/v1/chats")
            .service(lists::list_root)
            .service(lists::list)
            .service(lists::pinned)
            .service(lists::archived)
            .service(lists::archived_count)
            .service(lists::folder_list)
            .service(lists::by_tag)
            .service(lists::search)
            .service(admin::user_chats)
            .service(admin::get_config)
            .service(admin::set_config)
            .service(share::shared_list)
            .service(share::unshare_all)
            .service(share::shared_chat)
            .service(share::access)
            .service(share::update_access)
            .service(crud::create)
            .service(crud::delete_all)
            .service(flags::archive_all)
            .service(flags::unarchive_all)
            .service(flags::read_all)
            .service(tags::all_tags)
            .service(transfer::export_all)
            .service(transfer::all_archived)
            .service(transfer::import)
            .service(transfer::folder_chats)
            .service(crud::get)
            .service(crud::update)
            .service(crud::delete)
            .service(crud::update_params)
            .service(crud::clone)
            .service(branches::fork)
            .service(branches::update_message)
            .service(branches::delete_message_route)
            .service(flags::pinned_status)
            .service(flags::pin)
            .service(flags::archive)
            .service(flags::move_to_folder)
            .service(flags::unread)
            .service(share::share)
            .service(share::unshare)
            .service(tags::chat_tags)
            .service(tags::add_tag)
            .service(tags::remove_tag),
    );
}

pub(crate) use crate::routes::may;

/// The caller's own chat, or `status`-less 401 with `detail` as upstream answers.
pub(crate) async fn own_chat(
    state: &AppState,
    user: &User,
    id: &str,
    detail: &'static str,
) -> ApiResult<Chat> {
    match state.stores.chats.get(id).await? {
        Some(chat) if chat.user_id == user.id => Ok(chat),
        _ => Err(ApiError::unauthorized(detail)),
    }
}

/// A chat the caller may read: their own, or any chat for an admin.
pub(crate) async fn readable_chat(state: &AppState, user: &User, id: &str) -> ApiResult<Chat> {
    match state.stores.chats.get(id).await? {
        Some(chat) if chat.user_id == user.id || user.role == Role::Admin => Ok(chat),
        _ => Err(ApiError::unauthorized(msg::NOT_FOUND)),
    }
}

/// Attributes client-written messages to the caller, as upstream does.
pub(crate) fn set_message_authors(document: &mut Value, user: &User) {
    let author = json!({"id": user.id.as_str(), "name": user.name});
    let mut stamp = |message: &mut Value| {
        if let Value::Object(message) = message {
            message.insert("user_id".into(), json!(user.id.as_str()));
            if message.get("role").and_then(Value::as_str) == Some("user") {
                message.insert("user".into(), author.clone());
            }
        }
    };
    if let Some(Value::Object(messages)) = document.pointer_mut("/history/messages") {
        messages.values_mut().for_each(&mut stamp);
    }
    if let Some(Value::Array(messages)) = document.get_mut("messages") {
        messages.iter_mut().for_each(&mut stamp);
    }
}

/// The `chat_message` rows of every message in a document.
pub(crate) fn message_records(document: &Value, owner: &str, now: i64) -> Vec<MessageRecord> {
    messages_of(document)
        .iter()
        .filter_map(|(id, message)| message_record(id, message, owner, now))
        .collect()
}

/// Refuses chat creation to users who may only use temporary chats.
pub(crate) fn check_can_create(state: &AppState, user: &User) -> ApiResult<()> {
    if user.role != Role::Admin
        && may(state, user, "chat.temporary")
        && may(state, user, "chat.temporary_enforced")
    {
        return Err(ApiError::forbidden(msg::ACCESS_PROHIBITED));
    }
    Ok(())
}

/// Page `page` (from 1) of `size`: `(offset, Some(size))`, or everything without a page.
pub(crate) fn paging(page: Option<i64>, size: u64) -> (u64, Option<u64>) {
    match page {
        Some(page) => {
            let page = u64::try_from(page.max(1)).unwrap_or(1);
            (
                (page - 1).saturating_mul(size).min(i64::MAX as u64),
                Some(size),
            )
        }
        None => (0, None),
    }
}

/// What a new chat row is built from (new chat, import, clone).
pub(crate) struct NewChat {
    /// The document.
    pub document: Value,
    /// `meta` (tags).
    pub meta: Value,
    /// Variables.
    pub variables: Value,
    /// Pinned.
    pub pinned: bool,
    /// Archived.
    pub archived: bool,
    /// Folder.
    pub folder_id: Option<String>,
    /// Creation time to keep (import), else now.
    pub created_at: Option<i64>,
    /// Update time to keep (import), else now.
    pub updated_at: Option<i64>,
}

/// Builds a chat row and its message rows for `user` (messages attributed, NUL stripped).
pub(crate) fn build_chat(user: &User, mut new: NewChat, now: i64) -> (Chat, Vec<MessageRecord>) {
    use hearth_domain::chat::document::{current_message_id, title_of};
    hearth_domain::text::strip_nul_json(&mut new.document);
    let records = message_records(&new.document, user.id.as_str(), now);
    let chat = Chat {
        id: uuid::Uuid::new_v4().to_string(),
        user_id: user.id.clone(),
        title: title_of(&new.document),
        current_message_id: current_message_id(&new.document),
        document: new.document,
        created_at: new.created_at.unwrap_or(now),
        updated_at: new.updated_at.unwrap_or(now),
        share_id: None,
        archived: new.archived,
        pinned: new.pinned,
        meta: if new.meta.is_object() {
            new.meta
        } else {
            json!({})
        },
        variables: if new.variables.is_object() {
            new.variables
        } else {
            json!({})
        },
        folder_id: new.folder_id,
        tasks: None,
        summary: None,
        last_read_at: Some(now),
    };
    (chat, records)
}

/// A folder id the caller may file chats into, or 404.
pub(crate) async fn check_own_folder(
    state: &AppState,
    user: &User,
    folder_id: Option<&str>,
) -> ApiResult<()> {
    let Some(folder_id) = folder_id else {
        return Ok(());
    };
    match state.stores.folders.folder(&user.id, folder_id).await? {
        Some(_) => Ok(()),
        None => Err(ApiError::not_found(msg::NOT_FOUND)),
    }
}

/// Unread chats per folder, each folder counting its subfolders' too (every folder listed).
pub(crate) async fn folder_unread_counts(
    state: &AppState,
    user: &User,
) -> ApiResult<std::collections::BTreeMap<String, u64>> {
    let folders = state.stores.folders.folders(&user.id).await?;
    let parents: std::collections::HashMap<String, Option<String>> = folders
        .iter()
        .map(|f| (f.id.clone(), f.parent_id.clone()))
        .collect();
    let mut counts: std::collections::BTreeMap<String, u64> =
        folders.iter().map(|f| (f.id.clone(), 0)).collect();
    for (folder, unread) in state.stores.chats.unread_by_folder(&user.id).await? {
        let mut current = Some(folder);
        let mut seen = std::collections::HashSet::new();
        while let Some(id) = current.filter(|id| seen.insert(id.clone())) {
            if let Some(count) = counts.get_mut(&id) {
                *count += unread;
            }
            current = parents.get(&id).cloned().flatten();
        }
    }
    Ok(counts)
}
