//! Creating and changing tenants and what hangs off them. Every write bumps
//! the cache version in the same transaction, so every process sees it.

use chrono::{DateTime, Utc};
use sea_query::{Expr, ExprTrait, LockType, OnConflict, Order, Query};
use sha2::{Digest, Sha256};

use super::branding::{Branding, ColourInput, check_colours};
use super::messages::{MessageKind, check_page, sanitise};
use super::url::{PortalUrl, parse_portal_url};
use super::{AddressForm, Lang, TenantScope, cache};
use crate::config::WebConfig;
use crate::db::{Backend, Db, DbError, Tx};
use crate::module::{RESERVED_PREFIXES, Registry};

/// Why a change to a tenant was refused.
#[derive(Debug, thiserror::Error)]
pub enum TenantError {
    /// Bad input; `field` names the input, `message` is for the person who
    /// typed it (English, as the API answers), `key` the Fluent key of the
    /// same message for the staff pages where there is one.
    #[error("{field}: {message}")]
    Invalid {
        field: &'static str,
        message: String,
        key: Option<&'static str>,
    },
    #[error("not found")]
    NotFound,
    #[error(transparent)]
    Db(#[from] DbError),
}

fn invalid(field: &'static str, message: impl Into<String>) -> TenantError {
    TenantError::Invalid {
        field,
        message: message.into(),
        key: None,
    }
}

fn invalid_url(key: &'static str, message: impl Into<String>) -> TenantError {
    TenantError::Invalid {
        field: "url",
        message: message.into(),
        key: Some(key),
    }
}

/// Checks a tenant code: it is also a URL path segment on the shared host.
///
/// # Errors
/// Not 2-40 of a-z, 0-9 and -, or a word core uses in URLs.
pub fn check_code(code: &str) -> Result<String, TenantError> {
    let code = code.trim().to_ascii_lowercase();
    let ok = (2..=40).contains(&code.len())
        && code
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
        && !code.starts_with('-')
        && !code.ends_with('-');
    if !ok {
        return Err(invalid(
            "code",
            format!("{code:?} is not a valid code: use 2 to 40 of a-z, 0-9 and -"),
        ));
    }
    if RESERVED_PREFIXES.contains(&code.as_str()) {
        return Err(invalid(
            "code",
            format!("{code:?} is reserved by the portal; choose another code"),
        ));
    }
    Ok(code)
}

fn check_name(name: &str) -> Result<String, TenantError> {
    let name = name.trim();
    if name.is_empty() || name.chars().count() > 200 {
        return Err(invalid("name", "enter a name of 1 to 200 characters"));
    }
    Ok(name.to_string())
}

/// A new tenant.
#[derive(Debug, Clone)]
pub struct NewTenant {
    pub code: String,
    pub name: String,
    pub default_language: Lang,
    pub address_form: AddressForm,
}

/// Creates a tenant with no modules and the default theme.
///
/// # Errors
/// Invalid code or name, a code already taken, a database failure.
pub async fn create(db: &Db, new: &NewTenant) -> Result<TenantScope, TenantError> {
    let code = check_code(&new.code)?;
    let name = check_name(&new.name)?;
    let now = Utc::now();
    let mut tx = db.begin().await?;
    let q = Query::insert()
        .into_table("core_tenants")
        .columns([
            "code",
            "name",
            "default_language",
            "address_form",
            "created_at",
            "updated_at",
        ])
        .values_panic([
            code.clone().into(),
            name.into(),
            new.default_language.code().into(),
            new.address_form.code().into(),
            now.into(),
            now.into(),
        ])
        .to_owned();
    let id = match tx.insert_returning_id(&q).await {
        Ok(id) => id,
        Err(e) if e.is_unique_violation() => {
            return Err(invalid(
                "code",
                format!("a tenant with code {code:?} already exists"),
            ));
        }
        Err(e) => return Err(e.into()),
    };
    cache::bump(&mut tx).await?;
    tx.commit().await?;
    Ok(TenantScope { tenant_id: id })
}

/// The scope of the tenant with this code, for operator commands.
///
/// # Errors
/// A database failure.
pub async fn scope_for_code(db: &Db, code: &str) -> Result<Option<TenantScope>, DbError> {
    let q = Query::select()
        .column("id")
        .from("core_tenants")
        .and_where(Expr::col("code").eq(code.trim().to_ascii_lowercase()))
        .to_owned();
    let row: Option<(i64,)> = db.fetch_optional(&q).await?;
    Ok(row.map(|(id,)| TenantScope { tenant_id: id }))
}

/// Serialises writes to one tenant's rows on PostgreSQL (SQLite has one
/// writer already): read-then-write changes see each other's results.
async fn lock_tenant(tx: &mut Tx, scope: TenantScope) -> Result<(), DbError> {
    if tx.backend() == Backend::Postgres {
        let q = Query::select()
            .column("id")
            .from("core_tenants")
            .and_where(Expr::col("id").eq(scope.tenant_id))
            .lock(LockType::Update)
            .to_owned();
        tx.fetch_all::<(i64,)>(&q).await?;
    }
    Ok(())
}

/// Refuses a host the portal itself answers for all tenants: a shared host
/// or a name under the development domain.
fn check_not_reserved(url: &PortalUrl, web: &WebConfig) -> Result<(), TenantError> {
    let bare = url
        .host
        .rsplit_once(':')
        .map_or(url.host.as_str(), |(h, _)| h);
    let shared = web
        .shared_hosts
        .iter()
        .any(|h| h.eq_ignore_ascii_case(bare) || h.eq_ignore_ascii_case(&url.host));
    let dev = !web.dev_domain.is_empty()
        && (bare == web.dev_domain || bare.ends_with(&format!(".{}", web.dev_domain)));
    if shared || dev {
        return Err(invalid_url(
            "url-error-reserved",
            format!(
                "{} is an address the portal uses for every tenant; choose the tenant's own domain",
                url.url
            ),
        ));
    }
    Ok(())
}

/// Sets the primary portal URL, replacing the previous one.
///
/// # Errors
/// An invalid URL, a shared or development host, a URL another tenant
/// uses, a database failure.
pub async fn set_portal_url(
    db: &Db,
    scope: TenantScope,
    input: &str,
    web: &WebConfig,
) -> Result<PortalUrl, TenantError> {
    let url = parse_portal_url(input).map_err(|e| invalid_url(e.key, e.message))?;
    check_not_reserved(&url, web)?;
    let mut tx = db.begin().await?;
    tx.execute(
        &scope
            .delete("core_tenant_urls")
            .and_where(Expr::col("is_primary").eq(true))
            .to_owned(),
    )
    .await?;
    // The same host as a secondary URL of this tenant becomes the primary one.
    tx.execute(
        &scope
            .delete("core_tenant_urls")
            .and_where(Expr::col("host").eq(url.host.clone()))
            .to_owned(),
    )
    .await?;
    let q = Query::insert()
        .into_table("core_tenant_urls")
        .columns(["tenant_id", "url", "host", "is_primary"])
        .values_panic([
            scope.tenant_id.into(),
            url.url.clone().into(),
            url.host.clone().into(),
            true.into(),
        ])
        .to_owned();
    match tx.execute(&q).await {
        Ok(_) => {}
        Err(e) if e.is_unique_violation() => {
            return Err(invalid_url(
                "url-error-taken",
                format!("{} is already the portal URL of another tenant", url.url),
            ));
        }
        Err(e) => return Err(e.into()),
    }
    cache::bump(&mut tx).await?;
    tx.commit().await?;
    Ok(url)
}

/// Turns a compiled-in module on or off for a tenant. Turning one on also
/// needs its dependencies on; turning one off is refused while another
/// enabled module depends on it.
///
/// # Errors
/// An unknown module, a dependency problem, a database failure.
pub async fn set_module_enabled(
    db: &Db,
    scope: TenantScope,
    registry: &Registry,
    name: &str,
    enabled: bool,
) -> Result<(), TenantError> {
    let Some(module) = registry.get(name) else {
        return Err(invalid(
            "module",
            format!(
                "no module {name:?} is compiled into this portal; available: {}",
                registry.names().join(", ")
            ),
        ));
    };
    let mut tx = db.begin().await?;
    lock_tenant(&mut tx, scope).await?;
    // Read inside the transaction: a concurrent change cannot slip between check and write.
    let rows: Vec<(String,)> = tx
        .fetch_all(
            &scope
                .select("core_tenant_modules")
                .column("module")
                .to_owned(),
        )
        .await?;
    let enabled_now: std::collections::BTreeSet<String> = rows.into_iter().map(|r| r.0).collect();
    if enabled {
        if let Some(dep) = module
            .depends_on()
            .iter()
            .find(|d| !enabled_now.contains(**d))
        {
            return Err(invalid(
                "module",
                format!("{name} needs {dep}: enable {dep} first"),
            ));
        }
        let q = Query::insert()
            .into_table("core_tenant_modules")
            .columns(["tenant_id", "module"])
            .values_panic([scope.tenant_id.into(), name.into()])
            .on_conflict(
                OnConflict::columns(["tenant_id", "module"])
                    .do_nothing()
                    .to_owned(),
            )
            .to_owned();
        tx.execute(&q).await?;
    } else {
        if let Some(user) = registry
            .iter()
            .find(|m| enabled_now.contains(m.name()) && m.depends_on().contains(&name))
        {
            return Err(invalid(
                "module",
                format!(
                    "{} depends on {name}: disable {} first",
                    user.name(),
                    user.name()
                ),
            ));
        }
        tx.execute(
            &scope
                .delete("core_tenant_modules")
                .and_where(Expr::col("module").eq(name))
                .to_owned(),
        )
        .await?;
    }
    cache::bump(&mut tx).await?;
    tx.commit().await?;
    Ok(())
}

/// Fields of a tenant that staff may change; `None` leaves a field as it is,
/// `Some("")` clears an optional field.
#[derive(Debug, Clone, Default)]
pub struct TenantPatch {
    pub name: Option<String>,
    pub default_language: Option<Lang>,
    pub address_form: Option<AddressForm>,
    pub theme: Option<String>,
    pub support_email: Option<String>,
    pub website: Option<String>,
    pub phone: Option<String>,
    /// Code of the parent organisation; `Some("")` removes the parent.
    pub parent_code: Option<String>,
    pub brand_inherit: Option<bool>,
    /// Sender name of the tenant's mails ("" uses the tenant's name).
    pub mail_from_name: Option<String>,
    /// Sender address ("" uses the portal's configured address).
    pub mail_from_address: Option<String>,
    /// Reply-To address ("" for none).
    pub mail_reply_to: Option<String>,
}

fn opt(v: &str) -> Option<String> {
    let v = v.trim();
    (!v.is_empty()).then(|| v.to_string())
}

fn check_email(v: &str) -> Result<Option<String>, TenantError> {
    let Some(v) = opt(v) else { return Ok(None) };
    let ok = v.len() <= 254
        && v.split_once('@')
            .is_some_and(|(l, d)| !l.is_empty() && d.contains('.') && !d.starts_with('.'))
        && !v
            .chars()
            .any(|c| c.is_whitespace() || c.is_control() || "<>\",;".contains(c));
    if ok {
        Ok(Some(v))
    } else {
        Err(invalid(
            "support_email",
            format!("{v:?} is not an e-mail address"),
        ))
    }
}

fn check_website(v: &str) -> Result<Option<String>, TenantError> {
    let Some(v) = opt(v) else { return Ok(None) };
    match ::url::Url::parse(&v) {
        Ok(u) if matches!(u.scheme(), "http" | "https") && u.host().is_some() => Ok(Some(v)),
        _ => Err(invalid(
            "website",
            format!("{v:?} is not a web address: start it with https://"),
        )),
    }
}

fn check_phone(v: &str) -> Result<Option<String>, TenantError> {
    let Some(v) = opt(v) else { return Ok(None) };
    let digits = v.chars().filter(char::is_ascii_digit).count();
    if (3..=20).contains(&digits)
        && v.len() <= 40
        && v.chars()
            .all(|c| c.is_ascii_digit() || " +-()./".contains(c))
    {
        Ok(Some(v))
    } else {
        Err(invalid("phone", format!("{v:?} is not a phone number")))
    }
}

/// Changes a tenant's details.
///
/// # Errors
/// Invalid values (named by field), an unknown theme or parent, a parent
/// cycle, a database failure.
pub async fn update(
    db: &Db,
    scope: TenantScope,
    patch: &TenantPatch,
    themes: &[String],
) -> Result<(), TenantError> {
    let mut q = Query::update()
        .table("core_tenants")
        .and_where(Expr::col("id").eq(scope.tenant_id))
        .to_owned();
    q.value("updated_at", Utc::now());
    if let Some(name) = &patch.name {
        q.value("name", check_name(name)?);
    }
    if let Some(l) = patch.default_language {
        q.value("default_language", l.code());
    }
    if let Some(f) = patch.address_form {
        q.value("address_form", f.code());
    }
    if let Some(theme) = &patch.theme {
        if !themes.iter().any(|t| t == theme) {
            return Err(invalid(
                "theme",
                format!("no theme {theme:?}; available: {}", themes.join(", ")),
            ));
        }
        q.value("theme", theme.as_str());
    }
    if let Some(v) = &patch.support_email {
        q.value("support_email", check_email(v)?);
    }
    if let Some(v) = &patch.website {
        q.value("website", check_website(v)?);
    }
    if let Some(v) = &patch.phone {
        q.value("phone", check_phone(v)?);
    }
    if let Some(b) = patch.brand_inherit {
        q.value("brand_inherit", b);
    }
    if let Some(v) = &patch.mail_from_name {
        let v = opt(v).map(|n| n.chars().filter(|c| !c.is_control()).collect::<String>());
        q.value("mail_from_name", v);
    }
    for (field, value) in [
        ("mail_from_address", &patch.mail_from_address),
        ("mail_reply_to", &patch.mail_reply_to),
    ] {
        if let Some(v) = value {
            let v = opt(v);
            if let Some(a) = &v
                && a.parse::<lettre::Address>().is_err()
            {
                return Err(invalid(field, format!("{a:?} is not an e-mail address")));
            }
            q.value(field, v);
        }
    }
    let mut tx = db.begin().await?;
    if let Some(code) = &patch.parent_code {
        let parent = match opt(code) {
            None => None,
            Some(code) => Some(parent_id(&mut tx, scope, &code).await?),
        };
        q.value("parent_id", parent);
    }
    tx.execute(&q).await?;
    cache::bump(&mut tx).await?;
    tx.commit().await?;
    Ok(())
}

/// The id of the tenant `code`, refused if it is `scope` itself or has `scope` among its ancestors.
async fn parent_id(tx: &mut Tx, scope: TenantScope, code: &str) -> Result<i64, TenantError> {
    let rows: Vec<(i64, String, Option<i64>)> = tx
        .fetch_all(
            &Query::select()
                .columns(["id", "code", "parent_id"])
                .from("core_tenants")
                .to_owned(),
        )
        .await?;
    let Some(&(id, _, _)) = rows.iter().find(|(_, c, _)| c == code) else {
        return Err(invalid(
            "parent_code",
            format!("no tenant with code {code:?}"),
        ));
    };
    let mut cursor = Some(id);
    let mut steps = 0;
    while let Some(current) = cursor {
        if current == scope.tenant_id || steps > rows.len() {
            return Err(invalid(
                "parent_code",
                format!("{code:?} cannot be the parent: that would make a cycle"),
            ));
        }
        cursor = rows
            .iter()
            .find(|(i, _, _)| *i == current)
            .and_then(|r| r.2);
        steps += 1;
    }
    Ok(id)
}

/// Sets the tenant's own colours; each pair must keep a 4.5:1 contrast as shown.
///
/// # Errors
/// A list of (field, message); or a database failure as `("", message)`.
pub async fn set_colours(
    db: &Db,
    scope: TenantScope,
    input: &ColourInput,
    fallback: &Branding,
) -> Result<(), Result<Vec<(&'static str, String)>, DbError>> {
    let c = check_colours(input, fallback).map_err(Ok)?;
    let q = Query::update()
        .table("core_tenants")
        .values([
            ("brand_primary", c.primary.into()),
            ("brand_primary_text", c.primary_text.into()),
            ("brand_secondary", c.secondary.into()),
            ("brand_secondary_text", c.secondary_text.into()),
            ("updated_at", Utc::now().into()),
        ])
        .and_where(Expr::col("id").eq(scope.tenant_id))
        .to_owned();
    let mut tx = db.begin().await.map_err(Err)?;
    tx.execute(&q).await.map_err(Err)?;
    cache::bump(&mut tx).await.map_err(Err)?;
    tx.commit().await.map_err(Err)?;
    Ok(())
}

/// Which branding image.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BrandImage {
    Logo,
    Favicon,
}

