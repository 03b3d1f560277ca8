//! An HCI-style portal (seed 001, "HCI Klantportaal"): contact persons of
//! a practice log in with e-mail and password after an invitation mail,
//! see "Mijn organisatie" (the practice, their own details, contact
//! persons with their roles), send questions, improvements and bug reports
//! with attachments under "Support", and (admins only) see
//! "Facturen/Abonnement" with the change request. Dutch by default.
//!
//! `cargo run --example hci --features invoices,subscriptions,tickets -- demo`
//! creates the practice with an admin, an employee and an employee+,
//! tickets in each status with attachments, prints the logins and serves
//! it; `--no-serve` only creates, `--json` prints JSON. Every other command
//! is the standard `portal` command line.

mod demo;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.first().map(String::as_str) != Some("demo") {
        portal::cli::run();
        return;
    }
    let json = args.iter().any(|a| a == "--json");
    let serve = !args.iter().any(|a| a == "--no-serve");
    let mut config = match portal::Config::load(None) {
        Ok(c) => c,
        Err(e) => {
            eprintln!("hci: {e}");
            std::process::exit(2);
        }
    };
    config.mail.mailbox_pages = config.mail.transport == "mailbox";
    let runtime = match tokio::runtime::Runtime::new() {
        Ok(r) => r,
        Err(e) => {
            eprintln!("hci: cannot start the async runtime: {e}");
            std::process::exit(1);
        }
    };
    let result = runtime.block_on(async {
        let portal = portal::Portal::open(config, true).await?;
        let info = demo::setup(&portal).await?;
        if json {
            println!("{info}");
        } else {
            println!("HCI demo portal ready (Dutch).");
            println!("  Open:     {}", info["login_url"].as_str().unwrap_or(""));
            for l in info["logins"].as_array().into_iter().flatten() {
                println!(
                    "  {:<24} e-mail {}  password {}",
                    l["role"].as_str().unwrap_or(""),
                    l["email"].as_str().unwrap_or(""),
                    l["password"].as_str().unwrap_or("")
                );
            }
            println!(
                "  Staff:    {}  (two-step verification is set up at the first login)",
                info["staff_url"].as_str().unwrap_or("")
            );
            for l in info["staff"].as_array().into_iter().flatten() {
                println!(
                    "  staff {:<18} e-mail {}  password {}",
                    l["role"].as_str().unwrap_or(""),
                    l["email"].as_str().unwrap_or(""),
                    l["password"].as_str().unwrap_or("")
                );
            }
            if let Some(m) = info["mailbox"].as_str() {
                println!("  Mailbox:  {m}  (invitations and replies stay in the portal)");
            }
            println!(
                "  API docs: {}  token {}",
                info["api_docs"].as_str().unwrap_or(""),
                info["api_token"].as_str().unwrap_or("")
            );
        }
        if serve {
            portal.serve().await?;
        }
        Ok::<(), Box<dyn std::error::Error + Send + Sync>>(())
    });
    if let Err(e) = result {
        eprintln!("hci: {e}");
        std::process::exit(1);
    }
}
