//! How retrieval ranks what it finds: hybrid (keyword + vector) search, the relevance
//! threshold, an external reranker, query generation and the text splitter, with Open WebUI's
//! variables. Each is seeded into its `rag.*` / `task.query.*` config key when set;
//! afterwards Admin ▸ Settings ▸ Documents changes them.

use crate::parse;
use clap::Args;
use serde_json::{Value, json};

/// Ranking defaults.
#[derive(Clone, Debug, PartialEq, Args)]
pub struct RankingSettings {
    /// Merge keyword (BM25) and vector search, then rerank (`rag.enable_hybrid_search`).
    #[arg(id = "ENABLE_RAG_HYBRID_SEARCH", long = "enable-rag-hybrid-search", env = "ENABLE_RAG_HYBRID_SEARCH", value_name = "ENABLE_RAG_HYBRID_SEARCH", value_parser = parse::flag)]
    pub hybrid: Option<bool>,
    /// Share of the keyword ranking in hybrid search, 0 to 1 (`rag.hybrid_bm25_weight`; 0.5).
    #[arg(
        id = "RAG_HYBRID_BM25_WEIGHT",
        long = "rag-hybrid-bm25-weight",
        env = "RAG_HYBRID_BM25_WEIGHT",
        value_name = "RAG_HYBRID_BM25_WEIGHT"
    )]
    pub bm25_weight: Option<f64>,
    /// Chunks kept after reranking in hybrid search (`rag.top_k_reranker`; default 3).
    #[arg(
        id = "RAG_TOP_K_RERANKER",
        long = "rag-top-k-reranker",
        env = "RAG_TOP_K_RERANKER",
        value_name = "RAG_TOP_K_RERANKER"
    )]
    pub top_k_reranker: Option<u32>,
    /// Lowest relevance score a chunk needs in hybrid search, 0 for any
    /// (`rag.relevance_threshold`).
    #[arg(
        id = "RAG_RELEVANCE_THRESHOLD",
        long = "rag-relevance-threshold",
        env = "RAG_RELEVANCE_THRESHOLD",
        value_name = "RAG_RELEVANCE_THRESHOLD"
    )]
    pub relevance_threshold: Option<f64>,
    /// Reranker: `` (cosine similarity to the question) or `external` (`rag.reranking_engine`).
    #[arg(
        id = "RAG_RERANKING_ENGINE",
        long = "rag-reranking-engine",
        env = "RAG_RERANKING_ENGINE",
        value_name = "RAG_RERANKING_ENGINE"
    )]
    pub reranking_engine: Option<String>,
    /// Reranking model; the external reranker runs only when one is named
    /// (`rag.reranking_model`).
    #[arg(
        id = "RAG_RERANKING_MODEL",
        long = "rag-reranking-model",
        env = "RAG_RERANKING_MODEL",
        value_name = "RAG_RERANKING_MODEL"
    )]
    pub reranking_model: Option<String>,
    /// The external reranker's URL, used as given (for example `…/v1/rerank`).
    #[arg(
        id = "RAG_EXTERNAL_RERANKER_URL",
        long = "rag-external-reranker-url",
        env = "RAG_EXTERNAL_RERANKER_URL",
        value_name = "RAG_EXTERNAL_RERANKER_URL"
    )]
    pub reranker_url: Option<String>,
    /// Its bearer key.
    #[arg(
        id = "RAG_EXTERNAL_RERANKER_API_KEY",
        long = "rag-external-reranker-api-key",
        env = "RAG_EXTERNAL_RERANKER_API_KEY",
        value_name = "RAG_EXTERNAL_RERANKER_API_KEY",
        hide_env_values = true
    )]
    pub reranker_key: Option<String>,
    /// Seconds to wait for it (default 30).
    #[arg(
        id = "RAG_EXTERNAL_RERANKER_TIMEOUT",
        long = "rag-external-reranker-timeout",
        env = "RAG_EXTERNAL_RERANKER_TIMEOUT",
        value_name = "RAG_EXTERNAL_RERANKER_TIMEOUT"
    )]
    pub reranker_timeout: Option<u32>,
    /// Splitter: `character` (the default) or `token` (`rag.text_splitter`).
    #[arg(
        id = "RAG_TEXT_SPLITTER",
        long = "rag-text-splitter",
        env = "RAG_TEXT_SPLITTER",
        value_name = "RAG_TEXT_SPLITTER"
    )]
    pub text_splitter: Option<String>,
    /// Ask the task model for search queries before retrieving
    /// (`task.query.retrieval.enable`; default true).
    #[arg(id = "ENABLE_RETRIEVAL_QUERY_GENERATION", long = "enable-retrieval-query-generation", env = "ENABLE_RETRIEVAL_QUERY_GENERATION", value_name = "ENABLE_RETRIEVAL_QUERY_GENERATION", value_parser = parse::flag)]
    pub query_generation: Option<bool>,
    /// Its prompt; empty for Open WebUI's (`task.query.prompt_template`).
    #[arg(
        id = "QUERY_GENERATION_PROMPT_TEMPLATE",
        long = "query-generation-prompt-template",
        env = "QUERY_GENERATION_PROMPT_TEMPLATE",
        value_name = "QUERY_GENERATION_PROMPT_TEMPLATE"
    )]
    pub query_template: Option<String>,
}

impl RankingSettings {
    /// The config-table defaults of the variables that are set.
    pub(crate) fn config_defaults(&self) -> Vec<(String, Value)> {
        let text = |v: &Option<String>| v.as_ref().map(|v| json!(v.trim()));
        let entries = [
            ("rag.enable_hybrid_search", self.hybrid.map(|v| json!(v))),
            (
                "rag.hybrid_bm25_weight",
                self.bm25_weight.map(|v| json!(v.clamp(0.0, 1.0))),
            ),
            (
                "rag.top_k_reranker",
                self.top_k_reranker.map(|v| json!(v.max(1))),
            ),
            (
                "rag.relevance_threshold",
                self.relevance_threshold.map(|v| json!(v)),
            ),
            ("rag.reranking_engine", text(&self.reranking_engine)),
            ("rag.reranking_model", text(&self.reranking_model)),
            ("rag.external_reranker_url", text(&self.reranker_url)),
            ("rag.external_reranker_api_key", text(&self.reranker_key)),
            (
                "rag.external_reranker_timeout",
                self.reranker_timeout.map(|v| json!(v.to_string())),
            ),
            ("rag.text_splitter", text(&self.text_splitter)),
            (
                "task.query.retrieval.enable",
                self.query_generation.map(|v| json!(v)),
            ),
            (
                "task.query.prompt_template",
                self.query_template.as_ref().map(|v| json!(v)),
            ),
        ];
        entries
            .into_iter()
            .filter_map(|(key, value)| value.map(|v| (key.to_owned(), v)))
            .collect()
    }
}
