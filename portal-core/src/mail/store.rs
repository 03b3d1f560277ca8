//! Template overrides per tenant, key, language and form of address.

use chrono::Utc;
use sea_query::{Expr, ExprTrait};

use super::kind::MailKind;
use super::sanitise::template_html;
use super::template::{TemplateError, TemplateText, check};
use crate::db::{Db, DbError, Tx};
use crate::tenant::{AddressForm, Lang, TenantScope};

/// The template in use, and whether it is the shipped default.
#[derive(Debug, Clone)]
pub struct Effective {
    pub text: TemplateText,
    pub is_default: bool,
}

#[derive(sqlx::FromRow)]
struct Row {
    subject: String,
    body_html: String,
    body_text: String,
}
crate::from_sqlite! {
    Row { subject, body_html, body_text }
}

fn select(
    scope: TenantScope,
    key: &str,
    lang: Lang,
    form: AddressForm,
) -> sea_query::SelectStatement {
    scope
        .select("mail_templates")
        .columns(["subject", "body_html", "body_text"])
        .and_where(Expr::col("mail_key").eq(key))
        .and_where(Expr::col("lang").eq(lang.code()))
        .and_where(Expr::col("form").eq(form.code()))
        .to_owned()
}

fn default_text(kind: &MailKind, lang: Lang, form: AddressForm) -> TemplateText {
    match kind.default_for(lang, form) {
        Some(d) => TemplateText {
            subject: d.subject.into(),
            html: d.html.into(),
            text: d.text.into(),
        },
        None => TemplateText {
            subject: kind.key.into(),
            html: String::new(),
            text: String::new(),
        },
    }
}

/// The tenant's override, else the default.
///
/// # Errors
/// A database failure.
pub async fn effective(
    db: &Db,
    scope: TenantScope,
    kind: &MailKind,
    lang: Lang,
    form: AddressForm,
) -> Result<Effective, DbError> {
    let row: Option<Row> = db
        .fetch_optional(&select(scope, kind.key, lang, form))
        .await?;
    Ok(match row {
        Some(r) => Effective {
            text: TemplateText {
                subject: r.subject,
                html: r.body_html,
                text: r.body_text,
            },
            is_default: false,
        },
        None => Effective {
            text: default_text(kind, lang, form),
            is_default: true,
        },
    })
}

/// The template to send (the tenant's or the default), read inside `tx`.
///
/// # Errors
/// A database failure.
pub async fn effective_in(
    tx: &mut Tx,
    scope: TenantScope,
    kind: &MailKind,
    lang: Lang,
    form: AddressForm,
) -> Result<TemplateText, DbError> {
    let rows: Vec<Row> = tx.fetch_all(&select(scope, kind.key, lang, form)).await?;
    Ok(sendable(kind, lang, form, rows.into_iter().next()))
}

/// As [`effective_in`], read outside a transaction: for a mail rendered
/// before the change that sends it begins ([`super::Mailer::prepare`]).
///
/// # Errors
/// A database failure.
pub async fn effective_to_send(
    db: &Db,
    scope: TenantScope,
    kind: &MailKind,
    lang: Lang,
    form: AddressForm,
) -> Result<TemplateText, DbError> {
    let row: Option<Row> = db
        .fetch_optional(&select(scope, kind.key, lang, form))
        .await?;
    Ok(sendable(kind, lang, form, row))
}

fn sendable(kind: &MailKind, lang: Lang, form: AddressForm, row: Option<Row>) -> TemplateText {
    match row {
        Some(r) => {
            let t = TemplateText {
                subject: r.subject,
                html: r.body_html,
                text: r.body_text,
            };
            // Checked again when sent: a template stored before a check
            // existed must not send a personal link elsewhere.
            match too_large(&t)
                .into_iter()
                .next()
                .or_else(|| misplaced_link(&t))
            {
                None => t,
                Some(e) => {
                    tracing::warn!(mail = kind.key, error = %e.message, "stored template refused; the default is sent");
                    default_text(kind, lang, form)
                }
            }
        }
        None => default_text(kind, lang, form),
    }
}

