//! A moving request on the staff pages (`/staff/moves/requests/:id`,
//! reached from core's list of requests, `staff.requests`): the customer,
//! the location, the date, the end readings, the new address and the IBAN;
//! staff set Waiting (with a message to the customer), Processed or
//! Rejected, which the customer is mailed and sees. In the activity log.

use minijinja::{Value, context};
use portal_core::auth::flows::Client;
use portal_core::poem::error::NotFoundError;
use portal_core::poem::web::{Form, Path, Query, Redirect};
use portal_core::poem::{IntoResponse, Response, handler};
use portal_core::staff::permission::Requests;
use portal_core::web::format::{date, date_time};
use portal_core::web::staff::Staff;
use serde::Deserialize;

use crate::iban::grouped;
use crate::store::{self, MoveRequest, STATUSES};

type Result<T> = portal_core::poem::Result<T>;

async fn render(
    u: &Staff<Requests>,
    r: &MoveRequest,
    error: Option<String>,
    message: &str,
    done: bool,
) -> Result<Response> {
    let reach = u.reach();
    let lang = u.page.cx.lang;
    let customer =
        portal_core::auth::accounts::customer_details(reach.db(), reach.scope(), r.customer_id)
            .await?
            .map(|c| context! { id => c.id, number => c.number, name => c.name });
    let statuses: Vec<(String, String)> = STATUSES
        .iter()
        .map(|s| ((*s).to_string(), u.page.t(&format!("moves-status-{s}"))))
        .collect();
    let readings: Vec<Value> = r
        .readings()
        .iter()
        .map(|e| context! { meter => e.meter.as_str(), reading => e.reading.as_str() })
        .collect();
    Ok(u.render(
        "moves/staff_request.html",
        context! {
            request => context! {
                id => r.id, location => r.location_name.as_str(), date => date(r.moving_on, lang),
                kind => u.page.t(&format!("moves-kind-{}", r.kind)),
                status => r.status.as_str(), status_label => u.page.t(&format!("moves-status-{}", r.status)),
                address => r.new_address.as_str(), iban => grouped(&r.iban),
                holder => r.account_holder.as_str(), sent => date_time(r.created_at, lang),
            },
            customer, readings, statuses, error, message, done,
        },
    )?
    .into_response())
}

async fn request_of(u: &Staff<Requests>, id: i64) -> Result<MoveRequest> {
    store::one_for_staff(u.reach(), id)
        .await?
        .ok_or_else(|| NotFoundError.into())
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct DoneQuery {
    pub(crate) done: String,
}

/// A moving request.
#[handler]
pub async fn request(
    u: Staff<Requests>,
    Path(id): Path<i64>,
    Query(q): Query<DoneQuery>,
) -> Result<Response> {
    let r = request_of(&u, id).await?;
    render(&u, &r, None, "", !q.done.is_empty()).await
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct StatusForm {
    pub(crate) status: String,
    pub(crate) message: String,
}

/// Why a status form is refused (an unknown status, a message too long or
/// with markup), or nothing.
pub(crate) fn status_refused(u: &Staff<Requests>, f: &StatusForm) -> Option<String> {
    if !STATUSES.contains(&f.status.as_str()) {
        return Some(u.page.t("moves-staff-error-status"));
    }
    if f.message.chars().count() > 5000 || f.message.contains(['<', '>']) {
        return Some(u.page.t("moves-staff-error-message"));
    }
    None
}

/// Sets the status; the customer is mailed.
#[handler]
pub async fn set_status(
    u: Staff<Requests>,
    client: Client,
    Path(id): Path<i64>,
    Form(f): Form<StatusForm>,
) -> Result<Response> {
    let r = request_of(&u, id).await?;
    if let Some(error) = status_refused(&u, &f) {
        return render(&u, &r, Some(error), &f.message, false).await;
    }
    let label = u.page.t(&format!("moves-status-{}", f.status));
    let deps = u.page.state.deps();
    if !store::set_status(&deps, u.page.tenant(), &r, &f.status, &label, &f.message).await? {
        return Err(NotFoundError.into());
    }
    u.reach()
        .record(
            "moves.request_status",
            Some(r.customer_id),
            &format!("moves_request:{id}"),
            &f.status,
            client.ip.as_deref(),
        )
        .await?;
    Ok(
        Redirect::see_other(u.page.url(&format!("/staff/moves/requests/{id}?done=1")))
            .into_response(),
    )
}
