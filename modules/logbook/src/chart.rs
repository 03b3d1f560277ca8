//! Server-rendered SVG grouped bar charts for the logbook dashboard ("activity per
//! checkpoint type per month"). Rendering on the server keeps the dashboard free of
//! JavaScript; the output is meant to sit next to a data table with the same numbers,
//! which is the primary accessible alternative (the `<svg>` has `role="img"`, so
//! assistive technology announces only its title and description). Series are told
//! apart by colour *and* fill pattern, so colour is never the only carrier of meaning
//! (WCAG 1.4.1); every colour has at least 3:1 contrast against white (WCAG 1.4.11).

use std::fmt::Write as _;

/// One bar series: e.g. one checkpoint type ("Muizenbox"), a value per category.
/// Missing values (fewer values than categories) count as 0, extra values are ignored.
#[derive(Debug, Clone)]
pub struct Series {
    pub label: String,
    pub values: Vec<i64>,
}

/// A grouped bar chart: categories along the x axis (e.g. month labels "jan 2026"),
/// one bar per series in each group.
#[derive(Debug, Clone)]
pub struct BarChart {
    /// Goes into `<title>`: the accessible name of the chart.
    pub title: String,
    /// Goes into `<desc>`: the accessible description of the chart.
    pub description: String,
    pub categories: Vec<String>,
    pub series: Vec<Series>,
}

/// Bar colours, each with ≥ 3:1 contrast against white (checked by a test).
const PALETTE: [&str; 8] = [
    "#1f77b4", "#d55e00", "#2e7d32", "#6a3d9a", "#8c6d00", "#c2185b", "#00796b", "#5d4037",
];
/// Number of fill patterns (solid, diagonal, dots, cross-hatch, horizontal, vertical,
/// back-diagonal): the first 7 series differ in pattern, and with 8 colours the first 56
/// series all get a distinct colour/pattern combination.
const PATTERNS: usize = 7;
const WIDTH: f64 = 600.0;
const PLOT_HEIGHT: f64 = 240.0;
/// Fonts are large relative to the 600-unit viewBox because the chart is scaled down
/// to roughly 0.6× on a 390 px phone screen and must stay legible there.
const FONT: f64 = 16.0;
const VALUE_FONT: f64 = 13.0;
/// Rough average glyph width as a fraction of the font size, for layout estimates.
const GLYPH: f64 = 0.6;

/// Positions derived from the data, in viewBox units.
struct Layout {
    id: String,
    /// Axis maximum and grid step (both ≥ 1).
    max: i128,
    step: i128,
    left: f64,
    bottom: f64,
    group_w: f64,
    slot: f64,
    /// Bars too narrow for a horizontal value label get a vertical one.
    vertical: bool,
    /// More than 6 categories: labels are rotated -45° so full month names stay legible.
    rotate: bool,
    cols: usize,
    legend_top: f64,
    height: f64,
}

