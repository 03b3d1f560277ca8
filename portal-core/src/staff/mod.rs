//! The tenant's own staff: accounts separate from customer accounts, with
//! their own login at `/staff` (two-factor authentication required: no
//! staff session is complete without a code), a staff role per tenant, and
//! "view as customer" (seed 002 "omschakelen naar klantsite").
//!
//! Layout:
//! - `members.rs`: staff accounts (create, find, list) and their roles
//! - `session.rs`: staff sessions in the database, and the view-as target
//! - `login.rs`: password step, code step, first-time 2FA setup, logout
//! - `view_as.rs`: starting and ending view-as, recorded in the activity log
//! - `permission.rs`: staff permissions as types, core's own, and the `StaffReach`

pub mod login;
pub mod members;
pub mod permission;
pub mod session;
pub mod view_as;

pub use members::{Member, StaffRole};
pub use permission::{StaffPerm, StaffPermission, StaffReach};
pub use session::StaffSession;
