//! A real PDF reader for the tests: Debian's poppler-utils.

/// Whether Debian's poppler-utils (pdftotext, pdfimages) is installed; a
/// check that needs it is skipped (and said so) without it, unless
/// `PORTAL_TEST_REQUIRE_PDFTOTEXT` is set (CI).
pub fn poppler() -> bool {
    if std::process::Command::new("pdftotext")
        .arg("-v")
        .output()
        .is_err()
    {
        assert!(
            std::env::var("PORTAL_TEST_REQUIRE_PDFTOTEXT").is_err(),
            "PORTAL_TEST_REQUIRE_PDFTOTEXT is set but pdftotext is not installed"
        );
        eprintln!("SKIPPED: the PDF checks need poppler-utils (apt-get install poppler-utils)");
        return false;
    }
    true
}

/// The text a PDF reader finds in `pdf`; `None` without poppler-utils
/// (see [`poppler`]).
///
/// # Panics
/// When the reader refuses the PDF.
pub fn pdftotext(pdf: &[u8]) -> Option<String> {
    if !poppler() {
        return None;
    }
    let dir = tempfile::TempDir::new().unwrap();
    let path = dir.path().join("f.pdf");
    std::fs::write(&path, pdf).unwrap();
    let out = std::process::Command::new("pdftotext")
        .arg(&path)
        .arg("-")
        .output()
        .expect("pdftotext (Debian's poppler-utils) is installed");
    assert!(
        out.status.success(),
        "pdftotext refused the PDF: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    Some(String::from_utf8_lossy(&out.stdout).to_string())
}
