//! A minimal HTTP/1.1 client for the benchmarks: one request per
//! connection, the whole answer read, nothing hidden behind a pool.

use std::net::SocketAddr;

use tokio::io::{AsyncReadExt, AsyncWriteExt};

/// One HTTP/1.1 request on a fresh connection; returns status, Set-Cookie values, body.
pub async fn http_to(
    addr: SocketAddr,
    host: &str,
    method: &str,
    path: &str,
    headers: &str,
    body: &str,
) -> (u16, Vec<String>, String) {
    let mut s = tokio::net::TcpStream::connect(addr).await.expect("connect");
    s.set_nodelay(true).ok();
    let mut req =
        format!("{method} {path} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n{headers}");
    if !body.is_empty() {
        req.push_str(&format!("Content-Length: {}\r\n", body.len()));
    }
    req.push_str("\r\n");
    req.push_str(body);
    s.write_all(req.as_bytes()).await.expect("write");
    let mut raw = Vec::new();
    s.read_to_end(&mut raw).await.expect("read");
    let text = String::from_utf8_lossy(&raw).to_string();
    let (head, body) = text.split_once("\r\n\r\n").unwrap_or((&text, ""));
    let status = head
        .split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    let cookies = head
        .lines()
        .filter_map(|l| {
            l.strip_prefix("set-cookie: ")
                .or_else(|| l.strip_prefix("Set-Cookie: "))
        })
        .filter_map(|c| c.split(';').next())
        .map(str::to_string)
        .collect();
    (status, cookies, body.to_string())
}

/// A form POST or a GET with a cookie, as a browser sends it.
#[allow(dead_code)] // not every benchmark sends forms
pub async fn http(
    addr: SocketAddr,
    host: &str,
    method: &str,
    path: &str,
    cookie: &str,
    body: &str,
) -> (u16, Vec<String>, String) {
    let mut headers = String::new();
    if !cookie.is_empty() {
        headers.push_str(&format!("Cookie: {cookie}\r\n"));
    }
    if method == "POST" {
        headers.push_str("Content-Type: application/x-www-form-urlencoded\r\n");
    }
    http_to(addr, host, method, path, &headers, body).await
}

/// POSTs each JSON body of a bulk sync to `path` with the API key, one call
/// after the other; the seconds it took and the summed counts of the reports.
#[allow(dead_code)] // only the sync benchmarks send batches
pub async fn sync_all(
    addr: SocketAddr,
    host: &str,
    token: &str,
    path: &str,
    bodies: &[String],
) -> (f64, serde_json::Value) {
    let headers = format!("Authorization: Bearer {token}\r\nContent-Type: application/json\r\n");
    let start = std::time::Instant::now();
    let mut totals = serde_json::json!({"created": 0, "updated": 0, "unchanged": 0, "invalid": 0});
    for body in bodies {
        let (status, _, answer) = http_to(addr, host, "POST", path, &headers, body).await;
        assert_eq!(status, 200, "{}", &answer[..answer.len().min(500)]);
        let report: serde_json::Value = serde_json::from_str(&answer).expect("a sync report");
        for k in ["created", "updated", "unchanged", "invalid"] {
            let sum = totals[k].as_u64().unwrap_or(0) + report["counts"][k].as_u64().unwrap_or(0);
            totals[k] = sum.into();
        }
    }
    (start.elapsed().as_secs_f64(), totals)
}
