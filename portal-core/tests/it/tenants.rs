//! Tenants: resolution, portal URLs, branding and its contrast guard, page
//! messages and their sanitiser, and changes reaching every process at once.

use chrono::{Duration, Utc};
use portal_core::config::WebConfig;
use portal_core::tenant::branding::{Branding, ColourInput, check_colours};
use portal_core::tenant::contrast::contrast_ratio;
use portal_core::tenant::messages::sanitise;
use portal_core::tenant::repo::{self, MessageInput, TenantPatch};
use portal_core::tenant::url::parse_portal_url;
use portal_core::tenant::{MessageKind, PageMessage};

use crate::support::{TestDb, db_test, portal, tenant};

#[test]
fn portal_url_validation_table() {
    let good = [
        (
            "https://portal.example.com",
            "https://portal.example.com",
            "portal.example.com",
        ),
        (
            "https://Portal.Example.COM/",
            "https://portal.example.com",
            "portal.example.com",
        ),
        (
            "  https://mijn.energie.nl  ",
            "https://mijn.energie.nl",
            "mijn.energie.nl",
        ),
        (
            "https://portal.example.com:8443",
            "https://portal.example.com:8443",
            "portal.example.com:8443",
        ),
        (
            "https://bücher.example",
            "https://xn--bcher-kva.example",
            "xn--bcher-kva.example",
        ),
        (
            "http://localhost:8080",
            "http://localhost:8080",
            "localhost:8080",
        ),
        (
            "http://acme.localhost:8080/",
            "http://acme.localhost:8080",
            "acme.localhost:8080",
        ),
        (
            "https://a-b.c-d.example.org",
            "https://a-b.c-d.example.org",
            "a-b.c-d.example.org",
        ),
    ];
    for (input, url, host) in good {
        let u = parse_portal_url(input).unwrap_or_else(|e| panic!("{input:?} refused: {e}"));
        assert_eq!((u.url.as_str(), u.host.as_str()), (url, host), "{input:?}");
    }
    let bad = [
        ("", "enter"),
        ("portal.example.com", "absolute"),
        ("http://portal.example.com", "https"),
        ("ftp://portal.example.com", "scheme"),
        ("https://user:pw@portal.example.com", "user name"),
        ("https://portal.example.com/?a=1", "query"),
        ("https://portal.example.com/#top", "fragment"),
        ("https://portal.example.com/klanten", "path"),
        ("https://192.168.1.10", "IP address"),
        ("https://portal", "complete domain"),
        ("https://-bad.example.com", "start or end"),
        ("https://exa_mple.com", "only letters"),
        ("https://portal.example.123", "not a valid URL"),
        ("https://portal.example.1a", "top-level"),
        ("https://exa mple.com", "not a valid URL"),
    ];
    for (input, expect) in bad {
        let err = parse_portal_url(input).expect_err(input);
        assert!(
            err.message.contains(expect) && err.key.starts_with("url-error-"),
            "{input:?}: {err:?} should mention {expect:?}"
        );
    }
}

#[test]
fn contrast_guard_measures_and_refuses() {
    assert!((contrast_ratio("#ffffff", "#000000") - 21.0).abs() < 0.01);
    assert!((contrast_ratio("#777777", "#ffffff") - 4.48).abs() < 0.01);
    let fallback = Branding::default();
    let yellow = ColourInput {
        primary: Some("#ffcc00".into()),
        ..ColourInput::default()
    };
    let errors = check_colours(&yellow, &fallback).unwrap_err();
    assert_eq!(errors[0].0, "primary");
    assert!(
        errors[0].1.contains("1.51:1") && errors[0].1.contains("4.5:1"),
        "says the measured ratio: {}",
        errors[0].1
    );
    // Just below and just above the line.
    let grey = ColourInput {
        primary: Some("#777777".into()),
        ..ColourInput::default()
    };
    assert!(check_colours(&grey, &fallback).is_err());
    let darker = ColourInput {
        primary: Some("#767676".into()),
        ..ColourInput::default()
    };
    assert!(check_colours(&darker, &fallback).is_ok());
    let dark_on_yellow = ColourInput {
        primary: Some("#ffcc00".into()),
        primary_text: Some("#1a1a1a".into()),
        ..ColourInput::default()
    };
    assert!(check_colours(&dark_on_yellow, &fallback).is_ok());
    let bad = ColourInput {
        secondary: Some("red".into()),
        ..ColourInput::default()
    };
    assert!(
        check_colours(&bad, &fallback).unwrap_err()[0]
            .1
            .contains("#rrggbb")
    );
}

