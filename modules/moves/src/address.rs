//! The tenant's known service addresses for the move-in: what the
//! back-office syncs (by external id, idempotent, errors per row) and what
//! the wizard matches a typed postcode, house number and addition against.
//! Dutch postcodes are compared as "1234AB" (spaces and case ignored), the
//! addition in capitals without spaces or dashes ("-a", " A" and "A" are
//! one).

use chrono::{NaiveDate, Utc};
use portal_core::db::{Db, DbError};
use portal_core::sea_query::{Expr, ExprTrait, OnConflict, Query};
use portal_core::tenant::TenantScope;

/// One register of a meter (e.g. heat in GJ, or a tariff register), with
/// the last reading the supplier knows.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize, poem_openapi::Object)]
pub struct Register {
    /// The register's code, unique within the meter ("1.8.1", "heat").
    #[oai(validator(min_length = 1, max_length = 40))]
    pub code: String,
    /// What the resident sees, e.g. "Warmte".
    #[oai(validator(max_length = 100))]
    #[serde(default)]
    pub label: String,
    /// The unit, e.g. "GJ", "m³", "kWh".
    #[oai(validator(max_length = 20))]
    #[serde(default)]
    pub unit: String,
    /// The last known reading; a start reading may not be lower.
    #[serde(default)]
    pub last_reading: Option<f64>,
    #[serde(default)]
    pub last_read_on: Option<NaiveDate>,
}

/// A meter at the address with its registers.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize, poem_openapi::Object)]
pub struct Meter {
    /// The meter number as printed on it.
    #[oai(validator(min_length = 1, max_length = 60))]
    pub number: String,
    #[oai(validator(max_items = 12))]
    pub registers: Vec<Register>,
}

/// A known address as stored.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Address {
    pub id: i64,
    pub external_id: String,
    pub postcode: String,
    pub house_number: i64,
    pub addition: String,
    pub street: String,
    pub city: String,
    pub products_json: String,
    pub meters_json: String,
    pub advance_cents: Option<i64>,
    pub open: bool,
}
portal_core::from_sqlite! {
    Address { id, external_id, postcode, house_number, addition, street, city, products_json,
        meters_json, advance_cents, open }
}

impl Address {
    /// "Kastanjelaan 12 A, 1234 AB Amsterdam".
    pub fn label(&self) -> String {
        let pc = if self.postcode.len() == 6 {
            format!("{} {}", &self.postcode[..4], &self.postcode[4..])
        } else {
            self.postcode.clone()
        };
        let addition = if self.addition.is_empty() {
            String::new()
        } else {
            format!(" {}", self.addition)
        };
        format!(
            "{} {}{addition}, {pc} {}",
            self.street, self.house_number, self.city
        )
    }
    pub fn products(&self) -> Vec<String> {
        serde_json::from_str(&self.products_json).unwrap_or_default()
    }
    pub fn meters(&self) -> Vec<Meter> {
        serde_json::from_str(&self.meters_json).unwrap_or_default()
    }
}

const COLUMNS: [&str; 11] = [
    "id",
    "external_id",
    "postcode",
    "house_number",
    "addition",
    "street",
    "city",
    "products_json",
    "meters_json",
    "advance_cents",
    "open",
];

/// A Dutch postcode as "1234AB", or `None` when it is not one.
pub fn postcode(typed: &str) -> Option<String> {
    let s: String = typed
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect::<String>()
        .to_ascii_uppercase();
    let b = s.as_bytes();
    let ok = b.len() == 6
        && b[0] != b'0'
        && b[..4].iter().all(u8::is_ascii_digit)
        && b[4..].iter().all(u8::is_ascii_uppercase);
    ok.then_some(s)
}

/// A house number addition in capitals without spaces or dashes.
pub fn addition(typed: &str) -> String {
    typed
        .chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .collect::<String>()
        .to_ascii_uppercase()
}

