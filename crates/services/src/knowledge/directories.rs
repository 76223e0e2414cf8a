//! Folders inside a knowledge base: created, renamed or moved (never into themselves), deleted
//! with their files moved up or removed, files moved between them, and the folder view of the
//! files (the folder's subfolders and the path to it).

use super::access::knowledge_for;
use super::dto::{
    DirectoryDeleted, DirectoryForm, DirectoryResponse, DirectoryUpdateForm, FileMoveForm,
    FolderParams, KnowledgeFileList,
};
use super::listing::placed_files;
use crate::App;
use crate::error::{ServiceError, ServiceResult};
use hearth_domain::User;
use hearth_domain::ids::{FileId, KnowledgeId};
use hearth_domain::knowledge::Directory;
use hearth_domain::time::now_epoch;
use serde_json::Value;

const NAME_TAKEN: &str =
    "Failed to create directory. A directory with this name may already exist at this level.";
const UPDATE_FAILED: &str =
    "Failed to update directory. This may be caused by a naming conflict or circular move.";

fn not_found(what: &str) -> ServiceError {
    ServiceError::not_found(format!("{what} not found."))
}

/// The folder `id` of the knowledge base's folders, or the 404 `what` names.
fn find<'a>(all: &'a [Directory], id: &str, what: &str) -> ServiceResult<&'a Directory> {
    all.iter()
        .find(|d| d.id == id)
        .ok_or_else(|| not_found(what))
}

fn name_free(all: &[Directory], parent: Option<&str>, name: &str, except: &str) -> bool {
    !all.iter()
        .any(|d| d.parent_id.as_deref() == parent && d.name == name && d.id != except)
}

/// `id` and every folder below it.
fn subtree(all: &[Directory], id: &str) -> Vec<String> {
    let mut found = vec![id.to_owned()];
    let mut at = 0;
    while at < found.len() {
        let parent = found[at].clone();
        found.extend(
            all.iter()
                .filter(|d| d.parent_id.as_deref() == Some(parent.as_str()))
                .map(|d| d.id.clone()),
        );
        at += 1;
    }
    found
}

fn clean_name(name: &str) -> ServiceResult<String> {
    let name = name.trim();
    if name.is_empty() || name.contains('/') {
        return Err(ServiceError::invalid(
            "A directory name must not be empty or hold '/'.",
        ));
    }
    Ok(name.to_owned())
}

/// Creates a folder.
pub async fn create(
    app: &App,
    user: &User,
    id: &KnowledgeId,
    form: DirectoryForm,
) -> ServiceResult<DirectoryResponse> {
    let knowledge = knowledge_for(app, user, id, true).await?;
    let store = app.storage.knowledge();
    let all = store.directories(&knowledge.id).await?;
    let parent = form.parent_id.filter(|p| !p.is_empty());
    if let Some(parent) = &parent {
        find(&all, parent, "Parent directory")?;
    }
    let name = clean_name(&form.name)?;
    if !name_free(&all, parent.as_deref(), &name, "") {
        return Err(ServiceError::invalid(NAME_TAKEN));
    }
    let now = now_epoch();
    let directory = Directory {
        id: uuid::Uuid::new_v4().to_string(),
        knowledge_id: knowledge.id,
        parent_id: parent,
        name,
        user_id: user.id.clone(),
        created_at: now,
        updated_at: now,
    };
    store.insert_directory(&directory).await?;
    Ok(directory.into())
}

/// Renames a folder or moves it under another (not under itself).
pub async fn update(
    app: &App,
    user: &User,
    id: &KnowledgeId,
    dir_id: &str,
    form: DirectoryUpdateForm,
) -> ServiceResult<DirectoryResponse> {
    let knowledge = knowledge_for(app, user, id, true).await?;
    let store = app.storage.knowledge();
    let all = store.directories(&knowledge.id).await?;
    let mut directory = find(&all, dir_id, "Directory")?.clone();
    match &form.parent_id {
        Value::String(s) if s == "__unset__" => {}
        Value::Null => directory.parent_id = None,
        Value::String(parent) => {
            find(&all, parent, "Parent directory")?;
            if subtree(&all, dir_id).contains(parent) {
                return Err(ServiceError::invalid(UPDATE_FAILED));
            }
            directory.parent_id = Some(parent.clone());
        }
        _ => return Err(ServiceError::invalid(UPDATE_FAILED)),
    }
    if let Some(name) = &form.name {
        directory.name = clean_name(name)?;
    }
    if !name_free(
        &all,
        directory.parent_id.as_deref(),
        &directory.name,
        dir_id,
    ) {
        return Err(ServiceError::invalid(UPDATE_FAILED));
    }
    directory.updated_at = now_epoch();
    store.save_directory(&directory).await?;
    Ok(directory.into())
}

