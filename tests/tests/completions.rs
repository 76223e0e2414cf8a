//! Chat completions in direct mode: SSE relayed chunk by chunk (lines and characters split
//! across TCP writes survive), Ollama translated both ways, failures before and during the
//! stream, cancellation when the client goes away, and API-key access.

use anyhow::Result;
use futures_util::StreamExt;
use hearth_tests::fake_upstream::{FakeUpstream, Flavor, SPLIT_TEXT, dead_url};
use hearth_tests::{TestServer, sse_payloads, status_json, streamed_text};
use reqwest::StatusCode;
use serde_json::{Value, json};
use std::time::Duration;

async fn server_for(openai: &FakeUpstream, ollama: Option<&FakeUpstream>) -> Result<TestServer> {
    let openai_url = openai.url.clone();
    let ollama_url = ollama.map(|o| o.url.clone());
    TestServer::start_with(move |s| {
        s.models.openai_base_urls = Some(vec![openai_url]);
        s.models.ollama_base_url = ollama_url.unwrap_or_default();
        s.providers.request_timeout = Duration::from_secs(2);
        s.providers.stream_idle_timeout = Some(Duration::from_secs(5));
    })
    .await
}

fn ask(model: &str, stream: bool) -> Value {
    json!({"model": model, "stream": stream, "messages": [{"role": "user", "content": "hi there"}]})
}

async fn post(server: &TestServer, path: &str, body: &Value) -> Result<reqwest::Response> {
    Ok(server
        .client()
        .post(server.url(path))
        .bearer_auth(&server.admin_token)
        .json(body)
        .send()
        .await?)
}

#[tokio::test]
async fn streams_survive_lines_and_characters_split_across_writes() -> Result<()> {
    let fake = FakeUpstream::start(Flavor::OpenAi, &["split", "echo"]).await?;
    let server = server_for(&fake, None).await?;
    let response = post(&server, "/api/chat/completions", &ask("split", true)).await?;
    assert_eq!(response.status(), StatusCode::OK);
    assert!(
        response.headers()["content-type"]
            .to_str()?
            .starts_with("text/event-stream")
    );
    let payloads = sse_payloads(&response.text().await?)?;
    assert_eq!(streamed_text(&payloads), SPLIT_TEXT);
    assert_eq!(payloads.last(), Some(&json!("[DONE]")));
    assert_eq!(
        payloads.iter().filter(|p| **p == json!("[DONE]")).count(),
        1
    );
    assert_eq!(
        payloads[payloads.len() - 2]["choices"][0]["finish_reason"],
        "stop"
    );

    // Non-streamed answers are the server's JSON; client-only fields never reach it.
    let mut body = ask("echo", false);
    body["chat_id"] = json!("c1");
    body["background_tasks"] = json!({"title_generation": true});
    let answer = post(&server, "/api/v1/chat/completions", &body).await?;
    let answer: Value = answer.json().await?;
    assert_eq!(
        answer["choices"][0]["message"]["content"],
        "Hello from fake: hi there"
    );
    let sent = &fake.requests_to("/v1/chat/completions")[1].body;
    assert!(
        sent.get("chat_id").is_none() && sent.get("background_tasks").is_none(),
        "{sent}"
    );
    server.stop().await
}

