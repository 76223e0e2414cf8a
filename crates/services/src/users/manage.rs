//! Listing, reading, updating and deleting users.

use super::dto::{
    UserInfo, UserInfoListResponse, UserListQuery, UserListResponse, UserResponse, UserUpdateForm,
};
use crate::App;
use crate::accounts::check_image_url;
use crate::error::{ServiceError, ServiceResult};
use crate::messages as msg;
use hearth_domain::text::strip_nul;
use hearth_domain::time::now_epoch;
use hearth_domain::user::{UserOrder, UserPatch, UserQuery};
use hearth_domain::{Role, StoreError, User, UserId};

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
pub async fn list_users(app: &App, query: &UserListQuery) -> ServiceResult<UserListResponse> {
    let page = app.storage.users().list(&page_query(query)).await?;
    let users = page
        .users
        .into_iter()
        .map(|user| UserResponse {
            group_ids: Some(Vec::new()),
            ..user.into()
        })
        .collect();
    Ok(UserListResponse {
        users,
        total: page.total,
    })
}

/// Every user, compact (admin).
pub async fn all_users(app: &App) -> ServiceResult<UserInfoListResponse> {
    let everyone = UserQuery {
        limit: None,
        ..UserQuery::default()
    };
    info_page(app, &everyone).await
}

/// Search users by name or email (any verified user).
pub async fn search_users(app: &App, query: &UserListQuery) -> ServiceResult<UserInfoListResponse> {
    info_page(app, &page_query(query)).await
}

/// A page of compact user info.
async fn info_page(app: &App, query: &UserQuery) -> ServiceResult<UserInfoListResponse> {
    let page = app.storage.users().list(query).await?;
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
/// A user by id, or 400 as Open WebUI answers.
pub async fn user_or_400(app: &App, id: &UserId) -> ServiceResult<User> {
    let user = app.storage.users().get(id).await?;
    user.ok_or_else(|| ServiceError::invalid(msg::NOT_FOUND))
}

/// One user, with groups and activity (admin).
pub async fn get_user(app: &App, id: &UserId) -> ServiceResult<UserResponse> {
    let user = user_or_400(app, id).await?;
    let is_active = user.is_active_at(now_epoch());
    Ok(UserResponse {
        groups: Some(Vec::new()),
        is_active: Some(is_active),
        ..user.into()
    })
}

/// A user's groups (admin). Groups arrive in a later release: none.
pub async fn user_groups(app: &App, id: &UserId) -> ServiceResult<Vec<serde_json::Value>> {
    user_or_400(app, id).await?;
    Ok(Vec::new())
}

/// A user's public card (any signed-in user): name, role, bio, status and whether they were
/// active in the last minutes, as shown next to shared chats and in mentions.
pub async fn user_info(app: &App, id: &UserId) -> ServiceResult<serde_json::Value> {
    let user = user_or_400(app, id).await?;
    Ok(serde_json::json!({
        "id": user.id.as_str(), "name": user.name, "email": user.email,
        "role": user.role.as_str(), "bio": user.bio, "last_active_at": user.last_active_at,
        "timezone": user.timezone, "groups": [], "is_active": user.is_active_at(now_epoch()),
        "status_emoji": user.status_emoji, "status_message": user.status_message,
        "status_expires_at": user.status_expires_at,
    }))
}

/// Changes a user's role, name, email, avatar or password (admin). The primary admin can
/// only be edited by themself and always stays admin.
pub async fn update_user(
    app: &App,
    admin: &User,
    id: &UserId,
    form: UserUpdateForm,
) -> ServiceResult<UserResponse> {
    let target = id.clone();
    let role = form.role.as_deref().map(parse_role).transpose()?;
    check_image_url(app, form.profile_image_url.as_deref(), false)?;
    let users = app.storage.users();
    if let Some(first) = app
        .primary_admin()
        .await?
        .filter(|first| first.id == target)
    {
        let other_admin = admin.id != first.id;
        if other_admin || role.is_some_and(|r| r != Role::Admin) {
            return Err(ServiceError::forbidden(msg::ACTION_PROHIBITED));
        }
    }
    let user = users
        .get(&target)
        .await?
        .ok_or_else(|| ServiceError::invalid(msg::NOT_FOUND))?;
    let email = form
        .email
        .as_deref()
        .map(|e| strip_nul(e.trim()).to_lowercase());
    if let Some(email) = email.as_deref().filter(|e| *e != user.email)
        && users.get_by_email(email).await?.is_some()
    {
        return Err(ServiceError::invalid(msg::EMAIL_TAKEN));
    }
    if let Some(password) = form.password.as_deref().filter(|p| !p.is_empty()) {
        app.accounts.set_password(&target, password).await?;
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
            StoreError::Conflict(_) => ServiceError::invalid(msg::EMAIL_TAKEN),
            other => other.into(),
        })?;
    Ok(updated.into())
}

/// Deletes a user and what they own (admin). Not the primary admin, not oneself.
pub async fn delete_user(app: &App, admin: &User, id: &UserId) -> ServiceResult<bool> {
    let target = id.clone();
    let users = app.storage.users();
    let is_primary = app
        .primary_admin()
        .await?
        .is_some_and(|first| first.id == target);
    if is_primary || admin.id == target {
        return Err(ServiceError::forbidden(msg::ACTION_PROHIBITED));
    }
    users.delete(&target).await?;
    Ok(true)
}

fn parse_role(text: &str) -> ServiceResult<Role> {
    text.parse().map_err(|_| {
        ServiceError::Validation(serde_json::json!([{
            "type": "value_error",
            "loc": ["body", "role"],
            "msg": "Input should be 'admin', 'user' or 'pending'",
        }]))
    })
}
