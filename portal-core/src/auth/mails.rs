//! The mails the auth component sends (`auth.*`), with their placeholders
//! and default texts.
//!
//! Every step of an account's life that happens outside the browser, or that
//! the owner must hear about even when someone else did it, reaches the
//! customer by mail: a reset link they asked for, an invitation or a new
//! account made by staff (seeds 000, 001, 003), the confirmation of a
//! registration (seed 004), and a notice when the password, the e-mail address
//! (sent to the old and the new address, seed 000) or two-factor
//! authentication changed. The notices are the owner's only warning when the
//! change was not theirs, so each says what to do then.
//!
//! Each mail has a default in Dutch and English, formal and informal; tenants
//! may override any of them in the template editor. `tenant.name` and
//! `special.consumerportal_url` are filled in by core; the flows give the rest.

use crate::mail::kind::{PORTAL_URL, TENANT_NAME};
use crate::mail::{MailDefault, MailKind, Placeholder};
use crate::tenant::{AddressForm, Lang};

// ---------------------------------------------------------------------------
// Placeholders, shared between the mails that declare them.
// ---------------------------------------------------------------------------

const USER_NAME: Placeholder = Placeholder::text(
    "user.name",
    "naam van de gebruiker (de inlognaam als er geen naam is)",
    "the user's name (the login name when there is none)",
    "Jan de Vries",
);

const USER_LOGIN: Placeholder = Placeholder::text(
    "user.login",
    "inlognaam: gebruikersnaam of e-mailadres, naar hoe uw klanten inloggen",
    "login name: user name or e-mail address, as your customers log in",
    "jan@example.nl",
);

const USER_EMAIL: Placeholder = Placeholder::text(
    "user.email",
    "e-mailadres van het account",
    "e-mail address of the account",
    "jan@example.nl",
);

const CUSTOMER_NUMBER: Placeholder = Placeholder::text(
    "customer.number",
    "klantnummer",
    "customer number",
    "100234",
);

const RESET_URL: Placeholder = Placeholder::text(
    "link.url",
    "persoonlijke link om het wachtwoord in te stellen",
    "personal link to set the password",
    "https://mijn.voorbeeld.nl/password/reset/abc",
);

const CONFIRM_URL: Placeholder = Placeholder::text(
    "link.url",
    "persoonlijke link om het e-mailadres te bevestigen",
    "personal link to confirm the e-mail address",
    "https://mijn.voorbeeld.nl/register/confirm/abc",
);

// Two declarations of one name: only the example differs (the seeds' reset
// link lasts an hour, invitations and confirmations 48 hours).
const VALID_FOR_RESET: Placeholder = Placeholder::text(
    "link.valid_for",
    "hoe lang de link geldig is, in de taal van de mail",
    "how long the link is valid, in the mail's language",
    "1 uur",
);

const VALID_FOR_48H: Placeholder = Placeholder::text(
    "link.valid_for",
    "hoe lang de link geldig is, in de taal van de mail",
    "how long the link is valid, in the mail's language",
    "48 uur",
);

const LINKS_SET_PASSWORD: Placeholder = Placeholder::formatted(
    "user.links_set_password_formatted",
    "inlognaam en persoonlijke link om het wachtwoord in te stellen",
    "login name and personal link to set the password",
    "<p><strong>jan@example.nl</strong><br><a href=\"https://mijn.voorbeeld.nl/password/reset/abc\">Wachtwoord instellen</a></p>",
    "jan@example.nl\nhttps://mijn.voorbeeld.nl/password/reset/abc",
);

const CHANGE_TIME: Placeholder = Placeholder::text(
    "change.time",
    "datum en tijd van de wijziging",
    "date and time of the change",
    "25-11-2026 14:03 UTC",
);

const EMAIL_OLD: Placeholder = Placeholder::text(
    "email.old",
    "het oude e-mailadres",
    "the old e-mail address",
    "jan@example.nl",
);

const EMAIL_NEW: Placeholder = Placeholder::text(
    "email.new",
    "het nieuwe e-mailadres",
    "the new e-mail address",
    "jan.devries@example.nl",
);

// ---------------------------------------------------------------------------
// auth.reset: the user asked for a new password.
// ---------------------------------------------------------------------------

// The HTML shows the link as a named link inside the formatted block, so it
// also gives the bare address for mail programs that break links; the text
// part already shows the address in the block.
const RESET_NL_FORMAL: MailDefault = MailDefault {
    lang: Lang::Nl,
    form: AddressForm::Formal,
    subject: "Wachtwoord opnieuw instellen voor het klantportaal van {tenant.name}",
    html: concat!(
        "<p>Beste {user.name},</p>\n",
        "<p>Er is gevraagd om het wachtwoord van uw account op het klantportaal van {tenant.name} opnieuw in te stellen. Hopelijk was u dat zelf. Hieronder vindt u uw inlognaam en een persoonlijke link waarmee u een nieuw wachtwoord kiest.</p>\n",
        "{user.links_set_password_formatted}\n",
        "<p>Uw klantnummer is {customer.number}.</p>\n",
        "<p>Werkt de link niet? Kopieer dan dit adres naar uw browser:<br>{link.url}</p>\n",
        "<p>De link is {link.valid_for} geldig en werkt één keer. Is de link verlopen? Ga dan naar <a href=\"{special.consumerportal_url}\">{special.consumerportal_url}</a> en kies opnieuw voor 'Wachtwoord vergeten'.</p>\n",
        "<p>Heeft u niet om een nieuw wachtwoord gevraagd? Dan kunt u deze e-mail negeren; uw wachtwoord blijft hetzelfde.</p>\n",
        "<p>Met vriendelijke groet,<br>{tenant.name}</p>",
    ),
    text: concat!(
        "Beste {user.name},\n\n",
        "Er is gevraagd om het wachtwoord van uw account op het klantportaal van {tenant.name} opnieuw in te stellen. Hopelijk was u dat zelf. Hieronder vindt u uw inlognaam en een persoonlijke link waarmee u een nieuw wachtwoord kiest.\n\n",
        "{user.links_set_password_formatted}\n\n",
        "Uw klantnummer is {customer.number}.\n\n",
        "De link is {link.valid_for} geldig en werkt één keer. Is de link verlopen? Ga dan naar {special.consumerportal_url} en kies opnieuw voor 'Wachtwoord vergeten'.\n\n",
        "Heeft u niet om een nieuw wachtwoord gevraagd? Dan kunt u deze e-mail negeren; uw wachtwoord blijft hetzelfde.\n\n",
        "Met vriendelijke groet,\n{tenant.name}",
    ),
};

