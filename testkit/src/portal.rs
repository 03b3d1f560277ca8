//! A test portal on SQLite or a fresh PostgreSQL schema with tenant
//! `acme` (every compiled-in module on), its back-office API, a visitor
//! without JavaScript (cookies, forms with their CSRF token, uploads), and
//! customers with accounts.

use std::collections::BTreeMap;

use poem::endpoint::BoxEndpoint;
use poem::http::Method;
use poem::test::TestClient;
use portal_core::auth::accounts;
use portal_core::tenant::repo::{self, NewTenant};
use portal_core::tenant::{AddressForm, Lang};
use portal_core::{Portal, Registry};
use serde_json::{Value, json};

pub const HOST: &str = "acme.localhost";
pub const PW: &str = "Blauwe-fiets-rijdt-7!";

/// A portal with tenant `acme` on host [`HOST`], every compiled-in module
/// enabled, and a back-office API token with every scope.
pub struct Setup {
    pub portal: Portal,
    pub client: TestClient<BoxEndpoint<'static>>,
    pub token: String,
    pub dir: tempfile::TempDir,
}

/// The test portal on SQLite (`pg` false) or on a schema of its own at
/// `PORTAL_TEST_POSTGRES_URL`; `None` (the test passes without running)
/// when that is not set, unless `PORTAL_TEST_REQUIRE_POSTGRES` is.
///
/// # Panics
/// When the database or the portal cannot be set up.
pub async fn setup(pg: bool) -> Option<Setup> {
    // `PORTAL_TEST_LOG=error` (an env filter) shows the portal's log, e.g.
    // the cause of a 500 that a test sees only as a page.
    if let Ok(filter) = std::env::var("PORTAL_TEST_LOG") {
        let _ = tracing_subscriber::fmt()
            .with_env_filter(tracing_subscriber::EnvFilter::new(filter))
            .with_test_writer()
            .try_init();
    }
    let tdb = if pg {
        crate::TestDb::postgres().await?
    } else {
        crate::TestDb::sqlite().await
    };
    let db = tdb.db.clone();
    let portal = Portal::with_parts(
        tdb.config(),
        db.clone(),
        Registry::from_inventory().unwrap(),
        true,
    )
    .await
    .unwrap();
    let scope = repo::create(
        &db,
        &NewTenant {
            code: "acme".into(),
            name: "Acme Hosting".into(),
            default_language: Lang::Nl,
            address_form: AddressForm::Formal,
        },
    )
    .await
    .unwrap();
    let registry = &portal.state().registry;
    repo::set_setting(&db, scope, registry, "auth", "login_mode", Some("email"))
        .await
        .unwrap();
    for name in registry.names() {
        repo::set_module_enabled(&db, scope, registry, name, true)
            .await
            .unwrap();
    }
    let token = repo::create_api_token(&db, scope, "bo", "*").await.unwrap();
    let client = TestClient::new(portal.endpoint().unwrap());
    Some(Setup {
        portal,
        client,
        token,
        dir: tdb.dir,
    })
}

impl Setup {
    /// The scope of the test tenant `acme`.
    pub async fn scope(&self) -> portal_core::tenant::TenantScope {
        repo::scope_for_code(&self.portal.state().db, "acme")
            .await
            .unwrap()
            .unwrap()
    }

    /// A second tenant, `other`, for isolation tests (rows written into its
    /// scope must stay out of `acme`'s reach).
    pub async fn other_tenant(&self) -> portal_core::tenant::TenantScope {
        repo::create(
            &self.portal.state().db,
            &NewTenant {
                code: "other".into(),
                name: "Other".into(),
                default_language: Lang::Nl,
                address_form: AddressForm::Formal,
            },
        )
        .await
        .unwrap()
    }

    /// The test tenant `acme` as requests see it.
    pub async fn tenant(&self) -> std::sync::Arc<portal_core::tenant::Tenant> {
        self.portal
            .state()
            .cache
            .get()
            .await
            .unwrap()
            .by_code("acme")
            .unwrap()
            .clone()
    }

    /// The mailbox: the tenant's queued and sent mails with `key`, newest
    /// first, once the work requests left for later has run.
    pub async fn mails(&self, key: &str) -> Vec<portal_core::mail::outbox::OutboxMail> {
        let state = self.portal.state();
        state.background.idle().await;
        portal_core::mail::outbox::list(&state.db, self.scope().await, None, 500)
            .await
            .unwrap()
            .into_iter()
            .filter(|m| m.mail_key == key)
            .collect()
    }

