//! GraphiQL at `/`, served from the binary: a municipal network is often closed to the
//! internet, and a GraphiQL that loads its scripts from a CDN shows «Loading…» forever there.
//! `/?query=…` opens it with that query. The assets are the npm builds in `graphiql/` (versions and licences in `graphiql/README`).

use poem::http::header;
use poem::web::Html;
use poem::{Response, Route, get, handler};

/// The page: the vendored scripts, and a fetcher for the endpoint beside it. URLs are relative,
/// so GraphiQL works under any path prefix a proxy puts the server at.
const PAGE: &str = r#"<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>schoolnet · GraphiQL</title>
<link rel="stylesheet" href="graphiql/graphiql.min.css">
<style>html, body, #graphiql { height: 100%; margin: 0; }</style>
</head>
<body>
<div id="graphiql">Loading…</div>
<script src="graphiql/react.production.min.js"></script>
<script src="graphiql/react-dom.production.min.js"></script>
<script src="graphiql/graphiql.min.js"></script>
<script>
const fetcher = GraphiQL.createFetcher({ url: new URL('graphql', location.href).href });
// A link can carry the query to open with: /?query={ regions { name } }
const query = new URLSearchParams(location.search).get('query') ?? undefined;
ReactDOM.createRoot(document.getElementById('graphiql'))
  .render(React.createElement(GraphiQL, { fetcher, query, defaultEditorToolsVisibility: true }));
</script>
</body>
</html>
"#;

/// The assets: path under `/graphiql/`, media type, contents.
const ASSETS: [(&str, &str, &[u8]); 4] = [
    (
        "graphiql.min.js",
        "text/javascript; charset=utf-8",
        include_bytes!("graphiql/graphiql.min.js"),
    ),
    (
        "graphiql.min.css",
        "text/css; charset=utf-8",
        include_bytes!("graphiql/graphiql.min.css"),
    ),
    (
        "react.production.min.js",
        "text/javascript; charset=utf-8",
        include_bytes!("graphiql/react.production.min.js"),
    ),
    (
        "react-dom.production.min.js",
        "text/javascript; charset=utf-8",
        include_bytes!("graphiql/react-dom.production.min.js"),
    ),
];

/// Adds GraphiQL's page and assets to `route`.
pub fn routes(mut route: Route) -> Route {
    route = route.at("/", get(page));
    for (name, media_type, bytes) in ASSETS {
        route = route.at(
            format!("/graphiql/{name}"),
            get(Asset { media_type, bytes }),
        );
    }
    route
}

#[handler]
fn page() -> Html<&'static str> {
    Html(PAGE)
}

/// One vendored file; they change only with the binary, so browsers may keep them a day.
struct Asset {
    media_type: &'static str,
    bytes: &'static [u8],
}

impl poem::Endpoint for Asset {
    type Output = Response;

    async fn call(&self, _: poem::Request) -> poem::Result<Response> {
        Ok(Response::builder()
            .header(header::CONTENT_TYPE, self.media_type)
            .header(header::CACHE_CONTROL, "public, max-age=86400")
            .body(self.bytes))
    }
}
