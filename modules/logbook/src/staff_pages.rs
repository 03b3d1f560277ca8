//! The supplier's side of the logbook on the staff pages
//! (`/staff/logbook`, permission `logbook.desk`): the customers' open
//! messages and the recommendation responses not yet seen, a message with
//! a reply form (the reply marks it Handled, which the customer sees), and
//! a recommendation with its history where support marks the response seen
//! and may set the technician's status (e.g. verified). Both also show in
//! core's list of customers' requests (`Hooks::staff_requests`). Every
//! action is in the activity log.

use chrono::{DateTime, Utc};
use minijinja::{Value, context};
use portal_core::auth::flows::Client;
use portal_core::db::DbError;
use portal_core::module::StaffRequest;
use portal_core::poem::error::NotFoundError;
use portal_core::poem::web::{Form, Path, Redirect};
use portal_core::poem::{IntoResponse, Response, handler};
use portal_core::sea_query::{Expr, ExprTrait, Order};
use portal_core::staff::StaffReach;
use portal_core::web::format::date_time;
use portal_core::web::staff::Staff;
use serde::Deserialize;

use crate::Desk;
use crate::store::{
    self, MESSAGE_COLUMNS, Message, RECOMMENDATION_COLUMNS, Recommendation, STATUSES,
};
use crate::write;

type Result<T> = portal_core::poem::Result<T>;

/// Open customers' messages, newest first.
async fn open_messages(
    reach: &StaffReach,
    open: bool,
) -> std::result::Result<Vec<Message>, DbError> {
    let mut q = reach.scope().select("logbook_messages");
    q.columns(MESSAGE_COLUMNS)
        .and_where(Expr::col("from_supplier").eq(false))
        .order_by("id", Order::Desc)
        .limit(500);
    if open {
        q.and_where(Expr::col("status").eq("open"));
    }
    reach.db().fetch_all(&q).await
}

/// Recommendations with a customer's change support has not seen, newest first.
async fn awaiting(reach: &StaffReach) -> std::result::Result<Vec<Recommendation>, DbError> {
    reach
        .db()
        .fetch_all(
            &reach
                .scope()
                .select("logbook_recommendations")
                .columns(RECOMMENDATION_COLUMNS)
                .and_where(Expr::col("awaiting_supplier").eq(true))
                .order_by("updated_at", Order::Desc)
                .limit(500)
                .to_owned(),
        )
        .await
}

/// What waits for support: open messages and unseen responses.
///
/// # Errors
/// A database failure.
pub async fn to_handle(reach: &StaffReach) -> std::result::Result<i64, DbError> {
    let mut messages = reach.scope().select("logbook_messages");
    messages
        .expr(Expr::col("id").count())
        .and_where(Expr::col("from_supplier").eq(false))
        .and_where(Expr::col("status").eq("open"));
    let mut responses = reach.scope().select("logbook_recommendations");
    responses
        .expr(Expr::col("id").count())
        .and_where(Expr::col("awaiting_supplier").eq(true));
    let (a,): (i64,) = reach.db().fetch_optional(&messages).await?.unwrap_or((0,));
    let (b,): (i64,) = reach.db().fetch_optional(&responses).await?.unwrap_or((0,));
    Ok(a + b)
}

/// The logbook's entries in core's list of customers' requests.
///
/// # Errors
/// A database failure.
pub async fn requests(
    reach: &StaffReach,
    open: bool,
) -> std::result::Result<Vec<StaffRequest>, DbError> {
    let mut out: Vec<StaffRequest> = open_messages(reach, open)
        .await?
        .into_iter()
        .map(|m| StaffRequest {
            id: m.id,
            customer_id: Some(m.customer_id),
            kind_key: "logbook-request-message",
            subject: m.subject,
            status_key: format!("logbook-message-status-{}", m.status),
            open: m.status == "open",
            status: m.status,
            created_at: m.created_at,
            path: format!("/staff/logbook/messages/{}", m.id),
        })
        .collect();
    for r in awaiting(reach).await? {
        out.push(StaffRequest {
            id: r.id,
            customer_id: Some(r.customer_id),
            kind_key: "logbook-request-response",
            subject: r.text.chars().take(80).collect(),
            status_key: format!("logbook-status-{}", r.status),
            open: true,
            status: r.status,
            created_at: r.updated_at,
            path: format!("/staff/logbook/recommendations/{}", r.id),
        });
    }
    out.sort_by_key(|r| std::cmp::Reverse(r.created_at));
    Ok(out)
}

