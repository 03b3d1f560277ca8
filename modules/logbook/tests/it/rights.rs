//! Seed 002's rights per location, through every page and write of the
//! logbook: a read-only extra account sees and cannot change (403 on the
//! writes of a location it reads, 404 where it reads nothing); write on
//! one location is not write on another; a parent's main account sees
//! both branches; a parent's extra account only the branch it was granted;
//! another customer sees nothing (404 exactly like a missing location).
//! Also the choice of location: listed on the home page, remembered.

use crate::support::{Setup, Visitor, location, logbook, recommendation, setup, visit};

/// Every page of location `l` (and a visit, a recommendation of it).
async fn pages(s: &Setup, ext: &str) -> Vec<String> {
    let l = location(s, ext).await;
    let v = visit(s, &format!("{ext}-V2")).await;
    let r = recommendation(s, &format!("{ext}-R1")).await;
    vec![
        format!("/logbook/{l}"),
        format!("/logbook/{l}/checkpoints"),
        format!("/logbook/{l}/visits"),
        format!("/logbook/{l}/visits/{v}"),
        format!("/logbook/{l}/visits/{v}/pdf"),
        format!("/logbook/{l}/recommendations"),
        format!("/logbook/{l}/recommendations/export"),
        format!("/logbook/{l}/recommendations/{r}"),
        format!("/logbook/{l}/messages"),
        format!("/logbook/{l}/documents"),
    ]
}

async fn sees(v: &mut Visitor<'_>, s: &Setup, ext: &str, who: &str) {
    for p in pages(s, ext).await {
        let r = v.get(&p).await;
        assert_eq!(r.status, 200, "{who} reads {p}: {}", r.text());
    }
}

async fn sees_nothing(v: &mut Visitor<'_>, s: &Setup, ext: &str, who: &str) {
    for p in pages(s, ext).await {
        let r = v.get(&p).await;
        assert_eq!(r.status, 404, "{who} must not read {p}");
    }
    // Exactly like a location that does not exist.
    let missing = v.get("/logbook/987654").await;
    let l = location(s, ext).await;
    let forbidden = v.get(&format!("/logbook/{l}")).await;
    assert_eq!(missing.status, forbidden.status);
    assert_eq!(
        missing.text().replace(char::is_numeric, ""),
        forbidden.text().replace(char::is_numeric, ""),
        "{who}: a forbidden location differs from a missing one"
    );
}

/// The two writes at location `ext`: a status change with a response, and a message.
async fn writes(v: &mut Visitor<'_>, s: &Setup, ext: &str) -> (u16, u16) {
    let l = location(s, ext).await;
    let r = recommendation(s, &format!("{ext}-R1")).await;
    let a = v
        .post(
            &format!("/logbook/{l}/recommendations/{r}"),
            &[
                ("status", "in_progress"),
                ("response", "Wij pakken het op."),
            ],
        )
        .await
        .status;
    let b = v
        .post(
            &format!("/logbook/{l}/messages"),
            &[("subject", "Muis gezien"), ("body", "In de hal bij HM2.")],
        )
        .await
        .status;
    (a, b)
}

async fn status_of(s: &Setup, ext: &str) -> String {
    let id = recommendation(s, ext).await;
    let (st,): (String,) = s
        .portal
        .state()
        .db
        .fetch_optional(
            &s.scope()
                .await
                .select("logbook_recommendations")
                .column("status")
                .and_where(portal_core::sea_query::ExprTrait::eq(
                    portal_core::sea_query::Expr::col("id"),
                    id,
                ))
                .to_owned(),
        )
        .await
        .unwrap()
        .unwrap();
    st
}

