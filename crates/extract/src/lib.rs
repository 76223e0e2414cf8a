//! Text extraction from uploaded files, in pure Rust, for Hearth.
//!
//! Mirrors Open WebUI's default document loaders: plain text and source code (UTF-8, UTF-16
//! with BOM, Latin-1 fallback), CSV rows as `header: value` lines, HTML visible text, PDF text
//! per page, DOCX paragraphs, PPTX slides and spreadsheet sheets. Images, video and audio are
//! refused with Open WebUI's message. Every input is bounded by [`Limits`], and malformed
//! files give an [`ExtractError`], never a panic.

mod csv;
mod error;
#[cfg(any(test, feature = "fixtures"))]
mod fixtures;
mod html;
mod kind;
mod office;
mod pdf;
mod port;
mod text;
mod xlsx;

pub use error::ExtractError;
#[cfg(any(test, feature = "fixtures"))]
pub use fixtures::{sample_docx, sample_pdf, sample_pptx, sample_xlsx};
pub use kind::kind_of;
pub use port::Extractor;

/// Bounds on what one extraction may read and produce.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Largest input accepted, in bytes.
    pub max_bytes: usize,
    /// Most pages a PDF may have.
    pub max_pages: usize,
    /// Most characters the extracted text may have.
    pub max_chars: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Self {
            max_bytes: 100 * 1024 * 1024,
            max_pages: 1000,
            max_chars: 10_000_000,
        }
    }
}

/// The kind of a file, which decides how its text is extracted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// Plain text and source code.
    Text,
    /// Markdown.
    Markdown,
    /// HTML.
    Html,
    /// Comma-separated values.
    Csv,
    /// JSON.
    Json,
    /// PDF.
    Pdf,
    /// Word (.docx).
    Docx,
    /// PowerPoint (.pptx).
    Pptx,
    /// Spreadsheets (.xlsx and what calamine reads).
    Xlsx,
    /// A picture (not extracted).
    Image,
    /// A video (not extracted).
    Video,
    /// Audio (needs speech-to-text).
    Audio,
    /// Anything else (tried as text).
    Other,
}

/// Extracted text: one entry per PDF page, PPTX slide or spreadsheet sheet, one for the rest.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Extracted {
    /// The pages' text.
    pub pages: Vec<String>,
}

impl Extracted {
    /// All pages joined with a space, as Open WebUI joins a file's documents.
    pub fn text(&self) -> String {
        self.pages.join(" ")
    }
}

/// Extracts the text of a file from its bytes, name and declared content type.
pub fn extract(
    bytes: &[u8],
    filename: &str,
    content_type: Option<&str>,
    limits: &Limits,
) -> Result<Extracted, ExtractError> {
    if bytes.len() > limits.max_bytes {
        return Err(ExtractError::TooLarge {
            size: bytes.len(),
            limit: limits.max_bytes,
        });
    }
    let head = bytes.get(..kind::HEAD_LEN).unwrap_or(bytes);
    let kind = kind_of(filename, content_type, head);
    // Parsers of binary formats may panic on malformed input: that becomes an error.
    let pages = error::guarded(kind, || pages_of(kind, bytes, limits))?;
    let pages = match pages {
        Some(pages) => pages,
        None if kind == Kind::Other => {
            return Err(ExtractError::Unsupported {
                filename: filename.to_owned(),
            });
        }
        None => {
            return Err(ExtractError::UnsupportedMedia {
                content_type: kind::media_type(filename, content_type, kind),
            });
        }
    };
    let chars = pages
        .iter()
        .fold(0usize, |n, p| n.saturating_add(p.chars().count()));
    if chars > limits.max_chars {
        return Err(ExtractError::TooMuchText {
            limit: limits.max_chars,
        });
    }
    Ok(Extracted { pages })
}

/// The pages of a file of a readable kind; `None` for media and unsupported kinds.
fn pages_of(
    kind: Kind,
    bytes: &[u8],
    limits: &Limits,
) -> Result<Option<Vec<String>>, ExtractError> {
    Ok(Some(match kind {
        Kind::Text | Kind::Markdown | Kind::Json => vec![text::decode(bytes)],
        Kind::Html => vec![html::extract(&text::decode(bytes))],
        Kind::Csv => vec![csv::extract(&text::decode(bytes))?],
        Kind::Pdf => pdf::extract(bytes, limits)?,
        Kind::Docx => vec![office::extract_docx(bytes, limits)?],
        Kind::Pptx => office::extract_pptx(bytes, limits)?,
        Kind::Xlsx => xlsx::extract(bytes, limits)?,
        Kind::Image | Kind::Video | Kind::Audio | Kind::Other => return Ok(None),
    }))
}

#[cfg(test)]
mod tests;
