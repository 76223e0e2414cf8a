//! Sign-in credentials (`auth`), one row per user.

use sea_orm::entity::prelude::*;

/// One row.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "auth")]
pub struct Model {
    /// Column `id`.
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: String,
    /// Column `email`.
    #[sea_orm(nullable)]
    pub email: Option<String>,
    /// Column `password`.
    #[sea_orm(column_type = "Text", nullable)]
    pub password: Option<String>,
    /// Column `active`.
    #[sea_orm(nullable)]
    pub active: Option<bool>,
    /// Column `mfa`.
    #[sea_orm(column_type = "Json", nullable)]
    pub mfa: Option<Json>,
    /// Column `session_stamp`.
    #[sea_orm(column_type = "Text", nullable)]
    pub session_stamp: Option<String>,
}

/// Relations used by joins.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    /// The account this row authenticates.
    #[sea_orm(
        belongs_to = "super::user::Entity",
        from = "Column::Id",
        to = "super::user::Column::Id"
    )]
    User,
}

impl Related<super::user::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::User.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}
