//! Contact persons and personal data (seed 001) and extra accounts with
//! their rights (seed 002), as the customer's own admin changes them.
//!
//! Every change asks for the acting user's current portal password (seed
//! 001: "bevestig deze met uw klantportal wachtwoord"), is limited to the
//! acting user's own organisation (a person of another customer is not
//! found), and is written to the activity log. A changed login e-mail gets
//! a confirmation at the old and the new address.

use std::collections::BTreeMap;

use sea_query::{Expr, ExprTrait};

use super::edit_policy::{FieldGroup, PersonEditable};
use super::portal_changes::{self as changes, Subject};
use super::{Access, Role, Roles, load};
use crate::auth::accounts::{self, Account, AccountError, LoginMode, NewAccount, normalize};
use crate::auth::activity::{self, By, Entry};
use crate::auth::flows::Deps;
use crate::auth::flows::links::queue_password_link;
use crate::auth::flows::{FlowError, context_words, own, policy, staff};
use crate::auth::settings::AuthSettings;
use crate::auth::tokens::Purpose;
use crate::auth::{session, tokens};
use crate::tenant::Tenant;

/// What is wrong with a field; the page translates it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FieldError {
    /// A text key (`people-error-...`).
    Key(&'static str),
    /// The password the admin chose breaks the tenant's policy.
    Policy(crate::auth::password::PolicyError),
}

/// Field name -> what is wrong with it.
pub type FieldErrors = BTreeMap<&'static str, FieldError>;

/// The genders the form offers (seed 001 "Geslacht").
pub const GENDERS: &[&str] = &["female", "male", "other"];

/// A contact person as the admin's form gives it.
#[derive(Debug, Clone, Default)]
pub struct PersonInput {
    pub first_name: String,
    pub last_name: String,
    pub gender: String,
    pub phone: String,
    /// "Inloggen | E-mail portaltoegang".
    pub email: String,
    /// The login name, in the tenant's `username` mode (seed 002).
    pub username: String,
    pub admin: bool,
    pub employee: bool,
    pub employee_plus: bool,
    pub active: bool,
    /// A password the admin sets, where the tenant allows it (seed 002);
    /// empty: the person gets an invitation.
    pub password: String,
    pub repeat: String,
    /// False records a contact person without portal access (seed 001):
    /// no login e-mail, no invitation.
    pub portal_access: bool,
}

fn text_ok(s: &str, max: usize) -> bool {
    s.chars().count() <= max && !s.chars().any(char::is_control)
}

/// Checks the fields every form has: names, gender, phone, e-mail.
fn check_person(p: &PersonInput, errors: &mut FieldErrors) {
    for (field, value) in [("first_name", &p.first_name), ("last_name", &p.last_name)] {
        if value.trim().is_empty() {
            errors.insert(field, FieldError::Key("people-error-required"));
        } else if !text_ok(value, 100) {
            errors.insert(field, FieldError::Key("people-error-too-long"));
        }
    }
    if !GENDERS.contains(&p.gender.as_str()) {
        errors.insert("gender", FieldError::Key("people-error-gender"));
    }
    if !text_ok(&p.phone, 40) {
        errors.insert("phone", FieldError::Key("people-error-too-long"));
    }
    if p.portal_access && !accounts::valid_email(&p.email) {
        errors.insert("email", FieldError::Key("people-error-email"));
    }
}

/// The roles the form chose: at least one; Medewerker+ only together with
/// Medewerker (seed 001: "dient u alleen aan te zetten als u ook de optie
/// Medewerker klantportal aan zet").
fn check_roles(p: &PersonInput, errors: &mut FieldErrors) -> Roles {
    if p.employee_plus && !p.employee {
        errors.insert(
            "employee_plus",
            FieldError::Key("people-error-plus-needs-employee"),
        );
    }
    if !p.admin && !p.employee {
        errors.insert("roles", FieldError::Key("people-error-no-role"));
    }
    let mut roles = Vec::new();
    if p.admin {
        roles.push(Role::Admin);
    }
    if p.employee {
        roles.push(Role::Employee);
    }
    if p.employee_plus && p.employee {
        roles.push(Role::EmployeePlus);
    }
    Roles::new(roles)
}

fn display_name(p: &PersonInput) -> String {
    format!("{} {}", p.first_name.trim(), p.last_name.trim())
}

