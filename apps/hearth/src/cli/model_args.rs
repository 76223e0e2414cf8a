//! Model server flags: the connections seeded into the config table (the admin's
//! Connections page changes them later), and the limits on talking to model servers.

use super::parsers::{flag, json_object};
use clap::Args;
use hearth_api::{ConnectionDefaults, Settings};
use hearth_providers::ProviderSettings;
use serde_json::Value;
use std::time::Duration;

/// Model server settings, each from a flag or its environment variable.
#[derive(Debug, Args)]
pub struct ModelArgs {
    /// Use OpenAI-compatible connections.
    #[arg(long, env = "ENABLE_OPENAI_API", value_name = "ENABLE_OPENAI_API", default_value = "true", value_parser = flag, action = clap::ArgAction::Set)]
    pub enable_openai_api: bool,
    /// OpenAI-compatible base URLs, ';'-separated (default: https://api.openai.com/v1 when a key is set).
    #[arg(
        long,
        env = "OPENAI_API_BASE_URLS",
        value_name = "OPENAI_API_BASE_URLS"
    )]
    pub openai_api_base_urls: Option<String>,
    /// One OpenAI-compatible base URL (used when OPENAI_API_BASE_URLS is unset).
    #[arg(long, env = "OPENAI_API_BASE_URL", value_name = "OPENAI_API_BASE_URL")]
    pub openai_api_base_url: Option<String>,
    /// Keys of those connections, ';'-separated, by position.
    #[arg(
        long,
        env = "OPENAI_API_KEYS",
        value_name = "OPENAI_API_KEYS",
        hide_env_values = true
    )]
    pub openai_api_keys: Option<String>,
    /// One key (used when OPENAI_API_KEYS is unset).
    #[arg(
        long,
        env = "OPENAI_API_KEY",
        value_name = "OPENAI_API_KEY",
        hide_env_values = true
    )]
    pub openai_api_key: Option<String>,
    /// Per-connection settings as JSON keyed by position: {"0": {"prefix_id": "...", "model_ids": [...], "enable": true}}.
    #[arg(long, env = "OPENAI_API_CONFIGS", value_name = "OPENAI_API_CONFIGS", value_parser = json_object)]
    pub openai_api_configs: Option<Value>,
    /// Use Ollama connections.
    #[arg(long, env = "ENABLE_OLLAMA_API", value_name = "ENABLE_OLLAMA_API", default_value = "true", value_parser = flag, action = clap::ArgAction::Set)]
    pub enable_ollama_api: bool,
    /// Ollama base URLs, ';'-separated.
    #[arg(long, env = "OLLAMA_BASE_URLS", value_name = "OLLAMA_BASE_URLS")]
    pub ollama_base_urls: Option<String>,
    /// One Ollama base URL (used when OLLAMA_BASE_URLS is unset; default http://localhost:11434).
    #[arg(long, env = "OLLAMA_BASE_URL", value_name = "OLLAMA_BASE_URL")]
    pub ollama_base_url: Option<String>,
    /// Per-connection Ollama settings as JSON keyed by position ({"0": {"key": "...", "prefix_id": "..."}}).
    #[arg(long, env = "OLLAMA_API_CONFIGS", value_name = "OLLAMA_API_CONFIGS", value_parser = json_object)]
    pub ollama_api_configs: Option<Value>,
    /// Seconds each connection may take to list its models.
    #[arg(long, env = "AIOHTTP_CLIENT_TIMEOUT_MODEL_LIST", value_name = "AIOHTTP_CLIENT_TIMEOUT_MODEL_LIST", default_value_t = 10, value_parser = clap::value_parser!(u64).range(1..))]
    pub model_list_timeout: u64,
    /// Seconds until a completion's first byte (and a whole non-streamed answer).
    #[arg(long, env = "AIOHTTP_CLIENT_TIMEOUT", value_name = "AIOHTTP_CLIENT_TIMEOUT", default_value_t = 300, value_parser = clap::value_parser!(u64).range(1..))]
    pub request_timeout: u64,
    /// Longest silence in seconds between two pieces of a streamed answer (0: no limit).
    #[arg(
        long,
        env = "AIOHTTP_CLIENT_STREAM_IDLE_TIMEOUT",
        value_name = "AIOHTTP_CLIENT_STREAM_IDLE_TIMEOUT",
        default_value_t = 300
    )]
    pub stream_idle_timeout: u64,
    /// Seconds the merged model list is reused.
    #[arg(
        long,
        env = "MODELS_CACHE_TTL",
        value_name = "MODELS_CACHE_TTL",
        default_value_t = 1
    )]
    pub models_cache_ttl: u64,
    /// Largest non-streamed answer and largest streamed line, in bytes.
    #[arg(long, env = "MODEL_RESPONSE_MAX_BYTES", value_name = "MODEL_RESPONSE_MAX_BYTES", default_value_t = 32 * 1024 * 1024)]
    pub model_response_max_bytes: usize,
    /// Let every user use every model, without per-model access grants.
    #[arg(long, env = "BYPASS_MODEL_ACCESS_CONTROL", value_name = "BYPASS_MODEL_ACCESS_CONTROL", default_value = "false", value_parser = flag, action = clap::ArgAction::Set)]
    pub bypass_model_access_control: bool,
    /// Let admins use every model regardless of access grants.
    #[arg(long, env = "BYPASS_ADMIN_ACCESS_CONTROL", value_name = "BYPASS_ADMIN_ACCESS_CONTROL", default_value = "true", value_parser = flag, action = clap::ArgAction::Set)]
    pub bypass_admin_access_control: bool,
}

