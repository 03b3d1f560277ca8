//! Reading a `multipart/form-data` upload within limits while it streams
//! (SECURITY.md F 30): a file is refused the moment it passes its limit,
//! whether or not the request announced a Content-Length (poem's
//! `Multipart` has no limit of its own). Each file's type is decided by its
//! bytes ([`super::sniff`]) and its name cleaned ([`super::names`]).
//!
//! A refused upload still returns the text fields read before it, so the
//! form can be shown again with what the person typed (put text fields
//! before the file input in the form).

use std::collections::BTreeMap;

use poem::web::Multipart;
use tokio::io::AsyncReadExt;

use super::names::{self, NameError};
use super::sniff::{self, FileType, Refused};

/// Limits of one upload.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// Bytes per file.
    pub per_file: usize,
    /// Bytes of all files together.
    pub total: usize,
    /// Number of files.
    pub max_files: usize,
    /// Bytes per text field.
    pub per_field: usize,
    /// Number of text fields: a form has a handful; thousands of small
    /// parts would only cost the server work.
    pub max_fields: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Self {
            per_file: 10 * 1024 * 1024,
            total: 25 * 1024 * 1024,
            max_files: 10,
            per_field: 64 * 1024,
            max_fields: 32,
        }
    }
}

/// A file that passed every check.
#[derive(Debug, Clone)]
pub struct UploadedFile {
    /// The form field it came in.
    pub field: String,
    /// The cleaned original name (metadata only).
    pub name: String,
    pub ty: FileType,
    pub bytes: Vec<u8>,
}

/// Why an upload stopped.
#[derive(Debug, thiserror::Error)]
pub enum UploadError {
    #[error("{name}: larger than {limit} bytes")]
    FileTooLarge { name: String, limit: usize },
    #[error("the files together are larger than {limit} bytes")]
    TotalTooLarge { limit: usize },
    #[error("more than {max} files")]
    TooManyFiles { max: usize },
    #[error("a form field is longer than {limit} bytes")]
    FieldTooLarge { limit: usize },
    #[error("more than {max} form fields")]
    TooManyFields { max: usize },
    #[error("{name}: {reason}")]
    Refused { name: String, reason: Refused },
    #[error(transparent)]
    BadName(#[from] NameError),
    #[error("the upload could not be read: {0}")]
    Malformed(String),
}

impl UploadError {
    /// The text key of the message for the person who uploaded (with `name`
    /// and `limit` as arguments where they apply).
    pub fn text_key(&self) -> &'static str {
        match self {
            Self::FileTooLarge { .. } => "files-refused-too-large",
            Self::TotalTooLarge { .. } => "files-refused-total",
            Self::TooManyFiles { .. } => "files-refused-count",
            Self::FieldTooLarge { .. } => "files-refused-field",
            Self::TooManyFields { .. } => "files-refused-fields",
            Self::Refused { reason, .. } => reason.text_key(),
            Self::BadName(_) => "files-refused-nul",
            Self::Malformed(_) => "files-refused-malformed",
        }
    }

    /// The file's name, where the error is about one file.
    pub fn file_name(&self) -> Option<&str> {
        match self {
            Self::FileTooLarge { name, .. } | Self::Refused { name, .. } => Some(name),
            _ => None,
        }
    }

    /// The `limit` argument of the message: MB for a size, a count for files.
    pub fn limit_arg(&self) -> Option<usize> {
        match self {
            Self::FileTooLarge { limit, .. }
            | Self::TotalTooLarge { limit }
            | Self::FieldTooLarge { limit } => Some(limit.div_ceil(1024 * 1024)),
            Self::TooManyFiles { max } | Self::TooManyFields { max } => Some(*max),
            _ => None,
        }
    }
}

/// What an upload brought: its text fields, its files, and, when it was
/// refused, why (with the fields read up to there).
#[derive(Debug, Default)]
pub struct Upload {
    pub fields: BTreeMap<String, String>,
    pub files: Vec<UploadedFile>,
    pub error: Option<UploadError>,
}

impl Upload {
    /// A text field, empty when absent.
    pub fn field(&self, name: &str) -> &str {
        self.fields.get(name).map_or("", String::as_str)
    }
}

/// Reads at most `limit` bytes of a part; `None` when it is longer.
async fn read_part(
    field: poem::web::Field,
    limit: usize,
) -> Result<Option<Vec<u8>>, std::io::Error> {
    let mut reader = std::pin::pin!(field.into_async_read());
    let mut out = Vec::new();
    let mut buf = vec![0_u8; 16 * 1024];
    loop {
        let n = reader.read(&mut buf).await?;
        if n == 0 {
            return Ok(Some(out));
        }
        if out.len() + n > limit {
            return Ok(None);
        }
        out.extend_from_slice(&buf[..n]);
    }
}

/// Reads `multipart` within `limits`; never fails, see [`Upload::error`].
pub async fn read(mut multipart: Multipart, limits: &Limits) -> Upload {
    let mut up = Upload::default();
    let mut total = 0_usize;
    let mut text_fields = 0_usize;
    up.error = loop {
        let field = match multipart.next_field().await {
            Ok(Some(f)) => f,
            Ok(None) => break None,
            Err(e) => break Some(UploadError::Malformed(e.to_string())),
        };
        let key = field.name().unwrap_or("").to_string();
        let Some(raw_name) = field.file_name().map(str::to_string) else {
            text_fields += 1;
            if text_fields > limits.max_fields {
                break Some(UploadError::TooManyFields {
                    max: limits.max_fields,
                });
            }
            match read_part(field, limits.per_field).await {
                Ok(Some(bytes)) => {
                    up.fields
                        .insert(key, String::from_utf8_lossy(&bytes).into_owned());
                    continue;
                }
                Ok(None) => {
                    break Some(UploadError::FieldTooLarge {
                        limit: limits.per_field,
                    });
                }
                Err(e) => break Some(UploadError::Malformed(e.to_string())),
            }
        };
        let name = match names::sanitise(&raw_name) {
            Ok(n) => n,
            Err(e) => break Some(e.into()),
        };
        let room = limits.per_file.min(limits.total.saturating_sub(total));
        let bytes = match read_part(field, room).await {
            Ok(Some(b)) => b,
            Ok(None) if room < limits.per_file => {
                break Some(UploadError::TotalTooLarge {
                    limit: limits.total,
                });
            }
            Ok(None) => {
                break Some(UploadError::FileTooLarge {
                    name,
                    limit: limits.per_file,
                });
            }
            Err(e) => break Some(UploadError::Malformed(e.to_string())),
        };
        // A file input left empty still sends a part with no name and no bytes.
        if raw_name.is_empty() && bytes.is_empty() {
            continue;
        }
        if up.files.len() == limits.max_files {
            break Some(UploadError::TooManyFiles {
                max: limits.max_files,
            });
        }
        let ty = match sniff::decide(&name, &bytes) {
            Ok(t) => t,
            Err(reason) => break Some(UploadError::Refused { name, reason }),
        };
        total += bytes.len();
        up.files.push(UploadedFile {
            field: key,
            name,
            ty,
            bytes,
        });
    };
    up
}

/// The message for the person who uploaded, in `voice`.
pub fn message(
    texts: &crate::web::i18n::Texts,
    voice: impl Into<crate::web::i18n::Voice>,
    e: &UploadError,
) -> String {
    let args = poem::i18n::I18NArgs::default()
        .set("name", e.file_name().unwrap_or("").to_string())
        .set("limit", e.limit_arg().unwrap_or(0).to_string());
    texts.get_with(voice, e.text_key(), args)
}
