//! Admin settings forms: config-table keys read and written under the field names the web
//! client uses (`DEFAULT_MODELS` for `ui.default_models`, ...).

use crate::App;
use crate::error::ServiceResult;
use serde_json::{Map, Value};

/// A form's fields and the config keys behind them.
pub type Fields = [(&'static str, &'static str)];

/// The fields' current values.
pub fn read(app: &App, fields: &Fields) -> Value {
    let view = app.view();
    Value::Object(
        fields
            .iter()
            .map(|(field, key)| ((*field).to_owned(), view.snapshot.value(key)))
            .collect(),
    )
}

/// The fields that are set (not `null`).
pub fn read_set(app: &App, fields: &Fields) -> Value {
    let view = app.view();
    let values: Map<String, Value> = fields
        .iter()
        .filter_map(|(field, key)| match view.snapshot.value(key) {
            Value::Null => None,
            value => Some(((*field).to_owned(), value)),
        })
        .collect();
    Value::Object(values)
}

/// Saves the fields the form sends (the others keep their values); the fields afterwards.
pub async fn write(app: &App, fields: &Fields, form: Map<String, Value>) -> ServiceResult<Value> {
    let values: Vec<(String, Value)> = fields
        .iter()
        .filter_map(|(field, key)| form.get(*field).map(|v| ((*key).to_owned(), v.clone())))
        .collect();
    app.config.set(values).await?;
    Ok(read(app, fields))
}
