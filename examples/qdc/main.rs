//! A QDC-style portal (seed 000, "MijnQDC"): customers log in with their
//! customer number, e-mail and password, may switch on two-factor
//! authentication, reset a forgotten password with a link valid one hour,
//! and see their details, their subscriptions with cost specifications and
//! their invoices in the portal and as PDF. Dutch by default, English too.
//! Changes go by e-mail to support (change requests stay off).
//!
//! `cargo run --example qdc --features invoices,subscriptions -- demo`
//! creates a tenant with several customers, a year of invoices each and
//! their subscriptions, prints the logins and serves it.

fn main() {
    portal::cli::run();
}
