//! The request context: resolves the tenant, the language and the CSRF
//! cookie before anything else, and turns every error below it into a
//! page in the tenant's theme (or JSON under `/api/`).

use std::sync::Arc;

use minijinja::{Value, context};
use poem::http::uri::{PathAndQuery, Uri};
use poem::http::{Method, StatusCode};
use poem::web::Html;
use poem::{Endpoint, FromRequest, IntoResponse, Request, RequestBody, Response};

use super::csrf;
use super::errors::{ErrorPage, render_error};
use super::i18n::Voice;
use super::i18n::{LANG_COOKIE, negotiate};
use super::nav;
use crate::access::Principal;
use crate::app::AppState;
use crate::tenant::resolve::{login_code_path, resolve};
use crate::tenant::{Lang, Resolved};
use crate::web::errors::internal;

/// The correlation id of a request, shown on error pages and in every log line.
#[derive(Debug, Clone)]
pub struct RequestId(pub String);

/// Everything a page needs to know about its request.
#[derive(Clone)]
pub struct RequestCx {
    pub resolved: Resolved,
    pub lang: Lang,
    /// The path below the tenant's base, e.g. `/invoices`.
    pub path: String,
    pub csrf_token: String,
    /// The CSRF cookie the browser sent, if valid.
    pub csrf_cookie_from_request: Option<String>,
    pub(crate) secret: Arc<Vec<u8>>,
    pub request_id: String,
    pub principal: Principal,
    /// The visitor's session, at either stage (see `auth::session`); pages
    /// that need a logged-in user use [`crate::web::guard::User`]. While
    /// staff view as a customer, the viewed account's (id 0: no real session).
    /// Shared with the process's kept sessions (a copy per page was a
    /// dozen allocations).
    pub session: Option<Arc<crate::auth::Session>>,
    /// The visitor's staff session, at either stage (see `staff::session`).
    pub staff: Option<crate::staff::StaffSession>,
    /// Set while staff view the portal as a customer (read-only).
    pub view_as: Option<ViewAs>,
}

/// Who is viewing as whom, for the banner.
#[derive(Debug, Clone, serde::Serialize)]
pub struct ViewAs {
    pub staff_name: String,
    pub account_name: String,
    pub account_id: i64,
}

/// Reads a cookie from the `Cookie` header.
pub fn cookie<'a>(req: &'a Request, name: &str) -> Option<&'a str> {
    req.headers()
        .get_all("cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|kv| kv.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v)
}

/// Builds a `Set-Cookie` value with the portal's cookie rules.
pub fn set_cookie(name: &str, value: &str, max_age_secs: Option<i64>, https: bool) -> String {
    let mut c = format!("{name}={value}; Path=/; HttpOnly; SameSite=Lax");
    if https {
        c.push_str("; Secure");
    }
    if let Some(age) = max_age_secs {
        c.push_str(&format!("; Max-Age={age}"));
    }
    c
}

fn request_id(req: &Request) -> String {
    req.extensions()
        .get::<RequestId>()
        .map(|r| r.0.clone())
        .unwrap_or_default()
}

