//! Chats with their message rows and tags, and folders.

use super::{MemoryStore, State};
use async_trait::async_trait;
use hearth_domain::chat::search::ChatSearch;
use hearth_domain::chat::tags::Tag;
use hearth_domain::chat::{Chat, ChatListQuery, ChatSort, ChatTitle};
use hearth_domain::folder::Folder;
use hearth_domain::ids::{ChatId, FolderId};
use hearth_domain::ports::{ChatStore, ChatWithMessages, DocumentEdit, FolderStore};
use hearth_domain::{StoreResult, UserId};
use std::collections::HashMap;

fn title(chat: &Chat) -> ChatTitle {
    ChatTitle {
        id: chat.id.clone(),
        title: chat.title.clone(),
        updated_at: chat.updated_at,
        created_at: chat.created_at,
        last_read_at: chat.last_read_at,
        archived: chat.archived,
    }
}

fn page<T>(items: Vec<T>, offset: u64, limit: Option<u64>) -> Vec<T> {
    let limit = limit.map_or(usize::MAX, |l| usize::try_from(l).unwrap_or(usize::MAX));
    items
        .into_iter()
        .skip(usize::try_from(offset).unwrap_or(usize::MAX))
        .take(limit)
        .collect()
}

fn listed(chat: &Chat, query: &ChatListQuery) -> bool {
    if chat.archived != query.archived || chat.is_internal() {
        return false;
    }
    let folder_ok = match &query.folder_id {
        Some(folder) => chat.folder_id.as_ref() == Some(folder),
        None => query.include_folders || query.archived || chat.folder_id.is_none(),
    };
    let pin_ok = if query.pinned_only {
        chat.pinned
    } else {
        query.include_pinned || query.archived || query.folder_id.is_some() || !chat.pinned
    };
    let title_ok = query
        .title_contains
        .as_deref()
        .is_none_or(|t| chat.title.to_lowercase().contains(&t.to_lowercase()));
    folder_ok && pin_ok && title_ok
}

fn sorted<'a>(mut chats: Vec<&'a Chat>, query: &ChatListQuery) -> Vec<&'a Chat> {
    chats.sort_by(|a, b| {
        let order = match query.sort {
            ChatSort::Title => a.title.cmp(&b.title),
            ChatSort::CreatedAt => a.created_at.cmp(&b.created_at),
            ChatSort::UpdatedAt | ChatSort::UnreadUpdatedAt => a.updated_at.cmp(&b.updated_at),
        };
        order.then_with(|| a.id.cmp(&b.id))
    });
    if !query.ascending {
        chats.reverse();
    }
    chats
}

impl State {
    fn own_chats<'a>(&'a self, user: &'a UserId) -> impl Iterator<Item = &'a Chat> + 'a {
        self.chats.values().filter(move |c| c.user_id == *user)
    }
}

#[async_trait]
impl ChatStore for MemoryStore {
    async fn insert(&self, chats: &[ChatWithMessages]) -> StoreResult<()> {
        let mut state = self.state();
        for (chat, messages) in chats {
            state.chats.insert(chat.id.to_string(), chat.clone());
            for message in messages {
                let key = (chat.id.to_string(), message.message_id.to_string());
                state.messages.insert(key, message.clone());
            }
        }
        Ok(())
    }

    async fn get(&self, id: &ChatId) -> StoreResult<Option<Chat>> {
        Ok(self.state().chats.get(id.as_str()).cloned())
    }

    async fn edit_document(
        &self,
        id: &ChatId,
        edit: &dyn DocumentEdit,
        touch: bool,
        now: i64,
    ) -> StoreResult<Option<Chat>> {
        let mut state = self.state();
        let Some(chat) = state.chats.get_mut(id.as_str()) else {
            return Ok(None);
        };
        let edited = edit.apply(&mut chat.document, &chat.user_id.clone());
        chat.document.strip_nul();
        chat.title = chat.document.title();
        chat.current_message_id = chat.document.current_message_id();
        if touch {
            chat.updated_at = now;
        }
        let chat = chat.clone();
        for message in &edited.changed {
            if let Some(record) = chat.document.record(message, &chat.user_id, now) {
                state
                    .messages
                    .insert((id.to_string(), message.to_string()), record);
            }
        }
        for message in &edited.removed {
            state
                .messages
                .remove(&(id.to_string(), message.to_string()));
        }
        Ok(Some(chat))
    }

