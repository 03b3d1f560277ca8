//! The customer's pages: the support page with the three kinds and the
//! lists (seed 001: "Mijn tickets", "Openstaande tickets", "Alle tickets"),
//! a new ticket, a ticket with its conversation and reply form, and
//! attachment downloads. Whatever the principal may not see answers 404.

use minijinja::{Value, context};
use portal_core::access::Reach;
use portal_core::db::Paged;
use portal_core::files::names;
use portal_core::files::upload::{self, Upload};
use portal_core::module::CardCx;
use portal_core::poem::error::NotFoundError;
use portal_core::poem::web::{Multipart, Path, Query, Redirect};
use portal_core::poem::{IntoResponse, Response, handler};
use portal_core::web::format::date_time;
use portal_core::web::guard::{Require, User};
use serde::Deserialize;

use crate::store::{self, Audience, Filter, Ticket};
use crate::write::{self, Author, NewTicket};
use crate::{Create, PAGE_SIZE, ViewAll, ViewOwn};

/// What the principal reaches: all of the organisation with `tickets.view_all`
/// when `all` is asked, else its own tickets (with either permission);
/// `None` with neither.
fn reach(u: &dyn CardCx, all: bool) -> Option<Reach> {
    if all && let Some(r) = u.reach::<ViewAll>() {
        return Some(r);
    }
    u.reach::<ViewOwn>()
        .or_else(|| u.reach::<ViewAll>())
        .map(|r| r.own())
}

/// The lists of the support page: `mine` (default), `open`, `waiting`,
/// and `all` with `tickets.view_all`; `None` for a list this user may not see.
fn list_of(u: &User, asked: &str) -> Option<&'static str> {
    let can_all = u.can::<ViewAll>();
    Some(match asked {
        "open" => "open",
        "waiting" => "waiting",
        "all" if can_all => "all",
        "all" => return None,
        _ if !u.can::<ViewOwn>() && can_all => "all",
        _ => "mine",
    })
}

/// The tickets a list shows: `all` the organisation's, the others the own ones.
fn list_reach(u: &dyn CardCx, list: &str) -> Option<(Reach, Filter)> {
    let filter = match list {
        "open" => Filter::Open,
        "waiting" => Filter::Waiting,
        _ => Filter::All,
    };
    Some((reach(u, list == "all")?, filter))
}

