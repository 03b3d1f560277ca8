//! What the tenant's staff do to portal accounts (back-office API and CLI):
//! create, invite, send a reset link, (de)activate, reset 2FA, change the
//! e-mail, delete, end sessions, and, only where the tenant allows it
//! (seed 002), set a password. Staff never see a password or a token;
//! every action is in the activity log.

use sea_query::{Expr, ExprTrait};

use super::links::queue_password_link;
use super::{FlowError, account_values, context_words, policy, queue};
use crate::auth::accounts::{self, Account, AccountError, LoginMode, NewAccount, normalize};
use crate::auth::activity::{self, By, Entry};
use crate::auth::flows::Deps;
use crate::auth::password::PolicyError;
use crate::auth::session;
use crate::auth::settings::AuthSettings;
use crate::auth::tokens::{self, Purpose};
use crate::db::Tx;
use crate::tenant::{Lang, Tenant};

/// Which mail a new account gets.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Deserialize, poem_openapi::Enum)]
#[serde(rename_all = "snake_case")]
#[oai(rename_all = "snake_case")]
pub enum Welcome {
    /// An invitation with a link to set a password (seeds 001, 003).
    Invite,
    /// A confirmation stating the customer number and e-mail; the customer
    /// sets a password through "forgot password" (seed 000).
    Created,
    /// No mail (staff send a link later, seed 002).
    None,
}

/// A new account as staff describe it.
#[derive(Debug, Clone)]
pub struct StaffNewAccount {
    pub customer_number: String,
    /// Name of the customer when it is new.
    pub customer_name: String,
    pub email: String,
    /// In `username` mode; defaults to the e-mail (seed 003).
    pub username: Option<String>,
    pub display_name: String,
    pub lang: Option<Lang>,
    /// An extra account next to the customer's main account (seed 002).
    pub extra: bool,
    pub active: bool,
    pub welcome: Welcome,
}

async fn log(
    tx: &mut Tx,
    tenant: &Tenant,
    by: &By,
    a: &Account,
    action: &str,
    detail: &str,
) -> Result<(), FlowError> {
    activity::record(
        tx,
        tenant.scope(),
        Entry {
            detail,
            ..Entry::on(a, by, action)
        },
    )
    .await?;
    Ok(())
}

/// Creates an account (and its customer when new), and sends its welcome mail.
///
/// # Errors
/// `Ok(Err(_))` for input staff must correct; `Err` for a failure.
pub async fn create_account(
    deps: &Deps,
    tenant: &Tenant,
    by: &By,
    n: &StaffNewAccount,
) -> Result<Result<Account, AccountError>, FlowError> {
    let settings = AuthSettings::of(tenant);
    let scope = tenant.scope();
    let customer = accounts::customer_by_number(&deps.db, scope, &n.customer_number).await?;
    if accounts::email_taken(
        &deps.db,
        scope,
        settings.login_mode,
        customer.map(|c| c.id),
        &n.email,
        None,
    )
    .await?
    {
        return Ok(Err(AccountError::EmailTaken(n.email.trim().to_string())));
    }
    let username = match settings.login_mode {
        LoginMode::Username => Some(
            n.username
                .clone()
                .filter(|u| !u.trim().is_empty())
                .unwrap_or_else(|| n.email.trim().to_string()),
        ),
        _ => n.username.clone().filter(|u| !u.trim().is_empty()),
    };
    let mut tx = deps.db.begin().await?;
    let customer_id =
        match accounts::upsert_customer(&mut tx, scope, &n.customer_number, &n.customer_name).await
        {
            Ok(id) => id,
            Err(AccountError::Db(e)) => return Err(e.into()),
            Err(e) => return Ok(Err(e)),
        };
    let new = NewAccount {
        customer_id,
        email: n.email.clone(),
        username,
        display_name: n.display_name.clone(),
        lang: n.lang,
        is_main: !n.extra,
        active: n.active,
        confirmed: true,
        password_hash: None,
        ..Default::default()
    };
    let id = match accounts::insert(&mut tx, scope, &new).await {
        Ok(id) => id,
        Err(AccountError::Db(e)) => return Err(e.into()),
        Err(e) => return Ok(Err(e)),
    };
    let Some(a) = accounts::by_id_in(&mut tx, scope, id).await? else {
        return Err(FlowError::Db(crate::db::DbError(sqlx::Error::RowNotFound)));
    };
    send_welcome(deps, &mut tx, tenant, &a, n.welcome).await?;
    log(&mut tx, tenant, by, &a, "account.created", "").await?;
    tx.commit().await?;
    deps.mailer.wake();
    Ok(Ok(a))
}