#[test]
fn message_sanitiser_keeps_the_seed_formatting_and_drops_the_rest() {
    let dirty = r#"<h2>Storing</h2><p onclick="x()"><b>vet</b> <i>cursief</i> <u>onder</u> <s>door</s>
        <span style="color: #c00; background-color: yellow; position: fixed">kleur</span></p>
        <ol><li>een</li></ol><ul><li>twee</li></ul>
        <script>alert(1)</script><img src=x onerror="alert(2)"><a href="javascript:alert(3)">kwaad</a>
        <a href="https://example.com/info">goed</a><iframe src="https://evil.example"></iframe>"#;
    let clean = sanitise(dirty);
    for gone in [
        "<script",
        "alert(1)",
        "onerror",
        "onclick",
        "javascript:",
        "<img",
        "<iframe",
        "position",
    ] {
        assert!(!clean.contains(gone), "{gone} survived: {clean}");
    }
    for kept in [
        "<h2>Storing</h2>",
        "<b>vet</b>",
        "<i>cursief</i>",
        "<u>onder</u>",
        "<s>door</s>",
        "<ol><li>een</li></ol>",
        "<ul><li>twee</li></ul>",
        "color:#c00",
        "background-color:yellow",
        "href=\"https://example.com/info\"",
    ] {
        assert!(
            clean.replace(": ", ":").contains(kept),
            "{kept} lost: {clean}"
        );
    }
}

#[test]
fn message_visibility_by_page_and_time() {
    let now = Utc::now();
    let m = |page: &str, s: Option<i64>, e: Option<i64>| PageMessage {
        id: 1,
        page: page.into(),
        kind: MessageKind::Neutral,
        html: "x".into(),
        html_en: String::new(),
        starts_at: s.map(|h| now + Duration::hours(h)),
        ends_at: e.map(|h| now + Duration::hours(h)),
    };
    assert!(m("*", None, None).visible_on("/anything", now));
    assert!(m("/invoices", None, None).visible_on("/invoices/12", now));
    assert!(!m("/invoices", None, None).visible_on("/invoices-old", now));
    assert!(m("/", None, None).visible_on("/", now));
    assert!(!m("/", None, None).visible_on("/invoices", now));
    assert!(!m("*", Some(1), None).visible_on("/", now), "not started");
    assert!(!m("*", None, Some(-1)).visible_on("/", now), "ended");
    assert!(m("*", Some(-1), Some(1)).visible_on("/", now));
}

async fn resolution_by_host_by_code_and_dev_host(tdb: TestDb) {
    let p = portal(&tdb).await;
    let acme = tenant(&tdb.db, "acme", "Acme Energie").await;
    tenant(&tdb.db, "beta", "Beta Warmte").await;
    repo::set_portal_url(
        &tdb.db,
        acme,
        "https://mijn.acme.example",
        &WebConfig::default(),
    )
    .await
    .unwrap();

    let by_host = p.get("mijn.acme.example", "/login").await;
    assert_eq!(by_host.status, 200);
    assert!(by_host.body.contains("Acme Energie"));
    assert!(
        p.get("MIJN.ACME.EXAMPLE:443", "/login")
            .await
            .body
            .contains("Acme Energie"),
        "case and default port"
    );

    let dev = p.get("beta.localhost:8080", "/login").await;
    assert_eq!(dev.status, 200);
    assert!(dev.body.contains("Beta Warmte"));

    let shared = p.get("localhost:8080", "/beta/login").await;
    assert_eq!(shared.status, 200);
    assert!(shared.body.contains("Beta Warmte"));
    assert!(
        shared.body.contains("action=\"/beta/lang\""),
        "links keep the code: {}",
        shared.body
    );
    // Seed 002's printed address: the code after the login page's "?".
    let printed = p.get("localhost:8080", "/login?BETA").await;
    assert_eq!(printed.status, 303);
    assert_eq!(printed.header("location"), "/beta/login");
    for (path, why) in [
        ("/login?nobody", "an unknown code"),
        ("/login?lang=en", "an ordinary query"),
        ("/settings?beta", "another page"),
    ] {
        let r = p.get("localhost:8080", path).await;
        assert_eq!(r.status, 404, "{why}: {path}");
    }
    assert_eq!(
        p.get("beta.localhost:8080", "/login?acme").await.status,
        200,
        "on a tenant's own host the query is no code"
    );
    let shared_sub = p.get("127.0.0.1:8080", "/acme/branding/brand.css").await;
    assert_eq!(shared_sub.status, 200);
    assert!(shared_sub.body.contains("--brand-primary"));

    for (host, path) in [
        ("unknown.example", "/login"),
        ("localhost:8080", "/nobody/"),
        ("nobody.localhost", "/login"),
        ("localhost", "/login"),
    ] {
        let r = p.get(host, path).await;
        assert_eq!(r.status, 404, "{host}{path}");
        for name in ["Acme", "Beta", "acme", "beta"] {
            assert!(
                !r.body.contains(name),
                "the 404 for {host}{path} names a tenant: {}",
                r.body
            );
        }
    }
    // A custom domain of one tenant never serves another tenant's code.
    assert_eq!(p.get("mijn.acme.example", "/beta/").await.status, 404);
}
db_test!(resolution_by_host_by_code_and_dev_host);

