//! Folders inside a knowledge base through a real server: created at the root and inside
//! another, names unique per level, a file added into a folder and moved between them, the
//! folder view (files, subfolders, the path to it), moves that would loop refused, and a
//! folder deleted with its files moved up or removed from the knowledge base.

use anyhow::Result;
use hearth_tests::{TestServer, status_json, text};
use reqwest::StatusCode;
use serde_json::{Value, json};

fn names(list: &Value, field: &str, key: &str) -> Vec<String> {
    list[field]
        .as_array()
        .map(|items| {
            items
                .iter()
                .filter_map(|i| i[key].as_str().map(str::to_owned))
                .collect()
        })
        .unwrap_or_default()
}

#[tokio::test]
#[expect(
    clippy::too_many_lines,
    reason = "one end-to-end scenario, read top to bottom"
)]
async fn folders_hold_files_and_move_them() -> Result<()> {
    let server = TestServer::start_with(|s| s.retrieval.bypass = Some(true)).await?;
    let admin = server.admin_token.clone();
    let base = server
        .post_json(
            "/api/v1/knowledge/create",
            &admin,
            &json!({"name": "Docs", "description": ""}),
        )
        .await?;
    let id = text(&base, "id")?;
    let (_, file) = server
        .upload(
            &admin,
            "plan.txt",
            b"The plan.".to_vec(),
            "text/plain",
            "?process_in_background=false",
        )
        .await?;
    let file_id = text(&file, "id")?;

    let (status, reports) = server
        .post_as(
            &admin,
            &format!("/api/v1/knowledge/{id}/dirs/create"),
            &json!({"name": "Reports"}),
        )
        .await?;
    assert_eq!(status, StatusCode::OK, "{reports}");
    let reports_id = text(&reports, "id")?;
    assert!(reports["parent_id"].is_null());
    let (status, q1) = server
        .post_as(
            &admin,
            &format!("/api/v1/knowledge/{id}/dirs/create"),
            &json!({"name": "Q1", "parent_id": reports_id}),
        )
        .await?;
    assert_eq!(status, StatusCode::OK, "{q1}");
    let q1_id = text(&q1, "id")?;
    let (status, twin) = server
        .post_as(
            &admin,
            &format!("/api/v1/knowledge/{id}/dirs/create"),
            &json!({"name": "Reports"}),
        )
        .await?;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{twin}");
    let (status, _) = server
        .post_as(
            &admin,
            &format!("/api/v1/knowledge/{id}/dirs/create"),
            &json!({"name": "X", "parent_id": "nope"}),
        )
        .await?;
    assert_eq!(status, StatusCode::NOT_FOUND);

    let (status, added) = server
        .post_as(
            &admin,
            &format!("/api/v1/knowledge/{id}/file/add"),
            &json!({"file_id": file_id, "directory_id": q1_id}),
        )
        .await?;
    assert_eq!(status, StatusCode::OK, "{added}");
    let inside = server
        .get_json(
            &format!("/api/v1/knowledge/{id}/files?directory_id={q1_id}"),
            &admin,
        )
        .await?;
    assert_eq!(names(&inside, "items", "id"), [file_id.as_str()]);
    assert_eq!(names(&inside, "breadcrumbs", "name"), ["Reports", "Q1"]);
    assert_eq!(inside["items"][0]["directory_id"], q1_id.as_str());
    assert_eq!(inside["items"][0]["directory_path"], "Reports/Q1");
    let found = server
        .get_json("/api/v1/knowledge/search/files?query=plan", &admin)
        .await?;
    assert_eq!(found["items"][0]["directory_path"], "Reports/Q1", "{found}");
    let root = server
        .get_json(
            &format!("/api/v1/knowledge/{id}/files?directory_id="),
            &admin,
        )
        .await?;
    assert!(names(&root, "items", "id").is_empty(), "{root}");
    assert_eq!(names(&root, "directories", "name"), ["Reports"]);
    let all = server
        .get_json(&format!("/api/v1/knowledge/{id}/files"), &admin)
        .await?;
    assert_eq!(all["total"], 1);

    let (status, looped) = server
        .post_as(
            &admin,
            &format!("/api/v1/knowledge/{id}/dirs/{reports_id}/update"),
            &json!({"parent_id": q1_id}),
        )
        .await?;
    assert_eq!(
        status,
        StatusCode::BAD_REQUEST,
        "a folder cannot go inside its own subfolder: {looped}"
    );
    let (status, renamed) = server
        .post_as(
            &admin,
            &format!("/api/v1/knowledge/{id}/dirs/{q1_id}/update"),
            &json!({"name": "First quarter"}),
        )
        .await?;
    assert_eq!(
        (status, renamed["parent_id"].as_str()),
        (StatusCode::OK, Some(reports_id.as_str())),
        "{renamed}"
    );
    let (status, lifted) = server
        .post_as(
            &admin,
            &format!("/api/v1/knowledge/{id}/dirs/{q1_id}/update"),
            &json!({"parent_id": null}),
        )
        .await?;
    assert_eq!(
        (status, lifted["parent_id"].clone()),
        (StatusCode::OK, Value::Null),
        "{lifted}"
    );

    let (status, _) = server
        .post_as(
            &admin,
            &format!("/api/v1/knowledge/{id}/file/move"),
            &json!({"file_id": file_id, "directory_id": reports_id}),
        )
        .await?;
    assert_eq!(status, StatusCode::OK);
    let moved = server
        .get_json(
            &format!("/api/v1/knowledge/{id}/files?directory_id={reports_id}"),
            &admin,
        )
        .await?;
    assert_eq!(names(&moved, "items", "id"), [file_id.as_str()]);
    let (status, _) = server
        .post_as(
            &admin,
            &format!("/api/v1/knowledge/{id}/file/move"),
            &json!({"file_id": "not-in-it"}),
        )
        .await?;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let metadata = json!({"knowledge_id": id, "directory_id": reports_id});
    let query = "?process_in_background=false";
    let (_, uploaded) = server
        .upload_with(
            &admin,
            "inside.txt",
            b"In a folder.".to_vec(),
            "text/plain",
            &metadata,
            query,
        )
        .await?;
    let in_reports = server
        .get_json(
            &format!("/api/v1/knowledge/{id}/files?directory_id={reports_id}"),
            &admin,
        )
        .await?;
    assert!(
        names(&in_reports, "items", "id").contains(&text(&uploaded, "id")?),
        "an upload made in a folder joins it: {in_reports}"
    );
    server
        .post_as(
            &admin,
            &format!("/api/v1/knowledge/{id}/file/remove"),
            &json!({"file_id": text(&uploaded, "id")?}),
        )
        .await?;

    let deleted = server
        .client()
        .delete(server.url(&format!("/api/v1/knowledge/{id}/dirs/{reports_id}/delete")))
        .bearer_auth(&admin)
        .send()
        .await?;
    let (status, answer) = status_json(deleted).await?;
    assert_eq!(
        (status, answer),
        (StatusCode::OK, json!({"status": true, "file_ids": []}))
    );
    let root = server
        .get_json(
            &format!("/api/v1/knowledge/{id}/files?directory_id="),
            &admin,
        )
        .await?;
    assert_eq!(
        names(&root, "items", "id"),
        [file_id.as_str()],
        "moved up to the root"
    );
    assert_eq!(names(&root, "directories", "name"), ["First quarter"]);

    server
        .post_as(
            &admin,
            &format!("/api/v1/knowledge/{id}/file/move"),
            &json!({"file_id": file_id, "directory_id": q1_id}),
        )
        .await?;
    let removed = server
        .client()
        .delete(server.url(&format!(
            "/api/v1/knowledge/{id}/dirs/{q1_id}/delete?move_files=false"
        )))
        .bearer_auth(&admin)
        .send()
        .await?;
    let (_, answer) = status_json(removed).await?;
    assert_eq!(answer["file_ids"], json!([file_id]));
    let all = server
        .get_json(&format!("/api/v1/knowledge/{id}/files"), &admin)
        .await?;
    assert_eq!(all["total"], 0, "removed from the knowledge base: {all}");
    server.stop().await
}

