//! End-to-end tests of the facade: what an integrator's binary gets.
#![allow(clippy::unwrap_used, clippy::expect_used)] // tests may unwrap (workspace rule: not outside tests)

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
                    state,
                    tenant,
                    &who,
                    &s("password"),
                    &portal::auth::flows::Client::default(),
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
        });
        assert!(
            dir.path().join("portal.db").exists(),
            "SQLite file in the data folder"
        );
    }
}
