//! Ports: the capabilities Hearth needs from storage, model servers, realtime delivery and
//! background tasks, as object-safe traits. `hearth-persistence`, `hearth-providers`,
//! `hearth-realtime`, `hearth-tasks` and `hearth-usage` implement them; tests implement
//! them in memory.

mod accounts;
mod chats;
mod events;
mod files;
mod knowledge;
mod models;
mod retrieval;
mod storage;
mod tasks;
mod upkeep;
mod usage;
mod web;

pub use crate::Storage;
pub use crate::provider::ModelServers;
pub use accounts::{ApiKeyStore, ConfigStore, CredentialStore, HealthCheck, OAuthStore, UserStore};
pub use chats::{ChatStore, ChatWithMessages, DocumentEdit, Edited, FolderStore, ShareStore};
pub use events::{Clients, chat_room, user_room};
pub use files::{
    BlobError, ByteStream, ContentKind, Extracted, FileBlobs, FileStore, TextExtractor,
};
pub use knowledge::KnowledgeStore;
pub use models::ModelStore;
pub use retrieval::{
    ChunkHit, ChunkItem, Embedder, EmbeddingEngine, LocalEmbedding, RerankEngine, Reranker,
    Tokenizer, VectorError, VectorStore,
};
pub(crate) use storage::storage;
pub use tasks::{StopSignal, TaskBody, TaskFuture, TaskRunner};
pub use upkeep::{ExpiredChat, UpkeepStore};
pub use usage::UsageCounters;
pub use web::{WebFetchError, WebPage, WebPages};
