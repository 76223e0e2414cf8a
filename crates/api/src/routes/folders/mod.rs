//! `/api/v1/folders`: the caller's chat folders (a tree), with unread counts.

use crate::error::{ApiError, ApiResult};
use crate::extract::VerifiedUser;
use crate::messages as msg;
use crate::routes::chats::{folder_unread_counts, may};
use crate::state::AppState;
use actix_web::{delete, get, post, web};
use hearth_domain::folder::{Folder, subtree_ids, would_cycle};
use hearth_domain::text::{strip_nul, strip_nul_json};
use hearth_domain::time::now_epoch;
use hearth_domain::{Role, User};
use serde_json::{Value, json};
mod chats;
pub mod dto;

use dto::{
    DeleteParams, ExpandedForm, FolderEntry, FolderForm, FolderResponse, FolderUpdateForm,
    ParentForm,
};
use utoipa_actix_web::scope;
use utoipa_actix_web::service_config::ServiceConfig;

/// Registers the router.
pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(
        scope("/api/v1/folders")
            .service(list)
            .service(create)
            .service(shared)
            .service(chats::folder_page_chats)
            .service(get)
            .service(update)
            .service(update_parent)
            .service(update_expanded)
            .service(read)
            .service(remove),
    );
}

/// Folders must be enabled and, for non-admins, permitted.
fn check_enabled(state: &AppState, user: &User) -> ApiResult<()> {
    let view = state.config.view();
    if view.snapshot.get("folders.enable") == Some(&Value::Bool(false))
        || !may(state, user, "features.folders")
    {
        return Err(ApiError::forbidden(msg::ACCESS_PROHIBITED));
    }
    Ok(())
}

async fn own_folder(state: &AppState, user: &User, id: &str) -> ApiResult<Folder> {
    state
        .stores
        .folders
        .folder(&user.id, id)
        .await?
        .ok_or_else(|| ApiError::not_found(msg::NOT_FOUND))
}

fn exists_already() -> ApiError {
    ApiError::bad_request("[ERROR: Folder already exists]")
}

fn sibling_named(
    folders: &[Folder],
    parent: Option<&str>,
    name: &str,
    except: Option<&str>,
) -> bool {
    folders.iter().any(|f| {
        f.parent_id.as_deref() == parent
            && f.name.eq_ignore_ascii_case(name)
            && Some(f.id.as_str()) != except
    })
}

fn clean(value: Option<Value>) -> Option<Value> {
    value.filter(Value::is_object).map(|mut v| {
        strip_nul_json(&mut v);
        v
    })
}

/// The caller's folders with unread counts; folders whose parent is missing or in a
/// cycle are moved to the root.
#[utoipa::path(tag = "folders", responses((status = 200, body = Vec<FolderEntry>)))]
#[get("/")]
pub async fn list(
    state: web::Data<AppState>,
    caller: VerifiedUser,
) -> ApiResult<web::Json<Vec<FolderEntry>>> {
    let user = caller.user();
    check_enabled(&state, user)?;
    let mut folders = state.stores.folders.folders(&user.id).await?;
    let snapshot = folders.clone();
    for folder in &mut folders {
        let Some(parent) = folder.parent_id.clone() else {
            continue;
        };
        let orphan =
            !snapshot.iter().any(|f| f.id == parent) || would_cycle(&snapshot, &folder.id, &parent);
        if orphan {
            folder.parent_id = None;
            state.stores.folders.save_folder(folder).await?;
        }
    }
    let counts = folder_unread_counts(&state, user).await?;
    Ok(web::Json(
        folders
            .into_iter()
            .map(|f| FolderEntry {
                unread_count: counts.get(&f.id).copied().unwrap_or(0),
                id: f.id,
                name: f.name,
                meta: f.meta,
                parent_id: f.parent_id,
                is_expanded: f.is_expanded,
                created_at: f.created_at,
                updated_at: f.updated_at,
            })
            .collect(),
    ))
}

