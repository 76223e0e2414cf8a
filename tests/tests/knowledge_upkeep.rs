//! Keeping knowledge bases' indexes current through a real server: files added in a batch,
//! one re-indexed, every knowledge base re-indexed after the chunk size changed, a knowledge
//! base reset, the whole store reset — and a direct completion that cites its sources first.

use anyhow::Result;
use hearth_tests::fake_upstream::{FakeUpstream, Flavor};
use hearth_tests::{TestServer, sse_payloads, text};
use reqwest::StatusCode;
use serde_json::{Value, json};

const TRAINS: &str =
    "Trains leave from platform nine every hour on weekdays and twice an hour at the weekend.";
const SOUP: &str =
    "The canteen serves lentil soup on Fridays and closes at three in the afternoon.";

async fn server(upstream: &FakeUpstream, query_generation: bool) -> Result<TestServer> {
    let url = upstream.url.clone();
    TestServer::start_with(move |s| {
        s.models.openai_base_urls = Some(vec![url.clone()]);
        s.models.bypass_model_access_control = true;
        s.retrieval.embedding_engine = Some("openai".into());
        s.retrieval.openai_base_url = Some(url);
        s.retrieval.chunk_size = Some(200);
        s.retrieval.chunk_overlap = Some(0);
        s.retrieval.top_k = Some(1);
        s.ranking.query_generation = Some(query_generation);
    })
    .await
}

async fn upload(server: &TestServer, token: &str, name: &str, body: &str) -> Result<String> {
    let (status, file) = server
        .upload(
            token,
            name,
            body.into(),
            "text/plain",
            "?process_in_background=false",
        )
        .await?;
    assert_eq!(status, StatusCode::OK, "{file}");
    text(&file, "id")
}

/// How many chunks a collection holds (asked for up to 50).
async fn chunks(server: &TestServer, collection: &str) -> Result<usize> {
    let found = server
        .post_json(
            "/api/v1/retrieval/query/doc",
            &server.admin_token,
            &json!({"collection_name": collection, "query": "the", "k": 50}),
        )
        .await?;
    Ok(found["documents"][0].as_array().map_or(0, Vec::len))
}

/// The admin's export is a zip of the files' text; a user's is refused.
async fn export_holds_the_texts(server: &TestServer, id: &str, user: &str) -> Result<()> {
    let url = server.url(&format!("/api/v1/knowledge/{id}/export"));
    let refused = server.client().get(&url).bearer_auth(user).send().await?;
    assert_eq!(refused.status(), StatusCode::UNAUTHORIZED);
    let response = server
        .client()
        .get(&url)
        .bearer_auth(&server.admin_token)
        .send()
        .await?;
    assert_eq!(response.status(), StatusCode::OK);
    let disposition = response.headers()["content-disposition"]
        .to_str()?
        .to_owned();
    assert_eq!(disposition, "attachment; filename*=UTF-8''Office.zip");
    let bytes = response.bytes().await?;
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes.to_vec()))?;
    let mut soup = String::new();
    std::io::Read::read_to_string(&mut archive.by_name("soup.txt")?, &mut soup)?;
    assert_eq!(soup, SOUP);
    assert!(archive.by_name("trains.txt").is_ok());
    Ok(())
}