/// Deletes a folder and those below it; their files move to its parent, or (`move_files`
/// false) leave the knowledge base with their chunks.
pub async fn delete(
    app: &App,
    user: &User,
    id: &KnowledgeId,
    dir_id: &str,
    move_files: bool,
) -> ServiceResult<DirectoryDeleted> {
    let knowledge = knowledge_for(app, user, id, true).await?;
    let store = app.storage.knowledge();
    let all = store.directories(&knowledge.id).await?;
    let parent = find(&all, dir_id, "Directory")?.parent_id.clone();
    let doomed = subtree(&all, dir_id);
    let inside: Vec<FileId> = store
        .file_directories(&knowledge.id)
        .await?
        .into_iter()
        .filter(|(_, dir)| dir.as_ref().is_some_and(|d| doomed.contains(d)))
        .map(|(file, _)| file)
        .collect();
    let mut removed = Vec::new();
    if move_files {
        store
            .move_files(&knowledge.id, &inside, parent.as_deref(), now_epoch())
            .await?;
    } else {
        for file in inside {
            store.remove_knowledge_file(&knowledge.id, &file).await?;
            if let Err(e) = app
                .retrieval
                .vectors
                .delete_file(knowledge.id.as_str(), file.as_str())
                .await
            {
                tracing::warn!(error = %e, "removing a folder's file's chunks failed");
            }
            removed.push(file.into_string());
        }
    }
    store.delete_directories(&knowledge.id, &doomed).await?;
    Ok(DirectoryDeleted {
        status: true,
        file_ids: removed,
    })
}

/// Moves a file of the knowledge base into a folder (or the root).
pub async fn move_file(
    app: &App,
    user: &User,
    id: &KnowledgeId,
    form: FileMoveForm,
) -> ServiceResult<Value> {
    let knowledge = knowledge_for(app, user, id, true).await?;
    let store = app.storage.knowledge();
    let target = form.directory_id.filter(|d| !d.is_empty());
    if let Some(dir) = &target {
        find(
            &store.directories(&knowledge.id).await?,
            dir,
            "Target directory",
        )?;
    }
    let file = FileId::from(form.file_id);
    let moved = store
        .move_files(&knowledge.id, &[file], target.as_deref(), now_epoch())
        .await?;
    if moved == 0 {
        return Err(ServiceError::not_found(crate::messages::NOT_FOUND));
    }
    Ok(serde_json::json!({ "status": true }))
}

/// A knowledge base's files: all of them, or one folder's (`""`: the root) with its
/// subfolders and the path from the root to it.
pub async fn files(
    app: &App,
    user: &User,
    id: &KnowledgeId,
    params: &FolderParams,
) -> ServiceResult<KnowledgeFileList> {
    let knowledge = knowledge_for(app, user, id, false).await?;
    let store = app.storage.knowledge();
    let all = store.directories(&knowledge.id).await?;
    let folder = params.directory_id.as_deref().filter(|d| !d.is_empty());
    if let Some(dir) = folder {
        find(&all, dir, "Directory")?;
    }
    let items = placed_files(app, &knowledge.id, |dir| {
        params.directory_id.is_none() || dir == folder
    })
    .await?;
    let mut breadcrumbs = Vec::new();
    let mut at = folder.map(str::to_owned);
    while let Some(current) = at.take() {
        let Some(dir) = all.iter().find(|d| d.id == current) else {
            break;
        };
        if breadcrumbs.iter().any(|b: &Directory| b.id == dir.id) {
            break;
        }
        at.clone_from(&dir.parent_id);
        breadcrumbs.push(dir.clone());
    }
    breadcrumbs.reverse();
    Ok(KnowledgeFileList {
        total: u64::try_from(items.len()).unwrap_or(u64::MAX),
        items,
        directories: all
            .into_iter()
            .filter(|d| d.parent_id.as_deref() == folder)
            .map(DirectoryResponse::from)
            .collect(),
        breadcrumbs: breadcrumbs
            .into_iter()
            .map(DirectoryResponse::from)
            .collect(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dir(id: &str, parent: Option<&str>) -> Directory {
        Directory {
            id: id.into(),
            knowledge_id: KnowledgeId::from("k"),
            parent_id: parent.map(str::to_owned),
            name: id.into(),
            user_id: hearth_domain::UserId::from("u"),
            created_at: 0,
            updated_at: 0,
        }
    }

    #[test]
    fn subtrees_hold_every_folder_below() {
        let all = [
            dir("a", None),
            dir("b", Some("a")),
            dir("c", Some("b")),
            dir("d", None),
        ];
        assert_eq!(subtree(&all, "a"), ["a", "b", "c"]);
        assert_eq!(subtree(&all, "d"), ["d"]);
        assert!(!name_free(&all, Some("a"), "b", ""));
        assert!(
            name_free(&all, Some("a"), "b", "b"),
            "its own name is free to keep"
        );
    }
}
