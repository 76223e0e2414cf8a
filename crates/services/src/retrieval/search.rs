//! Answering a question from files: the closest chunks of their collections, as
//! `<source>` context and as the `sources` the web client shows as citations.

use super::config::{enabled, engine, top_k};
use crate::App;
use hearth_domain::file::StoredFile;
use serde_json::{Value, json};

/// What the model is given and what the client is shown.
#[derive(Debug, Default)]
pub struct Passages {
    /// `<source id="n" name="...">text</source>` lines.
    pub context: String,
    /// Open WebUI's `sources`: `[{source: {id, name, type}, document: [..], metadata: [..], distances: [..]}]`.
    pub sources: Vec<Value>,
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('"', "&quot;")
        .replace('<', "&lt;")
}

/// The passages of `files` for `query`: the top chunks of the files that are indexed, the
/// whole text of those that are not.
pub async fn passages(app: &App, files: &[StoredFile], query: &str) -> Passages {
    let mut found = Passages::default();
    let indexed: Vec<&StoredFile> = files
        .iter()
        .filter(|f| {
            f.meta
                .get("collection_name")
                .and_then(Value::as_str)
                .is_some()
        })
        .collect();
    let mut number = 0;
    let mut add = |file: &StoredFile, texts: Vec<String>, scores: Vec<f32>| {
        number += 1;
        let name = escape(file.name());
        for text in &texts {
            found.context.push_str(&format!(
                "<source id=\"{number}\" name=\"{name}\">{text}</source>\n"
            ));
        }
        let metadata: Vec<Value> = texts
            .iter()
            .map(|_| json!({"source": file.name(), "name": file.name(), "file_id": file.id.as_str()}))
            .collect();
        found.sources.push(json!({
            "source": {"id": file.id.as_str(), "name": file.name(), "type": "file"},
            "document": texts, "metadata": metadata, "distances": scores,
        }));
    };
    let hits = if indexed.is_empty() || !enabled(app) || query.trim().is_empty() {
        Vec::new()
    } else {
        search(app, &indexed, query).await
    };
    for file in files {
        let mine: Vec<_> = hits
            .iter()
            .filter(|h| h.metadata.get("file_id").and_then(Value::as_str) == Some(file.id.as_str()))
            .collect();
        if !mine.is_empty() {
            add(
                file,
                mine.iter().map(|h| h.text.clone()).collect(),
                mine.iter().map(|h| h.score).collect(),
            );
        } else if let Some(text) = file
            .content()
            .filter(|t| !t.trim().is_empty())
            .filter(|_| !hits_cover(file, &indexed, &hits))
        {
            add(file, vec![text.to_owned()], vec![1.0]);
        }
    }
    found.context = found.context.trim().to_owned();
    found
}

/// Whether an indexed file was searched (then no hit means nothing relevant, not "use the
/// whole text").
fn hits_cover(
    file: &StoredFile,
    indexed: &[&StoredFile],
    hits: &[hearth_domain::ports::ChunkHit],
) -> bool {
    !hits.is_empty() && indexed.iter().any(|f| f.id == file.id)
}

async fn search(
    app: &App,
    files: &[&StoredFile],
    query: &str,
) -> Vec<hearth_domain::ports::ChunkHit> {
    let engine = engine(app);
    let vector = match app
        .retrieval
        .embedder
        .embed(&engine, vec![query.to_owned()])
        .await
    {
        Ok(mut vectors) if !vectors.is_empty() => vectors.swap_remove(0),
        Ok(_) => return Vec::new(),
        Err(e) => {
            tracing::warn!(error = %e, "embedding a question failed; sending whole files");
            return Vec::new();
        }
    };
    let collections: Vec<String> = files
        .iter()
        .filter_map(|f| {
            f.meta
                .get("collection_name")
                .and_then(Value::as_str)
                .map(str::to_owned)
        })
        .collect();
    match app
        .retrieval
        .vectors
        .search(&collections, &vector, top_k(app))
        .await
    {
        Ok(hits) => hits,
        Err(e) => {
            tracing::warn!(error = %e, "searching chunks failed; sending whole files");
            Vec::new()
        }
    }
}