/// The address with this postcode, number and addition (normalised).
///
/// # Errors
/// A database failure.
pub async fn find(
    db: &Db,
    scope: TenantScope,
    postcode: &str,
    number: i64,
    addition: &str,
) -> Result<Option<Address>, DbError> {
    db.fetch_optional(
        &scope
            .select("moves_addresses")
            .columns(COLUMNS)
            .and_where(Expr::col("postcode").eq(postcode))
            .and_where(Expr::col("house_number").eq(number))
            .and_where(Expr::col("addition").eq(addition))
            .to_owned(),
    )
    .await
}

/// Address `id` of this tenant.
///
/// # Errors
/// A database failure.
pub async fn by_id(db: &Db, scope: TenantScope, id: i64) -> Result<Option<Address>, DbError> {
    db.fetch_optional(
        &scope
            .select("moves_addresses")
            .columns(COLUMNS)
            .and_where(Expr::col("id").eq(id))
            .to_owned(),
    )
    .await
}

/// One address as the back-office sends it.
#[derive(Debug, Clone, PartialEq, serde::Deserialize, poem_openapi::Object)]
pub struct AddressRow {
    /// Checked per row (a bad row is refused with its errors, the others saved).
    #[oai(validator(min_length = 1, max_length = 100))]
    pub external_id: String,
    /// A Dutch postcode, "1234 AB" or "1234ab".
    #[oai(validator(max_length = 12))]
    pub postcode: String,
    /// 1 to 99999.
    pub house_number: i64,
    #[oai(default, validator(max_length = 10))]
    #[serde(default)]
    pub addition: String,
    #[oai(validator(max_length = 200))]
    pub street: String,
    #[oai(validator(max_length = 100))]
    pub city: String,
    /// What a resident gets there, e.g. ["Warmte", "Warm tapwater"].
    #[oai(default, validator(max_items = 10))]
    #[serde(default)]
    pub products: Vec<String>,
    #[oai(default, validator(max_items = 10))]
    #[serde(default)]
    pub meters: Vec<Meter>,
    /// The advance proposed to a new resident, in cents.
    #[serde(default)]
    pub advance_cents: Option<i64>,
    /// False: known, but a move-in goes through customer service.
    #[oai(default = "yes")]
    #[serde(default = "yes")]
    pub open: bool,
}

fn yes() -> bool {
    true
}

/// What is wrong with a row, or nothing.
fn row_errors(r: &AddressRow) -> Vec<String> {
    let mut errors = Vec::new();
    let text = |errors: &mut Vec<String>, name: &str, v: &str, max: usize, required: bool| {
        if (required && v.trim().is_empty()) || v.chars().count() > max {
            errors.push(format!("{name}: required, at most {max} characters"));
        }
    };
    text(&mut errors, "external_id", &r.external_id, 100, true);
    text(&mut errors, "street", &r.street, 200, true);
    text(&mut errors, "city", &r.city, 100, true);
    text(&mut errors, "addition", &r.addition, 10, false);
    if postcode(&r.postcode).is_none() {
        errors.push("postcode: a Dutch postcode such as 1234 AB".into());
    }
    if !(1..=99_999).contains(&r.house_number) {
        errors.push("house_number: 1 to 99999".into());
    }
    if r.products.len() > 10 || r.products.iter().any(|p| p.chars().count() > 100) {
        errors.push("products: at most 10 of at most 100 characters".into());
    }
    if r.advance_cents
        .is_some_and(|a| !(0..=100_000_000).contains(&a))
    {
        errors.push("advance_cents: 0 to 100000000".into());
    }
    if r.meters.len() > 10 {
        errors.push("meters: at most 10".into());
    }
    for m in &r.meters {
        if m.number.trim().is_empty() || m.number.chars().count() > 60 {
            errors.push("meters.number: required, at most 60 characters".into());
        }
        if m.registers.is_empty() || m.registers.len() > 12 {
            errors.push(format!("meters[{}].registers: 1 to 12", m.number));
        }
        let mut codes: Vec<&str> = m.registers.iter().map(|g| g.code.as_str()).collect();
        codes.sort_unstable();
        codes.dedup();
        if codes.len() != m.registers.len()
            || m.registers.iter().any(|g| {
                g.code.trim().is_empty()
                    || g.code.chars().count() > 40
                    || g.label.chars().count() > 100
                    || g.unit.chars().count() > 20
                    || g.last_reading.is_some_and(|v| !v.is_finite() || v < 0.0)
            })
        {
            errors.push(format!(
                "meters[{}].registers: unique codes, texts within their limits, readings not negative",
                m.number
            ));
        }
    }
    errors
}

