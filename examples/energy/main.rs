//! An energy-style portal (seed 004, Zerofriction): the start page "Hoe
//! kunnen wij helpen?" with the public move-in (seven steps, no account)
//! and the move-out; the customers of a heat-network supplier log in with their customer number
//! and e-mail (registration with the customer number is on), see their
//! invoices with seed 004's refund notice, and their consumption of heat
//! and warm tap water (a household, three years of daily readings) or of
//! heat, cooling and electricity on 40 locations (a housing corporation):
//! this year against last year and the estimate, by year, month or day,
//! two periods compared, filtered by location, each with its table and a
//! CSV. The advance per contract, changed within the supplier's range.
//! The supplier's branding (logo, favicon, colours) and page messages on
//! two pages. Dutch by default, English too.
//!
//! `cargo run --example energy --features invoices,consumption,advances,moves -- demo`
//! creates the supplier's tenant and its data, prints the logins and
//! serves it; `--no-serve` only creates, `--json` prints JSON. Every other
//! command is the standard `portal` command line.

mod demo;
#[path = "../shared/run.rs"]
mod run;

fn main() {
    run::main(
        "energy",
        "Warmtenet Oost demo portal ready (Dutch, formal).",
        |p| Box::pin(demo::setup(p)),
    );
}
