//! The command line every portal binary's `main` calls: `portal::cli::run()`.

use std::path::PathBuf;

use anyhow::Context as _;
use clap::{Parser, Subcommand};

use crate::app::{Portal, migrate_all};
use crate::auth::activity::By;
use crate::config::Config;
use crate::db::{Db, DbOptions};
use crate::module::Registry;
use crate::tenant::repo::{self, NewTenant, TenantPatch};
use crate::tenant::{AddressForm, Lang};

pub mod demo;
mod new_module;

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
    /// Import customers (with locations) and portal accounts from a file in
    /// the sync API's format: JSON (`{"customers": [...], "accounts": [...]}`
    /// or a bare array of customers) or CSV with a header row (one row per
    /// customer and location; a header with `customer_external_id` means
    /// accounts). New accounts get no mail.
    Import {
        /// The tenant's code.
        tenant: String,
        /// The file (.json or .csv).
        file: PathBuf,
        /// No progress bar (for scripts and logs).
        #[arg(long)]
        quiet: bool,
    },
    /// Manage portal accounts of a tenant's customers.
    #[command(subcommand)]
    Account(AccountCommand),
    /// Manage a tenant's staff (they log in at /staff, with 2FA).
    #[command(subcommand)]
    Staff(StaffCommand),
    /// Write a new module crate (modules/<name>: a permission, a migration,
    /// a page, a back-office API operation, demo data and a test) and wire
    /// it into the workspace as cargo feature <name>. Run in the workspace.
    NewModule {
        /// Lower-case letters, digits and _: its URL prefix, table prefix and feature.
        name: String,
        /// The workspace folder.
        #[arg(long, default_value = ".")]
        root: PathBuf,
    },
    /// Write a consistent copy of the live SQLite database and the local
    /// files into one new file (a tar archive); the portal keeps running.
    /// PostgreSQL: use pg_dump (the README's operations section).
    Backup {
        /// The archive to write (must not exist).
        file: PathBuf,
    },
    /// Restore a backup made by `portal backup` (stop the portal first).
    /// The current database and files are moved to before-restore-<time>/.
    Restore {
        /// The archive.
        file: PathBuf,
        /// Replace an existing database (it is kept, not deleted).
        #[arg(long)]
        force: bool,
    },
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
    /// Create a back-office API key for a tenant (shown once).
    ApiToken {
        code: String,
        #[arg(long, default_value = "back-office")]
        name: String,
        /// What the key may reach: `*` or a comma-separated list of
        /// tenant, mail, accounts, sync and module names.
        #[arg(long, default_value = "*")]
        scopes: String,
    },
    /// List a tenant's API keys (never the keys themselves).
    ApiTokens { code: String },
    /// Revoke an API key by its id (from `api-tokens`).
    RevokeToken { code: String, id: i64 },
}

#[derive(Debug, Subcommand)]
enum StaffCommand {
    /// Add a staff member; prints a first password (shown once). They set
    /// up two-step verification at their first login.
    Add {
        tenant: String,
        email: String,
        #[arg(long, default_value = "")]
        name: String,
        /// admin (everything, including API keys and settings) or support.
        #[arg(long, default_value = "support")]
        role: String,
    },
    /// List a tenant's staff.
    List { tenant: String },
    /// Deactivate a staff member (their sessions end).
    Deactivate { tenant: String, id: i64 },
    /// A forgotten password or lost phone: prints a new first password
    /// (shown once) and removes 2FA, which they set up again at login.
    Reset { tenant: String, id: i64 },
}

