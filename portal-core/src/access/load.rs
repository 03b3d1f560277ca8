//! The principal of a logged-in account, read from the database once per
//! request: roles, visible customers, location rights.

use sea_query::{Expr, ExprTrait, SelectStatement};

use std::sync::Arc;

use super::parts_cache::{PartsCache, PartsKey};
use super::{Access, Principal, Role, Roles, UserSummary};
use crate::auth::accounts::Account;
use crate::db::{Backend, Db, DbError, Tx};
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
            &scope
                .insert("core_user_roles")
                .set("user_id", user_id)
                .set("role", r.code())
                .statement(),
        )
        .await?;
    }
    Ok(())
}

/// An account's roles, visible child customers and location rights, read
/// as three columns of the query that reads the account (for a page: the
/// session lookup), so a page pays no round trip of its own for them.
#[derive(Debug, Clone, Default, PartialEq, sqlx::FromRow)]
pub struct PrincipalParts {
    /// Role codes separated by spaces; `None` for none.
    principal_roles: Option<String>,
    /// JSON `[[customer id, name], ...]`.
    principal_children: Option<String>,
    /// JSON `[[location id, may write], ...]`.
    principal_locations: Option<String>,
}

crate::from_sqlite! {
    PrincipalParts { principal_roles, principal_children, principal_locations }
}

/// One of the tenant's versions in `core_access_versions` as a column of a
/// query over `core_users`, 0 without its row: `version`, the access
/// version (see [`super::parts_cache`]), as `access_version`;
/// `accounts_version` (see [`crate::auth::session_keep`]) as itself.
pub(crate) fn tenant_version_column(q: &mut SelectStatement, column: &'static str) {
    let alias = if column == "version" {
        "access_version"
    } else {
        column
    };
    q.expr_as(
        Expr::cust(format!(
            "COALESCE((SELECT av.{column} FROM core_access_versions av \
             WHERE av.tenant_id = core_users.tenant_id), 0)"
        )),
        alias,
    );
}

/// An account's parts with what they were read for (one snapshot).
#[derive(sqlx::FromRow)]
struct PartsRow {
    customer_id: i64,
    is_main: bool,
    access_version: i64,
    #[sqlx(flatten)]
    parts: PrincipalParts,
}

crate::from_sqlite! {
    PartsRow { customer_id, is_main, access_version; flatten parts }
}

/// An account's parts with its customer, kind and tenant's access version
/// ([`PartsRow`]), by account id.
fn parts_statement(scope: TenantScope, user_id: i64, backend: Backend) -> SelectStatement {
    let mut q = scope
        .select("core_users")
        .column(("core_users", "customer_id"))
        .column(("core_users", "is_main"))
        .and_where(Expr::col(("core_users", "id")).eq(user_id))
        .to_owned();
    tenant_version_column(&mut q, "version");
    add_principal_columns(&mut q, backend);
    q
}

/// What [`cached_parts`] found.
pub(crate) enum CachedParts {
    /// The account's parts, for what its session read.
    Parts(Arc<PrincipalParts>),
    /// The account changed customer or kind since its session was read:
    /// read the session again rather than mix two states in one page.
    Moved,
    /// The account is gone.
    Gone,
}

/// The parts of account `key.user_id` from the cache when `key` (what its
/// session just read) still holds, else read and kept for the next page.
/// Version 0 (a tenant without a version row) is never kept.
///
/// # Errors
/// A database failure.
pub(crate) async fn cached_parts(
    db: &Db,
    cache: &PartsCache,
    scope: TenantScope,
    key: PartsKey,
) -> Result<CachedParts, DbError> {
    if key.version != 0
        && let Some(parts) = cache.get(&key)
    {
        return Ok(CachedParts::Parts(parts));
    }
    let q = parts_statement(scope, key.user_id, db.backend());
    let Some(row) = db.fetch_optional::<PartsRow>(&q).await? else {
        return Ok(CachedParts::Gone);
    };
    let parts = Arc::new(row.parts);
    let read = PartsKey {
        customer_id: row.customer_id,
        is_main: row.is_main,
        version: row.access_version,
        ..key
    };
    // Kept under what this statement read with them, not under `key`:
    // an entry is never older than its key.
    if read.version != 0 {
        cache.put(read, parts.clone());
    }
    if (read.customer_id, read.is_main) != (key.customer_id, key.is_main) {
        return Ok(CachedParts::Moved);
    }
    Ok(CachedParts::Parts(parts))
}