impl BrandImage {
    pub fn column(self) -> &'static str {
        match self {
            BrandImage::Logo => "brand_logo",
            BrandImage::Favicon => "brand_favicon",
        }
    }
}

/// Points the tenant's logo or favicon at a stored blob (or at none);
/// returns the key it replaced, for the caller to delete after commit.
///
/// # Errors
/// A database failure.
pub async fn set_image(
    db: &Db,
    scope: TenantScope,
    which: BrandImage,
    key: Option<&str>,
) -> Result<Option<String>, DbError> {
    let mut tx = db.begin().await?;
    lock_tenant(&mut tx, scope).await?;
    let old: Vec<(Option<String>,)> = tx
        .fetch_all(
            &Query::select()
                .column(which.column())
                .from("core_tenants")
                .and_where(Expr::col("id").eq(scope.tenant_id))
                .to_owned(),
        )
        .await?;
    let q = Query::update()
        .table("core_tenants")
        .values([
            (which.column(), key.map(str::to_string).into()),
            ("updated_at", Utc::now().into()),
        ])
        .and_where(Expr::col("id").eq(scope.tenant_id))
        .to_owned();
    tx.execute(&q).await?;
    cache::bump(&mut tx).await?;
    tx.commit().await?;
    Ok(old.into_iter().next().and_then(|(k,)| k))
}

