//! Saved prompts (`prompt`).

use sea_orm::entity::prelude::*;

/// One row.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "prompt")]
pub struct Model {
    /// Column `id`.
    #[sea_orm(primary_key, auto_increment = false, column_type = "Text")]
    pub id: String,
    /// Column `command`.
    #[sea_orm(nullable)]
    pub command: Option<String>,
    /// Column `user_id`.
    pub user_id: String,
    /// Column `name`.
    #[sea_orm(column_type = "Text")]
    pub name: String,
    /// Column `content`.
    #[sea_orm(column_type = "Text")]
    pub content: String,
    /// Column `data`.
    #[sea_orm(column_type = "Json", nullable)]
    pub data: Option<Json>,
    /// Column `meta`.
    #[sea_orm(column_type = "Json", nullable)]
    pub meta: Option<Json>,
    /// Column `tags`.
    #[sea_orm(column_type = "Json", nullable)]
    pub tags: Option<Json>,
    /// Column `is_active`.
    pub is_active: bool,
    /// Column `version_id`.
    #[sea_orm(column_type = "Text", nullable)]
    pub version_id: Option<String>,
    /// Column `created_at`.
    pub created_at: i64,
    /// Column `updated_at`.
    pub updated_at: i64,
}

/// No relations are declared; joins are written where they are used.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
