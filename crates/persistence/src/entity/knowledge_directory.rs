//! Folders of knowledge bases (`knowledge_directory`).

use sea_orm::entity::prelude::*;

/// One row.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "knowledge_directory")]
pub struct Model {
    /// Column `id`.
    #[sea_orm(primary_key, auto_increment = false, column_type = "Text")]
    pub id: String,
    /// Column `knowledge_id`.
    #[sea_orm(column_type = "Text")]
    pub knowledge_id: String,
    /// Column `parent_id`.
    #[sea_orm(column_type = "Text", nullable)]
    pub parent_id: Option<String>,
    /// Column `name`.
    #[sea_orm(column_type = "Text")]
    pub name: String,
    /// Column `user_id`.
    #[sea_orm(column_type = "Text")]
    pub user_id: String,
    /// Column `created_at`.
    pub created_at: i64,
    /// Column `updated_at`.
    pub updated_at: i64,
}

/// No relations are declared; joins are written where they are used.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