/// Sets (or with `None` resets to default) a module setting, validated by its spec.
///
/// # Errors
/// Unknown module or key, a value the spec refuses, a database failure.
pub async fn set_setting(
    db: &Db,
    scope: TenantScope,
    registry: &Registry,
    module: &str,
    key: &str,
    value: Option<&str>,
) -> Result<(), TenantError> {
    // Core's own components keep their settings beside the modules'.
    let specs: &[crate::module::SettingSpec] = if let Some(s) = super::core_settings(module) {
        s
    } else if let Some(m) = registry.get(module) {
        m.settings()
    } else {
        return Err(invalid(
            "module",
            format!("no module {module:?} in this portal"),
        ));
    };
    let Some(spec) = specs.iter().find(|s| s.key == key) else {
        let keys: Vec<_> = specs.iter().map(|s| s.key).collect();
        return Err(invalid(
            "key",
            format!(
                "{module} has no setting {key:?}; settings: {}",
                keys.join(", ")
            ),
        ));
    };
    let mut tx = db.begin().await?;
    let del = scope
        .delete("core_tenant_settings")
        .and_where(Expr::col("module").eq(module))
        .and_where(Expr::col("key").eq(key))
        .to_owned();
    tx.execute(&del).await?;
    if let Some(value) = value {
        let value = spec.validate(value).map_err(|m| invalid("value", m))?;
        if module == crate::access::edit_policy::COMPONENT {
            crate::web::nav::check_setting(key, &value, registry)
                .map_err(|m| invalid("value", m))?;
        }
        let q = Query::insert()
            .into_table("core_tenant_settings")
            .columns(["tenant_id", "module", "key", "value"])
            .values_panic([
                scope.tenant_id.into(),
                module.into(),
                key.into(),
                value.into(),
            ])
            .to_owned();
        tx.execute(&q).await?;
    }
    cache::bump(&mut tx).await?;
    tx.commit().await?;
    Ok(())
}