fn row(u: &User, t: &Ticket) -> Value {
    let lang = u.page.cx.lang;
    context! {
        id => t.id, number => t.number, kind => t.kind.as_str(), category => t.category.as_str(),
        subject => t.subject.as_str(), status => t.status.as_str(),
        status_label => crate::status_label(u.page.state.renderer.texts(), u.page.tenant(), u.page.cx.voice(), &t.status),
        created => date_time(t.created_at, lang), updated => date_time(t.updated_at, lang),
        mine => t.user_id == Some(u.session.account.id),
    }
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct ListQuery {
    /// `mine` (default), `open`, `all` or `waiting`.
    list: String,
    before: Option<i64>,
    /// A ticket's id, whose number the page confirms as sent.
    done: Option<i64>,
}

/// The support page: the three kinds, then a list of tickets.
#[handler]
pub async fn support(u: User, Query(q): Query<ListQuery>) -> portal_core::poem::Result<Response> {
    let can_all = u.can::<ViewAll>();
    let list = list_of(&u, &q.list).ok_or(NotFoundError)?;
    let (reach, filter) = list_reach(&u, list).ok_or(NotFoundError)?;
    let limit = Paged::<Ticket>::limit(PAGE_SIZE);
    let found = Paged::new(
        store::list(&reach, filter, q.before, limit).await?,
        PAGE_SIZE,
    );
    let next = found.next(|t| t.id);
    let tickets: Vec<Value> = found.rows.iter().map(|t| row(&u, t)).collect();
    // Only a ticket the user may see, by the number it has for people.
    let done = match (q.done, self::reach(&u, true)) {
        (Some(id), Some(all)) => store::one(&all, id).await?.map(|t| t.number),
        _ => None,
    };
    Ok(u.page
        .render(
            "tickets/support.html",
            context! {
                tickets, list, next, can_all, done,
                can_create => u.can::<Create>(),
                kinds => store::KINDS,
            },
        )?
        .into_response())
}

fn render_new(u: &User, values: Value, errors: Value) -> portal_core::poem::Result<Response> {
    let tenant = u.page.tenant();
    let limits = crate::limits(u.page.state.config.web.max_form_bytes, tenant);
    let category_options: Vec<(String, String)> =
        std::iter::once((String::new(), u.page.t("tickets-category-choose")))
            .chain(
                crate::categories(tenant)
                    .into_iter()
                    .map(|c| (c.clone(), c)),
            )
            .collect();
    Ok(u.page
        .render(
            "tickets/new.html",
            context! {
                values, errors, kinds => store::KINDS, category_options,
                category_help => crate::custom_text(tenant, "category_help"),
                privacy_notice => crate::custom_text(tenant, "privacy_notice"),
                max_file_mb => limits.per_file / (1024 * 1024), max_files => limits.max_files,
            },
        )?
        .into_response())
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct NewQuery {
    kind: String,
}

/// The new-ticket form, with the kind chosen on the support page.
#[handler]
pub async fn new_form(
    u: Require<Create>,
    Query(q): Query<NewQuery>,
) -> portal_core::poem::Result<Response> {
    let kind = if store::KINDS.contains(&q.kind.as_str()) {
        q.kind.as_str()
    } else {
        "question"
    };
    render_new(&u, context! { kind }, Value::UNDEFINED)
}

fn upload_error(u: &User, up: &Upload) -> Option<String> {
    up.error
        .as_ref()
        .map(|e| upload::message(u.page.state.renderer.texts(), u.page.cx.voice(), e))
}

/// Sends a new ticket; refused input comes back with what was typed.
#[handler]
pub async fn new_submit(u: Require<Create>, mp: Multipart) -> portal_core::poem::Result<Response> {
    let tenant = u.page.tenant();
    let mut up = upload::read(
        mp,
        &crate::limits(u.page.state.config.web.max_form_bytes, tenant),
    )
    .await;
    let files = std::mem::take(&mut up.files);
    let t = NewTicket {
        kind: up.field("kind"),
        category: up.field("category"),
        subject: up.field("subject"),
        description: up.field("description"),
    };
    let mut errors: std::collections::BTreeMap<&str, String> =
        write::validate(&t, &crate::categories(tenant))
            .iter()
            .map(|(k, v)| (*k, u.page.t(v)))
            .collect();
    if let Some(e) = upload_error(&u, &up) {
        errors.insert("files", e);
    }
    if !errors.is_empty() {
        let values = context! {
            kind => t.kind, category => t.category, subject => t.subject, description => t.description,
        };
        return render_new(&u, values, Value::from(errors));
    }
    let a = &u.session.account;
    let created = write::create(
        &u.page.state.deps(),
        u.page.tenant(),
        u.reach(),
        (&a.customer_number, &a.email),
        &t,
        files,
    )
    .await?;
    // The URL keeps the row id (the back-office API's too); the page shows the number.
    Ok(
        Redirect::see_other(u.page.url(&format!("/tickets/{}?created=1", created.id)))
            .into_response(),
    )
}

async fn ticket_of(u: &User, id: i64) -> portal_core::poem::Result<Ticket> {
    store::one(&reach(u, true).ok_or(NotFoundError)?, id)
        .await?
        .ok_or_else(|| NotFoundError.into())
}

async fn render_show(
    u: &User,
    t: &Ticket,
    typed: &str,
    error: Option<String>,
    created: bool,
) -> portal_core::poem::Result<Response> {
    let db = &u.page.state.db;
    let scope = u.page.tenant().scope();
    let lang = u.page.cx.lang;
    let messages = store::messages(db, scope, t.id, Audience::Customer).await?;
    let files = store::attachments(db, scope, t.id, Audience::Customer).await?;
    let messages: Vec<Value> = messages
        .iter()
        .map(|m| {
            let attachments = files_of(&files, m.id);
            context! {
                from_support => m.from_support, support_name => m.support_name.as_str(),
                mine => m.user_id == Some(u.session.account.id),
                body => m.body.as_str(), at => date_time(m.created_at, lang), attachments,
            }
        })
        .collect();
    let limits = crate::limits(u.page.state.config.web.max_form_bytes, u.page.tenant());
    Ok(u.page
        .render(
            "tickets/show.html",
            context! {
                ticket => row(u, t), messages, reply => typed, error, created,
                can_reply => t.status != "closed" && u.can::<Create>(),
                max_file_mb => limits.per_file / (1024 * 1024), max_files => limits.max_files,
            },
        )?
        .into_response())
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct ShowQuery {
    created: Option<String>,
}

/// One ticket with its conversation.
#[handler]
pub async fn show(
    u: User,
    Path(id): Path<i64>,
    Query(q): Query<ShowQuery>,
) -> portal_core::poem::Result<Response> {
    let t = ticket_of(&u, id).await?;
    render_show(&u, &t, "", None, q.created.is_some()).await
}

/// The customer's reply, with attachments.
#[handler]
pub async fn reply(
    u: Require<Create>,
    Path(id): Path<i64>,
    mp: Multipart,
) -> portal_core::poem::Result<Response> {
    let t = ticket_of(&u, id).await?;
    if t.status == "closed" {
        return Err(NotFoundError.into());
    }
    let up = upload::read(
        mp,
        &crate::limits(u.page.state.config.web.max_form_bytes, u.page.tenant()),
    )
    .await;
    let body = up.field("body").to_string();
    let error = upload_error(&u, &up)
        .or_else(|| {
            (body.trim().is_empty() && up.files.is_empty()).then(|| u.page.t("tickets-error-reply"))
        })
        .or_else(|| {
            (body.chars().count() > crate::MAX_TEXT_CHARS)
                .then(|| u.page.t("tickets-error-too-long"))
        });
    if error.is_some() {
        return render_show(&u, &t, &body, error, false).await;
    }
    let a = &u.session.account;
    write::reply(
        &u.page.state.deps(),
        u.page.tenant(),
        &t,
        Author::Customer(a.id, &a.email),
        &body,
        None,
        up.files,
    )
    .await?;
    Ok(Redirect::see_other(u.page.url(&format!("/tickets/{id}"))).into_response())
}

/// An attachment: always a download (`attachment`, `nosniff`, `no-store`).
#[handler]
pub async fn download(
    u: User,
    Path((id, file)): Path<(i64, i64)>,
) -> portal_core::poem::Result<Response> {
    let t = ticket_of(&u, id).await?;
    let state = &u.page.state;
    let f = store::attachment(
        &state.db,
        u.page.tenant().scope(),
        t.id,
        file,
        Audience::Customer,
    )
    .await?
    .ok_or(NotFoundError)?;
    let bytes = state.blobs.get(&f.blob_key).await?.ok_or(NotFoundError)?;
    Ok(file_response(bytes, &f))
}

/// An attachment's bytes as a download, never shown inline: `attachment`,
/// `nosniff`, `no-store`, and a sandbox should a browser render it anyway.
pub(crate) fn file_response(bytes: Vec<u8>, f: &store::Attachment) -> Response {
    names::private_download(bytes, &f.mime, &f.name)
}

/// The attachments of message `message_id`, as the conversation lists them.
pub(crate) fn files_of(files: &[store::Attachment], message_id: i64) -> Vec<Value> {
    files
        .iter()
        .filter(|f| f.message_id == message_id)
        .map(|f| context! { id => f.id, name => f.name.as_str(), size_kb => f.size.div_euclid(1024).max(1) })
        .collect()
}

/// The home page's card (seed 001): "Historie", everything the user sent
/// (what waits for the customer is a list: [`home_lists`]).
///
/// # Errors
/// A database failure.
pub async fn home_cards(
    cx: &dyn CardCx,
) -> portal_core::poem::Result<Vec<portal_core::module::HomeCard>> {
    let mut cards = Vec::new();
    if let Some(own) = cx.reach::<ViewOwn>() {
        let sent = store::count(&own.own(), Filter::All).await?;
        cards.push(portal_core::module::HomeCard {
            order: 151,
            title: cx.t("tickets-card-history"),
            description: cx.t("tickets-card-history-text"),
            path: "/tickets".into(),
            count: Some(sent),
        });
    }
    Ok(cards)
}

/// Rows of the home page's waiting list.
const HOME_ROWS: u64 = 5;

/// The home page's list of the topics waiting for the customer's reaction
/// (seed 001: date and time, subject, form and status), newest first.
///
/// # Errors
/// A database failure.
pub async fn home_lists(
    cx: &dyn CardCx,
) -> portal_core::poem::Result<Vec<portal_core::module::HomeList>> {
    let Some((reach, filter)) = list_reach(cx, "waiting") else {
        return Ok(Vec::new());
    };
    let lang = cx.lang();
    let rows = store::list(&reach, filter, None, HOME_ROWS)
        .await?
        .into_iter()
        .map(|t| portal_core::module::HomeRow {
            cells: vec![
                date_time(t.created_at, lang),
                t.subject.clone(),
                cx.t(&format!("tickets-kind-{}", t.kind)),
                cx.t(&format!("tickets-status-{}", t.status)),
            ],
            path: format!("/tickets/{}", t.id),
        })
        .collect();
    Ok(vec![portal_core::module::HomeList {
        order: 150,
        title: cx.t("tickets-card-title"),
        columns: vec![
            cx.t("tickets-date"),
            cx.t("tickets-subject"),
            cx.t("tickets-kind"),
            cx.t("tickets-status"),
        ],
        rows,
        link_column: 1,
        empty: cx.t("tickets-card-none"),
        path: "/tickets?list=waiting".into(),
        more: cx.t("tickets-home-more"),
    }])
}
