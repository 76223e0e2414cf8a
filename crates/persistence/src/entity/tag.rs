//! Chat tags (`tag`), keyed by (id, user_id).

use sea_orm::entity::prelude::*;

/// One row.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "tag")]
pub struct Model {
    /// Column `id`.
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: String,
    /// Column `user_id`.
    #[sea_orm(primary_key, auto_increment = false)]
    pub user_id: String,
    /// Column `name`.
    #[sea_orm(nullable)]
    pub name: Option<String>,
    /// Column `meta`.
    #[sea_orm(column_type = "Json", nullable)]
    pub meta: Option<Json>,
}

/// No relations are declared; joins are written where they are used.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
