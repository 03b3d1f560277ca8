//! Links by mail: password reset (and the invitation's first password),
//! registration with its confirmation, and resending that confirmation.
//!
//! A request for a link answers the same whether or not the account
//! exists, and is throttled per account and per address; the mail goes
//! through the outbox, never inside the request (SECURITY.md 12, 18).

use super::{
    Client, FlowError, account_values, context_words, duration_text, identity_key, link, mail_lang,
    policy, queue,
};

use crate::auth::accounts::{self, Account, Identity, LoginMode, NewAccount, normalize};
use crate::auth::activity::{self, Actor, Entry};
use crate::auth::flows::Deps;
use crate::auth::password::PolicyError;
use crate::auth::settings::AuthSettings;
use crate::auth::throttle;
use crate::auth::tokens::{self, LinkState, Purpose};
use crate::tenant::Tenant;

/// True when this request for a link may go ahead (counts it).
async fn link_allowed(
    deps: &Deps,
    tenant: &Tenant,
    account_key: &str,
    client: &Client,
) -> Result<bool, FlowError> {
    let scope = tenant.scope();
    let mut ok = !throttle::hit(&deps.db, scope, account_key, throttle::LINK_ACCOUNT).await?;
    if let Some(ip) = &client.ip {
        ok &= !throttle::hit(
            &deps.db,
            scope,
            &format!("link-ip:{ip}"),
            throttle::LINK_ADDRESS,
        )
        .await?;
    }
    Ok(ok)
}

/// Queues a link mail (`auth.reset` or `auth.invite`) for an account inside `tx`.
///
/// # Errors
/// A database or template failure.
pub async fn queue_password_link(
    deps: &Deps,
    tx: &mut crate::db::Tx,
    tenant: &Tenant,
    a: &Account,
    purpose: Purpose,
) -> Result<(), FlowError> {
    let link = prepare_password_link(deps, tenant, a, purpose).await?;
    store_password_link(deps, tx, tenant, a, &link).await
}

/// A password link with its mail rendered, not stored yet.
pub struct PreparedLink {
    token: String,
    purpose: Purpose,
    valid: chrono::Duration,
    /// `None` when the account has no address to send to (the unused link
    /// then expires).
    mail: Option<crate::mail::outbox::NewMail>,
}

/// Makes a password link and renders its mail, outside any transaction
/// (the template's render never holds the write lock).
///
/// # Errors
/// A database or template failure.
pub async fn prepare_password_link(
    deps: &Deps,
    tenant: &Tenant,
    a: &Account,
    purpose: Purpose,
) -> Result<PreparedLink, FlowError> {
    let settings = AuthSettings::of(tenant);
    let (valid, key, path) = match purpose {
        Purpose::Invite => (settings.invite_valid, "auth.invite", "/password/set/"),
        _ => (settings.reset_valid, "auth.reset", "/password/reset/"),
    };
    let token = crate::auth::new_secret();
    let url = link(deps, tenant, &format!("{path}{token}"));
    let login = a.login_name(settings.login_mode).to_string();
    let values = account_values(tenant, a)
        .text("link.url", url.as_str())
        .text("link.valid_for", duration_text(valid, mail_lang(tenant, a)))
        .formatted(
            "user.links_set_password_formatted",
            format!(
                "<p><strong>{}</strong><br><a href=\"{}\">{}</a></p>",
                escape(&login),
                escape(&url),
                escape(&url)
            ),
            format!("{login}\n{url}"),
        );
    // A module may own this account's mail (seed 003's dossier mails).
    let cx = crate::module::AccountMailCx {
        db: &deps.db,
        tenant,
        account: a,
        purpose: if purpose == Purpose::Invite {
            "invite"
        } else {
            "reset"
        },
        login: &login,
        url: &url,
        values: &values,
    };
    let (key, to, values) = match deps.mailer.account_mail(&cx).await? {
        Some(mail) => match mail.to {
            Some(to) => (mail.key, Some(to), mail.values),
            None if a.email.trim().is_empty() => (mail.key, None, mail.values),
            None => (
                mail.key,
                Some(super::recipient(tenant, a, &a.email)),
                mail.values,
            ),
        },
        // A contact person without portal access has no address to send to.
        None if a.email.trim().is_empty() => (key, None, values),
        None => (key, Some(super::recipient(tenant, a, &a.email)), values),
    };
    let mail = match to {
        Some(to) => Some(
            deps.mailer
                .prepare(&deps.db, tenant, key, &to, &values)
                .await?,
        ),
        None => None,
    };
    Ok(PreparedLink {
        token,
        purpose,
        valid,
        mail,
    })
}

