//! Model servers: the connections seeded into the config table (the admin's Connections page
//! changes them later), who may use which model, and the limits on talking to model servers.

use crate::parse;
use clap::Args;
use serde_json::Value;
use std::time::Duration;

/// A limit that may be off (`None`); a plain alias so that clap reads it as one value.
pub type OptionalLimit = Option<Duration>;

/// Limits on talking to model servers.
#[derive(Clone, Debug, PartialEq, Args)]
pub struct ProviderSettings {
    /// Seconds each connection may take to list its models (and version checks); a dead
    /// connection costs at most this.
    #[arg(id = "AIOHTTP_CLIENT_TIMEOUT_MODEL_LIST", long = "model-list-timeout", env = "AIOHTTP_CLIENT_TIMEOUT_MODEL_LIST", value_name = "AIOHTTP_CLIENT_TIMEOUT_MODEL_LIST", default_value = "10", value_parser = parse::positive_seconds)]
    pub model_list_timeout: Duration,
    /// Seconds until a completion's first byte (and for a whole non-streamed answer).
    #[arg(id = "AIOHTTP_CLIENT_TIMEOUT", long = "request-timeout", env = "AIOHTTP_CLIENT_TIMEOUT", value_name = "AIOHTTP_CLIENT_TIMEOUT", default_value = "300", value_parser = parse::positive_seconds)]
    pub request_timeout: Duration,
    /// Longest silence in seconds between two pieces of a streamed answer (0: no limit).
    #[arg(id = "AIOHTTP_CLIENT_STREAM_IDLE_TIMEOUT", long = "stream-idle-timeout", env = "AIOHTTP_CLIENT_STREAM_IDLE_TIMEOUT", value_name = "AIOHTTP_CLIENT_STREAM_IDLE_TIMEOUT", default_value = "300", value_parser = parse::optional_seconds)]
    pub stream_idle_timeout: OptionalLimit,
    /// Seconds the merged model list is reused (`?refresh=true` skips it).
    #[arg(id = "MODELS_CACHE_TTL", long = "models-cache-ttl", env = "MODELS_CACHE_TTL", value_name = "MODELS_CACHE_TTL", default_value = "1", value_parser = parse::seconds)]
    pub models_cache_ttl: Duration,
    /// Largest non-streamed answer and largest streamed line, in bytes.
    #[arg(id = "MODEL_RESPONSE_MAX_BYTES", long = "model-response-max-bytes", env = "MODEL_RESPONSE_MAX_BYTES", value_name = "MODEL_RESPONSE_MAX_BYTES", default_value_t = 32 * 1024 * 1024)]
    pub max_response_bytes: usize,
    /// Seconds between two saves of a streamed answer's text so far, so that a crash loses
    /// at most this much of it (0: after every piece).
    #[arg(id = "CHAT_STREAM_SAVE_INTERVAL", long = "chat-stream-save-interval", env = "CHAT_STREAM_SAVE_INTERVAL", value_name = "CHAT_STREAM_SAVE_INTERVAL", default_value = "1", value_parser = parse::seconds)]
    pub stream_save_interval: Duration,
}

