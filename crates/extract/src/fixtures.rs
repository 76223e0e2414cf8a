//! Small valid documents built in memory, for tests and benchmarks (feature `fixtures`).

use std::fmt::Write as _;
use std::io::{Cursor, Write};

use zip::{CompressionMethod, ZipWriter, result::ZipError, write::SimpleFileOptions};

/// A PDF with one page per entry, each showing its text as one Helvetica line
/// (characters outside Latin-1 become `?`).
pub fn sample_pdf(pages: &[&str]) -> Vec<u8> {
    let n = pages.len();
    // Objects: 1 catalog, 2 page tree, 3 font, then a page and its content per page.
    let kids: Vec<String> = (0..n).map(|i| format!("{} 0 R", 4 + 2 * i)).collect();
    let mut objects = vec![
        "<< /Type /Catalog /Pages 2 0 R >>".to_owned(),
        format!("<< /Type /Pages /Kids [{}] /Count {n} >>", kids.join(" ")),
        "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>"
            .to_owned(),
    ];
    for (i, text) in pages.iter().enumerate() {
        let stream = format!("BT /F1 12 Tf 72 720 Td ({}) Tj ET", pdf_string(text));
        objects.push(format!(
            "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] \
             /Resources << /Font << /F1 3 0 R >> >> /Contents {} 0 R >>",
            5 + 2 * i
        ));
        objects.push(format!(
            "<< /Length {} >>\nstream\n{stream}\nendstream",
            stream.len()
        ));
    }
    let mut out = String::from("%PDF-1.4\n");
    let mut offsets = Vec::with_capacity(objects.len());
    for (i, body) in objects.iter().enumerate() {
        offsets.push(out.len());
        let _ = write!(out, "{} 0 obj\n{body}\nendobj\n", i + 1);
    }
    let xref = out.len();
    let _ = write!(out, "xref\n0 {}\n0000000000 65535 f \n", objects.len() + 1);
    for offset in offsets {
        let _ = writeln!(out, "{offset:010} 00000 n ");
    }
    let _ = write!(
        out,
        "trailer\n<< /Size {} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n",
        objects.len() + 1
    );
    // Latin-1 characters were written as octal escapes, so the file is ASCII.
    out.into_bytes()
}

fn pdf_string(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '(' | ')' | '\\' => {
                out.push('\\');
                out.push(c);
            }
            ' '..='~' => out.push(c),
            _ => {
                let byte = u8::try_from(u32::from(c)).unwrap_or(b'?');
                let _ = write!(out, "\\{byte:03o}");
            }
        }
    }
    out
}

/// Writes a ZIP archive of the given `(path, bytes)` entries, deflated.
pub fn build_zip(files: &[(&str, &[u8])]) -> Result<Vec<u8>, ZipError> {
    let mut zip = ZipWriter::new(Cursor::new(Vec::new()));
    let options = SimpleFileOptions::default().compression_method(CompressionMethod::Deflated);
    for (name, bytes) in files {
        zip.start_file(*name, options)?;
        zip.write_all(bytes)?;
    }
    Ok(zip.finish()?.into_inner())
}

fn xml_escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

const XML_DECL: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n";
const RELS_NS: &str = "http://schemas.openxmlformats.org/package/2006/relationships";
const DOC_REL: &str =
    "http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument";
const CT_NS: &str = "http://schemas.openxmlformats.org/package/2006/content-types";

fn content_types(overrides: &[(String, &str)]) -> String {
    let mut out = format!(
        "{XML_DECL}<Types xmlns=\"{CT_NS}\">\
         <Default Extension=\"rels\" ContentType=\"application/vnd.openxmlformats-package.relationships+xml\"/>\
         <Default Extension=\"xml\" ContentType=\"application/xml\"/>"
    );
    for (part, ct) in overrides {
        let _ = write!(out, "<Override PartName=\"/{part}\" ContentType=\"{ct}\"/>");
    }
    out.push_str("</Types>");
    out
}

fn root_rels(target: &str) -> String {
    format!(
        "{XML_DECL}<Relationships xmlns=\"{RELS_NS}\">\
         <Relationship Id=\"rId1\" Type=\"{DOC_REL}\" Target=\"{target}\"/></Relationships>"
    )
}

/// A DOCX with one paragraph per entry; `\t` becomes a tab and `\n` a line break.
pub fn sample_docx(paragraphs: &[&str]) -> Vec<u8> {
    let mut body = String::new();
    for paragraph in paragraphs {
        body.push_str(
            "<w:p><w:pPr><w:tabs><w:tab w:val=\"left\" w:pos=\"720\"/></w:tabs></w:pPr><w:r>",
        );
        for (i, line) in paragraph.split('\n').enumerate() {
            if i > 0 {
                body.push_str("<w:br/>");
            }
            for (j, piece) in line.split('\t').enumerate() {
                if j > 0 {
                    body.push_str("<w:tab/>");
                }
                let _ = write!(
                    body,
                    "<w:t xml:space=\"preserve\">{}</w:t>",
                    xml_escape(piece)
                );
            }
        }
        body.push_str("</w:r></w:p>");
    }
    let document = format!(
        "{XML_DECL}<w:document xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\">\
         <w:body>{body}</w:body></w:document>"
    );
    let types = content_types(&[(
        "word/document.xml".to_owned(),
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml",
    )]);
    let rels = root_rels("word/document.xml");
    build_zip(&[
        ("[Content_Types].xml", types.as_bytes()),
        ("_rels/.rels", rels.as_bytes()),
        ("word/document.xml", document.as_bytes()),
    ])
    .unwrap_or_default()
}

