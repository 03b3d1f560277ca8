//! The dossier placeholders of seed 003 and the values of one dossier's
//! mail: the salutation of its one or two clients, the adviser's and the
//! owner's (handler's, else the adviser's) signature, and the count that
//! chooses each singular/plural pair (`{dossier.jou_jullie}`). A dossier's
//! mail goes to the first client with an e-mail address (a partner without
//! one is reached through it).

use portal_core::db::{Db, DbError};
use portal_core::mail::{MailDefault, MailKind, MailValues, Placeholder, Recipient};
use portal_core::sea_query::{Expr, ExprTrait};
use portal_core::tenant::{AddressForm, Lang, Tenant};

use crate::store::{self, Dossier};

/// The count the singular/plural placeholders choose by: the clients.
pub const CLIENTS: &str = "dossier.client_count";

/// Seed 003's dossier placeholders.
pub const DOSSIER_PLACEHOLDERS: [Placeholder; 13] = [
    Placeholder::text(
        "dossier.salutation",
        "aanhef van de klant(en), bijvoorbeeld Beste Jan en Els",
        "salutation of the client(s), e.g. Beste Jan en Els",
        "Beste Jan en Els",
    ),
    Placeholder::text(
        "dossier.title",
        "naam van het dossier",
        "name of the dossier",
        "Hypotheek Kerkstraat 5",
    ),
    Placeholder::formatted(
        "dossier.advisor_email_signature",
        "handtekening van de adviseur",
        "signature of the adviser",
        "<p>Met vriendelijke groet,<br>Piet de Adviseur<br>020 123 4567</p>",
        "Met vriendelijke groet,\nPiet de Adviseur\n020 123 4567",
    ),
    Placeholder::formatted(
        "dossier.owner_email_signature",
        "handtekening van de behandelaar van het dossier (anders de adviseur)",
        "signature of the dossier's handler (else the adviser)",
        "<p>Met vriendelijke groet,<br>Sanne Binnendienst</p>",
        "Met vriendelijke groet,\nSanne Binnendienst",
    ),
    Placeholder::plural("dossier.jou_jullie", "jou", "jullie", CLIENTS),
    Placeholder::plural("dossier.je_jullie", "je", "jullie", CLIENTS),
    Placeholder::plural("dossier.jouw_jullie", "jouw", "jullie", CLIENTS),
    Placeholder::plural(
        "dossier.vindje_vindenjullie",
        "vind je",
        "vinden jullie",
        CLIENTS,
    ),
    Placeholder::plural(
        "dossier.krijgje_krijgenjullie",
        "krijg je",
        "krijgen jullie",
        CLIENTS,
    ),
    Placeholder::plural(
        "dossier.mochtje_mochtenjullie",
        "mocht je",
        "mochten jullie",
        CLIENTS,
    ),
    Placeholder::plural(
        "dossier.jeontvangt_jullieontvangen",
        "je ontvangt",
        "jullie ontvangen",
        CLIENTS,
    ),
    Placeholder::plural("dossier.kunt_kunnen", "kunt", "kunnen", CLIENTS),
    Placeholder::plural("dossier.heb_hebben", "heb je", "hebben jullie", CLIENTS),
];

const ACTIONS_PLACEHOLDERS: [Placeholder; 15] = [
    DOSSIER_PLACEHOLDERS[0],
    DOSSIER_PLACEHOLDERS[1],
    DOSSIER_PLACEHOLDERS[2],
    DOSSIER_PLACEHOLDERS[3],
    DOSSIER_PLACEHOLDERS[4],
    DOSSIER_PLACEHOLDERS[5],
    DOSSIER_PLACEHOLDERS[6],
    DOSSIER_PLACEHOLDERS[7],
    DOSSIER_PLACEHOLDERS[8],
    DOSSIER_PLACEHOLDERS[9],
    DOSSIER_PLACEHOLDERS[10],
    DOSSIER_PLACEHOLDERS[11],
    DOSSIER_PLACEHOLDERS[12],
    Placeholder::formatted(
        "actions.list",
        "de nieuwe actiepunten, als lijst",
        "the new action items, as a list",
        "<ul><li>Recente salarisstrook</li><li>Werkgeversverklaring</li></ul>",
        "- Recente salarisstrook\n- Werkgeversverklaring",
    ),
    Placeholder::plural(
        "actions.het_actiepunt_de_actiepunten",
        "een nieuw actiepunt",
        "nieuwe actiepunten",
        "actions.count",
    ),
];

