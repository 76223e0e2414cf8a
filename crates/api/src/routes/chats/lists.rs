//! Chat lists: the sidebar pages, pinned, archived, a folder's page, chats by tag, search.

use super::dto::{ArchivedParams, ChatListParams, ChatTitleResponse, TagFilterForm};
use super::{FOLDER_PAGE_SIZE, PAGE_SIZE, paging};
use crate::error::ApiResult;
use crate::extract::VerifiedUser;
use crate::state::AppState;
use actix_web::{get, post, web};
use hearth_domain::chat::search::ChatSearch;
use hearth_domain::chat::tags::tag_id;
use hearth_domain::chat::{ChatListQuery, ChatSort, ChatTitle};
use serde::Deserialize;
use utoipa::IntoParams;

/// The caller's chats matching `query`, as the list bodies the client reads.
async fn titles(
    state: &AppState,
    caller: &VerifiedUser,
    query: &ChatListQuery,
) -> ApiResult<web::Json<Vec<ChatTitleResponse>>> {
    let found = state
        .stores
        .chats
        .list_titles(&caller.user().id, query)
        .await?;
    Ok(bodies(state, found).await)
}

/// The list bodies, `active` where a background task is answering in the chat.
async fn bodies(state: &AppState, found: Vec<ChatTitle>) -> web::Json<Vec<ChatTitleResponse>> {
    let mut bodies: Vec<ChatTitleResponse> = found.into_iter().map(Into::into).collect();
    if !bodies.is_empty() {
        let active = state.tasks.active_items().await;
        for body in bodies.iter_mut().filter(|b| active.contains(&b.id)) {
            body.active = true;
        }
    }
    web::Json(bodies)
}

async fn main_list(
    state: &AppState,
    caller: &VerifiedUser,
    params: &ChatListParams,
) -> ApiResult<web::Json<Vec<ChatTitleResponse>>> {
    let (offset, limit) = paging(params.page, PAGE_SIZE);
    let query = ChatListQuery {
        include_pinned: params.include_pinned,
        include_folders: params.include_folders,
        sort: ChatSort::from_query(params.sort_by.as_deref()),
        ascending: params.sort_dir.as_deref() == Some("asc"),
        offset,
        limit,
        ..ChatListQuery::default()
    };
    titles(state, caller, &query).await
}

/// The sidebar list: not archived, and unless asked, not pinned and not in folders.
/// `page` pages by 60; without it every chat is returned.
#[utoipa::path(tag = "chats", params(ChatListParams), responses((status = 200, body = Vec<ChatTitleResponse>)))]
#[get("/")]
pub async fn list_root(
    state: web::Data<AppState>,
    caller: VerifiedUser,
    params: web::Query<ChatListParams>,
) -> ApiResult<web::Json<Vec<ChatTitleResponse>>> {
    main_list(&state, &caller, &params).await
}

/// Same as `GET /`.
#[utoipa::path(tag = "chats", params(ChatListParams), responses((status = 200, body = Vec<ChatTitleResponse>)))]
#[get("/list")]
pub async fn list(
    state: web::Data<AppState>,
    caller: VerifiedUser,
    params: web::Query<ChatListParams>,
) -> ApiResult<web::Json<Vec<ChatTitleResponse>>> {
    main_list(&state, &caller, &params).await
}

/// Pinned chats.
#[utoipa::path(tag = "chats", responses((status = 200, body = Vec<ChatTitleResponse>)))]
#[get("/pinned")]
pub async fn pinned(
    state: web::Data<AppState>,
    caller: VerifiedUser,
) -> ApiResult<web::Json<Vec<ChatTitleResponse>>> {
    let query = ChatListQuery {
        pinned_only: true,
        include_folders: true,
        ..ChatListQuery::default()
    };
    titles(&state, &caller, &query).await
}

