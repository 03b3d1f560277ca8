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
    poppler_tool("pdftotext", pdf, &["-"])
}

/// `pdffonts`' table of the fonts in `pdf` (name, type, encoding, and
/// whether each is embedded); `None` without poppler-utils.
///
/// # Panics
/// When the reader refuses the PDF.
pub fn pdffonts(pdf: &[u8]) -> Option<String> {
    poppler_tool("pdffonts", pdf, &[])
}

/// What a poppler-utils `tool` prints for `pdf` (given as a file, then `args`).
fn poppler_tool(tool: &str, pdf: &[u8], args: &[&str]) -> Option<String> {
    if !poppler() {
        return None;
    }
    let dir = tempfile::TempDir::new().unwrap();
    let path = dir.path().join("f.pdf");
    std::fs::write(&path, pdf).unwrap();
    let out = std::process::Command::new(tool)
        .arg(&path)
        .args(args)
        .output()
        .expect("poppler-utils (Debian) is installed");
    assert!(
        out.status.success(),
        "{tool} refused the PDF: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    Some(String::from_utf8_lossy(&out.stdout).to_string())
}
