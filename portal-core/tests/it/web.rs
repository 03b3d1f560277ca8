//! Rendering: theme lookup order, static files, languages.

use poem::http::Method;
use portal_core::tenant::Lang;
use portal_core::tenant::repo::{self, TenantPatch};
use portal_core::web::i18n::negotiate;

use crate::support::{TestDb, db_test, portal, portal_with, tenant};

async fn use_theme(tdb: &TestDb, p: &crate::support::TestPortal, code: &str, theme: &str) {
    let s = repo::scope_for_code(&tdb.db, code).await.unwrap().unwrap();
    let patch = TenantPatch {
        theme: Some(theme.into()),
        ..TenantPatch::default()
    };
    repo::update(&tdb.db, s, &patch, p.state().renderer.themes())
        .await
        .unwrap();
}

async fn theme_lookup_order_tenant_theme_then_default_then_module(tdb: TestDb) {
    // A development folder overrides the embedded themes; it shows every level of the order.
    let dev = tempfile::TempDir::new().unwrap();
    let mut config = tdb.config();
    config.web.themes_dir = Some(dev.path().to_path_buf());
    let p = portal_with(&tdb, config).await;
    let s = tenant(&tdb.db, "acme", "Acme").await;
    tenant(&tdb.db, "plain", "Plain").await;
    repo::set_module_enabled(&tdb.db, s, &p.state().registry, "testmod", true)
        .await
        .unwrap();
    let s2 = repo::scope_for_code(&tdb.db, "plain")
        .await
        .unwrap()
        .unwrap();
    repo::set_module_enabled(&tdb.db, s2, &p.state().registry, "testmod", true)
        .await
        .unwrap();
    use_theme(&tdb, &p, "acme", "compact").await;

    // The compact theme overrides only the header; the rest comes from default.
    let home = p.get("acme.localhost", "/login").await;
    assert!(
        home.body.contains("data-theme=\"compact\""),
        "{}",
        home.body
    );
    assert!(
        home.body.contains("class=\"site-footer"),
        "footer from the default theme"
    );
    assert!(
        home.body.contains("/static/dev/compact/css/theme.css"),
        "compact's own stylesheet"
    );
    assert!(
        home.body.contains("/static/dev/default/css/portal.css"),
        "default's stylesheet"
    );
    let plain = p.get("plain.localhost", "/login").await;
    assert!(!plain.body.contains("data-theme=\"compact\""));

    // 3. The module's embedded template.
    assert!(
        p.get("acme.localhost", "/testmod")
            .await
            .body
            .contains("(module template)")
    );
    // 2. The default theme overrides the module.
    let default_dir = dev.path().join("default/templates/testmod");
    std::fs::create_dir_all(&default_dir).unwrap();
    std::fs::write(
        default_dir.join("hello.html"),
        "{% extends \"layout.html\" %}{% block content %}default override{% endblock %}",
    )
    .unwrap();
    assert!(
        p.get("acme.localhost", "/testmod")
            .await
            .body
            .contains("default override")
    );
    // 1. The tenant's theme overrides the default theme.
    let compact_dir = dev.path().join("compact/templates/testmod");
    std::fs::create_dir_all(&compact_dir).unwrap();
    std::fs::write(
        compact_dir.join("hello.html"),
        "{% extends \"layout.html\" %}{% block content %}compact override{% endblock %}",
    )
    .unwrap();
    let acme = p.get("acme.localhost", "/testmod").await.body;
    assert!(
        acme.contains("compact override") && !acme.contains("default override"),
        "{acme}"
    );
    // Static files come from the folder too, unhashed and not cached.
    let css_dir = dev.path().join("compact/static/css");
    std::fs::create_dir_all(&css_dir).unwrap();
    std::fs::write(css_dir.join("theme.css"), ".dev-edit { color: red }").unwrap();
    let home = p.get("acme.localhost", "/login").await.body;
    assert!(
        home.contains("/static/dev/compact/css/theme.css")
            && home.contains("/static/dev/default/css/portal.css"),
        "{home}"
    );
    let css = p
        .get("acme.localhost", "/static/dev/compact/css/theme.css")
        .await;
    assert_eq!(
        (
            css.status.as_u16(),
            css.body.as_str(),
            css.header("cache-control")
        ),
        (200, ".dev-edit { color: red }", "no-cache")
    );
    assert_eq!(
        p.get("acme.localhost", "/static/dev/compact/../../etc/passwd")
            .await
            .status,
        404
    );
    // A tenant on the default theme still gets the default override.
    assert!(
        p.get("plain.localhost", "/testmod")
            .await
            .body
            .contains("default override")
    );
    // Unknown theme names are refused on save.
    let err = repo::update(
        &tdb.db,
        s,
        &TenantPatch {
            theme: Some("nope".into()),
            ..TenantPatch::default()
        },
        p.state().renderer.themes(),
    )
    .await
    .unwrap_err();
    assert!(err.to_string().contains("compact"), "{err}");
}
db_test!(theme_lookup_order_tenant_theme_then_default_then_module);

