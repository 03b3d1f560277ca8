//! Staff pages for the portal's look and its page messages (seed 004
//! "Branding" and "Berichten"): logo and favicon uploads (checked by their
//! content, shown as they are now), the four colours with the contrast
//! guard's verdict for each text/background pair shown before saving (a
//! "check" button) and again when saving, taking over the parent
//! organisation's branding, and messages per page (neutral, warning,
//! important; rich text cleaned of anything but formatting and links).
//! Every change is in the tenant's activity log with the staff member.

use std::collections::BTreeMap;

use minijinja::{Value, context};
use poem::web::{Form, Multipart, Path, Query, Redirect};
use poem::{IntoResponse, Response, handler};
use serde::Deserialize;

use super::{Staff, StaffUser};
use crate::auth::flows::{Client, FlowError};
use crate::staff::permission::{Branding as BrandingPerm, Messages};
use crate::tenant::MessageKind;
use crate::tenant::branding::{Branding, ColourInput};
use crate::tenant::images::ImageError;
use crate::tenant::repo::{self, BrandImage, MessageInput, TenantError, TenantPatch};

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct DoneQuery {
    done: String,
}

/// The contrast guard's verdict on colours as they would show (unset ones
/// from `fallback`): per pair its ratio and whether it passes, and the
/// errors by field in the reader's language.
fn verdict(
    u: &StaffUser,
    input: &ColourInput,
    fallback: &Branding,
) -> (Vec<Value>, BTreeMap<String, String>) {
    use crate::tenant::contrast::{MIN_CONTRAST, contrast_ratio, parse_colour};
    let mut errors = BTreeMap::new();
    let mut parsed = |field: &str, v: &Option<String>| -> Option<String> {
        let v = v.as_deref().map(str::trim).filter(|s| !s.is_empty())?;
        match parse_colour(v) {
            Ok(c) => Some(c),
            Err(_) => {
                errors.insert(field.to_string(), u.page.t("staff-colour-error-format"));
                None
            }
        }
    };
    let shown = Branding {
        primary: parsed("primary", &input.primary),
        primary_text: parsed("primary_text", &input.primary_text),
        secondary: parsed("secondary", &input.secondary),
        secondary_text: parsed("secondary_text", &input.secondary_text),
        logo: None,
        favicon: None,
    }
    .inherit_from(fallback);
    let [p, pt, sc, st] = shown.colours();
    let mut pairs = Vec::new();
    for (field, label, bg, fg) in [
        ("primary", "staff-colour-primary", p, pt),
        ("secondary", "staff-colour-secondary", sc, st),
    ] {
        let ratio = contrast_ratio(bg, fg);
        // Rounded down, so 4.49 never reads as an accepted 4.5.
        let mut shown_ratio = format!("{:.2}", (ratio * 100.0).floor() / 100.0);
        if u.page.cx.lang == crate::tenant::Lang::Nl {
            shown_ratio = shown_ratio.replace('.', ",");
        }
        let passes = ratio >= MIN_CONTRAST;
        if !passes && !errors.contains_key(field) {
            let args = poem::i18n::I18NArgs::default().set("ratio", shown_ratio.clone());
            let text = u.page.state.renderer.texts().get_with(
                u.page.cx.lang,
                "staff-colour-error-contrast",
                args,
            );
            errors.insert(field.to_string(), text);
        }
        pairs.push(context! {
            label => u.page.t(label), background => bg, text => fg, ratio => shown_ratio, passes,
        });
    }
    (pairs, errors)
}

/// Beyond this many characters a message gets a warning: a long text
/// pushes the page's own content down (seed 004 asks for short messages).
const LONG_MESSAGE: usize = 400;

/// The pages a message can be put on: every page, the home page, and the
/// navigation of the modules this tenant has on, with their names.
fn page_options(u: &StaffUser) -> Vec<(String, String)> {
    let tenant = u.page.tenant();
    let mut out = vec![
        (
            crate::tenant::messages::ALL_PAGES.to_string(),
            u.page.t("staff-message-all-pages"),
        ),
        ("/".to_string(), u.page.t("staff-message-home")),
    ];
    for m in u
        .page
        .state
        .registry
        .iter()
        .filter(|m| tenant.has_module(m.name()))
    {
        for n in m.nav() {
            let path = format!("/{}{}", m.name(), n.path);
            if !out.iter().any(|(p, _)| *p == path) {
                out.push((path, u.page.t(n.label_key)));
            }
        }
    }
    for (path, key) in [
        ("/organisation", "header-organisation"),
        ("/settings", "header-settings"),
    ] {
        out.push((path.to_string(), u.page.t(key)));
    }
    out
}

