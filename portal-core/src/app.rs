//! The `Portal` builder: opens the database, checks the module registry,
//! applies migrations, and assembles the poem endpoint.
//!
//! Request path, outermost first: `outer` (request id, security headers) →
//! `/health` and `/static/*` (no tenant) | `context` (tenant, language, CSRF
//! cookie, themed errors) → `csrf::verify` → core pages, `/api/...`, and
//! each module's routes behind its gate (404 unless enabled for the tenant).

use std::sync::Arc;

use anyhow::Context as _;
use poem::endpoint::BoxEndpoint;
use poem::error::NotFoundError;
use poem::listener::TcpListener;
use poem::web::Html;
use poem::{Endpoint, EndpointExt, IntoResponse, Route, get, post};
use sea_query::{Expr, ExprTrait, OnConflict, Query};

use crate::api::{ApiPart, admin::AdminApi, merge_specs};
use crate::background::Background;
use crate::config::Config;
use crate::db::{CORE_MIGRATIONS, Db, DbOptions, run_migrations};
use crate::files::BlobStore;
use crate::module::{ModuleCx, Registry};
use crate::tenant::{Resolved, TenantCache};
use crate::web::{Renderer, context, csrf, outer, pages};

/// What every request can reach; one per process.
#[derive(Debug)]
pub struct AppState {
    pub config: Arc<Config>,
    pub db: Db,
    pub registry: Registry,
    pub cache: Arc<TenantCache>,
    /// Accounts' roles, children and location rights, per access version.
    pub parts: Arc<crate::access::parts_cache::PartsCache>,
    /// Sessions looked up here, checked by their own row and the tenant's accounts version.
    pub sessions: Arc<crate::auth::session_keep::KeptSessions>,
    pub renderer: Arc<Renderer>,
    pub blobs: BlobStore,
    pub mailer: Arc<crate::mail::Mailer>,
    /// argon2 off the executor, bounded to the cores.
    pub hasher: Arc<crate::auth::password::Hasher>,
    /// Work a request starts but does not wait for.
    pub background: Arc<Background>,
    pub(crate) secret: Arc<Vec<u8>>,
}

impl AppState {
    /// The handles domain code uses (the account flows, modules' writes).
    pub fn deps(&self) -> crate::deps::Deps {
        crate::deps::Deps {
            db: self.db.clone(),
            hasher: self.hasher.clone(),
            mailer: self.mailer.clone(),
            background: self.background.clone(),
            blobs: self.blobs.clone(),
            texts: self.renderer.shared_texts(),
            max_form_bytes: self.config.web.max_form_bytes,
        }
    }
}

/// A portal process.
#[derive(Debug, Clone)]
pub struct Portal {
    state: Arc<AppState>,
}

/// Applies core's migrations, then each module's in dependency order.
///
/// # Errors
/// A migration fails; the message names the component.
pub async fn migrate_all(db: &Db, registry: &Registry) -> anyhow::Result<()> {
    run_migrations(db, "core", &CORE_MIGRATIONS)
        .await
        .context("migrating core")?;
    for m in registry.iter() {
        if let Some(migrations) = m.migrations() {
            run_migrations(db, m.name(), migrations)
                .await
                .with_context(|| format!("migrating module {}", m.name()))?;
        }
    }
    Ok(())
}

async fn load_secret(db: &Db, config: &Config) -> anyhow::Result<Vec<u8>> {
    if !config.secret_key.is_empty() {
        return Ok(hex::decode(config.secret_key.expose())?);
    }
    let fresh = hex::encode(rand::random::<[u8; 32]>());
    let insert = Query::insert()
        .into_table("core_secrets")
        .columns(["name", "value"])
        .values_panic(["csrf".into(), fresh.into()])
        .on_conflict(OnConflict::column("name").do_nothing().to_owned())
        .to_owned();
    db.execute(&insert).await?;
    let q = Query::select()
        .column("value")
        .from("core_secrets")
        .and_where(Expr::col("name").eq("csrf"))
        .to_owned();
    let (value,): (String,) = db
        .fetch_optional(&q)
        .await?
        .context("secret missing after insert")?;
    Ok(hex::decode(value)?)
}

impl Portal {
    /// Opens a portal from configuration, with the modules the linker kept.
    ///
    /// # Errors
    /// The registry is inconsistent, the database cannot be opened or
    /// migrated, templates or texts do not load.
    pub async fn open(config: Config, migrate: bool) -> anyhow::Result<Self> {
        let registry = Registry::from_inventory()?;
        let opts = DbOptions {
            max_connections: config.database.max_connections,
            busy_timeout: std::time::Duration::from_millis(config.database.busy_timeout_ms),
        };
        let url = config.database_url();
        let db = Db::connect(&url, opts)
            .await
            .with_context(|| format!("opening database {}", crate::config::redact_url(&url)))?;
        Self::with_parts(config, db, registry, migrate).await
    }

