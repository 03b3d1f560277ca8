//! Rows that belong to a location (logbook entries, meters, ...) are
//! filtered by the principal's location rights (seed 002): a main account
//! reaches every location of the customers the page is for, an extra
//! account only the locations it was granted, for reading or also for
//! writing (write implies read). The filters themselves are
//! [`super::Reach::select_at_locations`] and [`super::Reach::location`]; a
//! row outside the rights is simply not found (404, never 403 with
//! details), and a write with only a read right is refused (403).

/// What a query needs: to read rows, or to change them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Need {
    Read,
    Write,
}

/// Why a location-bound row cannot be used.
#[derive(Debug, thiserror::Error)]
pub enum Denied {
    /// Not readable (or not there, or of another tenant or customer): 404.
    #[error("not found")]
    NotFound,
    /// Readable with a read-only right, and a write was asked: 403
    /// (SECURITY.md 27).
    #[error("read-only")]
    ReadOnly,
    /// The check itself failed: 500.
    #[error(transparent)]
    Db(crate::db::DbError),
}

impl From<Denied> for poem::Error {
    fn from(d: Denied) -> Self {
        match d {
            Denied::NotFound => poem::error::NotFoundError.into(),
            Denied::ReadOnly => poem::Error::from_status(poem::http::StatusCode::FORBIDDEN),
            Denied::Db(e) => e.into(),
        }
    }
}

impl From<crate::db::DbError> for Denied {
    fn from(e: crate::db::DbError) -> Self {
        Denied::Db(e)
    }
}
