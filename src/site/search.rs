//! Offline search: pagefind indexes shipped with the site, so search needs no external
//! service. They hold what readers search for — each page's headings and facts and the names
//! in its tables (schools, people, partners) — not every table cell: at national scale the
//! cells would make the index cost gigabytes and most of the export's time. Each region's pages
//! get a bundle of their own, written when the region is done (pagefind holds an index in
//! memory until it writes it), and the search page merges them into the site-wide one.

use std::fmt::Write;

use pagefind::api::PagefindIndex;
use pagefind::options::PagefindServiceConfig;
use tokio::sync::mpsc;
use tokio::task::JoinHandle;

use super::ExportError;
use super::dataset::Dataset;
use super::pages::Page;
use super::prose::escape;

/// pagefind's own search interfaces: the site has its own (`search.js`), so these are not shipped.
const UNUSED_UI: [&str; 4] = [
    "pagefind-ui.",
    "pagefind-modular-ui.",
    "pagefind-component-ui.",
    "pagefind-highlight.",
];

/// The folder of the site-wide bundle, with pagefind's script.
pub const SITE_BUNDLE: &str = "pagefind";

/// The folder of a region's bundle.
pub fn region_bundle(slug: &str) -> String {
    format!("pagefind-regions/{slug}")
}

/// What a merged bundle does without: the script and its worker come from the site-wide one.
const SCRIPTS: [&str; 2] = ["pagefind.js", "pagefind-worker.js"];

/// Pages that are not worth finding.
const UNINDEXED: [&str; 2] = ["404.html", "search.html"];

fn failed(error: impl std::fmt::Display) -> ExportError {
    ExportError::Search(error.to_string())
}

/// Elements of a rendered page whose text is worth finding: headings, captions, facts.
const FOUND_IN: [&str; 5] = ["h1", "h2", "h3", "caption", "dd"];

/// Table columns that name something a reader may look for.
const NAME_COLUMNS: [&str; 3] = ["school", "person", "partner"];

/// The text of every element of `html` named in [`FOUND_IN`], its inner markup dropped,
/// grouped by element in that order. One pass over the page, skipping charts whole: a school's
/// page is mostly SVG, and a scan per element was a twelfth of a national export's time.
fn found_texts(html: &str) -> [Vec<String>; FOUND_IN.len()] {
    let mut found: [Vec<String>; FOUND_IN.len()] = Default::default();
    let mut rest = html;
    while let Some(start) = rest.find('<') {
        let tag_on = &rest[start + 1..];
        let named = |name: &str| {
            tag_on
                .strip_prefix(name)
                .is_some_and(|after| after.starts_with(['>', ' ']))
        };
        rest = tag_on;
        if named("svg") {
            match rest.find("</svg>") {
                Some(end) => rest = &rest[end..],
                None => break,
            }
        } else if let Some(at) = FOUND_IN.iter().position(|tag| named(tag)) {
            let close = format!("</{}>", FOUND_IN[at]);
            let Some(body) = rest.find('>').map(|end| &rest[end + 1..]) else {
                break;
            };
            let Some(end) = body.find(&close) else { break };
            found[at].push(without_tags(&body[..end]));
            rest = &body[end..];
        }
    }
    found
}

fn without_tags(html: &str) -> String {
    let mut text = String::with_capacity(html.len());
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => in_tag = true,
            '>' if in_tag => {
                in_tag = false;
                text.push(' ');
            }
            _ if !in_tag => text.push(c),
            _ => {}
        }
    }
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The names a dataset's rows carry in its name columns.
fn names(dataset: &Dataset) -> impl Iterator<Item = String> + '_ {
    let columns: Vec<usize> = dataset
        .columns
        .iter()
        .enumerate()
        .filter(|(_, c)| NAME_COLUMNS.contains(&c.key.as_ref()))
        .map(|(at, _)| at)
        .collect();
    dataset.rows.iter().flat_map(move |row| {
        columns
            .iter()
            .filter_map(|&at| match &row[at] {
                super::dataset::Cell::Text(text, _) => Some(escape(text)),
                _ => None,
            })
            .collect::<Vec<_>>()
    })
}

