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
        let second = run();
        assert_eq!(second["url"], first["url"]);
        assert!(
            dir.path().join("portal.db").exists(),
            "SQLite file in the data folder"
        );
    }
}
