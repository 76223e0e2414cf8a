//! Indexing into a collection: a text under a name, or a file (its new text, or its stored
//! text into a knowledge base's collection, or again into its own).

use super::access::check;
use super::dto::{ProcessFileForm, ProcessTextForm, Processed};
use crate::App;
use crate::error::{ServiceError, ServiceResult};
use crate::files::dto::ContentForm;
use crate::files::{EMPTY_CONTENT, Need, file_for, index_and_record, update_content};
use crate::retrieval::{Replace, index_into, index_text};
use hearth_domain::User;
use hearth_domain::ids::FileId;
use hearth_domain::text::strip_nul;
use serde_json::{Map, Value};
use sha2::{Digest, Sha256};

pub(super) fn sha256_hex(text: &str) -> String {
    Sha256::digest(text.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// Adds a text's chunks to the named collection (the caller must be able to add to it), or
/// to a collection named by the text's SHA-256.
pub async fn process_text(
    app: &App,
    user: &User,
    form: ProcessTextForm,
) -> ServiceResult<Processed> {
    let content = strip_nul(&form.content);
    if content.trim().is_empty() {
        return Err(ServiceError::invalid(EMPTY_CONTENT));
    }
    let collection = match form.collection_name.filter(|c| !c.is_empty()) {
        Some(name) => {
            check(app, user, &name, true).await?;
            name
        }
        None => sha256_hex(&content),
    };
    let mut metadata = Map::new();
    metadata.insert("name".into(), Value::from(form.name.clone()));
    metadata.insert("source".into(), Value::from(form.name));
    metadata.insert("created_by".into(), Value::from(user.id.as_str()));
    metadata.insert("hash".into(), Value::from(sha256_hex(&content)));
    let chunks = index_text(app, &collection, &content, metadata, Replace::Nothing)
        .await
        .map_err(ServiceError::invalid)?;
    Ok(Processed {
        status: true,
        collection_name: (chunks > 0).then_some(collection),
        filename: None,
        content,
    })
}

/// Processes a file the caller may change: new text replaces its text (and is indexed into
/// its own collection); a named collection (a knowledge base the caller may add to) gets the
/// file's chunks; with neither, its stored text is indexed into its own collection again.
pub async fn process_file(
    app: &App,
    user: &User,
    form: ProcessFileForm,
) -> ServiceResult<Processed> {
    let id = FileId::from(form.file_id);
    let file = file_for(app, user, &id, Need::Write).await?;
    if let Some(content) = form.content {
        update_content(app, user, &id, ContentForm { content }).await?;
    }
    let file = app.storage.files().file(&id).await?.unwrap_or(file);
    let text = file
        .content()
        .filter(|t| !t.trim().is_empty())
        .map(str::to_owned)
        .ok_or_else(|| ServiceError::invalid(EMPTY_CONTENT))?;
    let hash = file.hash.clone().unwrap_or_else(|| sha256_hex(&text));
    let collection = match form.collection_name.filter(|c| !c.is_empty()) {
        Some(name) => {
            check(app, user, &name, true).await?;
            let indexed = index_into(app, &name, &file, &text, &hash, false)
                .await
                .map_err(ServiceError::invalid)?;
            indexed.then_some(name)
        }
        None => {
            index_and_record(app, &file, &text, &hash)
                .await
                .map_err(ServiceError::invalid)?;
            let own = format!("file-{}", id.as_str());
            app.retrieval
                .vectors
                .has_collection(&own)
                .await
                .unwrap_or(false)
                .then_some(own)
        }
    };
    Ok(Processed {
        status: true,
        collection_name: collection,
        filename: Some(file.name().to_owned()),
        content: text,
    })
}
