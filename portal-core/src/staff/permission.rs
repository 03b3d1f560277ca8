//! Staff permissions as types, declared like customer permissions: core's
//! own below, a module's with [`crate::staff_permission!`] in its crate and
//! listed in its descriptor (`Module.staff_permissions`). A staff handler
//! names one (`Staff<Tickets>`) and gets a [`StaffReach`]; a member whose
//! role does not hold it gets a 404, as for a page that does not exist.

use crate::db::Db;
use crate::staff::StaffRole;
use crate::tenant::TenantScope;

/// A right of the tenant's staff, e.g. `tickets.staff`.
#[derive(Debug, Clone, Copy)]
pub struct StaffPermission {
    pub key: &'static str,
    /// Fluent key of its human name (the permissions page lists them).
    pub label_key: &'static str,
    /// The roles besides admin that hold it (an admin holds every one).
    pub roles: &'static [StaffRole],
}

/// A staff permission as a type: `Staff<P>` checks it. Declare one with
/// [`crate::staff_permission!`].
pub trait StaffPerm: Send + Sync + 'static {
    const STAFF_PERMISSION: StaffPermission;
}

/// Declares staff permissions as unit types with the roles that hold them
/// besides admin:
///
/// ```
/// portal_core::staff_permission! {
///     /// Answer the tenant's tickets.
///     pub Desk = "tickets.staff", label "tickets-staff-permission", roles [Support];
/// }
/// use portal_core::staff::permission::StaffPerm;
/// assert_eq!(Desk::STAFF_PERMISSION.key, "tickets.staff");
/// ```
#[macro_export]
macro_rules! staff_permission {
    ($($(#[$meta:meta])* $vis:vis $name:ident = $key:literal, label $label:literal, roles [$($role:ident),* $(,)?];)+) => {$(
        $(#[$meta])*
        #[derive(Debug, Clone, Copy)]
        $vis struct $name;
        impl $crate::staff::permission::StaffPerm for $name {
            const STAFF_PERMISSION: $crate::staff::permission::StaffPermission =
                $crate::staff::permission::StaffPermission {
                    key: $key,
                    label_key: $label,
                    roles: &[$($crate::staff::StaffRole::$role),*],
                };
        }
    )+};
}

crate::staff_permission! {
    /// Customers, their portal accounts (create, change, reset, delete,
    /// rights), view-as and the activity log.
    pub Customers = "staff.customers", label "staff-perm-customers", roles [Support];
    /// Customers' requests of every module (subscription changes, moves,
    /// advance amounts) and their status.
    pub Requests = "staff.requests", label "staff-perm-requests", roles [Support];
    /// Page messages.
    pub Messages = "staff.messages", label "staff-perm-messages", roles [Support, Editor];
    /// Logo, favicon and colours.
    pub Branding = "staff.branding", label "staff-perm-branding", roles [Editor];
    /// Mail templates: edit, preview, test mail.
    pub Templates = "staff.templates", label "staff-perm-templates", roles [Editor];
    /// Portal settings: URL, contact details, module settings, API keys.
    pub Settings = "staff.settings", label "staff-perm-settings", roles [];
    /// Staff accounts and their roles.
    pub Members = "staff.members", label "staff-perm-members", roles [];
}

/// Core's staff permissions, for the registry's checks and the permissions page.
pub const CORE: &[StaffPermission] = &[
    <Customers as StaffPerm>::STAFF_PERMISSION,
    <Requests as StaffPerm>::STAFF_PERMISSION,
    <Messages as StaffPerm>::STAFF_PERMISSION,
    <Branding as StaffPerm>::STAFF_PERMISSION,
    <Templates as StaffPerm>::STAFF_PERMISSION,
    <Settings as StaffPerm>::STAFF_PERMISSION,
    <Members as StaffPerm>::STAFF_PERMISSION,
];

/// What a staff member holding a permission reaches: the whole of their
/// own tenant (staff serve every customer of it), and who they are, for
/// the activity log and for rows they write (a reply, a note). Made only
/// by core, after the permission check, so a module's staff store call
/// that takes one cannot run for anybody else.
#[derive(Debug, Clone)]
pub struct StaffReach {
    db: Db,
    scope: TenantScope,
    member_id: i64,
    member_name: String,
}

impl StaffReach {
    pub(crate) fn new(db: Db, scope: TenantScope, member_id: i64, member_name: String) -> Self {
        Self {
            db,
            scope,
            member_id,
            member_name,
        }
    }

    pub fn db(&self) -> &Db {
        &self.db
    }

    /// The staff member's tenant: every statement starts from it.
    pub fn scope(&self) -> TenantScope {
        self.scope
    }

    pub fn member_id(&self) -> i64 {
        self.member_id
    }

    /// The member's name (their e-mail address when they have none), as
    /// customers see it on a reply.
    pub fn member_name(&self) -> &str {
        &self.member_name
    }

    /// Writes what the member did to the activity log (of the customer,
    /// when it concerns one; `object` names the row, e.g. `ticket:12`).
    ///
    /// # Errors
    /// A database failure.
    pub async fn record(
        &self,
        action: &str,
        customer_id: Option<i64>,
        object: &str,
        detail: &str,
        ip: Option<&str>,
    ) -> Result<(), crate::db::DbError> {
        let entry = crate::auth::activity::Entry {
            user_id: None,
            customer_id,
            actor: crate::auth::activity::Actor::Staff,
            actor_id: Some(self.member_id),
            action,
            object,
            detail,
            ip,
        };
        crate::auth::activity::record_now(&self.db, self.scope, entry).await
    }
}
