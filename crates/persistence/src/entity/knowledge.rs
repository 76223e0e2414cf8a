//! Knowledge bases (`knowledge`).

use sea_orm::entity::prelude::*;

/// One row.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "knowledge")]
pub struct Model {
    /// Column `id`.
    #[sea_orm(primary_key, auto_increment = false, column_type = "Text")]
    pub id: String,
    /// Column `user_id`.
    #[sea_orm(column_type = "Text", nullable)]
    pub user_id: Option<String>,
    /// Column `name`.
    #[sea_orm(column_type = "Text", nullable)]
    pub name: Option<String>,
    /// Column `description`.
    #[sea_orm(column_type = "Text", nullable)]
    pub description: Option<String>,
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