const RESET_NL_INFORMAL: MailDefault = MailDefault {
    lang: Lang::Nl,
    form: AddressForm::Informal,
    subject: "Wachtwoord opnieuw instellen voor het klantportaal van {tenant.name}",
    html: concat!(
        "<p>Hoi {user.name},</p>\n",
        "<p>Er is gevraagd om het wachtwoord van je account op het klantportaal van {tenant.name} opnieuw in te stellen. Hopelijk was jij dat zelf. Hieronder vind je jouw inlognaam en een persoonlijke link waarmee je een nieuw wachtwoord kiest.</p>\n",
        "{user.links_set_password_formatted}\n",
        "<p>Je klantnummer is {customer.number}.</p>\n",
        "<p>Werkt de link niet? Kopieer dan dit adres naar je browser:<br>{link.url}</p>\n",
        "<p>De link is {link.valid_for} geldig en werkt één keer. Is de link verlopen? Ga dan naar <a href=\"{special.consumerportal_url}\">{special.consumerportal_url}</a> en kies opnieuw voor 'Wachtwoord vergeten'.</p>\n",
        "<p>Heb je niet om een nieuw wachtwoord gevraagd? Dan kun je deze e-mail negeren; je wachtwoord blijft hetzelfde.</p>\n",
        "<p>Groeten,<br>{tenant.name}</p>",
    ),
    text: concat!(
        "Hoi {user.name},\n\n",
        "Er is gevraagd om het wachtwoord van je account op het klantportaal van {tenant.name} opnieuw in te stellen. Hopelijk was jij dat zelf. Hieronder vind je jouw inlognaam en een persoonlijke link waarmee je een nieuw wachtwoord kiest.\n\n",
        "{user.links_set_password_formatted}\n\n",
        "Je klantnummer is {customer.number}.\n\n",
        "De link is {link.valid_for} geldig en werkt één keer. Is de link verlopen? Ga dan naar {special.consumerportal_url} en kies opnieuw voor 'Wachtwoord vergeten'.\n\n",
        "Heb je niet om een nieuw wachtwoord gevraagd? Dan kun je deze e-mail negeren; je wachtwoord blijft hetzelfde.\n\n",
        "Groeten,\n{tenant.name}",
    ),
};

const RESET_EN_FORMAL: MailDefault = MailDefault {
    lang: Lang::En,
    form: AddressForm::Formal,
    subject: "Reset your password for the {tenant.name} customer portal",
    html: concat!(
        "<p>Dear {user.name},</p>\n",
        "<p>We received a request to reset the password of your account on the customer portal of {tenant.name}. We hope it was you. Below you will find your login name and a personal link to choose a new password.</p>\n",
        "{user.links_set_password_formatted}\n",
        "<p>Your customer number is {customer.number}.</p>\n",
        "<p>Does the link not work? Then copy this address into your browser:<br>{link.url}</p>\n",
        "<p>The link is valid for {link.valid_for} and works once. Has the link expired? Then go to <a href=\"{special.consumerportal_url}\">{special.consumerportal_url}</a> and choose 'Forgot password' again.</p>\n",
        "<p>If you did not ask for a new password, you can ignore this e-mail; your password stays the same.</p>\n",
        "<p>Kind regards,<br>{tenant.name}</p>",
    ),
    text: concat!(
        "Dear {user.name},\n\n",
        "We received a request to reset the password of your account on the customer portal of {tenant.name}. We hope it was you. Below you will find your login name and a personal link to choose a new password.\n\n",
        "{user.links_set_password_formatted}\n\n",
        "Your customer number is {customer.number}.\n\n",
        "The link is valid for {link.valid_for} and works once. Has the link expired? Then go to {special.consumerportal_url} and choose 'Forgot password' again.\n\n",
        "If you did not ask for a new password, you can ignore this e-mail; your password stays the same.\n\n",
        "Kind regards,\n{tenant.name}",
    ),
};

const RESET_EN_INFORMAL: MailDefault = MailDefault {
    lang: Lang::En,
    form: AddressForm::Informal,
    subject: "Reset your {tenant.name} portal password",
    html: concat!(
        "<p>Hi {user.name},</p>\n",
        "<p>Someone (hopefully you) asked to reset the password of your account on the {tenant.name} customer portal. Here are your login name and a personal link to pick a new one.</p>\n",
        "{user.links_set_password_formatted}\n",
        "<p>Your customer number is {customer.number}.</p>\n",
        "<p>Link not working? Copy this address into your browser:<br>{link.url}</p>\n",
        "<p>The link works once and is valid for {link.valid_for}. If it has expired, just go to <a href=\"{special.consumerportal_url}\">{special.consumerportal_url}</a> and choose 'Forgot password' again.</p>\n",
        "<p>Didn't ask for this? No worries, just ignore this e-mail; your password stays the same.</p>\n",
        "<p>Best,<br>{tenant.name}</p>",
    ),
    text: concat!(
        "Hi {user.name},\n\n",
        "Someone (hopefully you) asked to reset the password of your account on the {tenant.name} customer portal. Here are your login name and a personal link to pick a new one.\n\n",
        "{user.links_set_password_formatted}\n\n",
        "Your customer number is {customer.number}.\n\n",
        "The link works once and is valid for {link.valid_for}. If it has expired, just go to {special.consumerportal_url} and choose 'Forgot password' again.\n\n",
        "Didn't ask for this? No worries, just ignore this e-mail; your password stays the same.\n\n",
        "Best,\n{tenant.name}",
    ),
};

pub const RESET: MailKind = MailKind {
    key: "auth.reset",
    label_nl: "Wachtwoord herstellen",
    label_en: "Password reset",
    placeholders: &[
        TENANT_NAME,
        PORTAL_URL,
        USER_NAME,
        USER_LOGIN,
        CUSTOMER_NUMBER,
        RESET_URL,
        VALID_FOR_RESET,
        LINKS_SET_PASSWORD,
    ],
    defaults: &[
        RESET_NL_FORMAL,
        RESET_NL_INFORMAL,
        RESET_EN_FORMAL,
        RESET_EN_INFORMAL,
    ],
};

// ---------------------------------------------------------------------------
// auth.invite: staff made an account and invite the user to set a password
// (seeds 001, 003).
// ---------------------------------------------------------------------------

const INVITE_NL_FORMAL: MailDefault = MailDefault {
    lang: Lang::Nl,
    form: AddressForm::Formal,
    subject: "Uitnodiging voor het klantportaal van {tenant.name}",
    html: concat!(
        "<p>Beste {user.name},</p>\n",
        "<p>Er is een account voor u aangemaakt op het klantportaal van {tenant.name}. Stel nog even uw wachtwoord in en u kunt direct aan de slag. Hieronder vindt u uw inlognaam en een persoonlijke link om uw wachtwoord in te stellen.</p>\n",
        "{user.links_set_password_formatted}\n",
        "<p>Uw klantnummer is {customer.number}.</p>\n",
        "<p>Werkt de link niet? Kopieer dan dit adres naar uw browser:<br>{link.url}</p>\n",
        "<p>De link is {link.valid_for} geldig. Bent u niet binnen die tijd in de gelegenheid een wachtwoord in te stellen? Ga dan naar <a href=\"{special.consumerportal_url}\">{special.consumerportal_url}</a> en kies voor 'Wachtwoord vergeten'; u ontvangt dan alsnog een link om uw wachtwoord in te stellen.</p>\n",
        "<p>U kunt uw account extra beveiligen met tweestapsverificatie (2FA): log in op het klantportaal en kies Instellingen om dit in te schakelen.</p>\n",
        "<p>Met vriendelijke groet,<br>{tenant.name}</p>",
    ),
    text: concat!(
        "Beste {user.name},\n\n",
        "Er is een account voor u aangemaakt op het klantportaal van {tenant.name}. Stel nog even uw wachtwoord in en u kunt direct aan de slag. Hieronder vindt u uw inlognaam en een persoonlijke link om uw wachtwoord in te stellen.\n\n",
        "{user.links_set_password_formatted}\n\n",
        "Uw klantnummer is {customer.number}.\n\n",
        "De link is {link.valid_for} geldig. Bent u niet binnen die tijd in de gelegenheid een wachtwoord in te stellen? Ga dan naar {special.consumerportal_url} en kies voor 'Wachtwoord vergeten'; u ontvangt dan alsnog een link om uw wachtwoord in te stellen.\n\n",
        "U kunt uw account extra beveiligen met tweestapsverificatie (2FA): log in op het klantportaal en kies Instellingen om dit in te schakelen.\n\n",
        "Met vriendelijke groet,\n{tenant.name}",
    ),
};

