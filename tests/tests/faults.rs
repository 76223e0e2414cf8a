//! Faults: the instance killed mid-answer, the model server dying mid-answer, PostgreSQL
//! restarted under load. (Redis going away and coming back is in `realtime.rs`.)

use anyhow::{Context, Result};
use hearth_persistence::entity::chat as chat_row;
use hearth_persistence::scratch::ScratchDatabase;
use hearth_tests::fake_upstream::{FakeUpstream, Flavor};
use hearth_tests::process::HearthProcess;
use hearth_tests::redis_server::RedisServer;
use hearth_tests::{TestServer, eventually, repo_path, text};
use sea_orm::EntityTrait;
use serde_json::{Value, json};
use std::time::{Duration, Instant};

async fn get(client: &reqwest::Client, url: String, token: &str) -> Result<Value> {
    let response = client.get(url).bearer_auth(token).send().await?;
    hearth_tests::json_ok(response).await
}

/// Starts an answer from the `stall` model (it sends "wait" and then nothing) in the
/// background, as the web client does; the chat's id.
async fn start_stalled_answer(
    client: &reqwest::Client,
    base: &str,
    token: &str,
    assistant: &str,
) -> Result<String> {
    let body = json!({
        "stream": true, "model": "stall", "messages": [], "session_id": "no-socket",
        "id": assistant, "parent_id": null,
        "message_ids": [{"model_id": "stall", "message_id": assistant, "modelIdx": 0}],
        "user_message": {"id": "u1", "parentId": null, "childrenIds": [], "role": "user",
                         "content": "a question", "timestamp": 1, "models": ["stall"]},
    });
    let response = client
        .post(format!("{base}/api/chat/completions"))
        .bearer_auth(token)
        .json(&body)
        .send()
        .await?;
    text(&hearth_tests::json_ok(response).await?, "chat_id")
}

/// The answer's stored message.
async fn answer(
    client: &reqwest::Client,
    base: &str,
    token: &str,
    chat: &str,
    id: &str,
) -> Result<Value> {
    let chat = get(client, format!("{base}/api/v1/chats/{chat}"), token).await?;
    Ok(chat["chat"]["history"]["messages"][id].clone())
}

/// The answer `a1` as the database holds it, once its text reached the database (the chat
/// route would add a running task's text, so it cannot tell).
async fn saved_in_database(url: &str, chat: &str) -> Result<Value> {
    let stored = sea_orm::Database::connect(url).await?;
    let saved = eventually(15, || async {
        let row = chat_row::Entity::find_by_id(chat)
            .one(&stored)
            .await?
            .context("the chat row")?;
        let message = row.chat.unwrap_or_default()["history"]["messages"]["a1"].clone();
        Ok((message["content"] == "wait").then_some(message))
    })
    .await?
    .context("the answer so far was never saved while streaming")?;
    stored.close().await?;
    Ok(saved)
}

/// Whether, within 15 s, neither the chat's task list nor the admin's list holds a task.
async fn no_task_left(
    client: &reqwest::Client,
    base: &str,
    token: &str,
    chat: &str,
) -> Result<bool> {
    let idle = eventually(15, || async {
        let tasks = get(client, format!("{base}/api/tasks/chat/{chat}"), token).await?;
        let all = get(client, format!("{base}/api/tasks"), token).await?;
        Ok((tasks["task_ids"] == json!([]) && all["tasks"] == json!([])).then_some(()))
    })
    .await?;
    Ok(idle.is_some())
}

async fn sign_up(client: &reqwest::Client, base: &str) -> Result<String> {
    let signup = client
        .post(format!("{base}/api/v1/auths/signup"))
        .json(&json!({"name": "Admin", "email": "admin@example.com", "password": "crash-password"}))
        .send()
        .await?;
    text(&hearth_tests::json_ok(signup).await?, "token")
}

