//! Access as a capability. A module declares its permissions as types
//! ([`crate::permission!`]); a handler names the one it needs in its
//! signature (`Require<View>`, see `web::guard`) and gets a [`Reach`]
//! back. Store functions for rows that belong to a customer or a location
//! take `&Reach` and start their statements from it, so the tenant,
//! customer and location filters cannot be forgotten: there is no other
//! way to make a `Reach` than through a permission check.
//!
//! ```compile_fail
//! // Only core makes a Reach: a module cannot build one from loose ids.
//! let reach = portal_core::access::Reach { customers: vec![1] };
//! ```
//!
//! ```compile_fail
//! // Nor through its constructor, even with a real access value.
//! use portal_core::access::{Access, Reach};
//! fn forge(db: portal_core::Db, t: &portal_core::tenant::Tenant, a: &Access) -> Reach {
//!     Reach::new(db, t.scope(), a)
//! }
//! ```

use std::collections::BTreeMap;

use sea_query::{
    Cond, DeleteStatement, Expr, ExprTrait, IntoColumnRef, SelectStatement, UpdateStatement,
};

use super::Access;
use super::locations::{Denied, Need};
use crate::db::Db;
use crate::module::Permission;
use crate::tenant::{NewRow, TenantScope};

/// A permission as a type: `Require<P>` checks it, `User::can::<P>()`
/// asks for it. Declare one with [`crate::permission!`].
pub trait Perm: Send + Sync + 'static {
    /// Its key (`invoices.view`), label and default roles.
    const PERMISSION: Permission;
}

