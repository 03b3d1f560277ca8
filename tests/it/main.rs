//! End-to-end tests of the facade: what an integrator's binary gets (the
//! modules together, the example demos in a real browser). Each module's
//! own tests are in its crate.
#![allow(clippy::unwrap_used, clippy::expect_used)] // tests may unwrap (workspace rule: not outside tests)

#[cfg(feature = "mimalloc")]
mod allocator;
#[cfg(all(feature = "tickets", feature = "invoices", feature = "subscriptions"))]
mod module_kit;
#[cfg(all(feature = "invoices", feature = "subscriptions"))]
mod qdc_browser;
// The QDC example's demo hosting company, shared by path with the example.
#[cfg(all(feature = "invoices", feature = "subscriptions"))]
#[path = "../../examples/qdc/demo.rs"]
mod qdc_demo;
mod theme_classes;
mod two_processes;
// The shared test support (portal-testkit), under the name the tests use.
#[cfg(any(
    feature = "invoices",
    feature = "subscriptions",
    feature = "tickets",
    feature = "logbook"
))]
mod support {
    pub use portal_testkit::*;
}
// The HCI example's demo practice, shared by path with the example.
#[cfg(any(
    all(feature = "invoices", feature = "subscriptions"),
    feature = "logbook",
    feature = "dossiers",
    all(feature = "invoices", feature = "consumption", feature = "advances")
))]
mod demo_server;
// The Accelerate-style example's advice office, shared by path with the example.
#[cfg(feature = "dossiers")]
mod accelerate_browser;
#[cfg(feature = "dossiers")]
#[path = "../../examples/accelerate/demo.rs"]
mod accelerate_demo;
// The energy example's demo heat-network supplier, shared by path with the example.
#[cfg(all(
    feature = "invoices",
    feature = "consumption",
    feature = "advances",
    feature = "moves"
))]
mod energy_browser;
#[cfg(all(
    feature = "invoices",
    feature = "consumption",
    feature = "advances",
    feature = "moves"
))]
#[path = "../../examples/energy/demo.rs"]
mod energy_demo;
#[cfg(all(
    feature = "invoices",
    feature = "consumption",
    feature = "advances",
    feature = "moves"
))]
mod energy_move_browser;
#[cfg(all(feature = "tickets", feature = "invoices", feature = "subscriptions"))]
mod hci_browser;
#[cfg(all(feature = "tickets", feature = "invoices", feature = "subscriptions"))]
#[path = "../../examples/hci/demo.rs"]
mod hci_demo;
// The PestScan example's demo pest-control company, shared by path with the example.
#[cfg(feature = "logbook")]
mod pestscan_browser;
#[cfg(feature = "logbook")]
#[path = "../../examples/pestscan/demo.rs"]
mod pestscan_demo;
#[cfg(any(
    all(feature = "invoices", feature = "subscriptions"),
    feature = "logbook",
    all(feature = "invoices", feature = "consumption", feature = "advances")
))]
use portal_testkit::browser as webdriver;

mod locales {
    /// Every enabled module's Dutch texts that address the reader have
    /// their informal form (a tenant with the informal tone reads "je").
    #[test]
    fn module_dutch_texts_have_their_informal_form() {
        let registry = portal::Registry::from_inventory().unwrap();
        for m in registry.iter() {
            let of = |lang: &str| {
                m.translations()
                    .iter()
                    .find(|t| t.lang == lang)
                    .map(|t| t.ftl)
                    .unwrap_or_else(|| panic!("{}: no {lang} texts", m.name()))
            };
            let gaps = portal::web::i18n::informal_gaps(of("nl"), of("nl-informal")).unwrap();
            assert!(gaps.is_empty(), "{}: {gaps:#?}", m.name());
        }
    }
}

