//! The customer's pages (seeds 000, 001, 004): the list (newest first,
//! open or paid, keyset pagination, per contract), one invoice in HTML
//! with its lines and the refund notice, and its PDF (the back-office's
//! upload, else rendered here). Everything needs `invoices.view` (admins
//! by default, seed 001); without it, or for an invoice of another
//! customer, the answer is 404.

use chrono::NaiveDate;
use std::sync::Arc;

use minijinja::value::{Enumerator, Object};
use minijinja::{Value, context};
use poem::error::NotFoundError;
use poem::web::{Path, Query};
use poem::{IntoResponse, Response, handler};
use portal_core::db::Paged;
use portal_core::module::CardCx;
use portal_core::web::context::Page;
use portal_core::web::guard::Require;
use serde::Deserialize;

use crate::store::{self, Filter, Invoice, Listed};
use crate::sync::LineRow;
use crate::{PAGE_SIZE, View};
use portal_core::web::format::{amount, shared, write_amount, write_date, write_refund_date};

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct ListQuery {
    /// `open`, `paid` or empty for all.
    status: String,
    /// The keyset cursor: `<issued_on>_<id>` of the last row shown.
    after: String,
    /// One contract's invoices (where the tenant shows invoices per contract).
    contract: String,
}

/// The keyset cursor, or `None` for anything that is not one a list made
/// (a date far outside the calendar would make PostgreSQL refuse the query).
fn cursor(s: &str) -> Option<(NaiveDate, i64)> {
    use chrono::Datelike;
    let (d, id) = s.split_once('_')?;
    let (d, id): (NaiveDate, i64) = (d.parse().ok()?, id.parse().ok()?);
    ((1..=9999).contains(&d.year()) && id > 0).then_some((d, id))
}

/// The message key of a status's label; the known ones without a new string.
fn status_key(status: &str) -> std::borrow::Cow<'static, str> {
    match status {
        "open" => "invoices-status-open".into(),
        "paid" => "invoices-status-paid".into(),
        "refund_pending" => "invoices-status-refund_pending".into(),
        other => format!("invoices-status-{other}").into(),
    }
}

/// One invoice for a template: its texts formatted here (three
/// translations per row in the template were a tenth of the list's CPU),
/// its fields found by a `match` (a map built per row and searched per
/// field was most of what a row cost beyond its HTML).
#[derive(Debug)]
struct Row {
    id: i64,
    credit: bool,
    /// In the order of [`Row::FIELDS`] after `id` and `credit`.
    texts: [Value; 10],
}

impl Row {
    const FIELDS: &'static [&'static str] = &[
        "id",
        "credit",
        "number",
        "contract",
        "status",
        "status_label",
        "pdf_view",
        "pdf_download",
        "issued",
        "due",
        "total",
        "refund",
    ];

    fn value(i: &Listed, page: &Page) -> Value {
        let lang = page.cx.lang;
        let number = [("number", i.number.as_str())];
        let row = Self {
            id: i.id,
            // A negative total is a credit note, titled as one.
            credit: i.total_cents < 0,
            texts: [
                Value::from(i.number.as_str()),
                Value::from(i.contract.as_str()),
                Value::from(i.status.as_str()),
                Value::from(page.t_shared(&status_key(&i.status))),
                Value::from(page.t_args_shared("invoices-pdf-view", &number)),
                Value::from(page.t_args_shared("invoices-pdf-download", &number)),
                Value::from(shared(|o| write_date(o, i.issued_on, lang))),
                Value::from(i.due_on.map(|d| shared(|o| write_date(o, d, lang)))),
                Value::from(shared(|o| {
                    write_amount(o, i.total_cents, &i.currency, lang)
                })),
                Value::from(
                    i.refund_notice_date()
                        .map(|d| shared(|o| write_refund_date(o, d))),
                ),
            ],
        };
        Value::from_object(row)
    }
}

impl Object for Row {
    fn get_value(self: &Arc<Self>, key: &Value) -> Option<Value> {
        self.get_value_by_str(key.as_str()?)
    }

    fn get_value_by_str(self: &Arc<Self>, key: &str) -> Option<Value> {
        match Self::FIELDS.iter().position(|f| *f == key)? {
            0 => Some(Value::from(self.id)),
            1 => Some(Value::from(self.credit)),
            n => self.texts.get(n - 2).cloned(),
        }
    }

    fn enumerate(self: &Arc<Self>) -> Enumerator {
        Enumerator::Str(Self::FIELDS)
    }
}

