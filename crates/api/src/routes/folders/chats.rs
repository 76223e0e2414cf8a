//! `GET /api/v1/folders/{id}/shared/chats`: the chats of a folder as its page in the web client
//! lists them (newest first, ten per page). Folder sharing is not available yet, so only the
//! owner's own folders answer, always with write permission.

use super::{check_enabled, own_folder};
use crate::error::ApiResult;
use crate::extract::VerifiedUser;
use crate::state::AppState;
use actix_web::{get, web};
use hearth_domain::chat::{ChatListQuery, ChatSort};
use serde::Deserialize;
use serde_json::{Value, json};
use utoipa::IntoParams;

/// Chats per page.
const PAGE: u64 = 10;
/// Chats returned without `page`.
const UNPAGED: u64 = 60;

/// Paging and order.
#[derive(Debug, Deserialize, IntoParams)]
pub struct FolderChatsParams {
    /// 1-based page of ten; without it, the first 60.
    pub page: Option<u64>,
    /// `updated_at` (default), `created_at` or `title`.
    pub sort_by: Option<String>,
    /// `desc` (default) or `asc`.
    pub sort_dir: Option<String>,
}

/// The chats in one of the caller's folders.
#[utoipa::path(tag = "folders", params(FolderChatsParams), responses((status = 200, body = Object), (status = 404)))]
#[get("/{id}/shared/chats")]
pub async fn folder_page_chats(
    state: web::Data<AppState>,
    caller: VerifiedUser,
    path: web::Path<String>,
    params: web::Query<FolderChatsParams>,
) -> ApiResult<web::Json<Value>> {
    let user = caller.user();
    check_enabled(&state, user)?;
    let folder = own_folder(&state, user, &path).await?;
    let page = params.page.map(|p| p.max(1));
    let query = ChatListQuery {
        folder_id: Some(folder.id),
        include_pinned: true,
        sort: ChatSort::from_query(params.sort_by.as_deref()),
        ascending: params.sort_dir.as_deref() == Some("asc"),
        ..ChatListQuery::default()
    };
    let all = state.stores.chats.list_titles(&user.id, &query).await?;
    let total = all.len() as u64;
    let (skip, take) = match page {
        Some(page) => ((page - 1) * PAGE, PAGE),
        None => (0, UNPAGED),
    };
    let active = state.tasks.active_items().await;
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
    Ok(web::Json(body))
}