/// What the index reads of a page: a small document of its findable text, one element each,
/// so words of different cells stay apart.
pub fn findable(page: &Page, html: &str) -> Option<String> {
    if UNINDEXED.contains(&page.path.as_str()) {
        return None;
    }
    let mut document = String::from(r#"<html lang="ru"><body><main>"#);
    for (tag, texts) in FOUND_IN.iter().zip(found_texts(html)) {
        for text in texts {
            let _ = write!(document, "<{tag}>{text}</{tag}> ");
        }
    }
    let mut seen = std::collections::BTreeSet::new();
    for name in page.datasets.iter().flat_map(names) {
        if seen.insert(name.clone()) {
            let _ = write!(document, "<p>{name}</p> ");
        }
    }
    document.push_str("</main></body></html>");
    Some(document)
}

/// The search index being built, on a task of its own: pagefind reads the pages given to
/// [`SearchIndex::add`] while the export renders the next ones.
pub struct SearchIndex {
    feed: mpsc::UnboundedSender<(String, String)>,
    indexing: JoinHandle<Result<PagefindIndex, ExportError>>,
}

impl SearchIndex {
    /// Starts an empty index of Russian pages.
    pub fn new() -> Result<Self, ExportError> {
        let config = PagefindServiceConfig::builder()
            .root_selector("main".to_owned())
            .force_language("ru".to_owned())
            .keep_index_url(true)
            .build();
        let mut index = PagefindIndex::new(Some(config)).map_err(failed)?;
        let (feed, mut pages) = mpsc::unbounded_channel::<(String, String)>();
        let indexing = tokio::spawn(async move {
            while let Some((path, document)) = pages.recv().await {
                index
                    .add_html_file(Some(path), None, document)
                    .await
                    .map_err(failed)?;
            }
            Ok(index)
        });
        Ok(SearchIndex { feed, indexing })
    }

    /// Adds the findable text of the page at `path` (see [`findable`]). A page the index
    /// failed on is reported by [`SearchIndex::files`].
    pub fn add(&self, path: &str, document: String) {
        // The task stops taking pages only once it failed, which `files` reports.
        let _ = self.feed.send((path.to_owned(), document));
    }

    /// The bundle's files, under `folder` ([`SITE_BUNDLE`] or a [`region_bundle`]).
    pub async fn files(self, folder: &str) -> Result<Vec<(String, Vec<u8>)>, ExportError> {
        drop(self.feed);
        let mut index = match self.indexing.await {
            Ok(index) => index?,
            Err(failed) => std::panic::resume_unwind(failed.into_panic()),
        };
        let mut out: Vec<(String, Vec<u8>)> = index
            .get_files()
            .await
            .map_err(failed)?
            .into_iter()
            .filter_map(|file| {
                let name = file.filename.to_string_lossy();
                let name = name.trim_start_matches('/');
                let name = name.strip_prefix("pagefind/").unwrap_or(name);
                let unused = UNUSED_UI.iter().any(|ui| name.starts_with(ui))
                    || (folder != SITE_BUNDLE && SCRIPTS.contains(&name));
                (!unused).then(|| (format!("{folder}/{name}"), file.contents))
            })
            .collect();
        out.sort();
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headings_and_facts_are_found_without_their_markup() {
        let html = "<main><h1>Школа <b>№ 1</b></h1><dl><dt>Директор</dt><dd>Иванова И. И.</dd></dl><ddx>no</ddx><figure><svg viewBox=\"0 0 1 1\"><text>не <h2>это</h2></text></svg></figure><table><caption>Оценки</caption><tr><td>3,4</td></tr></table></main>";
        let found: Vec<String> = found_texts(html).into_iter().flatten().collect();
        assert_eq!(found, ["Школа № 1", "Оценки", "Иванова И. И."]);
    }
}