async fn static_files_have_hashed_names_and_long_cache(tdb: TestDb) {
    let p = portal(&tdb).await;
    tenant(&tdb.db, "acme", "Acme").await;
    let home = p.get("acme.localhost", "/login").await;
    let at = home.body.find("/static/default/css/portal.").unwrap();
    let url: String = home.body[at..].chars().take_while(|c| *c != '"').collect();
    let css = p.get("anything.example", &url).await;
    assert_eq!(css.status, 200);
    assert!(css.header("content-type").starts_with("text/css"));
    assert!(css.header("cache-control").contains("immutable"));
    assert!(css.body.contains("--brand-primary"));
    assert_eq!(
        p.get("acme.localhost", "/static/default/css/portal.css")
            .await
            .status,
        404,
        "only hashed names"
    );
    assert_eq!(
        p.get("acme.localhost", "/static/../Cargo.toml")
            .await
            .status,
        404
    );
}
db_test!(static_files_have_hashed_names_and_long_cache);

#[test]
fn language_negotiation_order() {
    assert_eq!(
        negotiate(Some("en"), Some("nl"), Lang::Nl),
        Lang::En,
        "cookie first"
    );
    assert_eq!(
        negotiate(None, Some("en-GB,en;q=0.9,nl;q=0.8"), Lang::Nl),
        Lang::En
    );
    assert_eq!(
        negotiate(None, Some("de-DE,nl;q=0.5,en;q=0.4"), Lang::En),
        Lang::Nl,
        "best supported by q"
    );
    assert_eq!(
        negotiate(None, Some("de,fr"), Lang::En),
        Lang::En,
        "tenant default"
    );
    assert_eq!(
        negotiate(Some("xx"), None, Lang::Nl),
        Lang::Nl,
        "bad cookie ignored"
    );
    assert_eq!(
        negotiate(None, Some("en;q=0"), Lang::Nl),
        Lang::Nl,
        "q=0 means not acceptable"
    );
}

async fn language_from_header_cookie_switch_and_tenant_default(tdb: TestDb) {
    let p = portal(&tdb).await;
    let s = tenant(&tdb.db, "acme", "Acme").await;
    let nl = p.get("acme.localhost", "/login").await;
    assert!(
        nl.body.contains("lang=\"nl\"") && nl.body.contains("Wachtwoord vergeten of ophalen?"),
        "tenant default nl"
    );
    let en = p
        .req(Method::GET, "acme.localhost", "/login")
        .header("accept-language", "en-US,en;q=0.9")
        .send()
        .await;
    assert!(
        en.body.contains("lang=\"en\"") && en.body.contains("Forgot your password, or need one?"),
        "{}",
        en.body
    );
    // The header switch: a POST form, no JavaScript.
    let csrf_cookie = nl.cookie("portal_csrf").unwrap();
    let token = nl.csrf_token();
    let switched = p
        .req(Method::POST, "acme.localhost", "/lang")
        .header("cookie", &csrf_cookie)
        .body(
            "application/x-www-form-urlencoded",
            format!("_csrf={token}&lang=en&next=%2F"),
        )
        .send()
        .await;
    assert_eq!(switched.status, 303, "{}", switched.body);
    assert_eq!(switched.header("location"), "/");
    let lang_cookie = switched.cookie("portal_lang").unwrap();
    assert_eq!(lang_cookie, "portal_lang=en");
    let after = p
        .req(Method::GET, "acme.localhost", "/login")
        .header("cookie", &lang_cookie)
        .header("accept-language", "nl")
        .send()
        .await;
    assert!(
        after.body.contains("lang=\"en\""),
        "the choice beats Accept-Language"
    );
    // An open redirect through `next` is not possible.
    let evil = p
        .req(Method::POST, "acme.localhost", "/lang")
        .header("cookie", &csrf_cookie)
        .body(
            "application/x-www-form-urlencoded",
            format!("_csrf={token}&lang=nl&next=%2F%2Fevil.example"),
        )
        .send()
        .await;
    assert_eq!(evil.header("location"), "/");
    // Tenant default English.
    let patch = TenantPatch {
        default_language: Some(Lang::En),
        ..TenantPatch::default()
    };
    repo::update(&tdb.db, s, &patch, p.state().renderer.themes())
        .await
        .unwrap();
    assert!(
        p.get("acme.localhost", "/login")
            .await
            .body
            .contains("lang=\"en\"")
    );
}
db_test!(language_from_header_cookie_switch_and_tenant_default);

