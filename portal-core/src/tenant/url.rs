//! Portal URL validation (seed 004: checked at once on save, with a clear message).

use url::{Host, Url};

/// A checked portal URL: `https://<domain>[:port]` (plain http only for
/// localhost names), lower-case, internationalised names as punycode.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PortalUrl {
    /// The canonical URL, without a trailing slash: `https://xn--bcher-kva.example`.
    pub url: String,
    /// What a request's `Host` header must equal: `host` or `host:port`.
    pub host: String,
}

/// Why a portal URL was refused: a Fluent key for the staff pages (nl and
/// en; `{ $url }` and `{ $detail }` available) and the English message the
/// back-office API returns.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UrlError {
    pub key: &'static str,
    pub message: String,
}

impl std::fmt::Display for UrlError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

fn refuse(key: &'static str, message: impl Into<String>) -> UrlError {
    UrlError {
        key,
        message: message.into(),
    }
}

/// Checks a portal URL as typed by staff.
///
/// # Errors
/// A message for the person who typed it, saying what is wrong.
pub fn parse_portal_url(input: &str) -> Result<PortalUrl, UrlError> {
    let input = input.trim();
    if input.is_empty() {
        return Err(refuse(
            "url-error-empty",
            "enter the portal URL, e.g. https://portal.example.com",
        ));
    }
    if !input.contains("://") {
        return Err(refuse(
            "url-error-not-absolute",
            format!("{input:?} is not an absolute URL: it must start with https://"),
        ));
    }
    let url = Url::parse(input).map_err(|e| {
        refuse(
            "url-error-invalid",
            format!("{input:?} is not a valid URL: {e}"),
        )
    })?;
    let host = match url.host() {
        Some(Host::Domain(d)) => d.to_string(),
        Some(Host::Ipv4(_) | Host::Ipv6(_)) => {
            return Err(refuse(
                "url-error-ip",
                "use a domain name, not an IP address",
            ));
        }
        None => return Err(refuse("url-error-no-domain", "the URL has no domain name")),
    };
    let local = host == "localhost" || host.ends_with(".localhost");
    match url.scheme() {
        "https" => {}
        "http" if local => {}
        "http" => {
            return Err(refuse(
                "url-error-https",
                "the portal URL must use https:// (plain http:// is only allowed for localhost)",
            ));
        }
        other => {
            return Err(refuse(
                "url-error-https",
                format!("the scheme {other}:// is not allowed: use https://"),
            ));
        }
    }
    if !url.username().is_empty() || url.password().is_some() {
        return Err(refuse(
            "url-error-credentials",
            "the URL must not contain a user name or password",
        ));
    }
    if url.query().is_some() {
        return Err(refuse(
            "url-error-query",
            "the URL must not contain a query (?...)",
        ));
    }
    if url.fragment().is_some() {
        return Err(refuse(
            "url-error-fragment",
            "the URL must not contain a fragment (#...)",
        ));
    }
    if url.path() != "/" {
        return Err(refuse(
            "url-error-path",
            format!(
                "the URL must not contain a path ({}): give the portal its own domain, or use the shared address with the company code",
                url.path()
            ),
        ));
    }
    if !local {
        check_domain(&host)?;
    }
    let host_key = match url.port() {
        Some(p) => format!("{host}:{p}"),
        None => host.clone(),
    };
    Ok(PortalUrl {
        url: format!("{}://{host_key}", url.scheme()),
        host: host_key,
    })
}

/// The rules of a public DNS name, checked on its punycode form.
fn check_domain(host: &str) -> Result<(), UrlError> {
    if host.len() > 253 {
        return Err(refuse(
            "url-error-domain",
            "the domain name is longer than 253 characters",
        ));
    }
    let labels: Vec<&str> = host.split('.').collect();
    if labels.len() < 2 {
        return Err(refuse(
            "url-error-domain",
            format!("{host:?} is not a complete domain name (e.g. portal.example.com)"),
        ));
    }
    for label in &labels {
        if label.is_empty() || label.len() > 63 {
            return Err(refuse(
                "url-error-domain",
                format!(
                    "{host:?} is not a valid domain name: each part must have 1 to 63 characters"
                ),
            ));
        }
        if label.starts_with('-') || label.ends_with('-') {
            return Err(refuse(
                "url-error-domain",
                format!("{host:?} is not a valid domain name: a part may not start or end with -"),
            ));
        }
        if !label.chars().all(|c| c.is_ascii_alphanumeric() || c == '-') {
            return Err(refuse(
                "url-error-domain",
                format!(
                    "{host:?} is not a valid domain name: only letters, digits and - are allowed"
                ),
            ));
        }
    }
    let tld = labels[labels.len() - 1];
    let tld_ok =
        tld.len() >= 2 && (tld.chars().all(|c| c.is_ascii_alphabetic()) || tld.starts_with("xn--"));
    if !tld_ok {
        return Err(refuse(
            "url-error-domain",
            format!("{host:?} does not end in a valid top-level domain"),
        ));
    }
    Ok(())
}
