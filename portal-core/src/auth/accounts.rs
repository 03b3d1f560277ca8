//! Customers and portal accounts. Every function takes a [`TenantScope`]:
//! an account of another tenant is never found.

use chrono::{DateTime, Utc};
use sea_query::{Expr, ExprTrait, Order, SelectStatement};

use crate::db::{Db, DbError, Tx};
use crate::tenant::{Lang, TenantScope};

/// How a tenant's customers identify themselves at login.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, poem_openapi::Enum)]
#[serde(rename_all = "snake_case")]
#[oai(rename_all = "snake_case")]
pub enum LoginMode {
    /// Customer number + e-mail + password (seeds 000, 004).
    CustomerNumberEmail,
    /// User name (or e-mail) + password (seeds 002, 003).
    Username,
    /// E-mail + password.
    Email,
}

impl LoginMode {
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "customer_number_email" => Some(Self::CustomerNumberEmail),
            "username" => Some(Self::Username),
            "email" => Some(Self::Email),
            _ => None,
        }
    }

    pub fn code(self) -> &'static str {
        match self {
            Self::CustomerNumberEmail => "customer_number_email",
            Self::Username => "username",
            Self::Email => "email",
        }
    }
}

/// The lookup form of an e-mail address or user name.
pub fn normalize(s: &str) -> String {
    s.trim().to_lowercase()
}

/// A portal account with its customer, as one row.
#[derive(Debug, Clone, PartialEq, sqlx::FromRow)]
pub struct Account {
    pub id: i64,
    pub customer_id: i64,
    pub customer_number: String,
    pub customer_name: String,
    pub customer_active: bool,
    pub email: String,
    pub username: Option<String>,
    pub display_name: String,
    /// Contact-person data (seed 001).
    pub first_name: String,
    pub last_name: String,
    /// `female`, `male`, `other` or empty.
    pub gender: String,
    pub phone: String,
    /// The back-office's id of this account, when it syncs accounts.
    pub external_id: Option<String>,
    pub lang: Option<String>,
    pub is_main: bool,
    pub active: bool,
    pub confirmed: bool,
    pub password_hash: Option<String>,
    pub totp_secret: Option<String>,
    /// As read; a session kept by the process may hold an older value
    /// (its change alone does not end a kept session): read it from the
    /// database where it decides something (`flows::login`).
    pub totp_last_step: Option<i64>,
    pub created_at: DateTime<Utc>,
}

// The session lookup reads its account on the calling thread (db/direct.rs).
crate::from_sqlite! {
    Account { id, customer_id, customer_number, customer_name, customer_active, email, username,
        display_name, first_name, last_name, gender, phone, external_id, lang, is_main, active,
        confirmed, password_hash, totp_secret, totp_last_step, created_at }
}

impl Account {
    pub fn lang(&self) -> Option<Lang> {
        self.lang.as_deref().and_then(Lang::parse)
    }

    pub fn totp_enabled(&self) -> bool {
        self.totp_secret.is_some()
    }

    /// What the user types to log in, in the tenant's mode.
    pub fn login_name(&self, mode: LoginMode) -> &str {
        match (mode, &self.username) {
            (LoginMode::Username, Some(u)) => u,
            _ => &self.email,
        }
    }

    /// The name to greet the user by: their name, else their login.
    pub fn greeting_name(&self) -> &str {
        if self.display_name.trim().is_empty() {
            self.username.as_deref().unwrap_or(&self.email)
        } else {
            &self.display_name
        }
    }
}

const USER_COLUMNS: &[&str] = &[
    "id",
    "customer_id",
    "email",
    "username",
    "display_name",
    "first_name",
    "last_name",
    "gender",
    "phone",
    "external_id",
    "lang",
    "is_main",
    "active",
    "confirmed",
    "password_hash",
    "totp_secret",
    "totp_last_step",
    "created_at",
];

