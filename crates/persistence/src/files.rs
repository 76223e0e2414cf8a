//! `FileStore` over the `file` table and the `chat_file` links.

use crate::entity::{chat, chat_file, file, knowledge_file};
use crate::errors::{storable, store_err};
use crate::users::escape_like;
use crate::{Backend, SqlStore};
use async_trait::async_trait;
use hearth_domain::file::StoredFile;
use hearth_domain::ids::{ChatId, FileId, MessageId};
use hearth_domain::ports::FileStore;
use hearth_domain::{StoreResult, UserId};
use sea_orm::sea_query::{Expr, ExprTrait, Func, LikeExpr, OnConflict};
use sea_orm::{
    ColumnTrait, Condition, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect,
    Select, Set,
};
use serde_json::{Map, Value};

fn object(value: Option<Value>) -> Map<String, Value> {
    match value {
        Some(Value::Object(map)) => map,
        _ => Map::new(),
    }
}

fn from_row(row: file::Model) -> StoredFile {
    StoredFile {
        id: FileId::from(row.id),
        user_id: UserId::from(row.user_id.unwrap_or_default()),
        hash: row.hash,
        filename: row.filename.unwrap_or_default(),
        path: row.path,
        data: object(row.data),
        meta: object(row.meta),
        created_at: row.created_at.unwrap_or_default(),
        updated_at: row.updated_at.or(row.created_at).unwrap_or_default(),
    }
}

fn owned_by(select: Select<file::Entity>, owner: Option<&UserId>) -> Select<file::Entity> {
    match owner {
        Some(user) => select.filter(file::Column::UserId.eq(user.as_str())),
        None => select,
    }
}

fn newest_first(select: Select<file::Entity>) -> Select<file::Entity> {
    select
        .order_by_desc(file::Column::CreatedAt)
        .order_by_desc(file::Column::Id)
}

/// A glob (`*`, `?`) as a lower-cased LIKE pattern with `\` escapes.
fn like_pattern(glob: &str) -> String {
    escape_like(&glob.to_lowercase())
        .replace('*', "%")
        .replace('?', "_")
}

impl SqlStore {
    fn status_is_unfinished(&self) -> Expr {
        let status = match self.backend {
            Backend::Sqlite => "json_extract(data, '$.status')",
            Backend::Postgres => "(data::jsonb ->> 'status')",
        };
        Expr::cust(format!("{status} IN ('pending', 'processing')"))
    }

    async fn load_file(&self, id: &FileId) -> StoreResult<Option<file::Model>> {
        if !storable(id.as_str()) {
            return Ok(None);
        }
        file::Entity::find_by_id(id.as_str())
            .one(&self.db)
            .await
            .map_err(store_err)
    }
}

#[async_trait]
impl FileStore for SqlStore {
    async fn insert_file(&self, f: &StoredFile) -> StoreResult<()> {
        let row = file::ActiveModel {
            id: Set(f.id.as_str().to_owned()),
            user_id: Set(Some(f.user_id.as_str().to_owned())),
            hash: Set(f.hash.clone()),
            filename: Set(Some(f.filename.clone())),
            path: Set(f.path.clone()),
            data: Set(Some(Value::Object(f.data.clone()))),
            meta: Set(Some(Value::Object(f.meta.clone()))),
            created_at: Set(Some(f.created_at)),
            updated_at: Set(Some(f.updated_at)),
        };
        file::Entity::insert(row)
            .exec_without_returning(&self.db)
            .await
            .map_err(store_err)?;
        Ok(())
    }

    async fn file(&self, id: &FileId) -> StoreResult<Option<StoredFile>> {
        Ok(self.load_file(id).await?.map(from_row))
    }

    async fn files(
        &self,
        owner: Option<&UserId>,
        offset: u64,
        limit: u64,
    ) -> StoreResult<Vec<StoredFile>> {
        let rows = newest_first(owned_by(file::Entity::find(), owner))
            .offset(crate::convert::sql_count(offset))
            .limit(crate::convert::sql_count(limit))
            .all(&self.db)
            .await
            .map_err(store_err)?;
        Ok(rows.into_iter().map(from_row).collect())
    }

