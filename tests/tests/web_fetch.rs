//! Web pages users name (`/api/v1/retrieval/process/url` and `/process/web`) go through the
//! outbound policy: loopback, private, link-local and metadata targets are refused by
//! default — checked on the address actually connected to and again on every redirect —
//! while an allow entry or `ENABLE_LOCAL_WEB_FETCH` opens local targets (the metadata
//! addresses stay blocked). A page server on loopback counts the requests that reach it.

use anyhow::Result;
use hearth_tests::fake_upstream::{FakeUpstream, Flavor};
use hearth_tests::{TestServer, status_json};
use reqwest::StatusCode;
use serde_json::{Value, json};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;

/// Open WebUI's answer to a URL it will not fetch.
const INVALID_URL: &str = "The URL you provided is invalid. Please double-check and try again.";

const PAGE: &str = "<html><head><title>Timetable</title></head><body><h1>Trains</h1>\
<p>Trains leave from platform nine every hour.</p></body></html>";

/// A page server on 127.0.0.1: `/page` (HTML), `/big` (HTML over 4 KiB), `/file` (a PDF
/// content type) and `/to?<url>` (a redirect to that URL). Counts requests.
struct Pages {
    base: String,
    port: u16,
    hits: Arc<AtomicUsize>,
}

async fn pages() -> Result<Pages> {
    let listener = TcpListener::bind("127.0.0.1:0").await?;
    let port = listener.local_addr()?.port();
    let hits = Arc::new(AtomicUsize::new(0));
    let counter = hits.clone();
    tokio::spawn(async move {
        while let Ok((mut socket, _)) = listener.accept().await {
            counter.fetch_add(1, Ordering::SeqCst);
            tokio::spawn(async move {
                let mut buffer = vec![0u8; 4096];
                let read = socket.read(&mut buffer).await.unwrap_or(0);
                let request = String::from_utf8_lossy(&buffer[..read]).to_string();
                let target = request.split(' ').nth(1).unwrap_or("/").to_owned();
                let answer = answer_for(&target);
                let _ = socket.write_all(answer.as_bytes()).await;
            });
        }
    });
    Ok(Pages {
        base: format!("http://127.0.0.1:{port}"),
        port,
        hits,
    })
}

fn answer_for(target: &str) -> String {
    let reply = |status: &str, headers: &str, body: &str| {
        format!(
            "HTTP/1.1 {status}\r\n{headers}content-length: {}\r\nconnection: close\r\n\r\n{body}",
            body.len()
        )
    };
    if let Some(location) = target.strip_prefix("/to?") {
        return reply("302 Found", &format!("location: {location}\r\n"), "");
    }
    match target {
        "/page" => reply("200 OK", "content-type: text/html; charset=utf-8\r\n", PAGE),
        "/big" => reply(
            "200 OK",
            "content-type: text/html\r\n",
            &format!("<p>{}</p>", "word ".repeat(1000)),
        ),
        "/file" => reply("200 OK", "content-type: application/pdf\r\n", "%PDF-1.4"),
        _ => reply("404 Not Found", "", ""),
    }
}

async fn fetch(server: &TestServer, url: &str) -> Result<(StatusCode, Value)> {
    let response = server
        .client()
        .post(server.url("/api/v1/retrieval/process/url"))
        .bearer_auth(&server.admin_token)
        .json(&json!({"url": url}))
        .send()
        .await?;
    status_json(response).await
}

fn refused() -> (StatusCode, Value) {
    (StatusCode::BAD_REQUEST, json!({"detail": INVALID_URL}))
}

#[tokio::test]
async fn local_and_metadata_targets_are_refused_by_default() -> Result<()> {
    let pages = pages().await?;
    let server = TestServer::start().await?;
    let port = pages.port;
    for url in [
        format!("{}/page", pages.base),
        format!("http://localhost:{port}/page"),
        format!("http://[::1]:{port}/page"),
        format!("http://[::ffff:127.0.0.1]:{port}/page"),
        format!("http://0x7f000001:{port}/page"),
        format!("http://2130706433:{port}/page"),
        format!("http://user@127.0.0.1:{port}/page"),
        "http://169.254.169.254/latest/meta-data/".to_owned(),
        "http://metadata.google.internal/computeMetadata/v1/".to_owned(),
        "http://10.0.0.1/".to_owned(),
        "file:///etc/passwd".to_owned(),
        "gopher://127.0.0.1:70/".to_owned(),
    ] {
        assert_eq!(fetch(&server, &url).await?, refused(), "{url}");
    }
    assert_eq!(
        pages.hits.load(Ordering::SeqCst),
        0,
        "nothing reached the page server"
    );
    server.stop().await
}

