//! The public move-in wizard (seed 004: "Een inhuizing doorgeven ... een
//! overzichtelijk 7-stappenproces"), without an account:
//!
//! 1. the address (postcode + house number + addition) matched against the
//!    tenant's known addresses; an unknown one gets the tenant's contact;
//! 2. the key date within the tenant's window;
//! 3. start readings per meter register (not lower than the last known),
//!    with an optional photo or PDF of the handover document;
//! 4. personal or organisation data; 5. the correspondence address;
//! 6. payment (direct debit with mandate, or transfer; IBAN by mod 97);
//! 7. the summary with products, proposed advance and the terms.
//!
//! Every step is checked on the server, the message next to the field, and
//! what was typed is kept (also on "back"). Forms are multipart (step 3
//! carries a file; one shape for all). Bots: a honeypot field on step 1,
//! address look-ups limited per client address, completed requests per
//! service address.

use std::collections::BTreeMap;

use chrono::{Days, Duration, NaiveDate, Utc};
use minijinja::{Value, context};
use portal_core::auth::accounts::valid_email;
use portal_core::auth::flows::{Client, duration_text, link};
use portal_core::auth::throttle::{self, Limit};
use portal_core::files::upload::{self, Limits, Upload};
use portal_core::files::{BlobStore, names};
use portal_core::mail::{MailValues, Recipient};
use portal_core::poem::error::NotFoundError;
use portal_core::poem::web::{Multipart, Path, Redirect};
use portal_core::poem::{IntoResponse, Request, Response, handler};
use portal_core::web::context::{Page, cookie, set_cookie};
use portal_core::web::format::{amount, date, local, number};

use crate::address::{self, Address, Meter};
use crate::draft::{self, COOKIE, Draft, DraftData};
use crate::move_in::{self, Voice};
use crate::{MOVES, iban};

type Result<T> = portal_core::poem::Result<T>;

/// The number of steps before the confirmation.
pub const STEPS: i64 = 7;

/// Address look-ups per client address: a person needs a few.
const LOOKUPS: Limit = Limit {
    max: 20,
    window: Duration::hours(1),
    lock: Duration::hours(1),
    max_lock: Duration::hours(1),
};

/// Completed move-ins per service address a day.
const PER_ADDRESS: Limit = Limit {
    max: 3,
    window: Duration::days(1),
    lock: Duration::days(1),
    max_lock: Duration::days(1),
};

/// Resume mails per draft an hour.
const RESUME_MAILS: Limit = Limit {
    max: 3,
    window: Duration::hours(1),
    lock: Duration::hours(1),
    max_lock: Duration::hours(1),
};

/// How long a resume link works (never beyond the draft's own expiry).
const RESUME_VALID: Duration = Duration::days(3);

/// The document of step 3: a photo or a PDF, 10 MB.
const DOCUMENT_LIMITS: Limits = Limits {
    per_file: 10 * 1024 * 1024,
    total: 10 * 1024 * 1024 + 256 * 1024,
    max_files: 1,
    per_field: 16 * 1024,
    max_fields: 64,
};

type Errors = BTreeMap<String, String>;

fn enabled(page: &Page) -> Result<()> {
    if MOVES.flag(page.tenant(), "move_in") {
        Ok(())
    } else {
        Err(NotFoundError.into())
    }
}

/// How long an untouched draft lives.
fn lifetime(page: &Page) -> Duration {
    let days: i64 = MOVES
        .setting(page.tenant(), "draft_days")
        .parse()
        .unwrap_or(7);
    Duration::days(days.clamp(1, 60))
}

async fn current(page: &Page, req: &Request) -> Result<Option<Draft>> {
    let Some(key) = cookie(req, COOKIE).filter(|k| k.len() == 64) else {
        return Ok(None);
    };
    Ok(draft::by_key(&page.state.db, page.tenant().scope(), key).await?)
}

fn to_step(page: &Page, step: i64) -> Response {
    Redirect::see_other(page.url(&format!("/moves/in/{step}"))).into_response()
}

