//! Retrieval over in-memory ports: a processed file is chunked and embedded into its own
//! collection, a question brings back its closest chunks (not the whole file) with sources
//! the client shows as citations, and deleting the file removes its chunks.

#![allow(
    clippy::unwrap_used,
    clippy::panic,
    reason = "test helpers fail the test loudly"
)]

use hearth_domain::Role;
use hearth_domain::ids::{ChatId, FileId};
use hearth_domain::ports::FileStore;
use hearth_domain::retrieval::chunking::Splitter;
use hearth_services::chats::crud;
use hearth_services::completions::{self, Completion};
use hearth_services::files::{self, Upload};
use hearth_test_support::{ScriptedModels, TestApp, test_settings};
use serde_json::{Value, json};

const HANDBOOK: &str = "# Travel\nTrains leave from platform nine every hour on weekdays.\n\n\
# Food\nThe canteen serves lentil soup on Fridays and closes at three.\n\n\
# Parking\nVisitors park on level minus two and pay at the blue machine.";

async fn app() -> TestApp {
    let mut settings = test_settings();
    settings.models.bypass_model_access_control = true;
    settings.config.push(("rag.chunk_size".into(), json!(80)));
    settings.config.push(("rag.chunk_overlap".into(), json!(0)));
    settings.config.push(("rag.top_k".into(), json!(1)));
    TestApp::with(settings, ScriptedModels::new(&["gpt-test"])).await
}

#[tokio::test]
async fn questions_get_the_closest_chunks_with_their_sources() {
    let t = app().await;
    let ana = t.account("ana@example.com", Role::User).await;
    let upload = Upload {
        filename: "handbook.md".into(),
        content_type: Some("text/markdown".into()),
        staged: t.blobs.stage(HANDBOOK.as_bytes()),
        size: HANDBOOK.len() as u64,
        sha256: "0".repeat(64),
        metadata: None,
        process: true,
        in_background: false,
    };
    let id = files::upload(&t.app, &ana, upload).await.unwrap().id;
    let collection = format!("file-{id}");
    let file = t
        .store
        .file(&FileId::from(id.as_str()))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(file.meta["collection_name"], collection.as_str());
    let expected = Splitter {
        size: 80,
        overlap: 0,
        markdown_headers: true,
    }
    .split(HANDBOOK)
    .len();
    assert_eq!(t.vectors.count(&collection), expected);
    assert!(expected >= 3);

    let body = json!({
        "stream": true, "model": "gpt-test", "messages": [], "session_id": "s1", "id": "a1",
        "parent_id": null, "files": [{"type": "file", "id": id}],
        "message_ids": [{"model_id": "gpt-test", "message_id": "a1", "modelIdx": 0}],
        "user_message": {"id": "u1", "parentId": null, "childrenIds": [], "role": "user",
            "content": "Which day does the canteen serve lentil soup?", "models": ["gpt-test"]},
    });
    let Completion::Started(started) =
        completions::chat(&t.app, &ana, body.as_object().cloned().unwrap())
            .await
            .unwrap()
    else {
        panic!("background mode expected")
    };
    t.tasks.settle().await;
    let asked = t
        .models
        .asked()
        .into_iter()
        .find(|r| r["stream"] == true)
        .unwrap();
    let prompt = asked["messages"][0]["content"].as_str().unwrap().to_owned();
    assert!(prompt.contains("lentil soup on Fridays"), "{prompt}");
    assert!(
        !prompt.contains("platform nine") && !prompt.contains("blue machine"),
        "{prompt}"
    );

    let cited = t
        .clients
        .emitted()
        .into_iter()
        .find(|e| e.event == "events" && e.data["data"]["data"].get("sources").is_some())
        .map(|e| e.data["data"]["data"]["sources"].clone())
        .unwrap_or(Value::Null);
    assert_eq!(cited[0]["source"]["name"], "handbook.md", "{cited}");
    assert!(cited[0]["document"][0].as_str().unwrap().contains("lentil"));
    let chat = crud::get(
        &t.app,
        &ana,
        &ChatId::from(started["chat_id"].as_str().unwrap()),
    )
    .await
    .unwrap();
    let chat = serde_json::to_value(chat).unwrap();
    assert_eq!(chat["chat"]["history"]["messages"]["a1"]["sources"], cited);

    files::delete(&t.app, &ana, &FileId::from(id.as_str()))
        .await
        .unwrap();
    assert_eq!(t.vectors.count(&collection), 0);
}
