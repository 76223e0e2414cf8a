//! The model catalog users see: base models with the workspace's overrides applied (name,
//! meta, on/off), custom models built on them, default metadata, and access rules.

use hearth_domain::UserId;
use hearth_domain::model::{MODEL_RESOURCE, ModelRecord};
use hearth_domain::provider::{Api, BaseModel, BaseModels};
use serde_json::{Map, Value, json};
use std::collections::HashMap;

/// One model of the catalog.
#[derive(Clone, Debug, PartialEq)]
pub struct CatalogModel {
    /// Id.
    pub id: String,
    /// The `/api/models` object.
    pub body: Map<String, Value>,
    /// Its workspace row, if any.
    pub record: Option<ModelRecord>,
    /// The provider model answering for it (itself, or a custom model's base).
    pub target: Option<BaseModel>,
}

/// Who is asking, and which access-control bypasses the server runs with.
#[derive(Clone, Copy, Debug)]
pub struct Viewer<'a> {
    /// The caller.
    pub user: &'a UserId,
    /// Whether the caller is an admin.
    pub is_admin: bool,
    /// `BYPASS_MODEL_ACCESS_CONTROL`: everyone sees every model.
    pub bypass_all: bool,
    /// `BYPASS_ADMIN_ACCESS_CONTROL`: admins see every model.
    pub bypass_admin: bool,
}

impl Viewer<'_> {
    fn unrestricted(&self) -> bool {
        self.bypass_all || (self.is_admin && self.bypass_admin)
    }
}

/// The catalog.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Catalog {
    /// Models in list order.
    pub models: Vec<CatalogModel>,
    records: HashMap<String, ModelRecord>,
}

impl Catalog {
    /// Applies `records` (the `model` table) and `default_metadata` to `base`.
    pub fn build(
        base: &BaseModels,
        records: Vec<ModelRecord>,
        default_metadata: &Map<String, Value>,
    ) -> Self {
        let mut models: Vec<CatalogModel> = base
            .models
            .iter()
            .map(|m| CatalogModel {
                id: m.id.clone(),
                body: m.body.clone(),
                record: None,
                target: Some(m.clone()),
            })
            .collect();
        let lookup = |id: &str| {
            // Exact id first; Ollama models also answer to their name without the tag.
            base.get(id).cloned().or_else(|| {
                base.models
                    .iter()
                    .find(|m| m.api == Api::Ollama && m.id.split(':').next() == Some(id))
                    .cloned()
            })
        };
        for record in &records {
            if record.base_model_id.is_none() {
                let Some(target) = lookup(&record.id) else {
                    continue;
                };
                if !record.is_active {
                    models.retain(|m| m.id != target.id);
                    continue;
                }
                if let Some(model) = models.iter_mut().find(|m| m.id == target.id) {
                    model
                        .body
                        .insert("name".into(), Value::from(record.name.as_str()));
                    model.body.insert("info".into(), info(record));
                    model.record = Some(record.clone());
                }
            } else if record.is_active && !models.iter().any(|m| m.id == record.id.as_str()) {
                let base_id = record.base_model_id.as_deref().unwrap_or_default();
                let target = lookup(base_id);
                let mut body = Map::new();
                body.insert("id".into(), Value::from(record.id.as_str()));
                body.insert("name".into(), Value::from(record.name.as_str()));
                body.insert("object".into(), Value::from("model"));
                body.insert("created".into(), Value::from(record.created_at));
                body.insert(
                    "owned_by".into(),
                    target
                        .as_ref()
                        .and_then(|t| t.body.get("owned_by").cloned())
                        .unwrap_or(Value::from("openai")),
                );
                body.insert(
                    "connection_type".into(),
                    target
                        .as_ref()
                        .and_then(|t| t.body.get("connection_type").cloned())
                        .unwrap_or(Value::Null),
                );
                body.insert("preset".into(), Value::Bool(true));
                body.insert("info".into(), info(record));
                models.push(CatalogModel {
                    id: record.id.to_string(),
                    body,
                    record: Some(record.clone()),
                    target,
                });
            }
        }
        for model in &mut models {
            finish(&mut model.body, default_metadata);
        }
        Self {
            models,
            records: records.into_iter().map(|r| (r.id.to_string(), r)).collect(),
        }
    }

