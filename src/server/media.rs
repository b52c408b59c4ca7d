//! Content negotiation for GraphQL over HTTP.

/// The media types a GraphQL response can take.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ResponseMedia {
    /// `application/graphql-response+json`: request errors get a 4xx status.
    GraphqlResponseJson,
    /// `application/json`: the legacy type, always 200.
    Json,
}

impl ResponseMedia {
    /// The `Content-Type` header value.
    pub fn content_type(self) -> &'static str {
        match self {
            ResponseMedia::GraphqlResponseJson => {
                "application/graphql-response+json; charset=utf-8"
            }
            ResponseMedia::Json => "application/json; charset=utf-8",
        }
    }

    /// Picks the type the `Accept` header prefers (highest q, then first listed); none when it
    /// accepts neither. No `Accept` header means `application/json`, as the spec allows.
    pub fn negotiate(accept: Option<&str>) -> Option<Self> {
        let Some(accept) = accept.filter(|a| !a.trim().is_empty()) else {
            return Some(ResponseMedia::Json);
        };
        let mut best: Option<(f32, Self)> = None;
        for range in accept.split(',') {
            let mut parts = range.split(';').map(str::trim);
            let media = parts.next().unwrap_or_default().to_ascii_lowercase();
            let q = parts
                .filter_map(|p| p.strip_prefix("q="))
                .find_map(|q| q.parse::<f32>().ok())
                .unwrap_or(1.0);
            let candidate = match media.as_str() {
                "application/graphql-response+json" => ResponseMedia::GraphqlResponseJson,
                "application/json" | "application/*" | "*/*" => ResponseMedia::Json,
                _ => continue,
            };
            if q > 0.0 && best.is_none_or(|(best_q, _)| q > best_q) {
                best = Some((q, candidate));
            }
        }
        best.map(|(_, media)| media)
    }
}

/// True when a `Content-Type` header says JSON (any charset parameter).
pub fn is_json(content_type: Option<&str>) -> bool {
    content_type
        .and_then(|ct| ct.split(';').next())
        .is_some_and(|media| media.trim().eq_ignore_ascii_case("application/json"))
}

/// True when a `Content-Type` header says `multipart/form-data` (the GraphQL multipart request
/// spec, for uploads).
pub fn is_multipart(content_type: Option<&str>) -> bool {
    content_type
        .and_then(|ct| ct.split(';').next())
        .is_some_and(|media| media.trim().eq_ignore_ascii_case("multipart/form-data"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accept_header_picks_the_preferred_type() {
        use ResponseMedia::*;
        assert_eq!(ResponseMedia::negotiate(None), Some(Json));
        assert_eq!(
            ResponseMedia::negotiate(Some("application/graphql-response+json")),
            Some(GraphqlResponseJson)
        );
        assert_eq!(
            ResponseMedia::negotiate(Some(
                "application/json;q=0.9, application/graphql-response+json"
            )),
            Some(GraphqlResponseJson)
        );
        assert_eq!(
            ResponseMedia::negotiate(Some("application/json, application/graphql-response+json")),
            Some(Json)
        );
        assert_eq!(ResponseMedia::negotiate(Some("text/html")), None);
        assert_eq!(ResponseMedia::negotiate(Some("*/*")), Some(Json));
    }

    #[test]
    fn json_content_type_allows_a_charset() {
        assert!(is_json(Some("application/json; charset=utf-8")));
        assert!(!is_json(Some("text/plain")));
        assert!(!is_json(None));
    }
}