/// Creates a folder (names are unique among siblings).
#[utoipa::path(tag = "folders", request_body = FolderForm, responses((status = 200, body = FolderResponse)))]
#[post("/")]
pub async fn create(
    state: web::Data<AppState>,
    caller: VerifiedUser,
    form: web::Json<FolderForm>,
) -> ApiResult<web::Json<FolderResponse>> {
    let user = caller.user();
    check_enabled(&state, user)?;
    let form = form.into_inner();
    let name = strip_nul(form.name.trim());
    if name.is_empty() {
        return Err(ApiError::bad_request(
            "[ERROR: Folder name cannot be empty]",
        ));
    }
    let folders = state.stores.folders.folders(&user.id).await?;
    if let Some(parent) = &form.parent_id
        && !folders.iter().any(|f| &f.id == parent)
    {
        return Err(ApiError::not_found(msg::NOT_FOUND));
    }
    if sibling_named(&folders, form.parent_id.as_deref(), &name, None) {
        return Err(exists_already());
    }
    let now = now_epoch();
    let folder = Folder {
        id: uuid::Uuid::new_v4().to_string(),
        parent_id: form.parent_id,
        user_id: user.id.clone(),
        name,
        items: None,
        meta: clean(form.meta),
        data: clean(form.data),
        is_expanded: false,
        created_at: now,
        updated_at: now,
    };
    state.stores.folders.insert_folder(&folder).await?;
    Ok(web::Json(folder.into()))
}

/// Folders shared with the caller (sharing is not available yet: always empty).
#[utoipa::path(tag = "folders", responses((status = 200, body = Vec<Object>)))]
#[get("/shared")]
pub async fn shared(
    state: web::Data<AppState>,
    caller: VerifiedUser,
) -> ApiResult<web::Json<Vec<Value>>> {
    check_enabled(&state, caller.user())?;
    Ok(web::Json(Vec::new()))
}

/// One folder.
#[utoipa::path(tag = "folders", responses((status = 200, body = FolderResponse)))]
#[get("/{id}")]
pub async fn get(
    state: web::Data<AppState>,
    caller: VerifiedUser,
    path: web::Path<String>,
) -> ApiResult<web::Json<Value>> {
    let user = caller.user();
    check_enabled(&state, user)?;
    let folder = own_folder(&state, user, &path).await?;
    let mut body = serde_json::to_value(FolderResponse::from(folder)).unwrap_or_default();
    if let Value::Object(map) = &mut body {
        map.insert("access_grants".into(), json!([]));
        map.insert("write_access".into(), json!(true));
    }
    Ok(web::Json(body))
}

/// Renames a folder or changes its data or metadata.
#[utoipa::path(tag = "folders", request_body = FolderUpdateForm, responses((status = 200, body = FolderResponse)))]
#[post("/{id}/update")]
pub async fn update(
    state: web::Data<AppState>,
    caller: VerifiedUser,
    path: web::Path<String>,
    form: web::Json<FolderUpdateForm>,
) -> ApiResult<web::Json<FolderResponse>> {
    let user = caller.user();
    check_enabled(&state, user)?;
    let mut folder = own_folder(&state, user, &path).await?;
    let form = form.into_inner();
    if let Some(name) = form.name.as_deref().map(|n| strip_nul(n.trim())) {
        if name.is_empty() {
            return Err(ApiError::bad_request(
                "[ERROR: Folder name cannot be empty]",
            ));
        }
        let folders = state.stores.folders.folders(&user.id).await?;
        if sibling_named(
            &folders,
            folder.parent_id.as_deref(),
            &name,
            Some(&folder.id),
        ) {
            return Err(exists_already());
        }
        folder.name = name;
    }
    if form.data.is_some() {
        folder.data = clean(form.data);
    }
    if form.meta.is_some() {
        folder.meta = clean(form.meta);
    }
    folder.updated_at = now_epoch();
    state.stores.folders.save_folder(&folder).await?;
    Ok(web::Json(folder.into()))
}

