//! Accounts: `user`, `auth`, `api_key` and `oauth_session`.

use crate::columns::*;
use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum User {
    Table,
    Id,
    Name,
    Email,
    Role,
    ProfileImageUrl,
    LastActiveAt,
    UpdatedAt,
    CreatedAt,
    Username,
    Bio,
    Gender,
    DateOfBirth,
    ProfileBannerImageUrl,
    Timezone,
    PresenceState,
    StatusEmoji,
    StatusMessage,
    StatusExpiresAt,
    Oauth,
    Info,
    Settings,
    Scim,
    Variables,
}

#[derive(DeriveIden)]
enum Auth {
    Table,
    Id,
    Email,
    Password,
    Active,
    Mfa,
    SessionStamp,
}

#[derive(DeriveIden)]
enum ApiKey {
    Table,
    Id,
    UserId,
    Key,
    Data,
    ExpiresAt,
    LastUsedAt,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum OauthSession {
    Table,
    Id,
    UserId,
    Provider,
    Token,
    ExpiresAt,
    CreatedAt,
    UpdatedAt,
}

/// The `user` table, emails unique case-insensitively.
async fn create_user(manager: &SchemaManager<'_>) -> Result<(), DbErr> {
    manager
        .create_table(
            Table::create()
                .table(User::Table)
                .if_not_exists()
                .col(varchar_pk(User::Id))
                .col(varchar(User::Name))
                .col(varchar(User::Email))
                .col(varchar(User::Role))
                .col(text(User::ProfileImageUrl))
                .col(bigint(User::LastActiveAt))
                .col(bigint(User::UpdatedAt))
                .col(bigint(User::CreatedAt))
                .col(ColumnDef::new(User::Username).string_len(50).null())
                .col(text(User::Bio))
                .col(text(User::Gender))
                .col(date(User::DateOfBirth))
                .col(text(User::ProfileBannerImageUrl))
                .col(varchar(User::Timezone))
                .col(varchar(User::PresenceState))
                .col(varchar(User::StatusEmoji))
                .col(text(User::StatusMessage))
                .col(bigint(User::StatusExpiresAt))
                .col(json(User::Oauth))
                .col(json(User::Info))
                .col(json(User::Settings))
                .col(json(User::Scim))
                .col(json(User::Variables))
                .to_owned(),
        )
        .await?;
    raw_index(
        manager,
        r#"CREATE UNIQUE INDEX IF NOT EXISTS uq_user_email_lower ON "user" (lower(email)) WHERE email IS NOT NULL"#,
    )
    .await
}

/// The `auth` table (credentials).
async fn create_auth(manager: &SchemaManager<'_>) -> Result<(), DbErr> {
    manager
        .create_table(
            Table::create()
                .table(Auth::Table)
                .if_not_exists()
                .col(varchar_pk(Auth::Id))
                .col(varchar(Auth::Email))
                .col(text(Auth::Password))
                .col(boolean(Auth::Active))
                .col(json(Auth::Mfa))
                .col(text(Auth::SessionStamp))
                .to_owned(),
        )
        .await
}

/// The `api_key` table.
async fn create_api_key(manager: &SchemaManager<'_>) -> Result<(), DbErr> {
    manager
        .create_table(
            Table::create()
                .table(ApiKey::Table)
                .if_not_exists()
                .col(text_pk(ApiKey::Id))
                .col(text(ApiKey::UserId))
                .col(text_req(ApiKey::Key).unique_key())
                .col(json(ApiKey::Data))
                .col(bigint(ApiKey::ExpiresAt))
                .col(bigint(ApiKey::LastUsedAt))
                .col(bigint_req(ApiKey::CreatedAt))
                .col(bigint_req(ApiKey::UpdatedAt))
                .foreign_key(
                    ForeignKey::create()
                        .from(ApiKey::Table, ApiKey::UserId)
                        .to(User::Table, User::Id)
                        .on_delete(ForeignKeyAction::Cascade),
                )
                .to_owned(),
        )
        .await
}

/// The `oauth_session` table and its indexes.
async fn create_oauth_session(manager: &SchemaManager<'_>) -> Result<(), DbErr> {
    manager
        .create_table(
            Table::create()
                .table(OauthSession::Table)
                .if_not_exists()
                .col(text_pk(OauthSession::Id))
                .col(text_req(OauthSession::UserId))
                .col(text_req(OauthSession::Provider))
                .col(text_req(OauthSession::Token))
                .col(bigint_req(OauthSession::ExpiresAt))
                .col(bigint_req(OauthSession::CreatedAt))
                .col(bigint_req(OauthSession::UpdatedAt))
                .foreign_key(
                    ForeignKey::create()
                        .from(OauthSession::Table, OauthSession::UserId)
                        .to(User::Table, User::Id)
                        .on_delete(ForeignKeyAction::Cascade),
                )
                .to_owned(),
        )
        .await?;
    manager
        .create_index(index(
            "idx_oauth_session_user_id",
            OauthSession::Table,
            &["user_id"],
        ))
        .await?;
    manager
        .create_index(index(
            "idx_oauth_session_expires_at",
            OauthSession::Table,
            &["expires_at"],
        ))
        .await?;
    manager
        .create_index(index(
            "idx_oauth_session_user_provider",
            OauthSession::Table,
            &["user_id", "provider"],
        ))
        .await
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        create_user(manager).await?;
        create_auth(manager).await?;
        create_api_key(manager).await?;
        create_oauth_session(manager).await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            OauthSession::Table.into_iden(),
            ApiKey::Table.into_iden(),
            Auth::Table.into_iden(),
            User::Table.into_iden(),
        ] {
            manager
                .drop_table(Table::drop().table(table).if_exists().to_owned())
                .await?;
        }
        Ok(())
    }
}
