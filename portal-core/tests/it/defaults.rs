//! Checks of built-in data and small pure functions that need no database
//! (the lib is built with `test = false`, so they live in this binary):
//! every auth mail default parses, link tokens never reach the log.

mod auth_mails {
    use portal_core::auth::mails::AUTH_MAILS;
    use portal_core::mail::template::check;
    use portal_core::tenant::{AddressForm, Lang};

    #[test]
    fn every_default_parses_and_uses_only_declared_placeholders() {
        for kind in AUTH_MAILS {
            for d in kind.defaults {
                for (part, src) in [("subject", d.subject), ("html", d.html), ("text", d.text)] {
                    assert!(
                        check(kind, part, src).is_ok(),
                        "{} {:?} {:?} {part}: {:?}",
                        kind.key,
                        d.lang,
                        d.form,
                        check(kind, part, src).err()
                    );
                }
            }
        }
    }

    #[test]
    fn every_mail_has_all_four_defaults_and_its_own_key() {
        let mut keys: Vec<&str> = AUTH_MAILS.iter().map(|k| k.key).collect();
        keys.sort_unstable();
        keys.dedup();
        assert_eq!(keys.len(), AUTH_MAILS.len());
        for kind in AUTH_MAILS {
            assert!(kind.key.starts_with("auth."), "{}", kind.key);
            for lang in Lang::ALL {
                for form in [AddressForm::Formal, AddressForm::Informal] {
                    assert!(
                        kind.defaults
                            .iter()
                            .any(|d| d.lang == lang && d.form == form && !d.html.is_empty()),
                        "{} lacks {lang:?} {form:?}",
                        kind.key
                    );
                }
            }
            for name in ["tenant.name", "special.consumerportal_url", "user.name"] {
                assert!(
                    kind.placeholder(name).is_some(),
                    "{} lacks {name}",
                    kind.key
                );
            }
        }
    }
}

mod log_paths {
    use portal_core::web::outer::loggable_path;

    #[test]
    fn link_tokens_never_reach_the_log() {
        let t = "ab".repeat(32);
        for (path, logged) in [
            (format!("/password/reset/{t}"), "/password/reset/***"),
            (format!("/acme/password/set/{t}"), "/acme/password/set/***"),
            (format!("/register/confirm/{t}"), "/register/confirm/***"),
            ("/settings".to_string(), "/settings"),
        ] {
            assert_eq!(loggable_path(&path), logged);
        }
    }
}
