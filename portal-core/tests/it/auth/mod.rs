//! Accounts and authentication, SECURITY.md sections A-D: each case a test,
//! on SQLite and PostgreSQL. A [`Visitor`] is a browser without JavaScript:
//! it keeps cookies and posts forms with their CSRF token.

mod links;
mod login;
mod sessions;
mod staff;
mod totp;

use std::collections::BTreeMap;
use std::sync::Arc;

use poem::http::Method;
use portal_core::auth::accounts::{self, NewAccount};
use portal_core::mail::outbox;
use portal_core::tenant::{Tenant, TenantScope};
use sea_query::{Expr, ExprTrait, Query};

use crate::support::{Resp, TestDb, TestPortal, portal, tenant};

/// A password every policy in these tests accepts.
pub const PW: &str = "Blauwe-fiets-rijdt-7!";
pub const HOST: &str = "acme.localhost";

/// A visitor with a cookie jar.
pub struct Visitor<'a> {
    pub p: &'a TestPortal,
    pub host: String,
    pub jar: BTreeMap<String, String>,
}

impl<'a> Visitor<'a> {
    pub fn new(p: &'a TestPortal) -> Self {
        Self::on(p, HOST)
    }

    pub fn on(p: &'a TestPortal, host: &str) -> Self {
        Self {
            p,
            host: host.into(),
            jar: BTreeMap::new(),
        }
    }

    fn cookie_header(&self) -> String {
        self.jar
            .iter()
            .map(|(k, v)| format!("{k}={v}"))
            .collect::<Vec<_>>()
            .join("; ")
    }

    fn absorb(&mut self, r: &Resp) {
        for v in r.headers.get_all("set-cookie") {
            let v = v.to_str().unwrap();
            let first = v.split(';').next().unwrap();
            let (k, val) = first.split_once('=').unwrap();
            if val.is_empty() || v.contains("Max-Age=0") {
                self.jar.remove(k);
            } else {
                self.jar.insert(k.into(), val.into());
            }
        }
    }

    /// A GET as a browser makes it: a 307 to the same address (a page
    /// whose kept session changed while it was read) is asked again once.
    pub async fn get(&mut self, path: &str) -> Resp {
        let r = self.get_once(path).await;
        if r.status == 307 && r.header("location") == path {
            return self.get_once(path).await;
        }
        r
    }

    /// One GET, its answer as it is.
    pub async fn get_once(&mut self, path: &str) -> Resp {
        let c = self.cookie_header();
        let r = self
            .p
            .req(Method::GET, &self.host, path)
            .header("cookie", &c)
            .send()
            .await;
        self.absorb(&r);
        r
    }

    /// Posts a form with the CSRF token of a page fetched first.
    pub async fn post(&mut self, path: &str, fields: &[(&str, &str)]) -> Resp {
        let token = self.get("/password/forgot").await.csrf_token();
        self.post_with_token(path, fields, &token).await
    }

    pub async fn post_with_token(
        &mut self,
        path: &str,
        fields: &[(&str, &str)],
        token: &str,
    ) -> Resp {
        let mut body = url::form_urlencoded::Serializer::new(String::new());
        body.append_pair("_csrf", token);
        for (k, v) in fields {
            body.append_pair(k, v);
        }
        let c = self.cookie_header();
        let r = self
            .p
            .req(Method::POST, &self.host, path)
            .header("cookie", &c)
            .body("application/x-www-form-urlencoded", body.finish())
            .send()
            .await;
        self.absorb(&r);
        r
    }

    /// Posts a multipart form (files as (field, name, bytes)) with the CSRF
    /// token in the query string, as the portal's upload forms do.
    pub async fn post_multipart(
        &mut self,
        path: &str,
        fields: &[(&str, &str)],
        files: &[(&str, &str, &[u8])],
    ) -> Resp {
        let token = self.get("/password/forgot").await.csrf_token();
        let body = portal_testkit::multipart(fields, files);
        let c = self.cookie_header();
        let sep = if path.contains('?') { '&' } else { '?' };
        let r = self
            .p
            .req(
                Method::POST,
                &self.host,
                &format!("{path}{sep}_csrf={token}"),
            )
            .header("cookie", &c)
            .body(
                &format!("multipart/form-data; boundary={}", portal_testkit::BOUNDARY),
                body,
            )
            .send()
            .await;
        self.absorb(&r);
        r
    }

    /// The session cookie's value, if any.
    pub fn session(&self) -> Option<String> {
        self.jar.get("portal_session").cloned()
    }

    /// True when `/settings` shows the settings page (not a redirect to login).
    pub async fn logged_in(&mut self) -> bool {
        let r = self.get("/settings").await;
        r.status == 200 && r.body.contains("id=\"account-email\"")
    }
}

