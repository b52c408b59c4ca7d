//! GraphQL over HTTP as the spec asks: GET and POST, media types from `Accept`, request errors
//! as 400 under application/graphql-response+json, mutations refused over GET, JSON bodies only.
//! The protocol does not depend on the backend, so these run on SQLite only.

use poem::http::StatusCode;
use serde_json::{Value, json};

const GRAPHQL_RESPONSE: &str = "application/graphql-response+json; charset=utf-8";
const JSON: &str = "application/json; charset=utf-8";

use crate::common::sqlite as backend;

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
    assert!(page.contains("GraphiQL.createFetcher"), "{page}");
    // Everything the page loads comes from this server: a closed network has no CDN.
    assert!(
        !page.contains("://") && !page.contains("\"//"),
        "the page names another host: {page}"
    );
    let assets: Vec<&str> = page
        .split(['"', '\''])
        .filter(|piece| piece.starts_with("graphiql/"))
        .collect();
    assert_eq!(assets.len(), 4, "{page}");
    for asset in assets {
        let response = backend.client().get(format!("/{asset}")).send().await;
        response.assert_status_is_ok();
        let media_type = if asset.ends_with(".css") {
            "text/css"
        } else {
            "text/javascript"
        };
        response.assert_header("content-type", format!("{media_type}; charset=utf-8"));
        let body = response.0.into_body().into_bytes().await.unwrap();
        assert!(body.len() > 10_000, "{asset} is {} bytes", body.len());
    }
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

/// A JSON document's keys in the order its text writes them: every object a list of its keys,
/// each with what is under it.
#[derive(Debug, PartialEq)]
enum Keys {
    Object(Vec<(String, Keys)>),
    List(Vec<Keys>),
    Leaf,
}

impl<'de> serde::Deserialize<'de> for Keys {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Visitor;
        impl<'de> serde::de::Visitor<'de> for Visitor {
            type Value = Keys;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("JSON")
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<Keys, A::Error> {
                let mut keys = Vec::new();
                while let Some((key, value)) = map.next_entry::<String, Keys>()? {
                    keys.push((key, value));
                }
                Ok(Keys::Object(keys))
            }
            fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<Keys, A::Error> {
                let mut items = Vec::new();
                while let Some(item) = seq.next_element()? {
                    items.push(item);
                }
                Ok(Keys::List(items))
            }
            fn visit_str<E>(self, _: &str) -> Result<Keys, E> {
                Ok(Keys::Leaf)
            }
            fn visit_i64<E>(self, _: i64) -> Result<Keys, E> {
                Ok(Keys::Leaf)
            }
            fn visit_u64<E>(self, _: u64) -> Result<Keys, E> {
                Ok(Keys::Leaf)
            }
            fn visit_f64<E>(self, _: f64) -> Result<Keys, E> {
                Ok(Keys::Leaf)
            }
            fn visit_bool<E>(self, _: bool) -> Result<Keys, E> {
                Ok(Keys::Leaf)
            }
            fn visit_unit<E>(self) -> Result<Keys, E> {
                Ok(Keys::Leaf)
            }
        }
        deserializer.deserialize_any(Visitor)
    }
}

impl Keys {
    /// The keys of this object, in order.
    fn names(&self) -> Vec<&str> {
        match self {
            Keys::Object(keys) => keys.iter().map(|(k, _)| k.as_str()).collect(),
            other => panic!("not an object: {other:?}"),
        }
    }

    fn get(&self, key: &str) -> &Keys {
        match self {
            Keys::Object(keys) => &keys.iter().find(|(k, _)| k == key).expect(key).1,
            other => panic!("not an object: {other:?}"),
        }
    }

    fn first(&self) -> &Keys {
        match self {
            Keys::List(items) => &items[0],
            other => panic!("not a list: {other:?}"),
        }
    }
}

#[tokio::test]
async fn response_keys_follow_the_order_of_the_query() {
    let backend = backend().await;
    // Fields that need the database (batched) are asked before and after fields that do not,
    // under aliases, in fragments and in lists: the response must still read as the query.
    let query = r#"
        { b: municipalities { schoolCount slug region { name id } name ...M }
          a: regions { name } }
        fragment M on Municipality {
          shortName
          schools(first: 2) { totalCount nodes { curators { person { fullName } } name ... on School { id name } municipality { slug } } }
          z: name
        }"#;
    let response = backend
        .client()
        .post("/graphql")
        .header("accept", "application/graphql-response+json")
        .body_json(&json!({ "query": query }))
        .send()
        .await;
    response.assert_status_is_ok();
    let text = response.0.into_body().into_string().await.unwrap();
    let keys: Keys = serde_json::from_str(&text).unwrap();
    let data = keys.get("data");
    assert_eq!(data.names(), ["b", "a"]);
    let municipality = data.get("b").first();
    assert_eq!(
        municipality.names(),
        [
            "schoolCount",
            "slug",
            "region",
            "name",
            "shortName",
            "schools",
            "z"
        ]
    );
    assert_eq!(municipality.get("region").names(), ["name", "id"]);
    let schools = municipality.get("schools");
    assert_eq!(schools.names(), ["totalCount", "nodes"]);
    assert_eq!(
        schools.get("nodes").first().names(),
        ["curators", "name", "id", "municipality"]
    );
    backend.finish().await;
}

#[tokio::test]
async fn metrics_count_requests_by_operation_and_outcome() {
    let backend = backend().await;
    let client = backend.client();
    for query in [
        "{ regions { name } }",
        "{ municipalities { slug } }",
        "{ nope }",
    ] {
        client
            .post("/graphql")
            .header("accept", "application/graphql-response+json")
            .body_json(&json!({ "query": query }))
            .send()
            .await;
    }
    let response = client.get("/metrics").send().await;
    response.assert_status_is_ok();
    response.assert_header(
        "content-type",
        "application/openmetrics-text; version=1.0.0; charset=utf-8",
    );
    let text = response.0.into_body().into_string().await.unwrap();
    for line in [
        r#"schoolnet_graphql_requests_total{operation="query",outcome="ok"} 2"#,
        r#"schoolnet_graphql_requests_total{operation="query",outcome="refused"} 1"#,
        "schoolnet_graphql_request_duration_seconds_count 3",
        r#"schoolnet_site_exports{status="running"} 0"#,
        "# TYPE schoolnet_sql_statements counter",
        "# TYPE schoolnet_sql_round_trips counter",
        r#"schoolnet_database_connections{state="open"}"#,
    ] {
        assert!(text.contains(line), "{line}\n{text}");
    }
    assert!(text.ends_with("# EOF\n"));
}