fn log_entry<'a>(target: &Account, by: &'a By, action: &'a str, detail: &'a str) -> Entry<'a> {
    Entry {
        detail,
        ..Entry::on(target, by, action)
    }
}

fn roles_text(r: &Roles) -> String {
    r.iter()
        .map(super::Role::code)
        .collect::<Vec<_>>()
        .join(",")
}

/// Adds an error when `email` is in use by another account (`except`) in
/// the tenant's login mode.
async fn check_email_free(
    deps: &Deps,
    tenant: &Tenant,
    customer_id: i64,
    email: &str,
    except: Option<i64>,
    errors: &mut FieldErrors,
) -> Result<(), FlowError> {
    let mode = AuthSettings::of(tenant).login_mode;
    if !errors.contains_key("email")
        && accounts::email_taken(
            &deps.db,
            tenant.scope(),
            mode,
            Some(customer_id),
            email,
            except,
        )
        .await?
    {
        errors.insert("email", FieldError::Key("people-error-email-taken"));
    }
    Ok(())
}

/// True when `access` administers its organisation (Beheerder).
pub fn is_admin(access: &Access) -> bool {
    access.roles.has(Role::Admin)
}

/// A person of the admin's own organisation, or `None` (also for a person
/// of another customer or tenant: the page answers 404 alike).
///
/// # Errors
/// A database failure.
pub async fn person_of(
    deps: &Deps,
    tenant: &Tenant,
    access: &Access,
    id: i64,
) -> Result<Option<Account>, FlowError> {
    Ok(accounts::by_id(&deps.db, tenant.scope(), id)
        .await?
        .filter(|a| a.customer_id == access.customer_id))
}

/// Adds a contact person (an extra account of the admin's organisation)
/// and sends the invitation (seed 001), or sets the password the admin
/// chose where the tenant allows it (seed 002).
///
/// # Errors
/// `Ok(Err(_))` for input the admin must correct; `Err` for a failure.
pub async fn add(
    deps: &Deps,
    tenant: &Tenant,
    me: &Account,
    current_password: &str,
    p: &PersonInput,
    ip: Option<String>,
) -> Result<Result<Account, FieldErrors>, FlowError> {
    let settings = AuthSettings::of(tenant);
    let scope = tenant.scope();
    let mut errors = FieldErrors::new();
    let no_access;
    let p = if p.portal_access {
        p
    } else {
        no_access = PersonInput {
            email: String::new(),
            username: String::new(),
            password: String::new(),
            repeat: String::new(),
            ..p.clone()
        };
        &no_access
    };
    check_person(p, &mut errors);
    let roles = check_roles(p, &mut errors);
    let username = match settings.login_mode {
        LoginMode::Username if p.portal_access => {
            let u = p.username.trim();
            if u.is_empty() {
                errors.insert("username", FieldError::Key("people-error-required"));
            } else if !text_ok(u, 128) {
                errors.insert("username", FieldError::Key("people-error-too-long"));
            }
            Some(u.to_string())
        }
        _ => None,
    };
    let set_password = settings.customer_set_password && !p.password.is_empty();
    if set_password
        && let Err(e) =
            policy(&settings).check_pair(&p.password, &p.repeat, &context_words(tenant, me))
    {
        errors.insert("password", FieldError::Policy(e));
    }
    if !errors.is_empty() {
        return Ok(Err(errors));
    }
    // The password first: whether an address is in use is told only to
    // someone who proved who they are (no probing of addresses).
    if !own::current_password_ok(deps, tenant, me, current_password).await? {
        errors.insert("current", FieldError::Key("people-error-current-password"));
        return Ok(Err(errors));
    }
    if p.portal_access {
        check_email_free(deps, tenant, me.customer_id, &p.email, None, &mut errors).await?;
    }
    if !errors.is_empty() {
        return Ok(Err(errors));
    }
    let hash = if set_password {
        Some(deps.hasher.hash(&p.password).await?)
    } else {
        None
    };
    let mut tx = deps.db.begin().await?;
    let new = NewAccount {
        customer_id: me.customer_id,
        email: p.email.trim().to_string(),
        username,
        display_name: display_name(p),
        is_main: false,
        active: true,
        confirmed: true,
        password_hash: hash.clone(),
        first_name: p.first_name.clone(),
        last_name: p.last_name.clone(),
        gender: p.gender.clone(),
        phone: p.phone.clone(),
        ..NewAccount::default()
    };
    let id = match accounts::insert(&mut tx, scope, &new).await {
        Ok(id) => id,
        Err(AccountError::UsernameTaken(_)) => {
            errors.insert("username", FieldError::Key("people-error-username-taken"));
            return Ok(Err(errors));
        }
        Err(AccountError::EmailTaken(_)) => {
            errors.insert("email", FieldError::Key("people-error-email-taken"));
            return Ok(Err(errors));
        }
        Err(AccountError::BadEmail(_)) => {
            errors.insert("email", FieldError::Key("people-error-email"));
            return Ok(Err(errors));
        }
        Err(AccountError::Db(e)) => return Err(e.into()),
        Err(AccountError::Invalid(_) | AccountError::NoCustomer(_)) => {
            errors.insert("username", FieldError::Key("people-error-too-long"));
            return Ok(Err(errors));
        }
    };
    load::set_roles(&mut tx, scope, id, &roles).await?;
    let Some(a) = accounts::by_id_in(&mut tx, scope, id).await? else {
        return Err(FlowError::Db(crate::db::DbError(sqlx::Error::RowNotFound)));
    };
    if hash.is_none() {
        queue_password_link(deps, &mut tx, tenant, &a, Purpose::Invite).await?;
    }
    let by = By::user(me.id, ip);
    let detail = roles_text(&roles);
    activity::record(&mut tx, scope, log_entry(&a, &by, "contact.added", &detail)).await?;
    if hash.is_some() {
        activity::record(
            &mut tx,
            scope,
            log_entry(&a, &by, "password.set_by_admin", ""),
        )
        .await?;
    }
    tx.commit().await?;
    deps.mailer.wake();
    Ok(Ok(a))
}

