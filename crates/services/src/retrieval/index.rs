//! Indexing a file: chunks of its text, embedded, into the collection `file-{id}`.

use super::config::{enabled, engine, splitter};
use crate::App;
use hearth_domain::file::StoredFile;
use hearth_domain::ports::ChunkItem;
use serde_json::{Map, Value};

/// Indexes `text` as the file's chunks; the collection's name, or `None` when embedding is
/// off or cannot run here (the file's whole text then serves). The error is the file's
/// processing error.
pub async fn index_file(
    app: &App,
    file: &StoredFile,
    text: &str,
    hash: &str,
) -> Result<Option<String>, String> {
    if !enabled(app) {
        return Ok(None);
    }
    let chunks = splitter(app).split(text);
    if chunks.is_empty() {
        return Ok(None);
    }
    let engine = engine(app);
    let texts: Vec<String> = chunks.iter().map(|c| c.replace('\n', " ")).collect();
    let vectors = app.retrieval.embedder.embed(&engine, texts).await?;
    let collection = format!("file-{}", file.id.as_str());
    let vectors_store = &app.retrieval.vectors;
    vectors_store
        .delete_collection(&collection)
        .await
        .map_err(|e| e.to_string())?;
    let items = chunks
        .into_iter()
        .zip(vectors)
        .enumerate()
        .map(|(index, (text, vector))| {
            let mut metadata = Map::new();
            metadata.insert("file_id".into(), Value::from(file.id.as_str()));
            metadata.insert("name".into(), Value::from(file.name()));
            metadata.insert("source".into(), Value::from(file.name()));
            metadata.insert("created_by".into(), Value::from(file.user_id.as_str()));
            metadata.insert("hash".into(), Value::from(hash));
            metadata.insert("chunk".into(), Value::from(index));
            metadata.insert(
                "embedding_config".into(),
                serde_json::json!({"engine": engine.engine, "model": engine.model}),
            );
            ChunkItem {
                id: uuid::Uuid::new_v4().to_string(),
                text,
                vector,
                metadata,
            }
        })
        .collect();
    vectors_store
        .insert(&collection, items)
        .await
        .map_err(|e| e.to_string())?;
    Ok(Some(collection))
}
