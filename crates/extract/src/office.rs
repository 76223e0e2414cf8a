//! DOCX and PPTX text (Office Open XML in a ZIP archive), with the ZIP and XML helpers they
//! share with the spreadsheet reader. Decompression is capped against zip bombs.

use std::io::{Cursor, Read};

use quick_xml::events::Event;
use zip::ZipArchive;

use crate::{Limits, error::ExtractError};

const MIB: usize = 1024 * 1024;

/// A ZIP archive with a budget of decompressed bytes, checked against each entry's declared
/// size up front (as Open WebUI does) and against the bytes actually read.
pub struct Archive<'a> {
    zip: ZipArchive<Cursor<&'a [u8]>>,
    budget: usize,
    format: &'static str,
}

/// How many decompressed bytes a ZIP-based document may expand to: like Open WebUI,
/// `max(10 MiB, 100 × file size)`, capped at the larger of `max_bytes` and `4 × max_chars`.
pub fn zip_budget(len: usize, limits: &Limits) -> usize {
    let cap = limits.max_bytes.max(limits.max_chars.saturating_mul(4));
    (10 * MIB).max(len.saturating_mul(100)).min(cap)
}

impl<'a> Archive<'a> {
    /// Opens the archive, failing if its declared decompressed size exceeds the budget.
    pub fn open(
        bytes: &'a [u8],
        limits: &Limits,
        format: &'static str,
    ) -> Result<Self, ExtractError> {
        let zip = ZipArchive::new(Cursor::new(bytes)).map_err(|e| office_err(format, &e))?;
        let budget = zip_budget(bytes.len(), limits);
        let mut declared = 0u64;
        for i in 0..zip.len() {
            let entry = zip.by_index_data(i).map_err(|e| office_err(format, &e))?;
            declared = declared.saturating_add(entry.size());
        }
        if declared > u64::try_from(budget).unwrap_or(u64::MAX) {
            return Err(ExtractError::ArchiveTooLarge);
        }
        Ok(Self {
            zip,
            budget,
            format,
        })
    }

    /// Names of all entries.
    pub fn names(&self) -> Vec<String> {
        self.zip
            .file_names()
            .filter_map(Result::ok)
            .map(|n| n.into_owned())
            .collect()
    }

    /// Reads one entry as UTF-8 text, spending the decompression budget.
    pub fn read_text(&mut self, name: &str) -> Result<String, ExtractError> {
        let format = self.format;
        let entry = self.zip.by_name(name).map_err(|e| office_err(format, &e))?;
        let mut buf = Vec::new();
        let cap = u64::try_from(self.budget).unwrap_or(u64::MAX);
        entry
            .take(cap.saturating_add(1))
            .read_to_end(&mut buf)
            .map_err(|e| office_err(format, &e))?;
        self.budget = self
            .budget
            .checked_sub(buf.len())
            .ok_or(ExtractError::ArchiveTooLarge)?;
        String::from_utf8(buf).map_err(|e| office_err(format, &e))
    }
}

pub fn office_err(format: &'static str, e: &dyn std::fmt::Display) -> ExtractError {
    ExtractError::Office {
        format,
        message: e.to_string(),
    }
}

