//! [`FileServices`]: the file ports the use cases run on and the extraction job limits.

use hearth_domain::ports::{FileBlobs, TextExtractor};
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::Semaphore;

/// The file ports and the extraction job limits.
#[derive(Clone)]
pub struct FileServices {
    /// Where the bytes are.
    pub blobs: Arc<dyn FileBlobs>,
    /// Text extraction.
    pub extractor: Arc<dyn TextExtractor>,
    pub(crate) slots: Arc<Semaphore>,
    pub(crate) timeout: Duration,
}

impl FileServices {
    /// `concurrency` extraction jobs at once, each ending after `timeout`.
    pub fn new(
        blobs: Arc<dyn FileBlobs>,
        extractor: Arc<dyn TextExtractor>,
        concurrency: usize,
        timeout: Duration,
    ) -> Self {
        Self {
            blobs,
            extractor,
            slots: Arc::new(Semaphore::new(concurrency.max(1))),
            timeout,
        }
    }
}
