//! The `ChatStore` port, implemented by the chat modules of this crate.

use crate::SqlStore;
use crate::entity::chat;
use async_trait::async_trait;
use hearth_domain::chat::search::ChatSearch;
use hearth_domain::chat::tags::Tag;
use hearth_domain::chat::{Chat, ChatListQuery, ChatTitle};
use hearth_domain::ids::{ChatId, FolderId};
use hearth_domain::ports::{ChatStore, ChatWithMessages, DocumentEdit};
use hearth_domain::{StoreResult, UserId};
use sea_orm::{ColumnTrait, Condition};
use std::collections::HashMap;

#[async_trait]
impl ChatStore for SqlStore {
    async fn insert(&self, chats: &[ChatWithMessages]) -> StoreResult<()> {
        self.insert_chats(chats).await
    }

    async fn get(&self, id: &ChatId) -> StoreResult<Option<Chat>> {
        self.get_chat(id).await
    }

    async fn edit_document(
        &self,
        id: &ChatId,
        edit: &dyn DocumentEdit,
        touch: bool,
        now: i64,
    ) -> StoreResult<Option<Chat>> {
        self.edit_chat_document(id, edit, touch, now).await
    }

    async fn save_flags(&self, chat: &Chat) -> StoreResult<()> {
        self.save_chat_flags(chat).await
    }

    async fn list_titles(
        &self,
        user_id: &UserId,
        query: &ChatListQuery,
    ) -> StoreResult<Vec<ChatTitle>> {
        self.list_chat_titles(user_id, query).await
    }

    async fn list_full(
        &self,
        user_id: &UserId,
        after: Option<(i64, ChatId)>,
        limit: u64,
        archived_only: bool,
    ) -> StoreResult<Vec<Chat>> {
        self.list_full_chats(user_id, after, limit, archived_only)
            .await
    }

    async fn in_folders(
        &self,
        user_id: &UserId,
        folder_ids: &[FolderId],
    ) -> StoreResult<Vec<Chat>> {
        self.chats_in_folders(user_id, folder_ids).await
    }

    async fn count_archived(&self, user_id: &UserId) -> StoreResult<u64> {
        self.count_archived_chats(user_id).await
    }

    async fn delete(&self, id: &ChatId) -> StoreResult<bool> {
        self.delete_chat(id).await
    }

    async fn delete_for_user(&self, user_id: &UserId) -> StoreResult<u64> {
        self.delete_chats_where(SqlStore::user_filter(user_id))
            .await
    }

    async fn set_archived_for_user(&self, user_id: &UserId, archived: bool) -> StoreResult<()> {
        self.set_all_archived(user_id, archived).await
    }

    async fn mark_read(
        &self,
        user_id: &UserId,
        folder_ids: Option<&[FolderId]>,
        now: i64,
    ) -> StoreResult<u64> {
        self.mark_chats_read(user_id, folder_ids, now).await
    }

    async fn unread_by_folder(&self, user_id: &UserId) -> StoreResult<HashMap<FolderId, u64>> {
        self.unread_counts_by_folder(user_id).await
    }

    async fn move_out_of_folders(
        &self,
        user_id: &UserId,
        folder_ids: &[FolderId],
        target: Option<&FolderId>,
    ) -> StoreResult<()> {
        self.move_chats_out_of(user_id, folder_ids, target).await
    }

    async fn delete_in_folders(
        &self,
        user_id: &UserId,
        folder_ids: &[FolderId],
    ) -> StoreResult<()> {
        let condition = Condition::all()
            .add(chat::Column::UserId.eq(user_id.as_str()))
            .add(chat::Column::FolderId.is_in(folder_ids.iter().map(FolderId::as_str)));
        self.delete_chats_where(condition).await.map(|_| ())
    }

    async fn tags(&self, user_id: &UserId) -> StoreResult<Vec<Tag>> {
        self.user_tags(user_id).await
    }

    async fn ensure_tag(&self, tag: &Tag) -> StoreResult<()> {
        self.insert_tag(tag).await
    }

    async fn delete_unused_tags(&self, user_id: &UserId) -> StoreResult<()> {
        self.remove_unused_tags(user_id).await
    }

    async fn search(&self, user_id: &UserId, search: &ChatSearch) -> StoreResult<Vec<ChatTitle>> {
        self.search_titles(user_id, search).await
    }

    async fn titles_with_tag(
        &self,
        user_id: &UserId,
        tag_id: &str,
        offset: u64,
        limit: u64,
    ) -> StoreResult<Vec<ChatTitle>> {
        self.tagged_titles(user_id, tag_id, offset, limit).await
    }
}
