//! The module seam: a module is one declarative [`Module`] (a `static`:
//! name, permissions, navigation, settings, mails, assets) plus the few
//! [`Hooks`] that need code, registered with [`crate::register_module!`].
//!
//! Core reads the registry once at start ([`Registry::from_inventory`]),
//! checks it (unique names, dependencies present, no route-prefix clash with
//! core or another module) and hands it to the app builder. Nothing depends
//! on the order in which the linker collected the entries: the registry is
//! sorted by dependencies, then by name.

use std::collections::{BTreeMap, HashSet};
use std::sync::Arc;

use poem::Route;

use crate::api::part::ApiPart;
use crate::config::Config;
use crate::db::{Db, Migrations};

/// A right that a role or grant must hold, e.g. `invoices.view`.
#[derive(Debug, Clone, Copy)]
pub struct Permission {
    pub key: &'static str,
    /// Fluent key of the human name shown to staff.
    pub label_key: &'static str,
    /// The organisation roles that hold it by default (seed 001: invoices
    /// only for `admin`, own tickets for `employee`, ...). Empty
    /// ([`crate::access::EVERY_ACCOUNT`], `roles [*]` in `permission!`):
    /// every logged-in account holds it, for modules whose rights are per
    /// location instead (seed 002 has no organisation roles).
    pub roles: &'static [crate::access::Role],
}

/// One entry in the portal's navigation.
#[derive(Debug, Clone, Copy)]
pub struct NavItem {
    /// Lower comes first; modules pick from 100, 200, ... so they interleave predictably.
    pub order: i32,
    /// Fluent key of the label.
    pub label_key: &'static str,
    /// Path below the module's prefix: `""` is `/<module>`, `"/open"` is `/<module>/open`.
    pub path: &'static str,
    /// Shown only to principals holding this permission (a module's
    /// `P::PERMISSION`); `None` shows it to everyone.
    pub permission: Option<Permission>,
}

impl NavItem {
    /// An entry shown to everyone who may use the module.
    pub const fn new(label_key: &'static str, path: &'static str, order: i32) -> Self {
        Self {
            order,
            label_key,
            path,
            permission: None,
        }
    }

    /// Shown only to principals holding `permission`.
    #[must_use]
    pub const fn needs(self, permission: Permission) -> Self {
        Self {
            permission: Some(permission),
            ..self
        }
    }
}

/// One entry in the staff pages' navigation, for a module's staff page.
#[derive(Debug, Clone, Copy)]
pub struct StaffNavItem {
    /// Lower comes first; core's entries take 10..90, modules from 100.
    pub order: i32,
    /// Fluent key of the label.
    pub label_key: &'static str,
    /// Path below `/staff/<module>`: `""` is the module's first staff page.
    pub path: &'static str,
    /// Shown only to staff whose role holds it (a module's `P::STAFF_PERMISSION`).
    pub permission: crate::staff::StaffPermission,
}

impl StaffNavItem {
    pub const fn new(
        label_key: &'static str,
        path: &'static str,
        order: i32,
        permission: crate::staff::StaffPermission,
    ) -> Self {
        Self {
            order,
            label_key,
            path,
            permission,
        }
    }
}

/// A customer's request that support handles (a subscription change, a
/// move), as the staff pages' one list of requests shows it.
#[derive(Debug, Clone, serde::Serialize)]
pub struct StaffRequest {
    /// The module's number of it.
    pub id: i64,
    /// The customer, where there is one yet (a move-in's resident is not).
    pub customer_id: Option<i64>,
    /// Fluent key of what kind of request it is ("Abonnement wijzigen").
    pub kind_key: &'static str,
    pub subject: String,
    /// The module's status code, and the Fluent key of its label.
    pub status: String,
    pub status_key: String,
    /// False once it is settled (done, rejected).
    pub open: bool,
    pub created_at: chrono::DateTime<chrono::Utc>,
    /// Its staff page below the base, e.g. `/staff/subscriptions/requests/4`.
    pub path: String,
}

/// An embedded default template; a theme may override it by name.
#[derive(Debug, Clone, Copy)]
pub struct Template {
    /// Name below the template root, starting with the module name: `invoices/list.html`.
    pub name: &'static str,
    pub source: &'static str,
}

pub use crate::mail::MailKind;

/// Translations of a module's texts, one Fluent resource per language.
#[derive(Debug, Clone, Copy)]
pub struct Translation {
    pub lang: &'static str,
    pub ftl: &'static str,
}

