//! One action item's page and what the client does there: upload files
//! (merged into the item's one PDF; deletable while "received"), fill in a
//! form (checked per field, what was typed kept), or sign an agreement
//! (each part accepted on its own). Every handler finds the dossier through
//! the account's reach and the item within that dossier.

use std::collections::BTreeMap;

use chrono::{NaiveDate, Utc};
use minijinja::{Value, context};
use portal_core::auth::flows::Client;
use portal_core::files::upload::{self as uploads, Limits};
use portal_core::pdf::TextLine;
use portal_core::poem::error::NotFoundError;
use portal_core::poem::web::{Form, Multipart, Path, Redirect};
use portal_core::poem::{IntoResponse, Response, handler};
use portal_core::web::format::date_time;
use portal_core::web::guard::Require;

use crate::pages::{dossier_of, frame};
use crate::store::{self, Action, Dossier};
use crate::{DOSSIERS, View, pdf, write};

type Result<T> = portal_core::poem::Result<T>;

async fn action_of(u: &Require<View>, id: i64, action: i64) -> Result<(Dossier, Action)> {
    let d = dossier_of(u, id).await?;
    let a = store::action(&u.page.state.db, u.page.tenant().scope(), action)
        .await?
        .filter(|a| a.dossier_id == d.id)
        .ok_or(NotFoundError)?;
    Ok((d, a))
}

fn back(u: &Require<View>, d: &Dossier, a: &Action, done: &str) -> Response {
    Redirect::see_other(
        u.page
            .url(&format!("/dossiers/{}/actions/{}?done={done}", d.id, a.id)),
    )
    .into_response()
}

/// What the page shows besides the item.
#[derive(Default)]
struct Shown {
    errors: BTreeMap<String, String>,
    values: BTreeMap<String, String>,
}

async fn render(u: &Require<View>, d: &Dossier, a: &Action, shown: Shown) -> Result<Response> {
    let db = &u.page.state.db;
    let scope = u.page.tenant().scope();
    let lang = u.page.cx.lang;
    let actions = store::actions(db, scope, d.id).await?;
    let merged = store::file(db, scope, a.id).await?.map(|f| {
        context! {
            names => f.names, pages => f.pages, size_kb => (f.size / 1024).max(1),
            url => u.page.url(&format!("/dossiers/{}/actions/{}/file", d.id, a.id)),
        }
    });
    let answers = store::answers(db, scope, a.id).await?;
    let fields: Vec<Value> = a
        .fields()
        .iter()
        .map(|f| {
            let stored = answers
                .as_ref()
                .and_then(|m| m.get(&f.key))
                .map(|v| v.as_str().map_or_else(|| v.to_string(), str::to_string));
            let value = shown
                .values
                .get(&f.key)
                .cloned()
                .or(stored)
                .unwrap_or_default();
            let options: Vec<(String, String)> = if f.kind == "yes_no" {
                vec![
                    (String::new(), u.page.t("dossiers-choose")),
                    ("yes".into(), u.page.t("dossiers-yes")),
                    ("no".into(), u.page.t("dossiers-no")),
                ]
            } else {
                std::iter::once((String::new(), u.page.t("dossiers-choose")))
                    .chain(f.options.iter().map(|o| (o.clone(), o.clone())))
                    .collect()
            };
            context! {
                name => format!("f_{}", f.key), label => f.label.as_str(), kind => f.kind.as_str(),
                required => f.required, value, options,
            }
        })
        .collect();
    let parts: Vec<Value> = a
        .parts()
        .iter()
        .enumerate()
        .map(|(i, p)| context! { name => format!("part_{i}"), title => p.title.as_str(), text => p.text.as_str() })
        .collect();
    let signature = store::signature(db, scope, a.id).await?.map(|s| {
        context! {
            name => s.signer_name, at => date_time(s.signed_at, lang), ip => s.ip, hash => s.hash,
            url => u.page.url(&format!("/dossiers/{}/actions/{}/signed", d.id, a.id)),
        }
    });
    let frame = frame(u, d, "overview", &actions).await?;
    let editable = matches!(a.status.as_str(), "requested" | "expired");
    let errors = shown.errors;
    Ok(u.page
        .render(
            "dossiers/action.html",
            context! {
                action => crate::pages::action_row(u, d, a),
                description => a.description.as_str(), editable,
                may_upload => a.kind == "upload" && matches!(a.status.as_str(), "requested" | "expired" | "received"),
                may_delete => a.kind == "upload" && a.status == "received",
                file => merged, fields, parts, signature, errors, answered => answers.is_some(),
                ..frame
            },
        )?
        .into_response())
}