    /// Opens a portal on a database and registry you made (tests, embedding).
    ///
    /// # Errors
    /// As [`Portal::open`].
    pub async fn with_parts(
        config: Config,
        db: Db,
        registry: Registry,
        migrate: bool,
    ) -> anyhow::Result<Self> {
        if migrate {
            migrate_all(&db, &registry).await?;
        }
        let secret = load_secret(&db, &config)
            .await
            .context("loading the CSRF secret (is the database migrated?)")?;
        let cache = TenantCache::load(db.clone())
            .await
            .context("loading tenants")?;
        let renderer = Renderer::new(&registry, config.web.themes_dir.clone())?;
        let blobs = BlobStore::from_config(&config)?;
        let mailer =
            Arc::new(crate::mail::Mailer::new(&registry, &config).map_err(anyhow::Error::msg)?);
        let state = AppState {
            config: Arc::new(config),
            db,
            registry,
            cache,
            parts: Arc::default(),
            sessions: Arc::default(),
            renderer: Arc::new(renderer),
            blobs,
            mailer,
            hasher: Arc::new(crate::auth::password::Hasher::for_this_machine()),
            background: Arc::new(Background::default()),
            secret: Arc::new(secret),
        };
        Ok(Self {
            state: Arc::new(state),
        })
    }

    pub fn state(&self) -> &Arc<AppState> {
        &self.state
    }

    pub fn db(&self) -> &Db {
        &self.state.db
    }

