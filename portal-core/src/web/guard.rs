//! Guards for handlers: [`User`] is a page whose visitor is logged in
//! (past the TOTP step); anyone else is sent to the login page, which
//! brings them back afterwards. Also the request's [`Client`] and the
//! session cookie helpers.

use poem::web::Redirect;
use poem::{FromRequest, IntoResponse, Request, RequestBody};

use super::context::{Page, set_cookie};
use crate::auth::flows::Client;
use crate::auth::session::{self, Session, Stage};

/// A page with a logged-in user.
pub struct User {
    pub page: Page,
    pub session: Session,
}

impl<'a> FromRequest<'a> for User {
    async fn from_request(req: &'a Request, body: &mut RequestBody) -> poem::Result<Self> {
        let page = Page::from_request(req, body).await?;
        match page.cx.session.clone() {
            Some(s) if s.stage == Stage::Full => Ok(User { page, session: s }),
            _ => {
                let next = page.cx.path.clone();
                let q = url::form_urlencoded::Serializer::new(String::new())
                    .append_pair("next", &next)
                    .finish();
                Err(poem::Error::from_response(
                    Redirect::see_other(page.url(&format!("/login?{q}"))).into_response(),
                ))
            }
        }
    }
}

impl<'a> FromRequest<'a> for Client {
    async fn from_request(req: &'a Request, _body: &mut RequestBody) -> poem::Result<Self> {
        Ok(client_of(req))
    }
}

/// Where a request came from: the peer address (a proxy in front of the
/// portal should be the only peer; forwarded headers are not trusted).
pub fn client_of(req: &Request) -> Client {
    Client {
        ip: req
            .remote_addr()
            .as_socket_addr()
            .map(|a| a.ip().to_string()),
        user_agent: req.header("user-agent").map(str::to_string),
    }
}

/// `Set-Cookie` for a new session id.
pub fn session_cookie(page: &Page, value: &str) -> String {
    let https = page.state.config.web.https;
    set_cookie(session::cookie_name(https), value, None, https)
}

/// `Set-Cookie` that removes the session cookie.
pub fn clear_session_cookie(page: &Page) -> String {
    let https = page.state.config.web.https;
    set_cookie(session::cookie_name(https), "", Some(0), https)
}
