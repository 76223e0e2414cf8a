//! The signing secret (`WEBUI_SECRET_KEY`): taken from the environment, or generated once and
//! kept in `DATA_DIR/.webui_secret_key` (mode 0600) so that restarts keep sessions valid.

use std::fs::OpenOptions;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};

/// File name of the generated secret inside the data folder.
pub const SECRET_FILE: &str = ".webui_secret_key";

/// Why the secret could not be read or stored.
#[derive(Debug, thiserror::Error)]
#[error("cannot read or create the secret key file {path}: {source}")]
pub struct SecretError {
    /// The secret file.
    pub path: PathBuf,
    /// The I/O error.
    pub source: std::io::Error,
}

/// Reads the secret kept in `data_dir`, creating it (0600) when missing or empty.
pub fn load_or_create(data_dir: &Path) -> Result<String, SecretError> {
    let path = data_dir.join(SECRET_FILE);
    let wrap = |source| SecretError {
        path: path.clone(),
        source,
    };
    if let Ok(mut file) = std::fs::File::open(&path) {
        let mut existing = String::new();
        file.read_to_string(&mut existing).map_err(wrap)?;
        let existing = existing.trim();
        if !existing.is_empty() {
            return Ok(existing.to_owned());
        }
    }
    std::fs::create_dir_all(data_dir).map_err(wrap)?;
    let secret = format!(
        "{}{}",
        uuid::Uuid::new_v4().simple(),
        uuid::Uuid::new_v4().simple()
    );
    let mut options = OpenOptions::new();
    options.write(true).create(true).truncate(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let mut file = options.open(&path).map_err(wrap)?;
    file.write_all(secret.as_bytes()).map_err(wrap)?;
    Ok(secret)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn creates_once_and_reuses() -> Result<(), SecretError> {
        let dir = std::env::temp_dir().join(format!("hearth-secret-{}", uuid::Uuid::new_v4()));
        let first = load_or_create(&dir)?;
        assert_eq!(first.len(), 64);
        assert_eq!(load_or_create(&dir)?, first);
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(dir.join(SECRET_FILE)).map(|m| m.permissions().mode());
            assert_eq!(mode.ok().map(|m| m & 0o777), Some(0o600));
        }
        let _ = std::fs::remove_dir_all(dir);
        Ok(())
    }
}
