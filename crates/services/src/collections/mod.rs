//! Named collections of chunks (Open WebUI's `/api/v1/retrieval` process, query and reset
//! use cases): indexing a text or a file into a collection, searching collections as the
//! chat does, and clearing them — each collection reachable only by those who may read what
//! it indexes.

mod access;
pub mod dto;
mod maintain;
mod process;
mod query;
mod web;

pub use maintain::{delete_file_chunks, reset_all};
pub use process::{process_file, process_text};
pub use query::{query_collections, query_doc};
pub use web::{INVALID_URL, process_url, process_web};