/// A column whose values are blob keys: blobs no such column refers to are
/// removed by the sweeper (`files::sweep`).
#[derive(Debug, Clone, Copy)]
pub struct BlobColumn {
    pub table: &'static str,
    pub column: &'static str,
}

/// What values a setting accepts.
#[derive(Debug, Clone, Copy)]
pub enum SettingKind {
    Bool,
    Integer { min: i64, max: i64 },
    Text { max_len: usize },
    Choice(&'static [&'static str]),
}

/// A per-tenant setting of a module, with its default and validation.
#[derive(Debug, Clone, Copy)]
pub struct SettingSpec {
    pub key: &'static str,
    pub label_key: &'static str,
    pub kind: SettingKind,
    pub default: &'static str,
}

impl SettingSpec {
    /// A yes/no setting.
    pub const fn flag(key: &'static str, label_key: &'static str, default: bool) -> Self {
        Self {
            key,
            label_key,
            kind: SettingKind::Bool,
            default: if default { "true" } else { "false" },
        }
    }

    /// A text of at most `max_len` characters.
    pub const fn text(
        key: &'static str,
        label_key: &'static str,
        max_len: usize,
        default: &'static str,
    ) -> Self {
        Self {
            key,
            label_key,
            kind: SettingKind::Text { max_len },
            default,
        }
    }

    /// A whole number from `min` to `max` (`default` written as text).
    pub const fn number(
        key: &'static str,
        label_key: &'static str,
        min: i64,
        max: i64,
        default: &'static str,
    ) -> Self {
        Self {
            key,
            label_key,
            kind: SettingKind::Integer { min, max },
            default,
        }
    }

    /// Checks a value for this setting and returns it in canonical form.
    ///
    /// # Errors
    /// The value is not allowed; the message says what is.
    pub fn validate(&self, value: &str) -> Result<String, String> {
        match self.kind {
            SettingKind::Bool => match value {
                "true" | "1" | "on" | "yes" => Ok("true".into()),
                "false" | "0" | "off" | "no" => Ok("false".into()),
                _ => Err(format!(
                    "`{}` must be true or false, not {value:?}",
                    self.key
                )),
            },
            SettingKind::Integer { min, max } => match value.trim().parse::<i64>() {
                Ok(n) if (min..=max).contains(&n) => Ok(n.to_string()),
                _ => Err(format!(
                    "`{}` must be a whole number from {min} to {max}, not {value:?}",
                    self.key
                )),
            },
            SettingKind::Text { max_len } => {
                if value.chars().count() <= max_len {
                    Ok(value.to_string())
                } else {
                    Err(format!(
                        "`{}` may be at most {max_len} characters long",
                        self.key
                    ))
                }
            }
            SettingKind::Choice(choices) => {
                if choices.contains(&value) {
                    Ok(value.to_string())
                } else {
                    Err(format!(
                        "`{}` must be one of {}, not {value:?}",
                        self.key,
                        choices.join(", ")
                    ))
                }
            }
        }
    }
}

/// A card on the customer's home page (seed 004: the open invoices on the
/// overview). Modules make their own, for the principal of the request
/// (a card the principal may not see is simply not returned).
#[derive(Debug, Clone, serde::Serialize)]
pub struct HomeCard {
    /// Lower comes first, like navigation.
    pub order: i32,
    pub title: String,
    /// One short line, e.g. "2 open invoices, € 242,50 to pay".
    pub description: String,
    /// Below the tenant's base, e.g. `/invoices?status=open`.
    pub path: String,
    /// A counter to show large, if any.
    pub count: Option<i64>,
}

/// A list on the customer's home page: a few rows with their columns and
/// a link to the whole list (seed 001: "Wacht op uw reactie", "Historie").
#[derive(Debug, Clone, serde::Serialize)]
pub struct HomeList {
    /// Lower comes first, among the cards.
    pub order: i32,
    pub title: String,
    /// Column headings, translated.
    pub columns: Vec<String>,
    pub rows: Vec<HomeRow>,
    /// The column whose cell links to the row's page (e.g. the subject).
    pub link_column: usize,
    /// Shown instead of the table when there are no rows.
    pub empty: String,
    /// The whole list, below the tenant's base.
    pub path: String,
    /// The link's text, e.g. "Alle tickets".
    pub more: String,
}

