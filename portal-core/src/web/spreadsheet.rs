//! CSV downloads for spreadsheets (a logbook's recommendations for the
//! auditor, consumption as shown): UTF-8 with a byte-order mark and `;`
//! between cells, as Dutch Excel reads them, every cell safe from formula
//! injection, sent as a private attachment.

use poem::{IntoResponse, Response};

/// A cell starting with `=`, `+`, `-`, `@`, a tab or a CR gets a `'` in
/// front, so a spreadsheet opening the file does not run it as a formula.
pub fn cell(s: &str) -> String {
    if s.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{s}")
    } else {
        s.to_string()
    }
}

/// The header and rows as a CSV download named `name`; every cell goes
/// through [`cell`].
///
/// # Errors
/// Writing to memory failed (a 500).
pub fn download(name: &str, header: &[String], rows: &[Vec<String>]) -> poem::Result<Response> {
    let failed = |_| poem::Error::from_status(poem::http::StatusCode::INTERNAL_SERVER_ERROR);
    let mut w = csv::WriterBuilder::new()
        .delimiter(b';')
        .from_writer(b"\xEF\xBB\xBF".to_vec());
    for record in std::iter::once(header).chain(rows.iter().map(Vec::as_slice)) {
        w.write_record(record.iter().map(|c| cell(c)))
            .map_err(failed)?;
    }
    let bytes = w
        .into_inner()
        .map_err(|_| poem::Error::from_status(poem::http::StatusCode::INTERNAL_SERVER_ERROR))?;
    Ok(bytes
        .with_content_type("text/csv; charset=utf-8")
        .with_header("content-disposition", crate::files::names::attachment(name))
        .with_header("cache-control", "private, no-store")
        .with_header("x-content-type-options", "nosniff")
        .into_response())
}

#[cfg(test)]
mod tests {
    use super::cell;

    #[test]
    fn formulas_are_neutralised_and_text_kept() {
        assert_eq!(cell("=HYPERLINK(1)"), "'=HYPERLINK(1)");
        assert_eq!(cell("@SUM"), "'@SUM");
        assert_eq!(cell("Meelresten"), "Meelresten");
        assert_eq!(cell("12,5"), "12,5");
    }
}