/// The invoice list.
#[handler]
pub async fn list(u: Require<View>, Query(q): Query<ListQuery>) -> poem::Result<Response> {
    let reach = u.reach();
    let filter = match q.status.as_str() {
        "open" => Filter::Open,
        "paid" => Filter::Paid,
        _ => Filter::All,
    };
    let contracts = if crate::per_contract(u.page.tenant()) {
        store::contracts(reach).await?
    } else {
        Vec::new()
    };
    let contract = contracts
        .iter()
        .find(|c| **c == q.contract)
        .map(String::as_str);
    let limit = Paged::<Listed>::limit(PAGE_SIZE);
    let found = Paged::new(
        store::list(reach, filter, contract, cursor(&q.after), limit).await?,
        PAGE_SIZE,
    );
    let next = found.next(|i| format!("{}_{}", i.issued_on, i.id));
    let invoices: Vec<Value> = found.rows.iter().map(|i| Row::value(i, &u.page)).collect();
    Ok(u.page
        .render(
            "invoices/list.html",
            context! {
                invoices, next, status => q.status.as_str(), first => q.after.is_empty(),
                contracts => contracts.clone(), contract,
            },
        )?
        .into_response())
}

async fn invoice_of(u: &Require<View>, id: i64) -> poem::Result<Invoice> {
    store::one(u.reach(), id)
        .await?
        .ok_or_else(|| NotFoundError.into())
}

/// One invoice in the portal (seed 000: click the number).
#[handler]
pub async fn show(u: Require<View>, Path(id): Path<i64>) -> poem::Result<Response> {
    let i = invoice_of(&u, id).await?;
    let lang = u.page.cx.lang;
    let lines: Vec<LineRow> = serde_json::from_str(&i.lines_json).unwrap_or_default();
    let lines: Vec<Value> = lines
        .iter()
        .map(|l| {
            context! {
                description => l.description.as_str(), quantity => portal_core::web::format::quantity(l.quantity, lang),
                unit => amount(l.unit_cents, &i.currency, lang), total => amount(l.total_cents, &i.currency, lang),
                vat => l.vat_percent,
            }
        })
        .collect();
    Ok(u.page
        .render(
            "invoices/show.html",
            context! {
                invoice => Row::value(&Listed::from(&i), &u.page), lines,
                vat => amount(i.vat_cents, &i.currency, lang),
            },
        )?
        .into_response())
}

/// A file name that is safe in a header: the invoice number's letters and digits.
fn file_name(number: &str) -> String {
    let clean: String = number
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_')
        .take(60)
        .collect();
    format!(
        "factuur-{}.pdf",
        if clean.is_empty() { "invoice" } else { &clean }
    )
}

#[derive(Debug, Default, serde::Deserialize)]
#[serde(default)]
pub struct PdfQuery {
    /// Any value: a download instead of a view in the browser.
    download: Option<String>,
}

/// The invoice as PDF, never cached: shown in the browser (seed 000: "view
/// and optionally download"), under a policy that lets the document load
/// nothing and be framed by no other site; `?download=1` saves it.
#[handler]
pub async fn pdf(
    u: Require<View>,
    Path(id): Path<i64>,
    Query(q): Query<PdfQuery>,
) -> poem::Result<Response> {
    let i = invoice_of(&u, id).await?;
    let bytes = match &i.pdf_key {
        Some(key) => u.page.state.blobs.get(key).await?,
        None => None,
    };
    let bytes = match bytes {
        Some(b) => b,
        None => {
            let tenant = u.page.tenant();
            let logo = match &tenant.branding.logo {
                Some(key) => u
                    .page
                    .state
                    .blobs
                    .get(key)
                    .await?
                    .and_then(|bytes| portal_core::pdf::image::from_logo(key, &bytes)),
                None => None,
            };
            crate::render::invoice_pdf(tenant, &i, u.page.cx.lang, logo.as_ref())
        }
    };
    let disposition = if q.download.is_some() {
        "attachment"
    } else {
        "inline"
    };
    Ok(bytes
        .with_content_type("application/pdf")
        .with_header(
            "content-disposition",
            format!("{disposition}; filename=\"{}\"", file_name(&i.number)),
        )
        .with_header(
            "content-security-policy",
            "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'self'",
        )
        .with_header("cache-control", "no-store")
        .with_header("x-content-type-options", "nosniff")
        .into_response())
}

/// The home page's card (seed 004: open invoices on the overview): how many
/// are open and what is due; none without `invoices.view`.
///
/// # Errors
/// A database failure.
pub async fn home_card(cx: &dyn CardCx) -> poem::Result<Vec<portal_core::module::HomeCard>> {
    let Some(reach) = cx.reach::<View>() else {
        return Ok(Vec::new());
    };
    let lang = cx.lang();
    let (count, due) = store::open_due(&reach).await?;
    let amounts: Vec<String> = due
        .iter()
        .map(|(c, cents)| amount(*cents, c, lang))
        .collect();
    let description = if count == 0 {
        cx.t("invoices-card-none")
    } else {
        cx.t_with(
            "invoices-card-due",
            poem::i18n::I18NArgs::default()
                .set("count", count)
                .set("amount", amounts.join(" + ")),
        )
    };
    Ok(vec![portal_core::module::HomeCard {
        order: 300,
        title: cx.t("invoices-card-title"),
        description,
        path: "/invoices?status=open".into(),
        count: Some(count),
    }])
}
