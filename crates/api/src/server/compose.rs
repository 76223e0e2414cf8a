//! The composition root: each port of the application bound to its adapter — SQL storage,
//! HTTP model servers, Socket.IO delivery, the task registry, identity providers — and the
//! sign-in machinery, all from the settings.

use super::error::StartError;
use hearth_auth::accounts::Accounts;
use hearth_auth::activity::ActivityTracker;
use hearth_auth::authenticate::Authenticator;
use hearth_auth::password::PasswordHasher;
use hearth_auth::rate_limit::RateLimiter;
use hearth_auth::secret;
use hearth_auth::tokens::SessionTokens;
use hearth_blobs::{LocalBlobs, S3Blobs, S3Options};
use hearth_domain::outbound::OutboundPolicy;
use hearth_domain::ports::{FileBlobs, LocalEmbedding, UsageCounters, VectorError, VectorStore};
use hearth_domain::usage::LocalCounters;
use hearth_embed::LocalEmbedder;
use hearth_extract::Extractor;
use hearth_persistence::SqlStore;
use hearth_providers::ProviderClient;
use hearth_providers::Providers;
use hearth_providers::embeddings::Embeddings;
use hearth_providers::rerank::ExternalReranker;
use hearth_providers::tokens::Cl100k;
use hearth_providers::web::{FetchLimits, GuardedWeb};
use hearth_realtime::Realtime;
use hearth_services::App;
use hearth_services::app::Latch;
use hearth_services::config::LiveConfig;
use hearth_services::files::FileServices;
use hearth_services::retrieval::ports::RetrievalServices;
use hearth_settings::Settings;
use hearth_sso::Sso;
use hearth_tasks::{TaskRegistry, TaskSettings};
use hearth_usage::RedisCounters;
use hearth_vectors::{IndexMethod, PgVectorOptions, PgVectors, SqliteVectors};
use std::sync::Arc;

/// The application and the realtime layer its sockets need.
pub(super) struct Composed {
    pub app: Arc<App>,
    pub realtime: Arc<Realtime>,
    pub store: Arc<SqlStore>,
}

/// Account creation and credential checks over the store.
fn sign_in(settings: &Settings, store: &Arc<SqlStore>, secret: &str) -> (Accounts, Authenticator) {
    let accounts = &settings.accounts;
    let hasher = PasswordHasher::new(accounts.password_hash_cost, accounts.hash_concurrency());
    let limiter = Arc::new(RateLimiter::new(
        accounts.signin_rate_limit,
        accounts.signin_rate_window.as_secs(),
    ));
    let activity = ActivityTracker::new(
        store.clone(),
        accounts.user_active_update_interval.as_secs(),
    );
    let authenticator = Authenticator::new(
        SessionTokens::new(secret),
        store.clone(),
        store.clone(),
        activity,
    );
    let accounts = Accounts::new(store.clone(), store.clone(), hasher, limiter);
    (accounts, authenticator)
}

/// The file storage the settings name, text extraction and the job limits.
fn file_services(settings: &Settings) -> Result<FileServices, StartError> {
    let files = &settings.files;
    let upload_dir = files.upload_dir(&settings.data_dir);
    let blobs: Arc<dyn FileBlobs> = if files.storage_provider == "s3" {
        let options = S3Options {
            bucket: files.s3_bucket_name.clone().unwrap_or_default(),
            endpoint: files.s3_endpoint_url.clone(),
            region: files.s3_region_name.clone(),
            access_key_id: files.s3_access_key_id.clone(),
            secret_access_key: files.s3_secret_access_key.clone(),
            key_prefix: files.s3_key_prefix.clone(),
            addressing_style: files.s3_addressing_style.clone(),
        };
        Arc::new(S3Blobs::open(&options, &upload_dir)?)
    } else {
        Arc::new(LocalBlobs::open(upload_dir)?)
    };
    let extractor = Extractor::new(hearth_extract::Limits {
        max_bytes: files.processing_max_bytes,
        max_pages: files.processing_max_pages,
        max_chars: files.processing_max_chars,
    });
    let concurrency = usize::try_from(files.processing_concurrency).unwrap_or(1);
    Ok(FileServices::new(
        blobs,
        Arc::new(extractor),
        concurrency,
        files.processing_timeout,
    ))
}

