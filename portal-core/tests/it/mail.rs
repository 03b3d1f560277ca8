//! Mail: seed 003's templates, placeholder checks, escaping, the outbox
//! (transactional, exactly once across workers), delivery to a real SMTP
//! server (aiosmtpd), retries, permanent failures, the dev mailbox and the API.

use std::io::{BufRead, BufReader};
use std::net::TcpListener;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant};

use poem::http::Method;
use portal_core::config::Config;
use portal_core::db::{Db, DbOptions};
use portal_core::mail::template::render;
use portal_core::mail::{MailValues, Mailer, Recipient, TemplateText, outbox, store};
use portal_core::tenant::repo::{self, TenantPatch};
use portal_core::tenant::{AddressForm, Lang, Tenant};
use serde_json::{Value, json};

use crate::seed003;
use crate::support::{TestDb, TestPortal, db_test, portal, portal_with, tenant};
use crate::testmod::{ACTIVATE, RECIPIENTS};

/// aiosmtpd on 127.0.0.1:`port`, writing what it receives to `dir`.
struct Smtp {
    child: Child,
    dir: tempfile::TempDir,
}

impl Drop for Smtp {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

fn smtp_available() -> bool {
    let ok = Command::new("python3")
        .args(["-c", "import aiosmtpd"])
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    assert!(
        ok || std::env::var("PORTAL_TEST_REQUIRE_SMTP").is_err(),
        "PORTAL_TEST_REQUIRE_SMTP is set but aiosmtpd is not installed"
    );
    ok
}

fn start_smtp(port: u16) -> Smtp {
    let dir = tempfile::TempDir::new().unwrap();
    let script = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/it/smtp_server.py");
    let mut child = Command::new("python3")
        .args([script, &port.to_string(), &dir.path().display().to_string()])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    assert_eq!(line.trim(), "ready");
    Smtp { child, dir }
}

impl Smtp {
    fn received(&self) -> Vec<Value> {
        let mut out: Vec<(PathBuf, Value)> = std::fs::read_dir(self.dir.path())
            .unwrap()
            .filter_map(Result::ok)
            .map(|e| e.path())
            .filter(|p| p.extension().is_some_and(|e| e == "json"))
            .map(|p| {
                (
                    p.clone(),
                    serde_json::from_str(&std::fs::read_to_string(&p).unwrap()).unwrap(),
                )
            })
            .collect();
        out.sort_by(|a, b| a.0.cmp(&b.0));
        out.into_iter().map(|x| x.1).collect()
    }
}

fn smtp_config(tdb: &TestDb, port: u16) -> Config {
    let mut c = tdb.config();
    c.mail.transport = "smtp".into();
    c.mail.smtp_host = "127.0.0.1".into();
    c.mail.smtp_port = port;
    c.mail.smtp_tls = "none".into();
    c.mail.smtp_timeout_secs = 5;
    c.mail.retry_base_secs = 0;
    c.mail.from_address = "portal@example.nl".into();
    c
}

async fn acme(p: &TestPortal) -> Arc<Tenant> {
    p.state()
        .cache
        .get()
        .await
        .unwrap()
        .by_code("acme")
        .unwrap()
        .clone()
}

fn to(address: &str) -> Recipient {
    Recipient {
        address: address.into(),
        name: "Jan de Vries".into(),
        lang: None,
        form: None,
    }
}

fn activate_values(recipients: i64) -> MailValues {
    MailValues::new()
        .text("dossier.salutation", if recipients == 1 { "Beste Jan" } else { "Beste Jan en Els" })
        .formatted(
            "dossier.links_set_password_formatted",
            "<p><strong>jan</strong><br><a href=\"https://mijn.acme.example/set/t1\">Wachtwoord instellen</a></p>",
            "jan\nWachtwoord instellen: https://mijn.acme.example/set/t1",
        )
        .formatted("dossier.advisor_email_signature", "<p>Met vriendelijke groet,<br>Piet</p>", "Met vriendelijke groet,\nPiet")
        .count(RECIPIENTS, recipients)
}

async fn seed_templates_render_formal_informal_and_plural(tdb: TestDb) {
    let p = portal(&tdb).await;
    let s = tenant(&tdb.db, "acme", "Acme").await;
    for (form, body) in [
        (AddressForm::Formal, seed003::ACTIVATE_FORMAL),
        (AddressForm::Informal, seed003::ACTIVATE_INFORMAL_PLURAL),
    ] {
        let t = TemplateText {
            subject: "Activeer je portaal".into(),
            html: String::new(),
            text: body.into(),
        };
        store::save(&tdb.db, s, &ACTIVATE, Lang::Nl, form, &t)
            .await
            .unwrap();
    }
    let tenant = acme(&p).await;
    let mailer = &p.state().mailer;
    let render_for = |form: AddressForm, n: i64| {
        let tenant = tenant.clone();
        let db = tdb.db.clone();
        async move {
            let mut tx = db.begin().await.unwrap();
            let r = Recipient {
                address: "jan@example.nl".into(),
                name: "Jan".into(),
                lang: Some(Lang::Nl),
                form: Some(form),
            };
            mailer
                .render_in(
                    &mut tx,
                    &tenant,
                    "testmod.activate",
                    &r,
                    &activate_values(n),
                )
                .await
                .unwrap()
        }
    };
    let formal = render_for(AddressForm::Formal, 1).await;
    assert!(
        formal
            .text
            .starts_with("Beste Jan,\n\nNaar aanleiding van ons contact hebben wij voor u"),
        "{}",
        formal.text
    );
    assert!(
        formal
            .text
            .contains("jan\nWachtwoord instellen: https://mijn.acme.example/set/t1"),
        "formatted placeholder, text rendering"
    );
    assert!(
        formal
            .html
            .contains("<strong>jan</strong><br><a href=\"https://mijn.acme.example/set/t1\""),
        "formatted, HTML rendering: {}",
        formal.html
    );
    assert!(
        formal.html.starts_with("<p>Beste Jan,</p>"),
        "text made into paragraphs: {}",
        formal.html
    );

    let one = render_for(AddressForm::Informal, 1).await.text;
    let two = render_for(AddressForm::Informal, 2).await.text;
    for phrase in [
        "hebben wij voor jou een persoonlijk portaal",
        "Op dit portaal vind je onder andere",
        "informatie van je nodig, dan worden er actiepunten voor jou opengezet",
        "dan krijg je hier automatisch",
        "Hieronder vind je de inlognaam",
        "geldig, mocht je niet binnen",
        "je ontvangt dan automatisch een link waarmee je alsnog een wachtwoord kunt instellen",
        "Dubbele inlog op jouw portaal",
        "hoe je dit in kunt stellen",
    ] {
        assert!(
            one.contains(phrase),
            "one recipient: {phrase:?} missing in\n{one}"
        );
    }
    for phrase in [
        "Beste Jan en Els,",
        "hebben wij voor jullie een persoonlijk portaal",
        "Op dit portaal vinden jullie onder andere",
        "informatie van jullie nodig, dan worden er actiepunten voor jullie opengezet",
        "dan krijgen jullie hier automatisch",
        "Hieronder vinden jullie de inlognaam",
        "geldig, mochten jullie niet binnen",
        "jullie ontvangen dan automatisch een link waarmee jullie alsnog een wachtwoord kunnen instellen",
        "Dubbele inlog op jullie portaal",
        "hoe jullie dit in kunnen stellen",
    ] {
        assert!(
            two.contains(phrase),
            "two recipients: {phrase:?} missing in\n{two}"
        );
    }
    assert!(
        !two.contains('{') && !one.contains('{'),
        "no placeholder left over"
    );
    // The informal (non-plural) seed template saves and renders too.
    let t = TemplateText {
        subject: "Activeer".into(),
        html: String::new(),
        text: seed003::ACTIVATE_INFORMAL.into(),
    };
    store::save(&tdb.db, s, &ACTIVATE, Lang::Nl, AddressForm::Informal, &t)
        .await
        .unwrap();
    assert!(
        render_for(AddressForm::Informal, 1)
            .await
            .text
            .contains("Hieronder vind je jouw inlognaam")
    );
}
db_test!(seed_templates_render_formal_informal_and_plural);

async fn unknown_placeholders_and_broken_syntax_are_refused(tdb: TestDb) {
    crate::support::migrate(&tdb).await;
    let s = tenant(&tdb.db, "acme", "Acme").await;
    let save = |subject: &str, text: &str| {
        let t = TemplateText {
            subject: subject.into(),
            html: String::new(),
            text: text.into(),
        };
        let db = tdb.db.clone();
        async move { store::save(&db, s, &ACTIVATE, Lang::Nl, AddressForm::Formal, &t).await }
    };
    let errors = save("Hallo", "Beste {dossier.salutaton},")
        .await
        .unwrap_err()
        .unwrap();
    assert_eq!(errors[0].part, "text");
    assert!(
        errors[0].message.contains("{dossier.salutaton}")
            && errors[0].message.contains("{dossier.salutation}")
            && errors[0].message.contains("{dossier.jou_jullie}"),
        "names it and lists the valid ones: {}",
        errors[0].message
    );
    // A placeholder in an image address would carry its value (a personal
    // link) to the image's server: refused; in a link it is fine.
    let html = |html: &str| {
        let t = TemplateText {
            subject: "Hallo".into(),
            html: html.into(),
            text: String::new(),
        };
        let db = tdb.db.clone();
        async move { store::save(&db, s, &ACTIVATE, Lang::Nl, AddressForm::Formal, &t).await }
    };
    let errors = html("<p><img src=\"https://evil.example/p.gif?{dossier.salutation}\"></p>")
        .await
        .unwrap_err()
        .unwrap();
    assert_eq!(errors[0].part, "html");
    assert!(
        errors[0].message.contains("{dossier.salutation}"),
        "{}",
        errors[0].message
    );
    assert!(html("<p><img src=\"https://acme.example/logo.png\" alt=\"{dossier.salutation}\"></p><a href=\"{special.consumerportal_url}\">portaal</a>").await.is_ok());
    let errors = save("Hallo {dossier", "tekst").await.unwrap_err().unwrap();
    assert_eq!(errors[0].part, "subject");
    assert!(
        errors[0].message.contains("line 1, column 7"),
        "{}",
        errors[0].message
    );
    let errors = save("Hallo", "regel een\nregel {twee} drie")
        .await
        .unwrap_err()
        .unwrap();
    assert!(
        errors[0].message.contains("line 2, column 7"),
        "{}",
        errors[0].message
    );
    // A literal brace is written twice.
    save("Prijs {{incl. btw}", "Kosten: {{ 10 euro }")
        .await
        .unwrap();
    let e = store::effective(&tdb.db, s, &ACTIVATE, Lang::Nl, AddressForm::Formal)
        .await
        .unwrap();
    let r = render(&ACTIVATE, &e.text, &activate_values(1)).unwrap();
    assert_eq!(r.subject, "Prijs {incl. btw}");
    assert_eq!(r.text, "Kosten: { 10 euro }");
}
db_test!(unknown_placeholders_and_broken_syntax_are_refused);

#[test]
fn values_with_braces_or_markup_come_out_literally_and_escaped() {
    let t = TemplateText {
        subject: "Voor {dossier.salutation}".into(),
        html: "<p>{dossier.salutation}</p>".into(),
        text: "{dossier.salutation}".into(),
    };
    let evil =
        "{dossier.jou_jullie} {{ 7*7 }} {% raw %}<script>alert(1)</script>\r\nBcc: x@evil.example";
    let v = MailValues::new().text("dossier.salutation", evil);
    let r = render(&ACTIVATE, &t, &v).unwrap();
    assert!(
        r.html.contains(
            "{dossier.jou_jullie} {{ 7*7 }} {% raw %}&lt;script&gt;alert(1)&lt;/script&gt;"
        ),
        "{}",
        r.html
    );
    assert!(
        r.text
            .contains("{dossier.jou_jullie} {{ 7*7 }} {% raw %}<script>alert(1)</script>"),
        "plain in text: {}",
        r.text
    );
    assert!(
        !r.subject.contains('\n') && !r.subject.contains('\r'),
        "one line: {:?}",
        r.subject
    );
    assert!(r.subject.contains("{dossier.jou_jullie} {{ 7*7 }}"));
}

async fn a_rolled_back_change_sends_nothing(tdb: TestDb) {
    let p = portal(&tdb).await;
    tenant(&tdb.db, "acme", "Acme").await;
    let t = acme(&p).await;
    let mut tx = tdb.db.begin().await.unwrap();
    p.state()
        .mailer
        .enqueue(
            &mut tx,
            &t,
            "core.test",
            &to("jan@example.nl"),
            &MailValues::new(),
        )
        .await
        .unwrap();
    drop(tx);
    assert!(
        outbox::list(&tdb.db, t.scope(), None, 10)
            .await
            .unwrap()
            .is_empty()
    );
    let mut tx = tdb.db.begin().await.unwrap();
    p.state()
        .mailer
        .enqueue(
            &mut tx,
            &t,
            "core.test",
            &to("jan@example.nl"),
            &MailValues::new(),
        )
        .await
        .unwrap();
    tx.commit().await.unwrap();
    assert_eq!(
        outbox::list(&tdb.db, t.scope(), None, 10)
            .await
            .unwrap()
            .len(),
        1
    );
    let mut tx = tdb.db.begin().await.unwrap();
    let bad = p
        .state()
        .mailer
        .enqueue(
            &mut tx,
            &t,
            "core.test",
            &to("jan@example.nl\r\nBcc: x@evil.example"),
            &MailValues::new(),
        )
        .await;
    assert!(bad.is_err(), "a CRLF in an address is refused");
}
db_test!(a_rolled_back_change_sends_nothing);

async fn smtp_delivery_retry_and_permanent_failure(tdb: TestDb) {
    if !smtp_available() {
        return;
    }
    let port = free_port();
    let p = portal_with(&tdb, smtp_config(&tdb, port)).await;
    let s = tenant(&tdb.db, "acme", "Acme Energie").await;
    let patch = TenantPatch {
        mail_from_name: Some("Acme Klantenservice\r\nBcc: spy@evil.example".into()),
        mail_from_address: Some("klantenservice@acme.example".into()),
        ..TenantPatch::default()
    };
    repo::update(&tdb.db, s, &patch, p.state().renderer.themes())
        .await
        .unwrap();
    let token = repo::create_api_token(&tdb.db, s, "t", "*").await.unwrap();
    let mailer = p.state().mailer.clone();

    // Server down: the request answers at once and the mail waits in the outbox.
    let started = Instant::now();
    let r = p
        .req(Method::POST, "acme.localhost", "/api/admin/v1/mail/test")
        .bearer(&token)
        .json(&json!({"to": "jan@example.nl", "lang": "en"}))
        .send()
        .await;
    assert_eq!(r.status, 202, "{}", r.body);
    assert!(
        started.elapsed() < Duration::from_secs(2),
        "the request does not wait for SMTP"
    );
    assert_eq!(mailer.deliver_due(&tdb.db).await.unwrap(), 1);
    let t = acme(&p).await;
    let queued = outbox::list(&tdb.db, t.scope(), None, 10).await.unwrap();
    assert_eq!(
        (queued[0].status.as_str(), queued[0].attempts),
        ("queued", 1)
    );
    assert!(queued[0].last_error.is_some(), "the reason is kept");

    // The server comes up: the retry delivers it.
    let smtp = start_smtp(port);
    assert_eq!(mailer.deliver_due(&tdb.db).await.unwrap(), 1);
    let got = smtp.received();
    assert_eq!(got.len(), 1);
    let m = &got[0];
    assert_eq!(m["subject"], "Test message from Acme Energie");
    // The CRLF was dropped on save: one quoted display name, no header of its own.
    assert_eq!(
        m["from"],
        "\"Acme KlantenserviceBcc: spy@evil.example\" <klantenservice@acme.example>"
    );
    assert_eq!(m["to"], "jan@example.nl");
    assert_eq!(m["content_type"], "multipart/alternative");
    assert!(
        m["text"]
            .as_str()
            .unwrap()
            .contains("You will find the portal at http://acme.localhost:8080"),
        "{m}"
    );
    assert!(
        m["html"].as_str().unwrap().contains("<p>Dear reader,</p>"),
        "{m}"
    );
    let sent = outbox::list(&tdb.db, t.scope(), None, 10).await.unwrap();
    assert_eq!(m["message_id"].as_str().unwrap(), sent[0].message_id);
    assert_eq!(sent[0].status, "sent");
    let headers: Vec<String> = m["headers"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h[0].as_str().unwrap().to_ascii_lowercase())
        .collect();
    assert!(
        !headers.contains(&"bcc".to_string()),
        "CRLF in a name never becomes a header: {headers:?}"
    );
    assert_eq!(m["rcpt_tos"], json!(["jan@example.nl"]));

    // 5xx: no more retries, visible to staff with the reason.
    let r = p
        .req(Method::POST, "acme.localhost", "/api/admin/v1/mail/test")
        .bearer(&token)
        .json(&json!({"to": "reject@example.nl"}))
        .send()
        .await;
    assert_eq!(r.status, 202);
    assert_eq!(mailer.deliver_due(&tdb.db).await.unwrap(), 1);
    assert_eq!(
        mailer.deliver_due(&tdb.db).await.unwrap(),
        0,
        "a permanent failure is not retried"
    );
    let failed = p
        .req(
            Method::GET,
            "acme.localhost",
            "/api/admin/v1/mail/outbox?status=failed",
        )
        .bearer(&token)
        .send()
        .await;
    let v: Value = serde_json::from_str(&failed.body).unwrap();
    assert_eq!(v.as_array().unwrap().len(), 1, "{v}");
    assert_eq!(v[0]["to"], "reject@example.nl");
    assert!(v[0]["last_error"].as_str().unwrap().contains("550"), "{v}");
    assert_eq!(smtp.received().len(), 1);
}
db_test!(smtp_delivery_retry_and_permanent_failure);

async fn two_workers_deliver_each_mail_exactly_once(tdb: TestDb) {
    if !smtp_available() {
        return;
    }
    let port = free_port();
    let smtp = start_smtp(port);
    let config = smtp_config(&tdb, port);
    let p = portal_with(&tdb, config.clone()).await;
    tenant(&tdb.db, "acme", "Acme").await;
    let t = acme(&p).await;
    let mut tx = tdb.db.begin().await.unwrap();
    for i in 0..200 {
        p.state()
            .mailer
            .enqueue(
                &mut tx,
                &t,
                "core.test",
                &to(&format!("klant{i}@example.nl")),
                &MailValues::new(),
            )
            .await
            .unwrap();
    }
    tx.commit().await.unwrap();
    // Two workers, each with its own connections, as two processes would have.
    let registry = portal_core::Registry::from_inventory().unwrap();
    let mut workers = Vec::new();
    let started = Instant::now();
    for _ in 0..2 {
        let db = Db::connect(
            &tdb.url,
            DbOptions {
                max_connections: 4,
                ..DbOptions::default()
            },
        )
        .await
        .unwrap();
        let mailer = Mailer::new(&registry, &config).unwrap();
        workers.push(tokio::spawn(async move {
            let mut handled = 0;
            loop {
                let n = mailer.deliver_due(&db).await.unwrap();
                if n == 0 {
                    break handled;
                }
                handled += n;
            }
        }));
    }
    let mut handled = 0;
    for w in workers {
        handled += w.await.unwrap();
    }
    let elapsed = started.elapsed();
    let got = smtp.received();
    let mut ids: Vec<&str> = got
        .iter()
        .map(|m| m["message_id"].as_str().unwrap())
        .collect();
    ids.sort_unstable();
    ids.dedup();
    assert_eq!(
        (handled, got.len(), ids.len()),
        (200, 200, 200),
        "each mail exactly once"
    );
    println!(
        "{:?}: 200 mails through two workers in {elapsed:?} (debug build)",
        tdb.backend()
    );
}
db_test!(two_workers_deliver_each_mail_exactly_once);

async fn dev_mailbox_shows_sent_mail(tdb: TestDb) {
    // Off unless switched on: anyone who reaches the portal could read it.
    assert_eq!(
        portal(&tdb)
            .await
            .get("acme.localhost", "/mailbox")
            .await
            .status,
        404
    );
    let mut config = tdb.config();
    config.mail.mailbox_pages = true;
    let p = portal_with(&tdb, config).await;
    let s = tenant(&tdb.db, "acme", "Acme").await;
    let token = repo::create_api_token(&tdb.db, s, "t", "*").await.unwrap();
    assert_eq!(p.get("acme.localhost", "/mailbox").await.status, 200);
    let r = p
        .req(Method::POST, "acme.localhost", "/api/admin/v1/mail/test")
        .bearer(&token)
        .json(&json!({"to": "jan@example.nl"}))
        .send()
        .await;
    assert_eq!(r.status, 202);
    let id = serde_json::from_str::<Value>(&r.body).unwrap()["id"]
        .as_i64()
        .unwrap();
    p.state().mailer.deliver_due(&tdb.db).await.unwrap();
    let list = p.get("acme.localhost", "/mailbox").await;
    assert!(
        list.body.contains("Testbericht van Acme") && list.body.contains("afgeleverd"),
        "{}",
        list.body
    );
    let show = p.get("acme.localhost", &format!("/mailbox/{id}")).await;
    assert!(
        show.body
            .contains("<a href=\"http://acme.localhost:8080\">http://acme.localhost:8080</a>"),
        "links are clickable: {}",
        show.body
    );
    let html = p
        .get("acme.localhost", &format!("/mailbox/{id}/html"))
        .await;
    assert!(html.body.contains("<p>Beste lezer,</p>"));
    assert!(
        html.header("content-security-policy")
            .starts_with("default-src 'none'")
    );
    // Another tenant sees none of it.
    tenant(&tdb.db, "beta", "Beta").await;
    assert_eq!(
        p.get("beta.localhost", &format!("/mailbox/{id}"))
            .await
            .status,
        404
    );
    // With SMTP configured, the mailbox does not exist.
    let smtp = portal_with(&tdb, smtp_config(&tdb, free_port())).await;
    assert_eq!(smtp.get("acme.localhost", "/mailbox").await.status, 404);
}
db_test!(dev_mailbox_shows_sent_mail);

async fn template_api_lists_previews_saves_and_resets(tdb: TestDb) {
    let p = portal(&tdb).await;
    let s = tenant(&tdb.db, "acme", "Acme").await;
    let token = repo::create_api_token(&tdb.db, s, "t", "*").await.unwrap();
    let call = |m: Method, path: &str| p.req(m, "acme.localhost", path).bearer(&token);
    let kinds: Value = serde_json::from_str(
        &call(Method::GET, "/api/admin/v1/mail/kinds")
            .send()
            .await
            .body,
    )
    .unwrap();
    let activate = kinds
        .as_array()
        .unwrap()
        .iter()
        .find(|k| k["key"] == "testmod.activate")
        .unwrap();
    let jj = activate["placeholders"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["name"] == "dossier.jou_jullie")
        .unwrap();
    assert_eq!(
        (
            jj["kind"].as_str(),
            jj["singular"].as_str(),
            jj["plural"].as_str()
        ),
        (Some("plural"), Some("jou"), Some("jullie"))
    );
    assert!(
        !activate["placeholders"][0]["description_nl"]
            .as_str()
            .unwrap()
            .is_empty()
    );

    let path = "/api/admin/v1/mail/templates/testmod.activate/nl/informal";
    let r = call(Method::PUT, path)
        .json(&json!({"subject": "Hoi", "text": "Voor {dossier.onbekend}"}))
        .send()
        .await;
    assert_eq!(r.status, 422);
    assert!(
        r.body.contains("dossier.onbekend") && r.body.contains("dossier.kunt_kunnen"),
        "{}",
        r.body
    );
    let r = call(Method::PUT, path).json(&json!({"subject": "Hoi", "text": "Fijn dat {dossier.je_jullie} er {dossier.kunt_kunnen} zijn", "html": "<p onclick=\"x()\">Fijn dat {dossier.je_jullie} er {dossier.kunt_kunnen} zijn</p><script>bad()</script>"})).send().await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert!(
        !r.body.contains("onclick") && !r.body.contains("bad()"),
        "HTML sanitised on save: {}",
        r.body
    );
    let preview = call(Method::POST, &format!("{path}/preview"))
        .json(&json!({"count": 2}))
        .send()
        .await;
    let v: Value = serde_json::from_str(&preview.body).unwrap();
    assert_eq!(v["text"], "Fijn dat jullie er kunnen zijn");
    let preview_en = call(
        Method::POST,
        "/api/admin/v1/mail/templates/core.test/en/formal/preview",
    )
    .json(&json!({}))
    .send()
    .await;
    assert!(
        preview_en.body.contains("Test message from Acme"),
        "{}",
        preview_en.body
    );
    let preview_unsaved = call(
        Method::POST,
        "/api/admin/v1/mail/templates/core.test/nl/informal/preview",
    )
    .json(&json!({"text": "Hoi {tenant.nam}"}))
    .send()
    .await;
    assert_eq!(preview_unsaved.status, 422);
    let reset = call(Method::DELETE, path).send().await;
    assert!(reset.body.contains("\"is_default\":true"), "{}", reset.body);
    assert_eq!(
        call(Method::GET, "/api/admin/v1/mail/templates/nope.x/nl/formal")
            .send()
            .await
            .status,
        404
    );
}
db_test!(template_api_lists_previews_saves_and_resets);

async fn a_mail_that_keeps_failing_stops_after_max_attempts(tdb: TestDb) {
    let mut config = smtp_config(&tdb, free_port());
    config.mail.max_attempts = 3;
    let p = portal_with(&tdb, config).await;
    tenant(&tdb.db, "acme", "Acme").await;
    let t = acme(&p).await;
    let mut tx = tdb.db.begin().await.unwrap();
    p.state()
        .mailer
        .enqueue(
            &mut tx,
            &t,
            "core.test",
            &to("jan@example.nl"),
            &MailValues::new(),
        )
        .await
        .unwrap();
    tx.commit().await.unwrap();
    for _ in 0..3 {
        assert_eq!(p.state().mailer.deliver_due(&tdb.db).await.unwrap(), 1);
    }
    assert_eq!(
        p.state().mailer.deliver_due(&tdb.db).await.unwrap(),
        0,
        "no fourth attempt"
    );
    let m = &outbox::list(&tdb.db, t.scope(), None, 1).await.unwrap()[0];
    assert_eq!((m.status.as_str(), m.attempts), ("failed", 3));
    assert!(
        m.last_error
            .as_deref()
            .unwrap()
            .starts_with("gave up after 3 attempts"),
        "{:?}",
        m.last_error
    );
}
db_test!(a_mail_that_keeps_failing_stops_after_max_attempts);

#[test]
fn values_cannot_bring_links_or_scripts_into_the_html() {
    let t = TemplateText {
        subject: "x".into(),
        html: "<p><a href=\"{dossier.salutation}\">klik</a></p>{dossier.advisor_email_signature}"
            .into(),
        text: String::new(),
    };
    let v = MailValues::new()
        .text("dossier.salutation", "javascript:alert(1)")
        .formatted(
            "dossier.advisor_email_signature",
            "<p onclick=\"x()\">Piet<script>y()</script><a href=\"data:text/html,z\">d</a></p>",
            "Piet",
        );
    let r = render(&ACTIVATE, &t, &v).unwrap();
    for gone in ["javascript:", "onclick", "<script", "y()", "data:"] {
        assert!(
            !r.html.contains(gone),
            "{gone} reached the mail: {}",
            r.html
        );
    }
    assert!(r.html.contains("klik") && r.html.contains("Piet"));
}

async fn a_worker_that_lost_its_lease_does_not_send(tdb: TestDb) {
    let p = portal(&tdb).await;
    tenant(&tdb.db, "acme", "Acme").await;
    let t = acme(&p).await;
    let mut tx = tdb.db.begin().await.unwrap();
    p.state()
        .mailer
        .enqueue(
            &mut tx,
            &t,
            "core.test",
            &to("jan@example.nl"),
            &MailValues::new(),
        )
        .await
        .unwrap();
    tx.commit().await.unwrap();
    // Worker A claims with a lease that runs out before it gets to send...
    let a = outbox::claim(&tdb.db, 10, chrono::Duration::milliseconds(-1), 5)
        .await
        .unwrap();
    assert_eq!(a.mails.len(), 1);
    // ...worker B takes the mail over...
    let b = outbox::claim(&tdb.db, 10, chrono::Duration::seconds(60), 5)
        .await
        .unwrap();
    assert_eq!(b.mails.len(), 1);
    let id = b.mails[0].id;
    // ...so A may neither send nor record anything.
    assert!(
        !outbox::renew(&tdb.db, id, &a.token, chrono::Duration::seconds(60))
            .await
            .unwrap()
    );
    outbox::mark_failed(&tdb.db, id, &a.token, "late", Some(chrono::Utc::now()))
        .await
        .unwrap();
    assert!(
        outbox::renew(&tdb.db, id, &b.token, chrono::Duration::seconds(60))
            .await
            .unwrap()
    );
    outbox::mark_sent(&tdb.db, id, &b.token).await.unwrap();
    let m = &outbox::list(&tdb.db, t.scope(), None, 1).await.unwrap()[0];
    assert_eq!(
        (m.status.as_str(), m.last_error.as_deref()),
        ("sent", None),
        "A's late result did not overwrite B's"
    );
    // A mail whose worker keeps dying stops after max_attempts claims.
    let mut tx = tdb.db.begin().await.unwrap();
    p.state()
        .mailer
        .enqueue(
            &mut tx,
            &t,
            "core.test",
            &to("els@example.nl"),
            &MailValues::new(),
        )
        .await
        .unwrap();
    tx.commit().await.unwrap();
    for _ in 0..3 {
        assert_eq!(
            outbox::claim(&tdb.db, 10, chrono::Duration::milliseconds(-1), 3)
                .await
                .unwrap()
                .mails
                .len(),
            1
        );
    }
    assert!(
        outbox::claim(&tdb.db, 10, chrono::Duration::seconds(60), 3)
            .await
            .unwrap()
            .mails
            .is_empty()
    );
    let m = &outbox::list(&tdb.db, t.scope(), Some("failed"), 1)
        .await
        .unwrap()[0];
    assert!(
        m.last_error
            .as_deref()
            .unwrap()
            .contains("gave up after 3 attempts"),
        "{:?}",
        m.last_error
    );
}
db_test!(a_worker_that_lost_its_lease_does_not_send);

async fn preview_cleans_html_and_test_mails_are_limited(tdb: TestDb) {
    let mut config = tdb.config();
    config.mail.test_mails_per_hour = 2;
    let p = portal_with(&tdb, config).await;
    let s = tenant(&tdb.db, "acme", "Acme").await;
    let token = repo::create_api_token(&tdb.db, s, "t", "*").await.unwrap();
    let r = p
        .req(
            Method::POST,
            "acme.localhost",
            "/api/admin/v1/mail/templates/core.test/nl/formal/preview",
        )
        .bearer(&token)
        .json(&json!({"html": "<p>Hallo {tenant.name}<img src=x onerror=alert(1)></p>"}))
        .send()
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert!(
        r.body.contains("Hallo Acme") && !r.body.contains("onerror"),
        "the preview is what would be sent: {}",
        r.body
    );
    for _ in 0..2 {
        let r = p
            .req(Method::POST, "acme.localhost", "/api/admin/v1/mail/test")
            .bearer(&token)
            .json(&json!({"to": "jan@example.nl"}))
            .send()
            .await;
        assert_eq!(r.status, 202);
    }
    let r = p
        .req(Method::POST, "acme.localhost", "/api/admin/v1/mail/test")
        .bearer(&token)
        .json(&json!({"to": "jan@example.nl"}))
        .send()
        .await;
    assert_eq!(r.status, 429, "{}", r.body);
}
db_test!(preview_cleans_html_and_test_mails_are_limited);

/// Finding 3 of the outside-in test: a placeholder that carries a token
/// may stand only as the whole `href` of a link or as text on its own,
/// checked when saved and again when sent (a template stored earlier falls
/// back to the default).
async fn a_personal_link_cannot_be_sent_elsewhere(tdb: TestDb) {
    crate::support::migrate(&tdb).await;
    let s = tenant(&tdb.db, "acme", "Acme").await;
    let reset = &portal_core::auth::mails::RESET;
    let save = |html: &str, text: &str| {
        let t = TemplateText {
            subject: "Nieuw wachtwoord".into(),
            html: html.into(),
            text: text.into(),
        };
        let db = tdb.db.clone();
        async move { store::save(&db, s, reset, Lang::Nl, AddressForm::Formal, &t).await }
    };
    for (html, text) in [
        (
            "<p><a href=\"https://evil.example/?u={link.url}\">Herstel</a></p>",
            "",
        ),
        ("<p><a href=\"{link.url}&amp;x=1\">Herstel</a></p>", ""),
        ("", "Klik: https://evil.example/?u={link.url}"),
        ("<p>Ga naar https://evil.example/{link.url}</p>", ""),
    ] {
        let errors = save(html, text).await.unwrap_err().unwrap();
        assert!(
            errors.iter().any(|e| e.message.contains("{link.url}")),
            "{html}{text}: {errors:?}"
        );
    }
    // On its own it is fine: the whole href, and text.
    save(
        "<p><a href=\"{link.url}\">Nieuw wachtwoord instellen</a></p><p>Werkt de link niet? {link.url}</p>",
        "Uw link:\n{link.url}\n",
    )
    .await
    .unwrap();
    // A template stored before the check existed is refused when sent.
    tdb.db
        .execute(
            &s.update("mail_templates")
                .value(
                    "body_html",
                    "<p><a href=\"https://evil.example/?u={link.url}\">x</a></p>",
                )
                .value("body_text", "https://evil.example/?u={link.url}")
                .to_owned(),
        )
        .await
        .unwrap();
    let mut tx = tdb.db.begin().await.unwrap();
    let sent = store::effective_in(&mut tx, s, reset, Lang::Nl, AddressForm::Formal)
        .await
        .unwrap();
    assert!(!sent.text.contains("evil.example") && !sent.html.contains("evil.example"));
}
db_test!(a_personal_link_cannot_be_sent_elsewhere);

/// Finding 1 of the outside-in test: an oversized template is refused with
/// a message when saved and previewed, and one stored before the limit is
/// not rendered (the default is sent).
async fn oversized_templates_are_refused(tdb: TestDb) {
    let p = portal(&tdb).await;
    let s = tenant(&tdb.db, "acme", "Acme").await;
    let token = repo::create_api_token(&tdb.db, s, "t", "*").await.unwrap();
    let huge = "<p>{user.name} lorem ipsum</p>".repeat(120_000);
    let r = p
        .req(
            Method::POST,
            "acme.localhost",
            "/api/admin/v1/mail/templates/auth.reset/nl/formal/preview",
        )
        .bearer(&token)
        .json(&json!({"subject": "x", "html": huge}))
        .send()
        .await;
    assert!(
        r.status == 400 || r.status == 422,
        "{} {}",
        r.status,
        &r.body[..r.body.len().min(300)]
    );
    assert!(
        r.body.contains("KB") && r.body.len() < 10_000,
        "a short message: {}",
        &r.body[..r.body.len().min(300)]
    );
    let reset = &portal_core::auth::mails::RESET;
    let t = TemplateText {
        subject: "Nieuw wachtwoord".into(),
        html: huge.clone(),
        text: String::new(),
    };
    let errors = store::save(&tdb.db, s, reset, Lang::Nl, AddressForm::Formal, &t)
        .await
        .unwrap_err()
        .unwrap();
    assert_eq!(errors[0].part, "html");
    // Stored anyway (before the limit existed): the default goes out.
    store::save(
        &tdb.db,
        s,
        reset,
        Lang::Nl,
        AddressForm::Formal,
        &TemplateText {
            subject: "Nieuw wachtwoord".into(),
            html: "<p>klein</p>".into(),
            text: String::new(),
        },
    )
    .await
    .unwrap();
    tdb.db
        .execute(
            &s.update("mail_templates")
                .value("body_html", huge)
                .to_owned(),
        )
        .await
        .unwrap();
    let mut tx = tdb.db.begin().await.unwrap();
    let sent = store::effective_in(&mut tx, s, reset, Lang::Nl, AddressForm::Formal)
        .await
        .unwrap();
    assert!(sent.html.len() < 100 * 1024 && !sent.html.contains("lorem"));
}
db_test!(oversized_templates_are_refused);
