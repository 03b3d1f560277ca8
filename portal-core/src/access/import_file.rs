//! Files for `portal import`: the sync API's format as JSON
//! (`{"customers": [...], "accounts": [...]}`, or a bare array of
//! customers), or CSV with a header row. A CSV of customers has one row per
//! customer and location (a customer's columns repeat on each of its
//! locations; a customer without locations leaves the location columns
//! empty); a CSV whose header has `customer_external_id` holds accounts.
//! A malformed file is refused as a whole, naming the row, so nothing of
//! it is imported.

use std::path::Path;

use super::sync::{CustomerRow, LocationRow};
use super::sync_accounts::AccountRow;

/// What a file holds.
#[derive(Debug, Default)]
pub struct ImportData {
    pub customers: Vec<CustomerRow>,
    pub accounts: Vec<AccountRow>,
}

/// Reads a JSON or CSV file (by its extension; JSON otherwise).
///
/// # Errors
/// The file cannot be read or is malformed; the message names the row.
pub fn read(path: &Path) -> Result<ImportData, String> {
    let name = path.display();
    let text = std::fs::read_to_string(path).map_err(|e| format!("reading {name}: {e}"))?;
    let csv = path
        .extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| e.eq_ignore_ascii_case("csv"));
    if csv {
        from_csv(&text).map_err(|e| format!("{name}: {e}"))
    } else {
        from_json(&text).map_err(|e| format!("{name}: {e}"))
    }
}

fn from_json(text: &str) -> Result<ImportData, String> {
    let value: serde_json::Value =
        serde_json::from_str(text).map_err(|e| format!("not JSON ({e})"))?;
    let expected = "expected {\"customers\": [...], \"accounts\": [...]} or an array of customers";
    let (customers, accounts) = match value {
        serde_json::Value::Array(a) => (a, Vec::new()),
        serde_json::Value::Object(mut o) => {
            let take = |v: Option<serde_json::Value>| match v {
                None => Ok(Vec::new()),
                Some(serde_json::Value::Array(a)) => Ok(a),
                Some(_) => Err(expected.to_string()),
            };
            let c = take(o.remove("customers"))?;
            let a = take(o.remove("accounts"))?;
            if c.is_empty() && a.is_empty() {
                return Err(expected.into());
            }
            (c, a)
        }
        _ => return Err(expected.into()),
    };
    let mut out = ImportData::default();
    for (i, v) in customers.into_iter().enumerate() {
        out.customers.push(
            serde_json::from_value(v)
                .map_err(|e| format!("customer {} (counting from 1) is malformed: {e}", i + 1))?,
        );
    }
    for (i, v) in accounts.into_iter().enumerate() {
        out.accounts.push(
            serde_json::from_value(v)
                .map_err(|e| format!("account {} (counting from 1) is malformed: {e}", i + 1))?,
        );
    }
    Ok(out)
}

fn truthy(s: &str, default: bool) -> Result<bool, String> {
    match s.trim().to_lowercase().as_str() {
        "" => Ok(default),
        "1" | "true" | "yes" | "ja" | "j" | "y" => Ok(true),
        "0" | "false" | "no" | "nee" | "n" => Ok(false),
        other => Err(format!("{other:?} is not yes or no")),
    }
}

fn from_csv(text: &str) -> Result<ImportData, String> {
    // Excel in Dutch settings writes semicolons: take whichever the header uses.
    let first = text.lines().next().unwrap_or("");
    let delimiter = if first.matches(';').count() > first.matches(',').count() {
        b';'
    } else {
        b','
    };
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .trim(csv::Trim::All)
        .from_reader(text.trim_start_matches('\u{feff}').as_bytes());
    let headers = reader
        .headers()
        .map_err(|e| format!("the header row: {e}"))?
        .clone();
    let col = |name: &str| headers.iter().position(|h| h.eq_ignore_ascii_case(name));
    let accounts = col("customer_external_id").is_some();
    let mut out = ImportData::default();
    for (i, record) in reader.records().enumerate() {
        let line = i + 2;
        let r = record.map_err(|e| format!("row {line}: {e}"))?;
        let get = |name: &str| col(name).and_then(|c| r.get(c)).unwrap_or("").to_string();
        let bad = |field: &str, e: String| format!("row {line}, column {field}: {e}");
        if accounts {
            let roles = get("roles");
            out.accounts.push(AccountRow {
                external_id: get("external_id"),
                customer_external_id: get("customer_external_id"),
                email: get("email"),
                username: Some(get("username")).filter(|u| !u.is_empty()),
                first_name: get("first_name"),
                last_name: get("last_name"),
                gender: get("gender"),
                phone: get("phone"),
                roles: (!roles.trim().is_empty()).then(|| {
                    roles
                        .split([' ', '|', '+'])
                        .filter(|r| !r.is_empty())
                        .map(str::to_string)
                        .collect()
                }),
                main: truthy(&get("main"), false).map_err(|e| bad("main", e))?,
                active: truthy(&get("active"), true).map_err(|e| bad("active", e))?,
                lang: Some(get("lang")).filter(|l| !l.is_empty()),
            });
            continue;
        }
        let external_id = get("external_id");
        if external_id.is_empty() {
            return Err(bad("external_id", "empty".into()));
        }
        let location = (!get("location_external_id").is_empty()).then(|| {
            Ok::<_, String>(LocationRow {
                external_id: get("location_external_id"),
                name: get("location_name"),
                address: get("location_address").replace("\\n", "\n"),
                active: truthy(&get("location_active"), true)
                    .map_err(|e| bad("location_active", e))?,
            })
        });
        let location = location.transpose()?;
        // Rows of one customer follow each other: add the location to it.
        if let Some(last) = out.customers.last_mut()
            && last.external_id == external_id
        {
            if let Some(l) = location {
                last.locations.get_or_insert_with(Vec::new).push(l);
            }
            continue;
        }
        out.customers.push(CustomerRow {
            external_id,
            number: get("number"),
            name: get("name"),
            parent_external_id: Some(get("parent_external_id")).filter(|p| !p.is_empty()),
            email: get("email"),
            phone: get("phone"),
            payment_method: get("payment_method"),
            invoice_address: get("invoice_address").replace("\\n", "\n"),
            correspondence_address: get("correspondence_address").replace("\\n", "\n"),
            active: truthy(&get("active"), true).map_err(|e| bad("active", e))?,
            locations: location.map(|l| vec![l]),
        });
    }
    Ok(out)
}
