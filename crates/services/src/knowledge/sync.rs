//! Folder sync (the web client's "sync a local folder"): what differs between a local
//! folder's manifest and the knowledge base — by folder path, file name and SHA-256 — and the
//! cleanup of what the folder no longer holds.

use super::access::{delete_if_mine, knowledge_for};
use super::dto::{SyncCleanupForm, SyncDiff, SyncDiffForm};
use super::listing::folder_paths;
use crate::App;
use crate::error::ServiceResult;
use hearth_domain::User;
use hearth_domain::ids::{FileId, KnowledgeId};
use hearth_domain::time::now_epoch;
use serde_json::{Value, json};
use std::collections::{BTreeMap, BTreeSet, HashMap};

fn hash_of(meta: &serde_json::Map<String, Value>) -> Option<String> {
    meta.get("file_hash")
        .and_then(Value::as_str)
        .map(str::to_owned)
}

/// A file's folder path and name.
type Place = (String, String);

/// A linked file where it sits: its id and checksum.
struct Linked {
    file: FileId,
    checksum: Option<String>,
}

/// Uploads into the knowledge base from the last hour still being processed, by place and
/// checksum (a sync retried after a restart counts them as there).
async fn pending(
    app: &App,
    id: &KnowledgeId,
    path_of: &HashMap<String, String>,
) -> ServiceResult<BTreeSet<(Place, Option<String>)>> {
    let hour_ago = now_epoch() - 3600;
    let data = |f: &hearth_domain::file::StoredFile, key: &str| {
        f.meta
            .get("data")
            .and_then(|d| d.get(key))
            .and_then(Value::as_str)
            .map(str::to_owned)
    };
    Ok(app
        .storage
        .files()
        .unfinished_files()
        .await?
        .into_iter()
        .filter(|f| {
            f.created_at >= hour_ago && data(f, "knowledge_id").as_deref() == Some(id.as_str())
        })
        .map(|f| {
            let folder = data(&f, "directory_id")
                .and_then(|d| path_of.get(&d).cloned())
                .unwrap_or_default();
            ((folder, f.filename.clone()), hash_of(&f.meta))
        })
        .collect())
}

/// The knowledge base's files by place.
async fn linked(
    app: &App,
    id: &KnowledgeId,
    path_of: &HashMap<String, String>,
) -> ServiceResult<BTreeMap<Place, Linked>> {
    let mut found = BTreeMap::new();
    for (file_id, dir) in app.storage.knowledge().file_directories(id).await? {
        if let Some(file) = app.storage.files().file(&file_id).await? {
            let folder = dir
                .and_then(|d| path_of.get(&d).cloned())
                .unwrap_or_default();
            let checksum = hash_of(&file.meta);
            found.insert(
                (folder, file.filename),
                Linked {
                    file: file_id,
                    checksum,
                },
            );
        }
    }
    Ok(found)
}

