//! Uploaded files (`file`).

use sea_orm::entity::prelude::*;

/// One row.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "file")]
pub struct Model {
    /// Column `id`.
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: String,
    /// Column `user_id`.
    #[sea_orm(nullable)]
    pub user_id: Option<String>,
    /// Column `hash`.
    #[sea_orm(column_type = "Text", nullable)]
    pub hash: Option<String>,
    /// Column `filename`.
    #[sea_orm(column_type = "Text", nullable)]
    pub filename: Option<String>,
    /// Column `path`.
    #[sea_orm(column_type = "Text", nullable)]
    pub path: Option<String>,
    /// Column `data`.
    #[sea_orm(column_type = "Json", nullable)]
    pub data: Option<Json>,
    /// Column `meta`.
    #[sea_orm(column_type = "Json", nullable)]
    pub meta: Option<Json>,
    /// Column `created_at`.
    #[sea_orm(nullable)]
    pub created_at: Option<i64>,
    /// Column `updated_at`.
    #[sea_orm(nullable)]
    pub updated_at: Option<i64>,
}

/// No relations are declared; joins are written where they are used.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
