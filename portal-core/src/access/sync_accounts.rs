//! The back-office sync of portal accounts (contact persons, seed 000/001):
//! upserted by the back-office's external id, each under a customer named
//! by its external id. Idempotent: a row equal to what is stored reports
//! `unchanged` and writes nothing. Each row is checked first and then
//! written in a transaction of its own, so a refused row writes nothing
//! and never stops the others.
//!
//! A changed login e-mail gets the confirmation at the old and the new
//! address (seed 000); a deactivated account's sessions and links end at
//! once (a main account takes its customer's extra accounts along, seed
//! 002). New accounts get the call's welcome mail: none (the default for a
//! daily sync), an invitation, or seed 000's "account created" notice.

use std::collections::{HashMap, HashSet};

use sea_query::{Expr, ExprTrait};

use super::people::GENDERS;
use super::portal_changes;
use super::sync::{RowResult, RowStatus, SyncCounts, SyncReport};
use super::{Role, Roles, load};
use crate::auth::accounts::{self, Account, AccountError, NewAccount, normalize, valid_email};
use crate::auth::activity::{self, By, Entry};
use crate::auth::flows::Deps;
use crate::auth::flows::FlowError;
use crate::auth::flows::staff::{Welcome, send_welcome, write_email};
use crate::auth::session;
use crate::auth::settings::AuthSettings;
use crate::auth::tokens;
use crate::tenant::{Lang, Tenant};

/// Largest batch of one call.
pub const MAX_ACCOUNTS: usize = 5_000;

/// One portal account as the back-office sends it.
#[derive(Debug, Clone, PartialEq, Eq, Default, serde::Deserialize, poem_openapi::Object)]
pub struct AccountRow {
    /// The back-office's id of the account (contact person): the key of the upsert.
    #[oai(validator(min_length = 1, max_length = 100))]
    pub external_id: String,
    /// The customer it belongs to, by the customer's external id.
    #[oai(validator(min_length = 1, max_length = 100))]
    pub customer_external_id: String,
    /// The login e-mail ("E-mail portaltoegang"); may be empty for an
    /// account with a user name (a partner without an e-mail address).
    #[oai(validator(max_length = 254))]
    pub email: String,
    /// The login name, in the tenant's `username` login mode.
    #[oai(validator(max_length = 128))]
    pub username: Option<String>,
    #[oai(default, validator(max_length = 100))]
    #[serde(default)]
    pub first_name: String,
    #[oai(default, validator(max_length = 100))]
    #[serde(default)]
    pub last_name: String,
    /// `female`, `male`, `other` or empty.
    #[oai(default, validator(max_length = 40))]
    #[serde(default)]
    pub gender: String,
    #[oai(default, validator(max_length = 40))]
    #[serde(default)]
    pub phone: String,
    /// `admin`, `employee`, `employee_plus` (only with `employee`); absent
    /// keeps the stored roles (a new account: admin when it is the
    /// customer's first, else employee).
    #[oai(validator(max_items = 10))]
    pub roles: Option<Vec<String>>,
    /// The customer's main account (seed 002); false for an extra account.
    #[oai(default)]
    #[serde(default)]
    pub main: bool,
    #[oai(default = "yes")]
    #[serde(default = "yes")]
    pub active: bool,
    /// `nl` or `en`; absent: the tenant's language.
    #[oai(validator(max_length = 5))]
    pub lang: Option<String>,
}

fn yes() -> bool {
    true
}

fn checked_roles(r: &[String], errors: &mut Vec<String>) -> Roles {
    let mut out = Vec::new();
    for code in r {
        match Role::parse(code) {
            Some(role) => out.push(role),
            None => errors.push(format!(
                "roles: {code:?} is not a role (admin, employee, employee_plus)"
            )),
        }
    }
    if out.contains(&Role::EmployeePlus) && !out.contains(&Role::Employee) {
        errors.push("roles: employee_plus only together with employee (seed 001)".into());
    }
    if out.is_empty() && errors.is_empty() {
        errors.push("roles: at least one role".into());
    }
    Roles::new(out)
}

fn text_ok(s: &str, max: usize) -> bool {
    s.chars().count() <= max && !s.chars().any(char::is_control)
}