/// One row of a [`HomeList`]: its cells (as many as the columns) and the
/// page it opens (below the tenant's base).
#[derive(Debug, Clone, serde::Serialize)]
pub struct HomeRow {
    pub cells: Vec<String>,
    pub path: String,
}

/// What a module's demo data is made for (`portal demo`): the handles
/// domain code uses, the demo tenant and its customers.
pub struct DemoCx<'a> {
    pub deps: crate::deps::Deps,
    pub tenant: &'a crate::tenant::Tenant,
    /// External ids of the demo tenant's customers; the printed login
    /// belongs to the first.
    pub customers: &'a [String],
    registry: &'a Registry,
}

impl<'a> DemoCx<'a> {
    /// The context for `tenant`'s demo data.
    pub fn new(
        deps: crate::deps::Deps,
        registry: &'a Registry,
        tenant: &'a crate::tenant::Tenant,
        customers: &'a [String],
    ) -> Self {
        DemoCx {
            deps,
            tenant,
            customers,
            registry,
        }
    }

    /// The demo tenant's scope, where every demo row goes.
    pub fn scope(&self) -> crate::tenant::TenantScope {
        self.tenant.scope()
    }

    /// What account `a` reaches, to write demo rows as that account would
    /// (a ticket it sent): the one way besides a permission check to get a
    /// [`crate::access::Reach`], for demo data only.
    ///
    /// # Errors
    /// A database failure, as text for the operator.
    pub async fn reach_of(
        &self,
        a: &crate::auth::accounts::Account,
    ) -> Result<crate::access::Reach, String> {
        let p = crate::access::load::principal(&self.deps.db, self.registry, self.tenant, a)
            .await
            .map_err(|e| e.to_string())?;
        let access = p.access.ok_or("the demo account has no access")?;
        Ok(crate::access::Reach::new(
            self.deps.db.clone(),
            self.tenant.scope(),
            &access,
        ))
    }
}

/// A boxed future, for the async [`Hooks`].
pub type BoxFuture<'a, T> = std::pin::Pin<Box<dyn std::future::Future<Output = T> + Send + 'a>>;

/// What a module's route builders may use.
#[derive(Debug, Clone)]
pub struct ModuleCx {
    pub db: Db,
    pub config: Arc<Config>,
}

/// One side of a module's JSON API, mounted by core at the prefix it
/// derives from the module's name.
pub struct ApiMount(Box<dyn FnOnce(&str) -> ApiPart + Send>);

impl ApiMount {
    fn new<T: poem_openapi::OpenApi + Send + 'static>(api: T) -> Self {
        Self(Box::new(move |prefix| ApiPart::new(api, prefix)))
    }

    /// The part, served under `prefix`.
    pub(crate) fn mount(self, prefix: &str) -> ApiPart {
        (self.0)(prefix)
    }
}

/// A module's JSON API: customer part (`/api/v1/<name>`) and back-office
/// part (`/api/admin/v1/<name>`, API-key scope `<name>`), each optional;
/// core derives both prefixes.
#[derive(Default)]
pub struct ModuleApi {
    pub customer: Option<ApiMount>,
    pub admin: Option<ApiMount>,
}

impl ModuleApi {
    /// A back-office API only.
    pub fn admin<T: poem_openapi::OpenApi + Send + 'static>(api: T) -> Self {
        Self {
            customer: None,
            admin: Some(ApiMount::new(api)),
        }
    }

    /// A customer API only.
    pub fn customer<T: poem_openapi::OpenApi + Send + 'static>(api: T) -> Self {
        Self {
            customer: Some(ApiMount::new(api)),
            admin: None,
        }
    }

    /// Adds a customer API to a back-office one.
    #[must_use]
    pub fn with_customer<T: poem_openapi::OpenApi + Send + 'static>(self, api: T) -> Self {
        Self {
            customer: Some(ApiMount::new(api)),
            ..self
        }
    }
}