/// A page message as staff send it.
#[derive(Debug, Clone)]
pub struct MessageInput {
    pub page: String,
    pub kind: MessageKind,
    /// The Dutch text.
    pub html: String,
    /// The English text; empty shows the Dutch one to English readers.
    pub html_en: String,
    pub starts_at: Option<chrono::DateTime<Utc>>,
    pub ends_at: Option<chrono::DateTime<Utc>>,
}

fn check_message(m: &MessageInput) -> Result<(String, String, String), TenantError> {
    let page = check_page(&m.page).map_err(|e| invalid("page", e))?;
    let html = sanitise(&m.html);
    let html_en = sanitise(&m.html_en);
    if html.trim().is_empty() && html_en.trim().is_empty() {
        return Err(invalid(
            "html",
            "the message is empty (after removing formatting that is not allowed)",
        ));
    }
    for (field, text) in [("html", &html), ("html_en", &html_en)] {
        if text.len() > 20_000 {
            return Err(invalid(
                field,
                "the message is too long: keep it under 20,000 characters",
            ));
        }
    }
    if let (Some(s), Some(e)) = (m.starts_at, m.ends_at)
        && e <= s
    {
        return Err(invalid(
            "ends_at",
            "the end time must be after the start time",
        ));
    }
    Ok((page, html, html_en))
}