    /// A model by id.
    pub fn get(&self, id: &str) -> Option<&CatalogModel> {
        self.models.iter().find(|m| m.id == id)
    }

    /// Whether `viewer` may use `model`: unrestricted viewers always; others need the
    /// model's row to name them, and every base model up the chain likewise (models without
    /// a row are for admins only).
    pub fn allows(&self, viewer: &Viewer<'_>, model: &CatalogModel) -> bool {
        if viewer.unrestricted() {
            return true;
        }
        let Some(record) = &model.record else {
            return viewer.is_admin;
        };
        if !viewer.is_admin && !record.readable_by(viewer.user) {
            return false;
        }
        let mut seen = vec![record.id.as_str()];
        let mut next = record.base_model_id.as_deref();
        while let Some(base_id) = next {
            if seen.contains(&base_id) {
                break;
            }
            seen.push(base_id);
            match self.records.get(base_id) {
                None => return viewer.is_admin,
                Some(base) => {
                    if !viewer.is_admin && !base.readable_by(viewer.user) {
                        return false;
                    }
                    next = base.base_model_id.as_deref();
                }
            }
        }
        true
    }

    /// The models `viewer` may use, ordered by `order` (ids first in that order, the rest
    /// by name) when given.
    pub fn visible(&self, viewer: &Viewer<'_>, order: &[String]) -> Vec<&CatalogModel> {
        let mut list: Vec<&CatalogModel> = self
            .models
            .iter()
            .filter(|m| self.allows(viewer, m))
            .collect();
        if !order.is_empty() {
            let rank: HashMap<&str, usize> = order
                .iter()
                .enumerate()
                .map(|(i, id)| (id.as_str(), i))
                .collect();
            list.sort_by(|a, b| {
                let key = |m: &CatalogModel| {
                    (
                        rank.get(m.id.as_str()).copied().unwrap_or(usize::MAX),
                        m.body
                            .get("name")
                            .and_then(Value::as_str)
                            .unwrap_or("")
                            .to_owned(),
                    )
                };
                key(a).cmp(&key(b))
            });
        }
        list
    }
}

/// A workspace row as JSON (Open WebUI's `ModelModel`), params included.
pub fn model_json(record: &ModelRecord) -> Value {
    let grants: Vec<Value> = record
        .access_grants
        .iter()
        .map(|g| {
            json!({
                "id": g.id, "resource_type": MODEL_RESOURCE, "resource_id": record.id,
                "principal_type": g.principal_type, "principal_id": g.principal_id,
                "permission": g.permission, "created_at": record.updated_at,
            })
        })
        .collect();
    json!({
        "id": record.id,
        "user_id": record.user_id.as_str(),
        "base_model_id": record.base_model_id,
        "name": record.name,
        "params": record.params,
        "meta": record.meta,
        "access_grants": grants,
        "is_active": record.is_active,
        "updated_at": record.updated_at,
        "created_at": record.created_at,
    })
}

/// A workspace row as the `info` of a model object; only the public params (per-model
/// controls) are shown, never the system prompt.
fn info(record: &ModelRecord) -> Value {
    let mut params = Map::new();
    for key in ["model_controls", "compact_token_threshold"] {
        if let Some(value) = record.params.get(key) {
            params.insert(key.into(), value.clone());
        }
    }
    let mut info = model_json(record);
    if let Some(object) = info.as_object_mut() {
        object.insert("params".into(), Value::Object(params));
    }
    info
}

