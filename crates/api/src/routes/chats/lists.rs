//! Chat lists: the sidebar pages, pinned, archived, a folder's page, chats by tag, search.

use crate::error::ApiResult;
use crate::extract::VerifiedUser;
use crate::json_body::JsonBody;
use crate::state::AppState;
use actix_web::{get, post, web};
use hearth_domain::ids::FolderId;
use hearth_services::chats::dto::ChatTitleResponse;
use hearth_services::chats::forms::{
    ArchivedParams, ChatListParams, FolderListParams, SearchParams, TagFilterForm,
};
use hearth_services::chats::lists;

type Titles = ApiResult<web::Json<Vec<ChatTitleResponse>>>;

/// The sidebar list: not archived, and unless asked, not pinned and not in folders.
/// `page` pages by 60; without it every chat is returned.
#[utoipa::path(tag = "chats", params(ChatListParams), responses((status = 200, body = Vec<ChatTitleResponse>)))]
#[get("/")]
pub async fn list_root(
    state: web::Data<AppState>,
    caller: VerifiedUser,
    params: web::Query<ChatListParams>,
) -> Titles {
    Ok(web::Json(
        lists::main_list(&state.app, caller.user(), &params).await?,
    ))
}

/// Same as `GET /`.
#[utoipa::path(tag = "chats", params(ChatListParams), responses((status = 200, body = Vec<ChatTitleResponse>)))]
#[get("/list")]
pub async fn list(
    state: web::Data<AppState>,
    caller: VerifiedUser,
    params: web::Query<ChatListParams>,
) -> Titles {
    Ok(web::Json(
        lists::main_list(&state.app, caller.user(), &params).await?,
    ))
}

/// Pinned chats.
#[utoipa::path(tag = "chats", responses((status = 200, body = Vec<ChatTitleResponse>)))]
#[get("/pinned")]
pub async fn pinned(state: web::Data<AppState>, caller: VerifiedUser) -> Titles {
    Ok(web::Json(lists::pinned(&state.app, caller.user()).await?))
}

/// Archived chats, 60 per page, filtered by title and ordered as asked.
#[utoipa::path(tag = "chats", params(ArchivedParams), responses((status = 200, body = Vec<ChatTitleResponse>)))]
#[get("/archived")]
pub async fn archived(
    state: web::Data<AppState>,
    caller: VerifiedUser,
    params: web::Query<ArchivedParams>,
) -> Titles {
    Ok(web::Json(
        lists::archived(&state.app, caller.user(), &params).await?,
    ))
}

/// How many chats are archived.
#[utoipa::path(tag = "chats", responses((status = 200, body = u64)))]
#[get("/archived/count")]
pub async fn archived_count(
    state: web::Data<AppState>,
    caller: VerifiedUser,
) -> ApiResult<web::Json<u64>> {
    Ok(web::Json(
        lists::archived_count(&state.app, caller.user()).await?,
    ))
}

/// One folder's chats, 10 per page.
#[utoipa::path(tag = "chats", params(FolderListParams), responses((status = 200, body = Vec<ChatTitleResponse>)))]
#[get("/folder/{folder_id}/list")]
pub async fn folder_list(
    state: web::Data<AppState>,
    caller: VerifiedUser,
    path: web::Path<String>,
    params: web::Query<FolderListParams>,
) -> Titles {
    let folder = FolderId::from(path.into_inner());
    Ok(web::Json(
        lists::folder_list(&state.app, caller.user(), folder, &params).await?,
    ))
}

/// Chats carrying a tag.
#[utoipa::path(tag = "chats", request_body = TagFilterForm, responses((status = 200, body = Vec<ChatTitleResponse>)))]
#[post("/tags")]
pub async fn by_tag(
    state: web::Data<AppState>,
    caller: VerifiedUser,
    form: JsonBody<TagFilterForm>,
) -> Titles {
    Ok(web::Json(
        lists::by_tag(&state.app, caller.user(), &form).await?,
    ))
}

/// Searches the caller's chats.
#[utoipa::path(tag = "chats", params(SearchParams), responses((status = 200, body = Vec<ChatTitleResponse>)))]
#[get("/search")]
pub async fn search(
    state: web::Data<AppState>,
    caller: VerifiedUser,
    params: web::Query<SearchParams>,
) -> Titles {
    Ok(web::Json(
        lists::search(&state.app, caller.user(), &params).await?,
    ))
}