/// The second life of a crashed instance: the partial answer is there, no task is left, and
/// stopping the chat marks the answer done with its text kept.
async fn after_the_restart(
    client: &reqwest::Client,
    env: &[(&str, String)],
    token: &str,
    chat: &str,
) -> Result<()> {
    let second = HearthProcess::start(env).await?;
    let kept = answer(client, &second.url, token, chat, "a1").await?;
    assert_eq!(
        kept["content"], "wait",
        "the partial answer survived: {kept}"
    );
    assert!(
        no_task_left(client, &second.url, token, chat).await?,
        "a task of the killed instance stayed active"
    );
    // The client's stop button with nothing running marks the answer done, text kept.
    let stopped = client
        .post(format!("{}/api/tasks/chat/{chat}/stop", second.url))
        .bearer_auth(token)
        .send()
        .await?;
    hearth_tests::json_ok(stopped).await?;
    let done = answer(client, &second.url, token, chat, "a1").await?;
    assert_eq!(
        (&done["content"], &done["done"]),
        (&json!("wait"), &json!(true))
    );
    second.kill().await?;
    Ok(())
}

/// One crash: the answer so far is in the chat (saved within `CHAT_STREAM_SAVE_INTERVAL`),
/// the instance is killed with SIGKILL and started again on the same data; the chat still
/// holds it, and no task of the dead instance stays listed (with Redis: once its key's TTL
/// has passed).
async fn crash_mid_answer(redis: Option<&RedisServer>) -> Result<()> {
    let fake = FakeUpstream::start(Flavor::OpenAi, &["stall"]).await?;
    let data = tempfile::tempdir()?;
    let database = ScratchDatabase::create().await?;
    let mut env = vec![
        ("DATA_DIR", data.path().display().to_string()),
        ("DATABASE_URL", database.url.clone()),
        ("OPENAI_API_BASE_URLS", fake.url.clone()),
        ("CHAT_STREAM_SAVE_INTERVAL", "1".to_owned()),
    ];
    if let Some(redis) = redis {
        env.push(("REDIS_URL", redis.url()));
        env.push(("REDIS_KEY_PREFIX", format!("crash-{}", std::process::id())));
        env.push(("REDIS_TASK_TTL", "4".to_owned()));
    }
    let client = reqwest::Client::new();
    let first = HearthProcess::start(&env).await?;
    let token = sign_up(&client, &first.url).await?;
    let chat = start_stalled_answer(&client, &first.url, &token, "a1").await?;
    let saved = saved_in_database(&database.url, &chat).await?;
    assert_ne!(saved["done"], true, "still streaming: {saved}");
    let running = get(&client, format!("{}/api/tasks", first.url), &token).await?;
    assert_eq!(
        running["tasks"].as_array().map(Vec::len),
        Some(1),
        "{running}"
    );
    first.kill().await?;

    after_the_restart(&client, &env, &token, &chat).await?;
    database.remove().await?;
    Ok(())
}

#[tokio::test]
async fn a_killed_instance_leaves_the_partial_answer_and_no_running_task() -> Result<()> {
    crash_mid_answer(None).await?;
    let redis = RedisServer::start().await?;
    crash_mid_answer(Some(&redis)).await
}

#[tokio::test]
async fn a_model_server_dying_mid_answer_ends_it_with_an_error_event_and_a_marked_message()
-> Result<()> {
    let fake = FakeUpstream::start(Flavor::OpenAi, &["drop"]).await?;
    let url = fake.url.clone();
    let server =
        TestServer::start_with(move |s| s.models.openai_base_urls = Some(vec![url])).await?;
    let python = std::env::var("HEARTH_TEST_PYTHON")
        .context("HEARTH_TEST_PYTHON is not set: run scripts/test (it installs python-socketio)")?;
    let (base, token) = (server.url.clone(), server.admin_token.clone());
    let output = tokio::task::spawn_blocking(move || {
        std::process::Command::new(python)
            .arg(repo_path("tests/python/one_turn.py"))
            .envs([("BASE", base), ("TOKEN", token), ("MODEL", "drop".into())])
            .output()
    })
    .await??;
    let turn: Value = serde_json::from_slice(&output.stdout).with_context(|| {
        format!(
            "one_turn.py printed no JSON: {}",
            String::from_utf8_lossy(&output.stderr)
        )
    })?;
    assert_eq!(turn["status"], 200, "{turn}");
    let kinds: Vec<&Value> = turn["events"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|e| &e["data"]["type"])
        .collect();
    let error = turn["events"]
        .as_array()
        .into_iter()
        .flatten()
        .find(|e| e["data"]["type"] == "chat:message:error")
        .with_context(|| format!("no error event among {kinds:?}"))?;
    let reason = error["data"]["data"]["error"]["content"]
        .as_str()
        .unwrap_or_default();
    assert!(reason.contains("broke off"), "{error}");
    let id = turn["message_id"].as_str().unwrap_or_default();
    let message = &turn["chat"]["chat"]["history"]["messages"][id];
    assert_eq!(message["content"], "one two ", "what arrived is kept");
    assert_eq!(message["done"], true);
    assert!(
        message["error"]["content"]
            .as_str()
            .is_some_and(|e| e.contains("broke off")),
        "the message is marked: {message}"
    );
    assert_eq!(turn["tasks"]["task_ids"], json!([]));
    server.stop().await
}