/// Archived chats, 60 per page, filtered by title and ordered as asked.
#[utoipa::path(tag = "chats", params(ArchivedParams), responses((status = 200, body = Vec<ChatTitleResponse>)))]
#[get("/archived")]
pub async fn archived(
    state: web::Data<AppState>,
    caller: VerifiedUser,
    params: web::Query<ArchivedParams>,
) -> ApiResult<web::Json<Vec<ChatTitleResponse>>> {
    let (offset, limit) = paging(Some(params.page.unwrap_or(1)), PAGE_SIZE);
    let sort = match params.order_by.as_deref() {
        Some("title") => ChatSort::Title,
        Some("created_at") => ChatSort::CreatedAt,
        _ => ChatSort::UpdatedAt,
    };
    let query = ChatListQuery {
        archived: true,
        sort,
        ascending: params
            .direction
            .as_deref()
            .is_some_and(|d| d.eq_ignore_ascii_case("asc")),
        title_contains: params.query.clone(),
        offset,
        limit,
        ..ChatListQuery::default()
    };
    titles(&state, &caller, &query).await
}

/// How many chats are archived.
#[utoipa::path(tag = "chats", responses((status = 200, body = u64)))]
#[get("/archived/count")]
pub async fn archived_count(
    state: web::Data<AppState>,
    caller: VerifiedUser,
) -> ApiResult<web::Json<u64>> {
    Ok(web::Json(
        state.stores.chats.count_archived(&caller.user().id).await?,
    ))
}

/// Query of a folder's chat list.
#[derive(Debug, Deserialize, IntoParams)]
pub struct FolderListParams {
    /// Page (10 per page, from 1).
    pub page: Option<i64>,
    /// `unread_updated_at` (default), `updated_at` or `title`.
    pub sort_by: Option<String>,
    /// `desc` (default) or `asc`.
    pub sort_dir: Option<String>,
}

/// One folder's chats, 10 per page.
#[utoipa::path(tag = "chats", params(FolderListParams), responses((status = 200, body = Vec<ChatTitleResponse>)))]
#[get("/folder/{folder_id}/list")]
pub async fn folder_list(
    state: web::Data<AppState>,
    caller: VerifiedUser,
    path: web::Path<String>,
    params: web::Query<FolderListParams>,
) -> ApiResult<web::Json<Vec<ChatTitleResponse>>> {
    let (offset, limit) = paging(Some(params.page.unwrap_or(1)), FOLDER_PAGE_SIZE);
    let query = ChatListQuery {
        folder_id: Some(path.into_inner()),
        sort: ChatSort::from_query(Some(
            params.sort_by.as_deref().unwrap_or("unread_updated_at"),
        )),
        ascending: params.sort_dir.as_deref() == Some("asc"),
        offset,
        limit,
        ..ChatListQuery::default()
    };
    titles(&state, &caller, &query).await
}

/// Chats carrying a tag.
#[utoipa::path(tag = "chats", request_body = TagFilterForm, responses((status = 200, body = Vec<ChatTitleResponse>)))]
#[post("/tags")]
pub async fn by_tag(
    state: web::Data<AppState>,
    caller: VerifiedUser,
    form: web::Json<TagFilterForm>,
) -> ApiResult<web::Json<Vec<ChatTitleResponse>>> {
    let limit = form.limit.unwrap_or(50).min(1000);
    let found = state
        .stores
        .chats
        .titles_with_tag(&caller.user().id, &tag_id(&form.name), form.skip, limit)
        .await?;
    Ok(bodies(&state, found).await)
}

/// Query of the search.
#[derive(Debug, Deserialize, IntoParams)]
pub struct SearchParams {
    /// Words to find in titles and messages, plus `tag:`, `folder:`, `pinned:`, `archived:`,
    /// `shared:` filters.
    pub text: String,
    /// Page (60 per page, from 1).
    pub page: Option<i64>,
}

/// Searches the caller's chats.
#[utoipa::path(tag = "chats", params(SearchParams), responses((status = 200, body = Vec<ChatTitleResponse>)))]
#[get("/search")]
pub async fn search(
    state: web::Data<AppState>,
    caller: VerifiedUser,
    params: web::Query<SearchParams>,
) -> ApiResult<web::Json<Vec<ChatTitleResponse>>> {
    let (offset, limit) = paging(Some(params.page.unwrap_or(1)), PAGE_SIZE);
    let search = ChatSearch::parse(&params.text, offset, limit.unwrap_or(PAGE_SIZE));
    let found = state
        .stores
        .chats
        .search(&caller.user().id, &search)
        .await?;
    Ok(bodies(&state, found).await)
}
