//! A visit report ("bezoekrapport") rendered as PDF from its data, for
//! visits the back-office sent without a PDF of its own: the tenant's name
//! (and logo top right, as on invoices), who, where, when and what kind of
//! visit, the findings and the technician's remarks, the checkpoint
//! observations and the materials used. The caller fills [`Report`] and the
//! already translated [`Labels`], so this file knows nothing of the
//! database or of i18n. Core's small PDF writer ([`portal_core::pdf`]) only
//! places lines of Helvetica text, so the layout is done here: texts are
//! wrapped on Helvetica's own glyph widths, long texts flow on to the next
//! page, the tables repeat their header row on every page they run onto,
//! and every page says "Pagina n" at the bottom.

use portal_core::pdf::image::Image;
use portal_core::pdf::{TextLine, document};

/// One checkpoint observation line.
#[derive(Debug, Clone, Default)]
pub struct ObservationLine {
    /// The checkpoint's code, e.g. "HM1".
    pub checkpoint: String,
    /// The checkpoint's type, e.g. "Muizenbox".
    pub kind: String,
    pub room: String,
    /// Already formatted, e.g. "25 %" or "3".
    pub value: String,
    pub note: String,
}

/// One material/product used.
#[derive(Debug, Clone, Default)]
pub struct MaterialLine {
    pub name: String,
    /// Already formatted.
    pub amount: String,
    pub unit: String,
    pub registration_number: String,
}

/// Everything on the report.
#[derive(Debug, Clone, Default)]
pub struct Report {
    pub tenant_name: String,
    pub customer_name: String,
    pub location_name: String,
    /// May contain newlines.
    pub location_address: String,
    /// Already formatted.
    pub date: String,
    pub technician: String,
    /// Already translated ("Routinebezoek").
    pub kind: String,
    /// Free text, may be long, may contain newlines.
    pub findings: String,
    /// The technician's remarks, free text.
    pub remarks: String,
    pub observations: Vec<ObservationLine>,
    pub materials: Vec<MaterialLine>,
}

/// Labels, already translated by the caller (so this file has no i18n
/// dependency).
#[derive(Debug, Clone, Default)]
pub struct Labels {
    /// "Bezoekrapport".
    pub title: String,
    pub customer: String,
    pub location: String,
    pub date: String,
    pub technician: String,
    pub kind: String,
    pub findings: String,
    pub remarks: String,
    pub observations: String,
    pub checkpoint: String,
    pub checkpoint_kind: String,
    pub room: String,
    pub value: String,
    pub note: String,
    pub materials: String,
    pub material: String,
    pub amount: String,
    pub unit: String,
    pub registration: String,
    /// Shown for an empty section: "Geen".
    pub none: String,
    /// "Pagina".
    pub page: String,
}

/// The text area on an A4 page (595 × 842 points, from the bottom-left):
/// the margins, where a page's text starts at the top, and the line no text
/// goes below (the footer sits under it).
const LEFT: f32 = 50.0;
const RIGHT: f32 = 545.0;
const TOP: f32 = 800.0;
const BOTTOM: f32 = 60.0;
/// The footer ("Pagina n"): baseline and size.
const FOOTER_Y: f32 = 30.0;
const FOOTER_SIZE: f32 = 8.0;
/// The first page's head: the tenant's name and the title (as invoices).
const NAME_Y: f32 = 790.0;
const NAME_SIZE: f32 = 18.0;
const TITLE_Y: f32 = 732.0;
const TITLE_SIZE: f32 = 14.0;
/// Where the body starts below the title.
const BODY_TOP: f32 = 716.0;
/// How wide the tenant's name may run beside the logo: core fits the logo
/// into 160 points left of the right margin.
const NAME_WIDTH_BESIDE_LOGO: f32 = 320.0;
/// Body text (key/value block, paragraphs): size and line height.
const BODY: f32 = 10.0;
const BODY_LEAD: f32 = 14.0;
/// Where the values of the key/value block start.
const VALUE_X: f32 = 160.0;
/// Section headings: size, line height, and the space above them.
const HEADING: f32 = 12.0;
const HEADING_LEAD: f32 = 18.0;
const SECTION_GAP: f32 = 14.0;
/// Table cells: size, line height, and the space below each row.
const CELL: f32 = 9.0;
const CELL_LEAD: f32 = 11.0;
const ROW_GAP: f32 = 4.0;
/// How many lines a label in a table's header row may take.
const HEADER_LINES: usize = 2;

