//! Chat lists: they select only the columns they return, never the documents.

use crate::Backend;
use crate::SqlStore;
use crate::chat_rows::{TitleRow, chat_from_row, not_internal, title_from_tuple, unread_first};
use crate::convert::retrying_deadlocks;
use crate::entity::chat;
use crate::errors::{storable, store_err};
use hearth_domain::chat::{Chat, ChatListQuery, ChatSort, ChatTitle};
use hearth_domain::ids::{ChatId, FolderId};
use hearth_domain::{StoreError, StoreResult, UserId};
use sea_orm::sea_query::{
    Alias, Expr, ExprTrait, Func, LikeExpr, LockType, Query, SelectStatement,
};
use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, EntityTrait, Order, PaginatorTrait, QueryFilter,
    QueryOrder, QuerySelect, QueryTrait, Select,
};
use std::collections::HashMap;

fn not_archived() -> Condition {
    Condition::any()
        .add(chat::Column::Archived.eq(false))
        .add(chat::Column::Archived.is_null())
}

fn not_pinned() -> Condition {
    Condition::any()
        .add(chat::Column::Pinned.eq(false))
        .add(chat::Column::Pinned.is_null())
}

/// A title row as SQLite's `json_array` writes it (booleans as 0/1).
type JsonTitleRow = (
    String,
    Option<String>,
    Option<i64>,
    Option<i64>,
    Option<i64>,
    Option<i64>,
);

impl SqlStore {
    pub(crate) fn visible_chats(&self, user_id: &UserId) -> Select<chat::Entity> {
        chat::Entity::find()
            .filter(chat::Column::UserId.eq(user_id.as_str()))
            .filter(not_internal(self.backend))
    }

    pub(crate) async fn titles(
        &self,
        select: Select<chat::Entity>,
        offset: u64,
        limit: Option<u64>,
    ) -> StoreResult<Vec<ChatTitle>> {
        let mut select = select.select_only().columns([
            chat::Column::Id,
            chat::Column::Title,
            chat::Column::UpdatedAt,
            chat::Column::CreatedAt,
            chat::Column::LastReadAt,
            chat::Column::Archived,
        ]);
        let limit = limit.or((offset > 0).then_some(i64::MAX as u64));
        if let Some(limit) = limit {
            select = select
                .limit(crate::convert::sql_count(limit))
                .offset(crate::convert::sql_count(offset));
        }
        let rows: Vec<TitleRow> = match self.backend {
            // sqlx hands SQLite rows over one by one from its worker thread; one aggregated
            // row costs one hand-over instead of sixty.
            Backend::Sqlite => self.titles_as_one_row(select).await?,
            Backend::Postgres => select.into_tuple().all(&self.db).await.map_err(store_err)?,
        };
        Ok(rows.into_iter().map(title_from_tuple).collect())
    }

    async fn titles_as_one_row(&self, select: Select<chat::Entity>) -> StoreResult<Vec<TitleRow>> {
        let inner = select.into_query();
        let query = Query::select()
            .expr_as(
                Expr::cust(
                    "COALESCE(json_group_array(json_array(t.\"id\", t.\"title\", t.\"updated_at\", \
                     t.\"created_at\", t.\"last_read_at\", t.\"archived\")), '[]')",
                ),
                Alias::new("rows"),
            )
            .from_subquery(inner, Alias::new("t"))
            .take();
        let Some(row) = self.db.query_one(&query).await.map_err(store_err)? else {
            return Ok(Vec::new());
        };
        let text: String = row.try_get("", "rows").map_err(store_err)?;
        let values: Vec<JsonTitleRow> = serde_json::from_str(&text)
            .map_err(|e| StoreError::Backend(format!("chat list rows: {e}")))?;
        Ok(values
            .into_iter()
            .map(|(id, title, updated, created, read, archived)| {
                (id, title, updated, created, read, archived.map(|a| a != 0))
            })
            .collect())
    }

