//! A running server and the handle that stops it.

use crate::state::AppState;
use actix_web::dev::ServerHandle;
use actix_web::web;
use hearth_persistence::SqlStore;
use hearth_realtime::Engine;
use std::net::SocketAddr;
use std::sync::Arc;

/// A running server.
pub struct Server {
    pub(super) addr: SocketAddr,
    pub(super) handle: ServerHandle,
    pub(super) task: tokio::task::JoinHandle<std::io::Result<()>>,
    pub(super) state: web::Data<AppState>,
    /// The database, shut down cleanly once the server has stopped.
    pub(super) store: Option<Arc<SqlStore>>,
}

impl Server {
    /// The bound address (useful with port 0).
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// The bound port.
    pub fn port(&self) -> u16 {
        self.addr.port()
    }

    /// Shared state, for embedders and tests.
    pub fn state(&self) -> &AppState {
        &self.state
    }

    /// A handle to stop the server.
    pub fn handle(&self) -> StopHandle {
        StopHandle {
            handle: self.handle.clone(),
            engine: self.state.engine.clone(),
        }
    }

    /// Runs until the server stops (Ctrl-C / SIGTERM, or [`StopHandle::stop`]).
    pub async fn wait(self) -> std::io::Result<()> {
        let stopped = self.task.await.map_err(std::io::Error::other)?;
        if let Some(store) = &self.store
            && let Err(error) = store.shut_down().await
        {
            tracing::warn!(%error, "the database did not close cleanly");
        }
        stopped
    }

    /// Stops gracefully and waits.
    pub async fn stop(self) -> std::io::Result<()> {
        self.handle().stop().await;
        self.wait().await
    }
}

/// Stops a running [`Server`] from elsewhere (a signal handler).
#[derive(Clone)]
pub struct StopHandle {
    handle: ServerHandle,
    engine: Arc<Engine>,
}

impl StopHandle {
    /// Closes every socket (their clients reconnect, possibly to another instance), then
    /// stops accepting and lets requests in flight finish (10 s at most).
    pub async fn stop(&self) {
        for session in self.engine.sessions() {
            self.engine.close(&session).await;
        }
        self.handle.stop(true).await;
    }
}
