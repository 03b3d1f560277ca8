//! The account settings page (seed 000): language, password change (with
//! the current password), two-factor authentication on and off, and
//! "log out everywhere". Every form needs a logged-in user ([`User`]).

use minijinja::{Value, context};
use poem::web::{Form, Query, Redirect};
use poem::{IntoResponse, Response, handler};
use serde::Deserialize;

use super::guard::{User, clear_session_cookie, session_cookie};
use super::links::{policy_errors, policy_help};
use crate::auth::flows::Client;
use crate::auth::flows::own::{self, OwnError};
use crate::auth::totp;
use crate::tenant::Lang;

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct DoneQuery {
    done: String,
}

/// What the page may say was done (anything else is ignored).
const DONE: &[&str] = &["password", "language", "totp-on", "totp-off"];

fn render(
    u: &User,
    done: Option<&str>,
    password_errors: Value,
    totp_errors: Value,
) -> poem::Result<Response> {
    let a = &u.session.account;
    let texts = u.page.state.renderer.texts();
    let language_options: Vec<(String, String)> = Lang::ALL
        .iter()
        .map(|l| {
            (
                l.code().to_string(),
                texts.get(u.page.cx.lang, &format!("lang-{}", l.code())),
            )
        })
        .collect();
    Ok(u.page
        .render(
            "auth/settings.html",
            context! {
                done,
                account => context! {
                    email => a.email.as_str(),
                    username => a.username.as_deref(),
                    customer_number => a.customer_number.as_str(),
                },
                language_options,
                totp_enabled => a.totp_enabled(),
                password_errors,
                totp_errors,
                policy_help => policy_help(&u.page),
            },
        )?
        .into_response())
}

/// The settings page.
#[handler]
pub async fn show(u: User, Query(q): Query<DoneQuery>) -> poem::Result<Response> {
    let done = DONE.iter().find(|d| **d == q.done).copied();
    render(&u, done, Value::UNDEFINED, Value::UNDEFINED)
}

fn done(u: &User, what: &str) -> Response {
    Redirect::see_other(u.page.url(&format!("/settings?done={what}"))).into_response()
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct LanguageForm {
    lang: String,
}

/// Stores the language of the account (and of this browser).
#[handler]
pub async fn language(u: User, Form(form): Form<LanguageForm>) -> poem::Result<Response> {
    let Some(lang) = Lang::parse(&form.lang) else {
        return Ok(done(&u, ""));
    };
    own::set_language(&u.page.state.deps(), u.page.tenant(), &u.session, lang).await?;
    Ok(done(&u, "language"))
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct PasswordForm {
    current: String,
    password: String,
    repeat: String,
}

/// Changes the password; other sessions end.
#[handler]
pub async fn password(
    u: User,
    client: Client,
    Form(form): Form<PasswordForm>,
) -> poem::Result<Response> {
    let outcome = own::change_password(
        &u.page.state.deps(),
        u.page.tenant(),
        &u.session,
        &form.current,
        &form.password,
        &form.repeat,
        &client,
    )
    .await?;
    match outcome {
        Ok(()) => Ok(done(&u, "password")),
        Err(OwnError::Policy(e)) => {
            let errors = policy_errors(&u.page, &e);
            render(&u, None, errors, Value::UNDEFINED)
        }
        Err(_) => {
            let errors = context! { current => u.page.t("settings-wrong-password") };
            render(&u, None, errors, Value::UNDEFINED)
        }
    }
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct CurrentForm {
    current: String,
}

fn totp_setup(u: &User, secret: &str, errors: Value) -> poem::Result<Response> {
    let a = &u.session.account;
    let issuer = &u.page.tenant().name;
    let label = a.login_name(crate::auth::AuthSettings::of(u.page.tenant()).login_mode);
    let qr = totp::otpauth_url(secret, issuer, label)
        .and_then(|url| totp::qr_svg(&url))
        .unwrap_or_default();
    // The secret is shown once, to its owner; the page must not be cached.
    Ok(u.page
        .render(
            "auth/totp_setup.html",
            context! { qr_svg => qr, secret, errors },
        )?
        .with_header("cache-control", "no-store")
        .into_response())
}

/// Enabling 2FA, step one: the current password, then the QR code.
#[handler]
pub async fn totp_begin(u: User, Form(form): Form<CurrentForm>) -> poem::Result<Response> {
    match own::totp_begin(
        &u.page.state.deps(),
        u.page.tenant(),
        &u.session,
        &form.current,
    )
    .await?
    {
        Ok(secret) => totp_setup(&u, &secret, Value::UNDEFINED),
        Err(_) => {
            let errors = context! { current => u.page.t("settings-wrong-password") };
            render(&u, None, Value::UNDEFINED, errors)
        }
    }
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct CodeForm {
    code: String,
}

/// Enabling 2FA, step two: the first code; the session gets a new id.
#[handler]
pub async fn totp_confirm(
    u: User,
    client: Client,
    Form(form): Form<CodeForm>,
) -> poem::Result<Response> {
    match own::totp_confirm(
        &u.page.state.deps(),
        u.page.tenant(),
        &u.session,
        &form.code,
        &client,
    )
    .await?
    {
        Ok(cookie) => Ok(done(&u, "totp-on")
            .with_header("set-cookie", session_cookie(&u.page, &cookie))
            .into_response()),
        Err(_) => match u.session.pending_totp.as_deref() {
            Some(secret) => {
                let errors = context! { code => u.page.t("login-totp-wrong") };
                totp_setup(&u, secret, errors)
            }
            None => Ok(Redirect::see_other(u.page.url("/settings")).into_response()),
        },
    }
}

/// Switches 2FA off after the current password.
#[handler]
pub async fn totp_disable(
    u: User,
    client: Client,
    Form(form): Form<CurrentForm>,
) -> poem::Result<Response> {
    match own::totp_disable(
        &u.page.state.deps(),
        u.page.tenant(),
        &u.session,
        &form.current,
        &client,
    )
    .await?
    {
        Ok(()) => Ok(done(&u, "totp-off")),
        Err(_) => {
            let errors = context! { current => u.page.t("settings-wrong-password") };
            render(&u, None, Value::UNDEFINED, errors)
        }
    }
}

/// Ends every session of the user, this one too.
#[handler]
pub async fn logout_all(u: User, client: Client) -> poem::Result<Response> {
    own::logout_everywhere(&u.page.state.deps(), u.page.tenant(), &u.session, &client).await?;
    Ok(Redirect::see_other(u.page.url("/login?bye=1"))
        .with_header("set-cookie", clear_session_cookie(&u.page))
        .into_response())
}