const INVITE_NL_INFORMAL: MailDefault = MailDefault {
    lang: Lang::Nl,
    form: AddressForm::Informal,
    subject: "Uitnodiging voor het klantportaal van {tenant.name}",
    html: concat!(
        "<p>Hoi {user.name},</p>\n",
        "<p>Er is een account voor je aangemaakt op het klantportaal van {tenant.name}. Stel nog even je wachtwoord in en je kunt direct aan de slag. Hieronder vind je jouw inlognaam en een persoonlijke link om je wachtwoord in te stellen.</p>\n",
        "{user.links_set_password_formatted}\n",
        "<p>Je klantnummer is {customer.number}.</p>\n",
        "<p>Werkt de link niet? Kopieer dan dit adres naar je browser:<br>{link.url}</p>\n",
        "<p>De link is {link.valid_for} geldig. Lukt het niet binnen die tijd? Ga dan naar <a href=\"{special.consumerportal_url}\">{special.consumerportal_url}</a> en kies voor 'Wachtwoord vergeten'; je ontvangt dan alsnog een link om je wachtwoord in te stellen.</p>\n",
        "<p>Je kunt je account extra beveiligen met tweestapsverificatie (2FA): log in op het klantportaal en kies Instellingen om dit aan te zetten.</p>\n",
        "<p>Groeten,<br>{tenant.name}</p>",
    ),
    text: concat!(
        "Hoi {user.name},\n\n",
        "Er is een account voor je aangemaakt op het klantportaal van {tenant.name}. Stel nog even je wachtwoord in en je kunt direct aan de slag. Hieronder vind je jouw inlognaam en een persoonlijke link om je wachtwoord in te stellen.\n\n",
        "{user.links_set_password_formatted}\n\n",
        "Je klantnummer is {customer.number}.\n\n",
        "De link is {link.valid_for} geldig. Lukt het niet binnen die tijd? Ga dan naar {special.consumerportal_url} en kies voor 'Wachtwoord vergeten'; je ontvangt dan alsnog een link om je wachtwoord in te stellen.\n\n",
        "Je kunt je account extra beveiligen met tweestapsverificatie (2FA): log in op het klantportaal en kies Instellingen om dit aan te zetten.\n\n",
        "Groeten,\n{tenant.name}",
    ),
};

const INVITE_EN_FORMAL: MailDefault = MailDefault {
    lang: Lang::En,
    form: AddressForm::Formal,
    subject: "Invitation to the {tenant.name} customer portal",
    html: concat!(
        "<p>Dear {user.name},</p>\n",
        "<p>An account has been created for you on the customer portal of {tenant.name}. Set your password and you can get started straight away. Below you will find your login name and a personal link to set your password.</p>\n",
        "{user.links_set_password_formatted}\n",
        "<p>Your customer number is {customer.number}.</p>\n",
        "<p>Does the link not work? Then copy this address into your browser:<br>{link.url}</p>\n",
        "<p>The link is valid for {link.valid_for}. If you cannot set a password within that time, go to <a href=\"{special.consumerportal_url}\">{special.consumerportal_url}</a> and choose 'Forgot password'; you will then receive a new link to set your password.</p>\n",
        "<p>You can protect your account further with two-factor authentication (2FA): log in to the customer portal and go to Settings to switch it on.</p>\n",
        "<p>Kind regards,<br>{tenant.name}</p>",
    ),
    text: concat!(
        "Dear {user.name},\n\n",
        "An account has been created for you on the customer portal of {tenant.name}. Set your password and you can get started straight away. Below you will find your login name and a personal link to set your password.\n\n",
        "{user.links_set_password_formatted}\n\n",
        "Your customer number is {customer.number}.\n\n",
        "The link is valid for {link.valid_for}. If you cannot set a password within that time, go to {special.consumerportal_url} and choose 'Forgot password'; you will then receive a new link to set your password.\n\n",
        "You can protect your account further with two-factor authentication (2FA): log in to the customer portal and go to Settings to switch it on.\n\n",
        "Kind regards,\n{tenant.name}",
    ),
};

const INVITE_EN_INFORMAL: MailDefault = MailDefault {
    lang: Lang::En,
    form: AddressForm::Informal,
    subject: "You're invited to the {tenant.name} customer portal",
    html: concat!(
        "<p>Hi {user.name},</p>\n",
        "<p>We've made an account for you on the {tenant.name} customer portal. Just set your password and you're ready to go. Here are your login name and a personal link to do that.</p>\n",
        "{user.links_set_password_formatted}\n",
        "<p>Your customer number is {customer.number}.</p>\n",
        "<p>Link not working? Copy this address into your browser:<br>{link.url}</p>\n",
        "<p>The link is valid for {link.valid_for}. Missed it? Go to <a href=\"{special.consumerportal_url}\">{special.consumerportal_url}</a>, choose 'Forgot password' and we'll send you a fresh link.</p>\n",
        "<p>Want extra security? Turn on two-factor authentication (2FA) under Settings once you're logged in.</p>\n",
        "<p>Best,<br>{tenant.name}</p>",
    ),
    text: concat!(
        "Hi {user.name},\n\n",
        "We've made an account for you on the {tenant.name} customer portal. Just set your password and you're ready to go. Here are your login name and a personal link to do that.\n\n",
        "{user.links_set_password_formatted}\n\n",
        "Your customer number is {customer.number}.\n\n",
        "The link is valid for {link.valid_for}. Missed it? Go to {special.consumerportal_url}, choose 'Forgot password' and we'll send you a fresh link.\n\n",
        "Want extra security? Turn on two-factor authentication (2FA) under Settings once you're logged in.\n\n",
        "Best,\n{tenant.name}",
    ),
};

pub const INVITE: MailKind = MailKind {
    key: "auth.invite",
    label_nl: "Uitnodiging klantportaal",
    label_en: "Portal invitation",
    placeholders: &[
        TENANT_NAME,
        PORTAL_URL,
        USER_NAME,
        USER_LOGIN,
        CUSTOMER_NUMBER,
        RESET_URL,
        VALID_FOR_48H,
        LINKS_SET_PASSWORD,
    ],
    defaults: &[
        INVITE_NL_FORMAL,
        INVITE_NL_INFORMAL,
        INVITE_EN_FORMAL,
        INVITE_EN_INFORMAL,
    ],
};

