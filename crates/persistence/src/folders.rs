//! `FolderStore` over the `folder` table (primary key `id, user_id`).

use crate::SqlStore;
use crate::entity::folder;
use crate::errors::{storable, store_err};
use async_trait::async_trait;
use hearth_domain::folder::Folder;
use hearth_domain::ids::FolderId;
use hearth_domain::ports::FolderStore;
use hearth_domain::{StoreResult, UserId};
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, QueryOrder, Set};

fn from_row(row: folder::Model) -> Folder {
    Folder {
        id: FolderId::from(row.id),
        parent_id: row.parent_id.map(FolderId::from),
        user_id: UserId::from(row.user_id),
        name: row.name,
        items: row.items,
        meta: row.meta,
        data: row.data,
        is_expanded: row.is_expanded,
        created_at: row.created_at,
        updated_at: row.updated_at,
    }
}

fn to_row(folder: &Folder) -> folder::ActiveModel {
    folder::ActiveModel {
        id: Set(folder.id.as_str().to_owned()),
        user_id: Set(folder.user_id.as_str().to_owned()),
        parent_id: Set(folder.parent_id.clone().map(String::from)),
        name: Set(folder.name.clone()),
        items: Set(folder.items.clone()),
        meta: Set(folder.meta.clone()),
        data: Set(folder.data.clone()),
        is_expanded: Set(folder.is_expanded),
        created_at: Set(folder.created_at),
        updated_at: Set(folder.updated_at),
    }
}

#[async_trait]
impl FolderStore for SqlStore {
    async fn folders(&self, user_id: &UserId) -> StoreResult<Vec<Folder>> {
        let rows = folder::Entity::find()
            .filter(folder::Column::UserId.eq(user_id.as_str()))
            .order_by_asc(folder::Column::CreatedAt)
            .order_by_asc(folder::Column::Id)
            .all(&self.db)
            .await
            .map_err(store_err)?;
        Ok(rows.into_iter().map(from_row).collect())
    }

    async fn folder(&self, user_id: &UserId, id: &FolderId) -> StoreResult<Option<Folder>> {
        let id = id.as_str();
        if !storable(id) {
            return Ok(None);
        }
        let row = folder::Entity::find()
            .filter(folder::Column::UserId.eq(user_id.as_str()))
            .filter(folder::Column::Id.eq(id))
            .one(&self.db)
            .await
            .map_err(store_err)?;
        Ok(row.map(from_row))
    }

    async fn insert_folder(&self, folder: &Folder) -> StoreResult<()> {
        to_row(folder).insert(&self.db).await.map_err(store_err)?;
        Ok(())
    }

    async fn save_folder(&self, folder: &Folder) -> StoreResult<()> {
        to_row(folder).update(&self.db).await.map_err(store_err)?;
        Ok(())
    }

    async fn delete_folders(&self, user_id: &UserId, ids: &[FolderId]) -> StoreResult<()> {
        folder::Entity::delete_many()
            .filter(folder::Column::UserId.eq(user_id.as_str()))
            .filter(folder::Column::Id.is_in(ids.iter().map(FolderId::as_str)))
            .exec(&self.db)
            .await
            .map_err(store_err)?;
        Ok(())
    }
}
