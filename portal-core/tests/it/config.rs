//! Configuration: defaults, file, environment, and clear refusals.

use portal_core::config::Config;

fn load(toml: &str, env: &[(&str, &str)]) -> Result<Config, String> {
    let env: Vec<(String, String)> = env
        .iter()
        .map(|(k, v)| ((*k).to_string(), (*v).to_string()))
        .collect();
    Config::from_parts("portal.toml", toml, |k| {
        env.iter().find(|(n, _)| n == k).map(|(_, v)| v.clone())
    })
    .map_err(|e| e.to_string())
}

#[test]
fn defaults_run_without_a_file() {
    let c = load("", &[]).unwrap();
    assert_eq!(c.bind, "127.0.0.1:8080");
    assert!(c.database_url().starts_with("sqlite://") && c.database_url().ends_with("portal.db"));
    assert!(c.migrate_on_start);
}

#[test]
fn file_and_environment_overrides() {
    let c = load(
        "bind = \"0.0.0.0:9000\"\n[database]\nmax_connections = 4\n",
        &[
            ("PORTAL_DATABASE_MAX_CONNECTIONS", "12"),
            (
                "PORTAL_WEB_SHARED_HOSTS",
                "portal.example.com, login.example.com",
            ),
        ],
    )
    .unwrap();
    assert_eq!(c.bind, "0.0.0.0:9000");
    assert_eq!(c.database.max_connections, 12, "environment beats the file");
    assert_eq!(
        c.web.shared_hosts,
        vec!["portal.example.com", "login.example.com"]
    );
}

#[test]
fn bad_values_name_the_key_the_value_and_what_is_allowed() {
    let e = load("bind = \"localhost\"", &[]).unwrap_err();
    assert!(
        e.contains("`bind`") && e.contains("\"localhost\"") && e.contains("IP address and port"),
        "{e}"
    );
    let e = load("", &[("PORTAL_DATABASE_MAX_CONNECTIONS", "0")]).unwrap_err();
    assert!(
        e.contains("database.max_connections") && e.contains("\"0\"") && e.contains("1 to 256"),
        "{e}"
    );
    let e = load("", &[("PORTAL_DATABASE_MAX_CONNECTIONS", "many")]).unwrap_err();
    assert!(
        e.contains("many") && e.contains("PORTAL_DATABASE_MAX_CONNECTIONS"),
        "{e}"
    );
    let e = load("[database]\nurl = \"mysql://x\"", &[]).unwrap_err();
    assert!(
        e.contains("database.url") && e.contains("postgres://"),
        "{e}"
    );
    let e = load("bindd = \"x\"", &[]).unwrap_err();
    assert!(e.contains("bindd"), "unknown keys are named: {e}");
    let e = load("[database]\nmax_connections = \"eight\"", &[]).unwrap_err();
    assert!(e.contains("max_connections"), "{e}");
    let e = load("secret_key = \"abc\"", &[]).unwrap_err();
    assert!(
        e.contains("secret_key") && !e.contains("abc"),
        "the secret is not echoed: {e}"
    );
    let e = load(
        "[database]\nurl = \"postgres://u:hunter2@db/x\"\nmax_connections = 0",
        &[],
    )
    .unwrap_err();
    assert!(!e.contains("hunter2"), "{e}");
    let e = load("[files]\nbackend = \"ftp\"", &[]).unwrap_err();
    assert!(
        e.contains("files.backend") && e.contains("local or s3"),
        "{e}"
    );
    if cfg!(feature = "s3") {
        let e = load("", &[("PORTAL_FILES_BACKEND", "s3")]).unwrap_err();
        assert!(
            e.contains("files.s3_bucket") && e.contains("required"),
            "{e}"
        );
    } else {
        let e = load("[files]\nbackend = \"s3\"", &[]).unwrap_err();
        assert!(e.contains("without the s3 cargo feature"), "{e}");
    }
}

#[test]
fn secrets_never_show_in_debug_output() {
    let c = load(
        "secret_key = \"00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff\"\n[files]\ns3_secret_access_key = \"hunter2\"",
        &[],
    )
    .unwrap();
    let debug = format!("{c:?}");
    assert!(
        !debug.contains("hunter2") && !debug.contains("00112233"),
        "{debug}"
    );
}
