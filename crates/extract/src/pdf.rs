//! PDF text per page, like Open WebUI's pypdf loader (one document per page, each stripped),
//! using `pdf-extract` on top of `lopdf`. Parser panics on malformed input become errors.

use pdf_extract::{Document, PlainTextOutput, output_doc_page};

use crate::{Kind, Limits, error::ExtractError};

/// Extracts the text of every page; fails if the PDF is unreadable or has too many pages.
pub fn extract(bytes: &[u8], limits: &Limits) -> Result<Vec<String>, ExtractError> {
    let doc = guarded(|| load(bytes))?;
    let page_numbers: Vec<u32> = doc.get_pages().into_keys().collect();
    if page_numbers.len() > limits.max_pages {
        return Err(ExtractError::TooManyPages {
            pages: page_numbers.len(),
            limit: limits.max_pages,
        });
    }
    let mut pages = Vec::with_capacity(page_numbers.len());
    let mut first_error = None;
    let mut chars = 0usize;
    for number in page_numbers {
        match guarded(|| page_text(&doc, number)) {
            Ok(text) => {
                chars = chars.saturating_add(text.chars().count());
                if chars > limits.max_chars {
                    return Err(ExtractError::TooMuchText {
                        limit: limits.max_chars,
                    });
                }
                pages.push(text);
            }
            Err(e) => {
                // One broken page should not lose the others: it reads as empty.
                first_error.get_or_insert(e);
                pages.push(String::new());
            }
        }
    }
    match first_error {
        Some(e) if pages.iter().all(String::is_empty) => Err(e),
        _ => Ok(pages),
    }
}

fn load(bytes: &[u8]) -> Result<Document, ExtractError> {
    let mut doc = Document::load_mem(bytes).map_err(|e| ExtractError::Pdf(e.to_string()))?;
    if doc.is_encrypted() && doc.decrypt("").is_err() {
        return Err(ExtractError::Pdf(
            "the file is encrypted with a password".into(),
        ));
    }
    Ok(doc)
}

fn page_text(doc: &Document, number: u32) -> Result<String, ExtractError> {
    let mut text = String::new();
    {
        let mut output = PlainTextOutput::new(&mut text);
        output_doc_page(doc, &mut output, number)
            .map_err(|e| ExtractError::Pdf(format!("page {number}: {e}")))?;
    }
    Ok(text.trim().to_owned())
}

/// Runs a parser step, turning a panic inside the PDF libraries into a PDF error.
fn guarded<T>(f: impl FnOnce() -> Result<T, ExtractError>) -> Result<T, ExtractError> {
    crate::error::guarded(Kind::Pdf, f).map_err(|e| match e {
        ExtractError::Malformed { detail, .. } => {
            ExtractError::Pdf(format!("the file is malformed ({detail})"))
        }
        other => other,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fixtures::sample_pdf;

    #[test]
    fn one_entry_per_page() {
        let pdf = sample_pdf(&["First page (one)", "Second page", "Third: caf\u{e9}"]);
        let pages = extract(&pdf, &Limits::default()).unwrap();
        assert_eq!(
            pages,
            ["First page (one)", "Second page", "Third: caf\u{e9}"]
        );
    }

    #[test]
    fn too_many_pages() {
        let pdf = sample_pdf(&["a", "b", "c"]);
        let limits = Limits {
            max_pages: 2,
            ..Limits::default()
        };
        let err = extract(&pdf, &limits).unwrap_err();
        assert_eq!(
            err.to_string(),
            "PDF has 3 pages, more than the limit of 2 pages"
        );
    }

    #[test]
    fn truncated_and_garbage_pdfs_are_errors() {
        let pdf = sample_pdf(&["Hello", "World"]);
        for cut in [10, pdf.len() / 3, pdf.len() / 2, pdf.len() - 40] {
            let result = extract(&pdf[..cut], &Limits::default());
            if let Ok(pages) = &result {
                // lopdf may recover a truncated file; it must not invent text.
                assert!(
                    pages
                        .iter()
                        .all(|p| p == "Hello" || p == "World" || p.is_empty())
                );
            }
        }
        let err = extract(b"%PDF-1.4\nthis is not a pdf", &Limits::default()).unwrap_err();
        assert!(err.to_string().starts_with("Could not read PDF: "), "{err}");
        assert!(extract(&pdf[..pdf.len() / 4], &Limits::default()).is_err());
    }
}
