//! Chats: `chat`, `chat_message`, `tag`, `folder` and `shared_chat`.

use crate::columns::*;
use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Chat {
    Table,
    Id,
    UserId,
    Title,
    CreatedAt,
    UpdatedAt,
    ShareId,
    Archived,
    #[sea_orm(iden = "chat")]
    Document,
    Pinned,
    Meta,
    FolderId,
    Tasks,
    Summary,
    LastReadAt,
    CurrentMessageId,
    Variables,
    TimerAt,
}

#[derive(DeriveIden)]
enum ChatMessage {
    Table,
    Id,
    ChatId,
    UserId,
    Role,
    ParentId,
    Content,
    Output,
    ModelId,
    Files,
    Sources,
    Embeds,
    Done,
    StatusHistory,
    Error,
    Usage,
    CreatedAt,
    UpdatedAt,
    ContextSummary,
    Meta,
}

#[derive(DeriveIden)]
enum Tag {
    Table,
    Id,
    Name,
    UserId,
    Meta,
}

#[derive(DeriveIden)]
enum Folder {
    Table,
    Id,
    ParentId,
    UserId,
    Name,
    Items,
    Meta,
    IsExpanded,
    CreatedAt,
    UpdatedAt,
    Data,
}

#[derive(DeriveIden)]
enum SharedChat {
    Table,
    Id,
    ChatId,
    UserId,
    Title,
    #[sea_orm(iden = "chat")]
    Document,
    CreatedAt,
    UpdatedAt,
}

const CHAT_INDEXES: [(&str, &[&str]); 6] = [
    ("folder_id_idx", &["folder_id"]),
    ("user_id_pinned_idx", &["user_id", "pinned"]),
    ("user_id_archived_idx", &["user_id", "archived"]),
    ("updated_at_user_id_idx", &["updated_at", "user_id"]),
    ("folder_id_user_id_idx", &["folder_id", "user_id"]),
    (
        "user_id_folder_unread_idx",
        &[
            "user_id",
            "folder_id",
            "archived",
            "updated_at",
            "last_read_at",
            "id",
        ],
    ),
];

const CHAT_RAW_INDEXES: [&str; 3] = [
    "CREATE INDEX IF NOT EXISTS user_id_updated_at_id_idx ON chat (user_id, updated_at DESC, id)",
    "CREATE INDEX IF NOT EXISTS timer_at_idx ON chat (timer_at) WHERE timer_at IS NOT NULL",
    "CREATE INDEX IF NOT EXISTS user_id_timer_at_idx ON chat (user_id, timer_at) WHERE timer_at IS NOT NULL",
];

const MESSAGE_INDEXES: [(&str, &[&str]); 8] = [
    ("ix_chat_message_created_at", &["created_at"]),
    ("ix_chat_message_chat_id", &["chat_id"]),
    ("ix_chat_message_model_id", &["model_id"]),
    ("ix_chat_message_user_id", &["user_id"]),
    ("chat_message_chat_parent_idx", &["chat_id", "parent_id"]),
    (
        "chat_message_model_created_idx",
        &["model_id", "created_at"],
    ),
    ("chat_message_user_created_idx", &["user_id", "created_at"]),
    (
        "chat_message_chat_role_done_idx",
        &["chat_id", "role", "done"],
    ),
];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        create_chat(manager).await?;
        create_chat_message(manager).await?;
        create_tag_folder_shared(manager).await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            SharedChat::Table.into_iden(),
            Folder::Table.into_iden(),
            Tag::Table.into_iden(),
            ChatMessage::Table.into_iden(),
            Chat::Table.into_iden(),
        ] {
            manager
                .drop_table(Table::drop().table(table).if_exists().to_owned())
                .await?;
        }
        Ok(())
    }
}

