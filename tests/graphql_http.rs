//! GraphQL over HTTP as the spec asks: GET and POST, media types from `Accept`, request errors
//! as 400 under application/graphql-response+json, mutations refused over GET, JSON bodies only.
//! The protocol does not depend on the backend, so these run on SQLite only.

mod common;

use poem::http::StatusCode;
use serde_json::{Value, json};

const GRAPHQL_RESPONSE: &str = "application/graphql-response+json; charset=utf-8";
const JSON: &str = "application/json; charset=utf-8";

use common::sqlite as backend;

#[tokio::test]
async fn queries_over_get_are_executed() {
    let backend = backend().await;
    let response = backend
        .client()
        .get("/graphql")
        .query("query", &"{ municipalities { slug } }")
        .header("accept", "application/graphql-response+json")
        .send()
        .await;
    response.assert_status_is_ok();
    response.assert_header("content-type", GRAPHQL_RESPONSE);
    let body: Value = response.json().await.value().deserialize();
    assert_eq!(body["data"]["municipalities"][0]["slug"], "kotelnikovsky");
}

#[tokio::test]
async fn get_passes_variables_and_operation_name() {
    let backend = backend().await;
    let response = backend
        .client()
        .get("/graphql")
        .query("query", &"query A($s: String!) { municipality(slug: $s) { shortName } } query B { regions { name } }")
        .query("operationName", &"A")
        .query("variables", &r#"{"s":"yaysky"}"#)
        .send()
        .await;
    response.assert_status_is_ok();
    let body: Value = response.json().await.value().deserialize();
    assert_eq!(body["data"]["municipality"]["shortName"], "Яйский");
}

#[tokio::test]
async fn mutations_over_get_are_refused_with_405() {
    let backend = backend().await;
    for (query, operation) in [
        ("mutation { anything }", None),
        (
            "query Q { regions { name } } mutation M { anything }",
            Some("M"),
        ),
    ] {
        let client = backend.client();
        let mut request = client.get("/graphql").query("query", &query);
        if let Some(name) = operation {
            request = request.query("operationName", &name);
        }
        let response = request.send().await;
        response.assert_status(StatusCode::METHOD_NOT_ALLOWED);
        response.assert_header("allow", "POST");
    }
}

#[tokio::test]
async fn response_media_type_follows_accept() {
    let backend = backend().await;
    for (accept, expected) in [
        (None, JSON),
        (Some("application/json"), JSON),
        (Some("application/graphql-response+json"), GRAPHQL_RESPONSE),
        (
            Some("application/json;q=0.5, application/graphql-response+json"),
            GRAPHQL_RESPONSE,
        ),
        (Some("*/*"), JSON),
    ] {
        let client = backend.client();
        let mut request = client
            .post("/graphql")
            .body_json(&json!({ "query": "{ regions { slug } }" }));
        if let Some(accept) = accept {
            request = request.header("accept", accept);
        }
        let response = request.send().await;
        response.assert_status_is_ok();
        response.assert_header("content-type", expected);
    }
    let response = backend
        .client()
        .post("/graphql")
        .header("accept", "text/html")
        .body_json(&json!({ "query": "{ regions { slug } }" }))
        .send()
        .await;
    response.assert_status(StatusCode::NOT_ACCEPTABLE);
}

#[tokio::test]
async fn request_errors_are_400_without_data_under_graphql_response_json() {
    let backend = backend().await;
    for (query, code) in [
        ("{ regions { ", "GRAPHQL_PARSE_FAILED"),
        ("{ regions { population } }", "GRAPHQL_VALIDATION_FAILED"),
        (
            "query($n: Int!) { schools(first: $n) { totalCount } }",
            "GRAPHQL_VALIDATION_FAILED",
        ),
    ] {
        for (accept, status) in [
            ("application/graphql-response+json", StatusCode::BAD_REQUEST),
            ("application/json", StatusCode::OK),
        ] {
            let response = backend
                .client()
                .post("/graphql")
                .header("accept", accept)
                .body_json(&json!({ "query": query }))
                .send()
                .await;
            response.assert_status(status);
            let body: Value = response.json().await.value().deserialize();
            assert!(body.get("data").is_none(), "{query}: {body}");
            assert_eq!(
                body["errors"][0]["extensions"]["code"], code,
                "{query}: {body}"
            );
        }
    }
}

#[tokio::test]
async fn malformed_http_requests_are_refused() {
    let backend = backend().await;
    let no_content_type = backend
        .client()
        .post("/graphql")
        .body(r#"{"query":"{ regions { slug } }"}"#)
        .send()
        .await;
    no_content_type.assert_status(StatusCode::UNSUPPORTED_MEDIA_TYPE);

    for body in ["{not json", r#"{"variables":{}}"#, r#"{"query":42}"#, "[]"] {
        let response = backend
            .client()
            .post("/graphql")
            .content_type("application/json")
            .body(body)
            .send()
            .await;
        response.assert_status(StatusCode::BAD_REQUEST);
    }

    let no_query = backend.client().get("/graphql").send().await;
    no_query.assert_status(StatusCode::BAD_REQUEST);

    let bad_variables = backend
        .client()
        .get("/graphql")
        .query("query", &"{ regions { slug } }")
        .query("variables", &"[1,2]")
        .send()
        .await;
    bad_variables.assert_status(StatusCode::BAD_REQUEST);

    let put = backend.client().put("/graphql").send().await;
    put.assert_status(StatusCode::METHOD_NOT_ALLOWED);
}

#[tokio::test]
async fn health_and_graphiql_are_served() {
    let backend = backend().await;
    let health = backend.client().get("/health").send().await;
    health.assert_status_is_ok();
    health.assert_text("ok").await;
    let graphiql = backend.client().get("/").send().await;
    graphiql.assert_status_is_ok();
    let page = graphiql.0.into_body().into_string().await.unwrap();
    assert!(
        page.contains("graphiql") && page.contains("/graphql"),
        "{page}"
    );
}

#[tokio::test]
async fn every_type_field_argument_and_enum_value_is_described() {
    let backend = backend().await;
    let data = backend
        .data(
            "{ __schema { types { name description
                 fields { name description args { name description } }
                 inputFields { name description }
                 enumValues { name description } } } }",
            json!({}),
        )
        .await;
    let described = |v: &Value| {
        v["description"]
            .as_str()
            .is_some_and(|d| !d.trim().is_empty())
    };
    let mut undocumented = Vec::new();
    for ty in data["__schema"]["types"].as_array().unwrap() {
        let name = ty["name"].as_str().unwrap();
        if name.starts_with("__") || ["String", "Int", "Float", "Boolean", "ID"].contains(&name) {
            continue;
        }
        if !described(ty) {
            undocumented.push(name.to_owned());
        }
        for list in ["fields", "inputFields", "enumValues"] {
            for member in ty[list].as_array().into_iter().flatten() {
                if !described(member) {
                    undocumented.push(format!("{name}.{}", member["name"]));
                }
                for arg in member["args"].as_array().into_iter().flatten() {
                    if !described(arg) {
                        undocumented.push(format!("{name}.{}({})", member["name"], arg["name"]));
                    }
                }
            }
        }
    }
    assert!(undocumented.is_empty(), "undocumented: {undocumented:?}");
}

