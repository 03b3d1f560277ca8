//! Configuration: one TOML file plus `PORTAL_...` environment overrides.
//!
//! Every key has a default, so the portal runs with no file at all. The
//! environment variable of a key is `PORTAL_` followed by the key in upper
//! case with dots as underscores: `database.url` is `PORTAL_DATABASE_URL`.
//! A bad value stops start-up with a message naming key, value and what is
//! allowed (see [`ConfigError`]).

use std::net::SocketAddr;
use std::path::{Path, PathBuf};

use serde::Deserialize;

/// The whole configuration, as read from file and environment.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Config {
    /// Folder for the SQLite file, uploaded files and other state.
    pub data_dir: PathBuf,
    /// Address the HTTP server binds.
    pub bind: String,
    /// Apply pending migrations when `serve` starts.
    pub migrate_on_start: bool,
    /// Hex-encoded secret (at least 32 bytes) for CSRF tokens. When empty, a
    /// random secret is generated once and kept in the database, so every
    /// process that shares the database shares the secret.
    pub secret_key: Secret,
    /// `tracing` filter, e.g. `info` or `portal_core=debug`.
    pub log: String,
    /// `text` (for people) or `json` (one JSON object per line, for a log
    /// collector).
    pub log_format: String,
    /// Bearer token for `GET /metrics` (Prometheus text format); empty:
    /// no metrics endpoint (404).
    pub metrics_token: Secret,
    pub database: DatabaseConfig,
    pub web: WebConfig,
    pub files: FilesConfig,
    pub mail: MailConfig,
    pub events: EventsConfig,
}

/// How events reach the back-office's webhooks.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct EventsConfig {
    /// Allow `http://` webhook addresses (tests and local relays only;
    /// otherwise a webhook must be https).
    pub allow_http: bool,
    /// Attempts before an event's delivery counts as failed.
    pub max_attempts: u32,
    /// First retry after this many seconds; each next one waits twice as long (at most an hour).
    pub retry_base_secs: u64,
    /// How often the worker looks for due events when nothing woke it.
    pub poll_ms: u64,
}

impl Default for EventsConfig {
    fn default() -> Self {
        Self {
            allow_http: false,
            max_attempts: 10,
            retry_base_secs: 30,
            poll_ms: 2000,
        }
    }
}

/// How mail leaves the portal.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct MailConfig {
    /// `mailbox`: kept in the portal and shown at `/mailbox` (development and
    /// demos; nothing leaves the machine). `smtp`: sent through `smtp_host`.
    pub transport: String,
    pub smtp_host: String,
    pub smtp_port: u16,
    /// `starttls` (port 587), `tls` (port 465) or `none` (a local relay only).
    pub smtp_tls: String,
    pub smtp_username: String,
    pub smtp_password: Secret,
    pub smtp_timeout_secs: u64,
    /// Show the mailbox at `/mailbox` of each tenant (with `transport =
    /// "mailbox"`). Anyone who reaches the portal can read it there: for
    /// development and demos only (`portal demo` turns it on).
    pub mailbox_pages: bool,
    /// Sender address when the tenant set none (the name is the tenant's).
    pub from_address: String,
    /// Test mails a tenant may send per hour.
    pub test_mails_per_hour: u32,
    /// Attempts before a mail counts as failed.
    pub max_attempts: u32,
    /// First retry after this many seconds; each next one waits twice as long (at most an hour).
    pub retry_base_secs: u64,
    /// How often the worker looks for due mail when nothing woke it.
    pub poll_ms: u64,
}

impl Default for MailConfig {
    fn default() -> Self {
        Self {
            transport: "mailbox".into(),
            smtp_host: "localhost".into(),
            smtp_port: 587,
            smtp_tls: "starttls".into(),
            smtp_username: String::new(),
            smtp_password: Secret::default(),
            smtp_timeout_secs: 15,
            mailbox_pages: false,
            from_address: "portal@localhost".into(),
            test_mails_per_hour: 20,
            max_attempts: 8,
            retry_base_secs: 30,
            poll_ms: 1000,
        }
    }
}

