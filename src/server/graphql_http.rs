//! GraphQL over HTTP, as the GraphQL-over-HTTP specification asks: GET and POST, the response
//! media type negotiated from `Accept`, request errors as 400 under
//! `application/graphql-response+json`, mutations refused over GET (405), JSON bodies only (415).
//! async-graphql-poem's endpoint does none of these, hence this module.
//!
//! Every request also passes the limits of `graphql::limits` before it runs, is parsed once,
//! runs under a time limit; any `INTERNAL_SERVER_ERROR` in the response carries the request id
//! (`request_log`), as do the server's log lines.

use std::sync::Arc;

use async_graphql::parser::types::{
    DocumentOperations, ExecutableDocument, OperationDefinition, OperationType,
};
use async_graphql::{ErrorExtensionValues, ServerError, Variables};
use poem::http::{Method, StatusCode, header};
use poem::web::Data;
use poem::{Body, Endpoint, Request, Response, handler};
use serde_json::Value;

use super::field_order::follow_query_order;
use super::metrics::OperationKind;
use super::request_log::RequestId;

use super::AppState;
use super::media::{ResponseMedia, is_json, is_multipart};
use super::strict_json;
use crate::changes::Notices;
use crate::graphql::batch::{Batcher, Memory};
use crate::graphql::limits::{self, Analysis};

/// Larger request bodies are refused (413): no sensible query comes near it.
const MAX_BODY: usize = 1 << 20;

/// The `/graphql` endpoint.
pub fn endpoint() -> impl Endpoint {
    graphql
}

/// Serialises `body` straight from the response, which keeps the field order of the query.
fn reply(status: StatusCode, media: ResponseMedia, body: &impl serde::Serialize) -> Response {
    match serde_json::to_string(body) {
        Ok(text) => Response::builder()
            .status(status)
            .content_type(media.content_type())
            .body(text),
        Err(error) => {
            tracing::error!(%error, "cannot serialise a GraphQL response");
            Response::builder()
                .status(StatusCode::INTERNAL_SERVER_ERROR)
                .finish()
        }
    }
}

/// An HTTP request that is not a well-formed GraphQL request: its 4xx status under either media
/// type, in the GraphQL response shape, with the status name as `extensions.code`.
fn malformed(media: ResponseMedia, status: StatusCode, message: &str) -> Response {
    let code = status
        .canonical_reason()
        .unwrap_or("BAD_REQUEST")
        .to_ascii_uppercase()
        .replace(' ', "_");
    let body =
        serde_json::json!({ "errors": [{ "message": message, "extensions": { "code": code } }] });
    reply(status, media, &body)
}

/// A GraphQL request error (nothing executed): no `data`; 400 under graphql-response+json, 200
/// under legacy application/json, as the spec asks.
fn rejected(media: ResponseMedia, errors: Vec<ServerError>, code: &str) -> Response {
    let errors: Vec<ServerError> = errors.into_iter().map(|e| with_code(e, code)).collect();
    let status = match media {
        ResponseMedia::GraphqlResponseJson => StatusCode::BAD_REQUEST,
        ResponseMedia::Json => StatusCode::OK,
    };
    reply(status, media, &serde_json::json!({ "errors": errors }))
}

