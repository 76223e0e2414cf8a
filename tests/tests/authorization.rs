//! The authorization matrix, generated from the served OpenAPI document so that a new route
//! is covered without being listed here.
//!
//! An owner (the admin) holds one of each resource — chat with a message, share, folder, file,
//! knowledge base with a folder, workspace model — each carrying [`MARKER`]. An intruder (a
//! user) then calls every operation that takes a resource id, once per credential transport
//! (Bearer session token, `token` cookie, `sk-` key as Bearer, `x-api-key`):
//! - with the owner's ids in the path and in every id field of the body;
//! - with the intruder's own ids in the path and the owner's ids in the body (attaching
//!   someone else's file to one's own knowledge base, moving a chat into their folder, ...).
//!
//! Every answer must be a refusal or carry none of the owner's data, none may be a 5xx, and at
//! the end the owner's resources must read exactly as before and nothing of theirs may have
//! reached the intruder's. Then every operation is called with no credential at all: only the
//! public ones (sign-in, the public configuration, health, the document itself) may answer.

use anyhow::Result;
use hearth_tests::fake_upstream::{FakeUpstream, Flavor};
use hearth_tests::openapi_cases::{Operation, Owned, answer, operations, seed, served_document};
use hearth_tests::{TestServer, text};
use reqwest::{RequestBuilder, StatusCode};
use serde_json::{Value, json};
use std::collections::BTreeMap;

/// Written into every resource of the owner; an answer holding it leaks their data.
const MARKER: &str = "owner-secret-7f3a";

/// Operations anyone may call without signing in, and why.
const PUBLIC: &[(&str, &str)] = &[
    (
        "/api/config",
        "the sign-in page's configuration (reduced when signed out)",
    ),
    ("/api/version", "the version"),
    ("/api/changelog", "the release notes"),
    ("/api/version/updates", "the version"),
    ("/health", "liveness"),
    ("/health/db", "readiness"),
    ("/ready", "readiness"),
    ("/openapi.json", "this document"),
    ("/docs", "this document"),
    ("/manifest.json", "the web app manifest"),
    ("/opensearch.xml", "the browser search description"),
    ("/ollama/", "Ollama's liveness answer, as upstream"),
    (
        "/ws/socket.io",
        "the Socket.IO handshake (the socket authenticates in its connect packet)",
    ),
    (
        "/ws/socket.io/",
        "the Socket.IO handshake (the socket authenticates in its connect packet)",
    ),
    ("/api/v1/auths/signin", "signing in"),
    ("/api/v1/auths/signup", "signing up"),
    ("/api/v1/auths/signout", "signing out"),
    ("/api/v1/auths/ldap", "signing in"),
    ("/oauth/{provider}/login", "signing in"),
    ("/oauth/{provider}/callback", "signing in"),
    ("/oauth/{provider}/login/callback", "signing in"),
];

#[tokio::test]
async fn no_route_lets_one_user_read_or_change_anothers_resources() -> Result<()> {
    let upstream = FakeUpstream::start(Flavor::OpenAi, &["echo"]).await?;
    let (server, intruder) = start(&upstream.url).await?;
    let admin = server.admin_token.clone();
    let owner = seed(&server, &admin, MARKER).await?;
    let own = seed(&server, &intruder.session, "intruder-own").await?;
    let before = snapshot(&server, &admin, &owner).await?;
    let document = served_document(&server).await?;

    let mut matrix = Matrix::default();
    for (pass, path_ids) in [
        ("owner's ids", &owner),
        ("own ids, owner's in the body", &own),
    ] {
        for operation in operations(&document).filter(|o| o.takes_an_id()) {
            for transport in Transport::ALL {
                let request = operation.request(&server, &document, path_ids, &owner);
                let request = transport.apply(request, &intruder);
                let (status, body) = answer(request).await;
                matrix.record(pass, &operation, transport, status, &body);
            }
        }
    }

    // A completion naming the owner's chat must not write into it (a published advisory).
    let completion = server
        .client()
        .post(server.url("/api/chat/completions"))
        .bearer_auth(&intruder.session)
        .json(
            &json!({"model": "echo", "stream": false, "chat_id": owner.chat, "id": owner.message,
            "messages": [{"role": "user", "content": "overwrite"}]}),
        )
        .send()
        .await?;
    assert!(!completion.status().is_server_error());

    let after = snapshot(&server, &admin, &owner).await?;
    for ((what, was), (_, now)) in before.iter().zip(&after) {
        if was != now {
            matrix
                .failures
                .push(format!("the owner's {what} changed:\n{was}\n→\n{now}"));
        }
    }
    for listing in [
        "/api/v1/chats/",
        "/api/v1/folders/",
        "/api/v1/files/",
        "/api/v1/knowledge/",
        "/api/v1/models",
        "/api/v1/models/list",
        "/api/models",
    ] {
        let seen = server
            .get_json(listing, &intruder.session)
            .await?
            .to_string();
        if seen.to_lowercase().contains(MARKER) {
            matrix.failures.push(format!(
                "the intruder's {listing} holds the owner's data: {seen}"
            ));
        }
    }
    matrix.report();
    server.stop().await
}

/// The intruder's two credentials.
struct Intruder {
    session: String,
    key: String,
}

