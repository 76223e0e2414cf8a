//! `ConfigStore` over the per-key `config` table, and the storage health check.

use crate::SqlStore;
use crate::entity::config;
use crate::errors::store_err;
use async_trait::async_trait;
use hearth_domain::ports::{ConfigStore, HealthCheck};
use hearth_domain::{StoreError, StoreResult};
use sea_orm::sea_query::{Alias, Expr, ExprTrait, OnConflict, Query};
use sea_orm::{ConnectionTrait, EntityTrait, QuerySelect, Set};
use serde_json::Value;
use std::collections::{HashMap, HashSet};

#[async_trait]
impl ConfigStore for SqlStore {
    async fn load_all(&self) -> StoreResult<HashMap<String, Value>> {
        // Read values as text: SQLite's JSON column has numeric affinity, so a stored `5`
        // comes back as an INTEGER, not as JSON text.
        let query = Query::select()
            .column(config::Column::Key)
            .expr_as(
                Expr::col(config::Column::Value).cast_as(Alias::new("TEXT")),
                Alias::new("value"),
            )
            .from(config::Entity)
            .take();
        let rows = self.db.query_all(&query).await.map_err(store_err)?;
        let mut values = HashMap::with_capacity(rows.len());
        for row in rows {
            let key: String = row.try_get("", "key").map_err(store_err)?;
            let text: String = row.try_get("", "value").map_err(store_err)?;
            let value = serde_json::from_str(&text)
                .map_err(|e| StoreError::Backend(format!("config row {key:?} is not JSON: {e}")))?;
            values.insert(key, value);
        }
        Ok(values)
    }

    async fn seed_missing(
        &self,
        defaults: &HashMap<String, Value>,
        now: i64,
    ) -> StoreResult<usize> {
        let txn = crate::convert::write_transaction(&self.db)
            .await
            .map_err(store_err)?;
        let existing: HashSet<String> = config::Entity::find()
            .select_only()
            .column(config::Column::Key)
            .into_tuple::<String>()
            .all(&txn)
            .await
            .map_err(store_err)?
            .into_iter()
            .collect();
        // In key order and skipping rows another instance has just written, so instances
        // starting together on one database neither conflict nor deadlock.
        let mut missing: Vec<(&String, &Value)> = defaults
            .iter()
            .filter(|(key, _)| !existing.contains(*key))
            .collect();
        missing.sort_by(|a, b| a.0.cmp(b.0));
        let inserted = missing.len();
        for chunk in missing.chunks(100) {
            let rows: Vec<config::ActiveModel> = chunk
                .iter()
                .map(|(key, value)| row(key, value, now))
                .collect();
            config::Entity::insert_many(rows)
                .on_conflict(
                    OnConflict::column(config::Column::Key)
                        .do_nothing()
                        .to_owned(),
                )
                .try_insert()
                .exec(&txn)
                .await
                .map_err(store_err)?;
        }
        txn.commit().await.map_err(store_err)?;
        Ok(inserted)
    }

    async fn upsert(&self, values: &[(String, Value)], now: i64) -> StoreResult<()> {
        if values.is_empty() {
            return Ok(());
        }
        let rows: Vec<config::ActiveModel> = values
            .iter()
            .map(|(key, value)| row(key, value, now))
            .collect();
        config::Entity::insert_many(rows)
            .on_conflict(
                OnConflict::column(config::Column::Key)
                    .update_columns([config::Column::Value, config::Column::UpdatedAt])
                    .to_owned(),
            )
            .exec(&self.db)
            .await
            .map_err(store_err)?;
        Ok(())
    }
}

#[async_trait]
impl HealthCheck for SqlStore {
    async fn ping(&self) -> StoreResult<()> {
        self.db.ping().await.map_err(store_err)
    }
}

fn row(key: &str, value: &Value, now: i64) -> config::ActiveModel {
    config::ActiveModel {
        key: Set(key.to_owned()),
        value: Set(value.clone()),
        updated_at: Set(Some(now)),
    }
}
