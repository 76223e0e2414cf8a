//! Users, credentials, API keys, the config table, liveness and identity-provider links.

use super::MemoryStore;
use async_trait::async_trait;
use hearth_domain::account::{Credentials, NewAccount, SessionSubject};
use hearth_domain::api_key::ApiKey;
use hearth_domain::oauth::OAuthSession;
use hearth_domain::ports::{
    ApiKeyStore, ConfigStore, CredentialStore, HealthCheck, OAuthStore, UserStore,
};
use hearth_domain::user::{UserPage, UserPatch, UserQuery};
use hearth_domain::{Role, StoreError, StoreResult, User, UserId};
use serde_json::{Value, json};
use std::collections::HashMap;

fn taken(users: &std::collections::BTreeMap<String, User>, email: &str, except: &UserId) -> bool {
    users
        .values()
        .any(|u| u.email.eq_ignore_ascii_case(email) && u.id != *except)
}

#[async_trait]
impl UserStore for MemoryStore {
    async fn count(&self) -> StoreResult<u64> {
        Ok(self.state().users.len() as u64)
    }

    async fn count_active_since(&self, since: i64) -> StoreResult<u64> {
        Ok(self
            .state()
            .users
            .values()
            .filter(|u| u.last_active_at >= since)
            .count() as u64)
    }

    async fn any_exist(&self) -> StoreResult<bool> {
        Ok(!self.state().users.is_empty())
    }

    async fn get(&self, id: &UserId) -> StoreResult<Option<User>> {
        Ok(self.state().users.get(id.as_str()).cloned())
    }

    async fn get_by_email(&self, email: &str) -> StoreResult<Option<User>> {
        Ok(self
            .state()
            .users
            .values()
            .find(|u| u.email.eq_ignore_ascii_case(email))
            .cloned())
    }

    async fn first(&self) -> StoreResult<Option<User>> {
        Ok(self
            .state()
            .users
            .values()
            .min_by_key(|u| (u.created_at, u.role != Role::Admin))
            .cloned())
    }

    async fn list(&self, query: &UserQuery) -> StoreResult<UserPage> {
        let state = self.state();
        let needle = query.text.as_deref().map(str::to_lowercase);
        let mut users: Vec<User> = state
            .users
            .values()
            .filter(|u| {
                needle.as_deref().is_none_or(|n| {
                    u.name.to_lowercase().contains(n) || u.email.to_lowercase().contains(n)
                })
            })
            .cloned()
            .collect();
        users.sort_by_key(|u| u.created_at);
        if !query.ascending {
            users.reverse();
        }
        let total = users.len() as u64;
        let users = users
            .into_iter()
            .skip(usize::try_from(query.offset).unwrap_or(usize::MAX))
            .take(
                query
                    .limit
                    .map_or(usize::MAX, |l| usize::try_from(l).unwrap_or(usize::MAX)),
            )
            .collect();
        Ok(UserPage { users, total })
    }

    async fn update(&self, id: &UserId, patch: &UserPatch, now: i64) -> StoreResult<User> {
        let mut state = self.state();
        if let Some(email) = &patch.email
            && taken(&state.users, email, id)
        {
            return Err(StoreError::Conflict(format!("{email} is taken")));
        }
        let user = state
            .users
            .get_mut(id.as_str())
            .ok_or(StoreError::NotFound)?;
        if let Some(role) = patch.role {
            user.role = role;
        }
        if let Some(name) = &patch.name {
            user.name.clone_from(name);
        }
        if let Some(email) = &patch.email {
            user.email.clone_from(email);
        }
        if let Some(url) = &patch.profile_image_url {
            user.profile_image_url = Some(url.clone());
        }
        if let Some(bio) = &patch.bio {
            user.bio.clone_from(bio);
        }
        if let Some(gender) = &patch.gender {
            user.gender.clone_from(gender);
        }
        if let Some(date) = patch.date_of_birth {
            user.date_of_birth = date;
        }
        if let Some(timezone) = &patch.timezone {
            user.timezone = Some(timezone.clone());
        }
        user.updated_at = now;
        Ok(user.clone())
    }

    async fn set_settings(&self, id: &UserId, settings: &Value, now: i64) -> StoreResult<User> {
        let mut state = self.state();
        let user = state
            .users
            .get_mut(id.as_str())
            .ok_or(StoreError::NotFound)?;
        user.settings = Some(settings.clone());
        user.updated_at = now;
        Ok(user.clone())
    }

