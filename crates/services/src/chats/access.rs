//! Whose chat is it: the checks every chat use case starts with, and how a new chat row is
//! built (new chat, import, clone, fork, first message).

use super::dto::ChatResponse;
use crate::App;
use crate::error::{ServiceError, ServiceResult};
use crate::messages as msg;
use crate::permissions::may;
use hearth_domain::chat::{Chat, ChatDocument, MessageRecord};
use hearth_domain::ids::{ChatId, FolderId};
use hearth_domain::text::strip_nul_json;
use hearth_domain::time::now_epoch;
use hearth_domain::{Role, User};
use serde_json::{Value, json};
use std::collections::{BTreeMap, HashMap, HashSet};

/// The caller's own chat, or 401 with `detail` as upstream answers.
pub async fn own_chat(
    app: &App,
    user: &User,
    id: &ChatId,
    detail: &'static str,
) -> ServiceResult<Chat> {
    match app.storage.chats().get(id).await? {
        Some(chat) if chat.user_id == user.id => Ok(chat),
        _ => Err(ServiceError::unauthorized(detail)),
    }
}

/// A chat the caller may read: their own, or any chat for an admin (401 otherwise).
pub async fn readable_chat(app: &App, user: &User, id: &ChatId) -> ServiceResult<Chat> {
    match app.storage.chats().get(id).await? {
        Some(chat) if chat.user_id == user.id || user.role == Role::Admin => Ok(chat),
        _ => Err(ServiceError::unauthorized(msg::NOT_FOUND)),
    }
}

/// A chat the caller may change or share: their own, or any for an admin (`missing`
/// otherwise).
pub async fn managed_chat(
    app: &App,
    user: &User,
    id: &ChatId,
    missing: ServiceError,
) -> ServiceResult<Chat> {
    match app.storage.chats().get(id).await? {
        Some(chat) if chat.user_id == user.id || user.role == Role::Admin => Ok(chat),
        _ => Err(missing),
    }
}

/// Refuses chat creation to users who may only use temporary chats.
pub fn check_can_create(app: &App, user: &User) -> ServiceResult<()> {
    if user.role != Role::Admin
        && may(app, user, "chat.temporary")
        && may(app, user, "chat.temporary_enforced")
    {
        return Err(ServiceError::forbidden(msg::ACCESS_PROHIBITED));
    }
    Ok(())
}

/// A folder id the caller may file chats into, or 404.
pub async fn check_own_folder(
    app: &App,
    user: &User,
    folder_id: Option<&FolderId>,
) -> ServiceResult<()> {
    let Some(folder_id) = folder_id else {
        return Ok(());
    };
    match app.storage.folders().folder(&user.id, folder_id).await? {
        Some(_) => Ok(()),
        None => Err(ServiceError::not_found(msg::NOT_FOUND)),
    }
}

/// Unread chats per folder, each folder counting its subfolders' too (every folder listed).
pub async fn folder_unread_counts(app: &App, user: &User) -> ServiceResult<BTreeMap<String, u64>> {
    let folders = app.storage.folders().folders(&user.id).await?;
    let parents: HashMap<FolderId, Option<FolderId>> = folders
        .iter()
        .map(|f| (f.id.clone(), f.parent_id.clone()))
        .collect();
    let mut counts: BTreeMap<String, u64> = folders.iter().map(|f| (f.id.to_string(), 0)).collect();
    for (folder, unread) in app.storage.chats().unread_by_folder(&user.id).await? {
        let mut current = Some(folder);
        let mut seen = HashSet::new();
        while let Some(id) = current.filter(|id| seen.insert(id.clone())) {
            if let Some(count) = counts.get_mut(id.as_str()) {
                *count += unread;
            }
            current = parents.get(&id).cloned().flatten();
        }
    }
    Ok(counts)
}

/// What a new chat row is built from (new chat, import, clone, fork, first message).
pub struct NewChat {
    /// The document.
    pub document: ChatDocument,
    /// `meta` (tags).
    pub meta: Value,
    /// Variables.
    pub variables: Value,
    /// Pinned.
    pub pinned: bool,
    /// Archived.
    pub archived: bool,
    /// Folder.
    pub folder_id: Option<FolderId>,
    /// Creation time to keep (import), else now.
    pub created_at: Option<i64>,
    /// Update time to keep (import), else now.
    pub updated_at: Option<i64>,
}

impl NewChat {
    /// A chat with this document and nothing else set.
    pub fn from_document(document: ChatDocument) -> Self {
        Self {
            document,
            meta: json!({}),
            variables: json!({}),
            pinned: false,
            archived: false,
            folder_id: None,
            created_at: None,
            updated_at: None,
        }
    }
}

fn object_or_empty(value: Value) -> Value {
    if value.is_object() { value } else { json!({}) }
}

/// Builds a chat row (with a new id) and its message rows for `user` (NUL stripped).
pub fn build_chat(user: &User, mut new: NewChat, now: i64) -> (Chat, Vec<MessageRecord>) {
    new.document.strip_nul();
    strip_nul_json(&mut new.meta);
    strip_nul_json(&mut new.variables);
    let records = new.document.records(&user.id, now);
    let chat = Chat {
        id: ChatId::generate(),
        user_id: user.id.clone(),
        title: new.document.title(),
        current_message_id: new.document.current_message_id(),
        document: new.document,
        created_at: new.created_at.unwrap_or(now),
        updated_at: new.updated_at.unwrap_or(now),
        share_id: None,
        archived: new.archived,
        pinned: new.pinned,
        meta: object_or_empty(new.meta),
        variables: object_or_empty(new.variables),
        folder_id: new.folder_id,
        tasks: None,
        summary: None,
        last_read_at: Some(now),
    };
    (chat, records)
}

/// Stores a new chat of `user` built from `new`, with its message rows.
pub async fn insert_chat(app: &App, user: &User, new: NewChat) -> ServiceResult<ChatResponse> {
    let (chat, records) = build_chat(user, new, now_epoch());
    app.storage
        .chats()
        .insert(&[(chat.clone(), records)])
        .await?;
    Ok(chat.into())
}

/// The ids of the caller's folders.
pub async fn own_folder_ids(app: &App, user: &User) -> ServiceResult<Vec<FolderId>> {
    let folders = app.storage.folders().folders(&user.id).await?;
    Ok(folders.into_iter().map(|f| f.id).collect())
}
