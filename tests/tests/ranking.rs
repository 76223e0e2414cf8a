//! How retrieval ranks, through a real server and the retrieval router's query routes: vector
//! search alone, hybrid search (keyword and vector rankings fused, reranked by cosine or by an
//! external reranker, cut at the relevance threshold), and who may query which collection.

use anyhow::Result;
use hearth_tests::fake_upstream::{FakeUpstream, Flavor};
use hearth_tests::{TestServer, text};
use reqwest::StatusCode;
use serde_json::{Value, json};

const CORPUS: &str = "The ZX9134 router ships with a two year warranty.\n\n\
Routers need firmware updates to stay secure.\n\n\
Our cafeteria serves pasta every Tuesday.\n\n\
Warranty claims are handled by the service desk.\n\n\
Bicycles can be parked behind building C.";

/// A server embedding with the fake's bag-of-words vectors, one paragraph per chunk.
async fn server(embed: &FakeUpstream, reranker: bool) -> Result<TestServer> {
    let url = embed.url.clone();
    TestServer::start_with(move |s| {
        s.retrieval.embedding_engine = Some("openai".into());
        s.retrieval.openai_base_url = Some(url.clone());
        s.retrieval.chunk_size = Some(60);
        s.retrieval.chunk_overlap = Some(0);
        s.retrieval.top_k = Some(3);
        if reranker {
            s.ranking.hybrid = Some(true);
            s.ranking.reranking_engine = Some("external".into());
            s.ranking.reranking_model = Some("fake-reranker".into());
            s.ranking.reranker_url = Some(format!("{url}/rerank"));
            s.ranking.reranker_key = Some("rerank-key".into());
        }
    })
    .await
}

/// Indexes the corpus into `collection` as the admin.
async fn index_corpus(server: &TestServer, collection: &str) -> Result<()> {
    let done = server
        .post_json(
            "/api/v1/retrieval/process/text",
            &server.admin_token,
            &json!({"name": "corpus.txt", "content": CORPUS, "collection_name": collection}),
        )
        .await?;
    assert_eq!(done["collection_name"], collection, "{done}");
    Ok(())
}

async fn query(server: &TestServer, token: &str, body: Value) -> Result<(StatusCode, Value)> {
    server
        .post_as(token, "/api/v1/retrieval/query/doc", &body)
        .await
}

fn documents(result: &Value) -> Vec<String> {
    result["documents"][0]
        .as_array()
        .map(|d| {
            d.iter()
                .filter_map(Value::as_str)
                .map(str::to_owned)
                .collect()
        })
        .unwrap_or_default()
}

fn distances(result: &Value) -> Vec<f64> {
    result["distances"][0]
        .as_array()
        .map(|d| d.iter().filter_map(Value::as_f64).collect())
        .unwrap_or_default()
}

#[tokio::test]
async fn hybrid_search_fuses_keywords_with_vectors_and_cuts_at_the_threshold() -> Result<()> {
    let embed = FakeUpstream::start(Flavor::OpenAi, &[]).await?;
    let server = server(&embed, false).await?;
    let admin = server.admin_token.clone();
    index_corpus(&server, "corpus").await?;

    let (status, plain) = query(
        &server,
        &admin,
        json!({"collection_name": "corpus", "query": "pasta on tuesday"}),
    )
    .await?;
    assert_eq!(status, StatusCode::OK, "{plain}");
    let found = documents(&plain);
    assert_eq!(found.len(), 3, "vector search fills k: {plain}");
    assert_eq!(found[0], "Our cafeteria serves pasta every Tuesday.");
    assert!(
        plain["ids"][0].is_array(),
        "vector search answers ids: {plain}"
    );
    let plain_score = distances(&plain)[0];
    assert!(
        plain_score > 0.5 && plain_score <= 1.0,
        "0..1 similarity: {plain}"
    );

    let keywords_only = json!({"collection_name": "corpus", "query": "bicycles", "hybrid": true, "hybrid_bm25_weight": 1.0});
    let (_, keyword) = query(&server, &admin, keywords_only).await?;
    assert_eq!(
        documents(&keyword),
        ["Bicycles can be parked behind building C."],
        "only chunks holding the word: {keyword}"
    );
    assert!(
        keyword.get("ids").is_none(),
        "hybrid answers no ids: {keyword}"
    );

    let hybrid = json!({"collection_name": "corpus", "query": "pasta on tuesday", "hybrid": true});
    let (_, fused) = query(&server, &admin, hybrid).await?;
    assert_eq!(
        documents(&fused)[0],
        "Our cafeteria serves pasta every Tuesday."
    );
    let cosine = distances(&fused)[0];
    assert!(
        cosine < plain_score,
        "hybrid reports raw cosine ({cosine}), vector search (1 + cosine) / 2 ({plain_score})"
    );

    let strict = json!({"collection_name": "corpus", "query": "pasta on tuesday", "hybrid": true, "r": 0.99});
    assert!(documents(&query(&server, &admin, strict).await?.1).is_empty());
    let relevant =
        json!({"collection_name": "corpus", "query": "pasta on tuesday", "hybrid": true, "r": 0.5});
    assert_eq!(
        documents(&query(&server, &admin, relevant).await?.1),
        ["Our cafeteria serves pasta every Tuesday."],
        "the threshold drops the unrelated chunks"
    );

    let several = server
        .post_json(
            "/api/v1/retrieval/query/collection",
            &admin,
            &json!({"collection_names": ["corpus"], "query": "warranty", "k": 2}),
        )
        .await?;
    assert_eq!(documents(&several).len(), 2, "{several}");
    assert_eq!(
        documents(&several)[0],
        "Warranty claims are handled by the service desk.",
        "{several}"
    );
    server.stop().await
}

