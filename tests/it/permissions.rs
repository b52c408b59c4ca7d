//! The permission policy, as a matrix of every command × role × scope, and the holes a
//! coordinator of another district would try: people tied elsewhere, other districts' exports,
//! and changes that touch several municipalities, which each one's coordinator must see.

use crate::common::{self, Backend, backends, error_code};
use schoolnet::auth::policy::{Area, Scope, permits};
use schoolnet::auth::{Actor, Caller, Role, authenticate};
use schoolnet::changes::Command;
use serde_json::json;

/// The actor of a new token.
async fn actor(
    backend: &Backend,
    role: Role,
    municipality: Option<&str>,
    person: Option<i32>,
) -> Actor {
    scoped_actor(backend, role, municipality, person, None).await
}

/// The actor of a new token with every scope a role can have (a DIRECTOR's school).
async fn scoped_actor(
    backend: &Backend,
    role: Role,
    municipality: Option<&str>,
    person: Option<i32>,
    school: Option<i32>,
) -> Actor {
    let token = backend
        .scoped_token(role, municipality, person, school)
        .await;
    match authenticate(&backend.db, Some(&format!("Bearer {token}")))
        .await
        .unwrap()
    {
        Caller::Token(actor) => actor,
        other => panic!("the token does not authenticate: {other:?}"),
    }
}

/// A municipality's row id by slug.
async fn municipality(backend: &Backend, slug: &str) -> i32 {
    use schoolnet::entities::municipality;
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
    municipality::Entity::find()
        .filter(municipality::Column::Slug.eq(slug))
        .one(&backend.db)
        .await
        .unwrap()
        .unwrap()
        .id
}

/// A school's row id and municipality by name.
async fn school(backend: &Backend, name: &str) -> (i32, i32) {
    use schoolnet::entities::school;
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
    let row = school::Entity::find()
        .filter(school::Column::Name.eq(name))
        .one(&backend.db)
        .await
        .unwrap()
        .unwrap_or_else(|| panic!("no school «{name}»"));
    (row.id, row.municipality_id)
}

#[tokio::test]
async fn the_policy_matrix_covers_every_command_role_and_scope() {
    let backend = backends().await.into_iter().next().unwrap();
    let kotelnikovsky = municipality(&backend, "kotelnikovsky").await;
    let irbit = municipality(&backend, "irbitskoye").await;
    // Артемьева О.Ю. curates Красноярская СШ (seed 000), not Нагольненская СШ.
    let curator_person = {
        use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
        schoolnet::entities::person::Entity::find()
            .filter(schoolnet::entities::person::Column::FullName.eq("Артемьева О.Ю."))
            .one(&backend.db)
            .await
            .unwrap()
            .unwrap()
            .id
    };
    let (curated, curated_m) = school(&backend, "Красноярская СШ").await;
    let (uncurated, uncurated_m) = school(&backend, "Нагольненская СШ").await;
    let admin = actor(&backend, Role::Admin, None, None).await;
    let coordinator = actor(&backend, Role::Coordinator, Some("kotelnikovsky"), None).await;
    let curator = actor(&backend, Role::Curator, None, Some(curator_person)).await;
    // The director of Красноярская СШ acts for that school only.
    let director = scoped_actor(&backend, Role::Director, None, None, Some(curated)).await;

    let scopes = [
        ("own municipality", Scope::municipality(kotelnikovsky)),
        ("other municipality", Scope::municipality(irbit)),
        (
            "own and other",
            Scope::municipality(kotelnikovsky).and(Scope::municipality(irbit)),
        ),
        ("untied", Scope::untied()),
        ("curated school", Scope::school(curated, curated_m)),
        ("uncurated school", Scope::school(uncurated, uncurated_m)),
    ];
    let mut checked = 0;
    for &command in Command::ALL {
        let area = command.area();
        for (scope_name, scope) in &scopes {
            let in_own = !scope.municipalities.is_empty()
                && scope.municipalities.iter().all(|m| *m == kotelnikovsky);
            // The curator review is the appointed curator's and the school's alone.
            let review = area == Area::Reviews;
            let own_school = *scope_name == "curated school";
            let expected = [
                ("ADMIN", &admin, !review),
                (
                    "COORDINATOR",
                    &coordinator,
                    !review
                        && area != Area::Regions
                        && (in_own || (scope.municipalities.is_empty() && area == Area::People)),
                ),
                (
                    "CURATOR",
                    &curator,
                    matches!(
                        area,
                        Area::Evaluations | Area::Results | Area::Visits | Area::Reviews
                    ) && own_school,
                ),
                (
                    "DIRECTOR",
                    &director,
                    matches!(area, Area::Plans | Area::Reviews) && own_school,
                ),
            ];
            for (role, actor, allowed) in expected {
                let got = permits(&backend.db, actor, area, scope).await.unwrap();
                assert_eq!(got, allowed, "{} by {role} on {scope_name}", command.name());
                checked += 1;
            }
        }
    }
    eprintln!(
        "permission matrix: {checked} cases ({} commands × 4 roles × {} scopes)",
        Command::ALL.len(),
        scopes.len()
    );
    backend.finish().await;
}

