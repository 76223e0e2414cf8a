//! Permissions: the caller's effective permissions, and the default permissions every user
//! gets (admin).

use crate::App;
use crate::error::{ServiceError, ServiceResult};
use hearth_domain::config::keys;
use hearth_domain::permissions::default_permissions;
use serde_json::{Map, Value, json};

/// The effective permissions (the configured defaults, completed with the built-in ones).
pub fn effective(app: &App) -> Value {
    app.view().permissions.clone()
}

/// The default permissions, in the shape the admin form edits.
pub fn defaults(app: &App) -> Value {
    shape_permissions(&app.view().permissions).unwrap_or_else(|_| default_permissions())
}

/// Replaces the default permissions; every section must be sent, flags missing from a
/// section keep their built-in value.
pub async fn set_defaults(app: &App, sent: &Value) -> ServiceResult<Value> {
    let permissions = shape_permissions(sent).map_err(ServiceError::Validation)?;
    app.config
        .set(vec![(keys::USER_PERMISSIONS.into(), permissions.clone())])
        .await?;
    Ok(permissions)
}

fn shape_permissions(sent: &Value) -> Result<Value, Value> {
    let Value::Object(schema) = default_permissions() else {
        return Err(json!([]));
    };
    let mut problems = Vec::new();
    let mut shaped = Map::new();
    for (section, flags) in schema {
        let Value::Object(flags) = flags else {
            continue;
        };
        let Some(Value::Object(given)) = sent.get(&section) else {
            problems.push(
                json!({"type": "missing", "loc": ["body", section], "msg": "Field required"}),
            );
            continue;
        };
        let mut out = Map::new();
        for (flag, default) in flags {
            match given.get(&flag) {
                None => {
                    out.insert(flag, default);
                }
                Some(Value::Bool(b)) => {
                    out.insert(flag, json!(b));
                }
                Some(_) => problems.push(json!({
                    "type": "bool_parsing", "loc": ["body", section, flag],
                    "msg": "Input should be a valid boolean",
                })),
            }
        }
        shaped.insert(section, Value::Object(out));
    }
    if problems.is_empty() {
        Ok(Value::Object(shaped))
    } else {
        Err(Value::Array(problems))
    }
}

/// The body of `POST /api/v1/users/default/permissions`: every section of the defaults, each
/// of boolean flags, as [`set_defaults`] checks it.
pub struct PermissionsForm;

impl utoipa::PartialSchema for PermissionsForm {
    fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
        let defaults = default_permissions();
        let sections = defaults
            .as_object()
            .into_iter()
            .flatten()
            .map(|(section, flags)| {
                let names = flags
                    .as_object()
                    .map(|flags| flags.keys().map(String::as_str).collect())
                    .unwrap_or_default();
                (section.as_str(), names)
            });
        crate::body_schema::flag_sections(sections)
    }
}

impl utoipa::ToSchema for PermissionsForm {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shapes_permission_documents() {
        let mut sent = default_permissions();
        sent["chat"] = json!({"delete": false, "unknown": true});
        let shaped = shape_permissions(&sent).unwrap_or_default();
        assert_eq!(shaped["chat"]["delete"], json!(false));
        assert_eq!(shaped["chat"]["edit"], json!(true));
        assert!(shaped["chat"].get("unknown").is_none());
        let problems = shape_permissions(&json!({"workspace": {"models": "yes"}}))
            .err()
            .unwrap_or_default();
        assert_eq!(problems.as_array().map(Vec::len), Some(6));
    }
}
