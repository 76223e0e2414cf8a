//! Column helpers matching Open WebUI's SQLAlchemy column types. Columns are nullable unless
//! a helper's name says otherwise, as in Open WebUI's models.

use sea_orm_migration::prelude::*;

/// `VARCHAR`.
pub fn varchar<T: IntoIden>(name: T) -> ColumnDef {
    ColumnDef::new(name).string().null().take()
}

/// `VARCHAR` primary key.
pub fn varchar_pk<T: IntoIden>(name: T) -> ColumnDef {
    ColumnDef::new(name)
        .string()
        .not_null()
        .primary_key()
        .take()
}

/// `TEXT`.
pub fn text<T: IntoIden>(name: T) -> ColumnDef {
    ColumnDef::new(name).text().null().take()
}

/// `TEXT NOT NULL`.
pub fn text_req<T: IntoIden>(name: T) -> ColumnDef {
    ColumnDef::new(name).text().not_null().take()
}

/// `TEXT` primary key.
pub fn text_pk<T: IntoIden>(name: T) -> ColumnDef {
    ColumnDef::new(name).text().not_null().primary_key().take()
}

/// `BIGINT` (epoch seconds).
pub fn bigint<T: IntoIden>(name: T) -> ColumnDef {
    ColumnDef::new(name).big_integer().null().take()
}

/// `BIGINT NOT NULL`.
pub fn bigint_req<T: IntoIden>(name: T) -> ColumnDef {
    ColumnDef::new(name).big_integer().not_null().take()
}

/// `BOOLEAN`.
pub fn boolean<T: IntoIden>(name: T) -> ColumnDef {
    ColumnDef::new(name).boolean().null().take()
}

/// `BOOLEAN NOT NULL`.
pub fn boolean_req<T: IntoIden>(name: T) -> ColumnDef {
    ColumnDef::new(name).boolean().not_null().take()
}

/// `JSON`: a JSON document stored as text on SQLite and as `json` on PostgreSQL, declared
/// with the same type name Open WebUI uses on both.
pub fn json<T: IntoIden>(name: T) -> ColumnDef {
    ColumnDef::new(name).custom("JSON").null().take()
}

/// `JSON NOT NULL`.
pub fn json_req<T: IntoIden>(name: T) -> ColumnDef {
    ColumnDef::new(name).custom("JSON").not_null().take()
}

/// `DATE`.
pub fn date<T: IntoIden>(name: T) -> ColumnDef {
    ColumnDef::new(name).custom("DATE").null().take()
}

/// Creates an index from raw SQL (expression and partial indexes, which the builder cannot
/// express); the statement is the same on SQLite and PostgreSQL.
pub async fn raw_index(manager: &SchemaManager<'_>, sql: &str) -> Result<(), DbErr> {
    manager
        .get_connection()
        .execute_unprepared(sql)
        .await
        .map(|_| ())
}

/// A plain index over the given columns.
pub fn index<T: IntoIden + 'static>(
    name: &str,
    table: T,
    columns: &[&'static str],
) -> IndexCreateStatement {
    let mut statement = Index::create()
        .name(name)
        .table(table.into_iden())
        .if_not_exists()
        .take();
    for column in columns {
        statement.col(Alias::new(*column));
    }
    statement
}
