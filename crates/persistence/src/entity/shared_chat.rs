//! Shared chat snapshots (`shared_chat`).

use sea_orm::entity::prelude::*;

/// One row.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "shared_chat")]
pub struct Model {
    /// Column `id`.
    #[sea_orm(primary_key, auto_increment = false, column_type = "Text")]
    pub id: String,
    /// Column `chat_id`.
    #[sea_orm(column_type = "Text")]
    pub chat_id: String,
    /// Column `user_id`.
    #[sea_orm(column_type = "Text")]
    pub user_id: String,
    /// Column `title`.
    #[sea_orm(column_type = "Text", nullable)]
    pub title: Option<String>,
    /// Column `chat`.
    #[sea_orm(column_type = "Json", nullable)]
    pub chat: Option<Json>,
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
