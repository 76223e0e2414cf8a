//! API keys (`api_key`), one per user.

use sea_orm::entity::prelude::*;

/// One row.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "api_key")]
pub struct Model {
    /// Column `id`.
    #[sea_orm(primary_key, auto_increment = false, column_type = "Text")]
    pub id: String,
    /// Column `user_id`.
    #[sea_orm(column_type = "Text", nullable)]
    pub user_id: Option<String>,
    /// Column `key`.
    #[sea_orm(column_type = "Text")]
    pub key: String,
    /// Column `data`.
    #[sea_orm(column_type = "Json", nullable)]
    pub data: Option<Json>,
    /// Column `expires_at`.
    #[sea_orm(nullable)]
    pub expires_at: Option<i64>,
    /// Column `last_used_at`.
    #[sea_orm(nullable)]
    pub last_used_at: Option<i64>,
    /// Column `created_at`.
    pub created_at: i64,
    /// Column `updated_at`.
    pub updated_at: i64,
}

/// Relations used by joins.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    /// The key's owner.
    #[sea_orm(
        belongs_to = "super::user::Entity",
        from = "Column::UserId",
        to = "super::user::Column::Id"
    )]
    User,
}

impl ActiveModelBehavior for ActiveModel {}
