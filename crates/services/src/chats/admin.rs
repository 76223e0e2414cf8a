//! Admin views of chats: another user's list, and the chat settings.

use super::dto::ChatTitleResponse;
use super::forms::UserChatsParams;
use super::lists::ordered_query;
use super::{PAGE_SIZE, paging};
use crate::App;
use crate::error::{ServiceError, ServiceResult};
use crate::messages as msg;
use hearth_domain::UserId;
use hearth_domain::chat::ChatListQuery;
use serde_json::{Map, Value};

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

/// Another user's chats, archived ones included.
pub async fn user_chats(
    app: &App,
    owner: &UserId,
    params: &UserChatsParams,
) -> ServiceResult<Vec<ChatTitleResponse>> {
    let (offset, limit) = paging(Some(params.page.unwrap_or(1)), PAGE_SIZE);
    let base = ChatListQuery {
        include_folders: true,
        include_pinned: true,
        ..ordered_query(
            params.order_by.as_deref(),
            params.direction.as_deref(),
            params.query.clone(),
        )
    };
    let chats = app.storage.chats();
    let mut all = chats.list_titles(owner, &base).await?;
    let archived = ChatListQuery {
        archived: true,
        ..base
    };
    all.extend(chats.list_titles(owner, &archived).await?);
    Ok(all
        .into_iter()
        .skip(usize::try_from(offset).unwrap_or(usize::MAX))
        .take(usize::try_from(limit.unwrap_or(PAGE_SIZE)).unwrap_or(usize::MAX))
        .map(Into::into)
        .collect())
}

/// The chat settings.
pub fn chat_config(app: &App) -> Map<String, Value> {
    let view = app.view();
    CHAT_CONFIG_KEYS
        .iter()
        .map(|(field, key)| ((*field).to_owned(), view.snapshot.value(key)))
        .collect()
}

/// Saves the chat settings; fields not sent keep their values.
pub async fn set_chat_config(
    app: &App,
    form: Map<String, Value>,
) -> ServiceResult<Map<String, Value>> {
    if !form
        .get("ENABLE_CONTEXT_COMPACTION")
        .is_some_and(Value::is_boolean)
    {
        return Err(ServiceError::Validation(serde_json::json!([{
            "type": "missing", "loc": ["body", "ENABLE_CONTEXT_COMPACTION"], "msg": "Field required"
        }])));
    }
    let updates: Vec<(String, Value)> = CHAT_CONFIG_KEYS
        .iter()
        .filter_map(|(field, key)| form.get(*field).map(|v| ((*key).to_owned(), v.clone())))
        .collect();
    if updates.is_empty() {
        return Err(ServiceError::invalid(msg::DEFAULT));
    }
    app.config.set(updates).await?;
    Ok(chat_config(app))
}

/// The body of `POST /api/v1/chats/config`, as [`set_chat_config`] checks it.
pub struct ChatConfigForm;

impl utoipa::PartialSchema for ChatConfigForm {
    fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
        use utoipa::openapi::schema::Type;
        crate::body_schema::typed_object(&[("ENABLE_CONTEXT_COMPACTION", Type::Boolean)], &[])
    }
}

impl utoipa::ToSchema for ChatConfigForm {}
