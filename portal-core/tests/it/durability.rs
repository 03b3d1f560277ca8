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
