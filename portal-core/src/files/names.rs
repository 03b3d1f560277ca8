//! The name a user gave a file: kept only as metadata (blobs live under
//! generated keys), cleaned so it can be shown and sent back in a header,
//! and sent back per RFC 6266 (`filename*` in UTF-8, an ASCII fallback).

/// Longest kept name, in characters.
const MAX_CHARS: usize = 120;

/// Why a name is refused outright.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum NameError {
    /// A NUL byte: no real file name has one; it truncates names in C code.
    #[error("the file name contains a NUL character")]
    Nul,
}

/// The last path segment of `raw` (either slash), without control
/// characters (CR, LF, ...), quotes, or leading and trailing dots and
/// spaces, at most 120 characters with its extension kept; `file` when
/// nothing is left.
///
/// # Errors
/// [`NameError::Nul`] for a name with a NUL in it.
pub fn sanitise(raw: &str) -> Result<String, NameError> {
    if raw.contains('\0') {
        return Err(NameError::Nul);
    }
    let base = raw.rsplit(['/', '\\']).next().unwrap_or("");
    let cleaned: String = base
        .chars()
        .filter(|c| !c.is_control() && !is_format(*c))
        .map(|c| match c {
            '"' | '\'' | '`' | '<' | '>' | ':' | '*' | '?' | '|' => '_',
            c => c,
        })
        .collect();
    let cleaned = cleaned.trim_matches(|c: char| c == '.' || c.is_whitespace());
    if cleaned.is_empty() {
        return Ok("file".to_string());
    }
    if cleaned.chars().count() <= MAX_CHARS {
        return Ok(cleaned.to_string());
    }
    let ext = cleaned
        .rsplit_once('.')
        .map(|(_, e)| e)
        .filter(|e| e.chars().count() <= 10)
        .unwrap_or("");
    let keep = MAX_CHARS - ext.chars().count() - usize::from(!ext.is_empty());
    let stem: String = cleaned.chars().take(keep).collect();
    Ok(if ext.is_empty() {
        stem
    } else {
        format!("{}.{ext}", stem.trim_end_matches('.'))
    })
}

/// Unicode's invisible format characters (general category Cf): bidi
/// controls that make `exe.pdf` read as `fdp.exe` (U+202E), isolates,
/// zero-width characters, the soft hyphen, the byte order mark, tags.
fn is_format(c: char) -> bool {
    matches!(
        u32::from(c),
        0x00AD
            | 0x0600..=0x0605
            | 0x061C
            | 0x06DD
            | 0x070F
            | 0x0890..=0x0891
            | 0x08E2
            | 0x180E
            | 0x200B..=0x200F
            | 0x202A..=0x202E
            | 0x2060..=0x2064
            | 0x2066..=0x206F
            | 0xFEFF
            | 0xFFF9..=0xFFFB
            | 0x110BD
            | 0x110CD
            | 0x13430..=0x1343F
            | 0x1BCA0..=0x1BCA3
            | 0x1D173..=0x1D17A
            | 0xE0001
            | 0xE0020..=0xE007F
    )
}

/// `attachment; filename="<ASCII>"; filename*=UTF-8''<percent-encoded>`:
/// the browser saves the file under its name and never shows it in place.
pub fn attachment(name: &str) -> String {
    let ascii: String = name
        .chars()
        .map(|c| {
            if c.is_ascii_graphic() && c != '"' && c != '\\' || c == ' ' {
                c
            } else {
                '_'
            }
        })
        .collect();
    let mut encoded = String::new();
    for b in name.bytes() {
        if b.is_ascii_alphanumeric() || b"!#$&+-.^_`|~".contains(&b) {
            encoded.push(char::from(b));
        } else {
            encoded.push_str(&format!("%{b:02X}"));
        }
    }
    format!("attachment; filename=\"{ascii}\"; filename*=UTF-8''{encoded}")
}

/// Stored bytes as a download that is never shown inline: `attachment`
/// with the cleaned name, `nosniff`, `no-store`, and a sandbox should a
/// browser render it anyway.
pub fn private_download(bytes: Vec<u8>, mime: &str, name: &str) -> poem::Response {
    use poem::IntoResponse;
    bytes
        .with_content_type(mime.to_string())
        .with_header("content-disposition", attachment(name))
        .with_header("cache-control", "no-store")
        .with_header("x-content-type-options", "nosniff")
        .with_header("content-security-policy", "sandbox; default-src 'none'")
        .into_response()
}