/// Middleware: the request context for tenant routes, in named steps:
/// [`resolve`] the tenant (a neutral 404 without one) and
/// [`strip_tenant_prefix`]; read the [`CsrfCookie`]; find [`who`] is asking
/// (session, staff, view-as, principal); choose the [`language`]; refuse a
/// write while viewing as a customer ([`refuse_view_as_write`]); run the
/// request and turn an error into a themed page ([`answer`]); set a new
/// CSRF cookie where that is safe ([`CsrfCookie::set_on`]).
///
/// # Errors
/// Never for a tenant request (errors become pages); a failure to read the
/// tenant snapshot goes up to the outer error handler.
pub async fn middleware<E: Endpoint>(ep: Arc<E>, mut req: Request) -> poem::Result<Response> {
    let Some(state) = req.data::<Arc<AppState>>().cloned() else {
        return Err(poem::Error::from_string(
            "AppState missing",
            StatusCode::INTERNAL_SERVER_ERROR,
        ));
    };
    let rid = request_id(&req);
    let snapshot =
        state.cache.get().await.map_err(|e| {
            poem::Error::from_string(e.to_string(), StatusCode::INTERNAL_SERVER_ERROR)
        })?;
    let host = req.header("host").unwrap_or("").to_string();
    let path = req.uri().path().to_string();
    // Seed 002: `/login?CODE` on the shared host is the company's login page.
    if let Some(to) = login_code_path(
        &snapshot,
        &state.config.web,
        &host,
        &path,
        req.uri().query(),
    ) {
        return Ok(poem::web::Redirect::see_other(to).into_response());
    }
    let Some(resolved) = resolve(&snapshot, &state.config.web, &host, &path) else {
        // Unknown host or code: a neutral page that names no tenant.
        let lang = negotiate(None, req.header("accept-language"), Lang::Nl);
        let page = ErrorPage {
            status: StatusCode::NOT_FOUND,
            correlation_id: None,
            csrf: false,
            message_key: None,
            detail: None,
        };
        let is_api = path.starts_with("/api/");
        return Ok(render_error(&state, None, lang, &rid, &page, is_api));
    };
    strip_tenant_prefix(&mut req, &resolved, &path);
    let is_api = req.uri().path().starts_with("/api/");
    let https = state.config.web.https;
    let csrf_cookie = CsrfCookie::read(&req, https);
    let mut who = who(&state, &req, &resolved, https).await?;
    let unconfirmed = who.unconfirmed.take();
    // Staff viewing as a customer read in their own choice of language;
    // the customer's account language is the customer's.
    let account_for_lang = who.full_session().filter(|_| who.view_as.is_none());
    let lang = language(&req, account_for_lang, &resolved);
    let cx = RequestCx {
        csrf_token: csrf::token_for(&state.secret, resolved.tenant.id(), &csrf_cookie.value),
        csrf_cookie_from_request: csrf_cookie.from_request.clone(),
        secret: state.secret.clone(),
        path: req.uri().path().to_string(),
        resolved,
        lang,
        request_id: rid.clone(),
        principal: who.principal,
        session: who.session,
        staff: who.staff,
        view_as: who.view_as,
    };
    if let Some(refused) = refuse_view_as_write(&state, &req, &cx, is_api) {
        return Ok(refused);
    }
    // Shared, not copied: every extractor of the request (the page, its
    // guard, the CSRF check) takes this one.
    let cx = Arc::new(cx);
    req.extensions_mut().insert(cx.clone());
    req.extensions_mut().insert(cx.resolved.clone());
    req.extensions_mut().insert(lang);
    // A form may change its own session (the customer switcher, a TOTP
    // step): the next page reads the session in full, rather than find
    // its kept copy refused while the page is read (a 307).
    let changes_own = match (&cx.session, req.method()) {
        (Some(_), &Method::GET | &Method::HEAD) | (None, _) => None,
        (Some(_), _) => {
            cookie(&req, crate::auth::session::cookie_name(https)).map(crate::auth::hash_secret)
        }
    };
    let resp = match unconfirmed {
        None => {
            let called = ep.call(req).await;
            if let Some(token_hash) = changes_own {
                state.sessions.forget(cx.resolved.tenant.id(), &token_hash);
            }
            answer(&state, &cx, is_api, called)
        }
        Some(confirm) => {
            // `path` as asked for, the tenant's prefix included.
            let again = same_address(&path, req.uri().query());
            let called = confirm.around(ep.call(req)).await;
            // Nothing leaves before the session's probe has answered.
            if state.db.settle(&confirm).await.map_err(internal)? {
                state.sessions.hit();
                answer(&state, &cx, is_api, called)
            } else {
                // The full look-up has kept or forgotten the session anew.
                tracing::info!(request_id = %rid, "a kept session changed during its page; asked again");
                read_again(&again)
            }
        }
    };
    Ok(csrf_cookie.set_on(resp, https))
}

/// The address the visitor asked for, as a path on this host: a request
/// for `//elsewhere/...` must not become a redirect to another site.
fn same_address(path: &str, query: Option<&str>) -> String {
    let path = path.trim_start_matches(['/', '\\']);
    match query {
        Some(q) => format!("/{path}?{q}"),
        None => format!("/{path}"),
    }
}