/// The model server connections seeded into the config table (`openai.*`, `ollama.*`), and
/// the model access rules.
#[derive(Clone, Debug, PartialEq, Args)]
pub struct ModelSettings {
    /// Use OpenAI-compatible connections.
    #[arg(id = "ENABLE_OPENAI_API", long = "enable-openai-api", env = "ENABLE_OPENAI_API", value_name = "ENABLE_OPENAI_API", default_value = "true", value_parser = parse::flag, action = clap::ArgAction::Set)]
    pub openai_enabled: bool,
    /// OpenAI-compatible base URLs, ';'-separated (default: https://api.openai.com/v1 when a
    /// key is set, otherwise none).
    #[arg(id = "OPENAI_API_BASE_URLS", long = "openai-api-base-urls", env = "OPENAI_API_BASE_URLS", value_name = "OPENAI_API_BASE_URLS", value_parser = parse::url_list)]
    pub openai_base_urls: Option<crate::List>,
    /// One OpenAI-compatible base URL (used when OPENAI_API_BASE_URLS is unset).
    #[arg(
        id = "OPENAI_API_BASE_URL",
        long = "openai-api-base-url",
        env = "OPENAI_API_BASE_URL",
        value_name = "OPENAI_API_BASE_URL"
    )]
    pub openai_base_url: Option<String>,
    /// Keys of those connections, ';'-separated, by position.
    #[arg(id = "OPENAI_API_KEYS", long = "openai-api-keys", env = "OPENAI_API_KEYS", value_name = "OPENAI_API_KEYS", hide_env_values = true, value_parser = parse::url_list)]
    pub openai_keys: Option<crate::List>,
    /// One key (used when OPENAI_API_KEYS is unset).
    #[arg(
        id = "OPENAI_API_KEY",
        long = "openai-api-key",
        env = "OPENAI_API_KEY",
        value_name = "OPENAI_API_KEY",
        hide_env_values = true
    )]
    pub openai_key: Option<String>,
    /// Per-connection settings as JSON keyed by position:
    /// {"0": {"prefix_id": "...", "model_ids": [...], "enable": true}}.
    #[arg(id = "OPENAI_API_CONFIGS", long = "openai-api-configs", env = "OPENAI_API_CONFIGS", value_name = "OPENAI_API_CONFIGS", default_value = "{}", value_parser = parse::json_object)]
    pub openai_configs: Value,
    /// Use Ollama connections.
    #[arg(id = "ENABLE_OLLAMA_API", long = "enable-ollama-api", env = "ENABLE_OLLAMA_API", value_name = "ENABLE_OLLAMA_API", default_value = "true", value_parser = parse::flag, action = clap::ArgAction::Set)]
    pub ollama_enabled: bool,
    /// Ollama base URLs, ';'-separated.
    #[arg(id = "OLLAMA_BASE_URLS", long = "ollama-base-urls", env = "OLLAMA_BASE_URLS", value_name = "OLLAMA_BASE_URLS", value_parser = parse::url_list)]
    pub ollama_base_urls: Option<crate::List>,
    /// One Ollama base URL (used when OLLAMA_BASE_URLS is unset).
    #[arg(
        id = "OLLAMA_BASE_URL",
        long = "ollama-base-url",
        env = "OLLAMA_BASE_URL",
        value_name = "OLLAMA_BASE_URL",
        default_value = "http://localhost:11434"
    )]
    pub ollama_base_url: String,
    /// Per-connection Ollama settings as JSON keyed by position ({"0": {"key": "...",
    /// "prefix_id": "..."}}).
    #[arg(id = "OLLAMA_API_CONFIGS", long = "ollama-api-configs", env = "OLLAMA_API_CONFIGS", value_name = "OLLAMA_API_CONFIGS", default_value = "{}", value_parser = parse::json_object)]
    pub ollama_configs: Value,
    /// Let every user use every model, without per-model access grants.
    #[arg(id = "BYPASS_MODEL_ACCESS_CONTROL", long = "bypass-model-access-control", env = "BYPASS_MODEL_ACCESS_CONTROL", value_name = "BYPASS_MODEL_ACCESS_CONTROL", default_value = "false", value_parser = parse::flag, action = clap::ArgAction::Set)]
    pub bypass_model_access_control: bool,
    /// Let admins use every model regardless of access grants.
    #[arg(id = "BYPASS_ADMIN_ACCESS_CONTROL", long = "bypass-admin-access-control", env = "BYPASS_ADMIN_ACCESS_CONTROL", value_name = "BYPASS_ADMIN_ACCESS_CONTROL", default_value = "true", value_parser = parse::flag, action = clap::ArgAction::Set)]
    pub bypass_admin_access_control: bool,
}

impl ModelSettings {
    /// The OpenAI-compatible connections: base URLs with their keys, paired by position.
    /// The public OpenAI API is only worth asking with a key.
    pub fn openai_connections(&self) -> (Vec<String>, Vec<String>) {
        let keys: Vec<String> = match (&self.openai_keys, &self.openai_key) {
            (Some(keys), _) if keys.iter().any(|k| !k.is_empty()) => keys.clone(),
            (_, Some(key)) if !key.is_empty() => vec![key.clone()],
            _ => Vec::new(),
        };
        let urls = match (&self.openai_base_urls, &self.openai_base_url) {
            (Some(urls), _) if urls.iter().any(|u| !u.is_empty()) => urls.clone(),
            (_, Some(url)) if !url.trim().is_empty() => {
                vec![url.trim().trim_end_matches('/').to_owned()]
            }
            _ if !keys.is_empty() => vec!["https://api.openai.com/v1".to_owned()],
            _ => Vec::new(),
        };
        let mut keys = keys;
        keys.resize(urls.len(), String::new());
        (urls, keys)
    }

    /// The Ollama base URLs.
    pub fn ollama_urls(&self) -> Vec<String> {
        match &self.ollama_base_urls {
            Some(urls) if urls.iter().any(|u| !u.is_empty()) => urls.clone(),
            _ if self.ollama_base_url.trim().is_empty() => Vec::new(),
            _ => vec![self.ollama_base_url.trim().trim_end_matches('/').to_owned()],
        }
    }
}
