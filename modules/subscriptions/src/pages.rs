//! The customer's pages (seeds 000, 001): the running subscriptions, one
//! subscription's products with their cost specification ("Meer
//! informatie"), and the change request: a form where the tenant turned
//! change requests on (seed 001), else the support address to mail
//! changes to (seed 000). `subscriptions.view` and
//! `subscriptions.request_change` are admins' by default; without them the
//! pages answer 404.

use minijinja::{Value, context};
use poem::error::NotFoundError;
use poem::web::{Form, Path, Query, Redirect};
use poem::{IntoResponse, Response, handler};
use portal_core::web::format::{amount, date};
use portal_core::web::guard::{Require, User};
use serde::Deserialize;

use crate::store::{self, Subscription};
use crate::{RequestChange, View, change_requests_on, requests};

fn row(u: &User, s: &Subscription) -> Value {
    let lang = u.page.cx.lang;
    let monthly: i64 = s
        .products()
        .iter()
        .filter(|p| p.period == s.period)
        .map(|p| p.total_cents)
        .sum();
    context! {
        id => s.id, name => s.name.as_str(), period => s.period.as_str(),
        started => s.started_on.map(|d| date(d, lang)), next => s.next_invoice_on.map(|d| date(d, lang)),
        total => amount(monthly, &s.currency, lang),
    }
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct DoneQuery {
    done: String,
}

/// The running subscriptions, the change requests sent, and how to ask for a change.
#[handler]
pub async fn list(u: Require<View>, Query(q): Query<DoneQuery>) -> poem::Result<Response> {
    let subs = store::list(u.reach()).await?;
    let rows: Vec<Value> = subs.iter().map(|s| row(&u, s)).collect();
    let may_request = change_requests_on(u.page.tenant()) && u.can::<RequestChange>();
    let sent = if may_request {
        store::requests_of(u.reach()).await?
    } else {
        Vec::new()
    };
    let lang = u.page.cx.lang;
    let sent: Vec<Value> = sent
        .iter()
        .map(|r| context! { id => r.id, subject => r.subject.as_str(), status => r.status.as_str(), date => date(r.created_at.date_naive(), lang) })
        .collect();
    Ok(u.page
        .render(
            "subscriptions/list.html",
            context! { subscriptions => rows, may_request, requests => sent, done => !q.done.is_empty() },
        )?
        .into_response())
}

/// One subscription: its products with the cost specification.
#[handler]
pub async fn show(u: Require<View>, Path(id): Path<i64>) -> poem::Result<Response> {
    let s = store::one(u.reach(), id).await?.ok_or(NotFoundError)?;
    let lang = u.page.cx.lang;
    let products: Vec<Value> = s
        .products()
        .iter()
        .map(|p| {
            context! {
                name => p.name.as_str(), quantity => portal_core::web::format::quantity(p.quantity, lang), period => p.period.as_str(),
                unit => amount(p.unit_cents, &s.currency, lang), total => amount(p.total_cents, &s.currency, lang),
            }
        })
        .collect();
    Ok(u.page
        .render(
            "subscriptions/show.html",
            context! { subscription => row(&u, &s), products },
        )?
        .into_response())
}

/// Change requests in the portal are a tenant's choice (seed 001); the
/// permission is checked by the handler's `Require<RequestChange>`.
fn require_requests(u: &User) -> poem::Result<()> {
    if change_requests_on(u.page.tenant()) {
        Ok(())
    } else {
        Err(NotFoundError.into())
    }
}

fn render_form(u: &User, values: Value, errors: Value) -> poem::Result<Response> {
    Ok(u.page
        .render("subscriptions/change.html", context! { values, errors })?
        .into_response())
}

/// The change request form (seed 001).
#[handler]
pub async fn change_form(u: Require<RequestChange>) -> poem::Result<Response> {
    require_requests(&u)?;
    render_form(&u, Value::UNDEFINED, Value::UNDEFINED)
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct ChangeForm {
    subject: String,
    description: String,
    agree: String,
}

/// Sends the change request; the subject and the costs switch are required.
#[handler]
pub async fn change_submit(
    u: Require<RequestChange>,
    Form(f): Form<ChangeForm>,
) -> poem::Result<Response> {
    require_requests(&u)?;
    let agreed = matches!(f.agree.as_str(), "on" | "true" | "1");
    match requests::create(
        &u.page.state.deps(),
        u.page.tenant(),
        u.reach(),
        &u.session.account,
        &f.subject,
        &f.description,
        agreed,
    )
    .await?
    {
        Ok(_) => Ok(Redirect::see_other(u.page.url("/subscriptions?done=1")).into_response()),
        Err(e) => {
            let errors: std::collections::BTreeMap<&str, String> =
                e.iter().map(|(k, v)| (*k, u.page.t(v))).collect();
            let values = context! { subject => f.subject.as_str(), description => f.description.as_str(), agree => agreed };
            render_form(&u, values, Value::from(errors))
        }
    }
}
