//! Meetings and their protocols over GraphQL/HTTP, on SQLite and PostgreSQL: seed 000's protocol
//! and seed 004's decisions come back as printed, and a protocol with a dangerous link, a
//! repeated annex or a speaker's missing annex is refused whole.

use crate::common::{self, backends, error_code};
use schoolnet::auth::Role;
use serde_json::json;

#[tokio::test]
async fn seed_protocols_come_back_as_printed() {
    for backend in backends().await {
        let data = backend
            .data(
                r#"{ kotelnikovsky: municipality(slug: "kotelnikovsky") { meetings {
                        title heldOn agenda speakers { speaker topic annexes }
                        annexes { number title link } decisions { number text } vote chair } }
                     yaysky: municipality(slug: "yaysky") { meetings { heldOn decisions { number } vote } } }"#,
                json!({}),
            )
            .await;
        let protocol = &data["kotelnikovsky"]["meetings"][0];
        assert_eq!(protocol["heldOn"], "2021-05-20", "{}", backend.name);
        assert_eq!(protocol["speakers"].as_array().unwrap().len(), 3);
        assert_eq!(protocol["decisions"][2]["number"], 3);
        assert_eq!(protocol["vote"], "Голосовали единогласно.");
        assert_eq!(protocol["chair"], "Н.А. Голова");
        let yaysky = &data["yaysky"]["meetings"][0];
        assert!(yaysky["heldOn"].is_null());
        assert_eq!(yaysky["decisions"].as_array().unwrap().len(), 6);
        insta::assert_json_snapshot!("kotelnikovsky_protocol", protocol);
        backend.finish().await;
    }
}

const RECORD: &str = r#"mutation($m: String!, $p: ProtocolInput!) {
    recordMeeting(municipality: $m, protocol: $p) { id version decisions { number } } }"#;

#[tokio::test]
async fn a_protocol_with_a_bad_link_or_annex_is_refused_whole() {
    for backend in backends().await {
        let coordinator = backend
            .token(Role::Coordinator, Some("labinsky"), None)
            .await;
        let before = backend.fingerprint().await;
        let protocol = json!({
            "title": "Совещание",
            "speakers": [{"speaker": "Клименко С.И.", "topic": "о кураторах", "annexes": [3]}],
            "annexes": [
                {"number": 1, "title": "Отчёт", "link": "javascript:alert(1)"},
                {"number": 1, "title": "Отчёт ещё раз", "link": "../../etc/passwd"},
            ],
        });
        let body = backend
            .post_as(
                Some(&coordinator),
                RECORD,
                json!({"m": "labinsky", "p": protocol}),
            )
            .await;
        assert_eq!(error_code(&body).0, "VALIDATION", "{body}");
        let fields = common::strings(&body["errors"][0]["extensions"]["violations"], "field");
        for field in [
            "protocol.decisions",
            "protocol.annexes[0].link",
            "protocol.annexes[1].number",
            "protocol.annexes[1].link",
            "protocol.speakers[0].annexes",
        ] {
            assert!(fields.contains(&field.to_owned()), "{field}: {fields:?}");
        }
        // Another district's protocols are out of a coordinator's reach.
        let fine = json!({"title": "Совещание", "decisions": ["Принять к сведению."]});
        let body = backend
            .post_as(
                Some(&coordinator),
                RECORD,
                json!({"m": "yaysky", "p": fine}),
            )
            .await;
        assert_eq!(error_code(&body).0, "FORBIDDEN", "{body}");
        assert_eq!(backend.fingerprint().await, before, "{}", backend.name);

        let body = backend
            .post_as(
                Some(&coordinator),
                RECORD,
                json!({"m": "labinsky", "p": fine}),
            )
            .await;
        assert_eq!(
            body["data"]["recordMeeting"]["decisions"][0]["number"], 1,
            "{body}"
        );
        backend.finish().await;
    }
}
