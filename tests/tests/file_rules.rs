//! Limits and access for `/api/v1/files` through a real server: size and extension limits
//! leave nothing behind, another user's file answers like a missing one on every route, and
//! an interrupted extraction is finished by the next start.

use anyhow::Result;
use hearth_domain::ids::FileId;
use hearth_domain::ports::FileStore;
use hearth_persistence::SqlStore;
use hearth_tests::{TestServer, status_json, text};
use reqwest::{Method, StatusCode};
use serde_json::json;

const NOW: &str = "?process_in_background=false";

fn stored(server: &TestServer) -> usize {
    std::fs::read_dir(server.data_dir().join("uploads"))
        .map(|e| {
            e.filter_map(Result::ok)
                .filter(|e| !e.file_name().to_string_lossy().starts_with('.'))
                .count()
        })
        .unwrap_or(0)
}

fn staged(server: &TestServer) -> usize {
    std::fs::read_dir(server.data_dir().join("uploads/.staging"))
        .map(Iterator::count)
        .unwrap_or(0)
}

#[tokio::test]
async fn uploads_over_a_limit_are_refused_and_leave_nothing() -> Result<()> {
    let server = TestServer::start_with(|s| {
        s.files.rag_file_max_size = Some(1);
        s.files.rag_allowed_file_extensions = Some(vec!["txt".into(), ".MD".into()]);
    })
    .await?;
    let token = server.admin_token.clone();
    let big = vec![b'a'; 1024 * 1024 + 1];
    let (status, body) = server
        .upload(&token, "big.txt", big, "text/plain", "")
        .await?;
    assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE);
    assert_eq!(
        body["detail"],
        "Oops! The file you're trying to upload is too large. Please upload a file that is less than 1 MB."
    );
    let (status, body) = server
        .upload(&token, "r.pdf", b"%PDF".to_vec(), "application/pdf", "")
        .await?;
    assert_eq!(
        (status, body["detail"].as_str()),
        (
            StatusCode::BAD_REQUEST,
            Some("[ERROR: File type pdf is not allowed]")
        )
    );
    assert_eq!((stored(&server), staged(&server)), (0, 0));
    assert_eq!(server.get_json("/api/v1/files/count", &token).await?, 0);

    let exact = vec![b'a'; 1024 * 1024];
    let (status, _) = server
        .upload(&token, "ok.MD", exact, "text/markdown", NOW)
        .await?;
    assert_eq!(status, StatusCode::OK);
    let (status, _) = server
        .upload(
            &token,
            "kept.pdf",
            b"%PDF".to_vec(),
            "application/pdf",
            "?process=false",
        )
        .await?;
    assert_eq!(
        status,
        StatusCode::OK,
        "the extension list only limits processing"
    );
    assert_eq!(stored(&server), 2);
    let config = server.get_json("/api/config", &token).await?;
    assert_eq!(config["file"]["max_size"], 1);
    server.stop().await
}

#[tokio::test]
#[expect(
    clippy::too_many_lines,
    reason = "one end-to-end scenario, read top to bottom"
)]
async fn another_users_file_answers_like_a_missing_one_on_every_route() -> Result<()> {
    let server = TestServer::start().await?;
    let ana = server.add_user("Ana", "ana@example.com", "user").await?;
    let ben = server.add_user("Ben", "ben@example.com", "user").await?;
    let (_, file) = server
        .upload(&ana, "ana.txt", b"private".to_vec(), "text/plain", NOW)
        .await?;
    let id = text(&file, "id")?;
    let routes = [
        (Method::GET, "".to_owned()),
        (Method::GET, "/process/status".into()),
        (Method::GET, "/process/status?stream=true".into()),
        (Method::GET, "/data/content".into()),
        (Method::POST, "/data/content/update".into()),
        (Method::GET, "/content".into()),
        (Method::GET, "/content/html".into()),
        (Method::GET, "/content/ana.txt".into()),
        (Method::POST, "/rename".into()),
        (Method::DELETE, "".into()),
    ];
    for (method, tail) in &routes {
        let mut answers = Vec::new();
        for target in [id.as_str(), "no-such-file"] {
            let response = server
                .client()
                .request(
                    method.clone(),
                    server.url(&format!("/api/v1/files/{target}{tail}")),
                )
                .bearer_auth(&ben)
                .json(&json!({"content": "stolen", "filename": "stolen.txt"}))
                .send()
                .await?;
            answers.push(status_json(response).await?);
        }
        assert_eq!(answers[0].0, StatusCode::NOT_FOUND, "{method} {tail}");
        assert_eq!(answers[0], answers[1], "{method} {tail}");
    }
    let still = server
        .get_json(&format!("/api/v1/files/{id}"), &ana)
        .await?;
    assert_eq!(
        (
            still["filename"].as_str(),
            still["data"]["content"].as_str()
        ),
        (Some("ana.txt"), Some("private"))
    );
    assert_eq!(server.get_json("/api/v1/files/", &ben).await?["total"], 0);
    let search = server
        .client()
        .get(server.url("/api/v1/files/search?filename=*"))
        .bearer_auth(&ben)
        .send()
        .await?;
    assert_eq!(search.status(), StatusCode::NOT_FOUND);
    let wipe = server
        .client()
        .delete(server.url("/api/v1/files/all"))
        .bearer_auth(&ben)
        .send()
        .await?;
    assert_eq!(wipe.status(), StatusCode::UNAUTHORIZED);
    let admin = server
        .get_json(&format!("/api/v1/files/{id}"), &server.admin_token)
        .await?;
    assert_eq!(admin["id"], id.as_str());
    assert_eq!(
        server
            .get_json("/api/v1/files/", &server.admin_token)
            .await?["total"],
        1
    );
    let wiped = server
        .client()
        .delete(server.url("/api/v1/files/all"))
        .bearer_auth(&server.admin_token)
        .send()
        .await?;
    assert_eq!(
        status_json(wiped).await?.1,
        json!({"message": "All files deleted successfully"})
    );
    assert_eq!(
        (
            stored(&server),
            server
                .get_json("/api/v1/files/count", &server.admin_token)
                .await?
        ),
        (0, json!(0))
    );
    server.stop().await
}

#[tokio::test]
async fn a_restart_finishes_interrupted_processing() -> Result<()> {
    let server = TestServer::start().await?;
    let token = server.admin_token.clone();
    let (_, file) = server
        .upload(
            &token,
            "late.txt",
            b"finished after a restart".to_vec(),
            "text/plain",
            "?process=false",
        )
        .await?;
    let id = text(&file, "id")?;
    // What a crash mid-extraction leaves: the record says `processing`, long ago.
    let database = server
        .database()
        .ok_or_else(|| anyhow::anyhow!("no database"))?;
    let store = SqlStore::connect(&database).await?;
    let status = json!({"status": "processing"})
        .as_object()
        .cloned()
        .unwrap_or_default();
    store
        .update_file_data(&FileId::from(id.as_str()), status, None, 1_000)
        .await?;
    assert_eq!(store.unfinished_files().await?.len(), 1);
    let uploads = server.data_dir().join("uploads");
    let restarted = server
        .start_peer(|s| s.files.upload_dir = Some(uploads))
        .await?;
    let done = restarted.processed(&token, &id).await?;
    assert_eq!(done["data"]["status"], "completed");
    assert_eq!(done["data"]["content"], "finished after a restart");
    assert!(store.unfinished_files().await?.is_empty());
    restarted.stop().await?;
    server.stop().await
}
