//! Resource sharing grants (`access_grant`).

use sea_orm::entity::prelude::*;

/// One row.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "access_grant")]
pub struct Model {
    /// Column `id`.
    #[sea_orm(primary_key, auto_increment = false, column_type = "Text")]
    pub id: String,
    /// Column `resource_type`.
    #[sea_orm(column_type = "Text")]
    pub resource_type: String,
    /// Column `resource_id`.
    #[sea_orm(column_type = "Text")]
    pub resource_id: String,
    /// Column `principal_type`.
    #[sea_orm(column_type = "Text")]
    pub principal_type: String,
    /// Column `principal_id`.
    #[sea_orm(column_type = "Text")]
    pub principal_id: String,
    /// Column `permission`.
    #[sea_orm(column_type = "Text")]
    pub permission: String,
    /// Column `created_at`.
    pub created_at: i64,
}

/// No relations are declared; joins are written where they are used.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
