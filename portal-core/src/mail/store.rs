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

/// As [`effective`], inside a transaction (when enqueueing).
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
    Ok(match rows.into_iter().next() {
        Some(r) => TemplateText {
            subject: r.subject,
            html: r.body_html,
            text: r.body_text,
        },
        None => default_text(kind, lang, form),
    })
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
    let mut errors = Vec::new();
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
