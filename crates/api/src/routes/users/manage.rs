//! Listing, reading, updating and deleting users.

use crate::error::ApiResult;
use crate::extract::{AdminUser, VerifiedUser};
use crate::json_body::JsonBody;
use crate::state::AppState;
use actix_web::{delete, get, post, web};
use hearth_domain::UserId;
use hearth_services::users::dto::{
    UserInfoListResponse, UserListQuery, UserListResponse, UserResponse, UserUpdateForm,
};
use hearth_services::users::manage;
use serde_json::Value;

/// A page of users with their group ids (admin).
#[utoipa::path(tag = "users", params(UserListQuery), responses((status = 200, body = UserListResponse)))]
#[get("/")]
pub async fn list_users(
    state: web::Data<AppState>,
    _admin: AdminUser,
    query: web::Query<UserListQuery>,
) -> ApiResult<web::Json<UserListResponse>> {
    Ok(web::Json(manage::list_users(&state.app, &query).await?))
}

/// Every user, compact (admin).
#[utoipa::path(tag = "users", responses((status = 200, body = UserInfoListResponse)))]
#[get("/all")]
pub async fn all_users(
    state: web::Data<AppState>,
    _admin: AdminUser,
) -> ApiResult<web::Json<UserInfoListResponse>> {
    Ok(web::Json(manage::all_users(&state.app).await?))
}

/// Search users by name or email (any verified user).
#[utoipa::path(tag = "users", params(UserListQuery), responses((status = 200, body = UserInfoListResponse)))]
#[get("/search")]
pub async fn search_users(
    state: web::Data<AppState>,
    _caller: VerifiedUser,
    query: web::Query<UserListQuery>,
) -> ApiResult<web::Json<UserInfoListResponse>> {
    Ok(web::Json(manage::search_users(&state.app, &query).await?))
}

/// One user, with groups and activity (admin).
#[utoipa::path(tag = "users", responses((status = 200, body = UserResponse)))]
#[get("/{user_id}")]
pub async fn get_user(
    state: web::Data<AppState>,
    _admin: AdminUser,
    path: web::Path<String>,
) -> ApiResult<web::Json<UserResponse>> {
    let id = UserId::from(path.into_inner());
    Ok(web::Json(manage::get_user(&state.app, &id).await?))
}

/// A user's groups (admin). Groups arrive in a later release: none.
#[utoipa::path(tag = "users", responses((status = 200, body = Vec<Object>), (status = 400)))]
#[get("/{user_id}/groups")]
pub async fn user_groups(
    state: web::Data<AppState>,
    _admin: AdminUser,
    path: web::Path<String>,
) -> ApiResult<web::Json<Vec<Value>>> {
    let id = UserId::from(path.into_inner());
    Ok(web::Json(manage::user_groups(&state.app, &id).await?))
}

/// A user's public card (any signed-in user): name, role, bio, status and whether they were
/// active in the last minutes, as shown next to shared chats and in mentions.
#[utoipa::path(tag = "users", responses((status = 200, body = Object), (status = 400)))]
#[get("/{user_id}/info")]
pub async fn user_info(
    state: web::Data<AppState>,
    _caller: VerifiedUser,
    path: web::Path<String>,
) -> ApiResult<web::Json<Value>> {
    let id = UserId::from(path.into_inner());
    Ok(web::Json(manage::user_info(&state.app, &id).await?))
}

/// Changes a user's role, name, email, avatar or password (admin). The primary admin can
/// only be edited by themself and always stays admin.
#[utoipa::path(tag = "users", request_body = UserUpdateForm, responses((status = 200, body = UserResponse)))]
#[post("/{user_id}/update")]
pub async fn update_user(
    state: web::Data<AppState>,
    admin: AdminUser,
    path: web::Path<String>,
    form: JsonBody<UserUpdateForm>,
) -> ApiResult<web::Json<UserResponse>> {
    let id = UserId::from(path.into_inner());
    let form = form.into_inner();
    Ok(web::Json(
        manage::update_user(&state.app, admin.user(), &id, form).await?,
    ))
}

/// Deletes a user and what they own (admin). Not the primary admin, not oneself.
#[utoipa::path(tag = "users", responses((status = 200, body = bool)))]
#[delete("/{user_id}")]
pub async fn delete_user(
    state: web::Data<AppState>,
    admin: AdminUser,
    path: web::Path<String>,
) -> ApiResult<web::Json<bool>> {
    let id = UserId::from(path.into_inner());
    Ok(web::Json(
        manage::delete_user(&state.app, admin.user(), &id).await?,
    ))
}
