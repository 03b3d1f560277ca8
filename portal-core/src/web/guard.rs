//! Guards for handlers: [`User`] is a page whose visitor is logged in
//! (past the TOTP step); anyone else is sent to the login page, which
//! brings them back afterwards. [`Require<P>`] is a `User` holding
//! permission `P`, with the [`Reach`] that store functions take. Also the request's [`Client`] and the
//! session cookie helpers.

use std::marker::PhantomData;

use poem::web::Redirect;
use poem::{FromRequest, IntoResponse, Request, RequestBody};

use super::context::{Page, set_cookie};
use crate::access::{Perm, Reach};
use crate::auth::flows::Client;
use crate::auth::session::{self, Session, Stage};

/// A page with a logged-in user.
pub struct User {
    pub page: Page,
    /// Shared with the page's request context.
    pub session: std::sync::Arc<Session>,
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

impl User {
    /// True when the user holds permission `P` (to show a button or a list).
    pub fn can<P: Perm>(&self) -> bool {
        self.page.cx.principal.has(P::PERMISSION.key)
    }

    /// What the user may reach when it holds permission `P`; 404
    /// otherwise, so a page the role may not use is indistinguishable from
    /// one that does not exist (seed 001: an employee sees no invoices at
    /// all). Handlers usually take [`Require<P>`] instead.
    ///
    /// # Errors
    /// 404 without the permission.
    pub fn reach<P: Perm>(&self) -> poem::Result<Reach> {
        crate::module::CardCx::reach_for(self, &P::PERMISSION)
            .ok_or_else(|| poem::error::NotFoundError.into())
    }
}

/// A home card asks the logged-in page (see `module::CardCx`).
impl crate::module::CardCx for User {
    fn reach_for(&self, permission: &crate::module::Permission) -> Option<Reach> {
        let p = &self.page.cx.principal;
        match p.access.as_ref() {
            Some(a) if p.has(permission.key) => Some(Reach::new(
                self.page.state.db.clone(),
                self.page.tenant().scope(),
                a,
            )),
            _ => None,
        }
    }
    fn lang(&self) -> crate::tenant::Lang {
        self.page.cx.lang
    }
    fn t(&self, key: &str) -> String {
        self.page.t(key)
    }
    fn t_with(&self, key: &str, args: poem::i18n::I18NArgs<'_>) -> String {
        self.page
            .state
            .renderer
            .texts()
            .get_with(self.page.cx.voice(), key, args)
    }
}

/// A page for a logged-in user holding permission `P`, with what it may
/// reach: the extractor a module's handler names in its signature
/// (`async fn list(r: Require<View>)`). Not logged in: the login page;
/// without the permission: 404.
pub struct Require<P: Perm> {
    pub user: User,
    reach: Reach,
    _permission: PhantomData<P>,
}

impl<P: Perm> Require<P> {
    /// The tenant, customers and locations this request may reach.
    pub fn reach(&self) -> &Reach {
        &self.reach
    }
}

impl<P: Perm> std::ops::Deref for Require<P> {
    type Target = User;
    fn deref(&self) -> &User {
        &self.user
    }
}

impl<'a, P: Perm> FromRequest<'a> for Require<P> {
    async fn from_request(req: &'a Request, body: &mut RequestBody) -> poem::Result<Self> {
        let user = User::from_request(req, body).await?;
        let reach = user.reach::<P>()?;
        Ok(Require {
            user,
            reach,
            _permission: PhantomData,
        })
    }
}

impl<'a> FromRequest<'a> for Client {
    async fn from_request(req: &'a Request, _body: &mut RequestBody) -> poem::Result<Self> {
        let trusted = req
            .data::<std::sync::Arc<crate::app::AppState>>()
            .map(|s| s.config.web.trusted_proxies.clone())
            .unwrap_or_default();
        Ok(client_of(req, &trusted))
    }
}

/// Where a request came from: the TCP peer, or, when the peer is one of
/// the `trusted` proxies, the last address in `X-Forwarded-For` that is
/// not itself a trusted proxy.
pub fn client_of(req: &Request, trusted: &[String]) -> Client {
    let peer = req.remote_addr().as_socket_addr().map(|a| a.ip());
    let is_trusted = |ip: &std::net::IpAddr| {
        trusted
            .iter()
            .any(|t| t.trim().parse::<std::net::IpAddr>().is_ok_and(|t| t == *ip))
    };
    let ip = match peer {
        Some(p) if is_trusted(&p) => req
            .headers()
            .get_all("x-forwarded-for")
            .iter()
            .filter_map(|v| v.to_str().ok())
            .flat_map(|v| v.split(','))
            .filter_map(|a| a.trim().parse::<std::net::IpAddr>().ok())
            .collect::<Vec<_>>()
            .into_iter()
            .rev()
            .find(|a| !is_trusted(a))
            .or(Some(p)),
        other => other,
    };
    Client {
        ip: ip.map(|a| a.to_string()),
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
