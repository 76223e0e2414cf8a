//! Chat lists: the sidebar pages, pinned, archived, a folder's page, chats by tag, search.

use super::dto::ChatTitleResponse;
use super::forms::{ArchivedParams, ChatListParams, FolderListParams, SearchParams, TagFilterForm};
use super::{FOLDER_PAGE_SIZE, PAGE_SIZE, paging};
use crate::App;
use crate::error::ServiceResult;
use hearth_domain::chat::search::ChatSearch;
use hearth_domain::chat::tags::tag_id;
use hearth_domain::chat::{ChatListQuery, ChatSort, ChatTitle};
use hearth_domain::ids::FolderId;
use hearth_domain::{User, UserId};

/// The chats of `owner` matching `query`, as the list entries the client reads.
pub async fn titles(
    app: &App,
    owner: &UserId,
    query: &ChatListQuery,
) -> ServiceResult<Vec<ChatTitleResponse>> {
    let found = app.storage.chats().list_titles(owner, query).await?;
    Ok(entries(app, found).await)
}

/// The list entries, `active` where a background task is answering in the chat.
pub async fn entries(app: &App, found: Vec<ChatTitle>) -> Vec<ChatTitleResponse> {
    let mut entries: Vec<ChatTitleResponse> = found.into_iter().map(Into::into).collect();
    if !entries.is_empty() {
        let active = app.tasks.active_chats().await;
        for entry in entries
            .iter_mut()
            .filter(|e| active.iter().any(|a| a.as_str() == e.id))
        {
            entry.active = true;
        }
    }
    entries
}

/// The sidebar list: not archived, and unless asked, not pinned and not in folders.
/// `page` pages by 60; without it every chat is returned.
pub async fn main_list(
    app: &App,
    user: &User,
    params: &ChatListParams,
) -> ServiceResult<Vec<ChatTitleResponse>> {
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
    titles(app, &user.id, &query).await
}

/// Pinned chats.
pub async fn pinned(app: &App, user: &User) -> ServiceResult<Vec<ChatTitleResponse>> {
    let query = ChatListQuery {
        pinned_only: true,
        include_folders: true,
        ..ChatListQuery::default()
    };
    titles(app, &user.id, &query).await
}

/// The archived and admin lists' query: titles containing `title`, sorted by `order_by`
/// (`title`, `created_at`, else `updated_at`) in `direction` (`asc`, else descending).
pub fn ordered_query(
    order_by: Option<&str>,
    direction: Option<&str>,
    title: Option<String>,
) -> ChatListQuery {
    ChatListQuery {
        sort: match order_by {
            Some("title") => ChatSort::Title,
            Some("created_at") => ChatSort::CreatedAt,
            _ => ChatSort::UpdatedAt,
        },
        ascending: direction.is_some_and(|d| d.eq_ignore_ascii_case("asc")),
        title_contains: title,
        ..ChatListQuery::default()
    }
}

/// Archived chats, 60 per page, filtered by title and ordered as asked.
pub async fn archived(
    app: &App,
    user: &User,
    params: &ArchivedParams,
) -> ServiceResult<Vec<ChatTitleResponse>> {
    let (offset, limit) = paging(Some(params.page.unwrap_or(1)), PAGE_SIZE);
    let query = ChatListQuery {
        archived: true,
        offset,
        limit,
        ..ordered_query(
            params.order_by.as_deref(),
            params.direction.as_deref(),
            params.query.clone(),
        )
    };
    titles(app, &user.id, &query).await
}

/// How many chats are archived.
pub async fn archived_count(app: &App, user: &User) -> ServiceResult<u64> {
    Ok(app.storage.chats().count_archived(&user.id).await?)
}

/// One folder's chats, 10 per page.
pub async fn folder_list(
    app: &App,
    user: &User,
    folder: FolderId,
    params: &FolderListParams,
) -> ServiceResult<Vec<ChatTitleResponse>> {
    let (offset, limit) = paging(Some(params.page.unwrap_or(1)), FOLDER_PAGE_SIZE);
    let query = ChatListQuery {
        folder_id: Some(folder),
        sort: ChatSort::from_query(Some(
            params.sort_by.as_deref().unwrap_or("unread_updated_at"),
        )),
        ascending: params.sort_dir.as_deref() == Some("asc"),
        offset,
        limit,
        ..ChatListQuery::default()
    };
    titles(app, &user.id, &query).await
}

/// Chats carrying a tag.
pub async fn by_tag(
    app: &App,
    user: &User,
    form: &TagFilterForm,
) -> ServiceResult<Vec<ChatTitleResponse>> {
    let limit = form.limit.unwrap_or(50).min(1000);
    let found = app
        .storage
        .chats()
        .titles_with_tag(&user.id, &tag_id(&form.name), form.skip, limit)
        .await?;
    Ok(entries(app, found).await)
}

/// Searches the caller's chats.
pub async fn search(
    app: &App,
    user: &User,
    params: &SearchParams,
) -> ServiceResult<Vec<ChatTitleResponse>> {
    let (offset, limit) = paging(Some(params.page.unwrap_or(1)), PAGE_SIZE);
    let search = ChatSearch::parse(&params.text, offset, limit.unwrap_or(PAGE_SIZE));
    let found = app.storage.chats().search(&user.id, &search).await?;
    Ok(entries(app, found).await)
}
