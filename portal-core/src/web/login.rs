//! The login pages: password step (fields by the tenant's login mode),
//! TOTP step, logout. No JavaScript; every form carries the CSRF token.

use minijinja::{Value, context};
use poem::web::{Form, Html, Query, Redirect};
use poem::{IntoResponse, Response, handler};
use serde::Deserialize;

use super::context::Page;
use super::guard::{clear_session_cookie, session_cookie};
use super::pages::local_path;
use crate::auth::AuthSettings;
use crate::auth::accounts::Identity;
use crate::auth::device::{self, Holder};
use crate::auth::flows::Client;
use crate::auth::flows::login::{self, LoginOutcome, TotpOutcome};
use crate::auth::session::Stage;

/// What the login form sends.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct LoginForm {
    pub customer_number: String,
    /// E-mail, or user name in `username` mode.
    pub login: String,
    pub password: String,
    pub next: String,
}

impl LoginForm {
    pub fn identity(&self) -> Identity {
        Identity {
            customer_number: self.customer_number.clone(),
            login: self.login.clone(),
        }
    }
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct NextQuery {
    next: String,
    /// Just logged out.
    bye: Option<String>,
    /// Just set a password through a link.
    password_set: Option<String>,
}

/// The identity fields of the tenant's login mode left empty, each with
/// its message: the login and the forgot-password forms name them at the
/// field (an empty field tells nothing of accounts).
pub fn empty_identity(
    page: &Page,
    customer_number: &str,
    login: &str,
) -> std::collections::BTreeMap<&'static str, String> {
    use crate::auth::accounts::LoginMode;
    let mode = AuthSettings::of(page.tenant()).login_mode;
    let mut empty = std::collections::BTreeMap::new();
    if mode == LoginMode::CustomerNumberEmail && customer_number.trim().is_empty() {
        empty.insert(
            "customer_number",
            page.t("login-error-empty-customer-number"),
        );
    }
    if login.trim().is_empty() {
        let key = if mode == LoginMode::Username {
            "login-error-empty-username"
        } else {
            "login-error-empty-email"
        };
        empty.insert("login", page.t(key));
    }
    empty
}

/// What a visitor can do besides logging in, from the tenant's modules
/// (seed 004: "Hoe kunnen wij helpen?"), in their order.
fn start_actions(page: &Page) -> Vec<Value> {
    let mut actions: Vec<crate::module::StartAction> = page
        .state
        .registry
        .iter()
        .filter(|m| page.tenant().has_module(m.name()))
        .flat_map(|m| m.start_actions(page.tenant()))
        .collect();
    actions.sort_by(|a, b| a.order.cmp(&b.order).then(a.path.cmp(b.path)));
    actions
        .iter()
        .map(|a| {
            context! {
                title => page.t(a.title_key), text => page.t(a.text_key), url => page.url(a.path),
            }
        })
        .collect()
}

/// The login page's context: the mode decides the fields.
pub fn login_context(page: &Page, form: &LoginForm) -> Value {
    let settings = AuthSettings::of(page.tenant());
    context! {
        start_actions => start_actions(page),
        mode => settings.login_mode.code(),
        username_label => crate::auth::settings::username_label(page.tenant(), page.cx.lang),
        registration => settings.registration,
        values => context! { customer_number => form.customer_number.as_str(), login => form.login.as_str() },
        next => local_path(&form.next),
    }
}

/// The login form.
#[handler]
pub async fn show(page: Page, Query(q): Query<NextQuery>) -> poem::Result<Response> {
    if page
        .cx
        .session
        .as_ref()
        .is_some_and(|s| s.stage == Stage::Full)
    {
        return Ok(Redirect::see_other(page.url(local_path(&q.next))).into_response());
    }
    let form = LoginForm {
        next: q.next,
        ..LoginForm::default()
    };
    let ctx = context! {
        bye => q.bye.is_some(),
        password_set => q.password_set.is_some(),
        ..login_context(&page, &form)
    };
    Ok(page.render("auth/login.html", ctx)?.into_response())
}

