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

// ---- SECURITY.md F 30-31: what an upload may be, read while it streams ----

mod uploads {
    use futures_util::stream::{self, StreamExt};
    use poem::web::Multipart;
    use poem::{Body, FromRequest, Request};
    use portal_core::files::names::{attachment, sanitise};
    use portal_core::files::sniff::{Refused, decide};
    use portal_core::files::upload::{Limits, UploadError, read};

    const PNG: &[u8] = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR";
    const BOUNDARY: &str = "XyZ";

    fn part(field: &str, file: Option<&str>, bytes: &[u8]) -> Vec<u8> {
        let mut p = format!("--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"{field}\"");
        if let Some(f) = file {
            p.push_str(&format!(
                "; filename=\"{f}\"\r\nContent-Type: application/pdf"
            ));
        }
        p.push_str("\r\n\r\n");
        let mut v = p.into_bytes();
        v.extend_from_slice(bytes);
        v.extend_from_slice(b"\r\n");
        v
    }

    /// A multipart body as a stream of 8 KiB chunks: no Content-Length.
    async fn upload(
        parts: Vec<Vec<u8>>,
        tail: Option<Body>,
        limits: Limits,
    ) -> portal_core::files::upload::Upload {
        let mut all: Vec<u8> = parts.concat();
        let head = stream::iter(
            std::mem::take(&mut all)
                .chunks(8 * 1024)
                .map(|c| Ok::<_, std::io::Error>(bytes::Bytes::copy_from_slice(c)))
                .collect::<Vec<_>>(),
        );
        let body = match tail {
            Some(t) => Body::from_bytes_stream(head.chain(t.into_bytes_stream())),
            None => Body::from_bytes_stream(head.chain(stream::iter([Ok(bytes::Bytes::from(
                format!("--{BOUNDARY}--\r\n"),
            ))]))),
        };
        let req = Request::builder()
            .header(
                "content-type",
                format!("multipart/form-data; boundary={BOUNDARY}"),
            )
            .body(body);
        assert!(req.header("content-length").is_none());
        let (req, mut body) = req.split();
        let mp = Multipart::from_request(&req, &mut body).await.unwrap();
        read(mp, &limits).await
    }

    fn small() -> Limits {
        Limits {
            per_file: 64 * 1024,
            total: 100 * 1024,
            max_files: 3,
            per_field: 1024,
            max_fields: 4,
        }
    }

    #[tokio::test]
    async fn files_within_limits_pass_and_the_total_and_count_are_bounded() {
        let ok = upload(
            vec![
                part("file", Some("scherm.png"), PNG),
                part("file", Some(""), b""),
            ],
            None,
            small(),
        )
        .await;
        assert!(ok.error.is_none(), "{:?}", ok.error);
        assert_eq!(ok.files.len(), 1, "an empty file input is no file");
        assert_eq!(ok.files[0].ty.mime, "image/png");
        let big = vec![b'x'; 60 * 1024];
        let total = upload(
            vec![
                part("f", Some("a.txt"), &big),
                part("f", Some("b.txt"), &big),
            ],
            None,
            small(),
        )
        .await;
        assert!(
            matches!(total.error, Some(UploadError::TotalTooLarge { .. })),
            "{:?}",
            total.error
        );
        let many: Vec<Vec<u8>> = (0..4)
            .map(|i| part("f", Some(&format!("{i}.txt")), b"tekst"))
            .collect();
        let count = upload(many, None, small()).await;
        assert!(
            matches!(count.error, Some(UploadError::TooManyFiles { max: 3 })),
            "{:?}",
            count.error
        );
        assert_eq!(count.files.len(), 3);
        let field = upload(
            vec![part("description", None, &vec![b'y'; 2000])],
            None,
            small(),
        )
        .await;
        assert!(
            matches!(field.error, Some(UploadError::FieldTooLarge { .. })),
            "{:?}",
            field.error
        );
        // The number of text fields is capped; the fields read before stay.
        let fields: Vec<Vec<u8>> = (0..6).map(|i| part(&format!("f{i}"), None, b"y")).collect();
        let capped = upload(fields, None, small()).await;
        assert!(
            matches!(capped.error, Some(UploadError::TooManyFields { max: 4 })),
            "{:?}",
            capped.error
        );
        assert_eq!(capped.fields.len(), 4);
    }

