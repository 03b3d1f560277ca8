//! Server-rendered SVG grouped bar charts: core's chart for the modules' dashboards,
//! such as the logbook's activity per checkpoint type per month (counts) and
//! consumption per service per month or day, or one period against another (GJ, kWh, m³).
//! Rendering on the server keeps the pages free of JavaScript; the output is meant to
//! sit next to a data table with the same numbers, which is the primary accessible
//! alternative (the `<svg>` has `role="img"`, so assistive technology announces only its
//! title and description). Series are told apart by colour *and* fill pattern, so colour
//! is never the only carrier of meaning (WCAG 1.4.1); every colour has at least 3:1
//! contrast against white (WCAG 1.4.11). Numbers are formatted by the caller (`fmt` in
//! [`svg`]), so they read as on the rest of the page, e.g. `1.234,5` in Dutch.

use std::fmt::Write as _;

/// One bar series: e.g. one checkpoint type ("Muizenbox") or one period ("2025"), a value
/// per category. Missing values (fewer values than categories), negative and non-finite
/// ones count as 0; extra values are ignored.
#[derive(Debug, Clone)]
pub struct Series {
    pub label: String,
    pub values: Vec<f64>,
}

/// A grouped bar chart: categories along the x axis (e.g. month labels "jan 2026"),
/// one bar per series in each group.
#[derive(Debug, Clone)]
pub struct BarChart {
    /// Goes into `<title>`: the accessible name of the chart.
    pub title: String,
    /// Goes into `<desc>`: the accessible description of the chart.
    pub description: String,
    /// The unit of the values ("GJ", "kWh"; empty for counts): shown above the y axis
    /// labels and after the value in each bar's tooltip.
    pub unit: String,
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
/// With more bars than this (e.g. 31 days × 2 periods) the values are left off the bars:
/// they would not fit, and the tooltips and the table next to the chart have them.
const MAX_VALUE_LABELS: usize = 40;
/// With more categories than this only every k-th gets a label (e.g. every 3rd of 31 days).
const MAX_CATEGORY_LABELS: usize = 12;

/// Positions derived from the data, in viewBox units.
struct Layout {
    id: String,
    /// Grid values from 0 up to the axis maximum (the last one), with their labels.
    ticks: Vec<(f64, String)>,
    /// The axis maximum (> 0).
    max: f64,
    left: f64,
    bottom: f64,
    group_w: f64,
    slot: f64,
    /// Values are written above the bars (only when there are few enough bars).
    values: bool,
    /// Bars too narrow for a horizontal value label get a vertical one.
    vertical: bool,
    /// More than 6 categories: labels are rotated -45° so full month names stay legible.
    rotate: bool,
    /// Only every `label_every`-th category gets a label (1: all of them).
    label_every: usize,
    cols: usize,
    legend_top: f64,
    height: f64,
}

impl Layout {
    fn new(chart: &BarChart, fmt: &dyn Fn(f64) -> String) -> Self {
        let (ncat, nser) = (chart.categories.len(), chart.series.len());
        let all: Vec<f64> = chart
            .series
            .iter()
            .flat_map(|s| (0..ncat).map(move |c| value(s, c)))
            .collect();
        let whole = all.iter().all(|v| v.fract() == 0.0);
        let ticks: Vec<(f64, String)> = axis(all.iter().copied().fold(0.0, f64::max), whole)
            .into_iter()
            .map(|t| (t, fmt(t)))
            .collect();
        let max = ticks.last().map_or(1.0, |t| t.0);
        let rotate = ncat > 6;
        let label_every = ncat.div_ceil(MAX_CATEGORY_LABELS).max(1);
        let shown = chart.categories.iter().step_by(label_every);
        let longest = shown.map(|c| c.chars().count()).max();
        let cat_extent = to_f64(longest.unwrap_or(0)) * FONT * GLYPH * 0.71; // sin 45°
        let tick_labels = ticks.iter().map(|t| t.1.chars().count());
        let widest = tick_labels.chain([chart.unit.chars().count()]).max();
        let mut left = to_f64(widest.unwrap_or(0)) * FONT * GLYPH + 12.0;
        if rotate {
            // Rotated labels stick out left of the first group.
            left = left.max(cat_extent - (WIDTH - left) / to_f64(ncat) / 2.0 + 8.0);
        }
        // Absurdly long labels are clipped rather than squeezing the bars out of the chart.
        let left = left.min(WIDTH / 2.0);
        let group_w = (WIDTH - left - 8.0) / to_f64(ncat);
        let slot = group_w * 0.8 / to_f64(nser);
        let values = all.len() <= MAX_VALUE_LABELS && slot >= VALUE_FONT * 0.75;
        let value_chars = all.iter().filter(|&&v| values && v > 0.0);
        let value_chars = value_chars.map(|&v| fmt(v).chars().count()).max();
        let value_w = to_f64(value_chars.unwrap_or(0).max(2)) * VALUE_FONT * GLYPH;
        let vertical = slot - 1.5 < value_w;
        // Room above the plot for the value labels and the unit.
        let mut head = match (values, vertical) {
            (false, _) => 12.0,
            (true, true) => value_w + 10.0,
            (true, false) => 20.0,
        };
        if !chart.unit.is_empty() {
            head = f64::max(head, FONT + 16.0);
        }
        let bottom = head + PLOT_HEIGHT;
        let cat_h = FONT + 12.0 + if rotate { cat_extent } else { 0.0 };
        let longest = chart.series.iter().map(|s| s.label.chars().count()).max();
        let two_fit = to_f64(longest.unwrap_or(0)) * FONT * GLYPH + 28.0 <= (WIDTH - 16.0) / 2.0;
        let cols = if two_fit { 2 } else { 1 };
        let legend_top = bottom + cat_h + 8.0;
        let height = legend_top + to_f64(nser.div_ceil(cols)) * 22.0 + 4.0;
        let id = chart_id(chart);
        Self {
            id,
            ticks,
            max,
            left,
            bottom,
            group_w,
            slot,
            values,
            vertical,
            rotate,
            label_every,
            cols,
            legend_top,
            height,
        }
    }

