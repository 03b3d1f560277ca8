//! Seed 000: "the e-mail address you log in with is the one known in our
//! administration for all correspondence; changing one changes the other".
//! Where a tenant turns `portal.login_email_follows_customer` on, a
//! customer's e-mail and its main account's login e-mail are one address:
//! a sync that changes the customer's e-mail changes the login (told at the
//! old and the new address, as every login change is), and a change of the
//! main account's login e-mail (by staff, the API or the portal) changes
//! the customer's e-mail (`flows::staff::write_email`).

use sea_query::{Expr, ExprTrait};

use super::edit_policy::{COMPONENT, SETTINGS};
use crate::auth::accounts::{self, normalize};
use crate::auth::activity::By;
use crate::auth::flows::{Deps, FlowError};
use crate::tenant::Tenant;

/// Whether the tenant keeps the two addresses as one.
pub fn follows(tenant: &Tenant) -> bool {
    tenant.setting_or(COMPONENT, SETTINGS, "login_email_follows_customer") == "true"
}

/// After a customer sync: the main accounts of the customers with these
/// external ids take their customer's e-mail where it differs (and is an
/// address). Returns how many changed.
///
/// # Errors
/// A database or template failure.
pub async fn follow_customers(
    deps: &Deps,
    tenant: &Tenant,
    by: &By,
    external_ids: &[String],
) -> Result<u64, FlowError> {
    if !follows(tenant) || external_ids.is_empty() {
        return Ok(0);
    }
    let scope = tenant.scope();
    let ids = super::sync_rows::customers_by_external_id(&deps.db, scope, external_ids).await?;
    let open = super::portal_changes::open_of_tenant(&deps.db, scope).await?;
    let mode = crate::auth::settings::AuthSettings::of(tenant).login_mode;
    let mut changed = 0;
    for customer_id in ids.into_values() {
        // A value the portal holds for the back-office (its own organisation
        // e-mail or a login change waiting for processing) is not followed:
        // the back-office decides first.
        if open.iter().any(|c| {
            c.customer_id == customer_id
                && ((c.account_id.is_none() && c.fields().contains_key("email"))
                    || c.field_group == super::edit_policy::FieldGroup::LoginEmail.code())
        }) {
            continue;
        }
        let Some(c) = accounts::customer_details(&deps.db, scope, customer_id).await? else {
            continue;
        };
        if !accounts::valid_email(&c.email) {
            continue;
        }
        let mains = deps
            .db
            .fetch_all::<accounts::Account>(
                &accounts::select_accounts(scope)
                    .and_where(Expr::col(("core_users", "customer_id")).eq(customer_id))
                    .and_where(Expr::col(("core_users", "is_main")).eq(true))
                    .to_owned(),
            )
            .await?;
        for a in mains {
            if normalize(&a.email) == normalize(&c.email) {
                continue;
            }
            // An address another account logs in with would leave neither
            // able to log in: the back-office must sort that out.
            if accounts::email_taken(
                &deps.db,
                scope,
                mode,
                Some(customer_id),
                &c.email,
                Some(a.id),
            )
            .await?
            {
                tracing::warn!(
                    customer_id,
                    "customer e-mail is another account's login; not followed"
                );
                continue;
            }
            let mut tx = deps.db.begin().await?;
            crate::auth::flows::staff::write_email(deps, &mut tx, tenant, by, &a, c.email.trim())
                .await?;
            tx.commit().await?;
            changed += 1;
        }
    }
    if changed > 0 {
        deps.mailer.wake();
    }
    Ok(changed)
}
