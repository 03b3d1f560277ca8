//! The staff mail template editor (seed 004: "Communicatie per e-mail",
//! seed 003's placeholders): every mail the portal sends, per language and
//! form of address, with its placeholders listed; saving refuses an
//! unknown placeholder or broken syntax with the part and position named,
//! keeping what was typed; "default" goes back to the built-in text; a
//! preview renders the typed text with example values as it would be sent
//! (checked as saving checks it), and a test mail of the saved version goes
//! to the staff member's own address.

use std::collections::BTreeMap;

use minijinja::{Value, context};
use poem::error::NotFoundError;
use poem::web::{Form, Path, Query, Redirect};
use poem::{IntoResponse, Response, handler};
use serde::Deserialize;

use super::{Staff, StaffUser};
use crate::auth::flows::{Client, FlowError};
use crate::mail::MailKind;
use crate::mail::store;
use crate::mail::template::TemplateText;
use crate::staff::permission::Templates;
use crate::tenant::{AddressForm, Lang};

/// Every mail kind, by key.
#[handler]
pub async fn list(u: Staff<Templates>) -> poem::Result<Response> {
    let lang = u.page.cx.lang;
    let mut kinds: Vec<(&str, &str)> = u
        .page
        .state
        .mailer
        .kinds()
        .map(|k| {
            (
                k.key,
                if lang == Lang::Nl {
                    k.label_nl
                } else {
                    k.label_en
                },
            )
        })
        .collect();
    kinds.sort_unstable();
    let rows: Vec<Value> = kinds
        .into_iter()
        .map(|(key, label)| context! { key, label })
        .collect();
    Ok(
        u.render("staff/templates.html", context! { kinds => rows })?
            .into_response(),
    )
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct Which {
    lang: String,
    form: String,
    done: String,
}

fn which(u: &StaffUser, q: &Which) -> (Lang, AddressForm) {
    let t = u.page.tenant();
    (
        Lang::parse(&q.lang).unwrap_or(t.default_language),
        AddressForm::parse(&q.form).unwrap_or(t.address_form),
    )
}

fn kind_of(u: &StaffUser, key: &str) -> poem::Result<&'static MailKind> {
    u.page
        .state
        .mailer
        .kind(key)
        .ok_or_else(|| NotFoundError.into())
}

/// What the editor shows besides the template.
#[derive(Default)]
struct Shown {
    errors: BTreeMap<String, String>,
    done: Option<&'static str>,
    preview: Option<crate::mail::template::Rendered>,
    test_error: Option<String>,
}

fn render(
    u: &StaffUser,
    kind: &MailKind,
    (lang, form): (Lang, AddressForm),
    text: &TemplateText,
    is_default: bool,
    shown: Shown,
) -> poem::Result<Response> {
    let reader = u.page.cx.lang;
    let placeholders: Vec<Value> = kind
        .all_placeholders()
        .map(|p| {
            context! {
                name => p.name,
                description => if reader == Lang::Nl { p.description_nl } else { p.description_en },
            }
        })
        .collect();
    let mut versions = Vec::new();
    for l in Lang::ALL {
        for f in [AddressForm::Formal, AddressForm::Informal] {
            versions.push(context! {
                lang => l.code(), form => f.code(), current => l == lang && f == form,
                label => format!("{} · {}", u.page.t(&format!("lang-{}", l.code())), u.page.t(&format!("staff-form-{}", f.code()))),
            });
        }
    }
    Ok(u.render(
        "staff/template.html",
        context! {
            key => kind.key,
            label => if reader == Lang::Nl { kind.label_nl } else { kind.label_en },
            version_lang => lang.code(), form => form.code(), versions,
            values => context! { subject => text.subject.as_str(), html => text.html.as_str(), text => text.text.as_str() },
            is_default, placeholders, done => shown.done,
            errors => Value::from(shown.errors),
            preview => shown.preview.map(|r| context! { subject => r.subject, html => r.html, text => r.text }),
            test_error => shown.test_error,
            me => u.session.member.email.as_str(),
        },
    )?
    .into_response())
}

