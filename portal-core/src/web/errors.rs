//! Error pages and JSON errors. A 5xx never shows internal detail: only a
//! correlation id that is also in the log line with the real error.

use minijinja::context;
use poem::http::StatusCode;
use poem::web::Json;
use poem::{IntoResponse, Response};

use super::context::{RequestCx, page_context};
use super::i18n::Voice;
use crate::app::AppState;
use crate::tenant::Lang;

/// A failure that is nobody's input: a 500 whose detail goes to the log
/// (with the request id), never to the page or the JSON answer.
pub fn internal(e: impl std::fmt::Display) -> poem::Error {
    poem::Error::from_string(e.to_string(), StatusCode::INTERNAL_SERVER_ERROR)
}

/// What to show.
#[derive(Debug, Clone)]
pub struct ErrorPage {
    pub status: StatusCode,
    pub correlation_id: Option<String>,
    pub csrf: bool,
    /// A text that says more than the status (`view-as-read-only`).
    pub message_key: Option<&'static str>,
    /// For the API only: why a client error was refused, in the words of
    /// the layer that refused it (never set for a server error).
    pub detail: Option<String>,
}

fn text_key(status: StatusCode) -> &'static str {
    match status.as_u16() {
        400 | 422 => "400",
        401 | 403 => "403",
        404 => "404",
        405 => "405",
        413 => "413",
        503 => "503",
        s if s >= 500 => "500",
        _ => "400",
    }
}

/// Renders an error as a themed page, or as JSON for the API.
pub fn render_error(
    state: &AppState,
    cx: Option<&RequestCx>,
    lang: Lang,
    request_id: &str,
    page: &ErrorPage,
    json: bool,
) -> Response {
    let texts = state.renderer.texts();
    let key = text_key(page.status);
    let (title_key, message_key) = if let Some(k) = page.message_key {
        (format!("{k}-title"), k.to_string())
    } else if page.csrf {
        (
            "csrf-failed-title".to_string(),
            "csrf-failed-message".to_string(),
        )
    } else {
        (format!("error-{key}-title"), format!("error-{key}-message"))
    };
    let voice = cx.map_or(Voice::from(lang), RequestCx::voice);
    let title = texts.get(voice, &title_key);
    let message = texts.get(voice, &message_key);
    if json {
        // The API's one error shape (`ApiErrors`): the problem in
        // `errors`, with the status, title and message for people.
        let body = serde_json::json!({
            "errors": [{ "field": null, "message": page.detail.as_deref().unwrap_or(&message) }],
            "status": page.status.as_u16(),
            "error": title,
            "message": message,
            "correlation_id": page.correlation_id,
        });
        return Json(body).with_status(page.status).into_response();
    }
    let extra = context! { status => page.status.as_u16(), title, message, correlation_id => page.correlation_id.clone() };
    let ctx = context! { ..page_context(state, cx, lang), ..extra };
    let theme = cx.map_or("default", |c| c.resolved.tenant.theme.as_str());
    match state.renderer.render(theme, "error.html", ctx) {
        Ok(html) => poem::web::Html(html)
            .with_status(page.status)
            .into_response(),
        Err(e) => {
            tracing::error!(request_id, error = %e, "error page failed to render");
            format!("{} ({})", page.status, request_id)
                .with_status(page.status)
                .into_response()
        }
    }
}
