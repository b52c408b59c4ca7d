//! Offline search: a pagefind index of the pages' main content, built during the export and
//! shipped with the site, so search needs no external service.

use std::collections::BTreeMap;

use pagefind::api::PagefindIndex;
use pagefind::options::PagefindServiceConfig;

use super::ExportError;
use super::pages::Page;

/// Pages that are not worth finding.
const UNINDEXED: [&str; 2] = ["404.html", "search.html"];

fn failed(error: impl std::fmt::Display) -> ExportError {
    ExportError::Search(error.to_string())
}

/// The index files, under `pagefind/`.
pub async fn index(
    pages: &[Page],
    files: &BTreeMap<String, Vec<u8>>,
) -> Result<Vec<(String, Vec<u8>)>, ExportError> {
    let config = PagefindServiceConfig::builder()
        .root_selector("main".to_owned())
        .force_language("ru".to_owned())
        .keep_index_url(true)
        .build();
    let mut index = PagefindIndex::new(Some(config)).map_err(failed)?;
    for page in pages
        .iter()
        .filter(|p| !UNINDEXED.contains(&p.path.as_str()))
    {
        let html = String::from_utf8_lossy(&files[&page.path]).into_owned();
        index
            .add_html_file(Some(page.path.clone()), None, html)
            .await
            .map_err(failed)?;
    }
    let mut out: Vec<(String, Vec<u8>)> = index
        .get_files()
        .await
        .map_err(failed)?
        .into_iter()
        .map(|file| {
            let path = file
                .filename
                .to_string_lossy()
                .trim_start_matches('/')
                .to_owned();
            let path = if path.starts_with("pagefind/") {
                path
            } else {
                format!("pagefind/{path}")
            };
            (path, file.contents)
        })
        .collect();
    out.sort();
    Ok(out)
}
