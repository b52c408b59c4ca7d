//! The templates and assets of the site: `site-templates/` as shipped is compiled into the
//! binary, and a folder given at run time replaces any of them by name, so a district restyles
//! its site without recompiling.

use std::path::Path;

use minijinja::value::{Serde, merge_maps};
use minijinja::{AutoEscape, Environment, Error, Output, State, UndefinedBehavior, Value, context};
use serde::Serialize;

use super::russian::plural;
use super::{ExportError, prose};

macro_rules! shipped {
    ($($name:literal),* $(,)?) => {
        [$(($name, include_str!(concat!("../../site-templates/", $name)))),*]
    };
}

/// The templates, as shipped.
const TEMPLATES: [(&str, &str); 23] = shipped!(
    "base.html",
    "macros.html",
    "index.html",
    "municipality.html",
    "group.html",
    "school.html",
    "identification.html",
    "protocols.html",
    "protocol.html",
    "plans.html",
    "bank.html",
    "material.html",
    "list.html",
    "regions.html",
    "opendata.html",
    "search.html",
    "contacts.html",
    "404.html",
    "sitemap.xml",
    "sitemap-index.xml",
    "style.css",
    "vi.css",
    "search.js",
);

/// minijinja's HTML escaping also writes `/` as `&#x2f;`, which browsers decode but link
/// checkers (lychee) do not, and which makes every URL of the source hard to read. Text is
/// escaped as HTML needs ([`prose::escape`]), and no more.
fn escape_what_html_needs(out: &mut Output, state: &mut State, value: &Value) -> Result<(), Error> {
    match value.as_str() {
        Some(text) if *state.auto_escape() == AutoEscape::Html && !value.is_safe() => {
            out.write_str(&prose::escape(text)).map_err(Error::from)
        }
        _ => minijinja::escape_formatter(out, state, value),
    }
}

/// Renders a page's blocks and nothing else, a NUL between them: no text of the data can hold
/// a NUL ([`prose::escape`] replaces control characters).
const BLOCKS_ONLY: (&str, &str) = (
    "schoolnet:blocks-only",
    "{% block breadcrumbs %}{% endblock %}\u{0}{% block content %}{% endblock %}",
);

/// Lays out blocks rendered already as one version of the page.
const AROUND_BLOCKS: (&str, &str) = (
    "schoolnet:around-blocks",
    r#"{% extends "base.html" %}{% block breadcrumbs %}{{ breadcrumbs }}{% endblock %}{% block content %}{{ content }}{% endblock %}"#,
);

/// Where `asset_root` goes in blocks rendered for both versions, each putting in its own. A
/// `char`, not a `&str`: `str::replace` finds a char with `memchr`, a string with a general
/// searcher that cost 3 % of an export.
const ASSET_ROOT_MARK: char = '\u{1}';

/// What one version of a page has of its own: the layout's variables besides the page's.
#[derive(Serialize)]
pub struct Version {
    /// Whether this is the version for the visually impaired.
    pub vi: bool,
    /// The way from this page to the root of the whole site (assets, open data).
    pub asset_root: String,
    /// The same page in the other version.
    pub alt_url: String,
}

/// Files copied into the site as they are.
const ASSETS: [&str; 3] = ["style.css", "vi.css", "search.js"];

/// The loaded templates.
pub struct Templates {
    env: Environment<'static>,
    assets: Vec<(String, Vec<u8>)>,
    /// Every template and asset as loaded, by name: what the pages look like, for the
    /// export's manifest.
    sources: Vec<(&'static str, String)>,
}

impl Templates {
    /// The shipped templates, each replaced by a file of the same name in `folder` if it has one.
    pub fn load(folder: Option<&Path>) -> Result<Self, ExportError> {
        let mut env = Environment::new();
        // A district's template that names a missing value fails the export instead of printing
        // nothing.
        env.set_undefined_behavior(UndefinedBehavior::Strict);
        env.set_formatter(escape_what_html_needs);
        env.add_filter("prose", |text: String| {
            Value::from_safe_string(prose::to_html(&text))
        });
        env.add_filter(
            "plural",
            |n: i64, one: String, few: String, many: String| {
                plural(n, [&one, &few, &many]).to_owned()
            },
        );
        for (name, source) in [BLOCKS_ONLY, AROUND_BLOCKS] {
            env.add_template(name, source)?;
        }
        let mut assets = Vec::new();
        let mut sources = Vec::new();
        for (name, shipped) in TEMPLATES {
            let source = match folder.map(|f| f.join(name)).filter(|p| p.is_file()) {
                Some(path) => std::fs::read_to_string(&path)
                    .map_err(|source| ExportError::Templates { path, source })?,
                None => shipped.to_owned(),
            };
            sources.push((name, source.clone()));
            if ASSETS.contains(&name) {
                assets.push((name.to_owned(), source.into_bytes()));
            } else {
                env.add_template_owned(name, source)?;
            }
        }
        Ok(Templates {
            env,
            assets,
            sources,
        })
    }