/// The action item's page.
#[handler]
pub async fn show(u: Require<View>, Path((id, action)): Path<(i64, i64)>) -> Result<Response> {
    let (d, a) = action_of(&u, id, action).await?;
    render(&u, &d, &a, Shown::default()).await
}

fn limits(u: &Require<View>) -> Limits {
    let mb: usize = DOSSIERS
        .setting(u.page.tenant(), "max_file_mb")
        .parse()
        .unwrap_or(10);
    let cap = u
        .page
        .state
        .config
        .web
        .max_form_bytes
        .saturating_sub(512 * 1024)
        .max(1024 * 1024);
    Limits {
        per_file: (mb * 1024 * 1024).min(cap),
        total: cap,
        max_files: 10,
        per_field: 4 * 1024,
        max_fields: 8,
    }
}

/// Files for an upload item: each made PDF, merged with what is there.
#[handler]
pub async fn upload(
    u: Require<View>,
    Path((id, action)): Path<(i64, i64)>,
    mp: Multipart,
) -> Result<Response> {
    let (d, a) = action_of(&u, id, action).await?;
    if a.kind != "upload" || !matches!(a.status.as_str(), "requested" | "expired" | "received") {
        return Err(NotFoundError.into());
    }
    let up = uploads::read(mp, &limits(&u)).await;
    let refuse = |msg: String| {
        let mut shown = Shown::default();
        shown.errors.insert("files".into(), msg);
        shown
    };
    if let Some(e) = &up.error {
        let msg = uploads::message(u.page.state.renderer.texts(), u.page.cx.voice(), e);
        return render(&u, &d, &a, refuse(msg)).await;
    }
    if up.files.is_empty() {
        return render(&u, &d, &a, refuse(u.page.t("dossiers-error-no-files"))).await;
    }
    let db = &u.page.state.db;
    let scope = u.page.tenant().scope();
    let existing = store::file(db, scope, a.id).await?;
    let mut parts = Vec::new();
    let mut names: Vec<String> = Vec::new();
    if let Some(f) = &existing
        && let Some(bytes) = u.page.state.blobs.get(&f.pdf_key).await?
    {
        parts.push(bytes);
        names.push(f.names.clone());
    }
    for f in &up.files {
        match pdf::to_pdf(f) {
            Ok(p) => {
                parts.push(p);
                names.push(f.name.clone());
            }
            Err(r) => {
                let msg = format!("{}: {}", f.name, u.page.t(r.text_key()));
                return render(&u, &d, &a, refuse(msg)).await;
            }
        }
    }
    let (merged, pages) = match pdf::merge(&parts) {
        Ok(m) => m,
        Err(r) => return render(&u, &d, &a, refuse(u.page.t(r.text_key()))).await,
    };
    write::upload(
        &u.page.state.deps(),
        u.page.tenant(),
        &a,
        u.session.account.id,
        &merged,
        pages,
        &names.join(", "),
    )
    .await?;
    Ok(back(&u, &d, &a, "uploaded"))
}

