//! Tenants: the companies whose customers use the portal.
//!
//! A [`Tenant`] is an in-memory snapshot (see `cache.rs`) resolved for every
//! request before anything else (`resolve.rs`). Tenant-owned rows are only
//! reachable through a [`TenantScope`], which code outside this module can
//! obtain only from a resolved [`Tenant`]: a query without `tenant_id` is
//! hard to write by accident.
//!
//! Layout:
//! - `cache.rs`: the snapshot of all tenants, invalidated across processes
//! - `resolve.rs`: host, shared host + code, and dev host resolution
//! - `repo.rs`: creating and changing tenants, URLs, modules, settings, tokens
//! - `url.rs`: portal URL validation
//! - `branding.rs`, `contrast.rs`, `upload_check.rs`: branding and its checks
//! - `messages.rs`: page messages and their sanitiser

pub mod branding;

/// Core's own setting components beside the modules': `auth` (login and
/// sessions) and `portal` (edit policies, home, navigation), with the text
/// key of each one's heading.
pub const CORE_SETTINGS: &[(&str, &[crate::module::SettingSpec], &str)] = &[
    (
        crate::auth::settings::COMPONENT,
        crate::auth::settings::SETTINGS,
        "staff-settings-auth",
    ),
    (
        crate::access::edit_policy::COMPONENT,
        crate::access::edit_policy::SETTINGS,
        "staff-settings-layout",
    ),
];

/// The settings of core component `name`, if it is one.
pub fn core_settings(name: &str) -> Option<&'static [crate::module::SettingSpec]> {
    CORE_SETTINGS
        .iter()
        .find(|(n, _, _)| *n == name)
        .map(|(_, s, _)| *s)
}
pub mod cache;
pub mod contrast;
pub mod images;
pub mod messages;
pub mod repo;
pub mod resolve;
pub mod upload_check;
pub mod url;

use std::collections::{BTreeMap, BTreeSet};

use sea_query::{
    DeleteStatement, Expr, ExprTrait, InsertStatement, Query, SelectStatement, SimpleExpr,
    UpdateStatement,
};
use serde::{Deserialize, Serialize};

pub use branding::Branding;
pub use cache::TenantCache;
pub use messages::{MessageKind, PageMessage};
pub use resolve::Resolved;

/// Interface languages.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, poem_openapi::Enum)]
#[serde(rename_all = "lowercase")]
#[oai(rename_all = "lowercase")]
pub enum Lang {
    Nl,
    En,
}

impl Lang {
    pub const ALL: [Lang; 2] = [Lang::Nl, Lang::En];

    pub fn code(self) -> &'static str {
        match self {
            Lang::Nl => "nl",
            Lang::En => "en",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        match s.trim().to_ascii_lowercase().as_str() {
            "nl" => Some(Lang::Nl),
            "en" => Some(Lang::En),
            _ => None,
        }
    }
}

/// Form of address in texts and mails: "u" (formal) or "je/jij" (informal).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, poem_openapi::Enum)]
#[serde(rename_all = "lowercase")]
#[oai(rename_all = "lowercase")]
pub enum AddressForm {
    Formal,
    Informal,
}

impl AddressForm {
    pub fn code(self) -> &'static str {
        match self {
            AddressForm::Formal => "formal",
            AddressForm::Informal => "informal",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "formal" => Some(AddressForm::Formal),
            "informal" => Some(AddressForm::Informal),
            _ => None,
        }
    }
}

/// Contact details shown in the footer (seed 004).
#[derive(Debug, Clone, Default, Serialize)]
pub struct Contact {
    pub support_email: Option<String>,
    pub website: Option<String>,
    pub phone: Option<String>,
}

/// A resolved tenant: a snapshot of its row and everything hanging off it.
#[derive(Debug, Clone)]
pub struct Tenant {
    id: i64,
    pub code: String,
    pub name: String,
    pub default_language: Lang,
    pub address_form: AddressForm,
    pub theme: String,
    pub parent_id: Option<i64>,
    pub contact: Contact,
    /// What the tenant set itself.
    pub own_branding: Branding,
    /// What the portal shows: own values, else the parent's when inheriting.
    pub branding: Branding,
    pub brand_inherit: bool,
    /// Checked portal URLs; the first is the primary one used in links.
    pub urls: Vec<url::PortalUrl>,
    pub modules: BTreeSet<String>,
    /// Module settings as stored: module -> key -> value (two levels, so
    /// that a look-up by `&str` needs no owned key: a page reads a dozen).
    pub settings: BTreeMap<String, BTreeMap<String, String>>,
    pub messages: Vec<PageMessage>,
    /// Sender of the tenant's mails; `None` uses the tenant's name and the configured address.
    pub mail_from_name: Option<String>,
    pub mail_from_address: Option<String>,
    pub mail_reply_to: Option<String>,
}

impl Tenant {
    pub fn id(&self) -> i64 {
        self.id
    }

    /// The key to this tenant's rows.
    pub fn scope(&self) -> TenantScope {
        TenantScope { tenant_id: self.id }
    }

