//! Knowledge bases themselves: list, create, read, update, share, delete.

use super::access::{bypass, can_read, can_write, knowledge_for};
use super::dto::{AccessForm, KnowledgeForm, KnowledgeList, KnowledgeResponse, ListParams};
use super::listing::file_responses;
use crate::App;
use crate::error::{ServiceError, ServiceResult};
use crate::grants::accept;
use crate::messages as msg;
use crate::permissions::may;
use hearth_domain::User;
use hearth_domain::ids::KnowledgeId;
use hearth_domain::knowledge::Knowledge;
use hearth_domain::text::strip_nul;
use hearth_domain::time::now_epoch;

const PAGE_SIZE: usize = 30;

/// The knowledge bases the caller may read, 30 per page, optionally those whose name or
/// description contains `query`.
pub async fn list(app: &App, user: &User, params: &ListParams) -> ServiceResult<KnowledgeList> {
    let query = params
        .query
        .as_deref()
        .map(str::to_lowercase)
        .unwrap_or_default();
    let visible: Vec<Knowledge> = app
        .storage
        .knowledge()
        .knowledge_bases()
        .await?
        .into_iter()
        .filter(|k| can_read(app, user, k))
        .filter(|k| {
            query.is_empty()
                || k.name.to_lowercase().contains(&query)
                || k.description.to_lowercase().contains(&query)
        })
        .collect();
    let total = u64::try_from(visible.len()).unwrap_or(u64::MAX);
    let page = usize::try_from(params.page.unwrap_or(1).max(1)).unwrap_or(1);
    let items = visible
        .into_iter()
        .skip((page - 1).saturating_mul(PAGE_SIZE))
        .take(PAGE_SIZE)
        .map(|k| {
            let write = can_write(app, user, &k);
            KnowledgeResponse::of(k, write, None)
        })
        .collect();
    Ok(KnowledgeList { items, total })
}

fn clean_name(name: &str) -> ServiceResult<String> {
    let name = strip_nul(name.trim());
    if name.is_empty() {
        return Err(ServiceError::field("name", "the name cannot be empty"));
    }
    Ok(name)
}

/// Creates a knowledge base (needs `workspace.knowledge`).
pub async fn create(
    app: &App,
    user: &User,
    form: KnowledgeForm,
) -> ServiceResult<KnowledgeResponse> {
    if !may(app, user, "workspace.knowledge") {
        return Err(ServiceError::unauthorized(msg::UNAUTHORIZED));
    }
    let now = now_epoch();
    let grants = accept(
        form.access_grants.unwrap_or_default(),
        may(app, user, "sharing.public_knowledge"),
    )?;
    let knowledge = Knowledge {
        id: KnowledgeId::generate(),
        user_id: user.id.clone(),
        name: clean_name(&form.name)?,
        description: strip_nul(&form.description),
        meta: None,
        access_grants: grants,
        created_at: now,
        updated_at: now,
    };
    app.storage.knowledge().insert_knowledge(&knowledge).await?;
    super::metadata::embed(app, &knowledge).await;
    Ok(KnowledgeResponse::of(knowledge, true, None))
}

/// One knowledge base with its files.
pub async fn get(app: &App, user: &User, id: &KnowledgeId) -> ServiceResult<KnowledgeResponse> {
    let knowledge = knowledge_for(app, user, id, false).await?;
    let files = file_responses(app, &knowledge.id).await?;
    let write = can_write(app, user, &knowledge);
    Ok(KnowledgeResponse::of(knowledge, write, Some(files)))
}

/// Renames or redescribes a knowledge base (and replaces its grants when sent).
pub async fn update(
    app: &App,
    user: &User,
    id: &KnowledgeId,
    form: KnowledgeForm,
) -> ServiceResult<KnowledgeResponse> {
    let mut knowledge = knowledge_for(app, user, id, true).await?;
    knowledge.name = clean_name(&form.name)?;
    knowledge.description = strip_nul(&form.description);
    if let Some(grants) = form.access_grants {
        knowledge.access_grants = accept(grants, may(app, user, "sharing.public_knowledge"))?;
    }
    knowledge.updated_at = now_epoch();
    app.storage.knowledge().save_knowledge(&knowledge).await?;
    super::metadata::embed(app, &knowledge).await;
    get(app, user, id).await
}

/// Replaces who may read or change a knowledge base.
pub async fn update_access(
    app: &App,
    user: &User,
    id: &KnowledgeId,
    form: AccessForm,
) -> ServiceResult<KnowledgeResponse> {
    let mut knowledge = knowledge_for(app, user, id, true).await?;
    knowledge.access_grants = accept(
        form.access_grants,
        may(app, user, "sharing.public_knowledge"),
    )?;
    knowledge.updated_at = now_epoch();
    app.storage.knowledge().save_knowledge(&knowledge).await?;
    get(app, user, id).await
}

/// Deletes a knowledge base and its chunks (its files stay); only the owner or an admin.
pub async fn delete(app: &App, user: &User, id: &KnowledgeId) -> ServiceResult<bool> {
    let knowledge = knowledge_for(app, user, id, true).await?;
    if knowledge.user_id != user.id && !bypass(app, user) {
        return Err(ServiceError::unauthorized(msg::UNAUTHORIZED));
    }
    app.storage.knowledge().delete_knowledge(id).await?;
    super::metadata::forget(app, &knowledge).await;
    if let Err(e) = app.retrieval.vectors.delete_collection(id.as_str()).await {
        tracing::warn!(error = %e, knowledge = id.as_str(), "removing a knowledge base's chunks failed");
    }
    Ok(true)
}