// ---------------------------------------------------------------------------
// auth.confirm: a self-registered user confirms their e-mail address
// (seed 004).
// ---------------------------------------------------------------------------

const CONFIRM_NL_FORMAL: MailDefault = MailDefault {
    lang: Lang::Nl,
    form: AddressForm::Formal,
    subject: "Bevestig uw e-mailadres voor het klantportaal van {tenant.name}",
    html: concat!(
        "<p>Beste {user.name},</p>\n",
        "<p>Bedankt voor uw registratie op het klantportaal van {tenant.name}. Bevestig uw e-mailadres met de link hieronder om uw registratie te activeren.</p>\n",
        "<p><a href=\"{link.url}\">E-mailadres bevestigen</a></p>\n",
        "<p>Werkt de link niet? Kopieer dan dit adres naar uw browser:<br>{link.url}</p>\n",
        "<p>De link is {link.valid_for} geldig. Na de bevestiging logt u in op <a href=\"{special.consumerportal_url}\">{special.consumerportal_url}</a> met uw inlognaam {user.login}. Uw klantnummer is {customer.number}.</p>\n",
        "<p>Heeft u zich niet geregistreerd? Dan kunt u deze e-mail negeren; er wordt dan geen account geactiveerd.</p>\n",
        "<p>Met vriendelijke groet,<br>{tenant.name}</p>",
    ),
    text: concat!(
        "Beste {user.name},\n\n",
        "Bedankt voor uw registratie op het klantportaal van {tenant.name}. Bevestig uw e-mailadres met de link hieronder om uw registratie te activeren.\n\n",
        "{link.url}\n\n",
        "De link is {link.valid_for} geldig. Na de bevestiging logt u in op {special.consumerportal_url} met uw inlognaam {user.login}. Uw klantnummer is {customer.number}.\n\n",
        "Heeft u zich niet geregistreerd? Dan kunt u deze e-mail negeren; er wordt dan geen account geactiveerd.\n\n",
        "Met vriendelijke groet,\n{tenant.name}",
    ),
};

const CONFIRM_NL_INFORMAL: MailDefault = MailDefault {
    lang: Lang::Nl,
    form: AddressForm::Informal,
    subject: "Bevestig je e-mailadres voor het klantportaal van {tenant.name}",
    html: concat!(
        "<p>Hoi {user.name},</p>\n",
        "<p>Bedankt voor je registratie op het klantportaal van {tenant.name}. Bevestig je e-mailadres met de link hieronder om je registratie te activeren.</p>\n",
        "<p><a href=\"{link.url}\">E-mailadres bevestigen</a></p>\n",
        "<p>Werkt de link niet? Kopieer dan dit adres naar je browser:<br>{link.url}</p>\n",
        "<p>De link is {link.valid_for} geldig. Na de bevestiging log je in op <a href=\"{special.consumerportal_url}\">{special.consumerportal_url}</a> met je inlognaam {user.login}. Je klantnummer is {customer.number}.</p>\n",
        "<p>Heb je je niet geregistreerd? Dan kun je deze e-mail negeren; er wordt dan geen account geactiveerd.</p>\n",
        "<p>Groeten,<br>{tenant.name}</p>",
    ),
    text: concat!(
        "Hoi {user.name},\n\n",
        "Bedankt voor je registratie op het klantportaal van {tenant.name}. Bevestig je e-mailadres met de link hieronder om je registratie te activeren.\n\n",
        "{link.url}\n\n",
        "De link is {link.valid_for} geldig. Na de bevestiging log je in op {special.consumerportal_url} met je inlognaam {user.login}. Je klantnummer is {customer.number}.\n\n",
        "Heb je je niet geregistreerd? Dan kun je deze e-mail negeren; er wordt dan geen account geactiveerd.\n\n",
        "Groeten,\n{tenant.name}",
    ),
};

const CONFIRM_EN_FORMAL: MailDefault = MailDefault {
    lang: Lang::En,
    form: AddressForm::Formal,
    subject: "Please confirm your e-mail address for the {tenant.name} customer portal",
    html: concat!(
        "<p>Dear {user.name},</p>\n",
        "<p>Thank you for registering on the customer portal of {tenant.name}. Please confirm your e-mail address with the link below to activate your registration.</p>\n",
        "<p><a href=\"{link.url}\">Confirm e-mail address</a></p>\n",
        "<p>Does the link not work? Then copy this address into your browser:<br>{link.url}</p>\n",
        "<p>The link is valid for {link.valid_for}. Once you have confirmed, you can log in at <a href=\"{special.consumerportal_url}\">{special.consumerportal_url}</a> with your login name {user.login}. Your customer number is {customer.number}.</p>\n",
        "<p>If you did not register, you can ignore this e-mail; no account will be activated.</p>\n",
        "<p>Kind regards,<br>{tenant.name}</p>",
    ),
    text: concat!(
        "Dear {user.name},\n\n",
        "Thank you for registering on the customer portal of {tenant.name}. Please confirm your e-mail address with the link below to activate your registration.\n\n",
        "{link.url}\n\n",
        "The link is valid for {link.valid_for}. Once you have confirmed, you can log in at {special.consumerportal_url} with your login name {user.login}. Your customer number is {customer.number}.\n\n",
        "If you did not register, you can ignore this e-mail; no account will be activated.\n\n",
        "Kind regards,\n{tenant.name}",
    ),
};

const CONFIRM_EN_INFORMAL: MailDefault = MailDefault {
    lang: Lang::En,
    form: AddressForm::Informal,
    subject: "Confirm your e-mail address for the {tenant.name} portal",
    html: concat!(
        "<p>Hi {user.name},</p>\n",
        "<p>Thanks for signing up for the {tenant.name} customer portal! Confirm your e-mail address with the link below to activate your registration.</p>\n",
        "<p><a href=\"{link.url}\">Confirm my e-mail address</a></p>\n",
        "<p>Link not working? Copy this address into your browser:<br>{link.url}</p>\n",
        "<p>The link is valid for {link.valid_for}. Once you've confirmed, you can log in at <a href=\"{special.consumerportal_url}\">{special.consumerportal_url}</a> with {user.login}. Your customer number is {customer.number}.</p>\n",
        "<p>Didn't sign up? Then just ignore this e-mail; no account will be activated.</p>\n",
        "<p>Best,<br>{tenant.name}</p>",
    ),
    text: concat!(
        "Hi {user.name},\n\n",
        "Thanks for signing up for the {tenant.name} customer portal! Confirm your e-mail address with the link below to activate your registration.\n\n",
        "{link.url}\n\n",
        "The link is valid for {link.valid_for}. Once you've confirmed, you can log in at {special.consumerportal_url} with {user.login}. Your customer number is {customer.number}.\n\n",
        "Didn't sign up? Then just ignore this e-mail; no account will be activated.\n\n",
        "Best,\n{tenant.name}",
    ),
};

