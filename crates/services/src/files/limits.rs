//! The upload limits of the live configuration (`rag.file.*`, Open WebUI's
//! `RAG_FILE_MAX_SIZE`, `RAG_FILE_MAX_COUNT`, `RAG_ALLOWED_FILE_EXTENSIONS`).

use crate::App;
use crate::error::ServiceError;
use serde_json::Value;

/// A count or size from the config: a number or a numeric text; unset, zero or unreadable
/// means no limit.
fn positive(value: Option<&Value>) -> Option<u64> {
    let number = match value? {
        Value::Number(n) => n.as_u64(),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }?;
    (number > 0).then_some(number)
}

/// The largest upload in MB (`rag.file.max_size`).
pub fn max_size_mb(app: &App) -> Option<u64> {
    positive(app.view().snapshot.get("rag.file.max_size"))
}

/// The most files one message may attach (`rag.file.max_count`).
pub(crate) fn max_count(app: &App) -> Option<u64> {
    positive(app.view().snapshot.get("rag.file.max_count"))
}

/// The extensions allowed for processing (`rag.file.allowed_extensions`; empty: any).
pub(crate) fn allowed_extensions(app: &App) -> Vec<String> {
    match app.view().snapshot.get("rag.file.allowed_extensions") {
        Some(Value::Array(items)) => items
            .iter()
            .filter_map(Value::as_str)
            .map(|e| e.trim().trim_start_matches('.').to_ascii_lowercase())
            .filter(|e| !e.is_empty())
            .collect(),
        Some(Value::String(text)) => text
            .split(',')
            .map(|e| e.trim().trim_start_matches('.').to_ascii_lowercase())
            .filter(|e| !e.is_empty())
            .collect(),
        _ => Vec::new(),
    }
}

/// Open WebUI's answer to an upload over the size limit.
pub fn too_large(max_mb: u64) -> ServiceError {
    ServiceError::TooLarge(
        format!(
            "Oops! The file you're trying to upload is too large. Please upload a file that is less than {max_mb} MB."
        )
        .into(),
    )
}

/// Refuses more attached files than `rag.file.max_count` allows.
pub(crate) fn check_count(app: &App, count: usize) -> Result<(), ServiceError> {
    match max_count(app) {
        Some(max) if u64::try_from(count).unwrap_or(u64::MAX) > max => Err(ServiceError::invalid(
            format!("[ERROR: You can only attach up to {max} files at a time]"),
        )),
        _ => Ok(()),
    }
}
