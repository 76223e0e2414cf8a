//! The model catalog: base models from the model servers with the workspace's rows applied,
//! who may use which model, the workspace's model rows, and the shaping of a request for
//! the model that answers it.

pub mod catalog;
pub mod dto;
pub mod listing;
pub mod request;
pub mod workspace;

pub use catalog::{Catalog, CatalogModel, Viewer, model_json};
pub use listing::{Models, load, viewer};