pub const CONFIRM: MailKind = MailKind {
    key: "auth.confirm",
    label_nl: "E-mailadres bevestigen",
    label_en: "E-mail confirmation",
    placeholders: &[
        TENANT_NAME,
        PORTAL_URL,
        USER_NAME,
        USER_LOGIN,
        CUSTOMER_NUMBER,
        CONFIRM_URL,
        VALID_FOR_48H,
    ],
    defaults: &[
        CONFIRM_NL_FORMAL,
        CONFIRM_NL_INFORMAL,
        CONFIRM_EN_FORMAL,
        CONFIRM_EN_INFORMAL,
    ],
};

// ---------------------------------------------------------------------------
// auth.account_created: staff made an account; the user sets a password
// through 'Wachtwoord vergeten' (seed 000). No link in this mail.
// ---------------------------------------------------------------------------

// `user.email` is where the reset link will go; the login name is listed
// separately because it is a user name in the `username` login mode.
const ACCOUNT_CREATED_NL_FORMAL: MailDefault = MailDefault {
    lang: Lang::Nl,
    form: AddressForm::Formal,
    subject: "Uw account op het klantportaal van {tenant.name} is aangemaakt",
    html: concat!(
        "<p>Beste {user.name},</p>\n",
        "<p>Wij hebben een account voor u aangemaakt op het klantportaal van {tenant.name}. U logt in met de volgende gegevens:</p>\n",
        "<p>Klantnummer: <strong>{customer.number}</strong><br>Inlognaam: <strong>{user.login}</strong></p>\n",
        "<p>Een wachtwoord heeft u nog niet. Ga naar <a href=\"{special.consumerportal_url}\">{special.consumerportal_url}</a> en kies voor 'Wachtwoord vergeten'. Vul uw gegevens in; u ontvangt dan op {user.email} een link waarmee u uw wachtwoord instelt.</p>\n",
        "<p>Na het inloggen kunt u uw account onder Instellingen extra beveiligen met tweestapsverificatie (2FA).</p>\n",
        "<p>Met vriendelijke groet,<br>{tenant.name}</p>",
    ),
    text: concat!(
        "Beste {user.name},\n\n",
        "Wij hebben een account voor u aangemaakt op het klantportaal van {tenant.name}. U logt in met de volgende gegevens:\n\n",
        "Klantnummer: {customer.number}\nInlognaam: {user.login}\n\n",
        "Een wachtwoord heeft u nog niet. Ga naar {special.consumerportal_url} en kies voor 'Wachtwoord vergeten'. Vul uw gegevens in; u ontvangt dan op {user.email} een link waarmee u uw wachtwoord instelt.\n\n",
        "Na het inloggen kunt u uw account onder Instellingen extra beveiligen met tweestapsverificatie (2FA).\n\n",
        "Met vriendelijke groet,\n{tenant.name}",
    ),
};

const ACCOUNT_CREATED_NL_INFORMAL: MailDefault = MailDefault {
    lang: Lang::Nl,
    form: AddressForm::Informal,
    subject: "Je account op het klantportaal van {tenant.name} is aangemaakt",
    html: concat!(
        "<p>Hoi {user.name},</p>\n",
        "<p>We hebben een account voor je aangemaakt op het klantportaal van {tenant.name}. Je logt in met de volgende gegevens:</p>\n",
        "<p>Klantnummer: <strong>{customer.number}</strong><br>Inlognaam: <strong>{user.login}</strong></p>\n",
        "<p>Een wachtwoord heb je nog niet. Ga naar <a href=\"{special.consumerportal_url}\">{special.consumerportal_url}</a> en kies voor 'Wachtwoord vergeten'. Vul je gegevens in; je ontvangt dan op {user.email} een link waarmee je jouw wachtwoord instelt.</p>\n",
        "<p>Na het inloggen kun je je account onder Instellingen extra beveiligen met tweestapsverificatie (2FA).</p>\n",
        "<p>Groeten,<br>{tenant.name}</p>",
    ),
    text: concat!(
        "Hoi {user.name},\n\n",
        "We hebben een account voor je aangemaakt op het klantportaal van {tenant.name}. Je logt in met de volgende gegevens:\n\n",
        "Klantnummer: {customer.number}\nInlognaam: {user.login}\n\n",
        "Een wachtwoord heb je nog niet. Ga naar {special.consumerportal_url} en kies voor 'Wachtwoord vergeten'. Vul je gegevens in; je ontvangt dan op {user.email} een link waarmee je jouw wachtwoord instelt.\n\n",
        "Na het inloggen kun je je account onder Instellingen extra beveiligen met tweestapsverificatie (2FA).\n\n",
        "Groeten,\n{tenant.name}",
    ),
};

const ACCOUNT_CREATED_EN_FORMAL: MailDefault = MailDefault {
    lang: Lang::En,
    form: AddressForm::Formal,
    subject: "Your account on the {tenant.name} customer portal has been created",
    html: concat!(
        "<p>Dear {user.name},</p>\n",
        "<p>We have created an account for you on the customer portal of {tenant.name}. You log in with the following details:</p>\n",
        "<p>Customer number: <strong>{customer.number}</strong><br>Login name: <strong>{user.login}</strong></p>\n",
        "<p>You do not have a password yet. Go to <a href=\"{special.consumerportal_url}\">{special.consumerportal_url}</a> and choose 'Forgot password'. Fill in your details and you will receive a link at {user.email} to set your password.</p>\n",
        "<p>Once logged in, you can protect your account further with two-factor authentication (2FA) under Settings.</p>\n",
        "<p>Kind regards,<br>{tenant.name}</p>",
    ),
    text: concat!(
        "Dear {user.name},\n\n",
        "We have created an account for you on the customer portal of {tenant.name}. You log in with the following details:\n\n",
        "Customer number: {customer.number}\nLogin name: {user.login}\n\n",
        "You do not have a password yet. Go to {special.consumerportal_url} and choose 'Forgot password'. Fill in your details and you will receive a link at {user.email} to set your password.\n\n",
        "Once logged in, you can protect your account further with two-factor authentication (2FA) under Settings.\n\n",
        "Kind regards,\n{tenant.name}",
    ),
};

const ACCOUNT_CREATED_EN_INFORMAL: MailDefault = MailDefault {
    lang: Lang::En,
    form: AddressForm::Informal,
    subject: "Your {tenant.name} portal account is ready",
    html: concat!(
        "<p>Hi {user.name},</p>\n",
        "<p>We've set up an account for you on the {tenant.name} customer portal. Here are your login details:</p>\n",
        "<p>Customer number: <strong>{customer.number}</strong><br>Login name: <strong>{user.login}</strong></p>\n",
        "<p>You don't have a password yet: go to <a href=\"{special.consumerportal_url}\">{special.consumerportal_url}</a>, choose 'Forgot password' and fill in your details. We'll send a link to {user.email} so you can set one.</p>\n",
        "<p>Tip: once you're in, turn on two-factor authentication (2FA) under Settings for extra security.</p>\n",
        "<p>Best,<br>{tenant.name}</p>",
    ),
    text: concat!(
        "Hi {user.name},\n\n",
        "We've set up an account for you on the {tenant.name} customer portal. Here are your login details:\n\n",
        "Customer number: {customer.number}\nLogin name: {user.login}\n\n",
        "You don't have a password yet: go to {special.consumerportal_url}, choose 'Forgot password' and fill in your details. We'll send a link to {user.email} so you can set one.\n\n",
        "Tip: once you're in, turn on two-factor authentication (2FA) under Settings for extra security.\n\n",
        "Best,\n{tenant.name}",
    ),
};