/// A location's and customer's names for a staff page.
async fn place(reach: &StaffReach, location_id: i64) -> std::result::Result<Value, DbError> {
    let found: Option<(String, String, String)> = reach
        .db()
        .fetch_optional(
            &reach
                .scope()
                .select("core_locations")
                .column(("core_locations", "name"))
                .column(("core_customers", "name"))
                .column(("core_customers", "number"))
                .inner_join(
                    "core_customers",
                    Expr::col(("core_customers", "id")).equals(("core_locations", "customer_id")),
                )
                .and_where(Expr::col(("core_locations", "id")).eq(location_id))
                .to_owned(),
        )
        .await?;
    Ok(
        found.map_or(Value::UNDEFINED, |(location, customer, number)| {
            context! { location, customer, number }
        }),
    )
}

fn when(u: &Staff<Desk>, t: DateTime<Utc>) -> String {
    date_time(t, u.page.cx.lang)
}

/// The inbox: open messages and unseen recommendation responses.
#[handler]
pub async fn inbox(u: Staff<Desk>) -> Result<Response> {
    let reach = u.reach();
    let mut messages = Vec::new();
    for m in open_messages(reach, true).await? {
        messages.push(context! {
            id => m.id, subject => m.subject.as_str(), author => m.author_name.as_str(),
            at => when(&u, m.created_at), place => place(reach, m.location_id).await?,
        });
    }
    let mut responses = Vec::new();
    for r in awaiting(reach).await? {
        responses.push(context! {
            id => r.id, text => r.text.as_str(), response => r.response.as_str(),
            status => r.status.as_str(), status_label => u.page.t(&format!("logbook-status-{}", r.status)),
            at => when(&u, r.updated_at), place => place(reach, r.location_id).await?,
        });
    }
    Ok(
        u.render("logbook/staff_inbox.html", context! { messages, responses })?
            .into_response(),
    )
}

async fn message_of(reach: &StaffReach, id: i64) -> Result<Message> {
    reach
        .db()
        .fetch_optional::<Message>(
            &reach
                .scope()
                .select("logbook_messages")
                .columns(MESSAGE_COLUMNS)
                .and_where(Expr::col("id").eq(id))
                .and_where(Expr::col("from_supplier").eq(false))
                .to_owned(),
        )
        .await?
        .ok_or_else(|| NotFoundError.into())
}

async fn render_message(
    u: &Staff<Desk>,
    m: &Message,
    typed: &str,
    error: Option<String>,
) -> Result<Response> {
    let reach = u.reach();
    let replies: Vec<Value> = reach
        .db()
        .fetch_all::<Message>(
            &reach
                .scope()
                .select("logbook_messages")
                .columns(MESSAGE_COLUMNS)
                .and_where(Expr::col("reply_to").eq(m.id))
                .order_by("id", Order::Asc)
                .to_owned(),
        )
        .await?
        .iter()
        .map(|r| context! { body => r.body.as_str(), author => r.author_name.as_str(), at => when(u, r.created_at) })
        .collect();
    Ok(u.render(
        "logbook/staff_message.html",
        context! {
            message => context! {
                id => m.id, subject => m.subject.as_str(), body => m.body.as_str(),
                author => m.author_name.as_str(), at => when(u, m.created_at),
                status => m.status.as_str(),
                status_label => u.page.t(&format!("logbook-message-status-{}", m.status)),
                handled_by => m.handled_by.as_str(),
            },
            place => place(reach, m.location_id).await?, replies, reply => typed, error,
        },
    )?
    .into_response())
}

