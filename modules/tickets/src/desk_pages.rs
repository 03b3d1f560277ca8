//! The support desk on the staff pages (`/staff/tickets`): the inbox of
//! the tenant's tickets with filters, search, order and counts per status;
//! a ticket with its whole conversation including internal notes, a reply
//! or a note with attachments, a status change and assignment; and a
//! ticket that support opens for a customer. Every handler names the
//! `tickets.desk` staff permission; every action is in the activity log.

use minijinja::{Value, context};
use portal_core::auth::flows::Client;
use portal_core::files::upload::{self, Upload};
use portal_core::poem::error::NotFoundError;
use portal_core::poem::web::{Form, Multipart, Path, Query, Redirect};
use portal_core::poem::{IntoResponse, Response, handler};
use portal_core::staff::StaffReach;
use portal_core::web::format::date_time;
use portal_core::web::staff::{Staff, StaffUser};
use serde::Deserialize;

use crate::desk::{self, InboxFilter};
use crate::store::{self, Audience, STATUSES, Ticket};
use crate::write::{self, Author, NewTicket};
use crate::{Desk, MAX_TEXT_CHARS};

type Result<T> = portal_core::poem::Result<T>;

/// A status as support reads it: the tenant's own label where it set one,
/// else the desk's wording ("waiting for the customer", not the
/// customer's "waiting for your reaction").
fn status_label(u: &StaffUser, status: &str) -> String {
    let own = crate::custom_text(u.page.tenant(), &format!("label_{status}"));
    if own.is_empty() {
        u.page.t(&format!("tickets-desk-status-{status}"))
    } else {
        own.to_string()
    }
}

fn statuses(u: &StaffUser) -> Vec<(String, String)> {
    STATUSES
        .iter()
        .map(|s| ((*s).to_string(), status_label(u, s)))
        .collect()
}

/// The inbox's query string for a filter, with `change` applied.
fn query_of(f: &InboxFilter, change: &[(&str, &str)]) -> String {
    let mut pairs: Vec<(&str, String)> = vec![
        ("status", f.status.clone()),
        ("kind", f.kind.clone()),
        ("category", f.category.clone()),
        (
            "customer",
            f.customer.map(|c| c.to_string()).unwrap_or_default(),
        ),
        ("assigned", f.assigned.clone()),
        ("q", f.q.clone()),
        ("order", f.order.clone()),
        ("page", String::new()),
    ];
    for (k, v) in change {
        if let Some(p) = pairs.iter_mut().find(|(key, _)| key == k) {
            p.1 = (*v).to_string();
        }
    }
    let mut out = url::form_urlencoded::Serializer::new(String::new());
    for (k, v) in pairs.iter().filter(|(_, v)| !v.is_empty()) {
        out.append_pair(k, v);
    }
    out.finish()
}

/// The tenant's tickets, filtered.
#[handler]
pub async fn inbox(u: Staff<Desk>, Query(f): Query<InboxFilter>) -> Result<Response> {
    let reach = u.reach();
    let found = desk::inbox(reach, &f).await?;
    let counts = desk::counts(reach).await?;
    let ids: Vec<i64> = found.rows.iter().map(|t| t.customer_id).collect();
    let customers = desk::customers(reach, &ids).await?;
    let staff: std::collections::BTreeMap<i64, String> =
        desk::assignees(reach).await?.into_iter().collect();
    let lang = u.page.cx.lang;
    let rows: Vec<Value> = found
        .rows
        .iter()
        .map(|t| {
            let (number, name) = customers.get(&t.customer_id).cloned().unwrap_or_default();
            context! {
                id => t.id, number => t.number, subject => t.subject.as_str(), kind => t.kind.as_str(),
                category => t.category.as_str(), status => t.status.as_str(),
                status_label => status_label(&u, &t.status),
                customer_number => number, customer_name => name, customer_id => t.customer_id,
                updated => date_time(t.updated_at, lang),
                assignee => t.assigned_to.and_then(|a| staff.get(&a).cloned()),
            }
        })
        .collect();
    let open: i64 = counts
        .iter()
        .filter(|(s, _)| s.as_str() != "closed")
        .map(|(_, n)| n)
        .sum();
    let all: i64 = counts.values().sum();
    let current = if f.status.is_empty() {
        "open"
    } else {
        f.status.as_str()
    };
    let mut tabs = vec![context! {
        code => "open", label => u.page.t("tickets-desk-open"), count => open,
        href => query_of(&f, &[("status", "open")]), current => current == "open",
    }];
    for s in STATUSES {
        tabs.push(context! {
            code => s, label => status_label(&u, s), count => counts.get(s).copied().unwrap_or(0),
            href => query_of(&f, &[("status", s)]), current => current == s,
        });
    }
    tabs.push(context! {
        code => "all", label => u.page.t("tickets-desk-all"), count => all,
        href => query_of(&f, &[("status", "all")]), current => current == "all",
    });
    let page = f.page.to_string();
    let next = (f.page + 1).to_string();
    let prev = f.page.saturating_sub(1).to_string();
    let customer = match f.customer {
        Some(c) => desk::customers(reach, &[c]).await?.remove(&c),
        None => None,
    };
    Ok(u.render(
        "tickets/staff_inbox.html",
        context! {
            tickets => rows, tabs, filter => context! {
                status => current, kind => f.kind.as_str(), category => f.category.as_str(),
                assigned => f.assigned.as_str(), q => f.q.as_str(), order => f.order.as_str(),
                customer => f.customer, page,
            },
            customer => customer.map(|(number, name)| context! { number, name }),
            kinds => store::KINDS, categories => crate::categories(u.page.tenant()),
            next => found.more.then(|| query_of(&f, &[("page", next.as_str())])),
            prev => (f.page > 0).then(|| query_of(&f, &[("page", prev.as_str())])),
        },
    )?
    .into_response())
}