/// The vector store `VECTOR_DB` names: an SQLite file in DATA_DIR, or pgvector.
async fn vector_store(settings: &Settings) -> Result<Arc<dyn VectorStore>, StartError> {
    let failed = |e: VectorError| StartError::Settings(format!("vector store: {}", e.0));
    let vectors = &settings.vectors;
    if vectors.vector_db == "pgvector" {
        let url = vectors
            .pgvector_url(&settings.database().url)
            .ok_or_else(|| {
                StartError::Settings(
                    "VECTOR_DB=pgvector needs PGVECTOR_DB_URL (or a PostgreSQL DATABASE_URL)"
                        .into(),
                )
            })?;
        let index = vectors
            .pgvector_index_method
            .parse::<IndexMethod>()
            .map_err(StartError::Settings)?;
        let store = PgVectors::open(&PgVectorOptions {
            url,
            length: usize::try_from(vectors.pgvector_length).unwrap_or(1536),
            index,
            pool_size: vectors.pgvector_pool_size,
        })
        .await
        .map_err(failed)?;
        return Ok(Arc::new(store));
    }
    let path = settings
        .data_dir
        .join("vector_db")
        .join("hearth-vectors.db");
    let cache = usize::try_from(vectors.sqlite_cache_mb).unwrap_or(0) << 20;
    Ok(Arc::new(
        SqliteVectors::open(&path, cache).await.map_err(failed)?,
    ))
}

/// The embedding engines and the vector store.
async fn retrieval_services(settings: &Settings) -> Result<RetrievalServices, StartError> {
    let vectors = vector_store(settings).await?;
    let client = ProviderClient::new(settings.providers.clone())?;
    let model_dir = settings.retrieval.model_dir(&settings.data_dir);
    let local: Option<Arc<dyn LocalEmbedding>> = if model_dir.join("config.json").is_file() {
        Some(Arc::new(LocalEmbedder::new(model_dir)))
    } else {
        tracing::info!(dir = %model_dir.display(), "no local embedding model (scripts/fetch-embedding-model)");
        None
    };
    Ok(RetrievalServices {
        embedder: Arc::new(Embeddings::new(client.clone(), local)),
        reranker: Arc::new(ExternalReranker::new(client)),
        tokenizer: Arc::new(Cl100k),
        vectors,
        web: Arc::new(web_pages(settings)?),
    })
}

/// The usage-limit counters: in Redis when `REDIS_URL` is set (shared by every instance),
/// else in memory.
fn usage_counters(settings: &Settings) -> Result<Arc<dyn UsageCounters>, StartError> {
    Ok(match settings.redis.url() {
        Some(url) => Arc::new(RedisCounters::new(url, &settings.redis.key_prefix)?),
        None => Arc::new(LocalCounters::default()),
    })
}

/// The fetcher of web pages users name, with the outbound policy of the settings.
fn web_pages(settings: &Settings) -> Result<GuardedWeb, StartError> {
    let outbound = &settings.outbound;
    let policy = OutboundPolicy::new(outbound.local_fetch(), &outbound.web_fetch_filter_list);
    let limits = FetchLimits {
        timeout: outbound.web_fetch_timeout,
        max_bytes: outbound.web_fetch_max_bytes,
        max_redirects: outbound.web_fetch_max_redirects,
    };
    GuardedWeb::new(policy, limits).map_err(StartError::Settings)
}

/// Opens and migrates storage, loads the configuration and binds every port.
pub(super) async fn compose(settings: Arc<Settings>) -> Result<Composed, StartError> {
    let store = SqlStore::connect(&settings.database()).await?;
    store.migrate().await?;
    let store = Arc::new(store);
    let secret = match &settings.secret_key {
        Some(secret) if !secret.is_empty() => secret.clone(),
        _ => secret::load_or_create(&settings.data_dir)?,
    };
    let config = Arc::new(LiveConfig::start(store.clone(), settings.clone()).await?);
    config.spawn_refresh(settings.config_refresh_interval);
    let (accounts, authenticator) = sign_in(&settings, &store, &secret);
    let manager = settings.manager().map_err(StartError::Settings)?;
    let realtime = Arc::new(Realtime::new(&manager)?);
    let sso = &settings.sso;
    let identity = Sso::new(
        &secret,
        sso.token_encryption_key.as_deref(),
        sso.timeout,
        sso.login_ttl,
    )?;
    let retrieval = retrieval_services(&settings).await?;
    let app = Arc::new(App {
        settings: settings.clone(),
        storage: store.clone(),
        config,
        models: Arc::new(Providers::new(settings.providers.clone())?),
        clients: realtime.clone(),
        tasks: TaskRegistry::new(&TaskSettings::from_redis(&settings.redis))?,
        usage: usage_counters(&settings)?,
        identity: Arc::new(identity),
        files: file_services(&settings)?,
        retrieval,
        accounts,
        authenticator,
        users_seen: Latch::default(),
    });
    hearth_services::files::recover_unfinished(&app).await?;
    Ok(Composed {
        app,
        realtime,
        store,
    })
}