pub const ACCOUNT_CREATED: MailKind = MailKind {
    key: "auth.account_created",
    label_nl: "Account aangemaakt",
    label_en: "Account created",
    placeholders: &[
        TENANT_NAME,
        PORTAL_URL,
        USER_NAME,
        USER_LOGIN,
        CUSTOMER_NUMBER,
        USER_EMAIL,
    ],
    defaults: &[
        ACCOUNT_CREATED_NL_FORMAL,
        ACCOUNT_CREATED_NL_INFORMAL,
        ACCOUNT_CREATED_EN_FORMAL,
        ACCOUNT_CREATED_EN_INFORMAL,
    ],
};

// ---------------------------------------------------------------------------
// auth.password_changed: a notice after any password change.
// ---------------------------------------------------------------------------

// Besides "contact us", the notice points to 'Wachtwoord vergeten': the
// mailbox owner can take the account back at once, since a reset goes to
// the account's e-mail address.
const PASSWORD_CHANGED_NL_FORMAL: MailDefault = MailDefault {
    lang: Lang::Nl,
    form: AddressForm::Formal,
    subject: "Uw wachtwoord voor het klantportaal van {tenant.name} is gewijzigd",
    html: concat!(
        "<p>Beste {user.name},</p>\n",
        "<p>Het wachtwoord van uw account ({user.login}) op het klantportaal van {tenant.name} is gewijzigd op {change.time}. Voor uw veiligheid zijn alle andere sessies afgemeld: op andere apparaten moet u opnieuw inloggen.</p>\n",
        "<p>Heeft u dit zelf gedaan? Dan hoeft u niets te doen.</p>\n",
        "<p><strong>Heeft u uw wachtwoord niet zelf gewijzigd?</strong> Neem dan direct contact op met {tenant.name}. U kunt ook meteen zelf een nieuw wachtwoord instellen via 'Wachtwoord vergeten' op <a href=\"{special.consumerportal_url}\">{special.consumerportal_url}</a>.</p>\n",
        "<p>Met vriendelijke groet,<br>{tenant.name}</p>",
    ),
    text: concat!(
        "Beste {user.name},\n\n",
        "Het wachtwoord van uw account ({user.login}) op het klantportaal van {tenant.name} is gewijzigd op {change.time}. Voor uw veiligheid zijn alle andere sessies afgemeld: op andere apparaten moet u opnieuw inloggen.\n\n",
        "Heeft u dit zelf gedaan? Dan hoeft u niets te doen.\n\n",
        "Heeft u uw wachtwoord niet zelf gewijzigd? Neem dan direct contact op met {tenant.name}. U kunt ook meteen zelf een nieuw wachtwoord instellen via 'Wachtwoord vergeten' op {special.consumerportal_url}.\n\n",
        "Met vriendelijke groet,\n{tenant.name}",
    ),
};

const PASSWORD_CHANGED_NL_INFORMAL: MailDefault = MailDefault {
    lang: Lang::Nl,
    form: AddressForm::Informal,
    subject: "Je wachtwoord voor het klantportaal van {tenant.name} is gewijzigd",
    html: concat!(
        "<p>Hoi {user.name},</p>\n",
        "<p>Het wachtwoord van je account ({user.login}) op het klantportaal van {tenant.name} is gewijzigd op {change.time}. Voor de veiligheid zijn alle andere sessies afgemeld: op andere apparaten moet je opnieuw inloggen.</p>\n",
        "<p>Heb je dit zelf gedaan? Dan hoef je niets te doen.</p>\n",
        "<p><strong>Heb je je wachtwoord niet zelf gewijzigd?</strong> Neem dan direct contact op met {tenant.name}. Je kunt ook meteen zelf een nieuw wachtwoord instellen via 'Wachtwoord vergeten' op <a href=\"{special.consumerportal_url}\">{special.consumerportal_url}</a>.</p>\n",
        "<p>Groeten,<br>{tenant.name}</p>",
    ),
    text: concat!(
        "Hoi {user.name},\n\n",
        "Het wachtwoord van je account ({user.login}) op het klantportaal van {tenant.name} is gewijzigd op {change.time}. Voor de veiligheid zijn alle andere sessies afgemeld: op andere apparaten moet je opnieuw inloggen.\n\n",
        "Heb je dit zelf gedaan? Dan hoef je niets te doen.\n\n",
        "Heb je je wachtwoord niet zelf gewijzigd? Neem dan direct contact op met {tenant.name}. Je kunt ook meteen zelf een nieuw wachtwoord instellen via 'Wachtwoord vergeten' op {special.consumerportal_url}.\n\n",
        "Groeten,\n{tenant.name}",
    ),
};

const PASSWORD_CHANGED_EN_FORMAL: MailDefault = MailDefault {
    lang: Lang::En,
    form: AddressForm::Formal,
    subject: "Your password for the {tenant.name} customer portal has been changed",
    html: concat!(
        "<p>Dear {user.name},</p>\n",
        "<p>The password of your account ({user.login}) on the customer portal of {tenant.name} was changed on {change.time}. For your security, all other sessions have been logged out: on other devices you will need to log in again.</p>\n",
        "<p>If you made this change yourself, there is nothing you need to do.</p>\n",
        "<p><strong>Did you not change your password?</strong> Then please contact {tenant.name} immediately. You can also set a new password yourself right away with 'Forgot password' at <a href=\"{special.consumerportal_url}\">{special.consumerportal_url}</a>.</p>\n",
        "<p>Kind regards,<br>{tenant.name}</p>",
    ),
    text: concat!(
        "Dear {user.name},\n\n",
        "The password of your account ({user.login}) on the customer portal of {tenant.name} was changed on {change.time}. For your security, all other sessions have been logged out: on other devices you will need to log in again.\n\n",
        "If you made this change yourself, there is nothing you need to do.\n\n",
        "Did you not change your password? Then please contact {tenant.name} immediately. You can also set a new password yourself right away with 'Forgot password' at {special.consumerportal_url}.\n\n",
        "Kind regards,\n{tenant.name}",
    ),
};

