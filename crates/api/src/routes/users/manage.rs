//! Listing, reading, updating and deleting users.

use super::dto::{
    UserInfo, UserInfoListResponse, UserListQuery, UserListResponse, UserResponse, UserUpdateForm,
};
use crate::error::{ApiError, ApiResult};
use crate::extract::{AdminUser, VerifiedUser};
use crate::messages as msg;
use crate::routes::auths::check_image_url;
use crate::state::AppState;
use actix_web::{delete, get, post, web};
use hearth_domain::text::strip_nul;
use hearth_domain::time::now_epoch;
use hearth_domain::user::{UserOrder, UserPatch, UserQuery};
use hearth_domain::{Role, StoreError, UserId};

/// Users per page, as in Open WebUI.
pub const PAGE_SIZE: u64 = 30;

fn page_query(query: &UserListQuery) -> UserQuery {
    let page = u64::try_from(query.page.unwrap_or(1).max(1)).unwrap_or(1);
    UserQuery {
        text: query
            .query
            .as_deref()
            .map(strip_nul)
            .filter(|q| !q.is_empty()),
        order: UserOrder::from_query(query.order_by.as_deref()),
        ascending: query.direction.as_deref() == Some("asc"),
        offset: (page - 1).saturating_mul(PAGE_SIZE).min(i64::MAX as u64),
        limit: Some(PAGE_SIZE),
    }
}

/// A page of users with their group ids (admin).
#[utoipa::path(tag = "users", params(UserListQuery), responses((status = 200, body = UserListResponse)))]
#[get("/")]
pub async fn list_users(
    state: web::Data<AppState>,
    _admin: AdminUser,
    query: web::Query<UserListQuery>,
) -> ApiResult<web::Json<UserListResponse>> {
    let page = state.stores.users.list(&page_query(&query)).await?;
    let users = page
        .users
        .into_iter()
        .map(|user| UserResponse {
            group_ids: Some(Vec::new()),
            ..user.into()
        })
        .collect();
    Ok(web::Json(UserListResponse {
        users,
        total: page.total,
    }))
}

/// Every user, compact (admin).
#[utoipa::path(tag = "users", responses((status = 200, body = UserInfoListResponse)))]
#[get("/all")]
pub async fn all_users(
    state: web::Data<AppState>,
    _admin: AdminUser,
) -> ApiResult<web::Json<UserInfoListResponse>> {
    let everyone = UserQuery {
        limit: None,
        ..UserQuery::default()
    };
    Ok(web::Json(info_page(&state, &everyone).await?))
}

/// Search users by name or email (any verified user).
#[utoipa::path(tag = "users", params(UserListQuery), responses((status = 200, body = UserInfoListResponse)))]
#[get("/search")]
pub async fn search_users(
    state: web::Data<AppState>,
    _caller: VerifiedUser,
    query: web::Query<UserListQuery>,
) -> ApiResult<web::Json<UserInfoListResponse>> {
    Ok(web::Json(info_page(&state, &page_query(&query)).await?))
}

/// A page of compact user info.
async fn info_page(state: &AppState, query: &UserQuery) -> ApiResult<UserInfoListResponse> {
    let page = state.stores.users.list(query).await?;
    let now = now_epoch();
    let users = page
        .users
        .into_iter()
        .map(|u| UserInfo::of(u, now))
        .collect();
    Ok(UserInfoListResponse {
        users,
        total: page.total,
    })
}

/// The user with this id, or Open WebUI's 400 "not found".
pub(super) async fn user_or_400(state: &AppState, id: String) -> ApiResult<hearth_domain::User> {
    let user = state.stores.users.get(&UserId::from(id)).await?;
    user.ok_or_else(|| ApiError::bad_request(msg::NOT_FOUND))
}

/// One user, with groups and activity (admin).
#[utoipa::path(tag = "users", responses((status = 200, body = UserResponse)))]
#[get("/{user_id}")]
pub async fn get_user(
    state: web::Data<AppState>,
    _admin: AdminUser,
    path: web::Path<String>,
) -> ApiResult<web::Json<UserResponse>> {
    let user = user_or_400(&state, path.into_inner()).await?;
    let is_active = user.is_active_at(now_epoch());
    Ok(web::Json(UserResponse {
        groups: Some(Vec::new()),
        is_active: Some(is_active),
        ..user.into()
    }))
}

