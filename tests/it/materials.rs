//! The methodological bank over GraphQL/HTTP and on the exported site, on SQLite and
//! PostgreSQL: seed entries are there, a text with HTML or a script link and a file of an
//! unknown type or over the limit are refused whole, and an accepted file is published with its
//! material, whose page renders the Markdown.

use crate::common::{self, backends, error_code};
use base64::Engine;
use schoolnet::auth::Role;
use schoolnet::site::{ExportOptions, export};
use serde_json::json;

const RECORD: &str = r#"mutation($m: String!, $i: MaterialInput!) {
    recordMaterial(municipality: $m, material: $i) {
        id version kind tags bodyHtml file { fileName mediaType size } } }"#;

fn b64(bytes: &[u8]) -> String {
    base64::engine::general_purpose::STANDARD.encode(bytes)
}

#[tokio::test]
async fn the_bank_takes_safe_texts_and_known_files_only() {
    for backend in backends().await {
        let data = backend
            .data(
                r#"{ instruments: materials(kind: MONITORING_INSTRUMENT) { title }
                     practice: materials(tag: "500+") { title programme municipality { slug } } }"#,
                json!({}),
            )
            .await;
        assert_eq!(
            data["instruments"].as_array().unwrap().len(),
            3,
            "{}",
            backend.name
        );
        assert_eq!(data["practice"][0]["municipality"]["slug"], "labinsky");

        let coordinator = backend
            .token(Role::Coordinator, Some("kotelnikovsky"), None)
            .await;
        let before = backend.fingerprint().await;
        let bad = json!({"kind": "FAQ", "title": "Вопрос",
                         "body": "Ответ <script>alert(1)</script>",
                         "attachment": {"fileName": "setup.exe", "contentBase64": b64(b"MZ\x90\x00")}});
        let body = backend
            .post_as(
                Some(&coordinator),
                RECORD,
                json!({"m": "kotelnikovsky", "i": bad}),
            )
            .await;
        assert_eq!(error_code(&body).0, "VALIDATION", "{body}");
        let fields = common::strings(&body["errors"][0]["extensions"]["violations"], "field");
        assert_eq!(fields, ["material.body", "material.attachment"], "{body}");
        for (name, bytes) in [
            (
                "big.pdf",
                [b"%PDF-".as_slice(), &vec![b' '; 600 * 1024]].concat(),
            ),
            ("fake.pdf", b"<html><script>".to_vec()),
        ] {
            let file = json!({"kind": "METHODOLOGICAL", "title": "Файл", "body": "Текст",
                              "attachment": {"fileName": name, "contentBase64": b64(&bytes)}});
            let body = backend
                .post_as(
                    Some(&coordinator),
                    RECORD,
                    json!({"m": "kotelnikovsky", "i": file}),
                )
                .await;
            assert!(
                matches!(
                    error_code(&body).0.as_str(),
                    "VALIDATION" | "BAD_REQUEST" | "PAYLOAD_TOO_LARGE"
                ),
                "{name}: {body}"
            );
        }
        let link =
            json!({"kind": "FAQ", "title": "Вопрос", "body": "[ответ](javascript:alert(1))"});
        let body = backend
            .post_as(
                Some(&coordinator),
                RECORD,
                json!({"m": "kotelnikovsky", "i": link}),
            )
            .await;
        assert_eq!(
            error_code(&body),
            ("VALIDATION".into(), "material.body".into()),
            "{body}"
        );
        let elsewhere = json!({"kind": "FAQ", "title": "Вопрос", "body": "Ответ"});
        let body = backend
            .post_as(
                Some(&coordinator),
                RECORD,
                json!({"m": "labinsky", "i": elsewhere}),
            )
            .await;
        assert_eq!(error_code(&body).0, "FORBIDDEN", "{body}");
        assert_eq!(backend.fingerprint().await, before, "{}", backend.name);

        // A good entry with a PDF is published on its page, with the file beside it.
        let good = json!({"kind": "FAQ", "title": "Как часто куратор посещает школу?",
                          "tags": ["кураторство"],
                          "body": "Не реже **1 раза в неделю**, пока формируется дорожная карта; & <не HTML",
                          "attachment": {"fileName": "Памятка куратору.pdf", "contentBase64": b64(b"%PDF-1.4 test")}});
        let body = backend
            .post_as(
                Some(&coordinator),
                RECORD,
                json!({"m": "kotelnikovsky", "i": good}),
            )
            .await;
        let material = &body["data"]["recordMaterial"];
        assert_eq!(material["file"]["mediaType"], "application/pdf", "{body}");
        assert!(
            material["bodyHtml"]
                .as_str()
                .unwrap()
                .contains("<strong>1 раза в неделю</strong>")
        );
        let number = common::row_number(material["id"].as_str().unwrap());
        let dir = tempfile::tempdir().unwrap();
        let options = ExportOptions {
            out: dir.path().join("site"),
            ..Default::default()
        };
        export(&backend.db, &options, &|_, _| {})
            .await
            .expect("export");
        let site = dir.path().join("site");
        let page =
            std::fs::read_to_string(site.join(format!("bank/material-{number}.html"))).unwrap();
        assert!(page.contains("&lt;не HTML"), "escaped: {}", backend.name);
        assert!(page.contains("Памятка куратору.pdf"));
        let file = std::fs::read(site.join(format!("bank/files/material-{number}.pdf"))).unwrap();
        assert_eq!(file, b"%PDF-1.4 test");
        let faq = std::fs::read_to_string(site.join("bank/faq.html")).unwrap();
        assert!(faq.contains("Как часто куратор посещает школу?"));
        assert!(site.join("bank/tag-kuratorstvo.html").exists());
        backend.finish().await;
    }
}
