//! The templates and assets of the site: `site-templates/` as shipped is compiled into the
//! binary, and a folder given at run time replaces any of them by name, so a district restyles
//! its site without recompiling.

use std::path::Path;

use minijinja::value::Serde;
use minijinja::{Environment, UndefinedBehavior, Value};

use super::ExportError;
use super::russian::plural;

macro_rules! shipped {
    ($($name:literal),* $(,)?) => {
        [$(($name, include_str!(concat!("../../site-templates/", $name)))),*]
    };
}

/// The templates, as shipped.
const TEMPLATES: [(&str, &str); 16] = shipped!(
    "base.html",
    "macros.html",
    "index.html",
    "municipality.html",
    "group.html",
    "school.html",
    "identification.html",
    "protocols.html",
    "protocol.html",
    "list.html",
    "opendata.html",
    "search.html",
    "404.html",
    "sitemap.xml",
    "style.css",
    "vi.css",
);

/// Files copied into the site as they are.
const ASSETS: [&str; 2] = ["style.css", "vi.css"];

/// The loaded templates.
pub struct Templates {
    env: Environment<'static>,
    assets: Vec<(String, Vec<u8>)>,
}

impl Templates {
    /// The shipped templates, each replaced by a file of the same name in `folder` if it has one.
    pub fn load(folder: Option<&Path>) -> Result<Self, ExportError> {
        let mut env = Environment::new();
        // A district's template that names a missing value fails the export instead of printing
        // nothing.
        env.set_undefined_behavior(UndefinedBehavior::Strict);
        env.add_filter(
            "plural",
            |n: i64, one: String, few: String, many: String| {
                plural(n, [&one, &few, &many]).to_owned()
            },
        );
        let mut assets = Vec::new();
        for (name, shipped) in TEMPLATES {
            let source = match folder.map(|f| f.join(name)).filter(|p| p.is_file()) {
                Some(path) => std::fs::read_to_string(&path)
                    .map_err(|source| ExportError::Templates { path, source })?,
                None => shipped.to_owned(),
            };
            if ASSETS.contains(&name) {
                assets.push((name.to_owned(), source.into_bytes()));
            } else {
                env.add_template_owned(name, source)?;
            }
        }
        Ok(Templates { env, assets })
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

    /// The asset files, by their path in the site.
    pub fn assets(&self) -> &[(String, Vec<u8>)] {
        &self.assets
    }
}
