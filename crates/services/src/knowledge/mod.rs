//! Knowledge bases (Open WebUI's `routers/knowledge.py` use cases): the caller's and shared
//! knowledge bases, creating, renaming, sharing and deleting them, and adding or removing
//! files, whose chunks are indexed into the knowledge base's collection, and keeping that
//! index current (re-indexing a file or every knowledge base, emptying one).

mod access;
mod directories;
pub mod dto;
mod export;
mod files;
mod listing;
mod maintain;
mod manage;
mod metadata;
mod sync;

pub use directories::{
    create as create_directory, delete as delete_directory, files, move_file,
    update as update_directory,
};
pub use export::{Export, export};
pub use files::{add_file, pending, pending_events, remove_file, search_files};
pub use maintain::{add_files, reindex, reset, update_file};
pub use manage::{create, delete, get, list, update, update_access};
pub use metadata::{COLLECTION as METADATA_COLLECTION, reindex as reindex_metadata};
pub use sync::{cleanup as sync_cleanup, diff as sync_diff};