    /// A call to the back-office API with the tenant's token; the status and
    /// the JSON answer (`null` for none).
    pub async fn api(&self, method: Method, path: &str, body: Option<Value>) -> (u16, Value) {
        let mut r = self
            .client
            .request(method, path)
            .header("host", HOST)
            .header("authorization", format!("Bearer {}", self.token));
        if let Some(b) = body {
            r = r.content_type("application/json").body(b.to_string());
        }
        let resp = r.send().await.0;
        let status = resp.status().as_u16();
        let text = resp.into_body().into_string().await.unwrap_or_default();
        (status, serde_json::from_str(&text).unwrap_or(Value::Null))
    }
}

/// A browser without JavaScript: cookies, and forms with their CSRF token.
pub struct Visitor<'a> {
    s: &'a Setup,
    jar: BTreeMap<String, String>,
}

pub struct Page {
    pub status: u16,
    pub headers: poem::http::HeaderMap,
    pub body: Vec<u8>,
}

impl Page {
    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).replace("&#x2f;", "/")
    }
}

impl<'a> Visitor<'a> {
    pub fn new(s: &'a Setup) -> Self {
        Self {
            s,
            jar: BTreeMap::new(),
        }
    }

    async fn send(&mut self, method: Method, path: &str, form: Option<String>) -> Page {
        let cookies: Vec<String> = self.jar.iter().map(|(k, v)| format!("{k}={v}")).collect();
        let mut r = self
            .s
            .client
            .request(method, path)
            .header("host", HOST)
            .header("cookie", cookies.join("; "));
        if let Some(f) = form {
            r = r.content_type("application/x-www-form-urlencoded").body(f);
        }
        let resp = r.send().await.0;
        self.keep_cookies(resp.headers());
        let status = resp.status().as_u16();
        let headers = resp.headers().clone();
        let body = resp.into_body().into_vec().await.unwrap_or_default();
        Page {
            status,
            headers,
            body,
        }
    }

    /// Keeps the cookies a response sets (and drops the ones it clears).
    fn keep_cookies(&mut self, headers: &poem::http::HeaderMap) {
        for v in headers.get_all("set-cookie") {
            let v = v.to_str().unwrap();
            if let Some((k, val)) = v.split(';').next().and_then(|kv| kv.split_once('=')) {
                if val.is_empty() || v.contains("Max-Age=0") {
                    self.jar.remove(k);
                } else {
                    self.jar.insert(k.into(), val.into());
                }
            }
        }
    }

    /// A cookie this visitor holds.
    pub fn cookie(&self, name: &str) -> Option<&str> {
        self.jar.get(name).map(String::as_str)
    }

    /// Forgets every cookie (another browser).
    pub fn clear_cookies(&mut self) {
        self.jar.clear();
    }

    /// A GET as a browser makes it: a 307 to the same address (a page
    /// whose kept session changed while it was read) is asked again once.
    pub async fn get(&mut self, path: &str) -> Page {
        let page = self.send(Method::GET, path, None).await;
        if page.status == 307 && page.headers.get("location").is_some_and(|l| l == path) {
            return self.send(Method::GET, path, None).await;
        }
        page
    }

    /// The CSRF token of this visitor's cookie, as a form on any page carries it.
    pub async fn csrf_token(&mut self) -> String {
        let page = self.get("/password/forgot").await.text();
        let at = page.find("name=\"_csrf\" value=\"").unwrap() + 20;
        page[at..at + page[at..].find('"').unwrap()].to_string()
    }

    /// A `multipart/form-data` post as a browser sends a form with files
    /// (the token in the query, as the portal's upload forms carry it).
    /// `body` is the whole multipart body, see [`multipart`]; a stream has
    /// no Content-Length.
    pub async fn post_multipart(&mut self, path: &str, body: poem::Body) -> Page {
        use futures_util::StreamExt;
        let token = self.csrf_token().await;
        let cookies: Vec<String> = self.jar.iter().map(|(k, v)| format!("{k}={v}")).collect();
        // The token as the form's first part, as a browser sends the
        // form's first (hidden) field: not in the address.
        let first = format!(
            "--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"_csrf\"\r\n\r\n{token}\r\n"
        );
        let first = futures_util::stream::once(async move {
            Ok::<_, std::io::Error>(bytes::Bytes::from(first))
        });
        let body = poem::Body::from_bytes_stream(first.chain(body.into_bytes_stream()));
        let resp = self
            .s
            .client
            .post(path)
            .header("host", HOST)
            .header("cookie", cookies.join("; "))
            .content_type(format!("multipart/form-data; boundary={BOUNDARY}"))
            .body(body)
            .send()
            .await
            .0;
        self.keep_cookies(resp.headers());
        let status = resp.status().as_u16();
        let headers = resp.headers().clone();
        let body = resp.into_body().into_vec().await.unwrap_or_default();
        Page {
            status,
            headers,
            body,
        }
    }

    pub async fn post(&mut self, path: &str, fields: &[(&str, &str)]) -> Page {
        let token = self.csrf_token().await;
        let mut body = url::form_urlencoded::Serializer::new(String::new());
        body.append_pair("_csrf", &token);
        for (k, v) in fields {
            body.append_pair(k, v);
        }
        self.send(Method::POST, path, Some(body.finish())).await
    }

