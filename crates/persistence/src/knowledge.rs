//! `KnowledgeStore` over `knowledge`, its `access_grant` rows (resource type `knowledge`) and
//! `knowledge_file`.

use crate::SqlStore;
use crate::entity::{knowledge, knowledge_file};
use crate::errors::{storable, store_err};
use crate::grants::{grants_of, replace_grants};
use crate::knowledge_dirs;
use async_trait::async_trait;
use hearth_domain::access::AccessGrant;
use hearth_domain::ids::{FileId, KnowledgeId};
use hearth_domain::knowledge::{Directory, KNOWLEDGE_RESOURCE, Knowledge};
use hearth_domain::ports::KnowledgeStore;
use hearth_domain::{StoreResult, UserId};
use sea_orm::sea_query::OnConflict;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect, Set,
};
use std::collections::HashMap;

fn from_row(row: knowledge::Model, grants: Vec<AccessGrant>) -> Knowledge {
    Knowledge {
        id: KnowledgeId::from(row.id),
        user_id: UserId::from(row.user_id.unwrap_or_default()),
        name: row.name.unwrap_or_default(),
        description: row.description.unwrap_or_default(),
        meta: row.meta,
        access_grants: grants,
        created_at: row.created_at.unwrap_or_default(),
        updated_at: row.updated_at.or(row.created_at).unwrap_or_default(),
    }
}

fn to_row(k: &Knowledge) -> knowledge::ActiveModel {
    knowledge::ActiveModel {
        id: Set(k.id.as_str().to_owned()),
        user_id: Set(Some(k.user_id.as_str().to_owned())),
        name: Set(Some(k.name.clone())),
        description: Set(Some(k.description.clone())),
        meta: Set(k.meta.clone()),
        created_at: Set(Some(k.created_at)),
        updated_at: Set(Some(k.updated_at)),
    }
}

#[async_trait]
impl KnowledgeStore for SqlStore {
    async fn knowledge_bases(&self) -> StoreResult<Vec<Knowledge>> {
        let rows = knowledge::Entity::find()
            .order_by_desc(knowledge::Column::UpdatedAt)
            .order_by_desc(knowledge::Column::Id)
            .all(&self.db)
            .await
            .map_err(store_err)?;
        let mut grants: HashMap<String, Vec<AccessGrant>> = HashMap::new();
        for (id, grant) in grants_of(&self.db, KNOWLEDGE_RESOURCE, None).await? {
            grants.entry(id).or_default().push(grant);
        }
        Ok(rows
            .into_iter()
            .map(|row| {
                let own = grants.remove(&row.id).unwrap_or_default();
                from_row(row, own)
            })
            .collect())
    }

    async fn knowledge(&self, id: &KnowledgeId) -> StoreResult<Option<Knowledge>> {
        if !storable(id.as_str()) {
            return Ok(None);
        }
        let Some(row) = knowledge::Entity::find_by_id(id.as_str())
            .one(&self.db)
            .await
            .map_err(store_err)?
        else {
            return Ok(None);
        };
        let grants = grants_of(&self.db, KNOWLEDGE_RESOURCE, Some(id.as_str())).await?;
        Ok(Some(from_row(
            row,
            grants.into_iter().map(|(_, g)| g).collect(),
        )))
    }

    async fn insert_knowledge(&self, k: &Knowledge) -> StoreResult<()> {
        let tx = crate::convert::write_transaction(&self.db)
            .await
            .map_err(store_err)?;
        to_row(k).insert(&tx).await.map_err(store_err)?;
        replace_grants(
            &tx,
            KNOWLEDGE_RESOURCE,
            k.id.as_str(),
            &k.access_grants,
            k.updated_at,
        )
        .await?;
        tx.commit().await.map_err(store_err)
    }

    async fn save_knowledge(&self, k: &Knowledge) -> StoreResult<()> {
        let tx = crate::convert::write_transaction(&self.db)
            .await
            .map_err(store_err)?;
        knowledge::Entity::update(to_row(k))
            .exec(&tx)
            .await
            .map_err(store_err)?;
        replace_grants(
            &tx,
            KNOWLEDGE_RESOURCE,
            k.id.as_str(),
            &k.access_grants,
            k.updated_at,
        )
        .await?;
        tx.commit().await.map_err(store_err)
    }

