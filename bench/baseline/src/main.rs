//! The bare stack the portal is measured against (`bench/run`): poem +
//! sqlx + minijinja serving the 20 newest rows of one table as an HTML
//! table, with no tenant, session, principal, permission, theme or i18n.
//! What the portal's invoice list costs beyond this is the framework's.
//!
//! `portal-bench-baseline <database url> <rows> <bind address>`: creates
//! the table `items` with an index like the portal's invoice list uses,
//! fills it to `rows` rows when it holds a different number, and serves
//! `GET /` until killed.
//!
//! Layout: one file; `Store` is the pool of either database.

use std::sync::Arc;

use anyhow::Context as _;
use poem::web::{Data, Html};
use poem::{EndpointExt, Route, Server, get, handler, listener::TcpListener};
use sqlx::{PgPool, SqlitePool};

/// One row of the table.
#[derive(Debug, sqlx::FromRow)]
struct Item {
    id: i64,
    number: String,
    issued_on: String,
    total_cents: i64,
    status: String,
}

/// One row of the page, with its amount formatted as the portal formats one.
fn row(i: Item) -> minijinja::Value {
    minijinja::context! {
        id => i.id,
        number => i.number,
        issued_on => i.issued_on,
        amount => format!("€ {},{:02}", i.total_cents / 100, i.total_cents % 100),
        status => i.status,
    }
}

/// The pool of the database named by the URL.
#[derive(Clone)]
enum Store {
    Sqlite(SqlitePool),
    Pg(PgPool),
}

const NEWEST: &str = "SELECT id, number, issued_on, total_cents, status FROM items \
                      WHERE customer_id = 1 ORDER BY issued_on DESC, id DESC LIMIT 20";

impl Store {
    async fn open(url: &str) -> anyhow::Result<Self> {
        if url.starts_with("postgres") {
            // The portal's pool settings (portal-core db): no ping before
            // each use, so the ratio compares work, not pool tuning.
            let pool = sqlx::postgres::PgPoolOptions::new()
                .max_connections(8)
                .test_before_acquire(false)
                .connect(url)
                .await?;
            return Ok(Self::Pg(pool));
        }
        let opts: sqlx::sqlite::SqliteConnectOptions = url.parse()?;
        let opts = opts
            .create_if_missing(true)
            .journal_mode(sqlx::sqlite::SqliteJournalMode::Wal)
            .synchronous(sqlx::sqlite::SqliteSynchronous::Normal);
        let pool = sqlx::sqlite::SqlitePoolOptions::new()
            .max_connections(8)
            .test_before_acquire(false)
            .connect_with(opts)
            .await?;
        Ok(Self::Sqlite(pool))
    }

    /// The table and its index, filled to `rows` rows.
    async fn prepare(&self, rows: i64) -> anyhow::Result<()> {
        let create = "CREATE TABLE IF NOT EXISTS items (id BIGINT PRIMARY KEY, customer_id BIGINT NOT NULL, \
                      number TEXT NOT NULL, issued_on TEXT NOT NULL, total_cents BIGINT NOT NULL, status TEXT NOT NULL)";
        let create_index =
            "CREATE INDEX IF NOT EXISTS items_newest ON items (customer_id, issued_on, id)";
        // Dates over ten years, numbers like the portal's; every row on customer 1.
        let fill_sqlite = "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ?) \
                           INSERT INTO items SELECT i, 1, 'F' || printf('%07d', i), date('2016-01-01', '+' || (i % 3650) || ' days'), \
                           12100 + i % 977, CASE WHEN i % 10 = 0 THEN 'open' ELSE 'paid' END FROM n";
        let fill_pg = "INSERT INTO items SELECT i, 1, 'F' || lpad(i::text, 7, '0'), \
                       to_char(date '2016-01-01' + (i % 3650)::int, 'YYYY-MM-DD'), 12100 + i % 977, \
                       CASE WHEN i % 10 = 0 THEN 'open' ELSE 'paid' END FROM generate_series(1, $1::bigint) AS i";
        match self {
            Self::Sqlite(p) => {
                sqlx::query(create).execute(p).await?;
                sqlx::query(create_index).execute(p).await?;
                let (have,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM items")
                    .fetch_one(p)
                    .await?;
                if have != rows {
                    sqlx::query("DELETE FROM items").execute(p).await?;
                    sqlx::query(fill_sqlite).bind(rows).execute(p).await?;
                    sqlx::query("ANALYZE").execute(p).await?;
                }
            }
            Self::Pg(p) => {
                sqlx::query(create).execute(p).await?;
                sqlx::query(create_index).execute(p).await?;
                let (have,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM items")
                    .fetch_one(p)
                    .await?;
                if have != rows {
                    sqlx::query("DELETE FROM items").execute(p).await?;
                    sqlx::query(fill_pg).bind(rows).execute(p).await?;
                    sqlx::query("ANALYZE items").execute(p).await?;
                }
            }
        }
        Ok(())
    }

    async fn newest(&self) -> sqlx::Result<Vec<Item>> {
        match self {
            Self::Sqlite(p) => sqlx::query_as(NEWEST).fetch_all(p).await,
            Self::Pg(p) => sqlx::query_as(NEWEST).fetch_all(p).await,
        }
    }
}

const PAGE: &str = r#"<!doctype html>
<html lang="nl"><head><meta charset="utf-8"><title>Facturen</title></head>
<body><main><h1>Facturen</h1>
<table><thead><tr><th>Nummer</th><th>Datum</th><th>Bedrag</th><th>Status</th></tr></thead><tbody>
{%- for i in items %}
<tr><td><a href="/items/{{ i.id }}">{{ i.number }}</a></td><td>{{ i.issued_on }}</td><td>{{ i.amount }}</td><td>{{ i.status }}</td></tr>
{%- endfor %}
</tbody></table></main></body></html>
"#;

struct App {
    store: Store,
    env: minijinja::Environment<'static>,
}

#[handler]
async fn newest_page(app: Data<&Arc<App>>) -> poem::Result<Html<String>> {
    let items = app
        .store
        .newest()
        .await
        .map_err(poem::error::InternalServerError)?;
    let items: Vec<minijinja::Value> = items.into_iter().map(row).collect();
    let page = app
        .env
        .get_template("page")
        .and_then(|t| t.render(minijinja::context! { items }))
        .map_err(poem::error::InternalServerError)?;
    Ok(Html(page))
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let mut args = std::env::args().skip(1);
    let usage = "usage: portal-bench-baseline <database url> <rows> <bind address>";
    let url = args.next().context(usage)?;
    let rows: i64 = args.next().context(usage)?.parse().context(usage)?;
    let bind = args.next().context(usage)?;
    let store = Store::open(&url).await?;
    store.prepare(rows).await?;
    let mut env = minijinja::Environment::new();
    env.add_template("page", PAGE)?;
    let app = Arc::new(App { store, env });
    println!("baseline: {rows} rows, serving http://{bind}/");
    Server::new(TcpListener::bind(bind))
        .run(Route::new().at("/", get(newest_page)).data(app))
        .await?;
    Ok(())
}