#[tokio::test]
async fn an_allowed_address_is_read_and_indexed_and_each_redirect_is_checked_again() -> Result<()> {
    let pages = pages().await?;
    let upstream = FakeUpstream::start(Flavor::OpenAi, &["echo"]).await?;
    let url = upstream.url.clone();
    let server = TestServer::start_with(move |s| {
        s.outbound.web_fetch_filter_list = vec!["127.0.0.1/32".into()];
        s.outbound.web_fetch_max_bytes = 4096;
        s.retrieval.embedding_engine = Some("openai".into());
        s.retrieval.openai_base_url = Some(url);
    })
    .await?;
    let page = format!("{}/page", pages.base);
    let (status, read) = fetch(&server, &page).await?;
    assert_eq!(status, StatusCode::OK, "{read}");
    assert_eq!(read["type"], "web");
    assert_eq!(read["url"], page.as_str());
    assert!(
        read["content"]
            .as_str()
            .is_some_and(|c| c.contains("platform nine"))
    );
    assert!(
        read["collection_name"]
            .as_str()
            .is_some_and(|c| c.len() == 63)
    );
    assert!(!upstream.requests_to("/v1/embeddings").is_empty());

    // The same through /process/web, without indexing.
    let web = server
        .client()
        .post(server.url("/api/v1/retrieval/process/web?process=false"))
        .bearer_auth(&server.admin_token)
        .json(&json!({"url": page}))
        .send()
        .await?;
    let (status, web) = status_json(web).await?;
    assert_eq!(status, StatusCode::OK);
    assert!(web.get("collection_name").is_none());
    assert!(
        web["content"]
            .as_str()
            .is_some_and(|c| c.contains("platform nine"))
    );

    // A redirect to an address the list does not name is refused before it is requested
    // (127.0.0.2 is loopback too, but not allowed); one to an allowed address is followed.
    let hits = pages.hits.load(Ordering::SeqCst);
    let other = format!("http://127.0.0.2:{}/page", pages.port);
    let via = format!("{}/to?{other}", pages.base);
    assert_eq!(fetch(&server, &via).await?, refused());
    assert_eq!(
        pages.hits.load(Ordering::SeqCst),
        hits + 1,
        "only the redirect was served"
    );
    let back = format!("{}/to?{page}", pages.base);
    assert_eq!(fetch(&server, &back).await?.0, StatusCode::OK);

    // Not a web page, too large, or missing: a clear 400 naming the reason.
    let (status, file) = fetch(&server, &format!("{}/file", pages.base)).await?;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(
        file["detail"]
            .as_str()
            .is_some_and(|d| d.contains("application/pdf"))
    );
    let (status, big) = fetch(&server, &format!("{}/big", pages.base)).await?;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(big["detail"].as_str().is_some_and(|d| d.contains("4096")));
    let (status, _) = fetch(&server, &format!("{}/missing", pages.base)).await?;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    server.stop().await
}

#[tokio::test]
async fn an_allowed_name_that_resolves_to_a_local_address_is_refused_at_connection() -> Result<()> {
    let pages = pages().await?;
    // `localhost` passes the host allow-list, but the address it resolves to — the one the
    // client would connect to — is local, and local fetching is off.
    let server =
        TestServer::start_with(|s| s.outbound.web_fetch_filter_list = vec!["localhost".into()])
            .await?;
    let url = format!("http://localhost:{}/page", pages.port);
    assert_eq!(fetch(&server, &url).await?, refused());
    // A host the allow-list does not name is refused before resolution.
    assert_eq!(fetch(&server, "https://example.com/").await?, refused());
    assert_eq!(pages.hits.load(Ordering::SeqCst), 0);
    server.stop().await
}

#[tokio::test]
async fn local_fetching_opens_local_targets_but_never_the_metadata_service() -> Result<()> {
    let pages = pages().await?;
    let server = TestServer::start_with(|s| {
        s.outbound.enable_rag_local_web_fetch = true;
    })
    .await?;
    let (status, read) = fetch(&server, &format!("{}/page", pages.base)).await?;
    assert_eq!(status, StatusCode::OK, "{read}");
    let via = format!("{}/to?http://169.254.169.254/latest/meta-data/", pages.base);
    assert_eq!(fetch(&server, &via).await?, refused());
    assert_eq!(
        fetch(&server, "http://169.254.169.254/latest/meta-data/").await?,
        refused()
    );
    server.stop().await
}