/// Default metadata, tag normalisation, no icon in the list, empty actions and filters.
fn finish(body: &mut Map<String, Value>, default_metadata: &Map<String, Value>) {
    if !default_metadata.is_empty() {
        match body.get_mut("info").and_then(Value::as_object_mut) {
            None => {
                body.insert("info".into(), json!({"meta": default_metadata}));
            }
            Some(info) => {
                let meta = info.entry("meta").or_insert_with(|| json!({}));
                if let Some(meta) = meta.as_object_mut() {
                    for (key, value) in default_metadata {
                        if key == "capabilities" {
                            let mut merged = value.as_object().cloned().unwrap_or_default();
                            if let Some(own) = meta.get("capabilities").and_then(Value::as_object) {
                                merged.extend(own.clone());
                            }
                            meta.insert(key.clone(), Value::Object(merged));
                        } else if meta.get(key).is_none_or(Value::is_null) {
                            meta.insert(key.clone(), value.clone());
                        }
                    }
                }
            }
        }
    }
    let mut tags: Vec<Value> = Vec::new();
    let mut push = |tag: &Value| {
        let tag = match tag {
            Value::String(name) => json!({"name": name}),
            Value::Object(_) if tag.get("name").is_some() => tag.clone(),
            _ => return,
        };
        if !tags.iter().any(|t| t.get("name") == tag.get("name")) {
            tags.push(tag);
        }
    };
    if let Some(meta) = body
        .get_mut("info")
        .and_then(|i| i.get_mut("meta"))
        .and_then(Value::as_object_mut)
    {
        meta.remove("profile_image_url");
        if let Some(Value::Array(own)) = meta.get("tags") {
            own.iter().for_each(&mut push);
        }
    }
    if let Some(Value::Array(own)) = body.get("tags") {
        own.clone().iter().for_each(&mut push);
    }
    body.insert("tags".into(), Value::Array(tags));
    body.insert("actions".into(), json!([]));
    body.insert("filters".into(), json!([]));
}

#[cfg(test)]
mod tests {
    use super::*;
    use hearth_domain::access::AccessGrant;

    fn base(ids: &[(&str, Api)]) -> BaseModels {
        BaseModels::new(
            ids.iter()
                .map(|(id, api)| BaseModel {
                    id: (*id).into(),
                    api: *api,
                    connections: vec![0],
                    body: json!({"id": id, "name": id, "owned_by": "openai", "tags": ["from-connection"]})
                        .as_object()
                        .cloned()
                        .unwrap_or_default(),
                })
                .collect(),
        )
    }

    fn record(id: &str, base_model_id: Option<&str>, owner: &str) -> ModelRecord {
        ModelRecord {
            id: id.into(),
            user_id: UserId::from(owner),
            base_model_id: base_model_id.map(Into::into),
            name: format!("{id} renamed"),
            params: json!({"system": "secret", "model_controls": {}})
                .as_object()
                .cloned()
                .unwrap_or_default(),
            meta: json!({"description": "d", "tags": [{"name": "mine"}], "profile_image_url": "x"})
                .as_object()
                .cloned()
                .unwrap_or_default(),
            is_active: true,
            access_grants: Vec::new(),
            updated_at: 1,
            created_at: 1,
        }
    }