const PASSWORD_CHANGED_EN_INFORMAL: MailDefault = MailDefault {
    lang: Lang::En,
    form: AddressForm::Informal,
    subject: "Your {tenant.name} portal password was changed",
    html: concat!(
        "<p>Hi {user.name},</p>\n",
        "<p>Just letting you know: the password of your account ({user.login}) on the {tenant.name} customer portal was changed on {change.time}. We've logged you out everywhere else, so you'll need to log in again on your other devices.</p>\n",
        "<p>Was this you? Then you're all set.</p>\n",
        "<p><strong>Wasn't you?</strong> Contact {tenant.name} straight away. You can also set a new password yourself right away with 'Forgot password' at <a href=\"{special.consumerportal_url}\">{special.consumerportal_url}</a>.</p>\n",
        "<p>Best,<br>{tenant.name}</p>",
    ),
    text: concat!(
        "Hi {user.name},\n\n",
        "Just letting you know: the password of your account ({user.login}) on the {tenant.name} customer portal was changed on {change.time}. We've logged you out everywhere else, so you'll need to log in again on your other devices.\n\n",
        "Was this you? Then you're all set.\n\n",
        "Wasn't you? Contact {tenant.name} straight away. You can also set a new password yourself right away with 'Forgot password' at {special.consumerportal_url}.\n\n",
        "Best,\n{tenant.name}",
    ),
};

pub const PASSWORD_CHANGED: MailKind = MailKind {
    key: "auth.password_changed",
    label_nl: "Wachtwoord gewijzigd",
    label_en: "Password changed",
    placeholders: &[TENANT_NAME, PORTAL_URL, USER_NAME, USER_LOGIN, CHANGE_TIME],
    defaults: &[
        PASSWORD_CHANGED_NL_FORMAL,
        PASSWORD_CHANGED_NL_INFORMAL,
        PASSWORD_CHANGED_EN_FORMAL,
        PASSWORD_CHANGED_EN_INFORMAL,
    ],
};

// ---------------------------------------------------------------------------
// auth.email_changed: sent to the old and the new address (seed 000).
// ---------------------------------------------------------------------------

// "If you log in with your e-mail address": in the `username` login mode the
// login name does not change with the address.
const EMAIL_CHANGED_NL_FORMAL: MailDefault = MailDefault {
    lang: Lang::Nl,
    form: AddressForm::Formal,
    subject: "Het e-mailadres van uw account bij {tenant.name} is gewijzigd",
    html: concat!(
        "<p>Beste {user.name},</p>\n",
        "<p>Het e-mailadres van uw account op het klantportaal van {tenant.name} is gewijzigd van <strong>{email.old}</strong> in <strong>{email.new}</strong>. Wij sturen dit bericht naar beide adressen.</p>\n",
        "<p>Uw wachtwoord blijft hetzelfde. Logt u in met uw e-mailadres, gebruik dan voortaan {email.new}.</p>\n",
        "<p><strong>Heeft u niet om deze wijziging gevraagd?</strong> Neem dan direct contact op met {tenant.name}.</p>\n",
        "<p>Met vriendelijke groet,<br>{tenant.name}</p>",
    ),
    text: concat!(
        "Beste {user.name},\n\n",
        "Het e-mailadres van uw account op het klantportaal van {tenant.name} is gewijzigd van {email.old} in {email.new}. Wij sturen dit bericht naar beide adressen.\n\n",
        "Uw wachtwoord blijft hetzelfde. Logt u in met uw e-mailadres, gebruik dan voortaan {email.new}.\n\n",
        "Heeft u niet om deze wijziging gevraagd? Neem dan direct contact op met {tenant.name}.\n\n",
        "Met vriendelijke groet,\n{tenant.name}",
    ),
};

const EMAIL_CHANGED_NL_INFORMAL: MailDefault = MailDefault {
    lang: Lang::Nl,
    form: AddressForm::Informal,
    subject: "Het e-mailadres van je account bij {tenant.name} is gewijzigd",
    html: concat!(
        "<p>Hoi {user.name},</p>\n",
        "<p>Het e-mailadres van je account op het klantportaal van {tenant.name} is gewijzigd van <strong>{email.old}</strong> in <strong>{email.new}</strong>. We sturen dit bericht naar beide adressen.</p>\n",
        "<p>Je wachtwoord blijft hetzelfde. Log je in met je e-mailadres, gebruik dan voortaan {email.new}.</p>\n",
        "<p><strong>Heb je niet om deze wijziging gevraagd?</strong> Neem dan direct contact op met {tenant.name}.</p>\n",
        "<p>Groeten,<br>{tenant.name}</p>",
    ),
    text: concat!(
        "Hoi {user.name},\n\n",
        "Het e-mailadres van je account op het klantportaal van {tenant.name} is gewijzigd van {email.old} in {email.new}. We sturen dit bericht naar beide adressen.\n\n",
        "Je wachtwoord blijft hetzelfde. Log je in met je e-mailadres, gebruik dan voortaan {email.new}.\n\n",
        "Heb je niet om deze wijziging gevraagd? Neem dan direct contact op met {tenant.name}.\n\n",
        "Groeten,\n{tenant.name}",
    ),
};

const EMAIL_CHANGED_EN_FORMAL: MailDefault = MailDefault {
    lang: Lang::En,
    form: AddressForm::Formal,
    subject: "The e-mail address of your {tenant.name} account has been changed",
    html: concat!(
        "<p>Dear {user.name},</p>\n",
        "<p>The e-mail address of your account on the customer portal of {tenant.name} has been changed from <strong>{email.old}</strong> to <strong>{email.new}</strong>. We are sending this message to both addresses.</p>\n",
        "<p>Your password stays the same. If you log in with your e-mail address, please use {email.new} from now on.</p>\n",
        "<p><strong>Did you not ask for this change?</strong> Then please contact {tenant.name} immediately.</p>\n",
        "<p>Kind regards,<br>{tenant.name}</p>",
    ),
    text: concat!(
        "Dear {user.name},\n\n",
        "The e-mail address of your account on the customer portal of {tenant.name} has been changed from {email.old} to {email.new}. We are sending this message to both addresses.\n\n",
        "Your password stays the same. If you log in with your e-mail address, please use {email.new} from now on.\n\n",
        "Did you not ask for this change? Then please contact {tenant.name} immediately.\n\n",
        "Kind regards,\n{tenant.name}",
    ),
};

const EMAIL_CHANGED_EN_INFORMAL: MailDefault = MailDefault {
    lang: Lang::En,
    form: AddressForm::Informal,
    subject: "Your {tenant.name} portal e-mail address was changed",
    html: concat!(
        "<p>Hi {user.name},</p>\n",
        "<p>The e-mail address of your account on the {tenant.name} customer portal was changed from <strong>{email.old}</strong> to <strong>{email.new}</strong>. We've sent this message to both addresses.</p>\n",
        "<p>Your password hasn't changed. If you log in with your e-mail address, use {email.new} from now on.</p>\n",
        "<p><strong>Didn't ask for this?</strong> Contact {tenant.name} straight away.</p>\n",
        "<p>Best,<br>{tenant.name}</p>",
    ),
    text: concat!(
        "Hi {user.name},\n\n",
        "The e-mail address of your account on the {tenant.name} customer portal was changed from {email.old} to {email.new}. We've sent this message to both addresses.\n\n",
        "Your password hasn't changed. If you log in with your e-mail address, use {email.new} from now on.\n\n",
        "Didn't ask for this? Contact {tenant.name} straight away.\n\n",
        "Best,\n{tenant.name}",
    ),
};