#[tokio::test]
async fn multipart_requests_run_as_the_graphql_multipart_request_spec_describes() {
    let backend = backend().await;
    let boundary = "schoolnet-test-boundary";
    let part = |name: &str, content: &str| {
        format!(
            "--{boundary}\r\ncontent-disposition: form-data; name=\"{name}\"\r\n\r\n{content}\r\n"
        )
    };
    let body = format!(
        "{}{}{}--{boundary}--\r\n",
        part(
            "operations",
            r#"{"query":"query($m: String!) { municipality(slug: $m) { name } }","variables":{"m":"yaysky"}}"#
        ),
        part("map", "{}"),
        "",
    );
    let response = backend
        .client()
        .post("/graphql")
        .header(
            "content-type",
            format!("multipart/form-data; boundary={boundary}"),
        )
        .header("accept", "application/graphql-response+json")
        .body(body)
        .send()
        .await;
    response.assert_status_is_ok();
    let body: Value = response.json().await.value().deserialize();
    assert_eq!(
        body["data"]["municipality"]["name"], "Яйский муниципальный округ",
        "{body:#}"
    );

    let response = backend
        .client()
        .post("/graphql")
        .header("content-type", format!("multipart/form-data; boundary={boundary}"))
        .body(format!("--{boundary}\r\ncontent-disposition: form-data; name=\"map\"\r\n\r\n{{}}\r\n--{boundary}--\r\n"))
        .send()
        .await;
    response.assert_status(StatusCode::BAD_REQUEST);
    backend.finish().await;
}
