//! What an uploaded file is, decided by its bytes (magic numbers), never by
//! the name or the browser's `Content-Type`, against an allow-list: images,
//! PDF, office documents, plain text. Markup (HTML, SVG, XML) is refused in
//! every form: a browser would run its scripts if it were ever shown.
//!
//! The name's extension must be one the content allows, so `factuur.pdf`
//! that is really HTML, or `foto.png.exe`, is refused with a message that
//! says why.

/// An allowed file type.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FileType {
    /// The media type downloads are served with.
    pub mime: &'static str,
    /// The extension stored names end in.
    pub ext: &'static str,
    /// Safe to show inline (`<img>`): raster images a browser cannot run.
    pub inline_image: bool,
}

const fn t(mime: &'static str, ext: &'static str, inline_image: bool) -> FileType {
    FileType {
        mime,
        ext,
        inline_image,
    }
}

const PNG: FileType = t("image/png", "png", true);
const JPEG: FileType = t("image/jpeg", "jpg", true);
const GIF: FileType = t("image/gif", "gif", true);
const WEBP: FileType = t("image/webp", "webp", true);
const PDF: FileType = t("application/pdf", "pdf", false);
const TEXT: FileType = t("text/plain; charset=utf-8", "txt", false);
const CSV: FileType = t("text/csv; charset=utf-8", "csv", false);

/// Office documents in a ZIP container (Office Open XML), by extension.
const OOXML: &[FileType] = &[
    t(
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "docx",
        false,
    ),
    t(
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "xlsx",
        false,
    ),
    t(
        "application/vnd.openxmlformats-officedocument.presentationml.presentation",
        "pptx",
        false,
    ),
];
/// OpenDocument files, by the `mimetype` entry they begin with.
const ODF: &[FileType] = &[
    t("application/vnd.oasis.opendocument.text", "odt", false),
    t(
        "application/vnd.oasis.opendocument.spreadsheet",
        "ods",
        false,
    ),
    t(
        "application/vnd.oasis.opendocument.presentation",
        "odp",
        false,
    ),
];
/// Older Office files (OLE compound documents), by extension.
const OLE: &[FileType] = &[
    t("application/msword", "doc", false),
    t("application/vnd.ms-excel", "xls", false),
    t("application/vnd.ms-powerpoint", "ppt", false),
];

/// Why a file is refused; each has a text key `files-refused-<code>`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum Refused {
    #[error("this kind of file is not allowed")]
    NotAllowed,
    #[error("web pages, SVG and other markup are not allowed")]
    Markup,
    #[error("the file's name does not match its content")]
    NameMismatch,
    #[error("the file is empty")]
    Empty,
}

impl Refused {
    /// The text key of the message for the person who uploaded.
    pub fn text_key(self) -> &'static str {
        match self {
            Self::NotAllowed => "files-refused-type",
            Self::Markup => "files-refused-markup",
            Self::NameMismatch => "files-refused-name",
            Self::Empty => "files-refused-empty",
        }
    }
}

/// The extensions a name may end in for a type (`.jpeg` for a JPEG too).
fn extensions(ty: &FileType) -> &'static [&'static str] {
    match ty.ext {
        "jpg" => &["jpg", "jpeg"],
        "txt" => &["txt", "text", "log", "md"],
        "png" => &["png"],
        "gif" => &["gif"],
        "webp" => &["webp"],
        "pdf" => &["pdf"],
        "csv" => &["csv"],
        "docx" => &["docx"],
        "xlsx" => &["xlsx"],
        "pptx" => &["pptx"],
        "odt" => &["odt"],
        "ods" => &["ods"],
        "odp" => &["odp"],
        "doc" => &["doc"],
        "xls" => &["xls"],
        "ppt" => &["ppt"],
        _ => &[],
    }
}

/// The lower-cased extension of a (sanitised) name, if any.
pub fn extension(name: &str) -> Option<String> {
    let (stem, ext) = name.rsplit_once('.')?;
    (!stem.is_empty() && !ext.is_empty()).then(|| ext.to_ascii_lowercase())
}

