//! Indexing a file: chunks of its text, embedded, into its own collection `file-{id}` or a
//! knowledge base's collection.

use super::config::{enabled, engine, splitter};
use crate::App;
use hearth_domain::file::StoredFile;
use hearth_domain::ports::{ChunkItem, EmbeddingEngine};
use serde_json::{Map, Value, json};

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

fn metadata(
    file: &StoredFile,
    hash: &str,
    index: usize,
    engine: &EmbeddingEngine,
) -> Map<String, Value> {
    let mut metadata = Map::new();
    metadata.insert("file_id".into(), Value::from(file.id.as_str()));
    metadata.insert("name".into(), Value::from(file.name()));
    metadata.insert("source".into(), Value::from(file.name()));
    metadata.insert("created_by".into(), Value::from(file.user_id.as_str()));
    metadata.insert("hash".into(), Value::from(hash));
    metadata.insert("chunk".into(), Value::from(index));
    metadata.insert(
        "embedding_config".into(),
        json!({"engine": engine.engine, "model": engine.model}),
    );
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
    if !enabled(app) {
        return Ok(false);
    }
    let chunks = splitter(app).split(text);
    if chunks.is_empty() {
        return Ok(false);
    }
    let engine = engine(app);
    let texts: Vec<String> = chunks.iter().map(|c| c.replace('\n', " ")).collect();
    let vectors = app.retrieval.embedder.embed(&engine, texts).await?;
    let store = &app.retrieval.vectors;
    let cleared = if replace_all {
        store.delete_collection(collection).await
    } else {
        store.delete_file(collection, file.id.as_str()).await
    };
    cleared.map_err(|e| e.to_string())?;
    let items = chunks
        .into_iter()
        .zip(vectors)
        .enumerate()
        .map(|(index, (text, vector))| ChunkItem {
            id: uuid::Uuid::new_v4().to_string(),
            text,
            vector,
            metadata: metadata(file, hash, index, &engine),
        })
        .collect();
    store
        .insert(collection, items)
        .await
        .map_err(|e| e.to_string())?;
    Ok(true)
}
