//! Shared chat snapshots with their grants, and workspace model rows.

use super::MemoryStore;
use async_trait::async_trait;
use hearth_domain::access::AccessGrant;
use hearth_domain::chat::share::SharedChat;
use hearth_domain::ids::{ChatId, ModelId, ShareId};
use hearth_domain::model::ModelRecord;
use hearth_domain::ports::{ModelStore, ShareStore};
use hearth_domain::{StoreError, StoreResult, UserId};
use serde_json::json;

#[async_trait]
impl ShareStore for MemoryStore {
    async fn snapshot(
        &self,
        chat_id: &ChatId,
        share_mode: Option<Option<String>>,
        now: i64,
    ) -> StoreResult<Option<ShareId>> {
        let mut state = self.state();
        let Some(chat) = state.chats.get(chat_id.as_str()).cloned() else {
            return Ok(None);
        };
        let id = chat.share_id.clone().unwrap_or_else(ShareId::generate);
        let mut document = chat.document.clone();
        let previous = state
            .shared
            .get(id.as_str())
            .and_then(|s| s.document.get("share_mode").cloned());
        let mode = match share_mode {
            Some(mode) => json!(mode),
            None => previous.unwrap_or_default(),
        };
        document.set("share_mode", mode);
        let created_at = state.shared.get(id.as_str()).map_or(now, |s| s.created_at);
        state.shared.insert(
            id.to_string(),
            SharedChat {
                id: id.clone(),
                chat_id: chat.id.clone(),
                user_id: chat.user_id.clone(),
                title: chat.title.clone(),
                document,
                created_at,
                updated_at: now,
            },
        );
        if let Some(stored) = state.chats.get_mut(chat_id.as_str()) {
            stored.share_id = Some(id.clone());
        }
        Ok(Some(id))
    }

    async fn shared(&self, share_id: &ShareId) -> StoreResult<Option<SharedChat>> {
        Ok(self.state().shared.get(share_id.as_str()).cloned())
    }

    async fn shared_by_user(
        &self,
        user: &UserId,
        offset: u64,
        limit: u64,
    ) -> StoreResult<Vec<SharedChat>> {
        let mut found: Vec<SharedChat> = self
            .state()
            .shared
            .values()
            .filter(|s| s.user_id == *user)
            .cloned()
            .collect();
        found.sort_by_key(|s| std::cmp::Reverse(s.updated_at));
        Ok(found
            .into_iter()
            .skip(usize::try_from(offset).unwrap_or(usize::MAX))
            .take(usize::try_from(limit).unwrap_or(usize::MAX))
            .collect())
    }

    async fn unshare(&self, chat_id: &ChatId) -> StoreResult<()> {
        let mut state = self.state();
        state.shared.retain(|_, s| s.chat_id != *chat_id);
        state.chat_grants.remove(chat_id.as_str());
        if let Some(chat) = state.chats.get_mut(chat_id.as_str()) {
            chat.share_id = None;
        }
        Ok(())
    }

    async fn grants(&self, chat_id: &ChatId) -> StoreResult<Vec<AccessGrant>> {
        Ok(self
            .state()
            .chat_grants
            .get(chat_id.as_str())
            .cloned()
            .unwrap_or_default())
    }

    async fn set_grants(
        &self,
        chat_id: &ChatId,
        grants: &[AccessGrant],
        _: i64,
    ) -> StoreResult<()> {
        self.state()
            .chat_grants
            .insert(chat_id.to_string(), grants.to_vec());
        Ok(())
    }
}

#[async_trait]
impl ModelStore for MemoryStore {
    async fn all(&self) -> StoreResult<Vec<ModelRecord>> {
        Ok(self.state().models.values().cloned().collect())
    }

    async fn get(&self, id: &ModelId) -> StoreResult<Option<ModelRecord>> {
        Ok(self.state().models.get(id.as_str()).cloned())
    }

    async fn insert(&self, model: &ModelRecord) -> StoreResult<()> {
        let mut state = self.state();
        if state.models.contains_key(model.id.as_str()) {
            return Err(StoreError::Conflict(format!("model {} exists", model.id)));
        }
        state.models.insert(model.id.to_string(), model.clone());
        Ok(())
    }

    async fn update(&self, model: &ModelRecord) -> StoreResult<()> {
        let mut state = self.state();
        let stored = state
            .models
            .get_mut(model.id.as_str())
            .ok_or(StoreError::NotFound)?;
        *stored = model.clone();
        Ok(())
    }

    async fn delete(&self, id: &ModelId) -> StoreResult<bool> {
        Ok(self.state().models.remove(id.as_str()).is_some())
    }
}