/// One mail's template in one language and form.
#[handler]
pub async fn show(
    u: Staff<Templates>,
    Path(key): Path<String>,
    Query(q): Query<Which>,
) -> poem::Result<Response> {
    let kind = kind_of(&u, &key)?;
    let (lang, form) = which(&u, &q);
    let e = store::effective(&u.page.state.db, u.page.tenant().scope(), kind, lang, form)
        .await
        .map_err(FlowError::from)?;
    let done = match q.done.as_str() {
        "" => None,
        "test" => Some("staff-template-test-sent"),
        _ => Some("people-done-saved"),
    };
    let shown = Shown {
        done,
        ..Shown::default()
    };
    render(&u, kind, (lang, form), &e.text, e.is_default, shown)
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct TemplateForm {
    subject: String,
    html: String,
    text: String,
    /// `preview`: render it, do not save.
    action: String,
}

fn errors_by_part(found: Vec<crate::mail::template::TemplateError>) -> BTreeMap<String, String> {
    let mut errors = BTreeMap::new();
    for e in found {
        errors
            .entry(e.part.to_string())
            .and_modify(|m: &mut String| {
                m.push_str("; ");
                m.push_str(&e.message);
            })
            .or_insert(e.message);
    }
    errors
}

fn back(u: &StaffUser, key: &str, (lang, form): (Lang, AddressForm)) -> Response {
    let path = format!(
        "/staff/templates/{key}?lang={}&form={}&done=1",
        lang.code(),
        form.code()
    );
    Redirect::see_other(u.page.url(&path)).into_response()
}

/// Saves the tenant's own template, or (`action=preview`) shows what it
/// would send without saving.
#[handler]
pub async fn save(
    u: Staff<Templates>,
    client: Client,
    Path(key): Path<String>,
    Query(q): Query<Which>,
    Form(f): Form<TemplateForm>,
) -> poem::Result<Response> {
    let kind = kind_of(&u, &key)?;
    let which = which(&u, &q);
    let text = TemplateText {
        subject: f.subject,
        html: f.html,
        text: f.text,
    };
    if f.action == "preview" {
        let shown = match u
            .page
            .state
            .mailer
            .preview(kind, u.page.tenant(), &text, 2)
            .await
        {
            Ok(r) => Shown {
                preview: Some(r),
                ..Shown::default()
            },
            Err(found) => Shown {
                errors: errors_by_part(found),
                ..Shown::default()
            },
        };
        return render(&u, kind, which, &text, false, shown);
    }
    match store::save(
        &u.page.state.db,
        u.page.tenant().scope(),
        kind,
        which.0,
        which.1,
        &text,
    )
    .await
    {
        Ok(_) => {
            u.record("template.changed", kind.key, &client).await?;
            Ok(back(&u, kind.key, which))
        }
        Err(Ok(refused)) => {
            let shown = Shown {
                errors: errors_by_part(refused),
                ..Shown::default()
            };
            render(&u, kind, which, &text, false, shown)
        }
        Err(Err(e)) => Err(FlowError::from(e).into()),
    }
}

/// Goes back to the built-in text.
#[handler]
pub async fn reset(
    u: Staff<Templates>,
    client: Client,
    Path(key): Path<String>,
    Query(q): Query<Which>,
) -> poem::Result<Response> {
    let kind = kind_of(&u, &key)?;
    let which = which(&u, &q);
    store::reset(
        &u.page.state.db,
        u.page.tenant().scope(),
        kind.key,
        which.0,
        which.1,
    )
    .await
    .map_err(FlowError::from)?;
    u.record("template.changed", kind.key, &client).await?;
    Ok(back(&u, kind.key, which))
}

/// Sends a test mail of the saved version (this language and form) with
/// example values to the staff member's own address, within the tenant's
/// hourly budget of test mails.
#[handler]
pub async fn test(
    u: Staff<Templates>,
    client: Client,
    Path(key): Path<String>,
    Query(q): Query<Which>,
) -> poem::Result<Response> {
    let kind = kind_of(&u, &key)?;
    let (lang, form) = which(&u, &q);
    let m = &u.session.member;
    let to = crate::mail::Recipient {
        address: m.email.clone(),
        name: m.name.clone(),
        lang: Some(lang),
        form: Some(form),
    };
    let state = &u.page.state;
    let sent = state
        .mailer
        .send_test(&state.db, u.page.tenant(), kind, &to)
        .await
        .map_err(|e| {
            poem::Error::from_string(e.to_string(), poem::http::StatusCode::INTERNAL_SERVER_ERROR)
        })?;
    if sent.is_none() {
        let e = store::effective(&state.db, u.page.tenant().scope(), kind, lang, form)
            .await
            .map_err(FlowError::from)?;
        let shown = Shown {
            test_error: Some(u.page.t("staff-template-test-limit")),
            ..Shown::default()
        };
        return render(&u, kind, (lang, form), &e.text, e.is_default, shown);
    }
    u.record("template.test_sent", kind.key, &client).await?;
    let path = format!(
        "/staff/templates/{}?lang={}&form={}&done=test",
        kind.key,
        lang.code(),
        form.code()
    );
    Ok(Redirect::see_other(u.page.url(&path)).into_response())
}
