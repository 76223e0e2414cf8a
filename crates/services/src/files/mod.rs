//! Uploaded files (Open WebUI's `routers/files.py` use cases): upload with limits, listing
//! and search, reading the record, the extracted text and the bytes, editing the text,
//! renaming and deleting; and the background jobs that extract text (`pending →
//! processing → completed | failed`), which always end, even across a restart.

mod access;
pub mod attach;
pub mod dto;
mod limits;
mod manage;
pub mod ports;
mod process;
mod read;
mod upload;

pub use access::readable_file;
pub(crate) use access::{Need, file_for};
pub use limits::{max_size_mb, too_large};
pub use manage::{delete, delete_all, purge, rename, update_content};
pub(crate) use process::index_and_record;
pub use process::recover_unfinished;
pub use read::{
    ContentKind, Download, count, data_content, download, get, list, search, status, status_events,
};
pub use upload::{Upload, upload};

pub use ports::FileServices;
pub use process::EMPTY_CONTENT;
