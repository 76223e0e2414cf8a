//! Scheduled jobs of a running server: the chat retention sweep (when
//! `CHAT_RETENTION_DAYS` is set), first at start-up and then every
//! `CHAT_RETENTION_INTERVAL`; of several instances, one sweeps per interval.

use hearth_domain::time::now_epoch;
use hearth_services::App;
use std::sync::Arc;

/// Starts the jobs the settings turn on.
pub(super) fn spawn(app: &Arc<App>) {
    let database = &app.settings.database;
    if database.chat_retention_days == 0 {
        return;
    }
    let every = database.chat_retention_interval;
    let app = Arc::clone(app);
    tokio::spawn(async move {
        let mut ticks = tokio::time::interval(every);
        ticks.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            ticks.tick().await;
            match hearth_services::retention::run_scheduled(&app, now_epoch()).await {
                Ok(Some(swept)) if swept.chats > 0 => {
                    tracing::info!(chats = swept.chats, files = swept.files, "retention sweep");
                }
                Ok(_) => {}
                Err(error) => tracing::warn!(%error, "retention sweep failed"),
            }
        }
    });
}