/// The code a module runs: its routes, API, demo data and home cards.
/// Everything else a module is, it declares as data in its [`Module`].
pub trait Hooks: Send + Sync + 'static {
    /// HTML routes, mounted at `/<name>`.
    fn routes(&self, _cx: &ModuleCx) -> Option<Route> {
        None
    }
    /// JSON API parts.
    fn api(&self, _cx: &ModuleCx) -> ModuleApi {
        ModuleApi::default()
    }
    /// Demo data for `portal demo` (idempotent: a second run changes nothing).
    ///
    /// # Errors
    /// What failed, for the operator.
    fn demo<'a>(&'a self, _cx: &'a DemoCx<'a>) -> BoxFuture<'a, Result<(), String>> {
        Box::pin(async { Ok(()) })
    }
    /// Cards on the home page for this request's principal.
    ///
    /// # Errors
    /// A database failure (the home page shows a 500 with a correlation id).
    fn home_cards<'a>(&'a self, _cx: &'a dyn CardCx) -> BoxFuture<'a, poem::Result<Vec<HomeCard>>> {
        Box::pin(async { Ok(Vec::new()) })
    }
    /// Lists on the home page for this request's principal (seed 001: the
    /// topics waiting for the customer's reaction, with date, subject,
    /// form and status), placed among the cards by their order.
    ///
    /// # Errors
    /// A database failure (the home page shows a 500 with a correlation id).
    fn home_lists<'a>(&'a self, _cx: &'a dyn CardCx) -> BoxFuture<'a, poem::Result<Vec<HomeList>>> {
        Box::pin(async { Ok(Vec::new()) })
    }
    /// The customers' requests this module has, for the staff pages' list
    /// (`open`: only those not settled yet), newest first.
    ///
    /// # Errors
    /// A database failure.
    fn staff_requests<'a>(
        &'a self,
        _reach: &'a crate::staff::StaffReach,
        _open: bool,
    ) -> BoxFuture<'a, Result<Vec<StaffRequest>, crate::db::DbError>> {
        Box::pin(async { Ok(Vec::new()) })
    }
    /// Staff pages, mounted at `/staff/<name>` behind the staff login (the
    /// handlers name their staff permission: `Staff<P>`).
    fn staff_routes(&self, _cx: &ModuleCx) -> Option<Route> {
        None
    }
    /// A number to show beside the module's staff navigation entry at
    /// `path` (open tickets, new requests), for a member holding its
    /// permission; `None` shows none.
    ///
    /// # Errors
    /// A database failure.
    fn staff_count<'a>(
        &'a self,
        _reach: &'a crate::staff::StaffReach,
        _path: &'a str,
    ) -> BoxFuture<'a, Result<Option<i64>, crate::db::DbError>> {
        Box::pin(async { Ok(None) })
    }
    /// What a visitor who is not logged in can do besides logging in
    /// (seed 004's start page "Hoe kunnen wij helpen?": move in, move
    /// out). Shown on the login page, ordered by `order`, for a tenant that
    /// enabled the module.
    fn start_actions(&self, _tenant: &crate::tenant::Tenant) -> Vec<StartAction> {
        Vec::new()
    }
    /// The mail an account's password link goes out as, where the module
    /// owns it (seed 003: a dossier's activation and reset mails with the
    /// dossier's placeholders, and a partner without an e-mail address
    /// reached through the first client). `None` leaves core's `auth.*`
    /// mail. Asked only for tenants that enabled the module; where two
    /// modules answer, the one first by name wins.
    ///
    /// # Errors
    /// A database failure.
    fn account_mail<'a>(
        &'a self,
        _cx: &'a AccountMailCx<'a>,
    ) -> BoxFuture<'a, Result<Option<AccountMail>, crate::db::DbError>> {
        Box::pin(async { Ok(None) })
    }
    /// Hourly upkeep in the background (expired drafts, retention); returns
    /// how many rows it removed, for the log.
    ///
    /// # Errors
    /// What failed, for the operator's log (the next hour tries again).
    fn housekeeping<'a>(&'a self, _db: &'a crate::db::Db) -> BoxFuture<'a, Result<u64, String>> {
        Box::pin(async { Ok(0) })
    }
}

/// What a module gets to build an account's link mail.
pub struct AccountMailCx<'a> {
    pub db: &'a crate::db::Db,
    pub tenant: &'a crate::tenant::Tenant,
    pub account: &'a crate::auth::accounts::Account,
    /// `invite` (the first password) or `reset`.
    pub purpose: &'static str,
    /// The name the account logs in with, and its link.
    pub login: &'a str,
    pub url: &'a str,
    /// Core's values of the mail (`user.*`, `link.*`), to extend.
    pub values: &'a crate::mail::MailValues,
}

/// A module's link mail: its key, all its values, and where it goes when
/// not to the account's own address.
pub struct AccountMail {
    pub key: &'static str,
    pub values: crate::mail::MailValues,
    pub to: Option<crate::mail::Recipient>,
}

