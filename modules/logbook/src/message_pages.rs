//! Messages (berichten) and documents of a location. The customer, with
//! write rights there, writes to the supplier (a sighting, a damaged box,
//! a change on site); the message is Open until the supplier handles it.
//! The supplier's replies, notifications and alarms are listed with them
//! and marked read when the page is opened. Messages are text only: a
//! message with markup characters is refused with a clear message and the
//! typed text kept, never silently stripped. Documents (safety data
//! sheets, certificates, the contract) of the location and of the whole
//! customer are downloaded like ticket attachments: as attachments, typed
//! by their content when they were uploaded, never shown inline.

use std::collections::BTreeMap;

use minijinja::{Value, context};
use portal_core::files::names;
use portal_core::poem::error::NotFoundError;
use portal_core::poem::web::{Form, Path, Query, Redirect};
use portal_core::poem::{IntoResponse, Response, handler};
use portal_core::web::format::{date, date_time};
use portal_core::web::guard::Require;
use serde::Deserialize;

use crate::View;
use crate::pages::{location_of, location_value};
use crate::recommendation_pages::invalid_message;
use crate::store::{self, Message};
use crate::write::{self, WriteError};

type Result<T> = portal_core::poem::Result<T>;

fn message_value(u: &Require<View>, m: &Message) -> Value {
    let lang = u.page.cx.lang;
    context! {
        id => m.id, from_supplier => m.from_supplier, kind => m.kind.as_str(),
        kind_label => u.page.t(&format!("logbook-message-{}", m.kind)),
        subject => m.subject.as_str(), body => m.body.as_str(), author => m.author_name.as_str(),
        status => m.status.as_str(),
        status_label => u.page.t(&format!("logbook-message-status-{}", m.status)),
        unread => m.from_supplier && m.read_at.is_none(),
        at => date_time(m.created_at, lang),
        handled_at => m.handled_at.map(|t| date_time(t, lang)),
        handled_by => m.handled_by.as_str(),
    }
}

async fn render_list(
    u: &Require<View>,
    loc: i64,
    typed: Value,
    errors: BTreeMap<&'static str, String>,
    sent: bool,
) -> Result<Response> {
    let reach = u.reach();
    let l = location_of(reach, loc).await?;
    let all = store::messages(reach, l.id).await?;
    // Replies under the message they answer; the rest newest first.
    let threads: Vec<Value> = all
        .iter()
        .filter(|m| m.reply_to.is_none_or(|r| !all.iter().any(|o| o.id == r)))
        .map(|m| {
            let replies: Vec<Value> = all
                .iter()
                .rev()
                .filter(|r| r.reply_to == Some(m.id))
                .map(|r| message_value(u, r))
                .collect();
            context! { message => message_value(u, m), replies }
        })
        .collect();
    // Seen now: what was unread is shown as new this once. Only by an
    // account that acts for the location (not a read-only one, not staff
    // viewing as the customer), so an alarm is not hidden from them.
    let may_write = store::may_write(reach, l.id).await?;
    if may_write && u.page.cx.view_as.is_none() {
        store::mark_read(reach, l.id).await?;
    }
    Ok(u.page
        .render(
            "logbook/messages.html",
            context! {
                location => location_value(&l, may_write),
                tab => "messages", threads, values => typed, errors, sent,
                max_subject => write::MAX_SUBJECT, max_text => write::MAX_TEXT,
            },
        )?
        .into_response())
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct ListQuery {
    sent: Option<String>,
}

/// The messages of a location, with the form to write one.
#[handler]
pub async fn list(
    u: Require<View>,
    Path(loc): Path<i64>,
    Query(q): Query<ListQuery>,
) -> Result<Response> {
    render_list(&u, loc, Value::UNDEFINED, BTreeMap::new(), q.sent.is_some()).await
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct MessageForm {
    subject: String,
    body: String,
}

/// Sends a message to the supplier (write rights on the location: 403
/// with read rights only, 404 without).
#[handler]
pub async fn send(
    u: Require<View>,
    Path(loc): Path<i64>,
    Form(f): Form<MessageForm>,
) -> Result<Response> {
    match write::send_message(u.reach(), loc, &f.subject, &f.body).await {
        Ok(_) => Ok(
            Redirect::see_other(u.page.url(&format!("/logbook/{loc}/messages?sent=1")))
                .into_response(),
        ),
        Err(WriteError::Denied(d)) => Err(d.into()),
        Err(WriteError::Invalid(e)) => {
            let (field, message) = invalid_message(&u, &e);
            let mut errors = BTreeMap::new();
            errors.insert(field, message);
            let typed = context! { subject => f.subject.as_str(), body => f.body.as_str() };
            render_list(&u, loc, typed, errors, false).await
        }
    }
}

/// The documents of a location and of its customer.
#[handler]
pub async fn documents(u: Require<View>, Path(loc): Path<i64>) -> Result<Response> {
    let reach = u.reach();
    let l = location_of(reach, loc).await?;
    let lang = u.page.cx.lang;
    let today = portal_core::web::format::local(chrono::Utc::now()).date();
    let rows: Vec<Value> = store::documents(reach, &l)
        .await?
        .iter()
        .map(|d| {
            context! {
                id => d.id, title => d.title.as_str(), name => d.name.as_str(),
                category => u.page.t(&format!("logbook-document-{}", d.category)),
                size_kb => d.size.div_euclid(1024).max(1),
                whole_customer => d.location_id.is_none(),
                valid_until => d.valid_until.map(|v| date(v, lang)),
                expired => d.valid_until.is_some_and(|v| v < today),
                added => date_time(d.created_at, lang),
            }
        })
        .collect();
    Ok(u.page
        .render(
            "logbook/documents.html",
            context! {
                location => location_value(&l, store::may_write(reach, l.id).await?),
                tab => "documents", documents => rows,
            },
        )?
        .into_response())
}

/// A document's bytes, as an attachment (`no-store`, `nosniff`, a sandbox
/// should a browser render it anyway).
#[handler]
pub async fn download(u: Require<View>, Path(id): Path<i64>) -> Result<Response> {
    let d = store::document(u.reach(), id).await?.ok_or(NotFoundError)?;
    let bytes = u
        .page
        .state
        .blobs
        .get(&d.blob_key)
        .await?
        .ok_or(NotFoundError)?;
    Ok(names::private_download(bytes, &d.mime, &d.name))
}
