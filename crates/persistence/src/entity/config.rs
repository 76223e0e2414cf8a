//! Per-key configuration (`config`).

use sea_orm::entity::prelude::*;

/// One row.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "config")]
pub struct Model {
    /// Column `key`.
    #[sea_orm(primary_key, auto_increment = false, column_type = "Text")]
    pub key: String,
    /// Column `value`.
    #[sea_orm(column_type = "Json")]
    pub value: Json,
    /// Column `updated_at`.
    #[sea_orm(nullable)]
    pub updated_at: Option<i64>,
}

/// No relations are declared; joins are written where they are used.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
