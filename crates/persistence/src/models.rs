//! `ModelStore` over `model` (params and meta as JSON text) and its `access_grant` rows
//! (resource type `model`).

use crate::SqlStore;
use crate::entity::{access_grant, model};
use crate::errors::{storable, store_err};
use async_trait::async_trait;
use hearth_domain::access::AccessGrant;
use hearth_domain::ids::ModelId;
use hearth_domain::model::{MODEL_RESOURCE, ModelRecord};
use hearth_domain::ports::ModelStore;
use hearth_domain::{StoreError, StoreResult, UserId};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, Set,
};
use serde_json::{Map, Value};
use std::collections::HashMap;

fn object(text: Option<&str>) -> Map<String, Value> {
    match text.map(serde_json::from_str::<Value>) {
        Some(Ok(Value::Object(map))) => map,
        _ => Map::new(),
    }
}

fn from_row(row: model::Model, grants: Vec<AccessGrant>) -> ModelRecord {
    ModelRecord {
        params: object(row.params.as_deref()),
        meta: object(row.meta.as_deref()),
        name: row.name.unwrap_or_else(|| row.id.clone()),
        id: ModelId::from(row.id),
        user_id: UserId::from(row.user_id.unwrap_or_default()),
        base_model_id: row.base_model_id.map(ModelId::from),
        is_active: row.is_active,
        access_grants: grants,
        updated_at: row.updated_at.unwrap_or_default(),
        created_at: row.created_at.unwrap_or_default(),
    }
}

fn to_row(record: &ModelRecord) -> model::ActiveModel {
    model::ActiveModel {
        id: Set(record.id.as_str().to_owned()),
        user_id: Set(Some(record.user_id.as_str().to_owned())),
        base_model_id: Set(record.base_model_id.clone().map(String::from)),
        name: Set(Some(record.name.clone())),
        params: Set(Some(Value::Object(record.params.clone()).to_string())),
        meta: Set(Some(Value::Object(record.meta.clone()).to_string())),
        version_id: Set(None),
        is_active: Set(record.is_active),
        updated_at: Set(Some(record.updated_at)),
        created_at: Set(Some(record.created_at)),
    }
}

async fn grants_of(
    db: &impl ConnectionTrait,
    id: Option<&str>,
) -> StoreResult<Vec<(String, AccessGrant)>> {
    crate::grants::grants_of(db, MODEL_RESOURCE, id).await
}

async fn replace_grants(db: &impl ConnectionTrait, record: &ModelRecord) -> StoreResult<()> {
    let id = record.id.as_str();
    crate::grants::replace_grants(
        db,
        MODEL_RESOURCE,
        id,
        &record.access_grants,
        record.updated_at,
    )
    .await
}

#[async_trait]
impl ModelStore for SqlStore {
    async fn all(&self) -> StoreResult<Vec<ModelRecord>> {
        let rows = model::Entity::find()
            .order_by_asc(model::Column::CreatedAt)
            .order_by_asc(model::Column::Id)
            .all(&self.db)
            .await
            .map_err(store_err)?;
        let mut grants: HashMap<String, Vec<AccessGrant>> = HashMap::new();
        for (resource, grant) in grants_of(&self.db, None).await? {
            grants.entry(resource).or_default().push(grant);
        }
        Ok(rows
            .into_iter()
            .map(|row| {
                let own = grants.remove(&row.id).unwrap_or_default();
                from_row(row, own)
            })
            .collect())
    }

    async fn get(&self, id: &ModelId) -> StoreResult<Option<ModelRecord>> {
        let id = id.as_str();
        if !storable(id) {
            return Ok(None);
        }
        let Some(row) = model::Entity::find_by_id(id.to_owned())
            .one(&self.db)
            .await
            .map_err(store_err)?
        else {
            return Ok(None);
        };
        let grants = grants_of(&self.db, Some(id)).await?;
        Ok(Some(from_row(
            row,
            grants.into_iter().map(|(_, g)| g).collect(),
        )))
    }

    async fn insert(&self, record: &ModelRecord) -> StoreResult<()> {
        let txn = crate::convert::write_transaction(&self.db)
            .await
            .map_err(store_err)?;
        if model::Entity::find_by_id(record.id.as_str().to_owned())
            .one(&txn)
            .await
            .map_err(store_err)?
            .is_some()
        {
            return Err(StoreError::Conflict(format!("model {} exists", record.id)));
        }
        to_row(record).insert(&txn).await.map_err(store_err)?;
        replace_grants(&txn, record).await?;
        txn.commit().await.map_err(store_err)
    }

    async fn update(&self, record: &ModelRecord) -> StoreResult<()> {
        let txn = crate::convert::write_transaction(&self.db)
            .await
            .map_err(store_err)?;
        model::Entity::update(to_row(record))
            .exec(&txn)
            .await
            .map_err(store_err)?;
        replace_grants(&txn, record).await?;
        txn.commit().await.map_err(store_err)
    }

    async fn delete(&self, id: &ModelId) -> StoreResult<bool> {
        let id = id.as_str();
        if !storable(id) {
            return Ok(false);
        }
        let txn = crate::convert::write_transaction(&self.db)
            .await
            .map_err(store_err)?;
        let deleted = model::Entity::delete_by_id(id.to_owned())
            .exec(&txn)
            .await
            .map_err(store_err)?;
        access_grant::Entity::delete_many()
            .filter(access_grant::Column::ResourceType.eq(MODEL_RESOURCE))
            .filter(access_grant::Column::ResourceId.eq(id))
            .exec(&txn)
            .await
            .map_err(store_err)?;
        txn.commit().await.map_err(store_err)?;
        Ok(deleted.rows_affected > 0)
    }
}
