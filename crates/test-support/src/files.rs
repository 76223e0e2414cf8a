//! File doubles: [`MemoryBlobs`] keeps bytes in a map (staging in a temporary folder, as the
//! HTTP edge stages uploads), and [`PlainExtractor`] reads text as UTF-8 — except a file whose
//! text is `FAIL` (fails with "cannot read this file") or `SLOW` (takes an hour).

use async_trait::async_trait;
use bytes::Bytes;
use hearth_domain::ports::{
    BlobError, ByteStream, ContentKind, Extracted, FileBlobs, TextExtractor,
};
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

/// Blobs in memory.
pub struct MemoryBlobs {
    blobs: Mutex<HashMap<String, Bytes>>,
    staging: PathBuf,
}

impl Default for MemoryBlobs {
    fn default() -> Self {
        let staging =
            std::env::temp_dir().join(format!("hearth-test-staging-{}", std::process::id()));
        if let Err(e) = std::fs::create_dir_all(&staging) {
            tracing_free_log(&e);
        }
        Self {
            blobs: Mutex::new(HashMap::new()),
            staging,
        }
    }
}

fn tracing_free_log(error: &std::io::Error) {
    eprintln!("test staging folder: {error}");
}

impl MemoryBlobs {
    fn map(&self) -> std::sync::MutexGuard<'_, HashMap<String, Bytes>> {
        self.blobs
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// How many blobs are stored.
    pub fn len(&self) -> usize {
        self.map().len()
    }

    /// Whether none are.
    pub fn is_empty(&self) -> bool {
        self.map().is_empty()
    }

    /// Stages `bytes` as the HTTP edge would; returns the staged path.
    pub fn stage(&self, bytes: &[u8]) -> PathBuf {
        let path = self.staging.join(uuid_like());
        if let Err(e) = std::fs::write(&path, bytes) {
            tracing_free_log(&e);
        }
        path
    }
}

fn uuid_like() -> String {
    use std::sync::atomic::{AtomicU64, Ordering};
    static NEXT: AtomicU64 = AtomicU64::new(0);
    format!("staged-{}", NEXT.fetch_add(1, Ordering::Relaxed))
}

#[async_trait]
impl FileBlobs for MemoryBlobs {
    async fn put(&self, name: &str, staged: &Path) -> Result<String, BlobError> {
        let bytes = std::fs::read(staged).map_err(|e| BlobError(e.to_string()))?;
        if let Err(e) = std::fs::remove_file(staged) {
            tracing_free_log(&e);
        }
        self.map().insert(name.to_owned(), Bytes::from(bytes));
        Ok(format!("memory://{name}"))
    }

    async fn read(&self, path: &str) -> Result<Option<Bytes>, BlobError> {
        let name = path.trim_start_matches("memory://");
        Ok(self.map().get(name).cloned())
    }

    async fn open(&self, path: &str) -> Result<Option<(u64, ByteStream)>, BlobError> {
        let Some(bytes) = self.read(path).await? else {
            return Ok(None);
        };
        let length = u64::try_from(bytes.len()).unwrap_or(u64::MAX);
        let stream: ByteStream = Box::pin(futures_util::stream::once(async move { Ok(bytes) }));
        Ok(Some((length, stream)))
    }

    async fn delete(&self, path: &str) -> Result<(), BlobError> {
        self.map().remove(path.trim_start_matches("memory://"));
        Ok(())
    }

    async fn delete_all(&self) -> Result<(), BlobError> {
        self.map().clear();
        Ok(())
    }

    fn staging_dir(&self) -> &Path {
        &self.staging
    }
}

/// Text as UTF-8; images, video and audio by declared type.
#[derive(Debug, Default)]
pub struct PlainExtractor;

#[async_trait]
impl TextExtractor for PlainExtractor {
    fn kind(&self, _filename: &str, content_type: Option<&str>, _head: &[u8]) -> ContentKind {
        match content_type.unwrap_or_default().split('/').next() {
            Some("image") => ContentKind::Image,
            Some("video") => ContentKind::Video,
            Some("audio") => ContentKind::Audio,
            _ => ContentKind::Document,
        }
    }

    async fn extract(&self, bytes: Bytes, _: &str, _: Option<&str>) -> Result<Extracted, String> {
        let text = String::from_utf8_lossy(&bytes).into_owned();
        match text.as_str() {
            "FAIL" => Err("cannot read this file".into()),
            "SLOW" => {
                tokio::time::sleep(std::time::Duration::from_secs(3600)).await;
                Ok(Extracted { pages: vec![text] })
            }
            _ => Ok(Extracted { pages: vec![text] }),
        }
    }
}
