//! Socket.IO with clients nobody here wrote (python-socketio, the npm socket.io-client) over
//! websocket, long-polling and the upgrade between them, and the web client's whole
//! send-message flow in background mode.

use anyhow::{Context, Result};
use hearth_tests::fake_upstream::{FakeUpstream, Flavor};
use hearth_tests::{TestServer, repo_path};
use serde_json::{Value, json};
use std::path::PathBuf;

/// Runs a client script (`python` or `node`) and parses the JSON it prints.
async fn client(
    program: String,
    script: PathBuf,
    env: Vec<(&'static str, String)>,
) -> Result<Value> {
    let output = tokio::task::spawn_blocking(move || {
        std::process::Command::new(program)
            .arg(script)
            .envs(env)
            .output()
    })
    .await??;
    let stdout = String::from_utf8_lossy(&output.stdout);
    anyhow::ensure!(
        output.status.success(),
        "client failed: {}\n{stdout}",
        String::from_utf8_lossy(&output.stderr)
    );
    let line = stdout.lines().last().unwrap_or_default();
    serde_json::from_str(line).with_context(|| format!("not JSON: {stdout}"))
}

fn python() -> Result<String> {
    std::env::var("HEARTH_TEST_PYTHON")
        .context("HEARTH_TEST_PYTHON is not set: run scripts/test (it installs python-socketio)")
}

async fn chat_of(server: &TestServer) -> Result<String> {
    let chat = server
        .post_json(
            "/api/v1/chats/new",
            &server.admin_token,
            &json!({"chat": {"title": "Room"}}),
        )
        .await?;
    hearth_tests::text(&chat, "id")
}

fn check_transports(results: &Value, id_field: &str, chat_id: &str, admin_id: &str) {
    for (name, transport) in [
        ("websocket", "websocket"),
        ("polling", "polling"),
        ("upgrade", "websocket"),
    ] {
        let run = &results[name];
        assert_eq!(run["transport"], transport, "{name}: {run}");
        assert_eq!(
            run["joined"]["id"], admin_id,
            "{name}: user-join acks the user"
        );
        assert_eq!(run["room"], true, "{name}: own chat room joined");
        assert!(
            run[id_field].as_str().is_some_and(|id| id.len() >= 16),
            "{name}: socket id"
        );
        let event = &run["event"];
        assert_eq!(
            event["data"]["type"], "chat:list",
            "{name}: server event delivered: {run}"
        );
        assert_eq!(event["chat_id"], chat_id);
    }
}

#[tokio::test]
async fn python_socketio_works_over_every_transport() -> Result<()> {
    let server = TestServer::start().await?;
    let chat_id = chat_of(&server).await?;
    let env = vec![
        ("BASE", server.url.clone()),
        ("TOKEN", server.admin_token.clone()),
        ("CHAT_ID", chat_id.clone()),
    ];
    let results = client(python()?, repo_path("tests/python/transports.py"), env).await?;
    check_transports(&results, "sid", &chat_id, &server.admin_id);
    for name in ["websocket", "polling", "upgrade"] {
        let usage = &results[name]["usage"];
        assert_eq!(
            usage["model_ids"],
            json!([format!("model-via-{name}")]),
            "{name}: the model this socket reports is in use: {usage}"
        );
        assert!(usage["user_count"].as_u64() >= Some(1), "{usage}");
    }
    assert_eq!(
        results["usage_after"]["model_ids"],
        json!([]),
        "usage leaves with the socket"
    );
    assert_eq!(
        results["websocket"]["stranger"], false,
        "unknown chats cannot be joined"
    );
    assert_eq!(
        results["bad_token_join"],
        Value::Null,
        "a bad token joins nothing"
    );
    server.stop().await
}

#[tokio::test]
async fn the_npm_socket_io_client_works_over_every_transport() -> Result<()> {
    let server = TestServer::start().await?;
    let chat_id = chat_of(&server).await?;
    let env = vec![
        ("BASE", server.url.clone()),
        ("TOKEN", server.admin_token.clone()),
        ("CHAT_ID", chat_id.clone()),
    ];
    let script = repo_path("tests/browser/socketio-client.mjs");
    anyhow::ensure!(
        repo_path("tests/browser/node_modules/socket.io-client").exists(),
        "run `npm install` in tests/browser (scripts/test does)"
    );
    let results = client("node".into(), script, env).await?;
    check_transports(&results, "id", &chat_id, &server.admin_id);
    server.stop().await
}

fn message<'a>(chat: &'a Value, id: &str) -> &'a Value {
    &chat["chat"]["history"]["messages"][id]
}