fn draft_cookie(page: &Page, key: &str, lifetime: Duration) -> String {
    set_cookie(
        COOKIE,
        key,
        Some(lifetime.num_seconds()),
        page.state.config.web.https,
    )
}

/// The start of the wizard: where this browser's draft stopped, or step 1.
#[handler]
pub async fn start(page: Page, req: &Request) -> Result<Response> {
    enabled(&page)?;
    match current(&page, req).await? {
        Some(d) => Ok(to_step(&page, d.step)),
        None => {
            render(
                &page,
                1,
                None,
                &DraftData::default(),
                Errors::new(),
                Extra::default(),
            )
            .await
        }
    }
}

/// A step, if this browser's draft has reached it.
#[handler]
pub async fn show(page: Page, req: &Request, Path(step): Path<i64>) -> Result<Response> {
    enabled(&page)?;
    if !(1..=STEPS).contains(&step) {
        return Err(NotFoundError.into());
    }
    match current(&page, req).await? {
        Some(d) if step <= d.step => {
            let data = d.data.clone();
            render(
                &page,
                step,
                Some(&d),
                &data,
                Errors::new(),
                Extra::default(),
            )
            .await
        }
        Some(d) => Ok(to_step(&page, d.step)),
        None if step == 1 => {
            render(
                &page,
                1,
                None,
                &DraftData::default(),
                Errors::new(),
                Extra::default(),
            )
            .await
        }
        None => Ok(Redirect::see_other(page.url("/moves/in")).into_response()),
    }
}

/// What a page shows besides the step's fields.
#[derive(Default)]
struct Extra {
    /// The address was not found: show the tenant's contact.
    unknown_address: bool,
    /// A resume link was mailed.
    resume_sent: bool,
}

/// Copies the step's typed fields into the draft's data.
fn take(step: i64, up: &Upload, data: &mut DraftData, meters: &[Meter]) {
    let f = |k: &str| up.field(k).trim().to_string();
    match step {
        1 => {
            data.postcode = f("postcode");
            data.house_number = f("house_number");
            data.addition = f("addition");
        }
        2 => data.moving_on = f("moving_on"),
        3 => {
            for (i, (key, _, _)) in registers(meters).iter().enumerate() {
                data.readings
                    .insert(key.clone(), f(&format!("reading_{i}")));
            }
        }
        4 => {
            data.customer_kind = f("customer_kind");
            data.name = f("name");
            data.organisation = f("organisation");
            data.coc_number = f("coc_number");
            data.email = f("email");
            data.phone = f("phone");
        }
        5 => {
            data.correspondence = f("correspondence");
            data.corr_street = f("corr_street");
            data.corr_postcode = f("corr_postcode");
            data.corr_city = f("corr_city");
            data.corr_country = f("corr_country");
        }
        6 => {
            data.payment = f("payment");
            data.iban = f("iban");
            data.account_holder = f("account_holder");
            data.mandate = !up.field("mandate").is_empty();
        }
        7 => data.terms = !up.field("terms").is_empty(),
        _ => {}
    }
}

/// Each register of each meter: ("meter|code", meter, register index).
fn registers(meters: &[Meter]) -> Vec<(String, usize, usize)> {
    meters
        .iter()
        .enumerate()
        .flat_map(|(m, meter)| {
            meter
                .registers
                .iter()
                .enumerate()
                .map(move |(g, r)| (format!("{}|{}", meter.number, r.code), m, g))
        })
        .collect()
}

/// The tenant's window around today.
fn window(page: &Page) -> (NaiveDate, NaiveDate) {
    let num = |k: &str, d: u64| MOVES.setting(page.tenant(), k).parse().unwrap_or(d);
    let today = local(Utc::now()).date();
    (
        today - Days::new(num("window_before_days", 30)),
        today + Days::new(num("window_after_days", 90)),
    )
}

