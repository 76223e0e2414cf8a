//! Reading claims the way Open WebUI's settings name them: dotted paths for nested claims,
//! lists or separated strings for roles, and the allowed-domains rule for emails.

use serde_json::{Map, Value};

/// The claim at `path` (`realm_access.roles` walks into objects); a flat key containing dots
/// is tried when the walk finds nothing. Only strings, numbers and lists count.
pub fn claim<'a>(claims: &'a Map<String, Value>, path: &str) -> Option<&'a Value> {
    let mut parts = path.split('.');
    let first = parts.next().and_then(|key| claims.get(key));
    let walked = parts.fold(first, |value, key| value.and_then(|v| v.get(key)));
    let usable = |v: &&Value| v.is_string() || v.is_number() || v.is_array();
    walked
        .filter(usable)
        .or_else(|| claims.get(path).filter(usable))
}

/// The claim at `path` as text (numbers become their decimal form), if present and non-empty.
pub fn claim_text(claims: &Map<String, Value>, path: &str) -> Option<String> {
    match claim(claims, path)? {
        Value::String(s) if !s.is_empty() => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

/// The claim at `path` as a list of strings: a list as is, a string split by `separator`
/// (when it contains it), a number as its text.
pub fn claim_list(claims: &Map<String, Value>, path: &str, separator: &str) -> Vec<String> {
    match claim(claims, path) {
        Some(Value::Array(items)) => items
            .iter()
            .filter_map(|item| match item {
                Value::String(s) => Some(s.clone()),
                Value::Number(n) => Some(n.to_string()),
                _ => None,
            })
            .collect(),
        Some(Value::String(s)) if !separator.is_empty() && s.contains(separator) => s
            .split(separator)
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(str::to_owned)
            .collect(),
        Some(Value::String(s)) => vec![s.clone()],
        Some(Value::Number(n)) => vec![n.to_string()],
        _ => Vec::new(),
    }
}

/// Whether `email`'s domain is allowed: `*` allows all, otherwise the domain must be listed.
pub fn domain_allowed(email: &str, allowed: &[String]) -> bool {
    if allowed.iter().any(|d| d.trim() == "*") {
        return true;
    }
    let domain = email.rsplit('@').next().unwrap_or_default();
    allowed
        .iter()
        .any(|d| d.trim().eq_ignore_ascii_case(domain))
}

/// The outcome of role mapping.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MappedRole {
    /// The provider's roles grant admin.
    Admin,
    /// The provider's roles grant a normal account.
    User,
    /// The provider sent no roles: keep the current (or default) role.
    Unchanged,
    /// The provider sent roles and none is allowed: refuse the sign-in.
    Denied,
    /// The default role for new accounts (the caller's decision when no roles came).
    Default,
}

/// Open WebUI's role mapping: any admin role wins, then any allowed role (or `*`) makes a
/// user; roles that match neither refuse the sign-in; no roles change nothing.
pub fn map_role(roles: &[String], allowed: &[String], admin: &[String]) -> MappedRole {
    if roles.is_empty() {
        return MappedRole::Unchanged;
    }
    if admin.iter().any(|a| roles.contains(a)) {
        MappedRole::Admin
    } else if allowed.iter().any(|a| a == "*" || roles.contains(a)) {
        MappedRole::User
    } else {
        MappedRole::Denied
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn claims(v: Value) -> Map<String, Value> {
        v.as_object().cloned().unwrap()
    }

    #[test]
    fn claims_are_read_by_dotted_path_or_flat_key() {
        let c = claims(json!({
            "sub": 42, "realm_access": {"roles": ["a", "b"]}, "x.y": "flat", "obj": {}
        }));
        assert_eq!(claim_text(&c, "sub").as_deref(), Some("42"));
        assert_eq!(claim_list(&c, "realm_access.roles", ","), ["a", "b"]);
        assert_eq!(claim_text(&c, "x.y").as_deref(), Some("flat"));
        assert_eq!(claim(&c, "obj"), None);
        assert_eq!(claim(&c, "missing.path"), None);
    }

    #[test]
    fn role_strings_split_on_the_separator() {
        let c = claims(json!({"roles": "admin, user", "one": "user", "n": 7}));
        assert_eq!(claim_list(&c, "roles", ","), ["admin", "user"]);
        assert_eq!(claim_list(&c, "one", ","), ["user"]);
        assert_eq!(claim_list(&c, "n", ","), ["7"]);
        assert!(claim_list(&c, "none", ",").is_empty());
    }

    #[test]
    fn domains_are_allowed_by_list_or_star() {
        let list = |v: &[&str]| v.iter().map(|s| (*s).to_owned()).collect::<Vec<_>>();
        assert!(domain_allowed("a@x.org", &list(&["*"])));
        assert!(domain_allowed("a@X.org", &list(&["x.org", "y.org"])));
        assert!(!domain_allowed("a@z.org", &list(&["x.org"])));
        assert!(!domain_allowed("a@sub.x.org", &list(&["x.org"])));
    }

    #[test]
    fn roles_map_admin_first_then_allowed_else_denied() {
        let s = |v: &[&str]| v.iter().map(|s| (*s).to_owned()).collect::<Vec<_>>();
        let (allowed, admin) = (s(&["user", "admin"]), s(&["admin"]));
        assert_eq!(
            map_role(&s(&["admin"]), &allowed, &admin),
            MappedRole::Admin
        );
        assert_eq!(map_role(&s(&["user"]), &allowed, &admin), MappedRole::User);
        assert_eq!(
            map_role(&s(&["guest"]), &allowed, &admin),
            MappedRole::Denied
        );
        assert_eq!(map_role(&[], &allowed, &admin), MappedRole::Unchanged);
        assert_eq!(
            map_role(&s(&["guest"]), &s(&["*"]), &admin),
            MappedRole::User
        );
    }
}
