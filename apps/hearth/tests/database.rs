//! The database as a whole, through the real binary: a clean stop leaves everything in
//! `webui.db`, `hearth db backup` copies a running server's database, `hearth db copy` moves
//! every row between SQLite, SQLCipher and PostgreSQL (the PostgreSQL leg runs when
//! `HEARTH_TEST_DATABASE_URL` names a server), and encrypted databases refuse wrong keys.

mod common;

use anyhow::{Context, Result};
use common::{get, hearth, post, run_briefly, serve, serve_with, sign_in, stop};
use hearth_persistence::scratch::{ScratchDatabase, TEST_DATABASE_ENV};
use serde_json::{Value, json};
use std::path::Path;
use std::process::{Command, Output};

const EMAIL: &str = "ada@example.com";
const PASSWORD: &str = "pw-ada-1";

/// Signs Ada up and writes `chats` chats (nested JSON, unicode, a tag, a folder).
async fn seed(url: &str, chats: usize) -> Result<String> {
    let client = reqwest::Client::new();
    let body = json!({"name": "Ada", "email": EMAIL, "password": PASSWORD});
    let session = client
        .post(format!("{url}/api/v1/auths/signup"))
        .json(&body)
        .send()
        .await?
        .json::<Value>()
        .await?;
    let token = session["token"].as_str().context("no token")?.to_owned();
    let folder = post(
        &format!("{url}/api/v1/folders/"),
        &token,
        json!({"name": "Ünïcode ✓"}),
    )
    .await?;
    for i in 0..chats {
        let chat = json!({"chat": {
            "title": format!("chat {i} — «quoted» 'single' \"double\" 🔥"),
            "models": ["fake-model"],
            "params": {"temperature": 0.25, "nested": {"list": [1, 2.5, null, true, "x"]}},
            "history": {"currentId": "m2", "messages": {
                "m1": {"id": "m1", "role": "user", "content": format!("question {i}\nline two"), "childrenIds": ["m2"], "parentId": null},
                "m2": {"id": "m2", "role": "assistant", "content": "answer with \\backslash and 100% _under_", "parentId": "m1", "childrenIds": []}
            }},
            "messages": [],
            "tags": []
        }});
        let created = post(&format!("{url}/api/v1/chats/new"), &token, chat).await?;
        let id = created["id"].as_str().context("no chat id")?;
        if i % 3 == 0 {
            post(
                &format!("{url}/api/v1/chats/{id}/tags"),
                &token,
                json!({"name": "Keep Me"}),
            )
            .await?;
        }
        if i % 4 == 0 {
            let folder_id = folder["id"].as_str().context("no folder id")?;
            post(
                &format!("{url}/api/v1/chats/{id}/folder"),
                &token,
                json!({"folder_id": folder_id}),
            )
            .await?;
        }
    }
    Ok(token)
}

/// Everything Ada sees: every chat in full, her tags and folders.
async fn snapshot(url: &str) -> Result<Value> {
    let token = sign_in(url, EMAIL, PASSWORD).await?;
    let mut chats = Vec::new();
    for page in 1.. {
        let list = get(&format!("{url}/api/v1/chats/?page={page}"), &token).await?;
        let list = list.as_array().context("chat list")?.clone();
        if list.is_empty() {
            break;
        }
        for item in list {
            let id = item["id"].as_str().context("id")?;
            chats.push(get(&format!("{url}/api/v1/chats/{id}"), &token).await?);
        }
    }
    let tags = get(&format!("{url}/api/v1/chats/all/tags"), &token).await?;
    let folders = get(&format!("{url}/api/v1/folders/"), &token).await?;
    // Chats in a folder are listed by their folder only.
    for folder in folders.as_array().context("folders")? {
        let id = folder["id"].as_str().context("folder id")?;
        let listed = get(&format!("{url}/api/v1/chats/folder/{id}"), &token).await?;
        for item in listed.as_array().context("folder chats")? {
            let id = item["id"].as_str().context("id")?;
            chats.push(get(&format!("{url}/api/v1/chats/{id}"), &token).await?);
        }
    }
    // Chats updated in the same second have no defined order between engines.
    chats.sort_by(|a, b| a["id"].as_str().cmp(&b["id"].as_str()));
    Ok(json!({"chats": chats, "tags": tags, "folders": folders}))
}

