//! `/api/v1/folders`: the caller's chat folders (use cases in `hearth_services::folders`).

use crate::error::ApiResult;
use crate::extract::VerifiedUser;
use crate::json_body::JsonBody;
use crate::state::AppState;
use actix_web::{delete, get, post, web};
use hearth_domain::ids::FolderId;
use hearth_services::folders::dto::{
    DeleteParams, ExpandedForm, FolderEntry, FolderForm, FolderResponse, FolderUpdateForm,
    ParentForm,
};
use hearth_services::folders::{self, FolderChatsParams};
use serde_json::Value;
use utoipa_actix_web::scope;
use utoipa_actix_web::service_config::ServiceConfig;

/// Registers the router.
pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(
        scope("/api/v1/folders")
            .service(list)
            .service(create)
            .service(shared)
            .service(folder_page_chats)
            .service(get)
            .service(update)
            .service(update_parent)
            .service(update_expanded)
            .service(read)
            .service(remove),
    );
}

type Folder = ApiResult<web::Json<FolderResponse>>;

/// The caller's folders with unread counts; folders whose parent is missing or in a cycle
/// are moved to the root.
#[utoipa::path(tag = "folders", responses((status = 200, body = Vec<FolderEntry>)))]
#[get("/")]
pub async fn list(
    state: web::Data<AppState>,
    caller: VerifiedUser,
) -> ApiResult<web::Json<Vec<FolderEntry>>> {
    Ok(web::Json(folders::list(&state.app, caller.user()).await?))
}

/// Creates a folder (names are unique among siblings).
#[utoipa::path(tag = "folders", request_body = FolderForm, responses((status = 200, body = FolderResponse)))]
#[post("/")]
pub async fn create(
    state: web::Data<AppState>,
    caller: VerifiedUser,
    form: JsonBody<FolderForm>,
) -> Folder {
    Ok(web::Json(
        folders::create(&state.app, caller.user(), form.into_inner()).await?,
    ))
}

/// Folders shared with the caller (sharing is not available yet: always empty).
#[utoipa::path(tag = "folders", responses((status = 200, body = Vec<Object>)))]
#[get("/shared")]
pub async fn shared(
    state: web::Data<AppState>,
    caller: VerifiedUser,
) -> ApiResult<web::Json<Vec<Value>>> {
    Ok(web::Json(folders::shared(&state.app, caller.user())?))
}

/// The chats in one of the caller's folders, as the folder's page lists them.
#[utoipa::path(tag = "folders", params(FolderChatsParams), responses((status = 200, body = Object), (status = 404)))]
#[get("/{id}/shared/chats")]
pub async fn folder_page_chats(
    state: web::Data<AppState>,
    caller: VerifiedUser,
    path: web::Path<String>,
    params: web::Query<FolderChatsParams>,
) -> ApiResult<web::Json<Value>> {
    let id = FolderId::from(path.into_inner());
    Ok(web::Json(
        folders::page_chats(&state.app, caller.user(), &id, &params).await?,
    ))
}

/// One folder.
#[utoipa::path(tag = "folders", responses((status = 200, body = FolderResponse)))]
#[get("/{id}")]
pub async fn get(
    state: web::Data<AppState>,
    caller: VerifiedUser,
    path: web::Path<String>,
) -> ApiResult<web::Json<Value>> {
    let id = FolderId::from(path.into_inner());
    Ok(web::Json(
        folders::get(&state.app, caller.user(), &id).await?,
    ))
}

/// Renames a folder or changes its data or metadata.
#[utoipa::path(tag = "folders", request_body = FolderUpdateForm, responses((status = 200, body = FolderResponse)))]
#[post("/{id}/update")]
pub async fn update(
    state: web::Data<AppState>,
    caller: VerifiedUser,
    path: web::Path<String>,
    form: JsonBody<FolderUpdateForm>,
) -> Folder {
    let id = FolderId::from(path.into_inner());
    Ok(web::Json(
        folders::update(&state.app, caller.user(), &id, form.into_inner()).await?,
    ))
}

/// Moves a folder under another (not into itself or its own subfolders).
#[utoipa::path(tag = "folders", request_body = ParentForm, responses((status = 200, body = FolderResponse)))]
#[post("/{id}/update/parent")]
pub async fn update_parent(
    state: web::Data<AppState>,
    caller: VerifiedUser,
    path: web::Path<String>,
    form: JsonBody<ParentForm>,
) -> Folder {
    let id = FolderId::from(path.into_inner());
    let parent = form.into_inner().parent_id.map(FolderId::from);
    Ok(web::Json(
        folders::update_parent(&state.app, caller.user(), &id, parent).await?,
    ))
}

/// Opens or closes a folder in the sidebar.
#[utoipa::path(tag = "folders", request_body = ExpandedForm, responses((status = 200, body = FolderResponse)))]
#[post("/{id}/update/expanded")]
pub async fn update_expanded(
    state: web::Data<AppState>,
    caller: VerifiedUser,
    path: web::Path<String>,
    form: JsonBody<ExpandedForm>,
) -> Folder {
    let id = FolderId::from(path.into_inner());
    let expanded = form.is_expanded;
    Ok(web::Json(
        folders::update_expanded(&state.app, caller.user(), &id, expanded).await?,
    ))
}

/// Marks every chat in a folder and its subfolders read.
#[utoipa::path(tag = "folders", responses((status = 200, body = Object)))]
#[post("/{id}/read")]
pub async fn read(
    state: web::Data<AppState>,
    caller: VerifiedUser,
    path: web::Path<String>,
) -> ApiResult<web::Json<Value>> {
    let id = FolderId::from(path.into_inner());
    Ok(web::Json(
        folders::mark_read(&state.app, caller.user(), &id).await?,
    ))
}

/// Deletes a folder and its subfolders; their chats are deleted too (`delete_contents`,
/// the default, needs `chat.delete`) or moved out of any folder.
#[utoipa::path(tag = "folders", params(DeleteParams), responses((status = 200, body = bool)))]
#[delete("/{id}")]
pub async fn remove(
    state: web::Data<AppState>,
    caller: VerifiedUser,
    path: web::Path<String>,
    params: web::Query<DeleteParams>,
) -> ApiResult<web::Json<bool>> {
    let id = FolderId::from(path.into_inner());
    let contents = params.delete_contents.unwrap_or(true);
    Ok(web::Json(
        folders::remove(&state.app, caller.user(), &id, contents).await?,
    ))
}
