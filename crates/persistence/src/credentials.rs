//! `CredentialStore` over the `auth` and `user` tables.

use crate::SqlStore;
use crate::convert::{credentials_from_row, user_from_row};
use crate::entity::{auth, user};
use crate::errors::{storable, store_err};
use async_trait::async_trait;
use hearth_domain::account::{Credentials, NewAccount, SessionSubject};
use hearth_domain::ports::CredentialStore;
use hearth_domain::{StoreError, StoreResult, User, UserId};
use sea_orm::sea_query::{Expr, ExprTrait, Func, Query};
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, QueryOrder, Set};

#[async_trait]
impl CredentialStore for SqlStore {
    async fn create_account(&self, account: &NewAccount) -> StoreResult<User> {
        let txn = crate::convert::write_transaction(&self.db)
            .await
            .map_err(store_err)?;
        auth::ActiveModel {
            id: Set(account.id.as_str().to_owned()),
            email: Set(Some(account.email.clone())),
            password: Set(Some(account.password_hash.clone())),
            active: Set(Some(true)),
            mfa: Set(None),
            session_stamp: Set(Some(account.session_stamp.clone())),
        }
        .insert(&txn)
        .await
        .map_err(store_err)?;
        let row = new_user_row(account)
            .insert(&txn)
            .await
            .map_err(store_err)?;
        txn.commit().await.map_err(store_err)?;
        Ok(user_from_row(row))
    }

    async fn promote_if_first(&self, id: &UserId) -> StoreResult<bool> {
        let _forget = self.sessions.forget_after(id.as_str());
        let first_id = Query::select()
            .column(user::Column::Id)
            .from(user::Entity)
            .order_by(user::Column::CreatedAt, sea_orm::Order::Asc)
            .order_by(user::Column::Id, sea_orm::Order::Asc)
            .limit(1)
            .take();
        let admin_exists = Query::select()
            .column(user::Column::Id)
            .from(user::Entity)
            .and_where(Expr::col(user::Column::Role).eq("admin"))
            .take();
        let result = user::Entity::update_many()
            .col_expr(user::Column::Role, Expr::value("admin"))
            .filter(user::Column::Id.eq(id.as_str()))
            .filter(user::Column::Id.in_subquery(first_id))
            .filter(Expr::exists(admin_exists).not())
            .exec(&self.db)
            .await
            .map_err(store_err)?;
        Ok(result.rows_affected == 1)
    }

    async fn by_email(&self, email: &str) -> StoreResult<Option<(User, Credentials)>> {
        if !storable(email) {
            return Ok(None);
        }
        let found = user::Entity::find()
            .filter(
                Expr::expr(Func::lower(Expr::col((user::Entity, user::Column::Email))))
                    .eq(email.to_lowercase()),
            )
            .find_also_related(auth::Entity)
            .order_by_asc(user::Column::CreatedAt)
            .one(&self.db)
            .await
            .map_err(store_err)?;
        Ok(match found {
            Some((user, Some(auth))) => Some((user_from_row(user), credentials_from_row(auth))),
            _ => None,
        })
    }

    async fn session_subject(&self, id: &UserId) -> StoreResult<Option<SessionSubject>> {
        if !storable(id.as_str()) {
            return Ok(None);
        }
        if let Some(cached) = self.sessions.get(id.as_str()) {
            return Ok(Some(cached));
        }
        let ticket = self.sessions.ticket();
        let found = user::Entity::find_by_id(id.as_str())
            .find_also_related(auth::Entity)
            .one(&self.db)
            .await
            .map_err(store_err)?;
        let subject = found.and_then(|(user, auth)| {
            let auth = auth?;
            Some(SessionSubject {
                user: user_from_row(user),
                session_stamp: auth.session_stamp,
                active: auth.active.unwrap_or(false),
            })
        });
        if let Some(subject) = &subject {
            self.sessions.put(id.as_str(), subject.clone(), ticket);
        }
        Ok(subject)
    }

    async fn set_password(&self, id: &UserId, hash: &str, new_stamp: &str) -> StoreResult<()> {
        self.update_auth(id, Some(hash), new_stamp).await
    }

    async fn set_session_stamp(&self, id: &UserId, new_stamp: &str) -> StoreResult<()> {
        self.update_auth(id, None, new_stamp).await
    }
}

impl SqlStore {
    /// Sets a new session stamp (and password hash, if given) on a user's `auth` row.
    async fn update_auth(
        &self,
        id: &UserId,
        hash: Option<&str>,
        new_stamp: &str,
    ) -> StoreResult<()> {
        let _forget = self.sessions.forget_after(id.as_str());
        let mut update = auth::Entity::update_many()
            .col_expr(auth::Column::SessionStamp, Expr::value(new_stamp))
            .filter(auth::Column::Id.eq(id.as_str()));
        if let Some(hash) = hash {
            update = update.col_expr(auth::Column::Password, Expr::value(hash));
        }
        let result = update.exec(&self.db).await.map_err(store_err)?;
        if result.rows_affected == 0 {
            return Err(StoreError::NotFound);
        }
        Ok(())
    }
}

fn new_user_row(account: &NewAccount) -> user::ActiveModel {
    user::ActiveModel {
        id: Set(account.id.as_str().to_owned()),
        email: Set(Some(account.email.clone())),
        username: Set(None),
        role: Set(Some(account.role.as_str().to_owned())),
        name: Set(Some(account.name.clone())),
        profile_image_url: Set(Some(account.profile_image_url.clone())),
        profile_banner_image_url: Set(None),
        bio: Set(None),
        gender: Set(None),
        date_of_birth: Set(None),
        timezone: Set(None),
        presence_state: Set(None),
        status_emoji: Set(None),
        status_message: Set(None),
        status_expires_at: Set(None),
        info: Set(None),
        variables: Set(None),
        settings: Set(None),
        oauth: Set(None),
        scim: Set(None),
        last_active_at: Set(Some(account.now)),
        updated_at: Set(Some(account.now)),
        created_at: Set(Some(account.now)),
    }
}