#[derive(Debug, Subcommand)]
enum AccountCommand {
    /// Add an account (and its customer when new) and send its welcome mail.
    Add {
        /// The tenant's code.
        tenant: String,
        /// The back-office's customer number.
        #[arg(long)]
        customer: String,
        #[arg(long)]
        email: String,
        /// Login name in the `username` mode (defaults to the e-mail).
        #[arg(long)]
        username: Option<String>,
        /// The user's name.
        #[arg(long, default_value = "")]
        name: String,
        /// The customer's name when it is new.
        #[arg(long, default_value = "")]
        customer_name: String,
        /// An extra account beside the customer's main account.
        #[arg(long)]
        extra: bool,
        /// invite (a link to set a password), created (a notice; the user
        /// uses "forgot password") or none.
        #[arg(long, default_value = "invite")]
        welcome: String,
    },
    /// List a tenant's accounts.
    List { tenant: String },
    /// Send an invitation link (set a password).
    Invite { tenant: String, id: i64 },
    /// Send a password reset link.
    ResetLink { tenant: String, id: i64 },
    /// Deactivate an account: its sessions end at once.
    Deactivate { tenant: String, id: i64 },
    /// Activate an account again.
    Activate { tenant: String, id: i64 },
    /// Switch off an account's two-factor authentication (the user gets a mail).
    ResetTwoFactor { tenant: String, id: i64 },
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
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr);
    let _ = if config.log_format == "json" {
        builder.json().try_init()
    } else {
        builder.try_init()
    };
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
        Command::Backup { file } => {
            // No migrations: a backup never changes the live database.
            let registry = Registry::from_inventory()?;
            let url = config.database_url();
            let db = Db::connect(&url, DbOptions::default())
                .await
                .with_context(|| format!("opening {}", crate::config::redact_url(&url)))?;
            let blobs = crate::files::BlobStore::from_config(&config)?;
            let m = crate::backup::backup(&db, &blobs, &registry, &file).await?;
            println!(
                "backup written to {}: database {} KB, {} files ({} KB){}{}",
                file.display(),
                m.database_bytes / 1024,
                m.files,
                m.file_bytes / 1024,
                if m.files_missing > 0 {
                    format!(", {} files removed while copying", m.files_missing)
                } else {
                    String::new()
                },
                if m.files_in_bucket {
                    "; the files are in the S3 bucket, back it up with the bucket's tools"
                } else {
                    ""
                },
            );
            Ok(())
        }
        Command::Restore { file, force } => {
            let url = config.database_url();
            let Some(path) = url.strip_prefix("sqlite://") else {
                anyhow::bail!(
                    "this portal runs on PostgreSQL: restore it with pg_restore (the README's operations section)"
                );
            };
            let target = crate::backup::Target {
                database: PathBuf::from(path.split('?').next().unwrap_or(path)),
                files: (config.files.backend != "s3").then(|| config.data_dir.join("files")),
            };
            let r = crate::backup::restore(&file, &target, force).await?;
            println!(
                "restored the backup of {} into {}",
                r.manifest.created_at.format("%Y-%m-%d %H:%M:%S UTC"),
                target.database.display()
            );
            if let Some(kept) = r.kept_in {
                println!(
                    "the database and files it replaced are in {}",
                    kept.display()
                );
            }
            Ok(())
        }
        Command::Migrate => {
            open_db(&config).await?;
            println!("migrations applied");
            Ok(())
        }
        Command::NewModule { name, root } => {
            for path in new_module::run(&root, &name)? {
                println!("wrote {}", path.display());
            }
            // The layout rustfmt gives (long names wrap differently).
            let formatted = std::process::Command::new("cargo")
                .args(["fmt", "-p", &format!("portal-{name}")])
                .current_dir(&root)
                .status();
            if !formatted.is_ok_and(|s| s.success()) {
                eprintln!("note: `cargo fmt` did not run; format the new crate yourself");
            }
            println!(
                "module {name}: build it with `cargo test -p portal-{name}`; \
                 turn it on for a tenant with `portal tenant enable-module <code> {name}`"
            );
            Ok(())
        }
        Command::Tenant(t) => tenant_command(t, &config).await,
        Command::Account(a) => account_command(a, config).await,
        Command::Staff(c) => staff_command(c, config).await,
        Command::Import {
            tenant,
            file,
            quiet,
        } => import_command(&tenant, &file, quiet, &config).await,
        Command::Demo { json, no_serve } => {
            let mut config = config;
            // The demo shows its mail in the portal (never on a real mail server's setup).
            config.mail.mailbox_pages = config.mail.transport == "mailbox";
            let portal = Portal::open(config, true).await?;
            let info = demo::setup(&portal).await?;
            if json {
                println!("{}", serde_json::to_string(&info)?);
            } else {
                println!("Demo portal ready.");
                println!("  Open:            {}", info["url"].as_str().unwrap_or(""));
                println!(
                    "  Or (shared host): {}",
                    info["shared_url"].as_str().unwrap_or("")
                );
                println!("  Logins (password {}):", demo::PASSWORD);
                for l in info["logins"].as_array().into_iter().flatten() {
                    let s = |k: &str| l[k].as_str().unwrap_or("").to_string();
                    let who = match s("login_mode").as_str() {
                        "customer_number_email" => {
                            format!(
                                "customer number {} + e-mail {}",
                                s("customer_number"),
                                s("login")
                            )
                        }
                        "username" => format!("user name {}", s("login")),
                        _ => format!("e-mail {}", s("login")),
                    };
                    println!("    {:<22} {who}", s("url"));
                }
                println!(
                    "  Staff:           {}  e-mail {} (sets up 2FA at first login)",
                    info["staff"]["url"].as_str().unwrap_or(""),
                    info["staff"]["email"].as_str().unwrap_or("")
                );
                println!(
                    "  Back-office API token: {}",
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

/// Reads the file, checks its form, then syncs it in calls of
/// [`crate::access::sync::MAX_ROWS`] with a progress bar; prints the counts
/// and every refused row with its errors.
async fn import_command(
    code: &str,
    file: &std::path::Path,
    quiet: bool,
    config: &Config,
) -> anyhow::Result<()> {
    use crate::access::{import_file, sync, sync_accounts};
    let data = import_file::read(file).map_err(anyhow::Error::msg)?;
    let portal = Portal::open(config.clone(), true).await?;
    let state = portal.state();
    let db = &state.db;
    let scope = scope(db, code).await?;
    let progress = |n: usize, what: &str| {
        let bar = if quiet {
            indicatif::ProgressBar::hidden()
        } else {
            indicatif::ProgressBar::new(n as u64)
        };
        bar.set_style(
            indicatif::ProgressStyle::with_template(&format!(
                "{{bar:40}} {{pos}}/{{len}} {what} ({{per_sec}}, {{eta}} left)"
            ))
            .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
        );
        bar
    };
    let print = |what: &str, n: usize, c: &sync::SyncCounts, refused: &[sync::RowResult]| {
        println!(
            "{n} {what}: {} created, {} updated, {} unchanged, {} refused",
            c.created, c.updated, c.unchanged, c.invalid
        );
        for r in refused {
            println!("  refused {}: {}", r.external_id, r.errors.join("; "));
        }
    };
    let add = |total: &mut sync::SyncCounts,
               refused: &mut Vec<sync::RowResult>,
               report: sync::SyncReport| {
        total.created += report.counts.created;
        total.updated += report.counts.updated;
        total.unchanged += report.counts.unchanged;
        total.invalid += report.counts.invalid;
        refused.extend(report.rows.into_iter().filter(|r| !r.errors.is_empty()));
    };
    if !data.customers.is_empty() {
        let bar = progress(data.customers.len(), "customers");
        let (mut counts, mut refused) = (sync::SyncCounts::default(), Vec::new());
        for chunk in data.customers.chunks(sync::MAX_ROWS) {
            add(
                &mut counts,
                &mut refused,
                sync::upsert_customers(db, scope, chunk).await?,
            );
            bar.inc(chunk.len() as u64);
        }
        bar.finish_and_clear();
        print("customers", data.customers.len(), &counts, &refused);
        let snapshot = state.cache.get().await?;
        if let Some(t) = snapshot.by_id(scope.tenant_id()) {
            let ids: Vec<String> = data
                .customers
                .iter()
                .map(|c| c.external_id.trim().to_string())
                .collect();
            crate::access::login_email::follow_customers(
                &state.deps(),
                t,
                &crate::auth::activity::By::operator(),
                &ids,
            )
            .await?;
        }
    }
    if !data.accounts.is_empty() {
        let snapshot = state.cache.get().await?;
        let tenant = snapshot
            .by_code(code)
            .with_context(|| format!("no tenant {code:?}"))?
            .clone();
        let bar = progress(data.accounts.len(), "accounts");
        let (mut counts, mut refused) = (sync::SyncCounts::default(), Vec::new());
        for chunk in data.accounts.chunks(sync_accounts::MAX_ACCOUNTS) {
            let report = sync_accounts::upsert_accounts(
                &state.deps(),
                &tenant,
                &By::operator(),
                crate::auth::flows::staff::Welcome::None,
                chunk,
            )
            .await?;
            add(&mut counts, &mut refused, report);
            bar.inc(chunk.len() as u64);
        }
        bar.finish_and_clear();
        print("accounts", data.accounts.len(), &counts, &refused);
    }
    Ok(())
}

async fn staff_command(command: StaffCommand, config: Config) -> anyhow::Result<()> {
    use crate::staff::{StaffRole, members};
    let portal = Portal::open(config, true).await?;
    let state = portal.state();
    let db = &state.db;
    match command {
        StaffCommand::Add {
            tenant,
            email,
            name,
            role,
        } => {
            let role = StaffRole::parse(&role)
                .with_context(|| format!("--role {role:?}: use admin, support or editor"))?;
            let password = members::first_password();
            let hash = state.hasher.hash(&password).await?;
            let id =
                members::create(db, scope(db, &tenant).await?, &email, &name, role, &hash).await?;
            println!("staff member {id} ({}) added to {tenant}", role.code());
            println!("first password (shown once): {password}");
            println!("they log in at /staff/login and set up two-step verification there");
        }
        StaffCommand::List { tenant } => {
            for m in members::list(db, scope(db, &tenant).await?).await? {
                println!(
                    "{}\t{}\t{}\t{}\t2FA {}",
                    m.id,
                    m.email,
                    m.role,
                    if m.active { "active" } else { "inactive" },
                    if m.totp_secret.is_some() {
                        "on"
                    } else {
                        "not set up"
                    }
                );
            }
        }
        StaffCommand::Deactivate { tenant, id } => {
            if !members::set_active(db, scope(db, &tenant).await?, id, false).await? {
                anyhow::bail!("tenant {tenant} has no staff member {id}");
            }
            println!("staff member {id} deactivated");
        }
        StaffCommand::Reset { tenant, id } => {
            let password = members::first_password();
            let hash = state.hasher.hash(&password).await?;
            if !members::reset(db, scope(db, &tenant).await?, id, &hash).await? {
                anyhow::bail!("tenant {tenant} has no staff member {id}");
            }
            println!("new first password for staff member {id} (shown once): {password}");
        }
    }
    Ok(())
}

async fn account_command(command: AccountCommand, config: Config) -> anyhow::Result<()> {
    use crate::auth::accounts;
    use crate::auth::flows::staff::{self, StaffNewAccount, Welcome};
    use crate::auth::tokens::Purpose;
    let portal = Portal::open(config, true).await?;
    let state = portal.state();
    let code = match &command {
        AccountCommand::Add { tenant, .. }
        | AccountCommand::List { tenant }
        | AccountCommand::Invite { tenant, .. }
        | AccountCommand::ResetLink { tenant, .. }
        | AccountCommand::Deactivate { tenant, .. }
        | AccountCommand::Activate { tenant, .. }
        | AccountCommand::ResetTwoFactor { tenant, .. } => tenant.clone(),
    };
    let snapshot = state.cache.get().await?;
    let tenant = snapshot
        .by_code(&code)
        .with_context(|| format!("no tenant with code {code:?} (see `portal tenant list`)"))?
        .clone();
    let account = |id: i64| {
        let state = state.clone();
        let tenant = tenant.clone();
        async move {
            accounts::by_id(&state.db, tenant.scope(), id)
                .await?
                .with_context(|| {
                    format!("no account {id} for tenant {code} (see `portal account list {code}`)")
                })
        }
    };
    match command {
        AccountCommand::Add {
            customer,
            email,
            username,
            name,
            customer_name,
            extra,
            welcome,
            ..
        } => {
            let welcome = match welcome.as_str() {
                "invite" => Welcome::Invite,
                "created" => Welcome::Created,
                "none" => Welcome::None,
                other => anyhow::bail!("--welcome {other:?}: use invite, created or none"),
            };
            let n = StaffNewAccount {
                customer_number: customer,
                customer_name,
                email,
                username,
                display_name: name,
                lang: None,
                extra,
                active: true,
                welcome,
            };
            match staff::create_account(&state.deps(), &tenant, &By::operator(), &n).await? {
                Ok(a) => println!("account {} created for {}", a.id, a.email),
                Err(e) => anyhow::bail!("{e}"),
            }
        }
        AccountCommand::List { .. } => {
            for a in accounts::list(&state.db, tenant.scope(), None).await? {
                println!(
                    "{}\t{}\t{}\t{}\t{}{}",
                    a.id,
                    a.customer_number,
                    a.email,
                    a.username.as_deref().unwrap_or("-"),
                    if a.active { "active" } else { "inactive" },
                    if a.totp_enabled() { "\t2FA" } else { "" }
                );
            }
        }
        AccountCommand::Invite { id, .. } => {
            staff::send_link(
                &state.deps(),
                &tenant,
                &By::operator(),
                &account(id).await?,
                Purpose::Invite,
            )
            .await?;
            println!("invitation queued");
        }
        AccountCommand::ResetLink { id, .. } => {
            staff::send_link(
                &state.deps(),
                &tenant,
                &By::operator(),
                &account(id).await?,
                Purpose::Reset,
            )
            .await?;
            println!("reset link queued");
        }
        AccountCommand::Deactivate { id, .. } => {
            staff::set_active(
                &state.deps(),
                &tenant,
                &By::operator(),
                &account(id).await?,
                false,
            )
            .await?;
            println!("account {id} deactivated; its sessions ended");
        }
        AccountCommand::Activate { id, .. } => {
            staff::set_active(
                &state.deps(),
                &tenant,
                &By::operator(),
                &account(id).await?,
                true,
            )
            .await?;
            println!("account {id} activated");
        }
        AccountCommand::ResetTwoFactor { id, .. } => {
            staff::reset_totp(&state.deps(), &tenant, &By::operator(), &account(id).await?).await?;
            println!("two-factor authentication of account {id} switched off; the user is mailed");
        }
    }
    // Mail queued here is sent by the serving process's worker.
    Ok(())
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
        TenantCommand::ApiToken { code, name, scopes } => {
            let modules: Vec<&str> = registry.iter().map(|m| m.name()).collect();
            let scopes = repo::parse_scopes(&scopes, &modules).map_err(anyhow::Error::msg)?;
            let token =
                repo::create_api_token(&db, scope(&db, &code).await?, &name, &scopes).await?;
            println!("{token}");
        }
        TenantCommand::ApiTokens { code } => {
            for k in repo::api_keys(&db, scope(&db, &code).await?).await? {
                let state = if k.revoked_at.is_some() {
                    "revoked"
                } else {
                    "live"
                };
                let used = k
                    .last_used_at
                    .map_or_else(|| "never".to_string(), |t| t.to_rfc3339());
                println!(
                    "{}\t{}\t{}\t{state}\tlast used {used}",
                    k.id, k.name, k.scopes
                );
            }
        }
        TenantCommand::RevokeToken { code, id } => {
            if !repo::revoke_api_key(&db, scope(&db, &code).await?, id).await? {
                anyhow::bail!("tenant {code} has no live API key {id}");
            }
            println!("revoked API key {id}");
        }
    }
    Ok(())
}
