//! Chat search: title or message content contains the phrase, plus the filters.

use crate::chat_rows::has_tag;
use crate::entity::{chat, folder};
use crate::errors::store_err;
use crate::users::escape_like;
use crate::{Backend, SqlStore};
use hearth_domain::chat::ChatTitle;
use hearth_domain::chat::search::ChatSearch;
use hearth_domain::{StoreResult, UserId};
use sea_orm::sea_query::{Expr, ExprTrait, Func, LikeExpr};
use sea_orm::{ColumnTrait, Condition, EntityTrait, QueryFilter, QueryOrder, QuerySelect};

fn no_tags(backend: Backend) -> Expr {
    match backend {
        Backend::Sqlite => {
            Expr::cust("NOT EXISTS (SELECT 1 FROM json_each(\"chat\".\"meta\", '$.tags'))")
        }
        Backend::Postgres => {
            Expr::cust("COALESCE(\"chat\".\"meta\"::jsonb -> 'tags', '[]'::jsonb) = '[]'::jsonb")
        }
    }
}

fn content_contains(backend: Backend, pattern: String) -> Expr {
    let placeholder = match backend {
        Backend::Sqlite => "?",
        Backend::Postgres => "$1",
    };
    Expr::cust_with_values(
        format!(
            "EXISTS (SELECT 1 FROM \"chat_message\" m WHERE m.\"chat_id\" = \"chat\".\"id\" \
             AND LOWER(CAST(m.\"content\" AS TEXT)) LIKE {placeholder} ESCAPE '\\')"
        ),
        [pattern],
    )
}

impl SqlStore {
    pub(crate) async fn search_titles(
        &self,
        user_id: &UserId,
        search: &ChatSearch,
    ) -> StoreResult<Vec<ChatTitle>> {
        let mut select = self.visible_chats(user_id);
        select = match search.archived {
            Some(archived) => select.filter(chat::Column::Archived.eq(archived)),
            None => select.filter(
                Condition::any()
                    .add(chat::Column::Archived.eq(false))
                    .add(chat::Column::Archived.is_null()),
            ),
        };
        if let Some(pinned) = search.pinned {
            select = if pinned {
                select.filter(chat::Column::Pinned.eq(true))
            } else {
                select.filter(
                    Condition::any()
                        .add(chat::Column::Pinned.eq(false))
                        .add(chat::Column::Pinned.is_null()),
                )
            };
        }
        if let Some(shared) = search.shared {
            select = if shared {
                select.filter(chat::Column::ShareId.is_not_null())
            } else {
                select.filter(chat::Column::ShareId.is_null())
            };
        }
        if !search.folder_names.is_empty() {
            let ids: Vec<String> = folder::Entity::find()
                .filter(folder::Column::UserId.eq(user_id.as_str()))
                .filter(
                    Expr::expr(Func::lower(Expr::col(folder::Column::Name)))
                        .is_in(search.folder_names.clone()),
                )
                .select_only()
                .column(folder::Column::Id)
                .into_tuple()
                .all(&self.db)
                .await
                .map_err(store_err)?;
            select = select.filter(chat::Column::FolderId.is_in(ids));
        }
        if search.tag_ids.iter().any(|t| t == "none") {
            select = select.filter(no_tags(self.backend));
        } else {
            for tag in &search.tag_ids {
                select = select.filter(has_tag(self.backend, tag));
            }
        }
        if !search.phrase.is_empty() {
            let pattern = format!("%{}%", escape_like(&search.phrase));
            let title = Expr::expr(Func::lower(Expr::col((chat::Entity, chat::Column::Title))))
                .like(LikeExpr::new(pattern.clone()).escape('\\'));
            select = select.filter(
                Condition::any()
                    .add(title)
                    .add(content_contains(self.backend, pattern)),
            );
        }
        let select = select
            .order_by_desc(chat::Column::UpdatedAt)
            .order_by_asc(chat::Column::Id);
        self.titles(select, search.offset, Some(search.limit)).await
    }
}
