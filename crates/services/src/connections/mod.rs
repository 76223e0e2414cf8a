//! The admin's model server connections (Open WebUI's `routers/openai.py` and
//! `routers/ollama.py`): reading, replacing and verifying them, their model lists, and the
//! per-API completion proxies.

pub mod ollama;
pub mod openai;

use crate::error::{ServiceError, ServiceResult};
use serde_json::{Map, Value};

/// Settings of connections that no longer exist are dropped.
pub fn configs_for(urls: usize, configs: Map<String, Value>) -> Map<String, Value> {
    configs
        .into_iter()
        .filter(|(key, _)| key.parse::<usize>().is_ok_and(|i| i < urls))
        .collect()
}

/// Checks a base URL before it is saved.
pub fn checked_url(url: &str) -> ServiceResult<String> {
    let url = url.trim().trim_end_matches('/');
    if !(url.starts_with("http://") || url.starts_with("https://")) || url.contains('\0') {
        return Err(ServiceError::invalid(format!(
            "Invalid connection URL: {url:?} (expected http:// or https://)"
        )));
    }
    Ok(url.to_owned())
}

/// "Connection not found".
fn no_connection() -> ServiceError {
    ServiceError::not_found("Connection not found")
}
