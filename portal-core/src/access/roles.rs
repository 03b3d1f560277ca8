//! The organisation roles of seed 001: `admin` (Beheerder: everything of
//! the organisation, including invoices, the subscription and contact
//! persons), `employee` (Medewerker: own tickets, own personal data) and
//! `employee_plus` (Medewerker+: also colleagues' tickets; only together
//! with `employee`). Modules say which roles hold each permission by
//! default ([`crate::module::Permission::roles`]).

use std::collections::BTreeSet;

use crate::module::Registry;
use crate::tenant::Tenant;

/// The default holders of a permission that every logged-in account
/// holds: its rights come from location grants, not roles.
pub const EVERY_ACCOUNT: &[Role] = &[];

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Role {
    Admin,
    Employee,
    EmployeePlus,
}

impl Role {
    pub const ALL: [Role; 3] = [Role::Admin, Role::Employee, Role::EmployeePlus];

    pub fn code(self) -> &'static str {
        match self {
            Role::Admin => "admin",
            Role::Employee => "employee",
            Role::EmployeePlus => "employee_plus",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|r| r.code() == s)
    }
}

/// A valid set of roles: `employee_plus` always comes with `employee`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Roles(BTreeSet<Role>);

impl Roles {
    /// The roles as given, with `employee` added where `employee_plus` is.
    pub fn new(roles: impl IntoIterator<Item = Role>) -> Self {
        let mut set: BTreeSet<Role> = roles.into_iter().collect();
        if set.contains(&Role::EmployeePlus) {
            set.insert(Role::Employee);
        }
        Self(set)
    }

    pub fn has(&self, role: Role) -> bool {
        self.0.contains(&role)
    }

    pub fn iter(&self) -> impl Iterator<Item = Role> + '_ {
        self.0.iter().copied()
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The permissions these roles hold among the modules `tenant` enabled.
    pub fn permissions(&self, registry: &Registry, tenant: &Tenant) -> BTreeSet<String> {
        registry
            .iter()
            .filter(|m| tenant.has_module(m.name()))
            .flat_map(|m| m.permissions().iter())
            .filter(|p| p.roles.is_empty() || p.roles.iter().any(|r| self.has(*r)))
            .map(|p| p.key.to_string())
            .collect()
    }
}
