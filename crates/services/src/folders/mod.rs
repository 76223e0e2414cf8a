//! Chat folders (Open WebUI's `routers/folders.py` use cases): the caller's folder tree with
//! unread counts, creating, renaming, moving, opening, marking read and deleting folders.

mod access;
pub mod dto;
mod manage;
mod page;

pub use manage::{
    create, get, list, mark_read, remove, shared, update, update_expanded, update_parent,
};
pub use page::{FolderChatsParams, page_chats};
