//! Checks logo and favicon uploads by their content, never by their name.

use quick_xml::events::Event;

/// An image type the portal accepts for logos and favicons.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ImageKind {
    Png,
    Jpeg,
    Ico,
    Svg,
}

impl ImageKind {
    pub fn mime(self) -> &'static str {
        match self {
            ImageKind::Png => "image/png",
            ImageKind::Jpeg => "image/jpeg",
            ImageKind::Ico => "image/x-icon",
            ImageKind::Svg => "image/svg+xml",
        }
    }

    pub fn from_mime(mime: &str) -> Option<Self> {
        [
            ImageKind::Png,
            ImageKind::Jpeg,
            ImageKind::Ico,
            ImageKind::Svg,
        ]
        .into_iter()
        .find(|k| k.mime() == mime)
    }
}

/// Says what an uploaded file is, and refuses anything but PNG, JPEG, ICO
/// and SVG without scripts or external references.
///
/// # Errors
/// A message for the uploader.
pub fn check_image(bytes: &[u8]) -> Result<ImageKind, String> {
    if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
        return Ok(ImageKind::Png);
    }
    if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
        return Ok(ImageKind::Jpeg);
    }
    if bytes.len() >= 6 && bytes.starts_with(&[0, 0, 1, 0]) && bytes[4..6] != [0, 0] {
        return Ok(ImageKind::Ico);
    }
    let text = std::str::from_utf8(bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes))
        .map_err(|_| "the file is not a PNG, JPEG, ICO or SVG image".to_string())?;
    let head = text.trim_start();
    if head.starts_with("<?xml") || head.starts_with("<svg") || head.starts_with("<!--") {
        check_svg(text)?;
        return Ok(ImageKind::Svg);
    }
    Err("the file is not a PNG, JPEG, ICO or SVG image".into())
}

/// Elements a logo never needs and that can run or load something.
const FORBIDDEN_ELEMENTS: &[&str] = &[
    "script",
    "foreignobject",
    "iframe",
    "embed",
    "object",
    "handler",
    "listener",
    "set",
    "animate",
    "animatemotion",
    "animatetransform",
    "animatecolor",
    "discard",
];

/// True when every `url(...)` in `value` points inside the file (`url(#id)`).
fn only_local_urls(value: &str) -> bool {
    let compact: String = value
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect::<String>()
        .to_ascii_lowercase();
    compact.match_indices("url(").all(|(i, _)| {
        compact[i + 4..]
            .trim_start_matches(['\'', '"'])
            .starts_with('#')
    })
}

/// Checks text as the SVG renderer will see it (entities already decoded).
fn check_text(text: &str) -> Result<(), String> {
    let compact: String = text
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect::<String>()
        .to_ascii_lowercase();
    if compact.contains("@import") || !only_local_urls(&compact) {
        return Err(
            "the SVG's style refers to something outside the file, which is not allowed".into(),
        );
    }
    if compact.contains("javascript:")
        || compact.contains("<script")
        || compact.contains("expression(")
    {
        return Err("the SVG contains script in its text, which is not allowed".into());
    }
    Ok(())
}

/// Refuses SVG with scripts, event handlers, embedded HTML, animation
/// (which can rewrite links), entity declarations, or references to
/// anything outside the file. Attribute values and text are checked after
/// decoding character references, as the browser would read them.
fn check_svg(text: &str) -> Result<(), String> {
    let mut reader = quick_xml::Reader::from_str(text);
    let mut saw_svg = false;
    let mut pending = String::new();
    loop {
        let event = reader
            .read_event()
            .map_err(|e| format!("the SVG is not well-formed XML: {e}"))?;
        match event {
            Event::Text(t) => {
                pending.push_str(
                    &t.decode()
                        .map_err(|e| format!("the SVG has bad text: {e}"))?,
                );
                continue;
            }
            Event::CData(t) => {
                pending.push_str(&String::from_utf8_lossy(t.as_ref()));
                continue;
            }
            Event::GeneralRef(r) => {
                let decoded = match r.resolve_char_ref() {
                    Ok(Some(c)) => c.to_string(),
                    _ => match r
                        .decode()
                        .map_err(|e| format!("the SVG has a bad reference: {e}"))?
                        .as_ref()
                    {
                        "amp" => "&".into(),
                        "lt" => "<".into(),
                        "gt" => ">".into(),
                        "quot" => "\"".into(),
                        "apos" => "'".into(),
                        other => {
                            return Err(format!(
                                "the SVG uses the entity &{other};, which is not allowed"
                            ));
                        }
                    },
                };
                pending.push_str(&decoded);
                continue;
            }
            _ => {}
        }
        check_text(&pending)?;
        pending.clear();
        match event {
            Event::Eof => break,
            Event::DocType(_) => {
                return Err("the SVG contains a DOCTYPE, which is not allowed".into());
            }
            Event::PI(_) => {
                return Err(
                    "the SVG contains a processing instruction, which is not allowed".into(),
                );
            }
            Event::Start(e) | Event::Empty(e) => {
                let name = String::from_utf8_lossy(e.local_name().as_ref()).to_ascii_lowercase();
                if !saw_svg {
                    if name != "svg" {
                        return Err("the file is not an SVG image".into());
                    }
                    saw_svg = true;
                }
                if FORBIDDEN_ELEMENTS.contains(&name.as_str()) {
                    return Err(format!(
                        "the SVG contains a <{name}> element, which is not allowed"
                    ));
                }
                for attr in e.attributes() {
                    let attr =
                        attr.map_err(|e| format!("the SVG has a malformed attribute: {e}"))?;
                    let key = String::from_utf8_lossy(attr.key.local_name().as_ref())
                        .to_ascii_lowercase();
                    let value = attr
                        .unescape_value()
                        .map_err(|e| format!("the SVG has a malformed attribute: {e}"))?;
                    let value: String = value
                        .chars()
                        .filter(|c| !c.is_whitespace() && !c.is_control())
                        .collect::<String>()
                        .to_ascii_lowercase();
                    if key.starts_with("on") {
                        return Err(format!(
                            "the SVG contains an event handler ({key}), which is not allowed"
                        ));
                    }
                    if (key == "href" || key == "src" || key == "action" || key == "formaction")
                        && !value.starts_with('#')
                    {
                        return Err(format!(
                            "the SVG refers to something outside the file ({key}), which is not allowed"
                        ));
                    }
                    if !only_local_urls(&value) {
                        return Err("the SVG refers to something outside the file (url(...)), which is not allowed".into());
                    }
                    if value.contains("javascript:") || value.contains("data:") {
                        return Err(format!(
                            "the SVG contains a {key} with a script or data link, which is not allowed"
                        ));
                    }
                }
            }
            _ => {}
        }
    }
    if saw_svg {
        Ok(())
    } else {
        Err("the file is not an SVG image".into())
    }
}
