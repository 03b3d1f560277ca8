//! Demo data (`portal demo`, the example portals): for every location of
//! the demo customers that has no checkpoints yet, the checkpoints of a
//! food business (mouse boxes, rat traps, insect monitors), a year of
//! monthly visits with observations and materials plus an extra visit and
//! a follow-up, recommendations in each status with their history,
//! messages both ways (one still open), documents (a safety data sheet for
//! the whole customer, a certificate and the contract for the location)
//! and the next planned visit. All of it goes through the same sync as the
//! back-office's, so the demo proves that path too; a second run changes
//! nothing.

use chrono::{Datelike as _, Months, NaiveDate, Utc};
use portal_core::module::DemoCx;
use portal_core::sea_query::{Expr, ExprTrait};

use crate::documents::{self, DocumentMeta};
use crate::store::Material;
use crate::sync::{
    self, CheckpointRow, ObservationRow, PlannedVisitRow, RecommendationRow, VisitRow,
};
use crate::write;

/// (code, count, type, rooms, measure)
const CHECKPOINTS: &[(&str, i64, &str, &[&str], &str)] = &[
    (
        "HM",
        6,
        "Muizenbox",
        &["Productiehal", "Magazijn", "Kantine"],
        "percent",
    ),
    ("RT", 2, "Rattenklem", &["Buitenterrein"], "count"),
    (
        "IM",
        4,
        "Insectenmonitor",
        &["Bakkerij", "Opslag droge waren"],
        "count",
    ),
];

/// A small valid PDF with one line of text, for the demo documents.
fn pdf(text: &str) -> Vec<u8> {
    use portal_core::pdf::{TextLine, document};
    let page = vec![TextLine {
        x: 56.0,
        y: 780.0,
        size: 14.0,
        bold: true,
        text: text.to_string(),
    }];
    document(text, &[page], None)
}

/// The locations of the demo customers: (external id, location id, customer id).
async fn locations(cx: &DemoCx<'_>) -> Result<Vec<(String, i64, i64)>, String> {
    let scope = cx.scope();
    let rows: Vec<(String, i64, i64)> = cx
        .deps
        .db
        .fetch_all(
            &scope
                .select("core_locations")
                .column(("core_locations", "external_id"))
                .column(("core_locations", "id"))
                .column(("core_locations", "customer_id"))
                .inner_join(
                    "core_customers",
                    Expr::col(("core_customers", "id")).equals(("core_locations", "customer_id")),
                )
                .and_where(
                    Expr::col(("core_customers", "external_id"))
                        .is_in(cx.customers.iter().cloned()),
                )
                .and_where(Expr::col(("core_locations", "external_id")).is_not_null())
                .to_owned(),
        )
        .await
        .map_err(|e| e.to_string())?;
    Ok(rows)
}

async fn has_checkpoints(cx: &DemoCx<'_>, location_id: i64) -> Result<bool, String> {
    let found: Option<(i64,)> = cx
        .deps
        .db
        .fetch_optional(
            &cx.scope()
                .select("logbook_checkpoints")
                .column("id")
                .and_where(Expr::col("location_id").eq(location_id))
                .limit(1)
                .to_owned(),
        )
        .await
        .map_err(|e| e.to_string())?;
    Ok(found.is_some())
}

/// Writes the demo logbook of every demo location that has none yet.
///
/// # Errors
/// A refused row or a database failure, as text for the operator.
pub async fn run(cx: &DemoCx<'_>) -> Result<(), String> {
    let customers: Vec<(String, i64)> = {
        let rows: Vec<(String, i64)> = cx
            .deps
            .db
            .fetch_all(
                &cx.scope()
                    .select("core_customers")
                    .columns(["external_id", "id"])
                    .and_where(Expr::col("external_id").is_in(cx.customers.iter().cloned()))
                    .to_owned(),
            )
            .await
            .map_err(|e| e.to_string())?;
        rows
    };
    let today = Utc::now().date_naive();
    for (n, (ext, location_id, customer_id)) in locations(cx).await?.into_iter().enumerate() {
        if has_checkpoints(cx, location_id).await? {
            continue;
        }
        let customer_ext = customers
            .iter()
            .find(|c| c.1 == customer_id)
            .map(|c| c.0.clone())
            .unwrap_or_default();
        one_location(cx, &ext, &customer_ext, n, today).await?;
    }
    Ok(())
}

fn err(e: impl std::fmt::Display) -> String {
    e.to_string()
}