/// Changes a contact person of the admin's organisation: names, gender,
/// phone, roles, active, and the login e-mail (confirmed at both addresses).
/// An admin cannot take away their own admin role or access (another admin
/// must), and the organisation's main account stays active (staff manage it).
///
/// # Errors
/// `Ok(Err(_))` for input the admin must correct; `Err` for a failure.
pub async fn update(
    deps: &Deps,
    tenant: &Tenant,
    me: &Account,
    current_password: &str,
    (target, may): (&Account, PersonEditable),
    p: &PersonInput,
    ip: Option<String>,
) -> Result<Result<(), FieldErrors>, FlowError> {
    let scope = tenant.scope();
    // A person recorded without portal access keeps it that way until
    // someone gives them a login e-mail.
    let p = &PersonInput {
        portal_access: !(target.email.trim().is_empty() && p.email.trim().is_empty()),
        ..kept(p, target, may)
    };
    let mut errors = FieldErrors::new();
    check_person(p, &mut errors);
    only_editable(&mut errors, may);
    let roles = check_roles(p, &mut errors);
    if target.id == me.id && (!roles.has(Role::Admin) || !p.active) {
        errors.insert("admin", FieldError::Key("people-error-own-admin"));
    }
    if target.is_main && !p.active {
        errors.insert("active", FieldError::Key("people-error-main-active"));
    }
    // Only the main account changes the main account (seed 002: it manages
    // the others; an e-mail is the way to a password reset, so another
    // admin could otherwise take it over). Another account's login e-mail
    // any admin may change where the tenant's policy allows it (seed 001),
    // the old and the new address both told; but the login of another
    // admin, or of an account with rights of its own (locations, child
    // customers: seed 002), only the main account changes: else an admin
    // could reset it and gain a reach the main account did not give them.
    if target.is_main && target.id != me.id {
        errors.insert("roles", FieldError::Key("people-error-main-only"));
    }
    let email_changed = normalize(&p.email) != normalize(&target.email);
    if email_changed && target.id != me.id && !me.is_main {
        let target_roles = load::roles_of(&deps.db, scope, target.id).await?;
        let rights = rights_of(deps, tenant, target.id).await?;
        if target_roles.has(Role::Admin)
            || !rights.locations.is_empty()
            || !rights.children.is_empty()
        {
            errors.insert("email", FieldError::Key("people-error-email-main-only"));
        }
    }
    if !errors.is_empty() {
        return Ok(Err(errors));
    }
    if !own::current_password_ok(deps, tenant, me, current_password).await? {
        errors.insert("current", FieldError::Key("people-error-current-password"));
        return Ok(Err(errors));
    }
    if !p.email.trim().is_empty() {
        check_email_free(
            deps,
            tenant,
            target.customer_id,
            &p.email,
            Some(target.id),
            &mut errors,
        )
        .await?;
    }
    if !errors.is_empty() {
        return Ok(Err(errors));
    }
    let by = By::user(me.id, ip);
    let old_roles = load::roles_of(&deps.db, scope, target.id).await?;
    let mut tx = deps.db.begin().await?;
    accounts::update(
        &mut tx,
        scope,
        target.id,
        vec![
            ("first_name", p.first_name.trim().into()),
            ("last_name", p.last_name.trim().into()),
            ("display_name", display_name(p).into()),
            ("gender", p.gender.clone().into()),
            ("phone", p.phone.trim().into()),
            ("active", p.active.into()),
        ],
    )
    .await?;
    if old_roles != roles {
        load::set_roles(&mut tx, scope, target.id, &roles).await?;
        let detail = roles_text(&roles);
        activity::record(
            &mut tx,
            scope,
            log_entry(target, &by, "roles.changed", &detail),
        )
        .await?;
        // SECURITY.md 24: a role change applies to live sessions at once; the
        // principal is read per request, so nothing is cached to clear.
    }
    if target.active && !p.active {
        session::end_all_for_user(&mut tx, scope, target.id, None).await?;
        tokens::revoke_all(&mut tx, scope, target.id).await?;
        activity::record(
            &mut tx,
            scope,
            log_entry(target, &by, "account.deactivated", ""),
        )
        .await?;
    } else if !target.active && p.active {
        activity::record(
            &mut tx,
            scope,
            log_entry(target, &by, "account.activated", ""),
        )
        .await?;
    }
    activity::record(
        &mut tx,
        scope,
        log_entry(target, &by, "contact.changed", ""),
    )
    .await?;
    if email_changed {
        staff::write_email(deps, &mut tx, tenant, &by, target, p.email.trim()).await?;
    }
    record_changes(&mut tx, scope, me, target, p).await?;
    tx.commit().await?;
    deps.mailer.wake();
    Ok(Ok(()))
}

