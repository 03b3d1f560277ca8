//! The HTML a mail may contain. Staff HTML is cleaned when a template is
//! saved or previewed (placeholders may still sit in links then), and the
//! rendered mail is cleaned again before it is queued, when every value is
//! in place: a value can never bring a script, an event handler or a
//! `javascript:` link into a mail.

use std::collections::{HashMap, HashSet};
use std::sync::LazyLock;

fn builder(relative: ammonia::UrlRelative<'static>) -> ammonia::Builder<'static> {
    let mut b = ammonia::Builder::empty();
    b.tags(HashSet::from([
        "a",
        "b",
        "strong",
        "i",
        "em",
        "u",
        "s",
        "p",
        "br",
        "h1",
        "h2",
        "h3",
        "h4",
        "ul",
        "ol",
        "li",
        "table",
        "thead",
        "tbody",
        "tr",
        "td",
        "th",
        "img",
        "span",
        "div",
        "hr",
        "blockquote",
    ]))
    .tag_attributes(HashMap::from([
        ("a", HashSet::from(["href"])),
        ("img", HashSet::from(["src", "alt", "width", "height"])),
        ("td", HashSet::from(["colspan", "rowspan", "align"])),
        ("th", HashSet::from(["colspan", "rowspan", "align"])),
    ]))
    .generic_attributes(HashSet::from(["style"]))
    .filter_style_properties(HashSet::from([
        "color",
        "background-color",
        "font-weight",
        "font-style",
        "font-size",
        "text-align",
        "text-decoration",
        "padding",
        "margin",
        "border",
        "width",
    ]))
    .url_schemes(HashSet::from(["http", "https", "mailto", "tel"]))
    .url_relative(relative)
    .link_rel(Some("noopener"))
    .clean_content_tags(HashSet::from(["script", "style"]));
    b
}

/// For templates: `{special.consumerportal_url}` in a link is relative until rendered.
static TEMPLATE: LazyLock<ammonia::Builder<'static>> =
    LazyLock::new(|| builder(ammonia::UrlRelative::PassThrough));
/// For rendered mail: a relative link means nothing in a mail program.
static RENDERED: LazyLock<ammonia::Builder<'static>> =
    LazyLock::new(|| builder(ammonia::UrlRelative::Deny));

pub fn template_html(html: &str) -> String {
    TEMPLATE.clean(html).to_string()
}

pub fn rendered_html(html: &str) -> String {
    RENDERED.clean(html).to_string()
}
