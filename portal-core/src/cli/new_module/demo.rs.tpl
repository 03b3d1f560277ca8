//! Demo data for `portal demo`: one row for the first demo customer, once
//! (a second run changes nothing).

use portal_core::module::DemoCx;
use portal_core::sea_query::{Expr, ExprTrait};

/// Adds the demo row.
///
/// # Errors
/// What failed, for the operator.
pub async fn fill(cx: &DemoCx<'_>) -> Result<(), String> {
    let text = |e: portal_core::db::DbError| e.to_string();
    let Some(first) = cx.customers.first() else {
        return Ok(());
    };
    let (db, scope) = (&cx.deps.db, cx.scope());
    let ids = portal_core::access::sync_rows::customers_by_external_id(
        db,
        scope,
        std::slice::from_ref(first),
    )
    .await
    .map_err(text)?;
    let Some(&customer) = ids.get(first) else {
        return Ok(());
    };
    let existing: Option<(i64,)> = db
        .fetch_optional(
            &scope
                .select("{name}_items")
                .column("id")
                .and_where(Expr::col("customer_id").eq(customer))
                .to_owned(),
        )
        .await
        .map_err(text)?;
    if existing.is_some() {
        return Ok(());
    }
    let mut tx = db.begin().await.map_err(text)?;
    tx.execute(
        &scope
            .insert("{name}_items")
            .set("customer_id", customer)
            .set("title", "Eerste voorbeeld")
            .set("created_at", chrono::Utc::now())
            .statement(),
    )
    .await
    .map_err(text)?;
    tx.commit().await.map_err(text)
}