    pub(crate) async fn list_chat_titles(
        &self,
        user_id: &UserId,
        query: &ChatListQuery,
    ) -> StoreResult<Vec<ChatTitle>> {
        let mut select = self.visible_chats(user_id);
        select = if query.archived {
            select.filter(chat::Column::Archived.eq(true))
        } else {
            select.filter(not_archived())
        };
        match &query.folder_id {
            Some(folder) if !storable(folder.as_str()) => return Ok(Vec::new()),
            Some(folder) => select = select.filter(chat::Column::FolderId.eq(folder.as_str())),
            None if !query.include_folders && !query.archived => {
                select = select.filter(chat::Column::FolderId.is_null());
            }
            None => {}
        }
        if query.pinned_only {
            select = select.filter(chat::Column::Pinned.eq(true));
        } else if !query.include_pinned && !query.archived && query.folder_id.is_none() {
            select = select.filter(not_pinned());
        }
        if let Some(text) = query.title_contains.as_deref().filter(|t| !t.is_empty()) {
            let pattern = format!("%{}%", crate::users::escape_like(&text.to_lowercase()));
            select = select.filter(
                Expr::expr(Func::lower(Expr::col((chat::Entity, chat::Column::Title))))
                    .like(LikeExpr::new(pattern).escape('\\')),
            );
        }
        let direction = if query.ascending {
            Order::Asc
        } else {
            Order::Desc
        };
        select = match query.sort {
            ChatSort::UpdatedAt => select.order_by(chat::Column::UpdatedAt, direction),
            ChatSort::Title => select.order_by(chat::Column::Title, direction),
            ChatSort::CreatedAt => select.order_by(chat::Column::CreatedAt, direction),
            ChatSort::UnreadUpdatedAt => select
                .order_by(unread_first(), Order::Desc)
                .order_by(chat::Column::UpdatedAt, Order::Desc),
        };
        select = select.order_by_asc(chat::Column::Id);
        self.titles(select, query.offset, query.limit).await
    }

    pub(crate) async fn list_full_chats(
        &self,
        user_id: &UserId,
        after: Option<(i64, ChatId)>,
        limit: u64,
        archived_only: bool,
    ) -> StoreResult<Vec<Chat>> {
        let mut select = chat::Entity::find().filter(chat::Column::UserId.eq(user_id.as_str()));
        if archived_only {
            select = select
                .filter(chat::Column::Archived.eq(true))
                .filter(not_internal(self.backend));
        }
        if let Some((created_at, id)) = after {
            select = select.filter(
                Condition::any()
                    .add(chat::Column::CreatedAt.gt(created_at))
                    .add(
                        Condition::all()
                            .add(chat::Column::CreatedAt.eq(created_at))
                            .add(chat::Column::Id.gt(id.into_string())),
                    ),
            );
        }
        let rows = select
            .order_by_asc(chat::Column::CreatedAt)
            .order_by_asc(chat::Column::Id)
            .limit(crate::convert::sql_count(limit))
            .all(&self.db)
            .await
            .map_err(store_err)?;
        Ok(rows.into_iter().map(chat_from_row).collect())
    }

    pub(crate) async fn chats_in_folders(
        &self,
        user_id: &UserId,
        folder_ids: &[FolderId],
    ) -> StoreResult<Vec<Chat>> {
        let rows = self
            .visible_chats(user_id)
            .filter(chat::Column::FolderId.is_in(folder_ids.iter().map(FolderId::as_str)))
            .order_by_desc(chat::Column::UpdatedAt)
            .all(&self.db)
            .await
            .map_err(store_err)?;
        Ok(rows.into_iter().map(chat_from_row).collect())
    }

    pub(crate) async fn count_archived_chats(&self, user_id: &UserId) -> StoreResult<u64> {
        self.visible_chats(user_id)
            .filter(chat::Column::Archived.eq(true))
            .count(&self.db)
            .await
            .map_err(store_err)
    }

