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

/// Plans that do not depend on bound values (docs/storage.md): SQLite is
/// built with SQLITE_ENABLE_QPSG; PostgreSQL connections run on generic
/// plans, and `fetch_all_unprepared` gets a custom plan without leaving
/// that setting behind on the pooled connection.
async fn plans_are_stable_and_unprepared_lists_get_their_own(tdb: TestDb) {
    let db = &tdb.db;
    let Some(pool) = db.pg_pool() else {
        assert_eq!(db.sqlite_plans_stable().await.unwrap(), Some(true));
        return;
    };
    let mode = || async {
        let (m,): (String,) = sqlx::query_as("SHOW plan_cache_mode")
            .fetch_one(pool)
            .await
            .unwrap();
        m
    };
    assert_eq!(mode().await, "force_generic_plan");
    let q = sea_query::Query::select()
        .expr(sea_query::Expr::cust("current_setting('plan_cache_mode')"))
        .to_owned();
    let rows: Vec<(String,)> = db.fetch_all(&q).await.unwrap();
    assert_eq!(rows[0].0, "force_generic_plan");
    // The setting lives in the call's own transaction: afterwards every
    // pooled connection is back on generic plans.
    for _ in 0..3 {
        let seen: Vec<(String,)> = db.fetch_all_unprepared(&q).await.unwrap();
        assert_eq!(seen[0].0, "force_custom_plan");
        assert_eq!(mode().await, "force_generic_plan");
    }
    // Inside a transaction: that one statement planned with its values,
    // the transaction's next ones on generic plans again.
    let mut tx = db.begin().await.unwrap();
    let seen: Vec<(String,)> = tx.fetch_all_unprepared(&q).await.unwrap();
    assert_eq!(seen[0].0, "force_custom_plan");
    let after: Vec<(String,)> = tx.fetch_all(&q).await.unwrap();
    assert_eq!(after[0].0, "force_generic_plan");
    tx.commit().await.unwrap();
}
db_test!(plans_are_stable_and_unprepared_lists_get_their_own);
