//! `ShareStore` over `shared_chat` and `access_grant` (resource type `shared_chat`).

use crate::SqlStore;
use crate::entity::{access_grant, chat, shared_chat};
use crate::errors::{storable, store_err};
use async_trait::async_trait;
use hearth_domain::access::AccessGrant;
use hearth_domain::chat::ChatDocument;
use hearth_domain::chat::share::SharedChat;
use hearth_domain::ids::{ChatId, ShareId};
use hearth_domain::ports::ShareStore;
use hearth_domain::{StoreResult, UserId};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect, Set,
};
use serde_json::{Value, json};

const RESOURCE: &str = "shared_chat";

fn from_row(row: shared_chat::Model) -> SharedChat {
    SharedChat {
        id: ShareId::from(row.id),
        chat_id: ChatId::from(row.chat_id),
        user_id: UserId::from(row.user_id),
        title: row.title.unwrap_or_default(),
        document: ChatDocument::from_value(row.chat.unwrap_or_else(|| json!({}))),
        created_at: row.created_at.unwrap_or_default(),
        updated_at: row.updated_at.unwrap_or_default(),
    }
}

fn with_mode(document: Option<Value>, mode: Option<String>) -> Value {
    let mut document = match document {
        Some(Value::Object(map)) => map,
        _ => serde_json::Map::new(),
    };
    document.insert("share_mode".into(), mode.map_or(Value::Null, Value::String));
    Value::Object(document)
}

#[async_trait]
impl ShareStore for SqlStore {
    async fn snapshot(
        &self,
        chat_id: &ChatId,
        share_mode: Option<Option<String>>,
        now: i64,
    ) -> StoreResult<Option<ShareId>> {
        let chat_id = chat_id.as_str();
        if !storable(chat_id) {
            return Ok(None);
        }
        let txn = crate::convert::write_transaction(&self.db)
            .await
            .map_err(store_err)?;
        // The chat row is locked first: on PostgreSQL the shared row's foreign key shares the
        // chat row's lock and the `share_id` update (a unique, so key, column) needs it alone,
        // so two first shares of one chat would otherwise deadlock.
        let Some(source) = chat::Entity::find_by_id(chat_id)
            .lock_exclusive()
            .one(&txn)
            .await
            .map_err(store_err)?
        else {
            return Ok(None);
        };
        let existing = match &source.share_id {
            Some(id) => shared_chat::Entity::find_by_id(id.as_str())
                .one(&txn)
                .await
                .map_err(store_err)?,
            None => None,
        };
        let share_id = match existing {
            Some(row) => {
                let mode = share_mode.unwrap_or_else(|| {
                    row.chat
                        .as_ref()
                        .and_then(|c| c.get("share_mode"))
                        .and_then(Value::as_str)
                        .map(str::to_owned)
                });
                let mut active: shared_chat::ActiveModel = row.into();
                active.title = Set(source.title.clone());
                active.chat = Set(Some(with_mode(source.chat.clone(), mode)));
                active.updated_at = Set(Some(now));
                active.update(&txn).await.map_err(store_err)?.id
            }
            None => {
                let id = uuid::Uuid::new_v4().to_string();
                shared_chat::ActiveModel {
                    id: Set(id.clone()),
                    chat_id: Set(chat_id.to_owned()),
                    user_id: Set(source.user_id.clone().unwrap_or_default()),
                    title: Set(source.title.clone()),
                    chat: Set(Some(with_mode(source.chat.clone(), share_mode.flatten()))),
                    created_at: Set(Some(now)),
                    updated_at: Set(Some(now)),
                }
                .insert(&txn)
                .await
                .map_err(store_err)?;
                chat::Entity::update_many()
                    .col_expr(chat::Column::ShareId, Expr::value(id.clone()))
                    .filter(chat::Column::Id.eq(chat_id))
                    .exec(&txn)
                    .await
                    .map_err(store_err)?;
                id
            }
        };
        txn.commit().await.map_err(store_err)?;
        Ok(Some(ShareId::from(share_id)))
    }

