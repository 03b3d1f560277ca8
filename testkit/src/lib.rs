//! `portal-testkit`: what every crate's tests share, so core, the facade
//! and each module test the same way (a dev-dependency only).
//!
//! Layout:
//! - `db.rs`: a database per test ([`TestDb`]) and [`db_test!`] (a test
//!   body run on SQLite and on PostgreSQL)
//! - `portal.rs`: a test portal on SQLite or a PostgreSQL schema of its
//!   own ([`setup`]), its back-office API, a [`Visitor`] without
//!   JavaScript (cookies, CSRF, multipart uploads), customers and accounts
//!   ([`fill_people`]), the mailbox ([`Setup::mails`])
//! - `pdf.rs`: PDFs read back by a real reader (`pdftotext`, `pdffonts`)
//! - `browser.rs`: the real browser (Debian's chromium over chromedriver)
//!   and the accessibility check (axe-core) on every page a test looks at
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::missing_panics_doc)] // test support: a failed step fails the test

pub mod browser;
mod db;
mod pdf;
mod portal;

pub use db::{PG_URL_VAR, TestDb};
pub use pdf::{pdffonts, pdftotext, poppler};
pub use portal::*;

/// The start of a real PNG (signature and IHDR): an upload that passes the
/// type check by content.
pub const PNG: &[u8] =
    b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x01\0\0\0\x01\x08\x06\0\0\0\x1f\x15\xc4\x89";