fn list(value: &str) -> Vec<String> {
    value
        .split(';')
        .map(|v| v.trim().trim_end_matches('/').to_owned())
        .collect()
}

impl ModelArgs {
    /// The default connections.
    pub fn connections(&self) -> ConnectionDefaults {
        let keys = self
            .openai_api_keys
            .as_deref()
            .or(self.openai_api_key.as_deref())
            .filter(|k| !k.is_empty())
            .map(list)
            .unwrap_or_default();
        let openai_urls = match self
            .openai_api_base_urls
            .as_deref()
            .or(self.openai_api_base_url.as_deref())
            .filter(|u| !u.is_empty())
        {
            Some(urls) => list(urls),
            // The public OpenAI API is only worth asking with a key.
            None if !keys.is_empty() => vec!["https://api.openai.com/v1".to_owned()],
            None => Vec::new(),
        };
        let mut openai_keys = keys;
        openai_keys.resize(openai_urls.len(), String::new());
        let ollama_urls = self
            .ollama_base_urls
            .as_deref()
            .or(self.ollama_base_url.as_deref())
            .filter(|u| !u.is_empty())
            .map(list)
            .unwrap_or_else(|| vec!["http://localhost:11434".to_owned()]);
        ConnectionDefaults {
            openai_enabled: self.enable_openai_api,
            openai_base_urls: openai_urls,
            openai_keys,
            openai_configs: self
                .openai_api_configs
                .clone()
                .unwrap_or_else(|| Value::Object(Default::default())),
            ollama_enabled: self.enable_ollama_api,
            ollama_base_urls: ollama_urls,
            ollama_configs: self
                .ollama_api_configs
                .clone()
                .unwrap_or_else(|| Value::Object(Default::default())),
        }
    }

    /// Applies the flags to `settings`.
    pub fn apply(self, settings: &mut Settings) {
        settings.connections = self.connections();
        settings.providers = ProviderSettings {
            model_list_timeout: Duration::from_secs(self.model_list_timeout),
            request_timeout: Duration::from_secs(self.request_timeout),
            stream_idle_timeout: (self.stream_idle_timeout > 0)
                .then(|| Duration::from_secs(self.stream_idle_timeout)),
            models_cache_ttl: Duration::from_secs(self.models_cache_ttl),
            max_response_bytes: self.model_response_max_bytes,
        };
        settings.bypass_model_access_control = self.bypass_model_access_control;
        settings.bypass_admin_access_control = self.bypass_admin_access_control;
    }
}

#[cfg(test)]
mod tests {
    use crate::cli::Cli;
    use clap::Parser;

    #[test]
    fn connections_pair_urls_with_keys_and_default_sensibly() {
        let cli = Cli::try_parse_from([
            "hearth",
            "--openai-api-base-urls",
            "http://a/v1/;http://b/v1",
            "--openai-api-keys",
            "ka",
            "--openai-api-configs",
            r#"{"0": {"prefix_id": "a"}}"#,
        ])
        .map(|c| c.models.connections());
        let connections = cli.ok();
        let c = connections.as_ref();
        assert_eq!(
            c.map(|c| c.openai_base_urls.clone()),
            Some(vec!["http://a/v1".into(), "http://b/v1".into()])
        );
        assert_eq!(
            c.map(|c| c.openai_keys.clone()),
            Some(vec!["ka".into(), String::new()])
        );
        assert_eq!(
            c.map(|c| c.openai_configs["0"]["prefix_id"].clone()),
            Some("a".into())
        );
        assert_eq!(
            c.map(|c| c.ollama_base_urls.clone()),
            Some(vec!["http://localhost:11434".into()])
        );

        let keyed = Cli::try_parse_from(["hearth", "--openai-api-key", "sk-x"])
            .map(|c| c.models.connections());
        assert_eq!(
            keyed.ok().map(|c| c.openai_base_urls),
            Some(vec!["https://api.openai.com/v1".into()])
        );
        let bare = Cli::try_parse_from(["hearth"]).map(|c| c.models.connections());
        assert_eq!(bare.ok().map(|c| c.openai_base_urls.len()), Some(0));
    }

    #[test]
    fn bad_configs_and_timeouts_are_refused() {
        assert!(Cli::try_parse_from(["hearth", "--openai-api-configs", "[1]"]).is_err());
        assert!(Cli::try_parse_from(["hearth", "--aiohttp-client-timeout", "0"]).is_err());
        assert!(Cli::try_parse_from(["hearth", "--model-list-timeout", "0"]).is_err());
    }
}