/// Adds the [`PrincipalParts`] columns to a query over `core_users`.
///
/// Customers: a main account sees its customer's active children; an extra
/// account only those it was granted (only real children of its own
/// customer count). Location rights (extra accounts only) count only at
/// the customers it sees: a right left behind at a customer it no longer
/// belongs to reaches nothing.
fn add_principal_columns(q: &mut SelectStatement, backend: Backend) {
    // Correlated on core_users; every table is read within its tenant.
    let children = "FROM core_customers c WHERE c.tenant_id = core_users.tenant_id \
         AND c.parent_id = core_users.customer_id AND c.active \
         AND (core_users.is_main OR c.id IN (SELECT g.customer_id FROM core_child_grants g \
         WHERE g.tenant_id = core_users.tenant_id AND g.user_id = core_users.id))";
    let locations = format!(
        "FROM core_location_grants lg WHERE lg.tenant_id = core_users.tenant_id \
         AND lg.user_id = core_users.id AND NOT core_users.is_main \
         AND lg.location_id IN (SELECT l.id FROM core_locations l \
         WHERE l.tenant_id = core_users.tenant_id AND (l.customer_id = core_users.customer_id \
         OR l.customer_id IN (SELECT c.id {children})))"
    );
    let roles = "FROM core_user_roles r WHERE r.tenant_id = core_users.tenant_id \
                 AND r.user_id = core_users.id";
    let (roles, children, locations) = match backend {
        Backend::Sqlite => (
            format!("(SELECT group_concat(r.role, ' ') {roles})"),
            format!("(SELECT json_group_array(json_array(c.id, c.name)) {children})"),
            format!(
                "(SELECT json_group_array(json_array(lg.location_id, lg.can_write)) {locations})"
            ),
        ),
        Backend::Postgres => (
            format!("(SELECT string_agg(r.role, ' ') {roles})"),
            format!("(SELECT json_agg(json_build_array(c.id, c.name))::text {children})"),
            format!(
                "(SELECT json_agg(json_build_array(lg.location_id, lg.can_write))::text {locations})"
            ),
        ),
    };
    q.expr_as(Expr::cust(roles), "principal_roles")
        .expr_as(Expr::cust(children), "principal_children")
        .expr_as(Expr::cust(locations), "principal_locations");
}

fn json_list<T: serde::de::DeserializeOwned>(s: Option<&str>) -> Result<Vec<T>, DbError> {
    match s {
        None => Ok(Vec::new()),
        Some(s) => serde_json::from_str(s).map_err(|e| DbError(sqlx::Error::Decode(Box::new(e)))),
    }
}

/// A stored boolean as JSON: `true`/`false` (PostgreSQL) or `1`/`0` (SQLite).
#[derive(serde::Deserialize)]
#[serde(untagged)]
enum JsonBool {
    Bool(bool),
    Int(i64),
}

/// The principal of `a` from the parts read with it.
///
/// # Errors
/// The parts are not what [`add_principal_columns`] reads (a decode error).
pub fn principal_from(
    registry: &Registry,
    tenant: &Tenant,
    a: &Account,
    parts: &PrincipalParts,
) -> Result<Principal, DbError> {
    let roles = Roles::new(
        parts
            .principal_roles
            .as_deref()
            .unwrap_or("")
            .split_whitespace()
            .filter_map(Role::parse),
    );
    let mut children: Vec<(i64, String)> = json_list(parts.principal_children.as_deref())?;
    children.sort_unstable_by_key(|(id, _)| *id);
    let customers: Vec<(i64, String)> = std::iter::once((a.customer_id, a.customer_name.clone()))
        .chain(children)
        .collect();
    let locations: Vec<(i64, JsonBool)> = json_list(parts.principal_locations.as_deref())?;
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
            locations: locations
                .into_iter()
                .map(|(id, w)| (id, matches!(w, JsonBool::Bool(true) | JsonBool::Int(1..))))
                .collect(),
            current: Some(a.customer_id),
        }),
    })
}

/// The principal of a logged-in account on `tenant`, read from the
/// database (pages get theirs with the session: [`principal_from`]).
///
/// # Errors
/// A database failure.
pub async fn principal(
    db: &Db,
    registry: &Registry,
    tenant: &Tenant,
    a: &Account,
) -> Result<Principal, DbError> {
    let q = parts_statement(tenant.scope(), a.id, db.backend());
    let parts = db
        .fetch_optional::<PartsRow>(&q)
        .await?
        .map(|row| row.parts)
        .unwrap_or_default();
    principal_from(registry, tenant, a, &parts)
}