    async fn touch(&self, id: &UserId, now: i64) -> StoreResult<()> {
        if let Some(user) = self.state().users.get_mut(id.as_str()) {
            user.last_active_at = now;
        }
        Ok(())
    }

    async fn delete(&self, id: &UserId) -> StoreResult<()> {
        let mut state = self.state();
        state.users.remove(id.as_str());
        state.credentials.remove(id.as_str());
        state.api_keys.remove(id.as_str());
        state.chats.retain(|_, c| c.user_id != *id);
        state.oauth_sessions.retain(|_, s| s.user_id != *id);
        state
            .group_members
            .retain(|(_, member)| member != id.as_str());
        Ok(())
    }

    async fn group_ids(&self, id: &UserId) -> StoreResult<Vec<String>> {
        let mut groups: Vec<String> = self
            .state()
            .group_members
            .iter()
            .filter(|(_, member)| member == id.as_str())
            .map(|(group, _)| group.clone())
            .collect();
        groups.sort();
        Ok(groups)
    }
}

fn new_user(account: &NewAccount) -> User {
    User {
        id: account.id.clone(),
        email: account.email.clone(),
        username: None,
        role: account.role,
        name: account.name.clone(),
        profile_image_url: Some(account.profile_image_url.clone()),
        profile_banner_image_url: None,
        bio: None,
        gender: None,
        date_of_birth: None,
        timezone: None,
        presence_state: None,
        status_emoji: None,
        status_message: None,
        status_expires_at: None,
        info: None,
        variables: None,
        settings: None,
        oauth: None,
        scim: None,
        last_active_at: account.now,
        updated_at: account.now,
        created_at: account.now,
    }
}

#[async_trait]
impl CredentialStore for MemoryStore {
    async fn create_account(&self, account: &NewAccount) -> StoreResult<User> {
        let mut state = self.state();
        if taken(&state.users, &account.email, &account.id) {
            return Err(StoreError::Conflict(format!("{} is taken", account.email)));
        }
        let user = new_user(account);
        state.users.insert(account.id.to_string(), user.clone());
        state.credentials.insert(
            account.id.to_string(),
            Credentials {
                user_id: account.id.clone(),
                email: account.email.clone(),
                password_hash: account.password_hash.clone(),
                active: true,
                session_stamp: Some(account.session_stamp.clone()),
            },
        );
        Ok(user)
    }

    async fn promote_if_first(&self, id: &UserId) -> StoreResult<bool> {
        let mut state = self.state();
        let earliest = state
            .users
            .values()
            .min_by_key(|u| u.created_at)
            .map(|u| u.id.clone());
        let no_admin = !state.users.values().any(|u| u.role == Role::Admin);
        if earliest.as_ref() != Some(id) || !no_admin {
            return Ok(false);
        }
        if let Some(user) = state.users.get_mut(id.as_str()) {
            user.role = Role::Admin;
        }
        Ok(true)
    }

    async fn by_email(&self, email: &str) -> StoreResult<Option<(User, Credentials)>> {
        let state = self.state();
        let Some(user) = state
            .users
            .values()
            .find(|u| u.email.eq_ignore_ascii_case(email))
        else {
            return Ok(None);
        };
        Ok(state
            .credentials
            .get(user.id.as_str())
            .map(|c| (user.clone(), c.clone())))
    }

    async fn session_subject(&self, id: &UserId) -> StoreResult<Option<SessionSubject>> {
        let state = self.state();
        let (Some(user), Some(credentials)) = (
            state.users.get(id.as_str()),
            state.credentials.get(id.as_str()),
        ) else {
            return Ok(None);
        };
        Ok(Some(SessionSubject {
            user: user.clone(),
            session_stamp: credentials.session_stamp.clone(),
            active: credentials.active,
        }))
    }

    async fn set_password(&self, id: &UserId, hash: &str, new_stamp: &str) -> StoreResult<()> {
        let mut state = self.state();
        let credentials = state
            .credentials
            .get_mut(id.as_str())
            .ok_or(StoreError::NotFound)?;
        credentials.password_hash = hash.to_owned();
        credentials.session_stamp = Some(new_stamp.to_owned());
        Ok(())
    }

