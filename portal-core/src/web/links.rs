//! The pages behind mailed links and the requests for them: "forgot
//! password", the reset and invitation links (set a password), registration
//! (seed 004) with its confirmation link and resend button.
//!
//! Requests for a link answer the same for known and unknown accounts. A
//! spent or expired link shows a page that offers a new one. Pages that
//! carry a token in their URL send `Referrer-Policy: no-referrer` so the
//! token never leaves in a `Referer` header (SECURITY.md 17).

use minijinja::{Value, context};
use poem::web::{Form, Path, Redirect};
use poem::{IntoResponse, Response, handler};
use serde::Deserialize;

use super::context::Page;
use crate::auth::AuthSettings;
use crate::auth::accounts::{Identity, LoginMode};
use crate::auth::flows::links::{self, LinkError, RegisterError, Registration};
use crate::auth::flows::{Client, policy};
use crate::auth::password::PolicyError;
use crate::auth::tokens::Purpose;

/// The fields that name an account, as the forms send them.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct IdentityForm {
    pub customer_number: String,
    pub login: String,
}

impl IdentityForm {
    fn identity(&self) -> Identity {
        Identity {
            customer_number: self.customer_number.clone(),
            login: self.login.clone(),
        }
    }
}

fn mode(page: &Page) -> &'static str {
    AuthSettings::of(page.tenant()).login_mode.code()
}

/// The policy in one sentence, shown under every new-password field.
pub fn policy_help(page: &Page) -> String {
    let p = policy(&AuthSettings::of(page.tenant()));
    let key = if p.composition {
        "pw-help-composition"
    } else {
        "pw-help"
    };
    page.state.renderer.texts().get_with(
        page.cx.voice(),
        key,
        poem::i18n::I18NArgs::default().set("min", p.min_length.to_string()),
    )
}

/// The user's text for a refused password.
pub fn policy_text(page: &Page, e: &PolicyError) -> String {
    let (key, n) = e.text_key();
    let args = poem::i18n::I18NArgs::default().set("n", n.unwrap_or(0).to_string());
    page.state
        .renderer
        .texts()
        .get_with(page.cx.voice(), key, args)
}

/// The field a refused password is shown at.
pub fn policy_field(e: &PolicyError) -> &'static str {
    if *e == PolicyError::Mismatch {
        "repeat"
    } else {
        "password"
    }
}

/// The form errors (field -> text) of a refused password: the password's
/// and the repetition's at once.
pub fn policy_errors(page: &Page, e: &PolicyError) -> Value {
    let mut errors = std::collections::BTreeMap::new();
    add_policy_errors(page, e, &mut errors);
    Value::from(errors)
}

fn add_policy_errors(
    page: &Page,
    e: &PolicyError,
    errors: &mut std::collections::BTreeMap<&'static str, String>,
) {
    errors.insert(policy_field(e), policy_text(page, e));
    if matches!(e, PolicyError::AndMismatch(_)) {
        errors.insert("repeat", policy_text(page, &PolicyError::Mismatch));
    }
}

fn no_referrer(resp: impl IntoResponse) -> Response {
    resp.with_header("referrer-policy", "no-referrer")
        .into_response()
}

/// A page that says one thing and offers a next step.
fn notice(
    page: &Page,
    heading: &str,
    text: &str,
    kind: &str,
    action: Option<(&str, String)>,
) -> poem::Result<Response> {
    let (action_url, action_label) = match action {
        Some((path, label)) => (Some(page.url(path)), Some(label)),
        None => (None, None),
    };
    Ok(page
        .render(
            "auth/notice.html",
            context! { heading, text, kind, action_url, action_label },
        )?
        .into_response())
}

/// "Forgot password": the form.
#[handler]
pub async fn forgot_show(page: Page) -> poem::Result<Response> {
    Ok(page
        .render(
            "auth/forgot.html",
            context! { mode => mode(&page), values => context! { customer_number => "", login => "" } },
        )?
        .into_response())
}

