//! Migrations from an empty database, and a second run that changes nothing.

use portal_core::Registry;
use portal_core::app::migrate_all;
use portal_core::db::Backend;

use crate::support::{TestDb, db_test};

async fn count(tdb: &TestDb, sql: &'static str) -> i64 {
    match tdb.backend() {
        Backend::Sqlite => {
            let pool = sqlx::SqlitePool::connect(&tdb.url).await.unwrap();
            let (n,): (i64,) = sqlx::query_as(sql).fetch_one(&pool).await.unwrap();
            pool.close().await;
            n
        }
        Backend::Postgres => {
            let pool = sqlx::PgPool::connect(&tdb.url).await.unwrap();
            let (n,): (i64,) = sqlx::query_as(sql).fetch_one(&pool).await.unwrap();
            pool.close().await;
            n
        }
    }
}

async fn migrations_apply_from_empty_and_rerun_changes_nothing(tdb: TestDb) {
    let registry = Registry::from_inventory().unwrap();
    migrate_all(&tdb.db, &registry).await.unwrap();
    let applied = count(&tdb, "SELECT COUNT(*) FROM _sqlx_migrations_core").await;
    assert!(applied >= 1);
    assert_eq!(
        count(&tdb, "SELECT COUNT(*) FROM core_cache_version").await,
        1
    );
    crate::support::tenant(&tdb.db, "acme", "Acme").await;

    migrate_all(&tdb.db, &registry).await.unwrap();
    assert_eq!(
        count(&tdb, "SELECT COUNT(*) FROM _sqlx_migrations_core").await,
        applied
    );
    assert_eq!(
        count(&tdb, "SELECT COUNT(*) FROM core_tenants").await,
        1,
        "data survives a re-run"
    );
    assert_eq!(
        count(&tdb, "SELECT COUNT(*) FROM core_cache_version").await,
        1
    );
}
db_test!(migrations_apply_from_empty_and_rerun_changes_nothing);