/// A typed reading as a number (comma or point), or `None`.
fn reading_value(typed: &str) -> Option<f64> {
    let t = typed.trim();
    if t.is_empty()
        || t.chars().count() > 20
        || !t
            .chars()
            .all(|c| c.is_ascii_digit() || c == ',' || c == '.')
    {
        return None;
    }
    t.replace(',', ".")
        .parse::<f64>()
        .ok()
        .filter(|v| v.is_finite())
}

/// The checks of steps 2 and 4-7 (1 and 3 need the database or the file).
fn check(page: &Page, step: i64, d: &DraftData, address: Option<&Address>) -> Errors {
    let mut e = Errors::new();
    let mut err = |k: &str, key: &str| {
        e.insert(k.to_string(), page.t(key));
    };
    let long = |s: &str, max: usize| s.chars().count() > max || s.contains(['<', '>']);
    match step {
        2 => {
            let (earliest, latest) = window(page);
            match NaiveDate::parse_from_str(&d.moving_on, "%Y-%m-%d") {
                Err(_) => err("moving_on", "moves-error-date"),
                Ok(x) if x < earliest || x > latest => {
                    let lang = page.cx.lang;
                    let text = page.state.renderer.texts().get_with(
                        page.cx.voice(),
                        "moves-error-window",
                        portal_core::poem::i18n::I18NArgs::default()
                            .set("earliest", date(earliest, lang))
                            .set("latest", date(latest, lang)),
                    );
                    e.insert("moving_on".into(), text);
                }
                Ok(_) => {}
            }
        }
        3 => {
            let meters = address.map(Address::meters).unwrap_or_default();
            for (i, (key, m, g)) in registers(&meters).iter().enumerate() {
                let typed = d.readings.get(key).map_or("", String::as_str);
                let field = format!("reading_{i}");
                match reading_value(typed) {
                    None => {
                        e.insert(field, page.t("moves-in-error-reading"));
                    }
                    Some(v) => {
                        let r = &meters[*m].registers[*g];
                        if let Some(last) = r.last_reading
                            && v < last
                        {
                            let text = page.state.renderer.texts().get_with(
                                page.cx.voice(),
                                "moves-in-error-reading-low",
                                portal_core::poem::i18n::I18NArgs::default().set(
                                    "last",
                                    format!("{} {}", number(last, 3, page.cx.lang), r.unit),
                                ),
                            );
                            e.insert(field, text);
                        }
                    }
                }
            }
        }
        4 => {
            if !matches!(d.customer_kind.as_str(), "person" | "organisation") {
                err("customer_kind", "moves-in-error-kind");
            }
            if d.name.is_empty() || long(&d.name, 100) {
                err("name", "moves-in-error-name");
            }
            if d.customer_kind == "organisation" {
                if d.organisation.is_empty() || long(&d.organisation, 200) {
                    err("organisation", "moves-in-error-organisation");
                }
                let digits: String = d
                    .coc_number
                    .chars()
                    .filter(|c| !c.is_whitespace())
                    .collect();
                if digits.len() != 8 || !digits.chars().all(|c| c.is_ascii_digit()) {
                    err("coc_number", "moves-in-error-coc");
                }
            }
            if !valid_email(&d.email) || d.email.len() > 254 {
                err("email", "moves-in-error-email");
            }
            if !d.phone.is_empty()
                && (d.phone.chars().count() > 20
                    || !d
                        .phone
                        .chars()
                        .all(|c| c.is_ascii_digit() || matches!(c, '+' | ' ' | '-' | '(' | ')')))
            {
                err("phone", "moves-in-error-phone");
            }
        }
        5 => match d.correspondence.as_str() {
            "same" => {}
            "other" => {
                if d.corr_street.is_empty() || long(&d.corr_street, 200) {
                    err("corr_street", "moves-in-error-street");
                }
                if d.corr_city.is_empty() || long(&d.corr_city, 100) {
                    err("corr_city", "moves-in-error-city");
                }
                if d.corr_country.is_empty() || long(&d.corr_country, 60) {
                    err("corr_country", "moves-in-error-country");
                }
                let dutch = matches!(
                    d.corr_country.to_lowercase().as_str(),
                    "nederland" | "netherlands" | "the netherlands" | "nl"
                );
                if (dutch && address::postcode(&d.corr_postcode).is_none())
                    || d.corr_postcode.is_empty()
                    || long(&d.corr_postcode, 12)
                {
                    err("corr_postcode", "moves-in-error-postcode");
                }
            }
            _ => err("correspondence", "moves-in-error-correspondence"),
        },
        6 => {
            let debit = d.payment == "direct_debit";
            if !matches!(d.payment.as_str(), "direct_debit" | "transfer") {
                err("payment", "moves-in-error-payment");
            }
            if (debit || !d.iban.is_empty()) && iban::check(&d.iban).is_none() {
                err("iban", "moves-error-iban");
            }
            if debit && (d.account_holder.is_empty() || long(&d.account_holder, 100)) {
                err("account_holder", "moves-error-holder");
            }
            if debit && !d.mandate {
                err("mandate", "moves-in-error-mandate");
            }
        }
        7 if !d.terms => err("terms", "moves-in-error-terms"),
        _ => {}
    }
    e
}