/// The person input with the groups `may` does not allow put back to the
/// stored values: a form cannot change what the policy keeps.
fn kept(p: &PersonInput, stored: &Account, may: PersonEditable) -> PersonInput {
    let mut p = p.clone();
    if !may.personal {
        p.first_name.clone_from(&stored.first_name);
        p.last_name.clone_from(&stored.last_name);
        p.gender.clone_from(&stored.gender);
        p.phone.clone_from(&stored.phone);
    }
    if !may.login_email {
        p.email.clone_from(&stored.email);
    }
    p
}

/// Drops the errors of the field groups `may` keeps at their stored values:
/// the user did not enter them (a self-registered account has no names yet)
/// and cannot correct them.
fn only_editable(errors: &mut FieldErrors, may: PersonEditable) {
    if !may.personal {
        for f in ["first_name", "last_name", "gender", "phone"] {
            errors.remove(f);
        }
    }
    if !may.login_email {
        errors.remove("email");
    }
}

/// Records the portal changes of `target`'s personal data and login
/// e-mail for the back-office (`portal_changes`).
async fn record_changes(
    tx: &mut crate::db::Tx,
    scope: crate::tenant::TenantScope,
    me: &Account,
    target: &Account,
    p: &PersonInput,
) -> Result<(), FlowError> {
    let cx = changes::context_of(tx, scope, target.customer_id, Some(target), me.id).await?;
    let subject = Subject::Account {
        customer_id: target.customer_id,
        account_id: target.id,
    };
    let personal = changes::fields_of([
        (
            "first_name",
            target.first_name.as_str(),
            p.first_name.trim(),
        ),
        ("last_name", target.last_name.as_str(), p.last_name.trim()),
        ("phone", target.phone.as_str(), p.phone.trim()),
    ]);
    changes::record(tx, scope, subject, FieldGroup::Personal, personal, &cx).await?;
    let email = changes::fields_of([("email", target.email.as_str(), p.email.trim())]);
    changes::record(tx, scope, subject, FieldGroup::LoginEmail, email, &cx).await?;
    Ok(())
}

/// Personal data as the user changes their own (seed 001: every user,
/// admin or not; confirmed with the portal password).
#[derive(Debug, Clone, Default)]
pub struct OwnInput {
    pub first_name: String,
    pub last_name: String,
    pub phone: String,
    pub email: String,
}

