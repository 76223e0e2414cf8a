//! Answering a question from files and knowledge bases: the closest chunks of their
//! collections, as `<source>` context and as the `sources` the web client shows as citations.

use super::config::{Ranking, enabled, engine, ranking};
use super::rank::{Question, rank};
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
        if hits.is_empty() {
            return;
        }
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

/// The passages of `files` and `knowledge` bases for `queries`: for each, its best chunks
/// (ranked as the configuration says), or the whole text of a file that is not indexed (or
/// when the search cannot run).
pub async fn passages(
    app: &App,
    files: &[StoredFile],
    knowledge: &[Knowledge],
    queries: &[String],
) -> Passages {
    let indexed = files.iter().any(|f| collection_of(f).is_some()) || !knowledge.is_empty();
    let questions = if indexed && enabled(app) {
        embed(app, queries).await
    } else {
        None
    };
    let ranking = ranking(app);
    let mut found = Passages::default();
    for base in knowledge {
        let source = json!({"id": base.id.as_str(), "name": base.name, "type": "collection"});
        if let Some(questions) = &questions {
            let hits = best(app, &ranking, base.id.as_str(), questions).await;
            found.add(source, &hits.iter().collect::<Vec<_>>());
        }
    }
    for file in files {
        let source = json!({"id": file.id.as_str(), "name": file.name(), "type": "file"});
        match (collection_of(file), &questions) {
            (Some(collection), Some(questions)) => {
                let hits = best(app, &ranking, collection, questions).await;
                found.add(source, &hits.iter().collect::<Vec<_>>());
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

/// The best chunks of one collection; none when the search fails (logged).
async fn best(
    app: &App,
    ranking: &Ranking,
    collection: &str,
    questions: &[Question],
) -> Vec<ChunkHit> {
    match rank(app, ranking, &[collection.to_owned()], questions).await {
        Ok(hits) => hits,
        Err(e) => {
            tracing::warn!(error = %e, collection, "searching chunks failed");
            Vec::new()
        }
    }
}

/// The non-empty queries with their vectors; `None` when they cannot be embedded (whole
/// files serve then).
async fn embed(app: &App, queries: &[String]) -> Option<Vec<Question>> {
    let texts: Vec<String> = queries
        .iter()
        .map(|q| q.trim())
        .filter(|q| !q.is_empty())
        .map(str::to_owned)
        .collect();
    if texts.is_empty() {
        return None;
    }
    match app
        .retrieval
        .embedder
        .embed(&engine(app), texts.clone())
        .await
    {
        Ok(vectors) if vectors.len() == texts.len() => Some(
            texts
                .into_iter()
                .zip(vectors)
                .map(|(text, vector)| Question { text, vector })
                .collect(),
        ),
        Ok(_) => None,
        Err(e) => {
            tracing::warn!(error = %e, "embedding the queries failed; sending whole files");
            None
        }
    }
}
