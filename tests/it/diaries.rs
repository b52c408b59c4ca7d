//! Diaries (seed 000) over GraphQL/HTTP, on SQLite and PostgreSQL: each diary takes its own
//! columns, and entries are read only by those who may write them, however they are reached.

use crate::common::{self, backends, error_code};
use schoolnet::auth::Role;
use serde_json::json;

const RECORD: &str = r#"mutation($s: ID!, $kind: DiaryKind!, $entry: DiaryEntryInput!) {
    recordDiaryEntry(school: $s, kind: $kind, entry: $entry) { id kind columns { teacher method curatorComment } } }"#;

#[tokio::test]
async fn diaries_take_their_own_columns_and_stay_private() {
    for backend in backends().await {
        let coordinator = backend
            .token(Role::Coordinator, Some("kotelnikovsky"), None)
            .await;
        let stranger = backend
            .token(Role::Coordinator, Some("labinsky"), None)
            .await;
        let school = backend
            .data(
                r#"{ schools(filter: {nameContains: "Красноярская"}) { nodes { id } } }"#,
                json!({}),
            )
            .await["schools"]["nodes"][0]["id"]
            .clone();
        let before = backend.fingerprint().await;
        let mixed = json!({"event": "Практический семинар", "method": "групповая работа"});
        let body = backend
            .post_as(
                Some(&coordinator),
                RECORD,
                json!({"s": school, "kind": "TEACHER", "entry": mixed}),
            )
            .await;
        assert_eq!(error_code(&body).0, "VALIDATION", "{body}");
        let fields = common::strings(&body["errors"][0]["extensions"]["violations"], "field");
        assert_eq!(fields, ["entry.event", "entry.teacher"], "{}", backend.name);
        assert_eq!(backend.fingerprint().await, before);

        let entry = json!({"teacher": "Иванова И.И.", "method": "групповая работа",
            "whereUsed": "7 класс", "curatorComment": "Методика освоена"});
        let body = backend
            .post_as(
                Some(&coordinator),
                RECORD,
                json!({"s": school, "kind": "TEACHER", "entry": entry}),
            )
            .await;
        let recorded = &body["data"]["recordDiaryEntry"];
        assert_eq!(recorded["columns"]["teacher"], "Иванова И.И.", "{body}");

        let read = r#"query($s: ID!) { node(id: $s) { ... on School { diary { kind columns { teacher } } } } }"#;
        let public = backend.post(read, json!({"s": school})).await;
        assert_eq!(error_code(&public).0, "UNAUTHENTICATED", "{public}");
        let other = backend
            .post_as(Some(&stranger), read, json!({"s": school}))
            .await;
        assert_eq!(error_code(&other).0, "FORBIDDEN", "{other}");
        let own = backend
            .post_as(Some(&coordinator), read, json!({"s": school}))
            .await;
        assert_eq!(
            own["data"]["node"]["diary"][0]["columns"]["teacher"], "Иванова И.И.",
            "{own}"
        );
        // Fetched by its own id, an entry still hides its columns from the public.
        let by_id = backend
            .post(
                r#"query($id: ID!) { node(id: $id) { ... on DiaryEntry { kind columns { teacher } } } }"#,
                json!({"id": recorded["id"]}),
            )
            .await;
        assert_eq!(error_code(&by_id).0, "UNAUTHENTICATED", "{by_id}");
        assert!(by_id.to_string().find("Иванова").is_none(), "{by_id}");
        backend.finish().await;
    }
}