    async fn save_flags(&self, chat: &Chat) -> StoreResult<()> {
        let mut state = self.state();
        if let Some(stored) = state.chats.get_mut(chat.id.as_str()) {
            let document = std::mem::take(&mut stored.document);
            *stored = Chat {
                document,
                ..chat.clone()
            };
        }
        Ok(())
    }

    async fn list_titles(
        &self,
        user: &UserId,
        query: &ChatListQuery,
    ) -> StoreResult<Vec<ChatTitle>> {
        let state = self.state();
        let chats: Vec<&Chat> = state.own_chats(user).filter(|c| listed(c, query)).collect();
        let titles = sorted(chats, query).into_iter().map(title).collect();
        Ok(page(titles, query.offset, query.limit))
    }

    async fn list_full(
        &self,
        user: &UserId,
        after: Option<(i64, ChatId)>,
        limit: u64,
        archived_only: bool,
    ) -> StoreResult<Vec<Chat>> {
        let state = self.state();
        let mut chats: Vec<Chat> = state
            .own_chats(user)
            .filter(|c| !archived_only || c.archived)
            .filter(|c| {
                after
                    .as_ref()
                    .is_none_or(|(at, id)| (c.created_at, &c.id) > (*at, id))
            })
            .cloned()
            .collect();
        chats.sort_by(|a, b| (a.created_at, &a.id).cmp(&(b.created_at, &b.id)));
        Ok(page(chats, 0, Some(limit)))
    }

    async fn in_folders(&self, user: &UserId, folders: &[FolderId]) -> StoreResult<Vec<Chat>> {
        let state = self.state();
        Ok(state
            .own_chats(user)
            .filter(|c| c.folder_id.as_ref().is_some_and(|f| folders.contains(f)))
            .cloned()
            .collect())
    }

    async fn count_archived(&self, user: &UserId) -> StoreResult<u64> {
        Ok(self.state().own_chats(user).filter(|c| c.archived).count() as u64)
    }

    async fn delete(&self, id: &ChatId) -> StoreResult<bool> {
        let mut state = self.state();
        state.messages.retain(|(chat, _), _| chat != id.as_str());
        state.shared.retain(|_, s| s.chat_id != *id);
        Ok(state.chats.remove(id.as_str()).is_some())
    }

    async fn delete_for_user(&self, user: &UserId) -> StoreResult<u64> {
        let mut state = self.state();
        let before = state.chats.len();
        state.chats.retain(|_, c| c.user_id != *user);
        Ok((before - state.chats.len()) as u64)
    }

    async fn set_archived_for_user(&self, user: &UserId, archived: bool) -> StoreResult<()> {
        for chat in self
            .state()
            .chats
            .values_mut()
            .filter(|c| c.user_id == *user)
        {
            chat.archived = archived;
        }
        Ok(())
    }

    async fn mark_read(
        &self,
        user: &UserId,
        folders: Option<&[FolderId]>,
        now: i64,
    ) -> StoreResult<u64> {
        let mut changed = 0;
        for chat in self
            .state()
            .chats
            .values_mut()
            .filter(|c| c.user_id == *user)
        {
            let in_scope =
                folders.is_none_or(|f| chat.folder_id.as_ref().is_some_and(|id| f.contains(id)));
            if in_scope && chat.last_read_at.is_none_or(|read| read < chat.updated_at) {
                chat.last_read_at = Some(now);
                changed += 1;
            }
        }
        Ok(changed)
    }

    async fn unread_by_folder(&self, user: &UserId) -> StoreResult<HashMap<FolderId, u64>> {
        let mut counts = HashMap::new();
        for chat in self.state().own_chats(user) {
            let unread = chat.updated_at > chat.last_read_at.unwrap_or(0);
            if let (Some(folder), true, false) = (&chat.folder_id, unread, chat.archived) {
                *counts.entry(folder.clone()).or_insert(0) += 1;
            }
        }
        Ok(counts)
    }

