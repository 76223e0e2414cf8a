//! Databases the real Open WebUI 0.12.4 wrote (`tests/fixtures`, made by
//! `scripts/make-openwebui-fixtures`): Hearth opens them with everything in place; other
//! Open WebUI releases' databases are refused untouched; a failed migration changes nothing;
//! instances starting together on one PostgreSQL migrate once. The PostgreSQL tests run when
//! `HEARTH_TEST_DATABASE_URL` names a server (the PostgreSQL pass of `scripts/test`).

mod common;

use anyhow::{Context, Result};
use common::{get, hearth, run_briefly, serve_with, sign_in, stop};
use hearth_persistence::scratch::{ScratchDatabase, TEST_DATABASE_ENV};
use sea_orm::{ConnectionTrait, Database};
use serde_json::{Value, json};
use std::path::{Path, PathBuf};

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../tests/fixtures")
        .join(name)
}

fn facts(name: &str) -> Result<Value> {
    Ok(serde_json::from_slice(&std::fs::read(fixture(name))?)?)
}

fn postgres_server() -> Option<String> {
    std::env::var(TEST_DATABASE_ENV)
        .ok()
        .filter(|u| !u.is_empty())
}

fn ids(list: &Value) -> Vec<String> {
    let mut ids: Vec<String> = list
        .as_array()
        .map(|a| {
            a.iter()
                .filter_map(|c| c["id"].as_str().map(str::to_owned))
                .collect()
        })
        .unwrap_or_default();
    ids.sort();
    ids
}

/// Everything the fixture's seed made is there: both accounts, the API key, the chats with
/// their messages, the tag, pin, archive, folder and share.
async fn everything_is_there(base: &str, facts: &Value) -> Result<()> {
    let token = sign_in(base, "ada@example.com", "pw-ada-1").await?;
    sign_in(base, "bob@example.com", "pw-bob-1").await?;
    let key = facts["api_key"].as_str().context("key")?;
    let by_key = ids(&get(&format!("{base}/api/v1/chats/?page=1"), key).await?);
    let by_session = ids(&get(&format!("{base}/api/v1/chats/?page=1"), &token).await?);
    assert!(!by_key.is_empty());
    assert_eq!(by_key, by_session, "the API key works");

    let all: Vec<String> = facts["chats"]
        .as_array()
        .context("chats")?
        .iter()
        .filter_map(|c| c["id"].as_str().map(str::to_owned))
        .collect();
    let archived = facts["archived"].as_str().context("archived")?;
    let mut listed = Vec::new();
    for list in ["?page=1", "archived", "pinned"] {
        listed.extend(ids(
            &get(&format!("{base}/api/v1/chats/{list}"), &token).await?
        ));
    }
    let folder = facts["folder"].as_str().context("folder")?;
    let in_folder = ids(&get(&format!("{base}/api/v1/chats/folder/{folder}"), &token).await?);
    listed.extend(in_folder.clone());
    listed.sort();
    let mut expected = all.clone();
    expected.sort();
    assert_eq!(listed, expected);

    every_chat_is_whole(base, &token, facts, archived).await
}