async fn matrix(pg: bool) {
    let Some(s) = setup(pg).await else { return };
    logbook(&s).await;

    // Read-only extra account: sees F1, may change nothing there (403),
    // reads nothing of F2 and F3 (404).
    let mut reader = Visitor::login(&s, "lezer@fabriek.nl").await;
    sees(&mut reader, &s, "F1", "reader").await;
    let l1 = location(&s, "F1").await;
    let page = reader.get(&format!("/logbook/{l1}/messages")).await.text();
    assert!(
        !page.contains("id=\"message-form\""),
        "no message form for a read-only account"
    );
    assert!(page.contains("id=\"logbook-read-only\""), "{page}");
    let rec = reader
        .get(&format!(
            "/logbook/{l1}/recommendations/{}",
            recommendation(&s, "F1-R1").await
        ))
        .await
        .text();
    assert!(!rec.contains("id=\"respond-form\""), "{rec}");
    assert_eq!(writes(&mut reader, &s, "F1").await, (403, 403));
    assert_eq!(status_of(&s, "F1-R1").await, "new", "nothing changed");
    sees_nothing(&mut reader, &s, "F2", "reader").await;
    sees_nothing(&mut reader, &s, "F3", "reader").await;
    assert_eq!(writes(&mut reader, &s, "F2").await, (404, 404));

    // Write on F2 (and read on F1): writes on F2, not on F1 (403) nor on F3 (404).
    let mut writer = Visitor::login(&s, "schrijver@fabriek.nl").await;
    sees(&mut writer, &s, "F2", "writer").await;
    assert_eq!(writes(&mut writer, &s, "F2").await, (303, 303));
    assert_eq!(status_of(&s, "F2-R1").await, "in_progress");
    assert_eq!(writes(&mut writer, &s, "F1").await, (403, 403));
    assert_eq!(status_of(&s, "F1-R1").await, "new");
    sees_nothing(&mut writer, &s, "F3", "writer").await;
    assert_eq!(writes(&mut writer, &s, "F3").await, (404, 404));

    // The main account reads and writes every location of its customer.
    let mut main = Visitor::login(&s, "kwaliteit@fabriek.nl").await;
    for l in ["F1", "F2", "F3"] {
        sees(&mut main, &s, l, "main").await;
    }
    assert_eq!(writes(&mut main, &s, "F3").await, (303, 303));
    sees_nothing(&mut main, &s, "X1", "main of F").await;
    sees_nothing(&mut main, &s, "B1L", "main of F").await;

    // A parent's main account sees both branches (whatever the switcher says).
    let mut parent = Visitor::login(&s, "hoofd@keten.nl").await;
    sees(&mut parent, &s, "B1L", "parent").await;
    sees(&mut parent, &s, "B2L", "parent").await;
    assert_eq!(writes(&mut parent, &s, "B2L").await, (303, 303));
    sees_nothing(&mut parent, &s, "F1", "parent").await;
    let choose = parent.get("/logbook/locations").await.text();
    assert!(
        choose.contains("Winkel Centrum") && choose.contains("Winkel Zuid"),
        "{choose}"
    );

    // A parent's extra account: only the branch (and location) it was granted.
    let mut regio = Visitor::login(&s, "regio@keten.nl").await;
    sees(&mut regio, &s, "B1L", "parent's extra").await;
    sees_nothing(&mut regio, &s, "B2L", "parent's extra").await;
    let choose = regio.get("/logbook/locations").await.text();
    assert!(
        choose.contains("Winkel Centrum") && !choose.contains("Winkel Zuid"),
        "{choose}"
    );

    // Another customer: nothing of F, and a document of F is not found.
    let mut other = Visitor::login(&s, "x@ander.nl").await;
    sees(&mut other, &s, "X1", "other").await;
    sees_nothing(&mut other, &s, "F1", "other").await;
}

#[tokio::test]
async fn rights_per_location_sqlite() {
    matrix(false).await;
}

#[tokio::test]
async fn rights_per_location_postgres() {
    matrix(true).await;
}

async fn choice(pg: bool) {
    let Some(s) = setup(pg).await else { return };
    logbook(&s).await;
    let mut main = Visitor::login(&s, "kwaliteit@fabriek.nl").await;
    // Several locations and none chosen yet: the choice.
    let r = main.get("/logbook").await;
    assert_eq!(r.status, 303);
    assert!(
        r.headers["location"]
            .to_str()
            .unwrap()
            .ends_with("/logbook/locations")
    );
    // The home page lists the locations to pick from (seed 002).
    let home = main.get("/").await.text();
    let f2 = location(&s, "F2").await;
    assert!(home.contains(&format!("/logbook/{f2}")), "{home}");
    assert!(
        home.contains("Magazijn") && !home.contains("Slagerij"),
        "{home}"
    );
    // Opening a location remembers it, also in a later session.
    assert_eq!(main.get(&format!("/logbook/{f2}")).await.status, 200);
    let mut again = Visitor::login(&s, "kwaliteit@fabriek.nl").await;
    let r = again.get("/logbook").await;
    assert_eq!(r.status, 303);
    assert!(
        r.headers["location"]
            .to_str()
            .unwrap()
            .ends_with(&format!("/logbook/{f2}")),
        "{:?}",
        r.headers["location"]
    );
    // An account with one location goes straight there.
    let mut reader = Visitor::login(&s, "lezer@fabriek.nl").await;
    let r = reader.get("/logbook").await;
    let f1 = location(&s, "F1").await;
    assert!(
        r.headers["location"]
            .to_str()
            .unwrap()
            .ends_with(&format!("/logbook/{f1}"))
    );
    // The dashboard: open recommendations by status, visits, the chart with its table.
    let d = reader.get(&format!("/logbook/{f1}")).await.text();
    assert!(d.contains("id=\"count-new\">1<"), "{d}");
    assert!(d.contains("id=\"count-in_progress\">1<"), "{d}");
    assert!(d.contains("id=\"visit-count\">2<"), "{d}");
    assert!(d.contains("<svg") && d.contains("role=\"img\""), "{d}");
    assert!(d.contains("id=\"activity-table\""), "{d}");
    assert!(
        d.contains("Insectenmonitor") && d.contains("Muizenbox"),
        "{d}"
    );
}

#[tokio::test]
async fn location_choice_sqlite() {
    choice(false).await;
}

#[tokio::test]
async fn location_choice_postgres() {
    choice(true).await;
}
