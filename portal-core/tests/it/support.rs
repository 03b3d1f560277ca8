//! Test support: a fresh database per test (its own SQLite file, or its own
//! PostgreSQL schema), a portal on it, and a small HTTP helper.

use std::sync::Arc;

use poem::endpoint::BoxEndpoint;
use poem::http::{HeaderMap, Method, StatusCode};
use poem::test::TestClient;
use portal_core::config::Config;
use portal_core::db::{Db, DbOptions};
use portal_core::tenant::repo::{self, NewTenant};
use portal_core::tenant::{AddressForm, Lang, TenantScope};
use portal_core::{Portal, Registry};

pub use portal_testkit::TestDb;
pub(crate) use portal_testkit::db_test;

/// A portal on a test database, reached in-process.
pub struct TestPortal {
    pub portal: Portal,
    pub client: TestClient<BoxEndpoint<'static>>,
}

pub async fn portal(tdb: &TestDb) -> TestPortal {
    portal_with(tdb, tdb.config()).await
}

pub async fn portal_with(tdb: &TestDb, config: Config) -> TestPortal {
    portal_on(tdb.db.clone(), config).await
}

/// A second "process": its own connections to the same database, so it
/// learns of changes only the way another process would.
pub async fn other_process(tdb: &TestDb) -> TestPortal {
    let db = Db::connect(
        &tdb.url,
        DbOptions {
            max_connections: 4,
            ..DbOptions::default()
        },
    )
    .await
    .unwrap();
    portal_on(db, tdb.config()).await
}

async fn portal_on(db: Db, config: Config) -> TestPortal {
    let registry = Registry::from_inventory().unwrap();
    let portal = Portal::with_parts(config, db, registry, true)
        .await
        .unwrap();
    let client = TestClient::new(portal.endpoint().unwrap());
    TestPortal { portal, client }
}

/// Applies every migration (for tests that do not open a portal).
pub async fn migrate(tdb: &TestDb) {
    portal_core::app::migrate_all(&tdb.db, &Registry::from_inventory().unwrap())
        .await
        .unwrap();
}

/// A tenant `code` with name `name`, reachable as `<code>.localhost`.
pub async fn tenant(db: &Db, code: &str, name: &str) -> TenantScope {
    repo::create(
        db,
        &NewTenant {
            code: code.into(),
            name: name.into(),
            default_language: Lang::Nl,
            address_form: AddressForm::Formal,
        },
    )
    .await
    .unwrap()
}

/// An answer, read whole.
#[derive(Debug)]
pub struct Resp {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: String,
}

impl Resp {
    pub fn header(&self, name: &str) -> &str {
        self.headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
    }

    /// `name=value` of the first `Set-Cookie` with that name.
    pub fn cookie(&self, name: &str) -> Option<String> {
        self.headers
            .get_all("set-cookie")
            .iter()
            .filter_map(|v| v.to_str().ok())
            .filter_map(|v| v.split(';').next())
            .find(|kv| kv.starts_with(&format!("{name}=")))
            .map(str::to_string)
    }

    /// The value of the hidden `_csrf` field on the page.
    pub fn csrf_token(&self) -> String {
        let at = self
            .body
            .find("name=\"_csrf\" value=\"")
            .expect("page has a CSRF field");
        let rest = &self.body[at + 20..];
        rest[..rest.find('"').unwrap()].to_string()
    }
}

/// A request builder with the parts tests use.
pub struct Req<'a> {
    pub client: &'a TestClient<BoxEndpoint<'static>>,
    pub method: Method,
    pub host: String,
    pub path: String,
    pub headers: Vec<(String, String)>,
    pub body: Option<(String, Vec<u8>)>,
}

impl TestPortal {
    pub fn req(&self, method: Method, host: &str, path: &str) -> Req<'_> {
        Req {
            client: &self.client,
            method,
            host: host.into(),
            path: path.into(),
            headers: vec![],
            body: None,
        }
    }

    pub async fn get(&self, host: &str, path: &str) -> Resp {
        self.req(Method::GET, host, path).send().await
    }

    pub fn state(&self) -> &Arc<portal_core::AppState> {
        self.portal.state()
    }
}

impl Req<'_> {
    pub fn header(mut self, k: &str, v: &str) -> Self {
        self.headers.push((k.into(), v.into()));
        self
    }

    pub fn body(mut self, content_type: &str, body: impl Into<Vec<u8>>) -> Self {
        self.body = Some((content_type.into(), body.into()));
        self
    }

    pub fn json(self, v: &serde_json::Value) -> Self {
        self.body("application/json", serde_json::to_vec(v).unwrap())
    }

    pub fn bearer(self, token: &str) -> Self {
        let v = format!("Bearer {token}");
        self.header("authorization", &v)
    }

    pub async fn send(self) -> Resp {
        let mut b = self
            .client
            .request(self.method, self.path)
            .header("host", self.host);
        for (k, v) in self.headers {
            b = b.header(k, v);
        }
        if let Some((ct, body)) = self.body {
            b = b.content_type(ct).body(body);
        }
        let resp = b.send().await;
        let r = resp.0;
        let status = r.status();
        let headers = r.headers().clone();
        // minijinja escapes `/` in HTML as `&#x2f;`; tests read URLs plainly.
        let body = r
            .into_body()
            .into_string()
            .await
            .unwrap_or_default()
            .replace("&#x2f;", "/");
        Resp {
            status,
            headers,
            body,
        }
    }
}