/// The admin rebuilds the `knowledge-bases` collection; a knowledge base is found by its
/// description, and a deleted one is gone from it.
async fn metadata_is_searchable(server: &TestServer, user: &str) -> Result<()> {
    let admin = server.admin_token.clone();
    let trips = server
        .post_json(
            "/api/v1/knowledge/create",
            &admin,
            &json!({"name": "Trips", "description": "mountain hiking routes and huts"}),
        )
        .await?;
    let (status, _) = server
        .post_as(user, "/api/v1/knowledge/metadata/reindex", &Value::Null)
        .await?;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    let (status, counts) = server
        .post_as(&admin, "/api/v1/knowledge/metadata/reindex", &Value::Null)
        .await?;
    assert_eq!(status, StatusCode::OK, "{counts}");
    assert_eq!(counts["total"], counts["success"], "{counts}");
    let ask = json!({"collection_name": "knowledge-bases", "query": "hiking huts", "k": 1});
    let found = server
        .post_json("/api/v1/retrieval/query/doc", &admin, &ask)
        .await?;
    assert_eq!(
        found["metadatas"][0][0]["knowledge_base_id"], trips["id"],
        "{found}"
    );
    let (status, _) = server
        .post_as(user, "/api/v1/retrieval/query/doc", &ask)
        .await?;
    assert_eq!(
        status,
        StatusCode::FORBIDDEN,
        "the collection is for admins"
    );
    let deleted = server
        .client()
        .delete(server.url(&format!("/api/v1/knowledge/{}/delete", text(&trips, "id")?)))
        .bearer_auth(&admin)
        .send()
        .await?;
    assert_eq!(deleted.status(), StatusCode::OK);
    let after = server
        .post_json("/api/v1/retrieval/query/doc", &admin, &ask)
        .await?;
    assert_ne!(
        after["metadatas"][0][0]["knowledge_base_id"], trips["id"],
        "{after}"
    );
    Ok(())
}

#[tokio::test]
#[expect(
    clippy::too_many_lines,
    reason = "one end-to-end scenario, read top to bottom"
)]
async fn batches_reindexing_and_resets_keep_the_index_in_step() -> Result<()> {
    let upstream = FakeUpstream::start(Flavor::OpenAi, &["echo"]).await?;
    let server = server(&upstream, false).await?;
    let admin = server.admin_token.clone();
    let ben = server.add_user("Ben", "ben@example.com", "user").await?;
    let trains = upload(&server, &admin, "trains.txt", TRAINS).await?;
    let soup = upload(&server, &admin, "soup.txt", SOUP).await?;
    let base = server
        .post_json(
            "/api/v1/knowledge/create",
            &admin,
            &json!({"name": "Office", "description": ""}),
        )
        .await?;
    let id = text(&base, "id")?;

    let batch = json!([{"file_id": trains}, {"file_id": soup}, {"file_id": trains}]);
    let (status, added) = server
        .post_as(
            &admin,
            &format!("/api/v1/knowledge/{id}/files/batch/add"),
            &batch,
        )
        .await?;
    assert_eq!(status, StatusCode::OK, "{added}");
    assert_eq!(added["files"].as_array().map(Vec::len), Some(2), "{added}");
    assert_eq!(chunks(&server, &id).await?, 2);
    let missing = json!([{"file_id": "no-such-file"}]);
    let (status, refused) = server
        .post_as(
            &admin,
            &format!("/api/v1/knowledge/{id}/files/batch/add"),
            &missing,
        )
        .await?;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(refused["detail"], "File no-such-file not found");
    export_holds_the_texts(&server, &id, &ben).await?;
    let pending = server
        .client()
        .get(server.url(&format!("/api/v1/knowledge/{id}/files/pending?stream=true")))
        .bearer_auth(&admin)
        .send()
        .await?;
    assert_eq!(pending.headers()["content-type"], "text/event-stream");
    assert_eq!(
        pending.text().await?,
        "data: []\n\n",
        "nothing pending: one empty list, then the end"
    );

    let (status, updated) = server
        .post_as(
            &admin,
            &format!("/api/v1/knowledge/{id}/file/update"),
            &json!({"file_id": soup}),
        )
        .await?;
    assert_eq!(status, StatusCode::OK, "{updated}");
    assert_eq!(
        chunks(&server, &id).await?,
        2,
        "re-indexing a file replaces its chunks"
    );

    server
        .post_json(
            "/api/v1/retrieval/config/update",
            &admin,
            &json!({"CHUNK_SIZE": 40, "CHUNK_OVERLAP": 0}),
        )
        .await?;
    let (status, _) = server
        .post_as(&ben, "/api/v1/knowledge/reindex", &Value::Null)
        .await?;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    let (status, done) = server
        .post_as(&admin, "/api/v1/knowledge/reindex", &Value::Null)
        .await?;
    assert_eq!((status, done), (StatusCode::OK, json!(true)));
    let smaller = chunks(&server, &id).await?;
    assert!(
        smaller > 2,
        "re-indexed with the new chunk size: {smaller} chunks"
    );
    assert!(
        chunks(&server, &format!("file-{soup}")).await? > 1,
        "a file's own collection too"
    );

    let (status, reset) = server
        .post_as(
            &admin,
            &format!("/api/v1/knowledge/{id}/reset"),
            &Value::Null,
        )
        .await?;
    assert_eq!(status, StatusCode::OK, "{reset}");
    assert_eq!(chunks(&server, &id).await?, 0);
    let files = server
        .get_json(&format!("/api/v1/knowledge/{id}/files"), &admin)
        .await?;
    assert_eq!(files["items"].as_array().map(Vec::len), Some(0), "{files}");
    let gone = server
        .client()
        .get(server.url(&format!("/api/v1/files/{trains}")))
        .bearer_auth(&admin)
        .send()
        .await?;
    assert_eq!(
        gone.status(),
        StatusCode::NOT_FOUND,
        "the owner's files are deleted"
    );

    metadata_is_searchable(&server, &ben).await?;

    let kept = server
        .post_json(
            "/api/v1/knowledge/create",
            &admin,
            &json!({"name": "Kept", "description": ""}),
        )
        .await?;
    let (status, _) = server
        .post_as(&ben, "/api/v1/retrieval/reset/db", &Value::Null)
        .await?;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    let (status, answer) = server
        .post_as(&admin, "/api/v1/retrieval/reset/db", &Value::Null)
        .await?;
    assert_eq!((status, answer), (StatusCode::OK, Value::Null));
    let left = server.get_json("/api/v1/knowledge/", &admin).await?;
    assert_eq!(left["total"], 0, "{left} (was {kept})");
    server.stop().await
}

