//! File use cases over in-memory ports: who may see a file, how its text reaches a model,
//! the count limit, extraction jobs that wait, time out and resume.

#![allow(
    clippy::unwrap_used,
    clippy::panic,
    reason = "test helpers fail the test loudly"
)]

use hearth_domain::User;
use hearth_domain::file::StoredFile;
use hearth_domain::ids::{ChatId, FileId};
use hearth_domain::ports::FileStore;
use hearth_domain::{Role, UserId};
use hearth_services::ServiceError;
use hearth_services::chats::{crud, share};
use hearth_services::completions::{self, Completion};
use hearth_services::files::{self, Upload};
use hearth_test_support::{ScriptedModels, TestApp, test_settings};
use serde_json::{Map, Value, json};
use std::time::Duration;

async fn upload(
    t: &TestApp,
    user: &User,
    name: &str,
    bytes: &[u8],
    kind: &str,
    wait: bool,
) -> String {
    let upload = Upload {
        filename: name.into(),
        content_type: Some(kind.into()),
        staged: t.blobs.stage(bytes),
        size: bytes.len() as u64,
        sha256: "0".repeat(64),
        metadata: None,
        process: true,
        in_background: !wait,
    };
    files::upload(&t.app, user, upload).await.unwrap().id
}

async fn record(t: &TestApp, id: &str) -> StoredFile {
    t.store.file(&FileId::from(id)).await.unwrap().unwrap()
}

/// An app whose users may use every model (the default keeps base models to admins).
async fn open_models() -> TestApp {
    let mut settings = test_settings();
    settings.models.bypass_model_access_control = true;
    TestApp::with(settings, ScriptedModels::new(&["gpt-test"])).await
}

async fn completion(
    t: &TestApp,
    user: &User,
    body: Value,
) -> Result<Map<String, Value>, ServiceError> {
    let body = body.as_object().cloned().unwrap();
    match completions::chat(&t.app, user, body).await? {
        Completion::Answer(..) => Ok(t.models.asked().pop().unwrap()),
        Completion::Started(_) => panic!("not a direct completion"),
    }
}

#[tokio::test]
async fn other_users_get_the_answer_of_a_missing_file() {
    let t = TestApp::new().await;
    let admin = t.account("admin@example.com", Role::Admin).await;
    let ana = t.account("ana@example.com", Role::User).await;
    let ben = t.account("ben@example.com", Role::User).await;
    let id = FileId::from(upload(&t, &ana, "a.txt", b"ana's", "text/plain", true).await);
    let missing = FileId::from("no-such-file");
    let expect_404 = |r: Result<_, ServiceError>| match r {
        Err(ServiceError::NotFound(detail)) => detail.into_owned(),
        other => panic!("expected 404, got {:?}", other.map(|_| ())),
    };
    let theirs = expect_404(files::get(&t.app, &ben, &id).await.map(|_| ()));
    assert_eq!(
        theirs,
        expect_404(files::get(&t.app, &ben, &missing).await.map(|_| ()))
    );
    expect_404(files::data_content(&t.app, &ben, &id).await.map(|_| ()));
    expect_404(files::delete(&t.app, &ben, &id).await.map(|_| ()));
    let rename = serde_json::from_value(json!({"filename": "x"})).unwrap();
    expect_404(files::rename(&t.app, &ben, &id, rename).await.map(|_| ()));
    assert!(files::get(&t.app, &ana, &id).await.is_ok());
    assert!(files::get(&t.app, &admin, &id).await.is_ok());
    let params = serde_json::from_value(json!({})).unwrap();
    assert_eq!(files::list(&t.app, &ben, &params).await.unwrap().total, 0);
    assert_eq!(files::list(&t.app, &admin, &params).await.unwrap().total, 1);
    assert!(record(&t, id.as_str()).await.content().is_some());
}