/// Changes the user's own personal data; a new login e-mail gets a
/// confirmation at both addresses.
///
/// # Errors
/// `Ok(Err(_))` for input the user must correct; `Err` for a failure.
pub async fn update_own(
    deps: &Deps,
    tenant: &Tenant,
    me: &Account,
    current_password: &str,
    p: &OwnInput,
    may: PersonEditable,
    ip: Option<String>,
) -> Result<Result<(), FieldErrors>, FlowError> {
    let as_person = kept(
        &PersonInput {
            first_name: p.first_name.clone(),
            last_name: p.last_name.clone(),
            gender: GENDERS[0].into(),
            phone: p.phone.clone(),
            email: p.email.clone(),
            portal_access: true,
            ..PersonInput::default()
        },
        me,
        may,
    );
    let mut errors = FieldErrors::new();
    check_person(&as_person, &mut errors);
    only_editable(&mut errors, may);
    if !errors.is_empty() {
        return Ok(Err(errors));
    }
    if !own::current_password_ok(deps, tenant, me, current_password).await? {
        errors.insert("current", FieldError::Key("people-error-current-password"));
        return Ok(Err(errors));
    }
    check_email_free(
        deps,
        tenant,
        me.customer_id,
        &as_person.email,
        Some(me.id),
        &mut errors,
    )
    .await?;
    if !errors.is_empty() {
        return Ok(Err(errors));
    }
    let by = By::user(me.id, ip);
    let mut tx = deps.db.begin().await?;
    accounts::update(
        &mut tx,
        tenant.scope(),
        me.id,
        vec![
            ("first_name", as_person.first_name.trim().into()),
            ("last_name", as_person.last_name.trim().into()),
            ("display_name", display_name(&as_person).into()),
            ("phone", as_person.phone.trim().into()),
        ],
    )
    .await?;
    activity::record(
        &mut tx,
        tenant.scope(),
        log_entry(me, &by, "personal.changed", ""),
    )
    .await?;
    if normalize(&as_person.email) != normalize(&me.email) {
        staff::write_email(deps, &mut tx, tenant, &by, me, as_person.email.trim()).await?;
    }
    record_changes(&mut tx, tenant.scope(), me, me, &as_person).await?;
    tx.commit().await?;
    deps.mailer.wake();
    Ok(Ok(()))
}

/// The rights of an extra account (seed 002 "Rechten instellen"): per
/// location read and/or write, per child customer of a parent account.
#[derive(Debug, Clone, Default)]
pub struct Rights {
    /// Location id -> may write. Write implies read: a location ticked
    /// only for writing is stored as read + write.
    pub locations: BTreeMap<i64, bool>,
    pub children: Vec<i64>,
}

/// Replaces the rights of `target` (an extra account of the main account
/// `me`'s organisation), confirmed with `me_account`'s current password.
/// Only locations of `me`'s customers and only real children of its
/// customer are taken; anything else in the form is ignored.
///
/// # Errors
/// `Ok(Err(_))` for a wrong password; `Err` for a database failure.
pub async fn set_rights(
    deps: &Deps,
    tenant: &Tenant,
    (me, me_account): (&Access, &Account),
    current_password: &str,
    target: &Account,
    rights: &Rights,
    ip: Option<String>,
) -> Result<Result<(), FieldErrors>, FlowError> {
    if !own::current_password_ok(deps, tenant, me_account, current_password).await? {
        let mut errors = FieldErrors::new();
        errors.insert("current", FieldError::Key("people-error-current-password"));
        return Ok(Err(errors));
    }
    let by = By::user(me.user_id, ip);
    let customers: Vec<i64> = me.customers.iter().copied().collect();
    let mut tx = deps.db.begin().await?;
    replace_rights(
        &mut tx,
        tenant,
        &by,
        target,
        rights,
        (&customers, me.customer_id),
    )
    .await?;
    tx.commit().await?;
    Ok(Ok(()))
}

