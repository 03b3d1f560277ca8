//! Retention (seed 003's practice: five years after the service ends):
//! closed dossiers whose closing date lies further back than the tenant's
//! `retention_years` are deleted with everything below them; their files
//! become unreferenced and go with core's blob sweep. Open dossiers, and
//! closed ones within the period, stay. Each deletion is logged.

use chrono::{Months, NaiveDate, Utc};
use portal_core::db::{Db, DbError};
use portal_core::sea_query::{Expr, ExprTrait, Query};
use portal_core::tenant::TenantScope;

/// The closing date before which a dossier goes, for `years`.
pub fn cutoff(today: NaiveDate, years: u32) -> NaiveDate {
    today
        .checked_sub_months(Months::new(years.saturating_mul(12)))
        .unwrap_or(NaiveDate::MIN)
}

/// Deletes tenant `scope`'s closed dossiers closed before `cutoff`;
/// returns how many.
///
/// # Errors
/// A database failure.
pub async fn delete_closed_before(
    db: &Db,
    scope: TenantScope,
    cutoff: NaiveDate,
) -> Result<u64, DbError> {
    let gone: Vec<(i64, String)> = db
        .fetch_all_bulk(
            &scope
                .select("dossiers_dossiers")
                .columns(["id", "external_id"])
                .and_where(Expr::col("status").eq("closed"))
                .and_where(Expr::col("closed_on").lt(cutoff))
                .to_owned(),
        )
        .await?;
    if gone.is_empty() {
        return Ok(0);
    }
    let ids: Vec<i64> = gone.iter().map(|g| g.0).collect();
    // The child rows go by their foreign keys' cascade.
    let n = db
        .execute(
            &scope
                .delete("dossiers_dossiers")
                .and_where(Expr::col("id").is_in(ids))
                .to_owned(),
        )
        .await?;
    for (id, ext) in &gone {
        tracing::info!(
            tenant = scope.tenant_id(),
            dossier = id,
            external_id = %ext,
            "retention: closed dossier deleted"
        );
    }
    Ok(n)
}

/// Every tenant's run (the hourly housekeeping).
///
/// # Errors
/// A database failure.
pub async fn run(db: &Db) -> Result<u64, DbError> {
    let settings: Vec<(i64, String)> = db
        .fetch_all_across_tenants(
            &Query::select()
                .columns(["tenant_id", "value"])
                .from("core_tenant_settings")
                .and_where(Expr::col("module").eq("dossiers"))
                .and_where(Expr::col("key").eq("retention_years"))
                .to_owned(),
        )
        .await?;
    let today = portal_core::web::format::local(Utc::now()).date();
    let mut total = 0;
    for t in portal_core::tenant::repo::list(db).await? {
        let Some(scope) = portal_core::tenant::repo::scope_for_code(db, &t.code).await? else {
            continue;
        };
        let years = settings
            .iter()
            .find(|(id, _)| *id == scope.tenant_id())
            .and_then(|(_, v)| v.parse().ok())
            .unwrap_or(5);
        total += delete_closed_before(db, scope, cutoff(today, years)).await?;
    }
    Ok(total)
}

#[cfg(test)]
#[allow(clippy::unwrap_used)] // tests may unwrap
mod tests {
    use super::*;

    #[test]
    fn five_years_back() {
        let d = NaiveDate::from_ymd_opt(2026, 12, 6).unwrap();
        assert_eq!(cutoff(d, 5), NaiveDate::from_ymd_opt(2021, 12, 6).unwrap());
        let leap = NaiveDate::from_ymd_opt(2028, 2, 29).unwrap();
        assert_eq!(
            cutoff(leap, 1),
            NaiveDate::from_ymd_opt(2027, 2, 28).unwrap()
        );
    }
}
