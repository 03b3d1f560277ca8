//! The command line every portal binary's `main` calls: `portal::cli::run()`.

use std::path::PathBuf;

use anyhow::Context as _;
use clap::{Parser, Subcommand};

use crate::app::{Portal, migrate_all};
use crate::config::Config;
use crate::db::{Db, DbOptions};
use crate::module::Registry;
use crate::tenant::repo::{self, MessageInput, NewTenant, TenantPatch};
use crate::tenant::{AddressForm, Lang, MessageKind, branding::ColourInput};

#[derive(Debug, Parser)]
#[command(name = "portal", version, about = "Customer portal")]
struct Cli {
    /// Configuration file (TOML); every key can also be set as PORTAL_<KEY>.
    #[arg(long, short, env = "PORTAL_CONFIG", global = true)]
    config: Option<PathBuf>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Serve the portal (applies migrations first unless migrate_on_start = false).
    Serve,
    /// Apply pending migrations of core and every module.
    Migrate,
    /// Manage tenants.
    #[command(subcommand)]
    Tenant(TenantCommand),
    /// Create (or refresh) the demo tenant with branding and a page message, print its URL, and serve.
    Demo {
        /// Print the result as JSON (for scripts).
        #[arg(long)]
        json: bool,
        /// Set up and print, but do not serve.
        #[arg(long)]
        no_serve: bool,
    },
}

#[derive(Debug, Subcommand)]
enum TenantCommand {
    /// Add a tenant.
    Add {
        code: String,
        name: String,
        #[arg(long, default_value = "nl")]
        lang: String,
        /// Address customers informally (je/jij) instead of formally (u).
        #[arg(long)]
        informal: bool,
    },
    /// List tenants.
    List,
    /// Set a tenant's portal URL.
    SetUrl { code: String, url: String },
    /// Enable a compiled-in module for a tenant.
    EnableModule { code: String, module: String },
    /// Disable a module for a tenant.
    DisableModule { code: String, module: String },
    /// Make a tenant part of a parent organisation ("" removes it); with
    /// --inherit-branding it takes over the parent's branding live.
    SetParent {
        code: String,
        parent: String,
        #[arg(long)]
        inherit_branding: bool,
    },
    /// Create a back-office API token for a tenant (shown once).
    ApiToken {
        code: String,
        #[arg(long, default_value = "back-office")]
        name: String,
    },
}

/// Parses the command line and runs it; exits the process with a message on failure.
pub fn run() {
    let cli = Cli::parse();
    let config = match Config::load(cli.config.as_deref()) {
        Ok(c) => c,
        Err(e) => {
            eprintln!("portal: {e}");
            std::process::exit(2);
        }
    };
    let filter =
        tracing_subscriber::EnvFilter::try_new(&config.log).unwrap_or_else(|_| "info".into());
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .try_init();
    let runtime = match tokio::runtime::Runtime::new() {
        Ok(r) => r,
        Err(e) => {
            eprintln!("portal: cannot start the async runtime: {e}");
            std::process::exit(1);
        }
    };
    if let Err(e) = runtime.block_on(execute(cli.command, config)) {
        eprintln!("portal: {e:#}");
        std::process::exit(1);
    }
}

async fn open_db(config: &Config) -> anyhow::Result<(Db, Registry)> {
    let registry = Registry::from_inventory()?;
    let opts = DbOptions {
        max_connections: config.database.max_connections,
        busy_timeout: std::time::Duration::from_millis(config.database.busy_timeout_ms),
    };
    let url = config.database_url();
    let db = Db::connect(&url, opts)
        .await
        .with_context(|| format!("opening {}", crate::config::redact_url(&url)))?;
    migrate_all(&db, &registry).await?;
    Ok((db, registry))
}

async fn scope(db: &Db, code: &str) -> anyhow::Result<crate::tenant::TenantScope> {
    repo::scope_for_code(db, code)
        .await?
        .with_context(|| format!("no tenant with code {code:?} (see `portal tenant list`)"))
}