/// Adds a page message; returns its id.
///
/// # Errors
/// Invalid page, empty or too long text, end before start, a database failure.
pub async fn add_message(
    db: &Db,
    scope: TenantScope,
    m: &MessageInput,
) -> Result<i64, TenantError> {
    let (page, html, html_en) = check_message(m)?;
    let q = Query::insert()
        .into_table("core_page_messages")
        .columns([
            "tenant_id",
            "page",
            "kind",
            "body_html",
            "body_html_en",
            "starts_at",
            "ends_at",
            "created_at",
        ])
        .values_panic([
            scope.tenant_id.into(),
            page.into(),
            m.kind.code().into(),
            html.into(),
            html_en.into(),
            m.starts_at.into(),
            m.ends_at.into(),
            Utc::now().into(),
        ])
        .to_owned();
    let mut tx = db.begin().await?;
    let id = tx.insert_returning_id(&q).await?;
    cache::bump(&mut tx).await?;
    tx.commit().await?;
    Ok(id)
}

/// Replaces a page message of this tenant.
///
/// # Errors
/// As [`add_message`]; `NotFound` for a message of another tenant or none.
pub async fn update_message(
    db: &Db,
    scope: TenantScope,
    id: i64,
    m: &MessageInput,
) -> Result<(), TenantError> {
    let (page, html, html_en) = check_message(m)?;
    let q = scope
        .update("core_page_messages")
        .values([
            ("page", page.into()),
            ("kind", m.kind.code().into()),
            ("body_html", html.into()),
            ("body_html_en", html_en.into()),
            ("starts_at", m.starts_at.into()),
            ("ends_at", m.ends_at.into()),
        ])
        .and_where(Expr::col("id").eq(id))
        .to_owned();
    write_one(db, &q).await
}