/// The tenant as the portal sees it now.
pub async fn snapshot(p: &TestPortal, code: &str) -> Arc<Tenant> {
    let snap = p.state().cache.get().await.unwrap();
    snap.by_code(code).unwrap().clone()
}

/// Sets an `auth.*` setting of a tenant.
pub async fn set(p: &TestPortal, scope: TenantScope, key: &str, value: &str) {
    portal_core::tenant::repo::set_setting(
        &p.state().db,
        scope,
        &p.state().registry,
        "auth",
        key,
        Some(value),
    )
    .await
    .unwrap();
}

/// A portal with tenant `acme` in `mode`.
pub async fn setup(tdb: &TestDb, mode: &str) -> (TestPortal, TenantScope) {
    let p = portal(tdb).await;
    let s = tenant(&tdb.db, "acme", "Acme").await;
    set(&p, s, "login_mode", mode).await;
    (p, s)
}

/// What an account is made of in tests.
pub struct Acc<'a> {
    pub customer: &'a str,
    pub email: &'a str,
    pub username: Option<&'a str>,
    pub password: Option<&'a str>,
    pub is_main: bool,
    pub active: bool,
    pub confirmed: bool,
}

impl Default for Acc<'_> {
    fn default() -> Self {
        Self {
            customer: "1001",
            email: "jan@example.nl",
            username: None,
            password: Some(PW),
            is_main: true,
            active: true,
            confirmed: true,
        }
    }
}

impl Acc<'_> {
    /// An extra (not main) account of the default account's customer.
    pub fn extra() -> Self {
        Self {
            email: "extra@example.nl",
            is_main: false,
            ..Self::default()
        }
    }
}

/// Creates an account directly (as the back-office sync will); returns its id.
pub async fn account(p: &TestPortal, scope: TenantScope, a: Acc<'_>) -> i64 {
    let state = p.state();
    let hash = match a.password {
        Some(pw) => Some(state.hasher.hash(pw).await.unwrap()),
        None => None,
    };
    let mut tx = state.db.begin().await.unwrap();
    let customer = accounts::upsert_customer(&mut tx, scope, a.customer, "Klant")
        .await
        .unwrap();
    let id = accounts::insert(
        &mut tx,
        scope,
        &NewAccount {
            customer_id: customer,
            email: a.email.into(),
            username: a.username.map(str::to_string),
            display_name: String::new(),
            lang: None,
            is_main: a.is_main,
            active: a.active,
            confirmed: a.confirmed,
            password_hash: hash,
            ..Default::default()
        },
    )
    .await
    .unwrap();
    tx.commit().await.unwrap();
    id
}

/// Logs in with the e-mail (mode `email`) and returns the answer.
pub async fn login_email(v: &mut Visitor<'_>, email: &str, pw: &str) -> Resp {
    v.post(
        "/login",
        &[("login", email), ("password", pw), ("next", "/")],
    )
    .await
}

/// The queued mails of the tenant with `key`, newest first.
pub async fn mails(p: &TestPortal, scope: TenantScope, key: &str) -> Vec<outbox::OutboxMail> {
    // Requests for links answer first and queue their mail right after.
    p.state().background.idle().await;
    outbox::list(&p.state().db, scope, None, 500)
        .await
        .unwrap()
        .into_iter()
        .filter(|m| m.mail_key == key)
        .collect()
}

/// The first link in a mail's text that contains `path`.
pub fn link_in(mail: &outbox::OutboxMail, path: &str) -> String {
    let at = mail.body_text.find(path).unwrap_or_else(|| {
        panic!("no {path} in mail:\n{}", mail.body_text);
    });
    let start = mail.body_text[..at].rfind("http").unwrap();
    let end = mail.body_text[start..]
        .find(char::is_whitespace)
        .map_or(mail.body_text.len(), |e| start + e);
    mail.body_text[start..end].to_string()
}

/// The path part of a link (`http://acme.localhost:8080/password/...` -> `/password/...`).
pub fn path_of(link: &str) -> String {
    let u = url::Url::parse(link).unwrap();
    u.path().to_string()
}

/// Runs a statement on the test database (to move times, read rows),
/// whatever tenant its rows belong to.
pub async fn exec(p: &TestPortal, q: &sea_query::UpdateStatement) -> u64 {
    let mut tx = p.state().db.begin().await.unwrap();
    let n = tx.execute_across_tenants(q).await.unwrap();
    tx.commit().await.unwrap();
    n
}

/// Sets `expires_at` of every unused token of a purpose to `at`.
pub async fn expire_tokens_at(p: &TestPortal, purpose: &str, at: chrono::DateTime<chrono::Utc>) {
    exec(
        p,
        &Query::update()
            .table("core_auth_tokens")
            .value("expires_at", at)
            .and_where(Expr::col("purpose").eq(purpose))
            .and_where(Expr::col("used_at").is_null())
            .to_owned(),
    )
    .await;
}