/// The outcome of one row.
#[derive(Debug, Clone, serde::Serialize, poem_openapi::Object)]
pub struct AddressResult {
    pub external_id: String,
    /// `saved` or `refused`.
    #[oai(validator(pattern = "^(saved|refused)$"))]
    pub status: String,
    pub errors: Vec<String>,
}

/// Upserts addresses by external id; rows with errors are refused, the
/// others saved (all in one transaction).
///
/// # Errors
/// A database failure (nothing of the call is written).
pub async fn upsert(
    db: &Db,
    scope: TenantScope,
    rows: &[AddressRow],
) -> Result<Vec<AddressResult>, DbError> {
    let now = Utc::now();
    let mut out = Vec::with_capacity(rows.len());
    let mut tx = db.begin().await?;
    for r in rows {
        let errors = row_errors(r);
        if !errors.is_empty() {
            out.push(AddressResult {
                external_id: r.external_id.clone(),
                status: "refused".into(),
                errors,
            });
            continue;
        }
        let products: Vec<String> = r.products.iter().map(|p| p.trim().to_string()).collect();
        let q = Query::insert()
            .into_table("moves_addresses")
            .columns([
                "tenant_id",
                "external_id",
                "postcode",
                "house_number",
                "addition",
                "street",
                "city",
                "products_json",
                "meters_json",
                "advance_cents",
                "open",
                "updated_at",
            ])
            .values_panic([
                scope.tenant_id().into(),
                r.external_id.trim().into(),
                postcode(&r.postcode).unwrap_or_default().into(),
                r.house_number.into(),
                addition(&r.addition).into(),
                r.street.trim().into(),
                r.city.trim().into(),
                serde_json::to_string(&products)
                    .unwrap_or_else(|_| "[]".into())
                    .into(),
                serde_json::to_string(&r.meters)
                    .unwrap_or_else(|_| "[]".into())
                    .into(),
                r.advance_cents.into(),
                r.open.into(),
                now.into(),
            ])
            .on_conflict(
                OnConflict::columns(["tenant_id", "external_id"])
                    .update_columns([
                        "postcode",
                        "house_number",
                        "addition",
                        "street",
                        "city",
                        "products_json",
                        "meters_json",
                        "advance_cents",
                        "open",
                        "updated_at",
                    ])
                    .to_owned(),
            )
            .to_owned();
        tx.execute(&q).await?;
        out.push(AddressResult {
            external_id: r.external_id.clone(),
            status: "saved".into(),
            errors: Vec::new(),
        });
    }
    tx.commit().await?;
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn postcodes_are_normalised_and_checked() {
        assert_eq!(postcode("1234 ab").as_deref(), Some("1234AB"));
        assert_eq!(postcode(" 1234AB ").as_deref(), Some("1234AB"));
        assert_eq!(postcode("0123 AB"), None);
        assert_eq!(postcode("1234 A"), None);
        assert_eq!(postcode("12345AB"), None);
        assert_eq!(postcode("1234 ÄB"), None);
    }

    #[test]
    fn additions_compare_without_case_spaces_or_dashes() {
        assert_eq!(addition("-a"), "A");
        assert_eq!(addition(" bis "), "BIS");
        assert_eq!(addition(""), "");
    }
}