/// Cleans the HTML and checks every part: what save and preview both do,
/// so a preview shows exactly what would be stored and sent. Positions in
/// errors about the HTML part refer to the cleaned HTML.
///
/// # Errors
/// The problems found, each naming its part.
pub fn prepare(kind: &MailKind, t: &TemplateText) -> Result<TemplateText, Vec<TemplateError>> {
    let prepared = TemplateText {
        subject: t.subject.trim().to_string(),
        html: template_html(&t.html),
        text: t.text.clone(),
    };
    let mut errors = too_large(&prepared);
    if !errors.is_empty() {
        // Nothing more is looked at: the checks below cost time per byte.
        return Err(errors);
    }
    if prepared.subject.is_empty() {
        errors.push(TemplateError {
            part: "subject",
            message: "enter a subject".into(),
        });
    }
    if prepared.html.trim().is_empty() && prepared.text.trim().is_empty() {
        errors.push(TemplateError {
            part: "text",
            message: "enter the text of the mail (HTML, plain text or both)".into(),
        });
    }
    for (part, src) in [
        ("subject", &prepared.subject),
        ("html", &prepared.html),
        ("text", &prepared.text),
    ] {
        if let Err(e) = check(kind, part, src) {
            errors.push(e);
        }
    }
    if let Some(e) = misplaced_link(&prepared) {
        errors.push(e);
    }
    if let Some(name) = placeholder_in_image(&prepared.html) {
        errors.push(TemplateError {
            part: "html",
            message: format!(
                "{{{name}}} stands in an image address: a mail program fetches images from \
                 their server, so the value (a personal link, say) would travel there. \
                 Put links in <a href=\"...\"> instead"
            ),
        });
    }
    if errors.is_empty() {
        Ok(prepared)
    } else {
        Err(errors)
    }
}

/// The largest template parts (finding 1 of the outside-in test: a 3.5 MB
/// template stalled the server): a subject line, and a mail's HTML and
/// text, far beyond any real mail.
pub const MAX_SUBJECT_CHARS: usize = 300;
pub const MAX_HTML_BYTES: usize = 100 * 1024;
pub const MAX_TEXT_BYTES: usize = 50 * 1024;
/// The largest number of placeholders in one part.
pub const MAX_PLACEHOLDERS: usize = 400;

/// The parts over their limit, each with its message.
pub fn too_large(t: &TemplateText) -> Vec<TemplateError> {
    let mut errors = Vec::new();
    if t.subject.chars().count() > MAX_SUBJECT_CHARS {
        errors.push(TemplateError {
            part: "subject",
            message: format!("the subject is longer than {MAX_SUBJECT_CHARS} characters"),
        });
    }
    for (part, src, max) in [
        ("html", &t.html, MAX_HTML_BYTES),
        ("text", &t.text, MAX_TEXT_BYTES),
    ] {
        if src.len() > max {
            errors.push(TemplateError {
                part,
                message: format!(
                    "this part is {} KB; a mail template may be at most {} KB",
                    src.len() / 1024,
                    max / 1024
                ),
            });
        } else if src.matches('{').count() > 2 * MAX_PLACEHOLDERS {
            errors.push(TemplateError {
                part,
                message: format!("a template may hold at most {MAX_PLACEHOLDERS} placeholders"),
            });
        }
    }
    errors
}

/// True for a placeholder whose value carries a personal token: a link
/// (`link.url`) or a block with links (`*links*`).
fn carries_token(name: &str) -> bool {
    (name.starts_with("link.") && name != "link.valid_for") || name.contains("links")
}

/// The placeholders in `src` with their byte ranges (braces included);
/// `{{` is a literal brace.
fn placeholders(src: &str) -> Vec<(usize, usize, &str)> {
    let mut out = Vec::new();
    let b = src.as_bytes();
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'{' {
            if b.get(i + 1) == Some(&b'{') {
                i += 2;
                continue;
            }
            if let Some(end) = src[i..].find('}') {
                out.push((i, i + end + 1, &src[i + 1..i + end]));
                i += end + 1;
                continue;
            }
        }
        i += 1;
    }
    out
}

