//! Offline search: a pagefind index of the pages' main content, built during the export and
//! shipped with the site, so search needs no external service.

use std::collections::BTreeMap;

use pagefind::api::PagefindIndex;
use pagefind::options::PagefindServiceConfig;

use super::ExportError;
use super::pages::Page;

/// pagefind's own search interfaces: the site has its own (`search.js`), so these are not shipped.
const UNUSED_UI: [&str; 4] = [
    "pagefind/pagefind-ui.",
    "pagefind/pagefind-modular-ui.",
    "pagefind/pagefind-component-ui.",
    "pagefind/pagefind-highlight.",
];

/// Pages that are not worth finding.
const UNINDEXED: [&str; 2] = ["404.html", "search.html"];

fn failed(error: impl std::fmt::Display) -> ExportError {
    ExportError::Search(error.to_string())
}

/// Elements whose text ends a word: pagefind joins the text of adjacent elements as written,
/// so `<dt>Кластер</dt><dd>2</dd>` would be found, and shown, as «Кластер2».
const WORD_ENDING: [&str; 14] = [
    "</td>",
    "</th>",
    "</tr>",
    "</caption>",
    "</dt>",
    "</dd>",
    "</li>",
    "</p>",
    "</h1>",
    "</h2>",
    "</h3>",
    "</h4>",
    "</figcaption>",
    "</div>",
];

/// `html` as the index reads it: a space after each element that ends a word.
fn spaced(html: &str) -> String {
    WORD_ENDING.iter().fold(html.to_owned(), |html, tag| {
        html.replace(tag, &format!("{tag} "))
    })
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
        let html = spaced(&String::from_utf8_lossy(&files[&page.path]));
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
        .filter(|(path, _)| !UNUSED_UI.iter().any(|ui| path.starts_with(ui)))
        .collect();
    out.sort();
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cells_and_terms_are_separate_words_for_the_index() {
        assert_eq!(
            spaced(
                "<dl><dt>Кластер</dt><dd>2</dd></dl><tr><th>Год</th><td><a>Школа</a>.</td></tr>"
            ),
            "<dl><dt>Кластер</dt> <dd>2</dd> </dl><tr><th>Год</th> <td><a>Школа</a>.</td> </tr> "
        );
    }
}
