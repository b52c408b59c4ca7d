//! The templates and assets of the site: `site-templates/` as shipped is compiled into the
//! binary, and a folder given at run time replaces any of them by name, so a district restyles
//! its site without recompiling.

use std::path::Path;

use minijinja::value::Serde;
use minijinja::{AutoEscape, Environment, Error, Output, State, UndefinedBehavior, Value};

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
        self.render_value(name, Value::from(Serde(context)))
    }

    /// Renders a template with a context already converted for templates.
    pub fn render_value(&self, name: &str, context: Value) -> Result<String, minijinja::Error> {
        self.env.get_template(name)?.render(context)
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
