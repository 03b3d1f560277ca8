//! The blob store and its sweeper.

use std::time::Duration;

use portal_core::files::{BlobStore, sweep};
use portal_core::tenant::repo::{self, BrandImage};

use crate::support::{TestDb, db_test, portal, tenant};

async fn sweeper_removes_only_old_unreferenced_blobs(tdb: TestDb) {
    let p = portal(&tdb).await;
    let s = tenant(&tdb.db, "acme", "Acme").await;
    let blobs = &p.state().blobs;
    let logo = BlobStore::new_key(s.tenant_id(), "logo", "png");
    blobs.put(&logo, b"logo").await.unwrap();
    repo::set_image(&tdb.db, s, BrandImage::Logo, Some(&logo))
        .await
        .unwrap();
    // What a crash between writing the blob and committing its row leaves.
    let orphan = BlobStore::new_key(s.tenant_id(), "logo", "png");
    blobs.put(&orphan, b"orphan").await.unwrap();

    let registry = &p.state().registry;
    assert_eq!(
        sweep(&tdb.db, blobs, registry, Duration::from_secs(3600))
            .await
            .unwrap(),
        0,
        "young blobs get their grace period"
    );
    tokio::time::sleep(Duration::from_millis(20)).await;
    assert_eq!(
        sweep(&tdb.db, blobs, registry, Duration::from_millis(10))
            .await
            .unwrap(),
        1
    );
    assert!(blobs.get(&orphan).await.unwrap().is_none());
    assert_eq!(blobs.get(&logo).await.unwrap().unwrap(), b"logo");
}
db_test!(sweeper_removes_only_old_unreferenced_blobs);

#[tokio::test]
async fn blob_keys_cannot_leave_the_store() {
    let dir = tempfile::TempDir::new().unwrap();
    let store = BlobStore::local(dir.path().join("blobs"));
    for key in [
        "../x",
        "/etc/passwd",
        "a/../../x",
        "a\\b",
        "a b",
        "",
        "a\0b",
    ] {
        assert!(store.put(key, b"x").await.is_err(), "{key:?} accepted");
    }
    store.put("1/logo-abc.png", b"x").await.unwrap();
    assert_eq!(store.list().await.unwrap().len(), 1);
}