/// The answer to a page whose kept session changed while it was read
/// (a logout, an access change elsewhere): what was read is dropped, and
/// the browser asks again (307 keeps the method), now with the full
/// look-up (the log-in page, the changed rights).
fn read_again(location: &str) -> Response {
    Response::builder()
        .status(StatusCode::TEMPORARY_REDIRECT)
        .header("location", location)
        .header("cache-control", "no-store")
        .finish()
}

/// On a shared host the routes see the path without `/<code>`: cuts
/// exactly the segment resolution matched (it skipped leading slashes too).
fn strip_tenant_prefix(req: &mut Request, resolved: &Resolved, path: &str) {
    if resolved.base.is_empty() {
        return;
    }
    let after_code = path
        .trim_start_matches('/')
        .get(resolved.base.len() - 1..)
        .unwrap_or("");
    let rest = if after_code.starts_with('/') {
        after_code.to_string()
    } else {
        format!("/{after_code}")
    };
    let pq = match req.uri().query() {
        Some(q) => format!("{rest}?{q}"),
        None => rest,
    };
    let mut parts = req.uri().clone().into_parts();
    parts.path_and_query = PathAndQuery::try_from(pq).ok();
    if let Ok(uri) = Uri::from_parts(parts) {
        *req.uri_mut() = uri;
    }
}

/// The CSRF cookie the request brought (when well-formed), or a new one.
struct CsrfCookie {
    value: String,
    from_request: Option<String>,
    name: &'static str,
}

impl CsrfCookie {
    fn read(req: &Request, https: bool) -> Self {
        let name = csrf::cookie_name(https);
        let from_request = cookie(req, name)
            .filter(|v| csrf::valid_cookie_value(v))
            .map(str::to_string);
        let value = from_request.clone().unwrap_or_else(csrf::new_cookie_value);
        Self {
            value,
            from_request,
            name,
        }
    }

    /// Sets a new cookie on the response, never on one a shared cache may
    /// keep (brand.css, logos): the cache would hand the same CSRF cookie
    /// to everyone.
    fn set_on(&self, mut resp: Response, https: bool) -> Response {
        let cacheable = resp
            .headers()
            .get("cache-control")
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| !v.contains("no-store") && !v.contains("private"));
        if self.from_request.is_none()
            && !cacheable
            && let Ok(v) = set_cookie(self.name, &self.value, None, https).parse()
        {
            resp.headers_mut().append("set-cookie", v);
        }
        resp
    }
}

/// Who is asking: the customer's session, the staff session, the account
/// staff view as (read-only), and the principal of the logged-in account.
struct Who {
    session: Option<Arc<crate::auth::Session>>,
    /// The session's probe, owed by the page's first read.
    unconfirmed: Option<Arc<crate::db::Confirm>>,
    staff: Option<crate::staff::StaffSession>,
    view_as: Option<ViewAs>,
    principal: Principal,
}

impl Who {
    fn full_session(&self) -> Option<&crate::auth::Session> {
        self.session
            .as_deref()
            .filter(|s| s.stage == crate::auth::session::Stage::Full)
    }
}