/// Declares permissions as unit types, with the roles that hold each by
/// default (`roles [*]`: every logged-in account, for rights that come
/// from location grants):
///
/// ```
/// portal_core::permission! {
///     /// Seeing invoices (and their PDFs).
///     pub View = "invoices.view", label "invoices-permission-view", roles [Admin];
///     /// A logbook's pages: rights per location, not per role.
///     pub Logbook = "logbook.view", label "logbook-permission-view", roles [*];
/// }
/// use portal_core::access::{Perm, Role};
/// assert_eq!(View::PERMISSION.key, "invoices.view");
/// assert_eq!(View::PERMISSION.roles, &[Role::Admin]);
/// assert!(Logbook::PERMISSION.roles.is_empty());
/// ```
#[macro_export]
macro_rules! permission {
    (@roles *) => { $crate::access::EVERY_ACCOUNT };
    (@roles $($role:ident),* $(,)?) => { &[$($crate::access::Role::$role),*] };
    ($($(#[$meta:meta])* $vis:vis $name:ident = $key:literal, label $label:literal, roles [$($roles:tt)*];)+) => {$(
        $(#[$meta])*
        #[derive(Debug, Clone, Copy)]
        $vis struct $name;
        impl $crate::access::Perm for $name {
            const PERMISSION: $crate::module::Permission = $crate::module::Permission {
                key: $key,
                label_key: $label,
                roles: $crate::permission!(@roles $($roles)*),
            };
        }
    )+};
}

/// What a principal holding a permission may reach in this request: the
/// tenant, the customers the page is for (the header's switcher applied),
/// and the location rights. Made only by core, after a permission check.
#[derive(Debug, Clone)]
pub struct Reach {
    db: Db,
    scope: TenantScope,
    user_id: i64,
    /// The one customer that new rows of this page are for.
    customer_id: i64,
    /// The customers the page shows: the switcher's one, or all of them.
    customers: Vec<i64>,
    /// Every customer the account sees, whatever the switcher says.
    visible: Vec<i64>,
    /// A main account reaches every location of `customers`.
    all_locations: bool,
    /// An extra account's granted locations: id -> may write.
    locations: BTreeMap<i64, bool>,
    /// Only rows the account itself created (column `user_id`).
    own_only: bool,
}

impl Reach {
    pub(crate) fn new(db: Db, scope: TenantScope, access: &Access) -> Self {
        Self {
            db,
            scope,
            user_id: access.user_id,
            customer_id: access.current_customer(),
            customers: access.current_customers(),
            visible: access.customers.iter().copied().collect(),
            all_locations: access.all_locations(),
            locations: access.locations.clone(),
            own_only: false,
        }
    }

    /// The same reach, narrowed to the rows the account itself created
    /// (their `user_id` column): an employee's own tickets (seed 001).
    #[must_use]
    pub fn own(&self) -> Self {
        Self {
            own_only: true,
            ..self.clone()
        }
    }

    /// The same reach over every customer the account sees, whatever the
    /// header's switcher chose: for pages addressed by a location (the
    /// logbook's), where the location itself says which customer the page
    /// is for. The location rights stay as they are.
    #[must_use]
    pub fn everywhere(&self) -> Self {
        Self {
            customers: self.visible.clone(),
            ..self.clone()
        }
    }

    pub fn db(&self) -> &Db {
        &self.db
    }

    pub fn scope(&self) -> TenantScope {
        self.scope
    }

    /// The logged-in account.
    pub fn user_id(&self) -> i64 {
        self.user_id
    }

    /// The customer a new row of this page belongs to: the one chosen in
    /// the header's switcher, else the account's own.
    pub fn customer_id(&self) -> i64 {
        self.customer_id
    }

    /// The customers the page shows.
    pub fn customers(&self) -> &[i64] {
        &self.customers
    }

    pub fn sees_customer(&self, customer_id: i64) -> bool {
        self.customers.contains(&customer_id)
    }

    /// The condition on `table`'s `customer_id` (and `user_id` when
    /// narrowed to the own rows), for joins and conditional updates.
    pub fn condition(&self, table: &'static str) -> Cond {
        let mut c = Cond::all()
            .add(Expr::col((table, "customer_id")).is_in(self.customers.iter().copied()));
        if self.own_only {
            c = c.add(Expr::col((table, "user_id")).eq(self.user_id));
        }
        c
    }

    /// `SELECT ... FROM table` within the tenant and the reached customers.
    pub fn select(&self, table: &'static str) -> SelectStatement {
        let mut q = self.scope.select(table);
        q.cond_where(self.condition(table));
        q
    }

    /// `UPDATE table ...` within the tenant and the reached customers.
    pub fn update(&self, table: &'static str) -> UpdateStatement {
        let mut q = self.scope.update(table);
        q.cond_where(self.condition(table));
        q
    }

    /// `DELETE FROM table` within the tenant and the reached customers.
    pub fn delete(&self, table: &'static str) -> DeleteStatement {
        let mut q = self.scope.delete(table);
        q.cond_where(self.condition(table));
        q
    }

    /// A new row of `table` for this tenant and [`Reach::customer_id`].
    pub fn insert(&self, table: &'static str) -> NewRow {
        self.scope
            .insert(table)
            .set("customer_id", self.customer_id)
    }

    /// The condition that `column` (a `core_locations` id) is a location
    /// this reach may use for `need`: of the reached customers (the
    /// switcher applies to main and extra accounts alike) and, for an
    /// extra account, granted (write implies read, seed 002).
    pub fn location_condition(&self, column: impl IntoColumnRef, need: Need) -> Cond {
        let mut reachable = self.scope.select("core_locations");
        reachable.column(("core_locations", "id")).and_where(
            Expr::col(("core_locations", "customer_id")).is_in(self.customers.iter().copied()),
        );
        if !self.all_locations {
            let ids: Vec<i64> = self
                .locations
                .iter()
                .filter(|(_, write)| need == Need::Read || **write)
                .map(|(id, _)| *id)
                .collect();
            if ids.is_empty() {
                // Nothing granted: a condition no row meets.
                return Cond::all().add(Expr::val(1).eq(0));
            }
            reachable.and_where(Expr::col(("core_locations", "id")).is_in(ids));
        }
        Cond::all().add(Expr::col(column).in_subquery(reachable))
    }

    /// `SELECT ... FROM table` within the tenant and the locations this
    /// reach may use for `need`; `column` holds the location id (qualify
    /// it, `(table, column)`, in a statement that joins another table).
    pub fn select_at_locations(
        &self,
        table: &'static str,
        column: impl IntoColumnRef,
        need: Need,
    ) -> SelectStatement {
        let mut q = self.scope.select(table);
        q.cond_where(self.location_condition(column, need));
        q
    }

    /// Checks that this reach may use location `id` for `need`, for a
    /// handler that acts on one location: one it may not read answers
    /// like a missing one (404); a read-only right refuses a write (403).
    /// The rule is [`Reach::location_condition`]'s, asked once per need.
    ///
    /// # Errors
    /// [`Denied`] when refused, or a database failure.
    pub async fn location(&self, id: i64, need: Need) -> Result<(), Denied> {
        let usable = |need| async move {
            let q = self
                .select_at_locations("core_locations", "id", need)
                .column("id")
                .and_where(Expr::col(("core_locations", "id")).eq(id))
                .to_owned();
            self.db
                .fetch_optional::<(i64,)>(&q)
                .await
                .map(|row| row.is_some())
        };
        if !usable(Need::Read).await? {
            return Err(Denied::NotFound);
        }
        if need == Need::Write && !usable(Need::Write).await? {
            return Err(Denied::ReadOnly);
        }
        Ok(())
    }
}
