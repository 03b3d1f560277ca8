//! Accounts and authentication: who may log in, how, and for how long.
//!
//! A portal account belongs to one tenant and one customer (organisation)
//! of that tenant. The tenant chooses how its customers log in (customer
//! number + e-mail, user name, or e-mail), its password policy, how long
//! its links and sessions last, and whether customers may register. All
//! state several processes must share (sessions, throttles, link tokens)
//! lives in the database.
//!
//! Layout:
//! - `settings.rs`: the tenant's auth settings (`auth.*`), with defaults from the seeds
//! - `password.rs`: argon2id hashing off the executor, and the password policy
//! - `accounts.rs`: customers and accounts: create, find by login mode, change
//! - `session.rs`: database-backed sessions and their cookie
//! - `throttle.rs`: failure counters with a growing lockout
//! - `tokens.rs`: single-use links (reset, invitation, confirmation)
//! - `totp.rs`: two-factor codes (RFC 6238) with replay protection, QR code
//! - `activity.rs`: the activity log staff see per account
//! - `mails.rs`: the mails this component sends (`auth.*`)
//! - `flows.rs`: what login, reset, registration and settings do, for pages and API alike

pub mod accounts;
pub mod activity;
pub mod device;
pub mod flows;
pub mod mails;
pub mod password;
pub mod session;
pub mod session_keep;
pub mod settings;
pub mod throttle;
pub mod tokens;
pub mod totp;

pub use accounts::{Account, LoginMode};
pub use session::{SESSION_COOKIE, SESSION_COOKIE_HTTPS, Session};
pub use settings::AuthSettings;

use sha2::{Digest, Sha256};

/// The hex SHA-256 of a secret value: what the database keeps of session
/// ids and link tokens, so a leaked table does not hand out sessions.
pub fn hash_secret(value: &str) -> String {
    hex::encode(Sha256::digest(value.as_bytes()))
}

/// A fresh random secret of 256 bits, hex-encoded.
pub fn new_secret() -> String {
    hex::encode(rand::random::<[u8; 32]>())
}
