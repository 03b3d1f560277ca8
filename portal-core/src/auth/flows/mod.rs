//! What login, links, registration, self-service and staff actions do, in
//! one place for the HTML pages and the API alike. Every change and the
//! mail it causes commit in one transaction; the mail worker is woken
//! after the commit.
//!
//! Layout:
//! - `login.rs`: password step, TOTP step, logout
//! - `links.rs`: reset and invitation links, registration and its confirmation
//! - `own.rs`: what a logged-in user changes: password, language, 2FA, sessions
//! - `staff.rs`: what the tenant's staff do to accounts

pub mod links;
pub mod login;
pub mod own;
pub mod staff;

use chrono::Duration;

use super::accounts::{Account, Identity, LoginMode, normalize};
use super::password::{HashError, Policy};
use super::settings::AuthSettings;
use crate::db::{DbError, Tx};
pub use crate::deps::Deps;
use crate::mail::{MailError, MailValues, Recipient};
use crate::tenant::{Lang, Tenant};

/// A failure that is nobody's input: the page shows a 500 with a correlation id.
#[derive(Debug, thiserror::Error)]
pub enum FlowError {
    #[error(transparent)]
    Db(#[from] DbError),
    #[error(transparent)]
    Hash(#[from] HashError),
    #[error(transparent)]
    Mail(#[from] MailError),
}

impl From<FlowError> for poem::Error {
    fn from(e: FlowError) -> Self {
        poem::Error::from_string(e.to_string(), poem::http::StatusCode::INTERNAL_SERVER_ERROR)
    }
}

/// Where a request came from (for throttles and the activity log).
#[derive(Debug, Clone, Default)]
pub struct Client {
    pub ip: Option<String>,
    pub user_agent: Option<String>,
}

/// The password policy of a tenant.
pub fn policy(settings: &AuthSettings) -> Policy {
    Policy {
        min_length: settings.password_min_length,
        composition: settings.password_composition,
    }
}

/// Words a password of this account must not contain.
pub fn context_words<'a>(tenant: &'a Tenant, a: &'a Account) -> Vec<&'a str> {
    let mut words = vec![
        tenant.name.as_str(),
        tenant.code.as_str(),
        a.customer_number.as_str(),
        a.email.as_str(),
    ];
    if let Some(local) = a.email.split('@').next() {
        words.push(local);
    }
    if let Some(u) = &a.username {
        words.push(u);
    }
    words
}

/// The throttle key of what a visitor typed: the same for known and unknown accounts.
pub fn identity_key(prefix: &str, mode: LoginMode, who: &Identity) -> String {
    let typed = format!(
        "{}\u{0}{}\u{0}{}",
        mode.code(),
        normalize(&who.customer_number),
        normalize(&who.login)
    );
    format!("{prefix}:{}", super::hash_secret(&typed))
}

/// "1 uur", "48 hours", "30 minuten": how long a link lasts, for mails.
pub fn duration_text(d: Duration, lang: Lang) -> String {
    let minutes = d.num_minutes();
    let (n, unit) = if minutes % 60 == 0 {
        let h = minutes / 60;
        (
            h,
            match (lang, h == 1) {
                (Lang::Nl, _) => "uur",
                (Lang::En, true) => "hour",
                (Lang::En, false) => "hours",
            },
        )
    } else {
        (
            minutes,
            match (lang, minutes == 1) {
                (Lang::Nl, true) => "minuut",
                (Lang::Nl, false) => "minuten",
                (Lang::En, true) => "minute",
                (Lang::En, false) => "minutes",
            },
        )
    };
    format!("{n} {unit}")
}

/// The language mails to this account are written in.
pub fn mail_lang(tenant: &Tenant, a: &Account) -> Lang {
    a.lang().unwrap_or(tenant.default_language)
}

/// A recipient for an account's mail.
pub fn recipient(tenant: &Tenant, a: &Account, address: &str) -> Recipient {
    Recipient {
        address: address.to_string(),
        name: a.display_name.clone(),
        lang: Some(mail_lang(tenant, a)),
        form: None,
    }
}

/// Values every auth mail declares about its account.
pub fn account_values(tenant: &Tenant, a: &Account) -> MailValues {
    let mode = AuthSettings::of(tenant).login_mode;
    MailValues::new()
        .text("user.name", a.greeting_name())
        .text("user.login", a.login_name(mode))
        .text("user.email", a.email.as_str())
        .text("customer.number", a.customer_number.as_str())
}

/// Queues an auth mail to an account inside `tx`.
///
/// # Errors
/// A template or database failure.
pub async fn queue(
    deps: &Deps,
    tx: &mut Tx,
    tenant: &Tenant,
    key: &str,
    a: &Account,
    address: &str,
    values: &MailValues,
) -> Result<(), FlowError> {
    // An account with a user name only (seed 003's partner without an
    // e-mail address) has no address for its notices; the change it
    // announces stands all the same.
    if address.trim().is_empty() {
        return Ok(());
    }
    deps.mailer
        .enqueue(tx, tenant, key, &recipient(tenant, a, address), values)
        .await?;
    Ok(())
}

/// Stores a new password hash (and marks the account confirmed where the
/// way it was set proves the mailbox or comes from staff); ends the
/// account's unused links and its sessions, except `keep` (the session in
/// which the user changed their own password).
///
/// # Errors
/// A database failure.
pub async fn store_password(
    tx: &mut Tx,
    scope: crate::tenant::TenantScope,
    user_id: i64,
    hash: String,
    confirm: bool,
    keep: Option<i64>,
) -> Result<(), FlowError> {
    let mut values = vec![
        ("password_hash", hash.into()),
        ("password_changed_at", chrono::Utc::now().into()),
    ];
    if confirm {
        values.push(("confirmed", true.into()));
    }
    super::accounts::update(tx, scope, user_id, values).await?;
    super::tokens::revoke_all(tx, scope, user_id).await?;
    super::session::end_all_for_user(tx, scope, user_id, keep).await?;
    Ok(())
}

/// A link into the tenant's portal for a mail: always its configured
/// address, never the request's Host (SECURITY.md 16).
pub fn link(deps: &Deps, tenant: &Tenant, path: &str) -> String {
    format!(
        "{}{path}",
        deps.mailer.portal_url(tenant).trim_end_matches('/')
    )
}
