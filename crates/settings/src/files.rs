//! Uploaded files: where they are kept (local folder or S3-compatible object storage, with
//! Open WebUI's variables), the upload limits seeded into the config table, and the limits of
//! the background text-extraction jobs.

use crate::parse;
use clap::Args;
use serde_json::{Value, json};
use std::path::PathBuf;
use std::time::Duration;

/// Where uploads are kept and how their text is extracted.
#[derive(Clone, Debug, PartialEq, Args)]
pub struct FileSettings {
    /// Where uploaded files are kept: `local` (UPLOAD_DIR) or `s3`.
    #[arg(id = "STORAGE_PROVIDER", long = "storage-provider", env = "STORAGE_PROVIDER", value_name = "STORAGE_PROVIDER", default_value = "local", value_parser = parse::storage_provider)]
    pub storage_provider: String,
    /// Folder of uploaded files with the local provider (default: DATA_DIR/uploads).
    #[arg(
        id = "UPLOAD_DIR",
        long = "upload-dir",
        env = "UPLOAD_DIR",
        value_name = "UPLOAD_DIR"
    )]
    pub upload_dir: Option<PathBuf>,
    /// S3 bucket.
    #[arg(
        id = "S3_BUCKET_NAME",
        long = "s3-bucket-name",
        env = "S3_BUCKET_NAME",
        value_name = "S3_BUCKET_NAME"
    )]
    pub s3_bucket_name: Option<String>,
    /// S3 endpoint for S3-compatible servers (default: AWS).
    #[arg(
        id = "S3_ENDPOINT_URL",
        long = "s3-endpoint-url",
        env = "S3_ENDPOINT_URL",
        value_name = "S3_ENDPOINT_URL"
    )]
    pub s3_endpoint_url: Option<String>,
    /// S3 region.
    #[arg(
        id = "S3_REGION_NAME",
        long = "s3-region-name",
        env = "S3_REGION_NAME",
        value_name = "S3_REGION_NAME"
    )]
    pub s3_region_name: Option<String>,
    /// S3 access key id (default: the AWS environment and instance credentials).
    #[arg(
        id = "S3_ACCESS_KEY_ID",
        long = "s3-access-key-id",
        env = "S3_ACCESS_KEY_ID",
        value_name = "S3_ACCESS_KEY_ID",
        hide_env_values = true
    )]
    pub s3_access_key_id: Option<String>,
    /// S3 secret access key.
    #[arg(
        id = "S3_SECRET_ACCESS_KEY",
        long = "s3-secret-access-key",
        env = "S3_SECRET_ACCESS_KEY",
        value_name = "S3_SECRET_ACCESS_KEY",
        hide_env_values = true
    )]
    pub s3_secret_access_key: Option<String>,
    /// Prefix of every object key (a folder inside the bucket).
    #[arg(
        id = "S3_KEY_PREFIX",
        long = "s3-key-prefix",
        env = "S3_KEY_PREFIX",
        value_name = "S3_KEY_PREFIX"
    )]
    pub s3_key_prefix: Option<String>,
    /// S3 addressing: `path`, `virtual` or `auto` (virtual-hosted on AWS, path elsewhere).
    #[arg(
        id = "S3_ADDRESSING_STYLE",
        long = "s3-addressing-style",
        env = "S3_ADDRESSING_STYLE",
        value_name = "S3_ADDRESSING_STYLE",
        default_value = "auto"
    )]
    pub s3_addressing_style: String,
    /// Largest upload in MB (config key `rag.file.max_size`; unset: no limit).
    #[arg(
        id = "RAG_FILE_MAX_SIZE",
        long = "rag-file-max-size",
        env = "RAG_FILE_MAX_SIZE",
        value_name = "RAG_FILE_MAX_SIZE"
    )]
    pub rag_file_max_size: Option<u64>,
    /// Most files attached to one message (config key `rag.file.max_count`; unset: no
    /// limit).
    #[arg(
        id = "RAG_FILE_MAX_COUNT",
        long = "rag-file-max-count",
        env = "RAG_FILE_MAX_COUNT",
        value_name = "RAG_FILE_MAX_COUNT"
    )]
    pub rag_file_max_count: Option<u64>,
    /// Extensions that may be uploaded for processing, comma-separated, without dots
    /// (config key `rag.file.allowed_extensions`; empty: any).
    #[arg(id = "RAG_ALLOWED_FILE_EXTENSIONS", long = "rag-allowed-file-extensions", env = "RAG_ALLOWED_FILE_EXTENSIONS", value_name = "RAG_ALLOWED_FILE_EXTENSIONS", value_parser = parse::comma_list)]
    pub rag_allowed_file_extensions: Option<crate::List>,
    /// Text-extraction jobs running at once; more wait their turn (state `pending`).
    #[arg(id = "FILE_PROCESSING_CONCURRENCY", long = "file-processing-concurrency", env = "FILE_PROCESSING_CONCURRENCY", value_name = "FILE_PROCESSING_CONCURRENCY", default_value_t = 2, value_parser = clap::value_parser!(u32).range(1..))]
    pub processing_concurrency: u32,
    /// Seconds one extraction may take before the file is marked failed.
    #[arg(id = "FILE_PROCESSING_TIMEOUT", long = "file-processing-timeout", env = "FILE_PROCESSING_TIMEOUT", value_name = "FILE_PROCESSING_TIMEOUT", default_value = "300", value_parser = parse::positive_seconds)]
    pub processing_timeout: Duration,
    /// Largest file, in bytes, whose text is extracted (larger ones are kept but fail
    /// processing).
    #[arg(id = "FILE_PROCESSING_MAX_BYTES", long = "file-processing-max-bytes", env = "FILE_PROCESSING_MAX_BYTES", value_name = "FILE_PROCESSING_MAX_BYTES", default_value_t = 100 * 1024 * 1024)]
    pub processing_max_bytes: usize,
    /// Most pages (PDF pages, slides, sheets) extracted from one file.
    #[arg(
        id = "FILE_PROCESSING_MAX_PAGES",
        long = "file-processing-max-pages",
        env = "FILE_PROCESSING_MAX_PAGES",
        value_name = "FILE_PROCESSING_MAX_PAGES",
        default_value_t = 2000
    )]
    pub processing_max_pages: usize,
    /// Most characters of text kept from one file.
    #[arg(
        id = "FILE_PROCESSING_MAX_CHARS",
        long = "file-processing-max-chars",
        env = "FILE_PROCESSING_MAX_CHARS",
        value_name = "FILE_PROCESSING_MAX_CHARS",
        default_value_t = 20_000_000
    )]
    pub processing_max_chars: usize,
}

impl FileSettings {
    /// The folder of uploads, given the data folder.
    pub fn upload_dir(&self, data_dir: &std::path::Path) -> PathBuf {
        self.upload_dir
            .clone()
            .unwrap_or_else(|| data_dir.join("uploads"))
    }

    /// The config-table defaults these settings give.
    pub(crate) fn config_defaults(&self) -> Vec<(String, Value)> {
        let extensions: Vec<String> = self
            .rag_allowed_file_extensions
            .iter()
            .flatten()
            .map(|e| e.trim().trim_start_matches('.').to_ascii_lowercase())
            .filter(|e| !e.is_empty())
            .collect();
        vec![
            ("rag.file.max_size".into(), json!(self.rag_file_max_size)),
            ("rag.file.max_count".into(), json!(self.rag_file_max_count)),
            ("rag.file.allowed_extensions".into(), json!(extensions)),
        ]
    }
}
