//! A QDC-style portal (seed 000, "MijnQDC"): the customers of a hosting
//! company log in with their customer number, e-mail and password, may
//! switch on two-factor authentication, reset a forgotten password with a
//! link valid one hour, and see their Details (the home page), their
//! Abonnementen with cost specifications and their Facturen in the portal
//! and as PDF. Only the login account (password, two-step verification)
//! is changed in the portal; other changes go by e-mail to support. Dutch
//! by default, English too.
//!
//! `cargo run --example qdc --features invoices,subscriptions -- demo`
//! creates the hosting company's tenant with several customers, a year of
//! invoices each and their subscriptions, prints the logins and serves it;
//! `--no-serve` only creates, `--json` prints JSON. Every other command is
//! the standard `portal` command line.

mod demo;
#[path = "../shared/run.rs"]
mod run;

fn main() {
    run::main("qdc", "MijnQDC demo portal ready (Dutch, formal).", |p| {
        Box::pin(demo::setup(p))
    });
}
