//! `OAuthStore`: account links in `user.oauth` (`{"<provider>": {"sub": "…"}}`, Open WebUI's
//! encoding) and provider sessions in `oauth_session`.

use crate::convert::user_from_row;
use crate::entity::{oauth_session, user};
use crate::errors::{storable, store_err};
use crate::{Backend, SqlStore};
use async_trait::async_trait;
use hearth_domain::oauth::{OAuthSession, is_provider};
use hearth_domain::ports::OAuthStore;
use hearth_domain::{StoreError, StoreResult, User, UserId};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, EntityTrait, IntoActiveModel, QueryFilter, QueryOrder,
    QuerySelect, Set,
};
use serde_json::{Map, Value, json};

/// `user.oauth.<provider>.sub`, as text, equals `sub`. The provider is one of the fixed names.
fn subject_is(backend: Backend, provider: &str, sub: &str) -> Expr {
    match backend {
        Backend::Sqlite => Expr::cust_with_values(
            "CAST(json_extract(\"user\".\"oauth\", ?) AS TEXT) = ?",
            [format!("$.\"{provider}\".sub"), sub.to_owned()],
        ),
        Backend::Postgres => Expr::cust_with_values(
            "(\"user\".\"oauth\"::jsonb -> $1::text ->> 'sub') = $2::text",
            [provider.to_owned(), sub.to_owned()],
        ),
    }
}

#[async_trait]
impl OAuthStore for SqlStore {
    async fn user_by_subject(&self, provider: &str, sub: &str) -> StoreResult<Option<User>> {
        if !is_provider(provider) || !storable(sub) {
            return Ok(None);
        }
        let row = user::Entity::find()
            .filter(subject_is(self.backend(), provider, sub))
            .one(&self.db)
            .await
            .map_err(store_err)?;
        Ok(row.map(user_from_row))
    }

    async fn link_subject(
        &self,
        user_id: &UserId,
        provider: &str,
        sub: &str,
        now: i64,
    ) -> StoreResult<User> {
        if !is_provider(provider) || !storable(sub) {
            return Err(StoreError::NotFound);
        }
        let txn = crate::convert::write_transaction(&self.db)
            .await
            .map_err(store_err)?;
        let row = user::Entity::find_by_id(user_id.as_str())
            .one(&txn)
            .await
            .map_err(store_err)?
            .ok_or(StoreError::NotFound)?;
        let mut links = match row.oauth.clone() {
            Some(Value::Object(links)) => links,
            _ => Map::new(),
        };
        let mut link = match links.remove(provider) {
            Some(Value::Object(link)) => link,
            _ => Map::new(),
        };
        link.insert("sub".into(), json!(sub));
        links.insert(provider.to_owned(), Value::Object(link));
        let mut active = row.into_active_model();
        active.oauth = Set(Some(Value::Object(links)));
        active.updated_at = Set(Some(now));
        let saved = active.update(&txn).await.map_err(store_err)?;
        txn.commit().await.map_err(store_err)?;
        Ok(user_from_row(saved))
    }

    async fn insert_session(&self, session: &OAuthSession, keep: usize) -> StoreResult<()> {
        let txn = crate::convert::write_transaction(&self.db)
            .await
            .map_err(store_err)?;
        let older: Vec<String> = oauth_session::Entity::find()
            .select_only()
            .column(oauth_session::Column::Id)
            .filter(oauth_session::Column::UserId.eq(session.user_id.as_str()))
            .filter(oauth_session::Column::Provider.eq(session.provider.as_str()))
            .order_by_desc(oauth_session::Column::CreatedAt)
            .offset(crate::convert::sql_count(
                u64::try_from(keep.saturating_sub(1)).unwrap_or(0),
            ))
            .limit(u64::MAX >> 1)
            .into_tuple()
            .all(&txn)
            .await
            .map_err(store_err)?;
        if !older.is_empty() {
            oauth_session::Entity::delete_many()
                .filter(oauth_session::Column::Id.is_in(older))
                .exec(&txn)
                .await
                .map_err(store_err)?;
        }
        oauth_session::Entity::insert(oauth_session::ActiveModel {
            id: Set(session.id.clone()),
            user_id: Set(session.user_id.to_string()),
            provider: Set(session.provider.clone()),
            token: Set(session.token.clone()),
            expires_at: Set(session.expires_at),
            created_at: Set(session.created_at),
            updated_at: Set(session.updated_at),
        })
        .exec(&txn)
        .await
        .map_err(store_err)?;
        txn.commit().await.map_err(store_err)
    }

    async fn session(&self, id: &str) -> StoreResult<Option<OAuthSession>> {
        if !storable(id) {
            return Ok(None);
        }
        let row = oauth_session::Entity::find_by_id(id)
            .one(&self.db)
            .await
            .map_err(store_err)?;
        Ok(row.map(|row| OAuthSession {
            id: row.id,
            user_id: UserId::from(row.user_id),
            provider: row.provider,
            token: row.token,
            expires_at: row.expires_at,
            created_at: row.created_at,
            updated_at: row.updated_at,
        }))
    }

    async fn delete_session(&self, id: &str) -> StoreResult<()> {
        if !storable(id) {
            return Ok(());
        }
        oauth_session::Entity::delete_by_id(id)
            .exec(&self.db)
            .await
            .map_err(store_err)?;
        Ok(())
    }
}
