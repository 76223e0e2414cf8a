//! Admin views of chats: another user's list, and the chat settings.

use super::dto::ChatTitleResponse;
use super::{PAGE_SIZE, paging};
use crate::error::{ApiError, ApiResult};
use crate::extract::AdminUser;
use crate::messages as msg;
use crate::state::AppState;
use actix_web::{get, post, web};
use hearth_domain::UserId;
use hearth_domain::chat::{ChatListQuery, ChatSort};
use serde::Deserialize;
use serde_json::{Map, Value};
use utoipa::IntoParams;

/// Chat settings and their config keys.
const CHAT_CONFIG_KEYS: [(&str, &str); 11] = [
    ("CONTEXT_COMPACTION_MODEL", "chat.context_compaction.model"),
    (
        "ENABLE_CONTEXT_COMPACTION",
        "chat.context_compaction.enable",
    ),
    (
        "CONTEXT_COMPACTION_TOKEN_THRESHOLD",
        "chat.context_compaction.token_threshold",
    ),
    (
        "CONTEXT_COMPACTION_TOKEN_CAP",
        "chat.context_compaction.token_cap",
    ),
    (
        "CONTEXT_COMPACTION_RETENTION_PERCENTAGE",
        "chat.context_compaction.retention_percentage",
    ),
    (
        "CONTEXT_COMPACTION_PROMPT_TEMPLATE",
        "chat.context_compaction.prompt_template",
    ),
    ("ENABLE_TOOL_PERMISSIONS", "chat.tool_permissions.enable"),
    ("ENABLE_TOOL_SEARCH", "chat.tool_search.enable"),
    (
        "TOOL_SEARCH_DEFER_THRESHOLD",
        "chat.tool_search.defer_threshold",
    ),
    (
        "TOOL_SEARCH_ALWAYS_LOADED",
        "chat.tool_search.always_loaded",
    ),
    (
        "TOOL_SEARCH_DEFER_BUILTIN_TOOLS",
        "chat.tool_search.defer_builtin_tools",
    ),
];

/// Query of an admin's view of a user's chats.
#[derive(Debug, Deserialize, IntoParams)]
pub struct UserChatsParams {
    /// Page (60 per page).
    pub page: Option<i64>,
    /// Title filter.
    pub query: Option<String>,
    /// `updated_at` (default), `created_at` or `title`.
    pub order_by: Option<String>,
    /// `asc` or `desc`.
    pub direction: Option<String>,
}

/// Another user's chats, archived ones included (admin).
#[utoipa::path(tag = "chats", params(UserChatsParams), responses((status = 200, body = Vec<ChatTitleResponse>)))]
#[get("/list/user/{user_id}")]
pub async fn user_chats(
    state: web::Data<AppState>,
    _admin: AdminUser,
    path: web::Path<String>,
    params: web::Query<UserChatsParams>,
) -> ApiResult<web::Json<Vec<ChatTitleResponse>>> {
    let (offset, limit) = paging(Some(params.page.unwrap_or(1)), PAGE_SIZE);
    let sort = match params.order_by.as_deref() {
        Some("title") => ChatSort::Title,
        Some("created_at") => ChatSort::CreatedAt,
        _ => ChatSort::UpdatedAt,
    };
    let base = ChatListQuery {
        include_folders: true,
        include_pinned: true,
        sort,
        ascending: params
            .direction
            .as_deref()
            .is_some_and(|d| d.eq_ignore_ascii_case("asc")),
        title_contains: params.query.clone(),
        ..ChatListQuery::default()
    };
    let user = UserId::from(path.into_inner());
    let chats = &state.stores.chats;
    let mut all = chats.list_titles(&user, &base).await?;
    all.extend(
        chats
            .list_titles(
                &user,
                &ChatListQuery {
                    archived: true,
                    ..base
                },
            )
            .await?,
    );
    let page: Vec<ChatTitleResponse> = all
        .into_iter()
        .skip(usize::try_from(offset).unwrap_or(usize::MAX))
        .take(usize::try_from(limit.unwrap_or(PAGE_SIZE)).unwrap_or(usize::MAX))
        .map(Into::into)
        .collect();
    Ok(web::Json(page))
}

fn chat_config(state: &AppState) -> Map<String, Value> {
    let view = state.config.view();
    CHAT_CONFIG_KEYS
        .iter()
        .map(|(field, key)| ((*field).to_owned(), view.snapshot.value(key)))
        .collect()
}

/// The chat settings (admin).
#[utoipa::path(tag = "chats", responses((status = 200, body = Object)))]
#[get("/config")]
pub async fn get_config(
    state: web::Data<AppState>,
    _admin: AdminUser,
) -> web::Json<Map<String, Value>> {
    web::Json(chat_config(&state))
}

/// Saves the chat settings (admin); fields not sent keep their values.
#[utoipa::path(tag = "chats", request_body = Object, responses((status = 200, body = Object)))]
#[post("/config")]
pub async fn set_config(
    state: web::Data<AppState>,
    _admin: AdminUser,
    form: web::Json<Map<String, Value>>,
) -> ApiResult<web::Json<Map<String, Value>>> {
    let form = form.into_inner();
    if !form
        .get("ENABLE_CONTEXT_COMPACTION")
        .is_some_and(Value::is_boolean)
    {
        return Err(ApiError::validation(serde_json::json!([{
            "type": "missing", "loc": ["body", "ENABLE_CONTEXT_COMPACTION"], "msg": "Field required"
        }])));
    }
    let updates: Vec<(String, Value)> = CHAT_CONFIG_KEYS
        .iter()
        .filter_map(|(field, key)| form.get(*field).map(|v| ((*key).to_owned(), v.clone())))
        .collect();
    if updates.is_empty() {
        return Err(ApiError::bad_request(msg::DEFAULT));
    }
    state.config.set(updates).await?;
    Ok(web::Json(chat_config(&state)))
}