#[allow(clippy::too_many_lines)]
async fn one_location(
    cx: &DemoCx<'_>,
    loc: &str,
    customer: &str,
    n: usize,
    today: NaiveDate,
) -> Result<(), String> {
    let (db, scope) = (&cx.deps.db, cx.scope());
    let mut checkpoints = Vec::new();
    for (code, count, kind, rooms, measure) in CHECKPOINTS {
        for i in 1..=*count {
            let room = rooms[usize::try_from(i - 1).unwrap_or(0) % rooms.len()];
            checkpoints.push(CheckpointRow {
                external_id: format!("{loc}-{code}{i}"),
                location_external_id: loc.to_string(),
                code: (*code).into(),
                number: i,
                kind: (*kind).into(),
                room: room.into(),
                measure: (*measure).into(),
                // One mouse box was taken away when the canteen was rebuilt.
                active: !(*code == "HM" && i == 6),
            });
        }
    }
    sync::checkpoints(db, scope, &checkpoints)
        .await
        .map_err(err)?
        .all_stored("checkpoint")?;
    let technicians = ["Martijn Bos", "Ilse de Graaf"];
    let mut visits = Vec::new();
    for back in (0..12u32).rev() {
        let Some(day) = today
            .checked_sub_months(Months::new(back))
            .and_then(|d| d.with_day(5 + u32::try_from(n % 10).unwrap_or(0)))
        else {
            continue;
        };
        if day > today {
            continue;
        }
        let m = i64::from(day.month());
        let observations = checkpoints
            .iter()
            .filter(|c| c.active || back > 3)
            .map(|c| {
                let seed = (c.number * 7 + m * 3 + i64::try_from(n).unwrap_or(0)) % 11;
                let value = match (c.measure.as_str(), seed) {
                    ("percent", 0) => 50,
                    ("percent", 1 | 2) => 25,
                    ("percent", _) => 0,
                    (_, 0) => 3,
                    (_, 1) => 1,
                    _ => 0,
                };
                ObservationRow {
                    checkpoint_external_id: c.external_id.clone(),
                    value,
                    note: if value >= 25 {
                        "Lokaas aangevuld".into()
                    } else {
                        String::new()
                    },
                }
            })
            .collect();
        visits.push(VisitRow {
            external_id: format!("{loc}-V{}", day.format("%Y%m")),
            location_external_id: loc.to_string(),
            visited_on: day,
            technician: technicians[usize::try_from(back).unwrap_or(0) % 2].into(),
            kind: "routine".into(),
            findings: "Alle controlepunten geïnspecteerd. Activiteit van muizen in de productiehal; geen sporen van ratten.".into(),
            remarks: if back == 0 {
                "Kier onder de magazijndeur nog niet gedicht: zie aanbeveling.".into()
            } else {
                String::new()
            },
            materials: vec![
                Material {
                    name: "Lokaas pasta (difenacoum)".into(),
                    amount: 150.0,
                    unit: "g".into(),
                    registration_number: "Ctgb 12906 N".into(),
                },
                Material {
                    name: "Lijmplaat insectenmonitor".into(),
                    amount: 4.0,
                    unit: "st".into(),
                    registration_number: String::new(),
                },
            ],
            observations,
        });
    }
    if let Some(extra) = today.checked_sub_months(Months::new(2)) {
        let extra = extra.with_day(20).unwrap_or(extra);
        visits.push(VisitRow {
            external_id: format!("{loc}-VX1"),
            location_external_id: loc.to_string(),
            visited_on: extra,
            technician: technicians[0].into(),
            kind: "extra".into(),
            findings:
                "Op verzoek: muis gezien in de kantine. Twee extra muizenboxen gecontroleerd."
                    .into(),
            remarks: "Voedselresten in de kantine direct opruimen.".into(),
            materials: Vec::new(),
            observations: Vec::new(),
        });
        let follow = extra
            .checked_add_days(chrono::Days::new(14))
            .unwrap_or(extra);
        if follow <= today {
            visits.push(VisitRow {
                external_id: format!("{loc}-VF1"),
                location_external_id: loc.to_string(),
                visited_on: follow,
                technician: technicians[0].into(),
                kind: "follow_up".into(),
                findings: "Nacontrole: geen nieuwe activiteit in de kantine.".into(),
                remarks: String::new(),
                materials: Vec::new(),
                observations: Vec::new(),
            });
        }
    }
    sync::visits(db, scope, &visits)
        .await
        .map_err(err)?
        .all_stored("visit")?;
    let rec =
        |id: &str, cp: Option<&str>, category: &str, text: &str, status: &str| RecommendationRow {
            external_id: format!("{loc}-{id}"),
            location_external_id: loc.to_string(),
            checkpoint_external_id: cp.map(|c| format!("{loc}-{c}")),
            category: category.into(),
            text: text.into(),
            status: Some(status.into()),
            technician: technicians[0].into(),
        };
    let recommendations = vec![
        rec(
            "A1",
            None,
            "construction",
            "Dicht de kier onder de deur van het magazijn (meer dan 6 mm): muizen kunnen hier binnenkomen.",
            "new",
        ),
        rec(
            "A2",
            Some("HM2"),
            "hygiene",
            "Verwijder meelresten onder de menglijn bij HM2.",
            "new",
        ),
        rec(
            "A3",
            None,
            "storage",
            "Plaats pallets minstens 50 cm van de wand, zodat controle mogelijk is.",
            "in_progress",
        ),
        rec(
            "A4",
            None,
            "other",
            "Houd de afvalcontainer buiten gesloten.",
            "done",
        ),
        rec(
            "A5",
            Some("IM1"),
            "hygiene",
            "Reinig de afvoergoot in de bakkerij wekelijks.",
            "verified",
        ),
    ];
    sync::recommendations(db, scope, &recommendations)
        .await
        .map_err(err)?
        .all_stored("recommendation")?;
    if let Some(next) = today.checked_add_months(Months::new(1)) {
        sync::planned(
            db,
            scope,
            &[PlannedVisitRow {
                external_id: format!("{loc}-P1"),
                location_external_id: loc.to_string(),
                planned_on: next.with_day(5).unwrap_or(next),
                kind: "routine".into(),
                note: "Inclusief controle van het buitenterrein".into(),
            }],
        )
        .await
        .map_err(err)?
        .all_stored("planned visit")?;
    }
    let (location_id, customer_id): (i64, i64) = db
        .fetch_optional(
            &scope
                .select("core_locations")
                .columns(["id", "customer_id"])
                .and_where(Expr::col("external_id").eq(loc))
                .to_owned(),
        )
        .await
        .map_err(err)?
        .ok_or("the demo location vanished")?;
    demo_messages(cx, customer_id, location_id).await?;
    let docs = [
        (
            format!("{customer}-VIB"),
            "",
            "safety_sheet",
            "Veiligheidsinformatieblad lokaas pasta",
            "vib-lokaas-pasta.pdf",
            None,
        ),
        (
            format!("{loc}-CERT"),
            loc,
            "certificate",
            "Vakbekwaamheid technicus M. Bos",
            "certificaat-m-bos.pdf",
            today.checked_add_months(Months::new(14)),
        ),
        (
            format!("{loc}-CONTRACT"),
            loc,
            "contract",
            "Contract ongediertebeheersing",
            "contract.pdf",
            None,
        ),
    ];
    for (external_id, location, category, title, name, valid_until) in docs {
        let meta = DocumentMeta {
            external_id,
            customer_external_id: customer.to_string(),
            location_external_id: location.to_string(),
            category: category.into(),
            title: title.into(),
            name: name.into(),
            valid_until,
        };
        documents::put_document(db, &cx.deps.blobs, scope, &meta, &pdf(title))
            .await
            .map_err(err)?;
    }
    Ok(())
}

