//! A fresh database per test: its own SQLite file, or its own PostgreSQL
//! schema (stale schemas of runs that died are dropped after an hour), so
//! tests run in parallel.

use portal_core::config::Config;
use portal_core::db::{Backend, Db, DbOptions};
use tempfile::TempDir;

/// The environment variable naming the PostgreSQL server for tests.
pub const PG_URL_VAR: &str = "PORTAL_TEST_POSTGRES_URL";

/// Runs a test body `async fn name(tdb: TestDb)` once on SQLite and once
/// on PostgreSQL (when configured), as `name::sqlite` and `name::postgres`.
#[macro_export]
macro_rules! db_test {
    ($name:ident) => {
        mod $name {
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn sqlite() {
                super::$name($crate::TestDb::sqlite().await).await
            }
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn postgres() {
                if let Some(db) = $crate::TestDb::postgres().await {
                    super::$name(db).await
                }
            }
        }
    };
}

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
