//! A PestScan-style portal (seed 002, "digitaal logboek"): the customers
//! of a pest-control company log in with a user name chosen by the
//! company ("Aanmeldnaam") at the company's own address (`/plaagvrij/login`,
//! or the printed `/login?plaagvrij` on a shared host) and keep the
//! logbook an auditor asks for, per location: checkpoints, visit reports
//! with PDFs, the technician's recommendations with what was done about
//! them, messages both ways and documents. A food factory with three
//! locations and two extra accounts (one read-only, one writing on one
//! location), and a bakery chain as a parent account ("domein
//! contractant") with two branches. Dutch by default, English too.
//!
//! `cargo run --example pestscan --features logbook -- demo` creates the
//! company's tenant with a year of logbook data, prints the logins
//! (including the extra accounts and the staff login) and serves it;
//! `--no-serve` only creates, `--json` prints JSON. Every other command is
//! the standard `portal` command line.

mod demo;
#[path = "../shared/run.rs"]
mod run;

fn main() {
    run::main(
        "plaagvrij",
        "Plaagvrij demo logbook ready (Dutch, formal).",
        |p| Box::pin(demo::setup(p)),
    );
}
