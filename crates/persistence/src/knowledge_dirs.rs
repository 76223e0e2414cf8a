//! Knowledge bases' folders (`knowledge_directory`) and which folder each linked file is in
//! (`knowledge_file.directory_id`), for `KnowledgeStore`.

use crate::entity::{knowledge_directory, knowledge_file};
use crate::errors::{storable, store_err};
use hearth_domain::ids::{FileId, KnowledgeId};
use hearth_domain::knowledge::Directory;
use hearth_domain::{StoreResult, UserId};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect, Set,
    sea_query::Expr,
};

fn from_row(row: knowledge_directory::Model) -> Directory {
    Directory {
        id: row.id,
        knowledge_id: KnowledgeId::from(row.knowledge_id),
        parent_id: row.parent_id,
        name: row.name,
        user_id: UserId::from(row.user_id),
        created_at: row.created_at,
        updated_at: row.updated_at,
    }
}

fn to_row(d: &Directory) -> knowledge_directory::ActiveModel {
    knowledge_directory::ActiveModel {
        id: Set(d.id.clone()),
        knowledge_id: Set(d.knowledge_id.as_str().to_owned()),
        parent_id: Set(d.parent_id.clone()),
        name: Set(d.name.clone()),
        user_id: Set(d.user_id.as_str().to_owned()),
        created_at: Set(d.created_at),
        updated_at: Set(d.updated_at),
    }
}

pub(crate) async fn directories(
    db: &crate::gate::GatedConnection,
    id: &KnowledgeId,
) -> StoreResult<Vec<Directory>> {
    if !storable(id.as_str()) {
        return Ok(Vec::new());
    }
    let rows = knowledge_directory::Entity::find()
        .filter(knowledge_directory::Column::KnowledgeId.eq(id.as_str()))
        .order_by_asc(knowledge_directory::Column::Name)
        .all(db)
        .await
        .map_err(store_err)?;
    Ok(rows.into_iter().map(from_row).collect())
}

pub(crate) async fn insert(db: &crate::gate::GatedConnection, d: &Directory) -> StoreResult<()> {
    to_row(d).insert(db).await.map_err(store_err)?;
    Ok(())
}

pub(crate) async fn save(db: &crate::gate::GatedConnection, d: &Directory) -> StoreResult<()> {
    to_row(d).update(db).await.map_err(store_err)?;
    Ok(())
}

pub(crate) async fn delete(
    db: &crate::gate::GatedConnection,
    id: &KnowledgeId,
    ids: &[String],
) -> StoreResult<()> {
    if ids.is_empty() {
        return Ok(());
    }
    knowledge_file::Entity::update_many()
        .col_expr(
            knowledge_file::Column::DirectoryId,
            Expr::value(Option::<String>::None),
        )
        .filter(knowledge_file::Column::KnowledgeId.eq(id.as_str()))
        .filter(knowledge_file::Column::DirectoryId.is_in(ids.iter().map(String::as_str)))
        .exec(db)
        .await
        .map_err(store_err)?;
    knowledge_directory::Entity::delete_many()
        .filter(knowledge_directory::Column::KnowledgeId.eq(id.as_str()))
        .filter(knowledge_directory::Column::Id.is_in(ids.iter().map(String::as_str)))
        .exec(db)
        .await
        .map_err(store_err)?;
    Ok(())
}

pub(crate) async fn file_directories(
    db: &crate::gate::GatedConnection,
    id: &KnowledgeId,
) -> StoreResult<Vec<(FileId, Option<String>)>> {
    if !storable(id.as_str()) {
        return Ok(Vec::new());
    }
    let rows: Vec<(String, Option<String>)> = knowledge_file::Entity::find()
        .select_only()
        .column(knowledge_file::Column::FileId)
        .column(knowledge_file::Column::DirectoryId)
        .filter(knowledge_file::Column::KnowledgeId.eq(id.as_str()))
        .order_by_asc(knowledge_file::Column::CreatedAt)
        .order_by_asc(knowledge_file::Column::Id)
        .into_tuple()
        .all(db)
        .await
        .map_err(store_err)?;
    Ok(rows
        .into_iter()
        .map(|(file, dir)| (FileId::from(file), dir))
        .collect())
}

pub(crate) async fn move_files(
    db: &crate::gate::GatedConnection,
    id: &KnowledgeId,
    files: &[FileId],
    directory: Option<&str>,
    now: i64,
) -> StoreResult<u64> {
    if files.is_empty() {
        return Ok(0);
    }
    let done = knowledge_file::Entity::update_many()
        .col_expr(
            knowledge_file::Column::DirectoryId,
            Expr::value(directory.map(str::to_owned)),
        )
        .col_expr(knowledge_file::Column::UpdatedAt, Expr::value(now))
        .filter(knowledge_file::Column::KnowledgeId.eq(id.as_str()))
        .filter(knowledge_file::Column::FileId.is_in(files.iter().map(FileId::as_str)))
        .exec(db)
        .await
        .map_err(store_err)?;
    Ok(done.rows_affected)
}
