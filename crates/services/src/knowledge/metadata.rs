//! The `knowledge-bases` collection: one chunk per knowledge base (its name and description),
//! so knowledge bases themselves can be searched by meaning, as Open WebUI keeps it. Written
//! on create and update, removed on delete, rebuilt by an admin.

use crate::App;
use crate::error::{ServiceError, ServiceResult};
use crate::messages as msg;
use crate::retrieval::{enabled, engine};
use hearth_domain::knowledge::Knowledge;
use hearth_domain::ports::ChunkItem;
use hearth_domain::{Role, User};
use serde_json::{Map, Value, json};

/// The collection's name.
pub const COLLECTION: &str = "knowledge-bases";

/// Embeds a knowledge base's name and description into [`COLLECTION`] (replacing its earlier
/// chunk); false when embedding is off or failed (logged).
pub async fn embed(app: &App, knowledge: &Knowledge) -> bool {
    if !enabled(app) {
        return false;
    }
    let text = if knowledge.description.is_empty() {
        knowledge.name.clone()
    } else {
        format!("{}\n\n{}", knowledge.name, knowledge.description)
    };
    let Some(vector) = vector_of(app, &text).await else {
        return false;
    };
    let mut metadata = Map::new();
    let id = Value::from(knowledge.id.as_str());
    metadata.insert("knowledge_base_id".into(), id.clone());
    // The store removes one item's chunks by `file_id`.
    metadata.insert("file_id".into(), id);
    let store = &app.retrieval.vectors;
    let item = ChunkItem {
        id: knowledge.id.as_str().to_owned(),
        text,
        vector,
        metadata,
    };
    let stored = match store.delete_file(COLLECTION, knowledge.id.as_str()).await {
        Ok(()) => store.insert(COLLECTION, vec![item]).await,
        Err(e) => Err(e),
    };
    if let Err(e) = stored {
        tracing::warn!(error = %e, "storing a knowledge base's description failed");
        return false;
    }
    true
}

/// The embedding of `text`; `None` when it cannot be made (logged).
async fn vector_of(app: &App, text: &str) -> Option<Vec<f32>> {
    let embedded = app
        .retrieval
        .embedder
        .embed(&engine(app), vec![text.to_owned()])
        .await;
    match embedded {
        Ok(mut vectors) if !vectors.is_empty() => Some(vectors.swap_remove(0)),
        Ok(_) => None,
        Err(e) => {
            tracing::warn!(error = %e, "embedding a knowledge base's description failed");
            None
        }
    }
}

/// Removes a deleted knowledge base's chunk from [`COLLECTION`].
pub async fn forget(app: &App, knowledge: &Knowledge) {
    let removed = app
        .retrieval
        .vectors
        .delete_file(COLLECTION, knowledge.id.as_str())
        .await;
    if let Err(e) = removed {
        tracing::warn!(error = %e, "removing a knowledge base's description failed");
    }
}

/// Rebuilds [`COLLECTION`] from every knowledge base (admins): `{total, success}`.
pub async fn reindex(app: &App, user: &User) -> ServiceResult<Value> {
    if user.role != Role::Admin {
        return Err(ServiceError::unauthorized(msg::UNAUTHORIZED));
    }
    let all = app.storage.knowledge().knowledge_bases().await?;
    if let Err(e) = app.retrieval.vectors.delete_collection(COLLECTION).await {
        tracing::warn!(error = %e, "clearing the knowledge bases' descriptions failed");
    }
    let mut success = 0_u64;
    for knowledge in &all {
        if embed(app, knowledge).await {
            success += 1;
        }
    }
    Ok(json!({"total": all.len(), "success": success}))
}
