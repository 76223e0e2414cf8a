//! The retrieval settings of the live configuration (`rag.*`).

use crate::App;
use hearth_domain::ports::{EmbeddingEngine, RerankEngine};
use hearth_domain::retrieval::chunking::Splitter;
use serde_json::Value;
use std::time::Duration;

fn number(app: &App, key: &str, default: u64) -> u64 {
    match app.view().snapshot.get(key) {
        Some(Value::Number(n)) => n.as_u64().unwrap_or(default),
        Some(Value::String(s)) => s.trim().parse().unwrap_or(default),
        _ => default,
    }
}

/// The embedding engine the live configuration names.
pub fn engine(app: &App) -> EmbeddingEngine {
    let view = app.view();
    let engine = view.text("rag.embedding_engine").to_owned();
    let (url, key) = match engine.as_str() {
        "ollama" => ("rag.ollama.base_url", "rag.ollama.api_key"),
        _ => ("rag.openai.api_base_url", "rag.openai.api_key"),
    };
    EmbeddingEngine {
        model: view.text("rag.embedding_model").to_owned(),
        url: view.text(url).to_owned(),
        key: view.text(key).to_owned(),
        batch_size: usize::try_from(number(app, "rag.embedding_batch_size", 1)).unwrap_or(1),
        engine,
    }
}

/// Whether files are embedded at all: not bypassed, and the engine can run here.
pub fn enabled(app: &App) -> bool {
    !app.view().flag("rag.bypass_embedding_and_retrieval")
        && app.retrieval.embedder.can_embed(&engine(app))
}

/// The splitter the live configuration describes.
pub fn splitter(app: &App) -> Splitter {
    Splitter {
        size: usize::try_from(number(app, "rag.chunk_size", 1000)).unwrap_or(1000),
        overlap: usize::try_from(number(app, "rag.chunk_overlap", 100)).unwrap_or(100),
        markdown_headers: app.view().flag("rag.enable_markdown_header_text_splitter"),
    }
}

/// The chunks of `text` as the live configuration splits them: by characters, or by
/// `cl100k_base` tokens when `rag.text_splitter` is `token`.
pub fn chunks(app: &App, text: &str) -> Vec<String> {
    let splitter = splitter(app);
    if app.view().text("rag.text_splitter") == "token" {
        splitter.split_tokens(text, app.retrieval.tokenizer.as_ref())
    } else {
        splitter.split(text)
    }
}

/// How many chunks a question retrieves (`rag.top_k`).
pub fn top_k(app: &App) -> usize {
    usize::try_from(number(app, "rag.top_k", 3)).unwrap_or(3)
}

fn float(app: &App, key: &str, default: f32) -> f32 {
    match app.view().snapshot.get(key) {
        Some(Value::Number(n)) => n.as_f64().map_or(default, |v| v as f32),
        Some(Value::String(s)) => s.trim().parse().unwrap_or(default),
        _ => default,
    }
}

/// How retrieval ranks, from the live configuration.
#[derive(Clone, Debug)]
pub struct Ranking {
    /// Chunks kept per attached item (`rag.top_k`).
    pub top_k: usize,
    /// Hybrid search (`rag.enable_hybrid_search`).
    pub hybrid: bool,
    /// Share of the keyword ranking, 0..1 (`rag.hybrid_bm25_weight`).
    pub bm25_weight: f32,
    /// Chunks kept after reranking (`rag.top_k_reranker`).
    pub top_k_reranker: usize,
    /// Lowest score kept in hybrid search; 0 keeps all (`rag.relevance_threshold`).
    pub threshold: f32,
    /// The external reranker, when `rag.reranking_engine` is `external` and a model is named.
    pub reranker: Option<RerankEngine>,
    /// How long it may take (`rag.external_reranker_timeout` seconds; default 30).
    pub reranker_timeout: Duration,
}

/// The ranking the live configuration describes.
pub fn ranking(app: &App) -> Ranking {
    let view = app.view();
    let external = view.text("rag.reranking_engine") == "external"
        && !view.text("rag.reranking_model").is_empty()
        && !view.text("rag.external_reranker_url").is_empty();
    let reranker = external.then(|| RerankEngine {
        url: view.text("rag.external_reranker_url").to_owned(),
        key: view.text("rag.external_reranker_api_key").to_owned(),
        model: view.text("rag.reranking_model").to_owned(),
    });
    Ranking {
        top_k: top_k(app),
        hybrid: view.flag("rag.enable_hybrid_search"),
        bm25_weight: float(app, "rag.hybrid_bm25_weight", 0.5),
        top_k_reranker: usize::try_from(number(app, "rag.top_k_reranker", 3)).unwrap_or(3),
        threshold: float(app, "rag.relevance_threshold", 0.0),
        reranker,
        reranker_timeout: Duration::from_secs(number(app, "rag.external_reranker_timeout", 30)),
    }
}
