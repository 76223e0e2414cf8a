//! `hearth db copy`: every table of one database into another — SQLite and PostgreSQL in any
//! direction — in key order and fixed-size batches (memory stays flat however large the
//! database), each batch in one transaction, then the row counts of both sides compared.
//!
//! The target is given Hearth's schema first and must hold no rows. Source tables and columns
//! the target's schema lacks would be lost, so the copy refuses them unless told to skip.

mod schema;
mod values;

use crate::{Backend, MigrationError, SqlStore};
use schema::{Table, quote};
use sea_orm::{ConnectionTrait, DatabaseConnection, DbErr, FromQueryResult, JsonValue, Statement};
use values::Kind;

/// Bookkeeping tables that are never copied: each tool keeps its own migration history.
const OWN_HISTORY: [&str; 3] = ["seaql_migrations", "alembic_version", "migratehistory"];
/// Bind parameters per statement, under SQLite's 32,766 and PostgreSQL's 65,535.
const MAX_PARAMETERS: usize = 30_000;

/// How to copy.
#[derive(Debug, Clone, Copy)]
pub struct CopyOptions {
    /// Rows read and written per batch.
    pub batch_rows: usize,
    /// Copy without the source's tables and columns that the target's schema lacks.
    pub skip_unknown: bool,
}

impl Default for CopyOptions {
    fn default() -> Self {
        Self {
            batch_rows: 500,
            skip_unknown: false,
        }
    }
}

/// Where a copy is: rows of `table` copied so far out of `total`.
#[derive(Debug, Clone)]
pub struct CopyProgress<'a> {
    /// The table being copied.
    pub table: &'a str,
    /// Rows of it copied so far.
    pub done: u64,
    /// Rows it holds.
    pub total: u64,
}

/// One table copied.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CopiedTable {
    /// Its name.
    pub table: String,
    /// Rows copied (equal on both sides).
    pub rows: u64,
}

