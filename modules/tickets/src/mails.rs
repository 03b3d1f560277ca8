//! The mails of tickets: support replied, and the ticket waits for the
//! customer's reaction (seed 001: "onderwerpen waar wij graag uw reactie op
//! ontvangen").

use portal_core::Deps;
use portal_core::auth::accounts;
use portal_core::auth::flows::recipient;
use portal_core::db::Tx;
use portal_core::mail::{MailDefault, MailKind, MailValues, Placeholder};
use portal_core::tenant::{AddressForm, Lang, Tenant};

use crate::store::Ticket;

const PLACEHOLDERS: &[Placeholder] = &[
    Placeholder::text(
        "user.name",
        "naam van de gebruiker",
        "name of the user",
        "Jan Jansen",
    ),
    Placeholder::text(
        "ticket.number",
        "nummer van het ticket",
        "number of the ticket",
        "1042",
    ),
    Placeholder::text(
        "ticket.subject",
        "onderwerp van het ticket",
        "subject of the ticket",
        "Printer geeft foutmelding",
    ),
    Placeholder::text(
        "ticket.status",
        "status van het ticket",
        "status of the ticket",
        "Wacht op uw reactie",
    ),
];

/// Support replied to a ticket.
pub const REPLIED: MailKind = MailKind {
    key: "tickets.replied",
    label_nl: "Reactie op uw ticket",
    label_en: "Reply to your ticket",
    placeholders: PLACEHOLDERS,
    defaults: &[
        MailDefault {
            lang: Lang::Nl,
            form: AddressForm::Formal,
            subject: "Reactie op uw ticket {ticket.number}: {ticket.subject}",
            html: "",
            text: "Beste {user.name},\n\nEr is gereageerd op uw ticket \"{ticket.subject}\" (nummer {ticket.number}). De status is nu: {ticket.status}.\n\nU leest de reactie in het klantportaal: {special.consumerportal_url}\n\nMet vriendelijke groet,\n{tenant.name}",
        },
        MailDefault {
            lang: Lang::En,
            form: AddressForm::Formal,
            subject: "Reply to your ticket {ticket.number}: {ticket.subject}",
            html: "",
            text: "Dear {user.name},\n\nThere is a reply to your ticket \"{ticket.subject}\" (number {ticket.number}). Its status is now: {ticket.status}.\n\nYou can read it in the customer portal: {special.consumerportal_url}\n\nKind regards,\n{tenant.name}",
        },
    ],
};

/// A ticket waits for the customer's reaction.
pub const WAITING: MailKind = MailKind {
    key: "tickets.waiting",
    label_nl: "Ticket wacht op uw reactie",
    label_en: "Ticket awaits your reaction",
    placeholders: PLACEHOLDERS,
    defaults: &[
        MailDefault {
            lang: Lang::Nl,
            form: AddressForm::Formal,
            subject: "Wij wachten op uw reactie: ticket {ticket.number}",
            html: "",
            text: "Beste {user.name},\n\nVoor uw ticket \"{ticket.subject}\" (nummer {ticket.number}) hebben wij uw reactie nodig. U reageert in het klantportaal: {special.consumerportal_url}\n\nMet vriendelijke groet,\n{tenant.name}",
        },
        MailDefault {
            lang: Lang::En,
            form: AddressForm::Formal,
            subject: "We await your reaction: ticket {ticket.number}",
            html: "",
            text: "Dear {user.name},\n\nYour ticket \"{ticket.subject}\" (number {ticket.number}) needs your reaction. You can reply in the customer portal: {special.consumerportal_url}\n\nKind regards,\n{tenant.name}",
        },
    ],
};

/// Mails the ticket's author: `tickets.waiting` when the ticket now waits
/// for them, `tickets.replied` otherwise. No mail when the author's account
/// is gone or inactive.
///
/// # Errors
/// A database or mail-template failure.
pub async fn notify_author(
    deps: &Deps,
    tx: &mut Tx,
    tenant: &Tenant,
    ticket: &Ticket,
    status: &str,
) -> Result<(), crate::write::WriteError> {
    let Some(user_id) = ticket.user_id else {
        return Ok(());
    };
    let Some(a) = accounts::by_id_in(tx, tenant.scope(), user_id).await? else {
        return Ok(());
    };
    if !a.active {
        return Ok(());
    }
    let to = recipient(tenant, &a, &a.email);
    let lang = to.lang.unwrap_or(tenant.default_language);
    let label = crate::status_label(&deps.texts, tenant, lang, status);
    let values = MailValues::new()
        .text("user.name", a.greeting_name())
        .text("ticket.number", ticket.id.to_string())
        .text("ticket.subject", ticket.subject.as_str())
        .text("ticket.status", label);
    let key = if status == "waiting" {
        WAITING.key
    } else {
        REPLIED.key
    };
    deps.mailer.enqueue(tx, tenant, key, &to, &values).await?;
    Ok(())
}
