//! Who is asking: the principal of a request and what it may do.
//!
//! After login a request carries the user, its customer, the customers it
//! may see (its own; a parent customer's main account also the children,
//! an extra account of a parent the children it was granted), its roles
//! (seed 001), the permissions those roles hold, and its location rights
//! (seed 002). It is built once per request from the session; guards and
//! queries take it, handlers never re-derive access.
//!
//! Layout:
//! - `roles.rs`: the organisation roles and which permissions they hold
//! - `load.rs`: the principal of a logged-in account, from the database
//! - `parts_cache.rs`: accounts' roles, children and location rights kept per process, checked against the tenant's access version
//! - `import_file.rs`: JSON and CSV files for `portal import`
//! - `reach.rs`: permissions as types and [`Reach`], what a handler holding one may reach
//! - `locations.rs`: what a location-bound query needs, and why one is refused
//! - `organisation.rs`: the organisation details its admin changes
//! - `people.rs`: contact persons, personal data, extra accounts and their rights
//! - `sync.rs`: the back-office sync of customers and locations (bulk upsert)
//! - `sync_rows.rs`: the upsert by external id every module's back-office data shares
//! - `sync_accounts.rs`: the back-office sync of portal accounts (contact persons)

pub mod edit_policy;
pub mod import_file;
pub mod load;
pub mod locations;
pub mod login_email;
pub mod organisation;
pub mod parts_cache;
pub mod people;
pub mod portal_changes;
pub mod reach;
pub mod roles;
pub mod sync;
pub mod sync_accounts;
pub mod sync_rows;

use std::collections::{BTreeMap, BTreeSet};

pub use locations::{Denied, Need};
pub use reach::{Perm, Reach};
pub use roles::{EVERY_ACCOUNT, Role, Roles};

/// The signed-in user as the header shows them.
#[derive(Debug, Clone, serde::Serialize)]
pub struct UserSummary {
    pub name: String,
    pub customer_number: String,
}

/// What a logged-in account may reach.
#[derive(Debug, Clone, Default)]
pub struct Access {
    pub user_id: i64,
    pub customer_id: i64,
    /// The customer's main account (seed 002); false for an extra account.
    pub is_main: bool,
    pub roles: Roles,
    /// The customers whose data this account sees: its own first.
    pub customers: BTreeSet<i64>,
    /// Location rights of an extra account: location id -> may write.
    /// A main account reaches every location of its customers instead.
    pub locations: BTreeMap<i64, bool>,
    /// The names of `customers`, for the header's switcher.
    pub customer_names: BTreeMap<i64, String>,
    /// The customer the pages are for (the header's switcher): one of
    /// `customers`, or `None` for all of them.
    pub current: Option<i64>,
}

impl Access {
    /// True when this account reaches every location of its customers.
    pub fn all_locations(&self) -> bool {
        self.is_main
    }

    pub fn sees_customer(&self, customer_id: i64) -> bool {
        self.customers.contains(&customer_id)
    }

    /// Applies the switcher's choice as stored in the session: `None` is
    /// the account's own customer, `Some(0)` all (only when there is more
    /// than one), any other id that customer if this account sees it.
    pub fn select(&mut self, stored: Option<i64>) {
        self.current = match stored {
            Some(0) if self.customers.len() > 1 => None,
            Some(id) if self.customers.contains(&id) => Some(id),
            _ => Some(self.customer_id),
        };
    }

    /// The customers a page shows: the selected one, or all of them.
    pub fn current_customers(&self) -> Vec<i64> {
        match self.current {
            Some(c) => vec![c],
            None => self.customers.iter().copied().collect(),
        }
    }

    /// The one customer a page for a single customer shows.
    pub fn current_customer(&self) -> i64 {
        self.current.unwrap_or(self.customer_id)
    }
}

/// The caller of a request and the permissions it holds.
#[derive(Debug, Clone, Default)]
pub struct Principal {
    pub user: Option<UserSummary>,
    pub permissions: BTreeSet<String>,
    /// `None` for a visitor who is not logged in.
    pub access: Option<Access>,
}

impl Principal {
    pub fn anonymous() -> Self {
        Self::default()
    }

    /// True when the principal holds permission `P`.
    pub fn holds<P: Perm>(&self) -> bool {
        self.has(P::PERMISSION.key)
    }

    /// By key, for core's navigation; handlers ask with a type
    /// (`User::can::<P>()`, `Require<P>`).
    pub(crate) fn has(&self, permission: &str) -> bool {
        self.permissions.contains(permission)
    }
}