/// A step sent: kept as typed, checked, and on to the next (or back).
#[handler]
pub async fn submit(
    page: Page,
    req: &Request,
    client: Client,
    Path(step): Path<i64>,
    mp: Multipart,
) -> Result<Response> {
    enabled(&page)?;
    if !(1..=STEPS).contains(&step) {
        return Err(NotFoundError.into());
    }
    let scope = page.tenant().scope();
    let db = &page.state.db;
    let draft = current(&page, req).await?;
    let up = upload::read(mp, &DOCUMENT_LIMITS).await;
    let Some(mut d) = draft else {
        if step == 1 {
            return address_step(&page, &client, None, &up).await;
        }
        return Ok(Redirect::see_other(page.url("/moves/in")).into_response());
    };
    if step > d.step {
        return Ok(to_step(&page, d.step));
    }
    let address = match d.data.address_id {
        Some(id) => address::by_id(db, scope, id).await?,
        None => None,
    };
    let meters = address.as_ref().map(Address::meters).unwrap_or_default();
    take(step, &up, &mut d.data, &meters);
    let back = up.field("go") == "back";
    if back {
        draft::save(db, scope, &d, lifetime(&page)).await?;
        return Ok(to_step(&page, (step - 1).max(1)));
    }
    if step == 1 {
        return address_step(&page, &client, Some(d), &up).await;
    }
    if up.field("go") == "resume" {
        let typed = up.field("resume_email").trim().to_string();
        return resume_mail(&page, d, step, typed).await;
    }
    let mut errors = check(&page, step, &d.data, address.as_ref());
    if let Some(e) = &up.error {
        errors.insert(
            "document".into(),
            upload::message(page.state.renderer.texts(), page.cx.voice(), e),
        );
    } else if step == 3
        && let Some(file) = up.files.iter().find(|f| f.field == "document")
    {
        if matches!(file.ty.ext, "pdf" | "jpg" | "png" | "webp" | "gif") {
            let key = BlobStore::new_key(scope.tenant_id(), "moves", file.ty.ext);
            page.state.blobs.put(&key, &file.bytes).await?;
            d.document_key = Some(key);
            d.document_name = file.name.clone();
            d.document_type = file.ty.mime.to_string();
        } else {
            errors.insert("document".into(), page.t("moves-in-error-document"));
        }
    }
    let Some(address) = address.filter(|a| a.open) else {
        // The address was withdrawn meanwhile: from the start.
        d.step = 1;
        draft::save(db, scope, &d, lifetime(&page)).await?;
        return Ok(to_step(&page, 1));
    };
    if !errors.is_empty() {
        draft::save(db, scope, &d, lifetime(&page)).await?;
        let data = d.data.clone();
        return render(&page, step, Some(&d), &data, errors, Extra::default()).await;
    }
    if step == 6 {
        // Stored as the bank writes it: "NL91ABNA0417164300".
        d.data.iban = iban::check(&d.data.iban).unwrap_or_default();
    }
    if step < STEPS {
        d.step = d.step.max(step + 1);
        draft::save(db, scope, &d, lifetime(&page)).await?;
        return Ok(to_step(&page, step + 1));
    }
    // The summary accepted: every step once more (a step may have been
    // left with errors and the summary reached through an old link).
    for s in 2..STEPS {
        if !check(&page, s, &d.data, Some(&address)).is_empty() {
            d.step = s;
            draft::save(db, scope, &d, lifetime(&page)).await?;
            return Ok(to_step(&page, s));
        }
    }
    let key = format!("moves:address:{}", address.id);
    if throttle::locked(db, scope, &key).await? {
        let mut errors = Errors::new();
        errors.insert("terms".into(), page.t("moves-in-error-busy"));
        let data = d.data.clone();
        return render(&page, step, Some(&d), &data, errors, Extra::default()).await;
    }
    throttle::hit(db, scope, &key, PER_ADDRESS).await?;
    let moving_on =
        NaiveDate::parse_from_str(&d.data.moving_on, "%Y-%m-%d").map_err(|_| NotFoundError)?;
    let voice = Voice {
        lang: page.cx.lang,
        form: page.tenant().address_form,
    };
    move_in::complete(
        &page.state.deps(),
        page.tenant(),
        &d,
        &address,
        moving_on,
        voice,
    )
    .await?;
    Ok(Redirect::see_other(page.url("/moves/in/done"))
        .with_header(
            "set-cookie",
            set_cookie(COOKIE, "", Some(0), page.state.config.web.https),
        )
        .into_response())
}

