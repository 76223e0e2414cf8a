//! Scheduled upkeep: job claims kept in the `config` table (a conditional update, so one
//! instance wins each interval on either engine, Redis or not) and chat retention.

use crate::entity::{chat, chat_file, config, knowledge_file};
use crate::errors::store_err;
use crate::{Backend, SqlStore};
use async_trait::async_trait;
use hearth_domain::ids::{ChatId, FileId};
use hearth_domain::ports::{ExpiredChat, UpkeepStore};
use hearth_domain::{StoreResult, UserId};
use sea_orm::sea_query::OnConflict;
use sea_orm::{
    ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder,
    QuerySelect, Set,
};

#[async_trait]
impl UpkeepStore for SqlStore {
    async fn claim_job(&self, job: &str, now: i64, every: i64) -> StoreResult<bool> {
        let key = format!("hearth.jobs.{job}");
        let row = config::ActiveModel {
            key: Set(key.clone()),
            value: Set(serde_json::Value::Null),
            updated_at: Set(Some(0)),
        };
        config::Entity::insert(row)
            .on_conflict(
                OnConflict::column(config::Column::Key)
                    .do_nothing()
                    .to_owned(),
            )
            .try_insert()
            .exec(&self.db)
            .await
            .map_err(store_err)?;
        let claimed = config::Entity::update_many()
            .col_expr(config::Column::UpdatedAt, now.into())
            .filter(config::Column::Key.eq(key))
            .filter(config::Column::UpdatedAt.lte(now - every))
            .exec(&self.db)
            .await
            .map_err(store_err)?;
        Ok(claimed.rows_affected == 1)
    }

    async fn expired_chats(&self, cutoff: i64, limit: u64) -> StoreResult<Vec<ExpiredChat>> {
        let rows: Vec<(String, Option<String>)> = chat::Entity::find()
            .select_only()
            .column(chat::Column::Id)
            .column(chat::Column::UserId)
            .filter(chat::Column::UpdatedAt.lt(cutoff))
            .order_by_asc(chat::Column::UpdatedAt)
            .limit(crate::convert::sql_count(limit))
            .into_tuple()
            .all(&self.db)
            .await
            .map_err(store_err)?;
        Ok(rows
            .into_iter()
            .map(|(id, user)| ExpiredChat {
                id: ChatId::from(id),
                user_id: UserId::from(user.unwrap_or_default()),
            })
            .collect())
    }

    async fn chat_files(&self, chats: &[ChatId]) -> StoreResult<Vec<FileId>> {
        let ids: Vec<&str> = chats.iter().map(ChatId::as_str).collect();
        let mut files: Vec<String> = chat_file::Entity::find()
            .select_only()
            .column(chat_file::Column::FileId)
            .filter(chat_file::Column::ChatId.is_in(ids))
            .into_tuple()
            .all(&self.db)
            .await
            .map_err(store_err)?;
        files.sort();
        files.dedup();
        Ok(files.into_iter().map(FileId::from).collect())
    }

    async fn delete_chats(&self, chats: &[ChatId]) -> StoreResult<u64> {
        if chats.is_empty() {
            return Ok(0);
        }
        let ids: Vec<&str> = chats.iter().map(ChatId::as_str).collect();
        chat_file::Entity::delete_many()
            .filter(chat_file::Column::ChatId.is_in(ids.clone()))
            .exec(&self.db)
            .await
            .map_err(store_err)?;
        let condition = sea_orm::Condition::all().add(chat::Column::Id.is_in(ids));
        self.delete_chats_where(condition).await
    }

    async fn file_in_use(&self, file: &FileId) -> StoreResult<bool> {
        let in_chats = chat_file::Entity::find()
            .filter(chat_file::Column::FileId.eq(file.as_str()))
            .count(&self.db)
            .await
            .map_err(store_err)?;
        let in_knowledge = knowledge_file::Entity::find()
            .filter(knowledge_file::Column::FileId.eq(file.as_str()))
            .count(&self.db)
            .await
            .map_err(store_err)?;
        Ok(in_chats + in_knowledge > 0)
    }

    async fn reclaim_space(&self) -> StoreResult<()> {
        if self.backend != Backend::Sqlite {
            // PostgreSQL's autovacuum makes freed pages reusable.
            return Ok(());
        }
        let mode = self
            .db
            .query_one_raw(sea_orm::Statement::from_string(
                self.db.get_database_backend(),
                "PRAGMA auto_vacuum",
            ))
            .await
            .map_err(store_err)?
            .and_then(|row| row.try_get_by_index::<i64>(0).ok())
            .unwrap_or(0);
        if mode != 2 {
            // Once per database: switch to incremental mode (takes effect with a VACUUM).
            tracing::info!("switching the database to incremental vacuum (one full VACUUM)");
            // One call, so both run on the same pooled connection.
            self.db
                .execute_unprepared("PRAGMA auto_vacuum = INCREMENTAL; VACUUM;")
                .await
                .map_err(store_err)?;
        }
        self.db
            .execute_unprepared("PRAGMA incremental_vacuum; PRAGMA wal_checkpoint(TRUNCATE);")
            .await
            .map_err(store_err)?;
        Ok(())
    }
}