/// Queues a new account's welcome mail inside `tx`: an invitation link,
/// seed 000's "account created" notice, or nothing.
///
/// # Errors
/// A database or template failure.
pub async fn send_welcome(
    deps: &Deps,
    tx: &mut Tx,
    tenant: &Tenant,
    a: &Account,
    welcome: Welcome,
) -> Result<(), FlowError> {
    match welcome {
        Welcome::Invite => queue_password_link(deps, tx, tenant, a, Purpose::Invite).await?,
        Welcome::Created => {
            let values = account_values(tenant, a);
            queue(
                deps,
                tx,
                tenant,
                "auth.account_created",
                a,
                &a.email,
                &values,
            )
            .await?;
        }
        Welcome::None => {}
    }
    Ok(())
}

/// Sends an invitation (`Purpose::Invite`) or reset link to an account.
///
/// # Errors
/// A database or template failure.
pub async fn send_link(
    deps: &Deps,
    tenant: &Tenant,
    by: &By,
    a: &Account,
    purpose: Purpose,
) -> Result<(), FlowError> {
    let mut tx = deps.db.begin().await?;
    queue_password_link(deps, &mut tx, tenant, a, purpose).await?;
    log(
        &mut tx,
        tenant,
        by,
        a,
        &format!("link.{}_sent", purpose.code()),
        "",
    )
    .await?;
    tx.commit().await?;
    deps.mailer.wake();
    Ok(())
}

