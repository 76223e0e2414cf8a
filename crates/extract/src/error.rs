//! The error type; its `Display` texts are what a user sees as the file's processing error.

/// Why a file's text could not be extracted.
#[derive(Debug, thiserror::Error)]
pub enum ExtractError {
    /// The upload is larger than [`crate::Limits::max_bytes`].
    #[error("File is too large: {size} bytes, the limit is {limit} bytes")]
    TooLarge {
        /// Its size.
        size: usize,
        /// The limit.
        limit: usize,
    },
    /// A PDF has more pages than [`crate::Limits::max_pages`].
    #[error("PDF has {pages} pages, more than the limit of {limit} pages")]
    TooManyPages {
        /// Its pages.
        pages: usize,
        /// The limit.
        limit: usize,
    },
    /// The extracted text is longer than [`crate::Limits::max_chars`].
    #[error("Extracted text has more than {limit} characters")]
    TooMuchText {
        /// The limit.
        limit: usize,
    },
    /// A ZIP-based document (DOCX, PPTX, XLSX) decompresses to more than allowed.
    #[error("Document archive is too large after decompression")]
    ArchiveTooLarge,
    /// Images, video and audio: Open WebUI's own wording.
    #[error("File type {content_type} is not supported for processing")]
    UnsupportedMedia {
        /// The declared or guessed type.
        content_type: String,
    },
    /// A binary file of a format this crate does not read.
    #[error("File type of {filename} is not supported for processing")]
    Unsupported {
        /// The file's name.
        filename: String,
    },
    /// The PDF could not be parsed or is encrypted.
    #[error("Could not read PDF: {0}")]
    Pdf(String),
    /// A DOCX or PPTX file is not a valid document.
    #[error("Could not read {format} file: {message}")]
    Office {
        /// `DOCX` or `PPTX`.
        format: &'static str,
        /// What was wrong.
        message: String,
    },
    /// A spreadsheet could not be read.
    #[error("Could not read spreadsheet: {0}")]
    Spreadsheet(String),
    /// A parser gave up on malformed input in an unexpected way.
    #[error("Could not read {kind:?} file: it is malformed ({detail})")]
    Malformed {
        /// The kind of file.
        kind: crate::Kind,
        /// What the parser said.
        detail: String,
    },
    /// A CSV file could not be parsed.
    #[error("Could not read CSV: {0}")]
    Csv(String),
}

/// Runs an extraction step, turning a panic inside a parser library into an error.
pub fn guarded<T>(
    kind: crate::Kind,
    f: impl FnOnce() -> Result<T, ExtractError>,
) -> Result<T, ExtractError> {
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(f)).unwrap_or_else(|payload| {
        let detail = payload
            .downcast_ref::<&str>()
            .map(|s| (*s).to_owned())
            .or_else(|| payload.downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "parser failure".to_owned());
        Err(ExtractError::Malformed { kind, detail })
    })
}