/// Step 1: the honeypot, the look-up limit, the address; a draft is made
/// only for a known address.
async fn address_step(
    page: &Page,
    client: &Client,
    draft: Option<Draft>,
    up: &Upload,
) -> Result<Response> {
    let scope = page.tenant().scope();
    let db = &page.state.db;
    // A draft's data already holds what was typed (the caller took it).
    let mut data = match &draft {
        Some(d) => d.data.clone(),
        None => {
            let mut fresh = DraftData::default();
            take(1, up, &mut fresh, &[]);
            fresh
        }
    };
    let mut errors = Errors::new();
    // A person never sees the honeypot (hidden, out of the tab order).
    if !up.field("website").is_empty() {
        errors.insert("postcode".into(), page.t("moves-in-error-refused"));
        return render(page, 1, draft.as_ref(), &data, errors, Extra::default()).await;
    }
    let ip_key = format!("moves:lookup:{}", client.ip.as_deref().unwrap_or("unknown"));
    let postcode = address::postcode(&data.postcode);
    if postcode.is_none() {
        errors.insert("postcode".into(), page.t("moves-in-error-postcode"));
    }
    let number = data
        .house_number
        .parse::<i64>()
        .ok()
        .filter(|n| (1..=99_999).contains(n));
    if number.is_none() {
        errors.insert("house_number".into(), page.t("moves-in-error-number"));
    }
    if data.addition.chars().count() > 10 {
        errors.insert("addition".into(), page.t("moves-in-error-addition"));
    }
    let (Some(postcode), Some(number), true) = (postcode, number, errors.is_empty()) else {
        return render(page, 1, draft.as_ref(), &data, errors, Extra::default()).await;
    };
    // Counted before the look-up: the look-up that goes over the limit is
    // refused itself.
    if throttle::hit(db, scope, &ip_key, LOOKUPS).await? {
        errors.insert("postcode".into(), page.t("moves-in-error-busy"));
        return render(page, 1, draft.as_ref(), &data, errors, Extra::default()).await;
    }
    let found = address::find(
        db,
        scope,
        &postcode,
        number,
        &address::addition(&data.addition),
    )
    .await?
    .filter(|a| a.open);
    let Some(found) = found else {
        errors.insert("postcode".into(), page.t("moves-in-error-unknown"));
        let extra = Extra {
            unknown_address: true,
            ..Extra::default()
        };
        return render(page, 1, draft.as_ref(), &data, errors, extra).await;
    };
    if data.address_id != Some(found.id) {
        // Another address: its meters differ.
        data.readings.clear();
    }
    data.address_id = Some(found.id);
    let life = lifetime(page);
    match draft {
        Some(mut d) => {
            d.data = data;
            d.step = d.step.max(2);
            draft::save(db, scope, &d, life).await?;
            Ok(to_step(page, 2))
        }
        None => {
            let (_, key) = draft::create(db, scope, &data, life).await?;
            Ok(to_step(page, 2)
                .with_header("set-cookie", draft_cookie(page, &key, life))
                .into_response())
        }
    }
}

