//! Contracts with their advance, within the principal's [`Reach`] (another
//! customer's contract is not found), their history, and the customer's
//! change: the amount, a history row and the event `advances.changed`
//! commit together.

use chrono::{DateTime, Utc};
use portal_core::access::Reach;
use portal_core::db::DbError;
use portal_core::events;
use portal_core::sea_query::{Expr, ExprTrait, Order};

/// A contract with its advance.
#[derive(Debug, Clone, sqlx::FromRow, serde::Serialize, poem_openapi::Object)]
pub struct Contract {
    pub id: i64,
    pub customer_id: i64,
    pub external_id: String,
    pub contract_number: String,
    pub description: String,
    pub frequency: String,
    pub currency: String,
    pub original_cents: i64,
    pub amount_cents: i64,
    pub updated_at: DateTime<Utc>,
}
portal_core::from_sqlite! {
    Contract { id, customer_id, external_id, contract_number, description, frequency, currency,
        original_cents, amount_cents, updated_at }
}

pub(crate) const COLUMNS: [&str; 10] = [
    "id",
    "customer_id",
    "external_id",
    "contract_number",
    "description",
    "frequency",
    "currency",
    "original_cents",
    "amount_cents",
    "updated_at",
];

/// One change of an advance.
#[derive(Debug, Clone, sqlx::FromRow, serde::Serialize, poem_openapi::Object)]
pub struct Change {
    pub contract_id: i64,
    pub from_cents: i64,
    pub to_cents: i64,
    /// `customer` or `back_office`.
    pub source: String,
    pub by_name: String,
    pub at: DateTime<Utc>,
}
portal_core::from_sqlite! {
    Change { contract_id, from_cents, to_cents, source, by_name, at }
}

/// The contracts of the customers the page is for.
///
/// # Errors
/// A database failure.
pub async fn contracts(reach: &Reach) -> Result<Vec<Contract>, DbError> {
    let mut q = reach.select("advances_contracts");
    q.columns(COLUMNS)
        .order_by("contract_number", Order::Asc)
        .order_by("id", Order::Asc);
    reach.db().fetch_all(&q).await
}

/// Contract `id`, if the reach sees it.
///
/// # Errors
/// A database failure.
pub async fn contract(reach: &Reach, id: i64) -> Result<Option<Contract>, DbError> {
    let mut q = reach.select("advances_contracts");
    q.columns(COLUMNS).and_where(Expr::col("id").eq(id));
    reach.db().fetch_optional(&q).await
}

/// The changes of the reach's contracts, newest first.
///
/// # Errors
/// A database failure.
pub async fn changes(reach: &Reach, contracts: &[Contract]) -> Result<Vec<Change>, DbError> {
    let ids: Vec<i64> = contracts.iter().map(|c| c.id).collect();
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    reach
        .db()
        .fetch_all(
            &reach
                .scope()
                .select("advances_changes")
                .columns([
                    "contract_id",
                    "from_cents",
                    "to_cents",
                    "source",
                    "by_name",
                    "at",
                ])
                .and_where(Expr::col("contract_id").is_in(ids))
                .order_by("id", Order::Desc)
                .limit(200)
                .to_owned(),
        )
        .await
}

/// The confirmation mail of a change, when the tenant sends one.
pub struct Confirmation<'a> {
    pub deps: &'a portal_core::Deps,
    pub tenant: &'a portal_core::tenant::Tenant,
    pub account: &'a portal_core::auth::accounts::Account,
    pub lang: portal_core::tenant::Lang,
}

/// Sets contract `c`'s advance to `cents` (already checked against the
/// range): the amount, the history row, the event and (when given) the
/// confirmation mail commit together.
///
/// # Errors
/// A database failure, or a mail that cannot be queued.
pub async fn change(
    reach: &Reach,
    c: &Contract,
    cents: i64,
    by: &str,
    mail: Option<Confirmation<'_>>,
) -> Result<(), portal_core::auth::flows::FlowError> {
    let scope = reach.scope();
    let now = Utc::now();
    let mut tx = reach.db().begin().await?;
    let mut q = reach.update("advances_contracts");
    q.value("amount_cents", cents)
        .value("updated_at", now)
        .and_where(Expr::col("id").eq(c.id));
    tx.execute(&q).await?;
    tx.execute(
        &scope
            .insert("advances_changes")
            .set("contract_id", c.id)
            .set("from_cents", c.amount_cents)
            .set("to_cents", cents)
            .set("source", "customer")
            .set("user_id", reach.user_id())
            .set("by_name", by)
            .set("at", now)
            .statement(),
    )
    .await?;
    events::emit(
        &mut tx,
        scope,
        "advances.changed",
        &serde_json::json!({
            "contract_external_id": c.external_id, "contract_number": c.contract_number,
            "customer_id": c.customer_id, "from_cents": c.amount_cents, "to_cents": cents,
            "original_cents": c.original_cents, "currency": c.currency, "by": by,
        }),
    )
    .await?;
    if let Some(m) = &mail {
        let fmt = |v| portal_core::web::format::amount(v, &c.currency, m.lang);
        let values = portal_core::mail::MailValues::new()
            .text("user.name", m.account.greeting_name())
            .text("contract.number", c.contract_number.as_str())
            .text("advance.old", fmt(c.amount_cents))
            .text("advance.new", fmt(cents));
        let to = portal_core::auth::flows::recipient(m.tenant, m.account, &m.account.email);
        m.deps
            .mailer
            .enqueue(&mut tx, m.tenant, crate::CHANGED.key, &to, &values)
            .await?;
    }
    tx.commit().await?;
    if let Some(m) = mail {
        m.deps.mailer.wake();
    }
    Ok(())
}
