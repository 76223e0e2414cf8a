//! Workspace items: `file`, `chat_file`, `model`, `prompt` and `memory`.

use crate::columns::*;
use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum File {
    Table,
    Id,
    UserId,
    Filename,
    Meta,
    CreatedAt,
    Hash,
    Data,
    UpdatedAt,
    Path,
}

#[derive(DeriveIden)]
enum Chat {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum ChatFile {
    Table,
    Id,
    UserId,
    ChatId,
    FileId,
    MessageId,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum Model {
    Table,
    Id,
    UserId,
    BaseModelId,
    Name,
    Params,
    Meta,
    UpdatedAt,
    CreatedAt,
    IsActive,
    VersionId,
}

#[derive(DeriveIden)]
enum Prompt {
    Table,
    Id,
    Command,
    UserId,
    Name,
    Content,
    Data,
    Meta,
    IsActive,
    VersionId,
    Tags,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum Memory {
    Table,
    Id,
    UserId,
    Content,
    UpdatedAt,
    CreatedAt,
    Type,
    Path,
    Meta,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        create_files(manager).await?;
        create_models_and_prompts(manager).await?;
        create_memory(manager).await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            Memory::Table.into_iden(),
            Prompt::Table.into_iden(),
            Model::Table.into_iden(),
            ChatFile::Table.into_iden(),
            File::Table.into_iden(),
        ] {
            manager
                .drop_table(Table::drop().table(table).if_exists().to_owned())
                .await?;
        }
        Ok(())
    }
}

async fn create_files(manager: &SchemaManager<'_>) -> Result<(), DbErr> {
    manager
        .create_table(
            Table::create()
                .table(File::Table)
                .if_not_exists()
                .col(varchar_pk(File::Id))
                .col(varchar(File::UserId))
                .col(text(File::Filename))
                .col(json(File::Meta))
                .col(bigint(File::CreatedAt))
                .col(text(File::Hash))
                .col(json(File::Data))
                .col(bigint(File::UpdatedAt))
                .col(text(File::Path))
                .to_owned(),
        )
        .await?;
    manager
        .create_table(
            Table::create()
                .table(ChatFile::Table)
                .if_not_exists()
                .col(text_pk(ChatFile::Id))
                .col(text_req(ChatFile::UserId))
                .col(text_req(ChatFile::ChatId))
                .col(text_req(ChatFile::FileId))
                .col(text(ChatFile::MessageId))
                .col(bigint_req(ChatFile::CreatedAt))
                .col(bigint_req(ChatFile::UpdatedAt))
                .index(
                    Index::create()
                        .name("uq_chat_file_chat_file")
                        .unique()
                        .col(ChatFile::ChatId)
                        .col(ChatFile::FileId),
                )
                .foreign_key(
                    ForeignKey::create()
                        .from(ChatFile::Table, ChatFile::ChatId)
                        .to(Chat::Table, Chat::Id)
                        .on_delete(ForeignKeyAction::Cascade),
                )
                .foreign_key(
                    ForeignKey::create()
                        .from(ChatFile::Table, ChatFile::FileId)
                        .to(File::Table, File::Id)
                        .on_delete(ForeignKeyAction::Cascade),
                )
                .to_owned(),
        )
        .await?;
    for (name, column) in [
        ("ix_chat_file_message_id", "message_id"),
        ("ix_chat_file_chat_id", "chat_id"),
        ("ix_chat_file_user_id", "user_id"),
        ("ix_chat_file_file_id", "file_id"),
    ] {
        manager
            .create_index(index(name, ChatFile::Table, &[column]))
            .await?;
    }
    Ok(())
}

async fn create_models_and_prompts(manager: &SchemaManager<'_>) -> Result<(), DbErr> {
    manager
        .create_table(
            Table::create()
                .table(Model::Table)
                .if_not_exists()
                .col(text_pk(Model::Id))
                .col(text(Model::UserId))
                .col(text(Model::BaseModelId))
                .col(text(Model::Name))
                .col(text(Model::Params))
                .col(text(Model::Meta))
                .col(bigint(Model::UpdatedAt))
                .col(bigint(Model::CreatedAt))
                .col(boolean_req(Model::IsActive).default(true))
                .col(text(Model::VersionId))
                .to_owned(),
        )
        .await?;
    manager
        .create_table(
            Table::create()
                .table(Prompt::Table)
                .if_not_exists()
                .col(text_pk(Prompt::Id))
                .col(varchar(Prompt::Command))
                .col(ColumnDef::new(Prompt::UserId).string().not_null())
                .col(text_req(Prompt::Name))
                .col(text_req(Prompt::Content))
                .col(json(Prompt::Data))
                .col(json(Prompt::Meta))
                .col(boolean_req(Prompt::IsActive).default(true))
                .col(text(Prompt::VersionId))
                .col(json(Prompt::Tags))
                .col(bigint_req(Prompt::CreatedAt))
                .col(bigint_req(Prompt::UpdatedAt))
                .to_owned(),
        )
        .await?;
    manager
        .create_index(
            index("ix_prompt_new_command", Prompt::Table, &["command"])
                .unique()
                .take(),
        )
        .await
}

async fn create_memory(manager: &SchemaManager<'_>) -> Result<(), DbErr> {
    manager
        .create_table(
            Table::create()
                .table(Memory::Table)
                .if_not_exists()
                .col(varchar_pk(Memory::Id))
                .col(varchar(Memory::UserId))
                .col(text(Memory::Content))
                .col(bigint(Memory::UpdatedAt))
                .col(bigint(Memory::CreatedAt))
                .col(
                    ColumnDef::new(Memory::Type)
                        .string()
                        .not_null()
                        .default("context"),
                )
                .col(text(Memory::Path))
                .col(json(Memory::Meta))
                .to_owned(),
        )
        .await?;
    for (name, columns) in [
        ("ix_memory_user_id", &["user_id"][..]),
        ("ix_memory_type", &["type"][..]),
        ("ix_memory_id_user_id", &["id", "user_id"][..]),
    ] {
        manager
            .create_index(index(name, Memory::Table, columns))
            .await?;
    }
    Ok(())
}
