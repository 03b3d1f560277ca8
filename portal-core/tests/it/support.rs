//! Test support: a fresh database per test (its own SQLite file, or its own
//! PostgreSQL schema), a portal on it, and a small HTTP helper.

use std::sync::Arc;

use poem::endpoint::BoxEndpoint;
use poem::http::{HeaderMap, Method, StatusCode};
use poem::test::TestClient;
use portal_core::config::Config;
use portal_core::db::{Backend, Db, DbOptions};
use portal_core::tenant::repo::{self, NewTenant};
use portal_core::tenant::{AddressForm, Lang, TenantScope};
use portal_core::{Portal, Registry};
use tempfile::TempDir;

/// The environment variable naming the PostgreSQL server for tests.
pub const PG_URL_VAR: &str = "PORTAL_TEST_POSTGRES_URL";

/// Runs a test body once on SQLite and once on PostgreSQL (when configured).
macro_rules! db_test {
    ($name:ident) => {
        mod $name {
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn sqlite() {
                super::$name(crate::support::TestDb::sqlite().await).await
            }
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn postgres() {
                if let Some(db) = crate::support::TestDb::postgres().await {
                    super::$name(db).await
                }
            }
        }
    };
}
pub(crate) use db_test;

/// A database of one test; `dir` also holds blobs.
pub struct TestDb {
    pub db: Db,
    pub url: String,
    pub dir: TempDir,
}

impl TestDb {
    pub async fn sqlite() -> Self {
        let dir = TempDir::new().unwrap();
        let url = format!("sqlite://{}", dir.path().join("portal.db").display());
        let db = Db::connect(&url, DbOptions::default()).await.unwrap();
        Self { db, url, dir }
    }

    /// `None` when no PostgreSQL is configured (the test then does nothing;
    /// the test script says PostgreSQL was skipped). With
    /// `PORTAL_TEST_REQUIRE_POSTGRES=1` (CI) a missing server fails the test.
    pub async fn postgres() -> Option<Self> {
        let Ok(base) = std::env::var(PG_URL_VAR) else {
            assert!(
                std::env::var("PORTAL_TEST_REQUIRE_POSTGRES").is_err(),
                "PORTAL_TEST_REQUIRE_POSTGRES is set but {PG_URL_VAR} is not"
            );
            return None;
        };
        let admin = sqlx::PgPool::connect(&base)
            .await
            .expect("PostgreSQL test server unreachable");
        let now = chrono::Utc::now().timestamp();
        // Schemas of earlier runs that died before cleaning up.
        let stale: Vec<(String,)> =
            sqlx::query_as("SELECT nspname::text FROM pg_namespace WHERE nspname LIKE 'it\\_%'")
                .fetch_all(&admin)
                .await
                .unwrap();
        for (name,) in stale {
            let ts: i64 = name
                .split('_')
                .nth(1)
                .and_then(|t| t.parse().ok())
                .unwrap_or(now);
            if now - ts > 3600 {
                let _ = sqlx::raw_sql(sqlx::AssertSqlSafe(format!(
                    "DROP SCHEMA IF EXISTS {name} CASCADE"
                )))
                .execute(&admin)
                .await;
            }
        }
        let schema = format!("it_{now}_{}", uuid::Uuid::new_v4().simple());
        sqlx::raw_sql(sqlx::AssertSqlSafe(format!("CREATE SCHEMA {schema}")))
            .execute(&admin)
            .await
            .unwrap();
        admin.close().await;
        let sep = if base.contains('?') { '&' } else { '?' };
        let url = format!("{base}{sep}options=-c%20search_path%3D{schema}");
        let db = Db::connect(
            &url,
            DbOptions {
                max_connections: 4,
                ..DbOptions::default()
            },
        )
        .await
        .unwrap();
        Some(Self {
            db,
            url,
            dir: TempDir::new().unwrap(),
        })
    }

    pub fn backend(&self) -> Backend {
        self.db.backend()
    }

    /// A configuration pointing at this database and folder.
    pub fn config(&self) -> Config {
        let mut c = Config::default();
        c.database.url = self.url.clone();
        c.data_dir = self.dir.path().to_path_buf();
        c
    }
}

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