async fn who(
    state: &AppState,
    req: &Request,
    resolved: &Resolved,
    https: bool,
) -> poem::Result<Who> {
    let scope = resolved.tenant.scope();
    // A GET or HEAD page writes nothing before its session's probe has
    // answered (`db::confirm`): its first read may carry the probe.
    let may_defer = matches!(*req.method(), Method::GET | Method::HEAD);
    let (mut session, mut unconfirmed) = match cookie(req, crate::auth::session::cookie_name(https))
    {
        Some(value) => crate::auth::session::lookup_for_page(
            &state.db,
            &state.parts,
            &state.sessions,
            scope,
            value,
            crate::auth::AuthSettings::of(&resolved.tenant).session_idle,
            may_defer,
        )
        .await
        .map_err(internal)?
        .map_or((None, None), |(s, u)| (Some(s), u)),
        None => (None, None),
    };
    let staff = match cookie(req, crate::staff::session::cookie_name(https)) {
        Some(value) => crate::staff::session::lookup(
            &state.db,
            scope,
            value,
            crate::auth::AuthSettings::of(&resolved.tenant).staff_session_idle,
        )
        .await
        .map_err(internal)?,
        None => None,
    };
    // View as customer: the viewed account's session and principal, read-only.
    let mut view_as = None;
    if let Some(st) = staff.as_ref().filter(|s| s.full)
        && let Some(target) = st.view_as_user_id
        && let Some(a) = crate::auth::accounts::by_id(&state.db, scope, target)
            .await
            .map_err(internal)?
    {
        view_as = Some(ViewAs {
            staff_name: if st.member.name.is_empty() {
                st.member.email.clone()
            } else {
                st.member.name.clone()
            },
            account_name: a.greeting_name().to_string(),
            account_id: a.id,
        });
        // The customer switcher's choice lives in a cookie of the staff
        // member's browser, never in the customer's session; it is checked
        // against the viewed account's customers like any selection.
        let selected = cookie(req, VIEW_AS_CUSTOMER_COOKIE).and_then(|v| v.parse::<i64>().ok());
        // The customer's own session, if any, is not this page's.
        unconfirmed = None;
        session = Some(Arc::new(crate::auth::Session {
            id: 0,
            stage: crate::auth::session::Stage::Full,
            pending_totp: None,
            selected_customer_id: selected,
            account: a,
            principal: Default::default(),
        }));
    }
    let mut who = Who {
        session,
        unconfirmed,
        staff,
        view_as,
        principal: req
            .extensions()
            .get::<Principal>()
            .cloned()
            .unwrap_or_default(),
    };
    if let Some(s) = who.full_session() {
        let (registry, tenant) = (&state.registry, &resolved.tenant);
        // Read with the session; staff viewing as a customer read it here.
        let mut principal = if who.view_as.is_some() {
            crate::access::load::principal(&state.db, registry, tenant, &s.account).await
        } else {
            crate::access::load::principal_from(registry, tenant, &s.account, &s.principal)
        }
        .map_err(internal)?;
        if let Some(a) = principal.access.as_mut() {
            a.select(s.selected_customer_id);
        }
        who.principal = principal;
    }
    Ok(who)
}

/// The account's language, else the language cookie or the browser's,
/// else the tenant's.
fn language(req: &Request, session: Option<&crate::auth::Session>, resolved: &Resolved) -> Lang {
    match session.and_then(|s| s.account.lang()) {
        Some(l) => l,
        None => negotiate(
            cookie(req, LANG_COOKIE),
            req.header("accept-language"),
            resolved.tenant.default_language,
        ),
    }
}

/// The customer the switcher shows while staff view as a customer.
pub const VIEW_AS_CUSTOMER_COOKIE: &str = "portal_view_as_customer";

/// Viewing as a customer is read-only: every unsafe request outside the
/// staff pages is refused, with a message that says why. The language and
/// customer switches change only what the staff member's browser shows, so
/// they work.
fn refuse_view_as_write(
    state: &AppState,
    req: &Request,
    cx: &RequestCx,
    is_api: bool,
) -> Option<Response> {
    let staff_path = cx.path == "/staff" || cx.path.starts_with("/staff/");
    let display_only = cx.path == "/lang" || cx.path == "/customer";
    if cx.view_as.is_none() || req.method().is_safe() || staff_path || display_only {
        return None;
    }
    let page = ErrorPage {
        status: StatusCode::FORBIDDEN,
        correlation_id: None,
        csrf: false,
        message_key: Some("view-as-read-only"),
        detail: None,
    };
    Some(render_error(
        state,
        Some(cx),
        cx.lang,
        &cx.request_id,
        &page,
        is_api,
    ))
}

