//! The connections to model servers, read from the config table (`openai.*`, `ollama.*`),
//! where the admin's connection settings are kept.

use crate::config::ConfigSnapshot;
use crate::config::keys;
use serde_json::{Map, Value};

/// Which API a connection speaks.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Api {
    /// OpenAI-compatible (`/models`, `/chat/completions`, SSE).
    OpenAi,
    /// Ollama (`/api/tags`, `/api/chat`, NDJSON).
    Ollama,
}

impl Api {
    /// Name used in messages.
    pub fn label(self) -> &'static str {
        match self {
            Self::OpenAi => "OpenAI",
            Self::Ollama => "Ollama",
        }
    }
}

/// One connection: a base URL, its key, and its per-connection settings.
#[derive(Clone, Debug, PartialEq)]
pub struct Connection {
    /// Which API it speaks.
    pub api: Api,
    /// Position in the URL list (the `urlIdx` of its models).
    pub idx: usize,
    /// Base URL without a trailing slash (`http://host:8000/v1`, `http://host:11434`).
    pub url: String,
    /// Bearer key; empty for none.
    pub key: String,
    /// Whether the connection is used (`enable`, default true).
    pub enabled: bool,
    /// Prepended to model ids as `{prefix}.{id}` (`prefix_id`).
    pub prefix_id: Option<String>,
    /// When not empty, the only models offered (`model_ids`); OpenAI connections then skip
    /// the `/models` call.
    pub model_ids: Vec<String>,
    /// Tags added to each model (`tags`).
    pub tags: Vec<Value>,
    /// `local` or `external` (`connection_type`).
    pub connection_type: String,
    /// Provider label (`provider`), e.g. `llama.cpp`.
    pub provider: String,
    /// Whether the admin saved settings for this connection (models of connections without
    /// settings carry no `connection_type`/`tags` overrides).
    pub configured: bool,
}

impl Connection {
    /// A model id as the server knows it: without this connection's prefix.
    pub fn upstream_model_id<'a>(&self, model_id: &'a str) -> &'a str {
        match &self.prefix_id {
            Some(prefix) => model_id
                .strip_prefix(prefix.as_str())
                .and_then(|rest| rest.strip_prefix('.'))
                .unwrap_or(model_id),
            None => model_id,
        }
    }

    /// A model id as Hearth shows it: with this connection's prefix.
    pub fn public_model_id(&self, upstream_id: &str) -> String {
        match &self.prefix_id {
            Some(prefix) => format!("{prefix}.{upstream_id}"),
            None => upstream_id.to_owned(),
        }
    }

    /// How messages name this connection (never its URL or key).
    pub fn label(&self) -> String {
        format!("{} connection {}", self.api.label(), self.idx)
    }
}

/// All connections, as configured at one moment.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ProviderConfig {
    /// `openai.enable`.
    pub openai_enabled: bool,
    /// OpenAI-compatible connections, by position.
    pub openai: Vec<Connection>,
    /// `ollama.enable`.
    pub ollama_enabled: bool,
    /// Ollama connections, by position.
    pub ollama: Vec<Connection>,
}

impl ProviderConfig {
    /// Reads the connections from a config snapshot.
    pub fn from_snapshot(snapshot: &ConfigSnapshot) -> Self {
        let openai_urls = strings(snapshot.get(keys::OPENAI_BASE_URLS));
        let openai_keys = strings(snapshot.get(keys::OPENAI_KEYS));
        let openai_configs = object(snapshot.get(keys::OPENAI_CONFIGS));
        let ollama_urls = strings(snapshot.get(keys::OLLAMA_BASE_URLS));
        let ollama_configs = object(snapshot.get(keys::OLLAMA_CONFIGS));
        let openai = openai_urls
            .iter()
            .enumerate()
            .map(|(idx, url)| {
                let key = openai_keys.get(idx).cloned().unwrap_or_default();
                connection(Api::OpenAi, idx, url, Some(key), &openai_configs)
            })
            .collect();
        let ollama = ollama_urls
            .iter()
            .enumerate()
            .map(|(idx, url)| connection(Api::Ollama, idx, url, None, &ollama_configs))
            .collect();
        Self {
            openai_enabled: snapshot.flag(keys::OPENAI_ENABLE),
            openai,
            ollama_enabled: snapshot.flag(keys::OLLAMA_ENABLE),
            ollama,
        }
    }

    /// The connections of one API that are in use.
    pub fn active(&self, api: Api) -> impl Iterator<Item = &Connection> {
        let (enabled, list) = match api {
            Api::OpenAi => (self.openai_enabled, &self.openai),
            Api::Ollama => (self.ollama_enabled, &self.ollama),
        };
        list.iter().filter(move |c| enabled && c.enabled)
    }

