//! The tenant's authentication settings, stored like module settings under
//! the component name `auth` (`auth.login_mode`, ...). Defaults follow the
//! seeds: reset links valid one hour (seed 000), invitations and
//! confirmations 48 hours (seed 003); seed 002 tenants set 24 hours and
//! the composition rules.

use chrono::Duration;

use crate::module::{SettingKind, SettingSpec};
use crate::tenant::Tenant;

use super::accounts::LoginMode;

/// The component name the settings are stored under.
pub const COMPONENT: &str = "auth";

/// Every auth setting with its default and what it accepts.
pub const SETTINGS: &[SettingSpec] = &[
    SettingSpec {
        key: "login_mode",
        label_key: "setting-auth-login-mode",
        kind: SettingKind::Choice(&["customer_number_email", "username", "email"]),
        default: "email",
    },
    SettingSpec {
        key: "password_min_length",
        label_key: "setting-auth-password-min-length",
        kind: SettingKind::Integer { min: 8, max: 64 },
        default: "12",
    },
    SettingSpec {
        key: "password_composition",
        label_key: "setting-auth-password-composition",
        kind: SettingKind::Bool,
        default: "false",
    },
    SettingSpec {
        key: "reset_valid_minutes",
        label_key: "setting-auth-reset-valid",
        kind: SettingKind::Integer {
            min: 10,
            max: 7 * 24 * 60,
        },
        default: "60",
    },
    SettingSpec {
        key: "invite_valid_hours",
        label_key: "setting-auth-invite-valid",
        kind: SettingKind::Integer { min: 1, max: 720 },
        default: "48",
    },
    SettingSpec {
        key: "confirm_valid_hours",
        label_key: "setting-auth-confirm-valid",
        kind: SettingKind::Integer { min: 1, max: 720 },
        default: "48",
    },
    SettingSpec {
        key: "session_idle_minutes",
        label_key: "setting-auth-session-idle",
        kind: SettingKind::Integer {
            min: 5,
            max: 7 * 24 * 60,
        },
        default: "60",
    },
    SettingSpec {
        key: "session_absolute_hours",
        label_key: "setting-auth-session-absolute",
        kind: SettingKind::Integer { min: 1, max: 720 },
        default: "12",
    },
    SettingSpec {
        key: "staff_session_idle_minutes",
        label_key: "setting-auth-staff-session-idle",
        kind: SettingKind::Integer {
            min: 5,
            max: 24 * 60,
        },
        default: "60",
    },
    SettingSpec {
        key: "staff_session_absolute_hours",
        label_key: "setting-auth-staff-session-absolute",
        kind: SettingKind::Integer { min: 1, max: 24 },
        default: "10",
    },
    SettingSpec {
        key: "registration",
        label_key: "setting-auth-registration",
        kind: SettingKind::Bool,
        default: "false",
    },
    SettingSpec {
        key: "customer_set_password",
        label_key: "setting-auth-customer-set-password",
        kind: SettingKind::Bool,
        default: "false",
    },
    SettingSpec {
        key: "staff_set_password",
        label_key: "setting-auth-staff-set-password",
        kind: SettingKind::Bool,
        default: "false",
    },
    // The login page's name for the user name in `username` mode, as the
    // company's customers know it (seed 002: "Aanmeldnaam", "inlognaam"):
    // `Dutch | English`, one text for both, or empty for the built-in.
    SettingSpec {
        key: "username_label",
        label_key: "setting-auth-username-label",
        kind: SettingKind::Text { max_len: 80 },
        default: "",
    },
];

/// The tenant's own name for the user name field in `lang`, if it set one
/// (`Dutch | English`, or one text for both).
pub fn username_label(tenant: &Tenant, lang: crate::tenant::Lang) -> Option<String> {
    let raw = raw(tenant, "username_label").trim();
    if raw.is_empty() {
        return None;
    }
    let (nl, en) = raw.split_once('|').unwrap_or((raw, raw));
    let pick = if lang == crate::tenant::Lang::En {
        en
    } else {
        nl
    };
    Some(pick.trim().to_string()).filter(|s| !s.is_empty())
}

/// The settings of one tenant, parsed.
#[derive(Debug, Clone)]
pub struct AuthSettings {
    pub login_mode: LoginMode,
    pub password_min_length: usize,
    /// Seed 002: at least one upper-case letter, one digit and one symbol.
    pub password_composition: bool,
    pub reset_valid: Duration,
    pub invite_valid: Duration,
    pub confirm_valid: Duration,
    pub session_idle: Duration,
    pub session_absolute: Duration,
    /// Staff sessions: idle and absolute limits (staff log in with 2FA).
    pub staff_session_idle: Duration,
    pub staff_session_absolute: Duration,
    pub registration: bool,
    /// Seed 002: staff may set a password for a customer (audited).
    pub staff_set_password: bool,
    /// Seed 002: a customer's admin may set the password of an extra
    /// account it adds, instead of sending an invitation (audited).
    pub customer_set_password: bool,
}

fn raw<'a>(tenant: &'a Tenant, key: &str) -> &'a str {
    tenant.setting_or(COMPONENT, SETTINGS, key)
}

fn int(tenant: &Tenant, key: &str) -> i64 {
    raw(tenant, key).parse().unwrap_or_else(|_| {
        SETTINGS
            .iter()
            .find(|s| s.key == key)
            .and_then(|s| s.default.parse().ok())
            .unwrap_or(0)
    })
}

impl AuthSettings {
    /// The tenant's settings (stored values were validated on save).
    pub fn of(tenant: &Tenant) -> Self {
        Self {
            login_mode: LoginMode::parse(raw(tenant, "login_mode")).unwrap_or(LoginMode::Email),
            password_min_length: usize::try_from(int(tenant, "password_min_length")).unwrap_or(12),
            password_composition: raw(tenant, "password_composition") == "true",
            reset_valid: Duration::minutes(int(tenant, "reset_valid_minutes")),
            invite_valid: Duration::hours(int(tenant, "invite_valid_hours")),
            confirm_valid: Duration::hours(int(tenant, "confirm_valid_hours")),
            session_idle: Duration::minutes(int(tenant, "session_idle_minutes")),
            session_absolute: Duration::hours(int(tenant, "session_absolute_hours")),
            staff_session_idle: Duration::minutes(int(tenant, "staff_session_idle_minutes")),
            staff_session_absolute: Duration::hours(int(tenant, "staff_session_absolute_hours")),
            registration: raw(tenant, "registration") == "true",
            staff_set_password: raw(tenant, "staff_set_password") == "true",
            customer_set_password: raw(tenant, "customer_set_password") == "true",
        }
    }
}
