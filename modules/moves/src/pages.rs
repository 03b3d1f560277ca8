//! The customer's moving requests with their status, and the move-out
//! form (seed 004: "Een uithuizing doorgeven ... U moet hiervoor ingelogd
//! zijn"): the location, the moving date within the tenant's window, end
//! readings per meter, the new correspondence address for the final note,
//! and an IBAN with its holder for a refund. Refused input comes back with
//! the message next to the field and everything typed kept.

use std::collections::BTreeMap;

use chrono::{Days, NaiveDate, Utc};
use minijinja::{Value, context};
use portal_core::access::locations::Need;
use portal_core::poem::web::{Form, Query, Redirect};
use portal_core::poem::{IntoResponse, Response, handler};
use portal_core::sea_query::{Expr, ExprTrait, Order};
use portal_core::web::format::{date, date_time};
use portal_core::web::guard::Require;
use serde::Deserialize;

use crate::store::{self, EndReading, MoveOut};
use crate::{MOVES, Request, iban};

type Result<T> = portal_core::poem::Result<T>;

/// Meter rows on the form.
const READING_ROWS: usize = 3;

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct ListQuery {
    sent: Option<i64>,
}

/// The organisation's moving requests with their status.
#[handler]
pub async fn requests(u: Require<Request>, Query(q): Query<ListQuery>) -> Result<Response> {
    let lang = u.page.cx.lang;
    let rows: Vec<Value> = store::for_customer(u.reach())
        .await?
        .iter()
        .map(|r| {
            context! {
                id => r.id, location => r.location_name.as_str(), date => date(r.moving_on, lang),
                kind => u.page.t(&format!("moves-kind-{}", r.kind)),
                status => r.status.as_str(), status_label => u.page.t(&format!("moves-status-{}", r.status)),
                message => r.message.as_str(), sent => date_time(r.created_at, lang),
            }
        })
        .collect();
    Ok(u.page
        .render(
            "moves/requests.html",
            context! { requests => rows, sent => q.sent },
        )?
        .into_response())
}

/// The locations the account may end a contract at: where it may write.
async fn locations(u: &Require<Request>) -> Result<Vec<(i64, i64, String)>> {
    let reach = u.reach().everywhere();
    let mut q = reach.select_at_locations("core_locations", "id", Need::Write);
    q.columns(["id", "customer_id", "name"])
        .and_where(Expr::col("active").eq(true))
        .order_by("name", Order::Asc);
    Ok(reach.db().fetch_all(&q).await?)
}

async fn render(
    u: &Require<Request>,
    values: Value,
    errors: BTreeMap<&'static str, String>,
) -> Result<Response> {
    let options: Vec<(String, String)> = locations(u)
        .await?
        .into_iter()
        .map(|(id, _, name)| (id.to_string(), name))
        .collect();
    let (before, after) = window(u);
    let today = portal_core::web::format::local(Utc::now()).date();
    Ok(u.page
        .render(
            "moves/move_out.html",
            context! {
                options, values, errors, rows => (0..READING_ROWS).collect::<Vec<_>>(),
                earliest => date(today - Days::new(before), u.page.cx.lang),
                latest => date(today + Days::new(after), u.page.cx.lang),
            },
        )?
        .into_response())
}

/// The tenant's window around today, in days before and after.
fn window(u: &Require<Request>) -> (u64, u64) {
    let num = |k: &str, d: u64| MOVES.setting(u.page.tenant(), k).parse().unwrap_or(d);
    (num("window_before_days", 30), num("window_after_days", 90))
}

/// The move-out form.
#[handler]
pub async fn move_out_form(u: Require<Request>) -> Result<Response> {
    render(&u, Value::UNDEFINED, BTreeMap::new()).await
}

/// Sends a move-out.
#[handler]
pub async fn move_out(
    u: Require<Request>,
    Form(f): Form<Vec<(String, String)>>,
) -> Result<Response> {
    let get = |k: &str| {
        f.iter()
            .find(|(n, _)| n == k)
            .map_or(String::new(), |(_, v)| v.trim().to_string())
    };
    let mut errors: BTreeMap<&'static str, String> = BTreeMap::new();
    let locations = locations(&u).await?;
    let location = get("location")
        .parse::<i64>()
        .ok()
        .and_then(|id| locations.iter().find(|l| l.0 == id).cloned());
    if location.is_none() {
        errors.insert("location", u.page.t("moves-error-location"));
    }
    let today = portal_core::web::format::local(Utc::now()).date();
    let (before, after) = window(&u);
    let moving_on = NaiveDate::parse_from_str(&get("moving_on"), "%Y-%m-%d").ok();
    match moving_on {
        None => {
            errors.insert("moving_on", u.page.t("moves-error-date"));
        }
        Some(d) if d < today - Days::new(before) || d > today + Days::new(after) => {
            errors.insert(
                "moving_on",
                u.page.state.renderer.texts().get_with(
                    u.page.cx.voice(),
                    "moves-error-window",
                    portal_core::poem::i18n::I18NArgs::default()
                        .set("earliest", date(today - Days::new(before), u.page.cx.lang))
                        .set("latest", date(today + Days::new(after), u.page.cx.lang)),
                ),
            );
        }
        _ => {}
    }
    let mut readings = Vec::new();
    for i in 0..READING_ROWS {
        let meter = get(&format!("meter_{i}"));
        let reading = get(&format!("reading_{i}"));
        if meter.is_empty() && reading.is_empty() {
            continue;
        }
        let number_ok = !reading.is_empty()
            && reading
                .chars()
                .all(|c| c.is_ascii_digit() || c == ',' || c == '.')
            && reading.chars().count() <= 20;
        if meter.is_empty() || meter.chars().count() > 60 || !number_ok {
            errors.insert("readings", u.page.t("moves-error-reading"));
        }
        readings.push(EndReading { meter, reading });
    }
    if readings.is_empty() {
        errors.insert("readings", u.page.t("moves-error-readings"));
    }
    let address = get("new_address");
    if address.is_empty() || address.chars().count() > 500 || address.contains(['<', '>']) {
        errors.insert("new_address", u.page.t("moves-error-address"));
    }
    let checked_iban = iban::check(&get("iban"));
    if checked_iban.is_none() {
        errors.insert("iban", u.page.t("moves-error-iban"));
    }
    let holder = get("account_holder");
    if holder.is_empty() || holder.chars().count() > 100 {
        errors.insert("account_holder", u.page.t("moves-error-holder"));
    }
    let (Some((location_id, customer_id, location_name)), Some(moving_on), Some(iban), true) =
        (location, moving_on, checked_iban, errors.is_empty())
    else {
        let typed: BTreeMap<String, String> = f.iter().cloned().collect();
        return render(&u, Value::from(typed), errors).await;
    };
    let m = MoveOut {
        location_id,
        location_name,
        customer_id,
        moving_on,
        readings,
        new_address: address,
        iban,
        account_holder: holder,
    };
    let id = store::move_out(
        &u.page.state.deps(),
        u.page.tenant(),
        u.reach(),
        &u.session.account,
        &m,
    )
    .await?;
    Ok(Redirect::see_other(u.page.url(&format!("/moves?sent={id}"))).into_response())
}
