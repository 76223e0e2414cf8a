//! Retrieval through a real server: an uploaded file is chunked and embedded by an
//! OpenAI-compatible or Ollama embedding server, a question attached to it sends the model the
//! closest chunk only, another user's file is never retrieved, and a failing engine fails the
//! file with the reason.

use anyhow::Result;
use hearth_tests::fake_upstream::{FakeUpstream, Flavor, dead_url};
use hearth_tests::{TestServer, text};
use serde_json::{Value, json};

const HANDBOOK: &str = "# Travel\nTrains leave from platform nine every hour on weekdays.\n\n\
# Food\nThe canteen serves lentil soup on Fridays and closes at three.\n\n\
# Parking\nVisitors park on level minus two and pay at the blue machine.";

async fn server(engine: &str, url: String, chat: &FakeUpstream) -> Result<TestServer> {
    let (engine, chat_url) = (engine.to_owned(), chat.url.clone());
    TestServer::start_with(move |s| {
        s.models.openai_base_urls = Some(vec![chat_url]);
        s.models.bypass_model_access_control = true;
        s.retrieval.embedding_engine = Some(engine.clone());
        if engine == "ollama" {
            s.retrieval.ollama_base_url = Some(url);
        } else {
            s.retrieval.openai_base_url = Some(url);
        }
        s.retrieval.embedding_batch_size = Some(2);
        s.retrieval.chunk_size = Some(80);
        s.retrieval.chunk_overlap = Some(0);
        s.retrieval.top_k = Some(1);
    })
    .await
}

/// Asks `echo` a question with the file attached; the prompt the model was sent.
async fn ask(server: &TestServer, chat: &FakeUpstream, token: &str, file: &str) -> Result<String> {
    let body = json!({"model": "echo", "stream": false, "files": [{"type": "file", "id": file}],
        "messages": [{"role": "user", "content": "Which day does the canteen serve lentil soup?"}]});
    server
        .post_json("/api/chat/completions", token, &body)
        .await?;
    let sent = chat
        .requests_to("/v1/chat/completions")
        .pop()
        .map(|r| r.body)
        .unwrap_or(Value::Null);
    Ok(sent["messages"][0]["content"]
        .as_str()
        .unwrap_or_default()
        .to_owned())
}

#[tokio::test]
async fn an_openai_compatible_engine_indexes_files_and_questions_get_the_closest_chunk()
-> Result<()> {
    let chat = FakeUpstream::start(Flavor::OpenAi, &["echo"]).await?;
    let server = server("openai", chat.url.clone(), &chat).await?;
    let ana = server.add_user("Ana", "ana@example.com", "user").await?;
    let ben = server.add_user("Ben", "ben@example.com", "user").await?;
    let (_, file) = server
        .upload(
            &ana,
            "handbook.md",
            HANDBOOK.into(),
            "text/markdown",
            "?process_in_background=false",
        )
        .await?;
    assert_eq!(file["data"]["status"], "completed", "{file}");
    let id = text(&file, "id")?;
    assert_eq!(file["meta"]["collection_name"], format!("file-{id}"));
    let embedded: usize = chat
        .requests_to("/v1/embeddings")
        .iter()
        .map(|r| r.body["input"].as_array().map_or(0, Vec::len))
        .sum();
    assert_eq!(embedded, 3, "one text per chunk, in batches of two");
    assert!(
        chat.requests_to("/v1/embeddings")
            .iter()
            .all(|r| r.body["input"].as_array().map_or(0, Vec::len) <= 2)
    );

    let prompt = ask(&server, &chat, &ana, &id).await?;
    assert!(prompt.contains("lentil soup on Fridays"), "{prompt}");
    assert!(
        !prompt.contains("platform nine") && !prompt.contains("blue machine"),
        "{prompt}"
    );
    assert!(
        prompt.contains("<source id=\"1\" name=\"handbook.md\">"),
        "{prompt}"
    );

    let prompt = ask(&server, &chat, &ben, &id).await?;
    assert!(
        !prompt.contains("Fridays") && !prompt.contains("<source"),
        "ben gets nothing of ana's: {prompt}"
    );
    server.stop().await
}