/// `SELECT <account columns> FROM core_users JOIN core_customers` for one tenant.
pub(crate) fn select_accounts(scope: TenantScope) -> SelectStatement {
    let mut q = scope.select("core_users");
    for c in USER_COLUMNS {
        q.column(("core_users", *c));
    }
    q.expr_as(Expr::col(("core_customers", "number")), "customer_number")
        .expr_as(Expr::col(("core_customers", "name")), "customer_name")
        .expr_as(Expr::col(("core_customers", "active")), "customer_active")
        .inner_join(
            "core_customers",
            Expr::col(("core_customers", "id")).equals(("core_users", "customer_id")),
        );
    q
}

/// Why an account could not be created or changed.
#[derive(Debug, thiserror::Error)]
pub enum AccountError {
    #[error("no customer with number {0:?}")]
    NoCustomer(String),
    #[error("the user name {0:?} is already taken")]
    UsernameTaken(String),
    #[error("{0:?} is not an e-mail address")]
    BadEmail(String),
    #[error("the customer already has an account with e-mail {0:?}")]
    EmailTaken(String),
    #[error("{0}")]
    Invalid(String),
    #[error(transparent)]
    Db(#[from] DbError),
}

/// True for something that looks like an e-mail address (and can be one in a mail header).
pub fn valid_email(s: &str) -> bool {
    let s = s.trim();
    s.len() <= 254 && !s.chars().any(char::is_control) && s.parse::<lettre::Address>().is_ok()
}

/// A customer (organisation) of the tenant.
#[derive(Debug, Clone, sqlx::FromRow, serde::Serialize)]
pub struct Customer {
    pub id: i64,
    pub number: String,
    pub name: String,
    pub active: bool,
}
crate::from_sqlite! {
    Customer { id, number, name, active }
}

/// The customer with this number.
///
/// # Errors
/// A database failure.
pub async fn customer_by_number(
    db: &Db,
    scope: TenantScope,
    number: &str,
) -> Result<Option<Customer>, DbError> {
    let q = scope
        .select("core_customers")
        .columns(["id", "number", "name", "active"])
        .and_where(Expr::col("number").eq(number.trim()))
        .to_owned();
    db.fetch_optional(&q).await
}

/// Creates a customer, or updates the name of an existing one; returns its id.
///
/// # Errors
/// An empty number or a database failure.
pub async fn upsert_customer(
    tx: &mut Tx,
    scope: TenantScope,
    number: &str,
    name: &str,
) -> Result<i64, AccountError> {
    let number = number.trim();
    if number.is_empty() || number.len() > 64 || number.chars().any(char::is_control) {
        return Err(AccountError::Invalid(
            "a customer number is 1 to 64 characters".into(),
        ));
    }
    let now = Utc::now();
    let existing: Vec<(i64,)> = tx
        .fetch_all(
            &scope
                .select("core_customers")
                .column("id")
                .and_where(Expr::col("number").eq(number))
                .to_owned(),
        )
        .await?;
    if let Some((id,)) = existing.first() {
        tx.execute(
            &scope
                .update("core_customers")
                .value("name", name.trim())
                .value("updated_at", now)
                .and_where(Expr::col("id").eq(*id))
                .to_owned(),
        )
        .await?;
        return Ok(*id);
    }
    let q = scope
        .insert("core_customers")
        .set("number", number)
        .set("name", name.trim())
        .set("active", true)
        .set("created_at", now)
        .set("updated_at", now)
        .statement();
    Ok(tx.insert_returning_id(&q).await?)
}

/// What staff (or registration) give to create an account.
#[derive(Debug, Clone, Default)]
pub struct NewAccount {
    pub customer_id: i64,
    pub email: String,
    pub username: Option<String>,
    pub display_name: String,
    pub lang: Option<Lang>,
    pub is_main: bool,
    pub active: bool,
    pub confirmed: bool,
    pub password_hash: Option<String>,
    /// Contact-person data (seed 001); empty when not known.
    pub first_name: String,
    pub last_name: String,
    pub gender: String,
    pub phone: String,
    pub external_id: Option<String>,
}

/// Creates an account.
///
/// # Errors
/// A malformed e-mail, a taken user name or e-mail, a database failure.
pub async fn insert(tx: &mut Tx, scope: TenantScope, a: &NewAccount) -> Result<i64, AccountError> {
    let email = a.email.trim();
    // No e-mail: a contact person recorded without portal access (seed
    // 001; no login can find it), or an account with a user name only (seed
    // 003: a partner without an e-mail address).
    if !email.is_empty() && !valid_email(email) {
        return Err(AccountError::BadEmail(email.to_string()));
    }
    let username = a
        .username
        .as_deref()
        .map(str::trim)
        .filter(|u| !u.is_empty());
    if let Some(u) = username
        && (u.chars().count() > 128 || u.chars().any(char::is_control))
    {
        return Err(AccountError::Invalid(
            "a user name is at most 128 characters, without control characters".into(),
        ));
    }
    let same_email: Vec<(i64,)> = tx
        .fetch_all(
            &scope
                .select("core_users")
                .column("id")
                .and_where(Expr::col("customer_id").eq(a.customer_id))
                .and_where(Expr::col("email_norm").eq(normalize(email)))
                .to_owned(),
        )
        .await?;
    if !same_email.is_empty() && !email.is_empty() {
        return Err(AccountError::EmailTaken(email.to_string()));
    }
    let now = Utc::now();
    let q = scope
        .insert("core_users")
        .set("customer_id", a.customer_id)
        .set("email", email)
        .set("email_norm", normalize(email))
        .set("username", username.map(str::to_string))
        .set("username_norm", username.map(normalize))
        .set("display_name", a.display_name.trim())
        .set("lang", a.lang.map(|l| l.code().to_string()))
        .set("is_main", a.is_main)
        .set("active", a.active)
        .set("confirmed", a.confirmed)
        .set("password_hash", a.password_hash.clone())
        .set("password_changed_at", a.password_hash.as_ref().map(|_| now))
        .set("first_name", a.first_name.trim())
        .set("last_name", a.last_name.trim())
        .set("gender", a.gender.trim())
        .set("phone", a.phone.trim())
        .set("external_id", a.external_id.clone())
        .set("created_at", now)
        .set("updated_at", now)
        .statement();
    match tx.insert_returning_id(&q).await {
        Ok(id) => {
            // Seed 001: the first account of an organisation administers
            // it; later ones are employees until an admin says otherwise.
            let others: Vec<(i64,)> = tx
                .fetch_all(
                    &scope
                        .select("core_users")
                        .column("id")
                        .and_where(Expr::col("customer_id").eq(a.customer_id))
                        .and_where(Expr::col("id").ne(id))
                        .limit(1)
                        .to_owned(),
                )
                .await?;
            let role = if others.is_empty() {
                crate::access::Role::Admin
            } else {
                crate::access::Role::Employee
            };
            crate::access::load::set_roles(tx, scope, id, &crate::access::Roles::new([role]))
                .await?;
            Ok(id)
        }
        Err(e) if e.is_unique_violation() => Err(AccountError::UsernameTaken(
            username.unwrap_or_default().to_string(),
        )),
        Err(e) => Err(e.into()),
    }
}

/// One account by id.
///
/// # Errors
/// A database failure.
pub async fn by_id(db: &Db, scope: TenantScope, id: i64) -> Result<Option<Account>, DbError> {
    db.fetch_optional(&select_by_id(scope, id)).await
}

fn select_by_id(scope: TenantScope, id: i64) -> SelectStatement {
    select_accounts(scope)
        .and_where(Expr::col(("core_users", "id")).eq(id))
        .to_owned()
}

/// One account by id, read inside a transaction.
///
/// # Errors
/// A database failure.
pub async fn by_id_in(
    tx: &mut Tx,
    scope: TenantScope,
    id: i64,
) -> Result<Option<Account>, DbError> {
    Ok(tx
        .fetch_all(&select_by_id(scope, id))
        .await?
        .into_iter()
        .next())
}

/// What a visitor typed to say who they are.
#[derive(Debug, Clone, Default)]
pub struct Identity {
    pub customer_number: String,
    /// E-mail, or user name (or e-mail) in `username` mode.
    pub login: String,
}

/// The one account `who` names in `mode`, or `None` (also when the name
/// is ambiguous: never a guess between two accounts).
///
/// # Errors
/// A database failure.
pub async fn find_for_login(
    db: &Db,
    scope: TenantScope,
    mode: LoginMode,
    who: &Identity,
) -> Result<Option<Account>, DbError> {
    let login = normalize(&who.login);
    if login.is_empty() {
        return Ok(None);
    }
    let q = match mode {
        LoginMode::CustomerNumberEmail => {
            let number = who.customer_number.trim();
            if number.is_empty() {
                return Ok(None);
            }
            select_accounts(scope)
                .and_where(Expr::col(("core_customers", "number")).eq(number))
                .and_where(Expr::col(("core_users", "email_norm")).eq(login))
                .to_owned()
        }
        LoginMode::Email => select_accounts(scope)
            .and_where(Expr::col(("core_users", "email_norm")).eq(login))
            .limit(2)
            .to_owned(),
        LoginMode::Username => {
            let by_name = select_accounts(scope)
                .and_where(Expr::col(("core_users", "username_norm")).eq(login.as_str()))
                .to_owned();
            if let Some(a) = db.fetch_optional::<Account>(&by_name).await? {
                return Ok(Some(a));
            }
            // Seed 003: an e-mail on several accounts logs in to the newest.
            let newest = select_accounts(scope)
                .and_where(Expr::col(("core_users", "email_norm")).eq(login))
                .order_by(("core_users", "id"), Order::Desc)
                .limit(1)
                .to_owned();
            return db.fetch_optional(&newest).await;
        }
    };
    let mut found: Vec<Account> = db.fetch_all(&q).await?;
    Ok(if found.len() == 1 { found.pop() } else { None })
}

/// The accounts of the tenant, or of one customer, oldest first.
///
/// # Errors
/// A database failure.
pub async fn list(
    db: &Db,
    scope: TenantScope,
    customer_id: Option<i64>,
) -> Result<Vec<Account>, DbError> {
    let mut q = select_accounts(scope);
    if let Some(c) = customer_id {
        q.and_where(Expr::col(("core_users", "customer_id")).eq(c));
    }
    q.order_by(("core_users", "id"), Order::Asc).limit(1000);
    db.fetch_all(&q).await
}

/// True when the customer's main account is active (seed 002: extra
/// accounts work only while it is).
///
/// # Errors
/// A database failure.
pub async fn main_account_active(
    db: &Db,
    scope: TenantScope,
    customer_id: i64,
) -> Result<bool, DbError> {
    let q = scope
        .select("core_users")
        .column("id")
        .and_where(Expr::col("customer_id").eq(customer_id))
        .and_where(Expr::col("is_main").eq(true))
        .and_where(Expr::col("active").eq(true))
        .limit(1)
        .to_owned();
    Ok(db.fetch_optional::<(i64,)>(&q).await?.is_some())
}

/// Updates columns of one account; returns whether it existed.
///
/// # Errors
/// A database failure (a unique violation for a taken user name).
pub async fn update(
    tx: &mut Tx,
    scope: TenantScope,
    id: i64,
    values: Vec<(&'static str, sea_query::Value)>,
) -> Result<bool, DbError> {
    let mut q = scope.update("core_users");
    for (c, v) in values {
        q.value(c, v);
    }
    q.value("updated_at", Utc::now())
        .and_where(Expr::col("id").eq(id));
    Ok(tx.execute(&q).await? == 1)
}

/// Removes an account (its sessions and links go with it); the customer and
/// its data stay (seed 000).
///
/// # Errors
/// A database failure.
pub async fn delete(tx: &mut Tx, scope: TenantScope, id: i64) -> Result<bool, DbError> {
    let q = scope
        .delete("core_users")
        .and_where(Expr::col("id").eq(id))
        .to_owned();
    Ok(tx.execute(&q).await? == 1)
}

/// True when `email` may not be used for another account in `mode`: in
/// `email` mode an address names one account of the tenant; in
/// `customer_number_email` mode one account of the customer; in `username`
/// mode addresses may repeat (seed 003: a client with several dossiers).
/// `except` is the account being changed.
///
/// # Errors
/// A database failure.
pub async fn email_taken(
    db: &Db,
    scope: TenantScope,
    mode: LoginMode,
    customer_id: Option<i64>,
    email: &str,
    except: Option<i64>,
) -> Result<bool, DbError> {
    let mut q = scope
        .select("core_users")
        .column("id")
        .and_where(Expr::col("email_norm").eq(normalize(email)))
        .limit(1)
        .to_owned();
    match (mode, customer_id) {
        (LoginMode::Username, _) => return Ok(false),
        (LoginMode::Email, _) => {}
        (LoginMode::CustomerNumberEmail, Some(c)) => {
            q.and_where(Expr::col("customer_id").eq(c));
        }
        (LoginMode::CustomerNumberEmail, None) => return Ok(false),
    }
    if let Some(id) = except {
        q.and_where(Expr::col("id").ne(id));
    }
    Ok(db.fetch_optional::<(i64,)>(&q).await?.is_some())
}

/// Locks the customer's row for the rest of the transaction and tells
/// whether it still has no account (registration claims such a customer).
///
/// # Errors
/// A database failure.
pub async fn lock_customer_without_accounts(
    tx: &mut Tx,
    scope: TenantScope,
    customer_id: i64,
) -> Result<bool, DbError> {
    tx.execute(
        &scope
            .update("core_customers")
            .value("updated_at", Utc::now())
            .and_where(Expr::col("id").eq(customer_id))
            .to_owned(),
    )
    .await?;
    let existing: Vec<(i64,)> = tx
        .fetch_all(
            &scope
                .select("core_users")
                .column("id")
                .and_where(Expr::col("customer_id").eq(customer_id))
                .limit(1)
                .to_owned(),
        )
        .await?;
    Ok(existing.is_empty())
}

/// What the details page shows of a customer (seed 000 "Details").
#[derive(Debug, Clone, sqlx::FromRow, serde::Serialize)]
pub struct CustomerDetails {
    pub id: i64,
    pub number: String,
    pub name: String,
    pub email: String,
    pub phone: String,
    pub payment_method: String,
    pub invoice_address: String,
    pub correspondence_address: String,
}
crate::from_sqlite! {
    CustomerDetails { id, number, name, email, phone, payment_method, invoice_address,
        correspondence_address }
}

/// A customer's details.
///
/// # Errors
/// A database failure.
pub async fn customer_details(
    db: &Db,
    scope: TenantScope,
    id: i64,
) -> Result<Option<CustomerDetails>, DbError> {
    let q = scope
        .select("core_customers")
        .columns([
            "id",
            "number",
            "name",
            "email",
            "phone",
            "payment_method",
            "invoice_address",
            "correspondence_address",
        ])
        .and_where(Expr::col("id").eq(id))
        .to_owned();
    db.fetch_optional(&q).await
}

/// A customer's parent ("domein contractant", seed 002), if any: its id,
/// number and name.
///
/// # Errors
/// A database failure.
pub async fn parent_of(
    db: &Db,
    scope: TenantScope,
    id: i64,
) -> Result<Option<(i64, String, String)>, DbError> {
    let row: Option<(Option<i64>,)> = db
        .fetch_optional(
            &scope
                .select("core_customers")
                .column("parent_id")
                .and_where(Expr::col("id").eq(id))
                .to_owned(),
        )
        .await?;
    let Some(parent) = row.and_then(|(p,)| p) else {
        return Ok(None);
    };
    db.fetch_optional(
        &scope
            .select("core_customers")
            .columns(["id", "number", "name"])
            .and_where(Expr::col("id").eq(parent))
            .to_owned(),
    )
    .await
}

/// Why a parent link was refused: the Fluent key of the message.
pub type ParentRefusal = &'static str;

/// Links customer `id` to the parent with customer number `parent_number`
/// (empty: no parent). A customer cannot be its own parent, nor the parent
/// of its own parent.
///
/// # Errors
/// `Ok(Err(key))` for a number to correct; `Err` for a database failure.
pub async fn set_parent(
    db: &Db,
    scope: TenantScope,
    id: i64,
    parent_number: &str,
) -> Result<Result<Option<i64>, ParentRefusal>, DbError> {
    let number = parent_number.trim();
    let parent = if number.is_empty() {
        None
    } else {
        let Some(p) = customer_by_number(db, scope, number).await? else {
            return Ok(Err("staff-parent-error-unknown"));
        };
        if p.id == id {
            return Ok(Err("staff-parent-error-self"));
        }
        if parent_of(db, scope, p.id)
            .await?
            .is_some_and(|(pp, _, _)| pp == id)
        {
            return Ok(Err("staff-parent-error-cycle"));
        }
        Some(p.id)
    };
    db.execute(
        &scope
            .update("core_customers")
            .value("parent_id", parent)
            .value("updated_at", chrono::Utc::now())
            .and_where(Expr::col("id").eq(id))
            .to_owned(),
    )
    .await?;
    Ok(Ok(parent))
}

/// An active location of a customer.
#[derive(Debug, Clone, sqlx::FromRow, serde::Serialize)]
pub struct LocationView {
    pub id: i64,
    pub name: String,
    pub address: String,
}
crate::from_sqlite! {
    LocationView { id, name, address }
}

/// The active locations of a customer, by name.
///
/// # Errors
/// A database failure.
pub async fn locations_of(
    db: &Db,
    scope: TenantScope,
    customer_id: i64,
) -> Result<Vec<LocationView>, DbError> {
    let q = scope
        .select("core_locations")
        .columns(["id", "name", "address"])
        .and_where(Expr::col("customer_id").eq(customer_id))
        .and_where(Expr::col("active").eq(true))
        .order_by("name", Order::Asc)
        .to_owned();
    db.fetch_all(&q).await
}

/// Customers whose number is `q`, or whose name, e-mail or an account's
/// e-mail contains it (staff search), by name; at most `limit`.
///
/// # Errors
/// A database failure.
pub async fn search_customers(
    db: &Db,
    scope: TenantScope,
    q: &str,
    limit: u64,
) -> Result<Vec<Customer>, DbError> {
    let mut query = scope
        .select("core_customers")
        .columns(["id", "number", "name", "active"])
        .order_by("name", Order::Asc)
        .limit(limit)
        .to_owned();
    if let Some(like) = crate::db::like_pattern(q) {
        let by_account = scope
            .select("core_users")
            .column("customer_id")
            .and_where(Expr::col("email_norm").like(like.clone()))
            .to_owned();
        query.and_where(
            Expr::col("number")
                .eq(q.trim())
                .or(Expr::expr(sea_query::Func::lower(Expr::col("name"))).like(like.clone()))
                .or(Expr::expr(sea_query::Func::lower(Expr::col("email"))).like(like))
                .or(Expr::col("id").in_subquery(by_account)),
        );
    }
    db.fetch_all(&query).await
}