/// A table column: where it starts, how wide it is, and how many lines a
/// cell may take (the last one ends in "…" when the text is longer), so a
/// row always fits on a page.
struct Column {
    x: f32,
    width: f32,
    max_lines: usize,
}

/// A [`Column`] (a function, so the tables below stay one column a line).
const fn column(x: f32, width: f32, max_lines: usize) -> Column {
    Column {
        x,
        width,
        max_lines,
    }
}

/// Checkpoint, kind, room, value, note (4 points between columns).
const OBSERVATION_COLUMNS: [Column; 5] = [
    column(50.0, 60.0, 2),
    column(114.0, 90.0, 2),
    column(208.0, 95.0, 2),
    column(307.0, 52.0, 2),
    column(363.0, 182.0, 8),
];

/// Material, amount, unit, registration number.
const MATERIAL_COLUMNS: [Column; 4] = [
    column(50.0, 190.0, 3),
    column(244.0, 70.0, 1),
    column(318.0, 70.0, 1),
    column(392.0, 153.0, 2),
];

/// Helvetica's glyph widths (thousandths of the font size) for `' '..='~'`,
/// from its AFM metrics; WinAnsi 0x27 and 0x60 are quotesingle and grave.
const REGULAR: [u16; 95] = [
    278, 278, 355, 556, 556, 889, 667, 191, // ' '..'\''
    333, 333, 389, 584, 278, 333, 278, 278, // '('..'/'
    556, 556, 556, 556, 556, 556, 556, 556, 556, 556, // '0'..'9'
    278, 278, 584, 584, 584, 556, 1015, // ':'..'@'
    667, 667, 722, 722, 667, 611, 778, 722, 278, 500, 667, 556, 833, // 'A'..'M'
    722, 778, 667, 778, 722, 667, 611, 722, 667, 944, 667, 667, 611, // 'N'..'Z'
    278, 278, 278, 469, 556, 333, // '['..'`'
    556, 556, 500, 556, 556, 278, 556, 556, 222, 222, 500, 222, 833, // 'a'..'m'
    556, 556, 556, 556, 333, 500, 278, 556, 500, 722, 500, 500, 500, // 'n'..'z'
    334, 260, 334, 584, // '{'..'~'
];

/// Helvetica-Bold's, likewise.
const BOLD: [u16; 95] = [
    278, 333, 474, 556, 556, 889, 722, 238, // ' '..'\''
    333, 333, 389, 584, 278, 333, 278, 278, // '('..'/'
    556, 556, 556, 556, 556, 556, 556, 556, 556, 556, // '0'..'9'
    333, 333, 584, 584, 584, 611, 975, // ':'..'@'
    722, 722, 722, 722, 667, 611, 778, 722, 278, 556, 722, 611, 833, // 'A'..'M'
    722, 778, 667, 778, 722, 667, 611, 722, 667, 944, 667, 667, 611, // 'N'..'Z'
    333, 278, 333, 584, 556, 333, // '['..'`'
    556, 611, 556, 611, 556, 333, 611, 611, 278, 278, 556, 278, 889, // 'a'..'m'
    611, 611, 611, 611, 389, 556, 333, 611, 556, 778, 556, 556, 500, // 'n'..'z'
    389, 280, 389, 584, // '{'..'~'
];