    /// The whole HTTP application.
    ///
    /// # Errors
    /// Two API parts clash (path, operation id or schema), or a module
    /// mounts its API outside its own prefix.
    pub fn endpoint(&self) -> anyhow::Result<BoxEndpoint<'static>> {
        let state = &self.state;
        let cx = ModuleCx {
            db: state.db.clone(),
            config: state.config.clone(),
        };
        let mut routes = Route::new()
            .at("/", get(pages::home))
            .at("/lang", post(pages::switch_language))
            .at("/branding/brand.css", get(pages::brand_css))
            .at("/branding/logo/*key", get(pages::logo))
            .at("/branding/favicon/*key", get(pages::favicon))
            .at(
                "/login",
                get(crate::web::login::show).post(crate::web::login::submit),
            )
            .at(
                "/login/totp",
                get(crate::web::login::totp_show).post(crate::web::login::totp_submit),
            )
            .at("/logout", post(crate::web::login::logout))
            .at(
                "/password/forgot",
                get(crate::web::links::forgot_show).post(crate::web::links::forgot_submit),
            )
            .at(
                "/password/:kind/:token",
                get(crate::web::links::link_show).post(crate::web::links::link_submit),
            )
            .at(
                "/register",
                get(crate::web::links::register_show).post(crate::web::links::register_submit),
            )
            .at(
                "/register/confirm/:token",
                get(crate::web::links::confirm_show).post(crate::web::links::confirm),
            )
            .at("/register/resend", post(crate::web::links::resend))
            .at("/settings", get(crate::web::settings::show))
            .at("/organisation", get(crate::web::organisation::show))
            .at(
                "/organisation/edit",
                get(crate::web::people::organisation_edit)
                    .post(crate::web::people::organisation_save),
            )
            .at(
                "/organisation/personal",
                get(crate::web::people::personal_show).post(crate::web::people::personal_save),
            )
            .at(
                "/organisation/personal/edit",
                get(crate::web::people::personal_edit),
            )
            .at("/organisation/contacts", get(crate::web::people::contacts))
            .at(
                "/organisation/contacts/new",
                get(crate::web::people::contact_new).post(crate::web::people::contact_create),
            )
            .at(
                "/organisation/contacts/:id",
                get(crate::web::people::contact_show).post(crate::web::people::contact_save),
            )
            .at(
                "/organisation/contacts/:id/edit",
                get(crate::web::people::contact_edit),
            )
            .at(
                "/organisation/contacts/:id/rights",
                get(crate::web::people::rights_show).post(crate::web::people::rights_save),
            )
            .at("/settings/language", post(crate::web::settings::language))
            .at("/settings/password", post(crate::web::settings::password))
            .at("/settings/totp", post(crate::web::settings::totp_begin))
            .at(
                "/settings/totp/confirm",
                post(crate::web::settings::totp_confirm),
            )
            .at(
                "/settings/totp/disable",
                post(crate::web::settings::totp_disable),
            )
            .at(
                "/settings/logout-all",
                post(crate::web::settings::logout_all),
            )
            .at("/customer", post(crate::web::customer_switch::switch))
            .at("/mailbox", get(crate::web::mailbox::list))
            .at("/mailbox/:id", get(crate::web::mailbox::show))
            .at("/mailbox/:id/html", get(crate::web::mailbox::html));
        let mut parts: Vec<(Option<&'static str>, ApiPart)> = vec![(
            None,
            ApiPart::new(
                (
                    AdminApi,
                    crate::api::mail_admin::MailAdminApi,
                    crate::api::accounts_admin::AccountsAdminApi,
                    crate::api::sync_admin::SyncAdminApi,
                    crate::api::events_admin::EventsAdminApi,
                ),
                "/api/admin/v1",
            ),
        )];
        let mut staff = staff_routes();
        for m in state.registry.iter() {
            let name = m.name();
            if let Some(r) = m.routes(&cx) {
                routes = routes.nest(format!("/{name}"), gate(r, name));
            }
            if let Some(r) = m.staff_routes(&cx) {
                staff = staff.nest(format!("/{name}"), gate(r, name));
            }
            let api = m.api(&cx);
            for (mount, prefix) in [
                (api.customer, format!("/api/v1/{name}")),
                (api.admin, format!("/api/admin/v1/{name}")),
            ] {
                if let Some(mount) = mount {
                    parts.push((Some(name), mount.mount(&prefix)));
                }
            }
        }
        routes = routes.nest("/staff", staff);
        let mut spec = merge_specs(&parts.iter().map(|(_, p)| &p.spec).collect::<Vec<_>>())?;
        let modules: Vec<String> = state
            .registry
            .names()
            .iter()
            .map(|n| n.to_string())
            .collect();
        let setting_owners: Vec<String> = crate::tenant::CORE_SETTINGS
            .iter()
            .map(|(n, _, _)| n.to_string())
            .chain(modules.iter().cloned())
            .collect();
        crate::api::document::finish(
            &mut spec,
            &modules,
            &[
                crate::api::document::PathEnum {
                    path: "/api/admin/v1/tenant/modules/{name}",
                    param: "name",
                    values: modules.clone(),
                },
                crate::api::document::PathEnum {
                    path: "/api/admin/v1/settings/{module}",
                    param: "module",
                    values: setting_owners.clone(),
                },
                crate::api::document::PathEnum {
                    path: "/api/admin/v1/settings/{module}/{key}",
                    param: "module",
                    values: setting_owners,
                },
            ],
        );
        let allowed = Arc::new(crate::api::document::AllowedMethods::of(&spec));
        let bodies = Arc::new(crate::api::document::RequestSchemas::of(&spec));
        let spec_text = serde_json::to_string(&spec)?;
        let docs = swagger_html(&spec_text);
        for (module, part) in parts {
            routes = match module {
                Some(name) if part.prefix.starts_with("/api/admin/") => routes.nest(
                    part.prefix,
                    admin_api_gate(part.endpoint, name, allowed.clone()),
                ),
                Some(name) => routes.nest(part.prefix, gate(part.endpoint, name)),
                None => routes.nest(
                    part.prefix,
                    part.endpoint.around(crate::api::audit::middleware),
                ),
            };
        }
        let spec_json = spec_text.clone();
        routes = routes
            .at(
                "/api/openapi.json",
                get(poem::endpoint::make_sync(move |_| {
                    spec_json
                        .clone()
                        .with_content_type("application/json; charset=utf-8")
                })),
            )
            .at(
                "/api/docs",
                get(poem::endpoint::make_sync(move |_| Html(docs.clone()))),
            );
        let allowed_outer = allowed.clone();
        let tenant_app = routes
            .around(move |ep, req| {
                let bodies = bodies.clone();
                async move { api_strict_body(ep, req, &bodies).await }
            })
            .around(csrf::verify)
            .around(context::middleware)
            .around(move |ep, req| {
                let allowed = allowed_outer.clone();
                async move { api_allow(ep, req, &allowed).await }
            });
        let app = Route::new()
            .at("/health", get(pages::health))
            .at("/metrics", get(pages::metrics))
            .at("/static/*path", get(pages::static_file))
            .nest("/", tenant_app)
            .around(outer::middleware)
            .data(state.clone());
        Ok(app.boxed())
    }

    /// Serves HTTP on the configured address until Ctrl-C.
    ///
    /// # Errors
    /// The address cannot be bound, or the endpoint cannot be built.
    pub async fn serve(&self) -> anyhow::Result<()> {
        let app = self.endpoint()?;
        tokio::spawn(hourly_upkeep(self.state.clone()));
        tokio::spawn(self.state.mailer.clone().run_worker(self.state.db.clone()));
        tokio::spawn(crate::events::deliver::run_worker(
            self.state.db.clone(),
            self.state.config.clone(),
        ));
        let bind = self.state.config.bind.clone();
        tracing::info!(%bind, "portal listening");
        poem::Server::new(TcpListener::bind(bind.clone()))
            .run_with_graceful_shutdown(
                app,
                async {
                    let _ = tokio::signal::ctrl_c().await;
                },
                Some(std::time::Duration::from_secs(10)),
            )
            .await
            .with_context(|| format!("serving on {bind}"))
    }
}

