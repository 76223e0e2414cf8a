//! Chat retention (`CHAT_RETENTION_DAYS`): chats not updated for that many days are deleted
//! with their messages, shares and the files no other chat or knowledge base uses, then the
//! database gives the space back. A scheduled sweep runs on one instance per interval.

use crate::app::App;
use crate::error::ServiceResult;
use hearth_domain::UserId;
use hearth_domain::ids::ChatId;

/// The job's name in the claims table.
pub const JOB: &str = "chat-retention";
/// Chats deleted per round (each round is its own transaction).
const ROUND: u64 = 500;

/// What one sweep removed.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Swept {
    /// Chats deleted.
    pub chats: u64,
    /// Files deleted with them.
    pub files: u64,
}

/// Runs a sweep if retention is on and no instance has swept in this interval; `None` when
/// nothing ran.
pub async fn run_scheduled(app: &App, now: i64) -> ServiceResult<Option<Swept>> {
    let database = &app.settings.database;
    if database.chat_retention_days == 0 {
        return Ok(None);
    }
    let every = i64::try_from(database.chat_retention_interval.as_secs()).unwrap_or(i64::MAX);
    if !app.storage.upkeep().claim_job(JOB, now, every).await? {
        return Ok(None);
    }
    sweep(app, now, database.chat_retention_days)
        .await
        .map(Some)
}

/// Deletes every chat last updated more than `days` days before `now`.
pub async fn sweep(app: &App, now: i64, days: u32) -> ServiceResult<Swept> {
    let upkeep = app.storage.upkeep();
    let cutoff = now.saturating_sub(i64::from(days) * 86_400);
    let mut swept = Swept::default();
    loop {
        let expired = upkeep.expired_chats(cutoff, ROUND).await?;
        if expired.is_empty() {
            break;
        }
        let chats: Vec<ChatId> = expired.iter().map(|c| c.id.clone()).collect();
        let mut owners: Vec<UserId> = expired.into_iter().map(|c| c.user_id).collect();
        owners.sort();
        owners.dedup();
        let files = upkeep.chat_files(&chats).await?;
        swept.chats += upkeep.delete_chats(&chats).await?;
        for owner in &owners {
            app.storage.chats().delete_unused_tags(owner).await?;
        }
        for id in files {
            if upkeep.file_in_use(&id).await? {
                continue;
            }
            if let Some(file) = app.storage.files().file(&id).await? {
                crate::files::purge(app, &file).await?;
                swept.files += 1;
            }
        }
    }
    if swept.chats > 0 {
        upkeep.reclaim_space().await?;
    }
    Ok(swept)
}
