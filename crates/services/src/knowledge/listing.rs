//! The file records of a knowledge base, and where they sit among its folders.

use crate::App;
use crate::error::ServiceResult;
use crate::files::dto::FileResponse;
use hearth_domain::ids::KnowledgeId;

/// The records of a knowledge base's files (without their text).
pub(crate) async fn file_responses(
    app: &App,
    id: &KnowledgeId,
) -> ServiceResult<Vec<FileResponse>> {
    let ids = app.storage.knowledge().knowledge_files(id).await?;
    file_responses_of(app, &ids).await
}

/// The records of these files (without their text), skipping any gone.
pub(crate) async fn file_responses_of(
    app: &App,
    ids: &[hearth_domain::ids::FileId],
) -> ServiceResult<Vec<FileResponse>> {
    let mut files = Vec::new();
    for file_id in ids {
        if let Some(file) = app.storage.files().file(file_id).await? {
            files.push(FileResponse::of(file, false));
        }
    }
    Ok(files)
}

/// Each folder's `/`-separated path from the root, by folder id.
pub(crate) fn folder_paths(
    all: &[hearth_domain::knowledge::Directory],
) -> std::collections::HashMap<String, String> {
    all.iter()
        .map(|d| {
            let mut names = vec![d.name.clone()];
            let mut parent = d.parent_id.clone();
            let mut hops = 0;
            while let Some(id) = parent.take() {
                let Some(up) = all.iter().find(|p| p.id == id) else {
                    break;
                };
                hops += 1;
                if hops > all.len() {
                    break;
                }
                names.insert(0, up.name.clone());
                parent.clone_from(&up.parent_id);
            }
            (d.id.clone(), names.join("/"))
        })
        .collect()
}

/// The knowledge base's files with their folders, keeping those `keep` accepts (by folder).
pub(crate) async fn placed_files(
    app: &App,
    id: &KnowledgeId,
    keep: impl Fn(Option<&str>) -> bool,
) -> ServiceResult<Vec<super::dto::KnowledgeFileItem>> {
    let store = app.storage.knowledge();
    let paths = folder_paths(&store.directories(id).await?);
    let mut items = Vec::new();
    for (file_id, folder) in store.file_directories(id).await? {
        if !keep(folder.as_deref()) {
            continue;
        }
        if let Some(file) = app.storage.files().file(&file_id).await? {
            let directory_path = folder
                .as_ref()
                .and_then(|f| paths.get(f).cloned())
                .unwrap_or_default();
            items.push(super::dto::KnowledgeFileItem {
                file: FileResponse::of(file, false),
                directory_id: folder,
                directory_path,
            });
        }
    }
    Ok(items)
}