async fn ticket_of(reach: &StaffReach, id: i64) -> Result<Ticket> {
    desk::one(reach, id)
        .await?
        .ok_or_else(|| NotFoundError.into())
}

/// What the ticket page shows besides the ticket.
#[derive(Default)]
struct Typed<'a> {
    body: &'a str,
    note: bool,
    error: Option<String>,
    done: Option<&'a str>,
}

async fn render_ticket(u: &Staff<Desk>, t: &Ticket, typed: Typed<'_>) -> Result<Response> {
    let reach = u.reach();
    let (db, scope) = (reach.db(), reach.scope());
    let lang = u.page.cx.lang;
    let messages = store::messages(db, scope, t.id, Audience::Support).await?;
    let files = store::attachments(db, scope, t.id, Audience::Support).await?;
    let messages: Vec<Value> = messages
        .iter()
        .map(|m| {
            let attachments = crate::pages::files_of(&files, m.id);
            context! {
                id => m.id, from_support => m.from_support, support_name => m.support_name.as_str(),
                internal => m.internal, body => m.body.as_str(), at => date_time(m.created_at, lang),
                attachments,
            }
        })
        .collect();
    let customer = desk::customers(reach, &[t.customer_id])
        .await?
        .remove(&t.customer_id)
        .unwrap_or_default();
    let author = match t.user_id {
        Some(id) => portal_core::auth::accounts::by_id(db, scope, id)
            .await?
            .map(|a| context! { name => a.greeting_name(), email => a.email }),
        None => None,
    };
    let limits = crate::limits(u.page.state.config.web.max_form_bytes, u.page.tenant());
    let assignees = desk::assignees(reach).await?;
    Ok(u.render(
        "tickets/staff_ticket.html",
        context! {
            ticket => context! {
                id => t.id, number => t.number, subject => t.subject.as_str(), kind => t.kind.as_str(),
                category => t.category.as_str(), status => t.status.as_str(),
                status_label => status_label(u, &t.status), created => date_time(t.created_at, lang),
                assigned_to => t.assigned_to, customer_id => t.customer_id,
            },
            customer => context! { number => customer.0, name => customer.1 },
            author, messages, statuses => statuses(u), assignees,
            reply => typed.body, note => typed.note, error => typed.error, done => typed.done,
            max_file_mb => limits.per_file / (1024 * 1024), max_files => limits.max_files,
        },
    )?
    .into_response())
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct DoneQuery {
    done: String,
}

const DONE: [&str; 5] = ["replied", "noted", "assigned", "status", "created"];

/// A ticket with its conversation, notes included.
#[handler]
pub async fn show(
    u: Staff<Desk>,
    Path(id): Path<i64>,
    Query(q): Query<DoneQuery>,
) -> Result<Response> {
    let t = ticket_of(u.reach(), id).await?;
    let done = DONE.iter().find(|d| **d == q.done).copied();
    render_ticket(
        &u,
        &t,
        Typed {
            done,
            ..Typed::default()
        },
    )
    .await
}

fn upload_error(u: &StaffUser, up: &Upload) -> Option<String> {
    up.error
        .as_ref()
        .map(|e| upload::message(u.page.state.renderer.texts(), u.page.cx.lang, e))
}

/// A reply to the customer (with a new status), or an internal note
/// (`kind=note`), with attachments.
#[handler]
pub async fn answer(
    u: Staff<Desk>,
    client: Client,
    Path(id): Path<i64>,
    mp: Multipart,
) -> Result<Response> {
    let reach = u.reach();
    let t = ticket_of(reach, id).await?;
    let limits = crate::limits(u.page.state.config.web.max_form_bytes, u.page.tenant());
    let mut up = upload::read(mp, &limits).await;
    let files = std::mem::take(&mut up.files);
    let body = up.field("body").to_string();
    let note = up.field("kind") == "note";
    let status = up.field("status");
    let error = upload_error(&u, &up)
        .or_else(|| {
            (body.trim().is_empty() && files.is_empty()).then(|| u.page.t("tickets-error-reply"))
        })
        .or_else(|| {
            (body.chars().count() > MAX_TEXT_CHARS).then(|| u.page.t("tickets-error-too-long"))
        })
        .or_else(|| {
            (!note && !STATUSES.contains(&status)).then(|| u.page.t("tickets-desk-error-status"))
        });
    if error.is_some() {
        let typed = Typed {
            body: &body,
            note,
            error,
            done: None,
        };
        return render_ticket(&u, &t, typed).await;
    }
    let deps = u.page.state.deps();
    let object = format!("ticket:{id}");
    let done = if note {
        write::note(&deps, reach, &t, &body, files).await?;
        reach
            .record(
                "tickets.noted",
                Some(t.customer_id),
                &object,
                "",
                client.ip.as_deref(),
            )
            .await?;
        "noted"
    } else {
        let author = Author::Staff(reach.member_id(), reach.member_name());
        write::reply(
            &deps,
            u.page.tenant(),
            &t,
            author,
            &body,
            Some(status),
            files,
        )
        .await?;
        reach
            .record(
                "tickets.replied",
                Some(t.customer_id),
                &object,
                status,
                client.ip.as_deref(),
            )
            .await?;
        "replied"
    };
    Ok(
        Redirect::see_other(u.page.url(&format!("/staff/tickets/{id}?done={done}")))
            .into_response(),
    )
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct AssignForm {
    /// A staff member's id, or empty for nobody.
    staff: String,
}

/// Assigns the ticket (the new assignee is mailed).
#[handler]
pub async fn assign(
    u: Staff<Desk>,
    client: Client,
    Path(id): Path<i64>,
    Form(f): Form<AssignForm>,
) -> Result<Response> {
    let reach = u.reach();
    let t = ticket_of(reach, id).await?;
    let to = match f.staff.trim() {
        "" => None,
        s => {
            let member = s.parse::<i64>().map_err(|_| NotFoundError)?;
            if !desk::may_be_assigned(reach, member).await? {
                return Err(NotFoundError.into());
            }
            Some(member)
        }
    };
    write::assign(&u.page.state.deps(), u.page.tenant(), reach, &t, to).await?;
    let detail = to.map(|m| m.to_string()).unwrap_or_default();
    reach
        .record(
            "tickets.assigned",
            Some(t.customer_id),
            &format!("ticket:{id}"),
            &detail,
            client.ip.as_deref(),
        )
        .await?;
    Ok(
        Redirect::see_other(u.page.url(&format!("/staff/tickets/{id}?done=assigned")))
            .into_response(),
    )
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct StatusForm {
    status: String,
}

/// Changes the status without a reply (closing, for one); the customer is
/// mailed when the ticket now waits for them.
#[handler]
pub async fn set_status(
    u: Staff<Desk>,
    client: Client,
    Path(id): Path<i64>,
    Form(f): Form<StatusForm>,
) -> Result<Response> {
    let reach = u.reach();
    let t = ticket_of(reach, id).await?;
    if !STATUSES.contains(&f.status.as_str()) {
        let typed = Typed {
            error: Some(u.page.t("tickets-desk-error-status")),
            ..Typed::default()
        };
        return render_ticket(&u, &t, typed).await;
    }
    write::set_status(&u.page.state.deps(), u.page.tenant(), &t, &f.status).await?;
    reach
        .record(
            "tickets.status",
            Some(t.customer_id),
            &format!("ticket:{id}"),
            &f.status,
            client.ip.as_deref(),
        )
        .await?;
    Ok(
        Redirect::see_other(u.page.url(&format!("/staff/tickets/{id}?done=status")))
            .into_response(),
    )
}

/// An attachment, notes' included: always a download.
#[handler]
pub async fn download(u: Staff<Desk>, Path((id, file)): Path<(i64, i64)>) -> Result<Response> {
    let reach = u.reach();
    let t = ticket_of(reach, id).await?;
    let f = store::attachment(reach.db(), reach.scope(), t.id, file, Audience::Support)
        .await?
        .ok_or(NotFoundError)?;
    let bytes = u
        .page
        .state
        .blobs
        .get(&f.blob_key)
        .await?
        .ok_or(NotFoundError)?;
    Ok(crate::pages::file_response(bytes, &f))
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct NewQuery {
    customer: Option<i64>,
}

async fn render_new(
    u: &Staff<Desk>,
    customer_id: i64,
    values: Value,
    errors: Value,
) -> Result<Response> {
    let reach = u.reach();
    let (number, name) = desk::customers(reach, &[customer_id])
        .await?
        .remove(&customer_id)
        .ok_or(NotFoundError)?;
    let accounts: Vec<(String, String)> =
        std::iter::once((String::new(), u.page.t("tickets-desk-no-contact")))
            .chain(
                portal_core::auth::accounts::list(reach.db(), reach.scope(), Some(customer_id))
                    .await?
                    .into_iter()
                    .filter(|a| a.active)
                    .map(|a| {
                        (
                            a.id.to_string(),
                            format!("{} ({})", a.greeting_name(), a.email),
                        )
                    }),
            )
            .collect();
    let tenant = u.page.tenant();
    let categories: Vec<(String, String)> =
        std::iter::once((String::new(), u.page.t("tickets-category-choose")))
            .chain(
                crate::categories(tenant)
                    .into_iter()
                    .map(|c| (c.clone(), c)),
            )
            .collect();
    let kinds: Vec<(String, String)> = store::KINDS
        .iter()
        .map(|k| ((*k).to_string(), u.page.t(&format!("tickets-kind-{k}"))))
        .collect();
    let limits = crate::limits(u.page.state.config.web.max_form_bytes, tenant);
    Ok(u.render(
        "tickets/staff_new.html",
        context! {
            customer => context! { id => customer_id, number, name },
            accounts, categories, kinds, statuses => statuses(u), values, errors,
            max_file_mb => limits.per_file / (1024 * 1024), max_files => limits.max_files,
        },
    )?
    .into_response())
}

/// The form for a ticket that support opens for a customer.
#[handler]
pub async fn new_form(u: Staff<Desk>, Query(q): Query<NewQuery>) -> Result<Response> {
    let customer = q.customer.ok_or(NotFoundError)?;
    render_new(
        &u,
        customer,
        context! { kind => "question", status => "in_progress" },
        Value::UNDEFINED,
    )
    .await
}

/// Opens a ticket for a customer; refused input comes back with what was typed.
#[handler]
pub async fn new_submit(u: Staff<Desk>, client: Client, mp: Multipart) -> Result<Response> {
    let reach = u.reach();
    let tenant = u.page.tenant();
    let mut up = upload::read(
        mp,
        &crate::limits(u.page.state.config.web.max_form_bytes, tenant),
    )
    .await;
    let files = std::mem::take(&mut up.files);
    let customer: i64 = up.field("customer").parse().map_err(|_| NotFoundError)?;
    if desk::customers(reach, &[customer]).await?.is_empty() {
        return Err(NotFoundError.into());
    }
    let t = NewTicket {
        kind: up.field("kind"),
        category: up.field("category"),
        subject: up.field("subject"),
        description: up.field("description"),
    };
    let status = up.field("status");
    let mut errors: std::collections::BTreeMap<&str, String> =
        write::validate(&t, &crate::categories(tenant))
            .iter()
            .map(|(k, v)| (*k, u.page.t(v)))
            .collect();
    if !STATUSES.contains(&status) || status == "closed" {
        errors.insert("status", u.page.t("tickets-desk-error-status"));
    }
    let account = match up.field("account") {
        "" => None,
        s => {
            let id = s.parse::<i64>().ok();
            let a = match id {
                Some(id) => {
                    portal_core::auth::accounts::by_id(reach.db(), reach.scope(), id).await?
                }
                None => None,
            };
            match a {
                Some(a) if a.customer_id == customer && a.active => Some(a.id),
                _ => {
                    errors.insert("account", u.page.t("tickets-desk-error-contact"));
                    None
                }
            }
        }
    };
    if let Some(e) = upload_error(&u, &up) {
        errors.insert("files", e);
    }
    if !errors.is_empty() {
        let values = context! {
            kind => t.kind, category => t.category, subject => t.subject,
            description => t.description, status, account => up.field("account"),
        };
        return render_new(&u, customer, values, Value::from(errors)).await;
    }
    let opening = write::Opening {
        customer_id: customer,
        account_id: account,
        by: Author::Staff(reach.member_id(), reach.member_name()),
        status,
    };
    let id = write::open_for(&u.page.state.deps(), tenant, &opening, &t, files)
        .await?
        .id;
    reach
        .record(
            "tickets.opened",
            Some(customer),
            &format!("ticket:{id}"),
            "",
            client.ip.as_deref(),
        )
        .await?;
    Ok(
        Redirect::see_other(u.page.url(&format!("/staff/tickets/{id}?done=created")))
            .into_response(),
    )
}