/// Each chat with its title, both messages and its archived flag; the pin, tag and share.
async fn every_chat_is_whole(base: &str, token: &str, facts: &Value, archived: &str) -> Result<()> {
    let token = token.to_owned();
    for chat in facts["chats"].as_array().context("chats")? {
        let id = chat["id"].as_str().context("id")?;
        let full = get(&format!("{base}/api/v1/chats/{id}"), &token).await?;
        assert_eq!(full["title"], chat["title"]);
        let messages = &full["chat"]["history"]["messages"];
        assert_eq!(messages.as_object().map(|m| m.len()), Some(2), "{full}");
        assert_eq!(full["archived"], json!(id == archived));
    }
    let pinned = ids(&get(&format!("{base}/api/v1/chats/pinned"), &token).await?);
    assert_eq!(
        pinned,
        vec![facts["pinned"].as_str().context("pinned")?.to_owned()]
    );
    let tagged = get(
        &format!(
            "{base}/api/v1/chats/{}/tags",
            facts["tagged"].as_str().context("t")?
        ),
        &token,
    )
    .await?;
    assert_eq!(tagged[0]["name"], "Keep Me", "{tagged}");
    let folder = facts["folder"].as_str().context("folder")?;
    let in_folder = ids(&get(&format!("{base}/api/v1/chats/folder/{folder}"), &token).await?);
    assert_eq!(
        in_folder,
        vec![facts["in_folder"].as_str().context("in folder")?.to_owned()]
    );
    let share = facts["share_id"].as_str().context("share")?;
    let shared = get(&format!("{base}/api/v1/chats/share/{share}"), &token).await?;
    assert_eq!(shared["title"], "chat 4 «ü»");
    Ok(())
}

#[tokio::test]
async fn opens_an_sqlite_database_open_webui_wrote() -> Result<()> {
    let dir = tempfile::tempdir()?;
    std::fs::copy(fixture("openwebui-0.12.4.db"), dir.path().join("webui.db"))?;
    let (child, base) = serve_with(hearth(dir.path()))?;
    let checked = everything_is_there(&base, &facts("openwebui-0.12.4.json")?).await;
    stop(child)?;
    checked
}

#[tokio::test]
async fn opens_a_postgresql_database_open_webui_wrote() -> Result<()> {
    let Some(server) = postgres_server() else {
        eprintln!("{TEST_DATABASE_ENV} is not set: this test runs in the PostgreSQL pass");
        return Ok(());
    };
    let scratch = ScratchDatabase::create_on(&server).await?;
    let db = Database::connect(scratch.url.as_str()).await?;
    db.execute_unprepared(&std::fs::read_to_string(fixture(
        "openwebui-0.12.4-postgres.sql",
    ))?)
    .await?;
    db.close().await?;
    let dir = tempfile::tempdir()?;
    let mut command = hearth(dir.path());
    command.env("DATABASE_URL", &scratch.url);
    let (child, base) = serve_with(command)?;
    let checked = everything_is_there(&base, &facts("openwebui-0.12.4-postgres.json")?).await;
    stop(child)?;
    scratch.remove().await?;
    checked
}

/// A database the real Open WebUI 0.6.5 wrote (`tests/fixtures/openwebui-0.6.5.db`: one
/// sign-up) is refused at start, naming its revision, and left exactly as it was.
#[tokio::test]
async fn a_database_open_webui_0_6_wrote_is_refused_untouched() -> Result<()> {
    let dir = tempfile::tempdir()?;
    let file = dir.path().join("webui.db");
    std::fs::copy(fixture("openwebui-0.6.5.db"), &file)?;
    let before = std::fs::read(&file)?;
    let output = run_briefly(&mut hearth(dir.path()), 30)?;
    let said = String::from_utf8_lossy(&output.stderr);
    assert!(!output.status.success(), "{said}");
    assert!(
        said.contains("older than 0.12.4 (schema revision 3781e22d8b01"),
        "{said}"
    );
    assert!(
        said.contains("Start Open WebUI 0.12.4 on it once"),
        "{said}"
    );
    assert!(
        std::fs::read(&file)? == before,
        "the database is not changed"
    );
    Ok(())
}