#[tokio::test]
async fn attached_text_and_images_reach_the_model_only_when_readable() {
    let t = open_models().await;
    let ana = t.account("ana@example.com", Role::User).await;
    let ben = t.account("ben@example.com", Role::User).await;
    let notes = upload(
        &t,
        &ana,
        "notes.txt",
        b"The code word is PLUM.",
        "text/plain",
        true,
    )
    .await;
    let image = upload(&t, &ana, "p.png", b"PNGDATA", "image/png", true).await;
    let body = json!({
        "model": "gpt-test", "stream": false,
        "messages": [{"role": "user", "content": [
            {"type": "text", "text": "What is the code word?"},
            {"type": "image_url", "image_url": {"url": format!("/api/v1/files/{image}/content")}}]}],
        "files": [{"type": "file", "id": notes}],
    });
    let asked = completion(&t, &ana, body.clone()).await.unwrap();
    let parts = &asked["messages"][0]["content"];
    let prompt = parts[0]["text"].as_str().unwrap();
    assert!(
        prompt.contains("<source id=\"1\" name=\"notes.txt\">The code word is PLUM.</source>"),
        "{prompt}"
    );
    assert!(prompt.ends_with("What is the code word?"), "{prompt}");
    assert_eq!(
        parts[1]["image_url"]["url"],
        "data:image/png;base64,UE5HREFUQQ=="
    );
    assert!(asked.get("files").is_none());

    let asked = completion(&t, &ben, body).await.unwrap();
    let parts = &asked["messages"][0]["content"];
    assert_eq!(
        parts[0]["text"], "What is the code word?",
        "ben's request carries nothing of ana's"
    );
    assert_eq!(
        parts[1]["image_url"]["url"],
        format!("/api/v1/files/{image}/content")
    );
}

#[tokio::test]
async fn a_shared_chat_lets_its_readers_read_its_files() {
    let t = open_models().await;
    t.account("admin@example.com", Role::Admin).await;
    let ana = t.account("ana@example.com", Role::User).await;
    let ben = t.account("ben@example.com", Role::User).await;
    let id = upload(&t, &ana, "n.txt", b"shared notes", "text/plain", true).await;
    let pic = upload(&t, &ana, "p.png", b"PNG", "image/png", true).await;
    let image = json!({"type": "file", "id": pic, "url": pic, "content_type": "image/png"});
    // As the web client sends a turn of a stored chat: only the system message; the history
    // (with the message's files) comes from the stored chat.
    let body = json!({
        "stream": true, "model": "gpt-test", "messages": [],
        "session_id": "s1", "id": "a1", "parent_id": null, "files": [{"type": "file", "id": id}],
        "message_ids": [{"model_id": "gpt-test", "message_id": "a1", "modelIdx": 0}],
        "user_message": {"id": "u1", "parentId": null, "childrenIds": [], "role": "user",
                         "content": "hi", "models": ["gpt-test"], "files": [{"type": "file", "id": id}, image]},
    });
    let started = completions::chat(&t.app, &ana, body.as_object().cloned().unwrap())
        .await
        .unwrap();
    let Completion::Started(started) = started else {
        panic!("background mode expected")
    };
    t.tasks.settle().await;
    let asked = t
        .models
        .asked()
        .into_iter()
        .find(|r| r["stream"] == true)
        .unwrap();
    let parts = &asked["messages"][0]["content"];
    assert!(
        parts[0]["text"]
            .as_str()
            .unwrap()
            .contains(">shared notes</source>"),
        "{asked:?}"
    );
    assert_eq!(parts[1]["image_url"]["url"], "data:image/png;base64,UE5H");
    let chat = ChatId::from(started["chat_id"].as_str().unwrap());
    let file = FileId::from(id.as_str());
    assert!(
        files::get(&t.app, &ben, &file).await.is_err(),
        "not shared yet"
    );
    share::share(&t.app, &ana, &chat, None).await.unwrap();
    assert!(
        files::get(&t.app, &ben, &file).await.is_err(),
        "shared with nobody yet"
    );
    let grants = json!({"access_grants": [{"principal_type": "user", "principal_id": ben.id.as_str(), "permission": "read"}]});
    share::update_access(&t.app, &ana, &chat, serde_json::from_value(grants).unwrap())
        .await
        .unwrap();
    assert!(files::get(&t.app, &ben, &file).await.is_ok());
    assert!(
        files::delete(&t.app, &ben, &file).await.is_err(),
        "reading is not writing"
    );
    crud::get(&t.app, &ana, &chat).await.unwrap();
}