/// Reads the GraphQL parameters of a GET (query string) or POST (JSON body) request.
async fn read_request(
    req: &Request,
    body: Body,
    max_nesting: usize,
) -> Result<async_graphql::Request, (StatusCode, String)> {
    let bad = |message: String| (StatusCode::BAD_REQUEST, message);
    if req.method() == Method::GET {
        let params: Vec<(String, String)> =
            serde_urlencoded::from_str(req.uri().query().unwrap_or_default())
                .map_err(|e| bad(format!("malformed query string: {e}")))?;
        let param = |name: &str| {
            params
                .iter()
                .find(|(k, _)| k == name)
                .map(|(_, v)| v.as_str())
        };
        let query = param("query").ok_or_else(|| bad("the `query` parameter is missing".into()))?;
        let mut request = async_graphql::Request::new(query);
        if let Some(name) = param("operationName") {
            request = request.operation_name(name);
        }
        if let Some(variables) = param("variables") {
            let value: Value = strict_json::from_str(variables)
                .map_err(|e| bad(format!("`variables` is not JSON: {e}")))?;
            if !value.is_object() {
                return Err(bad("`variables` must be a JSON object".into()));
            }
            limits::check_variables_nesting(&value, max_nesting).map_err(|e| bad(e.message))?;
            request = request.variables(Variables::from_json(value));
        }
        return Ok(request);
    }
    if is_multipart(req.header(header::CONTENT_TYPE)) {
        let request = read_multipart(req, body).await?;
        let variables = serde_json::to_value(&request.variables).unwrap_or_default();
        limits::check_variables_nesting(&variables, max_nesting).map_err(|e| bad(e.message))?;
        return Ok(request);
    }
    if !is_json(req.header(header::CONTENT_TYPE)) {
        return Err((
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "send the request as `Content-Type: application/json`, or `multipart/form-data` with files"
                .into(),
        ));
    }
    let bytes = body.into_bytes_limit(MAX_BODY).await.map_err(|_| {
        (
            StatusCode::PAYLOAD_TOO_LARGE,
            format!("the request body is over {MAX_BODY} bytes"),
        )
    })?;
    let value: Value =
        strict_json::from_slice(&bytes).map_err(|e| bad(format!("the body is not JSON: {e}")))?;
    if !value.get("query").is_some_and(Value::is_string) {
        return Err(bad(
            "the body must be a JSON object with a string `query`".into()
        ));
    }
    if let Some(variables) = value.get("variables") {
        limits::check_variables_nesting(variables, max_nesting).map_err(|e| bad(e.message))?;
    }
    serde_json::from_value(value).map_err(|e| bad(format!("malformed GraphQL request: {e}")))
}

/// Larger multipart requests (a spreadsheet to import, with the query) are refused (413).
const MAX_MULTIPART: u64 = 32 << 20;

/// Files one multipart request may carry.
const MAX_FILES: usize = 8;

/// Reads a request of the GraphQL multipart request spec: `operations` (the JSON request),
/// `map` (which file is which variable) and the files, within the size and count limits.
async fn read_multipart(
    req: &Request,
    body: Body,
) -> Result<async_graphql::Request, (StatusCode, String)> {
    use tokio::io::AsyncReadExt;
    use tokio_util::compat::TokioAsyncReadCompatExt;
    // One byte over the limit tells a body that is too large from one that fits exactly.
    let mut limited = body.into_async_read().take(MAX_MULTIPART + 1);
    let mut bytes = Vec::new();
    limited.read_to_end(&mut bytes).await.map_err(|e| {
        (
            StatusCode::BAD_REQUEST,
            format!("cannot read the body: {e}"),
        )
    })?;
    if bytes.len() as u64 > MAX_MULTIPART {
        return Err((
            StatusCode::PAYLOAD_TOO_LARGE,
            format!("the request body is over {MAX_MULTIPART} bytes"),
        ));
    }
    let options = async_graphql::http::MultipartOptions::default()
        .max_file_size(MAX_MULTIPART as usize)
        .max_num_files(MAX_FILES);
    async_graphql::http::receive_body(
        req.header(header::CONTENT_TYPE),
        std::io::Cursor::new(bytes).compat(),
        options,
    )
    .await
    .map_err(|e| {
        (
            StatusCode::BAD_REQUEST,
            format!("malformed multipart request: {e}"),
        )
    })
}

/// The operation that would run (none when the name matches nothing; the executor says so).
fn selected_operation<'a>(
    document: &'a ExecutableDocument,
    name: Option<&str>,
) -> Option<&'a OperationDefinition> {
    match (&document.operations, name) {
        (DocumentOperations::Single(op), _) => Some(&op.node),
        (DocumentOperations::Multiple(ops), Some(name)) => ops.get(name).map(|op| &op.node),
        (DocumentOperations::Multiple(_), None) => None,
    }
}

/// Required variables (non-null, no default) that the request does not give. async-graphql
/// reports these only when a field uses them; the spec makes them a request error.
fn missing_variables(operation: &OperationDefinition, variables: &Variables) -> Vec<ServerError> {
    operation
        .variable_definitions
        .iter()
        .filter(|v| !v.node.var_type.node.nullable && v.node.default_value.is_none())
        .filter(|v| !variables.contains_key(&v.node.name.node))
        .map(|v| {
            ServerError::new(
                format!(
                    "the variable ${} of type {} is required but was not given",
                    v.node.name.node, v.node.var_type.node
                ),
                Some(v.pos),
            )
        })
        .collect()
}

/// Adds `extensions.code` to errors that have none.
fn with_code(mut error: ServerError, code: &str) -> ServerError {
    let extensions = error
        .extensions
        .get_or_insert_with(ErrorExtensionValues::default);
    if extensions.get("code").is_none() {
        extensions.set("code", code);
    }
    error
}