/// Stores a prepared link (ending the account's earlier ones of its kind)
/// and queues its mail inside `tx`.
///
/// # Errors
/// A database failure.
pub async fn store_password_link(
    deps: &Deps,
    tx: &mut crate::db::Tx,
    tenant: &Tenant,
    a: &Account,
    link: &PreparedLink,
) -> Result<(), FlowError> {
    tokens::issue_this(
        tx,
        tenant.scope(),
        a.id,
        link.purpose,
        link.valid,
        &link.token,
    )
    .await?;
    if let Some(mail) = &link.mail {
        deps.mailer.enqueue_prepared(tx, tenant, mail).await?;
    }
    Ok(())
}

/// Text made safe inside HTML, also in an attribute.
pub(crate) fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
        .replace('\'', "&#x27;")
}

/// "Forgot password": mails a reset link when `who` names an active
/// account. Answers nothing either way, and answers before the lookup: the
/// work runs in the background.
///
/// # Errors
/// A database failure (the throttle).
pub async fn request_reset(
    deps: &Deps,
    tenant: &Tenant,
    who: &Identity,
    client: &Client,
) -> Result<(), FlowError> {
    let settings = AuthSettings::of(tenant);
    let key = identity_key("link", settings.login_mode, who);
    if !link_allowed(deps, tenant, &key, client).await? {
        return Ok(());
    }
    let work = reset_work(deps.clone(), tenant.clone(), who.clone(), client.clone());
    deps.background.spawn("auth.reset", work);
    Ok(())
}

async fn reset_work(
    deps: Deps,
    tenant: Tenant,
    who: Identity,
    client: Client,
) -> Result<(), FlowError> {
    let scope = tenant.scope();
    let mode = AuthSettings::of(&tenant).login_mode;
    let Some(a) = accounts::find_for_login(&deps.db, scope, mode, &who).await? else {
        return Ok(());
    };
    // Seed 002: an extra account works only while its main account is active.
    let usable = a.active
        && a.customer_active
        && (a.is_main || accounts::main_account_active(&deps.db, scope, a.customer_id).await?);
    if !usable {
        return Ok(());
    }
    // Rendered before the transaction: an anonymous request never holds
    // the write lock while a (tenant-written) template renders.
    let link = prepare_password_link(&deps, &tenant, &a, Purpose::Reset).await?;
    let mut tx = deps.db.begin().await?;
    store_password_link(&deps, &mut tx, &tenant, &a, &link).await?;
    activity::record(
        &mut tx,
        scope,
        Entry::by_user(&a, "password.reset_requested", client.ip.as_deref()),
    )
    .await?;
    tx.commit().await?;
    deps.mailer.wake();
    Ok(())
}

/// Why a password link was not used.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LinkError {
    /// Expired, used or replaced: offer a new one.
    Spent,
    /// The customer number and e-mail typed on the page do not belong to the
    /// link's account (seed 000 asks them again).
    IdentityMismatch,
    Policy(PolicyError),
}

/// The account a password link belongs to, while it is valid.
///
/// # Errors
/// A database failure.
pub async fn link_account(
    deps: &Deps,
    tenant: &Tenant,
    purpose: Purpose,
    token: &str,
) -> Result<Option<Account>, FlowError> {
    match tokens::peek(&deps.db, tenant.scope(), purpose, token).await? {
        LinkState::Valid { user_id } => {
            Ok(accounts::by_id(&deps.db, tenant.scope(), user_id).await?)
        }
        LinkState::Spent | LinkState::Unknown => Ok(None),
    }
}

