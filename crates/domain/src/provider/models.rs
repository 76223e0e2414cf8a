//! The models the connections offer (the base model list), before workspace overrides.

use super::connections::Api;
use serde_json::{Map, Value};
use std::collections::HashMap;

/// A model a connection offers.
#[derive(Clone, Debug, PartialEq)]
pub struct BaseModel {
    /// Id as Hearth shows it (with the connection's prefix).
    pub id: String,
    /// Which API serves it.
    pub api: Api,
    /// The connections (positions) that offer it; Ollama models may live on several.
    pub connections: Vec<usize>,
    /// The model object of `/api/models` (`id`, `name`, `owned_by`, `openai`/`ollama`, ...).
    pub body: Map<String, Value>,
}

/// The merged list, in connection order (OpenAI connections first, then Ollama).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct BaseModels {
    /// The models.
    pub models: Vec<BaseModel>,
    index: HashMap<String, usize>,
}

impl BaseModels {
    /// Builds the list (and its index) from models in order.
    pub fn new(models: Vec<BaseModel>) -> Self {
        let index = models
            .iter()
            .enumerate()
            .map(|(i, m)| (m.id.clone(), i))
            .collect();
        Self { models, index }
    }

    /// A model by id.
    pub fn get(&self, id: &str) -> Option<&BaseModel> {
        self.index.get(id).and_then(|&i| self.models.get(i))
    }
}
