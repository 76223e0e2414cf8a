//! Chat messages (`chat_message`), id `{chat_id}-{message_id}`.

use sea_orm::entity::prelude::*;

/// One row.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "chat_message")]
pub struct Model {
    /// Column `id`.
    #[sea_orm(primary_key, auto_increment = false, column_type = "Text")]
    pub id: String,
    /// Column `chat_id`.
    #[sea_orm(column_type = "Text")]
    pub chat_id: String,
    /// Column `user_id`.
    #[sea_orm(column_type = "Text", nullable)]
    pub user_id: Option<String>,
    /// Column `role`.
    #[sea_orm(column_type = "Text")]
    pub role: String,
    /// Column `parent_id`.
    #[sea_orm(column_type = "Text", nullable)]
    pub parent_id: Option<String>,
    /// Column `content`.
    #[sea_orm(column_type = "Json", nullable)]
    pub content: Option<Json>,
    /// Column `output`.
    #[sea_orm(column_type = "Json", nullable)]
    pub output: Option<Json>,
    /// Column `model_id`.
    #[sea_orm(column_type = "Text", nullable)]
    pub model_id: Option<String>,
    /// Column `files`.
    #[sea_orm(column_type = "Json", nullable)]
    pub files: Option<Json>,
    /// Column `sources`.
    #[sea_orm(column_type = "Json", nullable)]
    pub sources: Option<Json>,
    /// Column `embeds`.
    #[sea_orm(column_type = "Json", nullable)]
    pub embeds: Option<Json>,
    /// Column `done`.
    #[sea_orm(nullable)]
    pub done: Option<bool>,
    /// Column `status_history`.
    #[sea_orm(column_type = "Json", nullable)]
    pub status_history: Option<Json>,
    /// Column `error`.
    #[sea_orm(column_type = "Json", nullable)]
    pub error: Option<Json>,
    /// Column `usage`.
    #[sea_orm(column_type = "Json", nullable)]
    pub usage: Option<Json>,
    /// Column `context_summary`.
    #[sea_orm(column_type = "Text", nullable)]
    pub context_summary: Option<String>,
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
