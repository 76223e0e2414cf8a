//! `ApiKeyStore` over the `api_key` table.

use crate::SqlStore;
use crate::convert::user_from_row;
use crate::entity::{api_key, user};
use crate::errors::{storable, store_err};
use async_trait::async_trait;
use hearth_domain::api_key::ApiKey;
use hearth_domain::ports::ApiKeyStore;
use hearth_domain::{StoreResult, User, UserId};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, EntityTrait, JoinType, QueryFilter, QuerySelect, RelationTrait,
    Set,
};

#[async_trait]
impl ApiKeyStore for SqlStore {
    async fn replace(&self, user_id: &UserId, key: &str, now: i64) -> StoreResult<ApiKey> {
        let txn = crate::convert::write_transaction(&self.db)
            .await
            .map_err(store_err)?;
        api_key::Entity::delete_many()
            .filter(api_key::Column::UserId.eq(user_id.as_str()))
            .exec(&txn)
            .await
            .map_err(store_err)?;
        let row = api_key::ActiveModel {
            id: Set(ApiKey::row_id(user_id)),
            user_id: Set(Some(user_id.as_str().to_owned())),
            key: Set(key.to_owned()),
            data: Set(None),
            expires_at: Set(None),
            last_used_at: Set(None),
            created_at: Set(now),
            updated_at: Set(now),
        }
        .insert(&txn)
        .await
        .map_err(store_err)?;
        txn.commit().await.map_err(store_err)?;
        Ok(key_from_row(row))
    }

    async fn for_user(&self, user_id: &UserId) -> StoreResult<Option<ApiKey>> {
        let row = api_key::Entity::find()
            .filter(api_key::Column::UserId.eq(user_id.as_str()))
            .one(&self.db)
            .await
            .map_err(store_err)?;
        Ok(row.map(key_from_row))
    }

    async fn delete_for_user(&self, user_id: &UserId) -> StoreResult<bool> {
        let result = api_key::Entity::delete_many()
            .filter(api_key::Column::UserId.eq(user_id.as_str()))
            .exec(&self.db)
            .await
            .map_err(store_err)?;
        Ok(result.rows_affected > 0)
    }

    async fn owner(&self, key: &str) -> StoreResult<Option<User>> {
        if !storable(key) {
            return Ok(None);
        }
        let row = user::Entity::find()
            .join_rev(JoinType::InnerJoin, api_key::Relation::User.def())
            .filter(api_key::Column::Key.eq(key))
            .one(&self.db)
            .await
            .map_err(store_err)?;
        Ok(row.map(user_from_row))
    }
}

fn key_from_row(row: api_key::Model) -> ApiKey {
    ApiKey {
        id: row.id,
        user_id: UserId::from(row.user_id.unwrap_or_default()),
        key: row.key,
        expires_at: row.expires_at,
        last_used_at: row.last_used_at,
        created_at: row.created_at,
    }
}
