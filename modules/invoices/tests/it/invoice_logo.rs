//! The tenant's logo on the invoice PDF the module renders, read back by a
//! PDF reader: `pdfimages` (poppler-utils) extracts the embedded image and
//! its soft mask, and their pixels must be the logo's. A PNG with alpha,
//! written with each of PNG's five row filters, and a JPEG (embedded as it
//! is); an SVG logo leaves the PDF without an image.

use std::path::Path;

use poem::http::Method;
use serde_json::json;

use crate::support::{HOST, Setup, Visitor, fill_people, setup};

/// The RGBA pixel at (x, y) of the test logo.
fn pixel(x: u32, y: u32) -> [u8; 4] {
    let b = |v: u32| u8::try_from(v % 256).unwrap();
    [
        b(x * 37 + y),
        b(y * 53 + 7),
        b(x * y * 11 + 90),
        b(255 - x * 9 - y * 5),
    ]
}

fn paeth(a: u8, b: u8, c: u8) -> u8 {
    let p = i16::from(a) + i16::from(b) - i16::from(c);
    let (pa, pb, pc) = (
        (p - i16::from(a)).abs(),
        (p - i16::from(b)).abs(),
        (p - i16::from(c)).abs(),
    );
    if pa <= pb && pa <= pc {
        a
    } else if pb <= pc {
        b
    } else {
        c
    }
}

/// A `w` x `h` RGBA PNG of [`pixel`]; row y uses filter y % 5.
fn png(w: u32, h: u32) -> Vec<u8> {
    let rows: Vec<Vec<u8>> = (0..h)
        .map(|y| (0..w).flat_map(|x| pixel(x, y)).collect())
        .collect();
    let mut raw = Vec::new();
    for (y, row) in rows.iter().enumerate() {
        let filter = u8::try_from(y % 5).unwrap();
        raw.push(filter);
        for i in 0..row.len() {
            let a = if i >= 4 { row[i - 4] } else { 0 };
            let b = if y > 0 { rows[y - 1][i] } else { 0 };
            let c = if y > 0 && i >= 4 {
                rows[y - 1][i - 4]
            } else {
                0
            };
            let predicted = match filter {
                0 => 0,
                1 => a,
                2 => b,
                3 => u8::try_from((u16::from(a) + u16::from(b)) / 2).unwrap(),
                _ => paeth(a, b, c),
            };
            raw.push(row[i].wrapping_sub(predicted));
        }
    }
    fn chunk(out: &mut Vec<u8>, kind: &[u8], data: &[u8]) {
        out.extend(u32::try_from(data.len()).unwrap().to_be_bytes());
        out.extend(kind);
        out.extend(data);
        out.extend([0, 0, 0, 0]); // CRC: neither the portal nor the reader needs it here
    }
    let mut ihdr = w.to_be_bytes().to_vec();
    ihdr.extend(h.to_be_bytes());
    ihdr.extend([8, 6, 0, 0, 0]);
    let mut out = b"\x89PNG\r\n\x1a\n".to_vec();
    chunk(&mut out, b"IHDR", &ihdr);
    chunk(
        &mut out,
        b"IDAT",
        &miniz_oxide::deflate::compress_to_vec_zlib(&raw, 6),
    );
    chunk(&mut out, b"IEND", &[]);
    out
}

async fn put_logo(s: &Setup, body: &[u8]) {
    let r = s
        .client
        .request(Method::PUT, "/api/admin/v1/branding/logo")
        .header("host", HOST)
        .header("authorization", format!("Bearer {}", s.token))
        .content_type("application/octet-stream")
        .body(body.to_vec())
        .send()
        .await
        .0;
    let status = r.status().as_u16();
    assert_eq!(
        status,
        204,
        "{}",
        r.into_body().into_string().await.unwrap()
    );
}

/// Runs `pdfimages` (with `args`) on `pdf`; the files it wrote, sorted, or
/// `None` (said so) without poppler-utils, unless CI requires it.
fn pdfimages(pdf: &[u8], args: &[&str], dir: &Path) -> Option<Vec<std::path::PathBuf>> {
    if !crate::support::poppler() {
        return None;
    }
    let file = dir.join("f.pdf");
    std::fs::write(&file, pdf).unwrap();
    let out = std::process::Command::new("pdfimages")
        .args(args)
        .arg(&file)
        .arg(dir.join("img"))
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let mut files: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.file_name().unwrap().to_string_lossy().starts_with("img"))
        .collect();
    files.sort();
    Some(files)
}

