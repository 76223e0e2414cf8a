//! Reading files: the caller's list and search, counts, one record, the processing state
//! (once or as a stream of events), the extracted text and the bytes.

use super::access::{Need, file_for, not_found};
use super::dto::{FileList, FileResponse, ListParams, SearchParams, StatusResponse};
use crate::App;
use crate::error::{ServiceError, ServiceResult};
use futures_util::Stream;
use hearth_domain::file::{FileStatus, StoredFile};
use hearth_domain::ids::FileId;
use hearth_domain::ports::ByteStream;
use hearth_domain::{Role, User, UserId};
use serde_json::{Value, json};
use std::sync::Arc;
use std::time::Duration;

const PAGE_SIZE: u64 = 50;

fn query_error(field: &str, kind: &str, message: &str) -> ServiceError {
    ServiceError::Validation(json!([{"type": kind, "loc": ["query", field], "msg": message}]))
}

/// Whose files a listing shows: an admin sees everyone's when admins bypass access control.
fn scope(app: &App, user: &User) -> Option<UserId> {
    let everyone = crate::permissions::bypasses_access_control(app, user);
    (!everyone).then(|| user.id.clone())
}

/// A page of the caller's files (`{items, total}`).
pub async fn list(app: &App, user: &User, params: &ListParams) -> ServiceResult<FileList> {
    let page = params.page.unwrap_or(1);
    if page < 1 {
        return Err(query_error(
            "page",
            "greater_than_equal",
            "Input should be greater than or equal to 1",
        ));
    }
    let owner = scope(app, user);
    let offset = u64::try_from(page - 1)
        .unwrap_or(0)
        .saturating_mul(PAGE_SIZE)
        .min(i64::MAX as u64);
    let files = app.storage.files();
    let items = files.files(owner.as_ref(), offset, PAGE_SIZE).await?;
    let total = files.count_files(owner.as_ref()).await?;
    let content = params.content.unwrap_or(true);
    Ok(FileList {
        items: items
            .into_iter()
            .map(|f| FileResponse::of(f, content))
            .collect(),
        total,
    })
}

fn window(params: &SearchParams, default_limit: i64) -> ServiceResult<(u64, u64)> {
    let skip = params.skip.unwrap_or(0);
    if skip < 0 {
        return Err(query_error(
            "skip",
            "greater_than_equal",
            "Input should be greater than or equal to 0",
        ));
    }
    let limit = params.limit.unwrap_or(default_limit);
    if !(1..=1000).contains(&limit) {
        return Err(query_error(
            "limit",
            "less_than_equal",
            "Input should be between 1 and 1000",
        ));
    }
    Ok((
        u64::try_from(skip).unwrap_or(0),
        u64::try_from(limit).unwrap_or(1),
    ))
}

/// Files whose name matches a glob. `mine_only` is the `/user/search` route (the caller's
/// own files, an empty list when none match); otherwise no match is a 404.
pub async fn search(
    app: &App,
    user: &User,
    params: &SearchParams,
    mine_only: bool,
) -> ServiceResult<Vec<FileResponse>> {
    let (glob, default_content, default_limit) = if mine_only {
        (
            params.filename.clone().unwrap_or_else(|| "*".into()),
            false,
            50,
        )
    } else {
        let Some(glob) = params.filename.clone() else {
            return Err(query_error("filename", "missing", "Field required"));
        };
        (glob, true, 100)
    };
    let (skip, limit) = window(params, default_limit)?;
    let owner = if mine_only {
        Some(user.id.clone())
    } else {
        scope(app, user)
    };
    let files = app
        .storage
        .files()
        .search_files(owner.as_ref(), &glob, skip, limit)
        .await?;
    if files.is_empty() && !mine_only {
        return Err(ServiceError::not_found(
            "No files found matching the pattern.",
        ));
    }
    let content = params.content.unwrap_or(default_content);
    Ok(files
        .into_iter()
        .map(|f| FileResponse::of(f, content))
        .collect())
}

/// How many files the caller has (`all`: everyone's for an admin bypassing access control).
pub async fn count(app: &App, user: &User, all: bool) -> ServiceResult<u64> {
    let owner = if all {
        scope(app, user)
    } else {
        Some(user.id.clone())
    };
    Ok(app.storage.files().count_files(owner.as_ref()).await?)
}

/// One file's record.
pub async fn get(app: &App, user: &User, id: &FileId) -> ServiceResult<FileResponse> {
    Ok(FileResponse::of(
        file_for(app, user, id, Need::Read).await?,
        true,
    ))
}

fn status_of(file: &StoredFile) -> String {
    file.data
        .get("status")
        .and_then(Value::as_str)
        .unwrap_or(FileStatus::Pending.as_str())
        .to_owned()
}

/// The processing state now.
pub async fn status(app: &App, user: &User, id: &FileId) -> ServiceResult<StatusResponse> {
    let file = file_for(app, user, id, Need::Read).await?;
    Ok(StatusResponse {
        status: status_of(&file),
    })
}

