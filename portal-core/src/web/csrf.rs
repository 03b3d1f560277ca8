//! CSRF protection, verified in one place for every unsafe method.
//!
//! Signed double submit: a random value in an HttpOnly cookie, and in each
//! form a token that is the HMAC-SHA256 of that value and the tenant id
//! under the portal's secret (never poem's all-zero default key). A token is
//! useless without its cookie, and a token of tenant A is refused on tenant
//! B even on a shared host. Cross-site requests are refused by
//! `Sec-Fetch-Site` and `Origin` before the token is looked at. A request
//! that a session authenticates is always checked; one without a session
//! (a bearer token, or an API call without credentials, which the API
//! answers with 401) carries no ambient credential and is not.

use hmac::{Hmac, Mac};
use poem::http::{Method, StatusCode};
use poem::{Body, Endpoint, IntoResponse, Request, Response};
use sha2::Sha256;

use super::context::RequestCx;

/// The form field, header and query parameter that carry the token.
pub const FIELD: &str = "_csrf";
pub const HEADER: &str = "x-csrf-token";

/// The request failed the CSRF check.
#[derive(Debug, thiserror::Error)]
#[error("CSRF check failed: {0}")]
pub struct CsrfRejected(pub &'static str);

impl poem::error::ResponseError for CsrfRejected {
    fn status(&self) -> StatusCode {
        StatusCode::FORBIDDEN
    }
}

/// The cookie name: `__Host-` prefixed when served over https.
pub fn cookie_name(https: bool) -> &'static str {
    if https {
        "__Host-portal_csrf"
    } else {
        "portal_csrf"
    }
}

/// A fresh cookie value.
pub fn new_cookie_value() -> String {
    hex::encode(rand::random::<[u8; 32]>())
}

/// True for a cookie value this module could have made.
pub fn valid_cookie_value(v: &str) -> bool {
    v.len() == 64 && v.chars().all(|c| c.is_ascii_hexdigit())
}

fn mac(secret: &[u8], tenant_id: i64, cookie: &str) -> Hmac<Sha256> {
    // HMAC takes keys of any length; this cannot fail.
    let mut m = <Hmac<Sha256> as Mac>::new_from_slice(secret).unwrap_or_else(|_| unreachable!());
    m.update(format!("csrf:{tenant_id}:{cookie}").as_bytes());
    m
}

/// The form token for a cookie value.
pub fn token_for(secret: &[u8], tenant_id: i64, cookie: &str) -> String {
    hex::encode(mac(secret, tenant_id, cookie).finalize().into_bytes())
}

fn token_ok(secret: &[u8], tenant_id: i64, cookie: &str, token: &str) -> bool {
    hex::decode(token).is_ok_and(|t| mac(secret, tenant_id, cookie).verify_slice(&t).is_ok())
}

fn is_safe(method: &Method) -> bool {
    matches!(
        *method,
        Method::GET | Method::HEAD | Method::OPTIONS | Method::TRACE
    )
}

fn form_field(body: &[u8]) -> Option<String> {
    url::form_urlencoded::parse(body)
        .find(|(k, _)| k == FIELD)
        .map(|(_, v)| v.into_owned())
}

/// Middleware: refuses unsafe requests without a valid token.
///
/// # Errors
/// [`CsrfRejected`] (403), or what the inner endpoint returns.
/// The boundary of a `multipart/form-data` content type.
fn multipart_boundary(content_type: &str) -> Option<&str> {
    let (kind, params) = content_type.split_once(';')?;
    if !kind.trim().eq_ignore_ascii_case("multipart/form-data") {
        return None;
    }
    params.split(';').find_map(|p| {
        let (k, v) = p.split_once('=')?;
        k.trim()
            .eq_ignore_ascii_case("boundary")
            .then(|| v.trim().trim_matches('"'))
    })
}

/// Largest prefix read to find the token part.
const FIRST_PART_MAX: usize = 4096;

/// The value of the body's first part when it is the token field, and the
/// whole body again (what was read, then the rest of the stream).
async fn first_part(body: Body, boundary: &str) -> (Option<String>, Body) {
    use futures_util::StreamExt;
    let mut stream = body.into_bytes_stream();
    let mut head: Vec<u8> = Vec::new();
    let closing = format!("\r\n--{boundary}");
    let mut token = None;
    while head.len() < FIRST_PART_MAX {
        match stream.next().await {
            Some(Ok(chunk)) => head.extend_from_slice(&chunk),
            Some(Err(_)) | None => break,
        }
        if let Some(t) = token_part(&head, boundary, &closing) {
            token = Some(t);
            break;
        }
        if head.windows(closing.len()).any(|w| w == closing.as_bytes()) {
            break;
        }
    }
    let prefix =
        futures_util::stream::once(
            async move { Ok::<_, std::io::Error>(bytes::Bytes::from(head)) },
        );
    (token, Body::from_bytes_stream(prefix.chain(stream)))
}

/// The token when `head` begins with a complete `_csrf` part (the bytes
/// after it may be a file's, not text).
fn token_part(head: &[u8], boundary: &str, closing: &str) -> Option<String> {
    let find = |hay: &[u8], needle: &[u8]| hay.windows(needle.len()).position(|w| w == needle);
    let rest = head.strip_prefix(format!("--{boundary}\r\n").as_bytes())?;
    let split = find(rest, b"\r\n\r\n")?;
    let headers = std::str::from_utf8(&rest[..split]).ok()?;
    let value = &rest[split + 4..];
    let named = headers.lines().any(|h| {
        h.to_ascii_lowercase().starts_with("content-disposition:")
            && h.contains(&format!("name=\"{FIELD}\""))
    });
    let end = find(value, closing.as_bytes())?;
    if !named {
        return None;
    }
    std::str::from_utf8(&value[..end]).ok().map(str::to_string)
}