    async fn move_out_of_folders(
        &self,
        user: &UserId,
        folders: &[FolderId],
        target: Option<&FolderId>,
    ) -> StoreResult<()> {
        for chat in self
            .state()
            .chats
            .values_mut()
            .filter(|c| c.user_id == *user)
        {
            if chat.folder_id.as_ref().is_some_and(|f| folders.contains(f)) {
                chat.folder_id = target.cloned();
            }
        }
        Ok(())
    }

    async fn delete_in_folders(&self, user: &UserId, folders: &[FolderId]) -> StoreResult<()> {
        self.state().chats.retain(|_, c| {
            c.user_id != *user || !c.folder_id.as_ref().is_some_and(|f| folders.contains(f))
        });
        Ok(())
    }

    async fn tags(&self, user: &UserId) -> StoreResult<Vec<Tag>> {
        Ok(self
            .state()
            .tags
            .values()
            .filter(|t| t.user_id == user.as_str())
            .cloned()
            .collect())
    }

    async fn ensure_tag(&self, tag: &Tag) -> StoreResult<()> {
        let key = (tag.user_id.clone(), tag.id.clone());
        self.state().tags.entry(key).or_insert_with(|| tag.clone());
        Ok(())
    }

    async fn delete_unused_tags(&self, user: &UserId) -> StoreResult<()> {
        let mut state = self.state();
        let used: Vec<String> = state.own_chats(user).flat_map(Chat::tag_ids).collect();
        state
            .tags
            .retain(|(owner, id), _| owner != user.as_str() || used.contains(id));
        Ok(())
    }

    async fn search(&self, user: &UserId, search: &ChatSearch) -> StoreResult<Vec<ChatTitle>> {
        let state = self.state();
        let phrase = search.phrase.as_str();
        let found: Vec<ChatTitle> = state
            .own_chats(user)
            .filter(|c| !c.archived || search.archived == Some(true))
            .filter(|c| {
                let messages = c.document.as_value().to_string().to_lowercase();
                c.title.to_lowercase().contains(phrase) || messages.contains(phrase)
            })
            .map(title)
            .collect();
        Ok(page(found, search.offset, Some(search.limit)))
    }

    async fn titles_with_tag(
        &self,
        user: &UserId,
        tag: &str,
        offset: u64,
        limit: u64,
    ) -> StoreResult<Vec<ChatTitle>> {
        let state = self.state();
        let found = state
            .own_chats(user)
            .filter(|c| c.tag_ids().iter().any(|t| t == tag))
            .map(title)
            .collect();
        Ok(page(found, offset, Some(limit)))
    }
}

#[async_trait]
impl FolderStore for MemoryStore {
    async fn folders(&self, user: &UserId) -> StoreResult<Vec<Folder>> {
        let mut folders: Vec<Folder> = self
            .state()
            .folders
            .values()
            .filter(|f| f.user_id == *user)
            .cloned()
            .collect();
        folders.sort_by(|a, b| (a.created_at, &a.id).cmp(&(b.created_at, &b.id)));
        Ok(folders)
    }

    async fn folder(&self, user: &UserId, id: &FolderId) -> StoreResult<Option<Folder>> {
        Ok(self
            .state()
            .folders
            .get(id.as_str())
            .filter(|f| f.user_id == *user)
            .cloned())
    }

    async fn insert_folder(&self, folder: &Folder) -> StoreResult<()> {
        self.state()
            .folders
            .insert(folder.id.to_string(), folder.clone());
        Ok(())
    }

    async fn save_folder(&self, folder: &Folder) -> StoreResult<()> {
        self.state()
            .folders
            .insert(folder.id.to_string(), folder.clone());
        Ok(())
    }

    async fn delete_folders(&self, user: &UserId, ids: &[FolderId]) -> StoreResult<()> {
        self.state()
            .folders
            .retain(|_, f| f.user_id != *user || !ids.contains(&f.id));
        Ok(())
    }
}
