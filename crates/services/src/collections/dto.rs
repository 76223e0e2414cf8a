//! Bodies of the collection use cases (`/api/v1/retrieval/process/*`, `/query/*`,
//! `/delete`), in Open WebUI's shapes.

use serde::{Deserialize, Serialize};
use serde_json::Value;
use utoipa::{IntoParams, ToSchema};

/// `POST /process/text`.
#[derive(Debug, Deserialize, ToSchema)]
pub struct ProcessTextForm {
    /// A name for the text (its chunks' `name` and `source`).
    pub name: String,
    /// The text.
    pub content: String,
    /// The collection (default: the SHA-256 of the text).
    #[serde(default)]
    pub collection_name: Option<String>,
}

/// `POST /process/file`.
#[derive(Debug, Deserialize, ToSchema)]
pub struct ProcessFileForm {
    /// The file.
    pub file_id: String,
    /// New text for the file (replaces the extracted text).
    #[serde(default)]
    pub content: Option<String>,
    /// A collection to add the file's chunks to (a knowledge base); default its own.
    #[serde(default)]
    pub collection_name: Option<String>,
}

/// What processing answers.
#[derive(Debug, Serialize, ToSchema)]
pub struct Processed {
    /// Always true.
    pub status: bool,
    /// The collection the chunks went to (null when embedding is off).
    pub collection_name: Option<String>,
    /// The file's name (`/process/file`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub filename: Option<String>,
    /// The text.
    pub content: String,
}

/// `POST /query/doc` and `/query/collection`: one collection or several, and how to rank.
#[derive(Debug, Deserialize, ToSchema)]
pub struct QueryForm {
    /// The collection (`/query/doc`).
    #[serde(default)]
    pub collection_name: Option<String>,
    /// The collections (`/query/collection`).
    #[serde(default)]
    pub collection_names: Option<Vec<String>>,
    /// The question.
    pub query: String,
    /// Chunks to return (default `rag.top_k`).
    #[serde(default)]
    pub k: Option<u32>,
    /// Chunks kept after reranking (default `rag.top_k_reranker`).
    #[serde(default)]
    pub k_reranker: Option<u32>,
    /// Relevance threshold; 0 or absent: the configured one.
    #[serde(default)]
    pub r: Option<f64>,
    /// Hybrid search; absent: as configured (false still searches hybrid when it is on, as
    /// Open WebUI does).
    #[serde(default)]
    pub hybrid: Option<bool>,
    /// Share of the keyword ranking.
    #[serde(default)]
    pub hybrid_bm25_weight: Option<f64>,
}

/// `POST /delete`.
#[derive(Debug, Deserialize, ToSchema)]
pub struct DeleteForm {
    /// The collection.
    pub collection_name: String,
    /// The file whose chunks go.
    pub file_id: String,
}

/// Search results as Open WebUI's `SearchResult`: one list per query.
#[derive(Debug, Serialize, ToSchema)]
pub struct QueryResult {
    /// Chunk ids (vector search only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ids: Option<Vec<Vec<String>>>,
    /// Texts.
    pub documents: Vec<Vec<String>>,
    /// Metadata.
    #[schema(value_type = Vec<Vec<Object>>)]
    pub metadatas: Vec<Vec<Value>>,
    /// Scores, higher is closer.
    pub distances: Vec<Vec<f32>>,
}

/// `POST /process/url` and `/process/web`.
#[derive(Debug, Deserialize, ToSchema)]
pub struct ProcessUrlForm {
    /// The page (`http` or `https`).
    pub url: String,
    /// The collection (default: the SHA-256 of the URL, 63 characters).
    #[serde(default)]
    pub collection_name: Option<String>,
}

/// `?process=` (default true: index the page) and `?overwrite=` (default true: replace the
/// collection's chunks; false adds to them).
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ProcessUrlParams {
    /// Index the page.
    #[serde(default = "yes")]
    pub process: bool,
    /// Replace what the collection held.
    #[serde(default = "yes")]
    pub overwrite: bool,
}

fn yes() -> bool {
    true
}

/// What `/process/url` answers for a web page.
#[derive(Debug, Serialize, ToSchema)]
pub struct ProcessedUrl {
    /// Always true.
    pub status: bool,
    /// `web`.
    #[serde(rename = "type")]
    pub kind: String,
    /// The URL.
    pub name: String,
    /// The URL.
    pub url: String,
    /// The collection the chunks went to (null when not processed or embedding is off).
    pub collection_name: Option<String>,
    /// The page's text.
    pub content: String,
}
