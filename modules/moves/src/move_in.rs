//! Completed move-ins: a draft becomes a request (the row, the event
//! `moves.move_in` and the resident's confirmation mail commit together
//! with the draft's deletion: exactly one of each), which only staff of the
//! tenant and its back-office read; staff set Waiting (with a message to
//! the resident), Processed or Rejected; the back-office links the customer
//! it made.

use chrono::{DateTime, NaiveDate, Utc};
use portal_core::Deps;
use portal_core::auth::flows::FlowError;
use portal_core::db::{Db, DbError};
use portal_core::events;
use portal_core::mail::{MailValues, Recipient};
use portal_core::sea_query::{Expr, ExprTrait, Order};
use portal_core::tenant::{AddressForm, Lang, Tenant, TenantScope};

use crate::address::Address;
use crate::draft::{self, Draft};

/// A completed move-in.
#[derive(Debug, Clone, sqlx::FromRow, serde::Serialize, poem_openapi::Object)]
pub struct MoveIn {
    pub id: i64,
    pub address_id: Option<i64>,
    pub address_label: String,
    /// `new`, `waiting`, `processed` or `rejected`.
    #[oai(validator(pattern = "^(new|waiting|processed|rejected)$"))]
    pub status: String,
    pub moving_on: NaiveDate,
    pub name: String,
    pub email: String,
    pub lang: String,
    pub address_form: String,
    /// Everything the wizard asked, as JSON text.
    pub data_json: String,
    pub document_name: String,
    pub document_type: String,
    #[oai(skip)]
    #[serde(skip)]
    pub document_key: Option<String>,
    pub message: String,
    pub customer_id: Option<i64>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}
portal_core::from_sqlite! {
    MoveIn { id, address_id, address_label, status, moving_on, name, email, lang, address_form,
        data_json, document_name, document_type, document_key, message, customer_id, created_at,
        updated_at }
}

impl MoveIn {
    pub fn data(&self) -> draft::DraftData {
        serde_json::from_str(&self.data_json).unwrap_or_default()
    }
    fn recipient(&self, tenant: &Tenant) -> Recipient {
        Recipient {
            address: self.email.clone(),
            name: self.name.clone(),
            lang: Lang::parse(&self.lang).or(Some(tenant.default_language)),
            form: AddressForm::parse(&self.address_form),
        }
    }
}

const COLUMNS: [&str; 16] = [
    "id",
    "address_id",
    "address_label",
    "status",
    "moving_on",
    "name",
    "email",
    "lang",
    "address_form",
    "data_json",
    "document_name",
    "document_type",
    "document_key",
    "message",
    "customer_id",
    "created_at",
];

fn select(scope: TenantScope) -> portal_core::sea_query::SelectStatement {
    let mut q = scope.select("moves_move_ins");
    q.columns(COLUMNS).column("updated_at");
    q
}

/// The tenant's move-ins (`open`: new and waiting), newest first.
///
/// # Errors
/// A database failure.
pub async fn list(db: &Db, scope: TenantScope, open: bool) -> Result<Vec<MoveIn>, DbError> {
    let mut q = select(scope);
    q.order_by("id", Order::Desc).limit(500);
    if open {
        q.and_where(Expr::col("status").is_in(["new", "waiting"]));
    }
    db.fetch_all(&q).await
}

/// Move-in `id` of this tenant.
///
/// # Errors
/// A database failure.
pub async fn one(db: &Db, scope: TenantScope, id: i64) -> Result<Option<MoveIn>, DbError> {
    let mut q = select(scope);
    q.and_where(Expr::col("id").eq(id));
    db.fetch_optional(&q).await
}

/// How the resident is addressed, from the request's page.
#[derive(Debug, Clone, Copy)]
pub struct Voice {
    pub lang: Lang,
    pub form: AddressForm,
}