/// What a visitor sends on a reset or invitation link's page.
#[derive(Debug, Clone, Copy)]
pub struct PasswordLink<'a> {
    pub purpose: Purpose,
    pub token: &'a str,
    /// The customer number and e-mail asked again (`customer_number_email` mode).
    pub who: Option<&'a Identity>,
    pub password: &'a str,
    pub repeat: &'a str,
}

/// Sets a password through a reset or invitation link. The link is used
/// up only when the new password is accepted. Ends every session of the
/// account and, for a reset, mails the user that the password changed.
/// Two-factor authentication stays as it was (SECURITY.md 9).
///
/// # Errors
/// A database, hashing or template failure.
pub async fn complete_password_link(
    deps: &Deps,
    tenant: &Tenant,
    form: PasswordLink<'_>,
    client: &Client,
) -> Result<Result<Account, LinkError>, FlowError> {
    let PasswordLink {
        purpose,
        token,
        who,
        password: new_password,
        repeat,
    } = form;
    let scope = tenant.scope();
    let settings = AuthSettings::of(tenant);
    let Some(a) = link_account(deps, tenant, purpose, token).await? else {
        return Ok(Err(LinkError::Spent));
    };
    if settings.login_mode == LoginMode::CustomerNumberEmail {
        let matches = who.is_some_and(|w| {
            w.customer_number.trim() == a.customer_number
                && normalize(&w.login) == normalize(&a.email)
        });
        if !matches {
            return Ok(Err(LinkError::IdentityMismatch));
        }
    }
    if let Err(e) = policy(&settings).check_pair(new_password, repeat, &context_words(tenant, &a)) {
        return Ok(Err(LinkError::Policy(e)));
    }
    let hash = deps.hasher.hash(new_password).await?;
    let mut tx = deps.db.begin().await?;
    if tokens::redeem(&mut tx, scope, purpose, token).await? != Some(a.id) {
        return Ok(Err(LinkError::Spent));
    }
    // The link proved the mailbox.
    super::store_password(&mut tx, scope, a.id, hash, true, None).await?;
    if purpose == Purpose::Reset {
        let values = account_values(tenant, &a).text("change.time", change_time());
        queue(
            deps,
            &mut tx,
            tenant,
            "auth.password_changed",
            &a,
            &a.email,
            &values,
        )
        .await?;
    }
    activity::record(
        &mut tx,
        scope,
        Entry::by_user(
            &a,
            if purpose == Purpose::Invite {
                "password.set"
            } else {
                "password.reset"
            },
            client.ip.as_deref(),
        ),
    )
    .await?;
    tx.commit().await?;
    deps.mailer.wake();
    // The link proved the owner: failures typed by others no longer hold
    // the account back (finding 2 of the outside-in test, in part).
    for who in typed_identities(settings.login_mode, &a) {
        throttle::clear(
            &deps.db,
            scope,
            &super::identity_key("login", settings.login_mode, &who),
        )
        .await?;
    }
    Ok(Ok(a))
}

/// What someone may type to log in to `a` in `mode`.
fn typed_identities(mode: LoginMode, a: &Account) -> Vec<Identity> {
    let id = |customer_number: &str, login: &str| Identity {
        customer_number: customer_number.to_string(),
        login: login.to_string(),
    };
    match mode {
        LoginMode::Email => vec![id("", &a.email)],
        LoginMode::CustomerNumberEmail => vec![id(&a.customer_number, &a.email)],
        LoginMode::Username => {
            let mut v = vec![id("", &a.email)];
            if let Some(u) = &a.username {
                v.push(id("", u));
            }
            v
        }
    }
}

/// The moment of a change as mails show it.
pub fn change_time() -> String {
    chrono::Utc::now().format("%d-%m-%Y %H:%M UTC").to_string()
}

/// Why a registration form was refused (about the input itself, never
/// about whether the customer or account exists).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RegisterError {
    CustomerNumber,
    Email,
    Policy(PolicyError),
}

