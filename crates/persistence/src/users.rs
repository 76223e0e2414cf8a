//! `UserStore` over the `user` table.

use crate::SqlStore;
use crate::convert::user_from_row;
use crate::entity::{api_key, auth, chat, folder, group_member, memory, oauth_session, tag, user};
use crate::errors::{storable, store_err};
use async_trait::async_trait;
use hearth_domain::ports::UserStore;
use hearth_domain::user::{UserOrder, UserPage, UserPatch, UserQuery};
use hearth_domain::{StoreError, StoreResult, User, UserId};
use sea_orm::sea_query::{Expr, ExprTrait, Func, LikeExpr};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, IntoActiveModel, Order,
    PaginatorTrait, QueryFilter, QueryOrder, QuerySelect, Set,
};
use serde_json::Value;

#[async_trait]
impl UserStore for SqlStore {
    async fn count(&self) -> StoreResult<u64> {
        user::Entity::find()
            .count(&self.db)
            .await
            .map_err(store_err)
    }

    async fn count_active_since(&self, since: i64) -> StoreResult<u64> {
        user::Entity::find()
            .filter(user::Column::LastActiveAt.gte(since))
            .count(&self.db)
            .await
            .map_err(store_err)
    }

    async fn any_exist(&self) -> StoreResult<bool> {
        let first = user::Entity::find()
            .select_only()
            .column(user::Column::Id)
            .limit(1)
            .into_tuple::<String>()
            .one(&self.db)
            .await
            .map_err(store_err)?;
        Ok(first.is_some())
    }

    async fn get(&self, id: &UserId) -> StoreResult<Option<User>> {
        if !storable(id.as_str()) {
            return Ok(None);
        }
        let row = user::Entity::find_by_id(id.as_str())
            .one(&self.db)
            .await
            .map_err(store_err)?;
        Ok(row.map(user_from_row))
    }

    async fn get_by_email(&self, email: &str) -> StoreResult<Option<User>> {
        if !storable(email) {
            return Ok(None);
        }
        let row = user::Entity::find()
            .filter(
                Expr::expr(Func::lower(Expr::col((user::Entity, user::Column::Email))))
                    .eq(email.to_lowercase()),
            )
            .one(&self.db)
            .await
            .map_err(store_err)?;
        Ok(row.map(user_from_row))
    }

    async fn first(&self) -> StoreResult<Option<User>> {
        let admin_first = Expr::case(Expr::col(user::Column::Role).eq("admin"), 0).finally(1);
        let row = user::Entity::find()
            .order_by_asc(user::Column::CreatedAt)
            .order_by(Into::<Expr>::into(admin_first), Order::Asc)
            .order_by_asc(user::Column::Id)
            .one(&self.db)
            .await
            .map_err(store_err)?;
        Ok(row.map(user_from_row))
    }

    async fn list(&self, query: &UserQuery) -> StoreResult<UserPage> {
        let mut select = user::Entity::find();
        if let Some(text) = query.text.as_deref().filter(|t| !t.is_empty()) {
            let pattern = format!("%{}%", escape_like(&text.to_lowercase()));
            let like = |column: user::Column| {
                Expr::expr(Func::lower(Expr::col(column)))
                    .like(LikeExpr::new(pattern.clone()).escape('\\'))
            };
            select = select.filter(like(user::Column::Name).or(like(user::Column::Email)));
        }
        let total = select.clone().count(&self.db).await.map_err(store_err)?;
        let direction = if query.ascending {
            Order::Asc
        } else {
            Order::Desc
        };
        select = select.order_by(order_column(query.order), direction);
        if query.order != UserOrder::CreatedAt {
            select = select.order_by_asc(user::Column::CreatedAt);
        }
        select = select.order_by_asc(user::Column::Id);
        // SQLite accepts OFFSET only after a LIMIT.
        let limit = query
            .limit
            .or((query.offset > 0).then_some(i64::MAX as u64));
        if let Some(limit) = limit {
            select = select
                .limit(crate::convert::sql_count(limit))
                .offset(crate::convert::sql_count(query.offset));
        }
        let rows = select.all(&self.db).await.map_err(store_err)?;
        Ok(UserPage {
            users: rows.into_iter().map(user_from_row).collect(),
            total,
        })
    }

    async fn update(&self, id: &UserId, patch: &UserPatch, now: i64) -> StoreResult<User> {
        if !storable(id.as_str()) {
            return Err(StoreError::NotFound);
        }
        let _forget = self.sessions.forget_after(id.as_str());
        let txn = crate::convert::write_transaction(&self.db)
            .await
            .map_err(store_err)?;
        let row = user::Entity::find_by_id(id.as_str())
            .one(&txn)
            .await
            .map_err(store_err)?
            .ok_or(StoreError::NotFound)?;
        let mut active = row.into_active_model();
        apply_patch(&mut active, patch);
        active.updated_at = Set(Some(now));
        let updated = active.update(&txn).await.map_err(store_err)?;
        if let Some(email) = &patch.email {
            auth::Entity::update_many()
                .col_expr(auth::Column::Email, Expr::value(email.clone()))
                .filter(auth::Column::Id.eq(id.as_str()))
                .exec(&txn)
                .await
                .map_err(store_err)?;
        }
        txn.commit().await.map_err(store_err)?;
        Ok(user_from_row(updated))
    }