async fn portal_url_unique_across_tenants(tdb: TestDb) {
    crate::support::migrate(&tdb).await;
    let a = tenant(&tdb.db, "acme", "Acme").await;
    let b = tenant(&tdb.db, "beta", "Beta").await;
    repo::set_portal_url(
        &tdb.db,
        a,
        "https://portal.example.com",
        &WebConfig::default(),
    )
    .await
    .unwrap();
    let err = repo::set_portal_url(
        &tdb.db,
        b,
        "https://PORTAL.example.com/",
        &WebConfig::default(),
    )
    .await
    .unwrap_err();
    assert!(err.to_string().contains("another tenant"), "{err}");
    // Setting its own URL again is fine.
    repo::set_portal_url(
        &tdb.db,
        a,
        "https://portal.example.com",
        &WebConfig::default(),
    )
    .await
    .unwrap();
}
db_test!(portal_url_unique_across_tenants);

async fn portal_url_cannot_take_a_shared_or_development_host(tdb: TestDb) {
    crate::support::migrate(&tdb).await;
    let a = tenant(&tdb.db, "acme", "Acme").await;
    let mut web = WebConfig::default();
    web.shared_hosts.push("portal.example.com".into());
    for url in [
        "https://portal.example.com",
        "http://localhost:8080",
        "http://localhost",
        "http://beta.localhost:8080",
    ] {
        let err = repo::set_portal_url(&tdb.db, a, url, &web)
            .await
            .unwrap_err();
        assert!(err.to_string().contains("every tenant"), "{url}: {err}");
    }
}
db_test!(portal_url_cannot_take_a_shared_or_development_host);

async fn a_tenant_cannot_choose_its_parent_through_the_api(tdb: TestDb) {
    let p = portal(&tdb).await;
    let bank = tenant(&tdb.db, "bank", "Bank").await;
    let a = tenant(&tdb.db, "acme", "Acme").await;
    let red = ColourInput {
        primary: Some("#8b0000".into()),
        ..ColourInput::default()
    };
    repo::set_colours(&tdb.db, bank, &red, &Branding::default())
        .await
        .unwrap();
    let token = repo::create_api_token(&tdb.db, a, "t", "*").await.unwrap();
    let r = p
        .req(
            poem::http::Method::PATCH,
            "acme.localhost",
            "/api/admin/v1/tenant",
        )
        .bearer(&token)
        .json(&serde_json::json!({"parent_code": "bank", "brand_inherit": true}))
        .send()
        .await;
    assert!(r.status.is_success() || r.status == 400, "{}", r.status);
    let css = p.get("acme.localhost", "/branding/brand.css").await.body;
    assert!(
        !css.contains("#8b0000"),
        "acme took over the bank's branding: {css}"
    );
}
db_test!(a_tenant_cannot_choose_its_parent_through_the_api);

async fn branding_inherits_from_the_parent_organisation_live(tdb: TestDb) {
    let p = portal(&tdb).await;
    let group = tenant(&tdb.db, "group", "Groep").await;
    let child = tenant(&tdb.db, "child", "Dochter").await;
    let themes = p.state().renderer.themes().to_vec();
    let patch = TenantPatch {
        parent_code: Some("group".into()),
        brand_inherit: Some(true),
        ..TenantPatch::default()
    };
    repo::update(&tdb.db, child, &patch, &themes).await.unwrap();
    let green = ColourInput {
        primary: Some("#0b6e4f".into()),
        ..ColourInput::default()
    };
    repo::set_colours(&tdb.db, group, &green, &Branding::default())
        .await
        .unwrap();
    assert!(
        p.get("child.localhost", "/branding/brand.css")
            .await
            .body
            .contains("--brand-primary:#0b6e4f")
    );
    // The organisation changes its colour: the child follows without doing anything.
    let blue = ColourInput {
        primary: Some("#1d3f8a".into()),
        ..ColourInput::default()
    };
    repo::set_colours(&tdb.db, group, &blue, &Branding::default())
        .await
        .unwrap();
    assert!(
        p.get("child.localhost", "/branding/brand.css")
            .await
            .body
            .contains("--brand-primary:#1d3f8a")
    );
    // Its own value wins over the inherited one.
    let own = ColourInput {
        primary: Some("#6b2c91".into()),
        ..ColourInput::default()
    };
    repo::set_colours(&tdb.db, child, &own, &Branding::default())
        .await
        .unwrap();
    assert!(
        p.get("child.localhost", "/branding/brand.css")
            .await
            .body
            .contains("--brand-primary:#6b2c91")
    );
    // A parent cycle is refused.
    let cycle = TenantPatch {
        parent_code: Some("child".into()),
        ..TenantPatch::default()
    };
    assert!(
        repo::update(&tdb.db, group, &cycle, &themes)
            .await
            .unwrap_err()
            .to_string()
            .contains("cycle")
    );
}
db_test!(branding_inherits_from_the_parent_organisation_live);

