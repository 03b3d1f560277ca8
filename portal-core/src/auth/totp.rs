//! Two-factor codes (RFC 6238: SHA-1, 6 digits, 30 s steps, as every
//! authenticator app expects). totp-rs computes the codes; replay
//! protection is ours: the last accepted time step is stored per account
//! and a code of that step or an earlier one is refused (SECURITY.md 5).

use qrcode::QrCode;
use qrcode::render::svg;
use totp_rs::{Algorithm, Builder, Secret, Totp};

/// Secret length: 160 bits, the RFC 4226 recommendation (SECURITY.md 7).
pub const SECRET_BYTES: usize = 20;
const STEP_SECS: u64 = 30;

/// A fresh secret from the operating system's CSPRNG, base32 (what the
/// user types when they cannot scan the QR code).
pub fn new_secret() -> String {
    Secret::from(rand::random::<[u8; SECRET_BYTES]>()).to_base32()
}

fn totp(secret_b32: &str, issuer: &str, account: &str) -> Option<Totp> {
    let secret = Secret::try_from_base32(secret_b32).ok()?;
    Builder::new()
        .with_algorithm(Algorithm::SHA1)
        .with_digits(6)
        .with_skew(1)
        .with_step_duration(STEP_SECS)
        .with_secret(secret)
        .with_issuer(Some(issuer.replace(':', " ")))
        .with_account_name(account.replace(':', " "))
        .build()
        .ok()
}

/// The `otpauth://` address an authenticator app reads from the QR code.
pub fn otpauth_url(secret_b32: &str, issuer: &str, account: &str) -> Option<String> {
    totp(secret_b32, issuer, account)?.to_url().ok()
}

/// The QR code of `data` as an inline SVG (no external service, no script).
pub fn qr_svg(data: &str) -> Option<String> {
    let code = QrCode::new(data.as_bytes()).ok()?;
    Some(
        code.render::<svg::Color<'_>>()
            .min_dimensions(200, 200)
            .quiet_zone(true)
            .build(),
    )
}

/// The time step a code belongs to, if `code` is right for `unix_secs`
/// (one step either side accepted, for clock drift) and newer than
/// `last_step`.
pub fn check(secret_b32: &str, code: &str, unix_secs: u64, last_step: Option<i64>) -> Option<i64> {
    let code: String = code.chars().filter(|c| !c.is_whitespace()).collect();
    if code.len() != 6 || !code.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let t = totp(secret_b32, "portal", "user")?;
    let step = i64::try_from(t.check(&code, unix_secs)?).ok()?;
    match last_step {
        Some(last) if step <= last => None,
        _ => Some(step),
    }
}

/// The code for a moment (tests and the demo compute codes like an app would).
pub fn code_at(secret_b32: &str, unix_secs: u64) -> Option<String> {
    Some(
        totp(secret_b32, "portal", "user")?
            .generate(unix_secs)
            .to_string(),
    )
}

/// Seconds since the Unix epoch.
pub fn now_secs() -> u64 {
    u64::try_from(chrono::Utc::now().timestamp()).unwrap_or(0)
}