/// An action on the start (login) page for visitors: a text key for the
/// title and one for the explanation, and the path below the tenant.
#[derive(Debug, Clone)]
pub struct StartAction {
    pub order: i32,
    pub title_key: &'static str,
    pub text_key: &'static str,
    pub path: &'static str,
}

/// What a home card may ask of the request: the principal's reach for a
/// permission, its language and texts. The web layer's logged-in page
/// implements it, so the module seam needs nothing of the web layer.
pub trait CardCx: Send + Sync {
    /// The reach for `permission`, or `None` when the principal lacks it.
    fn reach_for(&self, permission: &Permission) -> Option<crate::access::Reach>;
    /// The request's language.
    fn lang(&self) -> crate::tenant::Lang;
    /// A text in the request's language.
    fn t(&self, key: &str) -> String;
    /// A text with arguments in the request's language.
    fn t_with(&self, key: &str, args: poem::i18n::I18NArgs<'_>) -> String;
}

impl dyn CardCx + '_ {
    /// The reach for permission `P`, or `None` without it (the card is then
    /// simply not shown).
    pub fn reach<P: crate::access::Perm>(&self) -> Option<crate::access::Reach> {
        self.reach_for(&P::PERMISSION)
    }
}

/// A module without code of its own (tests, or data-only modules).
#[derive(Debug, Clone, Copy)]
pub struct NoHooks;
impl Hooks for NoHooks {}

/// A feature of the portal (invoices, tickets, ...), declared once as a
/// `static` and registered with [`crate::register_module!`]:
///
/// ```text
/// pub static INVOICES: Module = Module {
///     name: "invoices",
///     permissions: &[View::PERMISSION],
///     nav: &[NavItem::new("invoices-nav", "", 300).needs(View::PERMISSION)],
///     migrations: Some(&portal_core::module_migrations!()),
///     templates: portal_core::module_templates!("invoices"; "list.html", "show.html"),
///     translations: portal_core::module_translations!(),
///     hooks: &InvoicesHooks,
///     ..Module::NONE
/// };
/// portal_core::register_module!(INVOICES);
/// ```
///
/// The registry checks it at start (see [`Registry::new`]).
#[derive(Clone, Copy)]
pub struct Module {
    /// Also its URL prefix, template folder, table prefix and setting key.
    pub name: &'static str,
    pub depends_on: &'static [&'static str],
    pub migrations: Option<&'static Migrations>,
    /// Its permissions (declared with `permission!`), with default roles.
    pub permissions: &'static [Permission],
    pub nav: &'static [NavItem],
    /// Its staff permissions (declared with `staff_permission!`).
    pub staff_permissions: &'static [crate::staff::StaffPermission],
    /// Entries of the staff navigation for its staff pages.
    pub staff_nav: &'static [StaffNavItem],
    /// Links on a customer's staff page to this module's staff pages for
    /// that customer (`?customer=<id>` is appended): its tickets, a new one.
    pub staff_customer_links: &'static [StaffNavItem],
    /// Embedded default templates; a theme may override any of them.
    pub templates: &'static [Template],
    pub mails: &'static [MailKind],
    /// Per-tenant settings with defaults; read them with [`Module::setting`].
    pub settings: &'static [SettingSpec],
    pub translations: &'static [Translation],
    /// Columns holding keys of blobs this module stored.
    pub blob_columns: &'static [BlobColumn],
    pub hooks: &'static dyn Hooks,
}

impl std::fmt::Debug for Module {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Module").field("name", &self.name).finish()
    }
}

impl Module {
    /// Nothing declared: the base of a module's `..Module::NONE`.
    pub const NONE: Module = Module {
        name: "",
        depends_on: &[],
        migrations: None,
        permissions: &[],
        nav: &[],
        staff_permissions: &[],
        staff_nav: &[],
        staff_customer_links: &[],
        templates: &[],
        mails: &[],
        settings: &[],
        translations: &[],
        blob_columns: &[],
        hooks: &NoHooks,
    };