/// A server with API keys on, the fake upstream as model and embedding server, users allowed
/// keys, knowledge and models, and the intruder signed up with a key.
async fn start(upstream: &str) -> Result<(TestServer, Intruder)> {
    let url = upstream.to_owned();
    let server = TestServer::start_with(move |s| {
        s.accounts.enable_api_keys = true;
        s.models.openai_base_urls = Some(vec![url.clone()]);
        s.retrieval.embedding_engine = Some("openai".into());
        s.retrieval.openai_base_url = Some(url);
    })
    .await?;
    let admin = server.admin_token.clone();
    let mut permissions = server
        .get_json("/api/v1/users/default/permissions", &admin)
        .await?;
    permissions["features"]["api_keys"] = json!(true);
    permissions["workspace"]["knowledge"] = json!(true);
    permissions["workspace"]["models"] = json!(true);
    server
        .post_json("/api/v1/users/default/permissions", &admin, &permissions)
        .await?;
    let session = server
        .add_user("Intruder", "intruder@example.com", "user")
        .await?;
    let key = text(
        &server
            .post_json("/api/v1/auths/api_key", &session, &json!({}))
            .await?,
        "api_key",
    )?;
    Ok((server, Intruder { session, key }))
}

/// The cases run, their outcomes by transport and status, and what went wrong.
#[derive(Default)]
struct Matrix {
    cases: usize,
    tally: BTreeMap<String, usize>,
    failures: Vec<String>,
}

impl Matrix {
    /// Counts one answer; a 5xx, a timeout or the owner's data in it is a failure.
    fn record(
        &mut self,
        pass: &str,
        operation: &Operation,
        transport: Transport,
        status: StatusCode,
        body: &str,
    ) {
        self.cases += 1;
        *self
            .tally
            .entry(format!("{} {status}", transport.name()))
            .or_default() += 1;
        let leaked = body.to_lowercase().contains(MARKER);
        if status.is_server_error() || status == StatusCode::REQUEST_TIMEOUT || leaked {
            self.failures.push(format!(
                "[{pass}] {} {} via {}: {status} {}",
                operation.method,
                operation.path,
                transport.name(),
                body.chars().take(200).collect::<String>()
            ));
        }
    }

    /// Prints the counts; fails on any failure, or on too few cases to mean anything.
    fn report(&self) {
        println!(
            "authorization matrix: {} route × transport cases",
            self.cases
        );
        for (outcome, count) in &self.tally {
            println!("  {outcome}: {count}");
        }
        assert!(
            self.cases > 200,
            "only {} cases: is the document served?",
            self.cases
        );
        assert!(self.failures.is_empty(), "{}", self.failures.join("\n"));
    }
}

#[tokio::test]
async fn only_public_routes_answer_without_credentials() -> Result<()> {
    let server = TestServer::start().await?;
    let owner = seed(&server, &server.admin_token, MARKER).await?;
    let document = served_document(&server).await?;
    let mut failures = Vec::new();
    let mut cases = 0;
    for operation in operations(&document) {
        if PUBLIC.iter().any(|(path, _)| *path == operation.path) {
            continue;
        }
        let (status, body) = answer(operation.request(&server, &document, &owner, &owner)).await;
        cases += 1;
        if status != StatusCode::UNAUTHORIZED && status != StatusCode::FORBIDDEN {
            failures.push(format!(
                "{} {}: {status} {}",
                operation.method,
                operation.path,
                body.chars().take(200).collect::<String>()
            ));
        }
    }
    let config = server
        .client()
        .get(server.url("/api/config"))
        .send()
        .await?
        .text()
        .await?;
    for private in [
        "default_models",
        "user_count",
        "OPENAI",
        "api_key",
        "permissions",
    ] {
        if config.contains(private) {
            failures.push(format!(
                "/api/config shows `{private}` signed out: {config}"
            ));
        }
    }
    println!("{cases} operations refused without credentials");
    assert!(
        cases > 100,
        "only {cases} operations: is the document served?"
    );
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    server.stop().await
}

/// How the owner's resources read, each as `(what, JSON)`.
async fn snapshot(server: &TestServer, token: &str, owned: &Owned) -> Result<Vec<(String, Value)>> {
    let reads = [
        format!("/api/v1/chats/{}", owned.chat),
        format!("/api/v1/chats/{}/tags", owned.chat),
        format!("/api/v1/chats/share/{}", owned.share),
        format!("/api/v1/chats/shared/{}/access", owned.chat),
        format!("/api/v1/folders/{}", owned.folder),
        format!("/api/v1/files/{}", owned.file),
        format!("/api/v1/files/{}/data/content", owned.file),
        format!("/api/v1/knowledge/{}", owned.knowledge),
        format!("/api/v1/models/model?id={}", owned.model),
        "/api/v1/chats/".to_owned(),
    ];
    let mut seen = Vec::new();
    for path in reads {
        let value = server.get_json(&path, token).await?;
        seen.push((path, value));
    }
    Ok(seen)
}

/// A credential transport.
#[derive(Clone, Copy)]
enum Transport {
    BearerSession,
    Cookie,
    BearerKey,
    HeaderKey,
}

impl Transport {
    const ALL: [Self; 4] = [
        Self::BearerSession,
        Self::Cookie,
        Self::BearerKey,
        Self::HeaderKey,
    ];

    fn name(self) -> &'static str {
        match self {
            Self::BearerSession => "Bearer session",
            Self::Cookie => "token cookie",
            Self::BearerKey => "Bearer sk- key",
            Self::HeaderKey => "x-api-key",
        }
    }

    fn apply(self, request: RequestBuilder, intruder: &Intruder) -> RequestBuilder {
        let (session, key) = (&intruder.session, &intruder.key);
        match self {
            Self::BearerSession => request.bearer_auth(session),
            Self::Cookie => request.header("cookie", format!("token={session}")),
            Self::BearerKey => request.bearer_auth(key),
            Self::HeaderKey => request.header("x-api-key", key),
        }
    }
}
