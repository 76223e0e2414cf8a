//! `access_grant` rows of one resource type: read them for all or one resource, replace one
//! resource's grants.

use crate::entity::access_grant;
use crate::errors::store_err;
use hearth_domain::StoreResult;
use hearth_domain::access::AccessGrant;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, Set,
};

fn from_row(row: access_grant::Model) -> (String, AccessGrant) {
    (
        row.resource_id,
        AccessGrant {
            id: row.id,
            principal_type: row.principal_type,
            principal_id: row.principal_id,
            permission: row.permission,
        },
    )
}

/// The grants of `resource_type` (of one resource when `id` is given), with their resource ids.
pub(crate) async fn grants_of(
    db: &impl ConnectionTrait,
    resource_type: &str,
    id: Option<&str>,
) -> StoreResult<Vec<(String, AccessGrant)>> {
    let mut query = access_grant::Entity::find()
        .filter(access_grant::Column::ResourceType.eq(resource_type))
        .order_by_asc(access_grant::Column::CreatedAt)
        .order_by_asc(access_grant::Column::Id);
    if let Some(id) = id {
        query = query.filter(access_grant::Column::ResourceId.eq(id));
    }
    let rows = query.all(db).await.map_err(store_err)?;
    Ok(rows.into_iter().map(from_row).collect())
}

/// Replaces the grants of one resource.
pub(crate) async fn replace_grants(
    db: &impl ConnectionTrait,
    resource_type: &str,
    id: &str,
    grants: &[AccessGrant],
    now: i64,
) -> StoreResult<()> {
    access_grant::Entity::delete_many()
        .filter(access_grant::Column::ResourceType.eq(resource_type))
        .filter(access_grant::Column::ResourceId.eq(id))
        .exec(db)
        .await
        .map_err(store_err)?;
    for grant in grants {
        access_grant::ActiveModel {
            id: Set(grant.id.clone()),
            resource_type: Set(resource_type.to_owned()),
            resource_id: Set(id.to_owned()),
            principal_type: Set(grant.principal_type.clone()),
            principal_id: Set(grant.principal_id.clone()),
            permission: Set(grant.permission.clone()),
            created_at: Set(now),
        }
        .insert(db)
        .await
        .map_err(store_err)?;
    }
    Ok(())
}