    pub fn name(&self) -> &'static str {
        self.name
    }
    pub fn depends_on(&self) -> &'static [&'static str] {
        self.depends_on
    }
    pub fn migrations(&self) -> Option<&'static Migrations> {
        self.migrations
    }
    pub fn permissions(&self) -> &'static [Permission] {
        self.permissions
    }
    pub fn nav(&self) -> &'static [NavItem] {
        self.nav
    }
    pub fn staff_permissions(&self) -> &'static [crate::staff::StaffPermission] {
        self.staff_permissions
    }
    pub fn staff_nav(&self) -> &'static [StaffNavItem] {
        self.staff_nav
    }
    pub fn staff_customer_links(&self) -> &'static [StaffNavItem] {
        self.staff_customer_links
    }
    pub fn staff_routes(&self, cx: &ModuleCx) -> Option<Route> {
        self.hooks.staff_routes(cx)
    }
    /// # Errors
    /// See [`Hooks::staff_requests`].
    pub fn staff_requests<'a>(
        &'a self,
        reach: &'a crate::staff::StaffReach,
        open: bool,
    ) -> BoxFuture<'a, Result<Vec<StaffRequest>, crate::db::DbError>> {
        self.hooks.staff_requests(reach, open)
    }
    /// # Errors
    /// See [`Hooks::staff_count`].
    pub fn staff_count<'a>(
        &'a self,
        reach: &'a crate::staff::StaffReach,
        path: &'a str,
    ) -> BoxFuture<'a, Result<Option<i64>, crate::db::DbError>> {
        self.hooks.staff_count(reach, path)
    }
    pub fn start_actions(&self, tenant: &crate::tenant::Tenant) -> Vec<StartAction> {
        self.hooks.start_actions(tenant)
    }
    /// # Errors
    /// See [`Hooks::account_mail`].
    pub fn account_mail<'a>(
        &'a self,
        cx: &'a AccountMailCx<'a>,
    ) -> BoxFuture<'a, Result<Option<AccountMail>, crate::db::DbError>> {
        self.hooks.account_mail(cx)
    }
    /// # Errors
    /// See [`Hooks::housekeeping`].
    pub fn housekeeping<'a>(&'a self, db: &'a crate::db::Db) -> BoxFuture<'a, Result<u64, String>> {
        self.hooks.housekeeping(db)
    }
    pub fn templates(&self) -> &'static [Template] {
        self.templates
    }
    pub fn mails(&self) -> &'static [MailKind] {
        self.mails
    }
    pub fn settings(&self) -> &'static [SettingSpec] {
        self.settings
    }
    pub fn translations(&self) -> &'static [Translation] {
        self.translations
    }
    pub fn blob_columns(&self) -> &'static [BlobColumn] {
        self.blob_columns
    }
    pub fn routes(&self, cx: &ModuleCx) -> Option<Route> {
        self.hooks.routes(cx)
    }
    pub fn api(&self, cx: &ModuleCx) -> ModuleApi {
        self.hooks.api(cx)
    }
    /// # Errors
    /// See [`Hooks::demo`].
    pub fn demo<'a>(&'a self, cx: &'a DemoCx<'a>) -> BoxFuture<'a, Result<(), String>> {
        self.hooks.demo(cx)
    }
    /// # Errors
    /// See [`Hooks::home_cards`].
    pub fn home_cards<'a>(
        &'a self,
        cx: &'a dyn CardCx,
    ) -> BoxFuture<'a, poem::Result<Vec<HomeCard>>> {
        self.hooks.home_cards(cx)
    }
    /// # Errors
    /// See [`Hooks::home_lists`].
    pub fn home_lists<'a>(
        &'a self,
        cx: &'a dyn CardCx,
    ) -> BoxFuture<'a, poem::Result<Vec<HomeList>>> {
        self.hooks.home_lists(cx)
    }

    /// The tenant's value of setting `key` of this module, or its declared
    /// default (empty for a key the module does not declare).
    pub fn setting<'a>(&self, tenant: &'a crate::tenant::Tenant, key: &str) -> &'a str {
        tenant.setting_or(self.name, self.settings, key)
    }

    /// A yes/no setting of this module (its default where the tenant kept it).
    pub fn flag(&self, tenant: &crate::tenant::Tenant, key: &str) -> bool {
        self.setting(tenant, key) == "true"
    }
}

