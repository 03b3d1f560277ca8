//! The staff login: e-mail and password, then the code; a first login sets
//! up 2FA before any staff page opens.

use minijinja::{Value, context};
use poem::web::{Form, Redirect};
use poem::{IntoResponse, Response, handler};
use serde::Deserialize;

use super::{StaffUser, staff_cookie};
use crate::auth::device::{self, Holder};
use crate::auth::flows::Client;
use crate::auth::totp;
use crate::staff::login::{self, PasswordOutcome};
use crate::web::context::Page;

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct LoginForm {
    email: String,
    password: String,
}

fn login_page(page: &Page, email: &str, failed: bool) -> poem::Result<Response> {
    Ok(page
        .render(
            "staff/login.html",
            context! { values => context! { email }, failed },
        )?
        .into_response())
}

/// The staff login form.
#[handler]
pub async fn show(page: Page) -> poem::Result<Response> {
    if page.cx.staff.as_ref().is_some_and(|s| s.full) {
        return Ok(Redirect::see_other(page.url("/staff")).into_response());
    }
    login_page(&page, "", false)
}

/// The password step.
#[handler]
pub async fn submit(
    page: Page,
    client: Client,
    req: &poem::Request,
    Form(form): Form<LoginForm>,
) -> poem::Result<Response> {
    let https = page.state.config.web.https;
    let tenant_id = page.tenant().id();
    let device_cookie = device::cookie_name(https, tenant_id, Holder::Staff);
    let device = crate::web::context::cookie(req, &device_cookie)
        .and_then(|v| device::parse(&page.state.secret, tenant_id, Holder::Staff, v));
    let outcome = login::password(
        &page.state.deps(),
        page.tenant(),
        &form.email,
        &form.password,
        &client,
        device.as_ref(),
    )
    .await?;
    let (cookie, member, next) = match outcome {
        PasswordOutcome::Failed => return login_page(&page, &form.email, true),
        PasswordOutcome::Code { cookie, member } => (cookie, member, "/staff/login/code"),
        PasswordOutcome::Setup { cookie, member } => (cookie, member, "/staff/login/setup"),
    };
    // This browser knew the password: wrong passwords typed elsewhere no
    // longer hold it back.
    let device_value = device::issue(
        &page.state.secret,
        tenant_id,
        Holder::Staff,
        device.as_ref(),
        member,
    );
    Ok(Redirect::see_other(page.url(next))
        .with_header("set-cookie", staff_cookie(&page, &cookie))
        .with_header(
            "set-cookie",
            crate::web::context::set_cookie(
                &device_cookie,
                &device_value,
                Some(device::MAX_AGE_SECS),
                https,
            ),
        )
        .into_response())
}

/// The code step (or, without 2FA, the setup with its QR code).
async fn code_page(page: &Page, errors: Value) -> poem::Result<Response> {
    let Some(s) = page.cx.staff.clone().filter(|s| !s.full) else {
        return Ok(Redirect::see_other(page.url("/staff/login")).into_response());
    };
    let setup = if s.member.totp_secret.is_none() {
        let secret = login::setup_secret(&page.state.deps(), page.tenant(), &s).await?;
        let issuer = format!("{} (staff)", page.tenant().name);
        let qr = totp::otpauth_url(&secret, &issuer, &s.member.email)
            .and_then(|u| totp::qr_svg(&u))
            .unwrap_or_default();
        Some(context! { secret, qr_svg => qr })
    } else {
        None
    };
    Ok(page
        .render("staff/code.html", context! { setup, errors })?
        .with_header("cache-control", "no-store")
        .into_response())
}

/// The code form.
#[handler]
pub async fn code_show(page: Page) -> poem::Result<Response> {
    code_page(&page, Value::UNDEFINED).await
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct CodeForm {
    code: String,
}

/// Checks the code; the session gets a new id and opens the staff pages.
#[handler]
pub async fn code_submit(
    page: Page,
    client: Client,
    Form(form): Form<CodeForm>,
) -> poem::Result<Response> {
    let Some(s) = page.cx.staff.clone().filter(|s| !s.full) else {
        return Ok(Redirect::see_other(page.url("/staff/login")).into_response());
    };
    match login::code(&page.state.deps(), page.tenant(), &s, &form.code, &client).await? {
        Some(cookie) => Ok(Redirect::see_other(page.url("/staff"))
            .with_header("set-cookie", staff_cookie(&page, &cookie))
            .into_response()),
        None => {
            let errors = context! { code => page.t("login-totp-wrong") };
            code_page(&page, errors).await
        }
    }
}

/// Ends the staff session.
#[handler]
pub async fn logout(u: StaffUser) -> poem::Result<Response> {
    login::logout(&u.page.state.deps(), u.page.tenant(), &u.session).await?;
    Ok(Redirect::see_other(u.page.url("/staff/login"))
        .with_header("set-cookie", staff_cookie(&u.page, ""))
        .into_response())
}
