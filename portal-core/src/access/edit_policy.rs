//! Who may change what in the portal, per field group and tenant (seed 000:
//! "for now the customer can only change the login account; data changes
//! go to support"; seed 001: every contact person keeps their own details,
//! a Beheerder the practice's and the other contact persons'). Stored as
//! core settings under the component `portal` (`portal.edit_*`).
//!
//! A handler asks [`EditPolicies::may`] before it shows a form and again
//! before it saves: a field group nobody may edit has no form and its POST
//! answers 404.

use crate::module::{SettingKind, SettingSpec};
use crate::tenant::Tenant;

/// The component name of the portal-wide settings.
pub const COMPONENT: &str = "portal";

const CHOICES: &[&str] = &["nobody", "own", "admins", "own_and_admins"];

/// The groups of fields a policy covers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FieldGroup {
    /// An account's login e-mail.
    LoginEmail,
    /// An account's name and phone number.
    Personal,
    /// The organisation's name, e-mail and phone number.
    Organisation,
    /// The organisation's correspondence address.
    Correspondence,
}

impl FieldGroup {
    pub const ALL: [FieldGroup; 4] = [
        FieldGroup::LoginEmail,
        FieldGroup::Personal,
        FieldGroup::Organisation,
        FieldGroup::Correspondence,
    ];

    /// The setting key (`portal.<key>`) and the name in events.
    pub fn code(self) -> &'static str {
        match self {
            FieldGroup::LoginEmail => "login_email",
            FieldGroup::Personal => "personal",
            FieldGroup::Organisation => "organisation",
            FieldGroup::Correspondence => "correspondence",
        }
    }

    fn setting_key(self) -> &'static str {
        match self {
            FieldGroup::LoginEmail => "edit_login_email",
            FieldGroup::Personal => "edit_personal",
            FieldGroup::Organisation => "edit_organisation",
            FieldGroup::Correspondence => "edit_correspondence",
        }
    }

    /// The organisation's groups belong to no one account: "own" means
    /// every user of the organisation.
    fn of_organisation(self) -> bool {
        matches!(self, FieldGroup::Organisation | FieldGroup::Correspondence)
    }
}

/// Who may change a field group.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EditPolicy {
    /// No one in the portal: changes go to support (seed 000).
    Nobody,
    /// The account itself (for the organisation's data: every user).
    Own,
    /// The organisation's admins (for everyone's data, their own included).
    Admins,
    /// The account itself and the organisation's admins (seed 001).
    OwnAndAdmins,
}

impl EditPolicy {
    fn parse(s: &str) -> Option<Self> {
        Some(match s {
            "nobody" => EditPolicy::Nobody,
            "own" => EditPolicy::Own,
            "admins" => EditPolicy::Admins,
            "own_and_admins" => EditPolicy::OwnAndAdmins,
            _ => return None,
        })
    }
}

/// The portal-wide settings: edit policies, the home page and the main
/// navigation (see `web::layout`).
pub const SETTINGS: &[SettingSpec] = &[
    SettingSpec {
        key: "edit_login_email",
        label_key: "setting-portal-edit-login-email",
        kind: SettingKind::Choice(CHOICES),
        default: "own_and_admins",
    },
    SettingSpec {
        key: "edit_personal",
        label_key: "setting-portal-edit-personal",
        kind: SettingKind::Choice(CHOICES),
        default: "own_and_admins",
    },
    SettingSpec {
        key: "edit_organisation",
        label_key: "setting-portal-edit-organisation",
        kind: SettingKind::Choice(CHOICES),
        default: "admins",
    },
    SettingSpec {
        key: "edit_correspondence",
        label_key: "setting-portal-edit-correspondence",
        kind: SettingKind::Choice(CHOICES),
        default: "admins",
    },
    SettingSpec::flag(
        "login_email_follows_customer",
        "setting-portal-login-email-follows",
        false,
    ),
    SettingSpec {
        key: "home",
        label_key: "setting-portal-home",
        kind: SettingKind::Text { max_len: 100 },
        default: "overview",
    },
    SettingSpec {
        key: "nav",
        label_key: "setting-portal-nav",
        kind: SettingKind::Text { max_len: 1000 },
        default: "",
    },
];

/// The tenant's edit policies.
#[derive(Debug, Clone, Copy)]
pub struct EditPolicies<'a> {
    tenant: &'a Tenant,
}

impl<'a> EditPolicies<'a> {
    pub fn of(tenant: &'a Tenant) -> Self {
        Self { tenant }
    }

    /// The policy of `group`.
    pub fn policy(&self, group: FieldGroup) -> EditPolicy {
        EditPolicy::parse(
            self.tenant
                .setting_or(COMPONENT, SETTINGS, group.setting_key()),
        )
        .unwrap_or(EditPolicy::Nobody)
    }

    /// Whether someone who is (`admin`) or is not an admin may change
    /// `group` of their own account (`own`) or of another account of their
    /// organisation; for the organisation's groups `own` is ignored.
    pub fn may(&self, group: FieldGroup, own: bool, admin: bool) -> bool {
        let own = own || group.of_organisation();
        match self.policy(group) {
            EditPolicy::Nobody => false,
            EditPolicy::Own => own,
            EditPolicy::Admins => admin,
            EditPolicy::OwnAndAdmins => own || admin,
        }
    }

    /// What a user (`admin` or not) may change of the organisation.
    pub fn organisation(&self, admin: bool) -> super::organisation::Editable {
        super::organisation::Editable {
            organisation: self.may(FieldGroup::Organisation, true, admin),
            correspondence: self.may(FieldGroup::Correspondence, true, admin),
        }
    }
}

/// Which of an account's field groups the user may change.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PersonEditable {
    /// Name and phone number.
    pub personal: bool,
    pub login_email: bool,
}

impl PersonEditable {
    /// What a user (`admin` or not) may change of their own account
    /// (`own`) or of another account of their organisation.
    pub fn of(tenant: &Tenant, own: bool, admin: bool) -> Self {
        let p = EditPolicies::of(tenant);
        Self {
            personal: p.may(FieldGroup::Personal, own, admin),
            login_email: p.may(FieldGroup::LoginEmail, own, admin),
        }
    }

    pub fn any(self) -> bool {
        self.personal || self.login_email
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn every_default_is_a_choice() {
        for s in SETTINGS {
            if let SettingKind::Choice(c) = s.kind {
                assert!(c.contains(&s.default), "{}", s.key);
                assert!(EditPolicy::parse(s.default).is_some());
            }
        }
        assert_eq!(FieldGroup::ALL.len(), 4);
    }
}