#[tokio::test]
async fn an_ollama_engine_indexes_files_too() -> Result<()> {
    let chat = FakeUpstream::start(Flavor::OpenAi, &["echo"]).await?;
    let ollama = FakeUpstream::start(Flavor::Ollama, &[]).await?;
    let server = server("ollama", ollama.url.clone(), &chat).await?;
    let token = server.admin_token.clone();
    let (_, file) = server
        .upload(
            &token,
            "handbook.md",
            HANDBOOK.into(),
            "text/markdown",
            "?process_in_background=false",
        )
        .await?;
    assert_eq!(file["data"]["status"], "completed", "{file}");
    assert!(!ollama.requests_to("/api/embed").is_empty());
    let prompt = ask(&server, &chat, &token, &text(&file, "id")?).await?;
    assert!(
        prompt.contains("lentil soup") && !prompt.contains("platform nine"),
        "{prompt}"
    );
    server.stop().await
}

#[tokio::test]
async fn a_failing_engine_fails_the_file_with_the_reason() -> Result<()> {
    let chat = FakeUpstream::start(Flavor::OpenAi, &["echo"]).await?;
    let server = server("openai", dead_url().await?, &chat).await?;
    let (_, file) = server
        .upload(
            &server.admin_token,
            "handbook.md",
            HANDBOOK.into(),
            "text/markdown",
            "?process_in_background=false",
        )
        .await?;
    assert_eq!(file["data"]["status"], "failed", "{file}");
    assert!(
        file["data"]["error"]
            .as_str()
            .is_some_and(|e| !e.is_empty())
    );
    server.stop().await
}

#[tokio::test]
async fn the_documents_settings_page_reads_and_saves_and_the_engine_follows() -> Result<()> {
    let chat = FakeUpstream::start(Flavor::OpenAi, &["echo"]).await?;
    let chat_url = chat.url.clone();
    let server =
        TestServer::start_with(move |s| s.models.openai_base_urls = Some(vec![chat_url])).await?;
    let token = server.admin_token.clone();
    let config = server.get_json("/api/v1/retrieval/config", &token).await?;
    assert_eq!(
        (
            config["status"].as_bool(),
            config["TOP_K"].as_u64(),
            config["CHUNK_SIZE"].as_u64()
        ),
        (Some(true), Some(3), Some(1000))
    );
    assert!(
        config["RAG_TEMPLATE"]
            .as_str()
            .is_some_and(|t| t.contains("{{CONTEXT}}"))
    );
    assert!(config["web"].is_object());
    let saved = server
        .post_json(
            "/api/v1/retrieval/config/update",
            &token,
            &json!({"CHUNK_SIZE": 500, "TOP_K": 5, "web": {"WEB_SEARCH_RESULT_COUNT": 7}}),
        )
        .await?;
    assert_eq!(
        (saved["CHUNK_SIZE"].as_u64(), saved["TOP_K"].as_u64()),
        (Some(500), Some(5))
    );
    assert_eq!(saved["web"]["WEB_SEARCH_RESULT_COUNT"], 7);
    assert_eq!(
        server.get_json("/api/v1/retrieval/config", &token).await?["CHUNK_SIZE"],
        500
    );

    let engine = server
        .get_json("/api/v1/retrieval/embedding", &token)
        .await?;
    assert_eq!(engine["RAG_EMBEDDING_ENGINE"], "");
    assert_eq!(
        engine["RAG_EMBEDDING_MODEL"],
        "sentence-transformers/all-MiniLM-L6-v2"
    );
    let form = json!({"RAG_EMBEDDING_ENGINE": "openai", "RAG_EMBEDDING_MODEL": "text-embedding-3-small",
        "RAG_EMBEDDING_BATCH_SIZE": 4, "openai_config": {"url": format!("{}/", chat.url), "key": "sk-embed"}});
    let engine = server
        .post_json("/api/v1/retrieval/embedding/update", &token, &form)
        .await?;
    assert_eq!(engine["openai_config"]["url"], chat.url.as_str());
    let (_, file) = server
        .upload(
            &token,
            "h.md",
            HANDBOOK.into(),
            "text/markdown",
            "?process_in_background=false",
        )
        .await?;
    assert!(file["meta"]["collection_name"].is_string(), "{file}");
    let sent = chat.requests_to("/v1/embeddings");
    assert_eq!(sent[0].body["model"], "text-embedding-3-small");
    assert_eq!(sent[0].authorization.as_deref(), Some("Bearer sk-embed"));

    let user = server.add_user("Ana", "ana@example.com", "user").await?;
    for path in ["/api/v1/retrieval/config", "/api/v1/retrieval/embedding"] {
        let refused = server
            .client()
            .get(server.url(path))
            .bearer_auth(&user)
            .send()
            .await?;
        assert_eq!(
            refused.status(),
            reqwest::StatusCode::UNAUTHORIZED,
            "{path}"
        );
    }
    server.stop().await
}

