//! A small module inside the tests: proves registration, navigation by
//! permission, templates, settings, API merge, and disabled = 404.

use std::collections::BTreeMap;
use std::sync::Arc;

use poem::http::StatusCode;
use poem::web::Path;
use poem::web::{Data, Form, Html};
use poem::{Route, get, handler};
use poem_openapi::{OpenApi, payload::PlainText};
use portal_core::AppState;
use portal_core::access::{Need, Perm};
use portal_core::mail::{MailDefault, MailKind, Placeholder};
use portal_core::module::{
    Hooks, Module, ModuleApi, ModuleCx, NavItem, SettingKind, SettingSpec, Template, Translation,
};
use portal_core::tenant::{AddressForm, Lang};
use portal_core::web::Page;
use portal_core::web::guard::Require;
use sea_query::{Expr, ExprTrait, Order};

pub struct TestModule;

portal_core::permission! {
    /// The test module's secret page: admins by default.
    pub Secret = "testmod.secret", label "testmod-secret", roles [Admin];
    /// Seeing the location pages: every account, within its location rights.
    pub Locations = "testmod.locations", label "testmod-secret", roles [*];
}

/// The count the seed's plural placeholders choose by.
pub const RECIPIENTS: &str = "dossier.recipient_count";

/// Seed 003's activation mail: its placeholders, including exactly the
/// seed's singular/plural set, declared in a few lines.
pub const ACTIVATE: MailKind = MailKind {
    key: "testmod.activate",
    label_nl: "Activeer het persoonlijk klantportaal",
    label_en: "Activate the personal customer portal",
    placeholders: &[
        Placeholder::text(
            "dossier.salutation",
            "aanhef van de ontvanger(s)",
            "salutation of the recipient(s)",
            "Beste Jan",
        ),
        Placeholder::formatted(
            "dossier.links_set_password_formatted",
            "gebruikersnaam en link om het wachtwoord in te stellen, per ontvanger",
            "user name and set-password link, per recipient",
            "<p><strong>jan@example.nl</strong><br><a href=\"https://mijn.example.nl/set/abc\">Wachtwoord instellen</a></p>",
            "jan@example.nl\nWachtwoord instellen: https://mijn.example.nl/set/abc",
        ),
        Placeholder::formatted(
            "dossier.advisor_email_signature",
            "handtekening van de adviseur",
            "signature of the advisor",
            "<p>Piet Adviseur</p>",
            "Piet Adviseur",
        ),
        Placeholder::formatted(
            "dossier.owner_email_signature",
            "handtekening van de eigenaar",
            "signature of the owner",
            "<p>Eigenaar</p>",
            "Eigenaar",
        ),
        Placeholder::text(
            "special.consumerportal_url",
            "adres van het klantportaal",
            "address of the portal",
            "https://mijn.example.nl",
        ),
        Placeholder::plural("dossier.jou_jullie", "jou", "jullie", RECIPIENTS),
        Placeholder::plural("dossier.je_jullie", "je", "jullie", RECIPIENTS),
        Placeholder::plural(
            "dossier.vindje_vindenjullie",
            "vind je",
            "vinden jullie",
            RECIPIENTS,
        ),
        Placeholder::plural(
            "dossier.krijgje_krijgenjullie",
            "krijg je",
            "krijgen jullie",
            RECIPIENTS,
        ),
        Placeholder::plural(
            "dossier.mochtje_mochtenjullie",
            "mocht je",
            "mochten jullie",
            RECIPIENTS,
        ),
        Placeholder::plural(
            "dossier.jeontvangt_jullieontvangen",
            "je ontvangt",
            "jullie ontvangen",
            RECIPIENTS,
        ),
        Placeholder::plural("dossier.kunt_kunnen", "kunt", "kunnen", RECIPIENTS),
        Placeholder::plural("dossier.jouw_jullie", "jouw", "jullie", RECIPIENTS),
    ],
    defaults: &[MailDefault {
        lang: Lang::Nl,
        form: AddressForm::Formal,
        subject: "Uw persoonlijk portaal",
        html: "",
        text: "{dossier.salutation},\n\n{dossier.links_set_password_formatted}\n\n{dossier.advisor_email_signature}",
    }],
};