#[tokio::test]
async fn a_coordinator_cannot_reach_a_person_tied_to_another_municipality() {
    for backend in backends().await {
        let labinsky = backend
            .token(Role::Coordinator, Some("labinsky"), None)
            .await;
        let tsunta = backend
            .token(Role::Coordinator, Some("tsuntinsky"), None)
            .await;
        // Алиев М.А., Tsunta's municipal coordinator of 500+, has no workplace: only his
        // appointment ties him to Tsunta.
        let data = backend
            .data(
                r#"{ municipality(slug: "tsuntinsky") { coordinators { person { id version fullName } } } }"#,
                json!({}),
            )
            .await;
        let aliev = data["municipality"]["coordinators"][0]["person"].clone();
        assert_eq!(aliev["fullName"], "Алиев М.А.");
        let rename = "mutation($id: ID!, $v: Int!) { updatePerson(id: $id, version: $v, input: {fullName: \"Захвачен З.З.\"}) { fullName } }";
        let body = backend
            .post_as(
                Some(&labinsky),
                rename,
                json!({ "id": aliev["id"], "v": aliev["version"] }),
            )
            .await;
        assert_eq!(
            error_code(&body).0,
            "FORBIDDEN",
            "{}: {body:#}",
            backend.name
        );

        // His own municipality's coordinator may, and sees it in the audit log.
        let body = backend
            .post_as(
                Some(&tsunta),
                rename,
                json!({ "id": aliev["id"], "v": aliev["version"] }),
            )
            .await;
        assert!(body.get("errors").is_none(), "{}: {body:#}", backend.name);
        let log = backend
            .post_as(
                Some(&tsunta),
                "query($id: ID!) { auditLog(filter: {entityId: $id}) { nodes { operation actor } } }",
                json!({ "id": aliev["id"] }),
            )
            .await;
        assert_eq!(
            log["data"]["auditLog"]["nodes"][0]["operation"],
            "updatePerson"
        );
        backend.finish().await;
    }
}

#[tokio::test]
async fn every_municipality_a_change_touches_sees_it_and_no_other() {
    for backend in backends().await {
        let admin = backend.token(Role::Admin, None, None).await;
        let labinsky = backend
            .token(Role::Coordinator, Some("labinsky"), None)
            .await;
        let irbit = backend
            .token(Role::Coordinator, Some("irbitskoye"), None)
            .await;
        let yaya = backend.token(Role::Coordinator, Some("yaysky"), None).await;
        let school_of = |slug: &'static str| {
            let backend = &backend;
            async move {
                backend
                    .data(
                        "query($m: String!) { schools(filter: {municipality: $m}, first: 1) { nodes { id } } }",
                        json!({ "m": slug }),
                    )
                    .await["schools"]["nodes"][0]["id"]
                    .clone()
            }
        };
        let (in_irbit, in_labinsky) = (school_of("irbitskoye").await, school_of("labinsky").await);
        let created = backend
            .post_as(
                Some(&admin),
                "mutation($s: ID!) { createPerson(input: {fullName: \"Переводов П.П.\", workplaceSchool: $s}) { id version } }",
                json!({ "s": in_irbit }),
            )
            .await["data"]["createPerson"]
            .clone();
        let moved = backend
            .post_as(
                Some(&admin),
                "mutation($id: ID!, $v: Int!, $s: ID!) { updatePerson(id: $id, version: $v, input: {workplaceSchool: $s}) { id } }",
                json!({ "id": created["id"], "v": created["version"], "s": in_labinsky }),
            )
            .await;
        assert!(moved.get("errors").is_none(), "{}: {moved:#}", backend.name);
        let operations = |token: String| {
            let (backend, id) = (&backend, created["id"].clone());
            async move {
                let log = backend
                    .post_as(
                        Some(&token),
                        "query($id: ID!) { auditLog(filter: {entityId: $id}) { nodes { operation } } }",
                        json!({ "id": id }),
                    )
                    .await;
                common::strings(&log["data"]["auditLog"]["nodes"], "operation")
            }
        };
        assert_eq!(
            operations(irbit.clone()).await,
            ["updatePerson", "createPerson"]
        );
        assert_eq!(operations(labinsky.clone()).await, ["updatePerson"]);
        assert!(operations(yaya.clone()).await.is_empty());

        // A coordinator's own export is in their log; another district cannot read the job.
        let started = backend
            .post_as(
                Some(&labinsky),
                "mutation { startSiteExport(municipalities: []) { id municipalities } }",
                json!({}),
            )
            .await;
        let job = started["data"]["startSiteExport"]["id"].clone();
        assert_eq!(
            started["data"]["startSiteExport"]["municipalities"],
            json!(["labinsky"])
        );
        let log = backend
            .post_as(
                Some(&labinsky),
                "{ auditLog(filter: {operation: \"startSiteExport\"}) { totalCount } }",
                json!({}),
            )
            .await;
        assert_eq!(
            log["data"]["auditLog"]["totalCount"], 1,
            "{}: {log:#}",
            backend.name
        );
        let read = "query($id: Int!) { siteExport(id: $id) { status } }";
        let body = backend
            .post_as(Some(&irbit), read, json!({ "id": job }))
            .await;
        assert_eq!(
            error_code(&body).0,
            "NOT_FOUND",
            "{}: {body:#}",
            backend.name
        );
        let body = backend
            .post_as(Some(&labinsky), read, json!({ "id": job }))
            .await;
        assert!(body.get("errors").is_none(), "{}: {body:#}", backend.name);
        backend.finish().await;
    }
}