/// A customer's message with the reply form.
#[handler]
pub async fn message(u: Staff<Desk>, Path(id): Path<i64>) -> Result<Response> {
    let m = message_of(u.reach(), id).await?;
    render_message(&u, &m, "", None).await
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct ReplyForm {
    body: String,
    /// Set: only mark handled, no reply.
    handled_only: Option<String>,
}

/// Replies (marking the message handled), or only marks it handled.
#[handler]
pub async fn reply(
    u: Staff<Desk>,
    client: Client,
    Path(id): Path<i64>,
    Form(f): Form<ReplyForm>,
) -> Result<Response> {
    let reach = u.reach();
    let m = message_of(reach, id).await?;
    let by = reach.member_name().to_string();
    if f.handled_only.is_some() {
        let mut tx = reach.db().begin().await?;
        write::mark_handled(&mut tx, reach.scope(), m.id, &by).await?;
        tx.commit().await?;
    } else {
        if let Err(e) = write::check_text("body", &f.body, write::MAX_TEXT, true) {
            let key = match e {
                write::Invalid::Markup(_) => "logbook-error-markup",
                write::Invalid::TooLong(..) => "logbook-error-too-long-plain",
                _ => "logbook-error-required",
            };
            let error = Some(u.page.t(key));
            return render_message(&u, &m, &f.body, error).await;
        }
        let subject = format!("Re: {}", m.subject);
        let subject: String = subject.chars().take(write::MAX_SUBJECT).collect();
        write::supplier_message(
            reach.db(),
            reach.scope(),
            m.customer_id,
            m.location_id,
            "message",
            &subject,
            &f.body,
            &by,
            Some(m.id),
            None,
        )
        .await?;
    }
    reach
        .record(
            "logbook.message_handled",
            Some(m.customer_id),
            &format!("logbook_message:{id}"),
            if f.handled_only.is_some() {
                "handled"
            } else {
                "replied"
            },
            client.ip.as_deref(),
        )
        .await?;
    Ok(Redirect::see_other(u.page.url("/staff/logbook")).into_response())
}

async fn recommendation_of(reach: &StaffReach, id: i64) -> Result<Recommendation> {
    reach
        .db()
        .fetch_optional::<Recommendation>(
            &reach
                .scope()
                .select("logbook_recommendations")
                .columns(RECOMMENDATION_COLUMNS)
                .and_where(Expr::col("id").eq(id))
                .to_owned(),
        )
        .await?
        .ok_or_else(|| NotFoundError.into())
}

/// A recommendation with its history, to mark the response seen or set a status.
#[handler]
pub async fn recommendation(u: Staff<Desk>, Path(id): Path<i64>) -> Result<Response> {
    let reach = u.reach();
    let r = recommendation_of(reach, id).await?;
    let history: Vec<Value> = store::history(reach.db(), reach.scope(), r.id)
        .await?
        .iter()
        .map(|h| {
            context! {
                at => when(&u, h.at), change => u.page.t(&format!("logbook-change-{}", h.change)),
                status_label => u.page.t(&format!("logbook-status-{}", h.status)), status => h.status.as_str(),
                response => h.response.as_str(),
                by => if h.actor_name.is_empty() { u.page.t(&format!("logbook-actor-{}", h.actor)) } else { h.actor_name.clone() },
            }
        })
        .collect();
    let statuses: Vec<(String, String)> = STATUSES
        .iter()
        .map(|s| ((*s).to_string(), u.page.t(&format!("logbook-status-{s}"))))
        .collect();
    Ok(u.render(
        "logbook/staff_recommendation.html",
        context! {
            recommendation => context! {
                id => r.id, text => r.text.as_str(), response => r.response.as_str(),
                status => r.status.as_str(), status_label => u.page.t(&format!("logbook-status-{}", r.status)),
                category => u.page.t(&format!("logbook-category-{}", r.category)),
                awaiting => r.awaiting_supplier,
            },
            place => place(reach, r.location_id).await?, history, statuses,
        },
    )?
    .into_response())
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct SeenForm {
    status: String,
}

/// Marks the response seen; a status, if changed, is recorded as support's.
#[handler]
pub async fn recommendation_seen(
    u: Staff<Desk>,
    client: Client,
    Path(id): Path<i64>,
    Form(f): Form<SeenForm>,
) -> Result<Response> {
    let reach = u.reach();
    let r = recommendation_of(reach, id).await?;
    let status = STATUSES.iter().copied().find(|s| *s == f.status.trim());
    write::supplier_status(
        reach.db(),
        reach.scope(),
        &r,
        status,
        "staff",
        reach.member_name(),
    )
    .await?;
    reach
        .record(
            "logbook.recommendation_seen",
            Some(r.customer_id),
            &format!("logbook_recommendation:{id}"),
            status.unwrap_or(&r.status),
            client.ip.as_deref(),
        )
        .await?;
    Ok(Redirect::see_other(u.page.url("/staff/logbook")).into_response())
}
