//! What a logged-in user changes on the settings page (seed 000): the
//! password (with the current one), the language, two-factor
//! authentication (on with the current password and a first code, off
//! with the current password), and "log out everywhere".

use super::login::use_step;
use super::{Client, FlowError, account_values, context_words, policy, queue};
use crate::auth::accounts;
use crate::auth::activity::{self, Entry};
use crate::auth::flows::Deps;
use crate::auth::password::{PolicyError, Verified};
use crate::auth::session::{self, Session, Stage};
use crate::auth::settings::AuthSettings;
use crate::auth::{throttle, totp};
use crate::tenant::{Lang, Tenant};

/// Why a settings change was refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum OwnError {
    /// The current password is wrong (or the account is throttled).
    WrongPassword,
    WrongCode,
    Policy(PolicyError),
}

fn entry<'a>(s: &Session, action: &'a str, client: &'a Client) -> Entry<'a> {
    Entry::by_user(&s.account, action, client.ip.as_deref())
}

/// Re-authentication with the current password, throttled like a login
/// (settings, personal data, contact persons: seed 001).
pub(crate) async fn current_password_ok(
    deps: &Deps,
    tenant: &Tenant,
    a: &accounts::Account,
    password: &str,
) -> Result<bool, FlowError> {
    let key = format!("reauth:{}", a.id);
    let locked = throttle::locked(&deps.db, tenant.scope(), &key).await?;
    let stored = if locked {
        None
    } else {
        a.password_hash.as_deref()
    };
    if matches!(
        deps.hasher.verify(password, stored).await?,
        Verified::Right { .. }
    ) {
        throttle::clear(&deps.db, tenant.scope(), &key).await?;
        Ok(true)
    } else {
        throttle::hit(&deps.db, tenant.scope(), &key, throttle::LOGIN_ACCOUNT).await?;
        Ok(false)
    }
}

/// Changes the password; other sessions end, this one stays; the user
/// gets a mail.
///
/// # Errors
/// A database, hashing or template failure.
pub async fn change_password(
    deps: &Deps,
    tenant: &Tenant,
    s: &Session,
    current: &str,
    new: &str,
    repeat: &str,
    client: &Client,
) -> Result<Result<(), OwnError>, FlowError> {
    let settings = AuthSettings::of(tenant);
    if !current_password_ok(deps, tenant, &s.account, current).await? {
        return Ok(Err(OwnError::WrongPassword));
    }
    if let Err(e) = policy(&settings).check_pair(new, repeat, &context_words(tenant, &s.account)) {
        return Ok(Err(OwnError::Policy(e)));
    }
    let hash = deps.hasher.hash(new).await?;
    let scope = tenant.scope();
    let a = &s.account;
    let mut tx = deps.db.begin().await?;
    super::store_password(&mut tx, scope, a.id, hash, false, Some(s.id)).await?;
    let values = account_values(tenant, a).text("change.time", super::links::change_time());
    queue(
        deps,
        &mut tx,
        tenant,
        "auth.password_changed",
        a,
        &a.email,
        &values,
    )
    .await?;
    activity::record(&mut tx, scope, entry(s, "password.changed", client)).await?;
    tx.commit().await?;
    deps.mailer.wake();
    Ok(Ok(()))
}

/// Stores the user's language.
///
/// # Errors
/// A database failure.
pub async fn set_language(
    deps: &Deps,
    tenant: &Tenant,
    s: &Session,
    lang: Lang,
) -> Result<(), FlowError> {
    let mut tx = deps.db.begin().await?;
    accounts::update(
        &mut tx,
        tenant.scope(),
        s.account.id,
        vec![("lang", lang.code().into())],
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Ends every session of the user, this one too.
///
/// # Errors
/// A database failure.
pub async fn logout_everywhere(
    deps: &Deps,
    tenant: &Tenant,
    s: &Session,
    client: &Client,
) -> Result<(), FlowError> {
    let mut tx = deps.db.begin().await?;
    session::end_all_for_user(&mut tx, tenant.scope(), s.account.id, None).await?;
    activity::record(
        &mut tx,
        tenant.scope(),
        entry(s, "logout.everywhere", client),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// First step of enabling 2FA: checks the current password and keeps a
/// fresh secret in the session (not on the account) until a code verifies.
///
/// # Errors
/// A database or hashing failure.
pub async fn totp_begin(
    deps: &Deps,
    tenant: &Tenant,
    s: &Session,
    current: &str,
) -> Result<Result<String, OwnError>, FlowError> {
    if !current_password_ok(deps, tenant, &s.account, current).await? {
        return Ok(Err(OwnError::WrongPassword));
    }
    let secret = totp::new_secret();
    session::set_pending_totp(&deps.db, tenant.scope(), s.id, Some(&secret)).await?;
    Ok(Ok(secret))
}

/// Second step: the first code verifies, the secret moves to the account,
/// and the session gets a new id (a privilege change).
///
/// # Errors
/// A database failure.
pub async fn totp_confirm(
    deps: &Deps,
    tenant: &Tenant,
    s: &Session,
    code: &str,
    client: &Client,
) -> Result<Result<String, OwnError>, FlowError> {
    let scope = tenant.scope();
    let key = format!("totp:{}", s.account.id);
    let Some(secret) = s.pending_totp.as_deref() else {
        return Ok(Err(OwnError::WrongCode));
    };
    let step = if throttle::locked(&deps.db, scope, &key).await? {
        None
    } else {
        totp::check(secret, code, totp::now_secs(), None)
    };
    let Some(step) = step else {
        throttle::hit(&deps.db, scope, &key, throttle::TOTP).await?;
        return Ok(Err(OwnError::WrongCode));
    };
    let mut tx = deps.db.begin().await?;
    accounts::update(
        &mut tx,
        scope,
        s.account.id,
        vec![
            ("totp_secret", secret.into()),
            ("totp_last_step", None::<i64>.into()),
        ],
    )
    .await?;
    use_step(&mut tx, tenant, s.account.id, step).await?;
    session::end_in(&mut tx, scope, s.id).await?;
    let cookie = session::create(
        &mut tx,
        scope,
        s.account.id,
        Stage::Full,
        AuthSettings::of(tenant).session_absolute,
        client.ip.as_deref(),
        client.user_agent.as_deref(),
    )
    .await?;
    activity::record(&mut tx, scope, entry(s, "totp.enabled", client)).await?;
    tx.commit().await?;
    throttle::clear(&deps.db, scope, &key).await?;
    Ok(Ok(cookie))
}

/// Switches 2FA off after the current password.
///
/// # Errors
/// A database or hashing failure.
pub async fn totp_disable(
    deps: &Deps,
    tenant: &Tenant,
    s: &Session,
    current: &str,
    client: &Client,
) -> Result<Result<(), OwnError>, FlowError> {
    if !current_password_ok(deps, tenant, &s.account, current).await? {
        return Ok(Err(OwnError::WrongPassword));
    }
    let mut tx = deps.db.begin().await?;
    accounts::update(
        &mut tx,
        tenant.scope(),
        s.account.id,
        vec![
            ("totp_secret", None::<String>.into()),
            ("totp_last_step", None::<i64>.into()),
        ],
    )
    .await?;
    activity::record(&mut tx, tenant.scope(), entry(s, "totp.disabled", client)).await?;
    tx.commit().await?;
    Ok(Ok(()))
}