    /// The y position of value `v`; values above the axis maximum (by rounding) stay on it.
    fn y(&self, v: f64) -> f64 {
        self.bottom - PLOT_HEIGHT * (v / self.max).clamp(0.0, 1.0)
    }
}

/// The chart as an SVG document fragment (an `<svg>` element to inline in HTML).
/// It scales to its container's width (`width="100%"` plus a `viewBox`).
///
/// Every number in it (grid labels, values above the bars, tooltips) is written by
/// `fmt`, e.g. with the page language's decimal comma. Grid values are 1, 2 or 5 × 10ⁿ
/// apart (steps of 1 when all values are whole numbers), so `fmt` should show enough
/// decimals for them, e.g. `0,25` on an axis up to 0,25.
#[must_use]
pub fn svg(chart: &BarChart, fmt: &dyn Fn(f64) -> String) -> String {
    let mut out = String::new();
    if chart.categories.is_empty() || chart.series.is_empty() {
        open_svg(&mut out, chart, &chart_id(chart), 120.0);
        out.push_str(r#"<text x="50%" y="60" text-anchor="middle">–</text></svg>"#);
        return out;
    }
    let lay = Layout::new(chart, fmt);
    open_svg(&mut out, chart, &lay.id, lay.height);
    out.push_str("<defs>");
    for i in (0..chart.series.len()).filter(|i| !i.is_multiple_of(PATTERNS)) {
        pattern_def(&mut out, &lay.id, i);
    }
    out.push_str("</defs>");
    grid(&mut out, chart, &lay);
    bars(&mut out, chart, &lay, fmt);
    legend(&mut out, chart, &lay);
    out.push_str("</svg>");
    out
}

/// Grid lines with their values, the one at 0 doubling as the x axis, and the unit
/// above the values.
fn grid(out: &mut String, chart: &BarChart, lay: &Layout) {
    let (x1, x2, label_x) = (lay.left, WIDTH - 8.0, lay.left - 6.0);
    out.push_str(r#"<g class="chart-grid" text-anchor="end">"#);
    for (i, (tick, label)) in lay.ticks.iter().enumerate() {
        let (y, label_y) = (lay.y(*tick), lay.y(*tick) + FONT * 0.35);
        let opacity = if i == 0 { "1" } else { "0.2" };
        let label = escape(label);
        let _ = write!(
            out,
            r#"<line x1="{x1:.1}" y1="{y:.1}" x2="{x2:.1}" y2="{y:.1}" stroke="currentColor" stroke-opacity="{opacity}"/><text x="{label_x:.1}" y="{label_y:.1}">{label}</text>"#
        );
    }
    if !chart.unit.is_empty() {
        let (y, unit) = (lay.bottom - PLOT_HEIGHT - 12.0, escape(&chart.unit));
        let _ = write!(
            out,
            r#"<text class="chart-unit" x="{label_x:.1}" y="{y:.1}">{unit}</text>"#
        );
    }
    out.push_str("</g>");
}

/// The bars (each with a `<title>` tooltip), their values and the category labels.
fn bars(out: &mut String, chart: &BarChart, lay: &Layout, fmt: &dyn Fn(f64) -> String) {
    out.push_str(r#"<g class="chart-bars">"#);
    let bar_w = (lay.slot - 1.5).max(0.5);
    let (angle, anchor) = if lay.vertical {
        (-90, "start")
    } else {
        (0, "middle")
    };
    let unit = match chart.unit.as_str() {
        "" => String::new(),
        unit => format!(" {}", escape(unit)),
    };
    for (c, cat) in chart.categories.iter().enumerate() {
        let cat = escape(cat);
        for (s, series) in chart.series.iter().enumerate() {
            let v = value(series, c);
            let (label, text) = (escape(&series.label), escape(&fmt(v)));
            let x = lay.left + (to_f64(c) + 0.1) * lay.group_w + to_f64(s) * lay.slot + 0.75;
            let (y, bar_h) = (lay.y(v), lay.bottom - lay.y(v));
            let (fill, stroke) = (fill(&lay.id, s), PALETTE[s % PALETTE.len()]);
            let _ = write!(
                out,
                r#"<rect class="chart-bar" x="{x:.1}" y="{y:.1}" width="{bar_w:.1}" height="{bar_h:.1}" fill="{fill}" stroke="{stroke}"><title>{label}, {cat}: {text}{unit}</title></rect>"#
            );
            // Vertical labels are shifted right so their baseline is centred on the bar.
            let shift = if lay.vertical { VALUE_FONT * 0.35 } else { 0.0 };
            let (tx, ty) = (x + bar_w / 2.0 + shift, y - 4.0);
            if lay.values && v > 0.0 {
                let _ = write!(
                    out,
                    r#"<text class="chart-value" x="{tx:.1}" y="{ty:.1}" text-anchor="{anchor}" transform="rotate({angle} {tx:.1} {ty:.1})" font-size="{VALUE_FONT}">{text}</text>"#
                );
            }
        }
        if !c.is_multiple_of(lay.label_every) {
            continue;
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

/// Value `c` of a series: missing, negative and non-finite values count as 0.
fn value(s: &Series, c: usize) -> f64 {
    match s.values.get(c) {
        Some(&v) if v.is_finite() && v > 0.0 => v,
        _ => 0.0,
    }
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

/// The grid values for data up to `max` (≥ 0), from 0 up to the axis maximum, the last:
/// the smallest 1, 2, 2.5 or 5 × 10ⁿ at or above `max` (1 when everything is 0), in 4
/// or 5 equal steps (0.5 → 0, 0.1 … 0.5; 12.3 → 0, 5 … 20). With `whole` numbers
/// (counts) the steps are at least 1: 2 → 0, 1, 2 rather than 0, 0.5 … 2.
fn axis(max: f64, whole: bool) -> Vec<f64> {
    let Some((m, exp)) = nice_max(max) else {
        // Near f64::MAX (no round number above it) or subnormal: plain 0, ½ and max.
        return vec![0.0, max / 2.0, max];
    };
    let step = match m {
        10 => 2,
        20 | 25 => 5,
        _ => 10,
    };
    let step = if whole && exp < 0 && m % 10 == 0 {
        10
    } else {
        step
    };
    (0..=m / step).map(|i| scaled(i * step, exp)).collect()
}

/// The axis maximum for data up to `max` as `(m, exp)`, meaning m × 10^exp with
/// m ∈ {10, 20, 25, 50}: the smallest 1, 2, 2.5 or 5 × 10ⁿ at or above `max`, 1 for 0.
/// `None` when that is not a positive finite `f64`.
fn nice_max(max: f64) -> Option<(u32, i32)> {
    if max.is_nan() || max <= 0.0 {
        return Some((10, -1));
    }
    // Find the decade: 10^exp ≤ max < 10^(exp + 1) (bounded: f64 spans 10^±324).
    let mut exp: i32 = 0;
    while exp > -330 && scaled(1, exp) > max {
        exp -= 1;
    }
    while exp < 330 && scaled(10, exp) <= max {
        exp += 1;
    }
    // A hair of slack, so 20.000000000000004 (a sum of meter readings) gets 20, not 25.
    let at_least = max * (1.0 - 1e-9);
    let m = [10, 20, 25, 50, 100]
        .into_iter()
        .find(|&m| scaled(m, exp - 1) >= at_least)?;
    let nice = if m == 100 { (10, exp) } else { (m, exp - 1) };
    let top = scaled(nice.0, nice.1);
    (top.is_finite() && top > 0.0).then_some(nice)
}

/// `n × 10^exp`, correctly rounded while 10^|exp| is exact in `f64` (|exp| ≤ 22), so grid
/// values are the doubles nearest 0.2, 0.25 etc., never 0.6000000000000001.
fn scaled(n: u32, exp: i32) -> f64 {
    let n = f64::from(n);
    if exp >= 0 {
        n * 10f64.powi(exp)
    } else {
        n / 10f64.powi(exp.saturating_neg())
    }
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

    fn chart(title: &str, cats: &[&str], series: &[(&str, &[f64])]) -> BarChart {
        let series = series.iter().map(|&(l, v)| (l.into(), v.to_vec()));
        BarChart {
            title: title.into(),
            description: "Activiteit per checkpointtype".into(),
            unit: String::new(),
            categories: cats.iter().map(|&c| c.into()).collect(),
            series: series
                .map(|(label, values)| Series { label, values })
                .collect(),
        }
    }

    /// Plain `Display`, as a count needs it.
    fn plain(v: f64) -> String {
        format!("{v}")
    }

    /// Dutch-style: decimal comma, one decimal unless whole.
    fn dutch(v: f64) -> String {
        if v.fract() == 0.0 {
            format!("{v}")
        } else {
            format!("{v:.1}").replace('.', ",")
        }
    }

    fn top(max: f64) -> f64 {
        axis(max, false).last().copied().unwrap_or(f64::NAN)
    }

    #[test]
    fn hostile_labels_are_escaped() {
        let series: &[(&str, &[f64])] = &[("<script>", &[1.0, 2.0])];
        let mut c = chart("<script>1</script>", &["a&b", "\"'"], series);
        c.unit = "<b>".into();
        let out = svg(&c, &|v| format!("<{v}>"));
        assert!(!out.contains("<script>") && !out.contains("<b>") && !out.contains("<1>"));
        assert!(out.contains("&lt;script&gt;1&lt;/script&gt;"));
        assert!(out.contains("a&amp;b") && out.contains("&quot;&#39;"));
        assert!(out.contains("&lt;2&gt; &lt;b&gt;</title>"));
    }

    #[test]
    fn title_and_desc_come_first_and_are_referenced() {
        let c = chart("Locatie A", &["jan 2026"], &[("Muizenbox", &[3.0])]);
        let (out, id) = (svg(&c, &plain), chart_id(&c));
        let start = format!(r#"><title id="{id}-title">Locatie A</title><desc id="{id}-desc">"#);
        assert!(out.starts_with(r#"<svg xmlns="http://www.w3.org/2000/svg""#));
        assert!(out.contains(&format!(r#"aria-labelledby="{id}-title {id}-desc""#)));
        assert!(out.contains(&start) && out.ends_with("</svg>"));
        assert_ne!(id, chart_id(&chart("Locatie B", &[], &[])));
        assert_eq!(out, svg(&c, &plain)); // stable
    }

    #[test]
    fn one_titled_rect_per_series_and_category() {
        let cats = ["jan", "feb", "mrt", "apr", "mei", "jun", "jul"];
        let series: &[(&str, &[f64])] = &[
            ("Box", &[1.0, f64::NAN, 3.0, f64::INFINITY]),
            ("Klem", &[-4.0, 5.0, 6.0, 7.0, 8.0, 9.0, 9.0, 9.0]),
        ];
        let out = svg(&chart("t", &cats, series), &plain);
        assert_eq!(out.matches(r#"<rect class="chart-bar""#).count(), 14);
        assert_eq!(out.matches("</title></rect>").count(), 14);
        assert!(out.contains("<title>Box, mrt: 3</title>"));
        assert!(out.contains("<title>Box, jul: 0</title>")); // missing values are 0
        assert!(out.contains("<title>Box, feb: 0</title>")); // so are NaN …
        assert!(out.contains("<title>Box, apr: 0</title>")); // … and infinity
        assert!(out.contains("<title>Klem, jan: 0</title>")); // negatives are clamped
        assert!(out.contains("rotate(-45")); // more than 6 categories are rotated
        assert_eq!(out.matches(r#"<text class="chart-value""#).count(), 8); // 0s have none
        assert_eq!(out.matches(r#"<text class="chart-category""#).count(), 7);
        assert!(!out.contains("NaN") && !out.contains("inf"));
    }

    #[test]
    fn unit_above_the_axis_and_in_tooltips() {
        let series: &[(&str, &[f64])] = &[("Warmte", &[12.75, 3.0]), ("Water", &[0.5])];
        let mut c = chart("Verbruik", &["jan 2026", "feb 2026"], series);
        c.unit = "GJ".into();
        let out = svg(&c, &dutch);
        assert!(out.contains("<title>Warmte, jan 2026: 12,8 GJ</title>"));
        assert!(out.contains("<title>Water, feb 2026: 0 GJ</title>"));
        assert!(out.contains(r#"<text class="chart-unit" x="#) && out.contains(">GJ</text>"));
        assert!(out.contains(">12,8</text>") && out.contains(">0,5</text>"));
        // No unit (counts): nothing after the number, no unit label.
        c.unit.clear();
        let out = svg(&c, &dutch);
        assert!(out.contains("<title>Warmte, jan 2026: 12,8</title>"));
        assert!(!out.contains("chart-unit"));
    }

    #[test]
    fn nice_max_rounds_up_to_1_2_2_5_5() {
        for (max, nice) in [
            (0.0, 1.0),
            (2.0, 2.0),
            (3.0, 5.0),
            (7.0, 10.0),
            (11.0, 20.0),
        ] {
            assert_eq!(top(max).to_bits(), f64::to_bits(nice), "{max}");
        }
        for (max, nice) in [(500.0, 500.0), (21.0, 25.0), (1e18, 1e18), (9.2e18, 1e19)] {
            assert_eq!(top(max).to_bits(), f64::to_bits(nice), "{max}");
        }
        let out = svg(&chart("t", &["jan"], &[("a", &[7.0])]), &plain);
        assert!(out.contains(">10</text>") && out.contains(">8</text>"));
        // Counts keep whole steps: 0, 1, 2 and 0, 1.
        let out = svg(&chart("t", &["jan"], &[("a", &[2.0])]), &plain);
        assert!(out.contains(">1</text>") && !out.contains(">0.5</text>"));
        assert!(svg(&chart("t", &["jan"], &[("a", &[0.0])]), &plain).contains(">1</text>"));
        for huge in [f64::MAX, 1e300, 5e-324] {
            let out = svg(&chart("t", &["jan"], &[("a", &[huge])]), &plain);
            assert!(out.ends_with("</svg>") && !out.contains("NaN") && !out.contains("inf"));
        }
    }

    #[test]
    fn nice_max_for_fractions() {
        let cases = [
            (0.37, 0.5),
            (0.5, 0.5),
            (0.2, 0.2),
            (0.21, 0.25),
            (0.0012, 0.002),
            (1.2, 2.0),
            (2.3, 2.5),
            (12.3, 20.0),
            (12.75, 20.0),
            (23.1, 25.0),
            (20.000_000_000_000_004, 20.0), // rounding noise of a sum
            (1234.5, 2000.0),
        ];
        for (max, nice) in cases {
            assert_eq!(top(max).to_bits(), f64::to_bits(nice), "{max}");
        }
        // Grid values are round, 4 or 5 steps, and never 0.30000000000000004.
        assert_eq!(axis(0.37, false), [0.0, 0.1, 0.2, 0.3, 0.4, 0.5]);
        assert_eq!(axis(0.37, true), [0.0, 0.1, 0.2, 0.3, 0.4, 0.5]);
        assert_eq!(axis(12.3, false), [0.0, 5.0, 10.0, 15.0, 20.0]);
        assert_eq!(axis(2.3, false), [0.0, 0.5, 1.0, 1.5, 2.0, 2.5]);
        assert_eq!(axis(0.8, false), [0.0, 0.2, 0.4, 0.6, 0.8, 1.0]);
        assert_eq!(axis(3.0, true), [0.0, 1.0, 2.0, 3.0, 4.0, 5.0]);
        assert_eq!(axis(0.0, true), [0.0, 1.0]);
        assert_eq!(axis(0.0, false), [0.0, 0.2, 0.4, 0.6, 0.8, 1.0]);
        for max in [0.003, 0.07, 1.5, 4.2, 99.0, 1234.5, 7e12] {
            let ticks = axis(max, false);
            let steps = ticks.len() - 1;
            assert!((4..=5).contains(&steps), "{max}: {ticks:?}");
            assert!(ticks[steps] >= max && ticks[0] == 0.0, "{max}: {ticks:?}");
        }
    }

    #[test]
    fn fmt_writes_the_tick_labels() {
        let comma = |v: f64| format!("{v}").replace('.', ",");
        let out = svg(&chart("t", &["jan"], &[("a", &[0.37])]), &comma);
        assert!(out.contains(">0,5</text>") && out.contains(">0,1</text>"));
        assert!(out.contains(">0,37</text>") && out.contains("<title>a, jan: 0,37</title>"));
        assert!(!out.contains(">0.5<") && !out.contains("0,30000"));
        // Thousands separators too: the axis goes up to 2000 (0, 500 … 2000).
        let grouped = |v: f64| comma(v).replace("1234", "1.234").replace("2000", "2.000");
        let out = svg(&chart("t", &["jan"], &[("a", &[1234.5])]), &grouped);
        assert!(out.contains(">1.234,5</text>") && out.contains(">2.000</text>"));
    }

    #[test]
    fn many_bars_keep_tooltips_but_drop_value_labels() {
        let days: Vec<String> = (1..=31).map(|d| d.to_string()).collect();
        let days: Vec<&str> = days.iter().map(String::as_str).collect();
        let (a, b) = ([1.5; 31], [2.75; 31]);
        let series: &[(&str, &[f64])] = &[("2025", &a), ("2026", &b)];
        let mut c = chart("Per dag", &days, series);
        c.unit = "GJ".into();
        let out = svg(&c, &dutch);
        assert_eq!(out.matches(r#"<rect class="chart-bar""#).count(), 62);
        assert_eq!(out.matches("GJ</title></rect>").count(), 62);
        assert!(out.contains("<title>2026, 31: 2,8 GJ</title>"));
        assert!(!out.contains("chart-value"));
        // 20 bars: value labels are kept.
        let c = chart("Per maand", &days[..10], series);
        assert_eq!(svg(&c, &dutch).matches("chart-value").count(), 20);
    }

    #[test]
    fn every_kth_category_label_with_many_categories() {
        let days: Vec<String> = (1..=31).map(|d| format!("{d} jan")).collect();
        let days: Vec<&str> = days.iter().map(String::as_str).collect();
        let out = svg(&chart("t", &days, &[("a", &[1.0; 31])]), &plain);
        let labels: Vec<&str> = out
            .split(r#"<text class="chart-category""#)
            .skip(1)
            .filter_map(|t| t.split_once('>')?.1.split_once('<'))
            .map(|(label, _)| label)
            .collect();
        assert_eq!(
            labels,
            [
                "1 jan", "4 jan", "7 jan", "10 jan", "13 jan", "16 jan", "19 jan", "22 jan",
                "25 jan", "28 jan", "31 jan"
            ]
        );
        assert!(out.contains("rotate(-45"));
        assert!(out.contains("<title>a, 2 jan: 1</title>")); // every bar keeps its tooltip
        // Up to 12 categories all get a label.
        let out = svg(&chart("t", &days[..12], &[("a", &[1.0; 12])]), &plain);
        assert_eq!(out.matches(r#"<text class="chart-category""#).count(), 12);
    }

    #[test]
    fn empty_charts_are_valid() {
        let one: &[(&str, &[f64])] = &[("a", &[1.0])];
        for c in [
            chart("t", &[], one),
            chart("t", &["jan"], &[]),
            chart("", &[], &[]),
        ] {
            let out = svg(&c, &plain);
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
        let series: &[(&str, &[f64])] = &[("a", &[1.0]), ("b", &[2.0]), ("c", &[3.0])];
        let out = svg(&chart("t", &["jan"], series), &plain);
        assert_eq!(out.matches("<pattern ").count(), 2);
        assert_eq!(out.matches("url(#chart-").count(), 4); // bar and swatch share the fill
    }
}