/// What a visitor registers with (seed 004).
#[derive(Debug, Clone, Default)]
pub struct Registration {
    pub customer_number: String,
    pub email: String,
    pub password: String,
    pub repeat: String,
}

/// Everything wrong with a registration form, each field once (the form
/// shows them all at once).
pub fn check_registration(tenant: &Tenant, r: &Registration) -> Vec<RegisterError> {
    let settings = AuthSettings::of(tenant);
    let mut errors = Vec::new();
    let number = r.customer_number.trim();
    if number.is_empty() || number.len() > 64 {
        errors.push(RegisterError::CustomerNumber);
    }
    if !accounts::valid_email(&r.email) {
        errors.push(RegisterError::Email);
    }
    let mut context = vec![
        tenant.name.as_str(),
        tenant.code.as_str(),
        number,
        r.email.trim(),
    ];
    if let Some(local) = r.email.split('@').next() {
        context.push(local);
    }
    if let Err(e) = policy(&settings).check_pair(&r.password, &r.repeat, &context) {
        errors.push(RegisterError::Policy(e));
    }
    errors
}

/// Registration with a customer number and an e-mail of choice. Creates
/// an unconfirmed account and mails the confirmation link, only when the
/// customer exists, is active and has no portal account yet (a customer
/// number alone must not open someone else's account); answers the same
/// in every case.
///
/// # Errors
/// A database, hashing or template failure.
pub async fn register(
    deps: &Deps,
    tenant: &Tenant,
    r: &Registration,
    client: &Client,
) -> Result<Result<(), RegisterError>, FlowError> {
    if let Some(e) = check_registration(tenant, r).into_iter().next() {
        return Ok(Err(e));
    }
    let settings = AuthSettings::of(tenant);
    let number = r.customer_number.trim();
    // The hash costs the same whatever happens next.
    let hash = deps.hasher.hash(&r.password).await?;
    let who = Identity {
        customer_number: number.to_string(),
        login: r.email.clone(),
    };
    if !link_allowed(
        deps,
        tenant,
        &identity_key("register", settings.login_mode, &who),
        client,
    )
    .await?
    {
        return Ok(Ok(()));
    }
    let work = register_work(deps.clone(), tenant.clone(), who, hash, client.clone());
    deps.background.spawn("auth.register", work);
    Ok(Ok(()))
}

/// The part of a registration that depends on whether the customer exists.
async fn register_work(
    deps: Deps,
    tenant: Tenant,
    who: Identity,
    hash: String,
    client: Client,
) -> Result<(), FlowError> {
    let (deps, tenant, client) = (&deps, &tenant, &client);
    let settings = AuthSettings::of(tenant);
    let number = who.customer_number.as_str();
    let email = who.login.trim();
    let scope = tenant.scope();
    let Some(customer) = accounts::customer_by_number(&deps.db, scope, number).await? else {
        return Ok(());
    };
    if !customer.active
        || !accounts::list(&deps.db, scope, Some(customer.id))
            .await?
            .is_empty()
        || accounts::email_taken(
            &deps.db,
            scope,
            settings.login_mode,
            Some(customer.id),
            email,
            None,
        )
        .await?
    {
        return Ok(());
    }
    let mut tx = deps.db.begin().await?;
    // Two registrations for one customer at once: the customer row is
    // locked (PostgreSQL; SQLite writes one at a time anyway) and the check
    // repeated, so exactly one account comes of it.
    if !accounts::lock_customer_without_accounts(&mut tx, scope, customer.id).await? {
        return Ok(());
    }
    let new = NewAccount {
        customer_id: customer.id,
        email: email.to_string(),
        username: (settings.login_mode == LoginMode::Username).then(|| email.to_string()),
        display_name: String::new(),
        lang: None,
        is_main: true,
        active: true,
        confirmed: false,
        password_hash: Some(hash),
        ..Default::default()
    };
    let id = match accounts::insert(&mut tx, scope, &new).await {
        Ok(id) => id,
        // Taken meanwhile (a user name in use): the same answer.
        Err(accounts::AccountError::Db(e)) => return Err(e.into()),
        Err(_) => return Ok(()),
    };
    let Some(a) = accounts::by_id_in(&mut tx, scope, id).await? else {
        return Ok(());
    };
    queue_confirmation(deps, &mut tx, tenant, &a).await?;
    activity::record(
        &mut tx,
        scope,
        Entry::by_user(&a, "registered", client.ip.as_deref()),
    )
    .await?;
    tx.commit().await?;
    deps.mailer.wake();
    Ok(())
}

