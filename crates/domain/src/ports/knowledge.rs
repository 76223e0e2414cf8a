//! Knowledge bases, their folders and their files.

use crate::error::StoreResult;
use crate::ids::{FileId, KnowledgeId, UserId};
use crate::knowledge::{Directory, Knowledge};
use async_trait::async_trait;

/// Knowledge bases (`knowledge`, their grants in `access_grant`) and `knowledge_file` links.
#[async_trait]
pub trait KnowledgeStore: Send + Sync {
    /// Every knowledge base with its grants, newest change first.
    async fn knowledge_bases(&self) -> StoreResult<Vec<Knowledge>>;
    /// One knowledge base.
    async fn knowledge(&self, id: &KnowledgeId) -> StoreResult<Option<Knowledge>>;
    /// Inserts a knowledge base and its grants.
    async fn insert_knowledge(&self, knowledge: &Knowledge) -> StoreResult<()>;
    /// Writes name, description, meta, `updated_at` and the grants.
    async fn save_knowledge(&self, knowledge: &Knowledge) -> StoreResult<()>;
    /// Deletes a knowledge base, its grants and file links; false when it was not there.
    async fn delete_knowledge(&self, id: &KnowledgeId) -> StoreResult<bool>;
    /// Links a file; false when it was linked already.
    async fn add_knowledge_file(
        &self,
        id: &KnowledgeId,
        file: &FileId,
        user: &UserId,
        now: i64,
    ) -> StoreResult<bool>;
    /// Unlinks a file; false when it was not linked.
    async fn remove_knowledge_file(&self, id: &KnowledgeId, file: &FileId) -> StoreResult<bool>;
    /// The files linked to a knowledge base, in the order they were added.
    async fn knowledge_files(&self, id: &KnowledgeId) -> StoreResult<Vec<FileId>>;
    /// The knowledge bases a file is linked to.
    async fn knowledge_of_file(&self, file: &FileId) -> StoreResult<Vec<KnowledgeId>>;
    /// Every folder of a knowledge base, by name.
    async fn directories(&self, id: &KnowledgeId) -> StoreResult<Vec<Directory>>;
    /// Inserts a folder.
    async fn insert_directory(&self, directory: &Directory) -> StoreResult<()>;
    /// Writes a folder's name, parent and `updated_at`.
    async fn save_directory(&self, directory: &Directory) -> StoreResult<()>;
    /// Deletes folders of a knowledge base (their files' links stay, at no folder).
    async fn delete_directories(&self, id: &KnowledgeId, ids: &[String]) -> StoreResult<()>;
    /// Each linked file with its folder (`None`: the root).
    async fn file_directories(
        &self,
        id: &KnowledgeId,
    ) -> StoreResult<Vec<(FileId, Option<String>)>>;
    /// Puts linked files into a folder (`None`: the root); how many were linked.
    async fn move_files(
        &self,
        id: &KnowledgeId,
        files: &[FileId],
        directory: Option<&str>,
        now: i64,
    ) -> StoreResult<u64>;
}