async fn footer_shows_the_tenants_contact_details(tdb: TestDb) {
    let p = portal(&tdb).await;
    let s = tenant(&tdb.db, "acme", "Acme").await;
    let patch = TenantPatch {
        support_email: Some("help@acme.example".into()),
        website: Some("https://acme.example".into()),
        phone: Some("+31 20 555 0100".into()),
        ..TenantPatch::default()
    };
    repo::update(&tdb.db, s, &patch, p.state().renderer.themes())
        .await
        .unwrap();
    let home = p.get("acme.localhost", "/login").await.body;
    assert!(
        home.contains("mailto:help@acme.example")
            && home.contains("+31 20 555 0100")
            && home.contains("acme.example"),
        "{home}"
    );
    let bad = TenantPatch {
        support_email: Some("not-an-email".into()),
        ..TenantPatch::default()
    };
    let err = repo::update(&tdb.db, s, &bad, p.state().renderer.themes())
        .await
        .unwrap_err();
    assert!(err.to_string().starts_with("support_email"), "{err}");
}
db_test!(footer_shows_the_tenants_contact_details);

async fn forms_show_errors_at_the_top_and_by_the_field_and_keep_input(tdb: TestDb) {
    let p = portal(&tdb).await;
    let s = tenant(&tdb.db, "acme", "Acme").await;
    repo::set_module_enabled(&tdb.db, s, &p.state().registry, "testmod", true)
        .await
        .unwrap();
    let page = p.get("acme.localhost", "/testmod/form").await;
    assert_eq!(page.status, 200, "{}", page.body);
    assert!(!page.body.contains("error-summary"));
    let cookie = page.cookie("portal_csrf").unwrap();
    let token = page.csrf_token();
    let r = p
        .req(Method::POST, "acme.localhost", "/testmod/form")
        .header("cookie", &cookie)
        .body(
            "application/x-www-form-urlencoded",
            format!("_csrf={token}&name=&email=jan%3Cb%3E.example"),
        )
        .send()
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    let summary = r
        .body
        .find("class=\"error-summary\"")
        .expect("error summary");
    let field = r.body.find("id=\"field-email\"").expect("email field");
    assert!(summary < field, "the summary is at the top");
    assert!(
        r.body.contains("href=\"#field-name\""),
        "summary links to the field"
    );
    assert!(
        r.body.contains("id=\"error-email\""),
        "error next to the field"
    );
    assert!(r.body.contains("aria-describedby=\"error-email\""));
    assert!(r.body.contains("Vul een geldig e-mailadres in."));
    assert!(
        r.body.contains("value=\"jan&lt;b&gt;.example\""),
        "input kept, escaped: {}",
        r.body
    );
    let ok = p
        .req(Method::POST, "acme.localhost", "/testmod/form")
        .header("cookie", &cookie)
        .body(
            "application/x-www-form-urlencoded",
            format!("_csrf={token}&name=Jan&email=jan%40example.nl"),
        )
        .send()
        .await;
    assert!(ok.body.contains("id=\"saved\"") && !ok.body.contains("error-summary"));
}
db_test!(forms_show_errors_at_the_top_and_by_the_field_and_keep_input);

/// `X-Forwarded-For` is believed only from a configured proxy (moved here
/// from a unit test in `web::guard`, which the lib's `test = false` never ran).
mod forwarded {
    use poem::web::{LocalAddr, RemoteAddr};
    use poem::{Addr, Body, Request, RequestParts};

    use portal_core::web::guard::client_of;

    fn from(peer: &str, forwarded: Option<&str>) -> Request {
        let mut b = poem::http::Request::builder().uri("/login");
        if let Some(f) = forwarded {
            b = b.header("x-forwarded-for", f);
        }
        let (parts, ()) = b.body(()).unwrap().into_parts();
        let remote = RemoteAddr(Addr::SocketAddr(peer.parse().unwrap()));
        let parts = RequestParts::from((
            parts,
            LocalAddr::default(),
            remote,
            poem::http::uri::Scheme::HTTP,
        ));
        Request::from_parts(parts, Body::empty())
    }

    #[test]
    fn forwarded_for_counts_only_from_a_trusted_proxy() {
        let trusted = vec!["10.0.0.5".to_string()];
        let ip = |peer, fwd| client_of(&from(peer, fwd), &trusted).ip.unwrap();
        // Anyone else cannot choose their address.
        assert_eq!(ip("203.0.113.9:5000", Some("198.51.100.1")), "203.0.113.9");
        // Through the proxy: the client it saw (the last hop not a trusted proxy).
        assert_eq!(ip("10.0.0.5:5000", Some("198.51.100.1")), "198.51.100.1");
        assert_eq!(
            ip("10.0.0.5:5000", Some("6.6.6.6, 198.51.100.1")),
            "198.51.100.1",
            "a client-sent entry is ignored"
        );
        assert_eq!(
            ip("10.0.0.5:5000", Some("198.51.100.1, 10.0.0.5")),
            "198.51.100.1"
        );
        assert_eq!(ip("10.0.0.5:5000", None), "10.0.0.5");
        assert_eq!(ip("10.0.0.5:5000", Some("nonsense")), "10.0.0.5");
    }
}
