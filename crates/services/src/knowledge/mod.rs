//! Knowledge bases (Open WebUI's `routers/knowledge.py` use cases): the caller's and shared
//! knowledge bases, creating, renaming, sharing and deleting them, and adding or removing
//! files, whose chunks are indexed into the knowledge base's collection.

mod access;
pub mod dto;
mod files;
mod listing;
mod manage;

pub use files::{add_file, files, remove_file, search_files};
pub use manage::{create, delete, get, list, update, update_access};
