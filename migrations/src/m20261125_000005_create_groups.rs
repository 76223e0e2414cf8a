//! Groups and sharing: `group`, `group_member` and `access_grant`.

use crate::columns::*;
use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Group {
    Table,
    Id,
    UserId,
    Name,
    Description,
    Data,
    Meta,
    Permissions,
    CreatedAt,
    UpdatedAt,
    ParentGroupId,
}

#[derive(DeriveIden)]
enum User {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum GroupMember {
    Table,
    Id,
    GroupId,
    UserId,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum AccessGrant {
    Table,
    Id,
    ResourceType,
    ResourceId,
    PrincipalType,
    PrincipalId,
    Permission,
    CreatedAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        create_groups(manager).await?;
        create_access_grants(manager).await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            AccessGrant::Table.into_iden(),
            GroupMember::Table.into_iden(),
            Group::Table.into_iden(),
        ] {
            manager
                .drop_table(Table::drop().table(table).if_exists().to_owned())
                .await?;
        }
        Ok(())
    }
}

async fn create_groups(manager: &SchemaManager<'_>) -> Result<(), DbErr> {
    manager
        .create_table(
            Table::create()
                .table(Group::Table)
                .if_not_exists()
                .col(text_pk(Group::Id))
                .col(text(Group::UserId))
                .col(text(Group::Name))
                .col(text(Group::Description))
                .col(json(Group::Data))
                .col(json(Group::Meta))
                .col(json(Group::Permissions))
                .col(bigint(Group::CreatedAt))
                .col(bigint(Group::UpdatedAt))
                .col(text(Group::ParentGroupId))
                .foreign_key(
                    ForeignKey::create()
                        .name("fk_group_parent")
                        .from(Group::Table, Group::ParentGroupId)
                        .to(Group::Table, Group::Id)
                        .on_delete(ForeignKeyAction::SetNull),
                )
                .to_owned(),
        )
        .await?;
    manager
        .create_index(index(
            "ix_group_parent_group_id",
            Group::Table,
            &["parent_group_id"],
        ))
        .await?;
    manager
        .create_table(
            Table::create()
                .table(GroupMember::Table)
                .if_not_exists()
                .col(text_pk(GroupMember::Id))
                .col(text_req(GroupMember::GroupId))
                .col(text_req(GroupMember::UserId))
                .col(bigint(GroupMember::CreatedAt))
                .col(bigint(GroupMember::UpdatedAt))
                .index(
                    Index::create()
                        .name("uq_group_member_group_user")
                        .unique()
                        .col(GroupMember::GroupId)
                        .col(GroupMember::UserId),
                )
                .foreign_key(
                    ForeignKey::create()
                        .from(GroupMember::Table, GroupMember::GroupId)
                        .to(Group::Table, Group::Id)
                        .on_delete(ForeignKeyAction::Cascade),
                )
                .foreign_key(
                    ForeignKey::create()
                        .from(GroupMember::Table, GroupMember::UserId)
                        .to(User::Table, User::Id)
                        .on_delete(ForeignKeyAction::Cascade),
                )
                .to_owned(),
        )
        .await?;
    manager
        .create_index(index(
            "ix_group_member_user_id_group_id",
            GroupMember::Table,
            &["user_id", "group_id"],
        ))
        .await
}

async fn create_access_grants(manager: &SchemaManager<'_>) -> Result<(), DbErr> {
    manager
        .create_table(
            Table::create()
                .table(AccessGrant::Table)
                .if_not_exists()
                .col(text_pk(AccessGrant::Id))
                .col(text_req(AccessGrant::ResourceType))
                .col(text_req(AccessGrant::ResourceId))
                .col(text_req(AccessGrant::PrincipalType))
                .col(text_req(AccessGrant::PrincipalId))
                .col(text_req(AccessGrant::Permission))
                .col(bigint_req(AccessGrant::CreatedAt))
                .index(
                    Index::create()
                        .name("uq_access_grant_grant")
                        .unique()
                        .col(AccessGrant::ResourceType)
                        .col(AccessGrant::ResourceId)
                        .col(AccessGrant::PrincipalType)
                        .col(AccessGrant::PrincipalId)
                        .col(AccessGrant::Permission),
                )
                .to_owned(),
        )
        .await?;
    manager
        .create_index(index(
            "idx_access_grant_resource",
            AccessGrant::Table,
            &["resource_type", "resource_id"],
        ))
        .await?;
    manager
        .create_index(index(
            "idx_access_grant_principal",
            AccessGrant::Table,
            &["principal_type", "principal_id"],
        ))
        .await
}
