//! The retrieval settings of the live configuration (`rag.*`).

use crate::App;
use hearth_domain::ports::EmbeddingEngine;
use hearth_domain::retrieval::chunking::Splitter;
use serde_json::Value;

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

/// How many chunks a question retrieves (`rag.top_k`).
pub fn top_k(app: &App) -> usize {
    usize::try_from(number(app, "rag.top_k", 3)).unwrap_or(3)
}