/// A PPTX with one slide per entry, one text box whose paragraphs are the entry's lines.
pub fn sample_pptx(slides: &[&str]) -> Vec<u8> {
    let slide_ct = "application/vnd.openxmlformats-officedocument.presentationml.slide+xml";
    let mut overrides = vec![(
        "ppt/presentation.xml".to_owned(),
        "application/vnd.openxmlformats-officedocument.presentationml.presentation.main+xml",
    )];
    let mut parts: Vec<(String, String)> = Vec::new();
    let mut ids = String::new();
    let mut rels = String::new();
    for (i, text) in slides.iter().enumerate() {
        let n = i + 1;
        let paragraphs: String = text
            .split('\n')
            .map(|line| {
                format!(
                    "<a:p><a:r><a:rPr lang=\"en-US\"/><a:t>{}</a:t></a:r></a:p>",
                    xml_escape(line)
                )
            })
            .collect();
        let xml = format!(
            "{XML_DECL}<p:sld xmlns:a=\"http://schemas.openxmlformats.org/drawingml/2006/main\" \
             xmlns:p=\"http://schemas.openxmlformats.org/presentationml/2006/main\">\
             <p:cSld><p:spTree><p:sp><p:txBody><a:bodyPr/>{paragraphs}</p:txBody></p:sp>\
             </p:spTree></p:cSld></p:sld>"
        );
        parts.push((format!("ppt/slides/slide{n}.xml"), xml));
        overrides.push((format!("ppt/slides/slide{n}.xml"), slide_ct));
        let _ = write!(ids, "<p:sldId id=\"{}\" r:id=\"rId{n}\"/>", 255 + n);
        let _ = write!(
            rels,
            "<Relationship Id=\"rId{n}\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/slide\" Target=\"slides/slide{n}.xml\"/>"
        );
    }
    let presentation = format!(
        "{XML_DECL}<p:presentation xmlns:p=\"http://schemas.openxmlformats.org/presentationml/2006/main\" \
         xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\">\
         <p:sldIdLst>{ids}</p:sldIdLst></p:presentation>"
    );
    parts.push(("ppt/presentation.xml".to_owned(), presentation));
    parts.push((
        "ppt/_rels/presentation.xml.rels".to_owned(),
        format!("{XML_DECL}<Relationships xmlns=\"{RELS_NS}\">{rels}</Relationships>"),
    ));
    parts.push(("[Content_Types].xml".to_owned(), content_types(&overrides)));
    parts.push(("_rels/.rels".to_owned(), root_rels("ppt/presentation.xml")));
    let files: Vec<(&str, &[u8])> = parts
        .iter()
        .map(|(n, x)| (n.as_str(), x.as_bytes()))
        .collect();
    build_zip(&files).unwrap_or_default()
}

/// An XLSX with one sheet, `Sheet1`, holding the rows; cells that parse as numbers are
/// written as numbers, the others as inline strings.
pub fn sample_xlsx(rows: &[&[&str]]) -> Vec<u8> {
    let mut data = String::new();
    for (r, row) in rows.iter().enumerate() {
        let _ = write!(data, "<row r=\"{}\">", r + 1);
        for (c, value) in row.iter().enumerate() {
            let cell = format!("{}{}", column_name(c), r + 1);
            if value.parse::<f64>().is_ok() {
                let _ = write!(data, "<c r=\"{cell}\"><v>{value}</v></c>");
            } else if !value.is_empty() {
                let _ = write!(
                    data,
                    "<c r=\"{cell}\" t=\"inlineStr\"><is><t>{}</t></is></c>",
                    xml_escape(value)
                );
            }
        }
        data.push_str("</row>");
    }
    xlsx_package(&data)
}

fn column_name(mut index: usize) -> String {
    let mut name = Vec::new();
    loop {
        let letter = u8::try_from(index % 26).unwrap_or(0);
        name.push(char::from(b'A' + letter));
        if index < 26 {
            break;
        }
        index = index / 26 - 1;
    }
    name.iter().rev().collect()
}

fn xlsx_package(sheet_data: &str) -> Vec<u8> {
    let main_ns = "http://schemas.openxmlformats.org/spreadsheetml/2006/main";
    let rel_ns = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";
    let sheet = format!(
        "{XML_DECL}<worksheet xmlns=\"{main_ns}\"><sheetData>{sheet_data}</sheetData></worksheet>"
    );
    let workbook = format!(
        "{XML_DECL}<workbook xmlns=\"{main_ns}\" xmlns:r=\"{rel_ns}\">\
         <sheets><sheet name=\"Sheet1\" sheetId=\"1\" r:id=\"rId1\"/></sheets></workbook>"
    );
    let workbook_rels = format!(
        "{XML_DECL}<Relationships xmlns=\"{RELS_NS}\">\
         <Relationship Id=\"rId1\" Type=\"{rel_ns}/worksheet\" Target=\"worksheets/sheet1.xml\"/>\
         </Relationships>"
    );
    let types = content_types(&[
        (
            "xl/workbook.xml".to_owned(),
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
        ),
        (
            "xl/worksheets/sheet1.xml".to_owned(),
            "application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml",
        ),
    ]);
    let rels = root_rels("xl/workbook.xml");
    build_zip(&[
        ("[Content_Types].xml", types.as_bytes()),
        ("_rels/.rels", rels.as_bytes()),
        ("xl/workbook.xml", workbook.as_bytes()),
        ("xl/_rels/workbook.xml.rels", workbook_rels.as_bytes()),
        ("xl/worksheets/sheet1.xml", sheet.as_bytes()),
    ])
    .unwrap_or_default()
}
