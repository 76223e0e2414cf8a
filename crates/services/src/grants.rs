//! Access grants as the web client sends and reads them, shared by every resource that
//! can be shared (chats, models).

use crate::error::{ServiceError, ServiceResult};
use crate::messages as msg;
use hearth_domain::access::AccessGrant;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// One access grant.
#[derive(Debug, Deserialize, Serialize, ToSchema)]
pub struct GrantBody {
    /// Row id (answers only).
    #[serde(default)]
    pub id: Option<String>,
    /// `user` or `group`.
    pub principal_type: String,
    /// User or group id; `*` for anyone.
    pub principal_id: String,
    /// `read` or `write`.
    pub permission: String,
}

/// Checks grants sent by a client; grants to everyone (`*`) are dropped unless
/// `public_allowed`. Malformed grants are a 400.
pub fn accept(grants: Vec<GrantBody>, public_allowed: bool) -> ServiceResult<Vec<AccessGrant>> {
    let mut accepted = Vec::new();
    for grant in grants {
        let valid = matches!(grant.principal_type.as_str(), "user" | "group")
            && matches!(grant.permission.as_str(), "read" | "write")
            && !grant.principal_id.is_empty()
            && !grant.principal_id.contains('\0');
        if !valid {
            return Err(ServiceError::invalid(msg::DEFAULT));
        }
        if grant.principal_id == "*" && !public_allowed {
            continue;
        }
        accepted.push(AccessGrant {
            id: uuid::Uuid::new_v4().to_string(),
            principal_type: grant.principal_type,
            principal_id: grant.principal_id,
            permission: grant.permission,
        });
    }
    Ok(accepted)
}

/// Stored grants as bodies.
pub fn bodies(grants: Vec<AccessGrant>) -> Vec<GrantBody> {
    grants
        .into_iter()
        .map(|g| GrantBody {
            id: Some(g.id),
            principal_type: g.principal_type,
            principal_id: g.principal_id,
            permission: g.permission,
        })
        .collect()
}
