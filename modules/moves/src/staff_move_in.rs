//! A move-in on the staff pages (`/staff/moves/move-ins/:id`, reached from
//! core's list of requests): everything the resident gave, the handover
//! document, the status. Waiting (with a message), Processed or Rejected
//! mail the resident; the back-office makes the contract and customer and
//! links them (then the resident's invitation comes from core's account
//! sync). Only staff of the tenant open it; in the activity log.

use minijinja::{Value, context};
use portal_core::auth::flows::Client;
use portal_core::files::names;
use portal_core::poem::error::NotFoundError;
use portal_core::poem::web::{Form, Path, Query, Redirect};
use portal_core::poem::{IntoResponse, Response, handler};
use portal_core::staff::permission::Requests;
use portal_core::web::format::{amount, date, date_time};
use portal_core::web::staff::Staff;

use crate::iban::grouped;
use crate::move_in::{self, MoveIn};
use crate::staff_pages::{DoneQuery, StatusForm, status_refused};
use crate::store::STATUSES;

type Result<T> = portal_core::poem::Result<T>;

async fn of(u: &Staff<Requests>, id: i64) -> Result<MoveIn> {
    move_in::one(&u.page.state.db, u.page.tenant().scope(), id)
        .await?
        .ok_or_else(|| NotFoundError.into())
}

async fn render(
    u: &Staff<Requests>,
    m: &MoveIn,
    error: Option<String>,
    message: &str,
    done: bool,
) -> Result<Response> {
    let lang = u.page.cx.lang;
    let d = m.data();
    let address = match m.address_id {
        Some(id) => crate::address::by_id(&u.page.state.db, u.page.tenant().scope(), id).await?,
        None => None,
    };
    let readings: Vec<Value> = d
        .readings
        .iter()
        .map(|(k, v)| {
            let (meter, register) = k.split_once('|').unwrap_or((k.as_str(), ""));
            context! { meter, register, reading => v.as_str() }
        })
        .collect();
    let customer = match m.customer_id {
        Some(id) => portal_core::auth::accounts::customer_details(
            &u.page.state.db,
            u.page.tenant().scope(),
            id,
        )
        .await?
        .map(|c| context! { id => c.id, number => c.number, name => c.name }),
        None => None,
    };
    let statuses: Vec<(String, String)> = STATUSES
        .iter()
        .map(|s| ((*s).to_string(), u.page.t(&format!("moves-status-{s}"))))
        .collect();
    let t = |k: &str| u.page.t(k);
    Ok(u.render(
        "moves/staff_move_in.html",
        context! {
            m => context! {
                id => m.id, address => m.address_label.as_str(), date => date(m.moving_on, lang),
                status => m.status.as_str(), status_label => t(&format!("moves-status-{}", m.status)),
                sent => date_time(m.created_at, lang), name => m.name.as_str(), email => m.email.as_str(),
                kind => t(&format!("moves-in-kind-{}", d.customer_kind)),
                organisation => d.organisation.as_str(), coc => d.coc_number.as_str(), phone => d.phone.as_str(),
                correspondence => (d.correspondence == "other").then(|| format!("{}, {} {}, {}",
                    d.corr_street, d.corr_postcode, d.corr_city, d.corr_country)),
                payment => t(&format!("moves-in-pay-{}", if d.payment == "direct_debit" { "debit" } else { "transfer" })),
                iban => grouped(&d.iban), holder => d.account_holder.as_str(), mandate => d.mandate,
                document => (!m.document_name.is_empty()).then_some(m.document_name.as_str()),
                advance => address.and_then(|a| a.advance_cents).map(|c| amount(c, "EUR", lang)),
            },
            readings, customer, statuses, error, message, done,
        },
    )?
    .into_response())
}

/// A move-in.
#[handler]
pub async fn show(
    u: Staff<Requests>,
    Path(id): Path<i64>,
    Query(q): Query<DoneQuery>,
) -> Result<Response> {
    let m = of(&u, id).await?;
    render(&u, &m, None, "", !q.done.is_empty()).await
}

/// Its handover document, as a download.
#[handler]
pub async fn document(u: Staff<Requests>, Path(id): Path<i64>) -> Result<Response> {
    let m = of(&u, id).await?;
    let key = m.document_key.as_deref().ok_or(NotFoundError)?;
    let bytes = u.page.state.blobs.get(key).await?.ok_or(NotFoundError)?;
    Ok(names::private_download(
        bytes,
        &m.document_type,
        &m.document_name,
    ))
}

/// Sets the status; the resident is mailed.
#[handler]
pub async fn set_status(
    u: Staff<Requests>,
    client: Client,
    Path(id): Path<i64>,
    Form(f): Form<StatusForm>,
) -> Result<Response> {
    let m = of(&u, id).await?;
    if let Some(error) = status_refused(&u, &f) {
        return render(&u, &m, Some(error), &f.message, false).await;
    }
    let label = u.page.t(&format!("moves-status-{}", f.status));
    let deps = u.page.state.deps();
    if !move_in::set_status(&deps, u.page.tenant(), &m, &f.status, &label, &f.message).await? {
        return Err(NotFoundError.into());
    }
    u.reach()
        .record(
            "moves.move_in_status",
            m.customer_id,
            &format!("moves_move_in:{id}"),
            &f.status,
            client.ip.as_deref(),
        )
        .await?;
    Ok(
        Redirect::see_other(u.page.url(&format!("/staff/moves/move-ins/{id}?done=1")))
            .into_response(),
    )
}