/// What the parent organisation's branding is, when the tenant takes it over.
async fn fallback_of(u: &StaffUser) -> poem::Result<Branding> {
    let t = u.page.tenant();
    let snapshot = u.page.state.cache.get().await.map_err(|e| {
        poem::Error::from_string(e.to_string(), poem::http::StatusCode::INTERNAL_SERVER_ERROR)
    })?;
    Ok(
        match (t.brand_inherit, t.parent_id.and_then(|p| snapshot.by_id(p))) {
            (true, Some(parent)) => parent.branding.clone(),
            _ => Branding::default(),
        },
    )
}

/// What a branding page shows besides the tenant's branding.
#[derive(Default)]
struct Shown<'a> {
    typed: Option<&'a ColoursForm>,
    colour_errors: Option<BTreeMap<String, String>>,
    checked: bool,
    image_errors: BTreeMap<String, String>,
    message: Option<&'a MessageForm>,
    message_error: Option<String>,
    done: bool,
}

async fn render(u: &StaffUser, template: &str, shown: Shown<'_>) -> poem::Result<Response> {
    let t = u.page.tenant();
    let b = &t.own_branding;
    let input = match shown.typed {
        Some(c) => ColourInput {
            primary: opt(&c.primary),
            primary_text: opt(&c.primary_text),
            secondary: opt(&c.secondary),
            secondary_text: opt(&c.secondary_text),
        },
        None => ColourInput {
            primary: b.primary.clone(),
            primary_text: b.primary_text.clone(),
            secondary: b.secondary.clone(),
            secondary_text: b.secondary_text.clone(),
        },
    };
    let values = context! {
        primary => input.primary.as_deref(), primary_text => input.primary_text.as_deref(),
        secondary => input.secondary.as_deref(), secondary_text => input.secondary_text.as_deref(),
    };
    let (pairs, found) = verdict(u, &input, &fallback_of(u).await?);
    let colour_errors = shown.colour_errors.unwrap_or_else(|| {
        if shown.checked {
            found
        } else {
            BTreeMap::new()
        }
    });
    let lang = u.page.cx.lang;
    let pages = page_options(u);
    let messages: Vec<Value> = t
        .messages
        .iter()
        .map(|m| {
            let page = pages
                .iter()
                .find(|(p, _)| *p == m.page)
                .map_or_else(|| m.page.clone(), |(_, l)| l.clone());
            let text = preview(m.html_for(lang));
            context! {
                id => m.id, page, kind => m.kind.code(), preview => text,
                long => m.html.chars().count().max(m.html_en.chars().count()) > LONG_MESSAGE,
                starts => m.starts_at.map(|t| crate::web::format::date_time(t, lang)),
                ends => m.ends_at.map(|t| crate::web::format::date_time(t, lang)),
            }
        })
        .collect();
    let kinds: Vec<(String, String)> = ["neutral", "warning", "important"]
        .iter()
        .map(|k| ((*k).to_string(), u.page.t(&format!("staff-message-{k}"))))
        .collect();
    let base = u.page.url("");
    let images = context! {
        logo => b.logo.as_ref().map(|k| format!("{base}/branding/logo/{k}")),
        favicon => b.favicon.as_ref().map(|k| format!("{base}/branding/favicon/{k}")),
        max_kb => u.page.state.config.web.max_upload_bytes / 1024,
    };
    Ok(u.render(
        template,
        context! {
            values, pairs, checked => shown.checked, colour_errors => Value::from(colour_errors),
            image_errors => Value::from(shown.image_errors.clone()), images,
            has_parent => t.parent_id.is_some(), inherit => t.brand_inherit,
            messages, kinds, done => shown.done,
            pages => page_options(u), long_chars => LONG_MESSAGE,
            message => shown.message.map(|m| context! {
                page => m.page.as_str(), kind => m.kind.as_str(), html => m.html.as_str(), html_en => m.html_en.as_str(),
                starts_at => m.starts_at.as_str(), ends_at => m.ends_at.as_str(),
            }),
            message_error => shown.message_error,
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
        Shown {
            done: !q.done.is_empty(),
            ..Shown::default()
        },
    )
    .await
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
        Shown {
            done: !q.done.is_empty(),
            ..Shown::default()
        },
    )
    .await
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct ColoursForm {
    primary: String,
    primary_text: String,
    secondary: String,
    secondary_text: String,
    /// `check`: show the verdict without saving.
    action: String,
}

fn opt(s: &str) -> Option<String> {
    Some(s.trim().to_string()).filter(|s| !s.is_empty())
}

/// Checks the colours (`action=check`: the verdict only) or saves them
/// (empty: the default, or the parent organisation's).
#[handler]
pub async fn colours(
    u: Staff<BrandingPerm>,
    client: Client,
    Form(f): Form<ColoursForm>,
) -> poem::Result<Response> {
    let input = ColourInput {
        primary: opt(&f.primary),
        primary_text: opt(&f.primary_text),
        secondary: opt(&f.secondary),
        secondary_text: opt(&f.secondary_text),
    };
    let fallback = fallback_of(&u).await?;
    let (_, errors) = verdict(&u, &input, &fallback);
    if f.action == "check" || !errors.is_empty() {
        let shown = Shown {
            typed: Some(&f),
            checked: true,
            ..Shown::default()
        };
        return render(&u, BRANDING, shown).await;
    }
    match repo::set_colours(&u.page.state.db, u.page.tenant().scope(), &input, &fallback).await {
        Ok(()) => {
            u.record("branding.changed", "", &client).await?;
            Ok(Redirect::see_other(u.page.url("/staff/branding?done=1")).into_response())
        }
        Err(Ok(_)) => {
            // The guard above and the store agree; should they not, the page says so.
            let shown = Shown {
                typed: Some(&f),
                checked: true,
                ..Shown::default()
            };
            render(&u, BRANDING, shown).await
        }
        Err(Err(e)) => Err(FlowError::from(e).into()),
    }
}

fn which_of(which: &str) -> poem::Result<BrandImage> {
    match which {
        "logo" => Ok(BrandImage::Logo),
        "favicon" => Ok(BrandImage::Favicon),
        _ => Err(poem::error::NotFoundError.into()),
    }
}

/// Reads the form's `file` field, at most `limit` bytes.
async fn file_of(mut mp: Multipart, limit: usize) -> Result<Option<Vec<u8>>, &'static str> {
    use tokio::io::AsyncReadExt;
    while let Ok(Some(field)) = mp.next_field().await {
        if field.name() != Some("file") {
            continue;
        }
        let mut bytes = Vec::new();
        let mut reader = std::pin::pin!(field.into_async_read().take(limit as u64 + 1));
        reader
            .read_to_end(&mut bytes)
            .await
            .map_err(|_| "staff-image-error-read")?;
        if bytes.len() > limit {
            return Err("staff-image-error-size");
        }
        return Ok((!bytes.is_empty()).then_some(bytes));
    }
    Ok(None)
}

/// Uploads a logo or favicon: checked by its content, at most the
/// operator's upload size; the one it replaces is deleted.
#[handler]
pub async fn image(
    u: Staff<BrandingPerm>,
    client: Client,
    Path(which): Path<String>,
    mp: Multipart,
) -> poem::Result<Response> {
    let kind = which_of(&which)?;
    let limit = u.page.state.config.web.max_upload_bytes;
    let refuse = |key: &str| {
        let mut image_errors = BTreeMap::new();
        let args = poem::i18n::I18NArgs::default().set("kb", (limit / 1024).to_string());
        let text = u
            .page
            .state
            .renderer
            .texts()
            .get_with(u.page.cx.lang, key, args);
        image_errors.insert(which.clone(), text);
        Shown {
            image_errors,
            ..Shown::default()
        }
    };
    let bytes = match file_of(mp, limit).await {
        Ok(Some(b)) => b,
        Ok(None) => return render(&u, BRANDING, refuse("staff-image-error-none")).await,
        Err(key) => return render(&u, BRANDING, refuse(key)).await,
    };
    let state = &u.page.state;
    match crate::tenant::images::store(
        &state.db,
        &state.blobs,
        u.page.tenant().scope(),
        kind,
        &bytes,
    )
    .await
    {
        Ok(()) => {
            u.record("branding.changed", "", &client).await?;
            Ok(Redirect::see_other(u.page.url("/staff/branding?done=1")).into_response())
        }
        Err(ImageError::NotAnImage(_)) => {
            render(&u, BRANDING, refuse("staff-image-error-type")).await
        }
        Err(ImageError::Blob(e)) => Err(e.into()),
        Err(ImageError::Db(e)) => Err(FlowError::from(e).into()),
    }
}

/// Removes the logo or favicon.
#[handler]
pub async fn image_remove(
    u: Staff<BrandingPerm>,
    client: Client,
    Path(which): Path<String>,
) -> poem::Result<Response> {
    let kind = which_of(&which)?;
    let state = &u.page.state;
    crate::tenant::images::remove(&state.db, &state.blobs, u.page.tenant().scope(), kind)
        .await
        .map_err(FlowError::from)?;
    u.record("branding.changed", "", &client).await?;
    Ok(Redirect::see_other(u.page.url("/staff/branding?done=1")).into_response())
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct InheritForm {
    inherit: String,
}

/// Takes over the parent organisation's branding (seed 004), or stops:
/// the portal shows it at once.
#[handler]
pub async fn inherit(
    u: Staff<BrandingPerm>,
    client: Client,
    Form(f): Form<InheritForm>,
) -> poem::Result<Response> {
    if u.page.tenant().parent_id.is_none() {
        return Err(poem::error::NotFoundError.into());
    }
    let patch = TenantPatch {
        brand_inherit: Some(f.inherit == "true"),
        ..TenantPatch::default()
    };
    let themes = u.page.state.renderer.themes().to_vec();
    repo::update(&u.page.state.db, u.page.tenant().scope(), &patch, &themes)
        .await
        .map_err(|e| {
            poem::Error::from_string(e.to_string(), poem::http::StatusCode::INTERNAL_SERVER_ERROR)
        })?;
    u.record("branding.changed", "", &client).await?;
    Ok(Redirect::see_other(u.page.url("/staff/branding?done=1")).into_response())
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct MessageForm {
    page: String,
    kind: String,
    html: String,
    html_en: String,
    /// `datetime-local` values in Dutch time; empty for "from now" / "until removed".
    starts_at: String,
    ends_at: String,
}

/// Adds a page message.
#[handler]
pub async fn message_add(
    u: Staff<Messages>,
    client: Client,
    Form(f): Form<MessageForm>,
) -> poem::Result<Response> {
    let Some(kind) = MessageKind::parse(&f.kind) else {
        let shown = Shown {
            message: Some(&f),
            message_error: Some(u.page.t("staff-message-kind-error")),
            ..Shown::default()
        };
        return render(&u, MESSAGES, shown).await;
    };
    let when = |v: &str| -> Result<Option<chrono::DateTime<chrono::Utc>>, ()> {
        let v = v.trim();
        if v.is_empty() {
            return Ok(None);
        }
        chrono::NaiveDateTime::parse_from_str(v, "%Y-%m-%dT%H:%M")
            .map(|t| Some(crate::web::format::from_local(t)))
            .map_err(|_| ())
    };
    let (Ok(starts_at), Ok(ends_at)) = (when(&f.starts_at), when(&f.ends_at)) else {
        let shown = Shown {
            message: Some(&f),
            message_error: Some(u.page.t("staff-message-error-time")),
            ..Shown::default()
        };
        return render(&u, MESSAGES, shown).await;
    };
    let input = MessageInput {
        page: f.page.clone(),
        kind,
        html: f.html.clone(),
        html_en: f.html_en.clone(),
        starts_at,
        ends_at,
    };
    match repo::add_message(&u.page.state.db, u.page.tenant().scope(), &input).await {
        Ok(_) => {
            u.record("messages.changed", "", &client).await?;
            Ok(Redirect::see_other(u.page.url("/staff/messages?done=1")).into_response())
        }
        Err(TenantError::Invalid { field, .. }) => {
            let message = u
                .page
                .t(&format!("staff-message-error-{}", field.replace('_', "-")));
            render(
                &u,
                MESSAGES,
                Shown {
                    message: Some(&f),
                    message_error: Some(message),
                    ..Shown::default()
                },
            )
            .await
        }
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
            u.record("messages.changed", "", &client).await?;
            Ok(Redirect::see_other(u.page.url("/staff/messages?done=1")).into_response())
        }
        Err(TenantError::NotFound) => Err(poem::error::NotFoundError.into()),
        Err(e) => Err(poem::Error::from_string(
            e.to_string(),
            poem::http::StatusCode::INTERNAL_SERVER_ERROR,
        )),
    }
}
