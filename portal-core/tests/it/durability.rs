//! Concurrent writers never see "database is locked".

use portal_core::tenant::MessageKind;
use portal_core::tenant::repo::{self, MessageInput};

use crate::support::{TestDb, db_test, tenant};

async fn concurrent_writers_all_succeed(tdb: TestDb) {
    crate::support::migrate(&tdb).await;
    let s = tenant(&tdb.db, "acme", "Acme").await;
    let mut tasks = Vec::new();
    for i in 0..40 {
        let db = tdb.db.clone();
        tasks.push(tokio::spawn(async move {
            let m = MessageInput {
                html_en: String::new(),
                page: "*".into(),
                kind: MessageKind::Neutral,
                html: format!("<p>{i}</p>"),
                starts_at: None,
                ends_at: None,
            };
            repo::add_message(&db, s, &m).await
        }));
    }
    for t in tasks {
        t.await.unwrap().unwrap();
    }
    let rows: Vec<(i64,)> = tdb
        .db
        .fetch_all(&s.select("core_page_messages").column("id").to_owned())
        .await
        .unwrap();
    assert_eq!(rows.len(), 40);
}
db_test!(concurrent_writers_all_succeed);

/// The server ends a pooled connection between two reads (a restart, a
/// fail-over, `pg_terminate_backend`): the next read runs again on a new
/// connection instead of failing the page, and `/health`'s ping too.
/// PostgreSQL only (a SQLite file has no server to lose).
async fn a_read_survives_a_connection_the_server_ended(tdb: TestDb) {
    if tdb.backend() != portal_core::db::Backend::Postgres {
        return;
    }
    let pid_query = sea_query::Query::select()
        .expr(sea_query::Expr::cust("pg_backend_pid()"))
        .to_owned();
    let pid = || tdb.db.fetch_optional_across_tenants::<(i32,)>(&pid_query);
    let Some((first,)) = pid().await.unwrap() else {
        panic!("no backend pid")
    };
    // The pooled read connection is the idle one just used: end it.
    let admin = sqlx::PgPool::connect(&tdb.url).await.unwrap();
    let end = async |pid: i32| {
        let (ended,): (bool,) = sqlx::query_as("SELECT pg_terminate_backend($1)")
            .bind(pid)
            .fetch_one(&admin)
            .await
            .unwrap();
        assert!(ended, "backend {pid} ended");
    };
    end(first).await;
    let Some((second,)) = pid().await.unwrap() else {
        panic!("no backend pid")
    };
    assert_ne!(first, second, "read again on a new connection");
    // The same for the health check's ping.
    end(second).await;
    tdb.db.ping().await.unwrap();
    // Read connections are read-only: nothing a retry runs again can
    // have changed anything.
    let read_only = sea_query::Query::select()
        .expr(sea_query::Expr::cust(
            "current_setting('default_transaction_read_only')",
        ))
        .to_owned();
    let setting: Option<(String,)> = tdb
        .db
        .fetch_optional_across_tenants(&read_only)
        .await
        .unwrap();
    assert_eq!(setting, Some(("on".to_string(),)));
    admin.close().await;
}
db_test!(a_read_survives_a_connection_the_server_ended);
