//! The staff login: e-mail and password, then always a code. A staff
//! member without 2FA sets it up right after the password (the secret is
//! kept in the session until the first code verifies); no staff page opens
//! before that. Every failure looks the same, costs one argon2 run, and is
//! throttled per typed e-mail and per address, in the database, with the
//! customer login's device cookies ([`password`]).

use sea_query::{Expr, ExprTrait};

use super::members;
use super::session::{self, StaffSession};
use crate::auth::accounts::normalize;
use crate::auth::activity::{self, Actor, Entry};
use crate::auth::device::Device;
use crate::auth::flows::Deps;
use crate::auth::flows::{Client, FlowError};
use crate::auth::password::Verified;
use crate::auth::{hash_secret, throttle, totp};
use crate::tenant::Tenant;

/// What the password step leads to.
#[derive(Debug)]
pub enum PasswordOutcome {
    Failed,
    /// A session at the code step; the member has 2FA.
    Code {
        cookie: String,
        /// Who knew the password, for the browser's device cookie.
        member: i64,
    },
    /// A session at the code step; the member must set up 2FA first.
    Setup {
        cookie: String,
        member: i64,
    },
}

fn staff_entry<'a>(staff_id: i64, action: &'a str, ip: Option<&'a str>) -> Entry<'a> {
    Entry::tenant(Actor::Staff, Some(staff_id), action, "", ip)
}

/// The password step, throttled as the customer login is (ARCHITECTURE.md,
/// "Login throttling"): progressive delays per typed e-mail, the address
/// counting distinct e-mails, and a browser whose staff device cookie
/// (`device`) names this member counted on its own key, so wrong
/// passwords typed elsewhere cannot keep an administrator out.
///
/// # Errors
/// A database or hashing failure.
pub async fn password(
    deps: &Deps,
    tenant: &Tenant,
    email: &str,
    password: &str,
    client: &Client,
    device: Option<&Device>,
) -> Result<PasswordOutcome, FlowError> {
    let scope = tenant.scope();
    let identity = format!("staff:{}", hash_secret(&normalize(email)));
    let found = members::by_email(&deps.db, scope, email).await?;
    let ip = client.ip.as_deref().map(|ip| format!("staff-ip:{ip}"));
    let keys = throttle::LoginKeys::new(identity, found.as_ref().map(|m| m.id), device, ip);
    let locked = keys.locked(&deps.db, scope).await?;
    let stored = if locked {
        None
    } else {
        found.as_ref().and_then(|m| m.password_hash.as_deref())
    };
    let verified = deps.hasher.verify(password, stored).await?;
    let member = match (verified, found) {
        (Verified::Right { .. }, Some(m)) if m.active => m,
        (_, found) => {
            keys.failed(&deps.db, scope).await?;
            if let Some(m) = found {
                let db = deps.db.clone();
                let ip = client.ip.clone();
                deps.background.spawn("activity", async move {
                    activity::record_now(
                        &db,
                        scope,
                        staff_entry(m.id, "staff.login_failed", ip.as_deref()),
                    )
                    .await
                });
            }
            return Ok(PasswordOutcome::Failed);
        }
    };
    keys.succeeded(&deps.db, scope).await?;
    let absolute = crate::auth::AuthSettings::of(tenant).staff_session_absolute;
    let cookie = session::create(
        &deps.db,
        scope,
        member.id,
        false,
        client.ip.as_deref(),
        absolute,
    )
    .await?;
    Ok(if member.totp_secret.is_some() {
        PasswordOutcome::Code {
            cookie,
            member: member.id,
        }
    } else {
        PasswordOutcome::Setup {
            cookie,
            member: member.id,
        }
    })
}

/// The secret being set up in this session (made once, kept until it verifies).
///
/// # Errors
/// A database failure.
pub async fn setup_secret(
    deps: &Deps,
    tenant: &Tenant,
    s: &StaffSession,
) -> Result<String, FlowError> {
    if let Some(p) = &s.pending_totp {
        return Ok(p.clone());
    }
    let secret = totp::new_secret();
    session::update(
        &deps.db,
        tenant.scope(),
        s.id,
        vec![("pending_totp", secret.clone().into())],
    )
    .await?;
    Ok(secret)
}

/// The code step (or the first code of the 2FA setup). On success the
/// session is replaced by a new, full one; returns its cookie. `None` for
/// a wrong, reused or throttled code.
///
/// # Errors
/// A database failure.
pub async fn code(
    deps: &Deps,
    tenant: &Tenant,
    s: &StaffSession,
    code: &str,
    client: &Client,
) -> Result<Option<String>, FlowError> {
    let scope = tenant.scope();
    let key = format!("staff-totp:{}", s.member.id);
    if throttle::locked(&deps.db, scope, &key).await? {
        return Ok(None);
    }
    let (secret, setup) = match (&s.member.totp_secret, &s.pending_totp) {
        (Some(secret), _) => (secret.clone(), false),
        (None, Some(pending)) => (pending.clone(), true),
        (None, None) => return Ok(None),
    };
    let last = if setup { None } else { s.member.totp_last_step };
    let Some(step) = totp::check(&secret, code.trim(), totp::now_secs(), last) else {
        throttle::hit(&deps.db, scope, &key, throttle::TOTP).await?;
        return Ok(None);
    };
    // The step is used once: a conditional update, so a replay in the same
    // step (or a parallel one) finds nothing to change.
    let mut q = scope.update("core_staff");
    q.value("totp_last_step", step)
        .and_where(Expr::col("id").eq(s.member.id));
    if setup {
        q.value("totp_secret", secret.clone())
            .and_where(Expr::col("totp_secret").is_null());
    } else {
        q.and_where(
            Expr::col("totp_last_step")
                .is_null()
                .or(Expr::col("totp_last_step").lt(step)),
        );
    }
    if deps.db.execute(&q).await? != 1 {
        throttle::hit(&deps.db, scope, &key, throttle::TOTP).await?;
        return Ok(None);
    }
    throttle::clear(&deps.db, scope, &key).await?;
    session::end(&deps.db, scope, s.id).await?;
    let absolute = crate::auth::AuthSettings::of(tenant).staff_session_absolute;
    let cookie = session::create(
        &deps.db,
        scope,
        s.member.id,
        true,
        client.ip.as_deref(),
        absolute,
    )
    .await?;
    let action = if setup {
        "staff.totp_enabled"
    } else {
        "staff.login"
    };
    activity::record_now(
        &deps.db,
        scope,
        staff_entry(s.member.id, action, client.ip.as_deref()),
    )
    .await?;
    Ok(Some(cookie))
}

/// Ends the staff session (logout).
///
/// # Errors
/// A database failure.
pub async fn logout(deps: &Deps, tenant: &Tenant, s: &StaffSession) -> Result<(), FlowError> {
    session::end(&deps.db, tenant.scope(), s.id).await?;
    Ok(())
}
