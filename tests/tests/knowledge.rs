//! Knowledge bases through a real server: created by an admin (users need the
//! `workspace.knowledge` permission), files added are indexed into the knowledge base, a chat
//! with the knowledge base attached gets its closest chunk, sharing decides who may read it,
//! and removing a file or the knowledge base removes its chunks.

use anyhow::Result;
use hearth_tests::fake_upstream::{FakeUpstream, Flavor};
use hearth_tests::{TestServer, status_json, text};
use reqwest::StatusCode;
use serde_json::{Value, json};

const HANDBOOK: &str = "# Travel\nTrains leave from platform nine every hour on weekdays.\n\n\
# Food\nThe canteen serves lentil soup on Fridays and closes at three.";

async fn ask(
    server: &TestServer,
    chat: &FakeUpstream,
    token: &str,
    knowledge: &str,
) -> Result<String> {
    let body = json!({"model": "echo", "stream": false, "files": [{"type": "collection", "id": knowledge}],
        "messages": [{"role": "user", "content": "Which day is lentil soup served?"}]});
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
#[expect(
    clippy::too_many_lines,
    reason = "one end-to-end scenario, read top to bottom"
)]
async fn knowledge_bases_index_their_files_and_answer_only_their_readers() -> Result<()> {
    let chat = FakeUpstream::start(Flavor::OpenAi, &["echo"]).await?;
    let url = chat.url.clone();
    let server = TestServer::start_with(move |s| {
        s.models.openai_base_urls = Some(vec![url.clone()]);
        s.models.bypass_model_access_control = true;
        s.retrieval.embedding_engine = Some("openai".into());
        s.retrieval.openai_base_url = Some(url);
        s.retrieval.chunk_size = Some(80);
        s.retrieval.chunk_overlap = Some(0);
        s.retrieval.top_k = Some(1);
    })
    .await?;
    let admin = server.admin_token.clone();
    let ben = server.add_user("Ben", "ben@example.com", "user").await?;
    let ben_id = text(&server.get_json("/api/v1/auths/", &ben).await?, "id")?;

    let refused = server
        .client()
        .post(server.url("/api/v1/knowledge/create"))
        .bearer_auth(&ben)
        .json(&json!({"name": "Mine", "description": ""}))
        .send()
        .await?;
    assert_eq!(
        refused.status(),
        StatusCode::UNAUTHORIZED,
        "users need workspace.knowledge"
    );
    let created = server
        .post_json(
            "/api/v1/knowledge/create",
            &admin,
            &json!({"name": "Handbook", "description": "office facts"}),
        )
        .await?;
    let id = text(&created, "id")?;
    assert_eq!(
        (
            created["write_access"].as_bool(),
            created["access_grants"].clone()
        ),
        (Some(true), json!([]))
    );

    let (_, file) = server
        .upload(
            &admin,
            "handbook.md",
            HANDBOOK.into(),
            "text/markdown",
            "?process_in_background=false",
        )
        .await?;
    let file_id = text(&file, "id")?;
    let added = server
        .post_json(
            &format!("/api/v1/knowledge/{id}/file/add"),
            &admin,
            &json!({"file_id": file_id}),
        )
        .await?;
    assert_eq!(added["files"][0]["id"], file_id.as_str());
    let files = server
        .get_json(&format!("/api/v1/knowledge/{id}/files"), &admin)
        .await?;
    assert_eq!(files["total"], 1);
    let listed = server.get_json("/api/v1/knowledge/", &admin).await?;
    assert_eq!(
        (
            listed["total"].as_u64(),
            listed["items"][0]["name"].as_str()
        ),
        (Some(1), Some("Handbook"))
    );
    let found = server
        .get_json("/api/v1/knowledge/search/files?query=hand", &admin)
        .await?;
    assert_eq!(found["items"][0]["id"], file_id.as_str());

    let prompt = ask(&server, &chat, &admin, &id).await?;
    assert!(
        prompt.contains("lentil soup on Fridays") && !prompt.contains("platform nine"),
        "{prompt}"
    );
    assert!(prompt.contains("name=\"Handbook\""), "{prompt}");

    // Ben sees nothing until the knowledge base is shared with him.
    assert_eq!(
        server.get_json("/api/v1/knowledge/", &ben).await?["total"],
        0
    );
    let hidden = server
        .client()
        .get(server.url(&format!("/api/v1/knowledge/{id}")))
        .bearer_auth(&ben)
        .send()
        .await?;
    assert_eq!(hidden.status(), StatusCode::NOT_FOUND);
    assert!(!ask(&server, &chat, &ben, &id).await?.contains("Fridays"));
    let file_hidden = server
        .client()
        .get(server.url(&format!("/api/v1/files/{file_id}")))
        .bearer_auth(&ben)
        .send()
        .await?;
    assert_eq!(file_hidden.status(), StatusCode::NOT_FOUND);
    let grants = json!({"access_grants": [{"principal_type": "user", "principal_id": ben_id, "permission": "read"}]});
    server
        .post_json(
            &format!("/api/v1/knowledge/{id}/access/update"),
            &admin,
            &grants,
        )
        .await?;
    let shared = server
        .get_json(&format!("/api/v1/knowledge/{id}"), &ben)
        .await?;
    assert_eq!(
        (
            shared["write_access"].as_bool(),
            shared["files"][0]["id"].as_str()
        ),
        (Some(false), Some(file_id.as_str()))
    );
    assert!(ask(&server, &chat, &ben, &id).await?.contains("Fridays"));
    assert_eq!(
        server
            .get_json(&format!("/api/v1/files/{file_id}"), &ben)
            .await?["id"],
        file_id.as_str(),
        "the knowledge base lets him read its files"
    );
    let renamed = server
        .client()
        .post(server.url(&format!("/api/v1/knowledge/{id}/update")))
        .bearer_auth(&ben)
        .json(&json!({"name": "Mine now", "description": ""}))
        .send()
        .await?;
    assert_eq!(
        renamed.status(),
        StatusCode::NOT_FOUND,
        "reading is not writing"
    );

    let removed = server
        .post_json(
            &format!("/api/v1/knowledge/{id}/file/remove"),
            &admin,
            &json!({"file_id": file_id}),
        )
        .await?;
    assert_eq!(removed["files"], json!([]));
    assert!(
        !ask(&server, &chat, &admin, &id).await?.contains("Fridays"),
        "its chunks went with it"
    );
    let gone = server
        .client()
        .delete(server.url(&format!("/api/v1/knowledge/{id}/delete")))
        .bearer_auth(&admin)
        .send()
        .await?;
    assert_eq!(status_json(gone).await?, (StatusCode::OK, json!(true)));
    assert_eq!(
        server.get_json("/api/v1/knowledge/", &admin).await?["total"],
        0
    );
    assert_eq!(
        server
            .get_json(&format!("/api/v1/files/{file_id}"), &admin)
            .await?["id"],
        file_id.as_str(),
        "files stay"
    );
    server.stop().await
}

