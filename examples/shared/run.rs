//! What every example's `demo` command does: load the configuration, open
//! the portal, run the example's demo set-up, print the logins (or JSON)
//! and serve. Shared by path (`#[path = "../shared/run.rs"]`) so each
//! example stays one small `main.rs` and a `demo.rs` of its own.

use std::future::Future;
use std::pin::Pin;

pub type Error = Box<dyn std::error::Error + Send + Sync>;

/// An example's demo set-up: creates or refreshes its tenant and returns
/// what to print (`login_url`, `logins`, `staff_url`, `staff`, `mailbox`,
/// `api_docs`, `api_token`).
pub type Setup = for<'a> fn(
    &'a portal::Portal,
)
    -> Pin<Box<dyn Future<Output = Result<serde_json::Value, Error>> + 'a>>;

/// Runs the example: `demo [--json] [--no-serve]`, or else the standard
/// `portal` command line.
pub fn main(name: &str, title: &str, setup: Setup) {
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
            eprintln!("{name}: {e}");
            std::process::exit(2);
        }
    };
    config.mail.mailbox_pages = config.mail.transport == "mailbox";
    let runtime = match tokio::runtime::Runtime::new() {
        Ok(r) => r,
        Err(e) => {
            eprintln!("{name}: cannot start the async runtime: {e}");
            std::process::exit(1);
        }
    };
    let result = runtime.block_on(async {
        let portal = portal::Portal::open(config, true).await?;
        let info = setup(&portal).await?;
        if json {
            println!("{info}");
        } else {
            print(title, &info);
        }
        if serve {
            portal.serve().await?;
        }
        Ok::<(), Error>(())
    });
    if let Err(e) = result {
        eprintln!("{name}: {e}");
        std::process::exit(1);
    }
}

fn print(title: &str, info: &serde_json::Value) {
    let s = |v: &serde_json::Value| v.as_str().unwrap_or("").to_string();
    println!("{title}");
    println!("  Open:     {}", s(&info["login_url"]));
    if let Some(link) = info["company_link"].as_str() {
        println!("  Printed:  {link}  (the company's own link, seed 002)");
    }
    for l in info["logins"].as_array().into_iter().flatten() {
        let number = l["customer_number"]
            .as_str()
            .map(|n| format!("customer number {n}  "))
            .unwrap_or_default();
        let who = match l["username"].as_str() {
            Some(u) => format!("user name {u}"),
            None => format!("e-mail {}", s(&l["email"])),
        };
        println!(
            "  {:<24} {number}{who}  password {}",
            s(&l["role"]),
            s(&l["password"])
        );
    }
    println!(
        "  Staff:    {}  (two-step verification is set up at the first login)",
        s(&info["staff_url"])
    );
    for l in info["staff"].as_array().into_iter().flatten() {
        println!(
            "  staff {:<18} e-mail {}  password {}",
            s(&l["role"]),
            s(&l["email"]),
            s(&l["password"])
        );
    }
    if let Some(m) = info["mailbox"].as_str() {
        println!("  Mailbox:  {m}  (invitations and replies stay in the portal)");
    }
    println!(
        "  API docs: {}  token {}",
        s(&info["api_docs"]),
        s(&info["api_token"])
    );
}