/// Deletes a page message of this tenant.
///
/// # Errors
/// `NotFound` for a message of another tenant or none; a database failure.
pub async fn delete_message(db: &Db, scope: TenantScope, id: i64) -> Result<(), TenantError> {
    write_one(
        db,
        &scope
            .delete("core_page_messages")
            .and_where(Expr::col("id").eq(id))
            .to_owned(),
    )
    .await
}

async fn write_one(db: &Db, q: &impl sea_query_sqlx::SqlxBinder) -> Result<(), TenantError> {
    let mut tx = db.begin().await?;
    if tx.execute(q).await? == 0 {
        return Err(TenantError::NotFound);
    }
    cache::bump(&mut tx).await?;
    tx.commit().await?;
    Ok(())
}

/// Summary line of a tenant for `portal tenant list`.
#[derive(Debug, sqlx::FromRow)]
pub struct TenantListRow {
    pub code: String,
    pub name: String,
}
crate::from_sqlite! {
    TenantListRow { code, name }
}

/// All tenants by code.
///
/// # Errors
/// A database failure.
pub async fn list(db: &Db) -> Result<Vec<TenantListRow>, DbError> {
    db.fetch_all(
        &Query::select()
            .columns(["code", "name"])
            .from("core_tenants")
            .order_by("code", Order::Asc)
            .to_owned(),
    )
    .await
}

fn token_hash(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

/// What an API key may reach: `*` (everything) or the listed scopes.
/// A scope is the first path segment below `/api/admin/v1/` (`accounts`,
/// `sync`, `mail`, a module's name), with `tenant` covering the tenant's
/// own details, branding, messages and settings.
pub const API_SCOPES: &[&str] = &["tenant", "mail", "accounts", "sync", "events"];

/// Checks a scope list ("*" or comma-separated names) and returns it normalised.
///
/// # Errors
/// An unknown scope, named in the message with the valid ones.
pub fn parse_scopes(raw: &str, modules: &[&str]) -> Result<String, String> {
    let raw = raw.trim();
    if raw == "*" {
        return Ok("*".into());
    }
    if raw.is_empty() {
        // Full access is never the result of leaving a field empty.
        return Err(format!(
            "choose the scopes: * for everything, or some of {}",
            API_SCOPES.join(", ")
        ));
    }
    let mut out: Vec<&str> = Vec::new();
    for s in raw.split(',').map(str::trim).filter(|s| !s.is_empty()) {
        if !API_SCOPES.contains(&s) && !modules.contains(&s) {
            return Err(format!(
                "unknown scope {s:?}; valid: *, {}{}",
                API_SCOPES.join(", "),
                modules.iter().map(|m| format!(", {m}")).collect::<String>()
            ));
        }
        if !out.contains(&s) {
            out.push(s);
        }
    }
    Ok(out.join(","))
}

/// Creates a back-office API key for the tenant with `scopes` (as
/// [`parse_scopes`] returns them); returns the key, which is shown once and
/// kept only as a hash.
///
/// # Errors
/// A database failure.
pub async fn create_api_token(
    db: &Db,
    scope: TenantScope,
    name: &str,
    scopes: &str,
) -> Result<String, DbError> {
    let token = format!("pt_{}", hex::encode(rand::random::<[u8; 32]>()));
    let q = Query::insert()
        .into_table("core_api_tokens")
        .columns(["tenant_id", "name", "token_hash", "scopes", "created_at"])
        .values_panic([
            scope.tenant_id.into(),
            name.chars().take(100).collect::<String>().into(),
            token_hash(&token).into(),
            scopes.into(),
            Utc::now().into(),
        ])
        .to_owned();
    db.execute(&q).await?;
    Ok(token)
}

/// A live API key: its id (for the activity log) and what it may reach.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct ApiKey {
    pub id: i64,
    pub scopes: String,
    pub last_used_at: Option<DateTime<Utc>>,
}
crate::from_sqlite! {
    ApiKey { id, scopes, last_used_at }
}

