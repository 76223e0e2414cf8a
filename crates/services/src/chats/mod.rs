//! The chat history (Open WebUI's `routers/chats.py` use cases): chats and their documents,
//! lists and search, pins, archive, folders, tags, sharing, branches, export and import.

pub mod access;
pub mod admin;
pub mod branches;
pub mod crud;
pub mod dto;
pub mod flags;
pub mod forms;
pub mod lists;
pub mod share;
pub mod tags;
pub mod transfer;

/// Chats per page of the main lists.
pub const PAGE_SIZE: u64 = 60;
/// Chats per page of a folder's list.
pub const FOLDER_PAGE_SIZE: u64 = 10;

/// Page `page` (from 1) of `size`: `(offset, Some(size))`, or everything without a page.
pub fn paging(page: Option<i64>, size: u64) -> (u64, Option<u64>) {
    match page {
        Some(page) => {
            let page = u64::try_from(page.max(1)).unwrap_or(1);
            (
                (page - 1).saturating_mul(size).min(i64::MAX as u64),
                Some(size),
            )
        }
        None => (0, None),
    }
}