/// A binary PPM (P6) or PGM (P5): width, height, samples.
fn netpbm(path: &Path) -> (String, u32, u32, Vec<u8>) {
    let b = std::fs::read(path).unwrap();
    let mut fields = Vec::new();
    let mut i = 0;
    while fields.len() < 4 {
        while b[i].is_ascii_whitespace() {
            i += 1;
        }
        let start = i;
        while !b[i].is_ascii_whitespace() {
            i += 1;
        }
        fields.push(String::from_utf8_lossy(&b[start..i]).to_string());
    }
    assert_eq!(fields[3], "255");
    (
        fields[0].clone(),
        fields[1].parse().unwrap(),
        fields[2].parse().unwrap(),
        b[i + 1..].to_vec(),
    )
}

async fn pdf_of_an_invoice(s: &Setup) -> Vec<u8> {
    let mut admin = Visitor::login(s, "jan@bakkerij.nl").await;
    let list = admin.get("/invoices").await.text();
    let at = list.find("href=\"/invoices/").unwrap() + 16;
    let id: String = list[at..]
        .chars()
        .take_while(char::is_ascii_digit)
        .collect();
    let pdf = admin.get(&format!("/invoices/{id}/pdf")).await;
    assert_eq!(pdf.status, 200);
    pdf.body
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_tenants_png_or_jpeg_logo_is_on_the_rendered_pdf() {
    let Some(s) = setup(false).await else { return };
    fill_people(&s).await;
    let (st, r) = s
        .api(
            Method::POST,
            "/api/admin/v1/invoices/sync",
            Some(json!({"invoices": [{
                "external_id": "F1", "customer_external_id": "K1", "number": "2026-00001",
                "issued_on": "2026-01-01", "total_cents": 12100, "vat_cents": 2100, "status": "open",
                "lines": [{"description": "Webhosting", "unit_cents": 10000, "total_cents": 10000, "vat_percent": 21}]
            }]})),
        )
        .await;
    assert_eq!(st, 200, "{r}");

    // A PNG with alpha: colour and mask come back pixel for pixel.
    let (w, h) = (23, 11);
    put_logo(&s, &png(w, h)).await;
    let pdf = pdf_of_an_invoice(&s).await;
    let dir = tempfile::TempDir::new().unwrap();
    let Some(files) = pdfimages(&pdf, &[], dir.path()) else {
        return;
    };
    assert_eq!(files.len(), 2, "the image and its soft mask: {files:?}");
    let (kind, fw, fh, rgb) = netpbm(&files[0]);
    assert_eq!((kind.as_str(), fw, fh), ("P6", w, h));
    // The mask: grey, though some poppler versions write it as a PPM.
    let (kind, _, _, alpha) = netpbm(&files[1]);
    let alpha: Vec<u8> = match kind.as_str() {
        "P5" => alpha,
        "P6" => alpha.chunks(3).map(|c| c[0]).collect(),
        other => panic!("mask as {other}"),
    };
    for y in 0..h {
        for x in 0..w {
            let p = pixel(x, y);
            let i = usize::try_from(y * w + x).unwrap();
            assert_eq!(&rgb[i * 3..i * 3 + 3], &p[..3], "colour at ({x}, {y})");
            assert_eq!(alpha[i], p[3], "alpha at ({x}, {y})");
        }
    }
    // The text is still there.
    let text = crate::support::pdftotext(&pdf).unwrap();
    assert!(text.contains("2026-00001"), "{text}");

    // A JPEG goes in unchanged (pdfimages -j writes it out as it is).
    let jpeg = std::fs::read(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/it/fixtures/logo.jpg"
    ))
    .unwrap();
    put_logo(&s, &jpeg).await;
    let pdf = pdf_of_an_invoice(&s).await;
    let dir = tempfile::TempDir::new().unwrap();
    let files = pdfimages(&pdf, &["-j"], dir.path()).unwrap();
    assert_eq!(files.len(), 1, "{files:?}");
    assert_eq!(std::fs::read(&files[0]).unwrap(), jpeg);

    // An SVG logo: no image, the text as before.
    put_logo(
        &s,
        br##"<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><rect width="10" height="10" fill="#0b6e4f"/></svg>"##,
    )
    .await;
    let pdf = pdf_of_an_invoice(&s).await;
    let dir = tempfile::TempDir::new().unwrap();
    assert!(pdfimages(&pdf, &[], dir.path()).unwrap().is_empty());
    assert!(
        crate::support::pdftotext(&pdf)
            .unwrap()
            .contains("2026-00001")
    );
}
