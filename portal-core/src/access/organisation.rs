//! The organisation's own details as its admin changes them (seed 001:
//! "Gegevens van de praktijk in te zien/te wijzigen"). The back-office
//! stays the source: its next sync overwrites what it sends (seed 000:
//! data is synced daily), and the change is in the activity log so staff
//! can carry it over.

use sea_query::{Expr, ExprTrait};

use super::people::{FieldError, FieldErrors};
use crate::auth::accounts::{self, Account};
use crate::auth::activity::{self, Entry};
use crate::auth::flows::Deps;
use crate::auth::flows::{FlowError, own};
use crate::tenant::Tenant;

/// The fields an admin may change.
#[derive(Debug, Clone, Default)]
pub struct OrganisationInput {
    pub name: String,
    pub email: String,
    pub phone: String,
    pub correspondence_address: String,
}

/// Changes the admin's own organisation.
///
/// # Errors
/// `Ok(Err(_))` for input the admin must correct; `Err` for a failure.
pub async fn update(
    deps: &Deps,
    tenant: &Tenant,
    me: &Account,
    current_password: &str,
    input: &OrganisationInput,
    ip: Option<&str>,
) -> Result<Result<(), FieldErrors>, FlowError> {
    let mut errors = FieldErrors::new();
    let name = input.name.trim();
    if name.is_empty() {
        errors.insert("name", FieldError::Key("people-error-required"));
    } else if name.chars().count() > 200 || name.chars().any(char::is_control) {
        errors.insert("name", FieldError::Key("people-error-too-long"));
    }
    let email = input.email.trim();
    if !email.is_empty() && !accounts::valid_email(email) {
        errors.insert("email", FieldError::Key("people-error-email"));
    }
    if input.phone.chars().count() > 40 || input.phone.chars().any(char::is_control) {
        errors.insert("phone", FieldError::Key("people-error-too-long"));
    }
    let address = input.correspondence_address.trim().replace("\r\n", "\n");
    if address.chars().count() > 500 || address.chars().any(|c| c.is_control() && c != '\n') {
        errors.insert(
            "correspondence_address",
            FieldError::Key("people-error-too-long"),
        );
    }
    if !errors.is_empty() {
        return Ok(Err(errors));
    }
    if !own::current_password_ok(deps, tenant, me, current_password).await? {
        errors.insert("current", FieldError::Key("people-error-current-password"));
        return Ok(Err(errors));
    }
    let scope = tenant.scope();
    let mut tx = deps.db.begin().await?;
    tx.execute(
        &scope
            .update("core_customers")
            .value("name", name)
            .value("email", email)
            .value("phone", input.phone.trim())
            .value("correspondence_address", address)
            .value("updated_at", chrono::Utc::now())
            .and_where(Expr::col("id").eq(me.customer_id))
            .to_owned(),
    )
    .await?;
    activity::record(
        &mut tx,
        scope,
        Entry::by_user(me, "organisation.changed", ip),
    )
    .await?;
    tx.commit().await?;
    Ok(Ok(()))
}