    pub(crate) async fn set_all_archived(
        &self,
        user_id: &UserId,
        archived: bool,
    ) -> StoreResult<()> {
        retrying_deadlocks(|| {
            chat::Entity::update_many()
                .col_expr(chat::Column::Archived, Expr::value(archived))
                .filter(chat::Column::Id.in_subquery(ids_in_lock_order(
                    Condition::all().add(chat::Column::UserId.eq(user_id.as_str())),
                )))
                .exec(&self.db)
        })
        .await
        .map_err(store_err)?;
        Ok(())
    }

    pub(crate) async fn mark_chats_read(
        &self,
        user_id: &UserId,
        folder_ids: Option<&[FolderId]>,
        now: i64,
    ) -> StoreResult<u64> {
        let unread = Condition::any()
            .add(chat::Column::LastReadAt.is_null())
            .add(Expr::col(chat::Column::LastReadAt).lt(Expr::col(chat::Column::UpdatedAt)));
        let mut rows = Condition::all()
            .add(chat::Column::UserId.eq(user_id.as_str()))
            .add(unread);
        if let Some(folder_ids) = folder_ids {
            rows = rows.add(chat::Column::FolderId.is_in(folder_ids.iter().map(FolderId::as_str)));
        }
        let update = chat::Entity::update_many()
            .col_expr(chat::Column::LastReadAt, Expr::value(now))
            .filter(chat::Column::Id.in_subquery(ids_in_lock_order(rows)));
        let result = retrying_deadlocks(|| update.clone().exec(&self.db))
            .await
            .map_err(store_err)?;
        Ok(result.rows_affected)
    }

    pub(crate) async fn unread_counts_by_folder(
        &self,
        user_id: &UserId,
    ) -> StoreResult<HashMap<FolderId, u64>> {
        let unread = Expr::col(chat::Column::UpdatedAt)
            .gt(Expr::cust("COALESCE(\"chat\".\"last_read_at\", 0)"));
        let rows: Vec<(Option<String>, i64)> = self
            .visible_chats(user_id)
            .filter(not_archived())
            .filter(chat::Column::FolderId.is_not_null())
            .filter(unread)
            .select_only()
            .column(chat::Column::FolderId)
            .column_as(chat::Column::Id.count(), "unread")
            .group_by(chat::Column::FolderId)
            .into_tuple()
            .all(&self.db)
            .await
            .map_err(store_err)?;
        Ok(rows
            .into_iter()
            .filter_map(|(folder, count)| {
                Some((FolderId::from(folder?), u64::try_from(count).unwrap_or(0)))
            })
            .collect())
    }

    pub(crate) async fn move_chats_out_of(
        &self,
        user_id: &UserId,
        folder_ids: &[FolderId],
        target: Option<&FolderId>,
    ) -> StoreResult<()> {
        retrying_deadlocks(|| {
            chat::Entity::update_many()
                .col_expr(
                    chat::Column::FolderId,
                    Expr::value(target.map(|t| t.as_str().to_owned())),
                )
                .filter(
                    chat::Column::Id.in_subquery(ids_in_lock_order(
                        Condition::all()
                            .add(chat::Column::UserId.eq(user_id.as_str()))
                            .add(
                                chat::Column::FolderId
                                    .is_in(folder_ids.iter().map(FolderId::as_str)),
                            ),
                    )),
                )
                .exec(&self.db)
        })
        .await
        .map_err(store_err)?;
        Ok(())
    }
}

/// The ids of the chats matching `rows`, locked in id order (PostgreSQL; SQLite has a single
/// writer and no row locks), so that concurrent bulk updates of the same rows wait for each
/// other instead of deadlocking.
fn ids_in_lock_order(rows: Condition) -> SelectStatement {
    Query::select()
        .column(chat::Column::Id)
        .from(chat::Entity)
        .cond_where(rows)
        .order_by(chat::Column::Id, Order::Asc)
        .lock(LockType::Update)
        .to_owned()
}
