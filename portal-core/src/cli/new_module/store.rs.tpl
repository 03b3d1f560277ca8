//! The module's rows, always within the principal's [`Reach`]: a row of
//! another tenant or customer is simply not found.

use portal_core::access::Reach;
use portal_core::db::DbError;
use portal_core::sea_query::Order;
use portal_core::tenant::TenantScope;

/// The newest rows within `reach` (id, title).
///
/// # Errors
/// A database failure.
pub async fn list(reach: &Reach) -> Result<Vec<(i64, String)>, DbError> {
    reach
        .db()
        .fetch_all(
            &reach
                .select("{name}_items")
                .columns(["id", "title"])
                .order_by("id", Order::Desc)
                .limit(100)
                .to_owned(),
        )
        .await
}

/// How many rows the tenant has (the back-office API: tenant-wide).
///
/// # Errors
/// A database failure.
pub async fn count(db: &portal_core::Db, scope: TenantScope) -> Result<i64, DbError> {
    let rows: Vec<(i64,)> = db
        .fetch_all(&scope.select("{name}_items").column("id").to_owned())
        .await?;
    Ok(i64::try_from(rows.len()).unwrap_or(i64::MAX))
}