/// The width of `c` in thousandths of the font size. Beyond ASCII an upper
/// bound: accented letters are no wider than these (Æ, æ aside), and what
/// the writer cannot encode comes out as `?`, narrower still.
fn glyph(c: char, bold: bool) -> u16 {
    let table = if bold { &BOLD } else { &REGULAR };
    let ascii = usize::try_from(u32::from(c))
        .ok()
        .and_then(|i| i.checked_sub(32))
        .and_then(|i| table.get(i));
    if let Some(w) = ascii {
        return *w;
    }
    match c {
        '…' | '—' | '‰' | 'Æ' => 1000,
        'æ' => 889,
        '¼' | '½' | '¾' => 834,
        '©' | '®' => 737,
        '‚' | '‘' | '’' => 278,
        '„' | '“' | '”' => 500,
        c if c.is_uppercase() => 778,
        _ => 611,
    }
}

/// The width of `c` in points.
fn char_width(c: char, size: f32, bold: bool) -> f32 {
    f32::from(glyph(c, bold)) * size / 1000.0
}

/// The width of `s` in points.
fn width(s: &str, size: f32, bold: bool) -> f32 {
    s.chars().map(|c| char_width(c, size, bold)).sum()
}

/// The height of `n` lines of `lead` points.
fn lines_height(n: usize, lead: f32) -> f32 {
    #[allow(clippy::cast_precision_loss)] // a handful of lines
    let n = n as f32;
    n * lead
}

/// `text` as lines at most `max` points wide: its own line breaks kept, a
/// blank line between paragraphs kept (one at most, none at the start or
/// end), words wrapped, and a word wider than a line (a URL, a long code)
/// cut where it no longer fits.
fn wrap(text: &str, size: f32, bold: bool, max: f32) -> Vec<String> {
    let space = char_width(' ', size, bold);
    let mut out: Vec<String> = Vec::new();
    for paragraph in text.lines() {
        let mut line = String::new();
        let mut w = 0.0_f32;
        for word in paragraph.split_whitespace() {
            let ww = width(word, size, bold);
            if !line.is_empty() {
                if w + space + ww <= max {
                    line.push(' ');
                    line.push_str(word);
                    w += space + ww;
                    continue;
                }
                out.push(std::mem::take(&mut line));
                w = 0.0;
            }
            if ww <= max {
                line.push_str(word);
                w = ww;
                continue;
            }
            for c in word.chars() {
                let cw = char_width(c, size, bold);
                if w + cw > max && !line.is_empty() {
                    out.push(std::mem::take(&mut line));
                    w = 0.0;
                }
                line.push(c);
                w += cw;
            }
        }
        if !line.is_empty() {
            out.push(line);
        } else if out.last().is_some_and(|l| !l.is_empty()) {
            out.push(String::new());
        }
    }
    while out.last().is_some_and(String::is_empty) {
        out.pop();
    }
    out
}

/// `line` cut so that it and a closing "…" fit in `max` points.
fn with_ellipsis(line: &str, size: f32, bold: bool, max: f32) -> String {
    let mut s = line.trim_end().to_string();
    let room = max - char_width('…', size, bold);
    let mut w = width(&s, size, bold);
    while w > room {
        match s.pop() {
            Some(c) => w -= char_width(c, size, bold),
            None => break,
        }
    }
    format!("{}…", s.trim_end())
}

/// `text` on one line of at most `max` points, its whitespace collapsed,
/// ending in "…" where it had to be cut.
fn fit(text: &str, size: f32, bold: bool, max: f32) -> String {
    let s = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if width(&s, size, bold) <= max {
        s
    } else {
        with_ellipsis(&s, size, bold, max)
    }
}

/// A table cell's lines: `text` wrapped to `width`, blank lines dropped,
/// at most `max_lines`, the last one ending in "…" where there was more.
fn cell(text: &str, width: f32, max_lines: usize, bold: bool) -> Vec<String> {
    let mut lines: Vec<String> = wrap(text, CELL, bold, width)
        .into_iter()
        .filter(|l| !l.is_empty())
        .collect();
    if lines.len() > max_lines {
        lines.truncate(max_lines);
        if let Some(last) = lines.last_mut() {
            *last = with_ellipsis(last, CELL, bold, width);
        }
    }
    lines
}

