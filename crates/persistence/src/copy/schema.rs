//! What a database holds: its tables (parents before children, by foreign keys), each
//! table's columns with their declared types, and its primary key.

use crate::Backend;
use sea_orm::{DatabaseConnection, DbErr, FromQueryResult, Statement};
use std::collections::{BTreeMap, BTreeSet};

/// One column: its name and its declared type, lower-cased (`json`, `bigint`, `text`, …).
#[derive(Debug, Clone)]
pub struct Column {
    pub name: String,
    pub declared: String,
}

/// One table's columns (in order) and primary key columns.
#[derive(Debug, Clone)]
pub struct Table {
    pub name: String,
    pub columns: Vec<Column>,
    pub key: Vec<String>,
}

#[derive(FromQueryResult)]
struct Name {
    name: String,
}

#[derive(FromQueryResult)]
struct ColumnRow {
    name: String,
    declared: String,
    key: i64,
}

#[derive(FromQueryResult)]
struct Edge {
    child: String,
    parent: String,
}

async fn rows<T: FromQueryResult>(
    db: &DatabaseConnection,
    sql: &str,
    values: Vec<sea_orm::Value>,
) -> Result<Vec<T>, DbErr> {
    let statement = Statement::from_sql_and_values(db.get_database_backend(), sql, values);
    T::find_by_statement(statement).all(db).await
}

/// Every user table of `db` (not SQLite's own), parents before the tables that refer to them.
pub async fn tables(db: &DatabaseConnection, backend: Backend) -> Result<Vec<Table>, DbErr> {
    let (names_sql, edges_sql) = match backend {
        Backend::Sqlite => (
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' ORDER BY name",
            "SELECT m.name AS child, p.\"table\" AS parent FROM sqlite_master m \
             JOIN pragma_foreign_key_list(m.name) p WHERE m.type = 'table'",
        ),
        Backend::Postgres => (
            "SELECT table_name::text AS name FROM information_schema.tables \
             WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' ORDER BY table_name",
            "SELECT tc.table_name::text AS child, ccu.table_name::text AS parent \
             FROM information_schema.table_constraints tc \
             JOIN information_schema.constraint_column_usage ccu \
               ON tc.constraint_name = ccu.constraint_name AND tc.table_schema = ccu.table_schema \
             WHERE tc.constraint_type = 'FOREIGN KEY' AND tc.table_schema = current_schema()",
        ),
    };
    let names: Vec<Name> = rows(db, names_sql, vec![]).await?;
    let edges: Vec<Edge> = rows(db, edges_sql, vec![]).await?;
    let mut parents: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for edge in edges.into_iter().filter(|e| e.child != e.parent) {
        parents.entry(edge.child).or_default().insert(edge.parent);
    }
    let mut ordered = Vec::with_capacity(names.len());
    let mut placed = BTreeSet::new();
    let mut waiting: Vec<String> = names.into_iter().map(|n| n.name).collect();
    while !waiting.is_empty() {
        let before = waiting.len();
        let (ready, rest): (Vec<String>, Vec<String>) = waiting.into_iter().partition(|t| {
            parents
                .get(t)
                .is_none_or(|ps| ps.iter().all(|p| placed.contains(p)))
        });
        waiting = rest;
        // A cycle (or a reference to a missing table): place the rest as they are.
        let ready = if ready.is_empty() && waiting.len() == before {
            std::mem::take(&mut waiting)
        } else {
            ready
        };
        for name in ready {
            placed.insert(name.clone());
            ordered.push(name);
        }
    }
    let mut tables = Vec::with_capacity(ordered.len());
    for name in ordered {
        tables.push(table(db, backend, name).await?);
    }
    Ok(tables)
}

async fn table(db: &DatabaseConnection, backend: Backend, name: String) -> Result<Table, DbErr> {
    let sql = match backend {
        Backend::Sqlite => {
            "SELECT name, lower(type) AS declared, pk AS key FROM pragma_table_info(?) ORDER BY cid"
        }
        Backend::Postgres => {
            "SELECT c.column_name::text AS name, lower(c.udt_name::text) AS declared, \
             COALESCE((SELECT k.ordinal_position FROM information_schema.table_constraints t \
                JOIN information_schema.key_column_usage k \
                  ON k.constraint_name = t.constraint_name AND k.table_schema = t.table_schema \
                WHERE t.constraint_type = 'PRIMARY KEY' AND t.table_schema = c.table_schema \
                  AND t.table_name = c.table_name AND k.column_name = c.column_name), 0)::bigint AS key \
             FROM information_schema.columns c \
             WHERE c.table_schema = current_schema() AND c.table_name = $1 ORDER BY c.ordinal_position"
        }
    };
    let found: Vec<ColumnRow> = rows(db, sql, vec![name.clone().into()]).await?;
    let mut keyed: Vec<(i64, String)> = found
        .iter()
        .filter(|c| c.key > 0)
        .map(|c| (c.key, c.name.clone()))
        .collect();
    keyed.sort();
    Ok(Table {
        name,
        key: keyed.into_iter().map(|(_, n)| n).collect(),
        columns: found
            .into_iter()
            .map(|c| Column {
                name: c.name,
                declared: c.declared,
            })
            .collect(),
    })
}

/// Quotes an identifier for either engine.
pub fn quote(name: &str) -> String {
    format!("\"{}\"", name.replace('"', "\"\""))
}

/// Rows in `table`.
pub async fn count(db: &DatabaseConnection, table: &str) -> Result<u64, DbErr> {
    #[derive(FromQueryResult)]
    struct Count {
        n: i64,
    }
    let sql = format!("SELECT COUNT(*) AS n FROM {}", quote(table));
    let statement = Statement::from_string(db.get_database_backend(), sql);
    let n = Count::find_by_statement(statement)
        .one(db)
        .await?
        .map_or(0, |c| c.n);
    Ok(u64::try_from(n).unwrap_or(0))
}