pub const EMAIL_CHANGED: MailKind = MailKind {
    key: "auth.email_changed",
    label_nl: "E-mailadres gewijzigd",
    label_en: "E-mail address changed",
    placeholders: &[TENANT_NAME, PORTAL_URL, USER_NAME, EMAIL_OLD, EMAIL_NEW],
    defaults: &[
        EMAIL_CHANGED_NL_FORMAL,
        EMAIL_CHANGED_NL_INFORMAL,
        EMAIL_CHANGED_EN_FORMAL,
        EMAIL_CHANGED_EN_INFORMAL,
    ],
};

// ---------------------------------------------------------------------------
// auth.totp_reset: staff removed two-factor authentication, normally at the
// user's request after losing their device (seed 000).
// ---------------------------------------------------------------------------

// The text does not say "at your request": the mail must also make sense to
// an owner who never asked, which is exactly who it warns.
const TOTP_RESET_NL_FORMAL: MailDefault = MailDefault {
    lang: Lang::Nl,
    form: AddressForm::Formal,
    subject: "Tweestapsverificatie uitgeschakeld voor uw account bij {tenant.name}",
    html: concat!(
        "<p>Beste {user.name},</p>\n",
        "<p>{tenant.name} heeft de tweestapsverificatie (2FA) voor uw account op het klantportaal uitgeschakeld. U logt nu in met alleen uw wachtwoord.</p>\n",
        "<p>Wij raden u aan tweestapsverificatie weer in te schakelen: log in op <a href=\"{special.consumerportal_url}\">{special.consumerportal_url}</a> en kies Instellingen.</p>\n",
        "<p><strong>Heeft u hier niet om gevraagd?</strong> Neem dan direct contact op met {tenant.name}.</p>\n",
        "<p>Met vriendelijke groet,<br>{tenant.name}</p>",
    ),
    text: concat!(
        "Beste {user.name},\n\n",
        "{tenant.name} heeft de tweestapsverificatie (2FA) voor uw account op het klantportaal uitgeschakeld. U logt nu in met alleen uw wachtwoord.\n\n",
        "Wij raden u aan tweestapsverificatie weer in te schakelen: log in op {special.consumerportal_url} en kies Instellingen.\n\n",
        "Heeft u hier niet om gevraagd? Neem dan direct contact op met {tenant.name}.\n\n",
        "Met vriendelijke groet,\n{tenant.name}",
    ),
};

const TOTP_RESET_NL_INFORMAL: MailDefault = MailDefault {
    lang: Lang::Nl,
    form: AddressForm::Informal,
    subject: "Tweestapsverificatie uitgeschakeld voor je account bij {tenant.name}",
    html: concat!(
        "<p>Hoi {user.name},</p>\n",
        "<p>{tenant.name} heeft de tweestapsverificatie (2FA) voor je account op het klantportaal uitgeschakeld. Je logt nu in met alleen je wachtwoord.</p>\n",
        "<p>We raden je aan tweestapsverificatie weer aan te zetten: log in op <a href=\"{special.consumerportal_url}\">{special.consumerportal_url}</a> en kies Instellingen.</p>\n",
        "<p><strong>Heb je hier niet om gevraagd?</strong> Neem dan direct contact op met {tenant.name}.</p>\n",
        "<p>Groeten,<br>{tenant.name}</p>",
    ),
    text: concat!(
        "Hoi {user.name},\n\n",
        "{tenant.name} heeft de tweestapsverificatie (2FA) voor je account op het klantportaal uitgeschakeld. Je logt nu in met alleen je wachtwoord.\n\n",
        "We raden je aan tweestapsverificatie weer aan te zetten: log in op {special.consumerportal_url} en kies Instellingen.\n\n",
        "Heb je hier niet om gevraagd? Neem dan direct contact op met {tenant.name}.\n\n",
        "Groeten,\n{tenant.name}",
    ),
};

const TOTP_RESET_EN_FORMAL: MailDefault = MailDefault {
    lang: Lang::En,
    form: AddressForm::Formal,
    subject: "Two-factor authentication switched off for your {tenant.name} account",
    html: concat!(
        "<p>Dear {user.name},</p>\n",
        "<p>{tenant.name} has switched off two-factor authentication (2FA) for your account on the customer portal. You now log in with your password only.</p>\n",
        "<p>We recommend switching two-factor authentication on again: log in at <a href=\"{special.consumerportal_url}\">{special.consumerportal_url}</a> and go to Settings.</p>\n",
        "<p><strong>Did you not ask for this?</strong> Then please contact {tenant.name} immediately.</p>\n",
        "<p>Kind regards,<br>{tenant.name}</p>",
    ),
    text: concat!(
        "Dear {user.name},\n\n",
        "{tenant.name} has switched off two-factor authentication (2FA) for your account on the customer portal. You now log in with your password only.\n\n",
        "We recommend switching two-factor authentication on again: log in at {special.consumerportal_url} and go to Settings.\n\n",
        "Did you not ask for this? Then please contact {tenant.name} immediately.\n\n",
        "Kind regards,\n{tenant.name}",
    ),
};

const TOTP_RESET_EN_INFORMAL: MailDefault = MailDefault {
    lang: Lang::En,
    form: AddressForm::Informal,
    subject: "2FA switched off for your {tenant.name} portal account",
    html: concat!(
        "<p>Hi {user.name},</p>\n",
        "<p>{tenant.name} has turned off two-factor authentication (2FA) for your portal account, so for now you log in with just your password.</p>\n",
        "<p>We recommend turning it back on: log in at <a href=\"{special.consumerportal_url}\">{special.consumerportal_url}</a> and go to Settings.</p>\n",
        "<p><strong>Didn't ask for this?</strong> Contact {tenant.name} straight away.</p>\n",
        "<p>Best,<br>{tenant.name}</p>",
    ),
    text: concat!(
        "Hi {user.name},\n\n",
        "{tenant.name} has turned off two-factor authentication (2FA) for your portal account, so for now you log in with just your password.\n\n",
        "We recommend turning it back on: log in at {special.consumerportal_url} and go to Settings.\n\n",
        "Didn't ask for this? Contact {tenant.name} straight away.\n\n",
        "Best,\n{tenant.name}",
    ),
};

pub const TOTP_RESET: MailKind = MailKind {
    key: "auth.totp_reset",
    label_nl: "Tweestapsverificatie uitgeschakeld",
    label_en: "Two-factor authentication removed",
    placeholders: &[TENANT_NAME, PORTAL_URL, USER_NAME],
    defaults: &[
        TOTP_RESET_NL_FORMAL,
        TOTP_RESET_NL_INFORMAL,
        TOTP_RESET_EN_FORMAL,
        TOTP_RESET_EN_INFORMAL,
    ],
};

/// Every mail of the auth component.
pub const AUTH_MAILS: &[MailKind] = &[
    RESET,
    INVITE,
    CONFIRM,
    ACCOUNT_CREATED,
    PASSWORD_CHANGED,
    EMAIL_CHANGED,
    TOTP_RESET,
];
