//! Tags: rows in `tag`, referenced from `chat.meta.tags`.

use crate::SqlStore;
use crate::chat_rows::{has_tag, tag_from_row};
use crate::entity::{chat, tag};
use crate::errors::store_err;
use hearth_domain::chat::ChatTitle;
use hearth_domain::chat::tags::Tag;
use hearth_domain::{StoreResult, UserId};
use sea_orm::sea_query::OnConflict;
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, Set};

impl SqlStore {
    pub(crate) async fn user_tags(&self, user_id: &UserId) -> StoreResult<Vec<Tag>> {
        let rows = tag::Entity::find()
            .filter(tag::Column::UserId.eq(user_id.as_str()))
            .order_by_asc(tag::Column::Id)
            .all(&self.db)
            .await
            .map_err(store_err)?;
        Ok(rows.into_iter().map(tag_from_row).collect())
    }

    pub(crate) async fn insert_tag(&self, tag: &Tag) -> StoreResult<()> {
        let row = tag::ActiveModel {
            id: Set(tag.id.clone()),
            name: Set(Some(tag.name.clone())),
            user_id: Set(tag.user_id.clone()),
            meta: Set(tag.meta.clone()),
        };
        tag::Entity::insert(row)
            .on_conflict(
                OnConflict::columns([tag::Column::Id, tag::Column::UserId])
                    .do_nothing()
                    .to_owned(),
            )
            .try_insert()
            .exec(&self.db)
            .await
            .map_err(store_err)?;
        Ok(())
    }

    pub(crate) async fn remove_unused_tags(&self, user_id: &UserId) -> StoreResult<()> {
        for tag in self.user_tags(user_id).await? {
            let uses = chat::Entity::find()
                .filter(chat::Column::UserId.eq(user_id.as_str()))
                .filter(has_tag(self.backend, &tag.id))
                .count(&self.db)
                .await
                .map_err(store_err)?;
            if uses == 0 {
                tag::Entity::delete_many()
                    .filter(tag::Column::UserId.eq(user_id.as_str()))
                    .filter(tag::Column::Id.eq(tag.id.as_str()))
                    .exec(&self.db)
                    .await
                    .map_err(store_err)?;
            }
        }
        Ok(())
    }

    pub(crate) async fn tagged_titles(
        &self,
        user_id: &UserId,
        tag_id: &str,
        offset: u64,
        limit: u64,
    ) -> StoreResult<Vec<ChatTitle>> {
        let select = self
            .visible_chats(user_id)
            .filter(has_tag(self.backend, tag_id))
            .order_by_desc(chat::Column::UpdatedAt)
            .order_by_asc(chat::Column::Id);
        self.titles(select, offset, Some(limit)).await
    }
}