/// A secret from the configuration: its `Debug` never shows it, so a
/// logged configuration leaks nothing.
#[derive(Clone, Default, Deserialize, PartialEq, Eq)]
#[serde(transparent)]
pub struct Secret(String);

impl Secret {
    pub fn expose(&self) -> &str {
        &self.0
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl std::fmt::Debug for Secret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(if self.0.is_empty() { "\"\"" } else { "\"***\"" })
    }
}

/// Where uploaded files (blobs) live.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct FilesConfig {
    /// `local` (a folder under `data_dir`) or `s3` (S3-compatible object
    /// storage, for several portal processes on several machines; needs the
    /// `s3` cargo feature).
    pub backend: String,
    pub s3_bucket: String,
    pub s3_region: String,
    /// For S3-compatible services other than AWS (MinIO, Ceph, ...).
    pub s3_endpoint: String,
    pub s3_access_key_id: String,
    pub s3_secret_access_key: Secret,
    /// Key prefix inside the bucket, so several portals can share one.
    pub s3_prefix: String,
}

impl Default for FilesConfig {
    fn default() -> Self {
        Self {
            backend: "local".into(),
            s3_bucket: String::new(),
            s3_region: "us-east-1".into(),
            s3_endpoint: String::new(),
            s3_access_key_id: String::new(),
            s3_secret_access_key: Secret::default(),
            s3_prefix: String::new(),
        }
    }
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct DatabaseConfig {
    /// `sqlite://path` or `postgres://...`; empty means `<data_dir>/portal.db`.
    pub url: String,
    /// Size of the read pool (SQLite) or the pool (PostgreSQL).
    pub max_connections: u32,
    /// How long SQLite waits for a lock held by another process.
    pub busy_timeout_ms: u64,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct WebConfig {
    /// Hosts on which every tenant is reached by its code as the first path
    /// segment (`https://portal.example.com/<code>/`), as in seed 002.
    pub shared_hosts: Vec<String>,
    /// In development, `<code>.<dev_domain>` resolves the tenant `<code>`.
    /// Empty turns the development fallback off.
    pub dev_domain: String,
    /// The portal is served over https (directly or behind a proxy): turns on
    /// HSTS and `__Host-` cookies.
    pub https: bool,
    /// A folder with `<theme>/templates` and `<theme>/static` that overrides
    /// the embedded themes, re-read on every request (for theme development).
    pub themes_dir: Option<PathBuf>,
    /// Largest logo or favicon upload, in bytes.
    pub max_upload_bytes: usize,
    /// Largest `multipart/form-data` request (a form with files, such as a
    /// ticket with attachments), in bytes: the operator's hard cap, checked
    /// while the body streams in. A module's own per-tenant limits apply
    /// within it and give the friendlier message.
    pub max_form_bytes: usize,
    /// Addresses of reverse proxies in front of the portal. From these
    /// peers the client address is read from `X-Forwarded-For` (for login
    /// throttles and the activity log); from any other peer the header is
    /// ignored, so nobody can pick their own address.
    pub trusted_proxies: Vec<String>,
}

impl Default for Config {
    fn default() -> Self {
        Self {
            data_dir: PathBuf::from("data"),
            bind: "127.0.0.1:8080".into(),
            migrate_on_start: true,
            secret_key: Secret::default(),
            log: "info".into(),
            log_format: "text".into(),
            metrics_token: Secret::default(),
            database: DatabaseConfig::default(),
            web: WebConfig::default(),
            files: FilesConfig::default(),
            mail: MailConfig::default(),
            events: EventsConfig::default(),
        }
    }
}

impl Default for DatabaseConfig {
    fn default() -> Self {
        Self {
            url: String::new(),
            max_connections: 8,
            busy_timeout_ms: 5000,
        }
    }
}

impl Default for WebConfig {
    fn default() -> Self {
        Self {
            shared_hosts: vec!["localhost".into(), "127.0.0.1".into()],
            dev_domain: "localhost".into(),
            https: false,
            themes_dir: None,
            max_upload_bytes: 512 * 1024,
            max_form_bytes: 64 * 1024 * 1024,
            trusted_proxies: vec![],
        }
    }
}

/// Why the configuration was refused. The text is shown to the operator as is.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("cannot read config file {path}: {source}")]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("config file {path}: {message}")]
    Parse { path: String, message: String },
    #[error("config key `{key}` = {value:?} is not valid: {allowed}")]
    Invalid {
        key: &'static str,
        value: String,
        allowed: String,
    },
}

/// Keys that may be set from the environment, with their kind.
const ENV_KEYS: &[(&str, EnvKind)] = &[
    ("data_dir", EnvKind::Str),
    ("bind", EnvKind::Str),
    ("migrate_on_start", EnvKind::Parsed),
    ("secret_key", EnvKind::Str),
    ("log", EnvKind::Str),
    ("log_format", EnvKind::Str),
    ("metrics_token", EnvKind::Str),
    ("database.url", EnvKind::Str),
    ("database.max_connections", EnvKind::Parsed),
    ("database.busy_timeout_ms", EnvKind::Parsed),
    ("web.shared_hosts", EnvKind::List),
    ("web.dev_domain", EnvKind::Str),
    ("web.https", EnvKind::Parsed),
    ("web.themes_dir", EnvKind::Str),
    ("web.max_upload_bytes", EnvKind::Parsed),
    ("web.max_form_bytes", EnvKind::Parsed),
    ("web.trusted_proxies", EnvKind::List),
    ("files.backend", EnvKind::Str),
    ("files.s3_bucket", EnvKind::Str),
    ("files.s3_region", EnvKind::Str),
    ("files.s3_endpoint", EnvKind::Str),
    ("files.s3_access_key_id", EnvKind::Str),
    ("files.s3_secret_access_key", EnvKind::Str),
    ("files.s3_prefix", EnvKind::Str),
    ("mail.transport", EnvKind::Str),
    ("mail.smtp_host", EnvKind::Str),
    ("mail.smtp_port", EnvKind::Parsed),
    ("mail.smtp_tls", EnvKind::Str),
    ("mail.smtp_username", EnvKind::Str),
    ("mail.smtp_password", EnvKind::Str),
    ("mail.smtp_timeout_secs", EnvKind::Parsed),
    ("mail.mailbox_pages", EnvKind::Parsed),
    ("mail.from_address", EnvKind::Str),
    ("mail.test_mails_per_hour", EnvKind::Parsed),
    ("mail.max_attempts", EnvKind::Parsed),
    ("mail.retry_base_secs", EnvKind::Parsed),
    ("mail.poll_ms", EnvKind::Parsed),
    ("events.allow_http", EnvKind::Parsed),
    ("events.max_attempts", EnvKind::Parsed),
    ("events.retry_base_secs", EnvKind::Parsed),
    ("events.poll_ms", EnvKind::Parsed),
];

#[derive(Clone, Copy)]
enum EnvKind {
    /// Taken as a string as it is.
    Str,
    /// A TOML scalar: number or boolean.
    Parsed,
    /// Comma-separated strings.
    List,
}

/// The environment variable that overrides `key`.
pub fn env_name(key: &str) -> String {
    format!("PORTAL_{}", key.replace('.', "_").to_uppercase())
}

impl Config {
    /// Reads the file (if given) and the process environment.
    ///
    /// # Errors
    /// A missing or unreadable file, bad TOML, an unknown key, a value of the
    /// wrong type or out of range.
    pub fn load(file: Option<&Path>) -> Result<Self, ConfigError> {
        let text = match file {
            Some(path) => std::fs::read_to_string(path).map_err(|source| ConfigError::Read {
                path: path.to_owned(),
                source,
            })?,
            None => String::new(),
        };
        let name = file.map_or_else(|| "(none)".to_string(), |p| p.display().to_string());
        Self::from_parts(&name, &text, |k| std::env::var(k).ok())
    }