/// Codes the errors of an executed request: an error without a code was raised by async-graphql
/// while reading an argument (a malformed `PartialDate`, an `Int` out of range), so the client
/// caused it; faults of the server carry `INTERNAL_SERVER_ERROR` from `graphql::error::internal`
/// and get the request id, which the log line of the fault also carries.
fn code_errors(errors: &mut [ServerError], request_id: &str) {
    for error in errors {
        let extensions = error
            .extensions
            .get_or_insert_with(ErrorExtensionValues::default);
        match extensions.get("code") {
            None => extensions.set("code", "BAD_USER_INPUT"),
            Some(async_graphql::Value::String(code)) if code == "INTERNAL_SERVER_ERROR" => {
                extensions.set("requestId", request_id);
            }
            Some(_) => {}
        }
    }
}

#[handler]
async fn graphql(req: &Request, body: Body, Data(state): Data<&AppState>) -> Response {
    let request_id = req
        .extensions()
        .get::<RequestId>()
        .map_or_else(String::new, |id| id.0.clone());
    let mut kind = None;
    let mut response = respond(req, body, state, &request_id, &mut kind).await;
    // For the request log and `/metrics`: the kind of operation, wherever the request ended.
    response.extensions_mut().insert(kind);
    response
}

/// The documents of the queries this server answered lately, by their text: a reader's pages
/// send the same few queries again and again, and parsing one took about 6 % of the server's
/// time on a school's page. Only documents that parsed are kept; a client sending new texts
/// only pushes older ones out (the cache holds at most `PARSED_QUERIES` of at most
/// `LONGEST_CACHED_QUERY` bytes each).
pub struct ParsedQueries(quick_cache::sync::Cache<String, Arc<ExecutableDocument>>);

/// How many parsed queries a server keeps.
const PARSED_QUERIES: usize = 1024;
/// Longer query texts are parsed every time (a page's queries are a few hundred bytes).
const LONGEST_CACHED_QUERY: usize = 16 * 1024;

impl Default for ParsedQueries {
    fn default() -> Self {
        ParsedQueries(quick_cache::sync::Cache::new(PARSED_QUERIES))
    }
}

impl ParsedQueries {
    /// The document of `query`, parsed now or taken from the cache.
    fn parse(&self, query: &str) -> async_graphql::parser::Result<Arc<ExecutableDocument>> {
        if let Some(document) = self.0.get(query) {
            return Ok(document);
        }
        let document = Arc::new(async_graphql::parser::parse_query(query)?);
        if query.len() <= LONGEST_CACHED_QUERY {
            self.0.insert(query.to_owned(), document.clone());
        }
        Ok(document)
    }
}