    async fn shared(&self, share_id: &ShareId) -> StoreResult<Option<SharedChat>> {
        let share_id = share_id.as_str();
        if !storable(share_id) {
            return Ok(None);
        }
        let row = shared_chat::Entity::find_by_id(share_id)
            .one(&self.db)
            .await
            .map_err(store_err)?;
        Ok(row.map(from_row))
    }

    async fn shared_by_user(
        &self,
        user_id: &UserId,
        offset: u64,
        limit: u64,
    ) -> StoreResult<Vec<SharedChat>> {
        let rows = shared_chat::Entity::find()
            .filter(shared_chat::Column::UserId.eq(user_id.as_str()))
            .order_by_desc(shared_chat::Column::UpdatedAt)
            .order_by_asc(shared_chat::Column::Id)
            .offset(crate::convert::sql_count(offset))
            .limit(crate::convert::sql_count(limit))
            .all(&self.db)
            .await
            .map_err(store_err)?;
        Ok(rows.into_iter().map(from_row).collect())
    }

    async fn unshare(&self, chat_id: &ChatId) -> StoreResult<()> {
        let chat_id = chat_id.as_str();
        let txn = crate::convert::write_transaction(&self.db)
            .await
            .map_err(store_err)?;
        shared_chat::Entity::delete_many()
            .filter(shared_chat::Column::ChatId.eq(chat_id))
            .exec(&txn)
            .await
            .map_err(store_err)?;
        access_grant::Entity::delete_many()
            .filter(access_grant::Column::ResourceType.eq(RESOURCE))
            .filter(access_grant::Column::ResourceId.eq(chat_id))
            .exec(&txn)
            .await
            .map_err(store_err)?;
        chat::Entity::update_many()
            .col_expr(chat::Column::ShareId, Expr::value(Option::<String>::None))
            .filter(chat::Column::Id.eq(chat_id))
            .exec(&txn)
            .await
            .map_err(store_err)?;
        txn.commit().await.map_err(store_err)
    }

    async fn grants(&self, chat_id: &ChatId) -> StoreResult<Vec<AccessGrant>> {
        let chat_id = chat_id.as_str();
        if !storable(chat_id) {
            return Ok(Vec::new());
        }
        let rows = access_grant::Entity::find()
            .filter(access_grant::Column::ResourceType.eq(RESOURCE))
            .filter(access_grant::Column::ResourceId.eq(chat_id))
            .order_by_asc(access_grant::Column::CreatedAt)
            .all(&self.db)
            .await
            .map_err(store_err)?;
        Ok(rows
            .into_iter()
            .map(|r| AccessGrant {
                id: r.id,
                principal_type: r.principal_type,
                principal_id: r.principal_id,
                permission: r.permission,
            })
            .collect())
    }

    async fn set_grants(
        &self,
        chat_id: &ChatId,
        grants: &[AccessGrant],
        now: i64,
    ) -> StoreResult<()> {
        let chat_id = chat_id.as_str();
        let txn = crate::convert::write_transaction(&self.db)
            .await
            .map_err(store_err)?;
        access_grant::Entity::delete_many()
            .filter(access_grant::Column::ResourceType.eq(RESOURCE))
            .filter(access_grant::Column::ResourceId.eq(chat_id))
            .exec(&txn)
            .await
            .map_err(store_err)?;
        for grant in grants {
            access_grant::ActiveModel {
                id: Set(grant.id.clone()),
                resource_type: Set(RESOURCE.to_owned()),
                resource_id: Set(chat_id.to_owned()),
                principal_type: Set(grant.principal_type.clone()),
                principal_id: Set(grant.principal_id.clone()),
                permission: Set(grant.permission.clone()),
                created_at: Set(now),
            }
            .insert(&txn)
            .await
            .map_err(store_err)?;
        }
        txn.commit().await.map_err(store_err)
    }
}
