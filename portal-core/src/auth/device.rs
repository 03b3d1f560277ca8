//! Device cookies: a browser that logged in to an account before is not
//! held back by wrong passwords typed elsewhere (OWASP's "device cookie"
//! answer to lockout as a denial of service; ARCHITECTURE.md, "Login
//! throttling").
//!
//! After a right password the browser gets a cookie naming the accounts it
//! has logged in to (at most [`MAX_ACCOUNTS`], newest last) and a random
//! device id, signed with HMAC-SHA256 under the portal's secret and the
//! tenant id. It proves only that this browser once knew the password: a
//! login from it is throttled by its own key (identity plus device id),
//! not by the identity's or the address's counters, so a stolen cookie
//! still allows no more guesses than the lock allows one browser.

use hmac::{Hmac, Mac};
use sha2::Sha256;

/// The most accounts one browser remembers (a family sharing a laptop).
pub const MAX_ACCOUNTS: usize = 5;
/// How long a device cookie lasts (renewed at every login).
pub const MAX_AGE_SECS: i64 = 400 * 24 * 3600;

/// Whose logins a device cookie speaks for: customers' accounts and staff
/// members have their own ids, so each has its own cookie and signature.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Holder {
    Customer,
    Staff,
}

impl Holder {
    const fn tag(self) -> &'static str {
        match self {
            Self::Customer => "device",
            Self::Staff => "staff_device",
        }
    }
}

/// A verified device cookie.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Device {
    /// Random, 128 bits, hex: names this browser in throttle keys.
    pub id: String,
    /// The accounts this browser logged in to.
    pub accounts: Vec<i64>,
}

impl Device {
    /// True when this browser has logged in to `account` before.
    pub fn knows(&self, account: i64) -> bool {
        self.accounts.contains(&account)
    }
}

/// The cookie's name: one per tenant, because tenants on a shared host
/// share the browser's cookies by name.
pub fn cookie_name(https: bool, tenant_id: i64, holder: Holder) -> String {
    let tag = holder.tag();
    if https {
        format!("__Host-portal_{tag}_{tenant_id}")
    } else {
        format!("portal_{tag}_{tenant_id}")
    }
}

fn mac(secret: &[u8], tenant_id: i64, holder: Holder, body: &str) -> Hmac<Sha256> {
    // HMAC takes keys of any length; this cannot fail.
    let mut m = <Hmac<Sha256> as Mac>::new_from_slice(secret).unwrap_or_else(|_| unreachable!());
    m.update(format!("{}:{tenant_id}:{body}", holder.tag()).as_bytes());
    m
}

/// Reads a cookie value; `None` when it is malformed or not signed by this
/// portal for this tenant.
pub fn parse(secret: &[u8], tenant_id: i64, holder: Holder, value: &str) -> Option<Device> {
    let (body, sig) = value.rsplit_once('.')?;
    let sig = hex::decode(sig).ok()?;
    mac(secret, tenant_id, holder, body)
        .verify_slice(&sig)
        .ok()?;
    let (id, ids) = body.split_once('.')?;
    if id.len() != 32 || !id.chars().all(|c| c.is_ascii_hexdigit()) {
        return None;
    }
    let accounts = if ids.is_empty() {
        Vec::new()
    } else {
        ids.split('-')
            .map(str::parse)
            .collect::<Result<Vec<i64>, _>>()
            .ok()?
    };
    Some(Device {
        id: id.to_string(),
        accounts,
    })
}

/// The cookie value after `account` logged in on this browser: the earlier
/// device (same id, the account moved to the end) or a new one.
pub fn issue(
    secret: &[u8],
    tenant_id: i64,
    holder: Holder,
    earlier: Option<&Device>,
    account: i64,
) -> String {
    let id = earlier.map_or_else(|| hex::encode(rand::random::<[u8; 16]>()), |d| d.id.clone());
    let mut accounts: Vec<i64> = earlier
        .map(|d| d.accounts.clone())
        .unwrap_or_default()
        .into_iter()
        .filter(|a| *a != account)
        .collect();
    accounts.push(account);
    let skip = accounts.len().saturating_sub(MAX_ACCOUNTS);
    let ids: Vec<String> = accounts[skip..].iter().map(i64::to_string).collect();
    let body = format!("{id}.{}", ids.join("-"));
    let sig = hex::encode(
        mac(secret, tenant_id, holder, &body)
            .finalize()
            .into_bytes(),
    );
    format!("{body}.{sig}")
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    const SECRET: &[u8] = b"0123456789abcdef0123456789abcdef";
    const C: Holder = Holder::Customer;

    #[test]
    fn a_cookie_names_its_accounts_and_keeps_its_id() {
        let first = parse(SECRET, 7, C, &issue(SECRET, 7, C, None, 11)).unwrap();
        assert!(first.knows(11) && !first.knows(12));
        let second = parse(SECRET, 7, C, &issue(SECRET, 7, C, Some(&first), 12)).unwrap();
        assert_eq!(second.id, first.id);
        assert_eq!(second.accounts, vec![11, 12]);
    }

    #[test]
    fn a_cookie_remembers_the_newest_accounts_only() {
        let mut d: Option<Device> = None;
        for a in 1..=8 {
            d = parse(SECRET, 7, C, &issue(SECRET, 7, C, d.as_ref(), a));
        }
        assert_eq!(d.unwrap().accounts, vec![4, 5, 6, 7, 8]);
    }

    #[test]
    fn a_forged_or_foreign_cookie_is_refused() {
        let v = issue(SECRET, 7, C, None, 11);
        assert!(parse(SECRET, 8, C, &v).is_none(), "another tenant");
        assert!(parse(b"another secret", 7, C, &v).is_none());
        // A customer's cookie speaks for no staff member of the same id.
        assert!(parse(SECRET, 7, Holder::Staff, &v).is_none());
        let (body, sig) = v.rsplit_once('.').unwrap();
        let forged = format!("{}-12.{sig}", body);
        assert!(parse(SECRET, 7, C, &forged).is_none());
        assert!(parse(SECRET, 7, C, "garbage").is_none());
    }
}
