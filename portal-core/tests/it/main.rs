//! Integration tests of portal-core: one binary, modules by subject.
#![allow(clippy::unwrap_used, clippy::expect_used)] // tests may unwrap (workspace rule: not outside tests)
//! Each database test runs on SQLite and, when `PORTAL_TEST_POSTGRES_URL`
//! is set, on PostgreSQL (each test in its own file or schema).

mod support;
mod testmod;

mod access;
mod api;
mod auth;
mod backup;
mod browser;
mod config;
mod defaults;
mod durability;
mod edit_policy;
mod events;
mod files;
mod idor;
mod layout;
mod mail;
mod metrics;
mod migrations;
mod pdf;
mod people;
mod registry;
#[cfg(feature = "s3")]
mod s3;
mod security;
mod seed003;
mod staff_pages;
mod sync;
mod tenants;
mod web;
use portal_testkit::browser as webdriver;
