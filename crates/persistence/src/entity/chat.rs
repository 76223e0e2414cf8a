//! Chats (`chat`); the conversation document lives in `chat`.

use sea_orm::entity::prelude::*;

/// One row.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "chat")]
pub struct Model {
    /// Column `id`.
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: String,
    /// Column `user_id`.
    #[sea_orm(nullable)]
    pub user_id: Option<String>,
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
    /// Column `share_id`.
    #[sea_orm(column_type = "Text", nullable)]
    pub share_id: Option<String>,
    /// Column `archived`.
    #[sea_orm(nullable)]
    pub archived: Option<bool>,
    /// Column `pinned`.
    #[sea_orm(nullable)]
    pub pinned: Option<bool>,
    /// Column `meta`.
    #[sea_orm(column_type = "Json")]
    pub meta: Json,
    /// Column `folder_id`.
    #[sea_orm(column_type = "Text", nullable)]
    pub folder_id: Option<String>,
    /// Column `tasks`.
    #[sea_orm(column_type = "Json", nullable)]
    pub tasks: Option<Json>,
    /// Column `summary`.
    #[sea_orm(column_type = "Text", nullable)]
    pub summary: Option<String>,
    /// Column `last_read_at`.
    #[sea_orm(nullable)]
    pub last_read_at: Option<i64>,
    /// Column `current_message_id`.
    #[sea_orm(column_type = "Text", nullable)]
    pub current_message_id: Option<String>,
    /// Column `variables`.
    #[sea_orm(column_type = "Json", nullable)]
    pub variables: Option<Json>,
    /// Column `timer_at`.
    #[sea_orm(nullable)]
    pub timer_at: Option<i64>,
}

/// No relations are declared; joins are written where they are used.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
