//! An invoice rendered as PDF from its data, for invoices the back-office
//! sent without a PDF: the tenant's name and contact details, the number,
//! dates, lines, VAT, total, and the refund notice (seed 004); the
//! tenant's logo top right.

use portal_core::tenant::{Lang, Tenant};

use crate::store::Invoice;
use crate::sync::LineRow;
use portal_core::pdf::image::Image;
use portal_core::pdf::{TextLine, document};
use portal_core::web::format::{amount, date, refund_date};

fn t(lang: Lang, nl: &'static str, en: &'static str) -> &'static str {
    if lang == Lang::Nl { nl } else { en }
}

/// The PDF bytes of `i`, with the tenant's `logo` where it has one the
/// PDF writer can embed.
pub fn invoice_pdf(tenant: &Tenant, i: &Invoice, lang: Lang, logo: Option<&Image>) -> Vec<u8> {
    let mut pages: Vec<Vec<TextLine>> = vec![Vec::new()];
    let mut y = 790.0_f32;
    let put = |pages: &mut Vec<Vec<TextLine>>,
               y: &mut f32,
               x: f32,
               size: f32,
               bold: bool,
               text: String| {
        if let Some(p) = pages.last_mut() {
            p.push(TextLine {
                x,
                y: *y,
                size,
                bold,
                text,
            });
        }
    };
    put(&mut pages, &mut y, 50.0, 18.0, true, tenant.name.clone());
    y -= 18.0;
    let contact: Vec<String> = [
        &tenant.contact.support_email,
        &tenant.contact.phone,
        &tenant.contact.website,
    ]
    .into_iter()
    .flatten()
    .filter(|s| !s.is_empty())
    .cloned()
    .collect();
    if !contact.is_empty() {
        put(&mut pages, &mut y, 50.0, 9.0, false, contact.join("  ·  "));
    }
    y -= 40.0;
    put(
        &mut pages,
        &mut y,
        50.0,
        14.0,
        true,
        format!("{} {}", t(lang, "Factuur", "Invoice"), i.number),
    );
    y -= 20.0;
    put(
        &mut pages,
        &mut y,
        50.0,
        10.0,
        false,
        format!(
            "{}: {}",
            t(lang, "Factuurdatum", "Invoice date"),
            date(i.issued_on, lang)
        ),
    );
    if let Some(d) = i.due_on {
        y -= 14.0;
        put(
            &mut pages,
            &mut y,
            50.0,
            10.0,
            false,
            format!("{}: {}", t(lang, "Vervaldatum", "Due date"), date(d, lang)),
        );
    }
    if !i.contract.is_empty() {
        y -= 14.0;
        put(
            &mut pages,
            &mut y,
            50.0,
            10.0,
            false,
            format!("{}: {}", t(lang, "Contract", "Contract"), i.contract),
        );
    }
    y -= 30.0;
    put(
        &mut pages,
        &mut y,
        50.0,
        10.0,
        true,
        t(lang, "Omschrijving", "Description").into(),
    );
    put(
        &mut pages,
        &mut y,
        360.0,
        10.0,
        true,
        t(lang, "Aantal", "Quantity").into(),
    );
    put(
        &mut pages,
        &mut y,
        460.0,
        10.0,
        true,
        t(lang, "Bedrag", "Amount").into(),
    );
    let lines: Vec<LineRow> = serde_json::from_str(&i.lines_json).unwrap_or_default();
    for l in &lines {
        y -= 16.0;
        if y < 80.0 {
            pages.push(Vec::new());
            y = 790.0;
        }
        let description: String = l.description.chars().take(60).collect();
        put(&mut pages, &mut y, 50.0, 10.0, false, description);
        put(
            &mut pages,
            &mut y,
            360.0,
            10.0,
            false,
            format!("{}", l.quantity),
        );
        put(
            &mut pages,
            &mut y,
            460.0,
            10.0,
            false,
            amount(l.total_cents, &i.currency, lang),
        );
    }
    if y < 140.0 {
        pages.push(Vec::new());
        y = 790.0;
    }
    y -= 30.0;
    put(
        &mut pages,
        &mut y,
        360.0,
        10.0,
        false,
        t(lang, "Btw", "VAT").into(),
    );
    put(
        &mut pages,
        &mut y,
        460.0,
        10.0,
        false,
        amount(i.vat_cents, &i.currency, lang),
    );
    y -= 16.0;
    put(
        &mut pages,
        &mut y,
        360.0,
        11.0,
        true,
        t(lang, "Totaal", "Total").into(),
    );
    put(
        &mut pages,
        &mut y,
        460.0,
        11.0,
        true,
        amount(i.total_cents, &i.currency, lang),
    );
    if let Some(d) = i.refund_notice_date() {
        y -= 30.0;
        let text = match lang {
            Lang::Nl => format!(
                "Wij zullen dit bedrag terugbetalen op uw bankrekening op {}",
                refund_date(d)
            ),
            Lang::En => format!(
                "We will refund this amount to your bank account on {}",
                refund_date(d)
            ),
        };
        put(&mut pages, &mut y, 50.0, 10.0, false, text);
    }
    document(
        &format!("{} {}", t(lang, "Factuur", "Invoice"), i.number),
        &pages,
        logo,
    )
}