async fn create_chat(manager: &SchemaManager<'_>) -> Result<(), DbErr> {
    manager
        .create_table(
            Table::create()
                .table(Chat::Table)
                .if_not_exists()
                .col(varchar_pk(Chat::Id))
                .col(varchar(Chat::UserId))
                .col(text(Chat::Title))
                .col(bigint(Chat::CreatedAt))
                .col(bigint(Chat::UpdatedAt))
                .col(text(Chat::ShareId).unique_key())
                .col(boolean(Chat::Archived))
                .col(json(Chat::Document))
                .col(boolean(Chat::Pinned))
                .col(json_req(Chat::Meta).default("{}"))
                .col(text(Chat::FolderId))
                .col(json(Chat::Tasks))
                .col(text(Chat::Summary))
                .col(bigint(Chat::LastReadAt))
                .col(text(Chat::CurrentMessageId))
                .col(json(Chat::Variables))
                .col(bigint(Chat::TimerAt))
                .to_owned(),
        )
        .await?;
    for (name, columns) in CHAT_INDEXES {
        manager
            .create_index(index(name, Chat::Table, columns))
            .await?;
    }
    for sql in CHAT_RAW_INDEXES {
        raw_index(manager, sql).await?;
    }
    Ok(())
}

async fn create_chat_message(manager: &SchemaManager<'_>) -> Result<(), DbErr> {
    manager
        .create_table(
            Table::create()
                .table(ChatMessage::Table)
                .if_not_exists()
                .col(text_pk(ChatMessage::Id))
                .col(text_req(ChatMessage::ChatId))
                .col(text(ChatMessage::UserId))
                .col(text_req(ChatMessage::Role))
                .col(text(ChatMessage::ParentId))
                .col(json(ChatMessage::Content))
                .col(json(ChatMessage::Output))
                .col(text(ChatMessage::ModelId))
                .col(json(ChatMessage::Files))
                .col(json(ChatMessage::Sources))
                .col(json(ChatMessage::Embeds))
                .col(boolean(ChatMessage::Done))
                .col(json(ChatMessage::StatusHistory))
                .col(json(ChatMessage::Error))
                .col(json(ChatMessage::Usage))
                .col(bigint(ChatMessage::CreatedAt))
                .col(bigint(ChatMessage::UpdatedAt))
                .col(text(ChatMessage::ContextSummary))
                .col(json(ChatMessage::Meta))
                .foreign_key(
                    ForeignKey::create()
                        .from(ChatMessage::Table, ChatMessage::ChatId)
                        .to(Chat::Table, Chat::Id)
                        .on_delete(ForeignKeyAction::Cascade),
                )
                .to_owned(),
        )
        .await?;
    for (name, columns) in MESSAGE_INDEXES {
        manager
            .create_index(index(name, ChatMessage::Table, columns))
            .await?;
    }
    Ok(())
}

async fn create_tag_folder_shared(manager: &SchemaManager<'_>) -> Result<(), DbErr> {
    manager
        .create_table(
            Table::create()
                .table(Tag::Table)
                .if_not_exists()
                .col(ColumnDef::new(Tag::Id).string().not_null())
                .col(varchar(Tag::Name))
                .col(ColumnDef::new(Tag::UserId).string().not_null())
                .col(json(Tag::Meta))
                .primary_key(
                    Index::create()
                        .name("pk_id_user_id")
                        .col(Tag::Id)
                        .col(Tag::UserId),
                )
                .to_owned(),
        )
        .await?;
    manager
        .create_index(index("user_id_idx", Tag::Table, &["user_id"]))
        .await?;

    manager
        .create_table(
            Table::create()
                .table(Folder::Table)
                .if_not_exists()
                .col(text_req(Folder::Id))
                .col(text(Folder::ParentId))
                .col(text_req(Folder::UserId))
                .col(text_req(Folder::Name))
                .col(json(Folder::Items))
                .col(json(Folder::Meta))
                .col(boolean_req(Folder::IsExpanded))
                .col(bigint_req(Folder::CreatedAt))
                .col(bigint_req(Folder::UpdatedAt))
                .col(json(Folder::Data))
                .primary_key(Index::create().col(Folder::Id).col(Folder::UserId))
                .to_owned(),
        )
        .await?;

    manager
        .create_table(
            Table::create()
                .table(SharedChat::Table)
                .if_not_exists()
                .col(text_pk(SharedChat::Id))
                .col(text_req(SharedChat::ChatId))
                .col(text_req(SharedChat::UserId))
                .col(text(SharedChat::Title))
                .col(json(SharedChat::Document))
                .col(bigint(SharedChat::CreatedAt))
                .col(bigint(SharedChat::UpdatedAt))
                .foreign_key(
                    ForeignKey::create()
                        .from(SharedChat::Table, SharedChat::ChatId)
                        .to(Chat::Table, Chat::Id)
                        .on_delete(ForeignKeyAction::Cascade),
                )
                .to_owned(),
        )
        .await
}