/// Deletes the upload while it is "received".
#[handler]
pub async fn delete(u: Require<View>, Path((id, action)): Path<(i64, i64)>) -> Result<Response> {
    let (d, a) = action_of(&u, id, action).await?;
    let deleted = write::delete_upload(
        &u.page.state.deps(),
        u.page.tenant(),
        &a,
        u.session.account.id,
    )
    .await?;
    if !deleted {
        let mut shown = Shown::default();
        shown
            .errors
            .insert("files".into(), u.page.t("dossiers-error-delete"));
        return render(&u, &d, &a, shown).await;
    }
    Ok(back(&u, &d, &a, "deleted"))
}

/// The answer to one field, checked; `Err` carries the message key.
fn check_field(
    f: &store::Field,
    typed: &str,
) -> std::result::Result<serde_json::Value, &'static str> {
    let t = typed.trim();
    if t.is_empty() {
        return if f.required {
            Err("dossiers-error-required")
        } else {
            Ok(serde_json::Value::Null)
        };
    }
    match f.kind.as_str() {
        "number" => t
            .replace(',', ".")
            .parse::<f64>()
            .ok()
            .filter(|v| v.is_finite())
            .map(|_| serde_json::Value::String(t.to_string()))
            .ok_or("dossiers-error-number"),
        "date" => NaiveDate::parse_from_str(t, "%Y-%m-%d")
            .map(|x| serde_json::Value::String(x.to_string()))
            .map_err(|_| "dossiers-error-date"),
        "choice" => f
            .options
            .iter()
            .any(|o| o == t)
            .then(|| serde_json::Value::String(t.to_string()))
            .ok_or("dossiers-error-choice"),
        "yes_no" => match t {
            "yes" => Ok(serde_json::Value::Bool(true)),
            "no" => Ok(serde_json::Value::Bool(false)),
            _ => Err("dossiers-error-choice"),
        },
        _ if t.chars().count() > 2000 => Err("dossiers-error-long"),
        _ => Ok(serde_json::Value::String(t.to_string())),
    }
}

/// A form's answers: each field checked, the typed values kept on refusal.
#[handler]
pub async fn form(
    u: Require<View>,
    Path((id, action)): Path<(i64, i64)>,
    Form(f): Form<Vec<(String, String)>>,
) -> Result<Response> {
    let (d, a) = action_of(&u, id, action).await?;
    if a.kind != "form" || !matches!(a.status.as_str(), "requested" | "expired") {
        return Err(NotFoundError.into());
    }
    let mut shown = Shown::default();
    let mut answers = serde_json::Map::new();
    for field in a.fields() {
        let name = format!("f_{}", field.key);
        let typed = f
            .iter()
            .find(|(k, _)| *k == name)
            .map_or("", |(_, v)| v.as_str());
        shown.values.insert(field.key.clone(), typed.to_string());
        match check_field(&field, typed) {
            Ok(v) => {
                answers.insert(field.key.clone(), v);
            }
            Err(key) => {
                shown.errors.insert(name, u.page.t(key));
            }
        }
    }
    if !shown.errors.is_empty() {
        return render(&u, &d, &a, shown).await;
    }
    write::answer(
        &u.page.state.deps(),
        u.page.tenant(),
        &a,
        u.session.account.id,
        &answers,
    )
    .await?;
    Ok(back(&u, &d, &a, "answered"))
}

/// Lines of at most `width` characters, words kept whole.
fn wrap(text: &str, width: usize) -> Vec<String> {
    let mut out = Vec::new();
    for para in text.lines() {
        let mut line = String::new();
        for word in para.split_whitespace() {
            if !line.is_empty() && line.chars().count() + 1 + word.chars().count() > width {
                out.push(std::mem::take(&mut line));
            }
            if !line.is_empty() {
                line.push(' ');
            }
            line.push_str(word);
        }
        out.push(line);
    }
    out
}