#[tokio::test]
async fn a_direct_completion_cites_its_sources_first_and_searches_generated_queries() -> Result<()>
{
    let upstream = FakeUpstream::start(Flavor::OpenAi, &["echo"]).await?;
    let server = server(&upstream, true).await?;
    let admin = server.admin_token.clone();
    let soup = upload(&server, &admin, "soup.txt", &format!("{TRAINS}\n\n{SOUP}")).await?;
    let ask = |stream: bool| {
        json!({"model": "echo", "stream": stream, "files": [{"type": "file", "id": soup}],
            "messages": [{"role": "user", "content": "When is lentil soup served?"}]})
    };
    let response = server
        .client()
        .post(server.url("/api/chat/completions"))
        .bearer_auth(&admin)
        .json(&ask(true))
        .send()
        .await?;
    assert_eq!(response.status(), StatusCode::OK);
    let payloads = sse_payloads(&response.text().await?)?;
    let sources = &payloads[0]["sources"];
    assert_eq!(sources[0]["source"]["name"], "soup.txt", "{payloads:?}");
    assert_eq!(sources[0]["source"]["type"], "file");
    assert!(
        sources[0]["document"][0]
            .as_str()
            .unwrap_or_default()
            .contains("lentil soup")
    );
    assert!(
        payloads[1]["choices"].is_array(),
        "the answer follows: {payloads:?}"
    );

    let generated: Vec<Value> = upstream
        .requests_to("/v1/chat/completions")
        .into_iter()
        .map(|r| r.body)
        .filter(|b| b["stream"] == false)
        .collect();
    let prompt = generated[0]["messages"][0]["content"]
        .as_str()
        .unwrap_or_default();
    assert!(
        prompt.starts_with("### Task:\nAnalyze the chat history"),
        "{prompt}"
    );
    assert!(
        prompt.contains("USER: When is lentil soup served?"),
        "{prompt}"
    );

    let whole = server
        .post_json("/api/chat/completions", &admin, &ask(false))
        .await?;
    assert_eq!(
        whole["sources"][0]["source"]["id"],
        soup.as_str(),
        "{whole}"
    );
    assert!(whole["choices"].is_array());
    server.stop().await
}
