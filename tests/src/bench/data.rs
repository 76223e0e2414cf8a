//! Data tools at size (`--only data`): a server on SQLite is filled with 100,000 chats of
//! four messages through `/api/v1/chats/import`, stopped cleanly, and then `hearth db backup`
//! and `hearth db copy` (to PostgreSQL, to SQLCipher) are timed with their peak RSS.
//! PostgreSQL: `HEARTH_BENCH_POSTGRES_URL` (default `postgres://postgres@127.0.0.1:5432`).

use serde_json::json;
use std::path::Path;
use std::process::Command;
use std::time::Instant;

type BenchResult<T> = Result<T, Box<dyn std::error::Error>>;

const CHATS: usize = 100_000;

/// Runs `hearth args…` under `/usr/bin/time`; prints its wall time and peak RSS.
fn timed(
    server: &str,
    data: &Path,
    label: &str,
    args: &[&str],
    env: &[(&str, &str)],
) -> BenchResult<()> {
    let output = Command::new("/usr/bin/time")
        .args(["-f", "%e %M"])
        .arg(server)
        .args(args)
        .env("DATA_DIR", data)
        .env("NO_COLOR", "1")
        .envs(env.iter().copied())
        .output()?;
    let stderr = String::from_utf8_lossy(&output.stderr);
    if !output.status.success() {
        return Err(format!("{label} failed: {stderr}").into());
    }
    let last = stderr.lines().last().unwrap_or_default().to_owned();
    let mut parts = last.split_whitespace();
    let seconds: f64 = parts.next().unwrap_or("0").parse().unwrap_or(0.0);
    let kib: f64 = parts.next().unwrap_or("0").parse().unwrap_or(0.0);
    println!(
        "{label:<44} {seconds:>8.1} s   peak RSS {:>7.1} MiB",
        kib / 1024.0
    );
    Ok(())
}

async fn fill(addr: std::net::SocketAddr, token: &str) -> BenchResult<()> {
    let client = reqwest::Client::new();
    let started = Instant::now();
    for first in (0..CHATS).step_by(1000) {
        let chats: Vec<serde_json::Value> = (first..first + 1000)
            .map(|i| {
                let message = |id: &str, parent: Option<&str>, child: Option<&str>, role: &str| {
                    json!({"id": id, "parentId": parent, "childrenIds": child.into_iter().collect::<Vec<_>>(),
                           "role": role, "content": format!("{role} message {id} of chat {i}: some words to store")})
                };
                json!({"chat": {"title": format!("Chat {i}"), "history": {"currentId": "d", "messages": {
                    "a": message("a", None, Some("b"), "user"),
                    "b": message("b", Some("a"), Some("c"), "assistant"),
                    "c": message("c", Some("b"), Some("d"), "user"),
                    "d": message("d", Some("c"), None, "assistant"),
                }}}, "updated_at": 1_700_000_000 + i as i64})
            })
            .collect();
        let response = client
            .post(format!("http://{addr}/api/v1/chats/import"))
            .bearer_auth(token)
            .json(&json!({"chats": chats}))
            .send()
            .await?;
        if !response.status().is_success() {
            return Err(format!("import: {}", response.status()).into());
        }
    }
    println!(
        "-- {CHATS} chats of 4 messages imported in {:.1} s",
        started.elapsed().as_secs_f64()
    );
    Ok(())
}

/// The data-tools scenario (see the module documentation).
pub async fn tools(server: &str) -> BenchResult<()> {
    let data = tempfile::tempdir()?;
    let mut command = Command::new(server);
    command
        .env("DATA_DIR", data.path())
        .env("HOST", "127.0.0.1")
        .env("PORT", "0")
        .env("NO_COLOR", "1")
        .env("ENABLE_OLLAMA_API", "false")
        .env("ENABLE_OPENAI_API", "false")
        .env("RUST_LOG", "info");
    let (mut child, addr) = super::spawn_reporting(command, "address=")?;
    super::wait_healthy(addr).await?;
    let token = super::sign_up(addr).await?;
    fill(addr, &token).await?;
    Command::new("kill")
        .arg("-TERM")
        .arg(child.id().to_string())
        .status()?;
    child.wait()?;
    let db = data.path().join("webui.db");
    println!(
        "database file                                {:>8.1} MiB",
        std::fs::metadata(&db)?.len() as f64 / 1_048_576.0
    );
    let backup = data.path().join("backup.db");
    let backup_arg = backup.display().to_string();
    timed(
        server,
        data.path(),
        "hearth db backup",
        &["db", "backup", &backup_arg],
        &[],
    )?;

    let from = format!("sqlite:///{}", db.display());
    let postgres = std::env::var("HEARTH_BENCH_POSTGRES_URL")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432".into());
    let name = format!("hearth_bench_copy_{}", std::process::id());
    let admin = format!("{postgres}/postgres");
    let psql = |sql: String| {
        Command::new("psql")
            .args([admin.as_str(), "-qc", &sql])
            .status()
    };
    psql(format!("CREATE DATABASE {name}"))?;
    let to = format!("{postgres}/{name}");
    let copied = timed(
        server,
        data.path(),
        "hearth db copy SQLite -> PostgreSQL",
        &["db", "copy", "--from", &from, "--to", &to],
        &[],
    );
    psql(format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))?;
    copied?;
    let encrypted = format!(
        "sqlite+sqlcipher:///{}",
        data.path().join("encrypted.db").display()
    );
    timed(
        server,
        data.path(),
        "hearth db copy SQLite -> SQLCipher",
        &["db", "copy", "--from", &from, "--to", &encrypted],
        &[("HEARTH_COPY_TO_PASSWORD", "bench-key")],
    )?;
    Ok(())
}
