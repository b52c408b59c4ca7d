//! The public endpoint against hostile requests: every limit lets the README's queries and
//! GraphiQL's introspection through, refuses a request that breaks it with `LIMIT_EXCEEDED`
//! naming the limit, before anything runs, and the server keeps serving. The limits do not
//! depend on the backend, so these run on SQLite only.

use std::time::{Duration, Instant};

use poem::http::StatusCode;
use schoolnet::graphql::limits::Limits;
use schoolnet::server::ServerOptions;
use serde_json::{Value, json};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

use crate::common::{self, sqlite as backend};

/// Posts to an app and returns the status and body.
async fn post(
    client: &poem::test::TestClient<poem::endpoint::BoxEndpoint<'static>>,
    query: &str,
    variables: Value,
) -> (StatusCode, Value) {
    let response = client
        .post("/graphql")
        .header("accept", "application/graphql-response+json")
        .body_json(&json!({ "query": query, "variables": variables }))
        .send()
        .await;
    let status = response.0.status();
    let body = response.json().await.value().deserialize();
    (status, body)
}

/// The first error's `extensions`.
fn extensions(body: &Value) -> &Value {
    &body["errors"][0]["extensions"]
}

/// Asserts a 400 refusal by `limit`, and that a small query still works afterwards.
async fn assert_refused_by(backend: &common::Backend, query: &str, variables: Value, limit: &str) {
    let (status, body) = post(backend.client(), query, variables).await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{limit}: {body:#}");
    assert_eq!(extensions(&body)["code"], "LIMIT_EXCEEDED", "{body:#}");
    assert_eq!(extensions(&body)["limit"], limit, "{body:#}");
    assert!(body.get("data").is_none(), "nothing ran: {body:#}");
    let still = backend.data("{ regions { slug } }", json!({})).await;
    assert!(!still["regions"].as_array().unwrap().is_empty());
}

/// The ```graphql blocks of the README, which every default must let through.
fn readme_queries() -> Vec<String> {
    let readme = include_str!("../../README.md");
    readme
        .split("```graphql")
        .skip(1)
        .map(|block| block.split("```").next().unwrap().to_owned())
        .collect()
}

/// The introspection query GraphiQL sends (graphql-js `getIntrospectionQuery`).
const INTROSPECTION: &str = r#"
query IntrospectionQuery {
  __schema {
    queryType { name } mutationType { name } subscriptionType { name }
    types { ...FullType }
    directives { name description locations args { ...InputValue } }
  }
}
fragment FullType on __Type {
  kind name description
  fields(includeDeprecated: true) {
    name description args { ...InputValue } type { ...TypeRef } isDeprecated deprecationReason
  }
  inputFields { ...InputValue }
  interfaces { ...TypeRef }
  enumValues(includeDeprecated: true) { name description isDeprecated deprecationReason }
  possibleTypes { ...TypeRef }
}
fragment InputValue on __InputValue { name description type { ...TypeRef } defaultValue }
fragment TypeRef on __Type {
  kind name ofType { kind name ofType { kind name ofType { kind name ofType { kind name
    ofType { kind name ofType { kind name ofType { kind name ofType { kind name } } } } } } } }
}"#;

#[tokio::test]
async fn the_readme_queries_and_introspection_pass_every_default() {
    let backend = backend().await;
    let queries = readme_queries();
    assert!(queries.len() >= 4, "the README has its example queries");
    for query in queries.iter().map(String::as_str).chain([INTROSPECTION]) {
        let (status, body) = post(backend.client(), query, json!({})).await;
        assert_eq!(status, StatusCode::OK, "{query}: {body:#}");
        assert!(body.get("errors").is_none(), "{query}: {body:#}");
    }
    backend.finish().await;
}

#[tokio::test]
async fn values_nested_ten_times_too_deep_are_refused_before_parsing() {
    let backend = backend().await;
    let depth = Limits::default().max_nesting * 10;
    let list = format!(
        "{{ schools(filter: {{ nameContains: {}\"a\"{} }}) {{ totalCount }} }}",
        "[".repeat(depth),
        "]".repeat(depth)
    );
    let object = format!(
        "{{ schools(filter: {}{}) {{ totalCount }} }}",
        "{ a: ".repeat(depth),
        "}".repeat(depth)
    );
    let selections = format!("{}{}", "{ regions ".repeat(depth), "}".repeat(depth));
    for query in [&list, &object, &selections] {
        assert_refused_by(&backend, query, json!({}), "nesting").await;
    }
    // The same by GET.
    let url = format!(
        "/graphql?query={}",
        list.replace('{', "%7B")
            .replace('}', "%7D")
            .replace('[', "%5B")
            .replace(']', "%5D")
            .replace(' ', "%20")
            .replace('"', "%22")
    );
    let response = backend
        .client()
        .get(url)
        .header("accept", "application/graphql-response+json")
        .send()
        .await;
    response.assert_status(StatusCode::BAD_REQUEST);
    // Variables nested as deep are refused too.
    let mut deep = json!("a");
    for _ in 0..depth.min(120) {
        deep = json!([deep]);
    }
    let (status, _) = post(
        backend.client(),
        "query($f: SchoolFilter) { schools(filter: $f) { totalCount } }",
        json!({ "f": { "nameContains": deep } }),
    )
    .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    backend.finish().await;
}

#[tokio::test]
async fn fragment_chains_are_checked_in_linear_time_and_refused() {
    let backend = backend().await;
    // Each fragment spreads the next twice: 2^40 fields once expanded, a few hundred bytes.
    let mut query = String::from("{ ...F0 }\n");
    for i in 0..40 {
        query.push_str(&format!(
            "fragment F{i} on Query {{ ...F{} ...F{} }}\n",
            i + 1,
            i + 1
        ));
    }
    query.push_str("fragment F40 on Query { regions { slug } }\n");
    let started = Instant::now();
    assert_refused_by(&backend, &query, json!({}), "recursion").await;
    eprintln!("fragment chain refused in {:?}", started.elapsed());

    // A shallow but wide fan-out: 2^12 fields after expansion, within the recursion limit.
    let mut wide = String::from("{ ...W0 }\n");
    for i in 0..12 {
        wide.push_str(&format!(
            "fragment W{i} on Query {{ ...W{} ...W{} }}\n",
            i + 1,
            i + 1
        ));
    }
    wide.push_str("fragment W12 on Query { __typename }\n");
    assert_refused_by(&backend, &wide, json!({}), "fields").await;

    let cycle = "{ ...A } fragment A on Query { ...B } fragment B on Query { ...A }";
    let (status, body) = post(backend.client(), cycle, json!({})).await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{body:#}");
    assert_eq!(extensions(&body)["code"], "GRAPHQL_VALIDATION_FAILED");
    backend.finish().await;
}

#[tokio::test]
async fn fan_outs_are_refused_by_their_cost_before_they_run() {
    let backend = backend().await;
    let fan_out = "{ municipalities { schools(first: 100) { nodes { municipality {
        schools(first: 100) { nodes { municipality { schools(first: 100) { nodes { name } } } } } } } } } }";
    assert_refused_by(&backend, fan_out, json!({}), "cost").await;
    // The page size given by a variable counts as much as a literal one.
    let by_variable = "query($n: Int) { municipalities { schools(first: $n) { nodes { municipality {
        schools(first: $n) { nodes { municipality { schools(first: $n) { nodes { name } } } } } } } } } }";
    assert_refused_by(&backend, by_variable, json!({ "n": 100 }), "cost").await;

    let aliases: String = (0..200)
        .map(|i| format!("a{i}: regions {{ slug }} "))
        .collect();
    assert_refused_by(&backend, &format!("{{ {aliases} }}"), json!({}), "aliases").await;

    let directives = "{ regions @include(if: true) @include(if: true) @include(if: true) @include(if: true) @include(if: true) { slug } }";
    assert_refused_by(&backend, directives, json!({}), "directives").await;
    backend.finish().await;
}

