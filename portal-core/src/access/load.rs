//! The principal of a logged-in account, read from the database once per
//! request: roles, visible customers, location rights.

use sea_query::{Cond, Expr, ExprTrait, SelectStatement, UnionType};

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

/// One row of the principal's query: a role, a child customer the account
/// sees, or a location right (`flag`: may write).
#[derive(sqlx::FromRow)]
struct PrincipalRow {
    kind: String,
    id: i64,
    name: String,
    flag: bool,
}

/// Roles, visible child customers and location rights of an account in one
/// `UNION ALL` (a page pays one round trip for its principal, not three).
///
/// Customers: a main account sees its customer's children; an extra account
/// only the children it was granted (only real children of its own customer
/// count). Location rights (extra accounts) count only at the customers it
/// sees: a right left behind at a customer it no longer belongs to reaches
/// nothing.
fn principal_query(scope: TenantScope, a: &Account) -> SelectStatement {
    let kind = |k: &str| Expr::val(k.to_string());
    let mut q = scope
        .select("core_user_roles")
        .expr_as(kind("role"), "kind")
        .expr_as(Expr::val(0_i64), "id")
        .expr_as(Expr::col("role"), "name")
        .expr_as(Expr::val(false), "flag")
        .and_where(Expr::col("user_id").eq(a.id))
        .to_owned();
    let mut children = scope
        .select("core_customers")
        .and_where(Expr::col("parent_id").eq(a.customer_id))
        .and_where(Expr::col("active").eq(true))
        .to_owned();
    if !a.is_main {
        let granted = scope
            .select("core_child_grants")
            .column("customer_id")
            .and_where(Expr::col("user_id").eq(a.id))
            .to_owned();
        children.and_where(Expr::col("id").in_subquery(granted));
    }
    let child_ids = children.clone().column("id").to_owned();
    q.union(
        UnionType::All,
        children
            .expr_as(kind("customer"), "kind")
            .column("id")
            .column("name")
            .expr_as(Expr::val(false), "flag")
            .to_owned(),
    );
    if !a.is_main {
        let seen_locations = scope
            .select("core_locations")
            .column("id")
            .cond_where(
                Cond::any()
                    .add(Expr::col("customer_id").eq(a.customer_id))
                    .add(Expr::col("customer_id").in_subquery(child_ids)),
            )
            .to_owned();
        q.union(
            UnionType::All,
            scope
                .select("core_location_grants")
                .expr_as(kind("location"), "kind")
                .expr_as(Expr::col("location_id"), "id")
                .expr_as(Expr::val(String::new()), "name")
                .expr_as(Expr::col("can_write"), "flag")
                .and_where(Expr::col("user_id").eq(a.id))
                .and_where(Expr::col("location_id").in_subquery(seen_locations))
                .to_owned(),
        );
    }
    q
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
    let rows: Vec<PrincipalRow> = db.fetch_all(&principal_query(tenant.scope(), a)).await?;
    let mut roles = Vec::new();
    let mut customers = vec![(a.customer_id, a.customer_name.clone())];
    let mut locations = Vec::new();
    for r in rows {
        match r.kind.as_str() {
            "role" => roles.extend(Role::parse(&r.name)),
            "customer" => customers.push((r.id, r.name)),
            _ => locations.push((r.id, r.flag)),
        }
    }
    customers[1..].sort_unstable_by_key(|(id, _)| *id);
    let roles = Roles::new(roles);
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