impl ApiKey {
    /// True when the key may use `scope`.
    pub fn allows(&self, scope: &str) -> bool {
        self.scopes == "*" || self.scopes.split(',').any(|s| s == scope)
    }
}

/// The unrevoked back-office key `token` of the tenant `scope`, if any;
/// notes when it was last used (at most once a minute).
///
/// # Errors
/// A database failure.
pub async fn api_key(db: &Db, scope: TenantScope, token: &str) -> Result<Option<ApiKey>, DbError> {
    let q = scope
        .select("core_api_tokens")
        .columns(["id", "scopes", "last_used_at"])
        .and_where(Expr::col("token_hash").eq(token_hash(token)))
        .and_where(Expr::col("revoked_at").is_null())
        .to_owned();
    let Some(key) = db.fetch_optional::<ApiKey>(&q).await? else {
        return Ok(None);
    };
    let now = Utc::now();
    if key
        .last_used_at
        .is_none_or(|t| now - t > chrono::Duration::seconds(60))
    {
        db.execute(
            &scope
                .update("core_api_tokens")
                .value("last_used_at", now)
                .and_where(Expr::col("id").eq(key.id))
                .to_owned(),
        )
        .await?;
    }
    Ok(Some(key))
}

/// True when `token` is a live back-office key of the tenant `scope`.
///
/// # Errors
/// A database failure.
pub async fn api_token_valid(db: &Db, scope: TenantScope, token: &str) -> Result<bool, DbError> {
    Ok(api_key(db, scope, token).await?.is_some())
}

/// An API key as staff see it (never the key itself).
#[derive(Debug, Clone, sqlx::FromRow, serde::Serialize)]
pub struct ApiKeyInfo {
    pub id: i64,
    pub name: String,
    pub scopes: String,
    pub created_at: DateTime<Utc>,
    pub last_used_at: Option<DateTime<Utc>>,
    pub revoked_at: Option<DateTime<Utc>>,
}
crate::from_sqlite! {
    ApiKeyInfo { id, name, scopes, created_at, last_used_at, revoked_at }
}

/// The tenant's API keys, newest first.
///
/// # Errors
/// A database failure.
pub async fn api_keys(db: &Db, scope: TenantScope) -> Result<Vec<ApiKeyInfo>, DbError> {
    db.fetch_all(
        &scope
            .select("core_api_tokens")
            .columns([
                "id",
                "name",
                "scopes",
                "created_at",
                "last_used_at",
                "revoked_at",
            ])
            .order_by("id", Order::Desc)
            .to_owned(),
    )
    .await
}

/// Revokes an API key of the tenant; false when it has no such live key.
///
/// # Errors
/// A database failure.
pub async fn revoke_api_key(db: &Db, scope: TenantScope, id: i64) -> Result<bool, DbError> {
    let n = db
        .execute(
            &scope
                .update("core_api_tokens")
                .value("revoked_at", Utc::now())
                .and_where(Expr::col("id").eq(id))
                .and_where(Expr::col("revoked_at").is_null())
                .to_owned(),
        )
        .await?;
    Ok(n == 1)
}