impl Layout {
    fn new(chart: &BarChart) -> Self {
        let (ncat, nser) = (chart.categories.len(), chart.series.len());
        let all = chart
            .series
            .iter()
            .flat_map(|s| (0..ncat).map(move |c| value(s, c)));
        let max = nice_max(all.max().unwrap_or(0));
        // Counts are whole numbers, so small axes get integer steps rather than 0.25 etc.
        let step = match max {
            ..=2 => 1,
            m if m.to_string().starts_with('2') => m / 4,
            m => m / 5,
        };
        let rotate = ncat > 6;
        let longest = chart.categories.iter().map(|c| c.chars().count()).max();
        let cat_extent = to_f64(longest.unwrap_or(0)) * FONT * GLYPH * 0.71; // sin 45°
        let digits = to_f64(max.to_string().len());
        let mut left = digits * FONT * GLYPH + 12.0;
        if rotate {
            // Rotated labels stick out left of the first group.
            left = left.max(cat_extent - (WIDTH - left) / to_f64(ncat) / 2.0 + 8.0);
        }
        let group_w = (WIDTH - left - 8.0) / to_f64(ncat);
        let slot = group_w * 0.8 / to_f64(nser);
        let vertical = slot - 1.5 < 2.0 * VALUE_FONT * GLYPH;
        let value_h = digits * VALUE_FONT * GLYPH;
        let bottom = PLOT_HEIGHT + if vertical { value_h + 10.0 } else { 20.0 };
        let cat_h = FONT + 12.0 + if rotate { cat_extent } else { 0.0 };
        let longest = chart.series.iter().map(|s| s.label.chars().count()).max();
        let two_fit = to_f64(longest.unwrap_or(0)) * FONT * GLYPH + 28.0 <= (WIDTH - 16.0) / 2.0;
        let cols = if two_fit { 2 } else { 1 };
        let legend_top = bottom + cat_h + 8.0;
        let height = legend_top + to_f64(nser.div_ceil(cols)) * 22.0 + 4.0;
        let id = chart_id(chart);
        Self {
            id,
            max,
            step,
            left,
            bottom,
            group_w,
            slot,
            vertical,
            rotate,
            cols,
            legend_top,
            height,
        }
    }

    fn y(&self, v: i128) -> f64 {
        self.bottom - PLOT_HEIGHT * ratio(v, self.max)
    }
}

