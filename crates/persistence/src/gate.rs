//! [`GatedConnection`]: the pool behind a gate that fails at once while PostgreSQL cannot be
//! reached. Without it every request during an outage waits the whole pool timeout (the
//! pool keeps retrying refused connections until then) before its 503.
//!
//! A statement that fails for want of a connection, or takes longer than [`SUSPECT_AFTER`],
//! starts one probe: a fresh connection outside the pool. If the probe cannot connect the
//! gate closes, statements still waiting give up, and new ones fail at once; the probe
//! retries every [`PROBE_EVERY`] and opens the gate when the database answers again. A busy
//! database (slow statements, a full pool) answers the probe, so it never closes the gate.
//! SQLite never closes it.

use sea_orm::sqlx::Connection as _;
use sea_orm::{
    AccessMode, ConnectionTrait, DatabaseConnection, DatabaseTransaction, DbBackend, DbErr,
    ExecResult, IsolationLevel, QueryResult, RuntimeErr, Statement, TransactionError,
    TransactionOptions, TransactionTrait,
};
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;
use tokio::sync::watch;

/// A statement running this long makes the gate check that the database is reachable.
pub const SUSPECT_AFTER: Duration = Duration::from_secs(1);
/// How long the probe may take to connect.
const PROBE_TIMEOUT: Duration = Duration::from_secs(2);
/// Pause between two probes while the database is unreachable.
const PROBE_EVERY: Duration = Duration::from_millis(500);

/// Whether the database is reachable, and the probe that finds out.
#[derive(Debug)]
struct Gate {
    /// The PostgreSQL URL the probe connects to; `None` (SQLite): never closed.
    probe_url: Option<String>,
    closed: watch::Sender<bool>,
    probing: AtomicBool,
}

impl Gate {
    fn is_closed(&self) -> bool {
        *self.closed.borrow()
    }

    /// Starts a probe unless one runs (or there is nothing to probe).
    fn suspect(self: &Arc<Self>) {
        let Some(url) = self.probe_url.clone() else {
            return;
        };
        if self.probing.swap(true, Ordering::AcqRel) {
            return;
        }
        let gate = Arc::clone(self);
        tokio::spawn(async move {
            loop {
                if reachable(&url).await {
                    if gate.closed.send_replace(false) {
                        tracing::info!("the database answers again");
                    }
                    break;
                }
                if !gate.closed.send_replace(true) {
                    tracing::error!("the database cannot be reached; answering 503 until it can");
                }
                tokio::time::sleep(PROBE_EVERY).await;
            }
            gate.probing.store(false, Ordering::Release);
        });
    }
}

async fn reachable(url: &str) -> bool {
    let connect = sea_orm::sqlx::PgConnection::connect(url);
    match tokio::time::timeout(PROBE_TIMEOUT, connect).await {
        Ok(Ok(connection)) => {
            let _ = connection.close().await;
            true
        }
        _ => false,
    }
}

/// The error of a statement refused while the gate is closed.
fn unavailable() -> DbErr {
    DbErr::Conn(RuntimeErr::Internal(
        "the database cannot be reached".to_owned(),
    ))
}

/// Whether `error` means no connection could be had (rather than a refused statement).
fn is_connectivity(error: &DbErr) -> bool {
    match error {
        DbErr::ConnectionAcquire(_) => true,
        DbErr::Conn(RuntimeErr::SqlxError(e))
        | DbErr::Exec(RuntimeErr::SqlxError(e))
        | DbErr::Query(RuntimeErr::SqlxError(e)) => matches!(
            e.as_ref(),
            sea_orm::sqlx::Error::Io(_)
                | sea_orm::sqlx::Error::Tls(_)
                | sea_orm::sqlx::Error::PoolTimedOut
                | sea_orm::sqlx::Error::PoolClosed
                | sea_orm::sqlx::Error::WorkerCrashed
        ),
        _ => false,
    }
}

/// The connection pool, gated. Everything in this crate runs its statements through it.
#[derive(Clone, Debug)]
pub(crate) struct GatedConnection {
    inner: DatabaseConnection,
    gate: Arc<Gate>,
}

impl GatedConnection {
    /// Gates `inner`; `probe_url` is the PostgreSQL URL (`None` for SQLite).
    pub(crate) fn new(inner: DatabaseConnection, probe_url: Option<String>) -> Self {
        let (closed, _) = watch::channel(false);
        Self {
            inner,
            gate: Arc::new(Gate {
                probe_url,
                closed,
                probing: AtomicBool::new(false),
            }),
        }
    }

    /// The pool itself.
    pub(crate) fn inner(&self) -> &DatabaseConnection {
        &self.inner
    }

    /// Checks that the database answers (through the gate).
    pub(crate) async fn ping(&self) -> Result<(), DbErr> {
        self.through(self.inner.ping()).await
    }

