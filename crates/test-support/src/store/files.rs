//! `FileStore` in memory: records by id, chat links as a list.

use super::MemoryStore;
use async_trait::async_trait;
use hearth_domain::file::StoredFile;
use hearth_domain::ids::{ChatId, FileId, MessageId};
use hearth_domain::ports::FileStore;
use hearth_domain::{StoreResult, UserId};
use serde_json::{Map, Value};

/// One `chat_file` link.
#[derive(Clone, Debug)]
pub(crate) struct ChatFileLink {
    pub chat_id: String,
    pub file_id: String,
}

fn glob_matches(glob: &[char], name: &[char]) -> bool {
    match (glob.split_first(), name.split_first()) {
        (None, None) => true,
        (Some(('*', rest)), _) => {
            glob_matches(rest, name)
                || name
                    .split_first()
                    .is_some_and(|(_, n)| glob_matches(glob, n))
        }
        (Some(('?', rest)), Some((_, n))) => glob_matches(rest, n),
        (Some((g, rest)), Some((c, n))) => g == c && glob_matches(rest, n),
        _ => false,
    }
}

fn newest_first(mut files: Vec<StoredFile>, offset: u64, limit: u64) -> Vec<StoredFile> {
    files.sort_by(|a, b| (b.created_at, b.id.as_str()).cmp(&(a.created_at, a.id.as_str())));
    let offset = usize::try_from(offset).unwrap_or(usize::MAX);
    let limit = usize::try_from(limit).unwrap_or(usize::MAX);
    files.into_iter().skip(offset).take(limit).collect()
}

impl MemoryStore {
    fn owned(&self, owner: Option<&UserId>) -> Vec<StoredFile> {
        self.state()
            .files
            .values()
            .filter(|f| owner.is_none_or(|o| &f.user_id == o))
            .cloned()
            .collect()
    }
}

#[async_trait]
impl FileStore for MemoryStore {
    async fn insert_file(&self, file: &StoredFile) -> StoreResult<()> {
        self.state()
            .files
            .insert(file.id.as_str().to_owned(), file.clone());
        Ok(())
    }

    async fn file(&self, id: &FileId) -> StoreResult<Option<StoredFile>> {
        Ok(self.state().files.get(id.as_str()).cloned())
    }

    async fn files(
        &self,
        owner: Option<&UserId>,
        offset: u64,
        limit: u64,
    ) -> StoreResult<Vec<StoredFile>> {
        Ok(newest_first(self.owned(owner), offset, limit))
    }

    async fn count_files(&self, owner: Option<&UserId>) -> StoreResult<u64> {
        Ok(u64::try_from(self.owned(owner).len()).unwrap_or(u64::MAX))
    }

    async fn search_files(
        &self,
        owner: Option<&UserId>,
        glob: &str,
        offset: u64,
        limit: u64,
    ) -> StoreResult<Vec<StoredFile>> {
        let glob: Vec<char> = glob.to_lowercase().chars().collect();
        let matching = self
            .owned(owner)
            .into_iter()
            .filter(|f| {
                glob_matches(
                    &glob,
                    &f.filename.to_lowercase().chars().collect::<Vec<_>>(),
                )
            })
            .collect();
        Ok(newest_first(matching, offset, limit))
    }

    async fn update_file_data(
        &self,
        id: &FileId,
        data: Map<String, Value>,
        hash: Option<String>,
        now: i64,
    ) -> StoreResult<bool> {
        let mut state = self.state();
        let Some(file) = state.files.get_mut(id.as_str()) else {
            return Ok(false);
        };
        file.data.extend(data);
        if hash.is_some() {
            file.hash = hash;
        }
        file.updated_at = now;
        Ok(true)
    }

    async fn update_file_meta(&self, id: &FileId, meta: Map<String, Value>) -> StoreResult<bool> {
        let mut state = self.state();
        let Some(file) = state.files.get_mut(id.as_str()) else {
            return Ok(false);
        };
        file.meta.extend(meta);
        Ok(true)
    }

    async fn rename_file(&self, id: &FileId, filename: &str, now: i64) -> StoreResult<bool> {
        let mut state = self.state();
        let Some(file) = state.files.get_mut(id.as_str()) else {
            return Ok(false);
        };
        filename.clone_into(&mut file.filename);
        file.meta.insert("name".into(), Value::from(filename));
        file.updated_at = now;
        Ok(true)
    }

    async fn delete_file(&self, id: &FileId) -> StoreResult<bool> {
        let mut state = self.state();
        state.chat_files.retain(|l| l.file_id != id.as_str());
        state.knowledge_files.retain(|(_, f)| f != id.as_str());
        Ok(state.files.remove(id.as_str()).is_some())
    }

    async fn delete_all_files(&self) -> StoreResult<u64> {
        let mut state = self.state();
        state.chat_files.clear();
        state.knowledge_files.clear();
        let count = state.files.len();
        state.files.clear();
        Ok(u64::try_from(count).unwrap_or(u64::MAX))
    }

    async fn unfinished_files(&self) -> StoreResult<Vec<StoredFile>> {
        Ok(self
            .state()
            .files
            .values()
            .filter(|f| f.status().is_some_and(|s| !s.is_final()))
            .cloned()
            .collect())
    }

    async fn claim_file(&self, id: &FileId, seen: i64, now: i64) -> StoreResult<bool> {
        let mut state = self.state();
        let Some(file) = state
            .files
            .get_mut(id.as_str())
            .filter(|f| f.updated_at == seen)
        else {
            return Ok(false);
        };
        file.data.insert("status".into(), Value::from("processing"));
        file.updated_at = now;
        Ok(true)
    }

    async fn link_chat_files(
        &self,
        _user_id: &UserId,
        chat_id: &ChatId,
        _message_id: Option<&MessageId>,
        files: &[FileId],
        _now: i64,
    ) -> StoreResult<()> {
        let mut state = self.state();
        for file in files {
            let exists = state
                .chat_files
                .iter()
                .any(|l| l.chat_id == chat_id.as_str() && l.file_id == file.as_str());
            if !exists {
                state.chat_files.push(ChatFileLink {
                    chat_id: chat_id.as_str().to_owned(),
                    file_id: file.as_str().to_owned(),
                });
            }
        }
        Ok(())
    }

    async fn shared_chats_with_file(&self, id: &FileId) -> StoreResult<Vec<ChatId>> {
        let state = self.state();
        Ok(state
            .chat_files
            .iter()
            .filter(|l| l.file_id == id.as_str())
            .filter(|l| {
                state
                    .chats
                    .get(&l.chat_id)
                    .is_some_and(|c| c.share_id.is_some())
            })
            .map(|l| ChatId::from(l.chat_id.as_str()))
            .collect())
    }
}