/// The staff pages (`web::staff`).
fn staff_routes() -> Route {
    use crate::web::staff::{
        access, admin, branding, customers, login, members, requests, templates, view_as,
    };
    Route::new()
        .at("/", get(customers::home))
        .at("/login", get(login::show).post(login::submit))
        .at(
            "/login/code",
            get(login::code_show).post(login::code_submit),
        )
        .at(
            "/login/setup",
            get(login::code_show).post(login::code_submit),
        )
        .at("/logout", post(login::logout))
        .at("/customers/:id", get(customers::customer))
        .at("/customers/:id/accounts", post(customers::create_account))
        .at("/customers/:id/parent", post(customers::set_parent))
        .at("/accounts/:id", get(customers::account))
        .at("/accounts/:id/invite", post(customers::invite))
        .at("/accounts/:id/reset", post(customers::reset))
        .at("/accounts/:id/two-factor", post(customers::two_factor))
        .at("/accounts/:id/activate", post(customers::activate))
        .at("/accounts/:id/deactivate", post(customers::deactivate))
        .at("/accounts/:id/email", post(customers::change_email))
        .at("/accounts/:id/username", post(customers::change_username))
        .at("/accounts/:id/access", get(access::show).post(access::save))
        .at("/accounts/:id/password", post(customers::set_password))
        .at("/accounts/:id/delete", post(customers::delete))
        .at("/accounts/:id/view-as", post(view_as::start))
        .at("/view-as/end", post(view_as::end))
        .at("/permissions", get(admin::permissions))
        .at("/activity", get(admin::activity_log))
        .at("/templates", get(templates::list))
        .at(
            "/templates/:key",
            get(templates::show).post(templates::save),
        )
        .at("/templates/:key/reset", post(templates::reset))
        .at("/templates/:key/test", post(templates::test))
        .at("/branding", get(branding::show))
        .at("/branding/colours", post(branding::colours))
        .at("/branding/inherit", post(branding::inherit))
        .at("/branding/:which", post(branding::image))
        .at("/branding/:which/remove", post(branding::image_remove))
        .at(
            "/messages",
            get(branding::message_list).post(branding::message_add),
        )
        .at("/messages/:id/delete", post(branding::message_delete))
        .at("/api-keys", get(admin::keys).post(admin::key_create))
        .at("/api-keys/:id/revoke", post(admin::key_revoke))
        .at("/settings", get(admin::settings).post(admin::settings_save))
        .at("/settings/url", post(admin::portal_url))
        .at("/settings/contact", post(admin::contact))
        .at("/requests", get(requests::list))
        .at("/members", get(members::list).post(members::create))
        .at("/members/:id", post(members::update))
        .at("/members/:id/reset", post(members::reset))
        .at("/me", get(members::me))
        .at("/me/password", post(members::me_password))
        .at("/me/two-factor", post(members::me_two_factor))
}

/// Removes unreferenced blobs once an hour (left behind by a crash or a
/// rolled-back request; a blob gets an hour to be referenced), then runs
/// each module's housekeeping.
async fn hourly_upkeep(state: Arc<AppState>) {
    let hour = std::time::Duration::from_secs(3600);
    let mut tick = tokio::time::interval(hour);
    loop {
        tick.tick().await;
        match crate::files::sweep(&state.db, &state.blobs, &state.registry, hour).await {
            Ok(0) => {}
            Ok(n) => tracing::info!(deleted = n, "blob sweeper removed unreferenced blobs"),
            Err(e) => tracing::error!(error = %e, "blob sweeper failed"),
        }
        for m in state.registry.iter() {
            match m.housekeeping(&state.db).await {
                Ok(0) => {}
                Ok(n) => tracing::info!(module = m.name(), removed = n, "housekeeping"),
                Err(e) => tracing::error!(module = m.name(), error = %e, "housekeeping failed"),
            }
        }
    }
}