/// The problems of one row on its own.
fn check(row: &AccountRow) -> (Vec<String>, Option<Roles>) {
    let mut errors = Vec::new();
    if row.external_id.trim().is_empty() || !text_ok(&row.external_id, 100) {
        errors.push("external_id: 1 to 100 characters".into());
    }
    if row.customer_external_id.trim().is_empty() {
        errors.push("customer_external_id: required".into());
    }
    // Seed 003: a partner without an e-mail address has a user name only
    // (their mails go to the first client of the dossier).
    let name_only = row.email.trim().is_empty()
        && row
            .username
            .as_deref()
            .is_some_and(|u| !u.trim().is_empty());
    if !name_only && !valid_email(&row.email) {
        errors.push(format!("email: {:?} is not an e-mail address", row.email));
    }
    if let Some(u) = &row.username
        && (!text_ok(u, 128) || u.trim().is_empty())
    {
        errors.push("username: 1 to 128 characters".into());
    }
    for (field, value, max) in [
        ("first_name", &row.first_name, 100),
        ("last_name", &row.last_name, 100),
        ("phone", &row.phone, 40),
    ] {
        if !text_ok(value, max) {
            errors.push(format!(
                "{field}: at most {max} characters, no control characters"
            ));
        }
    }
    if !row.gender.is_empty() && !GENDERS.contains(&row.gender.as_str()) {
        errors.push("gender: female, male, other or empty".into());
    }
    if let Some(l) = &row.lang
        && Lang::parse(l).is_none()
    {
        errors.push("lang: nl or en".into());
    }
    let roles = row.roles.as_ref().map(|r| checked_roles(r, &mut errors));
    (errors, roles)
}

fn display_name(row: &AccountRow) -> String {
    format!("{} {}", row.first_name.trim(), row.last_name.trim())
        .trim()
        .to_string()
}

