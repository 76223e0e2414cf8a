//! A reusable harness for Hearth's end-to-end tests: [`TestServer::start`] runs a real server
//! on a free port with a fresh database (SQLite, or PostgreSQL when
//! `HEARTH_TEST_DATABASE_URL` names a server) and an admin already signed up. On PostgreSQL,
//! when `HEARTH_TEST_PGVECTOR_URL` names a PostgreSQL with pgvector, the server's vector store
//! is a fresh database there (`VECTOR_DB=pgvector`).
//!
//! ```no_run
//! # async fn demo() -> anyhow::Result<()> {
//! let server = hearth_tests::TestServer::start().await?;
//! let me = server.get_json("/api/v1/auths/", &server.admin_token).await?;
//! assert_eq!(me["role"], "admin");
//! server.stop().await?;
//! # Ok(()) }
//! ```

pub mod fake_upstream;
pub mod files;
pub mod ldap_server;
pub mod oidc_provider;
pub mod openapi_cases;
pub mod process;
pub mod redis_server;
pub mod s3_server;
pub mod schema_example;

use anyhow::{Context, Result};
use hearth_api::settings::VectorDbSettings;
use hearth_api::{Server, Settings};
use hearth_persistence::scratch::ScratchDatabase;
use serde_json::{Value, json};

pub use hearth_api;
pub use reqwest;

/// The secret key every test server signs and seals with.
pub const TEST_SECRET_KEY: &str = "test-secret-that-is-long-enough-for-hs256";

/// Email of the admin every [`TestServer::start`] signs up.
pub const ADMIN_EMAIL: &str = "admin@example.com";
/// Password of that admin.
pub const ADMIN_PASSWORD: &str = "admin-password";

/// A running server with its own database and data folder.
pub struct TestServer {
    /// Base URL, e.g. `http://127.0.0.1:41234`.
    pub url: String,
    /// Session token of the first (admin) account; empty for [`TestServer::start_empty`].
    pub admin_token: String,
    /// Id of that admin.
    pub admin_id: String,
    server: Option<Server>,
    scratch: Option<ScratchDatabase>,
    vector_scratch: Option<ScratchDatabase>,
    vectors: VectorDbSettings,
    data_dir: tempfile::TempDir,
    client: reqwest::Client,
}

impl TestServer {
    /// A server with default test settings and a signed-up admin.
    pub async fn start() -> Result<Self> {
        Self::start_with(|_| {}).await
    }

    /// Like [`TestServer::start`], after `configure` adjusts the settings.
    pub async fn start_with(configure: impl FnOnce(&mut Settings)) -> Result<Self> {
        let mut server = Self::start_empty(configure).await?;
        let session = server.signup("Admin", ADMIN_EMAIL, ADMIN_PASSWORD).await?;
        server.admin_token = text(&session, "token")?;
        server.admin_id = text(&session, "id")?;
        Ok(server)
    }

    /// A server on a fresh install: no users yet.
    pub async fn start_empty(configure: impl FnOnce(&mut Settings)) -> Result<Self> {
        let data_dir = tempfile::tempdir()?;
        let scratch = ScratchDatabase::create().await?;
        let mut settings = test_settings(data_dir.path());
        settings.database = scratch.settings();
        let vector_scratch = match pgvector_server() {
            Some(server) => {
                let vectors = ScratchDatabase::create_on(&server).await?;
                settings.vectors.vector_db = "pgvector".into();
                settings.vectors.pgvector_db_url = Some(vectors.url.clone());
                Some(vectors)
            }
            None => None,
        };
        configure(&mut settings);
        let vectors = settings.vectors.clone();
        let server = hearth_api::start(settings)
            .await
            .context("starting the server")?;
        let url = format!("http://127.0.0.1:{}", server.port());
        let client = http_client()?;
        Ok(Self {
            url,
            admin_token: String::new(),
            admin_id: String::new(),
            server: Some(server),
            scratch: Some(scratch),
            vector_scratch,
            vectors,
            data_dir,
            client,
        })
    }

