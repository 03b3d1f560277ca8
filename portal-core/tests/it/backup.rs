//! `portal backup` / `portal restore` (issue 22, operations): a backup taken
//! while the portal writes restores into a working portal; a restore never
//! throws data away; PostgreSQL is pointed at pg_dump.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use portal_core::backup::{self, BackupError, Target};
use portal_core::config::Config;
use portal_core::files::BlobStore;
use portal_core::tenant::MessageKind;
use portal_core::tenant::repo::{self, BrandImage, MessageInput};

use crate::support::{TestDb, db_test, portal, tenant};

const PNG: &[u8] = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x01\0\0\0\x01\x08\x06\0\0\0\x1f\x15\xc4\x89\0\0\0\rIDATx\x9cc\xf8\x0f\0\0\x01\x01\x01\0\x18\xdd\x8d\xb0\0\0\0\0IEND\xaeB`\x82";

async fn messages(db: &portal_core::db::Db, s: portal_core::tenant::TenantScope) -> usize {
    let rows: Vec<(i64,)> = db
        .fetch_all(&s.select("core_page_messages").column("id").to_owned())
        .await
        .unwrap();
    rows.len()
}

async fn a_backup_during_writes_restores_into_a_working_portal(tdb: TestDb) {
    let p = portal(&tdb).await;
    let state = p.state();
    let out = tdb.dir.path().join("backup.tar");
    if tdb.db.sqlite_file().is_none() {
        let e = backup::backup(&state.db, &state.blobs, &state.registry, &out)
            .await
            .unwrap_err();
        assert!(matches!(e, BackupError::Postgres), "{e}");
        assert!(e.to_string().contains("pg_dump"), "{e}");
        assert!(!out.exists());
        return;
    }
    let s = tenant(&state.db, "acme", "Acme").await;
    // The portal keeps writing: page messages, and logos (a blob before
    // the row that names it) replaced over and over.
    let stop = Arc::new(AtomicBool::new(false));
    let writer = {
        let (db, blobs, stop) = (state.db.clone(), state.blobs.clone(), stop.clone());
        tokio::spawn(async move {
            let mut n = 0usize;
            while !stop.load(Ordering::SeqCst) || n < 20 {
                let m = MessageInput {
                    html_en: String::new(),
                    page: "*".into(),
                    kind: MessageKind::Neutral,
                    html: format!("<p>bericht {n}</p>"),
                    starts_at: None,
                    ends_at: None,
                };
                repo::add_message(&db, s, &m).await.unwrap();
                let key = BlobStore::new_key(s.tenant_id(), "brand", "png");
                blobs.put(&key, PNG).await.unwrap();
                repo::set_image(&db, s, BrandImage::Logo, Some(&key))
                    .await
                    .unwrap();
                n += 1;
            }
            n
        })
    };
    tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    let before = messages(&state.db, s).await;
    let m = backup::backup(&state.db, &state.blobs, &state.registry, &out)
        .await
        .unwrap();
    stop.store(true, Ordering::SeqCst);
    let written = writer.await.unwrap();
    assert!(out.exists());
    assert_eq!(m.files, 1, "the one logo the copy names: {m:?}");
    assert_eq!(m.files_missing, 0);
    // A second backup to the same file is refused; the first stays.
    let again = backup::backup(&state.db, &state.blobs, &state.registry, &out).await;
    assert!(matches!(again, Err(BackupError::Exists(_))));

    // Restored into a new data folder, it is a working portal.
    let dir = tempfile::TempDir::new().unwrap();
    let target = Target {
        database: dir.path().join("portal.db"),
        files: Some(dir.path().join("files")),
    };
    let r = backup::restore(&out, &target, false).await.unwrap();
    assert!(r.kept_in.is_none());
    let config = Config {
        data_dir: dir.path().to_path_buf(),
        ..Config::default()
    };
    let restored = portal_core::Portal::open(config, false).await.unwrap();
    let rs = restored.state();
    assert_eq!(rs.db.sqlite_check().await.unwrap().as_deref(), Some("ok"));
    let count = messages(&rs.db, s).await;
    assert!(
        count >= before && count <= written,
        "the copy is one moment: {before} <= {count} <= {written}"
    );
    let snapshot = rs.cache.get().await.unwrap();
    let t = snapshot.by_code("acme").unwrap();
    let logo = t.branding.logo.clone().unwrap();
    assert_eq!(rs.blobs.get(&logo).await.unwrap().as_deref(), Some(PNG));

    // Again, over the restored data: refused without --force; with it, the
    // data it replaces is kept aside, not deleted.
    let e = backup::restore(&out, &target, false).await.unwrap_err();
    assert!(matches!(e, BackupError::WouldReplace(_)), "{e}");
    drop(restored);
    let r = backup::restore(&out, &target, true).await.unwrap();
    let kept = r.kept_in.unwrap();
    assert!(kept.join("portal.db").exists());
    assert!(kept.join("files").join(&logo).exists());

    // A restore that fails half-way (here: the files cannot be put where
    // they belong) undoes what it moved; the database stays as it was.
    {
        // The data now differs from the backup's.
        let db = portal_core::db::Db::connect(
            &format!("sqlite://{}", target.database.display()),
            portal_core::db::DbOptions::default(),
        )
        .await
        .unwrap();
        let m = MessageInput {
            html_en: String::new(),
            page: "*".into(),
            kind: MessageKind::Neutral,
            html: "<p>na de restore</p>".into(),
            starts_at: None,
            ends_at: None,
        };
        repo::add_message(&db, s, &m).await.unwrap();
        db.execute_raw("PRAGMA wal_checkpoint(TRUNCATE)")
            .await
            .unwrap();
        db.close().await;
    }
    let before = std::fs::read(&target.database).unwrap();
    let broken = Target {
        database: target.database.clone(),
        files: Some(dir.path().join("no").join("such").join("files")),
    };
    assert!(backup::restore(&out, &broken, true).await.is_err());
    assert!(
        std::fs::read(&target.database).unwrap() == before,
        "the database it would have replaced is back in place"
    );
    assert!(
        !std::fs::read_dir(dir.path())
            .unwrap()
            .flatten()
            .any(|e| e.file_name().to_string_lossy().starts_with("restore-")),
        "no staging left behind"
    );

    // An archive with a link in it is refused before anything is written
    // outside its staging folder (a crafted "backup").
    let evil = tdb.dir.path().join("evil.tar");
    {
        let mut b = tar::Builder::new(std::fs::File::create(&evil).unwrap());
        let mut h = tar::Header::new_gnu();
        h.set_entry_type(tar::EntryType::Symlink);
        h.set_size(0);
        b.append_link(&mut h, "files/1", "/").unwrap();
        b.finish().unwrap();
    }
    let e = backup::restore(&evil, &target, true).await.unwrap_err();
    assert!(e.to_string().contains("plain files only"), "{e}");
    assert!(target.database.exists());

    // A backup made by a newer portal (its migrations may be unknown
    // here) is refused with what to do, before anything is replaced.
    let newer = tdb.dir.path().join("newer.tar");
    {
        let mut from = tar::Archive::new(std::fs::File::open(&out).unwrap());
        let mut b = tar::Builder::new(std::fs::File::create(&newer).unwrap());
        for entry in from.entries().unwrap() {
            let mut entry = entry.unwrap();
            let name = entry.path().unwrap().to_string_lossy().to_string();
            let mut bytes = Vec::new();
            std::io::Read::read_to_end(&mut entry, &mut bytes).unwrap();
            if name == "portal-backup.json" {
                let mut m: serde_json::Value = serde_json::from_slice(&bytes).unwrap();
                m["portal_version"] = "99.0.0".into();
                bytes = serde_json::to_vec(&m).unwrap();
            }
            let mut h = tar::Header::new_gnu();
            h.set_size(bytes.len() as u64);
            h.set_mode(0o600);
            h.set_cksum();
            b.append_data(&mut h, &name, bytes.as_slice()).unwrap();
        }
        b.finish().unwrap();
    }
    let before = std::fs::read(&target.database).unwrap();
    let e = backup::restore(&newer, &target, true).await.unwrap_err();
    assert!(matches!(e, BackupError::NewerPortal { .. }), "{e}");
    assert!(e.to_string().contains("portal 99.0.0 or newer"), "{e}");
    assert_eq!(std::fs::read(&target.database).unwrap(), before);

    // Something that is not a backup is refused and changes nothing.
    let junk = tdb.dir.path().join("junk.tar");
    std::fs::write(&junk, b"not a tar file at all").unwrap();
    let e = backup::restore(&junk, &target, true).await.unwrap_err();
    assert!(matches!(e, BackupError::NotABackup { .. }), "{e}");
    assert!(target.database.exists());
}
db_test!(a_backup_during_writes_restores_into_a_working_portal);
