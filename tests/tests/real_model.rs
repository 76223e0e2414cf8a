//! Against real clients and servers nobody here wrote: a llama.cpp model server
//! (llama-cpp-python serving SmolLM2-135M) behind Hearth, and the official `openai` Python
//! SDK in front of it. `scripts/test` installs and starts both and names them in
//! `HEARTH_TEST_LLAMA_URL` and `HEARTH_TEST_PYTHON`. The model's wording varies, so only the
//! structure of its answers is checked.

use anyhow::{Context, Result};
use hearth_tests::fake_upstream::{FakeUpstream, Flavor};
use hearth_tests::{TestServer, sse_payloads, streamed_text};
use serde_json::{Value, json};

fn required(name: &str) -> Result<String> {
    std::env::var(name).with_context(|| {
        format!("{name} is not set: run scripts/test, or start scripts/model-server and export it")
    })
}

async fn llama_server() -> Result<TestServer> {
    let url = required("HEARTH_TEST_LLAMA_URL")?;
    TestServer::start_with(move |s| {
        s.models.openai_base_urls = Some(vec![url]);
        s.models.openai_configs = json!({"0": {"provider": "llama.cpp"}});
        s.accounts.enable_api_keys = true;
    })
    .await
}

fn ask(stream: bool) -> Value {
    json!({
        "model": "smollm2-135m", "stream": stream, "max_tokens": 12, "temperature": 0,
        "messages": [{"role": "user", "content": "Name one colour."}]
    })
}

#[tokio::test]
async fn a_real_model_server_answers_through_hearth() -> Result<()> {
    let server = llama_server().await?;
    let models = server.get_json("/api/models", &server.admin_token).await?;
    let model = &models["data"][0];
    assert_eq!(model["id"], "smollm2-135m");
    assert_eq!(model["owned_by"], "openai");
    assert_eq!(model["provider"], "llama.cpp");

    let answer = server
        .post_json("/api/chat/completions", &server.admin_token, &ask(false))
        .await?;
    assert_eq!(answer["object"], "chat.completion");
    let content = answer["choices"][0]["message"]["content"]
        .as_str()
        .unwrap_or_default();
    assert!(!content.trim().is_empty(), "{answer}");
    assert!(
        answer["usage"]["completion_tokens"]
            .as_u64()
            .is_some_and(|n| n > 0 && n <= 12),
        "{answer}"
    );

    let response = server
        .client()
        .post(server.url("/api/chat/completions"))
        .bearer_auth(&server.admin_token)
        .json(&ask(true))
        .send()
        .await?;
    assert!(
        response.headers()["content-type"]
            .to_str()?
            .starts_with("text/event-stream")
    );
    let payloads = sse_payloads(&response.text().await?)?;
    assert_eq!(payloads.last(), Some(&json!("[DONE]")));
    let chunks: Vec<&Value> = payloads
        .iter()
        .filter(|p| p["object"] == "chat.completion.chunk")
        .collect();
    assert!(
        chunks.len() >= 3,
        "several chunks, not one buffered answer: {payloads:?}"
    );
    assert!(!streamed_text(&payloads).trim().is_empty());
    assert!(
        chunks
            .iter()
            .any(|c| !c["choices"][0]["finish_reason"].is_null())
    );
    server.stop().await
}

/// Runs a Python script with the `openai` SDK; it prints one JSON line.
async fn python(
    script: &'static str,
    base_url: String,
    api_key: String,
    model: &'static str,
) -> Result<Value> {
    let python = required("HEARTH_TEST_PYTHON")?;
    let output = tokio::task::spawn_blocking(move || {
        std::process::Command::new(python)
            .arg("-c")
            .arg(script)
            .env("BASE_URL", base_url)
            .env("API_KEY", api_key)
            .env("MODEL", model)
            .output()
    })
    .await??;
    let stdout = String::from_utf8_lossy(&output.stdout);
    anyhow::ensure!(
        output.status.success(),
        "python failed: {}\n{stdout}",
        String::from_utf8_lossy(&output.stderr)
    );
    serde_json::from_str(stdout.trim()).with_context(|| format!("not JSON: {stdout}"))
}

const SDK_SCRIPT: &str = r#"
import json, os, openai
client = openai.OpenAI(base_url=os.environ["BASE_URL"], api_key=os.environ["API_KEY"], max_retries=0)
model = os.environ["MODEL"]
models = [m.id for m in client.models.list()]
stream = client.chat.completions.create(model=model, stream=True, max_tokens=12,
    messages=[{"role": "user", "content": "hi there"}])
chunks, text = 0, ""
for chunk in stream:
    chunks += 1
    if chunk.choices and chunk.choices[0].delta.content:
        text += chunk.choices[0].delta.content
whole = client.chat.completions.create(model=model, max_tokens=12,
    messages=[{"role": "user", "content": "hi there"}])
try:
    client.chat.completions.create(model="no-such-model", messages=[{"role": "user", "content": "x"}])
    missing = None
except openai.BadRequestError as e:
    missing = e.status_code
print(json.dumps({"models": models, "chunks": chunks, "text": text,
    "whole": whole.choices[0].message.content, "missing": missing}))
"#;

async fn api_key(server: &TestServer) -> Result<String> {
    let created = server
        .post_json("/api/v1/auths/api_key", &server.admin_token, &json!({}))
        .await?;
    hearth_tests::text(&created, "api_key")
}

#[tokio::test]
async fn the_openai_sdk_streams_through_hearth() -> Result<()> {
    let fake = FakeUpstream::start(Flavor::OpenAi, &["split", "echo"]).await?;
    let url = fake.url.clone();
    let server = TestServer::start_with(move |s| {
        s.models.openai_base_urls = Some(vec![url]);
        s.accounts.enable_api_keys = true;
    })
    .await?;
    let key = api_key(&server).await?;
    let seen = python(SDK_SCRIPT, server.url("/api"), key, "split").await?;
    assert_eq!(seen["models"], json!(["split", "echo"]));
    assert_eq!(seen["text"], hearth_tests::fake_upstream::SPLIT_TEXT);
    assert!(seen["chunks"].as_u64().is_some_and(|n| n > 5), "{seen}");
    assert_eq!(seen["whole"], hearth_tests::fake_upstream::SPLIT_TEXT);
    assert_eq!(seen["missing"], 400);
    server.stop().await
}

#[tokio::test]
async fn the_openai_sdk_reaches_a_real_model_through_hearth() -> Result<()> {
    let server = llama_server().await?;
    let key = api_key(&server).await?;
    let seen = python(SDK_SCRIPT, server.url("/api"), key, "smollm2-135m").await?;
    assert_eq!(seen["models"], json!(["smollm2-135m"]));
    assert!(seen["chunks"].as_u64().is_some_and(|n| n >= 3), "{seen}");
    assert!(
        seen["text"].as_str().is_some_and(|t| !t.trim().is_empty()),
        "{seen}"
    );
    assert!(
        seen["whole"].as_str().is_some_and(|t| !t.trim().is_empty()),
        "{seen}"
    );
    assert_eq!(seen["missing"], 400);
    server.stop().await
}
