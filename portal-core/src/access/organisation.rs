//! The organisation's own details as its admin changes them (seed 001:
//! "Gegevens van de praktijk in te zien/te wijzigen"), as far as the
//! tenant's edit policy lets them (`edit_policy`). The back-office stays
//! the source: the change goes to it as an event and waits for its
//! confirmation; until then a sync does not overwrite it
//! (`portal_changes`).

use sea_query::{Expr, ExprTrait};

use super::edit_policy::FieldGroup;
use super::people::{FieldError, FieldErrors};
use super::portal_changes::{self as changes, Subject};
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

/// Which of the organisation's field groups the user may change.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Editable {
    /// Name, e-mail and phone number.
    pub organisation: bool,
    pub correspondence: bool,
}

/// Changes the user's own organisation: the groups `may` allows; the
/// others keep their stored values whatever the form sent.
///
/// # Errors
/// `Ok(Err(_))` for input the admin must correct; `Err` for a failure.
pub async fn update(
    deps: &Deps,
    tenant: &Tenant,
    me: &Account,
    current_password: &str,
    input: &OrganisationInput,
    may: Editable,
    ip: Option<&str>,
) -> Result<Result<(), FieldErrors>, FlowError> {
    let scope = tenant.scope();
    let Some(stored) = accounts::customer_details(&deps.db, scope, me.customer_id).await? else {
        return Err(FlowError::Db(crate::db::DbError(sqlx::Error::RowNotFound)));
    };
    let mut input = input.clone();
    // Where the customer's e-mail is the main account's login (seed 000),
    // it changes only as a login does (people, staff), never here.
    if super::login_email::follows(tenant) {
        input.email.clone_from(&stored.email);
    }
    if !may.organisation {
        input.name.clone_from(&stored.name);
        input.email.clone_from(&stored.email);
        input.phone.clone_from(&stored.phone);
    }
    if !may.correspondence {
        input
            .correspondence_address
            .clone_from(&stored.correspondence_address);
    }
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
    let phone = input.phone.trim();
    let mut tx = deps.db.begin().await?;
    tx.execute(
        &scope
            .update("core_customers")
            .value("name", name)
            .value("email", email)
            .value("phone", phone)
            .value("correspondence_address", address.as_str())
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
    let cx = changes::context_of(&mut tx, scope, me.customer_id, None, me.id).await?;
    let subject = Subject::Customer(me.customer_id);
    let organisation = changes::fields_of([
        ("name", stored.name.as_str(), name),
        ("email", stored.email.as_str(), email),
        ("phone", stored.phone.as_str(), phone),
    ]);
    changes::record(
        &mut tx,
        scope,
        subject,
        FieldGroup::Organisation,
        organisation,
        &cx,
    )
    .await?;
    let correspondence = changes::fields_of([(
        "correspondence_address",
        stored.correspondence_address.as_str(),
        address.as_str(),
    )]);
    changes::record(
        &mut tx,
        scope,
        subject,
        FieldGroup::Correspondence,
        correspondence,
        &cx,
    )
    .await?;
    tx.commit().await?;
    Ok(Ok(()))
}
