//! The principal of a logged-in account, read from the database once per
//! request: roles, visible customers, location rights.

use sea_query::{Expr, ExprTrait};

use super::{Access, Principal, Role, Roles, UserSummary};
use crate::auth::accounts::Account;
use crate::db::{Db, DbError, Tx};
use crate::module::Registry;
use crate::tenant::{Tenant, TenantScope};

/// The roles of an account.
///
/// # Errors
/// A database failure.
pub async fn roles_of(db: &Db, scope: TenantScope, user_id: i64) -> Result<Roles, DbError> {
    let rows: Vec<(String,)> = db
        .fetch_all(
            &scope
                .select("core_user_roles")
                .column("role")
                .and_where(Expr::col("user_id").eq(user_id))
                .to_owned(),
        )
        .await?;
    Ok(Roles::new(rows.iter().filter_map(|(r,)| Role::parse(r))))
}

/// The roles of several accounts at once (the contact person list).
///
/// # Errors
/// A database failure.
pub async fn roles_of_many(
    db: &Db,
    scope: TenantScope,
    user_ids: &[i64],
) -> Result<std::collections::HashMap<i64, Roles>, DbError> {
    let rows: Vec<(i64, String)> = db
        .fetch_all(
            &scope
                .select("core_user_roles")
                .columns(["user_id", "role"])
                .and_where(Expr::col("user_id").is_in(user_ids.iter().copied()))
                .to_owned(),
        )
        .await?;
    let mut by_user: std::collections::HashMap<i64, Vec<Role>> = std::collections::HashMap::new();
    for (id, r) in rows {
        by_user.entry(id).or_default().extend(Role::parse(&r));
    }
    Ok(by_user
        .into_iter()
        .map(|(id, r)| (id, Roles::new(r)))
        .collect())
}

/// Replaces the roles of an account (`employee` comes with `employee_plus`).
///
/// # Errors
/// A database failure.
pub async fn set_roles(
    tx: &mut Tx,
    scope: TenantScope,
    user_id: i64,
    roles: &Roles,
) -> Result<(), DbError> {
    tx.execute(
        &scope
            .delete("core_user_roles")
            .and_where(Expr::col("user_id").eq(user_id))
            .to_owned(),
    )
    .await?;
    for r in roles.iter() {
        tx.execute(
            &sea_query::Query::insert()
                .into_table("core_user_roles")
                .columns(["tenant_id", "user_id", "role"])
                .values_panic([scope.tenant_id().into(), user_id.into(), r.code().into()])
                .to_owned(),
        )
        .await?;
    }
    Ok(())
}

/// The customers an account sees: its own; a main account also its
/// customer's children; an extra account also the children it was granted
/// (only real children of its own customer count).
async fn customers_of(
    db: &Db,
    scope: TenantScope,
    a: &Account,
) -> Result<Vec<(i64, String)>, DbError> {
    let mut q = scope
        .select("core_customers")
        .columns(["id", "name"])
        .and_where(Expr::col("parent_id").eq(a.customer_id))
        .and_where(Expr::col("active").eq(true))
        .to_owned();
    if !a.is_main {
        let granted = scope
            .select("core_child_grants")
            .column("customer_id")
            .and_where(Expr::col("user_id").eq(a.id))
            .to_owned();
        q.and_where(Expr::col("id").in_subquery(granted));
    }
    let rows: Vec<(i64, String)> = db.fetch_all(&q).await?;
    Ok(std::iter::once((a.customer_id, a.customer_name.clone()))
        .chain(rows)
        .collect())
}

/// The location rights of an extra account: location -> may write; only
/// locations of the customers it sees count (a right left behind at a
/// customer it no longer belongs to reaches nothing).
async fn locations_of(
    db: &Db,
    scope: TenantScope,
    user_id: i64,
    customers: &[i64],
) -> Result<Vec<(i64, bool)>, DbError> {
    let mine = scope
        .select("core_locations")
        .column("id")
        .and_where(Expr::col("customer_id").is_in(customers.iter().copied()))
        .to_owned();
    db.fetch_all(
        &scope
            .select("core_location_grants")
            .columns(["location_id", "can_write"])
            .and_where(Expr::col("user_id").eq(user_id))
            .and_where(Expr::col("location_id").in_subquery(mine))
            .to_owned(),
    )
    .await
}

/// The principal of a logged-in account on `tenant`.
///
/// # Errors
/// A database failure.
pub async fn principal(
    db: &Db,
    registry: &Registry,
    tenant: &Tenant,
    a: &Account,
) -> Result<Principal, DbError> {
    let scope = tenant.scope();
    let roles = roles_of(db, scope, a.id).await?;
    let customers = customers_of(db, scope, a).await?;
    let locations = if a.is_main {
        Vec::new()
    } else {
        let ids: Vec<i64> = customers.iter().map(|(id, _)| *id).collect();
        locations_of(db, scope, a.id, &ids).await?
    };
    Ok(Principal {
        user: Some(UserSummary {
            name: a.email.clone(),
            customer_number: a.customer_number.clone(),
        }),
        permissions: roles.permissions(registry, tenant),
        access: Some(Access {
            user_id: a.id,
            customer_id: a.customer_id,
            is_main: a.is_main,
            roles,
            customers: customers.iter().map(|(id, _)| *id).collect(),
            customer_names: customers.into_iter().collect(),
            locations: locations.into_iter().collect(),
            current: Some(a.customer_id),
        }),
    })
}