/// Where a placeholder that carries a token stands wrong (finding 3 of
/// the outside-in test): in HTML only as the whole `href` of a link or as
/// text; in text (and HTML text) not glued to other address characters,
/// so `https://evil.example/?u={link.url}` cannot carry the token away.
fn misplaced_link(t: &TemplateText) -> Option<TemplateError> {
    let refuse = |part: &'static str, name: &str| TemplateError {
        part,
        message: format!(
            "{{{name}}} carries a personal link: it may only stand on its own, as the whole \
             address of a link (<a href=\"{{{name}}}\">) or as text with spaces around it"
        ),
    };
    let glued = |src: &str, start: usize, end: usize| {
        let before = src[..start].chars().next_back();
        let after = src[end..].chars().next();
        let bad = |c: char| c.is_alphanumeric() || "=/?&#%:.@+-_~".contains(c);
        before.is_some_and(bad)
            || after.is_some_and(|c| c.is_alphanumeric() || "=/?&#%@+_~".contains(c))
    };
    for (part, src) in [("subject", &t.subject), ("text", &t.text)] {
        for (start, end, name) in placeholders(src) {
            if carries_token(name) && glued(src, start, end) {
                return Some(refuse(part, name));
            }
        }
    }
    // HTML: inside a tag only as a whole href value; outside tags as text.
    let html = &t.html;
    for (start, end, name) in placeholders(html) {
        if !carries_token(name) {
            continue;
        }
        let open = html[..start].rfind('<');
        let close = html[..start].rfind('>');
        let in_tag = match (open, close) {
            (Some(o), Some(c)) => o > c,
            (Some(_), None) => true,
            _ => false,
        };
        if in_tag {
            let whole_href = html[..start].ends_with("href=\"")
                && html[end..].starts_with('"')
                && open.is_some_and(|o| html[o..].starts_with("<a "));
            if !whole_href {
                return Some(refuse("html", name));
            }
        } else if glued(html, start, end) {
            return Some(refuse("html", name));
        }
    }
    None
}

/// The first placeholder inside an `<img src="...">` of cleaned HTML.
fn placeholder_in_image(html: &str) -> Option<String> {
    let mut rest = html;
    while let Some(at) = rest.find("<img") {
        let tag_end = rest[at..].find('>').map_or(rest.len(), |e| at + e);
        let tag = &rest[at..tag_end];
        if let Some(src_at) = tag.find("src=\"") {
            let value = &tag[src_at + 5..];
            let value = &value[..value.find('"').unwrap_or(value.len())];
            let mut chars = value.char_indices().peekable();
            while let Some((i, c)) = chars.next() {
                if c != '{' {
                    continue;
                }
                // `{{` is a literal brace.
                if chars.peek().is_some_and(|(_, n)| *n == '{') {
                    chars.next();
                    continue;
                }
                let name = &value[i + 1..];
                let name = &name[..name.find('}').unwrap_or(name.len())];
                if !name.is_empty() {
                    return Some(name.to_string());
                }
            }
        }
        rest = &rest[tag_end..];
    }
    None
}

/// Checks and stores a tenant's override; returns the stored (sanitised) text.
///
/// # Errors
/// `Err(Ok(errors))`: the template is refused (each error names its part and
/// the problem); `Err(Err(_))`: a database failure.
pub async fn save(
    db: &Db,
    scope: TenantScope,
    kind: &MailKind,
    lang: Lang,
    form: AddressForm,
    t: &TemplateText,
) -> Result<TemplateText, Result<Vec<TemplateError>, DbError>> {
    let stored = prepare(kind, t).map_err(Ok)?;
    let mut tx = db.begin().await.map_err(Err)?;
    let del = scope
        .delete("mail_templates")
        .and_where(Expr::col("mail_key").eq(kind.key))
        .and_where(Expr::col("lang").eq(lang.code()))
        .and_where(Expr::col("form").eq(form.code()))
        .to_owned();
    tx.execute(&del).await.map_err(Err)?;
    let ins = scope
        .insert("mail_templates")
        .set("mail_key", kind.key)
        .set("lang", lang.code())
        .set("form", form.code())
        .set("subject", stored.subject.clone())
        .set("body_html", stored.html.clone())
        .set("body_text", stored.text.clone())
        .set("updated_at", Utc::now())
        .statement();
    tx.execute(&ins).await.map_err(Err)?;
    tx.commit().await.map_err(Err)?;
    Ok(stored)
}

/// Drops the tenant's override: the default applies again.
///
/// # Errors
/// A database failure.
pub async fn reset(
    db: &Db,
    scope: TenantScope,
    key: &str,
    lang: Lang,
    form: AddressForm,
) -> Result<(), DbError> {
    let del = scope
        .delete("mail_templates")
        .and_where(Expr::col("mail_key").eq(key))
        .and_where(Expr::col("lang").eq(lang.code()))
        .and_where(Expr::col("form").eq(form.code()))
        .to_owned();
    db.execute(&del).await?;
    Ok(())
}