#[tokio::test]
#[expect(
    clippy::too_many_lines,
    reason = "one end-to-end scenario, read top to bottom"
)]
async fn ollama_models_are_translated_both_ways() -> Result<()> {
    let openai = FakeUpstream::start(Flavor::OpenAi, &[]).await?;
    let ollama = FakeUpstream::start(Flavor::Ollama, &["split", "llama3:8b"]).await?;
    let server = server_for(&openai, Some(&ollama)).await?;

    let mut request = ask("split", true);
    request["temperature"] = json!(0.5);
    request["max_tokens"] = json!(20);
    let response = post(&server, "/api/chat/completions", &request).await?;
    let payloads = sse_payloads(&response.text().await?)?;
    assert_eq!(streamed_text(&payloads), SPLIT_TEXT);
    assert_eq!(payloads[0]["object"], "chat.completion.chunk");
    assert_eq!(payloads[0]["choices"][0]["delta"]["role"], "assistant");
    let last = &payloads[payloads.len() - 2];
    assert_eq!(last["choices"][0]["finish_reason"], "stop");
    assert_eq!(last["usage"]["prompt_tokens"], 6);
    assert_eq!(last["usage"]["completion_tokens"], 4);
    let ids: Vec<&Value> = payloads.iter().filter_map(|p| p.get("id")).collect();
    assert!(ids.windows(2).all(|w| w[0] == w[1]), "one id per answer");
    let sent = &ollama.requests_to("/api/chat")[0].body;
    assert_eq!(sent["model"], "split");
    assert_eq!(sent["stream"], true);
    assert_eq!(
        sent["options"],
        json!({"temperature": 0.5, "num_predict": 20})
    );
    assert_eq!(
        sent["messages"],
        json!([{"role": "user", "content": "hi there"}])
    );

    let answer: Value = post(&server, "/api/chat/completions", &ask("llama3:8b", false))
        .await?
        .json()
        .await?;
    assert_eq!(answer["object"], "chat.completion");
    assert_eq!(
        answer["choices"][0]["message"]["content"],
        "Hello from fake: hi there"
    );
    assert_eq!(answer["usage"]["total_tokens"], 10);

    // Ollama's own API, proxied.
    let native = post(
        &server,
        "/ollama/api/chat",
        &json!({"model": "llama3:8b", "messages": [{"role": "user", "content": "yo"}]}),
    )
    .await?;
    assert!(
        native.headers()["content-type"]
            .to_str()?
            .starts_with("application/x-ndjson")
    );
    let lines: Vec<Value> = native
        .text()
        .await?
        .lines()
        .map(serde_json::from_str)
        .collect::<Result<_, _>>()?;
    assert_eq!(lines.last().map(|l| l["done"].clone()), Some(json!(true)));
    let text: String = lines
        .iter()
        .filter_map(|l| l["message"]["content"].as_str())
        .collect();
    assert_eq!(text, "Hello from fake: yo");
    let tags = server
        .get_json("/ollama/api/tags", &server.admin_token)
        .await?;
    assert_eq!(tags["models"][0]["model"], "split");
    assert_eq!(tags["models"][0]["urls"], json!([0]));
    assert_eq!(
        server
            .get_json("/ollama/api/version", &server.admin_token)
            .await?,
        json!({"version": "0.5.7"})
    );
    let shown = server
        .post_json(
            "/ollama/api/show",
            &server.admin_token,
            &json!({"model": "llama3:8b"}),
        )
        .await?;
    assert_eq!(shown["modelfile"], "FROM llama3:8b");
    let unknown = post(&server, "/ollama/api/show", &json!({"model": "nope"})).await?;
    assert_eq!(unknown.status(), StatusCode::BAD_REQUEST);
    server.stop().await
}

#[tokio::test]
#[expect(
    clippy::too_many_lines,
    reason = "one end-to-end scenario, read top to bottom"
)]
async fn failures_before_the_stream_are_clear_http_errors() -> Result<()> {
    let fake = FakeUpstream::start(
        Flavor::OpenAi,
        &["error500", "error400", "garbage", "slow", "echo"],
    )
    .await?;
    let server = server_for(&fake, None).await?;

    let (status, body) =
        status_json(post(&server, "/api/chat/completions", &ask("error500", true)).await?).await?;
    assert_eq!(status, StatusCode::BAD_GATEWAY);
    assert_eq!(
        body["detail"],
        "The model server answered HTTP 500: upstream exploded"
    );

    let (status, body) =
        status_json(post(&server, "/api/chat/completions", &ask("error400", false)).await?).await?;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(
        body,
        json!({"error": {"message": "bad things", "type": "invalid_request_error"}})
    );

    let (status, body) =
        status_json(post(&server, "/api/chat/completions", &ask("garbage", false)).await?).await?;
    assert_eq!(status, StatusCode::BAD_GATEWAY);
    assert!(
        body["detail"]
            .as_str()
            .is_some_and(|d| d.contains("invalid response")),
        "{body}"
    );

    let (status, body) =
        status_json(post(&server, "/api/chat/completions", &ask("slow", true)).await?).await?;
    assert_eq!(status, StatusCode::GATEWAY_TIMEOUT);
    assert!(
        body["detail"]
            .as_str()
            .is_some_and(|d| d.contains("did not answer within 2 s")),
        "{body}"
    );

    let (status, body) = status_json(
        post(
            &server,
            "/api/chat/completions",
            &ask("no-such-model", true),
        )
        .await?,
    )
    .await?;
    assert_eq!(
        (status, body),
        (
            StatusCode::BAD_REQUEST,
            json!({"detail": "Model not found"})
        )
    );
    let (status, _) =
        status_json(post(&server, "/api/chat/completions", &json!({"messages": []})).await?)
            .await?;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    let (status, _) =
        status_json(post(&server, "/api/chat/completions", &json!([1, 2])).await?).await?;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    let (status, body) = status_json(
        post(
            &server,
            "/openai/chat/completions",
            &ask("no-such-model", false),
        )
        .await?,
    )
    .await?;
    assert_eq!(
        (status, body),
        (
            StatusCode::NOT_FOUND,
            json!({"detail": "Model 'no-such-model' was not found"})
        )
    );
    server.stop().await?;

    // A connection that went away after the list was read.
    let gone = dead_url().await?;
    let server = TestServer::start_with(move |s| {
        s.models.openai_base_urls = Some(vec![gone]);
        s.models.openai_configs = json!({"0": {"model_ids": ["ghost"]}});
    })
    .await?;
    let (status, body) =
        status_json(post(&server, "/api/chat/completions", &ask("ghost", true)).await?).await?;
    assert_eq!(status, StatusCode::BAD_GATEWAY);
    let detail = body["detail"].as_str().unwrap_or_default();
    assert!(
        detail.starts_with("Server Connection Error") && detail.contains("OpenAI connection 0"),
        "{body}"
    );
    assert!(
        !detail.contains("127.0.0.1"),
        "no URLs in messages: {detail}"
    );
    server.stop().await
}

