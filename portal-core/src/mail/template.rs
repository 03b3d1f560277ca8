//! Mail templates in the seed's syntax: `{dossier.salutation}` is a
//! placeholder; `{{` is a literal `{` (a `}` is always literal).
//!
//! A template is parsed into literal and placeholder segments and checked
//! against the placeholders its mail declares. Each part is then rendered by
//! minijinja from a template made only of `{{ s[i] }}` slots, with the
//! segments passed as values: nothing staff write and no value ever becomes
//! template source, so braces or `{%` in a value come out literally. In the
//! HTML part literals are the (sanitised) HTML staff wrote and values are
//! escaped; in the subject and text part everything is plain.

use std::collections::{BTreeMap, HashMap};
use std::sync::LazyLock;

use minijinja::{Environment, Value, context};

use super::kind::{MailKind, PlaceholderKind};

/// A piece of a parsed template.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Segment {
    Literal(String),
    Placeholder(String),
}

/// A template problem, for the staff member who wrote it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{part}: {message}")]
pub struct TemplateError {
    /// `subject`, `html` or `text`.
    pub part: &'static str,
    pub message: String,
}

fn line_col(src: &str, byte: usize) -> (usize, usize) {
    let before = &src[..byte];
    let line = before.matches('\n').count() + 1;
    let col = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    (line, col)
}

fn valid_name(name: &str) -> bool {
    let parts: Vec<&str> = name.split('.').collect();
    parts.len() >= 2
        && parts.iter().all(|p| {
            !p.is_empty()
                && p.chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
        })
}

/// Splits a template into segments; `part` names it in errors.
///
/// # Errors
/// A `{` that does not open `{name}` or `{{`, with its line and column.
pub fn parse(part: &'static str, src: &str) -> Result<Vec<Segment>, TemplateError> {
    let mut out = Vec::new();
    let mut lit = String::new();
    let mut rest = src;
    while let Some(at) = rest.find('{') {
        lit.push_str(&rest[..at]);
        let after = &rest[at + 1..];
        if let Some(r) = after.strip_prefix('{') {
            lit.push('{');
            rest = r;
            continue;
        }
        let offset = src.len() - rest.len() + at;
        let (line, col) = line_col(src, offset);
        let Some(close) = after.find('}') else {
            return Err(TemplateError {
                part,
                message: format!(
                    "line {line}, column {col}: a {{ without a closing }}; write {{{{ for a literal {{"
                ),
            });
        };
        let name = &after[..close];
        if !valid_name(name) {
            return Err(TemplateError {
                part,
                message: format!(
                    "line {line}, column {col}: {{{name}}} is not a placeholder (they look like {{dossier.salutation}}); write {{{{ for a literal {{"
                ),
            });
        }
        if !lit.is_empty() {
            out.push(Segment::Literal(std::mem::take(&mut lit)));
        }
        out.push(Segment::Placeholder(name.to_string()));
        rest = &after[close + 1..];
    }
    lit.push_str(rest);
    if !lit.is_empty() {
        out.push(Segment::Literal(lit));
    }
    Ok(out)
}

/// Parses and checks every placeholder against the mail's declaration.
///
/// # Errors
/// Broken syntax, or an unknown placeholder (the message lists the valid ones).
pub fn check(
    kind: &MailKind,
    part: &'static str,
    src: &str,
) -> Result<Vec<Segment>, TemplateError> {
    let segments = parse(part, src)?;
    for s in &segments {
        if let Segment::Placeholder(name) = s
            && kind.placeholder(name).is_none()
        {
            let valid: Vec<String> = kind
                .all_placeholders()
                .map(|p| format!("{{{}}}", p.name))
                .collect();
            return Err(TemplateError {
                part,
                message: format!(
                    "{{{name}}} is not a placeholder of this mail; you can use: {}",
                    valid.join(", ")
                ),
            });
        }
    }
    Ok(segments)
}

/// A value the sender gives for a placeholder.
#[derive(Debug, Clone)]
pub enum MailValue {
    Text(String),
    Formatted { html: String, text: String },
    Count(i64),
}

/// The values of one mail, by placeholder (or count) name.
#[derive(Debug, Clone, Default)]
pub struct MailValues(pub HashMap<String, MailValue>);

impl MailValues {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn text(mut self, name: &str, value: impl Into<String>) -> Self {
        self.0
            .insert(name.to_string(), MailValue::Text(value.into()));
        self
    }

    pub fn formatted(
        mut self,
        name: &str,
        html: impl Into<String>,
        text: impl Into<String>,
    ) -> Self {
        self.0.insert(
            name.to_string(),
            MailValue::Formatted {
                html: html.into(),
                text: text.into(),
            },
        );
        self
    }

    pub fn count(mut self, name: &str, n: i64) -> Self {
        self.0.insert(name.to_string(), MailValue::Count(n));
        self
    }

