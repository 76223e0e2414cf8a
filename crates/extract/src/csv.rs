//! CSV like langchain's `CSVLoader`: each row becomes `header: value` lines; rows are joined
//! with a newline into one page.

use crate::error::ExtractError;

/// Renders every data row as `header: value` lines (values and headers trimmed).
pub fn extract(text: &str) -> Result<String, ExtractError> {
    let mut reader = ::csv::ReaderBuilder::new()
        .has_headers(true)
        .flexible(true)
        .from_reader(text.as_bytes());
    let headers: Vec<String> = reader
        .headers()
        .map_err(|e| ExtractError::Csv(e.to_string()))?
        .iter()
        .map(|h| h.trim().to_owned())
        .collect();
    let mut rows = Vec::new();
    for record in reader.records() {
        let record = record.map_err(|e| ExtractError::Csv(e.to_string()))?;
        rows.push(render_row(&headers, &record));
    }
    Ok(rows.join("\n"))
}

/// Like Python's `csv.DictReader`: missing values are `None`, extra values are joined
/// with "," under the `None` key.
fn render_row(headers: &[String], record: &::csv::StringRecord) -> String {
    let mut fields: Vec<String> = headers
        .iter()
        .enumerate()
        .map(|(i, h)| match record.get(i) {
            Some(v) => format!("{h}: {}", v.trim()),
            None => format!("{h}: None"),
        })
        .collect();
    if record.len() > headers.len() {
        let extra: Vec<&str> = record.iter().skip(headers.len()).map(str::trim).collect();
        fields.push(format!("None: {}", extra.join(",")));
    }
    fields.join("\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rows_become_header_value_lines() {
        let out = extract("name, age\nAda , 36\n\"Lovelace, A\",\n").unwrap();
        assert_eq!(out, "name: Ada\nage: 36\nname: Lovelace, A\nage: ");
    }

    #[test]
    fn short_and_long_rows() {
        let out = extract("a,b\n1\n2,3,4,5\n").unwrap();
        assert_eq!(out, "a: 1\nb: None\na: 2\nb: 3\nNone: 4,5");
    }

    #[test]
    fn header_only_gives_empty() {
        assert_eq!(extract("a,b\n").unwrap(), "");
    }
}