/// The handler's answer; an error becomes the tenant's themed error page
/// (JSON under `/api/`), logged with the request id. A guard's redirect
/// (to the login page) is an answer, not an error.
fn answer(
    state: &AppState,
    cx: &RequestCx,
    is_api: bool,
    result: poem::Result<impl IntoResponse>,
) -> Response {
    let rid = &cx.request_id;
    match result {
        Ok(r) => r.into_response(),
        Err(e) if e.status().is_redirection() => e.into_response(),
        Err(e) => {
            let status = e.status();
            let is_csrf = e.is::<csrf::CsrfRejected>();
            if status.is_server_error() {
                tracing::error!(request_id = %rid, error = %e, "request failed");
            } else {
                tracing::info!(request_id = %rid, status = status.as_u16(), error = %e, "request refused");
            }
            let page = ErrorPage {
                status,
                correlation_id: status.is_server_error().then(|| rid.clone()),
                csrf: is_csrf,
                message_key: None,
                // A refused API call says why (a parameter or body that
                // does not parse names itself); a server error never does.
                detail: (is_api && status.is_client_error() && !is_csrf).then(|| e.to_string()),
            };
            render_error(state, Some(cx), cx.lang, rid, &page, is_api)
        }
    }
}

/// A page being rendered: the extractor handlers take.
pub struct Page {
    pub state: Arc<AppState>,
    pub cx: Arc<RequestCx>,
}

impl<'a> FromRequest<'a> for Page {
    async fn from_request(req: &'a Request, _body: &mut RequestBody) -> poem::Result<Self> {
        let state = req.data::<Arc<AppState>>().cloned();
        let cx = RequestCx::of(req).cloned();
        match (state, cx) {
            (Some(state), Some(cx)) => Ok(Page { state, cx }),
            _ => Err(poem::Error::from_string(
                "page context missing",
                StatusCode::INTERNAL_SERVER_ERROR,
            )),
        }
    }
}

impl RequestCx {
    /// This request's context (once the context middleware has run): the
    /// one way to read it, so that no reader asks the extensions for
    /// another type and silently finds nothing.
    pub fn of(req: &Request) -> Option<&Arc<RequestCx>> {
        req.extensions().get::<Arc<RequestCx>>()
    }

    /// Which texts this request reads: its language in the tenant's form of
    /// address; staff pages (`/staff…`) stay formal.
    pub fn voice(&self) -> Voice {
        let staff = self.path == "/staff" || self.path.starts_with("/staff/");
        if staff {
            Voice::from(self.lang)
        } else {
            Voice::of(self.lang, self.resolved.tenant.address_form)
        }
    }
}

impl Page {
    pub fn tenant(&self) -> &crate::tenant::Tenant {
        &self.cx.resolved.tenant
    }

    /// A URL inside this tenant's portal: `/settings` becomes `/<code>/settings` on a shared host.
    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.cx.resolved.base)
    }

    /// Translated text in the request's language.
    pub fn t(&self, key: &str) -> String {
        self.state.renderer.texts().get(self.cx.voice(), key)
    }

    /// Translated text with string arguments in the request's language.
    pub fn t_args(&self, key: &str, args: &[(&str, &str)]) -> String {
        self.state
            .renderer
            .texts()
            .get_args(self.cx.voice(), key, args)
    }

    /// [`Page::t_args`] as a shared string (one allocation): for a text a
    /// handler formats per row for a template.
    pub fn t_args_shared(&self, key: &str, args: &[(&str, &str)]) -> std::sync::Arc<str> {
        let texts = self.state.renderer.texts();
        let voice = self.cx.voice();
        crate::web::format::shared(|out| texts.write_args(voice, key, args, out))
    }

    /// Translated text without arguments, shared (no copy) where it was
    /// formatted at start-up: for a text a handler puts on many rows.
    pub fn t_shared(&self, key: &str) -> std::sync::Arc<str> {
        let texts = self.state.renderer.texts();
        let voice = self.cx.voice();
        texts
            .plain(voice, key)
            .unwrap_or_else(|| std::sync::Arc::from(texts.get(voice, key)))
    }

    /// Renders a template with the common context plus `extra`.
    ///
    /// # Errors
    /// The template fails (a 500 with a correlation id; the detail is logged).
    pub fn render(&self, name: &str, extra: Value) -> poem::Result<Html<String>> {
        // The page's own values first: in a merged context the first value
        // of a name wins, and a page's `roles` or `languages` must not lose
        // to the layout's.
        let ctx = context! { ..extra, ..page_context(&self.state, Some(&self.cx), self.cx.lang) };
        self.state
            .renderer
            .render(&self.tenant().theme, name, ctx)
            .map(|html| Html(super::render::errors_in_form_order(html)))
            .map_err(|e| {
                poem::Error::from_string(
                    format!("template {name}: {e:#}"),
                    StatusCode::INTERNAL_SERVER_ERROR,
                )
            })
    }
}