pub async fn verify<E: Endpoint>(
    ep: std::sync::Arc<E>,
    mut req: Request,
) -> poem::Result<Response> {
    if is_safe(req.method()) {
        return ep.call(req).await.map(IntoResponse::into_response);
    }
    // What authenticates the request decides: a session (customer or
    // staff) always needs the token, whatever other headers come along; a
    // request without one is the API's to answer (a bearer token, or a
    // 401), since it carries no ambient credential.
    let cx = RequestCx::of(&req);
    let by_session = cx.is_some_and(|c| c.session.is_some() || c.staff.is_some());
    let bearer = req
        .header("authorization")
        .is_some_and(|a| a.len() > 7 && a[..7].eq_ignore_ascii_case("bearer "));
    let api = cx.is_some_and(|c| c.path == "/api" || c.path.starts_with("/api/"));
    if !by_session && (bearer || api) {
        return ep.call(req).await.map(IntoResponse::into_response);
    }
    if req
        .header("sec-fetch-site")
        .is_some_and(|s| s.eq_ignore_ascii_case("cross-site"))
    {
        return Err(CsrfRejected("cross-site request").into());
    }
    // A page sent with `Referrer-Policy: no-referrer` (the reset page)
    // makes the browser post `Origin: null`; it is believed only together
    // with the browser's own `Sec-Fetch-Site: same-origin`.
    let same_origin_fetch = req
        .header("sec-fetch-site")
        .is_some_and(|s| s.eq_ignore_ascii_case("same-origin"));
    let origin = req
        .header("origin")
        .filter(|o| !(o.trim() == "null" && same_origin_fetch));
    if let Some(origin) = origin {
        // `Url` drops the scheme's default port; do the same to the Host header.
        let origin_host = url::Url::parse(origin).ok().and_then(|u| {
            u.host_str().map(|h| match u.port() {
                Some(p) => format!("{}:{p}", h.trim_end_matches('.')),
                None => h.trim_end_matches('.').to_string(),
            })
        });
        let host = req.header("host").map(|h| {
            let h = h.trim().to_ascii_lowercase();
            let h = h
                .strip_suffix(":443")
                .or_else(|| h.strip_suffix(":80"))
                .unwrap_or(&h)
                .to_string();
            h.trim_end_matches('.').to_string()
        });
        if origin_host.is_none() || origin_host != host {
            return Err(CsrfRejected("origin does not match host").into());
        }
    }
    let Some(cx) = RequestCx::of(&req).cloned() else {
        return Err(CsrfRejected("no request context").into());
    };
    let Some(cookie) = cx.csrf_cookie_from_request.as_deref() else {
        return Err(CsrfRejected("no CSRF cookie").into());
    };
    let mut token = req.header(HEADER).map(str::to_string);
    if token.is_none() {
        token = req.uri().query().and_then(|q| form_field(q.as_bytes()));
    }
    let is_form = req.header("content-type").is_some_and(|c| {
        c.to_ascii_lowercase()
            .starts_with("application/x-www-form-urlencoded")
    });
    if token.is_none() && is_form {
        let body = req
            .take_body()
            .into_bytes_limit(1024 * 1024)
            .await
            .map_err(|_| poem::Error::from_status(StatusCode::PAYLOAD_TOO_LARGE))?;
        token = form_field(&body);
        req.set_body(Body::from(body));
    }
    // A file upload carries the token as its first part (the form's first
    // field), so it need not stand in the address, where the browser would
    // show it after a refused form. Only the first part is read; the rest
    // streams on to the handler.
    let boundary = req
        .header("content-type")
        .and_then(multipart_boundary)
        .map(str::to_string);
    if token.is_none()
        && let Some(boundary) = boundary
    {
        let (found, body) = first_part(req.take_body(), &boundary).await;
        token = found;
        req.set_body(body);
    }
    let secret = cx.secret.clone();
    match token {
        Some(t) if token_ok(&secret, cx.resolved.tenant.id(), cookie, &t) => {
            ep.call(req).await.map(IntoResponse::into_response)
        }
        Some(_) => Err(CsrfRejected("token does not match").into()),
        None => Err(CsrfRejected("no token").into()),
    }
}

#[cfg(test)]
mod multipart_tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn the_token_is_read_from_the_first_part_only() {
        let b = "XyZ";
        let body = b"--XyZ\r\nContent-Disposition: form-data; name=\"_csrf\"\r\n\r\ntok-123\r\n--XyZ\r\nContent-Disposition: form-data; name=\"f\"; filename=\"a.png\"\r\n\r\n\x89PNG\xff\r\n--XyZ--\r\n";
        assert_eq!(token_part(body, b, "\r\n--XyZ").as_deref(), Some("tok-123"));
        let other =
            b"--XyZ\r\nContent-Disposition: form-data; name=\"subject\"\r\n\r\nhallo\r\n--XyZ--";
        assert_eq!(token_part(other, b, "\r\n--XyZ"), None);
        assert_eq!(
            multipart_boundary("multipart/form-data; boundary=\"XyZ\""),
            Some("XyZ")
        );
        assert_eq!(multipart_boundary("application/json"), None);
    }
}