#[tokio::test]
async fn another_open_webui_releases_database_is_refused_untouched() -> Result<()> {
    for (revision, says) in [
        (
            "ca81bd47c050",
            "older than 0.12.4 (schema revision ca81bd47c050",
        ),
        (
            "ffffffffffff",
            "newer than 0.12.4 (unknown schema revision ffffffffffff",
        ),
    ] {
        let dir = tempfile::tempdir()?;
        let file = dir.path().join("webui.db");
        std::fs::copy(fixture("openwebui-0.12.4.db"), &file)?;
        let url = format!("sqlite://{}", file.display());
        let db = Database::connect(url.as_str()).await?;
        db.execute_unprepared(&format!(
            "UPDATE alembic_version SET version_num = '{revision}'"
        ))
        .await?;
        db.close().await?;
        let before = std::fs::read(&file)?;
        let output = run_briefly(&mut hearth(dir.path()), 30)?;
        let said = String::from_utf8_lossy(&output.stderr);
        assert!(!output.status.success(), "{said}");
        assert!(said.contains(says), "{said}");
        assert!(
            std::fs::read(&file)? == before,
            "the database is not changed"
        );
    }
    Ok(())
}

/// A table in the way makes a migration fail: start-up stops with the reason and the
/// schema is as it was (no Hearth table, no migration recorded).
#[tokio::test]
async fn a_failed_migration_changes_nothing() -> Result<()> {
    let dir = tempfile::tempdir()?;
    let scratch = match postgres_server() {
        Some(server) => Some(ScratchDatabase::create_on(&server).await?),
        None => None,
    };
    let url = match &scratch {
        Some(db) => db.url.clone(),
        None => format!(
            "sqlite://{}?mode=rwc",
            dir.path().join("webui.db").display()
        ),
    };
    let db = Database::connect(url.as_str()).await?;
    db.execute_unprepared("CREATE TABLE chat (unrelated INTEGER)")
        .await?;
    let mut command = hearth(dir.path());
    if scratch.is_some() {
        command.env("DATABASE_URL", &url);
    }
    let output = run_briefly(&mut command, 30)?;
    let said = String::from_utf8_lossy(&output.stderr);
    assert!(!output.status.success(), "{said}");
    assert!(said.contains("database migration failed"), "{said}");
    assert!(said.contains("left as it was"), "{said}");
    for table in ["user", "seaql_migrations"] {
        let probe = db
            .execute_unprepared(&format!("SELECT 1 FROM \"{table}\""))
            .await;
        assert!(
            probe.is_err(),
            "table {table} exists after the failed migration"
        );
    }
    db.close().await?;
    if let Some(scratch) = scratch {
        scratch.remove().await?;
    }
    Ok(())
}

#[tokio::test]
async fn instances_starting_together_on_postgresql_migrate_once() -> Result<()> {
    let Some(server) = postgres_server() else {
        eprintln!("{TEST_DATABASE_ENV} is not set: this test runs in the PostgreSQL pass");
        return Ok(());
    };
    let scratch = ScratchDatabase::create_on(&server).await?;
    let dirs: Vec<tempfile::TempDir> = (0..3)
        .map(|_| tempfile::tempdir())
        .collect::<Result<_, _>>()?;
    let handles: Vec<_> = dirs
        .iter()
        .map(|dir| {
            let mut command = hearth(dir.path());
            command.env("DATABASE_URL", &scratch.url);
            std::thread::spawn(move || serve_with(command))
        })
        .collect();
    let mut children = Vec::new();
    for handle in handles {
        let started = handle
            .join()
            .map_err(|_| anyhow::anyhow!("a start-up thread panicked"))?;
        children.push(started?);
    }
    for (child, base) in children {
        let health = get(&format!("{base}/health"), "").await?;
        assert_eq!(health, json!({"status": true}));
        stop(child)?;
    }
    let db = Database::connect(scratch.url.as_str()).await?;
    let row = db
        .query_one_raw(sea_orm::Statement::from_string(
            db.get_database_backend(),
            "SELECT COUNT(*) AS n, COUNT(DISTINCT version) AS d FROM seaql_migrations",
        ))
        .await?
        .context("no row")?;
    let (n, d): (i64, i64) = (row.try_get("", "n")?, row.try_get("", "d")?);
    assert_eq!(n, d, "each migration recorded once");
    db.close().await?;
    scratch.remove().await?;
    Ok(())
}
