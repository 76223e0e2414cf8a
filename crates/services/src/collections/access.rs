//! Who may reach a collection, by its name, as Open WebUI decides: admins any; others a
//! `file-{id}` collection of a file they may read, a knowledge base they may read (write, to
//! add to it), and nothing else.

use crate::App;
use crate::error::{ServiceError, ServiceResult};
use crate::files::{Need, file_for};
use crate::messages as msg;
use crate::permissions::{may_read_knowledge, may_write_knowledge};
use hearth_domain::ids::{FileId, KnowledgeId};
use hearth_domain::{Role, User};

/// Whether the name is one a collection can have (`[A-Za-z0-9_-]{1,255}`).
fn well_formed(name: &str) -> bool {
    (1..=255).contains(&name.len())
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

/// Refuses (403) a collection the caller may not read, or (`write`) add to.
pub(crate) async fn check(app: &App, user: &User, name: &str, write: bool) -> ServiceResult<()> {
    let denied = || ServiceError::forbidden(msg::ACCESS_PROHIBITED);
    if !well_formed(name) {
        return Err(ServiceError::invalid(format!(
            "Invalid collection name: {name:?}"
        )));
    }
    if user.role == Role::Admin {
        return Ok(());
    }
    if let Some(file) = name.strip_prefix("file-") {
        let need = if write { Need::Write } else { Need::Read };
        return file_for(app, user, &FileId::from(file), need)
            .await
            .map(|_| ())
            .map_err(|_| denied());
    }
    let knowledge = app
        .storage
        .knowledge()
        .knowledge(&KnowledgeId::from(name))
        .await?;
    match knowledge {
        Some(k) if write && may_write_knowledge(app, user, &k) => Ok(()),
        Some(k) if !write && may_read_knowledge(app, user, &k) => Ok(()),
        _ => Err(denied()),
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn names_are_letters_digits_dashes_and_underscores() {
        assert!(super::well_formed("file-0a1b_c"));
        assert!(!super::well_formed(""));
        assert!(!super::well_formed("a b"));
        assert!(!super::well_formed("../x"));
        assert!(!super::well_formed(&"a".repeat(256)));
    }
}