#[tokio::test]
#[expect(
    clippy::too_many_lines,
    reason = "one end-to-end scenario, read top to bottom"
)]
async fn a_synced_folder_is_compared_by_path_name_and_checksum() -> Result<()> {
    let server = TestServer::start_with(|s| s.retrieval.bypass = Some(true)).await?;
    let admin = server.admin_token.clone();
    let base = server
        .post_json(
            "/api/v1/knowledge/create",
            &admin,
            &json!({"name": "Synced", "description": ""}),
        )
        .await?;
    let id = text(&base, "id")?;
    let (_, docs) = server
        .post_as(
            &admin,
            &format!("/api/v1/knowledge/{id}/dirs/create"),
            &json!({"name": "docs"}),
        )
        .await?;
    let docs_id = text(&docs, "id")?;
    let mut files = Vec::new();
    for (name, folder) in [("a.txt", Some(docs_id.as_str())), ("b.txt", None)] {
        let (_, file) = server
            .upload(
                &admin,
                name,
                format!("text of {name}").into_bytes(),
                "text/plain",
                "?process_in_background=false",
            )
            .await?;
        let file_id = text(&file, "id")?;
        server
            .post_as(
                &admin,
                &format!("/api/v1/knowledge/{id}/file/add"),
                &json!({"file_id": file_id, "directory_id": folder}),
            )
            .await?;
        files.push((
            file_id,
            file["meta"]["file_hash"]
                .as_str()
                .unwrap_or_default()
                .to_owned(),
        ));
    }
    let (a_id, a_hash) = files[0].clone();
    let b_id = files[1].0.clone();

    let manifest = json!({"manifest": [
        {"filename": "a.txt", "path": "docs", "checksum": a_hash, "size": 14},
        {"filename": "c.txt", "path": "new/sub", "checksum": "abc", "size": 3},
    ]});
    let (status, diff) = server
        .post_as(
            &admin,
            &format!("/api/v1/knowledge/{id}/sync/diff"),
            &manifest,
        )
        .await?;
    assert_eq!(status, StatusCode::OK, "{diff}");
    assert_eq!(diff["unmodified_count"], 1, "{diff}");
    assert_eq!(
        diff["added"],
        json!([{"filename": "c.txt", "path": "new/sub"}])
    );
    assert_eq!(
        diff["deleted"],
        json!([{"file_id": b_id, "filename": "b.txt"}])
    );
    assert_eq!(diff["mkdir"], json!(["new", "new/sub"]));
    assert_eq!(diff["rmdir"], json!([]));
    assert_eq!(diff["directory_map"], json!({"docs": docs_id}));

    let changed =
        json!({"manifest": [{"filename": "a.txt", "path": "docs", "checksum": "changed"}]});
    let (_, diff) = server
        .post_as(
            &admin,
            &format!("/api/v1/knowledge/{id}/sync/diff"),
            &changed,
        )
        .await?;
    assert_eq!(
        diff["modified"],
        json!([{"filename": "a.txt", "path": "docs", "stale_file_id": a_id}])
    );

    let cleanup = json!({"file_ids": [b_id], "dir_ids": [docs_id]});
    let (status, done) = server
        .post_as(
            &admin,
            &format!("/api/v1/knowledge/{id}/sync/cleanup"),
            &cleanup,
        )
        .await?;
    assert_eq!((status, done), (StatusCode::OK, json!({"status": true})));
    let left = server
        .get_json(
            &format!("/api/v1/knowledge/{id}/files?directory_id="),
            &admin,
        )
        .await?;
    assert!(names(&left, "directories", "name").is_empty(), "{left}");
    let gone = server
        .client()
        .get(server.url(&format!("/api/v1/files/{b_id}")))
        .bearer_auth(&admin)
        .send()
        .await?;
    assert_eq!(
        gone.status(),
        StatusCode::NOT_FOUND,
        "a file no knowledge base holds is deleted"
    );
    server.stop().await
}