/// New action items opened on a dossier: one mail for those opened together.
pub const ACTIONS_OPENED: MailKind = MailKind {
    key: "dossiers.actions_opened",
    label_nl: "Nieuwe actiepunten in het dossier",
    label_en: "New action items in the dossier",
    placeholders: &ACTIONS_PLACEHOLDERS,
    defaults: &[
        MailDefault {
            lang: Lang::Nl,
            form: AddressForm::Formal,
            subject: "Er staan {actions.het_actiepunt_de_actiepunten} voor u klaar",
            html: "",
            text: "{dossier.salutation},\n\nIn uw persoonlijk portaal staan {actions.het_actiepunt_de_actiepunten} voor u klaar:\n\n{actions.list}\nU vindt ze in het portaal: {special.consumerportal_url}\n\n{dossier.advisor_email_signature}",
        },
        MailDefault {
            lang: Lang::Nl,
            form: AddressForm::Informal,
            subject: "Er staan {actions.het_actiepunt_de_actiepunten} voor {dossier.jou_jullie} klaar",
            html: "",
            text: "{dossier.salutation},\n\nIn het persoonlijk portaal staan {actions.het_actiepunt_de_actiepunten} voor {dossier.jou_jullie} klaar:\n\n{actions.list}\nJe vindt ze in het portaal: {special.consumerportal_url}\n\n{dossier.advisor_email_signature}",
        },
        MailDefault {
            lang: Lang::En,
            form: AddressForm::Formal,
            subject: "New action items are waiting for you",
            html: "",
            text: "{dossier.salutation},\n\nNew action items are waiting for you in your personal portal:\n\n{actions.list}\nYou will find them in the portal: {special.consumerportal_url}\n\n{dossier.advisor_email_signature}",
        },
    ],
};

const LINK_PLACEHOLDERS: [Placeholder; 16] = [
    DOSSIER_PLACEHOLDERS[0],
    DOSSIER_PLACEHOLDERS[1],
    DOSSIER_PLACEHOLDERS[2],
    DOSSIER_PLACEHOLDERS[3],
    DOSSIER_PLACEHOLDERS[4],
    DOSSIER_PLACEHOLDERS[5],
    DOSSIER_PLACEHOLDERS[6],
    DOSSIER_PLACEHOLDERS[7],
    DOSSIER_PLACEHOLDERS[8],
    DOSSIER_PLACEHOLDERS[9],
    DOSSIER_PLACEHOLDERS[10],
    DOSSIER_PLACEHOLDERS[11],
    DOSSIER_PLACEHOLDERS[12],
    Placeholder::formatted(
        "dossier.links_set_password_formatted",
        "inlognaam en persoonlijke link om het wachtwoord in te stellen",
        "login name and personal link to set the password",
        "<p><strong>jan.devries</strong><br><a href=\"https://mijn.voorbeeld.nl/password/set/abc\">https://mijn.voorbeeld.nl/password/set/abc</a></p>",
        "jan.devries\nhttps://mijn.voorbeeld.nl/password/set/abc",
    ),
    Placeholder::text(
        "link.url",
        "persoonlijke link om het wachtwoord in te stellen",
        "personal link to set the password",
        "https://mijn.voorbeeld.nl/password/set/abc",
    ),
    Placeholder::text(
        "link.valid_for",
        "hoe lang de link geldig is, in de taal van de mail",
        "how long the link is valid, in the mail's language",
        "48 uur",
    ),
];