/// Turns a complete draft into a request; returns its id.
///
/// # Errors
/// A database or mail failure.
pub async fn complete(
    deps: &Deps,
    tenant: &Tenant,
    d: &Draft,
    address: &Address,
    moving_on: NaiveDate,
    voice: Voice,
) -> Result<i64, FlowError> {
    let scope = tenant.scope();
    let now = Utc::now();
    let data = &d.data;
    let label = address.label();
    let mut tx = deps.db.begin().await?;
    let id = tx
        .insert_returning_id(
            &scope
                .insert("moves_move_ins")
                .set("address_id", address.id)
                .set("address_label", label.as_str())
                .set("status", "new")
                .set("moving_on", moving_on)
                .set("name", data.name.trim())
                .set("email", data.email.trim())
                .set("lang", voice.lang.code())
                .set("address_form", voice.form.code())
                .set(
                    "data_json",
                    serde_json::to_string(data).unwrap_or_else(|_| "{}".into()),
                )
                .set("document_key", d.document_key.clone())
                .set("document_name", d.document_name.as_str())
                .set("document_type", d.document_type.as_str())
                .set("created_at", now)
                .set("updated_at", now)
                .statement(),
        )
        .await?;
    draft::delete(&mut tx, scope, d.id).await?;
    events::emit(
        &mut tx,
        scope,
        "moves.move_in",
        &serde_json::json!({
            "request_id": id, "address_external_id": address.external_id, "address": label,
            "moving_on": moving_on, "start_readings": data.readings,
            "customer_kind": data.customer_kind, "name": data.name.trim(),
            "organisation": data.organisation.trim(), "coc_number": data.coc_number.trim(),
            "email": data.email.trim(), "phone": data.phone.trim(),
            "correspondence": if data.correspondence == "other" {
                serde_json::json!({"street": data.corr_street.trim(), "postcode": data.corr_postcode.trim(),
                    "city": data.corr_city.trim(), "country": data.corr_country.trim()})
            } else { serde_json::Value::Null },
            "payment": data.payment, "iban": data.iban, "account_holder": data.account_holder.trim(),
            "mandate": data.mandate, "terms_accepted": data.terms,
            "proposed_advance_cents": address.advance_cents,
            "handover_document": d.document_key.is_some(),
        }),
    )
    .await?;
    let values = MailValues::new()
        .text("user.name", data.name.trim())
        .text("move.location", label.as_str())
        .text("move.date", moving_on.format("%d-%m-%Y").to_string())
        .text("move.number", id.to_string());
    let to = Recipient {
        address: data.email.trim().to_string(),
        name: data.name.trim().to_string(),
        lang: Some(voice.lang),
        form: Some(voice.form),
    };
    deps.mailer
        .enqueue(&mut tx, tenant, crate::MOVE_IN_RECEIVED.key, &to, &values)
        .await?;
    tx.commit().await?;
    deps.mailer.wake();
    Ok(id)
}

/// Staff set a move-in's status with a message; the resident is mailed.
/// False when there is no such request of this tenant.
///
/// # Errors
/// A database or mail failure.
pub async fn set_status(
    deps: &Deps,
    tenant: &Tenant,
    m: &MoveIn,
    status: &str,
    status_label: &str,
    message: &str,
) -> Result<bool, FlowError> {
    let change = crate::store::StatusChange {
        table: "moves_move_ins",
        kind: "in",
        id: m.id,
        location: &m.address_label,
        to: Some((m.recipient(tenant), m.name.clone())),
    };
    crate::store::change_status(deps, tenant, &change, status, status_label, message).await
}

/// Links the customer the back-office made for move-in `id` (and marks it
/// processed). False when either is not this tenant's.
///
/// # Errors
/// A database failure.
pub async fn link_customer(
    db: &Db,
    scope: TenantScope,
    id: i64,
    customer_external_id: &str,
) -> Result<bool, DbError> {
    let customer: Option<(i64,)> = db
        .fetch_optional(
            &scope
                .select("core_customers")
                .column("id")
                .and_where(Expr::col("external_id").eq(customer_external_id.trim()))
                .to_owned(),
        )
        .await?;
    let Some((customer_id,)) = customer else {
        return Ok(false);
    };
    let mut tx = db.begin().await?;
    let n = tx
        .execute(
            &scope
                .update("moves_move_ins")
                .value("customer_id", customer_id)
                .value("status", "processed")
                .value("updated_at", Utc::now())
                .and_where(Expr::col("id").eq(id))
                .to_owned(),
        )
        .await?;
    tx.commit().await?;
    Ok(n == 1)
}
