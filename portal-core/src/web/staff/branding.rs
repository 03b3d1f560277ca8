//! Staff pages for the portal's look and its page messages (seed 004
//! "Branding" and "Berichten"): the four colours (each text/background pair
//! checked for a 4.5:1 contrast) and messages per page (neutral, warning,
//! important; rich text cleaned of anything but formatting and links).
//! Logo and favicon uploads go through the back-office API for now.
//! Every change is in the tenant's activity log with the staff member.

use std::collections::BTreeMap;

use minijinja::{Value, context};
use poem::web::{Form, Path, Query, Redirect};
use poem::{IntoResponse, Response, handler};
use serde::Deserialize;

use super::{Staff, StaffUser};
use crate::auth::activity::{self, Actor, Entry};
use crate::auth::flows::{Client, FlowError};
use crate::staff::permission::{Branding as BrandingPerm, Messages};
use crate::tenant::MessageKind;
use crate::tenant::branding::{Branding, ColourInput};
use crate::tenant::repo::{self, MessageInput, TenantError};

async fn record(u: &StaffUser, action: &'static str, client: &Client) -> poem::Result<()> {
    let entry = Entry::tenant(
        Actor::Staff,
        Some(u.session.member.id),
        action,
        "",
        client.ip.as_deref(),
    );
    activity::record_now(&u.page.state.db, u.page.tenant().scope(), entry)
        .await
        .map_err(|e| FlowError::from(e).into())
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct DoneQuery {
    done: String,
}

fn render(
    u: &StaffUser,
    template: &str,
    typed: Option<&ColoursForm>,
    colour_errors: &BTreeMap<String, String>,
    message: Option<&MessageForm>,
    message_error: Option<String>,
    done: bool,
) -> poem::Result<Response> {
    let t = u.page.tenant();
    let b = &t.branding;
    let values = match typed {
        Some(c) => {
            context! { primary => c.primary.as_str(), primary_text => c.primary_text.as_str(), secondary => c.secondary.as_str(), secondary_text => c.secondary_text.as_str() }
        }
        None => {
            context! { primary => b.primary.as_deref(), primary_text => b.primary_text.as_deref(), secondary => b.secondary.as_deref(), secondary_text => b.secondary_text.as_deref() }
        }
    };
    let messages: Vec<Value> = t
        .messages
        .iter()
        .map(|m| context! { id => m.id, page => m.page.as_str(), kind => m.kind.code(), preview => preview(&m.html) })
        .collect();
    let kinds: Vec<(String, String)> = ["neutral", "warning", "important"]
        .iter()
        .map(|k| ((*k).to_string(), u.page.t(&format!("staff-message-{k}"))))
        .collect();
    Ok(u.render(
            template,
            context! {
                values, colour_errors => Value::from(colour_errors.clone()),
                messages, kinds, done,
                message => message.map(|m| context! { page => m.page.as_str(), kind => m.kind.as_str(), html => m.html.as_str() }),
                message_error,
            },
        )?
        .into_response())
}

/// The text of a message without its tags, shortened, for the list.
fn preview(html: &str) -> String {
    let mut out = String::new();
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => in_tag = true,
            '>' => in_tag = false,
            c if !in_tag => out.push(c),
            _ => {}
        }
    }
    let text: String = out.split_whitespace().collect::<Vec<_>>().join(" ");
    if text.chars().count() > 80 {
        format!("{}…", text.chars().take(80).collect::<String>())
    } else {
        text
    }
}

const BRANDING: &str = "staff/branding.html";
const MESSAGES: &str = "staff/messages.html";

/// Colours, logo and favicon.
#[handler]
pub async fn show(u: Staff<BrandingPerm>, Query(q): Query<DoneQuery>) -> poem::Result<Response> {
    render(
        &u,
        BRANDING,
        None,
        &BTreeMap::new(),
        None,
        None,
        !q.done.is_empty(),
    )
}