    pub fn has_module(&self, name: &str) -> bool {
        self.modules.contains(name)
    }

    /// A module setting, or `None` when the tenant kept the default.
    pub fn setting(&self, module: &str, key: &str) -> Option<&str> {
        self.settings
            .get(module)
            .and_then(|m| m.get(key))
            .map(String::as_str)
    }

    /// A setting of `component` (a module, or `auth`), or the default its
    /// `specs` declare; empty for a key they do not declare. The one
    /// lookup with defaults for every component.
    pub fn setting_or<'a>(
        &'a self,
        component: &str,
        specs: &'static [crate::module::SettingSpec],
        key: &str,
    ) -> &'a str {
        self.setting(component, key).unwrap_or_else(|| {
            specs
                .iter()
                .find(|s| s.key == key)
                .map_or("", |s| s.default)
        })
    }
}

/// Proof that a query runs for one resolved tenant. Only this module can
/// make one, from a [`Tenant`] or an explicit lookup by code.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TenantScope {
    tenant_id: i64,
}

impl TenantScope {
    /// A scope for core's unit tests of statement building.
    #[cfg(test)]
    pub(crate) fn for_tests(tenant_id: i64) -> Self {
        Self { tenant_id }
    }

    pub fn tenant_id(self) -> i64 {
        self.tenant_id
    }

    /// `SELECT ... FROM table WHERE table.tenant_id = <this tenant>`.
    pub fn select(self, table: &'static str) -> SelectStatement {
        let mut q = Query::select();
        q.from(table).and_where(self.condition(table));
        q
    }

    /// `UPDATE table ... WHERE tenant_id = <this tenant>`.
    pub fn update(self, table: &'static str) -> UpdateStatement {
        let mut q = Query::update();
        q.table(table).and_where(self.condition(table));
        q
    }

    /// `DELETE FROM table WHERE tenant_id = <this tenant>`.
    pub fn delete(self, table: &'static str) -> DeleteStatement {
        let mut q = Query::delete();
        q.from_table(table).and_where(self.condition(table));
        q
    }

    /// `INSERT INTO table` with this tenant's `tenant_id` already set: the
    /// caller adds the other columns with [`NewRow::set`].
    pub fn insert(self, table: &'static str) -> NewRow {
        NewRow {
            table,
            columns: vec!["tenant_id"],
            values: vec![self.tenant_id.into()],
        }
    }

    fn condition(self, table: &'static str) -> sea_query::SimpleExpr {
        Expr::col((table, "tenant_id")).eq(self.tenant_id)
    }
}

/// A row to insert into a tenant-owned table, begun by
/// [`TenantScope::insert`] (or `Reach::insert`) so that `tenant_id` (and
/// `customer_id`) never come from the caller's hand.
#[derive(Debug, Clone)]
pub struct NewRow {
    table: &'static str,
    columns: Vec<&'static str>,
    values: Vec<SimpleExpr>,
}

impl NewRow {
    /// Sets a column; setting one twice keeps the last value. `tenant_id`
    /// stays the scope's: a row cannot be written for another tenant.
    #[must_use]
    pub fn set(mut self, column: &'static str, value: impl Into<SimpleExpr>) -> Self {
        if column == "tenant_id" {
            return self;
        }
        let value = value.into();
        match self.columns.iter().position(|c| *c == column) {
            Some(i) => self.values[i] = value,
            None => {
                self.columns.push(column);
                self.values.push(value);
            }
        }
        self
    }

    /// The statement, to run or to extend (`ON CONFLICT`, `RETURNING`).
    pub fn statement(&self) -> InsertStatement {
        Query::insert()
            .into_table(self.table)
            .columns(self.columns.iter().copied())
            .values_panic(self.values.iter().cloned())
            .to_owned()
    }
}

#[cfg(test)]
mod tests {
    use sea_query::SqliteQueryBuilder;

    use super::TenantScope;

    #[test]
    fn a_new_row_carries_the_scopes_tenant_and_no_other() {
        let scope = TenantScope { tenant_id: 7 };
        let sql = scope
            .insert("invoices_invoices")
            .set("tenant_id", 8)
            .set("number", "F-1")
            .set("number", "F-2")
            .statement()
            .to_string(SqliteQueryBuilder);
        assert_eq!(
            sql,
            r#"INSERT INTO "invoices_invoices" ("tenant_id", "number") VALUES (7, 'F-2')"#
        );
    }

    #[test]
    fn every_statement_of_a_scope_filters_on_its_tenant() {
        let scope = TenantScope { tenant_id: 3 };
        for sql in [
            scope.select("t").column("id").to_string(SqliteQueryBuilder),
            scope
                .update("t")
                .value("a", 1)
                .to_string(SqliteQueryBuilder),
            scope.delete("t").to_string(SqliteQueryBuilder),
        ] {
            assert!(sql.contains(r#""t"."tenant_id" = 3"#), "{sql}");
        }
    }
}