    /// Runs `statement` unless the gate is closed; gives up when it closes meanwhile.
    async fn through<T>(
        &self,
        statement: impl Future<Output = Result<T, DbErr>>,
    ) -> Result<T, DbErr> {
        if self.gate.is_closed() {
            return Err(unavailable());
        }
        let mut closed = self.gate.closed.subscribe();
        let mut statement = std::pin::pin!(statement);
        let outcome = tokio::select! {
            outcome = &mut statement => outcome,
            () = tokio::time::sleep(SUSPECT_AFTER) => {
                self.gate.suspect();
                tokio::select! {
                    outcome = &mut statement => outcome,
                    _ = closed.wait_for(|closed| *closed) => Err(unavailable()),
                }
            }
        };
        if let Err(error) = &outcome
            && is_connectivity(error)
        {
            self.gate.suspect();
        }
        outcome
    }
}

#[async_trait::async_trait]
impl ConnectionTrait for GatedConnection {
    fn get_database_backend(&self) -> DbBackend {
        self.inner.get_database_backend()
    }

    async fn execute_raw(&self, stmt: Statement) -> Result<ExecResult, DbErr> {
        self.through(self.inner.execute_raw(stmt)).await
    }

    async fn execute_unprepared(&self, sql: &str) -> Result<ExecResult, DbErr> {
        self.through(self.inner.execute_unprepared(sql)).await
    }

    async fn query_one_raw(&self, stmt: Statement) -> Result<Option<QueryResult>, DbErr> {
        self.through(self.inner.query_one_raw(stmt)).await
    }

    async fn query_all_raw(&self, stmt: Statement) -> Result<Vec<QueryResult>, DbErr> {
        self.through(self.inner.query_all_raw(stmt)).await
    }

    fn support_returning(&self) -> bool {
        self.inner.support_returning()
    }
}

#[async_trait::async_trait]
impl TransactionTrait for GatedConnection {
    type Transaction = DatabaseTransaction;

    async fn begin(&self) -> Result<DatabaseTransaction, DbErr> {
        self.through(self.inner.begin()).await
    }

    async fn begin_with_config(
        &self,
        isolation_level: Option<IsolationLevel>,
        access_mode: Option<AccessMode>,
    ) -> Result<DatabaseTransaction, DbErr> {
        self.through(self.inner.begin_with_config(isolation_level, access_mode))
            .await
    }

    async fn begin_with_options(
        &self,
        options: TransactionOptions,
    ) -> Result<DatabaseTransaction, DbErr> {
        self.through(self.inner.begin_with_options(options)).await
    }

    async fn transaction<F, T, E>(&self, callback: F) -> Result<T, TransactionError<E>>
    where
        F: for<'c> FnOnce(
                &'c DatabaseTransaction,
            ) -> Pin<Box<dyn Future<Output = Result<T, E>> + Send + 'c>>
            + Send,
        T: Send,
        E: std::fmt::Display + std::fmt::Debug + Send,
    {
        if self.gate.is_closed() {
            return Err(TransactionError::Connection(unavailable()));
        }
        self.inner.transaction(callback).await
    }

    async fn transaction_with_config<F, T, E>(
        &self,
        callback: F,
        isolation_level: Option<IsolationLevel>,
        access_mode: Option<AccessMode>,
    ) -> Result<T, TransactionError<E>>
    where
        F: for<'c> FnOnce(
                &'c DatabaseTransaction,
            ) -> Pin<Box<dyn Future<Output = Result<T, E>> + Send + 'c>>
            + Send,
        T: Send,
        E: std::fmt::Display + std::fmt::Debug + Send,
    {
        if self.gate.is_closed() {
            return Err(TransactionError::Connection(unavailable()));
        }
        self.inner
            .transaction_with_config(callback, isolation_level, access_mode)
            .await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_missing_connections_count_as_unreachable() {
        assert!(is_connectivity(&DbErr::ConnectionAcquire(
            sea_orm::ConnAcquireErr::Timeout
        )));
        assert!(!is_connectivity(&DbErr::RecordNotFound("x".into())));
        assert!(!is_connectivity(&DbErr::Custom("x".into())));
    }

    #[tokio::test]
    async fn an_unreachable_database_closes_the_gate_and_a_reachable_one_never_does() {
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .map(|a| a.port())
            .unwrap_or(9);
        let db = sea_orm::Database::connect("sqlite::memory:")
            .await
            .expect("in-memory SQLite");
        let gated = GatedConnection::new(
            db.clone(),
            Some(format!("postgres://nobody@127.0.0.1:{port}/none")),
        );
        gated.gate.suspect();
        let mut closed = gated.gate.closed.subscribe();
        tokio::time::timeout(Duration::from_secs(10), closed.wait_for(|c| *c))
            .await
            .expect("the probe closes the gate")
            .expect("the gate lives");
        let refused = gated.execute_unprepared("SELECT 1").await;
        assert!(refused.is_err_and(|e| e.to_string().contains("cannot be reached")));
        let open = GatedConnection::new(db, None);
        open.gate.suspect();
        assert!(open.execute_unprepared("SELECT 1").await.is_ok());
    }
}
