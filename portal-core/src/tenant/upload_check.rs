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

/// Refuses SVG with scripts, event handlers, embedded HTML, entity
/// declarations or references to anything outside the file.
fn check_svg(text: &str) -> Result<(), String> {
    let mut reader = quick_xml::Reader::from_str(text);
    let mut saw_svg = false;
    loop {
        let event = reader
            .read_event()
            .map_err(|e| format!("the SVG is not well-formed XML: {e}"))?;
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
                if matches!(
                    name.as_str(),
                    "script" | "foreignobject" | "iframe" | "embed" | "object" | "handler"
                ) {
                    return Err(format!(
                        "the SVG contains a <{name}> element, which is not allowed"
                    ));
                }
                for attr in e.attributes() {
                    let attr =
                        attr.map_err(|e| format!("the SVG has a malformed attribute: {e}"))?;
                    let key = String::from_utf8_lossy(attr.key.local_name().as_ref())
                        .to_ascii_lowercase();
                    let value = String::from_utf8_lossy(&attr.value).to_ascii_lowercase();
                    if key.starts_with("on") {
                        return Err(format!(
                            "the SVG contains an event handler ({key}), which is not allowed"
                        ));
                    }
                    if (key == "href" || key == "src") && !value.trim_start().starts_with('#') {
                        return Err(format!(
                            "the SVG refers to something outside the file ({key}), which is not allowed"
                        ));
                    }
                    if value.contains("url(") && !value.replace(' ', "").contains("url(#") {
                        return Err("the SVG refers to something outside the file (url(...)), which is not allowed".into());
                    }
                    if value.contains("javascript:") {
                        return Err(
                            "the SVG contains a javascript: link, which is not allowed".into()
                        );
                    }
                }
            }
            Event::Text(t) => {
                let t = String::from_utf8_lossy(t.as_ref()).to_ascii_lowercase();
                if t.contains("@import")
                    || (t.contains("url(") && !t.replace(' ', "").contains("url(#"))
                {
                    return Err("the SVG's style refers to something outside the file, which is not allowed".into());
                }
            }
            Event::CData(t) => {
                let t = String::from_utf8_lossy(t.as_ref()).to_ascii_lowercase();
                if t.contains("@import") || t.contains("url(") || t.contains("<script") {
                    return Err("the SVG contains CDATA with external references or script, which is not allowed".into());
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