/// The height of a table row of `cells`: its tallest cell (one line at
/// least) and the gap below it.
fn row_height(cells: &[Vec<String>]) -> f32 {
    let n = cells.iter().map(Vec::len).max().unwrap_or(0).max(1);
    lines_height(n, CELL_LEAD) + ROW_GAP
}

/// The pages being laid out, and the cursor: the top of the free space on
/// the last page. Text goes below the cursor, never below [`BOTTOM`].
struct Pages {
    pages: Vec<Vec<TextLine>>,
    y: f32,
}

impl Pages {
    fn new() -> Self {
        Self {
            pages: vec![Vec::new()],
            y: TOP,
        }
    }

    /// Makes room for `height` points below the cursor: a new page where
    /// this one has not (a page still empty is never left empty). True
    /// when it started a new page.
    fn room(&mut self, height: f32) -> bool {
        if self.y - height >= BOTTOM || self.pages.last().is_some_and(Vec::is_empty) {
            return false;
        }
        self.pages.push(Vec::new());
        self.y = TOP;
        true
    }

    /// `text` with its baseline at `y` on the last page.
    fn put_at(&mut self, x: f32, y: f32, size: f32, bold: bool, text: String) {
        if text.is_empty() {
            return;
        }
        if let Some(p) = self.pages.last_mut() {
            p.push(TextLine {
                x,
                y,
                size,
                bold,
                text,
            });
        }
    }

    /// `text` with its baseline `size` below the cursor (the cursor stays).
    fn put(&mut self, x: f32, size: f32, bold: bool, text: String) {
        self.put_at(x, self.y - size, size, bold, text);
    }

    /// A section heading, on a new page unless it and `keep` points of what
    /// follows fit on this one.
    fn heading(&mut self, text: &str, keep: f32) {
        self.y -= SECTION_GAP;
        self.room(HEADING_LEAD + keep);
        self.put(LEFT, HEADING, true, fit(text, HEADING, true, RIGHT - LEFT));
        self.y -= HEADING_LEAD;
    }

    /// Key/value lines: the label in bold on the first line of its value.
    fn key_values(&mut self, rows: &[(&str, Vec<String>)]) {
        for (label, values) in rows {
            for (i, value) in values.iter().enumerate() {
                self.room(BODY_LEAD);
                if i == 0 {
                    let label = fit(label, BODY, true, VALUE_X - LEFT - 8.0);
                    self.put(LEFT, BODY, true, label);
                }
                self.put(VALUE_X, BODY, false, value.clone());
                self.y -= BODY_LEAD;
            }
        }
    }

    /// Wrapped lines of body text, flowing on to the next page; a blank
    /// line is half a line of space.
    fn paragraph(&mut self, lines: &[String]) {
        for line in lines {
            if line.is_empty() {
                self.y -= BODY_LEAD / 2.0;
                continue;
            }
            self.room(BODY_LEAD);
            self.put(LEFT, BODY, false, line.clone());
            self.y -= BODY_LEAD;
        }
    }

    /// A section of free text: `none` when it is empty.
    fn text_section(&mut self, title: &str, text: &str, none: &str) {
        let mut lines = wrap(text, BODY, false, RIGHT - LEFT);
        if lines.is_empty() {
            lines.push(fit(none, BODY, false, RIGHT - LEFT));
        }
        // The heading keeps its first two lines with it.
        self.heading(title, lines_height(lines.len().min(2), BODY_LEAD));
        self.paragraph(&lines);
    }

    /// A table row of `cells` (each its lines) below the cursor; the
    /// cursor moves below it.
    fn row(&mut self, columns: &[Column], cells: &[Vec<String>], bold: bool) {
        for (column, lines) in columns.iter().zip(cells) {
            let mut y = self.y - CELL;
            for line in lines {
                self.put_at(column.x, y, CELL, bold, line.clone());
                y -= CELL_LEAD;
            }
        }
        self.y -= row_height(cells);
    }