/// How long a status stream follows a file at most (Open WebUI: two hours).
const STATUS_STREAM_LIMIT: u32 = 2 * 3600;

/// The processing state once a second until it ends: `{status}`, with `error` when failed,
/// `{status: "not_found"}` if the file goes away. Checks access first.
pub async fn status_events(
    app: &Arc<App>,
    user: &User,
    id: &FileId,
) -> ServiceResult<impl Stream<Item = Value> + Send + 'static> {
    file_for(app, user, id, Need::Read).await?;
    let state = (Arc::clone(app), id.clone(), 0_u32, false);
    Ok(futures_util::stream::unfold(
        state,
        |(app, id, polls, done)| async move {
            if done || polls >= STATUS_STREAM_LIMIT {
                return None;
            }
            if polls > 0 {
                tokio::time::sleep(Duration::from_secs(1)).await;
            }
            let (event, done) = match app.storage.files().file(&id).await {
                Ok(Some(file)) => match file.status() {
                    Some(status) => {
                        let mut event = json!({"status": status.as_str()});
                        if status == FileStatus::Failed {
                            event["error"] = file.data.get("error").cloned().unwrap_or(Value::Null);
                        }
                        (event, status.is_final())
                    }
                    None => return None,
                },
                Ok(None) => (json!({"status": "not_found"}), true),
                Err(e) => {
                    tracing::warn!(error = %e, "reading a file's status failed");
                    return None;
                }
            };
            Some((event, (app, id, polls + 1, done)))
        },
    ))
}

/// The extracted text (`""` when there is none).
pub async fn data_content(app: &App, user: &User, id: &FileId) -> ServiceResult<Value> {
    let file = file_for(app, user, id, Need::Read).await?;
    Ok(json!({"content": file.content().unwrap_or_default()}))
}

/// How a download is to be shown.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ContentKind {
    /// `GET /{id}/content`: inline for PDF and plain text, attachment otherwise (or always
    /// with `attachment=true`).
    Original {
        /// Always as an attachment.
        attachment: bool,
    },
    /// `GET /{id}/content/{name}`: always an attachment; the extracted text when the
    /// original is gone.
    Named,
    /// `GET /{id}/content/html`: an HTML file of an admin, shown in a sandbox.
    Html,
}

/// A download: what to send and how.
pub struct Download {
    /// The display name.
    pub name: String,
    /// The content type to send.
    pub content_type: String,
    /// `Some(true)`: `inline`; `Some(false)`: `attachment`.
    pub inline: bool,
    /// Length in bytes.
    pub length: u64,
    /// The bytes.
    pub body: ByteStream,
}

fn inline_type(file: &StoredFile, kind: ContentKind) -> (String, bool) {
    let declared = file.content_type().unwrap_or("application/octet-stream");
    let is_pdf = declared == "application/pdf" || file.name().to_lowercase().ends_with(".pdf");
    match kind {
        ContentKind::Original { attachment: false } if is_pdf => ("application/pdf".into(), true),
        ContentKind::Original { attachment: false } if declared == "text/plain" => {
            ("text/plain; charset=utf-8".into(), true)
        }
        ContentKind::Html => ("text/html; charset=utf-8".into(), true),
        _ => (declared.to_owned(), false),
    }
}

/// The bytes of a file.
pub async fn download(
    app: &App,
    user: &User,
    id: &FileId,
    kind: ContentKind,
) -> ServiceResult<Download> {
    let file = file_for(app, user, id, Need::Read).await?;
    if kind == ContentKind::Html {
        let owner = app.storage.users().get(&file.user_id).await?;
        if owner.is_none_or(|o| o.role != Role::Admin) {
            return Err(not_found());
        }
    }
    let stored = match file.path.as_deref() {
        Some(path) => app
            .files
            .blobs
            .open(path)
            .await
            .map_err(ServiceError::internal)?,
        None => None,
    };
    let (content_type, inline) = inline_type(&file, kind);
    match (stored, kind) {
        (Some((length, body)), _) => Ok(Download {
            name: file.name().to_owned(),
            content_type,
            inline,
            length,
            body,
        }),
        (None, ContentKind::Named) => Ok(text_download(&file)),
        (None, ContentKind::Original { .. }) if file.path.is_none() => {
            Err(ServiceError::not_found("Original file is unavailable."))
        }
        (None, _) => Err(not_found()),
    }
}

fn text_download(file: &StoredFile) -> Download {
    let text = bytes::Bytes::from(file.content().unwrap_or_default().to_owned());
    let length = u64::try_from(text.len()).unwrap_or(u64::MAX);
    Download {
        name: file.name().to_owned(),
        content_type: "text/plain; charset=utf-8".into(),
        inline: false,
        length,
        body: Box::pin(futures_util::stream::once(async move { Ok(text) })),
    }
}