    async fn count_files(&self, owner: Option<&UserId>) -> StoreResult<u64> {
        owned_by(file::Entity::find(), owner)
            .count(&self.db)
            .await
            .map_err(store_err)
    }

    async fn search_files(
        &self,
        owner: Option<&UserId>,
        glob: &str,
        offset: u64,
        limit: u64,
    ) -> StoreResult<Vec<StoredFile>> {
        let pattern = like_pattern(glob);
        let mut select = owned_by(file::Entity::find(), owner);
        if pattern != "%" {
            let name = Expr::expr(Func::lower(Expr::col(file::Column::Filename)))
                .like(LikeExpr::new(pattern).escape('\\'));
            select = select.filter(name);
        }
        let rows = newest_first(select)
            .offset(crate::convert::sql_count(offset))
            .limit(crate::convert::sql_count(limit))
            .all(&self.db)
            .await
            .map_err(store_err)?;
        Ok(rows.into_iter().map(from_row).collect())
    }

    async fn update_file_data(
        &self,
        id: &FileId,
        data: Map<String, Value>,
        hash: Option<String>,
        now: i64,
    ) -> StoreResult<bool> {
        let Some(row) = self.load_file(id).await? else {
            return Ok(false);
        };
        let mut merged = object(row.data);
        merged.extend(data);
        let mut update = file::ActiveModel {
            id: Set(row.id),
            data: Set(Some(Value::Object(merged))),
            updated_at: Set(Some(now)),
            ..Default::default()
        };
        if hash.is_some() {
            update.hash = Set(hash);
        }
        file::Entity::update(update)
            .exec(&self.db)
            .await
            .map_err(store_err)?;
        Ok(true)
    }

    async fn update_file_meta(&self, id: &FileId, meta: Map<String, Value>) -> StoreResult<bool> {
        let Some(row) = self.load_file(id).await? else {
            return Ok(false);
        };
        let mut merged = object(row.meta);
        merged.extend(meta);
        let update = file::ActiveModel {
            id: Set(row.id),
            meta: Set(Some(Value::Object(merged))),
            ..Default::default()
        };
        file::Entity::update(update)
            .exec(&self.db)
            .await
            .map_err(store_err)?;
        Ok(true)
    }

    async fn rename_file(&self, id: &FileId, filename: &str, now: i64) -> StoreResult<bool> {
        let Some(row) = self.load_file(id).await? else {
            return Ok(false);
        };
        let mut meta = object(row.meta);
        meta.insert("name".into(), Value::from(filename));
        let update = file::ActiveModel {
            id: Set(row.id),
            filename: Set(Some(filename.to_owned())),
            meta: Set(Some(Value::Object(meta))),
            updated_at: Set(Some(now)),
            ..Default::default()
        };
        file::Entity::update(update)
            .exec(&self.db)
            .await
            .map_err(store_err)?;
        Ok(true)
    }

    async fn delete_file(&self, id: &FileId) -> StoreResult<bool> {
        if !storable(id.as_str()) {
            return Ok(false);
        }
        chat_file::Entity::delete_many()
            .filter(chat_file::Column::FileId.eq(id.as_str()))
            .exec(&self.db)
            .await
            .map_err(store_err)?;
        knowledge_file::Entity::delete_many()
            .filter(knowledge_file::Column::FileId.eq(id.as_str()))
            .exec(&self.db)
            .await
            .map_err(store_err)?;
        let done = file::Entity::delete_by_id(id.as_str())
            .exec(&self.db)
            .await
            .map_err(store_err)?;
        Ok(done.rows_affected > 0)
    }