    /// The examples the mail declares, for previews and test mails; plural
    /// placeholders take `count`.
    pub fn examples(kind: &MailKind, count: i64) -> Self {
        let mut v = Self::new();
        for p in kind.all_placeholders() {
            match p.kind {
                PlaceholderKind::Text { example } => v = v.text(p.name, example),
                PlaceholderKind::Formatted {
                    example_html,
                    example_text,
                } => v = v.formatted(p.name, example_html, example_text),
                PlaceholderKind::Plural { count: c, .. } => v = v.count(c, count),
            }
        }
        v
    }
}

/// A mail ready to send.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rendered {
    pub subject: String,
    pub html: String,
    pub text: String,
}

/// The three parts of a template, as stored.
#[derive(Debug, Clone)]
pub struct TemplateText {
    pub subject: String,
    pub html: String,
    pub text: String,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Mode {
    Html,
    Plain,
}

/// The work one part's render may do, in minijinja's fuel (about one unit
/// per instruction). A part of [`store::MAX_PLACEHOLDERS`](super::store)
/// placeholders needs about 4,000; the budget is a bound on top of the size
/// limits, so that no template, saved or previewed, can keep a worker busy.
pub const RENDER_FUEL: u64 = 20_000;

fn env_with(escape: minijinja::AutoEscape, fuel: u64) -> Environment<'static> {
    let mut env = Environment::new();
    env.set_auto_escape_callback(move |_| escape.clone());
    env.set_fuel(Some(fuel));
    env
}

static HTML_ENV: LazyLock<Environment<'static>> =
    LazyLock::new(|| env_with(minijinja::AutoEscape::Html, RENDER_FUEL));
static PLAIN_ENV: LazyLock<Environment<'static>> =
    LazyLock::new(|| env_with(minijinja::AutoEscape::None, RENDER_FUEL));

fn value_of(kind: &MailKind, values: &MailValues, name: &str, mode: Mode) -> Value {
    let Some(p) = kind.placeholder(name) else {
        return Value::from("");
    };
    match p.kind {
        PlaceholderKind::Plural {
            singular,
            plural,
            count,
        } => {
            let n = match values.0.get(count) {
                Some(MailValue::Count(n)) => *n,
                _ => 1,
            };
            Value::from(if n == 1 { singular } else { plural })
        }
        _ => match values.0.get(name) {
            Some(MailValue::Text(t)) => Value::from(t.as_str()),
            Some(MailValue::Formatted { html, .. }) if mode == Mode::Html => {
                Value::from_safe_string(html.clone())
            }
            Some(MailValue::Formatted { text, .. }) => Value::from(text.as_str()),
            Some(MailValue::Count(n)) => Value::from(*n),
            None => Value::from(""),
        },
    }
}

fn render_part(
    kind: &MailKind,
    segments: &[Segment],
    values: &MailValues,
    mode: Mode,
) -> Result<String, minijinja::Error> {
    let env: &Environment<'static> = if mode == Mode::Html {
        &HTML_ENV
    } else {
        &PLAIN_ENV
    };
    render_part_in(env, kind, segments, values, mode)
}

fn render_part_in(
    env: &Environment<'static>,
    kind: &MailKind,
    segments: &[Segment],
    values: &MailValues,
    mode: Mode,
) -> Result<String, minijinja::Error> {
    let mut source = String::new();
    let mut slots = Vec::with_capacity(segments.len());
    for (i, s) in segments.iter().enumerate() {
        source.push_str(&format!("{{{{ s[{i}] }}}}"));
        slots.push(match s {
            Segment::Literal(l) if mode == Mode::Html => Value::from_safe_string(l.clone()),
            Segment::Literal(l) => Value::from(l.as_str()),
            Segment::Placeholder(name) => value_of(kind, values, name, mode),
        });
    }
    env.render_str(&source, context! { s => slots })
        .map_err(|e| {
            if e.kind() == minijinja::ErrorKind::OutOfFuel {
                minijinja::Error::new(
                    minijinja::ErrorKind::OutOfFuel,
                    "the template needs too much work to render; make it shorter or use fewer placeholders",
                )
            } else {
                e
            }
        })
}

/// [`render`] on tokio's blocking pool: a render (sanitising up to the size
/// limits included) never holds up the async workers that answer pages.
///
/// # Errors
/// As [`render`]; a render that panicked is an error of the HTML part.
pub async fn render_blocking(
    kind: &'static MailKind,
    t: TemplateText,
    values: MailValues,
) -> Result<Rendered, TemplateError> {
    tokio::task::spawn_blocking(move || render(kind, &t, &values))
        .await
        .unwrap_or_else(|e| {
            Err(TemplateError {
                part: "html",
                message: format!("the render failed: {e}"),
            })
        })
}

