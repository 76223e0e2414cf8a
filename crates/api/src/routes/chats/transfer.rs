//! Export (NDJSON, streamed), import, archived chats and whole folders.

use super::dto::ChatResponse;
use super::{NewChat, build_chat, check_can_create, may};
use crate::error::{ApiError, ApiResult};
use crate::extract::VerifiedUser;
use crate::messages as msg;
use crate::state::AppState;
use actix_web::web::Bytes;
use actix_web::{HttpResponse, get, post, web};
use hearth_domain::folder::subtree_ids;
use hearth_domain::time::now_epoch;
use serde::Deserialize;
use serde_json::{Map, Value, json};
use utoipa::ToSchema;

/// Chats read per database round trip while exporting.
const EXPORT_BATCH: u64 = 200;

/// Every chat of the caller as NDJSON (one `ChatResponse` per line), streamed in batches so
/// memory stays flat however many chats there are.
#[utoipa::path(tag = "chats", responses((status = 200, content_type = "application/x-ndjson", description = "One chat per line")))]
#[get("/all")]
pub async fn export_all(state: web::Data<AppState>, caller: VerifiedUser) -> HttpResponse {
    let chats = state.stores.chats.clone();
    let user = caller.user().id.clone();
    let batches =
        futures_util::stream::unfold(Some(None), move |cursor: Option<Option<(i64, String)>>| {
            let chats = chats.clone();
            let user = user.clone();
            async move {
                let after = cursor?;
                match chats.list_full(&user, after, EXPORT_BATCH, false).await {
                    Ok(batch) if batch.is_empty() => None,
                    Ok(batch) => {
                        let next = batch.last().map(|c| (c.created_at, c.id.clone()));
                        let full = batch.len() as u64 == EXPORT_BATCH;
                        let mut lines = Vec::new();
                        for chat in batch {
                            if serde_json::to_writer(&mut lines, &ChatResponse::from(chat)).is_ok()
                            {
                                lines.push(b'\n');
                            }
                        }
                        Some((
                            Ok::<_, actix_web::Error>(Bytes::from(lines)),
                            full.then_some(next),
                        ))
                    }
                    Err(error) => {
                        tracing::error!(%error, "chat export failed part way");
                        None
                    }
                }
            }
        });
    HttpResponse::Ok()
        .content_type("application/x-ndjson")
        .streaming(batches)
}

/// Every archived chat of the caller, with documents.
#[utoipa::path(tag = "chats", responses((status = 200, body = Vec<ChatResponse>)))]
#[get("/all/archived")]
pub async fn all_archived(
    state: web::Data<AppState>,
    caller: VerifiedUser,
) -> ApiResult<web::Json<Vec<ChatResponse>>> {
    let chats = state
        .stores
        .chats
        .list_full(&caller.user().id, None, u64::MAX >> 1, true)
        .await?;
    Ok(web::Json(chats.into_iter().map(Into::into).collect()))
}

/// The chats of a folder and its subfolders, with documents.
#[utoipa::path(tag = "chats", responses((status = 200, body = Vec<ChatResponse>)))]
#[get("/folder/{folder_id}")]
pub async fn folder_chats(
    state: web::Data<AppState>,
    caller: VerifiedUser,
    path: web::Path<String>,
) -> ApiResult<web::Json<Vec<ChatResponse>>> {
    let user = &caller.user().id;
    let folders = state.stores.folders.folders(user).await?;
    let ids = subtree_ids(&folders, &path);
    let chats = state.stores.chats.in_folders(user, &ids).await?;
    Ok(web::Json(chats.into_iter().map(Into::into).collect()))
}

/// One chat to import.
#[derive(Debug, Deserialize, ToSchema)]
pub struct ChatImport {
    /// The document.
    #[schema(value_type = Object)]
    pub chat: Map<String, Value>,
    /// `meta` (tags).
    #[schema(value_type = Option<Object>)]
    pub meta: Option<Value>,
    /// Pinned.
    #[serde(default)]
    pub pinned: Option<bool>,
    /// Archived.
    #[serde(default)]
    pub archived: Option<bool>,
    /// Folder (dropped when it is not one of the caller's).
    pub folder_id: Option<String>,
    /// Variables.
    #[schema(value_type = Option<Object>)]
    pub variables: Option<Value>,
    /// Original creation time.
    pub created_at: Option<i64>,
    /// Original update time.
    pub updated_at: Option<i64>,
}

/// `POST /import`.
#[derive(Debug, Deserialize, ToSchema)]
pub struct ChatsImport {
    /// The chats.
    pub chats: Vec<ChatImport>,
}

/// Imports chats (needs `chat.import`): each gets a new id; messages keep their authors;
/// tags named in `meta.tags` are created.
#[utoipa::path(tag = "chats", request_body = ChatsImport, responses((status = 200, body = Vec<ChatResponse>)))]
#[post("/import")]
pub async fn import(
    state: web::Data<AppState>,
    caller: VerifiedUser,
    form: web::Json<ChatsImport>,
) -> ApiResult<web::Json<Vec<ChatResponse>>> {
    let user = caller.user();
    if !may(&state, user, "chat.import") {
        return Err(ApiError::forbidden(msg::ACCESS_PROHIBITED));
    }
    check_can_create(&state, user)?;
    let own_folders: Vec<String> = state
        .stores
        .folders
        .folders(&user.id)
        .await?
        .into_iter()
        .map(|f| f.id)
        .collect();
    let now = now_epoch();
    let mut built = Vec::new();
    for item in form.into_inner().chats {
        let new = NewChat {
            document: Value::Object(item.chat),
            meta: item.meta.unwrap_or_else(|| json!({})),
            variables: item.variables.unwrap_or_else(|| json!({})),
            pinned: item.pinned.unwrap_or(false),
            archived: item.archived.unwrap_or(false),
            folder_id: item.folder_id.filter(|f| own_folders.contains(f)),
            created_at: item.created_at,
            updated_at: item.updated_at,
        };
        built.push(build_chat(user, new, now));
    }
    for (chat, _) in &built {
        for id in chat.tag_ids() {
            let tag = hearth_domain::chat::tags::Tag {
                name: id.clone(),
                id,
                user_id: user.id.to_string(),
                meta: None,
            };
            state.stores.chats.ensure_tag(&tag).await?;
        }
    }
    state.stores.chats.insert(&built).await?;
    Ok(web::Json(
        built.into_iter().map(|(chat, _)| chat.into()).collect(),
    ))
}
