//! Retrieval (Open WebUI's `routers/retrieval.py` and `retrieval/utils.py` use cases): a
//! processed file's text is split into chunks, embedded with the configured engine and kept
//! in the collection `file-{id}`; a chat question is embedded and the closest chunks of the
//! attached files are what the model is given, with their sources for citations.

mod config;
mod index;
pub mod ports;
mod queries;
mod rank;
mod search;
pub mod settings;

pub use config::{Ranking, chunks, enabled, engine, ranking, splitter, top_k};
pub use index::{Replace, index_file, index_into, index_text};
pub use queries::{QUERY_PROMPT, queries};
pub use rank::{Question, rank};
pub use search::{Passages, passages};