/// Mails the resident a link to go on later (the e-mail of step 4, or the
/// one typed in the resume box).
async fn resume_mail(page: &Page, mut d: Draft, step: i64, typed: String) -> Result<Response> {
    let scope = page.tenant().scope();
    let db = &page.state.db;
    let email = if typed.is_empty() {
        d.data.email.clone()
    } else {
        typed
    };
    let mut errors = Errors::new();
    if !valid_email(&email) || email.len() > 254 {
        errors.insert("resume_email".into(), page.t("moves-in-error-email"));
        draft::save(db, scope, &d, lifetime(page)).await?;
        let data = d.data.clone();
        return render(page, step, Some(&d), &data, errors, Extra::default()).await;
    }
    d.data.email = email.clone();
    draft::save(db, scope, &d, lifetime(page)).await?;
    let key = format!("moves:resume:{}", d.id);
    if !throttle::locked(db, scope, &key).await? {
        throttle::hit(db, scope, &key, RESUME_MAILS).await?;
        let deps = page.state.deps();
        let mut tx = db.begin().await?;
        let secret = draft::issue_resume(&mut tx, scope, d.id, RESUME_VALID).await?;
        let url = link(&deps, page.tenant(), &format!("/moves/in/resume/{secret}"));
        let values = MailValues::new()
            .text("user.name", d.data.name.as_str())
            .text("link.url", url.as_str())
            .text("link.valid_for", duration_text(RESUME_VALID, page.cx.lang));
        let to = Recipient {
            address: email,
            name: d.data.name.clone(),
            lang: Some(page.cx.lang),
            form: Some(page.tenant().address_form),
        };
        deps.mailer
            .enqueue(
                &mut tx,
                page.tenant(),
                crate::MOVE_IN_RESUME.key,
                &to,
                &values,
            )
            .await
            .map_err(portal_core::auth::flows::FlowError::from)?;
        tx.commit().await?;
        deps.mailer.wake();
    }
    let extra = Extra {
        resume_sent: true,
        ..Extra::default()
    };
    let data = d.data.clone();
    render(page, step, Some(&d), &data, Errors::new(), extra).await
}

/// The confirmation after the last step.
#[handler]
pub async fn done(page: Page) -> Result<Response> {
    enabled(&page)?;
    Ok(page
        .render("moves/move_in_done.html", context! {})?
        .into_response())
}

/// A resume link: a button (a mail scanner's GET spends nothing), or the
/// message that the link is used or expired.
#[handler]
pub async fn resume_show(page: Page, Path(secret): Path<String>) -> Result<Response> {
    enabled(&page)?;
    let valid = secret.len() == 64
        && draft::resume_valid(&page.state.db, page.tenant().scope(), &secret).await?;
    Ok(page
        .render(
            "moves/move_in_resume.html",
            context! { valid, secret => secret.as_str() },
        )?
        .into_response())
}

/// Uses a resume link: this browser gets the draft, at its furthest step.
#[handler]
pub async fn resume(page: Page, Path(secret): Path<String>) -> Result<Response> {
    enabled(&page)?;
    let found = if secret.len() == 64 {
        draft::resume(&page.state.db, page.tenant().scope(), &secret).await?
    } else {
        None
    };
    let Some((d, key)) = found else {
        return Ok(page
            .render(
                "moves/move_in_resume.html",
                context! { valid => false, secret => "" },
            )?
            .into_response());
    };
    let life = lifetime(&page);
    draft::save(&page.state.db, page.tenant().scope(), &d, life).await?;
    Ok(to_step(&page, d.step)
        .with_header("set-cookie", draft_cookie(&page, &key, life))
        .into_response())
}

