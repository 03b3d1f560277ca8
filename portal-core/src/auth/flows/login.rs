//! Logging in: the password step, the TOTP step, logging out.
//!
//! Every failure (unknown customer, wrong e-mail, wrong password, inactive
//! account or customer, inactive main account, a locked throttle) gives the
//! same [`LoginOutcome::Failed`] after the same argon2 work. The one
//! exception the seed asks for (seed 004): an unconfirmed registration,
//! after a right password, hears that it must confirm first.

use sea_query::{Expr, ExprTrait};

use super::{Client, FlowError, identity_key};
use crate::auth::accounts::{self, Identity};
use crate::auth::activity::{self, Entry};
use crate::auth::device::Device;
use crate::auth::flows::Deps;
use crate::auth::password::Verified;
use crate::auth::session::{self, Session, Stage};
use crate::auth::settings::AuthSettings;
use crate::auth::{throttle, totp};
use crate::tenant::Tenant;

/// What a login attempt gave.
#[derive(Debug)]
pub enum LoginOutcome {
    /// A new session (the cookie value); at the TOTP step when `needs_totp`.
    /// `account` is who logged in, for the browser's device cookie.
    Session {
        cookie: String,
        needs_totp: bool,
        account: i64,
    },
    /// Right password, but the registration is not confirmed yet.
    Unconfirmed,
    Failed,
}

/// The password step. `device` is the browser's verified device cookie:
/// when it names the account typed, the attempt is counted on that
/// browser's own key, so failures from elsewhere do not hold it back
/// (ARCHITECTURE.md, "Login throttling").
///
/// # Errors
/// A database or hashing failure.
pub async fn login(
    deps: &Deps,
    tenant: &Tenant,
    who: &Identity,
    password: &str,
    client: &Client,
    device: Option<&Device>,
) -> Result<LoginOutcome, FlowError> {
    let scope = tenant.scope();
    let settings = AuthSettings::of(tenant);
    let identity = identity_key("login", settings.login_mode, who);
    let found = accounts::find_for_login(&deps.db, scope, settings.login_mode, who).await?;
    let ip = client.ip.as_deref().map(|ip| format!("ip:{ip}"));
    let keys = throttle::LoginKeys::new(identity, found.as_ref().map(|a| a.id), device, ip);
    let locked = keys.locked(&deps.db, scope).await?;
    let stored = if locked {
        None
    } else {
        found.as_ref().and_then(|a| a.password_hash.as_deref())
    };
    // Always one argon2 verify: unknown accounts take as long as known ones.
    let verified = deps.hasher.verify(password, stored).await?;
    let known = found.as_ref().map(|a| (a.id, a.customer_id));
    let account = match (verified, found) {
        (Verified::Right { rehash }, Some(a)) => Some((a, rehash)),
        _ => None,
    };
    let usable = match &account {
        Some((a, _)) => {
            a.active
                && a.customer_active
                && (a.is_main
                    || accounts::main_account_active(&deps.db, scope, a.customer_id).await?)
        }
        None => false,
    };
    let Some((a, rehash)) = account.filter(|_| usable) else {
        keys.failed(&deps.db, scope).await?;
        if let Some((user_id, customer_id)) = known {
            // The account's activity tab shows failed logins (seed 004); written
            // after the answer, so a known account answers as fast as an unknown one.
            let db = deps.db.clone();
            let ip = client.ip.clone();
            deps.background.spawn("activity", async move {
                activity::record_now(
                    &db,
                    scope,
                    activity::Entry {
                        user_id: Some(user_id),
                        customer_id: Some(customer_id),
                        actor: activity::Actor::User,
                        actor_id: Some(user_id),
                        action: "login.failed",
                        object: "",
                        detail: "",
                        ip: ip.as_deref(),
                    },
                )
                .await
            });
        }
        return Ok(LoginOutcome::Failed);
    };
    if !a.confirmed {
        return Ok(LoginOutcome::Unconfirmed);
    }
    keys.succeeded(&deps.db, scope).await?;
    let new_hash = if rehash {
        Some(deps.hasher.hash(password).await?)
    } else {
        None
    };
    let needs_totp = a.totp_enabled();
    let mut tx = deps.db.begin().await?;
    if let Some(h) = new_hash {
        accounts::update(&mut tx, scope, a.id, vec![("password_hash", h.into())]).await?;
    }
    let stage = if needs_totp { Stage::Totp } else { Stage::Full };
    // A first-step session lives only long enough to type a code.
    let lifetime = if needs_totp {
        chrono::Duration::minutes(10)
    } else {
        settings.session_absolute
    };
    let cookie = session::create(
        &mut tx,
        scope,
        a.id,
        stage,
        lifetime,
        client.ip.as_deref(),
        client.user_agent.as_deref(),
    )
    .await?;
    activity::record(
        &mut tx,
        scope,
        Entry::by_user(
            &a,
            if needs_totp {
                "login.password"
            } else {
                "login"
            },
            client.ip.as_deref(),
        ),
    )
    .await?;
    tx.commit().await?;
    Ok(LoginOutcome::Session {
        cookie,
        needs_totp,
        account: a.id,
    })
}