    pub async fn login(s: &'a Setup, email: &str) -> Visitor<'a> {
        let mut v = Visitor::new(s);
        let r = v
            .post(
                "/login",
                &[("login", email), ("password", PW), ("next", "/")],
            )
            .await;
        assert_eq!(r.status, 303, "{email}: {}", r.text());
        v
    }
}

/// The password of staff made by [`Visitor::staff`].
pub const STAFF_PW: &str = "Staf-wachtwoord-lang-42!";

impl<'a> Visitor<'a> {
    /// A staff member of `acme` with `role`, logged in (2FA set up on the
    /// way, as at a first login); returns the visitor and the member's id.
    pub async fn staff(
        s: &'a Setup,
        email: &str,
        role: portal_core::staff::StaffRole,
    ) -> (Visitor<'a>, i64) {
        let state = s.portal.state();
        let hash = state.hasher.hash(STAFF_PW).await.unwrap();
        let id = portal_core::staff::members::create(
            &state.db,
            s.scope().await,
            email,
            email.split('@').next().unwrap_or(email),
            role,
            &hash,
        )
        .await
        .unwrap();
        let mut v = Visitor::new(s);
        let r = v
            .post("/staff/login", &[("email", email), ("password", STAFF_PW)])
            .await;
        assert_eq!(r.status, 303, "{}", r.text());
        let setup = v.get("/staff/login/setup").await.text();
        let at = setup.find("id=\"totp-secret\">").unwrap() + 17;
        let secret = &setup[at..at + setup[at..].find('<').unwrap()];
        let code =
            portal_core::auth::totp::code_at(secret, portal_core::auth::totp::now_secs()).unwrap();
        let r = v
            .post("/staff/login/code", &[("code", code.as_str())])
            .await;
        assert_eq!(r.status, 303, "{}", r.text());
        (v, id)
    }
}

/// Customers (K2 a child of K1) and accounts with passwords: an admin and
/// an employee of K1, an admin of K3.
pub async fn fill_people(s: &Setup) {
    let (st, r) = s
        .api(
            Method::POST,
            "/api/admin/v1/sync/customers",
            Some(json!({"customers": [
                {"external_id": "K1", "number": "1001", "name": "Bakkerij Jansen"},
                {"external_id": "K2", "number": "1002", "name": "Filiaal Noord", "parent_external_id": "K1"},
                {"external_id": "K3", "number": "2001", "name": "Slagerij Smit"}
            ]})),
        )
        .await;
    assert_eq!(st, 200, "{r}");
    let (st, r) = s
        .api(
            Method::POST,
            "/api/admin/v1/sync/accounts",
            Some(json!({"accounts": [
                {"external_id": "A1", "customer_external_id": "K1", "email": "jan@bakkerij.nl", "roles": ["admin"], "main": true},
                {"external_id": "A2", "customer_external_id": "K1", "email": "piet@bakkerij.nl", "roles": ["employee"]},
                {"external_id": "A3", "customer_external_id": "K3", "email": "sanne@slagerij.nl", "roles": ["admin"], "main": true}
            ]})),
        )
        .await;
    assert_eq!(st, 200, "{r}");
    set_passwords(s).await;
}

/// Gives every account of `acme` the password [`PW`].
pub async fn set_passwords(s: &Setup) {
    let state = s.portal.state();
    let scope = s.scope().await;
    let hash = state.hasher.hash(PW).await.unwrap();
    let mut tx = state.db.begin().await.unwrap();
    for a in accounts::list(&state.db, scope, None).await.unwrap() {
        accounts::update(
            &mut tx,
            scope,
            a.id,
            vec![("password_hash", hash.clone().into())],
        )
        .await
        .unwrap();
    }
    tx.commit().await.unwrap();
}

/// The boundary of [`multipart`] bodies.
pub const BOUNDARY: &str = "portal-test-boundary";

/// A multipart body: text fields, then files as (field, file name, bytes).
pub fn multipart(fields: &[(&str, &str)], files: &[(&str, &str, &[u8])]) -> Vec<u8> {
    let mut out = Vec::new();
    for (k, v) in fields {
        out.extend_from_slice(
            format!("--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"{k}\"\r\n\r\n{v}\r\n")
                .as_bytes(),
        );
    }
    for (k, name, bytes) in files {
        out.extend_from_slice(
            format!(
                "--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"{k}\"; filename=\"{name}\"\r\n\
                 Content-Type: application/octet-stream\r\n\r\n"
            )
            .as_bytes(),
        );
        out.extend_from_slice(bytes);
        out.extend_from_slice(b"\r\n");
    }
    out.extend_from_slice(format!("--{BOUNDARY}--\r\n").as_bytes());
    out
}