    /// Builds the configuration from TOML text and an environment lookup.
    ///
    /// # Errors
    /// As [`Config::load`].
    pub fn from_parts(
        file_name: &str,
        text: &str,
        env: impl Fn(&str) -> Option<String>,
    ) -> Result<Self, ConfigError> {
        let parse_err = |message: String| ConfigError::Parse {
            path: file_name.to_string(),
            message,
        };
        let mut table: toml::Table = text
            .parse()
            .map_err(|e: toml::de::Error| parse_err(e.to_string()))?;
        for (key, kind) in ENV_KEYS {
            let var = env_name(key);
            let Some(raw) = env(&var) else { continue };
            let value = match kind {
                EnvKind::Str => toml::Value::String(raw.clone()),
                EnvKind::List => toml::Value::Array(
                    raw.split(',')
                        .map(str::trim)
                        .filter(|s| !s.is_empty())
                        .map(|s| toml::Value::String(s.to_string()))
                        .collect(),
                ),
                EnvKind::Parsed => {
                    let doc: toml::Table = format!("v = {raw}")
                        .parse()
                        .map_err(|_| invalid_env(key, &var, &raw))?;
                    doc.get("v")
                        .cloned()
                        .ok_or_else(|| invalid_env(key, &var, &raw))?
                }
            };
            set_path(&mut table, key, value);
        }
        let config: Config = toml::Value::Table(table)
            .try_into()
            .map_err(|e: toml::de::Error| parse_err(e.to_string()))?;
        config.validate()?;
        Ok(config)
    }