/// "Forgot password": the request. The same answer whether or not the account exists.
#[handler]
pub async fn forgot_submit(
    page: Page,
    client: Client,
    Form(form): Form<IdentityForm>,
) -> poem::Result<Response> {
    // Empty fields say so at the field (they tell nothing of accounts);
    // only a filled-in request gets the same answer for every account.
    let empty = super::login::empty_identity(&page, &form.customer_number, &form.login);
    if !empty.is_empty() {
        let values = context! { customer_number => form.customer_number.as_str(), login => form.login.as_str() };
        return Ok(page
            .render(
                "auth/forgot.html",
                context! { mode => mode(&page), values, errors => Value::from(empty) },
            )?
            .into_response());
    }
    links::request_reset(&page.state.deps(), page.tenant(), &form.identity(), &client).await?;
    Ok(page
        .render(
            "auth/forgot.html",
            context! { mode => mode(&page), sent => true },
        )?
        .into_response())
}

fn purpose_of(kind: &str) -> Purpose {
    if kind == "set" {
        Purpose::Invite
    } else {
        Purpose::Reset
    }
}

/// The page of a spent or unknown password link: it offers a new one.
fn spent_link(page: &Page) -> poem::Result<Response> {
    notice(
        page,
        &page.t("link-spent-heading"),
        &page.t("link-spent-text"),
        "warning",
        Some(("/password/forgot", page.t("link-spent-new"))),
    )
    .map(no_referrer)
}

fn password_form(
    page: &Page,
    kind: &str,
    token: &str,
    values: Value,
    errors: Value,
) -> poem::Result<Response> {
    let purpose = if kind == "set" { "invite" } else { "reset" };
    let ask_identity = AuthSettings::of(page.tenant()).login_mode == LoginMode::CustomerNumberEmail;
    let html = page.render(
        "auth/password_link.html",
        context! {
            purpose,
            action => page.url(&format!("/password/{kind}/{token}")),
            ask_identity,
            mode => mode(page),
            values,
            errors,
            policy_help => policy_help(page),
        },
    )?;
    Ok(no_referrer(html))
}

/// A reset (`/password/reset/<token>`) or invitation (`/password/set/<token>`) link: the form.
#[handler]
pub async fn link_show(
    page: Page,
    Path((kind, token)): Path<(String, String)>,
) -> poem::Result<Response> {
    let purpose = purpose_of(&kind);
    if links::link_account(&page.state.deps(), page.tenant(), purpose, &token)
        .await?
        .is_none()
    {
        return spent_link(&page);
    }
    password_form(
        &page,
        &kind,
        &token,
        context! { customer_number => "", login => "" },
        Value::UNDEFINED,
    )
}

/// What the set-password form sends.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct PasswordLinkForm {
    pub customer_number: String,
    pub login: String,
    pub password: String,
    pub repeat: String,
}

/// A reset or invitation link: sets the password, then on to the login page.
#[handler]
pub async fn link_submit(
    page: Page,
    client: Client,
    Path((kind, token)): Path<(String, String)>,
    Form(form): Form<PasswordLinkForm>,
) -> poem::Result<Response> {
    let purpose = purpose_of(&kind);
    let who = Identity {
        customer_number: form.customer_number.clone(),
        login: form.login.clone(),
    };
    let outcome = links::complete_password_link(
        &page.state.deps(),
        page.tenant(),
        links::PasswordLink {
            purpose,
            token: &token,
            who: Some(&who),
            password: &form.password,
            repeat: &form.repeat,
        },
        &client,
    )
    .await?;
    let values = context! { customer_number => form.customer_number, login => form.login };
    match outcome {
        Ok(_) => Ok(no_referrer(Redirect::see_other(
            page.url("/login?password_set=1"),
        ))),
        Err(LinkError::Spent) => spent_link(&page),
        Err(LinkError::IdentityMismatch) => {
            let errors = context! { customer_number => page.t("reset-identity-mismatch") };
            password_form(&page, &kind, &token, values, errors)
        }
        Err(LinkError::Policy(e)) => {
            let errors = policy_errors(&page, &e);
            password_form(&page, &kind, &token, values, errors)
        }
    }
}

fn registration_enabled(page: &Page) -> bool {
    AuthSettings::of(page.tenant()).registration
}

fn register_form(page: &Page, values: Value, errors: Value) -> poem::Result<Response> {
    Ok(page
        .render(
            "auth/register.html",
            context! { values, errors, policy_help => policy_help(page) },
        )?
        .into_response())
}