    /// A second instance on the same database (and secret, so sessions work on both), set up
    /// by `configure`; the admin's token carries over. Stop it before the first.
    pub async fn start_peer(&self, configure: impl FnOnce(&mut Settings)) -> Result<Self> {
        let data_dir = tempfile::tempdir()?;
        let database = self
            .scratch
            .as_ref()
            .map(ScratchDatabase::settings)
            .context("the first server owns no database")?;
        let mut settings = test_settings(data_dir.path());
        settings.database = database;
        settings.vectors = self.vectors.clone();
        configure(&mut settings);
        let server = hearth_api::start(settings)
            .await
            .context("starting the peer")?;
        let url = format!("http://127.0.0.1:{}", server.port());
        Ok(Self {
            url,
            admin_token: self.admin_token.clone(),
            admin_id: self.admin_id.clone(),
            server: Some(server),
            scratch: None,
            vector_scratch: None,
            vectors: self.vectors.clone(),
            data_dir,
            client: http_client()?,
        })
    }

    /// The database this server owns (`None` for a peer).
    pub fn database(&self) -> Option<hearth_persistence::DatabaseSettings> {
        self.scratch.as_ref().map(ScratchDatabase::settings)
    }

    /// The data folder.
    pub fn data_dir(&self) -> &std::path::Path {
        self.data_dir.path()
    }

    /// Absolute URL of `path`.
    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.url, path)
    }

    /// A plain HTTP client (no cookie store).
    pub fn client(&self) -> &reqwest::Client {
        &self.client
    }

    /// `GET path` with a bearer token, expecting 200 and JSON.
    pub async fn get_json(&self, path: &str, token: &str) -> Result<Value> {
        let response = self
            .client
            .get(self.url(path))
            .bearer_auth(token)
            .send()
            .await?;
        json_ok(response).await
    }

    /// `POST path` with a JSON body and a bearer token, expecting 200 and JSON.
    pub async fn post_json(&self, path: &str, token: &str, body: &Value) -> Result<Value> {
        let response = self
            .client
            .post(self.url(path))
            .bearer_auth(token)
            .json(body)
            .send()
            .await?;
        json_ok(response).await
    }

    /// `POST path` with a JSON body as the holder of `token`; the status and the JSON (or text)
    /// body, whatever the status.
    pub async fn post_as(
        &self,
        token: &str,
        path: &str,
        body: &Value,
    ) -> Result<(reqwest::StatusCode, Value)> {
        let response = self
            .client
            .post(self.url(path))
            .bearer_auth(token)
            .json(body)
            .send()
            .await?;
        status_json(response).await
    }

    /// Signs up an account and returns the session response.
    pub async fn signup(&self, name: &str, email: &str, password: &str) -> Result<Value> {
        let body = json!({"name": name, "email": email, "password": password});
        let response = self
            .client
            .post(self.url("/api/v1/auths/signup"))
            .json(&body)
            .send()
            .await?;
        json_ok(response).await
    }

    /// Signs in and returns the session response.
    pub async fn signin(&self, email: &str, password: &str) -> Result<Value> {
        let body = json!({"email": email, "password": password});
        let response = self
            .client
            .post(self.url("/api/v1/auths/signin"))
            .json(&body)
            .send()
            .await?;
        json_ok(response).await
    }

    /// Adds an account as the admin (role `user` unless given) and returns its token.
    pub async fn add_user(&self, name: &str, email: &str, role: &str) -> Result<String> {
        let body = json!({"name": name, "email": email, "password": "user-password", "role": role});
        let added = self
            .post_json("/api/v1/auths/add", &self.admin_token, &body)
            .await?;
        text(&added, "token")
    }

    /// Stops the server and removes its database.
    pub async fn stop(mut self) -> Result<()> {
        if let Some(server) = self.server.take() {
            server.stop().await?;
        }
        for scratch in [self.scratch.take(), self.vector_scratch.take()]
            .into_iter()
            .flatten()
        {
            scratch.remove().await?;
        }
        Ok(())
    }
}