/// Activates or deactivates an account. Deactivating ends its sessions and
/// links at once; a main account takes its customer's extra accounts'
/// sessions with it (seed 002).
///
/// # Errors
/// A database failure.
pub async fn set_active(
    deps: &Deps,
    tenant: &Tenant,
    by: &By,
    a: &Account,
    active: bool,
) -> Result<(), FlowError> {
    let scope = tenant.scope();
    let mut tx = deps.db.begin().await?;
    accounts::update(&mut tx, scope, a.id, vec![("active", active.into())]).await?;
    if !active {
        session::end_all_for_user(&mut tx, scope, a.id, None).await?;
        tokens::revoke_all(&mut tx, scope, a.id).await?;
        if a.is_main {
            session::end_all_for_customer(&mut tx, scope, a.customer_id).await?;
        }
    }
    log(
        &mut tx,
        tenant,
        by,
        a,
        if active {
            "account.activated"
        } else {
            "account.deactivated"
        },
        "",
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Removes 2FA from an account at the user's request (seed 000) and mails them.
///
/// # Errors
/// A database or template failure.
pub async fn reset_totp(
    deps: &Deps,
    tenant: &Tenant,
    by: &By,
    a: &Account,
) -> Result<(), FlowError> {
    let mut tx = deps.db.begin().await?;
    accounts::update(
        &mut tx,
        tenant.scope(),
        a.id,
        vec![
            ("totp_secret", None::<String>.into()),
            ("totp_last_step", None::<i64>.into()),
        ],
    )
    .await?;
    let values = account_values(tenant, a);
    queue(
        deps,
        &mut tx,
        tenant,
        "auth.totp_reset",
        a,
        &a.email,
        &values,
    )
    .await?;
    log(&mut tx, tenant, by, a, "totp.reset_by_staff", "").await?;
    tx.commit().await?;
    deps.mailer.wake();
    Ok(())
}

/// Changes the account's e-mail; a confirmation goes to the old and the
/// new address (seed 000). The password stays.
///
/// # Errors
/// `Ok(Err(_))` for an address staff must correct; `Err` for a failure.
pub async fn change_email(
    deps: &Deps,
    tenant: &Tenant,
    by: &By,
    a: &Account,
    new_email: &str,
) -> Result<Result<(), AccountError>, FlowError> {
    let new_email = new_email.trim();
    if !accounts::valid_email(new_email) {
        return Ok(Err(AccountError::BadEmail(new_email.to_string())));
    }
    if normalize(new_email) == normalize(&a.email) {
        return Ok(Ok(()));
    }
    let settings = AuthSettings::of(tenant);
    let scope = tenant.scope();
    if accounts::email_taken(
        &deps.db,
        scope,
        settings.login_mode,
        Some(a.customer_id),
        new_email,
        Some(a.id),
    )
    .await?
    {
        return Ok(Err(AccountError::EmailTaken(new_email.to_string())));
    }
    let mut tx = deps.db.begin().await?;
    write_email(deps, &mut tx, tenant, by, a, new_email).await?;
    tx.commit().await?;
    deps.mailer.wake();
    Ok(Ok(()))
}

/// Changes the account's user name on the customer's request ("Aanmeldnaam",
/// seed 002/003); empty removes it where the tenant logs in by e-mail.
/// Links stay valid (they go to the e-mail address); logged.
///
/// # Errors
/// `Ok(Err(_))` for a name staff must correct (taken, too long, needed);
/// `Err` for a failure.
pub async fn change_username(
    deps: &Deps,
    tenant: &Tenant,
    by: &By,
    a: &Account,
    new_name: &str,
) -> Result<Result<(), AccountError>, FlowError> {
    let name = new_name.trim();
    if name.chars().count() > 100 || name.chars().any(char::is_control) {
        return Ok(Err(AccountError::Invalid(name.to_string())));
    }
    let settings = AuthSettings::of(tenant);
    if name.is_empty() && settings.login_mode == accounts::LoginMode::Username {
        return Ok(Err(AccountError::Invalid(String::new())));
    }
    let value = (!name.is_empty()).then(|| name.to_string());
    let mut tx = deps.db.begin().await?;
    let changed = accounts::update(
        &mut tx,
        tenant.scope(),
        a.id,
        vec![
            ("username", value.clone().into()),
            ("username_norm", value.as_deref().map(normalize).into()),
        ],
    )
    .await;
    match changed {
        Ok(_) => {}
        Err(e) if e.is_unique_violation() => {
            return Ok(Err(AccountError::UsernameTaken(name.to_string())));
        }
        Err(e) => return Err(e.into()),
    }
    log(&mut tx, tenant, by, a, "username.changed", name).await?;
    tx.commit().await?;
    Ok(Ok(()))
}

/// Writes a checked new login e-mail inside `tx`: links to the old address
/// end, both addresses get the confirmation (seed 000), and it is logged.
/// The caller commits (and wakes the mailer).
///
/// # Errors
/// A database or template failure.
pub async fn write_email(
    deps: &Deps,
    tx: &mut Tx,
    tenant: &Tenant,
    by: &By,
    a: &Account,
    new_email: &str,
) -> Result<(), FlowError> {
    let scope = tenant.scope();
    accounts::update(
        tx,
        scope,
        a.id,
        vec![
            ("email", new_email.into()),
            ("email_norm", normalize(new_email).into()),
        ],
    )
    .await?;
    // Links sent to the old address stop working.
    tokens::revoke_all(tx, scope, a.id).await?;
    // Seed 000: the main account's login is the customer's e-mail.
    if a.is_main && crate::access::login_email::follows(tenant) {
        tx.execute(
            &scope
                .update("core_customers")
                .value("email", new_email.trim())
                .value("updated_at", chrono::Utc::now())
                .and_where(Expr::col("id").eq(a.customer_id))
                .to_owned(),
        )
        .await?;
    }
    let values = account_values(tenant, a)
        .text("user.email", new_email)
        .text("email.old", a.email.as_str())
        .text("email.new", new_email);
    // Both addresses are told; a contact person who had no portal access
    // had no old address.
    for to in [a.email.as_str(), new_email]
        .into_iter()
        .filter(|to| !to.trim().is_empty())
    {
        queue(deps, tx, tenant, "auth.email_changed", a, to, &values).await?;
    }
    log(tx, tenant, by, a, "email.changed", "").await?;
    Ok(())
}

/// Why staff could not set a password.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StaffPasswordError {
    /// The tenant does not allow staff to set passwords.
    NotAllowed,
    Policy(PolicyError),
}

/// Sets a password chosen by staff: only where the tenant allows it (seed
/// 002); audited; the account's sessions end.
///
/// # Errors
/// A database or hashing failure.
pub async fn set_password(
    deps: &Deps,
    tenant: &Tenant,
    by: &By,
    a: &Account,
    password: &str,
    repeat: &str,
) -> Result<Result<(), StaffPasswordError>, FlowError> {
    let settings = AuthSettings::of(tenant);
    if !settings.staff_set_password {
        return Ok(Err(StaffPasswordError::NotAllowed));
    }
    if let Err(e) = policy(&settings).check_pair(password, repeat, &context_words(tenant, a)) {
        return Ok(Err(StaffPasswordError::Policy(e)));
    }
    let hash = deps.hasher.hash(password).await?;
    let scope = tenant.scope();
    let mut tx = deps.db.begin().await?;
    super::store_password(&mut tx, scope, a.id, hash, true, None).await?;
    log(&mut tx, tenant, by, a, "password.set_by_staff", "").await?;
    tx.commit().await?;
    Ok(Ok(()))
}

/// Deletes an account; the customer and its data stay (seed 000).
///
/// # Errors
/// A database failure.
pub async fn delete_account(
    deps: &Deps,
    tenant: &Tenant,
    by: &By,
    a: &Account,
) -> Result<(), FlowError> {
    let mut tx = deps.db.begin().await?;
    log(&mut tx, tenant, by, a, "account.deleted", &a.email).await?;
    accounts::delete(&mut tx, tenant.scope(), a.id).await?;
    tx.commit().await?;
    Ok(())
}

/// Ends every session of an account.
///
/// # Errors
/// A database failure.
pub async fn end_sessions(
    deps: &Deps,
    tenant: &Tenant,
    by: &By,
    a: &Account,
) -> Result<u64, FlowError> {
    let mut tx = deps.db.begin().await?;
    let n = session::end_all_for_user(&mut tx, tenant.scope(), a.id, None).await?;
    log(&mut tx, tenant, by, a, "sessions.ended_by_staff", "").await?;
    tx.commit().await?;
    Ok(n)
}

/// Resets a portal account (seed 004, "Account klantenportaal resetten"):
/// the password and 2FA are removed, every session and link ends, and the
/// user gets a new link to set a password. Recorded in the activity log.
///
/// # Errors
/// A database or template failure.
pub async fn reset_account(
    deps: &Deps,
    tenant: &Tenant,
    by: &By,
    a: &Account,
) -> Result<(), FlowError> {
    let scope = tenant.scope();
    let mut tx = deps.db.begin().await?;
    accounts::update(
        &mut tx,
        scope,
        a.id,
        vec![
            ("password_hash", None::<String>.into()),
            ("password_changed_at", chrono::Utc::now().into()),
            ("totp_secret", None::<String>.into()),
            ("totp_last_step", None::<i64>.into()),
        ],
    )
    .await?;
    tokens::revoke_all(&mut tx, scope, a.id).await?;
    session::end_all_for_user(&mut tx, scope, a.id, None).await?;
    queue_password_link(deps, &mut tx, tenant, a, Purpose::Reset).await?;
    log(&mut tx, tenant, by, a, "account.reset", "").await?;
    tx.commit().await?;
    deps.mailer.wake();
    Ok(())
}