async fn execute(command: Command, config: Config) -> anyhow::Result<()> {
    match command {
        Command::Serve => {
            let migrate = config.migrate_on_start;
            Portal::open(config, migrate).await?.serve().await
        }
        Command::Migrate => {
            open_db(&config).await?;
            println!("migrations applied");
            Ok(())
        }
        Command::Tenant(t) => tenant_command(t, &config).await,
        Command::Demo { json, no_serve } => {
            let mut config = config;
            // The demo shows its mail in the portal (never on a real mail server's setup).
            config.mail.mailbox_pages = config.mail.transport == "mailbox";
            let portal = Portal::open(config, true).await?;
            let info = setup_demo(&portal).await?;
            if json {
                println!("{}", serde_json::to_string(&info)?);
            } else {
                println!("Demo portal ready.");
                println!("  Open:            {}", info["url"].as_str().unwrap_or(""));
                println!(
                    "  Or (shared host): {}",
                    info["shared_url"].as_str().unwrap_or("")
                );
                println!(
                    "  Login:           customer accounts are not built yet; the back-office API token is"
                );
                println!(
                    "                   {}",
                    info["api_token"].as_str().unwrap_or("")
                );
                println!(
                    "  API docs:        {}",
                    info["api_docs"].as_str().unwrap_or("")
                );
                if let Some(mailbox) = info["mailbox"].as_str() {
                    println!(
                        "  Mailbox:         {mailbox}  (in development mail stays in the portal)"
                    );
                }
            }
            if no_serve {
                Ok(())
            } else {
                portal.serve().await
            }
        }
    }
}

async fn tenant_command(command: TenantCommand, config: &Config) -> anyhow::Result<()> {
    let (db, registry) = open_db(config).await?;
    match command {
        TenantCommand::Add {
            code,
            name,
            lang,
            informal,
        } => {
            let default_language =
                Lang::parse(&lang).with_context(|| format!("--lang {lang:?}: use nl or en"))?;
            let address_form = if informal {
                AddressForm::Informal
            } else {
                AddressForm::Formal
            };
            repo::create(
                &db,
                &NewTenant {
                    code: code.clone(),
                    name,
                    default_language,
                    address_form,
                },
            )
            .await?;
            println!("tenant {code} added");
        }
        TenantCommand::List => {
            for t in repo::list(&db).await? {
                println!("{}\t{}", t.code, t.name);
            }
        }
        TenantCommand::SetUrl { code, url } => {
            let url =
                repo::set_portal_url(&db, scope(&db, &code).await?, &url, &config.web).await?;
            println!("portal URL of {code}: {}", url.url);
        }
        TenantCommand::EnableModule { code, module }
        | TenantCommand::DisableModule { code, module }
            if registry.get(&module).is_none() =>
        {
            anyhow::bail!(
                "no module {module:?} is compiled in for {code}; available: {}",
                registry.names().join(", ")
            );
        }
        TenantCommand::EnableModule { code, module } => {
            repo::set_module_enabled(&db, scope(&db, &code).await?, &registry, &module, true)
                .await?;
            println!("module {module} enabled for {code}");
        }
        TenantCommand::DisableModule { code, module } => {
            repo::set_module_enabled(&db, scope(&db, &code).await?, &registry, &module, false)
                .await?;
            println!("module {module} disabled for {code}");
        }
        TenantCommand::SetParent {
            code,
            parent,
            inherit_branding,
        } => {
            let themes: Vec<String> = Vec::new();
            let patch = TenantPatch {
                parent_code: Some(parent.clone()),
                brand_inherit: Some(inherit_branding),
                ..TenantPatch::default()
            };
            repo::update(&db, scope(&db, &code).await?, &patch, &themes).await?;
            println!(
                "parent of {code}: {}",
                if parent.is_empty() {
                    "none"
                } else {
                    parent.as_str()
                }
            );
        }
        TenantCommand::ApiToken { code, name } => {
            let token = repo::create_api_token(&db, scope(&db, &code).await?, &name).await?;
            println!("{token}");
        }
    }
    Ok(())
}

