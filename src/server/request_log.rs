//! Every request gets an id, in the `x-request-id` response header, in the span of every log
//! line written while it runs, and in any `INTERNAL_SERVER_ERROR` the response carries, so that
//! an operator finds a user's failed request in the log. One line per request is written only at
//! `debug`: under load the default level writes nothing per request (a line per request cost a
//! regional server more than some of its queries). Failures are logged where they happen.

use poem::http::HeaderValue;
use poem::{Endpoint, IntoResponse, Request, Response};
use tracing::Instrument;

use super::metrics::{Metrics, OperationKind};

/// The id of the request being served, for handlers that put it in a response body.
#[derive(Clone, Debug)]
pub struct RequestId(pub String);

/// A short random id that ties a response to the server's log lines.
fn new_request_id() -> String {
    format!("{:016x}", rand::random::<u64>())
}

/// Serves `request` inside its span, counts a GraphQL request for `/metrics`, and logs it at
/// `debug`.
pub async fn log_request<E: Endpoint>(next: E, mut request: Request) -> poem::Result<Response> {
    let id = new_request_id();
    request.extensions_mut().insert(RequestId(id.clone()));
    let span = tracing::info_span!("request", request_id = %id);
    async move {
        let (method, path) = (request.method().clone(), request.uri().path().to_owned());
        let metrics = request.data::<Metrics>().cloned();
        let started = std::time::Instant::now();
        let mut response = next.call(request).await.map(IntoResponse::into_response);
        let status = match &response {
            Ok(response) => response.status(),
            Err(error) => error.status(),
        };
        if let Ok(response) = &mut response
            && let Ok(value) = HeaderValue::from_str(&id)
        {
            response.headers_mut().insert("x-request-id", value);
        }
        if path == "/graphql"
            && let Some(metrics) = metrics
        {
            let operation = response.as_ref().ok().and_then(|r| {
                r.extensions()
                    .get::<Option<OperationKind>>()
                    .copied()
                    .flatten()
            });
            metrics.request(operation, status, started.elapsed());
        }
        let elapsed_us = started.elapsed().as_micros() as u64;
        tracing::debug!(%method, path, status = status.as_u16(), elapsed_us, "request");
        response
    }
    .instrument(span)
    .await
}