#[tokio::test]
async fn too_many_attached_files_are_refused() {
    let mut settings = test_settings();
    settings.files.rag_file_max_count = Some(2);
    let t = TestApp::with(settings, ScriptedModels::new(&["gpt-test"])).await;
    let ana = t.account("ana@example.com", Role::User).await;
    let three = json!({"model": "gpt-test", "messages": [{"role": "user", "content": "x"}],
        "files": [{"type": "file", "id": "a"}, {"type": "file", "id": "b"}, {"type": "file", "id": "c"}]});
    match completion(&t, &ana, three).await {
        Err(ServiceError::Invalid(detail)) => assert!(detail.contains("up to 2 files"), "{detail}"),
        other => panic!("expected 400, got {:?}", other.map(|_| ())),
    }
    assert!(t.models.asked().is_empty());
}

#[tokio::test(start_paused = true)]
async fn jobs_wait_for_a_slot_time_out_and_never_stay_unfinished() {
    let mut settings = test_settings();
    settings.files.processing_concurrency = 1;
    settings.files.processing_timeout = Duration::from_millis(300);
    let t = TestApp::with(settings, ScriptedModels::new(&["gpt-test"])).await;
    let ana = t.account("ana@example.com", Role::User).await;
    let slow = upload(&t, &ana, "slow.txt", b"SLOW", "text/plain", false).await;
    tokio::time::sleep(Duration::from_millis(50)).await;
    let queued = upload(&t, &ana, "q.txt", b"queued", "text/plain", false).await;
    tokio::time::sleep(Duration::from_millis(50)).await;
    assert_eq!(record(&t, &slow).await.data["status"], "processing");
    assert_eq!(
        record(&t, &queued).await.data["status"],
        "pending",
        "one slot, taken"
    );
    tokio::time::sleep(Duration::from_millis(600)).await;
    let slow = record(&t, &slow).await;
    assert_eq!(slow.data["status"], "failed");
    assert_eq!(
        slow.data["error"],
        "Processing took longer than 0 seconds and was stopped"
    );
    assert_eq!(record(&t, &queued).await.data["content"], "queued");
    let failed = upload(&t, &ana, "f.txt", b"FAIL", "text/plain", true).await;
    assert_eq!(
        record(&t, &failed).await.data["error"],
        "cannot read this file"
    );
}

#[tokio::test]
async fn interrupted_jobs_run_again_at_start() {
    let t = TestApp::new().await;
    let ana = t.account("ana@example.com", Role::User).await;
    let id = upload(&t, &ana, "n.txt", b"resumed text", "text/plain", true).await;
    let mut file = record(&t, &id).await;
    file.data = json!({"status": "processing"})
        .as_object()
        .cloned()
        .unwrap();
    file.id = FileId::from("interrupted");
    file.user_id = UserId::from(ana.id.as_str());
    t.store.insert_file(&file).await.unwrap();
    assert_eq!(files::recover_unfinished(&t.app).await.unwrap(), 1);
    for _ in 0..100 {
        if record(&t, "interrupted").await.data["status"] == "completed" {
            break;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    assert_eq!(
        record(&t, "interrupted").await.data["content"],
        "resumed text"
    );
    assert_eq!(files::recover_unfinished(&t.app).await.unwrap(), 0);
}