#[tokio::test]
async fn responses_and_run_times_over_their_limits_stop_with_a_code() {
    let backend = backend().await;
    let small_responses = backend.client_with(&ServerOptions {
        limits: Limits {
            max_response_bytes: 1_000,
            ..Limits::default()
        },
        ..ServerOptions::default()
    });
    let (status, body) = post(
        &small_responses,
        "{ schools(first: 100) { nodes { fullName aliases } } }",
        json!({}),
    )
    .await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{body:#}");
    assert_eq!(extensions(&body)["limit"], "responseBytes");

    // No time at all: a query that reads the database cannot finish.
    let no_time = backend.client_with(&ServerOptions {
        limits: Limits {
            timeout: Duration::ZERO,
            ..Limits::default()
        },
        ..ServerOptions::default()
    });
    let (status, body) = post(&no_time, "{ schools { totalCount } }", json!({})).await;
    assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE, "{body:#}");
    assert_eq!(extensions(&body)["code"], "TIMEOUT");
    backend.finish().await;
}

#[tokio::test]
async fn every_error_a_client_can_cause_has_a_code() {
    let backend = backend().await;
    let cases = [
        (
            r#"{ schools(filter: { nameContains: "a\u0000b" }) { totalCount } }"#,
            json!({}),
            "BAD_USER_INPUT",
        ),
        (
            r#"{ municipality(slug: "\u0000") { name } }"#,
            json!({}),
            "BAD_USER_INPUT",
        ),
        (
            "query($s: String!) { municipality(slug: $s) { name } }",
            json!({ "s": "labinsky\u{0}" }),
            "BAD_USER_INPUT",
        ),
        (
            "mutation($n: String!) { createRegion(slug: \"x\", name: $n) { id } }",
            json!({ "n": "Томская\u{0}область" }),
            "BAD_USER_INPUT",
        ),
        (
            "query($f: SchoolFilter) { schools(filter: $f) { totalCount } }",
            json!({ "f": { "nameContains": "ш".repeat(50_000) } }),
            "BAD_USER_INPUT",
        ),
        (
            "query($n: Int) { schools(first: $n) { totalCount } }",
            json!({ "n": 1u64 << 40 }),
            "BAD_USER_INPUT",
        ),
        (
            r#"{ schools(first: 99999999999) { totalCount } }"#,
            json!({}),
            "BAD_USER_INPUT",
        ),
        (
            r#"mutation { excludeFromProgramme(id: "x", version: 1, excludedOn: "0000", justification: "j") { id } }"#,
            json!({}),
            "BAD_USER_INPUT",
        ),
        (
            "mutation($d: PartialDate!) { excludeFromProgramme(id: \"x\", version: 1, excludedOn: $d, justification: \"j\") { id } }",
            json!({ "d": "2021-13" }),
            "BAD_USER_INPUT",
        ),
    ];
    for (query, variables, code) in cases {
        let (_, body) = post(backend.client(), query, variables).await;
        assert_eq!(extensions(&body)["code"], code, "{query}: {body:#}");
    }
    backend.finish().await;
}