/// Uploads as the knowledge page does: `metadata` names the knowledge base.
async fn upload_into(server: &TestServer, token: &str, knowledge: &str) -> Result<Value> {
    let metadata = json!({"knowledge_id": knowledge});
    let query = "?process_in_background=false";
    let (_, file) = server
        .upload_with(
            token,
            "handbook.md",
            HANDBOOK.into(),
            "text/markdown",
            &metadata,
            query,
        )
        .await?;
    Ok(file)
}

#[tokio::test]
async fn uploads_from_a_knowledge_page_join_it_when_the_uploader_may_change_it() -> Result<()> {
    let chat = FakeUpstream::start(Flavor::OpenAi, &["echo"]).await?;
    let url = chat.url.clone();
    let server = TestServer::start_with(move |s| {
        s.retrieval.embedding_engine = Some("openai".into());
        s.retrieval.openai_base_url = Some(url);
    })
    .await?;
    let admin = server.admin_token.clone();
    let ben = server.add_user("Ben", "ben@example.com", "user").await?;
    let created = server
        .post_json(
            "/api/v1/knowledge/create",
            &admin,
            &json!({"name": "Handbook", "description": ""}),
        )
        .await?;
    let id = text(&created, "id")?;
    let mine = upload_into(&server, &admin, &id).await?;
    assert_eq!(mine["data"]["status"], "completed", "{mine}");
    let theirs = upload_into(&server, &ben, &id).await?;
    assert_eq!(theirs["data"]["status"], "completed", "{theirs}");
    let files = server
        .get_json(&format!("/api/v1/knowledge/{id}/files"), &admin)
        .await?;
    let ids: Vec<&str> = files["items"]
        .as_array()
        .map(|i| i.iter().filter_map(|f| f["id"].as_str()).collect())
        .unwrap_or_default();
    assert_eq!(
        ids,
        vec![mine["id"].as_str().unwrap_or_default()],
        "only the admin's upload joined"
    );
    server.stop().await
}
