//! [`Extractor`]: this crate behind the domain's `TextExtractor` port, running each
//! extraction on the blocking pool so that a large PDF never stalls the server's threads.

use crate::{Kind, Limits, extract, kind_of};
use async_trait::async_trait;
use bytes::Bytes;
use hearth_domain::ports::{ContentKind, Extracted, TextExtractor};

/// Text extraction with fixed limits.
#[derive(Clone, Copy, Debug, Default)]
pub struct Extractor {
    limits: Limits,
}

impl Extractor {
    /// Extracts within `limits`.
    pub fn new(limits: Limits) -> Self {
        Self { limits }
    }
}

#[async_trait]
impl TextExtractor for Extractor {
    fn kind(&self, filename: &str, content_type: Option<&str>, head: &[u8]) -> ContentKind {
        match kind_of(filename, content_type, head) {
            Kind::Image => ContentKind::Image,
            Kind::Video => ContentKind::Video,
            Kind::Audio => ContentKind::Audio,
            _ => ContentKind::Document,
        }
    }

    async fn extract(
        &self,
        bytes: Bytes,
        filename: &str,
        content_type: Option<&str>,
    ) -> Result<Extracted, String> {
        let limits = self.limits;
        let filename = filename.to_owned();
        let content_type = content_type.map(str::to_owned);
        let job = tokio::task::spawn_blocking(move || {
            extract(&bytes, &filename, content_type.as_deref(), &limits)
        });
        match job.await {
            Ok(Ok(found)) => Ok(Extracted { pages: found.pages }),
            Ok(Err(e)) => Err(e.to_string()),
            Err(e) => Err(format!("Text extraction stopped unexpectedly: {e}")),
        }
    }
}
