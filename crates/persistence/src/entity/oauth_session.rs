//! OAuth provider sessions (`oauth_session`).

use sea_orm::entity::prelude::*;

/// One row.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "oauth_session")]
pub struct Model {
    /// Column `id`.
    #[sea_orm(primary_key, auto_increment = false, column_type = "Text")]
    pub id: String,
    /// Column `user_id`.
    #[sea_orm(column_type = "Text")]
    pub user_id: String,
    /// Column `provider`.
    #[sea_orm(column_type = "Text")]
    pub provider: String,
    /// Column `token`.
    #[sea_orm(column_type = "Text")]
    pub token: String,
    /// Column `expires_at`.
    pub expires_at: i64,
    /// Column `created_at`.
    pub created_at: i64,
    /// Column `updated_at`.
    pub updated_at: i64,
}

/// No relations are declared; joins are written where they are used.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
