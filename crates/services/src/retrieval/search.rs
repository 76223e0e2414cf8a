//! Answering a question from files and knowledge bases: the closest chunks of their
//! collections, as `<source>` context and as the `sources` the web client shows as citations.

use super::config::{enabled, engine, top_k};
use crate::App;
use hearth_domain::file::StoredFile;
use hearth_domain::knowledge::Knowledge;
use hearth_domain::ports::ChunkHit;
use serde_json::{Value, json};

/// What the model is given and what the client is shown.
#[derive(Debug, Default)]
pub struct Passages {
    /// `<source id="n" name="...">text</source>` lines.
    pub context: String,
    /// Open WebUI's `sources`: `[{source: {id, name, type}, document, metadata, distances}]`.
    pub sources: Vec<Value>,
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('"', "&quot;")
        .replace('<', "&lt;")
}

impl Passages {
    fn add(&mut self, source: Value, hits: &[&ChunkHit]) {
        let number = self.sources.len() + 1;
        let name = escape(source["name"].as_str().unwrap_or_default());
        for hit in hits {
            self.context.push_str(&format!(
                "<source id=\"{number}\" name=\"{name}\">{}</source>\n",
                hit.text
            ));
        }
        let metadata: Vec<Value> = hits
            .iter()
            .map(|h| Value::Object(h.metadata.clone()))
            .collect();
        let documents: Vec<&str> = hits.iter().map(|h| h.text.as_str()).collect();
        let distances: Vec<f32> = hits.iter().map(|h| h.score).collect();
        self.sources.push(json!({
            "source": source, "document": documents, "metadata": metadata, "distances": distances,
        }));
    }
}

fn collection_of(file: &StoredFile) -> Option<&str> {
    file.meta.get("collection_name").and_then(Value::as_str)
}

/// The passages of `files` and `knowledge` bases for `query`: the top chunks of what is
/// indexed, the whole text of files that are not (or when the search cannot run).
pub async fn passages(
    app: &App,
    files: &[StoredFile],
    knowledge: &[Knowledge],
    query: &str,
) -> Passages {
    let mut collections: Vec<String> = files
        .iter()
        .filter_map(collection_of)
        .map(str::to_owned)
        .collect();
    collections.extend(knowledge.iter().map(|k| k.id.as_str().to_owned()));
    let searched = !collections.is_empty() && enabled(app) && !query.trim().is_empty();
    let hits = if searched {
        search(app, &collections, query).await
    } else {
        None
    };
    let mut found = Passages::default();
    for base in knowledge {
        let mine: Vec<&ChunkHit> = hits
            .iter()
            .flatten()
            .filter(|h| h.collection == base.id.as_str())
            .collect();
        if !mine.is_empty() {
            found.add(
                json!({"id": base.id.as_str(), "name": base.name, "type": "collection"}),
                &mine,
            );
        }
    }
    for file in files {
        let source = json!({"id": file.id.as_str(), "name": file.name(), "type": "file"});
        match (collection_of(file), &hits) {
            (Some(collection), Some(hits)) => {
                let mine: Vec<&ChunkHit> =
                    hits.iter().filter(|h| h.collection == collection).collect();
                if !mine.is_empty() {
                    found.add(source, &mine);
                }
            }
            _ => {
                if let Some(text) = file.content().filter(|t| !t.trim().is_empty()) {
                    let whole = ChunkHit {
                        id: file.id.as_str().to_owned(),
                        collection: String::new(),
                        text: text.to_owned(),
                        metadata: json!({"source": file.name(), "name": file.name(), "file_id": file.id.as_str()})
                            .as_object()
                            .cloned()
                            .unwrap_or_default(),
                        score: 1.0,
                    };
                    found.add(source, &[&whole]);
                }
            }
        }
    }
    found.context = found.context.trim().to_owned();
    found
}

/// The closest chunks of the collections; `None` when the question cannot be embedded or
/// searched (whole files serve then).
async fn search(app: &App, collections: &[String], query: &str) -> Option<Vec<ChunkHit>> {
    let engine = engine(app);
    let vector = match app
        .retrieval
        .embedder
        .embed(&engine, vec![query.to_owned()])
        .await
    {
        Ok(mut vectors) if !vectors.is_empty() => vectors.swap_remove(0),
        Ok(_) => return None,
        Err(e) => {
            tracing::warn!(error = %e, "embedding a question failed; sending whole files");
            return None;
        }
    };
    match app
        .retrieval
        .vectors
        .search(collections, &vector, top_k(app))
        .await
    {
        Ok(hits) => Some(hits),
        Err(e) => {
            tracing::warn!(error = %e, "searching chunks failed; sending whole files");
            None
        }
    }
}