const DEMO_CODE: &str = "demo";
const DEMO_LOGO: &[u8] = include_bytes!("../assets/demo-logo.svg");

/// Creates or refreshes the demo tenant; returns what to print.
async fn setup_demo(portal: &Portal) -> anyhow::Result<serde_json::Value> {
    let state = portal.state();
    let db = &state.db;
    let scope = match repo::scope_for_code(db, DEMO_CODE).await? {
        Some(s) => s,
        None => {
            let new = NewTenant {
                code: DEMO_CODE.into(),
                name: "Demo Energie".into(),
                default_language: Lang::Nl,
                address_form: AddressForm::Formal,
            };
            let s = repo::create(db, &new).await?;
            let patch = TenantPatch {
                support_email: Some("support@demo-energie.example".into()),
                website: Some("https://www.demo-energie.example".into()),
                phone: Some("+31 20 123 4567".into()),
                ..TenantPatch::default()
            };
            repo::update(db, s, &patch, state.renderer.themes()).await?;
            let colours = ColourInput {
                primary: Some("#0b6e4f".into()),
                primary_text: Some("#ffffff".into()),
                secondary: Some("#e6f4ee".into()),
                secondary_text: Some("#10231c".into()),
            };
            repo::set_colours(db, s, &colours, &Default::default())
                .await
                .map_err(|e| anyhow::anyhow!("demo colours refused: {e:?}"))?;
            let key = crate::files::BlobStore::new_key(s.tenant_id(), "logo", "svg");
            state.blobs.put(&key, DEMO_LOGO).await?;
            repo::set_image(db, s, repo::BrandImage::Logo, Some(&key)).await?;
            let message = MessageInput {
                page: "*".into(),
                kind: MessageKind::Warning,
                html: "<h3>Gepland onderhoud</h3><p>Op <strong>zaterdag</strong> is het klantportaal tussen 08:00 en 10:00 \
                       <u>niet bereikbaar</u>. <a href=\"https://www.demo-energie.example/onderhoud\">Meer informatie</a></p>"
                    .into(),
                starts_at: None,
                ends_at: None,
            };
            repo::add_message(db, s, &message).await?;
            // A mail in the development mailbox, to show where mail goes.
            let snapshot = state.cache.get().await?;
            if let Some(tenant) = snapshot.by_code(DEMO_CODE) {
                let to = crate::mail::Recipient {
                    address: "klant@demo-energie.example".into(),
                    name: "Demo Klant".into(),
                    lang: None,
                    form: None,
                };
                let mut tx = db.begin().await?;
                state
                    .mailer
                    .enqueue(
                        &mut tx,
                        tenant,
                        "core.test",
                        &to,
                        &crate::mail::MailValues::new(),
                    )
                    .await?;
                tx.commit().await?;
            }
            s
        }
    };
    // Dependency order, and enabling twice changes nothing.
    for name in state.registry.names() {
        repo::set_module_enabled(db, scope, &state.registry, name, true).await?;
    }
    let token = repo::create_api_token(db, scope, "demo").await?;
    let port = state
        .config
        .bind
        .rsplit(':')
        .next()
        .unwrap_or("8080")
        .to_string();
    Ok(serde_json::json!({
        "tenant": DEMO_CODE,
        "url": format!("http://{DEMO_CODE}.localhost:{port}/"),
        "shared_url": format!("http://127.0.0.1:{port}/{DEMO_CODE}/"),
        "api_docs": format!("http://{DEMO_CODE}.localhost:{port}/api/docs"),
        "mailbox": state.mailer.mailbox_pages().then(|| format!("http://{DEMO_CODE}.localhost:{port}/mailbox")),
        "api_token": token,
        "modules": state.registry.names(),
    }))
}
