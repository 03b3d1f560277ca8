//! An Accelerate-style portal (seed 003): an independent mortgage adviser
//! gives each client a personal portal per dossier. Clients log in with a
//! user name (a partner without an e-mail address has one too; an e-mail
//! address on two dossiers logs in to the newest, the user name reaches
//! the older); they see the adviser and the handler, the progress as a
//! percentage, the action items (upload a salary slip, fill in the
//! knowledge-and-experience questionnaire, sign the service agreement),
//! the mortgage's status at the lender, the important documents and the
//! appointment. Advisers review uploads in the staff workspace. Informal
//! Dutch by default (seed 003's activation and reset mails), English too.
//!
//! `cargo run --example accelerate --features dossiers -- demo` creates the
//! office's tenant and its dossiers, prints the logins and serves it;
//! `--no-serve` only creates, `--json` prints JSON. Every other command is
//! the standard `portal` command line.

mod demo;
#[path = "../shared/run.rs"]
mod run;

fn main() {
    run::main(
        "vandijk",
        "Van Dijk Hypotheekadvies demo portal ready (Dutch, informal).",
        |p| Box::pin(demo::setup(p)),
    );
}
