//! Row ↔ domain conversions for chats, messages and tags, and the few SQL expressions that
//! differ between SQLite and PostgreSQL (JSON inside `chat.meta`).

use crate::Backend;
use crate::entity::{chat, chat_message, tag};
use hearth_domain::UserId;
use hearth_domain::chat::tags::Tag;
use hearth_domain::chat::{Chat, ChatDocument, ChatTitle, MessageRecord};
use hearth_domain::ids::ChatId;
use sea_orm::Set;
use sea_orm::sea_query::Expr;
use serde_json::{Value, json};

/// The columns a chat list selects: id, title, updated_at, created_at, last_read_at, archived.
pub(crate) type TitleRow = (
    String,
    Option<String>,
    Option<i64>,
    Option<i64>,
    Option<i64>,
    Option<bool>,
);

pub(crate) fn chat_from_row(row: chat::Model) -> Chat {
    Chat {
        id: ChatId::from(row.id),
        user_id: UserId::from(row.user_id.unwrap_or_default()),
        title: row.title.unwrap_or_default(),
        document: ChatDocument::from_value(row.chat.unwrap_or_else(|| json!({}))),
        created_at: row.created_at.unwrap_or_default(),
        updated_at: row.updated_at.unwrap_or_default(),
        share_id: row.share_id.map(Into::into),
        archived: row.archived.unwrap_or(false),
        pinned: row.pinned.unwrap_or(false),
        meta: row.meta,
        variables: row
            .variables
            .filter(Value::is_object)
            .unwrap_or_else(|| json!({})),
        folder_id: row.folder_id.map(Into::into),
        tasks: row.tasks,
        summary: row.summary,
        current_message_id: row.current_message_id.map(Into::into),
        last_read_at: row.last_read_at,
    }
}

pub(crate) fn chat_row(chat: &Chat) -> chat::ActiveModel {
    chat::ActiveModel {
        id: Set(chat.id.as_str().to_owned()),
        user_id: Set(Some(chat.user_id.as_str().to_owned())),
        title: Set(Some(chat.title.clone())),
        chat: Set(Some(chat.document.as_value().clone())),
        created_at: Set(Some(chat.created_at)),
        updated_at: Set(Some(chat.updated_at)),
        share_id: Set(chat.share_id.clone().map(Into::into)),
        archived: Set(Some(chat.archived)),
        pinned: Set(Some(chat.pinned)),
        meta: Set(chat.meta.clone()),
        folder_id: Set(chat.folder_id.clone().map(Into::into)),
        tasks: Set(chat.tasks.clone()),
        summary: Set(chat.summary.clone()),
        last_read_at: Set(chat.last_read_at),
        current_message_id: Set(chat.current_message_id.clone().map(Into::into)),
        variables: Set(Some(chat.variables.clone())),
        timer_at: Set(None),
    }
}

pub(crate) fn title_from_tuple(row: TitleRow) -> ChatTitle {
    let (id, title, updated_at, created_at, last_read_at, archived) = row;
    ChatTitle {
        id: ChatId::from(id),
        title: title.unwrap_or_default(),
        updated_at: updated_at.unwrap_or_default(),
        created_at: created_at.unwrap_or_default(),
        last_read_at,
        archived: archived.unwrap_or(false),
    }
}

pub(crate) fn message_row(
    chat_id: &ChatId,
    record: &MessageRecord,
    now: i64,
) -> chat_message::ActiveModel {
    chat_message::ActiveModel {
        id: Set(format!("{chat_id}-{}", record.message_id)),
        chat_id: Set(chat_id.as_str().to_owned()),
        user_id: Set(Some(record.user_id.as_str().to_owned())),
        role: Set(record.role.clone()),
        parent_id: Set(record.parent_id.clone().map(Into::into)),
        content: Set(record.content.clone()),
        output: Set(record.output.clone()),
        model_id: Set(record.model_id.clone().map(Into::into)),
        files: Set(record.files.clone()),
        sources: Set(record.sources.clone()),
        embeds: Set(record.embeds.clone()),
        meta: Set(record.meta.clone()),
        done: Set(Some(record.done)),
        status_history: Set(record.status_history.clone()),
        error: Set(record.error.clone()),
        usage: Set(record.usage.clone()),
        context_summary: Set(record.context_summary.clone()),
        created_at: Set(Some(record.created_at)),
        updated_at: Set(Some(now)),
    }
}

pub(crate) fn tag_from_row(row: tag::Model) -> Tag {
    Tag {
        id: row.id,
        name: row.name.unwrap_or_default(),
        user_id: row.user_id,
        meta: row.meta,
    }
}

/// `chat.meta` does not mark the chat internal.
pub(crate) fn not_internal(backend: Backend) -> Expr {
    match backend {
        Backend::Sqlite => Expr::cust("json_extract(\"chat\".\"meta\", '$.internal') IS NOT 1"),
        Backend::Postgres => {
            Expr::cust("(\"chat\".\"meta\"::jsonb -> 'internal') IS DISTINCT FROM 'true'::jsonb")
        }
    }
}

/// `chat.meta.tags` contains the tag id.
pub(crate) fn has_tag(backend: Backend, tag_id: &str) -> Expr {
    match backend {
        Backend::Sqlite => Expr::cust_with_values(
            "EXISTS (SELECT 1 FROM json_each(\"chat\".\"meta\", '$.tags') WHERE json_each.value = ?)",
            [tag_id.to_owned()],
        ),
        Backend::Postgres => Expr::cust_with_values(
            "jsonb_exists(COALESCE(\"chat\".\"meta\"::jsonb -> 'tags', '[]'::jsonb), $1)",
            [tag_id.to_owned()],
        ),
    }
}

/// Unread first: updated since last read and no answer still streaming.
pub(crate) fn unread_first() -> Expr {
    Expr::cust(
        "CASE WHEN \"chat\".\"updated_at\" > COALESCE(\"chat\".\"last_read_at\", 0) AND NOT EXISTS \
         (SELECT 1 FROM \"chat_message\" m WHERE m.\"chat_id\" = \"chat\".\"id\" AND m.\"role\" = 'assistant' \
         AND m.\"done\" = false) THEN 1 ELSE 0 END",
    )
}