/// Seed 003's activation mail: a dossier's client gets a first password.
pub const ACTIVATE: MailKind = MailKind {
    key: "dossiers.activate",
    label_nl: "Activeer het persoonlijk klantportaal",
    label_en: "Activate the personal customer portal",
    placeholders: &LINK_PLACEHOLDERS,
    defaults: &[
        MailDefault {
            lang: Lang::Nl,
            form: AddressForm::Formal,
            subject: "Activeer uw persoonlijk klantportaal",
            html: "",
            text: crate::seed_mails::ACTIVATE_FORMAL,
        },
        MailDefault {
            lang: Lang::Nl,
            form: AddressForm::Informal,
            subject: "Activeer {dossier.jouw_jullie} persoonlijk klantportaal",
            html: "",
            text: crate::seed_mails::ACTIVATE_INFORMAL_PLURAL,
        },
        MailDefault {
            lang: Lang::En,
            form: AddressForm::Formal,
            subject: "Activate your personal customer portal",
            html: "",
            text: "{dossier.salutation},\n\nFollowing our contact we have created a personal portal for you. There you will find our contact details and important documents; when we work for you, for example on a mortgage application, you see its status there, and when we need documents or information from you, action items are opened for you in the portal.\n\nSet your password\n\nBelow are your login name and a personal link to activate your portal.\n\n{dossier.links_set_password_formatted}\n\nThe activation link is valid for {link.valid_for}. If you cannot set a password within that time, go to the portal and choose 'Forgot password': you will receive a new link.\n\n{dossier.advisor_email_signature}",
        },
    ],
};

/// Seed 003's reset mail.
pub const RESET: MailKind = MailKind {
    key: "dossiers.reset",
    label_nl: "Wachtwoord opnieuw instellen klantportaal",
    label_en: "Reset the customer portal password",
    placeholders: &LINK_PLACEHOLDERS,
    defaults: &[
        MailDefault {
            lang: Lang::Nl,
            form: AddressForm::Formal,
            subject: "Wachtwoord opnieuw instellen klantportaal",
            html: "",
            text: crate::seed_mails::RESET_FORMAL,
        },
        MailDefault {
            lang: Lang::Nl,
            form: AddressForm::Informal,
            subject: "Wachtwoord opnieuw instellen klantportaal",
            html: "",
            text: crate::seed_mails::RESET_INFORMAL,
        },
        MailDefault {
            lang: Lang::En,
            form: AddressForm::Formal,
            subject: "Reset your customer portal password",
            html: "",
            text: "{dossier.salutation},\n\nYou told us that you forgot the password of your personal portal. Below are your login name and a personal link to set a new one.\n\n{dossier.links_set_password_formatted}\n\nThe link is valid for {link.valid_for}. If it has expired, choose 'Forgot password' again and you will receive a new link at once.\n\n{dossier.owner_email_signature}",
        },
    ],
};

/// The newest dossier the account is a client of, if any.
///
/// # Errors
/// A database failure.
pub async fn dossier_of_account(
    db: &Db,
    scope: portal_core::tenant::TenantScope,
    user_id: i64,
) -> Result<Option<Dossier>, DbError> {
    let ids: Vec<(i64,)> = db
        .fetch_all(
            &scope
                .select("dossiers_clients")
                .column("dossier_id")
                .and_where(Expr::col("user_id").eq(user_id))
                .to_owned(),
        )
        .await?;
    let Some(newest) = ids.iter().map(|r| r.0).max() else {
        return Ok(None);
    };
    store::dossier_in(db, scope, newest).await
}