/// Moves a folder under another (not into itself or its own subfolders).
#[utoipa::path(tag = "folders", request_body = ParentForm, responses((status = 200, body = FolderResponse)))]
#[post("/{id}/update/parent")]
pub async fn update_parent(
    state: web::Data<AppState>,
    caller: VerifiedUser,
    path: web::Path<String>,
    form: web::Json<ParentForm>,
) -> ApiResult<web::Json<FolderResponse>> {
    let user = caller.user();
    check_enabled(&state, user)?;
    let mut folder = own_folder(&state, user, &path).await?;
    let folders = state.stores.folders.folders(&user.id).await?;
    let parent = form.into_inner().parent_id;
    if let Some(parent) = &parent {
        if !folders.iter().any(|f| &f.id == parent) {
            return Err(ApiError::not_found(msg::NOT_FOUND));
        }
        if would_cycle(&folders, &folder.id, parent) {
            return Err(ApiError::bad_request(
                "[ERROR: Cannot move a folder into itself or one of its subfolders]",
            ));
        }
    }
    if sibling_named(&folders, parent.as_deref(), &folder.name, Some(&folder.id)) {
        return Err(exists_already());
    }
    folder.parent_id = parent;
    folder.updated_at = now_epoch();
    state.stores.folders.save_folder(&folder).await?;
    Ok(web::Json(folder.into()))
}

/// Opens or closes a folder in the sidebar.
#[utoipa::path(tag = "folders", request_body = ExpandedForm, responses((status = 200, body = FolderResponse)))]
#[post("/{id}/update/expanded")]
pub async fn update_expanded(
    state: web::Data<AppState>,
    caller: VerifiedUser,
    path: web::Path<String>,
    form: web::Json<ExpandedForm>,
) -> ApiResult<web::Json<FolderResponse>> {
    let user = caller.user();
    check_enabled(&state, user)?;
    let mut folder = own_folder(&state, user, &path).await?;
    folder.is_expanded = form.is_expanded;
    folder.updated_at = now_epoch();
    state.stores.folders.save_folder(&folder).await?;
    Ok(web::Json(folder.into()))
}

/// Marks every chat in a folder and its subfolders read.
#[utoipa::path(tag = "folders", responses((status = 200, body = Object)))]
#[post("/{id}/read")]
pub async fn read(
    state: web::Data<AppState>,
    caller: VerifiedUser,
    path: web::Path<String>,
) -> ApiResult<web::Json<Value>> {
    let user = caller.user();
    check_enabled(&state, user)?;
    let folder = own_folder(&state, user, &path).await?;
    let folders = state.stores.folders.folders(&user.id).await?;
    let ids = subtree_ids(&folders, &folder.id);
    let updated = state
        .stores
        .chats
        .mark_read(&user.id, Some(&ids), now_epoch())
        .await?;
    let counts = folder_unread_counts(&state, user).await?;
    Ok(web::Json(json!({
        "folder_id": folder.id, "folder_ids": ids, "updated_count": updated, "folder_unread_counts": counts,
    })))
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
    let user = caller.user();
    check_enabled(&state, user)?;
    let folder = own_folder(&state, user, &path).await?;
    let folders = state.stores.folders.folders(&user.id).await?;
    let ids = subtree_ids(&folders, &folder.id);
    let chats = &state.stores.chats;
    if params.delete_contents.unwrap_or(true) {
        let has_chats = !chats.in_folders(&user.id, &ids).await?.is_empty();
        if has_chats && user.role != Role::Admin && !may(&state, user, "chat.delete") {
            return Err(ApiError::forbidden(msg::ACCESS_PROHIBITED));
        }
        chats.delete_in_folders(&user.id, &ids).await?;
        chats.delete_unused_tags(&user.id).await?;
    } else {
        chats.move_out_of_folders(&user.id, &ids, None).await?;
    }
    state.stores.folders.delete_folders(&user.id, &ids).await?;
    Ok(web::Json(true))
}
