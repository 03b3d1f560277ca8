//! The outermost layer: request id, `tracing` span, security headers on
//! every response, and a last-resort error page for failures before the
//! request context exists (e.g. the database is down).

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use futures_util::StreamExt;

use poem::http::Method;
use poem::http::{HeaderValue, StatusCode};
use poem::{Body, Endpoint, IntoResponse, Request, Response};
use tracing::Instrument;

use super::context::RequestId;
use super::errors::{ErrorPage, render_error};
use super::i18n::negotiate;
use crate::app::AppState;
use crate::tenant::Lang;

const CSP: &str = "default-src 'self'; img-src 'self' data:; style-src 'self'; style-src-attr 'unsafe-inline'; \
script-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";
/// Swagger UI is one page of inline script and style.
const CSP_API_DOCS: &str = "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; \
script-src 'self' 'unsafe-inline'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

/// The largest request body: 1 MiB, or more when uploads may be larger;
/// 64 MiB for the back-office's API (bulk sync of 10,000 rows a call,
/// support replies with base64 attachments; the bearer token is checked
/// before the body is read); `web.max_form_bytes` for a form with files
/// (the module's reader holds its own tighter limits).
fn body_limit(state: Option<&Arc<AppState>>, req: &Request) -> usize {
    if req.uri().path().contains("/api/admin/v1/") {
        return 64 * 1024 * 1024;
    }
    let multipart = req.header("content-type").is_some_and(|c| {
        c.trim_start()
            .to_ascii_lowercase()
            .starts_with("multipart/form-data")
    });
    if multipart {
        return state.map_or(1024 * 1024, |s| s.config.web.max_form_bytes);
    }
    state
        .map_or(0, |s| s.config.web.max_upload_bytes + 64 * 1024)
        .max(1024 * 1024)
}

/// Caps the request body while it streams in (poem's `SizeLimit` only reads
/// Content-Length, and its `Form` reads without a limit). Returns false when
/// the announced length is already too large; `overflow` is set if the
/// stream passes the limit later.
fn limit_body(req: &mut Request, limit: usize, overflow: &Arc<AtomicBool>) -> bool {
    if matches!(*req.method(), Method::GET | Method::HEAD | Method::OPTIONS) {
        return true;
    }
    if req
        .header("content-length")
        .and_then(|v| v.parse::<u64>().ok())
        .is_some_and(|n| n > limit as u64)
    {
        return false;
    }
    let flag = overflow.clone();
    let mut seen = 0usize;
    let stream = req.take_body().into_bytes_stream().map(move |chunk| {
        let chunk = chunk?;
        seen += chunk.len();
        if seen > limit {
            flag.store(true, Ordering::SeqCst);
            return Err(std::io::Error::new(
                std::io::ErrorKind::InvalidData,
                "request body too large",
            ));
        }
        Ok(chunk)
    });
    req.set_body(Body::from_bytes_stream(stream));
    true
}

/// Middleware: see the module docs.
///
/// # Errors
/// None: every error becomes a response here.
pub async fn middleware<E: Endpoint>(ep: Arc<E>, mut req: Request) -> poem::Result<Response> {
    let rid = uuid::Uuid::new_v4().simple().to_string()[..16].to_string();
    req.extensions_mut().insert(RequestId(rid.clone()));
    let state = req.data::<Arc<AppState>>().cloned();
    let path = req.uri().path().to_string();
    let accept_language = req.header("accept-language").map(str::to_string);
    let started = std::time::Instant::now();
    let method = req.method().as_str().to_string();
    let host = req.header("host").map(str::to_string);
    let span = tracing::info_span!("request", request_id = %rid, method = %req.method(), path = %loggable_path(&path));
    let overflow = Arc::new(AtomicBool::new(false));
    let limit = body_limit(state.as_ref(), &req);
    let result = if limit_body(&mut req, limit, &overflow) {
        ep.call(req).instrument(span).await
    } else {
        Err(poem::Error::from_status(StatusCode::PAYLOAD_TOO_LARGE))
    };
    let result = if overflow.load(Ordering::SeqCst) {
        Err(poem::Error::from_status(StatusCode::PAYLOAD_TOO_LARGE))
    } else {
        result
    };
    let mut resp = match result {
        Ok(r) => r.into_response(),
        Err(e) => {
            let status = e.status();
            if status.is_server_error() {
                tracing::error!(request_id = %rid, error = %e, "request failed");
            }
            // `/api/...`, or `/<code>/api/...` on a shared host.
            let is_api = path.starts_with("/api/")
                || path
                    .splitn(3, '/')
                    .nth(2)
                    .is_some_and(|r| r.starts_with("api/"));
            let page = ErrorPage {
                message_key: None,
                detail: (is_api && status.is_client_error()).then(|| e.to_string()),
                status,
                correlation_id: status.is_server_error().then(|| rid.clone()),
                csrf: false,
            };
            match &state {
                Some(state) => {
                    let lang = negotiate(None, accept_language.as_deref(), Lang::Nl);
                    render_error(state, None, lang, &rid, &page, is_api)
                }
                None => StatusCode::INTERNAL_SERVER_ERROR.into_response(),
            }
        }
    };
    if path != "/metrics" {
        let shared = state.as_ref().is_some_and(|s| {
            host.as_deref().is_some_and(|h| {
                let name = h.rsplit_once(':').map_or(h, |(n, _)| n);
                s.config.web.shared_hosts.iter().any(|sh| sh == name)
            })
        }) && path.len() > 1;
        crate::metrics::get().request(
            &method,
            crate::metrics::route_of(&path, shared),
            resp.status().as_u16(),
            started.elapsed(),
        );
    }
    let https = state.as_ref().is_some_and(|s| s.config.web.https);
    let h = resp.headers_mut();
    // `/api/docs`, or `/<code>/api/docs` on a shared host.
    let csp = if path.ends_with("/api/docs") {
        CSP_API_DOCS
    } else {
        CSP
    };
    if !h.contains_key("content-security-policy") {
        // A handler may set a stricter one (an uploaded SVG gets a sandbox).
        h.insert("content-security-policy", HeaderValue::from_static(csp));
    }
    h.insert(
        "x-content-type-options",
        HeaderValue::from_static("nosniff"),
    );
    h.insert("x-frame-options", HeaderValue::from_static("DENY"));
    h.insert(
        "cross-origin-opener-policy",
        HeaderValue::from_static("same-origin"),
    );
    h.insert(
        "permissions-policy",
        HeaderValue::from_static("camera=(), microphone=(), geolocation=()"),
    );
    if !h.contains_key("referrer-policy") {
        h.insert("referrer-policy", HeaderValue::from_static("same-origin"));
    }
    if !h.contains_key("cache-control") {
        // Pages carry personal data and CSRF tokens: never stored by caches.
        h.insert("cache-control", HeaderValue::from_static("no-store"));
    }
    if https {
        h.insert(
            "strict-transport-security",
            HeaderValue::from_static("max-age=63072000; includeSubDomains"),
        );
    }
    h.remove("server");
    if let Ok(v) = HeaderValue::from_str(&rid) {
        h.insert("x-request-id", v);
    }
    Ok(resp)
}

/// The path as logs may show it: a link token (`/password/reset/<token>`,
/// `/register/confirm/<token>`) is replaced by `***` (SECURITY.md 15).
pub fn loggable_path(path: &str) -> std::borrow::Cow<'_, str> {
    for marker in ["/password/reset/", "/password/set/", "/register/confirm/"] {
        if let Some(at) = path.find(marker) {
            return format!("{}***", &path[..at + marker.len()]).into();
        }
    }
    path.into()
}