    /// Renders a template with a context.
    pub fn render(
        &self,
        name: &str,
        context: &serde_json::Value,
    ) -> Result<String, minijinja::Error> {
        self.env
            .get_template(name)?
            .render(Value::from(Serde(context)))
    }

    /// A page in both versions, ordinary and for the visually impaired. The versions differ in
    /// their layout (`base.html`) and in the way to the site's root, so the page's own blocks —
    /// most of its time — are rendered once, with a mark where `asset_root` goes, and laid out
    /// twice. A page template extends `layout` (`{% extends layout %}`): [`BLOCKS_ONLY`] for the
    /// blocks, `base.html` when it is rendered whole. A district's page template that extends
    /// `"base.html"` by name is rendered whole for each version, as before.
    pub fn render_versions(
        &self,
        name: &str,
        page: Value,
        versions: [Version; 2],
    ) -> Result<[String; 2], Error> {
        let template = self.env.get_template(name)?;
        // In each context the last source that has a key wins. The first render has what the
        // ordinary version needs too, for a template that lays itself out; so in the blocks
        // `vi` is false.
        let blocks = template.render(merge_maps([
            page.clone(),
            Value::from(Serde(&versions[0])),
            context! {
                layout => BLOCKS_ONLY.0,
                asset_root => Value::from_safe_string(ASSET_ROOT_MARK.to_string()),
            },
        ]))?;
        let split = blocks.split_once('\0');
        let around = self.env.get_template(AROUND_BLOCKS.0)?;
        let render = |version: &Version| {
            let (layout, own) = match split {
                Some((breadcrumbs, content)) => {
                    let filled = |block: &str| {
                        Value::from_safe_string(block.replace(ASSET_ROOT_MARK, &version.asset_root))
                    };
                    let own =
                        context! { breadcrumbs => filled(breadcrumbs), content => filled(content) };
                    (&around, own)
                }
                None => (&template, context! { layout => "base.html" }),
            };
            layout.render(merge_maps([page.clone(), Value::from(Serde(version)), own]))
        };
        Ok([render(&versions[0])?, render(&versions[1])?])
    }

    /// Every template and asset as loaded, by name.
    pub fn sources(&self) -> &[(&'static str, String)] {
        &self.sources
    }

    /// The asset files, by their path in the site.
    pub fn assets(&self) -> &[(String, Vec<u8>)] {
        &self.assets
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_is_escaped_as_html_needs_and_urls_keep_their_slashes() {
        let mut env = Environment::new();
        env.set_formatter(escape_what_html_needs);
        env.add_template(
            "t.html",
            r#"<a href="{{ url }}" title='{{ name }}'>{{ name }}</a>{{ n }}"#,
        )
        .unwrap();
        let html = env
            .get_template("t.html")
            .unwrap()
            .render(minijinja::context! {
                url => "../irbit/school-50.html?a=1&b=2",
                name => r#"<script>"О'Нил" & Co</script>"#,
                n => 5,
            })
            .unwrap();
        assert_eq!(
            html,
            r#"<a href="../irbit/school-50.html?a=1&amp;b=2" title='&lt;script&gt;&quot;О&#39;Нил&quot; &amp; Co&lt;/script&gt;'>&lt;script&gt;&quot;О&#39;Нил&quot; &amp; Co&lt;/script&gt;</a>5"#
        );
    }
}