/// Why a copy stopped.
#[derive(Debug, thiserror::Error)]
pub enum CopyError {
    /// The target holds data already.
    #[error("the target is not empty: table {table} holds {rows} rows; copy into a new database")]
    TargetNotEmpty {
        /// A table with rows.
        table: String,
        /// How many.
        rows: u64,
    },
    /// The source holds data the target's schema has no place for.
    #[error(
        "the source holds data the target has no place for ({0}); pass --skip-unknown to copy without it"
    )]
    Unknown(String),
    /// A value does not fit its target column.
    #[error("table {table}, column {column}: {why}")]
    Value {
        /// The table.
        table: String,
        /// The column.
        column: String,
        /// Why.
        why: String,
    },
    /// Both sides' row counts differ after the copy.
    #[error("table {table}: {source_rows} rows in the source but {target_rows} in the target")]
    Count {
        /// The table.
        table: String,
        /// Rows in the source.
        source_rows: u64,
        /// Rows in the target.
        target_rows: u64,
    },
    /// The target's schema could not be created.
    #[error(transparent)]
    Migration(#[from] MigrationError),
    /// A database refused.
    #[error("database error: {0}")]
    Database(#[from] DbErr),
}

/// Copies every table of `from` into `to` (see the module documentation), reporting
/// progress after each batch. Returns the tables copied with their row counts.
pub async fn copy_database(
    from: &SqlStore,
    to: &SqlStore,
    options: CopyOptions,
    progress: &mut dyn FnMut(CopyProgress<'_>),
) -> Result<Vec<CopiedTable>, CopyError> {
    to.migrate().await?;
    let sources = schema::tables(from.connection(), from.backend()).await?;
    let targets = schema::tables(to.connection(), to.backend()).await?;
    refuse_filled_target(to, &targets).await?;
    let unknown = unknown_data(from, &sources, &targets).await?;
    if !unknown.is_empty() && !options.skip_unknown {
        return Err(CopyError::Unknown(unknown.join(", ")));
    }
    let mut copied = Vec::new();
    for target in targets.iter().filter(|t| !own_history(&t.name)) {
        if let Some(source) = sources.iter().find(|s| s.name == target.name) {
            copied.push(copy_table(from, to, source, target, options, progress).await?);
        }
    }
    Ok(copied)
}

async fn refuse_filled_target(to: &SqlStore, targets: &[Table]) -> Result<(), CopyError> {
    for target in targets.iter().filter(|t| !own_history(&t.name)) {
        let rows = schema::count(to.connection(), &target.name).await?;
        if rows > 0 {
            return Err(CopyError::TargetNotEmpty {
                table: target.name.clone(),
                rows,
            });
        }
    }
    Ok(())
}

/// The source's tables (with rows) and columns that the target's schema lacks.
async fn unknown_data(
    from: &SqlStore,
    sources: &[Table],
    targets: &[Table],
) -> Result<Vec<String>, CopyError> {
    let mut unknown = Vec::new();
    for source in sources.iter().filter(|t| !own_history(&t.name)) {
        let Some(target) = targets.iter().find(|t| t.name == source.name) else {
            let rows = schema::count(from.connection(), &source.name).await?;
            if rows > 0 {
                unknown.push(format!("table {} with {rows} rows", source.name));
            }
            continue;
        };
        for column in &source.columns {
            if !target.columns.iter().any(|c| c.name == column.name) {
                unknown.push(format!("column {}.{}", source.name, column.name));
            }
        }
    }
    Ok(unknown)
}

/// Copies one table in key order and batches, then compares both sides' row counts.
async fn copy_table(
    from: &SqlStore,
    to: &SqlStore,
    source: &Table,
    target: &Table,
    options: CopyOptions,
    progress: &mut dyn FnMut(CopyProgress<'_>),
) -> Result<CopiedTable, CopyError> {
    let total = schema::count(from.connection(), &source.name).await?;
    let plan = Plan::new(source, target, from.backend(), to.backend());
    let mut done = 0;
    let table = target.name.as_str();
    progress(CopyProgress { table, done, total });
    let mut after: Option<Vec<JsonValue>> = None;
    loop {
        let rows = plan
            .read(from.connection(), after.as_deref(), options.batch_rows)
            .await?;
        if rows.is_empty() {
            break;
        }
        after = Some(plan.key_of(rows.last()));
        done += rows.len() as u64;
        plan.write(to.connection(), rows).await?;
        progress(CopyProgress { table, done, total });
    }
    if to.backend() == Backend::Postgres {
        advance_sequences(to.connection(), target).await?;
    }
    let source_rows = schema::count(from.connection(), &source.name).await?;
    let target_rows = schema::count(to.connection(), table).await?;
    if source_rows != target_rows {
        return Err(CopyError::Count {
            table: table.to_owned(),
            source_rows,
            target_rows,
        });
    }
    Ok(CopiedTable {
        table: table.to_owned(),
        rows: target_rows,
    })
}

fn own_history(table: &str) -> bool {
    OWN_HISTORY.contains(&table)
}

/// How one table is read from the source and written to the target.
struct Plan {
    table: String,
    /// Columns on both sides: name, source kind, target kind.
    columns: Vec<(String, Kind, Kind)>,
    /// Keyset order: the source's primary key (SQLite's rowid if it has none).
    key: Vec<(String, Kind)>,
    /// The key is SQLite's hidden rowid, selected under this alias.
    rowid: bool,
    from: Backend,
    to: Backend,
}

const ROWID: &str = "__hearth_rowid";

impl Plan {
    fn new(source: &Table, target: &Table, from: Backend, to: Backend) -> Self {
        let columns: Vec<(String, Kind, Kind)> = target
            .columns
            .iter()
            .filter_map(|t| {
                let s = source.columns.iter().find(|s| s.name == t.name)?;
                Some((
                    t.name.clone(),
                    // JSON is read as its text: PostgreSQL's `null` JSON value and SQL NULL
                    // would otherwise both arrive as nothing.
                    match Kind::of(&s.declared, from) {
                        Kind::Json => Kind::Text,
                        kind => kind,
                    },
                    Kind::of(&t.declared, to),
                ))
            })
            .collect();
        // A key column is read like any other column (JSON as text).
        let kind_of = |name: &str| {
            columns
                .iter()
                .find(|(n, _, _)| n == name)
                .map_or(Kind::Text, |(_, kind, _)| kind.clone())
        };
        let (key, rowid) = if !source.key.is_empty() {
            (
                source.key.iter().map(|k| (k.clone(), kind_of(k))).collect(),
                false,
            )
        } else if from == Backend::Sqlite {
            (vec![(ROWID.to_owned(), Kind::Int)], true)
        } else {
            // No key on PostgreSQL: every column, in order.
            (
                columns
                    .iter()
                    .map(|(n, k, _)| (n.clone(), k.clone()))
                    .collect(),
                false,
            )
        };
        Self {
            table: target.name.clone(),
            columns,
            key,
            rowid,
            from,
            to,
        }
    }

    fn placeholder(backend: Backend, n: usize) -> String {
        match backend {
            Backend::Sqlite => "?".to_owned(),
            Backend::Postgres => format!("${n}"),
        }
    }

    /// The next `limit` rows after `after` (the last key read), in key order.
    async fn read(
        &self,
        db: &DatabaseConnection,
        after: Option<&[JsonValue]>,
        limit: usize,
    ) -> Result<Vec<JsonValue>, CopyError> {
        // Text and JSON columns are read as text: SQLite stores a value by its own type,
        // whatever the column declares (JSON columns have numeric affinity: `3` comes back
        // an integer), and PostgreSQL's JSON `null` must not become SQL NULL.
        let mut select: Vec<String> = self
            .columns
            .iter()
            .map(|(n, from, _)| match from {
                Kind::Text => format!("CAST({c} AS TEXT) AS {c}", c = quote(n)),
                _ => quote(n),
            })
            .collect();
        if self.rowid {
            select.push(format!("rowid AS {}", quote(ROWID)));
        }
        let key_sql = |name: &str| {
            if self.rowid {
                "rowid".to_owned()
            } else {
                quote(name)
            }
        };
        let keys: Vec<String> = self.key.iter().map(|(n, _)| key_sql(n)).collect();
        let mut sql = format!("SELECT {} FROM {}", select.join(", "), quote(&self.table));
        let mut values = Vec::new();
        if let Some(last) = after {
            let marks: Vec<String> = (1..=keys.len())
                .map(|i| Self::placeholder(self.from, i))
                .collect();
            sql.push_str(&format!(
                " WHERE ({}) > ({})",
                keys.join(", "),
                marks.join(", ")
            ));
            for ((name, kind), value) in self.key.iter().zip(last) {
                values.push(
                    values::convert(value.clone(), kind, kind)
                        .map_err(|why| self.bad(name, why))?,
                );
            }
        }
        sql.push_str(&format!(" ORDER BY {} LIMIT {limit}", keys.join(", ")));
        let statement = Statement::from_sql_and_values(db.get_database_backend(), sql, values);
        let rows = JsonValue::find_by_statement(statement).all(db).await?;
        // A value the driver could not read is left out of its row: never copy a gap.
        for row in &rows {
            if let Some((name, _, _)) = self.columns.iter().find(|(n, _, _)| row.get(n).is_none()) {
                return Err(self.bad(name, "a value of a type the copy cannot read".into()));
            }
        }
        Ok(rows)
    }

    /// The key of `row`, to read on after it.
    fn key_of(&self, row: Option<&JsonValue>) -> Vec<JsonValue> {
        self.key
            .iter()
            .map(|(name, _)| row.map_or(JsonValue::Null, |r| r[name].clone()))
            .collect()
    }

    /// Inserts `rows` in one transaction, as few statements as the parameter limit allows.
    async fn write(&self, db: &DatabaseConnection, rows: Vec<JsonValue>) -> Result<(), CopyError> {
        let per_statement = (MAX_PARAMETERS / self.columns.len().max(1)).max(1);
        let names: Vec<String> = self.columns.iter().map(|(n, _, _)| quote(n)).collect();
        let txn = crate::convert::write_transaction(db).await?;
        let mut rows = rows.into_iter().peekable();
        while rows.peek().is_some() {
            let mut tuples = Vec::new();
            let mut values = Vec::new();
            for mut row in rows.by_ref().take(per_statement) {
                let mut marks = Vec::with_capacity(self.columns.len());
                for (name, from, to) in &self.columns {
                    let value = row.get_mut(name).map(JsonValue::take).unwrap_or_default();
                    values
                        .push(values::convert(value, from, to).map_err(|why| self.bad(name, why))?);
                    let mark = Self::placeholder(self.to, values.len());
                    marks.push(match to {
                        Kind::Cast(t) => format!("CAST({mark} AS {t})"),
                        _ => mark,
                    });
                }
                tuples.push(format!("({})", marks.join(", ")));
            }
            let sql = format!(
                "INSERT INTO {} ({}) VALUES {}",
                quote(&self.table),
                names.join(", "),
                tuples.join(", ")
            );
            txn.execute_raw(Statement::from_sql_and_values(
                txn.get_database_backend(),
                sql,
                values,
            ))
            .await?;
        }
        txn.commit().await?;
        Ok(())
    }

    fn bad(&self, column: &str, why: String) -> CopyError {
        CopyError::Value {
            table: self.table.clone(),
            column: column.to_owned(),
            why,
        }
    }
}

/// After explicit ids were copied into serial columns, moves their sequences past them.
async fn advance_sequences(db: &DatabaseConnection, table: &Table) -> Result<(), DbErr> {
    #[derive(FromQueryResult)]
    struct Sequence {
        name: Option<String>,
    }
    for column in &table.columns {
        let statement = Statement::from_sql_and_values(
            db.get_database_backend(),
            "SELECT pg_get_serial_sequence($1, $2) AS name",
            [quote(&table.name).into(), column.name.clone().into()],
        );
        let found = Sequence::find_by_statement(statement).one(db).await?;
        if let Some(sequence) = found.and_then(|s| s.name) {
            let sql = format!(
                "SELECT setval($1, COALESCE((SELECT MAX({c}) FROM {t}), 0) + 1, false)",
                c = quote(&column.name),
                t = quote(&table.name)
            );
            db.execute_raw(Statement::from_sql_and_values(
                db.get_database_backend(),
                sql,
                [sequence.into()],
            ))
            .await?;
        }
    }
    Ok(())
}