/// Runs a command expected to end by itself (a copy, a backup, a refused start-up).
fn run(command: &mut Command) -> Result<Output> {
    run_briefly(command, 120)
}

fn text(output: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    )
}

/// The first place where `a` and `b` differ, as a JSON path with both values.
fn difference(a: &Value, b: &Value, path: &str) -> Option<String> {
    match (a, b) {
        (Value::Object(x), Value::Object(y)) => {
            let keys: std::collections::BTreeSet<&String> = x.keys().chain(y.keys()).collect();
            keys.into_iter().find_map(|k| {
                let (l, r) = (
                    x.get(k).unwrap_or(&Value::Null),
                    y.get(k).unwrap_or(&Value::Null),
                );
                difference(l, r, &format!("{path}.{k}"))
            })
        }
        (Value::Array(x), Value::Array(y)) if x.len() == y.len() => x
            .iter()
            .zip(y)
            .enumerate()
            .find_map(|(i, (l, r))| difference(l, r, &format!("{path}[{i}]"))),
        _ if a == b => None,
        _ => Some(format!("{path}: {a} != {b}")),
    }
}

fn assert_same(a: &Value, b: &Value) {
    let found = difference(a, b, "$");
    assert!(
        found.is_none(),
        "the databases differ at {}",
        found.unwrap_or_default()
    );
}

fn sqlite_url(path: &Path) -> String {
    format!("sqlite:///{}", path.display())
}

#[tokio::test]
async fn a_clean_stop_leaves_the_whole_database_in_webui_db() -> Result<()> {
    let first = tempfile::tempdir()?;
    let (child, url) = serve(first.path())?;
    seed(&url, 25).await?;
    let before = snapshot(&url).await?;
    stop(child)?;
    let wal = first.path().join("webui.db-wal");
    let left = std::fs::metadata(&wal).map(|m| m.len()).unwrap_or(0);
    assert_eq!(left, 0, "{} bytes left in {}", left, wal.display());

    // webui.db alone, copied as people copy it, is the whole database.
    let second = tempfile::tempdir()?;
    std::fs::copy(
        first.path().join("webui.db"),
        second.path().join("webui.db"),
    )?;
    let (child, url) = serve(second.path())?;
    let after = snapshot(&url).await?;
    stop(child)?;
    assert_eq!(after["chats"].as_array().map(Vec::len), Some(25));
    assert_same(&before, &after);
    Ok(())
}

#[tokio::test]
async fn backup_copies_a_running_servers_database() -> Result<()> {
    let live = tempfile::tempdir()?;
    let (child, url) = serve(live.path())?;
    let token = seed(&url, 12).await?;
    let before = snapshot(&url).await?;
    let restored = tempfile::tempdir()?;
    let file = restored.path().join("webui.db");
    let output = run(hearth(live.path()).args(["db", "backup"]).arg(&file))?;
    assert!(output.status.success(), "{}", text(&output));
    assert!(text(&output).contains("backed up to"), "{}", text(&output));
    // The live server keeps writing; the backup is the moment it was taken.
    let later =
        json!({"chat": {"title": "after the backup", "models": [], "history": {"messages": {}}}});
    post(&format!("{url}/api/v1/chats/new"), &token, later).await?;
    let again = run(hearth(live.path()).args(["db", "backup"]).arg(&file))?;
    assert!(!again.status.success(), "a backup never overwrites");
    assert!(text(&again).contains("already exists"), "{}", text(&again));
    stop(child)?;

    let (child, url) = serve(restored.path())?;
    let after = snapshot(&url).await?;
    stop(child)?;
    assert_same(&before, &after);
    Ok(())
}