/// A page only the holders of `testmod.secret` (admins by default) reach.
#[handler]
async fn secret(_u: Require<Secret>) -> poem::Result<Html<String>> {
    Ok(Html("<p id=\"secret\">geheim</p>".into()))
}

#[handler]
async fn hello(page: Page) -> poem::Result<Html<String>> {
    page.render("testmod/hello.html", minijinja::context! {})
}

/// Fails inside the database, to prove that no SQL reaches the user.
#[handler]
async fn boom(state: Data<&Arc<AppState>>) -> poem::Result<Html<String>> {
    state
        .db
        .execute_raw("SELECT secret_column FROM no_such_table")
        .await
        .map_err(|e| poem::Error::from_string(e.to_string(), StatusCode::INTERNAL_SERVER_ERROR))?;
    Ok(Html(String::new()))
}

#[derive(serde::Deserialize)]
struct Person {
    #[serde(default)]
    name: String,
    #[serde(default)]
    email: String,
}

#[handler]
async fn form_get(page: Page) -> poem::Result<Html<String>> {
    page.render("testmod/form.html", minijinja::context! { values => BTreeMap::<&str, &str>::new(), errors => BTreeMap::<&str, &str>::new() })
}

/// A form with server-side validation, as every portal form works.
#[handler]
async fn form_post(page: Page, Form(p): Form<Person>) -> poem::Result<Html<String>> {
    let mut errors = BTreeMap::new();
    if p.name.trim().is_empty() {
        errors.insert("name", "Vul uw naam in.");
    }
    if !p.email.contains('@') {
        errors.insert("email", "Vul een geldig e-mailadres in.");
    }
    let values = minijinja::context! { name => p.name, email => p.email };
    let saved = errors.is_empty();
    page.render(
        "testmod/form.html",
        minijinja::context! { values, errors, saved },
    )
}

/// A location-bound page, as logbook and consumption will have: the
/// location's name when the principal may read it (404 otherwise).
#[handler]
async fn location_show(u: Require<Locations>, Path(id): Path<i64>) -> poem::Result<Html<String>> {
    let q = u
        .reach()
        .select_at_locations("core_locations", "id", Need::Read)
        .column("name")
        .and_where(Expr::col("id").eq(id))
        .to_owned();
    let row: Option<(String,)> = u.page.state.db.fetch_optional(&q).await?;
    let (name,) = row.ok_or(poem::error::NotFoundError)?;
    Ok(Html(format!("<p id=\"location\">{name}</p>")))
}

/// Every location the principal may read, by name from Z to A: many
/// ordered rows in one read (on PostgreSQL the read a kept session's
/// probe is joined to keeps their order, `db::confirm`).
#[handler]
async fn locations_list(u: Require<Locations>) -> poem::Result<Html<String>> {
    let q = u
        .reach()
        .select_at_locations("core_locations", "id", Need::Read)
        .column("name")
        .order_by("name", Order::Desc)
        .to_owned();
    let rows: Vec<(String,)> = u.page.state.db.fetch_all(&q).await?;
    let items: String = rows
        .into_iter()
        .map(|(name,)| format!("<li>{name}</li>"))
        .collect();
    Ok(Html(format!("<ul id=\"locations\">{items}</ul>")))
}

#[derive(serde::Deserialize)]
struct Rename {
    name: String,
}

/// A write to a location-bound row: needs the write right (403 with only read).
#[handler]
async fn location_rename(
    u: Require<Locations>,
    Path(id): Path<i64>,
    Form(f): Form<Rename>,
) -> poem::Result<Html<String>> {
    let reach = u.reach();
    reach.location(id, Need::Write).await?;
    rename(reach, id, f.name).await
}

