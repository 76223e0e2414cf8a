//! Retrieval: the embedding engine and how documents are split and searched, with Open
//! WebUI's variables. Each is seeded into its `rag.*` config key when set; afterwards Admin ▸
//! Settings ▸ Documents changes them.

use crate::parse;
use clap::Args;
use serde_json::{Value, json};

/// Embedding and retrieval defaults.
#[derive(Clone, Debug, PartialEq, Args)]
pub struct RetrievalSettings {
    /// Embedding engine: `` (the local model), `openai` or `ollama` (`rag.embedding_engine`).
    #[arg(
        id = "RAG_EMBEDDING_ENGINE",
        long = "rag-embedding-engine",
        env = "RAG_EMBEDDING_ENGINE",
        value_name = "RAG_EMBEDDING_ENGINE"
    )]
    pub embedding_engine: Option<String>,
    /// Embedding model (`rag.embedding_model`; default sentence-transformers/all-MiniLM-L6-v2).
    #[arg(
        id = "RAG_EMBEDDING_MODEL",
        long = "rag-embedding-model",
        env = "RAG_EMBEDDING_MODEL",
        value_name = "RAG_EMBEDDING_MODEL"
    )]
    pub embedding_model: Option<String>,
    /// Texts per embedding request (`rag.embedding_batch_size`; default 1).
    #[arg(
        id = "RAG_EMBEDDING_BATCH_SIZE",
        long = "rag-embedding-batch-size",
        env = "RAG_EMBEDDING_BATCH_SIZE",
        value_name = "RAG_EMBEDDING_BATCH_SIZE"
    )]
    pub embedding_batch_size: Option<u32>,
    /// OpenAI-compatible embedding server (`rag.openai.api_base_url`).
    #[arg(
        id = "RAG_OPENAI_API_BASE_URL",
        long = "rag-openai-api-base-url",
        env = "RAG_OPENAI_API_BASE_URL",
        value_name = "RAG_OPENAI_API_BASE_URL"
    )]
    pub openai_base_url: Option<String>,
    /// Its key (`rag.openai.api_key`).
    #[arg(
        id = "RAG_OPENAI_API_KEY",
        long = "rag-openai-api-key",
        env = "RAG_OPENAI_API_KEY",
        value_name = "RAG_OPENAI_API_KEY",
        hide_env_values = true
    )]
    pub openai_key: Option<String>,
    /// Ollama embedding server (`rag.ollama.base_url`).
    #[arg(
        id = "RAG_OLLAMA_BASE_URL",
        long = "rag-ollama-base-url",
        env = "RAG_OLLAMA_BASE_URL",
        value_name = "RAG_OLLAMA_BASE_URL"
    )]
    pub ollama_base_url: Option<String>,
    /// Its key (`rag.ollama.api_key`).
    #[arg(
        id = "RAG_OLLAMA_API_KEY",
        long = "rag-ollama-api-key",
        env = "RAG_OLLAMA_API_KEY",
        value_name = "RAG_OLLAMA_API_KEY",
        hide_env_values = true
    )]
    pub ollama_key: Option<String>,
    /// Characters per chunk (`rag.chunk_size`; default 1000).
    #[arg(
        id = "CHUNK_SIZE",
        long = "chunk-size",
        env = "CHUNK_SIZE",
        value_name = "CHUNK_SIZE"
    )]
    pub chunk_size: Option<u32>,
    /// Characters shared by neighbouring chunks (`rag.chunk_overlap`; default 100).
    #[arg(
        id = "CHUNK_OVERLAP",
        long = "chunk-overlap",
        env = "CHUNK_OVERLAP",
        value_name = "CHUNK_OVERLAP"
    )]
    pub chunk_overlap: Option<u32>,
    /// Chunks a question retrieves (`rag.top_k`; default 3).
    #[arg(
        id = "RAG_TOP_K",
        long = "rag-top-k",
        env = "RAG_TOP_K",
        value_name = "RAG_TOP_K"
    )]
    pub top_k: Option<u32>,
    /// Folder of the local embedding model (engine ``): config.json, tokenizer.json and
    /// model.safetensors of all-MiniLM-L6-v2 (default:
    /// DATA_DIR/cache/embedding/models/all-MiniLM-L6-v2, fetched by scripts/serve).
    #[arg(
        id = "RAG_EMBEDDING_MODEL_DIR",
        long = "rag-embedding-model-dir",
        env = "RAG_EMBEDDING_MODEL_DIR",
        value_name = "RAG_EMBEDDING_MODEL_DIR"
    )]
    pub model_dir: Option<std::path::PathBuf>,
    /// Send attached documents whole, without embedding (`rag.bypass_embedding_and_retrieval`).
    #[arg(id = "BYPASS_EMBEDDING_AND_RETRIEVAL", long = "bypass-embedding-and-retrieval", env = "BYPASS_EMBEDDING_AND_RETRIEVAL", value_name = "BYPASS_EMBEDDING_AND_RETRIEVAL", value_parser = parse::flag)]
    pub bypass: Option<bool>,
}

impl RetrievalSettings {
    /// The folder of the local embedding model, given the data folder.
    pub fn model_dir(&self, data_dir: &std::path::Path) -> std::path::PathBuf {
        self.model_dir
            .clone()
            .unwrap_or_else(|| data_dir.join("cache/embedding/models/all-MiniLM-L6-v2"))
    }

    /// The config-table defaults of the variables that are set.
    pub(crate) fn config_defaults(&self) -> Vec<(String, Value)> {
        let entries = [
            (
                "rag.embedding_engine",
                self.embedding_engine.as_ref().map(|v| json!(v.trim())),
            ),
            (
                "rag.embedding_model",
                self.embedding_model.as_ref().map(|v| json!(v)),
            ),
            (
                "rag.embedding_batch_size",
                self.embedding_batch_size.map(|v| json!(v.max(1))),
            ),
            (
                "rag.openai.api_base_url",
                self.openai_base_url
                    .as_ref()
                    .map(|v| json!(v.trim_end_matches('/'))),
            ),
            (
                "rag.openai.api_key",
                self.openai_key.as_ref().map(|v| json!(v)),
            ),
            (
                "rag.ollama.base_url",
                self.ollama_base_url
                    .as_ref()
                    .map(|v| json!(v.trim_end_matches('/'))),
            ),
            (
                "rag.ollama.api_key",
                self.ollama_key.as_ref().map(|v| json!(v)),
            ),
            ("rag.chunk_size", self.chunk_size.map(|v| json!(v.max(1)))),
            ("rag.chunk_overlap", self.chunk_overlap.map(|v| json!(v))),
            ("rag.top_k", self.top_k.map(|v| json!(v.max(1)))),
            (
                "rag.bypass_embedding_and_retrieval",
                self.bypass.map(|v| json!(v)),
            ),
        ];
        entries
            .into_iter()
            .filter_map(|(key, value)| value.map(|v| (key.to_owned(), v)))
            .collect()
    }
}