/// What the TOTP step gave.
#[derive(Debug)]
pub enum TotpOutcome {
    /// Logged in: a new session id (the one of the password step is gone).
    Session {
        cookie: String,
    },
    Wrong,
}

/// The TOTP step of a session at [`Stage::Totp`].
///
/// # Errors
/// A database failure.
pub async fn login_totp(
    deps: &Deps,
    tenant: &Tenant,
    s: &Session,
    code: &str,
    client: &Client,
) -> Result<TotpOutcome, FlowError> {
    let scope = tenant.scope();
    let a = &s.account;
    let key = format!("totp:{}", a.id);
    let Some(secret) = a.totp_secret.as_deref() else {
        return Ok(TotpOutcome::Wrong);
    };
    let step = if throttle::locked(&deps.db, scope, &key).await? {
        None
    } else {
        totp::check(
            secret,
            code,
            totp::now_secs(),
            // As stored now: a kept session's copy may be older (writing
            // it changes no version a kept session is checked by, 0015).
            accounts::by_id(&deps.db, scope, a.id)
                .await?
                .and_then(|now| now.totp_last_step),
        )
    };
    let wrong = async || -> Result<TotpOutcome, FlowError> {
        throttle::hit(&deps.db, scope, &key, throttle::TOTP).await?;
        activity::record_now(
            &deps.db,
            scope,
            Entry::by_user(a, "login.totp_failed", client.ip.as_deref()),
        )
        .await?;
        Ok(TotpOutcome::Wrong)
    };
    let Some(step) = step else {
        return wrong().await;
    };
    let mut tx = deps.db.begin().await?;
    if !use_step(&mut tx, tenant, a.id, step).await? {
        // Another request used this code between the check and here: a
        // used code, counted as a wrong one (also when it was the same
        // visitor's second click: one strike more, logged).
        drop(tx);
        return wrong().await;
    }
    session::end_in(&mut tx, scope, s.id).await?;
    let cookie = session::create(
        &mut tx,
        scope,
        a.id,
        Stage::Full,
        AuthSettings::of(tenant).session_absolute,
        client.ip.as_deref(),
        client.user_agent.as_deref(),
    )
    .await?;
    activity::record(
        &mut tx,
        scope,
        Entry {
            detail: "2FA",
            ..Entry::by_user(a, "login", client.ip.as_deref())
        },
    )
    .await?;
    tx.commit().await?;
    throttle::clear(&deps.db, scope, &key).await?;
    Ok(TotpOutcome::Session { cookie })
}

/// Records `step` as the account's last used TOTP step, only if it is newer
/// than the stored one: of two requests with one code, one wins.
///
/// # Errors
/// A database failure.
pub async fn use_step(
    tx: &mut crate::db::Tx,
    tenant: &Tenant,
    user_id: i64,
    step: i64,
) -> Result<bool, FlowError> {
    let q = tenant
        .scope()
        .update("core_users")
        .value("totp_last_step", step)
        .and_where(Expr::col("id").eq(user_id))
        .and_where(
            Expr::col("totp_last_step")
                .is_null()
                .or(Expr::col("totp_last_step").lt(step)),
        )
        .to_owned();
    Ok(tx.execute(&q).await? == 1)
}

/// Ends a session (logout).
///
/// # Errors
/// A database failure.
pub async fn logout(deps: &Deps, tenant: &Tenant, s: &Session) -> Result<(), FlowError> {
    let mut tx = deps.db.begin().await?;
    session::end_in(&mut tx, tenant.scope(), s.id).await?;
    activity::record(
        &mut tx,
        tenant.scope(),
        Entry::by_user(&s.account, "logout", None),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}