    async fn delete_all_files(&self) -> StoreResult<u64> {
        chat_file::Entity::delete_many()
            .exec(&self.db)
            .await
            .map_err(store_err)?;
        knowledge_file::Entity::delete_many()
            .exec(&self.db)
            .await
            .map_err(store_err)?;
        let done = file::Entity::delete_many()
            .exec(&self.db)
            .await
            .map_err(store_err)?;
        Ok(done.rows_affected)
    }

    async fn unfinished_files(&self) -> StoreResult<Vec<StoredFile>> {
        let rows = file::Entity::find()
            .filter(self.status_is_unfinished())
            .order_by_asc(file::Column::CreatedAt)
            .all(&self.db)
            .await
            .map_err(store_err)?;
        Ok(rows.into_iter().map(from_row).collect())
    }

    async fn claim_file(&self, id: &FileId, seen: i64, now: i64) -> StoreResult<bool> {
        let Some(row) = self.load_file(id).await? else {
            return Ok(false);
        };
        let mut data = object(row.data);
        data.insert("status".into(), Value::from("processing"));
        let done = file::Entity::update_many()
            .col_expr(file::Column::Data, Expr::value(Value::Object(data)))
            .col_expr(file::Column::UpdatedAt, Expr::value(now))
            .filter(file::Column::Id.eq(id.as_str()))
            .filter(file::Column::UpdatedAt.eq(seen))
            .exec(&self.db)
            .await
            .map_err(store_err)?;
        Ok(done.rows_affected == 1)
    }

    async fn link_chat_files(
        &self,
        user_id: &UserId,
        chat_id: &ChatId,
        message_id: Option<&MessageId>,
        files: &[FileId],
        now: i64,
    ) -> StoreResult<()> {
        let rows: Vec<chat_file::ActiveModel> = files
            .iter()
            .filter(|f| storable(f.as_str()))
            .map(|f| chat_file::ActiveModel {
                id: Set(uuid::Uuid::new_v4().to_string()),
                user_id: Set(user_id.as_str().to_owned()),
                chat_id: Set(chat_id.as_str().to_owned()),
                file_id: Set(f.as_str().to_owned()),
                message_id: Set(message_id.map(|m| m.as_str().to_owned())),
                created_at: Set(now),
                updated_at: Set(now),
            })
            .collect();
        if rows.is_empty() {
            return Ok(());
        }
        let keep = OnConflict::columns([chat_file::Column::ChatId, chat_file::Column::FileId])
            .do_nothing()
            .to_owned();
        chat_file::Entity::insert_many(rows)
            .on_conflict(keep)
            .exec_without_returning(&self.db)
            .await
            .map_err(store_err)?;
        Ok(())
    }

    async fn shared_chats_with_file(&self, id: &FileId) -> StoreResult<Vec<ChatId>> {
        if !storable(id.as_str()) {
            return Ok(Vec::new());
        }
        let chat_ids: Vec<String> = chat_file::Entity::find()
            .select_only()
            .column(chat_file::Column::ChatId)
            .filter(chat_file::Column::FileId.eq(id.as_str()))
            .into_tuple()
            .all(&self.db)
            .await
            .map_err(store_err)?;
        if chat_ids.is_empty() {
            return Ok(Vec::new());
        }
        let shared: Vec<String> = chat::Entity::find()
            .select_only()
            .column(chat::Column::Id)
            .filter(
                Condition::all()
                    .add(chat::Column::Id.is_in(chat_ids))
                    .add(chat::Column::ShareId.is_not_null()),
            )
            .into_tuple()
            .all(&self.db)
            .await
            .map_err(store_err)?;
        Ok(shared.into_iter().map(ChatId::from).collect())
    }
}

#[cfg(test)]
mod tests {
    use super::like_pattern;

    #[test]
    fn globs_become_escaped_like_patterns() {
        assert_eq!(like_pattern("*"), "%");
        assert_eq!(like_pattern("*.TXT"), "%.txt");
        assert_eq!(like_pattern("a_b?%"), "a\\_b_\\%");
        assert_eq!(like_pattern("a\0*"), "a%");
    }
}
