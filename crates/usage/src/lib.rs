//! Usage-limit counters in Redis: `INCRBY` and `EXPIRE … NX` on one key per bucket and
//! window, so every instance behind a load balancer counts against the same limits. While
//! Redis cannot be reached (the breaker is open) the counters of this process's memory
//! stand in, so limits still hold per instance and completions never wait on Redis.

use async_trait::async_trait;
use fred::clients::Client;
use fred::interfaces::{ClientLike, KeysInterface};
use fred::types::ExpireOptions;
use hearth_domain::ports::UsageCounters;
use hearth_domain::usage::LocalCounters;
use hearth_redis::{Breaker, builder};

/// Counters in Redis under `{prefix}:usage:…`.
pub struct RedisCounters {
    client: Client,
    prefix: String,
    breaker: Breaker,
    fallback: LocalCounters,
}

impl RedisCounters {
    /// Counters on the Redis at `url`; the connection is made in the background.
    pub fn new(url: &str, prefix: &str) -> Result<Self, fred::error::Error> {
        let client = builder(url)?.build()?;
        let connecting = client.clone();
        tokio::spawn(async move {
            if let Err(error) = connecting.init().await {
                tracing::error!(%error, "Redis (usage counters) connection failed");
            }
        });
        Ok(Self {
            client,
            prefix: prefix.to_owned(),
            breaker: Breaker::default(),
            fallback: LocalCounters::default(),
        })
    }

    fn key(&self, key: &str) -> String {
        format!("{}:{key}", self.prefix)
    }

    async fn add_in_redis(
        &self,
        key: &str,
        amount: u64,
        ttl: u64,
    ) -> Result<u64, fred::error::Error> {
        let key = self.key(key);
        let amount = i64::try_from(amount).unwrap_or(i64::MAX);
        let ttl = i64::try_from(ttl).unwrap_or(i64::MAX);
        let pipeline = self.client.pipeline();
        let _: () = pipeline.incr_by(&key, amount).await?;
        let _: () = pipeline.expire(&key, ttl, Some(ExpireOptions::NX)).await?;
        let (value, _): (i64, i64) = pipeline.all().await?;
        Ok(u64::try_from(value).unwrap_or(0))
    }

    async fn get_in_redis(&self, key: &str) -> Result<u64, fred::error::Error> {
        let value: Option<i64> = self.client.get(self.key(key)).await?;
        Ok(value.and_then(|v| u64::try_from(v).ok()).unwrap_or(0))
    }

    fn note<T>(&self, result: &Result<T, fred::error::Error>) {
        if let Err(error) = result {
            tracing::warn!(%error, "Redis (usage counters) unavailable; counting in memory");
        }
        self.breaker.record(result);
    }
}

#[async_trait]
impl UsageCounters for RedisCounters {
    async fn add(&self, key: &str, amount: u64, ttl_secs: u64) -> u64 {
        if self.breaker.closed() {
            let result = self.add_in_redis(key, amount, ttl_secs).await;
            self.note(&result);
            if let Ok(value) = result {
                return value;
            }
        }
        self.fallback.add(key, amount, ttl_secs).await
    }

    async fn get(&self, key: &str) -> u64 {
        if self.breaker.closed() {
            let result = self.get_in_redis(key).await;
            self.note(&result);
            if let Ok(value) = result {
                return value;
            }
        }
        self.fallback.get(key).await
    }
}
