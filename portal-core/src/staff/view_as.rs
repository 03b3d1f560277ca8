//! "View as customer" (seed 002 "omschakelen naar klantsite"): a staff
//! member sees the portal exactly as one portal account sees it, read-only.
//! The target is stored on the staff session; the request context builds
//! that account's principal and refuses every unsafe request outside
//! `/staff`. Start and end go to the account's activity log.

use super::session::{self, StaffSession};
use crate::auth::accounts::Account;
use crate::auth::activity::{self, By, Entry};
use crate::auth::flows::FlowError;
use crate::db::Db;
use crate::tenant::Tenant;

/// Starts viewing as `a`.
///
/// # Errors
/// A database failure.
pub async fn start(
    db: &Db,
    tenant: &Tenant,
    s: &StaffSession,
    a: &Account,
    ip: Option<String>,
) -> Result<(), FlowError> {
    session::update(
        db,
        tenant.scope(),
        s.id,
        vec![("view_as_user_id", a.id.into())],
    )
    .await?;
    let by = By::staff(s.member.id, ip);
    activity::record_now(db, tenant.scope(), Entry::on(a, &by, "view_as.started")).await?;
    Ok(())
}

/// Stops viewing as the session's target; returns its id.
///
/// # Errors
/// A database failure.
pub async fn end(
    db: &Db,
    tenant: &Tenant,
    s: &StaffSession,
    ip: Option<String>,
) -> Result<Option<i64>, FlowError> {
    let Some(target) = s.view_as_user_id else {
        return Ok(None);
    };
    session::update(
        db,
        tenant.scope(),
        s.id,
        vec![("view_as_user_id", None::<i64>.into())],
    )
    .await?;
    if let Some(a) = crate::auth::accounts::by_id(db, tenant.scope(), target).await? {
        let by = By::staff(s.member.id, ip);
        activity::record_now(db, tenant.scope(), Entry::on(&a, &by, "view_as.ended")).await?;
    }
    Ok(Some(target))
}