/// The handover document of this browser's draft.
#[handler]
pub async fn document(page: Page, req: &Request) -> Result<Response> {
    enabled(&page)?;
    let d = current(&page, req).await?.ok_or(NotFoundError)?;
    let key = d.document_key.as_deref().ok_or(NotFoundError)?;
    let bytes = page.state.blobs.get(key).await?.ok_or(NotFoundError)?;
    Ok(names::private_download(
        bytes,
        &d.document_type,
        &d.document_name,
    ))
}

/// One step's page.
async fn render(
    page: &Page,
    step: i64,
    d: Option<&Draft>,
    data: &DraftData,
    errors: Errors,
    extra: Extra,
) -> Result<Response> {
    let lang = page.cx.lang;
    let scope = page.tenant().scope();
    let address = match data.address_id {
        Some(id) => address::by_id(&page.state.db, scope, id).await?,
        None => None,
    };
    let meters = address.as_ref().map(Address::meters).unwrap_or_default();
    let register_rows: Vec<Value> = registers(&meters)
        .iter()
        .enumerate()
        .map(|(i, (key, m, g))| {
            let r = &meters[*m].registers[*g];
            context! {
                field => format!("reading_{i}"), meter => meters[*m].number.as_str(),
                label => if r.label.is_empty() { r.code.as_str() } else { r.label.as_str() },
                unit => r.unit.as_str(), value => data.readings.get(key).map_or("", String::as_str),
                last => r.last_reading.map(|v| format!("{} {}", number(v, 3, lang), r.unit)),
                last_on => r.last_read_on.map(|x| date(x, lang)),
            }
        })
        .collect();
    let (earliest, latest) = window(page);
    let titles: Vec<Value> = (1..=STEPS)
        .map(|s| {
            context! {
                n => s, title => page.t(&format!("moves-in-step-{s}")),
                reached => d.is_some_and(|d| s <= d.step), current => s == step,
            }
        })
        .collect();
    let moving_on = NaiveDate::parse_from_str(&data.moving_on, "%Y-%m-%d")
        .ok()
        .map(|x| date(x, lang));
    let status = if errors.is_empty() { 200 } else { 422 };
    let html = page.render(
        "moves/move_in.html",
        context! {
            step, steps => STEPS, titles, values => Value::from(minijinja::value::Serde(data)), errors,
            address => address.as_ref().map(Address::label),
            products => address.as_ref().map(Address::products).unwrap_or_default(),
            advance => address.as_ref().and_then(|a| a.advance_cents).map(|c| amount(c, "EUR", lang)),
            registers => register_rows,
            document => d.map(|d| d.document_name.as_str()).filter(|n| !n.is_empty()),
            earliest => date(earliest, lang), latest => date(latest, lang),
            moving_on_text => moving_on,
            terms_url => MOVES.setting(page.tenant(), "terms_url"),
            unknown_address => extra.unknown_address, resume_sent => extra.resume_sent,
            kinds => vec![("".to_string(), page.t("moves-in-choose")),
                ("person".to_string(), page.t("moves-in-kind-person")),
                ("organisation".to_string(), page.t("moves-in-kind-organisation"))],
            correspondences => vec![("same".to_string(), page.t("moves-in-corr-same")),
                ("other".to_string(), page.t("moves-in-corr-other"))],
            payments => vec![("direct_debit".to_string(), page.t("moves-in-pay-debit")),
                ("transfer".to_string(), page.t("moves-in-pay-transfer"))],
        },
    )?;
    Ok(html
        .with_status(portal_core::poem::http::StatusCode::from_u16(status).unwrap_or_default())
        .into_response())
}