/// A customer's message still open, one the supplier answered, a
/// notification and an alarm.
async fn demo_messages(cx: &DemoCx<'_>, customer_id: i64, location_id: i64) -> Result<(), String> {
    let (db, scope) = (&cx.deps.db, cx.scope());
    let customer_message = |subject: &str, body: &str| {
        scope
            .insert("logbook_messages")
            .set("customer_id", customer_id)
            .set("location_id", location_id)
            .set("from_supplier", false)
            .set("kind", "message")
            .set("subject", subject)
            .set("body", body)
            .set("author_name", "Kwaliteitsdienst")
            .set("status", "open")
            .set("created_at", Utc::now())
            .statement()
    };
    let mut tx = db.begin().await.map_err(err)?;
    let answered = tx
        .insert_returning_id(&customer_message(
            "Muis gezien in de kantine",
            "Vanochtend is bij de koffieautomaat in de kantine een muis gezien.",
        ))
        .await
        .map_err(err)?;
    tx.insert_returning_id(&customer_message(
        "Box HM4 beschadigd",
        "De muizenbox HM4 in het magazijn is door een heftruck geraakt.",
    ))
    .await
    .map_err(err)?;
    tx.commit().await.map_err(err)?;
    write::supplier_message(
        db,
        scope,
        customer_id,
        location_id,
        "message",
        "Re: Muis gezien in de kantine",
        "Dank voor uw melding. Onze technicus komt morgen langs voor een extra controle.",
        &cx.tenant.name,
        Some(answered),
        None,
    )
    .await
    .map_err(err)?;
    write::supplier_message(
        db,
        scope,
        customer_id,
        location_id,
        "notification",
        "Volgend bezoek gepland",
        "Het volgende routinebezoek staat in de planning; u ziet de datum op het overzicht.",
        &cx.tenant.name,
        None,
        None,
    )
    .await
    .map_err(err)?;
    write::supplier_message(
        db,
        scope,
        customer_id,
        location_id,
        "alarm",
        "Verhoogde activiteit bij HM1",
        "Bij het laatste bezoek was de helft van het lokaas in HM1 opgenomen. Let op voedselresten in de productiehal.",
        &cx.tenant.name,
        None,
        None,
    )
    .await
    .map_err(err)?;
    Ok(())
}