#[tokio::test]
async fn the_local_model_is_the_default_engine() -> Result<()> {
    let model_dir = std::env::var("HEARTH_EMBED_MODEL_DIR").map_err(|_| {
        anyhow::anyhow!(
            "HEARTH_EMBED_MODEL_DIR must name the local model (scripts/fetch-embedding-model)"
        )
    })?;
    let chat = FakeUpstream::start(Flavor::OpenAi, &["echo"]).await?;
    let chat_url = chat.url.clone();
    let server = TestServer::start_with(move |s| {
        s.models.openai_base_urls = Some(vec![chat_url]);
        s.retrieval.model_dir = Some(model_dir.into());
        s.retrieval.chunk_size = Some(80);
        s.retrieval.chunk_overlap = Some(0);
        s.retrieval.top_k = Some(1);
    })
    .await?;
    let token = server.admin_token.clone();
    let (_, file) = server
        .upload(
            &token,
            "handbook.md",
            HANDBOOK.into(),
            "text/markdown",
            "?process_in_background=false",
        )
        .await?;
    assert_eq!(file["data"]["status"], "completed", "{file}");
    assert!(file["meta"]["collection_name"].is_string(), "{file}");
    assert!(
        chat.requests_to("/v1/embeddings").is_empty(),
        "embedded in-process"
    );
    let prompt = ask(&server, &chat, &token, &text(&file, "id")?).await?;
    assert!(prompt.contains("lentil soup on Fridays"), "{prompt}");
    assert!(
        !prompt.contains("platform nine") && !prompt.contains("blue machine"),
        "{prompt}"
    );
    server.stop().await
}

#[tokio::test]
async fn the_token_splitter_cuts_cl100k_token_windows() -> Result<()> {
    let embed = FakeUpstream::start(Flavor::OpenAi, &[]).await?;
    let url = embed.url.clone();
    let server = TestServer::start_with(move |s| {
        s.retrieval.embedding_engine = Some("openai".into());
        s.retrieval.openai_base_url = Some(url);
        s.retrieval.chunk_size = Some(10);
        s.retrieval.chunk_overlap = Some(2);
        s.ranking.text_splitter = Some("token".into());
    })
    .await?;
    let token = server.admin_token.clone();
    // "hello", " world", " hello", ...: 60 tokens, windows of 10 moving by 8.
    let words = vec!["hello world"; 30].join(" ");
    let (_, file) = server
        .upload(
            &token,
            "tokens.txt",
            words.into(),
            "text/plain",
            "?process_in_background=false",
        )
        .await?;
    let found = server
        .post_json(
            "/api/v1/retrieval/query/doc",
            &token,
            &json!({"collection_name": format!("file-{}", text(&file, "id")?), "query": "hello", "k": 100}),
        )
        .await?;
    // Windows at 0, 8, ..., 56: the first starts the text, the middle ones (the same text,
    // merged) start with " hello", the last holds the 4 tokens left; characters would never
    // give a chunk starting with a space.
    let mut texts: Vec<&str> = found["documents"][0]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(Value::as_str)
        .collect();
    texts.sort_unstable();
    assert_eq!(
        texts,
        [
            " hello world hello world",
            " hello world hello world hello world hello world hello world",
            "hello world hello world hello world hello world hello world",
        ],
        "{found}"
    );
    server.stop().await
}