/// Swagger UI for the merged document: poem-openapi's page for an empty
/// API, with its embedded spec swapped for the merged one.
fn swagger_html(spec: &str) -> String {
    let skeleton = poem_openapi::OpenApiService::new((), "Portal API", crate::api::API_VERSION);
    skeleton.swagger_ui_html().replace(&skeleton.spec(), spec)
}

/// Holds the back-office API to its document where poem-openapi is not,
/// and says where a body breaks it: a number or `true`/`false` in a text
/// field is refused (400) instead of read as text, and a required field
/// that is missing or `null` is named (poem-openapi's message names only
/// the type it expected). The body is read only once the API key
/// is known to be valid, so an anonymous caller cannot make the portal
/// buffer anything.
async fn api_strict_body<E: Endpoint>(
    ep: E,
    mut req: poem::Request,
    bodies: &crate::api::document::RequestSchemas,
) -> poem::Result<poem::Response> {
    let path = req.uri().path().to_string();
    let method = req.method().as_str().to_string();
    if path.contains("/api/admin/")
        && bodies.takes_json(&method, &path)
        && crate::api::auth::has_valid_key(&req).await
    {
        let bytes = req.take_body().into_bytes().await?;
        if let Ok(json) = serde_json::from_slice::<serde_json::Value>(&bytes)
            && let Some(problem) = bodies.problem(&method, &path, &json)
        {
            return Err(poem::Error::from_string(
                problem.message(),
                poem::http::StatusCode::BAD_REQUEST,
            ));
        }
        req.set_body(bytes);
    }
    ep.call(req).await.map(IntoResponse::into_response)
}

/// A 405 of the API lists the methods its path has (RFC 9110).
async fn api_allow<E: Endpoint>(
    ep: E,
    req: poem::Request,
    allowed: &crate::api::document::AllowedMethods,
) -> poem::Result<poem::Response> {
    let path = req.uri().path().to_string();
    let mut resp = ep.call(req).await?.into_response();
    if resp.status() == poem::http::StatusCode::METHOD_NOT_ALLOWED
        && let Some(methods) = allowed.allowed(&path)
        && let Ok(v) = methods.parse()
    {
        resp.headers_mut().insert(poem::http::header::ALLOW, v);
    }
    Ok(resp)
}

/// As [`gate`], for a module's back-office API: a caller without a valid
/// key gets 401 whether or not the tenant enabled the module.
fn admin_api_gate<E: Endpoint + 'static>(
    ep: E,
    name: &'static str,
    allowed: Arc<crate::api::document::AllowedMethods>,
) -> BoxEndpoint<'static> {
    ep.around(move |ep, req| {
        let allowed = allowed.clone();
        async move {
            let enabled = req
                .extensions()
                .get::<Resolved>()
                .is_some_and(|r| r.tenant.has_module(name));
            if !enabled {
                if !crate::api::auth::has_valid_key(&req).await {
                    return Err(poem::Error::from_status(
                        poem::http::StatusCode::UNAUTHORIZED,
                    ));
                }
                // A method the path does not have is a 405 either way.
                let path = crate::web::RequestCx::of(&req)
                    .map_or_else(|| req.uri().path().to_string(), |cx| cx.path.clone());
                if let Some(methods) = allowed.allowed(&path)
                    && !methods.split(", ").any(|m| m == req.method().as_str())
                {
                    return Err(poem::Error::from_status(
                        poem::http::StatusCode::METHOD_NOT_ALLOWED,
                    ));
                }
                return Err(NotFoundError.into());
            }
            ep.call(req).await.map(IntoResponse::into_response)
        }
    })
    .boxed()
}

/// Answers 404 unless the tenant enabled `name`: a compiled-in module that a
/// tenant did not enable shows no routes and no API.
fn gate<E: Endpoint + 'static>(ep: E, name: &'static str) -> BoxEndpoint<'static> {
    ep.around(move |ep, req| async move {
        let enabled = req
            .extensions()
            .get::<Resolved>()
            .is_some_and(|r| r.tenant.has_module(name));
        if !enabled {
            return Err(NotFoundError.into());
        }
        ep.call(req).await.map(IntoResponse::into_response)
    })
    .boxed()
}
