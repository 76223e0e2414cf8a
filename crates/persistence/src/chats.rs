//! `ChatStore` over the `chat`, `chat_message` and `shared_chat` tables: writes and single
//! chats. Lists are in `chat_lists.rs`, tags in `chat_tags.rs`. Every change of a stored
//! document goes through [`SqlStore::edit_chat_document`].

use crate::SqlStore;
use crate::chat_rows::{chat_from_row, chat_row, message_row};
use crate::entity::{chat, chat_message, shared_chat};
use crate::errors::{storable, store_err};
use hearth_domain::chat::{Chat, ChatDocument, MessageRecord};
use hearth_domain::ids::{ChatId, MessageId};
use hearth_domain::ports::{ChatWithMessages, DocumentEdit};
use hearth_domain::{StoreResult, UserId};
use sea_orm::sea_query::{Expr, OnConflict};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseTransaction, EntityTrait, QueryFilter,
    Set,
};
use serde_json::{Map, Value};

/// Message columns rewritten when a message changes (all but the id, chat and creation).
const MESSAGE_UPDATE_COLUMNS: [chat_message::Column; 15] = [
    chat_message::Column::UserId,
    chat_message::Column::Role,
    chat_message::Column::ParentId,
    chat_message::Column::Content,
    chat_message::Column::Output,
    chat_message::Column::ModelId,
    chat_message::Column::Files,
    chat_message::Column::Sources,
    chat_message::Column::Embeds,
    chat_message::Column::Meta,
    chat_message::Column::Done,
    chat_message::Column::StatusHistory,
    chat_message::Column::Error,
    chat_message::Column::Usage,
    chat_message::Column::UpdatedAt,
];

impl SqlStore {
    pub(crate) async fn insert_chats(&self, chats: &[ChatWithMessages]) -> StoreResult<()> {
        let txn = crate::convert::write_transaction(&self.db)
            .await
            .map_err(store_err)?;
        for chunk in chats.chunks(200) {
            let rows: Vec<chat::ActiveModel> =
                chunk.iter().map(|(chat, _)| chat_row(chat)).collect();
            chat::Entity::insert_many(rows)
                .exec(&txn)
                .await
                .map_err(store_err)?;
        }
        for (chat, messages) in chats {
            upsert_messages(&txn, &chat.id, messages, chat.created_at).await?;
        }
        txn.commit().await.map_err(store_err)
    }

    pub(crate) async fn get_chat(&self, id: &ChatId) -> StoreResult<Option<Chat>> {
        if !storable(id.as_str()) {
            return Ok(None);
        }
        let row = chat::Entity::find_by_id(id.as_str())
            .one(&self.db)
            .await
            .map_err(store_err)?;
        Ok(row.map(chat_from_row))
    }

    /// The one write path of a stored document: lock the row, read it, let `edit` change
    /// the document, write it back with its title and current message, and write or delete
    /// the message rows the edit names, in one transaction.
    pub(crate) async fn edit_chat_document(
        &self,
        id: &ChatId,
        edit: &dyn DocumentEdit,
        touch: bool,
        now: i64,
    ) -> StoreResult<Option<Chat>> {
        if !storable(id.as_str()) {
            return Ok(None);
        }
        let txn = crate::convert::write_transaction(&self.db)
            .await
            .map_err(store_err)?;
        lock_chat(&txn, id).await?;
        let Some(row) = chat::Entity::find_by_id(id.as_str())
            .one(&txn)
            .await
            .map_err(store_err)?
        else {
            return Ok(None);
        };
        let owner = UserId::from(row.user_id.clone().unwrap_or_default());
        let stored = row
            .chat
            .clone()
            .unwrap_or_else(|| Value::Object(Map::new()));
        let mut document = ChatDocument::from_value(stored);
        let edited = edit.apply(&mut document, &owner);
        document.strip_nul();
        let mut active: chat::ActiveModel = row.into();
        active.title = Set(Some(document.title()));
        active.current_message_id = Set(document.current_message_id().map(Into::into));
        if touch {
            active.updated_at = Set(Some(now));
        }
        let records: Vec<MessageRecord> = edited
            .changed
            .iter()
            .filter_map(|message| document.record(message, &owner, now))
            .collect();
        active.chat = Set(Some(document.into_value()));
        let saved = active.update(&txn).await.map_err(store_err)?;
        upsert_messages(&txn, id, &records, now).await?;
        delete_messages(&txn, id, &edited.removed).await?;
        txn.commit().await.map_err(store_err)?;
        Ok(Some(chat_from_row(saved)))
    }