/// The chart as an SVG document fragment (an `<svg>` element to inline in HTML).
/// It scales to its container's width (`width="100%"` plus a `viewBox`).
#[must_use]
pub fn svg(chart: &BarChart) -> String {
    let mut out = String::new();
    if chart.categories.is_empty() || chart.series.is_empty() {
        open_svg(&mut out, chart, &chart_id(chart), 120.0);
        out.push_str(r#"<text x="50%" y="60" text-anchor="middle">–</text></svg>"#);
        return out;
    }
    let lay = Layout::new(chart);
    open_svg(&mut out, chart, &lay.id, lay.height);
    out.push_str("<defs>");
    for i in (0..chart.series.len()).filter(|i| !i.is_multiple_of(PATTERNS)) {
        pattern_def(&mut out, &lay.id, i);
    }
    out.push_str("</defs>");
    grid(&mut out, &lay);
    bars(&mut out, chart, &lay);
    legend(&mut out, chart, &lay);
    out.push_str("</svg>");
    out
}

/// Grid lines with their values; the one at 0 doubles as the x axis.
fn grid(out: &mut String, lay: &Layout) {
    let (x1, x2, label_x) = (lay.left, WIDTH - 8.0, lay.left - 6.0);
    out.push_str(r#"<g class="chart-grid" text-anchor="end">"#);
    let mut tick = 0;
    while tick <= lay.max {
        let (y, label_y) = (lay.y(tick), lay.y(tick) + FONT * 0.35);
        let opacity = if tick == 0 { "1" } else { "0.2" };
        let _ = write!(
            out,
            r#"<line x1="{x1:.1}" y1="{y:.1}" x2="{x2:.1}" y2="{y:.1}" stroke="currentColor" stroke-opacity="{opacity}"/><text x="{label_x:.1}" y="{label_y:.1}">{tick}</text>"#
        );
        tick += lay.step;
    }
    out.push_str("</g>");
}

/// The bars (each with a `<title>` tooltip), their values and the category labels.
fn bars(out: &mut String, chart: &BarChart, lay: &Layout) {
    let _ = write!(out, r#"<g class="chart-bars">"#);
    let bar_w = (lay.slot - 1.5).max(0.5);
    let (angle, anchor) = if lay.vertical {
        (-90, "start")
    } else {
        (0, "middle")
    };
    for (c, cat) in chart.categories.iter().enumerate() {
        let cat = escape(cat);
        for (s, series) in chart.series.iter().enumerate() {
            let (v, label) = (value(series, c), escape(&series.label));
            let x = lay.left + (to_f64(c) + 0.1) * lay.group_w + to_f64(s) * lay.slot + 0.75;
            let (y, bar_h) = (lay.y(v.into()), lay.bottom - lay.y(v.into()));
            let (fill, stroke) = (fill(&lay.id, s), PALETTE[s % PALETTE.len()]);
            let _ = write!(
                out,
                r#"<rect class="chart-bar" x="{x:.1}" y="{y:.1}" width="{bar_w:.1}" height="{bar_h:.1}" fill="{fill}" stroke="{stroke}"><title>{label}, {cat}: {v}</title></rect>"#
            );
            // Vertical labels are shifted right so their baseline is centred on the bar.
            let shift = if lay.vertical { VALUE_FONT * 0.35 } else { 0.0 };
            let (tx, ty) = (x + bar_w / 2.0 + shift, y - 4.0);
            if v > 0 {
                let _ = write!(
                    out,
                    r#"<text class="chart-value" x="{tx:.1}" y="{ty:.1}" text-anchor="{anchor}" transform="rotate({angle} {tx:.1} {ty:.1})" font-size="{VALUE_FONT}">{v}</text>"#
                );
            }
        }
        let x = lay.left + (to_f64(c) + 0.5) * lay.group_w;
        let (y, angle, anchor) = if lay.rotate {
            (lay.bottom + FONT, -45, "end")
        } else {
            (lay.bottom + FONT + 6.0, 0, "middle")
        };
        let _ = write!(
            out,
            r#"<text class="chart-category" x="{x:.1}" y="{y:.1}" text-anchor="{anchor}" transform="rotate({angle} {x:.1} {y:.1})">{cat}</text>"#
        );
    }
    out.push_str("</g>");
}

/// The legend: a swatch with the same fill (colour and pattern) as the bars, and the label.
fn legend(out: &mut String, chart: &BarChart, lay: &Layout) {
    out.push_str(r#"<g class="chart-legend">"#);
    let col_w = (WIDTH - 16.0) / to_f64(lay.cols);
    for (s, series) in chart.series.iter().enumerate() {
        let x = 8.0 + to_f64(s % lay.cols) * col_w;
        let y = lay.legend_top + to_f64(s / lay.cols) * 22.0;
        let (fill, stroke) = (fill(&lay.id, s), PALETTE[s % PALETTE.len()]);
        let (tx, ty, label) = (x + 22.0, y + 13.0, escape(&series.label));
        let _ = write!(
            out,
            r#"<rect x="{x:.1}" y="{y:.1}" width="16" height="16" fill="{fill}" stroke="{stroke}"/><text x="{tx:.1}" y="{ty:.1}">{label}</text>"#
        );
    }
    out.push_str("</g>");
}

/// Value `c` of a series: missing values count as 0, negative ones are clamped to 0.
fn value(s: &Series, c: usize) -> i64 {
    s.values.get(c).copied().unwrap_or(0).max(0)
}

/// Writes the opening `<svg>` with `<title>` and `<desc>` first, as assistive
/// technology expects, referenced by `aria-labelledby`.
fn open_svg(out: &mut String, chart: &BarChart, id: &str, height: f64) {
    let _ = write!(
        out,
        r#"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {height:.0}" width="100%" role="img" aria-labelledby="{id}-title {id}-desc" class="chart" font-family="inherit" font-size="{FONT}" fill="currentColor"><title id="{id}-title">{}</title><desc id="{id}-desc">{}</desc>"#,
        escape(&chart.title),
        escape(&chart.description)
    );
}

/// The `fill` value for series `i`: plain colour for the solid pattern, else a pattern.
fn fill(id: &str, i: usize) -> String {
    if i.is_multiple_of(PATTERNS) {
        PALETTE[i % PALETTE.len()].to_owned()
    } else {
        format!("url(#{id}-s{i})")
    }
}

/// A `<pattern>` for series `i`: its colour as background with white marks, so the
/// bar keeps its colour contrast and gains a texture that does not depend on colour.
fn pattern_def(out: &mut String, id: &str, i: usize) {
    let colour = PALETTE[i % PALETTE.len()];
    let line = |x1: u8, y1: u8, x2: u8, y2: u8| {
        format!(
            r##"<line x1="{x1}" y1="{y1}" x2="{x2}" y2="{y2}" stroke="#fff" stroke-width="1.5"/>"##
        )
    };
    let (rotated, dot) = (
        r#" patternTransform="rotate(45)""#,
        r##"<circle cx="3" cy="3" r="1.3" fill="#fff"/>"##,
    );
    let (transform, marks) = match i % PATTERNS {
        1 => (rotated, line(3, 0, 3, 6)),
        2 => ("", dot.to_owned()),
        3 => (rotated, line(3, 0, 3, 6) + &line(0, 3, 6, 3)),
        4 => ("", line(0, 3, 6, 3)),
        5 => ("", line(3, 0, 3, 6)),
        _ => (r#" patternTransform="rotate(-45)""#, line(3, 0, 3, 6)),
    };
    let _ = write!(
        out,
        r#"<pattern id="{id}-s{i}" width="6" height="6" patternUnits="userSpaceOnUse"{transform}><rect width="6" height="6" fill="{colour}"/>{marks}</pattern>"#
    );
}

/// Smallest 1, 2 or 5 × 10ⁿ at or above `max` (1 when everything is 0), so grid lines
/// land on round numbers. `i128` so that values near `i64::MAX` cannot overflow.
fn nice_max(max: i64) -> i128 {
    let max = i128::from(max);
    let mut base: i128 = 1;
    loop {
        for m in [1, 2, 5] {
            if m * base >= max {
                return m * base;
            }
        }
        base *= 10;
    }
}

/// `v / max` as a fraction of the plot height; `max` is never 0 (see [`nice_max`]).
#[allow(clippy::cast_precision_loss, reason = "pixel positions")]
fn ratio(v: i128, max: i128) -> f64 {
    v as f64 / max.max(1) as f64
}

fn to_f64(n: usize) -> f64 {
    u32::try_from(n).map_or(f64::from(u32::MAX), f64::from)
}

/// A stable id prefix (FNV-1a over title, description and labels), so several charts
/// on one page get distinct `id`s for their title, desc and patterns.
fn chart_id(chart: &BarChart) -> String {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    let parts = [&chart.title, &chart.description]
        .into_iter()
        .chain(&chart.categories)
        .chain(chart.series.iter().map(|s| &s.label));
    for byte in parts.flat_map(|p| p.bytes().chain([0xff])) {
        hash = (hash ^ u64::from(byte)).wrapping_mul(0x0100_0000_01b3);
    }
    format!("chart-{hash:016x}")
}

/// XML-escapes user text for element content and attributes; drops control
/// characters that XML 1.0 does not allow at all.
fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for ch in s.chars() {
        match ch {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            '\t' | '\n' | '\r' => out.push(ch),
            c if c.is_control() && u32::from(c) < 0x20 => {}
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn chart(title: &str, cats: &[&str], series: &[(&str, &[i64])]) -> BarChart {
        let series = series.iter().map(|&(l, v)| (l.into(), v.to_vec()));
        BarChart {
            title: title.into(),
            description: "Activiteit per checkpointtype".into(),
            categories: cats.iter().map(|&c| c.into()).collect(),
            series: series
                .map(|(label, values)| Series { label, values })
                .collect(),
        }
    }

    #[test]
    fn hostile_labels_are_escaped() {
        let series: &[(&str, &[i64])] = &[("<script>", &[1, 2])];
        let out = svg(&chart("<script>1</script>", &["a&b", "\"'"], series));
        assert!(!out.contains("<script>"));
        assert!(out.contains("&lt;script&gt;1&lt;/script&gt;"));
        assert!(out.contains("a&amp;b") && out.contains("&quot;&#39;"));
    }

    #[test]
    fn title_and_desc_come_first_and_are_referenced() {
        let c = chart("Locatie A", &["jan 2026"], &[("Muizenbox", &[3])]);
        let (out, id) = (svg(&c), chart_id(&c));
        let start = format!(r#"><title id="{id}-title">Locatie A</title><desc id="{id}-desc">"#);
        assert!(out.starts_with(r#"<svg xmlns="http://www.w3.org/2000/svg""#));
        assert!(out.contains(&format!(r#"aria-labelledby="{id}-title {id}-desc""#)));
        assert!(out.contains(&start) && out.ends_with("</svg>"));
        assert_ne!(id, chart_id(&chart("Locatie B", &[], &[])));
    }

    #[test]
    fn one_titled_rect_per_series_and_category() {
        let cats = ["jan", "feb", "mrt", "apr", "mei", "jun", "jul"];
        let series: &[(&str, &[i64])] =
            &[("Box", &[1, 0, 3]), ("Klem", &[-4, 5, 6, 7, 8, 9, 9, 9])];
        let out = svg(&chart("t", &cats, series));
        assert_eq!(out.matches(r#"<rect class="chart-bar""#).count(), 14);
        assert_eq!(out.matches("</title></rect>").count(), 14);
        assert!(out.contains("<title>Box, mrt: 3</title>"));
        assert!(out.contains("<title>Box, jul: 0</title>")); // missing values are 0
        assert!(out.contains("<title>Klem, jan: 0</title>")); // negatives are clamped
        assert!(out.contains("rotate(-45")); // more than 6 categories are rotated
    }

    #[test]
    fn nice_max_rounds_up_to_1_2_5() {
        for (max, nice) in [(0, 1), (2, 2), (3, 5), (7, 10), (11, 20), (500, 500)] {
            assert_eq!(nice_max(max), nice);
        }
        assert_eq!(nice_max(i64::MAX), 10_000_000_000_000_000_000);
        let out = svg(&chart("t", &["jan"], &[("a", &[7])]));
        assert!(out.contains(">10</text>") && out.contains(">8</text>"));
        assert!(svg(&chart("t", &["jan"], &[("a", &[0])])).contains(">1</text>"));
        assert!(svg(&chart("t", &["jan"], &[("a", &[i64::MAX])])).ends_with("</svg>"));
    }

    #[test]
    fn empty_charts_are_valid() {
        let one: &[(&str, &[i64])] = &[("a", &[1])];
        for c in [
            chart("t", &[], one),
            chart("t", &["jan"], &[]),
            chart("", &[], &[]),
        ] {
            let out = svg(&c);
            assert!(out.contains("<title id=") && out.contains("<desc id="));
            assert!(out.ends_with(">–</text></svg>"));
        }
    }

    #[test]
    fn palette_contrast_and_patterns() {
        // WCAG relative luminance; 10/255 is the sRGB linear-segment threshold.
        let lin = |c: f64| {
            if c <= 10.0 {
                c / 255.0 / 12.92
            } else {
                ((c / 255.0 + 0.055) / 1.055).powf(2.4)
            }
        };
        for h in PALETTE {
            let ch = |i| lin(f64::from(u8::from_str_radix(&h[i..i + 2], 16).unwrap_or(0)));
            let lum = 0.2126 * ch(1) + 0.7152 * ch(3) + 0.0722 * ch(5);
            assert!(1.05 / (lum + 0.05) >= 3.0, "{h}: contrast < 3:1");
        }
        let series: &[(&str, &[i64])] = &[("a", &[1]), ("b", &[2]), ("c", &[3])];
        let out = svg(&chart("t", &["jan"], series));
        assert_eq!(out.matches("<pattern ").count(), 2);
        assert_eq!(out.matches("url(#chart-").count(), 4); // bar and swatch share the fill
    }
}
