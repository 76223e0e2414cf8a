//! The folder tree: list, create, read, rename, move, open, mark read, delete.

use super::access::{check_enabled, own_folder};
use super::dto::{FolderEntry, FolderForm, FolderResponse, FolderUpdateForm};
use crate::App;
use crate::chats::access::folder_unread_counts;
use crate::error::{ServiceError, ServiceResult};
use crate::messages as msg;
use crate::permissions::may;
use hearth_domain::folder::{Folder, subtree_ids, would_cycle};
use hearth_domain::ids::FolderId;
use hearth_domain::text::{strip_nul, strip_nul_json};
use hearth_domain::time::now_epoch;
use hearth_domain::{Role, User};
use serde_json::{Value, json};

fn exists_already() -> ServiceError {
    ServiceError::invalid("[ERROR: Folder already exists]")
}

fn empty_name() -> ServiceError {
    ServiceError::invalid("[ERROR: Folder name cannot be empty]")
}

fn sibling_named(
    folders: &[Folder],
    parent: Option<&FolderId>,
    name: &str,
    except: Option<&FolderId>,
) -> bool {
    folders.iter().any(|f| {
        f.parent_id.as_ref() == parent && f.name.eq_ignore_ascii_case(name) && Some(&f.id) != except
    })
}

fn clean(value: Option<Value>) -> Option<Value> {
    value.filter(Value::is_object).map(|mut v| {
        strip_nul_json(&mut v);
        v
    })
}

/// The caller's folders with unread counts; folders whose parent is missing or in a cycle
/// are moved to the root.
pub async fn list(app: &App, user: &User) -> ServiceResult<Vec<FolderEntry>> {
    check_enabled(app, user)?;
    let mut folders = app.storage.folders().folders(&user.id).await?;
    let snapshot = folders.clone();
    for folder in &mut folders {
        let Some(parent) = folder.parent_id.clone() else {
            continue;
        };
        let orphan =
            !snapshot.iter().any(|f| f.id == parent) || would_cycle(&snapshot, &folder.id, &parent);
        if orphan {
            folder.parent_id = None;
            app.storage.folders().save_folder(folder).await?;
        }
    }
    let counts = folder_unread_counts(app, user).await?;
    Ok(folders
        .into_iter()
        .map(|f| FolderEntry {
            unread_count: counts.get(f.id.as_str()).copied().unwrap_or(0),
            id: f.id.into_string(),
            name: f.name,
            meta: f.meta,
            parent_id: f.parent_id.map(String::from),
            is_expanded: f.is_expanded,
            created_at: f.created_at,
            updated_at: f.updated_at,
        })
        .collect())
}

/// Creates a folder (names are unique among siblings).
pub async fn create(app: &App, user: &User, form: FolderForm) -> ServiceResult<FolderResponse> {
    check_enabled(app, user)?;
    let name = strip_nul(form.name.trim());
    if name.is_empty() {
        return Err(empty_name());
    }
    let parent = form.parent_id.map(FolderId::from);
    let folders = app.storage.folders().folders(&user.id).await?;
    if let Some(parent) = &parent
        && !folders.iter().any(|f| &f.id == parent)
    {
        return Err(ServiceError::not_found(msg::NOT_FOUND));
    }
    if sibling_named(&folders, parent.as_ref(), &name, None) {
        return Err(exists_already());
    }
    let now = now_epoch();
    let folder = Folder {
        id: FolderId::generate(),
        parent_id: parent,
        user_id: user.id.clone(),
        name,
        items: None,
        meta: clean(form.meta),
        data: clean(form.data),
        is_expanded: false,
        created_at: now,
        updated_at: now,
    };
    app.storage.folders().insert_folder(&folder).await?;
    Ok(folder.into())
}

/// Folders shared with the caller (sharing is not available yet: always empty).
pub fn shared(app: &App, user: &User) -> ServiceResult<Vec<Value>> {
    check_enabled(app, user)?;
    Ok(Vec::new())
}

