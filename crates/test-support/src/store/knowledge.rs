//! `KnowledgeStore` in memory.

use super::MemoryStore;
use async_trait::async_trait;
use hearth_domain::ids::{FileId, KnowledgeId};
use hearth_domain::knowledge::{Directory, Knowledge};
use hearth_domain::ports::KnowledgeStore;
use hearth_domain::{StoreError, StoreResult, UserId};

#[async_trait]
impl KnowledgeStore for MemoryStore {
    async fn knowledge_bases(&self) -> StoreResult<Vec<Knowledge>> {
        let mut all: Vec<Knowledge> = self.state().knowledge.values().cloned().collect();
        all.sort_by(|a, b| {
            b.updated_at
                .cmp(&a.updated_at)
                .then_with(|| b.id.as_str().cmp(a.id.as_str()))
        });
        Ok(all)
    }

    async fn knowledge(&self, id: &KnowledgeId) -> StoreResult<Option<Knowledge>> {
        Ok(self.state().knowledge.get(id.as_str()).cloned())
    }

    async fn insert_knowledge(&self, knowledge: &Knowledge) -> StoreResult<()> {
        self.state()
            .knowledge
            .insert(knowledge.id.as_str().to_owned(), knowledge.clone());
        Ok(())
    }

    async fn save_knowledge(&self, knowledge: &Knowledge) -> StoreResult<()> {
        self.state()
            .knowledge
            .insert(knowledge.id.as_str().to_owned(), knowledge.clone());
        Ok(())
    }

    async fn delete_knowledge(&self, id: &KnowledgeId) -> StoreResult<bool> {
        let mut state = self.state();
        state.knowledge_files.retain(|(k, _)| k != id.as_str());
        Ok(state.knowledge.remove(id.as_str()).is_some())
    }

    async fn add_knowledge_file(
        &self,
        id: &KnowledgeId,
        file: &FileId,
        _: &UserId,
        _: i64,
    ) -> StoreResult<bool> {
        let mut state = self.state();
        let link = (id.as_str().to_owned(), file.as_str().to_owned());
        if state.knowledge_files.contains(&link) {
            return Ok(false);
        }
        state.knowledge_files.push(link);
        Ok(true)
    }

    async fn remove_knowledge_file(&self, id: &KnowledgeId, file: &FileId) -> StoreResult<bool> {
        let mut state = self.state();
        let before = state.knowledge_files.len();
        state
            .knowledge_files
            .retain(|(k, f)| !(k == id.as_str() && f == file.as_str()));
        Ok(state.knowledge_files.len() < before)
    }

    async fn knowledge_files(&self, id: &KnowledgeId) -> StoreResult<Vec<FileId>> {
        Ok(self
            .state()
            .knowledge_files
            .iter()
            .filter(|(k, _)| k == id.as_str())
            .map(|(_, f)| FileId::from(f.as_str()))
            .collect())
    }

    async fn knowledge_of_file(&self, file: &FileId) -> StoreResult<Vec<KnowledgeId>> {
        Ok(self
            .state()
            .knowledge_files
            .iter()
            .filter(|(_, f)| f == file.as_str())
            .map(|(k, _)| KnowledgeId::from(k.as_str()))
            .collect())
    }

    async fn directories(&self, id: &KnowledgeId) -> StoreResult<Vec<Directory>> {
        let mut found: Vec<Directory> = self
            .state()
            .knowledge_dirs
            .iter()
            .filter(|d| d.knowledge_id == *id)
            .cloned()
            .collect();
        found.sort_by(|a, b| a.name.cmp(&b.name));
        Ok(found)
    }

    async fn insert_directory(&self, directory: &Directory) -> StoreResult<()> {
        self.state().knowledge_dirs.push(directory.clone());
        Ok(())
    }

    async fn save_directory(&self, directory: &Directory) -> StoreResult<()> {
        let mut state = self.state();
        match state
            .knowledge_dirs
            .iter_mut()
            .find(|d| d.id == directory.id)
        {
            Some(kept) => {
                *kept = directory.clone();
                Ok(())
            }
            None => Err(StoreError::NotFound),
        }
    }

    async fn delete_directories(&self, id: &KnowledgeId, ids: &[String]) -> StoreResult<()> {
        let mut state = self.state();
        state
            .knowledge_dirs
            .retain(|d| !(d.knowledge_id == *id && ids.contains(&d.id)));
        state
            .file_dirs
            .retain(|(k, _), dir| !(k == id.as_str() && ids.contains(dir)));
        Ok(())
    }

    async fn file_directories(
        &self,
        id: &KnowledgeId,
    ) -> StoreResult<Vec<(FileId, Option<String>)>> {
        let state = self.state();
        Ok(state
            .knowledge_files
            .iter()
            .filter(|(k, _)| k == id.as_str())
            .map(|(k, f)| {
                let dir = state.file_dirs.get(&(k.clone(), f.clone())).cloned();
                (FileId::from(f.as_str()), dir)
            })
            .collect())
    }

    async fn move_files(
        &self,
        id: &KnowledgeId,
        files: &[FileId],
        directory: Option<&str>,
        _: i64,
    ) -> StoreResult<u64> {
        let mut state = self.state();
        let mut moved = 0;
        for file in files {
            let key = (id.as_str().to_owned(), file.as_str().to_owned());
            if !state.knowledge_files.contains(&key) {
                continue;
            }
            moved += 1;
            match directory {
                Some(dir) => state.file_dirs.insert(key, dir.to_owned()),
                None => state.file_dirs.remove(&key),
            };
        }
        Ok(moved)
    }
}
