//! Socket.IO (transports, heartbeat, limits), Redis for running several instances, and the
//! background tasks that share it.

use crate::parse;
use clap::Args;
use clap::builder::TypedValueParser as _;
use std::time::Duration;

/// Engine.IO limits and switches.
#[derive(Clone, Debug, PartialEq, Args)]
pub struct EngineSettings {
    /// Seconds between the server's pings.
    #[arg(id = "WEBSOCKET_SERVER_PING_INTERVAL", long = "ping-interval", env = "WEBSOCKET_SERVER_PING_INTERVAL", value_name = "WEBSOCKET_SERVER_PING_INTERVAL", default_value = "25", value_parser = parse::positive_seconds)]
    pub ping_interval: Duration,
    /// Seconds a client has to answer a ping before it is disconnected.
    #[arg(id = "WEBSOCKET_SERVER_PING_TIMEOUT", long = "ping-timeout", env = "WEBSOCKET_SERVER_PING_TIMEOUT", value_name = "WEBSOCKET_SERVER_PING_TIMEOUT", default_value = "20", value_parser = parse::positive_seconds)]
    pub ping_timeout: Duration,
    /// Offer websockets (long-polling is always available).
    #[arg(id = "ENABLE_WEBSOCKET_SUPPORT", long = "enable-websocket-support", env = "ENABLE_WEBSOCKET_SUPPORT", value_name = "ENABLE_WEBSOCKET_SUPPORT", default_value = "true", value_parser = parse::flag, action = clap::ArgAction::Set)]
    pub websocket: bool,
    /// Largest long-polling payload or websocket message, in bytes.
    #[arg(
        id = "SOCKETIO_MAX_HTTP_BUFFER_SIZE",
        long = "max-http-buffer-size",
        env = "SOCKETIO_MAX_HTTP_BUFFER_SIZE",
        value_name = "SOCKETIO_MAX_HTTP_BUFFER_SIZE",
        default_value_t = 1_000_000
    )]
    pub max_payload: u64,
    /// Events queued for one socket before a client that stopped reading is dropped.
    #[arg(id = "WEBSOCKET_SEND_QUEUE", long = "send-queue", env = "WEBSOCKET_SEND_QUEUE", value_name = "WEBSOCKET_SEND_QUEUE", default_value_t = 1024, value_parser = clap::value_parser!(u64).range(8..).try_map(usize::try_from))]
    pub send_queue: usize,
}

/// Socket.IO across instances and the events it carries.
#[derive(Clone, Debug, PartialEq, Args)]
pub struct SocketSettings {
    /// Engine limits.
    #[command(flatten)]
    pub engine: EngineSettings,
    /// `redis` to share sockets, rooms and events between instances (empty: one instance).
    #[arg(
        id = "WEBSOCKET_MANAGER",
        long = "websocket-manager",
        env = "WEBSOCKET_MANAGER",
        value_name = "WEBSOCKET_MANAGER",
        default_value = ""
    )]
    pub manager: String,
    /// Redis for the websocket manager (default: REDIS_URL).
    #[arg(
        id = "WEBSOCKET_REDIS_URL",
        long = "websocket-redis-url",
        env = "WEBSOCKET_REDIS_URL",
        value_name = "WEBSOCKET_REDIS_URL",
        hide_env_values = true
    )]
    pub redis_url: Option<String>,
    /// Seconds between re-checks of every socket's token (0: never).
    #[arg(id = "WEBSOCKET_REVALIDATE_INTERVAL", long = "revalidate-interval", env = "WEBSOCKET_REVALIDATE_INTERVAL", value_name = "WEBSOCKET_REVALIDATE_INTERVAL", default_value = "30", value_parser = parse::seconds)]
    pub revalidate_interval: Duration,
    /// Heartbeat interval in seconds advertised to web clients (5-90).
    #[arg(id = "WEBSOCKET_HEARTBEAT_INTERVAL", long = "websocket-heartbeat-interval", env = "WEBSOCKET_HEARTBEAT_INTERVAL", value_name = "WEBSOCKET_HEARTBEAT_INTERVAL", value_parser = clap::value_parser!(u64).range(5..=90))]
    pub heartbeat_interval: Option<u64>,
    /// Every signed-in user may see the active-user count and models in use (`/api/usage`),
    /// not only admins.
    #[arg(id = "ENABLE_PUBLIC_ACTIVE_USERS_COUNT", long = "public-active-users-count", env = "ENABLE_PUBLIC_ACTIVE_USERS_COUNT", value_name = "ENABLE_PUBLIC_ACTIVE_USERS_COUNT", default_value = "true", value_parser = parse::flag, action = clap::ArgAction::Set)]
    pub public_active_users_count: bool,
}

/// Redis, shared by background tasks and (by default) the websocket manager.
#[derive(Clone, Debug, PartialEq, Args)]
pub struct RedisSettings {
    /// Redis for shared state: background tasks, their stop commands and snapshots.
    #[arg(
        id = "REDIS_URL",
        long = "redis-url",
        env = "REDIS_URL",
        value_name = "REDIS_URL",
        hide_env_values = true
    )]
    pub url: Option<String>,
    /// Prefix of every Redis key and channel.
    #[arg(
        id = "REDIS_KEY_PREFIX",
        long = "redis-key-prefix",
        env = "REDIS_KEY_PREFIX",
        value_name = "REDIS_KEY_PREFIX",
        default_value = "open-webui"
    )]
    pub key_prefix: String,
    /// Seconds a task's Redis key lives without its instance refreshing it (a crashed
    /// instance's tasks vanish after this).
    #[arg(id = "REDIS_TASK_TTL", long = "redis-task-ttl", env = "REDIS_TASK_TTL", value_name = "REDIS_TASK_TTL", default_value = "300", value_parser = clap::value_parser!(u64).range(4..).map(Duration::from_secs))]
    pub task_ttl: Duration,
}

impl RedisSettings {
    /// The Redis URL, when one is set.
    pub fn url(&self) -> Option<&str> {
        self.url.as_deref().filter(|u| !u.is_empty())
    }
}

/// How instances share sockets (`WEBSOCKET_MANAGER`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Manager {
    /// One instance, everything in memory.
    Local,
    /// Several instances through Redis (`WEBSOCKET_MANAGER=redis`).
    Redis {
        /// `WEBSOCKET_REDIS_URL` (default `REDIS_URL`).
        url: String,
        /// `REDIS_KEY_PREFIX` (`open-webui`).
        prefix: String,
    },
}

impl SocketSettings {
    /// The websocket manager these settings choose, or why the combination is refused.
    pub fn manager(&self, redis: &RedisSettings) -> Result<Manager, String> {
        match self.manager.trim().to_ascii_lowercase().as_str() {
            "" | "local" | "memory" => Ok(Manager::Local),
            "redis" => Ok(Manager::Redis {
                url: self
                    .redis_url
                    .clone()
                    .filter(|u| !u.is_empty())
                    .or_else(|| redis.url().map(str::to_owned))
                    .ok_or("WEBSOCKET_MANAGER=redis needs WEBSOCKET_REDIS_URL or REDIS_URL")?,
                prefix: redis.key_prefix.clone(),
            }),
            other => Err(format!(
                "WEBSOCKET_MANAGER={other:?} is not supported (use redis or leave it empty)"
            )),
        }
    }
}