async fn a_change_in_one_process_shows_in_another_at_once(tdb: TestDb) {
    let a = portal(&tdb).await;
    let b = crate::support::other_process(&tdb).await;
    let s = tenant(&tdb.db, "acme", "Acme").await;
    assert_eq!(b.get("acme.localhost", "/login").await.status, 200);
    // Written through process A's API...
    let token = repo::create_api_token(&tdb.db, s, "t", "*").await.unwrap();
    let r = a
        .req(poem::http::Method::POST, "acme.localhost", "/api/admin/v1/messages")
        .bearer(&token)
        .json(&serde_json::json!({"page": "*", "kind": "important", "html": "<p>Storing in regio Noord</p>"}))
        .send()
        .await;
    assert_eq!(r.status, 201, "{}", r.body);
    let r = a
        .req(
            poem::http::Method::PUT,
            "acme.localhost",
            "/api/admin/v1/branding/colours",
        )
        .bearer(&token)
        .json(&serde_json::json!({"primary": "#5a1e6e"}))
        .send()
        .await;
    assert_eq!(r.status, 204, "{}", r.body);
    // ...seen by process B on its next request (PostgreSQL: NOTIFY, SQLite: version check).
    let mut seen = false;
    // PostgreSQL delivers the NOTIFY asynchronously; allow it a moment (well under the 1 s fallback).
    for attempt in 0..25 {
        let page = b.get("acme.localhost", "/login").await;
        if page.body.contains("Storing in regio Noord") {
            // SQLite: the changed write-ahead log is seen on the very next request.
            assert!(
                attempt == 0 || tdb.db.backend() != portal_core::db::Backend::Sqlite,
                "SQLite: seen only after {attempt} retries"
            );
            seen = true;
            assert!(
                page.body.contains("role=\"alert\""),
                "important message is announced: {}",
                page.body
            );
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
    assert!(seen, "process B did not see the message within 0.5 s");
    assert!(
        b.get("acme.localhost", "/branding/brand.css")
            .await
            .body
            .contains("#5a1e6e")
    );
}
db_test!(a_change_in_one_process_shows_in_another_at_once);

async fn messages_show_by_page_and_are_sanitised_on_output(tdb: TestDb) {
    let p = portal(&tdb).await;
    let s = tenant(&tdb.db, "acme", "Acme").await;
    let input = |page: &str, html: &str| MessageInput {
        html_en: String::new(),
        page: page.into(),
        kind: MessageKind::Warning,
        html: html.into(),
        starts_at: None,
        ends_at: None,
    };
    repo::add_message(
        &tdb.db,
        s,
        &input(
            "/login",
            "<p>Welkom <script>alert(1)</script><a href=\"javascript:x()\">klik</a></p>",
        ),
    )
    .await
    .unwrap();
    repo::add_message(&tdb.db, s, &input("/testmod", "<p>Alleen op de module</p>"))
        .await
        .unwrap();
    let home = p.get("acme.localhost", "/login").await;
    assert!(home.body.contains("Welkom"));
    assert!(
        !home.body.contains("<script>alert") && !home.body.contains("javascript:"),
        "{}",
        home.body
    );
    assert!(!home.body.contains("Alleen op de module"));
    assert!(
        home.body.contains("role=\"status\""),
        "a warning has a role and a text label"
    );
    let err = repo::add_message(&tdb.db, s, &input("../etc", "<p>x</p>"))
        .await
        .unwrap_err();
    assert!(err.to_string().contains("page"), "{err}");
    let err = repo::add_message(&tdb.db, s, &input("*", "<script>only script</script>"))
        .await
        .unwrap_err();
    assert!(err.to_string().contains("empty"), "{err}");
}
db_test!(messages_show_by_page_and_are_sanitised_on_output);