/// The value a module submits to the registry.
pub struct ModuleEntry(pub &'static Module);
inventory::collect!(ModuleEntry);

/// Registers a module's `static` [`Module`] with the registry (once per module).
#[macro_export]
macro_rules! register_module {
    ($module:path) => {
        $crate::inventory::submit! { $crate::ModuleEntry(&$module) }
    };
}

/// The calling crate's migrations, from its `migrations/sqlite` and
/// `migrations/postgres` folders (add both to `build.rs`'s rerun list).
#[macro_export]
macro_rules! module_migrations {
    () => {
        $crate::db::Migrations {
            sqlite: $crate::sqlx::migrate!("migrations/sqlite"),
            postgres: $crate::sqlx::migrate!("migrations/postgres"),
        }
    };
}

/// The calling crate's templates from its `templates/` folder, registered
/// as `<module>/<file>`: `module_templates!("invoices"; "list.html")`.
#[macro_export]
macro_rules! module_templates {
    ($module:literal; $($file:literal),+ $(,)?) => {
        &[$($crate::module::Template {
            name: concat!($module, "/", $file),
            source: include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/templates/", $file)),
        }),+]
    };
}

/// The calling crate's texts: `locales/nl.ftl`, `locales/nl-informal.ftl`
/// (the informal forms of the Dutch messages that address the reader) and
/// `locales/en.ftl`.
#[macro_export]
macro_rules! module_translations {
    () => {
        &[
            $crate::module::Translation {
                lang: "nl",
                ftl: include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/locales/nl.ftl")),
            },
            $crate::module::Translation {
                lang: "nl-informal",
                ftl: include_str!(concat!(
                    env!("CARGO_MANIFEST_DIR"),
                    "/locales/nl-informal.ftl"
                )),
            },
            $crate::module::Translation {
                lang: "en",
                ftl: include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/locales/en.ftl")),
            },
        ]
    };
}

/// Path segments that core serves itself; no module may take them.
pub const RESERVED_PREFIXES: &[&str] = &[
    "api",
    "static",
    "health",
    "metrics",
    "lang",
    "branding",
    "login",
    "logout",
    "settings",
    "account",
    "password",
    "auth",
    "register",
    "staff",
    "admin",
    "files",
    "core",
    "mailbox",
    "mail",
    "tenant",
    "messages",
    "organisation",
    "customer",
    // Core's staff pages, below /staff where modules' staff pages sit too.
    "customers",
    "accounts",
    "activity",
    "permissions",
    "templates",
    "members",
    "requests",
    "me",
];

/// Why the registry was refused at start.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum RegistryError {
    #[error("module name {0:?} is registered twice")]
    Duplicate(&'static str),
    #[error(
        "module {module:?} depends on {missing:?}, which is not compiled in (enable its cargo feature)"
    )]
    MissingDependency {
        module: &'static str,
        missing: &'static str,
    },
    #[error("module {0:?} takes the route prefix /{0}, which core reserves")]
    ReservedPrefix(&'static str),
    #[error(
        "module {module:?} shows navigation for permission {key:?}, which no compiled-in module declares"
    )]
    UnknownPermission {
        module: &'static str,
        key: &'static str,
    },
    #[error("module name {0:?} is not valid: use lower-case letters, digits and _")]
    BadName(&'static str),
    #[error("modules depend on each other in a cycle: {0}")]
    Cycle(String),
    #[error(
        "module {module:?} declares {what} {key:?}, which does not start with \"{module}.\" or \"{module}/\""
    )]
    Namespace {
        module: &'static str,
        what: &'static str,
        key: &'static str,
    },
}

/// The checked set of compiled-in modules, in dependency order.
#[derive(Clone)]
pub struct Registry {
    modules: Arc<Vec<&'static Module>>,
}

impl std::fmt::Debug for Registry {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_list().entries(self.names()).finish()
    }
}

impl Registry {
    /// Every module the linker kept, checked.
    ///
    /// # Errors
    /// See [`Registry::new`].
    pub fn from_inventory() -> Result<Self, RegistryError> {
        Self::new(
            inventory::iter::<ModuleEntry>
                .into_iter()
                .map(|e| e.0)
                .collect(),
        )
    }