/// The signed copy: every part's text, then who signed, when, from where,
/// and the hash.
fn signed_copy(title: &str, parts: &[store::Part], footer: &[String]) -> Vec<u8> {
    let mut lines: Vec<(String, bool, f32)> = vec![(title.to_string(), true, 14.0)];
    for p in parts {
        lines.push((String::new(), false, 10.0));
        lines.push((p.title.clone(), true, 11.0));
        lines.extend(wrap(&p.text, 95).into_iter().map(|l| (l, false, 10.0)));
    }
    lines.push((String::new(), false, 10.0));
    lines.extend(footer.iter().map(|l| (l.clone(), true, 10.0)));
    let mut pages: Vec<Vec<TextLine>> = Vec::new();
    let mut y = 800.0;
    let mut page = Vec::new();
    for (text, bold, size) in lines {
        if y < 60.0 {
            pages.push(std::mem::take(&mut page));
            y = 800.0;
        }
        page.push(TextLine {
            x: 50.0,
            y,
            size,
            bold,
            text,
        });
        y -= size + 4.0;
    }
    pages.push(page);
    portal_core::pdf::document(title, &pages, None)
}

/// Signs the agreement: every part must be accepted.
#[handler]
pub async fn sign(
    u: Require<View>,
    client: Client,
    Path((id, action)): Path<(i64, i64)>,
    Form(f): Form<Vec<(String, String)>>,
) -> Result<Response> {
    let (d, a) = action_of(&u, id, action).await?;
    if a.kind != "sign" || !matches!(a.status.as_str(), "requested" | "expired") {
        return Err(NotFoundError.into());
    }
    let parts = a.parts();
    let mut shown = Shown::default();
    for i in 0..parts.len() {
        let name = format!("part_{i}");
        if !f.iter().any(|(k, v)| *k == name && !v.is_empty()) {
            shown.errors.insert(name, u.page.t("dossiers-error-accept"));
        }
    }
    if parts.is_empty() || !shown.errors.is_empty() {
        return render(&u, &d, &a, shown).await;
    }
    let account = &u.session.account;
    let hash = write::agreement_hash(&parts);
    let ip = client.ip.clone().unwrap_or_default();
    let now = Utc::now();
    let footer = vec![
        format!(
            "{}: {}",
            u.page.t("dossiers-signed-by"),
            account.display_name
        ),
        format!(
            "{}: {}",
            u.page.t("dossiers-signed-at"),
            date_time(now, u.page.cx.lang)
        ),
        format!("{}: {}", u.page.t("dossiers-signed-ip"), ip),
        format!("SHA-256: {hash}"),
    ];
    let copy = signed_copy(&a.title, &parts, &footer);
    let signer = write::Signer {
        user_id: account.id,
        name: &account.display_name,
        ip: &ip,
    };
    write::sign(
        &u.page.state.deps(),
        u.page.tenant(),
        &a,
        &signer,
        &hash,
        &copy,
    )
    .await?;
    Ok(back(&u, &d, &a, "signed"))
}

/// A stored PDF of the item as a download named after it.
async fn pdf_download(u: &Require<View>, a: &Action, key: Option<String>) -> Result<Response> {
    let key = key.ok_or(NotFoundError)?;
    let bytes = u.page.state.blobs.get(&key).await?.ok_or(NotFoundError)?;
    Ok(portal_core::files::names::private_download(
        bytes,
        "application/pdf",
        &format!("{}.pdf", a.title),
    ))
}

/// The item's merged PDF.
#[handler]
pub async fn file(u: Require<View>, Path((id, action)): Path<(i64, i64)>) -> Result<Response> {
    let (_, a) = action_of(&u, id, action).await?;
    let f = store::file(&u.page.state.db, u.page.tenant().scope(), a.id).await?;
    pdf_download(&u, &a, f.map(|f| f.pdf_key)).await
}

/// The signed copy.
#[handler]
pub async fn signed(u: Require<View>, Path((id, action)): Path<(i64, i64)>) -> Result<Response> {
    let (_, a) = action_of(&u, id, action).await?;
    let s = store::signature(&u.page.state.db, u.page.tenant().scope(), a.id).await?;
    pdf_download(&u, &a, s.map(|s| s.pdf_key)).await
}