    async fn set_settings(&self, id: &UserId, settings: &Value, now: i64) -> StoreResult<User> {
        if !storable(id.as_str()) {
            return Err(StoreError::NotFound);
        }
        let _forget = self.sessions.forget_after(id.as_str());
        let active = user::ActiveModel {
            id: Set(id.as_str().to_owned()),
            settings: Set(Some(settings.clone())),
            updated_at: Set(Some(now)),
            ..Default::default()
        };
        let updated = active.update(&self.db).await.map_err(store_err)?;
        Ok(user_from_row(updated))
    }

    async fn touch(&self, id: &UserId, now: i64) -> StoreResult<()> {
        let _forget = self.sessions.forget_after(id.as_str());
        user::Entity::update_many()
            .col_expr(user::Column::LastActiveAt, Expr::value(now))
            .filter(user::Column::Id.eq(id.as_str()))
            .exec(&self.db)
            .await
            .map_err(store_err)?;
        Ok(())
    }

    async fn delete(&self, id: &UserId) -> StoreResult<()> {
        if !storable(id.as_str()) {
            return Err(StoreError::NotFound);
        }
        let _forget = self.sessions.forget_after(id.as_str());
        let txn = crate::convert::write_transaction(&self.db)
            .await
            .map_err(store_err)?;
        let uid = id.as_str();
        delete_owned(&txn, uid).await?;
        let deleted = user::Entity::delete_by_id(uid)
            .exec(&txn)
            .await
            .map_err(store_err)?;
        if deleted.rows_affected == 0 {
            return Err(StoreError::NotFound);
        }
        txn.commit().await.map_err(store_err)
    }

    async fn group_ids(&self, id: &UserId) -> StoreResult<Vec<String>> {
        if !storable(id.as_str()) {
            return Ok(Vec::new());
        }
        group_member::Entity::find()
            .select_only()
            .column(group_member::Column::GroupId)
            .filter(group_member::Column::UserId.eq(id.as_str()))
            .order_by_asc(group_member::Column::GroupId)
            .into_tuple()
            .all(&self.db)
            .await
            .map_err(store_err)
    }
}

/// Deletes what belongs to a user: chats (messages cascade), tags, folders, memories,
/// memberships, API key, OAuth sessions and credentials.
async fn delete_owned(txn: &impl ConnectionTrait, uid: &str) -> StoreResult<()> {
    macro_rules! delete_where_user {
        ($entity:ident) => {
            $entity::Entity::delete_many()
                .filter($entity::Column::UserId.eq(uid))
                .exec(txn)
                .await
                .map_err(store_err)?;
        };
    }
    delete_where_user!(chat);
    delete_where_user!(tag);
    delete_where_user!(folder);
    delete_where_user!(memory);
    delete_where_user!(group_member);
    delete_where_user!(api_key);
    delete_where_user!(oauth_session);
    auth::Entity::delete_by_id(uid)
        .exec(txn)
        .await
        .map_err(store_err)?;
    Ok(())
}

fn apply_patch(active: &mut user::ActiveModel, patch: &UserPatch) {
    if let Some(role) = patch.role {
        active.role = Set(Some(role.as_str().to_owned()));
    }
    if let Some(name) = &patch.name {
        active.name = Set(Some(name.clone()));
    }
    if let Some(email) = &patch.email {
        active.email = Set(Some(email.clone()));
    }
    if let Some(url) = &patch.profile_image_url {
        active.profile_image_url = Set(Some(url.clone()));
    }
    if let Some(bio) = &patch.bio {
        active.bio = Set(bio.clone());
    }
    if let Some(gender) = &patch.gender {
        active.gender = Set(gender.clone());
    }
    if let Some(date) = patch.date_of_birth {
        active.date_of_birth = Set(date);
    }
    if let Some(timezone) = &patch.timezone {
        active.timezone = Set(Some(timezone.clone()));
    }
}

fn order_column(order: UserOrder) -> user::Column {
    match order {
        UserOrder::CreatedAt => user::Column::CreatedAt,
        UserOrder::Name => user::Column::Name,
        UserOrder::Email => user::Column::Email,
        UserOrder::LastActiveAt => user::Column::LastActiveAt,
        UserOrder::UpdatedAt => user::Column::UpdatedAt,
        UserOrder::Role => user::Column::Role,
    }
}

/// Escapes `%`, `_` and `\` so user text matches literally inside a LIKE pattern. NUL is
/// dropped: stored text never holds it and PostgreSQL refuses it in a parameter.
pub(crate) fn escape_like(text: &str) -> String {
    let mut escaped = String::with_capacity(text.len());
    for c in text.chars().filter(|c| *c != '\0') {
        if matches!(c, '%' | '_' | '\\') {
            escaped.push('\\');
        }
        escaped.push(c);
    }
    escaped
}