/// One folder, with its (empty) access grants and write access.
pub async fn get(app: &App, user: &User, id: &FolderId) -> ServiceResult<Value> {
    let folder = own_folder(app, user, id).await?;
    let mut body = serde_json::to_value(FolderResponse::from(folder)).unwrap_or_default();
    if let Value::Object(map) = &mut body {
        map.insert("access_grants".into(), json!([]));
        map.insert("write_access".into(), json!(true));
    }
    Ok(body)
}

/// Renames a folder or changes its data or metadata.
pub async fn update(
    app: &App,
    user: &User,
    id: &FolderId,
    form: FolderUpdateForm,
) -> ServiceResult<FolderResponse> {
    let mut folder = own_folder(app, user, id).await?;
    if let Some(name) = form.name.as_deref().map(|n| strip_nul(n.trim())) {
        if name.is_empty() {
            return Err(empty_name());
        }
        let folders = app.storage.folders().folders(&user.id).await?;
        if sibling_named(&folders, folder.parent_id.as_ref(), &name, Some(&folder.id)) {
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
    app.storage.folders().save_folder(&folder).await?;
    Ok(folder.into())
}

/// Moves a folder under another (not into itself or its own subfolders).
pub async fn update_parent(
    app: &App,
    user: &User,
    id: &FolderId,
    parent: Option<FolderId>,
) -> ServiceResult<FolderResponse> {
    let mut folder = own_folder(app, user, id).await?;
    let folders = app.storage.folders().folders(&user.id).await?;
    if let Some(parent) = &parent {
        if !folders.iter().any(|f| &f.id == parent) {
            return Err(ServiceError::not_found(msg::NOT_FOUND));
        }
        if would_cycle(&folders, &folder.id, parent) {
            return Err(ServiceError::invalid(
                "[ERROR: Cannot move a folder into itself or one of its subfolders]",
            ));
        }
    }
    if sibling_named(&folders, parent.as_ref(), &folder.name, Some(&folder.id)) {
        return Err(exists_already());
    }
    folder.parent_id = parent;
    folder.updated_at = now_epoch();
    app.storage.folders().save_folder(&folder).await?;
    Ok(folder.into())
}

/// Opens or closes a folder in the sidebar.
pub async fn update_expanded(
    app: &App,
    user: &User,
    id: &FolderId,
    expanded: bool,
) -> ServiceResult<FolderResponse> {
    let mut folder = own_folder(app, user, id).await?;
    folder.is_expanded = expanded;
    folder.updated_at = now_epoch();
    app.storage.folders().save_folder(&folder).await?;
    Ok(folder.into())
}

/// Marks every chat in a folder and its subfolders read.
pub async fn mark_read(app: &App, user: &User, id: &FolderId) -> ServiceResult<Value> {
    let folder = own_folder(app, user, id).await?;
    let folders = app.storage.folders().folders(&user.id).await?;
    let ids = subtree_ids(&folders, &folder.id);
    let updated = app
        .storage
        .chats()
        .mark_read(&user.id, Some(&ids), now_epoch())
        .await?;
    let counts = folder_unread_counts(app, user).await?;
    Ok(json!({
        "folder_id": folder.id, "folder_ids": ids, "updated_count": updated,
        "folder_unread_counts": counts,
    }))
}

/// Deletes a folder and its subfolders; their chats are deleted too (`delete_contents`, the
/// default, needs `chat.delete`) or moved out of any folder.
pub async fn remove(
    app: &App,
    user: &User,
    id: &FolderId,
    delete_contents: bool,
) -> ServiceResult<bool> {
    let folder = own_folder(app, user, id).await?;
    let folders = app.storage.folders().folders(&user.id).await?;
    let ids = subtree_ids(&folders, &folder.id);
    let chats = app.storage.chats();
    if delete_contents {
        let has_chats = !chats.in_folders(&user.id, &ids).await?.is_empty();
        if has_chats && user.role != Role::Admin && !may(app, user, "chat.delete") {
            return Err(ServiceError::forbidden(msg::ACCESS_PROHIBITED));
        }
        chats.delete_in_folders(&user.id, &ids).await?;
        chats.delete_unused_tags(&user.id).await?;
    } else {
        chats.move_out_of_folders(&user.id, &ids, None).await?;
    }
    app.storage.folders().delete_folders(&user.id, &ids).await?;
    Ok(true)
}
