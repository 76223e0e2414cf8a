//! Searching collections directly (the retrieval router's `/query/doc` and
//! `/query/collection`), ranked as a chat's retrieval ranks, with the request's overrides.

use super::access::check;
use super::dto::{QueryForm, QueryResult};
use crate::App;
use crate::error::{ServiceError, ServiceResult};
use crate::retrieval::{Question, Ranking, engine, rank, ranking};
use hearth_domain::User;
use hearth_domain::ports::ChunkHit;
use serde_json::Value;

/// The configured ranking with the form's overrides.
fn ranking_for(app: &App, form: &QueryForm) -> Ranking {
    let mut ranking = ranking(app);
    if let Some(k) = form.k.filter(|k| *k > 0) {
        ranking.top_k = usize::try_from(k).unwrap_or(ranking.top_k);
    }
    if let Some(k) = form.k_reranker.filter(|k| *k > 0) {
        ranking.top_k_reranker = usize::try_from(k).unwrap_or(ranking.top_k_reranker);
    }
    if let Some(r) = form.r.filter(|r| *r != 0.0) {
        ranking.threshold = r as f32;
    }
    if let Some(w) = form.hybrid_bm25_weight {
        ranking.bm25_weight = w.clamp(0.0, 1.0) as f32;
    }
    ranking.hybrid = ranking.hybrid || form.hybrid == Some(true);
    ranking
}

async fn search(
    app: &App,
    form: &QueryForm,
    collections: Vec<String>,
) -> ServiceResult<(Ranking, Vec<ChunkHit>)> {
    let query = form.query.trim();
    if query.is_empty() {
        return Err(ServiceError::invalid("query must not be empty"));
    }
    let ranking = ranking_for(app, form);
    let vector = app
        .retrieval
        .embedder
        .embed(&engine(app), vec![query.to_owned()])
        .await
        .map_err(ServiceError::invalid)?
        .pop()
        .ok_or_else(|| ServiceError::invalid("Error querying knowledge base"))?;
    let questions = [Question {
        text: query.to_owned(),
        vector,
    }];
    let hits = rank(app, &ranking, &collections, &questions)
        .await
        .map_err(|e| ServiceError::invalid(e.to_string()))?;
    Ok((ranking, hits))
}

fn result(hits: Vec<ChunkHit>, with_ids: bool) -> QueryResult {
    QueryResult {
        ids: with_ids.then(|| vec![hits.iter().map(|h| h.id.clone()).collect()]),
        distances: vec![hits.iter().map(|h| h.score).collect()],
        documents: vec![hits.iter().map(|h| h.text.clone()).collect()],
        metadatas: vec![
            hits.into_iter()
                .map(|h| Value::Object(h.metadata))
                .collect(),
        ],
    }
}

/// The best chunks of one collection the caller may read.
pub async fn query_doc(app: &App, user: &User, form: QueryForm) -> ServiceResult<QueryResult> {
    let name = form
        .collection_name
        .clone()
        .ok_or_else(|| ServiceError::invalid("collection_name is required"))?;
    check(app, user, &name, false).await?;
    let (ranking, hits) = search(app, &form, vec![name]).await?;
    Ok(result(hits, !ranking.hybrid))
}

/// The best chunks of several collections the caller may read.
pub async fn query_collections(
    app: &App,
    user: &User,
    form: QueryForm,
) -> ServiceResult<QueryResult> {
    let names = form.collection_names.clone().unwrap_or_default();
    if names.is_empty() {
        return Err(ServiceError::invalid("collection_names is required"));
    }
    for name in &names {
        check(app, user, name, false).await?;
    }
    let (_, hits) = search(app, &form, names).await?;
    Ok(result(hits, false))
}