/// Runs `scripts/pgvector-server <action> <port>` (a private PostgreSQL); what it printed.
async fn private_postgres(action: &'static str, port: u16) -> Result<String> {
    let script = repo_path("scripts/pgvector-server");
    let output = tokio::task::spawn_blocking(move || {
        std::process::Command::new(script)
            .args([action, &port.to_string()])
            .output()
    })
    .await??;
    anyhow::ensure!(
        output.status.success(),
        "pgvector-server {action}: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    Ok(String::from_utf8_lossy(&output.stdout).trim().to_owned())
}

/// `clients` concurrent requests for the chat list, `rounds` each: status, body, seconds.
async fn load(server: &TestServer, clients: usize, rounds: usize) -> Vec<(u16, Value, f64)> {
    let one = |_| async {
        let mut seen = Vec::new();
        for _ in 0..rounds {
            let started = Instant::now();
            let sent = server
                .client()
                .get(server.url("/api/v1/chats/"))
                .bearer_auth(&server.admin_token)
                .timeout(Duration::from_secs(20))
                .send()
                .await;
            let (status, body) = match sent {
                Ok(response) => hearth_tests::status_json(response)
                    .await
                    .map(|(s, b)| (s.as_u16(), b))
                    .unwrap_or((0, Value::Null)),
                Err(error) => (0, json!(error.to_string())),
            };
            seen.push((status, body, started.elapsed().as_secs_f64()));
        }
        seen
    };
    futures_util::future::join_all((0..clients).map(one))
        .await
        .into_iter()
        .flatten()
        .collect()
}

#[tokio::test]
async fn postgres_restarted_under_load_answers_503_at_once_and_recovers_by_itself() -> Result<()> {
    let port = std::net::TcpListener::bind("127.0.0.1:0")?
        .local_addr()?
        .port();
    let url = private_postgres("start", port).await?;
    let outcome = restart_under_load(port, url).await;
    private_postgres("stop", port).await?;
    outcome
}

async fn restart_under_load(port: u16, url: String) -> Result<()> {
    let server = TestServer::start_with(move |s| {
        s.database = hearth_persistence::DatabaseSettings::new(url);
        s.database.pool_timeout = Duration::from_secs(30);
    })
    .await?;
    let before = load(&server, 4, 5).await;
    assert!(before.iter().all(|(s, ..)| *s == 200), "{before:?}");

    private_postgres("halt", port).await?;
    let down = load(&server, 4, 10).await;
    for (status, body, _) in &down {
        assert_eq!(*status, 503, "while PostgreSQL is down: {body}");
        assert!(body["detail"].is_string(), "{body}");
    }
    let slowest = down.iter().map(|(.., s)| *s).fold(0.0, f64::max);
    // Informational: the pool timeout (30 s) is what a hanging request would wait; the
    // client's 20 s timeout above turns such a wait into a failure.
    println!(
        "{} requests while down: 503 each, slowest {slowest:.3} s",
        down.len()
    );

    private_postgres("start", port).await?;
    let recovered = eventually(30, || async {
        let round = load(&server, 1, 1).await;
        Ok((round.first().is_some_and(|(s, ..)| *s == 200)).then_some(()))
    })
    .await?;
    assert!(recovered.is_some(), "the same instance serves again");
    let after = load(&server, 4, 5).await;
    assert!(after.iter().all(|(s, ..)| *s == 200), "{after:?}");
    let created = server
        .post_json(
            "/api/v1/chats/new",
            &server.admin_token,
            &json!({"chat": {"title": "after the restart"}}),
        )
        .await?;
    assert_eq!(created["title"], "after the restart");
    server.stop().await
}
