//! A folder's page in the web client: its chats, newest first, ten per page. Folder sharing
//! is not available yet, so only the owner's own folders answer, always with write
//! permission.

use super::access::own_folder;
use crate::App;
use crate::error::ServiceResult;
use hearth_domain::User;
use hearth_domain::chat::{ChatListQuery, ChatSort};
use hearth_domain::ids::FolderId;
use serde::Deserialize;
use serde_json::{Value, json};
use utoipa::IntoParams;

/// Chats per page.
const PAGE: u64 = 10;
/// Chats returned without `page`.
const UNPAGED: u64 = 60;

/// Paging and order.
#[derive(Debug, Default, Deserialize, IntoParams)]
pub struct FolderChatsParams {
    /// 1-based page of ten; without it, the first 60.
    pub page: Option<u64>,
    /// `updated_at` (default), `created_at` or `title`.
    pub sort_by: Option<String>,
    /// `desc` (default) or `asc`.
    pub sort_dir: Option<String>,
}

/// The chats in one of the caller's folders.
pub async fn page_chats(
    app: &App,
    user: &User,
    id: &FolderId,
    params: &FolderChatsParams,
) -> ServiceResult<Value> {
    let folder = own_folder(app, user, id).await?;
    let page = params.page.map(|p| p.max(1));
    let query = ChatListQuery {
        folder_id: Some(folder.id),
        include_pinned: true,
        sort: ChatSort::from_query(params.sort_by.as_deref()),
        ascending: params.sort_dir.as_deref() == Some("asc"),
        ..ChatListQuery::default()
    };
    let all = app.storage.chats().list_titles(&user.id, &query).await?;
    let total = all.len() as u64;
    let (skip, take) = match page {
        Some(page) => ((page - 1).saturating_mul(PAGE), PAGE),
        None => (0, UNPAGED),
    };
    let active = app.tasks.active_chats().await;
    let chats: Vec<Value> = all
        .into_iter()
        .skip(usize::try_from(skip).unwrap_or(usize::MAX))
        .take(usize::try_from(take).unwrap_or(usize::MAX))
        .map(|chat| {
            json!({
                "id": chat.id, "title": chat.title, "user_id": user.id,
                "updated_at": chat.updated_at, "created_at": chat.created_at,
                "last_read_at": chat.last_read_at, "archived": chat.archived,
                "owner_name": user.name, "participants": [{"id": user.id, "name": user.name}],
                "active": active.contains(&chat.id), "readonly": false,
            })
        })
        .collect();
    let mut body = json!({"chats": chats, "folder_permission": "write"});
    if page.is_some() {
        body["total"] = json!(total);
        body["has_more"] = json!(skip + PAGE < total);
    }
    Ok(body)
}
