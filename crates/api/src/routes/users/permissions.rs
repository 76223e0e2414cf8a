//! Permissions: the caller's effective permissions and groups, and the default permissions
//! every user gets (admin).

use crate::error::{ApiError, ApiResult};
use crate::extract::{AdminUser, VerifiedUser};
use crate::state::AppState;
use actix_web::{get, post, web};
use hearth_domain::config::keys;
use hearth_domain::permissions::default_permissions;
use serde_json::{Map, Value, json};

/// The caller's effective permissions.
#[utoipa::path(tag = "users", responses((status = 200, body = Object)))]
#[get("/permissions")]
pub async fn my_permissions(state: web::Data<AppState>, _caller: VerifiedUser) -> web::Json<Value> {
    web::Json(state.config.view().permissions.clone())
}

/// The groups the caller belongs to (groups arrive in a later release; always empty).
#[utoipa::path(tag = "users", responses((status = 200, body = Vec<Object>)))]
#[get("/groups")]
pub async fn my_groups(_caller: VerifiedUser) -> web::Json<Vec<Value>> {
    web::Json(Vec::new())
}

/// The default permissions of every user (admin).
#[utoipa::path(tag = "users", responses((status = 200, body = Object)))]
#[get("/default/permissions")]
pub async fn get_default_permissions(
    state: web::Data<AppState>,
    _admin: AdminUser,
) -> web::Json<Value> {
    web::Json(
        shape_permissions(&state.config.view().permissions)
            .unwrap_or_else(|_| default_permissions()),
    )
}

/// The built-in default permissions (admin).
#[utoipa::path(tag = "users", responses((status = 200, body = Object)))]
#[get("/default/permissions/defaults")]
pub async fn builtin_default_permissions(_admin: AdminUser) -> web::Json<Value> {
    web::Json(default_permissions())
}

/// Replaces the default permissions (admin). Every section must be sent; missing flags take
/// their built-in defaults and unknown flags are dropped.
#[utoipa::path(tag = "users", request_body = Object, responses((status = 200, body = Object)))]
#[post("/default/permissions")]
pub async fn set_default_permissions(
    state: web::Data<AppState>,
    _admin: AdminUser,
    form: web::Json<Value>,
) -> ApiResult<web::Json<Value>> {
    let permissions = shape_permissions(&form).map_err(ApiError::validation)?;
    state
        .config
        .set(vec![(keys::USER_PERMISSIONS.into(), permissions.clone())])
        .await?;
    Ok(web::Json(permissions))
}

/// Reads a permissions document against the built-in schema: every section required, each
/// flag a boolean, defaults for missing flags. Errors are FastAPI-style detail lists.
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
