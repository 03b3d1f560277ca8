//! Core's own pages: home, language switch, branding files, static files, health.

use std::sync::Arc;

use minijinja::context;
use poem::http::StatusCode;
use poem::web::{Data, Form, Path, Redirect};
use poem::{IntoResponse, Response, handler};
use serde::Deserialize;

use super::context::{Page, set_cookie};
use super::i18n::LANG_COOKIE;
use super::nav;
use crate::app::AppState;
use crate::tenant::Lang;

const LONG_CACHE: &str = "public, max-age=31536000, immutable";

/// The portal's start page, for logged-in users (others go to the login
/// page): the tenant's home (`portal.home`): the overview of the modules'
/// cards and lists, or a page of its own (seed 000: the details).
#[handler]
pub async fn home(u: super::guard::User) -> poem::Result<Response> {
    let target = match nav::home(u.page.tenant()) {
        nav::Home::Overview => None,
        nav::Home::Organisation => Some("/organisation".to_string()),
        nav::Home::Path(p) => {
            // Only a page this principal sees (a module still enabled, a
            // permission held); else the overview.
            let visible = nav::entries(
                &u.page.state.registry,
                u.page.tenant(),
                &u.page.cx.principal,
            )
            .iter()
            .any(|e| {
                e.path != "/"
                    && (p == e.path
                        || p.starts_with(&format!("{}/", e.path))
                        || p.starts_with(&format!("{}?", e.path)))
            });
            visible.then_some(p)
        }
    };
    if let Some(path) = target {
        return Ok(Redirect::see_other(u.page.url(&path)).into_response());
    }
    // Cards and lists from the enabled modules, each for this principal, in order.
    let mut cards = Vec::new();
    let mut lists = Vec::new();
    for m in u.page.state.registry.iter() {
        if u.page.tenant().has_module(m.name()) {
            cards.extend(m.home_cards(&u).await?);
            lists.extend(m.home_lists(&u).await?);
        }
    }
    // The organisation's details, always: a portal without modules (or a
    // principal without their permissions) still has a home.
    cards.push(crate::module::HomeCard {
        order: 900,
        title: u.page.t("home-card-organisation"),
        description: u.page.t("home-card-organisation-text"),
        path: "/organisation".into(),
        count: None,
    });
    // Lists first (what waits for the customer), then the cards.
    cards.sort_by(|a, b| a.order.cmp(&b.order).then(a.path.cmp(&b.path)));
    lists.sort_by(|a, b| a.order.cmp(&b.order).then(a.path.cmp(&b.path)));
    let home_cards: Vec<minijinja::Value> = cards
        .iter()
        .map(|c| {
            context! {
                title => c.title.as_str(), description => c.description.as_str(),
                url => u.page.url(&c.path), count => c.count,
            }
        })
        .collect();
    let home_lists: Vec<minijinja::Value> = lists
        .iter()
        .map(|l| {
            let rows: Vec<minijinja::Value> = l
                .rows
                .iter()
                .map(|r| context! { cells => r.cells.clone(), url => u.page.url(&r.path) })
                .collect();
            context! {
                title => l.title.as_str(), columns => l.columns.clone(), rows, link_column => l.link_column,
                empty => l.empty.as_str(), url => u.page.url(&l.path), more => l.more.as_str(),
            }
        })
        .collect();
    Ok(u.page
        .render("home.html", context! { home_cards, home_lists })?
        .into_response())
}

#[derive(Debug, Deserialize)]
pub struct LangForm {
    lang: String,
    #[serde(default)]
    next: String,
}

/// A path inside the portal to go back to, or `/` when `next` could lead elsewhere.
pub(crate) fn local_path(next: &str) -> &str {
    let ok = next.starts_with('/')
        && !next.starts_with("//")
        && !next.contains('\\')
        && !next.chars().any(char::is_control)
        && !has_dot_segment(next);
    if ok { next } else { "/" }
}