async fn queue_confirmation(
    deps: &Deps,
    tx: &mut crate::db::Tx,
    tenant: &Tenant,
    a: &Account,
) -> Result<(), FlowError> {
    let link = prepare_confirmation(deps, tenant, a).await?;
    store_password_link(deps, tx, tenant, a, &link).await
}

/// A registration's confirmation link with its mail rendered, outside any
/// transaction.
async fn prepare_confirmation(
    deps: &Deps,
    tenant: &Tenant,
    a: &Account,
) -> Result<PreparedLink, FlowError> {
    let valid = AuthSettings::of(tenant).confirm_valid;
    let token = crate::auth::new_secret();
    let values = account_values(tenant, a)
        .text(
            "link.url",
            link(deps, tenant, &format!("/register/confirm/{token}")),
        )
        .text("link.valid_for", duration_text(valid, mail_lang(tenant, a)));
    let mail = if a.email.trim().is_empty() {
        None
    } else {
        let to = super::recipient(tenant, a, &a.email);
        Some(
            deps.mailer
                .prepare(&deps.db, tenant, "auth.confirm", &to, &values)
                .await?,
        )
    };
    Ok(PreparedLink {
        token,
        purpose: Purpose::Confirm,
        valid,
        mail,
    })
}

/// Sends the confirmation mail again (the button on the "not confirmed
/// yet" message). Answers nothing either way; throttled.
///
/// # Errors
/// A database or template failure.
pub async fn resend_confirmation(
    deps: &Deps,
    tenant: &Tenant,
    who: &Identity,
    client: &Client,
) -> Result<(), FlowError> {
    let settings = AuthSettings::of(tenant);
    if !link_allowed(
        deps,
        tenant,
        &identity_key("link", settings.login_mode, who),
        client,
    )
    .await?
    {
        return Ok(());
    }
    let work = resend_work(deps.clone(), tenant.clone(), who.clone());
    deps.background.spawn("auth.resend", work);
    Ok(())
}

async fn resend_work(deps: Deps, tenant: Tenant, who: Identity) -> Result<(), FlowError> {
    let scope = tenant.scope();
    let mode = AuthSettings::of(&tenant).login_mode;
    let Some(a) = accounts::find_for_login(&deps.db, scope, mode, &who).await? else {
        return Ok(());
    };
    if a.confirmed || !a.active {
        return Ok(());
    }
    // Rendered before the transaction, as the reset link is: an anonymous
    // request never holds the write lock while a template renders.
    let link = prepare_confirmation(&deps, &tenant, &a).await?;
    let mut tx = deps.db.begin().await?;
    store_password_link(&deps, &mut tx, &tenant, &a, &link).await?;
    tx.commit().await?;
    deps.mailer.wake();
    Ok(())
}

/// Confirms a registration through its link; false when the link is spent.
///
/// # Errors
/// A database failure.
pub async fn confirm(
    deps: &Deps,
    tenant: &Tenant,
    token: &str,
    client: &Client,
) -> Result<bool, FlowError> {
    let scope = tenant.scope();
    let mut tx = deps.db.begin().await?;
    let Some(user_id) = tokens::redeem(&mut tx, scope, Purpose::Confirm, token).await? else {
        return Ok(false);
    };
    accounts::update(&mut tx, scope, user_id, vec![("confirmed", true.into())]).await?;
    activity::record(
        &mut tx,
        scope,
        Entry {
            user_id: Some(user_id),
            customer_id: None,
            actor: Actor::User,
            actor_id: Some(user_id),
            action: "registration.confirmed",
            object: "",
            detail: "",
            ip: client.ip.as_deref(),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(true)
}