    /// A table section: `none` when it has no rows; else the header row in
    /// bold, repeated at the top of every page the rows run onto.
    fn table(
        &mut self,
        title: &str,
        columns: &[Column],
        header: &[&str],
        rows: &[Vec<&str>],
        none: &str,
    ) {
        let Some(first) = rows.first() else {
            self.heading(title, BODY_LEAD);
            self.paragraph(&[fit(none, BODY, false, RIGHT - LEFT)]);
            return;
        };
        let cells = |row: &[&str], bold: bool| -> Vec<Vec<String>> {
            columns
                .iter()
                .zip(row)
                .map(|(c, text)| {
                    let max_lines = if bold { HEADER_LINES } else { c.max_lines };
                    cell(text, c.width, max_lines, bold)
                })
                .collect()
        };
        let header = cells(header, true);
        // The heading keeps the header row and the first row with it.
        self.heading(
            title,
            row_height(&header) + row_height(&cells(first, false)),
        );
        self.row(columns, &header, true);
        for row in rows {
            let row = cells(row, false);
            if self.room(row_height(&row)) {
                self.row(columns, &header, true);
            }
            self.row(columns, &row, false);
        }
    }
}

/// The report's title: the title, the location and the date.
fn title(report: &Report, labels: &Labels) -> String {
    [&labels.title, &report.location_name, &report.date]
        .into_iter()
        .map(|s| s.trim())
        .filter(|s| !s.is_empty())
        .collect::<Vec<_>>()
        .join(" – ")
}

/// The report's pages: lines of text, the footer included. `logo` says
/// whether the logo sits top right on the first page.
fn layout(report: &Report, labels: &Labels, logo: bool) -> Vec<Vec<TextLine>> {
    let mut p = Pages::new();
    let name_width = if logo {
        NAME_WIDTH_BESIDE_LOGO
    } else {
        RIGHT - LEFT
    };
    let name = fit(&report.tenant_name, NAME_SIZE, true, name_width);
    p.put_at(LEFT, NAME_Y, NAME_SIZE, true, name);
    let heading = fit(&labels.title, TITLE_SIZE, true, RIGHT - LEFT);
    p.put_at(LEFT, TITLE_Y, TITLE_SIZE, true, heading);
    p.y = BODY_TOP;

    let value = |text: &str| -> Vec<String> {
        wrap(text, BODY, false, RIGHT - VALUE_X)
            .into_iter()
            .filter(|l| !l.is_empty())
            .collect()
    };
    let mut location = value(&report.location_name);
    location.extend(value(&report.location_address));
    p.key_values(&[
        (&labels.customer, value(&report.customer_name)),
        (&labels.location, location),
        (&labels.date, value(&report.date)),
        (&labels.technician, value(&report.technician)),
        (&labels.kind, value(&report.kind)),
    ]);

    p.text_section(&labels.findings, &report.findings, &labels.none);
    p.text_section(&labels.remarks, &report.remarks, &labels.none);

    let observations: Vec<Vec<&str>> = report
        .observations
        .iter()
        .map(|o| vec![&*o.checkpoint, &*o.kind, &*o.room, &*o.value, &*o.note])
        .collect();
    p.table(
        &labels.observations,
        &OBSERVATION_COLUMNS,
        &[
            &labels.checkpoint,
            &labels.checkpoint_kind,
            &labels.room,
            &labels.value,
            &labels.note,
        ],
        &observations,
        &labels.none,
    );
    let materials: Vec<Vec<&str>> = report
        .materials
        .iter()
        .map(|m| vec![&*m.name, &*m.amount, &*m.unit, &*m.registration_number])
        .collect();
    p.table(
        &labels.materials,
        &MATERIAL_COLUMNS,
        &[
            &labels.material,
            &labels.amount,
            &labels.unit,
            &labels.registration,
        ],
        &materials,
        &labels.none,
    );

    // The footer: what this is on the left, the page number on the right.
    let left = fit(&title(report, labels), FOOTER_SIZE, false, 330.0);
    let mut pages = p.pages;
    for (i, page) in pages.iter_mut().enumerate() {
        let number = format!("{} {}", labels.page.trim(), i + 1)
            .trim()
            .to_string();
        page.push(TextLine {
            x: LEFT,
            y: FOOTER_Y,
            size: FOOTER_SIZE,
            bold: false,
            text: left.clone(),
        });
        page.push(TextLine {
            x: RIGHT - width(&number, FOOTER_SIZE, false),
            y: FOOTER_Y,
            size: FOOTER_SIZE,
            bold: false,
            text: number,
        });
    }
    pages
}

