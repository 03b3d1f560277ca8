//! The example demos' portals for the browser tests: on SQLite in a
//! folder of their own, with development mail pages, on a free port.

use std::time::Duration;

use poem::listener::{Acceptor, Listener, TcpListener};
use portal::{Db, Portal, Registry};

/// A portal on SQLite in `dir` with development mail pages, and the
/// acceptor of a free port to serve it on once its demo data is in.
pub async fn portal_on_free_port(
    dir: &tempfile::TempDir,
) -> (Portal, poem::listener::TcpAcceptor, u16) {
    let acceptor = TcpListener::bind("127.0.0.1:0")
        .into_acceptor()
        .await
        .unwrap();
    let port = acceptor.local_addr()[0].as_socket_addr().unwrap().port();
    let url = format!("sqlite://{}", dir.path().join("portal.db").display());
    let mut config = portal::Config {
        data_dir: dir.path().to_path_buf(),
        bind: format!("127.0.0.1:{port}"),
        ..Default::default()
    };
    config.database.url.clone_from(&url);
    config.mail.mailbox_pages = true;
    let db = Db::connect(&url, Default::default()).await.unwrap();
    let portal = Portal::with_parts(config, db, Registry::from_inventory().unwrap(), true)
        .await
        .unwrap();
    (portal, acceptor, port)
}

/// The downloaded file ending in `.pdf`, once the browser has finished it.
#[allow(dead_code)] // not every feature set has a PDF to download
pub async fn downloaded_pdf(dir: &std::path::Path) -> (String, Vec<u8>) {
    downloaded(dir, ".pdf").await
}

/// The downloaded file ending in `ext`, once the browser has finished it.
pub async fn downloaded(dir: &std::path::Path, ext: &str) -> (String, Vec<u8>) {
    for _ in 0..100 {
        let done = std::fs::read_dir(dir)
            .unwrap()
            .flatten()
            .find(|e| e.file_name().to_string_lossy().ends_with(ext));
        if let Some(e) = done {
            return (
                e.file_name().to_string_lossy().into_owned(),
                std::fs::read(e.path()).unwrap(),
            );
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!(
        "no {ext} downloaded; the folder holds {:?}",
        std::fs::read_dir(dir)
            .unwrap()
            .flatten()
            .map(|e| e.file_name())
            .collect::<Vec<_>>()
    );
}