/// Seed 003's activation or reset mail for a dossier's client: core's
/// values, the dossier's, and the login name with its link; a client
/// without an e-mail address is reached through the first client's.
///
/// # Errors
/// A database failure.
pub async fn account_mail(
    cx: &portal_core::module::AccountMailCx<'_>,
) -> Result<Option<portal_core::module::AccountMail>, DbError> {
    let scope = cx.tenant.scope();
    let Some(d) = dossier_of_account(cx.db, scope, cx.account.id).await? else {
        return Ok(None);
    };
    let Some(mail) = dossier_values(cx.db, cx.tenant, &d).await? else {
        return Ok(None);
    };
    let mut values = cx.values.clone();
    values.0.extend(mail.values.0);
    let values = values.formatted(
        "dossier.links_set_password_formatted",
        format!(
            "<p><strong>{}</strong><br><a href=\"{}\">{}</a></p>",
            escape(cx.login),
            escape(cx.url),
            escape(cx.url)
        ),
        format!("{}\n{}", cx.login, cx.url),
    );
    let to = cx.account.email.trim().is_empty().then_some(mail.to);
    Ok(Some(portal_core::module::AccountMail {
        key: if cx.purpose == "invite" {
            ACTIVATE.key
        } else {
            RESET.key
        },
        values,
        to,
    }))
}

/// Text made safe inside HTML.
pub fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// A signature as text and as HTML (lines kept).
fn signature(text: &str) -> (String, String) {
    let html = format!(
        "<p>{}</p>",
        text.lines().map(escape).collect::<Vec<_>>().join("<br>")
    );
    (html, text.to_string())
}

/// "Beste Jan" or "Beste Jan en Els" (informal); "Beste Jan de Vries" or
/// "Beste Jan de Vries en Els Bakker" (formal).
pub fn salutation(clients: &[store::Client], form: AddressForm) -> String {
    let names: Vec<String> = clients
        .iter()
        .map(|c| match form {
            AddressForm::Informal => c.first_name.clone(),
            AddressForm::Formal => format!("{} {}", c.first_name, c.last_name)
                .trim()
                .to_string(),
        })
        .collect();
    format!("Beste {}", names.join(" en "))
}

/// A dossier's mail values (without the link placeholders) and whom it
/// goes to; `None` when no client has an e-mail address.
pub struct DossierMail {
    pub values: MailValues,
    pub to: Recipient,
}

/// The values every dossier mail has, for dossier `d`.
///
/// # Errors
/// A database failure.
pub async fn dossier_values(
    db: &Db,
    tenant: &Tenant,
    d: &Dossier,
) -> Result<Option<DossierMail>, DbError> {
    let scope = tenant.scope();
    let clients = store::clients(db, scope, d.id).await?;
    let mut to = None;
    for c in &clients {
        if let Some(user) = c.user_id
            && let Some(a) = portal_core::auth::accounts::by_id(db, scope, user).await?
            && !a.email.trim().is_empty()
        {
            to = Some(Recipient {
                address: a.email.clone(),
                name: format!("{} {}", c.first_name, c.last_name)
                    .trim()
                    .to_string(),
                lang: Some(portal_core::auth::flows::mail_lang(tenant, &a)),
                form: None,
            });
            break;
        }
    }
    let Some(to) = to else { return Ok(None) };
    let adviser = store::adviser(db, scope, d.adviser_id).await?;
    let handler = store::adviser(db, scope, d.handler_id).await?;
    let sign = |a: &Option<store::Adviser>| {
        a.as_ref().map_or_else(
            || signature(&tenant.name),
            |a| {
                signature(if a.signature.trim().is_empty() {
                    &a.name
                } else {
                    &a.signature
                })
            },
        )
    };
    let (adv_html, adv_text) = sign(&adviser);
    let (own_html, own_text) = sign(if handler.is_some() {
        &handler
    } else {
        &adviser
    });
    let values = MailValues::new()
        .text(
            "dossier.salutation",
            salutation(&clients, tenant.address_form),
        )
        .text("dossier.title", d.title.as_str())
        .formatted("dossier.advisor_email_signature", adv_html, adv_text)
        .formatted("dossier.owner_email_signature", own_html, own_text)
        .count(CLIENTS, i64::try_from(clients.len().max(1)).unwrap_or(1));
    Ok(Some(DossierMail { values, to }))
}