/// True when the path (before `?` or `#`) has a `.` or `..` segment, also
/// percent-encoded (`/%2e%2e/`): on a shared host the browser would
/// resolve it out of the tenant's prefix (`/hci/../demo/login`).
fn has_dot_segment(next: &str) -> bool {
    let path = next.split(['?', '#']).next().unwrap_or("");
    let bytes = path.as_bytes();
    let mut decoded = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = |b: u8| char::from(b).to_digit(16);
        if bytes[i] == b'%'
            && i + 2 < bytes.len()
            && let (Some(h), Some(l)) = (hex(bytes[i + 1]), hex(bytes[i + 2]))
        {
            decoded.push(u8::try_from(h * 16 + l).unwrap_or(0));
            i += 3;
            continue;
        }
        decoded.push(bytes[i]);
        i += 1;
    }
    decoded
        .split(|b| *b == b'/')
        .any(|seg| seg == b"." || seg == b"..")
}

/// Switches the language (a POST form in the header: works without JavaScript).
#[handler]
pub async fn switch_language(page: Page, Form(form): Form<LangForm>) -> poem::Result<Response> {
    let Some(lang) = Lang::parse(&form.lang) else {
        return Err(poem::Error::from_status(StatusCode::BAD_REQUEST));
    };
    // A logged-in user's choice is their account's language too (it
    // decides the language of pages and mails after this).
    if let Some(s) = page
        .cx
        .session
        .as_ref()
        .filter(|s| s.stage == crate::auth::session::Stage::Full && page.cx.view_as.is_none())
    {
        crate::auth::flows::own::set_language(&page.state.deps(), page.tenant(), s, lang).await?;
    }
    let cookie = set_cookie(
        LANG_COOKIE,
        lang.code(),
        Some(365 * 24 * 3600),
        page.state.config.web.https,
    );
    Ok(Redirect::see_other(page.url(local_path(&form.next)))
        .with_header("set-cookie", cookie)
        .into_response())
}

/// The tenant's colours as CSS variables.
#[handler]
pub async fn brand_css(
    page: Page,
    poem::web::Query(q): poem::web::Query<VersionQuery>,
) -> Response {
    let branding = &page.tenant().branding;
    // The layout links it with its fingerprint (`?v=`): that address never
    // changes content and may be kept for a year. Without it (or with an
    // old one), a browser keeps it five minutes, so new colours show.
    let cache = if q.v.as_deref() == Some(branding.fingerprint().as_str()) {
        LONG_CACHE
    } else {
        "public, max-age=300"
    };
    branding
        .css()
        .with_content_type("text/css; charset=utf-8")
        .with_header("cache-control", cache)
        .into_response()
}

/// The version a cached asset is addressed by.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct VersionQuery {
    v: Option<String>,
}

async fn brand_image(page: &Page, key: &str, current: Option<&String>) -> poem::Result<Response> {
    // Only the tenant's own (or inherited) current image: never another tenant's key.
    if current.map(String::as_str) != Some(key) {
        return Err(poem::Error::from_status(StatusCode::NOT_FOUND));
    }
    let bytes = page
        .state
        .blobs
        .get(key)
        .await
        .map_err(|e| poem::Error::from_string(e.to_string(), StatusCode::INTERNAL_SERVER_ERROR))?
        .ok_or_else(|| poem::Error::from_status(StatusCode::NOT_FOUND))?;
    let ext = key.rsplit('.').next().unwrap_or("");
    let mime = match ext {
        "png" => "image/png",
        "jpg" => "image/jpeg",
        "ico" => "image/x-icon",
        "svg" => "image/svg+xml",
        _ => return Err(poem::Error::from_status(StatusCode::NOT_FOUND)),
    };
    let mut resp = bytes
        .with_content_type(mime)
        .with_header("cache-control", LONG_CACHE)
        .into_response();
    if ext == "svg" {
        // An SVG opened directly must not run anything, whatever slipped through.
        resp.headers_mut().insert(
            "content-security-policy",
            poem::http::HeaderValue::from_static(
                "default-src 'none'; style-src 'unsafe-inline'; sandbox",
            ),
        );
    }
    Ok(resp)
}