/// A user's groups (admin). Groups arrive in a later release: none.
#[utoipa::path(tag = "users", responses((status = 200, body = Vec<Object>), (status = 400)))]
#[get("/{user_id}/groups")]
pub async fn user_groups(
    state: web::Data<AppState>,
    _admin: AdminUser,
    path: web::Path<String>,
) -> ApiResult<web::Json<Vec<serde_json::Value>>> {
    user_or_400(&state, path.into_inner()).await?;
    Ok(web::Json(Vec::new()))
}

/// A user's public card (any signed-in user): name, role, bio, status and whether they were
/// active in the last minutes, as shown next to shared chats and in mentions.
#[utoipa::path(tag = "users", responses((status = 200, body = Object), (status = 400)))]
#[get("/{user_id}/info")]
pub async fn user_info(
    state: web::Data<AppState>,
    _caller: VerifiedUser,
    path: web::Path<String>,
) -> ApiResult<web::Json<serde_json::Value>> {
    let user = user_or_400(&state, path.into_inner()).await?;
    Ok(web::Json(serde_json::json!({
        "id": user.id.as_str(), "name": user.name, "email": user.email,
        "role": user.role.as_str(), "bio": user.bio, "last_active_at": user.last_active_at,
        "timezone": user.timezone, "groups": [], "is_active": user.is_active_at(now_epoch()),
        "status_emoji": user.status_emoji, "status_message": user.status_message,
        "status_expires_at": user.status_expires_at,
    })))
}

/// Changes a user's role, name, email, avatar or password (admin). The primary admin can
/// only be edited by themself and always stays admin.
#[utoipa::path(tag = "users", request_body = UserUpdateForm, responses((status = 200, body = UserResponse)))]
#[post("/{user_id}/update")]
pub async fn update_user(
    state: web::Data<AppState>,
    admin: AdminUser,
    path: web::Path<String>,
    form: web::Json<UserUpdateForm>,
) -> ApiResult<web::Json<UserResponse>> {
    let form = form.into_inner();
    let target = UserId::from(path.into_inner());
    let role = form.role.as_deref().map(parse_role).transpose()?;
    check_image_url(&state, form.profile_image_url.as_deref(), false)?;
    let users = &state.stores.users;
    if let Some(first) = state
        .primary_admin()
        .await?
        .filter(|first| first.id == target)
    {
        let other_admin = admin.user().id != first.id;
        if other_admin || role.is_some_and(|r| r != Role::Admin) {
            return Err(ApiError::forbidden(msg::ACTION_PROHIBITED));
        }
    }
    let user = users
        .get(&target)
        .await?
        .ok_or_else(|| ApiError::bad_request(msg::NOT_FOUND))?;
    let email = form
        .email
        .as_deref()
        .map(|e| strip_nul(e.trim()).to_lowercase());
    if let Some(email) = email.as_deref().filter(|e| *e != user.email)
        && users.get_by_email(email).await?.is_some()
    {
        return Err(ApiError::bad_request(msg::EMAIL_TAKEN));
    }
    if let Some(password) = form.password.as_deref().filter(|p| !p.is_empty()) {
        state.accounts.set_password(&target, password).await?;
    }
    let patch = UserPatch {
        role,
        name: form.name.as_deref().map(strip_nul),
        email,
        profile_image_url: form.profile_image_url.as_deref().map(strip_nul),
        ..UserPatch::default()
    };
    let updated = users
        .update(&target, &patch, now_epoch())
        .await
        .map_err(|e| match e {
            StoreError::Conflict(_) => ApiError::bad_request(msg::EMAIL_TAKEN),
            other => other.into(),
        })?;
    Ok(web::Json(updated.into()))
}

/// Deletes a user and what they own (admin). Not the primary admin, not oneself.
#[utoipa::path(tag = "users", responses((status = 200, body = bool)))]
#[delete("/{user_id}")]
pub async fn delete_user(
    state: web::Data<AppState>,
    admin: AdminUser,
    path: web::Path<String>,
) -> ApiResult<web::Json<bool>> {
    let target = UserId::from(path.into_inner());
    let users = &state.stores.users;
    let is_primary = state
        .primary_admin()
        .await?
        .is_some_and(|first| first.id == target);
    if is_primary || admin.user().id == target {
        return Err(ApiError::forbidden(msg::ACTION_PROHIBITED));
    }
    users.delete(&target).await?;
    Ok(web::Json(true))
}

fn parse_role(text: &str) -> ApiResult<Role> {
    text.parse().map_err(|_| {
        ApiError::validation(serde_json::json!([{
            "type": "value_error",
            "loc": ["body", "role"],
            "msg": "Input should be 'admin', 'user' or 'pending'",
        }]))
    })
}
