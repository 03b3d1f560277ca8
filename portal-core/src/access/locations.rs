//! Rows that belong to a location (logbook entries, meters, ...) are
//! filtered by the principal's location rights (seed 002): a main account
//! reaches every location of the customers it sees, an extra account only
//! the locations it was granted, for reading or also for writing (write
//! implies read). Modules add [`location_filter`] to their queries, so a
//! row outside the rights is simply not found (404, never 403 with details).

use sea_query::{Expr, ExprTrait, SimpleExpr};

use super::Access;
use crate::tenant::TenantScope;

/// What a query needs: to read rows, or to change them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Need {
    Read,
    Write,
}

/// `column IN (<locations this access reaches for need>)`, for a query
/// on a table whose `column` holds a `core_locations` id.
pub fn location_filter(
    scope: TenantScope,
    access: &Access,
    column: &str,
    need: Need,
) -> SimpleExpr {
    if access.all_locations() {
        let reachable = scope
            .select("core_locations")
            .column("id")
            .and_where(Expr::col("customer_id").is_in(access.customers.iter().copied()))
            .to_owned();
        return Expr::col(column.to_string()).in_subquery(reachable);
    }
    let ids: Vec<i64> = access
        .locations
        .iter()
        .filter(|(_, write)| need == Need::Read || **write)
        .map(|(id, _)| *id)
        .collect();
    if ids.is_empty() {
        // Nothing granted: a condition no row meets.
        return Expr::val(1).eq(0);
    }
    Expr::col(column.to_string()).is_in(ids)
}

/// True when `access` may read (or write) location `id` of `customer_id`.
pub fn may(access: &Access, customer_id: i64, id: i64, need: Need) -> bool {
    if !access.sees_customer(customer_id) {
        return false;
    }
    if access.all_locations() {
        return true;
    }
    access
        .locations
        .get(&id)
        .is_some_and(|write| need == Need::Read || *write)
}

/// Why a location-bound row cannot be used.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Denied {
    /// Not readable (or not there, or of another tenant or customer): 404.
    NotFound,
    /// Readable with a read-only right, and a write was asked: 403
    /// (SECURITY.md 27).
    ReadOnly,
}

impl From<Denied> for poem::Error {
    fn from(d: Denied) -> Self {
        match d {
            Denied::NotFound => poem::error::NotFoundError.into(),
            Denied::ReadOnly => poem::Error::from_status(poem::http::StatusCode::FORBIDDEN),
        }
    }
}

/// Checks that `access` may use location `id` for `need`, for a handler
/// that acts on one location: a location it may not read answers like a
/// missing one; a read-only right refuses a write.
///
/// # Errors
/// `Ok(Err(_))` when refused; `Err` for a database failure.
pub async fn check(
    db: &crate::db::Db,
    scope: TenantScope,
    access: &Access,
    id: i64,
    need: Need,
) -> Result<Result<(), Denied>, crate::db::DbError> {
    let row: Option<(i64,)> = db
        .fetch_optional(
            &scope
                .select("core_locations")
                .column("customer_id")
                .and_where(Expr::col("id").eq(id))
                .to_owned(),
        )
        .await?;
    let Some((customer_id,)) = row else {
        return Ok(Err(Denied::NotFound));
    };
    if !may(access, customer_id, id, Need::Read) {
        return Ok(Err(Denied::NotFound));
    }
    if need == Need::Write && !may(access, customer_id, id, Need::Write) {
        return Ok(Err(Denied::ReadOnly));
    }
    Ok(Ok(()))
}