/// Answers the request; `kind` learns the operation's kind as soon as the document is parsed.
async fn respond(
    req: &Request,
    body: Body,
    state: &AppState,
    request_id: &str,
    kind: &mut Option<OperationKind>,
) -> Response {
    let limits = &state.limits;
    if req.method() != Method::GET && req.method() != Method::POST {
        return Response::builder()
            .status(StatusCode::METHOD_NOT_ALLOWED)
            .header(header::ALLOW, "GET, POST")
            .finish();
    }
    let Some(media) = ResponseMedia::negotiate(req.header(header::ACCEPT)) else {
        return Response::builder()
            .status(StatusCode::NOT_ACCEPTABLE)
            .body("this endpoint answers application/graphql-response+json or application/json");
    };
    let mut request = match read_request(req, body, limits.max_nesting).await {
        Ok(request) => request,
        Err((status, message)) => return malformed(media, status, &message),
    };

    // The parser recurses on nested values: the text is checked before it gets there.
    if let Err(error) = limits::check_nesting(&request.query, limits.max_nesting) {
        return rejected(media, vec![error], "LIMIT_EXCEEDED");
    }
    let document = match state.parsed.parse(&request.query) {
        Ok(document) => document,
        Err(error) => return rejected(media, vec![error.into()], "GRAPHQL_PARSE_FAILED"),
    };
    if let Err(error) = Analysis::check(&document, &request.variables, &state.shapes, limits) {
        return rejected(media, vec![error], "LIMIT_EXCEEDED");
    }
    let operation = selected_operation(&document, request.operation_name.as_deref());
    *kind = operation.map(|op| match op.ty {
        OperationType::Mutation => OperationKind::Mutation,
        _ => OperationKind::Query,
    });
    if req.method() == Method::GET && operation.is_some_and(|op| op.ty != OperationType::Query) {
        let mut response = malformed(
            media,
            StatusCode::METHOD_NOT_ALLOWED,
            "mutations are only accepted over POST",
        );
        response
            .headers_mut()
            .insert(header::ALLOW, "POST".parse().expect("valid header"));
        return response;
    }

    let missing = operation.map_or_else(Vec::new, |op| missing_variables(op, &request.variables));
    if !missing.is_empty() {
        return rejected(media, missing, "GRAPHQL_VALIDATION_FAILED");
    }
    request.set_parsed_query(ExecutableDocument::clone(&document));

    let db = state
        .databases
        .for_request(*kind == Some(OperationKind::Mutation));
    let caller = match crate::auth::authenticate(db, req.header(header::AUTHORIZATION)).await {
        Ok(caller) => caller,
        Err(error) => {
            tracing::error!(%error, "cannot check a token");
            return malformed(media, StatusCode::INTERNAL_SERVER_ERROR, "internal error");
        }
    };
    let notices = Notices::default();
    let memory = match kind {
        Some(OperationKind::Mutation) => Memory::Forget,
        _ => Memory::Remember,
    };
    let batcher = Arc::new(Batcher::new(
        db.clone(),
        state.databases.tally.clone(),
        memory,
    ));
    let request = request
        .data(db.clone())
        .data(batcher.clone())
        .data(caller)
        .data(notices.clone());
    // When the time runs out, or the client goes away and the server drops this future, the
    // execution is dropped with it: its pending statements are cancelled and no more start.
    // A timeout too long to add to now is no deadline at all.
    let deadline = std::time::Instant::now().checked_add(limits.timeout);
    let execution = batcher.drive(deadline, state.schema.execute(request));
    let mut response = match tokio::time::timeout(limits.timeout, execution).await {
        Ok(Some(response)) => response,
        Ok(None) | Err(_) => return timed_out(media, limits.timeout),
    };

    // Errors without a path were raised before execution (validation, variables): nothing ran,
    // so the response has no `data` and, under graphql-response+json, a 400 status.
    let request_failed = response.data == async_graphql::Value::Null
        && !response.errors.is_empty()
        && response.errors.iter().all(|e| e.path.is_empty());
    if request_failed {
        return rejected(media, response.errors, "GRAPHQL_VALIDATION_FAILED");
    }
    if let Some(operation) = operation {
        follow_query_order(&mut response.data, &operation.selection_set.node, &document);
    }
    code_errors(&mut response.errors, request_id);
    attach(&notices, &mut response);
    match serde_json::to_string(&response) {
        Ok(text) if text.len() > limits.max_response_bytes => {
            let max = limits.max_response_bytes;
            let error = limits::exceeded(
                "responseBytes",
                max as u64,
                format!(
                    "the response would be {} bytes, more than the {max} allowed; ask for fewer fields or smaller pages",
                    text.len()
                ),
                None,
            );
            rejected(media, vec![error], "LIMIT_EXCEEDED")
        }
        Ok(text) => {
            let mut reply = Response::builder()
                .status(StatusCode::OK)
                .content_type(media.content_type())
                .body(text);
            // Headers a resolver set (`Context::insert_http_header`) go out with the response.
            reply.headers_mut().extend(response.http_headers);
            reply
        }
        Err(error) => {
            tracing::error!(%error, "cannot serialise a GraphQL response");
            malformed(media, StatusCode::INTERNAL_SERVER_ERROR, "internal error")
        }
    }
}

/// Moves the request's notices (changes that changed nothing) into `extensions.notices`.
fn attach(notices: &Notices, response: &mut async_graphql::Response) {
    let list: Vec<async_graphql::Value> = notices
        .take()
        .into_iter()
        .map(|n| async_graphql::value!({ "code": n.code, "message": n.message }))
        .collect();
    if !list.is_empty() {
        response
            .extensions
            .insert("notices".into(), async_graphql::Value::List(list));
    }
}

/// The request ran out of time; its work has been dropped.
fn timed_out(media: ResponseMedia, timeout: std::time::Duration) -> Response {
    let body = serde_json::json!({ "errors": [{
        "message": format!("the request took longer than {} ms and was stopped; ask for less", timeout.as_millis()),
        "extensions": { "code": "TIMEOUT", "limit": "timeout", "max": timeout.as_millis() as u64 },
    }] });
    let status = match media {
        ResponseMedia::GraphqlResponseJson => StatusCode::SERVICE_UNAVAILABLE,
        ResponseMedia::Json => StatusCode::OK,
    };
    reply(status, media, &body)
}