    async fn delete_knowledge(&self, id: &KnowledgeId) -> StoreResult<bool> {
        if !storable(id.as_str()) {
            return Ok(false);
        }
        let tx = crate::convert::write_transaction(&self.db)
            .await
            .map_err(store_err)?;
        knowledge_file::Entity::delete_many()
            .filter(knowledge_file::Column::KnowledgeId.eq(id.as_str()))
            .exec(&tx)
            .await
            .map_err(store_err)?;
        replace_grants(&tx, KNOWLEDGE_RESOURCE, id.as_str(), &[], 0).await?;
        let done = knowledge::Entity::delete_by_id(id.as_str())
            .exec(&tx)
            .await
            .map_err(store_err)?;
        tx.commit().await.map_err(store_err)?;
        Ok(done.rows_affected > 0)
    }

    async fn add_knowledge_file(
        &self,
        id: &KnowledgeId,
        file: &FileId,
        user: &UserId,
        now: i64,
    ) -> StoreResult<bool> {
        let row = knowledge_file::ActiveModel {
            id: Set(uuid::Uuid::new_v4().to_string()),
            knowledge_id: Set(id.as_str().to_owned()),
            file_id: Set(file.as_str().to_owned()),
            directory_id: Set(None),
            user_id: Set(user.as_str().to_owned()),
            created_at: Set(now),
            updated_at: Set(now),
        };
        let keep = OnConflict::columns([
            knowledge_file::Column::KnowledgeId,
            knowledge_file::Column::FileId,
        ])
        .do_nothing()
        .to_owned();
        let done = knowledge_file::Entity::insert(row)
            .on_conflict(keep)
            .exec_without_returning(&self.db)
            .await
            .map_err(store_err)?;
        Ok(done > 0)
    }

    async fn remove_knowledge_file(&self, id: &KnowledgeId, file: &FileId) -> StoreResult<bool> {
        let done = knowledge_file::Entity::delete_many()
            .filter(knowledge_file::Column::KnowledgeId.eq(id.as_str()))
            .filter(knowledge_file::Column::FileId.eq(file.as_str()))
            .exec(&self.db)
            .await
            .map_err(store_err)?;
        Ok(done.rows_affected > 0)
    }

    async fn knowledge_files(&self, id: &KnowledgeId) -> StoreResult<Vec<FileId>> {
        if !storable(id.as_str()) {
            return Ok(Vec::new());
        }
        let ids: Vec<String> = knowledge_file::Entity::find()
            .select_only()
            .column(knowledge_file::Column::FileId)
            .filter(knowledge_file::Column::KnowledgeId.eq(id.as_str()))
            .order_by_asc(knowledge_file::Column::CreatedAt)
            .order_by_asc(knowledge_file::Column::Id)
            .into_tuple()
            .all(&self.db)
            .await
            .map_err(store_err)?;
        Ok(ids.into_iter().map(FileId::from).collect())
    }

    async fn knowledge_of_file(&self, file: &FileId) -> StoreResult<Vec<KnowledgeId>> {
        if !storable(file.as_str()) {
            return Ok(Vec::new());
        }
        let ids: Vec<String> = knowledge_file::Entity::find()
            .select_only()
            .column(knowledge_file::Column::KnowledgeId)
            .filter(knowledge_file::Column::FileId.eq(file.as_str()))
            .into_tuple()
            .all(&self.db)
            .await
            .map_err(store_err)?;
        Ok(ids.into_iter().map(KnowledgeId::from).collect())
    }

    async fn directories(&self, id: &KnowledgeId) -> StoreResult<Vec<Directory>> {
        knowledge_dirs::directories(&self.db, id).await
    }

    async fn insert_directory(&self, directory: &Directory) -> StoreResult<()> {
        knowledge_dirs::insert(&self.db, directory).await
    }

    async fn save_directory(&self, directory: &Directory) -> StoreResult<()> {
        knowledge_dirs::save(&self.db, directory).await
    }

    async fn delete_directories(&self, id: &KnowledgeId, ids: &[String]) -> StoreResult<()> {
        knowledge_dirs::delete(&self.db, id, ids).await
    }

    async fn file_directories(
        &self,
        id: &KnowledgeId,
    ) -> StoreResult<Vec<(FileId, Option<String>)>> {
        knowledge_dirs::file_directories(&self.db, id).await
    }

    async fn move_files(
        &self,
        id: &KnowledgeId,
        files: &[FileId],
        directory: Option<&str>,
        now: i64,
    ) -> StoreResult<u64> {
        knowledge_dirs::move_files(&self.db, id, files, directory, now).await
    }
}
