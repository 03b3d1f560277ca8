//! Migration histories, one per component (core, then each module).
//!
//! Each component keeps its own tracking table `_sqlx_migrations_<component>`
//! so versions may overlap between components and a module added later
//! never confuses another's history (sharing sqlx's one table fails with
//! "previously applied but is missing"). Each component ships one folder per
//! backend: `migrations/<component>/sqlite` and `.../postgres`.

use sqlx::migrate::{MigrateError, Migrator};

use super::{Db, MigrationTarget};

/// The two histories of one component.
#[derive(Debug)]
pub struct Migrations {
    pub sqlite: Migrator,
    pub postgres: Migrator,
}

/// Core's own history.
pub static CORE_MIGRATIONS: Migrations = Migrations {
    sqlite: sqlx::migrate!("migrations/sqlite"),
    postgres: sqlx::migrate!("migrations/postgres"),
};

/// Applies the pending migrations of `component`. Running it again changes nothing.
///
/// # Errors
/// A migration fails, or an applied migration was edited afterwards.
pub async fn run_migrations(
    db: &Db,
    component: &str,
    migrations: &Migrations,
) -> Result<(), MigrateError> {
    let table = format!("_sqlx_migrations_{component}");
    match db.pools_for_migration() {
        MigrationTarget::Sqlite(pool) => {
            let mut m = Migrator {
                migrations: migrations.sqlite.migrations.clone(),
                ..Migrator::DEFAULT
            };
            m.dangerous_set_table_name(table);
            m.run(pool).await
        }
        MigrationTarget::Postgres(pool) => {
            let mut m = Migrator {
                migrations: migrations.postgres.migrations.clone(),
                ..Migrator::DEFAULT
            };
            m.dangerous_set_table_name(table);
            // A failed run keeps its advisory lock on the connection: never
            // give that connection back to the pool.
            let mut conn = pool.acquire().await?.detach();
            let result = m.run(&mut conn).await;
            let _ = sqlx::Connection::close(conn).await;
            result
        }
    }
}
