//! The staff mail template editor (seed 004: "Communicatie per e-mail",
//! seed 003's placeholders): every mail the portal sends, per language and
//! form of address, with its placeholders listed; saving refuses an
//! unknown placeholder or broken syntax with the part and position named,
//! keeping what was typed; "default" goes back to the built-in text. The
//! back-office API adds a preview and a test mail.

use std::collections::BTreeMap;

use minijinja::{Value, context};
use poem::error::NotFoundError;
use poem::web::{Form, Path, Query, Redirect};
use poem::{IntoResponse, Response, handler};
use serde::Deserialize;

use super::{Staff, StaffUser};
use crate::auth::activity::{self, Actor, Entry};
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

fn render(
    u: &StaffUser,
    kind: &MailKind,
    (lang, form): (Lang, AddressForm),
    text: &TemplateText,
    is_default: bool,
    errors: &BTreeMap<String, String>,
    done: bool,
) -> poem::Result<Response> {
    let placeholders: Vec<Value> = kind
        .all_placeholders()
        .map(|p| {
            context! {
                name => p.name,
                description => if u.page.cx.lang == Lang::Nl { p.description_nl } else { p.description_en },
            }
        })
        .collect();
    Ok(u.render(
            "staff/template.html",
            context! {
                key => kind.key,
                label => if u.page.cx.lang == Lang::Nl { kind.label_nl } else { kind.label_en },
                lang => lang.code(), form => form.code(),
                languages => Lang::ALL.iter().map(|l| l.code()).collect::<Vec<_>>(),
                forms => ["formal", "informal"],
                values => context! { subject => text.subject.as_str(), html => text.html.as_str(), text => text.text.as_str() },
                is_default, placeholders, done,
                errors => Value::from(errors.clone()),
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
    render(
        &u,
        kind,
        (lang, form),
        &e.text,
        e.is_default,
        &BTreeMap::new(),
        !q.done.is_empty(),
    )
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct TemplateForm {
    subject: String,
    html: String,
    text: String,
}

async fn record(u: &StaffUser, key: &str, client: &Client) -> poem::Result<()> {
    let entry = Entry::tenant(
        Actor::Staff,
        Some(u.session.member.id),
        "template.changed",
        key,
        client.ip.as_deref(),
    );
    activity::record_now(&u.page.state.db, u.page.tenant().scope(), entry)
        .await
        .map_err(|e| FlowError::from(e).into())
}

fn back(u: &StaffUser, key: &str, (lang, form): (Lang, AddressForm)) -> Response {
    let path = format!(
        "/staff/templates/{key}?lang={}&form={}&done=1",
        lang.code(),
        form.code()
    );
    Redirect::see_other(u.page.url(&path)).into_response()
}

/// Saves the tenant's own template.
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
            record(&u, kind.key, &client).await?;
            Ok(back(&u, kind.key, which))
        }
        Err(Ok(refused)) => {
            let mut errors = BTreeMap::new();
            for e in refused {
                errors
                    .entry(e.part.to_string())
                    .and_modify(|m: &mut String| {
                        m.push_str("; ");
                        m.push_str(&e.message);
                    })
                    .or_insert(e.message);
            }
            render(&u, kind, which, &text, false, &errors, false)
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
    record(&u, kind.key, &client).await?;
    Ok(back(&u, kind.key, which))
}
