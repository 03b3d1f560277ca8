//! The S3-compatible blob store against a real S3-compatible server (moto,
//! from PyPI: `pip install 'moto[server]'`). Without `moto_server` on the
//! PATH these tests do nothing, unless `PORTAL_TEST_REQUIRE_S3=1` (CI).

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use poem::http::Method;
use portal_core::config::FilesConfig;
use portal_core::files::{BlobStore, sweep};
use portal_core::tenant::repo;

use crate::support::{TestDb, portal_with, tenant};

/// A moto server on a free port; killed when dropped.
struct Moto {
    child: Child,
    endpoint: String,
}

impl Drop for Moto {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn moto() -> Option<Moto> {
    let port = TcpListener::bind("127.0.0.1:0")
        .ok()?
        .local_addr()
        .ok()?
        .port();
    let child = match Command::new("moto_server")
        .args(["-H", "127.0.0.1", "-p", &port.to_string()])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
    {
        Ok(c) => c,
        Err(_) => {
            assert!(
                std::env::var("PORTAL_TEST_REQUIRE_S3").is_err(),
                "PORTAL_TEST_REQUIRE_S3 is set but moto_server is not installed"
            );
            return None;
        }
    };
    let moto = Moto {
        child,
        endpoint: format!("http://127.0.0.1:{port}"),
    };
    for _ in 0..200 {
        if TcpStream::connect(("127.0.0.1", port)).is_ok() {
            return Some(moto);
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    panic!("moto_server did not start");
}

/// Creates a bucket with a plain S3 `PUT /<bucket>` (object_store cannot).
fn create_bucket(endpoint: &str, bucket: &str) {
    let addr = endpoint.trim_start_matches("http://");
    let mut s = TcpStream::connect(addr).unwrap();
    write!(
        s,
        "PUT /{bucket} HTTP/1.1\r\nHost: {addr}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut answer = String::new();
    s.read_to_string(&mut answer).unwrap();
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
}

fn files_config(endpoint: &str, prefix: &str) -> FilesConfig {
    FilesConfig {
        backend: "s3".into(),
        s3_bucket: "portal-test".into(),
        s3_endpoint: endpoint.into(),
        s3_access_key_id: "test".into(),
        s3_secret_access_key: serde_json::from_str("\"test\"").unwrap(),
        s3_prefix: prefix.into(),
        ..FilesConfig::default()
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn s3_store_puts_gets_lists_and_deletes() {
    let Some(m) = moto() else { return };
    create_bucket(&m.endpoint, "portal-test");
    let mut config = portal_core::Config {
        files: files_config(&m.endpoint, "portal-a"),
        ..portal_core::Config::default()
    };
    let store = BlobStore::from_config(&config).unwrap();
    store.put("7/logo-1.png", b"one").await.unwrap();
    store.put("7/logo-2.png", b"two").await.unwrap();
    assert_eq!(store.get("7/logo-1.png").await.unwrap().unwrap(), b"one");
    assert!(store.get("7/missing.png").await.unwrap().is_none());
    let mut keys: Vec<String> = store
        .list()
        .await
        .unwrap()
        .into_iter()
        .map(|k| k.0)
        .collect();
    keys.sort();
    assert_eq!(
        keys,
        vec!["7/logo-1.png", "7/logo-2.png"],
        "keys without the prefix"
    );
    // Another portal's prefix in the same bucket sees nothing of this one.
    config.files = files_config(&m.endpoint, "portal-b");
    assert!(
        BlobStore::from_config(&config)
            .unwrap()
            .list()
            .await
            .unwrap()
            .is_empty()
    );
    store.delete("7/logo-1.png").await.unwrap();
    store.delete("7/logo-1.png").await.unwrap();
    assert!(store.get("7/logo-1.png").await.unwrap().is_none());
    assert!(store.put("../escape", b"x").await.is_err());
}

/// Two portal processes with their own folders share logos through S3.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_logo_uploaded_through_one_process_is_served_by_another() {
    let Some(m) = moto() else { return };
    create_bucket(&m.endpoint, "portal-test");
    let tdb = TestDb::sqlite().await;
    let mut config_a = tdb.config();
    config_a.files = files_config(&m.endpoint, "shared");
    let a = portal_with(&tdb, config_a).await;
    let mut config_b = tdb.config();
    let dir_b = tempfile::TempDir::new().unwrap();
    config_b.data_dir = dir_b.path().to_path_buf();
    config_b.files = files_config(&m.endpoint, "shared");
    let b = portal_with(&tdb, config_b).await;
    let s = tenant(&tdb.db, "acme", "Acme").await;
    let token = repo::create_api_token(&tdb.db, s, "t", "*").await.unwrap();
    let svg = b"<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 4 4\"><rect width=\"4\" height=\"4\"/></svg>";
    let r = a
        .req(Method::PUT, "acme.localhost", "/api/admin/v1/branding/logo")
        .bearer(&token)
        .body("image/svg+xml", svg.to_vec())
        .send()
        .await;
    assert_eq!(r.status, 204, "{}", r.body);
    let home = b.get("acme.localhost", "/login").await.body;
    let at = home.find("/branding/logo/").unwrap();
    let url: String = home[at..].chars().take_while(|c| *c != '"').collect();
    let logo = b.get("acme.localhost", &url).await;
    assert_eq!(logo.status, 200);
    assert_eq!(logo.body.as_bytes(), svg);
    // The sweeper works on S3 too, and keeps the referenced logo.
    let orphan = BlobStore::new_key(s.tenant_id(), "logo", "png");
    b.state().blobs.put(&orphan, b"x").await.unwrap();
    tokio::time::sleep(Duration::from_millis(1100)).await;
    let n = sweep(
        &tdb.db,
        &b.state().blobs,
        &b.state().registry,
        Duration::from_millis(500),
    )
    .await
    .unwrap();
    assert_eq!(n, 1);
    assert_eq!(b.get("acme.localhost", &url).await.status, 200);
}