#[tokio::test]
async fn a_body_with_a_key_given_twice_is_refused() {
    let backend = backend().await;
    let response = backend
        .client()
        .post("/graphql")
        .header("content-type", "application/json")
        .header("accept", "application/graphql-response+json")
        .body(r#"{"query":"{ regions { slug } }","query":"mutation { deleteSchool(id: \"x\", version: 1) { name } }"}"#)
        .send()
        .await;
    response.assert_status(StatusCode::BAD_REQUEST);
    let body: Value = response.json().await.value().deserialize();
    let message = body["errors"][0]["message"].as_str().unwrap();
    assert!(message.contains("given twice"), "{message}");
    backend.finish().await;
}

/// A query sent by a web page of `origin`.
async fn from_origin(
    client: &poem::test::TestClient<poem::endpoint::BoxEndpoint<'static>>,
    origin: &str,
) -> poem::test::TestResponse {
    client
        .get("/graphql?query=%7Bregions%7Bslug%7D%7D")
        .header("origin", origin)
        .send()
        .await
}

#[tokio::test]
async fn cors_graphiql_and_introspection_follow_the_options() {
    let backend = backend().await;
    let response = from_origin(backend.client(), "https://evil.example").await;
    assert!(
        response
            .0
            .headers()
            .get("access-control-allow-origin")
            .is_none(),
        "no CORS by default"
    );

    let allowed = backend.client_with(&ServerOptions {
        cors_origins: vec!["https://edu.example.ru".into()],
        ..ServerOptions::default()
    });
    let response = from_origin(&allowed, "https://evil.example").await;
    assert!(
        response
            .0
            .headers()
            .get("access-control-allow-origin")
            .is_none()
    );
    let response = from_origin(&allowed, "https://edu.example.ru").await;
    assert_eq!(
        response.0.headers()["access-control-allow-origin"],
        "https://edu.example.ru"
    );

    let closed = backend.client_with(&ServerOptions {
        graphiql: false,
        introspection: false,
        ..ServerOptions::default()
    });
    closed
        .get("/")
        .send()
        .await
        .assert_status(StatusCode::NOT_FOUND);
    let (_, body) = post(&closed, "{ __schema { types { name } } }", json!({})).await;
    assert_eq!(
        body["data"]["__schema"],
        Value::Null,
        "introspection is off: {body:#}"
    );
    let (_, body) = post(&closed, "{ regions { slug } }", json!({})).await;
    assert!(body.get("errors").is_none(), "{body:#}");
    backend.finish().await;
}

/// A GET /health over a fresh connection; true when it answered 200.
async fn healthy(addr: std::net::SocketAddr) -> bool {
    let Ok(mut stream) = tokio::net::TcpStream::connect(addr).await else {
        return false;
    };
    let request = "GET /health HTTP/1.1\r\nhost: test\r\nconnection: close\r\n\r\n";
    if stream.write_all(request.as_bytes()).await.is_err() {
        return false;
    }
    let mut answer = String::new();
    let _ = stream.read_to_string(&mut answer).await;
    answer.starts_with("HTTP/1.1 200")
}

#[tokio::test]
async fn idle_and_slow_connections_cannot_lock_others_out() {
    let backend = backend().await;
    let (addr, _stop) = backend
        .spawn_server(ServerOptions {
            max_connections: 8,
            header_timeout: Duration::from_millis(300),
            ..ServerOptions::default()
        })
        .await;
    assert!(healthy(addr).await);

    // Twice as many idle sockets as the server takes, and one trickling a header.
    let mut idle = Vec::new();
    for _ in 0..16 {
        idle.push(tokio::net::TcpStream::connect(addr).await.unwrap());
    }
    let mut slow = tokio::net::TcpStream::connect(addr).await.unwrap();
    slow.write_all(b"GET /health HTTP/1.1\r\nx-slow: ")
        .await
        .unwrap();

    // The server cuts them off when their heads do not arrive in time, and serves again.
    let mut served = false;
    for _ in 0..600 {
        if healthy(addr).await {
            served = true;
            break;
        }
    }
    assert!(served, "a well-behaved client was locked out");
    let mut rest = Vec::new();
    let closed = tokio::time::timeout(Duration::from_secs(60), slow.read_to_end(&mut rest)).await;
    assert!(
        matches!(closed, Ok(Ok(_)) | Ok(Err(_))),
        "the trickling connection was closed"
    );
    drop(idle);
    backend.finish().await;
}

#[tokio::test]
async fn a_heavy_request_does_not_stall_small_ones() {
    let backend = backend().await;
    common::add_schools(&backend.db, 200).await;
    let (addr, _stop) = backend.spawn_server(ServerOptions::default()).await;
    let url = format!("http://{addr}/graphql");
    let client = reqwest::Client::new();
    // Just under the default cost limit.
    let heavy_query = "{ municipalities { schools(first: 100) { nodes { name fullName aliases
        municipality { name schools(first: 4) { nodes { name fullName kind } } } } } } }";
    let heavy = {
        let (client, url) = (client.clone(), url.clone());
        tokio::spawn(async move {
            let started = Instant::now();
            let response = client
                .post(&url)
                .json(&json!({ "query": heavy_query }))
                .send()
                .await
                .unwrap();
            let body: Value = response.json().await.unwrap();
            (started.elapsed(), body)
        })
    };
    let mut small = Vec::new();
    while !heavy.is_finished() {
        let started = Instant::now();
        let body: Value = client
            .post(&url)
            .json(&json!({ "query": "{ regions { slug } }" }))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        assert!(body.get("errors").is_none(), "{body:#}");
        small.push(started.elapsed());
    }
    let (heavy_took, body) = heavy.await.unwrap();
    assert!(
        body.get("errors").is_none(),
        "the heavy query is within the limits: {body}"
    );
    small.sort();
    eprintln!(
        "heavy request {heavy_took:?}; {} small requests meanwhile, median {:?}, max {:?}",
        small.len(),
        small.get(small.len() / 2),
        small.last()
    );
    assert!(
        !small.is_empty(),
        "small requests were answered while the heavy one ran"
    );
    backend.finish().await;
}