/// The tenant's logo (long-cached: the key changes with every upload).
#[handler]
pub async fn logo(page: Page, Path(key): Path<String>) -> poem::Result<Response> {
    let current = page.tenant().branding.logo.clone();
    brand_image(&page, &key, current.as_ref()).await
}

/// The tenant's favicon.
#[handler]
pub async fn favicon(page: Page, Path(key): Path<String>) -> poem::Result<Response> {
    let current = page.tenant().branding.favicon.clone();
    brand_image(&page, &key, current.as_ref()).await
}

/// A theme's static file under its cache-busting name.
#[handler]
pub async fn static_file(
    state: Data<&Arc<AppState>>,
    req: &poem::Request,
) -> poem::Result<Response> {
    if let Some((bytes, mime)) = state.renderer.dev_static_file(req.uri().path()) {
        return Ok(bytes
            .with_content_type(mime)
            .with_header("cache-control", "no-cache")
            .into_response());
    }
    match state.renderer.static_file(req.uri().path()) {
        Some(f) => Ok(f
            .bytes
            .with_content_type(f.mime)
            .with_header("cache-control", LONG_CACHE)
            .into_response()),
        None => Err(poem::Error::from_status(StatusCode::NOT_FOUND)),
    }
}

/// `GET /metrics`: Prometheus text, only with the operator's
/// `metrics_token` as a bearer token (compared in constant time); a 404
/// when no token is configured, a 401 for a wrong or missing one.
#[handler]
pub async fn metrics(state: Data<&Arc<AppState>>, req: &poem::Request) -> Response {
    let configured = state.config.metrics_token.expose();
    if configured.is_empty() {
        return StatusCode::NOT_FOUND.into_response();
    }
    let given = req
        .header("authorization")
        .and_then(|v| v.strip_prefix("Bearer "))
        .unwrap_or("");
    let same = {
        use sha2::Digest as _;
        // Equal-length digests: the comparison time says nothing of the token.
        let (a, b) = (
            sha2::Sha256::digest(given),
            sha2::Sha256::digest(configured),
        );
        a.iter()
            .zip(b.iter())
            .fold(0u8, |acc, (x, y)| acc | (x ^ y))
            == 0
    };
    if !same {
        return StatusCode::UNAUTHORIZED
            .with_header("www-authenticate", "Bearer")
            .into_response();
    }
    match crate::metrics::render(&state.db).await {
        Ok(text) => text
            .with_content_type("text/plain; version=0.0.4; charset=utf-8")
            .into_response(),
        Err(e) => {
            tracing::error!(error = %e, "metrics: the outboxes could not be read");
            StatusCode::SERVICE_UNAVAILABLE.into_response()
        }
    }
}

/// Liveness and database check for load balancers; names no tenant.
#[handler]
pub async fn health(state: Data<&Arc<AppState>>) -> Response {
    match state.db.ping().await {
        Ok(()) => {
            poem::web::Json(serde_json::json!({"status": "ok", "database": "ok"})).into_response()
        }
        Err(e) => {
            tracing::error!(error = %e, "health check: database unreachable");
            poem::web::Json(serde_json::json!({"status": "error", "database": "unreachable"}))
                .with_status(StatusCode::SERVICE_UNAVAILABLE)
                .into_response()
        }
    }
}

#[cfg(test)]
mod local_path_tests {
    use super::local_path;

    #[test]
    fn next_stays_inside_the_tenant() {
        // Finding 6: on the shared host these left `/hci` for `/demo`.
        for bad in [
            "/../demo/login",
            "/%2e%2e/demo/login",
            "/%2E%2e/demo/login",
            "/invoices/../../demo",
            "/./x",
            "/%2e/x",
            "//evil.example",
            "https://evil.example",
        ] {
            assert_eq!(local_path(bad), "/", "{bad}");
        }
        for good in [
            "/",
            "/invoices?page=2",
            "/a..b/c",
            "/tickets/7#reply",
            "/x?q=../y",
        ] {
            assert_eq!(local_path(good), good, "{good}");
        }
    }
}