/// Renders a checked template with the sender's values.
///
/// # Errors
/// The template does not parse or names an unknown placeholder (templates
/// are checked on save, so only a default shipped broken gets here).
pub fn render(
    kind: &MailKind,
    t: &TemplateText,
    values: &MailValues,
) -> Result<Rendered, TemplateError> {
    let fail = |part: &'static str| {
        move |e: minijinja::Error| TemplateError {
            part,
            message: e.to_string(),
        }
    };
    if let Some(e) = super::store::too_large(t).into_iter().next() {
        return Err(e);
    }
    let html_src = if t.html.trim().is_empty() {
        text_to_html(&t.text)
    } else {
        t.html.clone()
    };
    let text_src = if t.text.trim().is_empty() {
        html_to_text(&t.html)
    } else {
        t.text.clone()
    };
    let subject = render_part(
        kind,
        &check(kind, "subject", &t.subject)?,
        values,
        Mode::Plain,
    )
    .map_err(fail("subject"))?;
    Ok(Rendered {
        // A subject is one line: a line break in a value never starts a header.
        subject: subject
            .split(['\r', '\n'])
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .collect::<Vec<_>>()
            .join(" "),
        html: super::sanitise::rendered_html(
            &render_part(kind, &check(kind, "html", &html_src)?, values, Mode::Html)
                .map_err(fail("html"))?,
        ),
        text: render_part(kind, &check(kind, "text", &text_src)?, values, Mode::Plain)
            .map_err(fail("text"))?,
    })
    .and_then(|r: Rendered| {
        // Values are bounded by their senders; this bounds what one mail
        // can become anyway.
        if r.html.len() + r.text.len() > MAX_RENDERED_BYTES {
            Err(TemplateError {
                part: "html",
                message: format!(
                    "the mail would be larger than {} KB",
                    MAX_RENDERED_BYTES / 1024
                ),
            })
        } else {
            Ok(r)
        }
    })
}

/// The largest rendered mail (HTML and text together).
pub const MAX_RENDERED_BYTES: usize = 1024 * 1024;

/// A text template as HTML: escaped, blank lines make paragraphs, single
/// line breaks make `<br>`; placeholders stay placeholders.
pub fn text_to_html(text: &str) -> String {
    let escaped = text
        .replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace("\r\n", "\n");
    escaped
        .split("\n\n")
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .map(|p| format!("<p>{}</p>", p.replace('\n', "<br>\n")))
        .collect::<Vec<_>>()
        .join("\n")
}

/// An HTML template as plain text: block ends become line breaks, links
/// show their address, other tags go; placeholders stay placeholders.
pub fn html_to_text(html: &str) -> String {
    let mut out = String::new();
    let mut rest = html;
    let mut pending_href: Vec<Option<String>> = Vec::new();
    while let Some(start) = rest.find('<') {
        out.push_str(&rest[..start]);
        let Some(end) = rest[start..].find('>') else {
            break;
        };
        let tag = &rest[start + 1..start + end];
        let name: String = tag
            .trim_start_matches('/')
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric())
            .collect::<String>()
            .to_ascii_lowercase();
        let closing = tag.starts_with('/');
        match (name.as_str(), closing) {
            ("br", _) => out.push('\n'),
            (
                "p" | "div" | "h1" | "h2" | "h3" | "h4" | "table" | "ul" | "ol" | "blockquote",
                true,
            ) => out.push_str("\n\n"),
            ("tr" | "li", true) => out.push('\n'),
            ("li", false) => out.push_str("- "),
            ("a", false) => {
                let href = tag
                    .split("href=\"")
                    .nth(1)
                    .and_then(|h| h.split('"').next())
                    .map(str::to_string);
                pending_href.push(href);
            }
            ("a", true) => {
                if let Some(Some(href)) = pending_href.pop() {
                    out.push_str(&format!(" ({href})"));
                }
            }
            _ => {}
        }
        rest = &rest[start + end + 1..];
    }
    out.push_str(rest);
    let decoded = out
        .replace("&nbsp;", " ")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&amp;", "&");
    let mut lines: Vec<&str> = decoded.lines().map(str::trim_end).collect();
    lines.dedup_by(|a, b| a.is_empty() && b.is_empty());
    lines.join("\n").trim().to_string()
}

/// Values for previews, by placeholder name (for the editor's list).
pub fn describe(
    kind: &MailKind,
    lang: crate::tenant::Lang,
) -> BTreeMap<&'static str, &'static str> {
    kind.all_placeholders()
        .map(|p| (p.name, p.description(lang)))
        .collect()
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use crate::auth::mails::RESET;

    /// A part at the placeholder limit, alternating text and placeholders.
    fn largest_part() -> Vec<Segment> {
        (0..super::super::store::MAX_PLACEHOLDERS)
            .flat_map(|_| {
                [
                    Segment::Literal("Beste klant, ".into()),
                    Segment::Placeholder("link.url".into()),
                ]
            })
            .collect()
    }

    #[test]
    fn the_largest_allowed_part_renders_within_the_fuel_budget() {
        let values = MailValues::examples(&RESET, 1);
        let out = render_part(&RESET, &largest_part(), &values, Mode::Html).unwrap();
        assert_eq!(out.matches("Beste klant").count(), 400);
    }

    #[test]
    fn a_render_over_its_fuel_budget_stops_with_a_clear_message() {
        let env = env_with(minijinja::AutoEscape::Html, 200);
        let values = MailValues::examples(&RESET, 1);
        let e = render_part_in(&env, &RESET, &largest_part(), &values, Mode::Html).unwrap_err();
        assert_eq!(e.kind(), minijinja::ErrorKind::OutOfFuel);
        assert!(e.to_string().contains("too much work"), "{e}");
    }
}