    fn validate(&self) -> Result<(), ConfigError> {
        if self.bind.parse::<SocketAddr>().is_err() {
            return Err(ConfigError::Invalid {
                key: "bind",
                value: self.bind.clone(),
                allowed: "an IP address and port, e.g. 127.0.0.1:8080 or 0.0.0.0:80".into(),
            });
        }
        if !matches!(self.log_format.as_str(), "text" | "json") {
            return Err(ConfigError::Invalid {
                key: "log_format",
                value: self.log_format.clone(),
                allowed: "text or json".into(),
            });
        }
        if !self.metrics_token.is_empty() && self.metrics_token.expose().len() < 16 {
            return Err(ConfigError::Invalid {
                key: "metrics_token",
                value: "***".into(),
                allowed: "at least 16 characters (or empty: no metrics)".into(),
            });
        }
        let url = &self.database.url;
        let known = url.starts_with("sqlite:")
            || url.starts_with("postgres://")
            || url.starts_with("postgresql://");
        if !url.is_empty() && !known {
            return Err(ConfigError::Invalid {
                key: "database.url",
                value: redact_url(url),
                allowed: "sqlite://<file>, postgres://... or empty for <data_dir>/portal.db".into(),
            });
        }
        if !(1..=256).contains(&self.database.max_connections) {
            return Err(ConfigError::Invalid {
                key: "database.max_connections",
                value: self.database.max_connections.to_string(),
                allowed: "a number from 1 to 256".into(),
            });
        }
        if self.database.busy_timeout_ms > 600_000 {
            return Err(ConfigError::Invalid {
                key: "database.busy_timeout_ms",
                value: self.database.busy_timeout_ms.to_string(),
                allowed: "at most 600000 (10 minutes)".into(),
            });
        }
        if !matches!(self.mail.transport.as_str(), "mailbox" | "smtp") {
            return Err(ConfigError::Invalid {
                key: "mail.transport",
                value: self.mail.transport.clone(),
                allowed: "mailbox (kept in the portal, for development) or smtp".into(),
            });
        }
        if !matches!(self.mail.smtp_tls.as_str(), "starttls" | "tls" | "none") {
            return Err(ConfigError::Invalid {
                key: "mail.smtp_tls",
                value: self.mail.smtp_tls.clone(),
                allowed: "starttls, tls or none".into(),
            });
        }
        if self.mail.from_address.parse::<lettre::Address>().is_err() {
            return Err(ConfigError::Invalid {
                key: "mail.from_address",
                value: self.mail.from_address.clone(),
                allowed: "an e-mail address such as portal@example.com".into(),
            });
        }
        if !(1..=300).contains(&self.mail.smtp_timeout_secs) {
            return Err(ConfigError::Invalid {
                key: "mail.smtp_timeout_secs",
                value: self.mail.smtp_timeout_secs.to_string(),
                allowed: "a number of seconds from 1 to 300".into(),
            });
        }
        if !(1..=100).contains(&self.mail.max_attempts) {
            return Err(ConfigError::Invalid {
                key: "mail.max_attempts",
                value: self.mail.max_attempts.to_string(),
                allowed: "a number from 1 to 100".into(),
            });
        }
        match self.files.backend.as_str() {
            "local" => {}
            "s3" if !cfg!(feature = "s3") => {
                return Err(ConfigError::Invalid {
                    key: "files.backend",
                    value: "s3".into(),
                    allowed: "local (this portal was built without the s3 cargo feature)".into(),
                });
            }
            "s3" if self.files.s3_bucket.is_empty() => {
                return Err(ConfigError::Invalid {
                    key: "files.s3_bucket",
                    value: String::new(),
                    allowed: "the bucket name, required when files.backend = s3".into(),
                });
            }
            "s3" => {}
            other => {
                return Err(ConfigError::Invalid {
                    key: "files.backend",
                    value: other.into(),
                    allowed: "local or s3".into(),
                });
            }
        }
        if !self.secret_key.is_empty()
            && hex::decode(self.secret_key.expose()).map_or(true, |k| k.len() < 32)
        {
            return Err(ConfigError::Invalid {
                key: "secret_key",
                value: "(hidden)".into(),
                allowed: "at least 64 hexadecimal characters (32 bytes), or empty to generate one"
                    .into(),
            });
        }
        if !(1024..=50 * 1024 * 1024).contains(&self.web.max_upload_bytes) {
            return Err(ConfigError::Invalid {
                key: "web.max_upload_bytes",
                value: self.web.max_upload_bytes.to_string(),
                allowed: "a number of bytes from 1024 to 52428800".into(),
            });
        }
        if !(1024 * 1024..=1024 * 1024 * 1024).contains(&self.web.max_form_bytes) {
            return Err(ConfigError::Invalid {
                key: "web.max_form_bytes",
                value: self.web.max_form_bytes.to_string(),
                allowed: "a number of bytes from 1048576 (1 MiB) to 1073741824 (1 GiB)".into(),
            });
        }
        if let Some(bad) = self
            .web
            .trusted_proxies
            .iter()
            .find(|p| p.trim().parse::<std::net::IpAddr>().is_err())
        {
            return Err(ConfigError::Invalid {
                key: "web.trusted_proxies",
                value: bad.clone(),
                allowed: "IP addresses of the reverse proxies, e.g. [\"127.0.0.1\", \"10.0.0.5\"]"
                    .into(),
            });
        }
        if tracing_subscriber::EnvFilter::try_new(&self.log).is_err() {
            return Err(ConfigError::Invalid {
                key: "log",
                value: self.log.clone(),
                allowed: "a tracing filter such as info, warn or portal_core=debug".into(),
            });
        }
        Ok(())
    }

    /// The database URL in use: the configured one or the SQLite file in the data folder.
    pub fn database_url(&self) -> String {
        if self.database.url.is_empty() {
            format!("sqlite://{}", self.data_dir.join("portal.db").display())
        } else {
            self.database.url.clone()
        }
    }
}

fn invalid_env(key: &'static str, var: &str, raw: &str) -> ConfigError {
    ConfigError::Invalid {
        key,
        value: raw.to_string(),
        allowed: format!("{var} must be a number or true/false"),
    }
}

fn set_path(table: &mut toml::Table, key: &str, value: toml::Value) {
    match key.split_once('.') {
        None => {
            table.insert(key.to_string(), value);
        }
        Some((section, rest)) => {
            let entry = table
                .entry(section.to_string())
                .or_insert_with(|| toml::Value::Table(toml::Table::new()));
            if let toml::Value::Table(inner) = entry {
                set_path(inner, rest, value);
            }
        }
    }
}

/// A database URL with its password replaced, safe to show or log.
pub fn redact_url(url: &str) -> String {
    match url::Url::parse(url) {
        Ok(mut u) if u.password().is_some() => {
            let _ = u.set_password(Some("***"));
            u.to_string()
        }
        _ => url.to_string(),
    }
}