    #[tokio::test]
    async fn dangerous_files_are_refused_by_their_bytes() {
        let cases: &[(&str, &[u8], Refused)] = &[
            (
                "factuur.pdf",
                b"<html><script>alert(1)</script></html>",
                Refused::Markup,
            ),
            ("factuur.pdf", b"gewone tekst", Refused::NameMismatch),
            (
                "plaatje.svg",
                b"<svg xmlns=\"http://www.w3.org/2000/svg\"><script>alert(1)</script></svg>",
                Refused::Markup,
            ),
            (
                "plaatje.png",
                b"<?xml version=\"1.0\"?><svg onload=\"alert(1)\"/>",
                Refused::Markup,
            ),
            (
                "notitie.txt",
                b"hallo\n<ScRiPt>alert(1)</script>",
                Refused::Markup,
            ),
            ("foto.png.exe", PNG, Refused::NameMismatch),
            ("programma.exe", b"MZ\x90\0\x03\0\0\0", Refused::NotAllowed),
            (
                "archief.zip",
                b"PK\x03\x04\x14\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\x05\0\0\0evil/",
                Refused::NotAllowed,
            ),
            ("leeg.txt", b"", Refused::Empty),
        ];
        for (name, bytes, want) in cases {
            assert_eq!(decide(name, bytes), Err(*want), "{name}");
        }
        assert_eq!(
            decide("rapport.exe.pdf", b"%PDF-1.7\n").unwrap().mime,
            "application/pdf"
        );
        assert_eq!(decide("FOTO.JPEG", b"\xFF\xD8\xFF\xE0").unwrap().ext, "jpg");
        assert!(decide("scherm.png", PNG).unwrap().inline_image);
        assert!(!decide("x.pdf", b"%PDF-1.4").unwrap().inline_image);
        // An OpenDocument text names itself in its first, stored entry,
        // exactly: its size in the header, nothing more, nothing else.
        let odf = |method: u8, size: usize, data: &[u8]| {
            let mut z = b"PK\x03\x04\x14\0\0\0".to_vec();
            z.extend_from_slice(&[method, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
            let size = u32::try_from(size).unwrap().to_le_bytes();
            z.extend_from_slice(&size);
            z.extend_from_slice(&size);
            z.extend_from_slice(b"\x08\0\0\0mimetype");
            z.extend_from_slice(data);
            z
        };
        let text = b"application/vnd.oasis.opendocument.text";
        let odt = odf(0, text.len(), text);
        assert_eq!(decide("brief.odt", &odt).unwrap().ext, "odt");
        let web = b"application/vnd.oasis.opendocument.text-web";
        for (what, bytes) in [
            ("a longer type", odf(0, web.len(), web)),
            ("no size", odf(0, 0, text)),
            ("compressed", odf(8, text.len(), text)),
            (
                "the type with more",
                odf(
                    0,
                    text.len() + 4,
                    b"application/vnd.oasis.opendocument.textXXXX",
                ),
            ),
        ] {
            assert!(decide("brief.odt", &bytes).is_err(), "{what}");
        }
        let mut docx = b"PK\x03\x04\x14\0\0\0\x08\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\x13\0\0\0[Content_Types].xml".to_vec();
        docx.extend_from_slice(b"\0\0\0");
        assert!(
            decide("brief.docx", &docx)
                .unwrap()
                .mime
                .contains("wordprocessingml")
        );
        assert_eq!(decide("brief.zip", &docx), Err(Refused::NotAllowed));
        // Through the upload: the refusal names the file.
        let up = upload(
            vec![part("f", Some("factuur.pdf"), b"<html></html>")],
            None,
            small(),
        )
        .await;
        assert!(
            matches!(up.error, Some(UploadError::Refused { ref name, reason: Refused::Markup }) if name == "factuur.pdf"),
            "{:?}",
            up.error
        );
    }

    #[tokio::test]
    async fn names_are_cleaned_and_sent_back_encoded() {
        assert!(sanitise("scherm\0.png").is_err(), "NUL is refused");
        assert_eq!(sanitise("../../etc/passwd").unwrap(), "passwd");
        assert_eq!(sanitise("..\\..\\windows\\win.ini").unwrap(), "win.ini");
        assert_eq!(
            sanitise("a\r\nContent-Type: text.pdf").unwrap(),
            "aContent-Type_ text.pdf"
        );
        assert_eq!(sanitise("\"quoted\".txt").unwrap(), "_quoted_.txt");
        assert_eq!(sanitise("...").unwrap(), "file");
        let long = format!("{}.pdf", "x".repeat(300));
        let s = sanitise(&long).unwrap();
        assert_eq!(s.chars().count(), 120);
        assert!(s.ends_with(".pdf"));
        assert_eq!(
            attachment("Offerte \"zomer\" €.pdf"),
            "attachment; filename=\"Offerte _zomer_ _.pdf\"; filename*=UTF-8''Offerte%20%22zomer%22%20%E2%82%AC.pdf"
        );
        // Bidi and other invisible format characters go: U+202E would show
        // `log<RLO>txt.exe` as `logexe.txt`.
        assert_eq!(sanitise("log\u{202E}txt.exe").unwrap(), "logtxt.exe");
        assert_eq!(
            sanitise("\u{FEFF}fac\u{200B}tuur\u{2066}.pdf\u{2069}").unwrap(),
            "factuur.pdf"
        );
        // Whatever a name holds, the header stays one line.
        let h = attachment(&sanitise("x\r\ny\u{2028}.txt").unwrap());
        assert!(!h.contains('\r') && !h.contains('\n'));
        assert!(poem::http::HeaderValue::from_str(&h).is_ok());
    }
}