/// SQLite → (PostgreSQL, or SQLCipher without a server) → SQLite: every chat, tag and folder
/// the same through the API at each step; a non-empty target is refused.
#[tokio::test]
async fn copy_moves_every_row_between_engines_and_back() -> Result<()> {
    let origin = tempfile::tempdir()?;
    let (child, url) = serve(origin.path())?;
    seed(&url, 130).await?;
    let before = snapshot(&url).await?;
    stop(child)?;
    let origin_url = sqlite_url(&origin.path().join("webui.db"));

    let middle_dir = tempfile::tempdir()?;
    let server = std::env::var(TEST_DATABASE_ENV)
        .ok()
        .filter(|u| !u.is_empty());
    let scratch = match &server {
        Some(server) => Some(ScratchDatabase::create_on(server).await?),
        None => None,
    };
    let (middle_url, key) = match &scratch {
        Some(db) => (db.url.clone(), None),
        None => (
            format!(
                "sqlite+sqlcipher:///{}",
                middle_dir.path().join("webui.db").display()
            ),
            Some("k3y 'with' quotes"),
        ),
    };
    let mut copy = hearth(origin.path());
    copy.args([
        "db",
        "copy",
        "--batch-rows",
        "50",
        "--from",
        &origin_url,
        "--to",
        &middle_url,
    ]);
    if let Some(key) = key {
        copy.env("HEARTH_COPY_TO_PASSWORD", key);
    }
    let output = run(&mut copy)?;
    assert!(output.status.success(), "{}", text(&output));
    assert!(
        text(&output).contains("row counts match"),
        "{}",
        text(&output)
    );
    assert!(text(&output).contains("chat "), "{}", text(&output));

    let mut middle = hearth(middle_dir.path());
    middle.env("DATABASE_URL", &middle_url);
    if let Some(key) = key {
        middle.env("DATABASE_PASSWORD", key);
    }
    let (child, url) = serve_with(middle)?;
    let in_middle = snapshot(&url).await?;
    stop(child)?;
    assert_same(&before, &in_middle);

    let back = tempfile::tempdir()?;
    let back_url = sqlite_url(&back.path().join("webui.db"));
    let mut copy = hearth(back.path());
    copy.args(["db", "copy", "--from", &middle_url, "--to", &back_url]);
    if let Some(key) = key {
        copy.env("HEARTH_COPY_FROM_PASSWORD", key);
    }
    let output = run(&mut copy)?;
    assert!(output.status.success(), "{}", text(&output));
    let (child, url) = serve(back.path())?;
    let returned = snapshot(&url).await?;
    stop(child)?;
    assert_same(&before, &returned);

    let refused =
        run(hearth(back.path()).args(["db", "copy", "--from", &origin_url, "--to", &back_url]))?;
    assert!(!refused.status.success());
    assert!(text(&refused).contains("not empty"), "{}", text(&refused));
    if let Some(db) = scratch {
        db.remove().await?;
    }
    Ok(())
}

#[tokio::test]
async fn an_encrypted_database_opens_only_with_its_key() -> Result<()> {
    let dir = tempfile::tempdir()?;
    let file = dir.path().join("secret.db");
    let url = format!("sqlite+sqlcipher:///{}", file.display());
    let mut command = hearth(dir.path());
    command
        .env("DATABASE_URL", &url)
        .env("DATABASE_PASSWORD", "correct horse");
    let (child, base) = serve_with(command)?;
    seed(&base, 3).await?;
    let before = snapshot(&base).await?;
    stop(child)?;
    let header = std::fs::read(&file)?;
    assert!(header.len() > 4096);
    assert!(
        !header.starts_with(b"SQLite format 3"),
        "the file is encrypted"
    );
    assert!(
        !header.windows(EMAIL.len()).any(|w| w == EMAIL.as_bytes()),
        "no plain text in the file"
    );

    let wrong = run(hearth(dir.path())
        .env("DATABASE_URL", &url)
        .env("DATABASE_PASSWORD", "wrong"))?;
    assert!(!wrong.status.success());
    assert!(
        text(&wrong).contains("wrong DATABASE_PASSWORD"),
        "{}",
        text(&wrong)
    );
    let missing = run(hearth(dir.path()).env("DATABASE_URL", &url))?;
    assert!(!missing.status.success());
    assert!(
        text(&missing).contains("DATABASE_PASSWORD is not set"),
        "{}",
        text(&missing)
    );
    let plain = run(hearth(dir.path()).env("DATABASE_URL", sqlite_url(&file)))?;
    assert!(!plain.status.success());
    assert!(
        text(&plain).contains("is it encrypted?"),
        "{}",
        text(&plain)
    );

    let mut command = hearth(dir.path());
    command
        .env("DATABASE_URL", &url)
        .env("DATABASE_PASSWORD", "correct horse");
    let (child, base) = serve_with(command)?;
    let after = snapshot(&base).await?;
    stop(child)?;
    assert_same(&before, &after);
    Ok(())
}
