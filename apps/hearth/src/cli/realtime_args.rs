//! Socket.IO and background task flags: transports, heartbeat, and Redis for running
//! several instances.

use super::parsers::flag;
use clap::Args;
use hearth_api::Settings;
use hearth_realtime::{EngineSettings, Manager, RealtimeSettings};
use hearth_tasks::TaskSettings;
use std::time::Duration;

/// Realtime settings, each from a flag or its environment variable.
#[derive(Debug, Args)]
pub struct RealtimeArgs {
    /// Offer websockets (long-polling is always available).
    #[arg(long, env = "ENABLE_WEBSOCKET_SUPPORT", value_name = "ENABLE_WEBSOCKET_SUPPORT", default_value = "true", value_parser = flag, action = clap::ArgAction::Set)]
    pub enable_websocket_support: bool,
    /// Seconds between the server's pings.
    #[arg(long, env = "WEBSOCKET_SERVER_PING_INTERVAL", value_name = "WEBSOCKET_SERVER_PING_INTERVAL", default_value_t = 25, value_parser = clap::value_parser!(u64).range(1..))]
    pub ping_interval: u64,
    /// Seconds a client has to answer a ping before it is disconnected.
    #[arg(long, env = "WEBSOCKET_SERVER_PING_TIMEOUT", value_name = "WEBSOCKET_SERVER_PING_TIMEOUT", default_value_t = 20, value_parser = clap::value_parser!(u64).range(1..))]
    pub ping_timeout: u64,
    /// Largest long-polling payload or websocket message, in bytes.
    #[arg(
        long,
        env = "SOCKETIO_MAX_HTTP_BUFFER_SIZE",
        value_name = "SOCKETIO_MAX_HTTP_BUFFER_SIZE",
        default_value_t = 1_000_000
    )]
    pub max_http_buffer_size: u64,
    /// Events queued for one socket before a client that stopped reading is dropped.
    #[arg(long, env = "WEBSOCKET_SEND_QUEUE", value_name = "WEBSOCKET_SEND_QUEUE", default_value_t = 1024, value_parser = clap::value_parser!(u64).range(8..))]
    pub send_queue: u64,
    /// Seconds between re-checks of every socket's token (0: never).
    #[arg(
        long,
        env = "WEBSOCKET_REVALIDATE_INTERVAL",
        value_name = "WEBSOCKET_REVALIDATE_INTERVAL",
        default_value_t = 30
    )]
    pub revalidate_interval: u64,
    /// `redis` to share sockets, rooms and events between instances (empty: one instance).
    #[arg(
        long,
        env = "WEBSOCKET_MANAGER",
        value_name = "WEBSOCKET_MANAGER",
        default_value = ""
    )]
    pub websocket_manager: String,
    /// Redis for the websocket manager (default: REDIS_URL).
    #[arg(
        long,
        env = "WEBSOCKET_REDIS_URL",
        value_name = "WEBSOCKET_REDIS_URL",
        hide_env_values = true
    )]
    pub websocket_redis_url: Option<String>,
    /// Redis for shared state: background tasks, their stop commands and snapshots.
    #[arg(
        long,
        env = "REDIS_URL",
        value_name = "REDIS_URL",
        hide_env_values = true
    )]
    pub redis_url: Option<String>,
    /// Prefix of every Redis key and channel.
    #[arg(
        long,
        env = "REDIS_KEY_PREFIX",
        value_name = "REDIS_KEY_PREFIX",
        default_value = "open-webui"
    )]
    pub redis_key_prefix: String,
    /// Every signed-in user may see the active-user count and models in use (`/api/usage`),
    /// not only admins.
    #[arg(long, env = "ENABLE_PUBLIC_ACTIVE_USERS_COUNT", value_name = "ENABLE_PUBLIC_ACTIVE_USERS_COUNT", default_value = "true", value_parser = flag, action = clap::ArgAction::Set)]
    pub public_active_users_count: bool,
    /// Seconds a task's Redis key lives without its instance refreshing it.
    #[arg(long, env = "REDIS_TASK_TTL", value_name = "REDIS_TASK_TTL", default_value_t = 300, value_parser = clap::value_parser!(u64).range(4..))]
    pub redis_task_ttl: u64,
}

impl RealtimeArgs {
    /// Checks the combination and applies it to `settings`.
    pub fn apply(self, settings: &mut Settings) -> Result<(), String> {
        let redis_url = self.redis_url.filter(|u| !u.is_empty());
        let manager = match self.websocket_manager.trim().to_ascii_lowercase().as_str() {
            "" | "local" | "memory" => Manager::Local,
            "redis" => Manager::Redis {
                url: self
                    .websocket_redis_url
                    .filter(|u| !u.is_empty())
                    .or_else(|| redis_url.clone())
                    .ok_or("WEBSOCKET_MANAGER=redis needs WEBSOCKET_REDIS_URL or REDIS_URL")?,
                prefix: self.redis_key_prefix.clone(),
            },
            other => {
                return Err(format!(
                    "WEBSOCKET_MANAGER={other:?} is not supported (use redis or leave it empty)"
                ));
            }
        };
        settings.realtime = RealtimeSettings {
            engine: EngineSettings {
                ping_interval: Duration::from_secs(self.ping_interval),
                ping_timeout: Duration::from_secs(self.ping_timeout),
                websocket: self.enable_websocket_support,
                max_payload: self.max_http_buffer_size,
                send_queue: usize::try_from(self.send_queue).unwrap_or(1024),
            },
            manager,
        };
        settings.socket_revalidate_interval_secs = self.revalidate_interval;
        settings.public_active_users_count = self.public_active_users_count;
        settings.tasks = TaskSettings {
            redis: redis_url.map(|url| (url, self.redis_key_prefix)),
            ttl: Duration::from_secs(self.redis_task_ttl),
        };
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use crate::cli::Cli;
    use clap::Parser;

    #[test]
    fn redis_manager_needs_a_url() {
        let mut settings = hearth_api::Settings::new("./data");
        let cli = Cli::try_parse_from(["hearth", "--websocket-manager", "redis"])
            .map(|c| c.realtime.apply(&mut settings));
        assert!(matches!(cli, Ok(Err(_))));
        let cli = Cli::try_parse_from([
            "hearth",
            "--websocket-manager",
            "redis",
            "--redis-url",
            "redis://127.0.0.1:6379",
        ])
        .map(|c| c.realtime.apply(&mut settings));
        assert!(matches!(cli, Ok(Ok(()))));
        assert!(matches!(
            settings.realtime.manager,
            hearth_realtime::Manager::Redis { .. }
        ));
        assert!(settings.tasks.redis.is_some());
        assert!(Cli::try_parse_from(["hearth", "--ping-interval", "0"]).is_err());
    }
}
