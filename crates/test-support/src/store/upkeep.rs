//! Upkeep in memory: job claims in the config map, retention over the chat map.

use super::MemoryStore;
use async_trait::async_trait;
use hearth_domain::StoreResult;
use hearth_domain::ids::{ChatId, FileId};
use hearth_domain::ports::{ExpiredChat, UpkeepStore};
use serde_json::json;

#[async_trait]
impl UpkeepStore for MemoryStore {
    async fn claim_job(&self, job: &str, now: i64, every: i64) -> StoreResult<bool> {
        let mut state = self.state();
        let key = format!("hearth.jobs.{job}");
        let last = state.config.get(&key).and_then(|v| v.as_i64()).unwrap_or(0);
        if last > now - every {
            return Ok(false);
        }
        state.config.insert(key, json!(now));
        Ok(true)
    }

    async fn expired_chats(&self, cutoff: i64, limit: u64) -> StoreResult<Vec<ExpiredChat>> {
        let state = self.state();
        let mut old: Vec<_> = state
            .chats
            .values()
            .filter(|c| c.updated_at < cutoff)
            .collect();
        old.sort_by_key(|c| c.updated_at);
        Ok(old
            .into_iter()
            .take(usize::try_from(limit).unwrap_or(usize::MAX))
            .map(|c| ExpiredChat {
                id: c.id.clone(),
                user_id: c.user_id.clone(),
            })
            .collect())
    }

    async fn chat_files(&self, chats: &[ChatId]) -> StoreResult<Vec<FileId>> {
        let state = self.state();
        let mut files: Vec<String> = state
            .chat_files
            .iter()
            .filter(|l| chats.iter().any(|c| c.as_str() == l.chat_id))
            .map(|l| l.file_id.clone())
            .collect();
        files.sort();
        files.dedup();
        Ok(files.into_iter().map(FileId::from).collect())
    }

    async fn delete_chats(&self, chats: &[ChatId]) -> StoreResult<u64> {
        let mut state = self.state();
        let mut deleted = 0;
        for id in chats {
            state.messages.retain(|(chat, _), _| chat != id.as_str());
            state.shared.retain(|_, s| s.chat_id != *id);
            state.chat_files.retain(|l| l.chat_id != id.as_str());
            deleted += u64::from(state.chats.remove(id.as_str()).is_some());
        }
        Ok(deleted)
    }

    async fn file_in_use(&self, file: &FileId) -> StoreResult<bool> {
        let state = self.state();
        Ok(state.chat_files.iter().any(|l| l.file_id == file.as_str())
            || state
                .knowledge_files
                .iter()
                .any(|(_, f)| f == file.as_str()))
    }

    async fn reclaim_space(&self) -> StoreResult<()> {
        Ok(())
    }
}