/// One XML event, reduced to what text extraction needs.
pub enum Node<'x> {
    Start(&'x str),
    End(&'x str),
    /// An empty element such as `<w:tab/>`.
    Empty(&'x str),
    Text(&'x str),
}

/// Walks the XML, handing each element (by local name) and decoded text to `visit`.
pub fn walk(
    xml: &str,
    format: &'static str,
    mut visit: impl FnMut(Node<'_>),
) -> Result<(), ExtractError> {
    let mut reader = quick_xml::Reader::from_str(xml);
    loop {
        let event = reader.read_event().map_err(|e| office_err(format, &e))?;
        match event {
            Event::Start(e) => visit(Node::Start(local(e.name().as_ref()))),
            Event::End(e) => visit(Node::End(local(e.name().as_ref()))),
            Event::Empty(e) => visit(Node::Empty(local(e.name().as_ref()))),
            Event::Text(t) => visit(Node::Text(&t.xml10_content())),
            Event::CData(t) => visit(Node::Text(&t)),
            Event::GeneralRef(r) => {
                let resolved = match r.resolve_char_ref() {
                    Ok(Some(c)) => Some(c.to_string()),
                    _ => quick_xml::escape::resolve_predefined_entity(&r).map(str::to_owned),
                };
                if let Some(s) = resolved {
                    visit(Node::Text(&s));
                }
            }
            Event::Eof => return Ok(()),
            _ => {}
        }
    }
}

fn local(name: &str) -> &str {
    name.rsplit(':').next().unwrap_or(name)
}

/// DOCX: paragraphs of `word/document.xml`, one per line (`w:t` text, `w:tab` a tab,
/// `w:br`/`w:cr` a newline), like `docx2txt`.
pub fn extract_docx(bytes: &[u8], limits: &Limits) -> Result<String, ExtractError> {
    let mut archive = Archive::open(bytes, limits, "DOCX")?;
    let xml = archive.read_text("word/document.xml")?;
    let mut out = String::new();
    let mut in_text = false;
    let mut run_depth = 0usize;
    walk(&xml, "DOCX", |node| match node {
        Node::Start("t") => in_text = true,
        Node::End("t") => in_text = false,
        Node::Start("r") => run_depth += 1,
        Node::End("r") => run_depth = run_depth.saturating_sub(1),
        Node::Empty("tab") if run_depth > 0 => out.push('\t'),
        Node::Empty("br" | "cr") => out.push('\n'),
        Node::End("p") | Node::Empty("p") => out.push('\n'),
        Node::Text(t) if in_text => out.push_str(t),
        _ => {}
    })?;
    Ok(out.trim_end().to_owned())
}

/// PPTX: one page per slide, `ppt/slides/slideN.xml` in numeric order; `a:p` paragraphs
/// are lines of their `a:t` texts.
pub fn extract_pptx(bytes: &[u8], limits: &Limits) -> Result<Vec<String>, ExtractError> {
    let mut archive = Archive::open(bytes, limits, "PPTX")?;
    let mut slides: Vec<(u32, String)> = archive
        .names()
        .into_iter()
        .filter_map(|name| {
            let number = name
                .strip_prefix("ppt/slides/slide")?
                .strip_suffix(".xml")?
                .parse()
                .ok()?;
            Some((number, name))
        })
        .collect();
    slides.sort_unstable();
    let mut pages = Vec::with_capacity(slides.len());
    for (_, name) in slides {
        let xml = archive.read_text(&name)?;
        pages.push(slide_text(&xml)?);
    }
    Ok(pages)
}

fn slide_text(xml: &str) -> Result<String, ExtractError> {
    let mut out = String::new();
    let mut in_text = false;
    walk(xml, "PPTX", |node| match node {
        Node::Start("t") => in_text = true,
        Node::End("t") => in_text = false,
        Node::Empty("br") => out.push('\n'),
        Node::End("p") => out.push('\n'),
        Node::Text(t) if in_text => out.push_str(t),
        _ => {}
    })?;
    Ok(out.trim().to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fixtures::{build_zip, sample_docx, sample_pptx};

    #[test]
    fn docx_paragraphs_tabs_breaks_entities() {
        let docx = sample_docx(&["Hello & welcome", "a\tb", "line1\nline2", ""]);
        let text = extract_docx(&docx, &Limits::default()).unwrap();
        assert_eq!(text, "Hello & welcome\na\tb\nline1\nline2");
    }

    #[test]
    fn pptx_slides_in_numeric_order() {
        let names: Vec<String> = (1..=11)
            .map(|i| format!("Slide {i}\nsecond line"))
            .collect();
        let refs: Vec<&str> = names.iter().map(String::as_str).collect();
        let pages = extract_pptx(&sample_pptx(&refs), &Limits::default()).unwrap();
        assert_eq!(pages.len(), 11);
        assert_eq!(pages[0], "Slide 1\nsecond line");
        assert_eq!(pages[1], "Slide 2\nsecond line");
        assert_eq!(pages[10], "Slide 11\nsecond line");
    }

    #[test]
    fn zip_bomb_is_refused() {
        let zeros = vec![b' '; 11 * MIB];
        let mut xml = b"<w:document><w:body><w:p><w:r><w:t>x</w:t></w:r></w:p>".to_vec();
        xml.extend_from_slice(&zeros);
        xml.extend_from_slice(b"</w:body></w:document>");
        let docx = build_zip(&[("word/document.xml", &xml)]).unwrap();
        assert!(docx.len() < 100 * 1024, "compressed to {}", docx.len());
        let err = extract_docx(&docx, &Limits::default()).unwrap_err();
        assert!(matches!(err, ExtractError::ArchiveTooLarge), "{err}");
    }

    #[test]
    fn not_a_zip() {
        let err = extract_docx(b"plain text", &Limits::default()).unwrap_err();
        assert!(
            err.to_string().starts_with("Could not read DOCX file: "),
            "{err}"
        );
    }
}
