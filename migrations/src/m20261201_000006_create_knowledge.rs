//! Knowledge bases: `knowledge`, `knowledge_directory` and `knowledge_file`, as Open WebUI
//! 0.12.4 has them (an Open WebUI database already holding them is left as it is).

use crate::columns::*;
use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Knowledge {
    Table,
    Id,
    UserId,
    Name,
    Description,
    Meta,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum KnowledgeDirectory {
    Table,
    Id,
    KnowledgeId,
    ParentId,
    Name,
    UserId,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum KnowledgeFile {
    Table,
    Id,
    KnowledgeId,
    FileId,
    DirectoryId,
    UserId,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum File {
    Table,
    Id,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Knowledge::Table)
                    .if_not_exists()
                    .col(text_pk(Knowledge::Id))
                    .col(text(Knowledge::UserId))
                    .col(text(Knowledge::Name))
                    .col(text(Knowledge::Description))
                    .col(json(Knowledge::Meta))
                    .col(bigint(Knowledge::CreatedAt))
                    .col(bigint(Knowledge::UpdatedAt))
                    .to_owned(),
            )
            .await?;
        create_directories(manager).await?;
        create_files(manager).await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            KnowledgeFile::Table.into_iden(),
            KnowledgeDirectory::Table.into_iden(),
            Knowledge::Table.into_iden(),
        ] {
            manager
                .drop_table(Table::drop().table(table).if_exists().to_owned())
                .await?;
        }
        Ok(())
    }
}

async fn create_directories(manager: &SchemaManager<'_>) -> Result<(), DbErr> {
    manager
        .create_table(
            Table::create()
                .table(KnowledgeDirectory::Table)
                .if_not_exists()
                .col(text_pk(KnowledgeDirectory::Id))
                .col(text_req(KnowledgeDirectory::KnowledgeId))
                .col(text(KnowledgeDirectory::ParentId))
                .col(text_req(KnowledgeDirectory::Name))
                .col(text_req(KnowledgeDirectory::UserId))
                .col(bigint_req(KnowledgeDirectory::CreatedAt))
                .col(bigint_req(KnowledgeDirectory::UpdatedAt))
                .index(
                    Index::create()
                        .name("uq_knowledge_directory_knowledge_parent_name")
                        .unique()
                        .col(KnowledgeDirectory::KnowledgeId)
                        .col(KnowledgeDirectory::ParentId)
                        .col(KnowledgeDirectory::Name),
                )
                .foreign_key(
                    ForeignKey::create()
                        .from(KnowledgeDirectory::Table, KnowledgeDirectory::KnowledgeId)
                        .to(Knowledge::Table, Knowledge::Id)
                        .on_delete(ForeignKeyAction::Cascade),
                )
                .to_owned(),
        )
        .await?;
    for (name, column) in [
        ("ix_knowledge_directory_knowledge_id", "knowledge_id"),
        ("ix_knowledge_directory_parent_id", "parent_id"),
    ] {
        manager
            .create_index(index(name, KnowledgeDirectory::Table, &[column]))
            .await?;
    }
    Ok(())
}

async fn create_files(manager: &SchemaManager<'_>) -> Result<(), DbErr> {
    manager
        .create_table(
            Table::create()
                .table(KnowledgeFile::Table)
                .if_not_exists()
                .col(text_pk(KnowledgeFile::Id))
                .col(text_req(KnowledgeFile::KnowledgeId))
                .col(text_req(KnowledgeFile::FileId))
                .col(text(KnowledgeFile::DirectoryId))
                .col(text_req(KnowledgeFile::UserId))
                .col(bigint_req(KnowledgeFile::CreatedAt))
                .col(bigint_req(KnowledgeFile::UpdatedAt))
                .index(
                    Index::create()
                        .name("uq_knowledge_file_knowledge_file")
                        .unique()
                        .col(KnowledgeFile::KnowledgeId)
                        .col(KnowledgeFile::FileId),
                )
                .foreign_key(
                    ForeignKey::create()
                        .from(KnowledgeFile::Table, KnowledgeFile::KnowledgeId)
                        .to(Knowledge::Table, Knowledge::Id)
                        .on_delete(ForeignKeyAction::Cascade),
                )
                .foreign_key(
                    ForeignKey::create()
                        .from(KnowledgeFile::Table, KnowledgeFile::FileId)
                        .to(File::Table, File::Id)
                        .on_delete(ForeignKeyAction::Cascade),
                )
                .to_owned(),
        )
        .await?;
    manager
        .create_index(index(
            "ix_knowledge_file_directory_id",
            KnowledgeFile::Table,
            &["directory_id"],
        ))
        .await
}
