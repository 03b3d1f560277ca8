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
    let open = super::portal_changes::open_of_tenant(&deps.db, scope).await?;
    let mode = crate::auth::settings::AuthSettings::of(tenant).login_mode;
    let mut changed = 0;
    // Two queries per thousand rows: the customers' e-mails, and their
    // main accounts; a sync of unchanged rows writes nothing. Each planned
    // with its values: PostgreSQL's cached generic plan of a long `IN`
    // list compares every row of the tenant with the whole list.
    for chunk in external_ids.chunks(1000) {
        let customers: Vec<(i64, String)> = deps
            .db
            .fetch_all_unprepared(
                &scope
                    .select("core_customers")
                    .columns(["id", "email"])
                    .and_where(
                        Expr::col("external_id").is_in(chunk.iter().map(|x| x.trim().to_string())),
                    )
                    .to_owned(),
            )
            .await?;
        let email_of: std::collections::HashMap<i64, &str> =
            customers.iter().map(|(id, e)| (*id, e.trim())).collect();
        let mains: Vec<accounts::Account> = deps
            .db
            .fetch_all_unprepared(
                &accounts::select_accounts(scope)
                    .and_where(
                        Expr::col(("core_users", "customer_id")).is_in(email_of.keys().copied()),
                    )
                    .and_where(Expr::col(("core_users", "is_main")).eq(true))
                    .to_owned(),
            )
            .await?;
        for a in mains {
            let Some(&email) = email_of.get(&a.customer_id) else {
                continue;
            };
            if !accounts::valid_email(email) || normalize(&a.email) == normalize(email) {
                continue;
            }
            // A value the portal holds for the back-office (its own
            // organisation e-mail or a login change waiting for processing)
            // is not followed: the back-office decides first.
            let held = open.iter().any(|c| {
                c.customer_id == a.customer_id
                    && ((c.account_id.is_none() && c.fields().contains_key("email"))
                        || c.field_group == super::edit_policy::FieldGroup::LoginEmail.code())
            });
            // An address another account logs in with would leave neither
            // able to log in: the back-office must sort that out.
            if held
                || accounts::email_taken(
                    &deps.db,
                    scope,
                    mode,
                    Some(a.customer_id),
                    email,
                    Some(a.id),
                )
                .await?
            {
                tracing::warn!(
                    customer_id = a.customer_id,
                    held,
                    "customer e-mail not followed by the login"
                );
                continue;
            }
            let mut tx = deps.db.begin().await?;
            crate::auth::flows::staff::write_email(deps, &mut tx, tenant, by, &a, email).await?;
            tx.commit().await?;
            changed += 1;
        }
    }
    if changed > 0 {
        deps.mailer.wake();
    }
    Ok(changed)
}
