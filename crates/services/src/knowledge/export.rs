//! A knowledge base's files as one zip (admins): each file's extracted text under its name
//! (`.txt` added when the name has no extension), as Open WebUI exports them.

use super::access::knowledge_for;
use crate::App;
use crate::error::{ServiceError, ServiceResult};
use crate::messages as msg;
use hearth_domain::ids::KnowledgeId;
use hearth_domain::{Role, User};
use std::io::Write;

/// The zip and the name to download it as.
#[derive(Debug)]
pub struct Export {
    /// `<knowledge base name>.zip`, with characters other than letters, digits, space, `-`
    /// and `_` replaced by `_`.
    pub file_name: String,
    /// The zip.
    pub bytes: Vec<u8>,
}

fn safe_name(name: &str) -> String {
    name.chars()
        .map(|c| {
            if c.is_alphanumeric() || matches!(c, ' ' | '-' | '_') {
                c
            } else {
                '_'
            }
        })
        .collect()
}

/// Zips the stored text of every file of a knowledge base.
pub async fn export(app: &App, user: &User, id: &KnowledgeId) -> ServiceResult<Export> {
    if user.role != Role::Admin {
        return Err(ServiceError::unauthorized(msg::UNAUTHORIZED));
    }
    let knowledge = knowledge_for(app, user, id, false).await?;
    let mut entries = Vec::new();
    for file_id in app
        .storage
        .knowledge()
        .knowledge_files(&knowledge.id)
        .await?
    {
        if let Some(file) = app.storage.files().file(&file_id).await? {
            let mut name = file.name().replace(['/', '\\'], "_");
            if !name.contains('.') {
                name.push_str(".txt");
            }
            entries.push((name, file.content().unwrap_or_default().to_owned()));
        }
    }
    let bytes = zip(entries).map_err(|e| ServiceError::Internal(e.to_string()))?;
    Ok(Export {
        file_name: format!("{}.zip", safe_name(&knowledge.name)),
        bytes,
    })
}

fn zip(entries: Vec<(String, String)>) -> zip::result::ZipResult<Vec<u8>> {
    let mut writer = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    let mut used = std::collections::HashSet::new();
    for (name, text) in entries {
        let mut unique = name.clone();
        let mut n = 1;
        while !used.insert(unique.clone()) {
            n += 1;
            unique = format!("{n}-{name}");
        }
        writer.start_file(unique, options)?;
        writer.write_all(text.as_bytes())?;
    }
    Ok(writer.finish()?.into_inner())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_kept_safe_and_entries_unique() {
        assert_eq!(safe_name("Office: notes/2026"), "Office_ notes_2026");
        let bytes = zip(vec![
            ("a.txt".into(), "one".into()),
            ("a.txt".into(), "two".into()),
        ])
        .unwrap_or_default();
        let archive = zip::ZipArchive::new(std::io::Cursor::new(bytes));
        assert_eq!(archive.map(|a| a.len()).unwrap_or_default(), 2);
    }
}
