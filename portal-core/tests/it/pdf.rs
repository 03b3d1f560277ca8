//! The PDF writer read back by a real PDF reader (poppler): text outside
//! WinAnsi (issue 22: invoices showed `?` for a Turkish or Polish name)
//! comes out as typed, in the embedded fallback font; a document in plain
//! Dutch embeds no font at all.

use portal_core::pdf::{TextLine, document};
use portal_testkit::{pdffonts, pdftotext};

fn line(y: f32, bold: bool, text: &str) -> TextLine {
    TextLine {
        x: 57.0,
        y,
        size: 11.0,
        bold,
        text: text.to_string(),
    }
}

#[test]
fn text_outside_winansi_is_shown_and_read_back() {
    let names = [
        "Çağlar Yılmaz",
        "Łódź Sp. z o.o.",
        "Dvořák – Ørsted – Őrség",
        "Ελληνικά, кириллица",
    ];
    let mut lines = vec![
        line(780.0, true, "Factuur 2026-00042"),
        line(760.0, false, "Totaal € 121,25 (café, één)"),
    ];
    for (i, n) in names.iter().enumerate() {
        #[allow(clippy::cast_precision_loss)]
        let y = 740.0 - 20.0 * i as f32;
        lines.push(line(y, i == 1, n));
    }
    let pdf = document("Factuur Çağlar", &[lines], None);
    if let Ok(path) = std::env::var("PORTAL_TEST_KEEP_PDF") {
        std::fs::write(path, &pdf).unwrap();
    }
    let Some(text) = pdftotext(&pdf) else {
        return;
    };
    for expect in names
        .iter()
        .copied()
        .chain(["Factuur 2026-00042", "Totaal € 121,25 (café, één)"])
    {
        assert!(text.contains(expect), "{expect:?} in:\n{text}");
    }
    assert!(!text.contains('?'), "{text}");
    let fonts = pdffonts(&pdf).unwrap();
    let fallback = fonts
        .lines()
        .find(|l| l.starts_with("LiberationSans"))
        .unwrap_or_else(|| panic!("no fallback font in:\n{fonts}"));
    // Embedded (the "emb" column), with a map back to Unicode ("uni").
    let cols: Vec<&str> = fallback.split_whitespace().collect();
    assert_eq!(
        cols[cols.len() - 5..cols.len() - 2],
        ["yes", "no", "yes"],
        "{fonts}"
    );

    // Plain Dutch needs Helvetica only: no font file in the PDF.
    let plain = document(
        "Factuur",
        &[vec![line(780.0, false, "Totaal € 121,25 (café, één)")]],
        None,
    );
    assert!(!pdffonts(&plain).unwrap().contains("LiberationSans"));
    assert!(plain.len() < 4_000, "{}", plain.len());
}