/// Page messages.
#[handler]
pub async fn message_list(
    u: Staff<Messages>,
    Query(q): Query<DoneQuery>,
) -> poem::Result<Response> {
    render(
        &u,
        MESSAGES,
        None,
        &BTreeMap::new(),
        None,
        None,
        !q.done.is_empty(),
    )
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct ColoursForm {
    primary: String,
    primary_text: String,
    secondary: String,
    secondary_text: String,
}

fn opt(s: &str) -> Option<String> {
    Some(s.trim().to_string()).filter(|s| !s.is_empty())
}

/// Saves the colours (empty: the default, or the parent organisation's).
#[handler]
pub async fn colours(
    u: Staff<BrandingPerm>,
    client: Client,
    Form(f): Form<ColoursForm>,
) -> poem::Result<Response> {
    let t = u.page.tenant();
    let snapshot = u.page.state.cache.get().await.map_err(|e| {
        poem::Error::from_string(e.to_string(), poem::http::StatusCode::INTERNAL_SERVER_ERROR)
    })?;
    let fallback = match (t.brand_inherit, t.parent_id.and_then(|p| snapshot.by_id(p))) {
        (true, Some(parent)) => parent.branding.clone(),
        _ => Branding::default(),
    };
    let input = ColourInput {
        primary: opt(&f.primary),
        primary_text: opt(&f.primary_text),
        secondary: opt(&f.secondary),
        secondary_text: opt(&f.secondary_text),
    };
    match repo::set_colours(&u.page.state.db, t.scope(), &input, &fallback).await {
        Ok(()) => {
            record(&u, "branding.changed", &client).await?;
            Ok(Redirect::see_other(u.page.url("/staff/branding?done=1")).into_response())
        }
        Err(Ok(errors)) => {
            let errors: BTreeMap<String, String> = errors
                .into_iter()
                .map(|(k, v)| (k.to_string(), v))
                .collect();
            render(&u, BRANDING, Some(&f), &errors, None, None, false)
        }
        Err(Err(e)) => Err(FlowError::from(e).into()),
    }
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct MessageForm {
    page: String,
    kind: String,
    html: String,
}

/// Adds a page message.
#[handler]
pub async fn message_add(
    u: Staff<Messages>,
    client: Client,
    Form(f): Form<MessageForm>,
) -> poem::Result<Response> {
    let Some(kind) = MessageKind::parse(&f.kind) else {
        return render(
            &u,
            MESSAGES,
            None,
            &BTreeMap::new(),
            Some(&f),
            Some(u.page.t("staff-message-kind-error")),
            false,
        );
    };
    let input = MessageInput {
        page: f.page.clone(),
        kind,
        html: f.html.clone(),
        starts_at: None,
        ends_at: None,
    };
    match repo::add_message(&u.page.state.db, u.page.tenant().scope(), &input).await {
        Ok(_) => {
            record(&u, "messages.changed", &client).await?;
            Ok(Redirect::see_other(u.page.url("/staff/messages?done=1")).into_response())
        }
        Err(TenantError::Invalid { message, .. }) => render(
            &u,
            MESSAGES,
            None,
            &BTreeMap::new(),
            Some(&f),
            Some(message),
            false,
        ),
        Err(e) => Err(poem::Error::from_string(
            e.to_string(),
            poem::http::StatusCode::INTERNAL_SERVER_ERROR,
        )),
    }
}

/// Deletes a page message (404 for another tenant's).
#[handler]
pub async fn message_delete(
    u: Staff<Messages>,
    client: Client,
    Path(id): Path<i64>,
) -> poem::Result<Response> {
    match repo::delete_message(&u.page.state.db, u.page.tenant().scope(), id).await {
        Ok(()) => {
            record(&u, "messages.changed", &client).await?;
            Ok(Redirect::see_other(u.page.url("/staff/messages?done=1")).into_response())
        }
        Err(TenantError::NotFound) => Err(poem::error::NotFoundError.into()),
        Err(e) => Err(poem::Error::from_string(
            e.to_string(),
            poem::http::StatusCode::INTERNAL_SERVER_ERROR,
        )),
    }
}