mod module_mails {
    /// Every default mail text of every enabled module passes the checks a
    /// saved template must pass (known placeholders, clean HTML), in every
    /// language and form it has; and a customer-facing Dutch mail has its
    /// informal form.
    #[test]
    fn every_module_mail_default_is_a_valid_template() {
        use portal::mail::template::TemplateText;
        use portal::tenant::{AddressForm, Lang};
        let registry = portal::Registry::from_inventory().unwrap();
        for m in registry.iter() {
            for kind in m.mails() {
                for d in kind.defaults {
                    let t = TemplateText {
                        subject: d.subject.to_string(),
                        html: d.html.to_string(),
                        text: d.text.to_string(),
                    };
                    if let Err(e) = portal::mail::store::prepare(kind, &t) {
                        panic!("{} {:?} {:?}: {e:?}", kind.key, d.lang, d.form);
                    }
                }
                // Mails to staff (support's notices) stay formal.
                if kind.key != "tickets.support" {
                    assert!(
                        kind.defaults
                            .iter()
                            .any(|d| d.lang == Lang::Nl && d.form == AddressForm::Informal),
                        "{}: no informal Dutch form",
                        kind.key
                    );
                }
            }
        }
    }
}

mod registry {
    /// The linker keeps every enabled module (and nothing else): the
    /// registry lists exactly the modules turned on by cargo feature.
    #[test]
    fn registry_lists_every_enabled_module() {
        let registry = portal::Registry::from_inventory().unwrap();
        let mut expected: Vec<&str> = portal::ENABLED_MODULE_FEATURES.to_vec();
        expected.sort_unstable();
        let mut names = registry.names();
        names.sort_unstable();
        assert_eq!(names, expected);
    }
}

mod demo {
    use std::process::Command;

    /// `portal demo --json --no-serve` on an empty folder: the script-facing
    /// output, and a second run that finds the demo tenant already there.
    #[test]
    fn demo_prints_json_and_is_idempotent() {
        let dir = tempfile::TempDir::new().unwrap();
        let bin = env!("CARGO_BIN_EXE_portal");
        let run = || {
            let out = Command::new(bin)
                .args(["demo", "--json", "--no-serve"])
                .env("PORTAL_DATA_DIR", dir.path())
                .env_remove("PORTAL_DATABASE_URL")
                .env("PORTAL_BIND", "127.0.0.1:18099")
                .output()
                .unwrap();
            assert!(
                out.status.success(),
                "{}",
                String::from_utf8_lossy(&out.stderr)
            );
            serde_json::from_slice::<serde_json::Value>(&out.stdout).unwrap()
        };
        let first = run();
        assert_eq!(first["url"], "http://demo.localhost:18099/");
        assert_eq!(first["shared_url"], "http://127.0.0.1:18099/demo/");
        assert!(first["api_token"].as_str().unwrap().starts_with("pt_"));
        assert_eq!(
            first["staff"]["url"],
            "http://demo.localhost:18099/staff/login"
        );
        assert_eq!(first["staff"]["email"], "medewerker@demo-energie.example");
        assert_eq!(
            first["mailbox"], "http://demo.localhost:18099/mailbox",
            "development mail is shown in the portal"
        );
        // One login per login mode, and each works with the printed password.
        let logins = first["logins"].as_array().unwrap();
        let mut modes: Vec<&str> = logins
            .iter()
            .map(|l| l["login_mode"].as_str().unwrap())
            .collect();
        modes.sort_unstable();
        assert_eq!(modes, ["customer_number_email", "email", "username"]);
        let second = run();
        assert_eq!(second["url"], first["url"]);
        assert_eq!(
            second["logins"], first["logins"],
            "a rerun keeps the logins"
        );
        tokio::runtime::Runtime::new().unwrap().block_on(async {
            let config = portal::config::Config {
                data_dir: dir.path().to_path_buf(),
                ..Default::default()
            };
            let portal = portal::Portal::open(config, false).await.unwrap();
            let state = portal.state();
            let snapshot = state.cache.get().await.unwrap();
            for l in logins {
                let s = |k: &str| l[k].as_str().unwrap().to_string();
                let tenant = snapshot.by_code(&s("tenant")).unwrap();
                let who = portal::auth::accounts::Identity {
                    customer_number: s("customer_number"),
                    login: s("login"),
                };
                let outcome = portal::auth::flows::login::login(
                    &state.deps(),
                    tenant,
                    &who,
                    &s("password"),
                    &portal::auth::flows::Client::default(),
                    None,
                )
                .await
                .unwrap();
                assert!(
                    matches!(
                        outcome,
                        portal::auth::flows::login::LoginOutcome::Session { .. }
                    ),
                    "{l}: {outcome:?}"
                );
            }
            // The modules' demo data, once however often the demo runs:
            // three customers, a year of invoices each plus one credit.
            #[cfg(feature = "invoices")]
            {
                let scope = portal::tenant::repo::scope_for_code(&state.db, "demo")
                    .await
                    .unwrap()
                    .unwrap();
                let invoices: Vec<(i64,)> = state
                    .db
                    .fetch_all(&scope.select("invoices_invoices").column("id").to_owned())
                    .await
                    .unwrap();
                assert_eq!(invoices.len(), 3 * 12 + 1);
            }
        });
        assert!(
            dir.path().join("portal.db").exists(),
            "SQLite file in the data folder"
        );
    }
}

