//! Seed 002's account flows, end to end through HTTP on a tenant in
//! user-name mode with its password policy: staff create a customer's
//! main account and set its password (a weak one refused); the main
//! account logs in with its user name, adds an extra account with a
//! password of its own choosing and gives it read rights on one location;
//! the extra account reads that location's logbook and nothing else, and
//! may not write there; once staff deactivate the main account the extra
//! account stops working.

use poem::http::Method;
use portal_core::sea_query::{Expr, ExprTrait};
use portal_core::staff::StaffRole;
use portal_core::tenant::repo;
use serde_json::json;

use crate::support::{Setup, Visitor, fill_location, location, setup};

const MAIN_PW: &str = "Melkbus#2026!";
const EXTRA_PW: &str = "Kaasboer!2026x";

async fn id_where(s: &Setup, table: &'static str, col: &'static str, value: &str) -> i64 {
    let (id,): (i64,) = s
        .portal
        .state()
        .db
        .fetch_optional(
            &s.scope()
                .await
                .select(table)
                .column("id")
                .and_where(Expr::col(col).eq(value))
                .to_owned(),
        )
        .await
        .unwrap()
        .unwrap_or_else(|| panic!("{table}.{col} = {value}"));
    id
}

async fn log_in<'a>(s: &'a Setup, username: &str, password: &str) -> (Visitor<'a>, u16) {
    let mut v = Visitor::new(s);
    let r = v
        .post(
            "/login",
            &[("login", username), ("password", password), ("next", "/")],
        )
        .await;
    if r.status != 303 {
        let t = r.text();
        let at = t.find("<main").unwrap_or(0);
        eprintln!("{username}: {}", &t[at..t.len().min(at + 1500)]);
    }
    (v, r.status)
}

async fn flows(pg: bool) {
    let Some(s) = setup(pg).await else { return };
    let state = s.portal.state();
    let scope = s.scope().await;
    for (k, v) in [
        ("login_mode", "username"),
        ("password_min_length", "8"),
        ("password_composition", "true"),
        ("reset_valid_minutes", "1440"),
        ("staff_set_password", "true"),
        // Seed 002: the customer sets an extra account's password by hand.
        ("customer_set_password", "true"),
    ] {
        repo::set_setting(&state.db, scope, &state.registry, "auth", k, Some(v))
            .await
            .unwrap();
    }
    let (st, r) = s
        .api(
            Method::POST,
            "/api/admin/v1/sync/customers",
            Some(json!({"customers": [
                {"external_id": "S", "number": "6001", "name": "Zuivelfabriek Zuid", "locations": [
                    {"external_id": "S1", "name": "Kaasmakerij"},
                    {"external_id": "S2", "name": "Koelcel"}]}
            ]})),
        )
        .await;
    assert_eq!(st, 200, "{r}");
    fill_location(&s, "S1").await;
    fill_location(&s, "S2").await;
    let customer = id_where(&s, "core_customers", "external_id", "S").await;

    // Staff create the main account, without a mail, and set its password.
    let (mut staff, _) = Visitor::staff(&s, "binnendienst@acme.nl", StaffRole::Support).await;
    let r = staff
        .post(
            &format!("/staff/customers/{customer}/accounts"),
            &[
                ("username", "zuid.kwaliteit"),
                ("email", "kwaliteit@zuivelzuid.nl"),
                ("name", "Kwaliteitsdienst"),
                ("welcome", "none"),
            ],
        )
        .await;
    assert_eq!(r.status, 303, "{}", r.text());
    let main = id_where(&s, "core_users", "username", "zuid.kwaliteit").await;
    // Seed 002's policy: at least 8 characters, a capital, a digit, a symbol.
    for weak in [
        "kort1!A",
        "geenhoofdletter1!",
        "GeenCijfer!!",
        "GeenSymbool123",
    ] {
        let r = staff
            .post(
                &format!("/staff/accounts/{main}/password"),
                &[("password", weak), ("repeat", weak)],
            )
            .await;
        assert_eq!(r.status, 200, "{weak} must be refused");
        assert!(r.text().contains("id=\"error-password\""), "{weak}");
    }
    let r = staff
        .post(
            &format!("/staff/accounts/{main}/password"),
            &[("password", MAIN_PW), ("repeat", MAIN_PW)],
        )
        .await;
    assert_eq!(r.status, 303, "{}", r.text());

    // The main account logs in with its user name and adds an extra account.
    let (mut main_v, st) = log_in(&s, "zuid.kwaliteit", MAIN_PW).await;
    assert_eq!(st, 303);
    let r = main_v
        .post(
            "/organisation/contacts/new",
            &[
                ("first_name", "Lotte"),
                ("last_name", "Lezer"),
                ("gender", "female"),
                ("email", "lotte@zuivelzuid.nl"),
                ("username", "zuid.lotte"),
                ("employee", "on"),
                ("active", "on"),
                ("password", EXTRA_PW),
                ("repeat", EXTRA_PW),
                ("current", MAIN_PW),
            ],
        )
        .await;
    assert_eq!(r.status, 303, "{}", r.text());
    let extra = id_where(&s, "core_users", "username", "zuid.lotte").await;
    // "Rechten instellen": read rights on the cheese dairy only.
    let s1 = location(&s, "S1").await;
    let s2 = location(&s, "S2").await;
    let read = format!("read_{s1}");
    let r = main_v
        .post(
            &format!("/organisation/contacts/{extra}/rights"),
            &[(read.as_str(), "on"), ("current", MAIN_PW)],
        )
        .await;
    assert_eq!(r.status, 303, "{}", r.text());

    // The extra account reads S1, not S2, and may not write at S1.
    let (mut extra_v, st) = log_in(&s, "zuid.lotte", EXTRA_PW).await;
    assert_eq!(st, 303);
    assert_eq!(extra_v.get(&format!("/logbook/{s1}")).await.status, 200);
    assert_eq!(extra_v.get(&format!("/logbook/{s2}")).await.status, 404);
    let r = extra_v
        .post(
            &format!("/logbook/{s1}/messages"),
            &[("subject", "Muis"), ("body", "Gezien bij de pers.")],
        )
        .await;
    assert_eq!(r.status, 403);

    // Staff deactivate the main account: the extra account stops working.
    let r = staff
        .post(&format!("/staff/accounts/{main}/deactivate"), &[])
        .await;
    assert_eq!(r.status, 303, "{}", r.text());
    let r = extra_v.get(&format!("/logbook/{s1}")).await;
    assert_ne!(
        r.status, 200,
        "the extra account's session ends with the main account"
    );
    let (_, st) = log_in(&s, "zuid.lotte", EXTRA_PW).await;
    assert_eq!(st, 200, "login refused while the main account is inactive");
    // Active again: the extra account works again.
    let r = staff
        .post(&format!("/staff/accounts/{main}/activate"), &[])
        .await;
    assert_eq!(r.status, 303);
    let (mut again, st) = log_in(&s, "zuid.lotte", EXTRA_PW).await;
    assert_eq!(st, 303);
    assert_eq!(again.get(&format!("/logbook/{s1}")).await.status, 200);
}

#[tokio::test]
async fn seed_002_account_flows_sqlite() {
    flows(false).await;
}

#[tokio::test]
async fn seed_002_account_flows_postgres() {
    flows(true).await;
}
