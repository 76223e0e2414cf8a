//! Spreadsheets with `calamine`: one page per sheet, `Sheet: name` as the first line and each
//! non-empty row as tab-separated cells. XLSX sheets are streamed cell by cell, so a sparse
//! sheet with a huge used range costs nothing; XLS, XLSB and ODS go through calamine's ranges.

use std::io::Cursor;

use calamine::{Data, DataRef, Reader, Xlsx, open_workbook_auto_from_rs};

use crate::{Limits, error::ExtractError, office::Archive};

/// Extracts every sheet of an XLSX/XLSM (ZIP) or XLS/XLSB/ODS workbook.
pub fn extract(bytes: &[u8], limits: &Limits) -> Result<Vec<String>, ExtractError> {
    let is_zip = bytes.starts_with(b"PK\x03\x04");
    if is_zip {
        // Checks the declared decompressed size before calamine inflates anything.
        let archive = Archive::open(bytes, limits, "spreadsheet")?;
        let is_ooxml = archive.names().iter().any(|n| n.starts_with("xl/"));
        if is_ooxml {
            return extract_xlsx(bytes, limits);
        }
    }
    extract_other(bytes, limits)
}

fn spreadsheet_err(e: impl std::fmt::Display) -> ExtractError {
    ExtractError::Spreadsheet(e.to_string())
}

fn extract_xlsx(bytes: &[u8], limits: &Limits) -> Result<Vec<String>, ExtractError> {
    let mut book = Xlsx::new(Cursor::new(bytes)).map_err(spreadsheet_err)?;
    let mut pages = Vec::new();
    let mut chars = 0usize;
    for name in book.sheet_names() {
        let mut page = Rows::new(&name);
        let mut reader = book
            .worksheet_cells_reader(&name)
            .map_err(spreadsheet_err)?;
        while let Some(cell) = reader.next_cell().map_err(spreadsheet_err)? {
            let (row, col) = cell.get_position();
            page.push(row, col, &data_ref_text(cell.get_value()));
            if page.text.len() > limits.max_chars.saturating_mul(4) {
                return Err(ExtractError::TooMuchText {
                    limit: limits.max_chars,
                });
            }
        }
        let text = page.finish();
        chars = chars.saturating_add(text.chars().count());
        if chars > limits.max_chars {
            return Err(ExtractError::TooMuchText {
                limit: limits.max_chars,
            });
        }
        pages.push(text);
    }
    Ok(pages)
}

fn extract_other(bytes: &[u8], limits: &Limits) -> Result<Vec<String>, ExtractError> {
    let mut book = open_workbook_auto_from_rs(Cursor::new(bytes)).map_err(spreadsheet_err)?;
    let mut pages = Vec::new();
    for name in book.sheet_names() {
        let range = book.worksheet_range(&name).map_err(spreadsheet_err)?;
        let mut page = Rows::new(&name);
        for (row, col, value) in range.used_cells() {
            let row = u32::try_from(row).unwrap_or(u32::MAX);
            let col = u32::try_from(col).unwrap_or(u32::MAX);
            page.push(row, col, &data_text(value));
            if page.text.len() > limits.max_chars.saturating_mul(4) {
                return Err(ExtractError::TooMuchText {
                    limit: limits.max_chars,
                });
            }
        }
        pages.push(page.finish());
    }
    Ok(pages)
}

/// Builds a sheet's text from cells given in row-major order.
struct Rows {
    text: String,
    row: Option<u32>,
    col: u32,
}

impl Rows {
    fn new(sheet: &str) -> Self {
        Self {
            text: format!("Sheet: {sheet}"),
            row: None,
            col: 0,
        }
    }

    fn push(&mut self, row: u32, col: u32, value: &str) {
        if value.is_empty() {
            return;
        }
        let last = if self.row == Some(row) {
            self.col
        } else {
            self.text.push('\n');
            self.row = Some(row);
            0
        };
        // One tab per column step, so empty cells keep their columns (up to a sane width).
        for _ in 0..col.saturating_sub(last).min(64) {
            self.text.push('\t');
        }
        self.col = col;
        self.text.push_str(&value.replace(['\t', '\n', '\r'], " "));
    }

    fn finish(self) -> String {
        self.text
    }
}

fn data_text(value: &Data) -> String {
    match value {
        Data::Float(f) => float_text(*f),
        other => other.to_string(),
    }
}

fn data_ref_text(value: &DataRef<'_>) -> String {
    match value {
        DataRef::Float(f) => float_text(*f),
        DataRef::SharedString(s) => (*s).to_owned(),
        other => Data::from(other.clone()).to_string(),
    }
}

/// Whole numbers stored as floats print without a fraction.
fn float_text(f: f64) -> String {
    if f.fract() == 0.0 && f.abs() < 1e15 {
        format!("{f:.0}")
    } else {
        f.to_string()
    }
}
