//! One HTTP POST to a webhook: hyper's HTTP/1.1 client over a TCP stream,
//! wrapped in rustls (with the web's root certificates) for https. Every
//! step has a timeout; nothing is retried here (the worker does that).

use std::sync::Arc;
use std::time::Duration;

use bytes::Bytes;
use http_body_util::{BodyExt, Full};
use hyper_util::rt::TokioIo;
use tokio::net::TcpStream;
use tokio_rustls::TlsConnector;
use tokio_rustls::rustls::{ClientConfig, RootCertStore, pki_types::ServerName};

/// How long a delivery may take in all.
pub const TIMEOUT: Duration = Duration::from_secs(15);

fn tls() -> TlsConnector {
    let roots = RootCertStore {
        roots: webpki_roots::TLS_SERVER_ROOTS.to_vec(),
    };
    let config = ClientConfig::builder_with_provider(Arc::new(
        tokio_rustls::rustls::crypto::ring::default_provider(),
    ))
    .with_safe_default_protocol_versions()
    .map(|b| b.with_root_certificates(roots).with_no_client_auth());
    match config {
        Ok(c) => TlsConnector::from(Arc::new(c)),
        // The ring provider always supports the default versions.
        Err(_) => TlsConnector::from(Arc::new(
            ClientConfig::builder()
                .with_root_certificates(RootCertStore::empty())
                .with_no_client_auth(),
        )),
    }
}

async fn send<IO>(io: IO, req: hyper::Request<Full<Bytes>>) -> Result<u16, String>
where
    IO: hyper::rt::Read + hyper::rt::Write + Unpin + Send + 'static,
{
    let (mut sender, conn) = hyper::client::conn::http1::handshake(io)
        .await
        .map_err(|e| format!("handshake: {e}"))?;
    tokio::spawn(async move {
        let _ = conn.await;
    });
    let resp = sender
        .send_request(req)
        .await
        .map_err(|e| format!("request: {e}"))?;
    let status = resp.status().as_u16();
    // Read (and drop) the answer so the connection ends cleanly.
    let _ = resp.into_body().collect().await;
    Ok(status)
}

/// POSTs `body` to `url` with `headers`; the status code, or why it failed.
///
/// # Errors
/// The connection, TLS or request failed, or it took too long.
pub async fn post(
    url: &url::Url,
    headers: &[(&str, String)],
    body: Vec<u8>,
) -> Result<u16, String> {
    let work = async {
        let host = url.host_str().ok_or("no host")?.to_string();
        let port = url.port_or_known_default().ok_or("no port")?;
        let path = match url.query() {
            Some(q) => format!("{}?{q}", url.path()),
            None => url.path().to_string(),
        };
        let mut req = hyper::Request::post(path)
            .header("host", &host)
            .header("content-type", "application/json")
            .header("user-agent", "portal-webhooks");
        for (k, v) in headers {
            req = req.header(*k, v.as_str());
        }
        let req = req
            .body(Full::new(Bytes::from(body)))
            .map_err(|e| e.to_string())?;
        let tcp = TcpStream::connect((host.as_str(), port))
            .await
            .map_err(|e| format!("connect: {e}"))?;
        if url.scheme() == "https" {
            let name = ServerName::try_from(host.clone()).map_err(|e| e.to_string())?;
            let stream = tls()
                .connect(name, tcp)
                .await
                .map_err(|e| format!("tls: {e}"))?;
            send(TokioIo::new(stream), req).await
        } else {
            send(TokioIo::new(tcp), req).await
        }
    };
    tokio::time::timeout(TIMEOUT, work)
        .await
        .map_err(|_| "timed out".to_string())?
}
