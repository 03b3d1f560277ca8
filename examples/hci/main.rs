//! An HCI-style portal (seed 001, "HCI Klantportaal"): contact persons of
//! a practice log in with e-mail and password after an invitation mail,
//! see "Mijn organisatie" (the practice, their own details, contact
//! persons with their roles), send questions, improvements and bug reports
//! with attachments under "Support", and (admins only) see
//! "Facturen/Abonnement" with the change request. Dutch, informal ("je").
//!
//! `cargo run --example hci --features invoices,subscriptions,tickets -- demo`
//! creates the practice with an admin, an employee and an employee+,
//! tickets in each status with attachments, prints the logins and serves
//! it; `--no-serve` only creates, `--json` prints JSON. Every other command
//! is the standard `portal` command line.

mod demo;
#[path = "../shared/run.rs"]
mod run;

fn main() {
    run::main("hci", "HCI demo portal ready (Dutch, informal).", |p| {
        Box::pin(demo::setup(p))
    });
}
