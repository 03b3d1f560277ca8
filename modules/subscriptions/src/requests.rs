//! Change requests (seed 001 "Abonnement wijzigen"): a required subject, a
//! description and a required "I agree to the extra costs" switch; stored
//! as `new` with a confirmation mail to the customer and an event for the
//! back-office's webhook in the same transaction; the back-office lists
//! them, acknowledges and settles them.

use chrono::Utc;
use portal_core::Deps;
use portal_core::access::Reach;
use portal_core::auth::accounts::Account;
use portal_core::auth::flows::{FlowError, recipient};
use portal_core::db::DbError;
use portal_core::mail::MailValues;
use portal_core::sea_query::ExprTrait;
use portal_core::tenant::Tenant;

/// What is wrong with a request, by field: a text key.
pub type RequestErrors = std::collections::BTreeMap<&'static str, &'static str>;

/// Stores a change request for the customer the page is for (a parent
/// account may ask for a child) and mails `a` the confirmation.
///
/// # Errors
/// `Ok(Err(_))` for input to correct; `Err` for a failure.
pub async fn create(
    deps: &Deps,
    tenant: &Tenant,
    reach: &Reach,
    a: &Account,
    subject: &str,
    description: &str,
    agreed: bool,
) -> Result<Result<i64, RequestErrors>, FlowError> {
    let mut errors = RequestErrors::new();
    let subject = subject.trim();
    if subject.is_empty() {
        errors.insert("subject", "subscriptions-error-subject");
    } else if subject.chars().count() > 200 || subject.chars().any(char::is_control) {
        errors.insert("subject", "subscriptions-error-too-long");
    }
    if description.chars().count() > 5000 {
        errors.insert("description", "subscriptions-error-too-long");
    }
    if !agreed {
        errors.insert("agree", "subscriptions-error-agree");
    }
    if !errors.is_empty() {
        return Ok(Err(errors));
    }
    let scope = tenant.scope();
    let now = Utc::now();
    let mut tx = deps.db.begin().await?;
    let id = tx
        .insert_returning_id(
            &reach
                .insert("subscriptions_change_requests")
                .set("user_id", reach.user_id())
                .set("subject", subject)
                .set("description", description.trim().replace("\r\n", "\n"))
                .set("agreed_extra_costs", true)
                .set("status", "new")
                .set("created_at", now)
                .set("updated_at", now)
                .statement(),
        )
        .await?;
    // The back-office hears of it without polling (core's event outbox).
    portal_core::events::emit(
        &mut tx,
        scope,
        "subscriptions.change_requested",
        &serde_json::json!({
            "change_request_id": id,
            "customer_number": a.customer_number,
            "subject": subject,
            "description": description.trim(),
            "agreed_extra_costs": true,
            "requested_by": a.email,
        }),
    )
    .await?;
    let values = MailValues::new()
        .text("user.name", a.greeting_name())
        .text("request.subject", subject)
        .text("request.number", id.to_string());
    deps.mailer
        .enqueue(
            &mut tx,
            tenant,
            "subscriptions.change_requested",
            &recipient(tenant, a, &a.email),
            &values,
        )
        .await?;
    tx.commit().await?;
    deps.mailer.wake();
    Ok(Ok(id))
}

/// Sets the status of a request of this tenant; false when there is none.
///
/// # Errors
/// A database failure.
pub async fn set_status(
    deps: &Deps,
    tenant: &Tenant,
    id: i64,
    status: &str,
) -> Result<bool, DbError> {
    let n = deps
        .db
        .execute(
            &tenant
                .scope()
                .update("subscriptions_change_requests")
                .value("status", status)
                .value("updated_at", Utc::now())
                .and_where(portal_core::sea_query::Expr::col("id").eq(id))
                .to_owned(),
        )
        .await?;
    Ok(n == 1)
}

/// Support changes a request's status on the staff pages, with an optional
/// message: the requester is mailed the new status (and the message), the
/// back-office hears of it, and the customer sees it on the subscriptions
/// page. False when the tenant has no such request.
///
/// # Errors
/// A database or mail-template failure.
pub async fn set_status_by_staff(
    deps: &Deps,
    tenant: &Tenant,
    reach: &portal_core::staff::StaffReach,
    request: &crate::store::ChangeRequest,
    status: &str,
    message: &str,
) -> Result<bool, FlowError> {
    let scope = reach.scope();
    let mut tx = deps.db.begin().await?;
    let n = tx
        .execute(
            &scope
                .update("subscriptions_change_requests")
                .value("status", status)
                .value("updated_at", Utc::now())
                .and_where(portal_core::sea_query::Expr::col("id").eq(request.id))
                .to_owned(),
        )
        .await?;
    if n != 1 {
        return Ok(false);
    }
    portal_core::events::emit(
        &mut tx,
        scope,
        "subscriptions.change_request_status",
        &serde_json::json!({
            "change_request_id": request.id,
            "status": status,
            "message": message.trim(),
            "by": reach.member_name(),
        }),
    )
    .await?;
    if let Some(user_id) = request.user_id
        && let Some(a) = portal_core::auth::accounts::by_id_in(&mut tx, scope, user_id).await?
        && a.active
    {
        let to = recipient(tenant, &a, &a.email);
        let lang = to.lang.unwrap_or(tenant.default_language);
        let label = deps
            .texts
            .get(lang, &format!("subscriptions-status-{status}"));
        let values = MailValues::new()
            .text("user.name", a.greeting_name())
            .text("request.subject", request.subject.as_str())
            .text("request.number", request.id.to_string())
            .text("request.status", label)
            .text("request.message", message.trim());
        deps.mailer
            .enqueue(&mut tx, tenant, crate::REQUEST_STATUS.key, &to, &values)
            .await?;
    }
    tx.commit().await?;
    deps.mailer.wake();
    Ok(true)
}
