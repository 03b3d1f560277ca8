//! The mails of tickets: support replied, and the ticket waits for the
//! customer's reaction (seed 001: "onderwerpen waar wij graag uw reactie op
//! ontvangen").

use portal_core::Deps;
use portal_core::auth::accounts;
use portal_core::auth::flows::recipient;
use portal_core::db::Tx;
use portal_core::mail::{MailDefault, MailKind, MailValues, Placeholder, Recipient};
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
            lang: Lang::Nl,
            form: AddressForm::Informal,
            subject: "Reactie op je ticket {ticket.number}: {ticket.subject}",
            html: "",
            text: "Hoi {user.name},\n\nEr is gereageerd op je ticket \"{ticket.subject}\" (nummer {ticket.number}). De status is nu: {ticket.status}.\n\nJe leest de reactie in het klantportaal: {special.consumerportal_url}\n\nGroeten,\n{tenant.name}",
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

/// The customer's confirmation of a new ticket (seed 001: the customer
/// knows it arrived and under which number).
pub const RECEIVED: MailKind = MailKind {
    key: "tickets.received",
    label_nl: "Ticket ontvangen",
    label_en: "Ticket received",
    placeholders: PLACEHOLDERS,
    defaults: &[
        MailDefault {
            lang: Lang::Nl,
            form: AddressForm::Formal,
            subject: "Uw ticket {ticket.number} is ontvangen: {ticket.subject}",
            html: "",
            text: "Beste {user.name},\n\nWij hebben uw ticket \"{ticket.subject}\" ontvangen onder nummer {ticket.number}. U volgt het in het klantportaal: {special.consumerportal_url}\n\nMet vriendelijke groet,\n{tenant.name}",
        },
        MailDefault {
            lang: Lang::Nl,
            form: AddressForm::Informal,
            subject: "Je ticket {ticket.number} is ontvangen: {ticket.subject}",
            html: "",
            text: "Hoi {user.name},\n\nWe hebben je ticket \"{ticket.subject}\" ontvangen onder nummer {ticket.number}. Je volgt het in het klantportaal: {special.consumerportal_url}\n\nGroeten,\n{tenant.name}",
        },
        MailDefault {
            lang: Lang::En,
            form: AddressForm::Formal,
            subject: "Your ticket {ticket.number} has been received: {ticket.subject}",
            html: "",
            text: "Dear {user.name},\n\nWe have received your ticket \"{ticket.subject}\" under number {ticket.number}. You can follow it in the customer portal: {special.consumerportal_url}\n\nKind regards,\n{tenant.name}",
        },
    ],
};

/// Mails the author of a new ticket its confirmation (not for a ticket
/// support opened, whose author gets the reply mail instead).
///
/// # Errors
/// A database or mail-template failure.
pub async fn confirm_received(
    deps: &Deps,
    tx: &mut Tx,
    tenant: &Tenant,
    number: i64,
    subject: &str,
    user_id: i64,
) -> Result<(), crate::write::WriteError> {
    let Some(a) = accounts::by_id_in(tx, tenant.scope(), user_id).await? else {
        return Ok(());
    };
    let values = MailValues::new()
        .text("user.name", a.greeting_name())
        .text("ticket.number", number.to_string())
        .text("ticket.subject", subject)
        .text("ticket.status", "");
    deps.mailer
        .enqueue(
            tx,
            tenant,
            RECEIVED.key,
            &recipient(tenant, &a, &a.email),
            &values,
        )
        .await?;
    Ok(())
}

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
            lang: Lang::Nl,
            form: AddressForm::Informal,
            subject: "We wachten op je reactie: ticket {ticket.number}",
            html: "",
            text: "Hoi {user.name},\n\nVoor je ticket \"{ticket.subject}\" (nummer {ticket.number}) hebben we je reactie nodig. Je reageert in het klantportaal: {special.consumerportal_url}\n\nGroeten,\n{tenant.name}",
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

const SUPPORT_PLACEHOLDERS: &[Placeholder] = &[
    Placeholder::text(
        "ticket.event",
        "wat er gebeurde",
        "what happened",
        "Nieuw ticket",
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
        "customer.name",
        "naam van de klant",
        "name of the customer",
        "Huisartsenpraktijk De Linde",
    ),
    Placeholder::text(
        "customer.number",
        "klantnummer",
        "customer number",
        "100234",
    ),
    Placeholder::text(
        "ticket.staff_url",
        "link naar het ticket voor medewerkers",
        "link to the ticket for staff",
        "https://portaal.example.nl/staff/tickets/1042",
    ),
];

/// For the tenant's support: a new ticket, a customer's reply, or a ticket
/// assigned to a staff member.
pub const SUPPORT: MailKind = MailKind {
    key: "tickets.support",
    label_nl: "Ticket voor support",
    label_en: "Ticket for support",
    placeholders: SUPPORT_PLACEHOLDERS,
    defaults: &[
        MailDefault {
            lang: Lang::Nl,
            form: AddressForm::Formal,
            subject: "{ticket.event}: ticket {ticket.number} van {customer.name}",
            html: "",
            text: "{ticket.event}: ticket {ticket.number}, \"{ticket.subject}\", van {customer.name} (klantnummer {customer.number}).\n\nOpenen: {ticket.staff_url}\n\n{tenant.name}",
        },
        MailDefault {
            lang: Lang::En,
            form: AddressForm::Formal,
            subject: "{ticket.event}: ticket {ticket.number} from {customer.name}",
            html: "",
            text: "{ticket.event}: ticket {ticket.number}, \"{ticket.subject}\", from {customer.name} (customer number {customer.number}).\n\nOpen it: {ticket.staff_url}\n\n{tenant.name}",
        },
    ],
};

