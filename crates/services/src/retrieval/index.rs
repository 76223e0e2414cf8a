//! Indexing text: chunks, embedded, into a collection — a file's own `file-{id}`, a knowledge
//! base's id, or any collection named by `/api/v1/retrieval/process/text`.

use super::config::{chunks, enabled, engine};
use crate::App;
use hearth_domain::file::StoredFile;
use hearth_domain::ports::ChunkItem;
use serde_json::{Map, Value, json};

/// What goes from the collection before the new chunks come in.
#[derive(Clone, Copy, Debug)]
pub enum Replace<'a> {
    /// Every chunk of the collection.
    Collection,
    /// The chunks of this file (`metadata.file_id`).
    File(&'a str),
    /// Nothing: the chunks are added.
    Nothing,
}

/// Indexes `text` as the file's chunks in its own collection `file-{id}`; the collection's
/// name, or `None` when embedding is off or cannot run here (the file's whole text then
/// serves). The error is the file's processing error.
pub async fn index_file(
    app: &App,
    file: &StoredFile,
    text: &str,
    hash: &str,
) -> Result<Option<String>, String> {
    let collection = format!("file-{}", file.id.as_str());
    let done = index_into(app, &collection, file, text, hash, true).await?;
    Ok(done.then_some(collection))
}

/// The metadata every chunk of a file carries.
fn file_metadata(file: &StoredFile, hash: &str) -> Map<String, Value> {
    let mut metadata = Map::new();
    metadata.insert("file_id".into(), Value::from(file.id.as_str()));
    metadata.insert("name".into(), Value::from(file.name()));
    metadata.insert("source".into(), Value::from(file.name()));
    metadata.insert("created_by".into(), Value::from(file.user_id.as_str()));
    metadata.insert("hash".into(), Value::from(hash));
    metadata
}

/// Indexes a file's chunks into `collection`, replacing its earlier chunks there
/// (`replace_all`: the whole collection); false when embedding is off or nothing to index.
pub async fn index_into(
    app: &App,
    collection: &str,
    file: &StoredFile,
    text: &str,
    hash: &str,
    replace_all: bool,
) -> Result<bool, String> {
    let replace = if replace_all {
        Replace::Collection
    } else {
        Replace::File(file.id.as_str())
    };
    let chunks = index_text(app, collection, text, file_metadata(file, hash), replace).await?;
    Ok(chunks > 0)
}

/// Indexes `text` into `collection`, each chunk with `metadata` plus its number and the
/// embedding engine; how many chunks (0 when embedding is off or the text is empty).
pub async fn index_text(
    app: &App,
    collection: &str,
    text: &str,
    metadata: Map<String, Value>,
    replace: Replace<'_>,
) -> Result<usize, String> {
    if !enabled(app) {
        return Ok(0);
    }
    let chunks = chunks(app, text);
    if chunks.is_empty() {
        return Ok(0);
    }
    let engine = engine(app);
    let texts: Vec<String> = chunks.iter().map(|c| c.replace('\n', " ")).collect();
    let vectors = app.retrieval.embedder.embed(&engine, texts).await?;
    let store = &app.retrieval.vectors;
    let cleared = match replace {
        Replace::Collection => store.delete_collection(collection).await,
        Replace::File(id) => store.delete_file(collection, id).await,
        Replace::Nothing => Ok(()),
    };
    cleared.map_err(|e| e.to_string())?;
    let count = chunks.len();
    let items = chunks
        .into_iter()
        .zip(vectors)
        .enumerate()
        .map(|(index, (text, vector))| {
            let mut metadata = metadata.clone();
            metadata.insert("chunk".into(), Value::from(index));
            metadata.insert(
                "embedding_config".into(),
                json!({"engine": engine.engine, "model": engine.model}),
            );
            ChunkItem {
                id: uuid::Uuid::new_v4().to_string(),
                text,
                vector,
                metadata,
            }
        })
        .collect();
    store
        .insert(collection, items)
        .await
        .map_err(|e| e.to_string())?;
    Ok(count)
}
