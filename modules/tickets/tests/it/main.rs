//! The tickets module through HTTP on both databases, with core's test kit.
#![allow(clippy::unwrap_used, clippy::expect_used)] // tests may unwrap (workspace rule: not outside tests)

mod support {
    pub use portal_testkit::*;

    /// The id in a 303's `Location` after `prefix` (`/tickets/12?done=…`).
    pub fn id_after(r: &Page, prefix: &str) -> i64 {
        assert_eq!(r.status, 303, "{}", r.text());
        let at = r.headers["location"].to_str().unwrap();
        let rest = at.strip_prefix(prefix).unwrap_or_else(|| panic!("{at}"));
        rest.split('?').next().unwrap().parse().unwrap()
    }

    /// A second tenant `code` with tickets on; its back-office API token.
    pub async fn tenant_with_tickets(s: &Setup, code: &str) -> String {
        use portal_core::tenant::repo;
        let state = s.portal.state();
        let scope = repo::create(
            &state.db,
            &repo::NewTenant {
                code: code.into(),
                name: code.into(),
                default_language: portal_core::tenant::Lang::Nl,
                address_form: portal_core::tenant::AddressForm::Formal,
            },
        )
        .await
        .unwrap();
        repo::set_module_enabled(&state.db, scope, &state.registry, "tickets", true)
            .await
            .unwrap();
        repo::create_api_token(&state.db, scope, "bo", "*")
            .await
            .unwrap()
    }
}
mod desk;
mod numbers;
mod tickets;