    /// A connection by API and position.
    pub fn get(&self, api: Api, idx: usize) -> Option<&Connection> {
        match api {
            Api::OpenAi => self.openai.get(idx),
            Api::Ollama => self.ollama.get(idx),
        }
    }
}

fn connection(
    api: Api,
    idx: usize,
    url: &str,
    key: Option<String>,
    configs: &Map<String, Value>,
) -> Connection {
    let url = url.trim().trim_end_matches('/').to_owned();
    // Settings are keyed by position; older installs keyed them by URL.
    let settings = configs
        .get(&idx.to_string())
        .or_else(|| configs.get(&url))
        .and_then(Value::as_object);
    let text = |field: &str| {
        settings
            .and_then(|s| s.get(field))
            .and_then(Value::as_str)
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(str::to_owned)
    };
    let default_type = match api {
        Api::OpenAi => "external",
        Api::Ollama => "local",
    };
    Connection {
        api,
        idx,
        // Ollama keeps its key in the connection settings.
        key: key.or_else(|| text("key")).unwrap_or_default(),
        enabled: settings
            .and_then(|s| s.get("enable"))
            .and_then(Value::as_bool)
            .unwrap_or(true),
        prefix_id: text("prefix_id"),
        model_ids: strings(settings.and_then(|s| s.get("model_ids"))),
        tags: settings
            .and_then(|s| s.get("tags"))
            .and_then(Value::as_array)
            .cloned()
            .unwrap_or_default(),
        connection_type: text("connection_type").unwrap_or_else(|| default_type.to_owned()),
        provider: text("provider").unwrap_or_default(),
        configured: settings.is_some(),
        url,
    }
}

fn strings(value: Option<&Value>) -> Vec<String> {
    match value {
        Some(Value::Array(items)) => items
            .iter()
            .filter_map(Value::as_str)
            .map(str::to_owned)
            .collect(),
        Some(Value::String(joined)) => joined.split(';').map(str::to_owned).collect(),
        _ => Vec::new(),
    }
}

fn object(value: Option<&Value>) -> Map<String, Value> {
    value
        .and_then(Value::as_object)
        .cloned()
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;
    use std::collections::HashMap;

    fn snapshot(pairs: Value) -> ConfigSnapshot {
        let map: HashMap<String, Value> = pairs
            .as_object()
            .map(|m| m.iter().map(|(k, v)| (k.clone(), v.clone())).collect())
            .unwrap_or_default();
        ConfigSnapshot::new(map)
    }

    #[test]
    fn connections_take_settings_by_position_or_legacy_url() {
        let config = ProviderConfig::from_snapshot(&snapshot(json!({
            "openai.enable": true,
            "openai.api_base_urls": ["http://a/v1/", "http://b/v1"],
            "openai.api_keys": ["ka"],
            "openai.api_configs": {
                "0": {"prefix_id": "a", "model_ids": ["m1"], "tags": [{"name": "t"}]},
                "http://b/v1": {"enable": false, "connection_type": "local"}
            },
            "ollama.enable": true,
            "ollama.base_urls": ["http://o:11434"],
            "ollama.api_configs": {"0": {"key": "ok"}}
        })));
        let a = &config.openai[0];
        assert_eq!(a.url, "http://a/v1");
        assert_eq!(a.key, "ka");
        assert_eq!(a.prefix_id.as_deref(), Some("a"));
        assert_eq!(a.model_ids, vec!["m1"]);
        assert_eq!(a.connection_type, "external");
        let b = &config.openai[1];
        assert_eq!(b.key, "");
        assert!(!b.enabled);
        assert_eq!(b.connection_type, "local");
        assert_eq!(config.active(Api::OpenAi).count(), 1);
        assert_eq!(config.ollama[0].key, "ok");
        assert_eq!(config.ollama[0].connection_type, "local");
    }

    #[test]
    fn prefixes_are_added_and_removed() {
        let config = ProviderConfig::from_snapshot(&snapshot(json!({
            "openai.enable": true,
            "openai.api_base_urls": ["http://a"],
            "openai.api_configs": {"0": {"prefix_id": "work"}}
        })));
        let c = &config.openai[0];
        assert_eq!(c.public_model_id("gpt"), "work.gpt");
        assert_eq!(c.upstream_model_id("work.gpt"), "gpt");
        assert_eq!(c.upstream_model_id("gpt"), "gpt");
        assert_eq!(c.upstream_model_id("workgpt"), "workgpt");
    }

    #[test]
    fn disabled_apis_offer_no_connections() {
        let config = ProviderConfig::from_snapshot(&snapshot(json!({
            "openai.enable": false,
            "openai.api_base_urls": ["http://a"],
        })));
        assert_eq!(config.active(Api::OpenAi).count(), 0);
        assert_eq!(config.openai.len(), 1);
    }
}