/// The password step.
#[handler]
pub async fn submit(
    req: &poem::Request,
    page: Page,
    client: Client,
    Form(form): Form<LoginForm>,
) -> poem::Result<Response> {
    // An empty field says so at the field (it tells nothing of accounts),
    // instead of "this combination is unknown".
    let mut empty = empty_identity(&page, &form.customer_number, &form.login);
    if form.password.is_empty() {
        empty.insert("password", page.t("login-error-empty-password"));
    }
    if !empty.is_empty() {
        let ctx = context! { errors => Value::from(empty), ..login_context(&page, &form) };
        return Ok(page.render("auth/login.html", ctx)?.into_response());
    }
    let https = page.state.config.web.https;
    let tenant_id = page.tenant().id();
    let device_cookie = device::cookie_name(https, tenant_id, Holder::Customer);
    let device = super::context::cookie(req, &device_cookie)
        .and_then(|v| device::parse(&page.state.secret, tenant_id, Holder::Customer, v));
    let outcome = login::login(
        &page.state.deps(),
        page.tenant(),
        &form.identity(),
        &form.password,
        &client,
        device.as_ref(),
    )
    .await?;
    match outcome {
        LoginOutcome::Session {
            cookie,
            needs_totp,
            account,
        } => {
            // This browser knew the password: wrong passwords typed
            // elsewhere no longer hold it back.
            let device_value = device::issue(
                &page.state.secret,
                tenant_id,
                Holder::Customer,
                device.as_ref(),
                account,
            );
            // The visitor's earlier session (another account, or a
            // half-done TOTP step) ends: one browser, one session.
            if let Some(old) = &page.cx.session {
                crate::auth::session::end_by_id(&page.state.db, page.tenant().scope(), old.id)
                    .await
                    .map_err(crate::auth::flows::FlowError::from)?;
            }
            let next = local_path(&form.next);
            let to = if needs_totp {
                let q = url::form_urlencoded::Serializer::new(String::new())
                    .append_pair("next", next)
                    .finish();
                page.url(&format!("/login/totp?{q}"))
            } else {
                page.url(next)
            };
            Ok(Redirect::see_other(to)
                .with_header("set-cookie", session_cookie(&page, &cookie))
                .with_header(
                    "set-cookie",
                    super::context::set_cookie(
                        &device_cookie,
                        &device_value,
                        Some(device::MAX_AGE_SECS),
                        https,
                    ),
                )
                .into_response())
        }
        LoginOutcome::Unconfirmed => {
            let ctx = context! { unconfirmed => true, ..login_context(&page, &form) };
            Ok(page.render("auth/login.html", ctx)?.into_response())
        }
        LoginOutcome::Failed => {
            let ctx = context! { failed => true, ..login_context(&page, &form) };
            Ok(page.render("auth/login.html", ctx)?.into_response())
        }
    }
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct TotpForm {
    code: String,
    next: String,
}

fn at_totp_step(page: &Page) -> bool {
    page.cx
        .session
        .as_ref()
        .is_some_and(|s| s.stage == Stage::Totp)
}

/// The code form of the second step.
#[handler]
pub async fn totp_show(page: Page, Query(q): Query<NextQuery>) -> poem::Result<Response> {
    if !at_totp_step(&page) {
        return Ok(Redirect::see_other(page.url("/login")).into_response());
    }
    Ok(page
        .render("auth/totp.html", context! { next => local_path(&q.next) })?
        .into_response())
}

/// The second step.
#[handler]
pub async fn totp_submit(
    page: Page,
    client: Client,
    Form(form): Form<TotpForm>,
) -> poem::Result<Response> {
    let Some(s) = page.cx.session.clone().filter(|s| s.stage == Stage::Totp) else {
        return Ok(Redirect::see_other(page.url("/login")).into_response());
    };
    match login::login_totp(&page.state.deps(), page.tenant(), &s, &form.code, &client).await? {
        TotpOutcome::Session { cookie } => {
            Ok(Redirect::see_other(page.url(local_path(&form.next)))
                .with_header("set-cookie", session_cookie(&page, &cookie))
                .into_response())
        }
        TotpOutcome::Wrong => {
            let errors = context! { code => page.t("login-totp-wrong") };
            Ok(page
                .render(
                    "auth/totp.html",
                    context! { next => local_path(&form.next), errors },
                )?
                .into_response())
        }
    }
}

/// Logs out: the session ends on the server, the cookie is removed.
#[handler]
pub async fn logout(page: Page) -> poem::Result<Response> {
    if let Some(s) = &page.cx.session {
        login::logout(&page.state.deps(), page.tenant(), s).await?;
    }
    Ok(Redirect::see_other(page.url("/login?bye=1"))
        .with_header("set-cookie", clear_session_cookie(&page))
        .into_response())
}

/// A page that renders as HTML (used by the other auth pages).
pub type PageResult = poem::Result<Html<String>>;