    fn viewer(user: &UserId, is_admin: bool) -> Viewer<'_> {
        Viewer {
            user,
            is_admin,
            bypass_all: false,
            bypass_admin: true,
        }
    }

    #[test]
    fn overrides_rename_hide_and_add_models() {
        let base = base(&[
            ("a", Api::OpenAi),
            ("b", Api::OpenAi),
            ("llama3:8b", Api::Ollama),
        ]);
        let mut hidden = record("b", None, "admin");
        hidden.is_active = false;
        let catalog = Catalog::build(
            &base,
            vec![
                record("a", None, "admin"),
                hidden,
                record("helper", Some("llama3"), "admin"),
            ],
            &Map::new(),
        );
        let ids: Vec<&str> = catalog.models.iter().map(|m| m.id.as_str()).collect();
        assert_eq!(ids, vec!["a", "llama3:8b", "helper"]);
        let a = catalog.get("a").unwrap();
        assert_eq!(a.body["name"], "a renamed");
        assert_eq!(a.body["info"]["params"], json!({"model_controls": {}}));
        assert!(a.body["info"]["meta"].get("profile_image_url").is_none());
        assert_eq!(
            a.body["tags"],
            json!([{"name": "mine"}, {"name": "from-connection"}])
        );
        let helper = catalog.get("helper").unwrap();
        assert_eq!(helper.body["preset"], true);
        assert_eq!(
            helper.target.as_ref().map(|t| t.id.as_str()),
            Some("llama3:8b")
        );
    }

    #[test]
    fn users_see_only_granted_models_and_admins_see_all() {
        let base = base(&[
            ("open", Api::OpenAi),
            ("private", Api::OpenAi),
            ("bare", Api::OpenAi),
        ]);
        let mut open = record("open", None, "admin");
        open.access_grants.push(AccessGrant {
            id: "g".into(),
            principal_type: "user".into(),
            principal_id: "*".into(),
            permission: "read".into(),
        });
        let catalog = Catalog::build(
            &base,
            vec![open, record("private", None, "admin")],
            &Map::new(),
        );
        let user = UserId::from("u");
        let admin = UserId::from("admin");
        let seen: Vec<&str> = catalog
            .visible(&viewer(&user, false), &[])
            .iter()
            .map(|m| m.id.as_str())
            .collect();
        assert_eq!(seen, vec!["open"]);
        assert_eq!(catalog.visible(&viewer(&admin, true), &[]).len(), 3);
        let bypass = Viewer {
            bypass_all: true,
            ..viewer(&user, false)
        };
        assert_eq!(catalog.visible(&bypass, &[]).len(), 3);
    }

    #[test]
    fn presets_need_access_to_their_base() {
        let base = base(&[("bare", Api::OpenAi)]);
        let mut preset = record("preset", Some("bare"), "admin");
        preset.access_grants.push(AccessGrant {
            id: "g".into(),
            principal_type: "user".into(),
            principal_id: "u".into(),
            permission: "read".into(),
        });
        let catalog = Catalog::build(&base, vec![preset], &Map::new());
        let user = UserId::from("u");
        let model = catalog.get("preset").unwrap();
        assert!(
            !catalog.allows(&viewer(&user, false), model),
            "base has no row: admins only"
        );
        assert!(catalog.allows(&viewer(&UserId::from("admin"), true), model));
    }

    #[test]
    fn order_list_sorts_then_names() {
        let base = base(&[("c", Api::OpenAi), ("a", Api::OpenAi), ("b", Api::OpenAi)]);
        let catalog = Catalog::build(&base, Vec::new(), &Map::new());
        let admin = UserId::from("admin");
        let order = vec!["b".to_owned()];
        let ids: Vec<&str> = catalog
            .visible(&viewer(&admin, true), &order)
            .iter()
            .map(|m| m.id.as_str())
            .collect();
        assert_eq!(ids, vec!["b", "a", "c"]);
    }

    #[test]
    fn default_metadata_fills_gaps() {
        let base = base(&[("a", Api::OpenAi), ("b", Api::OpenAi)]);
        let defaults =
            json!({"capabilities": {"vision": true, "usage": false}, "description": "default"});
        let mut row = record("a", None, "admin");
        row.meta
            .insert("capabilities".into(), json!({"usage": true}));
        let catalog = Catalog::build(&base, vec![row], defaults.as_object().unwrap());
        let a = catalog.get("a").unwrap();
        assert_eq!(
            a.body["info"]["meta"]["capabilities"],
            json!({"vision": true, "usage": true})
        );
        assert_eq!(a.body["info"]["meta"]["description"], "d");
        assert_eq!(
            catalog.get("b").unwrap().body["info"]["meta"]["description"],
            "default"
        );
    }
}