/// A GET that writes, against the rule that a GET changes nothing: the
/// write must wait for the session's probe (`db::confirm`), which a GET
/// page may otherwise owe until its end.
#[handler]
async fn location_rename_on_get(
    u: Require<Locations>,
    Path(id): Path<i64>,
    poem::web::Query(f): poem::web::Query<Rename>,
) -> poem::Result<Html<String>> {
    let reach = u.reach();
    rename(reach, id, f.name).await
}

/// Renames location `id` (its right checked by the caller).
async fn rename(
    reach: &portal_core::access::Reach,
    id: i64,
    name: String,
) -> poem::Result<Html<String>> {
    let mut tx = reach.db().begin().await?;
    tx.execute(
        &reach
            .scope()
            .update("core_locations")
            .value("name", name)
            .and_where(Expr::col("id").eq(id))
            .to_owned(),
    )
    .await?;
    tx.commit().await?;
    Ok(Html("<p id=\"renamed\">ok</p>".into()))
}

struct TestApi;

#[OpenApi]
impl TestApi {
    /// Answers pong.
    #[oai(path = "/ping", method = "get", operation_id = "testmod_ping")]
    async fn ping(&self) -> PlainText<&'static str> {
        PlainText("pong")
    }

    /// Fails inside the database.
    #[oai(path = "/boom", method = "get", operation_id = "testmod_boom")]
    async fn boom(&self, state: Data<&Arc<AppState>>) -> poem::Result<PlainText<&'static str>> {
        state
            .db
            .execute_raw("SELECT secret_column FROM no_such_table")
            .await
            .map_err(|e| {
                poem::Error::from_string(e.to_string(), StatusCode::INTERNAL_SERVER_ERROR)
            })?;
        Ok(PlainText("unreachable"))
    }
}

/// The test module, declared as every module is.
pub static TESTMOD: Module = Module {
    name: "testmod",
    permissions: &[Secret::PERMISSION, Locations::PERMISSION],
    nav: &[
        NavItem::new("testmod-nav", "", 100),
        NavItem::new("testmod-secret", "/secret", 110).needs(Secret::PERMISSION),
    ],
    templates: &[
        Template {
            name: "testmod/hello.html",
            source: "{% extends \"layout.html\" %}{% block title %}T{% endblock %}{% block content %}<p id=\"hello\">{{ t(\"testmod-hello\") }} (module template)</p>{% endblock %}",
        },
        Template {
            name: "testmod/form.html",
            source: include_str!("testmod_form.html"),
        },
    ],
    translations: &[
        Translation {
            lang: "nl",
            ftl: "testmod-nav = Testmodule\ntestmod-secret = Geheim\ntestmod-hello = Hallo uit de module\n",
        },
        Translation {
            lang: "en",
            ftl: "testmod-nav = Test module\ntestmod-secret = Secret\ntestmod-hello = Hello from the module\n",
        },
    ],
    mails: &[ACTIVATE],
    settings: &[SettingSpec {
        key: "greeting",
        label_key: "testmod-nav",
        kind: SettingKind::Choice(&["hi", "hello"]),
        default: "hi",
    }],
    hooks: &TestModule,
    ..Module::NONE
};
portal_core::register_module!(TESTMOD);

impl Hooks for TestModule {
    fn routes(&self, _cx: &ModuleCx) -> Option<Route> {
        Some(
            Route::new()
                .at("/", get(hello))
                .at("/boom", get(boom))
                .at("/secret", get(secret))
                .at("/form", get(form_get).post(form_post))
                .at("/locations", get(locations_list))
                .at("/locations/:id", get(location_show).post(location_rename))
                .at("/locations/:id/rename-on-get", get(location_rename_on_get)),
        )
    }
    fn api(&self, _cx: &ModuleCx) -> ModuleApi {
        ModuleApi::customer(TestApi)
    }
}
