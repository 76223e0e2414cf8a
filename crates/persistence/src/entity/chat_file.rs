//! Files attached to chats (`chat_file`).

use sea_orm::entity::prelude::*;

/// One row.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "chat_file")]
pub struct Model {
    /// Column `id`.
    #[sea_orm(primary_key, auto_increment = false, column_type = "Text")]
    pub id: String,
    /// Column `user_id`.
    #[sea_orm(column_type = "Text")]
    pub user_id: String,
    /// Column `chat_id`.
    #[sea_orm(column_type = "Text")]
    pub chat_id: String,
    /// Column `file_id`.
    #[sea_orm(column_type = "Text")]
    pub file_id: String,
    /// Column `message_id`.
    #[sea_orm(column_type = "Text", nullable)]
    pub message_id: Option<String>,
    /// Column `created_at`.
    pub created_at: i64,
    /// Column `updated_at`.
    pub updated_at: i64,
}

/// No relations are declared; joins are written where they are used.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