#[tokio::test]
async fn an_external_reranker_orders_the_hybrid_candidates() -> Result<()> {
    let embed = FakeUpstream::start(Flavor::OpenAi, &[]).await?;
    let server = server(&embed, true).await?;
    let admin = server.admin_token.clone();
    index_corpus(&server, "corpus").await?;
    let (status, result) = query(
        &server,
        &admin,
        json!({"collection_name": "corpus", "query": "warranty router", "k_reranker": 2}),
    )
    .await?;
    assert_eq!(status, StatusCode::OK, "{result}");
    assert_eq!(
        documents(&result),
        [
            "The ZX9134 router ships with a two year warranty.",
            "Warranty claims are handled by the service desk."
        ]
    );
    assert_eq!(distances(&result), [1.0, 0.5], "the reranker's scores");
    let asked = embed.requests_to("/v1/rerank");
    let request = asked.last().map(|r| r.body.clone()).unwrap_or(Value::Null);
    assert_eq!(request["model"], "fake-reranker");
    assert_eq!(request["query"], "warranty router");
    assert_eq!(
        request["top_n"].as_u64(),
        request["documents"].as_array().map(|d| d.len() as u64)
    );
    server.stop().await
}

#[tokio::test]
async fn collections_answer_only_those_who_may_read_them() -> Result<()> {
    let embed = FakeUpstream::start(Flavor::OpenAi, &[]).await?;
    let server = server(&embed, false).await?;
    let admin = server.admin_token.clone();
    let ana = server.add_user("Ana", "ana@example.com", "user").await?;
    let ben = server.add_user("Ben", "ben@example.com", "user").await?;
    let (_, file) = server
        .upload(
            &ana,
            "notes.txt",
            CORPUS.into(),
            "text/plain",
            "?process_in_background=false",
        )
        .await?;
    let collection = format!("file-{}", text(&file, "id")?);
    let ask = |c: &str| json!({"collection_name": c, "query": "warranty"});

    let (status, mine) = query(&server, &ana, ask(&collection)).await?;
    assert_eq!(status, StatusCode::OK, "{mine}");
    assert!(!documents(&mine).is_empty());
    let (status, theirs) = query(&server, &ben, ask(&collection)).await?;
    assert_eq!(status, StatusCode::FORBIDDEN, "{theirs}");
    assert!(theirs["detail"].is_string());
    index_corpus(&server, "corpus").await?;
    assert_eq!(
        query(&server, &ben, ask("corpus")).await?.0,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        query(&server, &admin, ask("../etc")).await?.0,
        StatusCode::BAD_REQUEST
    );

    let base = server
        .post_json(
            "/api/v1/knowledge/create",
            &admin,
            &json!({"name": "Private", "description": ""}),
        )
        .await?;
    let base_id = text(&base, "id")?;
    let into_base = json!({"name": "x", "content": "Ben's words", "collection_name": base_id});
    let response = server
        .client()
        .post(server.url("/api/v1/retrieval/process/text"))
        .bearer_auth(&ben)
        .json(&into_base)
        .send()
        .await?;
    assert_eq!(response.status(), StatusCode::FORBIDDEN);
    assert_eq!(
        query(&server, &ben, ask(&base_id)).await?.0,
        StatusCode::FORBIDDEN
    );
    let ben_id = text(&server.get_json("/api/v1/auths/", &ben).await?, "id")?;
    server
        .post_json(
            &format!("/api/v1/knowledge/{base_id}/access/update"),
            &admin,
            &json!({"access_grants": [{"principal_type": "user", "principal_id": ben_id, "permission": "read"}]}),
        )
        .await?;
    assert_eq!(query(&server, &ben, ask(&base_id)).await?.0, StatusCode::OK);

    let deleted = server
        .client()
        .delete(server.url(&format!("/api/v1/files/{}", text(&file, "id")?)))
        .bearer_auth(&ana)
        .send()
        .await?;
    assert_eq!(deleted.status(), StatusCode::OK);
    let (_, gone) = query(&server, &admin, ask(&collection)).await?;
    assert!(
        documents(&gone).is_empty(),
        "a deleted file's chunks go: {gone}"
    );
    server.stop().await
}
