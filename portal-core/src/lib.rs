//! `portal-core`: the framework of an embeddable customer portal. It holds
//! no module-specific code; modules plug in through [`module::Module`].
//!
//! Layout:
//! - `app.rs`: the [`app::Portal`] builder: database, registry, migrations, endpoint
//! - `config.rs`: TOML file + `PORTAL_...` environment, with defaults
//! - `db/`: the [`db::Db`] handle (SQLite | PostgreSQL), migrations per component
//! - `module/`: the `Module` descriptor, its hooks and the checked registry
//! - `tenant/`: tenants, resolution, branding, page messages, the cross-process cache
//! - `auth/`: accounts, passwords, sessions, links, throttles, 2FA, registration
//! - `background.rs`: work a request starts but does not wait for
//! - `deps.rs`: the handles domain code takes instead of `AppState`
//! - `access/`: the principal of a request
//! - `staff/`: the tenant's staff: accounts, login with required 2FA, view-as
//! - `files/`: the blob store for uploads
//! - `events/`: events to the back-office: outbox, signed webhooks, retry
//! - `mail/`: mail templates with placeholders, the outbox, delivery
//! - `web/`: rendering, themes, texts, request context, CSRF, errors, headers
//! - `api/`: the OpenAPI back-office API and the merge of module APIs
//! - `cli.rs`: the command line every portal binary's `main` calls
//! - `backup.rs`: `portal backup` / `portal restore` (SQLite and local files)
//! - `metrics.rs`: Prometheus metrics at `/metrics`, behind a token

pub mod access;
pub mod api;
pub mod app;
pub mod auth;
pub mod background;
pub mod backup;
pub mod cli;
pub mod config;
pub mod db;
pub mod deps;
pub mod events;
pub mod files;
pub mod mail;
pub mod metrics;
pub mod module;
pub mod pdf;
pub mod staff;
pub mod tenant;
pub mod web;

pub use app::{AppState, Portal};
pub use config::Config;
pub use db::Db;
pub use deps::Deps;
pub use module::{Hooks, Module, ModuleEntry, Registry};

// Re-exported so modules and the facade use the same versions.
pub use {inventory, minijinja, poem, poem_openapi, sea_query, sqlx};