/// What support is told about.
#[derive(Debug, Clone, Copy)]
pub struct Notice<'a> {
    /// For the staff page's link.
    pub ticket_id: i64,
    /// The ticket's number within the tenant, as the mail shows it.
    pub number: i64,
    pub subject: &'a str,
    pub customer_id: i64,
    pub assignee: Option<i64>,
    /// A new ticket (else a customer's reply).
    pub new: bool,
}

async fn support_values(
    deps: &Deps,
    tx: &mut Tx,
    tenant: &Tenant,
    n: &Notice<'_>,
    event_key: &str,
    lang: Lang,
) -> Result<MailValues, crate::write::WriteError> {
    use portal_core::sea_query::{Expr, ExprTrait};
    let customer: Vec<(String, String)> = tx
        .fetch_all(
            &tenant
                .scope()
                .select("core_customers")
                .columns(["name", "number"])
                .and_where(Expr::col("id").eq(n.customer_id))
                .to_owned(),
        )
        .await?;
    let (name, number) = customer.into_iter().next().unwrap_or_default();
    let url = format!(
        "{}/staff/tickets/{}",
        deps.mailer.portal_url(tenant).trim_end_matches('/'),
        n.ticket_id
    );
    Ok(MailValues::new()
        .text("ticket.event", deps.texts.get(lang, event_key))
        .text("ticket.number", n.number.to_string())
        .text("ticket.subject", n.subject)
        .text("customer.name", name)
        .text("customer.number", number)
        .text("ticket.staff_url", url))
}

/// The assignee's address, when they are an active staff member.
async fn assignee_address(
    tx: &mut Tx,
    tenant: &Tenant,
    id: i64,
) -> Result<Option<(String, String)>, crate::write::WriteError> {
    use portal_core::sea_query::{Expr, ExprTrait};
    let rows: Vec<(String, String)> = tx
        .fetch_all(
            &tenant
                .scope()
                .select("core_staff")
                .columns(["email", "name"])
                .and_where(Expr::col("id").eq(id))
                .and_where(Expr::col("active").eq(true))
                .to_owned(),
        )
        .await?;
    Ok(rows.into_iter().next())
}

fn staff_recipient(tenant: &Tenant, address: String, name: String) -> Recipient {
    Recipient {
        address,
        name,
        lang: Some(tenant.default_language),
        form: None,
    }
}

/// Mails the tenant's support address (its contact setting) and the
/// ticket's assignee about a new ticket or a customer's reply.
///
/// # Errors
/// A database or mail-template failure.
pub async fn notify_support(
    deps: &Deps,
    tx: &mut Tx,
    tenant: &Tenant,
    n: &Notice<'_>,
) -> Result<(), crate::write::WriteError> {
    let event = if n.new {
        "tickets-event-new"
    } else {
        "tickets-event-reply"
    };
    let mut to: Vec<Recipient> = Vec::new();
    if let Some(a) = tenant
        .contact
        .support_email
        .as_deref()
        .filter(|a| !a.trim().is_empty())
    {
        to.push(staff_recipient(
            tenant,
            a.trim().to_string(),
            tenant.name.clone(),
        ));
    }
    if let Some(id) = n.assignee
        && let Some((address, name)) = assignee_address(tx, tenant, id).await?
        && !to.iter().any(|r| r.address.eq_ignore_ascii_case(&address))
    {
        to.push(staff_recipient(tenant, address, name));
    }
    for r in to {
        let lang = r.lang.unwrap_or(tenant.default_language);
        let values = support_values(deps, tx, tenant, n, event, lang).await?;
        deps.mailer
            .enqueue(tx, tenant, SUPPORT.key, &r, &values)
            .await?;
    }
    Ok(())
}

/// Mails a staff member that a ticket was assigned to them.
///
/// # Errors
/// A database or mail-template failure.
pub async fn notify_assignee(
    deps: &Deps,
    tx: &mut Tx,
    tenant: &Tenant,
    n: &Notice<'_>,
) -> Result<(), crate::write::WriteError> {
    let Some(id) = n.assignee else {
        return Ok(());
    };
    let Some((address, name)) = assignee_address(tx, tenant, id).await? else {
        return Ok(());
    };
    let r = staff_recipient(tenant, address, name);
    let values = support_values(
        deps,
        tx,
        tenant,
        n,
        "tickets-event-assigned",
        tenant.default_language,
    )
    .await?;
    deps.mailer
        .enqueue(tx, tenant, SUPPORT.key, &r, &values)
        .await?;
    Ok(())
}

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
    let voice = portal_core::web::i18n::Voice::of(lang, tenant.address_form);
    let label = crate::status_label(&deps.texts, tenant, voice, status);
    let values = MailValues::new()
        .text("user.name", a.greeting_name())
        .text("ticket.number", ticket.number.to_string())
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
