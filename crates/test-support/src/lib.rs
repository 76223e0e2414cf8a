//! In-memory doubles of Hearth's ports, and a [`TestApp`] assembled from them, so that the
//! use cases of `hearth-services` can be tested without a database, a model server, sockets
//! or an identity provider. The doubles keep what they were asked (requests, events) for
//! tests to inspect.

mod clients;
mod files;
mod identity;
mod models;
mod retrieval;
mod store;
mod tasks;

pub use clients::{Emitted, RecordingClients};
pub use files::{MemoryBlobs, PlainExtractor};
pub use identity::{AUTHORIZE_URL, FakeIdentity};
pub use models::{Script, ScriptedModels, query_answer};
pub use retrieval::{
    ByteTokenizer, FixedWeb, MemoryVectors, WORD_DIMENSIONS, WordEmbedder, WordReranker,
    word_vector,
};
pub use store::MemoryStore;
pub use tasks::LocalTasks;

use hearth_auth::accounts::{Accounts, NewUserRequest};
use hearth_auth::activity::ActivityTracker;
use hearth_auth::authenticate::Authenticator;
use hearth_auth::password::PasswordHasher;
use hearth_auth::rate_limit::RateLimiter;
use hearth_auth::tokens::SessionTokens;
use hearth_domain::time::now_epoch;
use hearth_domain::{Role, User};
use hearth_services::App;
use hearth_services::app::Latch;
use hearth_services::config::LiveConfig;
use hearth_services::files::FileServices;
use hearth_services::retrieval::ports::RetrievalServices;
use hearth_settings::Settings;
use std::sync::Arc;

/// The signing secret of test apps.
pub const SECRET: &str = "test-secret";

/// An [`App`] over in-memory doubles, with the doubles at hand.
pub struct TestApp {
    /// The application.
    pub app: Arc<App>,
    /// Its storage.
    pub store: Arc<MemoryStore>,
    /// Its model servers (offering `gpt-test` unless told otherwise).
    pub models: Arc<ScriptedModels>,
    /// Its connected clients.
    pub clients: Arc<RecordingClients>,
    /// Its background tasks.
    pub tasks: Arc<LocalTasks>,
    /// Its identity provider.
    pub identity: Arc<FakeIdentity>,
    /// Its file storage.
    pub blobs: Arc<MemoryBlobs>,
    /// Its embedding engine.
    pub embedder: Arc<WordEmbedder>,
    /// Its vector store.
    pub vectors: Arc<MemoryVectors>,
}

/// Settings for tests: an OpenAI connection (answered by [`ScriptedModels`]), no Ollama, and
/// the cheapest password hashing.
pub fn test_settings() -> Settings {
    let mut settings = Settings::new(std::env::temp_dir().join("hearth-test-support"));
    settings.accounts.password_hash_cost = 4;
    settings.models.openai_base_urls = Some(vec!["http://openai.test/v1".into()]);
    settings.models.ollama_base_url = String::new();
    settings
}

impl TestApp {
    /// An app with [`test_settings`] offering the model `gpt-test`.
    pub async fn new() -> Self {
        Self::with(test_settings(), ScriptedModels::new(&["gpt-test"])).await
    }

    /// An app with these settings and model servers.
    ///
    /// # Panics
    /// When the live configuration cannot load from the empty store (it always can).
    #[expect(
        clippy::expect_used,
        reason = "a test fixture: failing loudly is the point"
    )]
    pub async fn with(settings: Settings, models: ScriptedModels) -> Self {
        let settings = Arc::new(settings);
        let store = Arc::new(MemoryStore::new());
        let config = LiveConfig::start(store.clone(), settings.clone())
            .await
            .expect("configuration loads from memory");
        let accounts = &settings.accounts;
        let hasher = PasswordHasher::new(accounts.password_hash_cost, accounts.hash_concurrency());
        let limiter = Arc::new(RateLimiter::new(
            accounts.signin_rate_limit,
            accounts.signin_rate_window.as_secs(),
        ));
        let activity = ActivityTracker::new(store.clone(), 0);
        let authenticator = Authenticator::new(
            SessionTokens::new(SECRET),
            store.clone(),
            store.clone(),
            activity,
        );
        let models = Arc::new(models);
        let clients = Arc::new(RecordingClients::default());
        let tasks = Arc::new(LocalTasks::default());
        let identity = Arc::new(FakeIdentity::default());
        let blobs = Arc::new(MemoryBlobs::default());
        let embedder = Arc::new(WordEmbedder::default());
        let vectors = Arc::new(MemoryVectors::default());
        let files = FileServices::new(
            blobs.clone(),
            Arc::new(PlainExtractor),
            settings.files.processing_concurrency as usize,
            settings.files.processing_timeout,
        );
        let app = Arc::new(App {
            settings,
            storage: store.clone(),
            config: Arc::new(config),
            models: models.clone(),
            clients: clients.clone(),
            tasks: tasks.clone(),
            usage: Arc::new(hearth_domain::usage::LocalCounters::default()),
            identity: identity.clone(),
            files,
            retrieval: RetrievalServices {
                embedder: embedder.clone(),
                vectors: vectors.clone(),
                reranker: Arc::new(WordReranker),
                tokenizer: Arc::new(ByteTokenizer),
                web: Arc::new(FixedWeb::default()),
            },
            accounts: Accounts::new(store.clone(), store.clone(), hasher, limiter),
            authenticator,
            users_seen: Latch::default(),
        });
        Self {
            app,
            store,
            models,
            clients,
            tasks,
            identity,
            blobs,
            embedder,
            vectors,
        }
    }

    /// Creates an account with `role` (password `password`), as an admin's "add user" does.
    ///
    /// # Panics
    /// When the email is taken.
    #[expect(
        clippy::expect_used,
        reason = "a test fixture: failing loudly is the point"
    )]
    pub async fn account(&self, email: &str, role: Role) -> User {
        let request = NewUserRequest {
            name: email.split('@').next().unwrap_or(email).to_owned(),
            email: email.to_owned(),
            password: "password".into(),
            profile_image_url: None,
            role,
        };
        let created = self
            .app
            .accounts
            .create(request, false, now_epoch())
            .await
            .expect("the account is created");
        self.app.mark_users_exist();
        created.user
    }
}
