//! Reading invoices. Every query starts from the principal's [`Reach`]
//! (the tenant and the customers the page is for): an invoice of another
//! tenant or customer is simply not found (the page answers 404 alike).

use chrono::NaiveDate;
use portal_core::access::Reach;
use portal_core::db::{DbError, FromSqlite};
use portal_core::sea_query::{Cond, Expr, ExprTrait, Order};

/// One invoice as the pages use it.
#[derive(Debug, Clone, portal_core::sqlx::FromRow)]
pub struct Invoice {
    pub id: i64,
    pub customer_id: i64,
    pub external_id: String,
    pub number: String,
    pub contract: String,
    pub issued_on: NaiveDate,
    pub due_on: Option<NaiveDate>,
    pub currency: String,
    pub total_cents: i64,
    pub vat_cents: i64,
    pub status: String,
    pub refund_on: Option<NaiveDate>,
    pub lines_json: String,
    pub pdf_key: Option<String>,
}
portal_core::from_sqlite! {
    Invoice { id, customer_id, external_id, number, contract, issued_on, due_on, currency,
        total_cents, vat_cents, status, refund_on, lines_json, pdf_key }
}

/// The columns of [`Invoice`] (the page and the sync read them all).
pub(crate) const COLUMNS: &[&str] = <Invoice as FromSqlite>::COLUMNS;

/// One invoice as the list and the invoice page show it: what [`list`]
/// reads. Every column of every row is copied out of the database and
/// decoded; the list read all fourteen of [`Invoice`] and showed these
/// (a tenth of the list page's CPU went to decoding rows, measured).
#[derive(Debug, Clone, portal_core::sqlx::FromRow)]
pub struct Listed {
    pub id: i64,
    pub number: String,
    pub contract: String,
    pub issued_on: NaiveDate,
    pub due_on: Option<NaiveDate>,
    pub currency: String,
    pub total_cents: i64,
    pub status: String,
    pub refund_on: Option<NaiveDate>,
}

// The macro also gives the column list the list's query selects.
portal_core::from_sqlite! {
    Listed { id, number, contract, issued_on, due_on, currency, total_cents, status, refund_on }
}

/// Seed 004: a negative invoice awaiting payment processing gets a notice
/// with the date the amount is paid back.
fn refund_notice(
    total_cents: i64,
    status: &str,
    refund_on: Option<NaiveDate>,
) -> Option<NaiveDate> {
    (total_cents < 0 && status == "refund_pending")
        .then_some(refund_on)
        .flatten()
}

impl Invoice {
    /// The date of the refund notice (seed 004), if the invoice gets one.
    pub fn refund_notice_date(&self) -> Option<NaiveDate> {
        refund_notice(self.total_cents, &self.status, self.refund_on)
    }
}

impl Listed {
    /// The date of the refund notice (seed 004), if the invoice gets one.
    pub fn refund_notice_date(&self) -> Option<NaiveDate> {
        refund_notice(self.total_cents, &self.status, self.refund_on)
    }
}

impl From<&Invoice> for Listed {
    fn from(i: &Invoice) -> Self {
        Self {
            id: i.id,
            number: i.number.clone(),
            contract: i.contract.clone(),
            issued_on: i.issued_on,
            due_on: i.due_on,
            currency: i.currency.clone(),
            total_cents: i.total_cents,
            status: i.status.clone(),
            refund_on: i.refund_on,
        }
    }
}

/// Which invoices a list shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Filter {
    All,
    /// Still to be paid (open), seed 004's overview.
    Open,
    Paid,
}

/// Up to `limit` invoices within `reach` (of one contract, when given),
/// newest first, after the keyset cursor `after` (the issue date and id of
/// the last row shown). Without their lines (`lines_json` is empty).
///
/// # Errors
/// A database failure.
pub async fn list(
    reach: &Reach,
    filter: Filter,
    contract: Option<&str>,
    after: Option<(NaiveDate, i64)>,
    limit: u64,
) -> Result<Vec<Listed>, DbError> {
    let mut q = reach.select("invoices_invoices");
    if let Some(c) = contract {
        q.and_where(Expr::col("contract").eq(c));
    }
    q.columns(<Listed as FromSqlite>::COLUMNS.iter().copied())
        .order_by("issued_on", Order::Desc)
        .order_by("id", Order::Desc)
        .limit(limit);
    match filter {
        Filter::All => {}
        Filter::Open => {
            // To be paid, as the home card counts them; a credit awaiting
            // its refund is listed with all invoices.
            q.and_where(Expr::col("status").eq("open"));
        }
        Filter::Paid => {
            q.and_where(Expr::col("status").eq("paid"));
        }
    }
    if let Some((d, id)) = after {
        // `issued_on <= d` on its own lets both databases start the index
        // scan at the cursor; the `OR` alone made them read every newer
        // invoice first, so the 500th page read 10,000 rows.
        q.and_where(Expr::col("issued_on").lte(d)).cond_where(
            Cond::any()
                .add(Expr::col("issued_on").lt(d))
                .add(Expr::col("id").lt(id)),
        );
    }
    reach.db().fetch_all(&q).await
}

/// One invoice within `reach`, or `None`.
///
/// # Errors
/// A database failure.
pub async fn one(reach: &Reach, id: i64) -> Result<Option<Invoice>, DbError> {
    let mut q = reach.select("invoices_invoices");
    q.columns(COLUMNS.iter().copied())
        .and_where(Expr::col("id").eq(id));
    reach.db().fetch_optional(&q).await
}

/// The open invoices within `reach` (to be paid): their number and the
/// amount due per currency, for the home page (seed 004).
///
/// # Errors
/// A database failure.
pub async fn open_due(reach: &Reach) -> Result<(i64, Vec<(String, i64)>), DbError> {
    let rows: Vec<(String, i64)> = reach
        .db()
        .fetch_all(
            &reach
                .select("invoices_invoices")
                .columns(["currency", "total_cents"])
                .and_where(Expr::col("status").eq("open"))
                .to_owned(),
        )
        .await?;
    let mut sums: Vec<(String, i64)> = Vec::new();
    for (currency, cents) in &rows {
        match sums.iter_mut().find(|(c, _)| c == currency) {
            Some((_, total)) => *total += cents,
            None => sums.push((currency.clone(), *cents)),
        }
    }
    Ok((i64::try_from(rows.len()).unwrap_or(i64::MAX), sums))
}

/// The contracts the reached customers have invoices for, by name (seed 004: invoices
/// per contract, where the tenant shows them).
///
/// # Errors
/// A database failure.
pub async fn contracts(reach: &Reach) -> Result<Vec<String>, DbError> {
    let rows: Vec<(String,)> = reach
        .db()
        .fetch_all(
            &reach
                .select("invoices_invoices")
                .column("contract")
                .distinct()
                .and_where(Expr::col("contract").ne(""))
                .order_by("contract", Order::Asc)
                .limit(200)
                .to_owned(),
        )
        .await?;
    Ok(rows.into_iter().map(|(c,)| c).collect())
}