/// Decides the type of a whole file named `name`.
///
/// # Errors
/// [`Refused`] for a file outside the allow-list, markup, an empty file,
/// or a name whose extension the content does not allow.
pub fn decide(name: &str, bytes: &[u8]) -> Result<FileType, Refused> {
    if bytes.is_empty() {
        return Err(Refused::Empty);
    }
    let ext = extension(name).unwrap_or_default();
    let by_ext = |list: &[FileType]| list.iter().copied().find(|t| t.ext == ext);
    let ty = if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
        PNG
    } else if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
        JPEG
    } else if bytes.starts_with(b"GIF87a") || bytes.starts_with(b"GIF89a") {
        GIF
    } else if bytes.len() >= 12 && &bytes[..4] == b"RIFF" && &bytes[8..12] == b"WEBP" {
        WEBP
    } else if bytes.starts_with(b"%PDF-") {
        PDF
    } else if bytes.starts_with(b"PK\x03\x04") {
        zip_document(bytes, &ext).ok_or(Refused::NotAllowed)?
    } else if bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]) {
        by_ext(OLE).ok_or(Refused::NameMismatch)?
    } else {
        text(bytes, &ext)?
    };
    if extensions(&ty).contains(&ext.as_str()) {
        Ok(ty)
    } else {
        Err(Refused::NameMismatch)
    }
}

/// A ZIP that is an office document: OpenDocument names its type in a
/// first, stored `mimetype` entry; Office Open XML starts with its
/// `[Content_Types].xml` (or `_rels/`, `docProps/`) and is told apart by
/// the extension. Any other ZIP (an archive that may hold anything) is not
/// allowed.
fn zip_document(bytes: &[u8], ext: &str) -> Option<FileType> {
    let name_len = usize::from(u16::from_le_bytes([*bytes.get(26)?, *bytes.get(27)?]));
    let extra_len = usize::from(u16::from_le_bytes([*bytes.get(28)?, *bytes.get(29)?]));
    let name = bytes.get(30..30 + name_len)?;
    if name == b"mimetype" {
        // Stored (method 0) with its size in the local header, and exactly
        // one of the allowed types: `...opendocument.text-web` or a type
        // followed by other bytes is not an `odt`.
        let method = u16::from_le_bytes([*bytes.get(8)?, *bytes.get(9)?]);
        let size = u32::from_le_bytes([
            *bytes.get(18)?,
            *bytes.get(19)?,
            *bytes.get(20)?,
            *bytes.get(21)?,
        ]);
        let start = 30 + name_len + extra_len;
        let data = bytes.get(start..start + usize::try_from(size).ok()?)?;
        return (method == 0)
            .then(|| ODF.iter().copied().find(|t| data == t.mime.as_bytes()))
            .flatten();
    }
    let ooxml = name == b"[Content_Types].xml"
        || name.starts_with(b"_rels/")
        || name.starts_with(b"docProps/");
    ooxml
        .then(|| OOXML.iter().copied().find(|t| t.ext == ext))
        .flatten()
}

/// Plain text: UTF-8 without NUL or other control characters (tabs, line
/// ends and form feeds aside), and no markup anywhere a browser would find
/// it.
fn text(bytes: &[u8], ext: &str) -> Result<FileType, Refused> {
    let body = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let Ok(s) = std::str::from_utf8(body) else {
        return Err(Refused::NotAllowed);
    };
    if s.chars()
        .any(|c| c.is_control() && !matches!(c, '\t' | '\n' | '\r' | '\x0c'))
    {
        return Err(Refused::NotAllowed);
    }
    let lower = s.to_ascii_lowercase();
    let markup = lower.trim_start().starts_with('<')
        || [
            "<script",
            "<svg",
            "<html",
            "<!doctype",
            "<iframe",
            "<?xml",
            "<body",
        ]
        .iter()
        .any(|m| lower.contains(m));
    if markup {
        return Err(Refused::Markup);
    }
    Ok(if ext == "csv" { CSV } else { TEXT })
}
