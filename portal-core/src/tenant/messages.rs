//! Page messages (seed 004): staff put a neutral, warning or important
//! message on one page or all pages, with limited rich text and an optional
//! start and end time. The HTML is sanitised on save and again on output.

use std::collections::{HashMap, HashSet};
use std::sync::LazyLock;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// The three kinds the seed names.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, poem_openapi::Enum)]
#[serde(rename_all = "lowercase")]
#[oai(rename_all = "lowercase")]
pub enum MessageKind {
    Neutral,
    Warning,
    Important,
}

impl MessageKind {
    pub fn code(self) -> &'static str {
        match self {
            MessageKind::Neutral => "neutral",
            MessageKind::Warning => "warning",
            MessageKind::Important => "important",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "neutral" => Some(MessageKind::Neutral),
            "warning" => Some(MessageKind::Warning),
            "important" => Some(MessageKind::Important),
            _ => None,
        }
    }
}

/// The page value that shows a message on every page.
pub const ALL_PAGES: &str = "*";

/// A message as kept in the tenant snapshot (HTML already sanitised).
#[derive(Debug, Clone, Serialize)]
pub struct PageMessage {
    pub id: i64,
    /// `*` for all pages, else a portal path such as `/` or `/invoices`.
    pub page: String,
    pub kind: MessageKind,
    /// The Dutch text.
    pub html: String,
    /// The English text (empty: the Dutch one is shown).
    pub html_en: String,
    pub starts_at: Option<DateTime<Utc>>,
    pub ends_at: Option<DateTime<Utc>>,
}

impl PageMessage {
    /// The text for a reader of `lang`, or the other language's when the
    /// tenant wrote only one.
    pub fn html_for(&self, lang: super::Lang) -> &str {
        let (first, other) = match lang {
            super::Lang::En => (&self.html_en, &self.html),
            _ => (&self.html, &self.html_en),
        };
        if first.trim().is_empty() {
            other
        } else {
            first
        }
    }

    /// Shown on `path` (below the tenant's base) at `now`? A page matches
    /// itself and the pages below it; `/` matches only the home page.
    pub fn visible_on(&self, path: &str, now: DateTime<Utc>) -> bool {
        let page_ok = self.page == ALL_PAGES
            || self.page == path
            || (self.page != "/"
                && path
                    .strip_prefix(self.page.as_str())
                    .is_some_and(|r| r.starts_with('/')));
        page_ok && self.starts_at.is_none_or(|s| s <= now) && self.ends_at.is_none_or(|e| now < e)
    }
}

/// Checks the page a message goes on.
///
/// # Errors
/// Not `*` and not a plain absolute path.
pub fn check_page(page: &str) -> Result<String, String> {
    let page = page.trim();
    if page == ALL_PAGES {
        return Ok(page.into());
    }
    let ok = page.starts_with('/')
        && !page.starts_with("//")
        && page.len() <= 200
        && page
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "/-_.".contains(c));
    if !ok {
        return Err(format!(
            "{page:?} is not a page: use * for all pages or a path such as / or /invoices"
        ));
    }
    let trimmed = page.trim_end_matches('/');
    Ok(if trimmed.is_empty() {
        "/".into()
    } else {
        trimmed.into()
    })
}

static SANITISER: LazyLock<ammonia::Builder<'static>> = LazyLock::new(|| {
    let mut b = ammonia::Builder::empty();
    b.tags(HashSet::from([
        "p", "br", "h2", "h3", "h4", "strong", "b", "em", "i", "u", "s", "strike", "del", "ol",
        "ul", "li", "a", "span",
    ]))
    .tag_attributes(HashMap::from([("a", HashSet::from(["href"]))]))
    .generic_attributes(HashSet::from(["style"]))
    .filter_style_properties(HashSet::from(["color", "background-color"]))
    .url_schemes(HashSet::from(["http", "https", "mailto", "tel"]))
    .url_relative(ammonia::UrlRelative::PassThrough)
    .link_rel(Some("noopener noreferrer"))
    .clean_content_tags(HashSet::from(["script", "style"]));
    b
});

/// Keeps only the seed's formatting: headings, bold, italic, underline,
/// strike-through, lists, text and background colour, and links.
pub fn sanitise(html: &str) -> String {
    SANITISER.clean(html).to_string()
}