/// Replaces `target`'s location and child rights inside `tx`, taking only
/// locations of `customers` and only real children of `parent`; anything
/// else is ignored. Logged with `by`.
///
/// # Errors
/// A database failure.
pub async fn replace_rights(
    tx: &mut crate::db::Tx,
    tenant: &Tenant,
    by: &By,
    target: &Account,
    rights: &Rights,
    (customers, parent): (&[i64], i64),
) -> Result<(), crate::db::DbError> {
    let scope = tenant.scope();
    let reachable: Vec<(i64,)> = tx
        .fetch_all(
            &scope
                .select("core_locations")
                .column("id")
                .and_where(Expr::col("customer_id").is_in(customers.iter().copied()))
                .to_owned(),
        )
        .await?;
    let reachable: std::collections::BTreeSet<i64> = reachable.into_iter().map(|(i,)| i).collect();
    let children: Vec<(i64,)> = tx
        .fetch_all(
            &scope
                .select("core_customers")
                .column("id")
                .and_where(Expr::col("parent_id").eq(parent))
                .to_owned(),
        )
        .await?;
    let children: std::collections::BTreeSet<i64> = children.into_iter().map(|(i,)| i).collect();
    clear_rights(tx, scope, target.id).await?;
    let mut summary = Vec::new();
    for (loc, write) in rights
        .locations
        .iter()
        .filter(|(l, _)| reachable.contains(l))
    {
        tx.execute(
            &scope
                .insert("core_location_grants")
                .set("user_id", target.id)
                .set("location_id", *loc)
                .set("can_write", *write)
                .statement(),
        )
        .await?;
        summary.push(format!("{loc}:{}", if *write { "rw" } else { "r" }));
    }
    for child in rights.children.iter().filter(|c| children.contains(c)) {
        tx.execute(
            &scope
                .insert("core_child_grants")
                .set("user_id", target.id)
                .set("customer_id", *child)
                .statement(),
        )
        .await?;
        summary.push(format!("customer:{child}"));
    }
    let detail = summary.join(" ");
    activity::record(tx, scope, log_entry(target, by, "rights.changed", &detail)).await?;
    Ok(())
}

/// Staff set an account's roles and, for an extra account, its rights
/// per location and child customer (the same editor a customer's main
/// account has, seed 002): within the account's customer and its
/// children. Roles and rights change in one transaction, both logged.
///
/// # Errors
/// A database failure.
pub async fn staff_set_access(
    deps: &Deps,
    tenant: &Tenant,
    by: &By,
    target: &Account,
    roles: &Roles,
    rights: &Rights,
) -> Result<(), FlowError> {
    let scope = tenant.scope();
    let mut customers = vec![target.customer_id];
    let children: Vec<(i64,)> = deps
        .db
        .fetch_all(
            &scope
                .select("core_customers")
                .column("id")
                .and_where(Expr::col("parent_id").eq(target.customer_id))
                .to_owned(),
        )
        .await?;
    customers.extend(children.into_iter().map(|(c,)| c));
    let mut tx = deps.db.begin().await?;
    super::load::set_roles(&mut tx, scope, target.id, roles).await?;
    let detail = roles_text(roles);
    activity::record(
        &mut tx,
        scope,
        log_entry(target, by, "roles.changed", &detail),
    )
    .await?;
    if !target.is_main {
        replace_rights(
            &mut tx,
            tenant,
            by,
            target,
            rights,
            (&customers, target.customer_id),
        )
        .await?;
    }
    tx.commit().await?;
    Ok(())
}

/// Removes every location and child right of an account (it moved to
/// another customer, or became a main account).
///
/// # Errors
/// A database failure.
pub async fn clear_rights(
    tx: &mut crate::db::Tx,
    scope: crate::tenant::TenantScope,
    user_id: i64,
) -> Result<(), crate::db::DbError> {
    for table in ["core_location_grants", "core_child_grants"] {
        tx.execute(
            &scope
                .delete(table)
                .and_where(Expr::col("user_id").eq(user_id))
                .to_owned(),
        )
        .await?;
    }
    Ok(())
}

/// The stored rights of an account, for the rights form.
///
/// # Errors
/// A database failure.
pub async fn rights_of(deps: &Deps, tenant: &Tenant, user_id: i64) -> Result<Rights, FlowError> {
    let scope = tenant.scope();
    let locations: Vec<(i64, bool)> = deps
        .db
        .fetch_all(
            &scope
                .select("core_location_grants")
                .columns(["location_id", "can_write"])
                .and_where(Expr::col("user_id").eq(user_id))
                .to_owned(),
        )
        .await?;
    let children: Vec<(i64,)> = deps
        .db
        .fetch_all(
            &scope
                .select("core_child_grants")
                .column("customer_id")
                .and_where(Expr::col("user_id").eq(user_id))
                .to_owned(),
        )
        .await?;
    Ok(Rights {
        locations: locations.into_iter().collect(),
        children: children.into_iter().map(|(c,)| c).collect(),
    })
}
