//! The JSON API (poem-openapi): core's back-office API plus each enabled
//! module's parts, merged into one document at `/api/openapi.json` with
//! Swagger UI at `/api/docs`.
//!
//! poem-openapi cannot combine a run-time list of `OpenApi` types, so each
//! part is built on its own ([`ApiPart`]) and core merges their JSON specs,
//! refusing a duplicate path or operation id or a differing schema of the
//! same name.
//!
//! Layout:
//! - `part.rs`: one module's API part and the spec merge
//! - `document.rs`: the merged document's common answers and nullability
//! - `admin.rs`: core's back-office endpoints (tenant, branding, messages, settings)
//! - `mail_admin.rs`: back-office mail endpoints (templates, preview, test, outbox)
//! - `accounts_admin.rs`: back-office endpoints for portal accounts
//! - `sync_admin.rs`: the back-office sync of customers and locations
//! - `events_admin.rs`: the webhook and the list of events
//! - `auth.rs`: back-office API keys (scoped, revocable)
//! - `audit.rs`: the activity log of branding, message, template and settings changes

pub mod accounts_admin;
pub mod admin;
pub mod audit;
pub mod auth;
pub mod document;
pub mod events_admin;
pub mod mail_admin;
pub(crate) mod part;
pub mod sync_admin;

pub use part::{API_VERSION, ApiPart, MergeError, merge_specs};
