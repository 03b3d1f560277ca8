//! The development mailbox: with `mail.transport = "mailbox"` mail stays in
//! the portal, and with `mail.mailbox_pages = true` (development, `portal
//! demo`) `/mailbox` shows the tenant's mails (list, HTML view, text view
//! with clickable links), so an invitation or reset link can be followed
//! with no mail server. Otherwise these pages are 404: anyone who reaches
//! the portal could read every customer's mail there.

use minijinja::context;
use poem::http::StatusCode;
use poem::web::{Html, Path};
use poem::{IntoResponse, Response, handler};

use super::context::Page;
use crate::mail::outbox;

const PAGE_SIZE: u64 = 100;

fn guard(page: &Page) -> poem::Result<()> {
    if page.state.mailer.mailbox_pages() {
        Ok(())
    } else {
        Err(poem::Error::from_status(StatusCode::NOT_FOUND))
    }
}

/// Text with its web addresses as links, escaped for HTML.
fn linkify(text: &str) -> String {
    let escape = |s: &str| {
        s.replace('&', "&amp;")
            .replace('<', "&lt;")
            .replace('>', "&gt;")
            .replace('"', "&quot;")
    };
    let mut out = String::new();
    for (i, line) in text.split('\n').enumerate() {
        if i > 0 {
            out.push('\n');
        }
        for (j, word) in line.split(' ').enumerate() {
            if j > 0 {
                out.push(' ');
            }
            let trimmed = word.trim_end_matches(['.', ',', ')', ';']);
            if trimmed.starts_with("https://") || trimmed.starts_with("http://") {
                let e = escape(trimmed);
                out.push_str(&format!(
                    "<a href=\"{e}\">{e}</a>{}",
                    escape(&word[trimmed.len()..])
                ));
            } else {
                out.push_str(&escape(word));
            }
        }
    }
    out
}

/// The tenant's mails, newest first.
#[handler]
pub async fn list(page: Page) -> poem::Result<Html<String>> {
    guard(&page)?;
    let mails = outbox::list(&page.state.db, page.tenant().scope(), None, PAGE_SIZE).await?;
    let rows: Vec<_> = mails
        .iter()
        .map(|m| {
            context! {
                id => m.id, to => format!("{} <{}>", m.to_name, m.to_address), subject => m.subject.as_str(),
                status => m.status.as_str(), date => m.created_at.format("%Y-%m-%d %H:%M:%S").to_string(),
            }
        })
        .collect();
    page.render("mailbox/list.html", context! { mails => rows })
}

/// One mail: headers, text body with clickable links, link to the HTML body.
#[handler]
pub async fn show(page: Page, Path(id): Path<i64>) -> poem::Result<Html<String>> {
    guard(&page)?;
    let m = outbox::get(&page.state.db, page.tenant().scope(), id).await?;
    let m = m.ok_or_else(|| poem::Error::from_status(StatusCode::NOT_FOUND))?;
    page.render(
        "mailbox/show.html",
        context! {
            mail => context! {
                id => m.id, from => format!("{} <{}>", m.from_name, m.from_address), to => format!("{} <{}>", m.to_name, m.to_address),
                subject => m.subject.as_str(), message_id => m.message_id.as_str(), status => m.status.as_str(),
                date => m.created_at.format("%Y-%m-%d %H:%M:%S").to_string(),
                text_html => minijinja::Value::from_safe_string(linkify(&m.body_text)),
            },
        },
    )
}

/// The HTML body as the recipient's mail program shows it (no scripts, no
/// outside loads but images).
#[handler]
pub async fn html(page: Page, Path(id): Path<i64>) -> poem::Result<Response> {
    guard(&page)?;
    let m = outbox::get(&page.state.db, page.tenant().scope(), id).await?;
    let m = m.ok_or_else(|| poem::Error::from_status(StatusCode::NOT_FOUND))?;
    Ok(Html(m.body_html)
        .with_header(
            "content-security-policy",
            "default-src 'none'; img-src https: data:; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'; sandbox allow-popups allow-popups-to-escape-sandbox allow-top-navigation-by-user-activation",
        )
        .into_response())
}
