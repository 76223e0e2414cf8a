//! Retrieval (Open WebUI's `routers/retrieval.py` and `retrieval/utils.py` use cases): a
//! processed file's text is split into chunks, embedded with the configured engine and kept
//! in the collection `file-{id}`; a chat question is embedded and the closest chunks of the
//! attached files are what the model is given, with their sources for citations.

mod config;
mod index;
pub mod ports;
mod search;
pub mod settings;

pub use config::{enabled, engine, splitter, top_k};
pub use index::{index_file, index_into};
pub use search::{Passages, passages};