/// The context every template gets; `cx` is `None` on the neutral page for unknown hosts.
pub fn page_context(state: &AppState, cx: Option<&RequestCx>, lang: Lang) -> Value {
    let texts = state.renderer.texts();
    let languages: Vec<Value> = Lang::ALL
        .iter()
        .map(|l| context! { code => l.code(), label => texts.get(*l, &format!("lang-{}", l.code())), current => *l == lang })
        .collect();
    let Some(cx) = cx else {
        return context! { lang => lang.code(), languages => Vec::<Value>::new(), base => "", request_path => "/", theme => "default" };
    };
    let tenant = &cx.resolved.tenant;
    let base = cx.resolved.base.as_str();
    let brand = &tenant.branding;
    let now = chrono::Utc::now();
    let (nav, organisation_in_nav) = nav::build(state, cx);
    let messages: Vec<Value> = tenant
        .messages
        .iter()
        .filter(|m| m.visible_on(&cx.path, now))
        .map(|m| context! { kind => m.kind.code(), html => m.html_for(lang) })
        .collect();
    let voice = super::i18n::Voice {
        lang,
        informal: cx.voice().informal,
    };
    context! {
        lang => lang.code(),
        informal => voice.informal,
        t => Value::from_object(super::render::Translator::new(state.renderer.shared_texts(), voice)),
        languages,
        base,
        request_path => cx.path.as_str(),
        csrf_token => cx.csrf_token.as_str(),
        request_id => cx.request_id.as_str(),
        theme => tenant.theme.as_str(),
        tenant => context! {
            code => tenant.code.as_str(), name => tenant.name.as_str(),
            support_email => tenant.contact.support_email.clone(), website => tenant.contact.website.clone(), phone => tenant.contact.phone.clone(),
        },
        brand => context! {
            css_url => format!("{base}/branding/brand.css?v={}", brand.fingerprint()),
            logo_url => brand.logo.as_ref().map(|k| format!("{base}/branding/logo/{k}")),
            favicon_url => brand.favicon.as_ref().map(|k| format!("{base}/branding/favicon/{k}")),
        },
        nav,
        organisation_in_nav,
        page_messages => messages,
        user => cx.principal.user.as_ref().map(|u| Value::from(minijinja::value::Serde(u))),
        staff_user => cx.staff.as_ref().filter(|s| s.full).map(|s| s.member.email.clone()),
        staff_admin => cx.staff.as_ref().is_some_and(|s| s.full && s.member.is_admin()),
        view_as => cx.view_as.as_ref().map(|v| Value::from(minijinja::value::Serde(v))),
        customer_switch => customer_switch(state, cx),
        roles => cx.principal.access.as_ref().map(|a| a.roles.iter().map(crate::access::Role::code).collect::<Vec<_>>()).unwrap_or_default(),
    }
}

/// The header's customer switcher (seed 002 parent accounts): shown only
/// when the principal sees more than one customer.
fn customer_switch(state: &AppState, cx: &RequestCx) -> Option<Value> {
    let a = cx.principal.access.as_ref()?;
    if a.customers.len() < 2 {
        return None;
    }
    let texts = state.renderer.texts();
    let mut options: Vec<Value> = vec![context! {
        id => 0, name => texts.get(cx.voice(), "switch-all"), selected => a.current.is_none(),
    }];
    options.extend(a.customers.iter().map(|id| {
        let name = a.customer_names.get(id).map_or("", String::as_str);
        context! { id => *id, name, selected => a.current == Some(*id) }
    }));
    Some(Value::from(options))
}