    pub(crate) async fn save_chat_flags(&self, chat: &Chat) -> StoreResult<()> {
        let mut active: chat::ActiveModel = chat_row(chat);
        active.chat = sea_orm::ActiveValue::NotSet;
        active.update(&self.db).await.map_err(store_err)?;
        Ok(())
    }

    pub(crate) async fn delete_chat(&self, id: &ChatId) -> StoreResult<bool> {
        if !storable(id.as_str()) {
            return Ok(false);
        }
        let txn = crate::convert::write_transaction(&self.db)
            .await
            .map_err(store_err)?;
        delete_dependents(
            &txn,
            chat_message::Column::ChatId.eq(id.as_str()),
            shared_chat::Column::ChatId.eq(id.as_str()),
        )
        .await?;
        let result = chat::Entity::delete_by_id(id.as_str())
            .exec(&txn)
            .await
            .map_err(store_err)?;
        txn.commit().await.map_err(store_err)?;
        Ok(result.rows_affected > 0)
    }

    pub(crate) async fn delete_chats_where(
        &self,
        condition: sea_orm::Condition,
    ) -> StoreResult<u64> {
        let txn = crate::convert::write_transaction(&self.db)
            .await
            .map_err(store_err)?;
        let ids = sea_orm::sea_query::Query::select()
            .column(chat::Column::Id)
            .from(chat::Entity)
            .cond_where(condition.clone())
            .take();
        delete_dependents(
            &txn,
            chat_message::Column::ChatId.in_subquery(ids.clone()),
            shared_chat::Column::ChatId.in_subquery(ids),
        )
        .await?;
        let result = chat::Entity::delete_many()
            .filter(condition)
            .exec(&txn)
            .await
            .map_err(store_err)?;
        txn.commit().await.map_err(store_err)?;
        Ok(result.rows_affected)
    }

    pub(crate) fn user_filter(user_id: &UserId) -> sea_orm::Condition {
        sea_orm::Condition::all().add(chat::Column::UserId.eq(user_id.as_str()))
    }
}

/// Takes the chat row's write lock for the rest of the transaction (a no-op update, which
/// locks on PostgreSQL and starts the write transaction on SQLite).
async fn lock_chat(txn: &DatabaseTransaction, id: &ChatId) -> StoreResult<()> {
    chat::Entity::update_many()
        .col_expr(chat::Column::Id, Expr::col(chat::Column::Id))
        .filter(chat::Column::Id.eq(id.as_str()))
        .exec(txn)
        .await
        .map_err(store_err)?;
    Ok(())
}

async fn delete_dependents(
    txn: &DatabaseTransaction,
    messages: impl sea_orm::sea_query::IntoCondition,
    shares: impl sea_orm::sea_query::IntoCondition,
) -> StoreResult<()> {
    chat_message::Entity::delete_many()
        .filter(messages)
        .exec(txn)
        .await
        .map_err(store_err)?;
    shared_chat::Entity::delete_many()
        .filter(shares)
        .exec(txn)
        .await
        .map_err(store_err)?;
    Ok(())
}

async fn delete_messages(
    txn: &DatabaseTransaction,
    chat_id: &ChatId,
    removed: &[MessageId],
) -> StoreResult<()> {
    if removed.is_empty() {
        return Ok(());
    }
    let ids: Vec<String> = removed.iter().map(|m| format!("{chat_id}-{m}")).collect();
    chat_message::Entity::delete_many()
        .filter(chat_message::Column::Id.is_in(ids))
        .exec(txn)
        .await
        .map_err(store_err)?;
    Ok(())
}

async fn upsert_messages(
    db: &impl ConnectionTrait,
    chat_id: &ChatId,
    records: &[MessageRecord],
    now: i64,
) -> StoreResult<()> {
    for chunk in records.chunks(100) {
        let rows: Vec<chat_message::ActiveModel> =
            chunk.iter().map(|r| message_row(chat_id, r, now)).collect();
        chat_message::Entity::insert_many(rows)
            .on_conflict(
                OnConflict::column(chat_message::Column::Id)
                    .update_columns(MESSAGE_UPDATE_COLUMNS)
                    .to_owned(),
            )
            .exec(db)
            .await
            .map_err(store_err)?;
    }
    Ok(())
}