/// What to upload, upload again, remove, and which folders to create or remove.
pub async fn diff(
    app: &App,
    user: &User,
    id: &KnowledgeId,
    form: SyncDiffForm,
) -> ServiceResult<SyncDiff> {
    let knowledge = knowledge_for(app, user, id, true).await?;
    let path_of = folder_paths(&app.storage.knowledge().directories(&knowledge.id).await?);
    let waiting = pending(app, &knowledge.id, &path_of).await?;
    let indexed = linked(app, &knowledge.id, &path_of).await?;
    let mut answer = SyncDiff {
        added: Vec::new(),
        modified: Vec::new(),
        deleted: Vec::new(),
        mkdir: Vec::new(),
        rmdir: Vec::new(),
        unmodified_count: 0,
        directory_map: path_of
            .iter()
            .map(|(id, path)| (path.clone(), id.clone()))
            .collect(),
    };
    let mut listed = BTreeSet::new();
    let mut needed = BTreeSet::new();
    for entry in form.manifest {
        let place = (entry.path.clone(), entry.filename.clone());
        if !entry.path.is_empty() {
            let segments: Vec<&str> = entry.path.split('/').collect();
            needed.extend((1..=segments.len()).map(|depth| segments[..depth].join("/")));
        }
        match indexed.get(&place) {
            None if waiting.contains(&(place.clone(), entry.checksum.clone())) => {
                answer.unmodified_count += 1;
            }
            None => answer.added.push(json!({"filename": entry.filename, "path": entry.path})),
            Some(found) if found.checksum != entry.checksum => answer.modified.push(json!({
                "filename": entry.filename, "path": entry.path, "stale_file_id": found.file.as_str(),
            })),
            Some(_) => answer.unmodified_count += 1,
        }
        listed.insert(place);
    }
    answer.deleted = indexed
        .iter()
        .filter(|(place, _)| !listed.contains(*place))
        .map(|((_, name), found)| json!({"file_id": found.file.as_str(), "filename": name}))
        .collect();
    let mut mkdir: Vec<String> = needed
        .iter()
        .filter(|p| !answer.directory_map.contains_key(*p))
        .cloned()
        .collect();
    mkdir.sort_by_key(|p| p.matches('/').count());
    answer.mkdir = mkdir;
    answer.rmdir = answer
        .directory_map
        .iter()
        .filter(|(path, _)| !needed.contains(*path))
        .map(|(_, id)| id.clone())
        .collect();
    Ok(answer)
}

/// Unlinks a file the synced folder no longer has, drops its chunks, and deletes it when no
/// knowledge base holds it any more and the caller owns it (or is an admin).
async fn remove_synced(
    app: &App,
    user: &User,
    id: &KnowledgeId,
    file_id: &FileId,
) -> ServiceResult<()> {
    let store = app.storage.knowledge();
    if !store.remove_knowledge_file(id, file_id).await? {
        return Ok(());
    }
    if let Err(e) = app
        .retrieval
        .vectors
        .delete_file(id.as_str(), file_id.as_str())
        .await
    {
        tracing::warn!(error = %e, "removing a synced file's chunks failed");
    }
    if store.knowledge_of_file(file_id).await?.is_empty() {
        delete_if_mine(app, user, file_id).await?;
    }
    Ok(())
}

/// Removes the files a sync no longer has (deleting those no knowledge base holds, when the
/// caller owns them or is an admin) and the folders it no longer has.
pub async fn cleanup(
    app: &App,
    user: &User,
    id: &KnowledgeId,
    form: SyncCleanupForm,
) -> ServiceResult<Value> {
    let knowledge = knowledge_for(app, user, id, true).await?;
    let store = app.storage.knowledge();
    for file_id in form.file_ids.into_iter().map(FileId::from) {
        remove_synced(app, user, &knowledge.id, &file_id).await?;
    }
    let all = store.directories(&knowledge.id).await?;
    let known: BTreeMap<&str, ()> = all.iter().map(|d| (d.id.as_str(), ())).collect();
    let doomed: Vec<String> = form
        .dir_ids
        .into_iter()
        .rev()
        .filter(|d| known.contains_key(d.as_str()))
        .collect();
    store.delete_directories(&knowledge.id, &doomed).await?;
    Ok(json!({ "status": true }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folder_paths_walk_up_to_the_root() {
        let dir = |id: &str, parent: Option<&str>| hearth_domain::knowledge::Directory {
            id: id.into(),
            knowledge_id: KnowledgeId::from("k"),
            parent_id: parent.map(str::to_owned),
            name: id.to_uppercase(),
            user_id: hearth_domain::UserId::from("u"),
            created_at: 0,
            updated_at: 0,
        };
        let all = [dir("a", None), dir("b", Some("a")), dir("c", Some("b"))];
        let found = folder_paths(&all);
        assert_eq!(found["c"], "A/B/C");
        assert_eq!(found["a"], "A");
    }
}