    /// Checks and orders a set of modules.
    ///
    /// # Errors
    /// Duplicate names, a missing dependency, a dependency cycle, a reserved
    /// or malformed name, or a permission/template/mail key outside the
    /// module's namespace.
    pub fn new(modules: Vec<&'static Module>) -> Result<Self, RegistryError> {
        let mut by_name: BTreeMap<&'static str, &'static Module> = BTreeMap::new();
        for m in modules {
            let name = m.name();
            if name.is_empty()
                || !name.starts_with(|c: char| c.is_ascii_lowercase())
                || !name
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
            {
                return Err(RegistryError::BadName(name));
            }
            if RESERVED_PREFIXES.contains(&name) {
                return Err(RegistryError::ReservedPrefix(name));
            }
            if by_name.insert(name, m).is_some() {
                return Err(RegistryError::Duplicate(name));
            }
            check_namespace(m)?;
        }
        let declared: HashSet<&'static str> = by_name
            .values()
            .flat_map(|m| m.permissions().iter().map(|p| p.key))
            .collect();
        for m in by_name.values() {
            for item in m.nav() {
                if let Some(p) = item.permission
                    && !declared.contains(p.key)
                {
                    return Err(RegistryError::UnknownPermission {
                        module: m.name(),
                        key: p.key,
                    });
                }
            }
            let own: HashSet<&str> = m.staff_permissions().iter().map(|p| p.key).collect();
            for item in m.staff_nav().iter().chain(m.staff_customer_links()) {
                if !own.contains(item.permission.key) {
                    return Err(RegistryError::UnknownPermission {
                        module: m.name(),
                        key: item.permission.key,
                    });
                }
            }
            for dep in m.depends_on() {
                if !by_name.contains_key(dep) {
                    return Err(RegistryError::MissingDependency {
                        module: m.name(),
                        missing: dep,
                    });
                }
            }
        }
        // Dependency order (Kahn), ties broken by name: independent of link order.
        let mut ordered: Vec<&'static Module> = Vec::with_capacity(by_name.len());
        let mut placed: HashSet<&'static str> = HashSet::new();
        while ordered.len() < by_name.len() {
            let next = by_name.values().find(|m| {
                !placed.contains(m.name()) && m.depends_on().iter().all(|d| placed.contains(d))
            });
            match next {
                Some(m) => {
                    placed.insert(m.name());
                    ordered.push(*m);
                }
                None => {
                    let rest: Vec<_> = by_name
                        .keys()
                        .filter(|n| !placed.contains(*n))
                        .copied()
                        .collect();
                    return Err(RegistryError::Cycle(rest.join(", ")));
                }
            }
        }
        Ok(Self {
            modules: Arc::new(ordered),
        })
    }

    pub fn iter(&self) -> impl Iterator<Item = &'static Module> + '_ {
        self.modules.iter().copied()
    }

    pub fn names(&self) -> Vec<&'static str> {
        self.iter().map(|m| m.name()).collect()
    }

    pub fn get(&self, name: &str) -> Option<&'static Module> {
        self.iter().find(|m| m.name() == name)
    }
}

fn check_namespace(m: &'static Module) -> Result<(), RegistryError> {
    let module = m.name();
    let dotted = |key: &str| key.strip_prefix(module).is_some_and(|r| r.starts_with('.'));
    for p in m.permissions() {
        if !dotted(p.key) {
            return Err(RegistryError::Namespace {
                module,
                what: "permission",
                key: p.key,
            });
        }
    }
    for p in m.staff_permissions() {
        if !dotted(p.key) {
            return Err(RegistryError::Namespace {
                module,
                what: "staff permission",
                key: p.key,
            });
        }
    }
    for mail in m.mails() {
        if !dotted(mail.key) {
            return Err(RegistryError::Namespace {
                module,
                what: "mail key",
                key: mail.key,
            });
        }
    }
    for t in m.templates() {
        if !t
            .name
            .strip_prefix(module)
            .is_some_and(|r| r.starts_with('/'))
        {
            return Err(RegistryError::Namespace {
                module,
                what: "template",
                key: t.name,
            });
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::{Module, NavItem, Permission, Registry, RegistryError};

    const OTHER: Permission = Permission {
        key: "other.view",
        label_key: "other-view",
        roles: &[],
    };

    /// Shows navigation for a permission that no module declares.
    static STRAY: Module = Module {
        name: "stray",
        nav: &[NavItem::new("stray-nav", "", 1).needs(OTHER)],
        ..Module::NONE
    };

    /// Declares it.
    static OTHER_MODULE: Module = Module {
        name: "other",
        permissions: &[OTHER],
        ..Module::NONE
    };

    #[test]
    fn navigation_for_an_undeclared_permission_refuses_to_start() {
        assert_eq!(
            Registry::new(vec![&STRAY]).err(),
            Some(RegistryError::UnknownPermission {
                module: "stray",
                key: "other.view"
            })
        );
        assert!(Registry::new(vec![&STRAY, &OTHER_MODULE]).is_ok());
    }
}
