//! Demo data (`portal demo`): for the first demo customer a ticket in each
//! status, sent in turn by its contact persons who may send tickets, with a
//! screenshot or a PDF, and support's replies. Only when the customer has
//! no tickets yet, so a second run changes nothing.

use portal_core::access::Role;
use portal_core::access::load::roles_of;
use portal_core::files::sniff;
use portal_core::files::upload::UploadedFile;
use portal_core::module::DemoCx;

use crate::store;
use crate::write::{self, Author, NewTicket};
use portal_core::sea_query::{Expr, ExprTrait};

/// A 1x1 PNG: a stand-in screenshot.
const SCREENSHOT: &[u8] = &[
    0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x48, 0x44, 0x52,
    0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x01, 0x08, 0x06, 0x00, 0x00, 0x00, 0x1f, 0x15, 0xc4,
    0x89, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x44, 0x41, 0x54, 0x78, 0x9c, 0x63, 0xf8, 0xcf, 0xc0, 0xf0,
    0x1f, 0x00, 0x05, 0x00, 0x01, 0xff, 0x89, 0x99, 0x3d, 0x1d, 0x00, 0x00, 0x00, 0x00, 0x49, 0x45,
    0x4e, 0x44, 0xae, 0x42, 0x60, 0x82,
];
const MANUAL: &[u8] = b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n2 0 obj\n<< /Type /Pages /Kids [] /Count 0 >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n";

/// (kind, category, subject, description, file, status, support's reply)
type DemoTicket = (
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    Option<(&'static str, &'static [u8])>,
    &'static str,
    Option<&'static str>,
);

const TICKETS: &[DemoTicket] = &[
    (
        "bug",
        "Techniek",
        "Foutmelding bij het exporteren van cliënten",
        "Bij het exporteren krijg ik de melding 'Export mislukt'. Schermafdruk bijgevoegd.",
        Some(("foutmelding.png", SCREENSHOT)),
        "submitted",
        None,
    ),
    (
        "question",
        "Financieel",
        "Vraag over de verzamelfactuur",
        "Op de verzamelfactuur van vorige maand staat een cliënt dubbel.",
        None,
        "in_progress",
        Some("Dank voor uw vraag, wij zoeken het uit."),
    ),
    (
        "question",
        "Externe koppeling",
        "Zorgmail instellen",
        "Hoe stel ik Zorgmail in voor een nieuwe medewerker?",
        None,
        "waiting",
        Some("Zie de handleiding in de bijlage. Lukt het zo?"),
    ),
    (
        "improvement",
        "Techniek",
        "Sjabloon voor intakeverslag",
        "Graag een sjabloon voor het intakeverslag met ons logo.",
        Some(("voorbeeld.pdf", MANUAL)),
        "closed",
        Some("Het sjabloon staat nu voor u klaar."),
    ),
];

fn file(name: &str, bytes: &[u8]) -> Result<UploadedFile, String> {
    let ty = sniff::decide(name, bytes).map_err(|e| format!("{name}: {e:?}"))?;
    Ok(UploadedFile {
        field: "files".into(),
        name: name.into(),
        ty,
        bytes: bytes.to_vec(),
    })
}

/// Creates the demo tickets.
///
/// # Errors
/// What failed, for the operator.
pub async fn run(cx: &DemoCx<'_>) -> Result<(), String> {
    let Some(first) = cx.customers.first() else {
        return Ok(());
    };
    let (deps, tenant, scope) = (&cx.deps, cx.tenant, cx.scope());
    let db = &deps.db;
    let text = |e: &dyn std::fmt::Display| e.to_string();
    let ids = portal_core::access::sync_rows::customers_by_external_id(
        db,
        scope,
        std::slice::from_ref(first),
    )
    .await
    .map_err(|e| text(&e))?;
    let Some(&customer) = ids.get(first) else {
        return Ok(());
    };
    let existing: Option<(i64,)> = db
        .fetch_optional(
            &scope
                .select("tickets_tickets")
                .column("id")
                .and_where(Expr::col("customer_id").eq(customer))
                .limit(1)
                .to_owned(),
        )
        .await
        .map_err(|e| text(&e))?;
    if existing.is_some() {
        return Ok(());
    }
    let mut authors = Vec::new();
    for a in portal_core::auth::accounts::list(db, scope, Some(customer))
        .await
        .map_err(|e| text(&e))?
    {
        let roles = roles_of(db, scope, a.id).await.map_err(|e| text(&e))?;
        if a.active && (roles.has(Role::Admin) || roles.has(Role::Employee)) {
            authors.push(a);
        }
    }
    if authors.is_empty() {
        return Ok(());
    }
    for (n, (kind, category, subject, description, attachment, status, answer)) in
        TICKETS.iter().enumerate()
    {
        let a = &authors[n % authors.len()];
        let files = match attachment {
            Some((name, bytes)) => vec![file(name, bytes)?],
            None => Vec::new(),
        };
        let t = NewTicket {
            kind,
            category,
            subject,
            description,
        };
        let reach = cx.reach_of(a).await?;
        let id = write::create(
            deps,
            tenant,
            &reach,
            (&a.customer_number, &a.email),
            &t,
            files,
        )
        .await
        .map_err(|e| text(&e))?
        .id;
        let ticket = store::by_id(db, scope, id)
            .await
            .map_err(|e| text(&e))?
            .ok_or("a demo ticket vanished")?;
        if let Some(body) = answer {
            let files = if *status == "waiting" {
                vec![file("handleiding-zorgmail.pdf", MANUAL)?]
            } else {
                Vec::new()
            };
            write::reply(
                deps,
                tenant,
                &ticket,
                Author::Support("Customer Support"),
                body,
                Some(status),
                files,
            )
            .await
            .map_err(|e| text(&e))?;
        }
    }
    Ok(())
}
