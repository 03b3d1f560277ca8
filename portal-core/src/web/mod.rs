//! The HTML side: rendering with themes, texts, request context, CSRF,
//! error pages, security headers and core's own pages.
//!
//! Layout:
//! - `outer.rs`: request id, security headers, last-resort errors
//! - `context.rs`: tenant + language + CSRF cookie per request, themed errors, the `Page` extractor
//! - `csrf.rs`: the one CSRF check
//! - `render.rs`: minijinja, theme lookup, static files with cache-busting names
//! - `i18n.rs`: Dutch and English texts, language negotiation
//! - `chart.rs`: server-rendered SVG bar charts for modules (logbook activity, consumption)
//! - `spreadsheet.rs`: CSV downloads for spreadsheets, safe from formula injection
//! - `nav.rs`: navigation from enabled modules and permissions
//! - `errors.rs`: error pages and JSON errors
//! - `format.rs`: amounts (integer cents) and dates per language
//! - `pages.rs`: home, language switch, branding files, static files, health
//! - `mailbox.rs`: the development mailbox
//! - `guard.rs`: the logged-in-user extractor, the client address, session cookies
//! - `login.rs`: login (password and TOTP step), logout
//! - `links.rs`: forgot password, reset and invitation links, registration and its confirmation
//! - `settings.rs`: the account settings page
//! - `organisation.rs`: the organisation page (details, locations, contact persons)
//! - `customer_switch.rs`: the header's customer switcher (parent accounts)
//! - `staff/`: the staff pages at `/staff` (login with 2FA, customers, accounts, view-as, keys, settings)
//! - `people.rs`: changing organisation details, personal data, contact persons, rights

pub mod chart;
pub mod context;
pub mod csrf;
pub mod customer_switch;
pub mod errors;
pub mod format;
pub mod guard;
pub mod i18n;
pub mod links;
pub mod login;
pub mod mailbox;
pub mod nav;
pub mod organisation;
pub mod outer;
pub mod pages;
pub mod people;
pub mod render;
pub mod settings;
pub mod spreadsheet;
pub mod staff;

pub use context::{Page, RequestCx, RequestId, ViewAs};
pub use render::Renderer;