/// What a stored account would change into; empty when it is equal.
fn changes(
    a: &Account,
    row: &AccountRow,
    customer_id: i64,
) -> Vec<(&'static str, sea_query::Value)> {
    let mut v: Vec<(&'static str, sea_query::Value)> = Vec::new();
    let username = row
        .username
        .as_deref()
        .map(str::trim)
        .filter(|u| !u.is_empty());
    if a.customer_id != customer_id {
        v.push(("customer_id", customer_id.into()));
    }
    if a.username.as_deref() != username {
        v.push(("username", username.map(str::to_string).into()));
        v.push(("username_norm", username.map(normalize).into()));
    }
    for (col, stored, sent) in [
        ("first_name", &a.first_name, row.first_name.trim()),
        ("last_name", &a.last_name, row.last_name.trim()),
        ("gender", &a.gender, row.gender.trim()),
        ("phone", &a.phone, row.phone.trim()),
    ] {
        if stored != sent {
            v.push((col, sent.to_string().into()));
        }
    }
    let name = display_name(row);
    if !name.is_empty() && a.display_name != name {
        v.push(("display_name", name.into()));
    }
    if a.is_main != row.main {
        v.push(("is_main", row.main.into()));
    }
    if a.active != row.active {
        v.push(("active", row.active.into()));
    }
    if let Some(l) = row.lang.as_deref().and_then(Lang::parse)
        && a.lang() != Some(l)
    {
        v.push(("lang", l.code().to_string().into()));
    }
    v
}

/// Upserts portal accounts by external id.
///
/// # Errors
/// A database or template failure (the rows before it stay applied).
pub async fn upsert_accounts(
    deps: &Deps,
    tenant: &Tenant,
    by: &By,
    welcome: Welcome,
    rows: &[AccountRow],
) -> Result<SyncReport, FlowError> {
    let scope = tenant.scope();
    let db = &deps.db;
    let customer_ids: Vec<String> = rows
        .iter()
        .map(|r| r.customer_external_id.trim().to_string())
        .collect();
    let customers = super::sync_rows::customers_by_external_id(db, scope, &customer_ids).await?;
    let ids: Vec<String> = rows
        .iter()
        .map(|r| r.external_id.trim().to_string())
        .collect();
    let mut stored: HashMap<String, Account> = HashMap::new();
    for chunk in ids.chunks(1000) {
        let found: Vec<Account> = db
            .fetch_all_unprepared(
                &accounts::select_accounts(scope)
                    .and_where(
                        Expr::col(("core_users", "external_id")).is_in(chunk.iter().cloned()),
                    )
                    .to_owned(),
            )
            .await?;
        for a in found {
            if let Some(e) = a.external_id.clone() {
                stored.insert(e, a);
            }
        }
    }
    let mode = AuthSettings::of(tenant).login_mode;
    let open = portal_changes::open_of_tenant(db, scope).await?;
    let mut open_of: HashMap<i64, Vec<&portal_changes::OpenChange>> = HashMap::new();
    for c in &open {
        if let Some(a) = c.account_id {
            open_of.entry(a).or_default().push(c);
        }
    }
    let mut confirmed: Vec<i64> = Vec::new();
    let mut seen = HashSet::new();
    let mut report = SyncReport::default();
    let mut woke = false;
    for row in rows {
        let (mut errors, roles) = check(row);
        if !seen.insert(row.external_id.trim().to_string()) {
            errors.push("external_id: sent twice in this call".into());
        }
        let customer_id = customers.get(row.customer_external_id.trim()).copied();
        if customer_id.is_none() && !row.customer_external_id.trim().is_empty() {
            errors.push(format!(
                "customer_external_id: no customer {:?} (sync the customer first)",
                row.customer_external_id
            ));
        }
        let existing = stored.get(row.external_id.trim());
        // Fields the customer changed in the portal and the back-office has
        // not processed yet are kept, and reported.
        let mut conflicts = Vec::new();
        let mut to_confirm = Vec::new();
        let held;
        let row = match existing.and_then(|a| open_of.get(&a.id)) {
            Some(open) => {
                let mut kept = row.clone();
                let rec = portal_changes::reconcile(
                    open.iter().copied(),
                    &mut [
                        ("first_name", &mut kept.first_name),
                        ("last_name", &mut kept.last_name),
                        ("phone", &mut kept.phone),
                        ("email", &mut kept.email),
                    ],
                );
                to_confirm = rec.confirm;
                conflicts = rec.conflicts;
                held = kept;
                &held
            }
            None => row,
        };
        if errors.is_empty()
            && let Some(c) = customer_id
            && accounts::email_taken(db, scope, mode, Some(c), &row.email, existing.map(|a| a.id))
                .await?
        {
            errors.push(format!(
                "email: {:?} is already used by another account",
                row.email
            ));
        }
        let (Some(customer_id), true) = (customer_id, errors.is_empty()) else {
            report.counts.invalid += 1;
            report.rows.push(RowResult {
                external_id: row.external_id.clone(),
                status: RowStatus::Invalid,
                errors,
                conflicts: Vec::new(),
            });
            continue;
        };
        let outcome = match existing {
            None => create(deps, tenant, by, welcome, row, customer_id, roles.as_ref()).await?,
            Some(a) => update(deps, tenant, by, a, row, customer_id, roles.as_ref()).await?,
        };
        let (status, errors) = match outcome {
            Ok(status) => (status, Vec::new()),
            Err(e) => (RowStatus::Invalid, vec![e]),
        };
        woke |= matches!(status, RowStatus::Created | RowStatus::Updated);
        // Only a row that was written confirms what the portal held.
        if status != RowStatus::Invalid {
            confirmed.extend(to_confirm);
        }
        count(&mut report.counts, status);
        if !conflicts.is_empty() {
            report.counts.conflicts += 1;
        }
        report.rows.push(RowResult {
            external_id: row.external_id.clone(),
            status,
            errors,
            conflicts,
        });
    }
    if !confirmed.is_empty() {
        let mut tx = db.begin().await?;
        portal_changes::confirm(&mut tx, scope, &confirmed).await?;
        tx.commit().await?;
    }
    if woke {
        deps.mailer.wake();
    }
    Ok(report)
}

fn count(c: &mut SyncCounts, s: RowStatus) {
    match s {
        RowStatus::Created => c.created += 1,
        RowStatus::Updated => c.updated += 1,
        RowStatus::Unchanged => c.unchanged += 1,
        RowStatus::Invalid => c.invalid += 1,
    }
}

async fn create(
    deps: &Deps,
    tenant: &Tenant,
    by: &By,
    welcome: Welcome,
    row: &AccountRow,
    customer_id: i64,
    roles: Option<&Roles>,
) -> Result<Result<RowStatus, String>, FlowError> {
    let scope = tenant.scope();
    let mut tx = deps.db.begin().await?;
    let new = NewAccount {
        customer_id,
        email: row.email.trim().to_string(),
        username: row.username.clone().filter(|u| !u.trim().is_empty()),
        display_name: display_name(row),
        lang: row.lang.as_deref().and_then(Lang::parse),
        is_main: row.main,
        active: row.active,
        confirmed: true,
        password_hash: None,
        first_name: row.first_name.clone(),
        last_name: row.last_name.clone(),
        gender: row.gender.clone(),
        phone: row.phone.clone(),
        external_id: Some(row.external_id.trim().to_string()),
    };
    let id = match accounts::insert(&mut tx, scope, &new).await {
        Ok(id) => id,
        Err(AccountError::Db(e)) => return Err(e.into()),
        Err(e) => return Ok(Err(e.to_string())),
    };
    if let Some(r) = roles {
        load::set_roles(&mut tx, scope, id, r).await?;
    }
    let Some(a) = accounts::by_id_in(&mut tx, scope, id).await? else {
        return Err(FlowError::Db(crate::db::DbError(sqlx::Error::RowNotFound)));
    };
    if row.active {
        send_welcome(deps, &mut tx, tenant, &a, welcome).await?;
    }
    activity::record(&mut tx, scope, Entry::on(&a, by, "account.created")).await?;
    tx.commit().await?;
    Ok(Ok(RowStatus::Created))
}

async fn update(
    deps: &Deps,
    tenant: &Tenant,
    by: &By,
    a: &Account,
    row: &AccountRow,
    customer_id: i64,
    roles: Option<&Roles>,
) -> Result<Result<RowStatus, String>, FlowError> {
    let scope = tenant.scope();
    let mut values = changes(a, row, customer_id);
    let new_email = row.email.trim();
    let email_changed = normalize(new_email) != normalize(&a.email);
    if email_changed || a.email != new_email {
        values.push(("email", new_email.to_string().into()));
        values.push(("email_norm", normalize(new_email).into()));
    }
    let stored_roles = load::roles_of(&deps.db, scope, a.id).await?;
    let roles_changed = roles.is_some_and(|r| *r != stored_roles);
    if values.is_empty() && !roles_changed {
        return Ok(Ok(RowStatus::Unchanged));
    }
    let mut tx = deps.db.begin().await?;
    if !values.is_empty() {
        match accounts::update(&mut tx, scope, a.id, values).await {
            Ok(_) => {}
            Err(e) if e.is_unique_violation() => {
                return Ok(Err("username: already taken by another account".into()));
            }
            Err(e) => return Err(e.into()),
        }
    }
    if let Some(r) = roles.filter(|_| roles_changed) {
        load::set_roles(&mut tx, scope, a.id, r).await?;
        let detail = r.iter().map(Role::code).collect::<Vec<_>>().join(",");
        activity::record(
            &mut tx,
            scope,
            Entry {
                detail: &detail,
                ..Entry::on(a, by, "roles.changed")
            },
        )
        .await?;
    }
    let stopped = a.active && !row.active;
    if a.customer_id != customer_id || (row.main && !a.is_main) {
        // Rights belong to the customer the account was at.
        super::people::clear_rights(&mut tx, scope, a.id).await?;
    }
    if stopped || a.customer_id != customer_id {
        session::end_all_for_user(&mut tx, scope, a.id, None).await?;
        tokens::revoke_all(&mut tx, scope, a.id).await?;
        if stopped && a.is_main {
            session::end_all_for_customer(&mut tx, scope, a.customer_id).await?;
        }
    }
    if stopped {
        activity::record(&mut tx, scope, Entry::on(a, by, "account.deactivated")).await?;
    } else if !a.active && row.active {
        activity::record(&mut tx, scope, Entry::on(a, by, "account.activated")).await?;
    }
    if email_changed {
        write_email(deps, &mut tx, tenant, by, a, new_email).await?;
    }
    activity::record(&mut tx, scope, Entry::on(a, by, "account.synced")).await?;
    tx.commit().await?;
    Ok(Ok(RowStatus::Updated))
}

/// The account with this external id, for deletion through the API.
///
/// # Errors
/// A database failure.
pub async fn by_external_id(
    deps: &Deps,
    tenant: &Tenant,
    external_id: &str,
) -> Result<Option<Account>, FlowError> {
    Ok(deps
        .db
        .fetch_optional(
            &accounts::select_accounts(tenant.scope())
                .and_where(Expr::col(("core_users", "external_id")).eq(external_id.trim()))
                .to_owned(),
        )
        .await?)
}