    async fn set_session_stamp(&self, id: &UserId, new_stamp: &str) -> StoreResult<()> {
        let mut state = self.state();
        let credentials = state
            .credentials
            .get_mut(id.as_str())
            .ok_or(StoreError::NotFound)?;
        credentials.session_stamp = Some(new_stamp.to_owned());
        Ok(())
    }
}

#[async_trait]
impl ApiKeyStore for MemoryStore {
    async fn replace(&self, user_id: &UserId, key: &str, now: i64) -> StoreResult<ApiKey> {
        let api_key = ApiKey {
            id: ApiKey::row_id(user_id),
            user_id: user_id.clone(),
            key: key.to_owned(),
            expires_at: None,
            last_used_at: None,
            created_at: now,
        };
        self.state()
            .api_keys
            .insert(user_id.to_string(), api_key.clone());
        Ok(api_key)
    }

    async fn for_user(&self, user_id: &UserId) -> StoreResult<Option<ApiKey>> {
        Ok(self.state().api_keys.get(user_id.as_str()).cloned())
    }

    async fn delete_for_user(&self, user_id: &UserId) -> StoreResult<bool> {
        Ok(self.state().api_keys.remove(user_id.as_str()).is_some())
    }

    async fn owner(&self, key: &str) -> StoreResult<Option<User>> {
        let state = self.state();
        Ok(state
            .api_keys
            .values()
            .find(|k| k.key == key)
            .and_then(|k| state.users.get(k.user_id.as_str()))
            .cloned())
    }
}

#[async_trait]
impl ConfigStore for MemoryStore {
    async fn load_all(&self) -> StoreResult<HashMap<String, Value>> {
        Ok(self.state().config.clone())
    }

    async fn seed_missing(&self, defaults: &HashMap<String, Value>, _: i64) -> StoreResult<usize> {
        let mut state = self.state();
        let mut inserted = 0;
        for (key, value) in defaults {
            if !state.config.contains_key(key) {
                state.config.insert(key.clone(), value.clone());
                inserted += 1;
            }
        }
        Ok(inserted)
    }

    async fn upsert(&self, values: &[(String, Value)], _: i64) -> StoreResult<()> {
        self.state().config.extend(values.iter().cloned());
        Ok(())
    }
}

#[async_trait]
impl HealthCheck for MemoryStore {
    async fn ping(&self) -> StoreResult<()> {
        Ok(())
    }
}

#[async_trait]
impl OAuthStore for MemoryStore {
    async fn user_by_subject(&self, provider: &str, sub: &str) -> StoreResult<Option<User>> {
        Ok(self
            .state()
            .users
            .values()
            .find(|u| {
                u.oauth
                    .as_ref()
                    .and_then(|o| o.get(provider))
                    .and_then(|p| p.get("sub"))
                    .and_then(Value::as_str)
                    == Some(sub)
            })
            .cloned())
    }

    async fn link_subject(
        &self,
        user_id: &UserId,
        provider: &str,
        sub: &str,
        now: i64,
    ) -> StoreResult<User> {
        let mut state = self.state();
        let user = state
            .users
            .get_mut(user_id.as_str())
            .ok_or(StoreError::NotFound)?;
        let mut links = user
            .oauth
            .clone()
            .filter(Value::is_object)
            .unwrap_or_else(|| json!({}));
        links[provider] = json!({"sub": sub});
        user.oauth = Some(links);
        user.updated_at = now;
        Ok(user.clone())
    }

    async fn insert_session(&self, session: &OAuthSession, keep: usize) -> StoreResult<()> {
        let mut state = self.state();
        let mut own: Vec<(i64, String)> = state
            .oauth_sessions
            .values()
            .filter(|s| s.user_id == session.user_id && s.provider == session.provider)
            .map(|s| (s.created_at, s.id.clone()))
            .collect();
        own.sort();
        let excess = (own.len() + 1).saturating_sub(keep);
        for (_, id) in own.into_iter().take(excess) {
            state.oauth_sessions.remove(&id);
        }
        state
            .oauth_sessions
            .insert(session.id.clone(), session.clone());
        Ok(())
    }

    async fn session(&self, id: &str) -> StoreResult<Option<OAuthSession>> {
        Ok(self.state().oauth_sessions.get(id).cloned())
    }

    async fn delete_session(&self, id: &str) -> StoreResult<()> {
        self.state().oauth_sessions.remove(id);
        Ok(())
    }
}