/// The report as PDF bytes, with the tenant's `logo` top right on the first
/// page where it has one the PDF writer can embed.
pub fn render(report: &Report, labels: &Labels, logo: Option<&Image>) -> Vec<u8> {
    let pages = layout(report, labels, logo.is_some());
    document(&title(report, labels), &pages, logo)
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;
    use portal_core::pdf::image::Filter;

    fn labels() -> Labels {
        Labels {
            title: "Bezoekrapport".into(),
            customer: "Klant".into(),
            location: "Locatie".into(),
            date: "Datum".into(),
            technician: "Technicus".into(),
            kind: "Soort bezoek".into(),
            findings: "Bevindingen".into(),
            remarks: "Opmerkingen".into(),
            observations: "Waarnemingen".into(),
            checkpoint: "Controlepunt".into(),
            checkpoint_kind: "Type".into(),
            room: "Ruimte".into(),
            value: "Waarde".into(),
            note: "Notitie".into(),
            materials: "Middelen".into(),
            material: "Middel".into(),
            amount: "Hoeveelheid".into(),
            unit: "Eenheid".into(),
            registration: "Toelatingsnummer".into(),
            none: "Geen".into(),
            page: "Pagina".into(),
        }
    }

    fn report(observations: usize) -> Report {
        Report {
            tenant_name: "Ongediertebestrijding Zuid B.V.".into(),
            customer_name: "Bakkerij De Korenschoof".into(),
            location_name: "Filiaal Centrum".into(),
            location_address: "Marktstraat 12\n\n1234 AB Utrecht".into(),
            date: "14 maart 2026".into(),
            technician: "J. de Vries".into(),
            kind: "Routinebezoek".into(),
            findings: format!(
                "{}\n\nGeen activiteit in de opslag.\nVraatsporen bij {}.",
                "Muizenactiviteit in de kelder, lokazen vervangen. ".repeat(30),
                "https://example.org/".repeat(8)
            ),
            remarks: "Deur naar de binnenplaats sluit niet goed: borstelstrip plaatsen.".into(),
            observations: (1..=observations)
                .map(|i| ObservationLine {
                    checkpoint: format!("HM{i}"),
                    kind: "Muizenbox".into(),
                    room: if i % 7 == 0 {
                        "Opslagruimte achter de bakkerij, naast de meelsilo's".into()
                    } else {
                        "Keuken".into()
                    },
                    value: format!("{} %", i % 100),
                    note: match i % 10 {
                        0 => "Lokaas volledig opgegeten, box verplaatst. ".repeat(40),
                        3 => "Uitwerpselen gevonden; schoongemaakt.".into(),
                        _ => String::new(),
                    },
                })
                .collect(),
            materials: vec![
                MaterialLine {
                    name: "Racumin Foam".into(),
                    amount: "2,5".into(),
                    unit: "g".into(),
                    registration_number: "NL-0012345".into(),
                },
                MaterialLine {
                    name: "Lokaasblok".into(),
                    amount: "12".into(),
                    unit: "stuks".into(),
                    registration_number: String::new(),
                },
            ],
        }
    }

    fn count(hay: &[u8], needle: &[u8]) -> usize {
        hay.windows(needle.len()).filter(|w| *w == needle).count()
    }

    #[test]
    fn many_observations_run_over_pages() {
        let r = report(150);
        let pdf = render(&r, &labels(), None);
        assert!(pdf.starts_with(b"%PDF"));
        // Core writes each page as `<< /Type /Page /Parent ...`, the page
        // tree as `<< /Type /Pages ...`; its text is not compressed.
        let pages = count(&pdf, b"/Type /Page /");
        assert!(pages > 1, "{pages} page(s)");
        assert_eq!(count(&pdf, b"/Type /Pages "), 1);
        assert_eq!(count(&pdf, b"(HM150) Tj"), 1);
        assert_eq!(count(&pdf, format!("(Pagina {pages}) Tj").as_bytes()), 1);
        assert_eq!(count(&pdf, b"(Racumin Foam) Tj"), 1);
    }

    #[test]
    fn pages_repeat_the_header_and_keep_within_the_margins() {
        let r = report(200);
        let pages = layout(&r, &labels(), false);
        assert!(pages.len() > 2, "{} page(s)", pages.len());
        for (i, page) in pages.iter().enumerate() {
            let texts: Vec<&str> = page.iter().map(|l| l.text.as_str()).collect();
            assert!(texts.contains(&format!("Pagina {}", i + 1).as_str()));
            if texts.iter().any(|t| t.starts_with("HM")) {
                assert!(
                    texts.contains(&"Controlepunt"),
                    "page {} has no header",
                    i + 1
                );
            }
            for l in page {
                let footer = (l.y - FOOTER_Y).abs() < 0.01;
                assert!(footer || (l.y > BOTTOM && l.y < TOP), "{l:?}");
                assert!(l.x >= LEFT, "{l:?}");
                assert!(
                    l.x + width(&l.text, l.size, l.bold) <= RIGHT + 0.01,
                    "{l:?}"
                );
            }
        }
        // Every observation once, in order.
        let checkpoints: Vec<&str> = pages
            .iter()
            .flatten()
            .map(|l| l.text.as_str())
            .filter(|t| t.starts_with("HM"))
            .collect();
        let expected: Vec<String> = (1..=200).map(|i| format!("HM{i}")).collect();
        assert_eq!(checkpoints, expected);
        // The long notes were cut, the long findings wrapped.
        assert!(pages.iter().flatten().any(|l| l.text.ends_with('…')));
        assert!(
            pages
                .iter()
                .flatten()
                .filter(|l| l.text.contains("Muizenactiviteit"))
                .count()
                > 3
        );
    }

    #[test]
    fn an_empty_report_says_none() {
        let r = Report {
            tenant_name: "Ongediertebestrijding Zuid B.V.".into(),
            ..Report::default()
        };
        let pdf = render(&r, &labels(), None);
        assert!(pdf.starts_with(b"%PDF"));
        assert_eq!(count(&pdf, b"/Type /Page /"), 1);
        // Findings, remarks, observations, materials.
        assert_eq!(count(&pdf, b"(Geen) Tj"), 4);
        assert_eq!(count(&pdf, b"(Controlepunt) Tj"), 0);
        assert_eq!(count(&pdf, b"(Pagina 1) Tj"), 1);
    }

    #[test]
    fn the_name_makes_way_for_the_logo() {
        let mut r = report(1);
        r.tenant_name = "Ongediertebestrijding en Houtwormbestrijding Zuid-Nederland B.V.".into();
        let logo = Image {
            width: 2,
            height: 1,
            components: 1,
            filter: Filter::Flate,
            data: vec![0; 4],
            alpha: None,
        };
        let pdf = render(&r, &labels(), Some(&logo));
        assert_eq!(count(&pdf, b"/Im1 Do"), 1);
        let pages = layout(&r, &labels(), true);
        let name = &pages[0][0];
        assert!(name.text.ends_with('…'));
        assert!(width(&name.text, name.size, name.bold) <= NAME_WIDTH_BESIDE_LOGO);
    }

    #[test]
    fn wrapping_keeps_breaks_and_cuts_long_words() {
        assert_eq!(
            wrap("\n a  b\n\n\n\nc \n\n", 10.0, false, 100.0),
            vec!["a b", "", "c"]
        );
        let long = "x".repeat(100);
        let lines = wrap(&long, 10.0, false, 100.0);
        assert!(lines.len() > 1);
        assert_eq!(lines.concat(), long);
        assert!(lines.iter().all(|l| width(l, 10.0, false) <= 100.0));
        assert_eq!(fit("kort", 10.0, false, 100.0), "kort");
    }
}
