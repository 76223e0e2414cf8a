//! The file records of a knowledge base.

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
