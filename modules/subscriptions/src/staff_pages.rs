//! A change request on the staff pages (`/staff/subscriptions/requests/:id`,
//! reached from core's list of requests): the customer, the requester, the
//! subject, description and the agreed extra costs; support sets its status
//! with an optional message, which the requester is mailed and sees on the
//! subscriptions page. Named by core's `staff.requests` permission; every
//! change is in the activity log.

use minijinja::context;
use portal_core::auth::flows::Client;
use portal_core::poem::error::NotFoundError;
use portal_core::poem::web::{Form, Path, Query, Redirect};
use portal_core::poem::{IntoResponse, Response, handler};
use portal_core::staff::permission::Requests;
use portal_core::web::format::date_time;
use portal_core::web::staff::Staff;
use serde::Deserialize;

use crate::requests;
use crate::store::{self, ChangeRequest, REQUEST_STATUSES};

type Result<T> = portal_core::poem::Result<T>;

async fn render(
    u: &Staff<Requests>,
    r: &ChangeRequest,
    error: Option<String>,
    message: &str,
    done: bool,
) -> Result<Response> {
    let reach = u.reach();
    let customer =
        portal_core::auth::accounts::customer_details(reach.db(), reach.scope(), r.customer_id)
            .await?
            .map(|c| context! { id => c.id, number => c.number, name => c.name });
    let requester = match r.user_id {
        Some(id) => portal_core::auth::accounts::by_id(reach.db(), reach.scope(), id)
            .await?
            .map(|a| context! { name => a.greeting_name(), email => a.email }),
        None => None,
    };
    let statuses: Vec<(String, String)> = REQUEST_STATUSES
        .iter()
        .map(|s| {
            (
                (*s).to_string(),
                u.page.t(&format!("subscriptions-status-{s}")),
            )
        })
        .collect();
    Ok(u.render(
        "subscriptions/staff_request.html",
        context! {
            request => context! {
                id => r.id, subject => r.subject.as_str(), description => r.description.as_str(),
                agreed => r.agreed_extra_costs, status => r.status.as_str(),
                status_label => u.page.t(&format!("subscriptions-status-{}", r.status)),
                created => date_time(r.created_at, u.page.cx.lang),
            },
            customer, requester, statuses, error, message, done,
        },
    )?
    .into_response())
}

async fn request_of(u: &Staff<Requests>, id: i64) -> Result<ChangeRequest> {
    store::request_for_staff(u.reach(), id)
        .await?
        .ok_or_else(|| NotFoundError.into())
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct DoneQuery {
    done: String,
}

/// A change request.
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
    status: String,
    message: String,
}

/// Sets the status; the requester is mailed.
#[handler]
pub async fn request_status(
    u: Staff<Requests>,
    client: Client,
    Path(id): Path<i64>,
    Form(f): Form<StatusForm>,
) -> Result<Response> {
    let r = request_of(&u, id).await?;
    if !REQUEST_STATUSES.contains(&f.status.as_str()) {
        let error = Some(u.page.t("subscriptions-staff-error-status"));
        return render(&u, &r, error, &f.message, false).await;
    }
    if f.message.chars().count() > 5000 {
        let error = Some(u.page.t("subscriptions-error-too-long"));
        return render(&u, &r, error, &f.message, false).await;
    }
    let reach = u.reach();
    let deps = u.page.state.deps();
    if !requests::set_status_by_staff(&deps, u.page.tenant(), reach, &r, &f.status, &f.message)
        .await?
    {
        return Err(NotFoundError.into());
    }
    reach
        .record(
            "subscriptions.request_status",
            Some(r.customer_id),
            &format!("change_request:{id}"),
            &f.status,
            client.ip.as_deref(),
        )
        .await?;
    Ok(Redirect::see_other(
        u.page
            .url(&format!("/staff/subscriptions/requests/{id}?done=1")),
    )
    .into_response())
}
