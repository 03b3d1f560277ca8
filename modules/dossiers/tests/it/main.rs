//! The dossiers module through HTTP on both databases, with core's test kit.
#![allow(clippy::unwrap_used, clippy::expect_used)] // tests may unwrap (workspace rule: not outside tests)

// The module registers itself through `inventory`: referenced here so the
// linker keeps it in this test binary.
use portal_dossiers as _;

mod support {
    use poem::http::Method;
    use portal_core::tenant::repo;
    pub use portal_testkit::*;
    use serde_json::{Value, json};

    /// The office of the tests, in user-name login mode:
    /// - the De Vries household (customer K1, dossier D1 "Hypotheek
    ///   Kerkstraat 5"): Jan (`jan.devries`, jan@devries.nl, first client)
    ///   and Els (`els.devries`, no e-mail address);
    /// - Piet (customer K2, dossier D2), another client;
    /// - advisers A1 (Piet Adviseur) and A2 (Sanne Binnendienst, handler).
    pub async fn office(s: &Setup) {
        let state = s.portal.state();
        let scope = s.scope().await;
        repo::set_setting(
            &state.db,
            scope,
            &state.registry,
            "auth",
            "login_mode",
            Some("username"),
        )
        .await
        .unwrap();
        let (st, r) = s
            .api(
                Method::POST,
                "/api/admin/v1/sync/customers",
                Some(json!({"customers": [
                    {"external_id": "K1", "number": "1001", "name": "Familie De Vries"},
                    {"external_id": "K2", "number": "1002", "name": "Piet Jansen"}
                ]})),
            )
            .await;
        assert_eq!(st, 200, "{r}");
        let (st, r) = s
            .api(
                Method::POST,
                "/api/admin/v1/sync/accounts",
                Some(json!({"accounts": [
                    {"external_id": "C1", "customer_external_id": "K1", "email": "jan@devries.nl", "username": "jan.devries",
                     "first_name": "Jan", "last_name": "de Vries", "main": true, "active": true},
                    {"external_id": "C2", "customer_external_id": "K1", "email": "", "username": "els.devries",
                     "first_name": "Els", "last_name": "de Vries", "main": true, "active": true},
                    {"external_id": "C3", "customer_external_id": "K2", "email": "piet@jansen.nl", "username": "piet.jansen",
                     "first_name": "Piet", "last_name": "Jansen", "main": true, "active": true}
                ]})),
            )
            .await;
        assert_eq!(st, 200, "{r}");
        for row in r["rows"].as_array().unwrap() {
            assert!(
                row["status"] == "created" || row["status"] == "unchanged",
                "{r}"
            );
        }
        set_passwords(s).await;
        let (st, r) = s
            .api(
                Method::POST,
                "/api/admin/v1/dossiers/advisers/sync",
                Some(json!({"advisers": [
                    {"external_id": "A1", "name": "Piet Adviseur", "email": "piet@advies.nl", "phone": "020 123 4567",
                     "signature": "Met vriendelijke groet,\nPiet Adviseur"},
                    {"external_id": "A2", "name": "Sanne Binnendienst", "email": "sanne@advies.nl",
                     "signature": "Met vriendelijke groet,\nSanne Binnendienst"}
                ]})),
            )
            .await;
        assert_eq!(st, 204, "{r}");
    }

    /// Dossier D1 of the De Vries household with its four action items.
    pub fn d1() -> Value {
        json!({
            "external_id": "D1", "customer_external_id": "K1", "title": "Hypotheek Kerkstraat 5",
            "adviser_external_id": "A1", "handler_external_id": "A2",
            "clients": [
                {"position": 1, "account_external_id": "C1", "first_name": "Jan", "last_name": "de Vries"},
                {"position": 2, "account_external_id": "C2", "first_name": "Els", "last_name": "de Vries"}
            ],
            "products": [
                {"external_id": "P1", "title": "Hypotheek", "status": "waiting_for_documents",
                 "explanation": "De geldverstrekker wacht op uw salarisstrook.", "visible": true},
                {"external_id": "P2", "title": "Overlijdensrisicoverzekering", "status": "in_progress", "visible": false}
            ],
            "actions": [
                {"external_id": "X1", "kind": "upload", "title": "Recente salarisstrook", "valid_months": 3},
                {"external_id": "X2", "kind": "upload", "title": "Werkgeversverklaring", "valid_months": 3},
                {"external_id": "X3", "kind": "form", "title": "Kennis en ervaring", "fields": [
                    {"key": "ervaring", "label": "Heeft u eerder een hypotheek gehad?", "type": "yes_no", "required": true},
                    {"key": "inkomen", "label": "Bruto jaarinkomen", "type": "number", "required": true},
                    {"key": "start", "label": "In dienst sinds", "type": "date", "required": false},
                    {"key": "risico", "label": "Risicobereidheid", "type": "choice", "options": ["Laag", "Gemiddeld", "Hoog"], "required": true}
                ]},
                {"external_id": "X4", "kind": "sign", "title": "Dienstverleningsovereenkomst", "parts": [
                    {"title": "Dienstverlening", "text": "Wij adviseren u over uw hypotheek."},
                    {"title": "SEPA-machtiging", "text": "U machtigt ons de vergoeding af te schrijven."}
                ]}
            ],
            "appointments": [
                {"external_id": "M1", "starts_at": "2030-03-01T09:30:00Z", "place": "Kantoor Utrecht",
                 "items": "Legitimatiebewijs\nLaatste jaaropgave"}
            ]
        })
    }

    /// Dossier D2 of Piet.
    pub fn d2() -> Value {
        json!({
            "external_id": "D2", "customer_external_id": "K2", "title": "Hypotheek Dorpsweg 1",
            "adviser_external_id": "A1",
            "clients": [{"position": 1, "account_external_id": "C3", "first_name": "Piet", "last_name": "Jansen"}],
            "actions": [{"external_id": "Y1", "kind": "upload", "title": "Taxatierapport", "valid_months": 6}]
        })
    }

    /// The events of `kind` so far.
    pub async fn events(s: &Setup, kind: &str) -> Vec<Value> {
        let (_, r) = s
            .api(Method::GET, "/api/admin/v1/events?after=0&limit=1000", None)
            .await;
        r.as_array()
            .unwrap()
            .iter()
            .filter(|e| e["kind"] == kind)
            .cloned()
            .collect()
    }
}

mod actions;
mod mails;
mod retention;