#[tokio::test]
#[expect(
    clippy::too_many_lines,
    reason = "one end-to-end scenario, read top to bottom"
)]
async fn the_web_clients_send_flow_runs_in_the_background() -> Result<()> {
    let fake = FakeUpstream::start(Flavor::OpenAi, &["echo", "stall"]).await?;
    let url = fake.url.clone();
    let server =
        TestServer::start_with(move |s| s.models.openai_base_urls = Some(vec![url])).await?;
    let env = vec![
        ("BASE", server.url.clone()),
        ("TOKEN", server.admin_token.clone()),
        ("MODEL", "echo".into()),
        ("STALL_MODEL", "stall".into()),
    ];
    let flow = client(python()?, repo_path("tests/python/frontend_flow.py"), env).await?;

    // A new chat: created, answered over the socket, saved, titled.
    let new = &flow["new"];
    assert_eq!(new["status"], 200);
    assert_eq!(new["started"]["status"], true);
    assert_eq!(new["started"]["task_ids"].as_array().map(Vec::len), Some(1));
    let chat = &new["chat"];
    let chat_id = new["started"]["chat_id"].as_str().unwrap_or_default();
    assert_eq!(chat["id"], chat_id);
    let kinds: Vec<&str> = new["events"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(Value::as_str)
        .collect();
    for kind in ["chat:list", "chat:active", "chat:completion", "chat:title"] {
        assert!(kinds.contains(&kind), "{kind} missing from {kinds:?}");
    }
    assert_eq!(
        new["done"]["data"]["data"]["content"],
        "Hello from fake: first question"
    );
    let a1 = chat["chat"]["history"]["currentId"]
        .as_str()
        .unwrap_or_default();
    assert_eq!(
        message(chat, a1)["content"],
        "Hello from fake: first question"
    );
    assert_eq!(message(chat, a1)["done"], true);
    // The title came from the (fake) model's JSON answer and was announced.
    assert_ne!(chat["title"], "New Chat");
    assert!(
        new["title"]["data"]["data"] == chat["title"],
        "{}",
        new["title"]
    );

    // A second turn: the server rebuilt the history from the stored chat.
    let second = &flow["second"];
    assert_eq!(second["status"], 200);
    assert_eq!(second["started"]["chat_id"], chat_id);
    let sent = fake.requests_to("/v1/chat/completions");
    let turn_two = sent
        .iter()
        .find(|r| r.body["messages"].as_array().is_some_and(|m| m.len() == 3))
        .context("second turn request")?;
    assert_eq!(
        turn_two.body["messages"],
        json!([
            {"role": "user", "content": "first question"},
            {"role": "assistant", "content": "Hello from fake: first question"},
            {"role": "user", "content": "second question"},
        ])
    );
    assert!(turn_two.body.get("session_id").is_none() && turn_two.body.get("chat_id").is_none());
    let chat = &second["chat"];
    let a2 = chat["chat"]["history"]["currentId"]
        .as_str()
        .unwrap_or_default();
    assert_eq!(
        message(chat, a2)["content"],
        "Hello from fake: second question"
    );
    assert_eq!(
        message(chat, a1)["childrenIds"].as_array().map(Vec::len),
        Some(1)
    );

    // Stop: the task was running, stopping it cancels the model server's request, the partial
    // answer is saved as done.
    let stop = &flow["stop"];
    assert_eq!(
        stop["running"]["task_ids"].as_array().map(Vec::len),
        Some(1),
        "{stop}"
    );
    assert_eq!(stop["stopped"]["status"], true);
    assert_eq!(stop["after"]["task_ids"], json!([]));
    assert_eq!(
        stop["listed_active"],
        json!([true]),
        "the sidebar marks a chat with a running task"
    );
    assert_eq!(stop["listed_after"], json!([false]));
    let kinds: Vec<&str> = stop["events"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(Value::as_str)
        .collect();
    assert!(kinds.contains(&"chat:tasks:cancel"), "{kinds:?}");
    let chat = &stop["chat"];
    let a3 = chat["chat"]["history"]["currentId"]
        .as_str()
        .unwrap_or_default();
    assert_eq!(message(chat, a3)["content"], "wait");
    assert_eq!(message(chat, a3)["done"], true);
    let mut cancelled = false;
    for _ in 0..100 {
        if fake.disconnects() > 0 {
            cancelled = true;
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    assert!(cancelled, "the model server saw the stopped request end");

    // Regenerate: a second answer under the same user message.
    // A temporary chat streams like the others and leaves nothing stored.
    let temporary = &flow["temporary"];
    assert_eq!(temporary["status"], 200, "{temporary}");
    assert_eq!(temporary["started"]["chat_id"], temporary["chat_id"]);
    assert!(
        temporary["done"].is_object(),
        "the answer finished: {temporary}"
    );
    assert!(
        temporary["streamed"]
            .as_str()
            .is_some_and(|s| s.contains("temporary question")),
        "{temporary}"
    );
    assert_eq!(temporary["listed_after"], temporary["listed_before"]);
    assert!(
        temporary["stored"].as_u64().is_some_and(|s| s >= 400),
        "{temporary}"
    );
    let regenerate = &flow["regenerate"];
    assert_eq!(regenerate["status"], 200);
    let chat = &regenerate["chat"];
    let user_two = message(chat, a2)["parentId"].as_str().unwrap_or_default();
    let children = message(chat, user_two)["childrenIds"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    assert_eq!(children.len(), 2, "{children:?}");
    let a4 = chat["chat"]["history"]["currentId"]
        .as_str()
        .unwrap_or_default();
    assert_eq!(
        message(chat, a4)["content"],
        "Hello from fake: second question"
    );
    assert_eq!(
        flow["conflict"]["status"], 409,
        "a finished answer cannot be written again"
    );

    // The stored rows agree with the document.
    let listed = server
        .get_json("/api/v1/chats/?page=1", &server.admin_token)
        .await?;
    assert_eq!(listed[0]["id"], chat_id);
    server.stop().await
}

#[tokio::test]
#[expect(
    clippy::too_many_lines,
    reason = "one end-to-end scenario, read top to bottom"
)]
async fn two_instances_share_events_and_stops_through_redis_and_survive_without_it() -> Result<()> {
    let fake = FakeUpstream::start(Flavor::OpenAi, &["echo", "stall"]).await?;
    let mut redis = hearth_tests::redis_server::RedisServer::start().await?;
    let prefix = format!("hearth-test-{}", std::process::id());
    let configure = |url: String, redis_url: String, prefix: String| {
        move |s: &mut hearth_tests::hearth_api::Settings| {
            s.models.openai_base_urls = Some(vec![url]);
            s.sockets.manager = "redis".into();
            s.redis.url = Some(redis_url);
            s.redis.key_prefix = prefix;
        }
    };
    let a =
        TestServer::start_with(configure(fake.url.clone(), redis.url(), prefix.clone())).await?;
    let b = a
        .start_peer(configure(fake.url.clone(), redis.url(), prefix.clone()))
        .await?;
    // Both instances connect to Redis in the background.
    tokio::time::sleep(std::time::Duration::from_millis(500)).await;
    let env = |phase: &str| {
        vec![
            ("BASE_A", a.url.clone()),
            ("BASE_B", b.url.clone()),
            ("TOKEN", a.admin_token.clone()),
            ("PHASE", phase.to_owned()),
            (
                "WAIT_SECONDS",
                if phase == "retry" { "2" } else { "20" }.to_owned(),
            ),
        ]
    };
    let cross = client(
        python()?,
        repo_path("tests/python/two_instances.py"),
        env("cross"),
    )
    .await?;
    assert_eq!(
        cross["streamed"]["done"]["data"]["data"]["content"], "Hello from fake: hello",
        "a socket on B got the answer streamed on A: {cross}"
    );
    let stop = &cross["stop"];
    assert_eq!(stop["first"]["data"]["data"]["content"], "wait", "{stop}");
    assert_eq!(
        stop["seen_on_b"]["task_ids"].as_array().map(Vec::len),
        Some(1),
        "B sees A's task: {stop}"
    );
    assert!(
        stop["stopped"]["message"]
            .as_str()
            .is_some_and(|m| m.starts_with("Stopped 1")),
        "{stop}"
    );
    assert_eq!(stop["cancel"]["data"]["type"], "chat:tasks:cancel");
    assert_eq!(stop["message"]["done"], true);
    assert_eq!(
        stop["message"]["content"], "wait",
        "the stopped answer is saved as it was"
    );

    // Redis goes away: each instance keeps serving its own sockets and HTTP.
    redis.kill();
    let alone = client(
        python()?,
        repo_path("tests/python/two_instances.py"),
        env("alone"),
    )
    .await?;
    for name in ["a", "b"] {
        let run = &alone[name];
        assert_eq!(
            run["done"]["data"]["data"]["content"], "Hello from fake: hello",
            "{name}: {run}"
        );
        assert_eq!(run["health"], 200);
        assert_eq!(run["models"], 200);
    }

    // Redis returns: events cross instances again.
    redis.restart().await?;
    let mut crossed = false;
    for _ in 0..40 {
        tokio::time::sleep(std::time::Duration::from_millis(250)).await;
        if let Ok(again) = client(
            python()?,
            repo_path("tests/python/two_instances.py"),
            env("retry"),
        )
        .await
            && again["streamed"]["done"]["data"]["data"]["content"] == "Hello from fake: hello"
        {
            crossed = true;
            break;
        }
    }
    assert!(
        crossed,
        "after Redis restarted, events reached the other instance again"
    );
    b.stop().await?;
    a.stop().await
}

#[tokio::test]
async fn usage_is_for_admins_unless_public() -> Result<()> {
    let server = TestServer::start_with(|s| s.sockets.public_active_users_count = false).await?;
    let user = server.add_user("Pat", "pat@example.com", "user").await?;
    let response = server
        .client()
        .get(server.url("/api/usage"))
        .bearer_auth(&user)
        .send()
        .await?;
    let (status, body) = hearth_tests::status_json(response).await?;
    assert_eq!(status, 403, "{body}");
    assert!(
        body["detail"]
            .as_str()
            .is_some_and(|d| d.contains("administrators"))
    );
    let usage = server.get_json("/api/usage", &server.admin_token).await?;
    assert_eq!(usage["model_ids"], json!([]));
    assert!(
        usage["user_count"].as_u64() >= Some(1),
        "the admin is active: {usage}"
    );
    let config = server.get_json("/api/config", &user).await?;
    assert_eq!(
        config["features"]["enable_public_active_users_count"],
        false
    );
    server.stop().await
}

/// Sends a raw HTTP/1.1 upgrade request and returns the whole answer.
async fn raw_upgrade(server: &TestServer, path: &str, key: bool) -> Result<String> {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let addr = server.url.trim_start_matches("http://");
    let mut stream = tokio::net::TcpStream::connect(addr).await?;
    let key = if key {
        "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
    } else {
        ""
    };
    let request = format!(
        "GET {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n\
         {key}Sec-WebSocket-Version: 13\r\n\r\n"
    );
    stream.write_all(request.as_bytes()).await?;
    let mut answer = Vec::new();
    tokio::time::timeout(
        std::time::Duration::from_secs(10),
        stream.read_to_end(&mut answer),
    )
    .await??;
    Ok(String::from_utf8_lossy(&answer).into_owned())
}

#[tokio::test]
async fn upgrade_requests_that_are_not_socket_io_get_clear_errors() -> Result<()> {
    let server = TestServer::start().await?;
    for (path, key, status, detail) in [
        ("/api/config", true, "404", "Not Found"),
        (
            "/ws/socket.io/?EIO=3&transport=websocket",
            true,
            "400",
            "Unsupported protocol version",
        ),
        (
            "/ws/socket.io/?EIO=4&transport=websocket&sid=nope",
            true,
            "400",
            "Session ID unknown",
        ),
        ("/ws/socket.io/?EIO=4&transport=websocket", false, "400", ""),
    ] {
        let answer = raw_upgrade(&server, path, key).await?;
        assert!(
            answer.starts_with(&format!("HTTP/1.1 {status}")),
            "{path}: {answer}"
        );
        let body: Value = serde_json::from_str(answer.split("\r\n\r\n").nth(1).unwrap_or(""))?;
        assert!(
            body["detail"].as_str().is_some_and(|d| d.contains(detail)),
            "{path}: {body}"
        );
    }
    // A good handshake switches protocols and the Engine.IO open packet follows.
    let (_stream, answer) = raw_websocket(&server).await?;
    assert!(answer.starts_with("HTTP/1.1 101"), "{answer}");
    assert!(
        answer
            .to_ascii_lowercase()
            .contains("sec-websocket-accept: s3pplmbitxaq9kygzzhzrbk+xoo="),
        "{answer}"
    );
    server.stop().await
}

/// Opens a websocket by hand and returns the stream after the Engine.IO open packet, with
/// everything read until then (the handshake answer and that packet).
async fn raw_websocket(server: &TestServer) -> Result<(tokio::net::TcpStream, String)> {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let addr = server.url.trim_start_matches("http://");
    let mut stream = tokio::net::TcpStream::connect(addr).await?;
    let request = format!(
        "GET /ws/socket.io/?EIO=4&transport=websocket HTTP/1.1\r\nHost: {addr}\r\n\
         Connection: Upgrade\r\nUpgrade: websocket\r\n\
         Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n"
    );
    stream.write_all(request.as_bytes()).await?;
    let mut seen = Vec::new();
    let mut chunk = [0u8; 1024];
    while !String::from_utf8_lossy(&seen).contains("pingInterval") {
        let n = tokio::time::timeout(std::time::Duration::from_secs(10), stream.read(&mut chunk))
            .await??;
        anyhow::ensure!(n > 0, "closed during the handshake");
        seen.extend_from_slice(&chunk[..n]);
    }
    Ok((stream, String::from_utf8_lossy(&seen).into_owned()))
}

/// A masked client frame.
fn client_frame(opcode: u8, payload: &[u8]) -> Vec<u8> {
    let mask = [1u8, 2, 3, 4];
    let mut frame = vec![0x80 | opcode];
    match payload.len() {
        n if n < 126 => frame.push(0x80 | n as u8),
        n => {
            frame.push(0x80 | 126);
            frame.extend_from_slice(&(n as u16).to_be_bytes());
        }
    }
    frame.extend_from_slice(&mask);
    frame.extend(payload.iter().enumerate().map(|(i, b)| b ^ mask[i % 4]));
    frame
}

#[tokio::test]
async fn oversized_or_broken_websocket_frames_close_only_that_socket() -> Result<()> {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let server = TestServer::start_with(|s| s.sockets.engine.max_payload = 1000).await?;
    for frame in [
        client_frame(0x1, &[b'4'; 5000]),
        client_frame(0x1, &[0xff, 0xfe, 0xfd]),
    ] {
        let (mut socket, _) = raw_websocket(&server).await?;
        socket.write_all(&frame).await?;
        // The server answers with a close frame and ends the connection.
        let mut rest = Vec::new();
        tokio::time::timeout(
            std::time::Duration::from_secs(10),
            socket.read_to_end(&mut rest),
        )
        .await??;
        assert_eq!(
            rest.first(),
            Some(&0x88),
            "a close frame, then EOF: {rest:?}"
        );
    }
    let health = server.get_json("/health", "").await?;
    assert_eq!(health["status"], true, "the server is unharmed");
    server.stop().await
}