/// Runs the `portal` binary on the SQLite database in `dir`: (success, stdout, stderr).
fn portal_in(dir: &tempfile::TempDir, args: &[&str]) -> (bool, String, String) {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_portal"))
        .args(args)
        .env("PORTAL_DATA_DIR", dir.path())
        .env_remove("PORTAL_DATABASE_URL")
        .output()
        .unwrap();
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stdout).to_string(),
        String::from_utf8_lossy(&out.stderr).to_string(),
    )
}

mod import {
    /// `portal import`: the sync API's format from a file, counts and
    /// refused rows printed, a second run reports everything unchanged.
    #[test]
    fn import_reads_a_file_and_reports_per_row() {
        let dir = tempfile::TempDir::new().unwrap();
        let run = |args: &[&str]| crate::portal_in(&dir, args);
        assert!(run(&["tenant", "add", "acme", "Acme"]).0);
        let file = dir.path().join("klanten.json");
        std::fs::write(
            &file,
            serde_json::json!({"customers": [
                {"external_id": "K1", "number": "100", "name": "Een",
                 "locations": [{"external_id": "L1", "name": "Winkel"}]},
                {"external_id": "K2", "number": "200", "name": "Twee", "parent_external_id": "K1"},
                {"external_id": "K3", "number": "100", "name": "Zelfde nummer"}
            ]})
            .to_string(),
        )
        .unwrap();
        let path = file.to_str().unwrap();
        let (ok, out, err) = run(&["import", "acme", path, "--quiet"]);
        assert!(ok, "{err}");
        assert!(
            out.contains("3 customers: 2 created, 0 updated, 0 unchanged, 1 refused"),
            "{out}"
        );
        assert!(
            out.contains("refused K3: number \"100\" appears twice"),
            "{out}"
        );
        let (_, again, _) = run(&["import", "acme", path, "--quiet"]);
        assert!(again.contains("2 unchanged"), "{again}");
        // A broken file: a clear message, nothing imported.
        std::fs::write(&file, r#"{"customers": [{"number": "1"}]}"#).unwrap();
        let (ok, _, err) = run(&["import", "acme", path]);
        assert!(!ok);
        assert!(
            err.contains("customer 1 (counting from 1) is malformed"),
            "{err}"
        );
        std::fs::write(&file, "[]").unwrap();
        let (ok, _, err) = run(&["import", "nobody", path]);
        assert!(!ok && err.contains("nobody"), "{err}");
    }

    /// CSV with a header row: customers with a row per location (semicolons,
    /// as Dutch Excel writes them), then accounts of those customers.
    #[test]
    fn import_reads_csv_customers_and_accounts() {
        let dir = tempfile::TempDir::new().unwrap();
        let run = |args: &[&str]| crate::portal_in(&dir, args);
        assert!(run(&["tenant", "add", "acme", "Acme"]).0);
        let customers = dir.path().join("klanten.csv");
        std::fs::write(
            &customers,
            "external_id;number;name;active;location_external_id;location_name\n\
             K1;100;Bakkerij;ja;L1;Winkel\nK1;100;Bakkerij;ja;L2;Magazijn\nK2;200;Slager;;;\n",
        )
        .unwrap();
        let (ok, out, err) = run(&["import", "acme", customers.to_str().unwrap(), "--quiet"]);
        assert!(ok, "{err}");
        assert!(out.contains("2 customers: 2 created"), "{out}");
        let accounts = dir.path().join("contactpersonen.csv");
        std::fs::write(
            &accounts,
            "external_id,customer_external_id,email,first_name,roles,main\n\
             CP1,K1,jan@bakkerij.nl,Jan,admin,ja\nCP2,K1,petra@bakkerij.nl,Petra,employee employee_plus,nee\n\
             CP3,K9,x@y.nl,X,employee,nee\n",
        )
        .unwrap();
        let (ok, out, err) = run(&["import", "acme", accounts.to_str().unwrap(), "--quiet"]);
        assert!(ok, "{err}");
        assert!(
            out.contains("3 accounts: 2 created, 0 updated, 0 unchanged, 1 refused"),
            "{out}"
        );
        assert!(out.contains("refused CP3: customer_external_id"), "{out}");
        let (_, again, _) = run(&["import", "acme", accounts.to_str().unwrap(), "--quiet"]);
        assert!(again.contains("2 unchanged"), "{again}");
        // A malformed value names its row and column; nothing is imported.
        std::fs::write(&customers, "external_id,number,active\nK5,500,misschien\n").unwrap();
        let (ok, _, err) = run(&["import", "acme", customers.to_str().unwrap()]);
        assert!(!ok && err.contains("row 2, column active"), "{err}");
    }
}

mod staff_cli {
    /// `portal staff add/list/reset/deactivate`: a first password shown once,
    /// 2FA set up at the first login, a clear error for an unknown member.
    #[test]
    fn staff_members_from_the_command_line() {
        let dir = tempfile::TempDir::new().unwrap();
        let run = |args: &[&str]| crate::portal_in(&dir, args);
        assert!(run(&["tenant", "add", "acme", "Acme"]).0);
        let (ok, out, err) = run(&["staff", "add", "acme", "anna@acme.nl", "--role", "admin"]);
        assert!(ok, "{err}");
        assert!(out.contains("first password (shown once): "), "{out}");
        let (ok, _, err) = run(&["staff", "add", "acme", "anna@acme.nl"]);
        assert!(!ok && err.contains("already has a staff account"), "{err}");
        let (ok, _, err) = run(&["staff", "add", "acme", "bob@acme.nl", "--role", "baas"]);
        assert!(!ok && err.contains("use admin, support or editor"), "{err}");
        let (_, list, _) = run(&["staff", "list", "acme"]);
        assert!(
            list.contains("anna@acme.nl\tadmin\tactive\t2FA not set up"),
            "{list}"
        );
        let id = list.split('\t').next().unwrap().trim().to_string();
        let (ok, out, _) = run(&["staff", "reset", "acme", &id]);
        assert!(ok && out.contains("new first password"), "{out}");
        let (ok, _, err) = run(&["staff", "reset", "acme", "999"]);
        assert!(!ok && err.contains("no staff member 999"), "{err}");
        assert!(run(&["staff", "deactivate", "acme", &id]).0);
        let (_, list, _) = run(&["staff", "list", "acme"]);
        assert!(list.contains("inactive"), "{list}");
        let (ok, out, _) = run(&["tenant", "api-token", "acme", "--scopes", "sync,accounts"]);
        assert!(ok && out.starts_with("pt_"));
        let (ok, _, err) = run(&["tenant", "api-token", "acme", "--scopes", "alles"]);
        assert!(!ok && err.contains("unknown scope"), "{err}");
        let (_, keys, _) = run(&["tenant", "api-tokens", "acme"]);
        assert!(keys.contains("sync,accounts\tlive"), "{keys}");
        let key_id = keys.split('\t').next().unwrap().trim().to_string();
        assert!(run(&["tenant", "revoke-token", "acme", &key_id]).0);
        let (_, keys, _) = run(&["tenant", "api-tokens", "acme"]);
        assert!(keys.contains("revoked"), "{keys}");
    }
}