/// Registration (seed 004): the form; 404 where the tenant has it off.
#[handler]
pub async fn register_show(page: Page) -> poem::Result<Response> {
    if !registration_enabled(&page) {
        return Err(poem::error::NotFoundError.into());
    }
    register_form(
        &page,
        context! { customer_number => "", email => "" },
        Value::UNDEFINED,
    )
}

/// What the registration form sends.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct RegisterForm {
    pub customer_number: String,
    pub email: String,
    pub password: String,
    pub repeat: String,
}

/// Registration: the same answer whether or not the customer exists or already has an account.
#[handler]
pub async fn register_submit(
    page: Page,
    client: Client,
    Form(form): Form<RegisterForm>,
) -> poem::Result<Response> {
    if !registration_enabled(&page) {
        return Err(poem::error::NotFoundError.into());
    }
    let r = Registration {
        customer_number: form.customer_number.clone(),
        email: form.email.clone(),
        password: form.password,
        repeat: form.repeat,
    };
    let values = context! { customer_number => form.customer_number, email => form.email };
    // Every field's problem at once, in the form's order.
    let refused = links::check_registration(page.tenant(), &r);
    if !refused.is_empty() {
        let mut errors = std::collections::BTreeMap::new();
        for e in &refused {
            match e {
                RegisterError::CustomerNumber => {
                    errors.insert("customer_number", page.t("register-bad-number"));
                }
                RegisterError::Email => {
                    errors.insert("email", page.t("register-bad-email"));
                }
                RegisterError::Policy(p) => add_policy_errors(&page, p, &mut errors),
            }
        }
        return register_form(&page, values, Value::from(errors));
    }
    match links::register(&page.state.deps(), page.tenant(), &r, &client).await? {
        Ok(()) => notice(
            &page,
            &page.t("register-sent-heading"),
            &page.t("register-sent-text"),
            "success",
            None,
        ),
        Err(RegisterError::CustomerNumber) => register_form(
            &page,
            values,
            context! { customer_number => page.t("register-bad-number") },
        ),
        Err(RegisterError::Email) => register_form(
            &page,
            values,
            context! { email => page.t("register-bad-email") },
        ),
        Err(RegisterError::Policy(e)) => {
            let errors = policy_errors(&page, &e);
            register_form(&page, values, errors)
        }
    }
}

/// The confirmation link of a registration: a page with a button (mail
/// scanners that open links must not confirm, SECURITY.md 25).
#[handler]
pub async fn confirm_show(page: Page, Path(token): Path<String>) -> poem::Result<Response> {
    let state = crate::auth::tokens::peek(
        &page.state.db,
        page.tenant().scope(),
        Purpose::Confirm,
        &token,
    )
    .await
    .map_err(crate::auth::flows::FlowError::from)?;
    if !matches!(state, crate::auth::tokens::LinkState::Valid { .. }) {
        return confirm_spent(&page);
    }
    let html = page.render(
        "auth/confirm.html",
        context! { action => page.url(&format!("/register/confirm/{token}")) },
    )?;
    Ok(no_referrer(html))
}

fn confirm_spent(page: &Page) -> poem::Result<Response> {
    notice(
        page,
        &page.t("link-spent-heading"),
        &page.t("confirm-spent-text"),
        "warning",
        Some(("/login", page.t("login-submit"))),
    )
    .map(no_referrer)
}

/// The confirmation button: uses the link.
#[handler]
pub async fn confirm(
    page: Page,
    client: Client,
    Path(token): Path<String>,
) -> poem::Result<Response> {
    if !links::confirm(&page.state.deps(), page.tenant(), &token, &client).await? {
        return confirm_spent(&page);
    }
    notice(
        &page,
        &page.t("confirm-done-heading"),
        &page.t("confirm-done-text"),
        "success",
        Some(("/login", page.t("login-submit"))),
    )
    .map(no_referrer)
}

/// The resend button of the "not confirmed yet" message (rate-limited; the same answer always).
#[handler]
pub async fn resend(
    page: Page,
    client: Client,
    Form(form): Form<IdentityForm>,
) -> poem::Result<Response> {
    links::resend_confirmation(&page.state.deps(), page.tenant(), &form.identity(), &client)
        .await?;
    notice(
        &page,
        &page.t("resend-heading"),
        &page.t("resend-text"),
        "success",
        None,
    )
}