impl Drop for TestServer {
    fn drop(&mut self) {
        let scratches: Vec<ScratchDatabase> = [self.scratch.take(), self.vector_scratch.take()]
            .into_iter()
            .flatten()
            .collect();
        if !scratches.is_empty() {
            // Best effort when a test ends without `stop()`; leftovers are also swept by CI.
            let _ = std::thread::spawn(move || {
                if let Ok(runtime) = tokio::runtime::Builder::new_current_thread()
                    .enable_all()
                    .build()
                {
                    for scratch in scratches {
                        let _ = runtime.block_on(scratch.remove());
                    }
                }
            })
            .join();
        }
    }
}

/// The pgvector server the vector stores of PostgreSQL test servers live on.
fn pgvector_server() -> Option<String> {
    let on_postgres = std::env::var(hearth_persistence::scratch::TEST_DATABASE_ENV)
        .is_ok_and(|url| !url.is_empty());
    std::env::var("HEARTH_TEST_PGVECTOR_URL")
        .ok()
        .filter(|url| on_postgres && !url.is_empty())
}

/// Settings every test server starts from: loopback, any port, cheap hashing, a fixed secret,
/// and no model servers unless a test configures them.
fn test_settings(data_dir: &std::path::Path) -> Settings {
    let mut settings = Settings::new(data_dir);
    settings.http.host = "127.0.0.1".into();
    settings.http.port = 0;
    settings.http.workers = Some(2);
    settings.accounts.password_hash_cost = 4;
    settings.secret_key = Some(TEST_SECRET_KEY.into());
    settings.http.frontend_dir = data_dir.join("frontend");
    settings.models.ollama_base_url = String::new();
    settings
}

/// The tests' HTTP client. It drops pooled connections idle for 4 s, before the server's
/// 5 s keep-alive closes them, so that a request never races a server closing its connection.
fn http_client() -> Result<reqwest::Client> {
    Ok(reqwest::Client::builder()
        .pool_idle_timeout(std::time::Duration::from_secs(4))
        .build()?)
}

/// Polls `probe` every 100 ms until it returns `Some`, for at most `seconds`.
pub async fn eventually<T, F, Fut>(seconds: u64, mut probe: F) -> Result<Option<T>>
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = Result<Option<T>>>,
{
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(seconds);
    while std::time::Instant::now() < deadline {
        if let Some(found) = probe().await? {
            return Ok(Some(found));
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    Ok(None)
}

/// A path inside the repository (for scripts and client programs the tests run).
pub fn repo_path(relative: &str) -> std::path::PathBuf {
    std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("..")
        .join(relative)
}

/// Reads a 2xx JSON response, or fails with the status and body.
pub async fn json_ok(response: reqwest::Response) -> Result<Value> {
    let status = response.status();
    let body = response.text().await?;
    anyhow::ensure!(status.is_success(), "HTTP {status}: {body}");
    serde_json::from_str(&body).with_context(|| format!("not JSON: {body}"))
}

/// The status and JSON body of a response (a non-JSON body becomes a JSON string).
pub async fn status_json(response: reqwest::Response) -> Result<(reqwest::StatusCode, Value)> {
    let status = response.status();
    let body = response.text().await?;
    Ok((
        status,
        serde_json::from_str(&body).unwrap_or(Value::String(body)),
    ))
}

/// A string field of a JSON object.
pub fn text(value: &Value, field: &str) -> Result<String> {
    value[field]
        .as_str()
        .map(str::to_owned)
        .with_context(|| format!("no {field:?} in {value}"))
}

/// The `data:` payloads of a server-sent event stream, in order (`[DONE]` as a JSON string).
pub fn sse_payloads(body: &str) -> Result<Vec<Value>> {
    body.split("\n\n")
        .filter(|event| !event.trim().is_empty())
        .map(|event| {
            let data = event
                .lines()
                .filter_map(|l| l.strip_prefix("data: "))
                .collect::<Vec<_>>()
                .join("\n");
            if data == "[DONE]" {
                Ok(Value::from("[DONE]"))
            } else {
                serde_json::from_str(&data).with_context(|| format!("event is not JSON: {event:?}"))
            }
        })
        .collect()
}

/// The text of streamed OpenAI chunks (`choices[0].delta.content` joined).
pub fn streamed_text(payloads: &[Value]) -> String {
    payloads
        .iter()
        .filter_map(|p| {
            p.pointer("/choices/0/delta/content")
                .and_then(Value::as_str)
        })
        .collect()
}