#[tokio::test]
async fn a_stream_that_breaks_ends_with_an_error_chunk() -> Result<()> {
    let fake = FakeUpstream::start(Flavor::OpenAi, &["drop"]).await?;
    let server = server_for(&fake, None).await?;
    let response = post(&server, "/api/chat/completions", &ask("drop", true)).await?;
    assert_eq!(response.status(), StatusCode::OK);
    let payloads = sse_payloads(&response.text().await?)?;
    assert_eq!(streamed_text(&payloads), "one two ");
    let error = &payloads[payloads.len() - 2];
    assert!(
        error["error"]["message"]
            .as_str()
            .is_some_and(|m| m.contains("broke off")),
        "{error}"
    );
    assert_eq!(payloads.last(), Some(&json!("[DONE]")));
    server.stop().await
}

#[tokio::test]
async fn a_client_that_goes_away_cancels_the_upstream_request() -> Result<()> {
    let openai = FakeUpstream::start(Flavor::OpenAi, &["stall"]).await?;
    let ollama = FakeUpstream::start(Flavor::Ollama, &["stall"]).await?;
    let openai_url = openai.url.clone();
    let ollama_url = ollama.url.clone();
    let server = TestServer::start_with(move |s| {
        s.models.openai_base_urls = Some(vec![openai_url]);
        s.models.ollama_base_urls = Some(vec![ollama_url]);
        s.models.ollama_configs = json!({"0": {"prefix_id": "o"}});
    })
    .await?;
    for (path, model, fake) in [
        ("/api/chat/completions", "stall", &openai),
        ("/api/chat/completions", "o.stall", &ollama),
        ("/ollama/api/chat", "o.stall", &ollama),
    ] {
        let before = fake.disconnects();
        let response = post(&server, path, &ask(model, true)).await?;
        let mut body = response.bytes_stream();
        let first = tokio::time::timeout(Duration::from_secs(5), body.next()).await?;
        assert!(
            first.is_some_and(|c| c.is_ok()),
            "{path}: the first chunk arrives before the answer ends"
        );
        drop(body);
        let mut seen = false;
        for _ in 0..100 {
            if fake.disconnects() > before {
                seen = true;
                break;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        assert!(
            seen,
            "{path} {model}: the model server saw the request cancelled"
        );
    }
    server.stop().await
}

#[tokio::test]
async fn api_keys_reach_models_and_completions() -> Result<()> {
    let fake = FakeUpstream::start(Flavor::OpenAi, &["echo"]).await?;
    let url = fake.url.clone();
    let server = TestServer::start_with(move |s| {
        s.models.openai_base_urls = Some(vec![url]);
        s.accounts.enable_api_keys = true;
    })
    .await?;
    let key = server
        .post_json("/api/v1/auths/api_key", &server.admin_token, &json!({}))
        .await?;
    let key = key["api_key"].as_str().unwrap_or_default().to_owned();
    assert!(key.starts_with("sk-"));
    let models = server.get_json("/api/v1/models", &key).await?;
    assert_eq!(models["data"][0]["id"], "echo");
    let response = server
        .client()
        .post(server.url("/api/chat/completions"))
        .bearer_auth(&key)
        .json(&ask("echo", true))
        .send()
        .await?;
    assert_eq!(
        streamed_text(&sse_payloads(&response.text().await?)?),
        "Hello from fake: hi there"
    );
    // The upstream key is the connection's, never the caller's.
    assert_eq!(
        fake.requests_to("/v1/chat/completions")[0].authorization,
        None
    );
    server.stop().await
}
