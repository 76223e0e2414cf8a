//! User accounts (`user`).

use sea_orm::entity::prelude::*;

/// One row.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "user")]
pub struct Model {
    /// Column `id`.
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: String,
    /// Column `email`.
    #[sea_orm(nullable)]
    pub email: Option<String>,
    /// Column `username`.
    #[sea_orm(nullable)]
    pub username: Option<String>,
    /// Column `role`.
    #[sea_orm(nullable)]
    pub role: Option<String>,
    /// Column `name`.
    #[sea_orm(nullable)]
    pub name: Option<String>,
    /// Column `profile_image_url`.
    #[sea_orm(column_type = "Text", nullable)]
    pub profile_image_url: Option<String>,
    /// Column `profile_banner_image_url`.
    #[sea_orm(column_type = "Text", nullable)]
    pub profile_banner_image_url: Option<String>,
    /// Column `bio`.
    #[sea_orm(column_type = "Text", nullable)]
    pub bio: Option<String>,
    /// Column `gender`.
    #[sea_orm(column_type = "Text", nullable)]
    pub gender: Option<String>,
    /// Column `date_of_birth`.
    #[sea_orm(nullable)]
    pub date_of_birth: Option<Date>,
    /// Column `timezone`.
    #[sea_orm(nullable)]
    pub timezone: Option<String>,
    /// Column `presence_state`.
    #[sea_orm(nullable)]
    pub presence_state: Option<String>,
    /// Column `status_emoji`.
    #[sea_orm(nullable)]
    pub status_emoji: Option<String>,
    /// Column `status_message`.
    #[sea_orm(column_type = "Text", nullable)]
    pub status_message: Option<String>,
    /// Column `status_expires_at`.
    #[sea_orm(nullable)]
    pub status_expires_at: Option<i64>,
    /// Column `info`.
    #[sea_orm(column_type = "Json", nullable)]
    pub info: Option<Json>,
    /// Column `variables`.
    #[sea_orm(column_type = "Json", nullable)]
    pub variables: Option<Json>,
    /// Column `settings`.
    #[sea_orm(column_type = "Json", nullable)]
    pub settings: Option<Json>,
    /// Column `oauth`.
    #[sea_orm(column_type = "Json", nullable)]
    pub oauth: Option<Json>,
    /// Column `scim`.
    #[sea_orm(column_type = "Json", nullable)]
    pub scim: Option<Json>,
    /// Column `last_active_at`.
    #[sea_orm(nullable)]
    pub last_active_at: Option<i64>,
    /// Column `updated_at`.
    #[sea_orm(nullable)]
    pub updated_at: Option<i64>,
    /// Column `created_at`.
    #[sea_orm(nullable)]
    pub created_at: Option<i64>,
}

/// Relations used by joins.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    /// The user's credentials row (same id).
    #[sea_orm(has_one = "super::auth::Entity")]
    Auth,
}

impl Related<super::auth::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Auth.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}
