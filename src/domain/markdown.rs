//! Texts of the methodological bank, written in Markdown and published as HTML. Safe by
//! construction: a text with raw HTML, or a link or image to anything but the web, an e-mail
//! address or a path within the site, does not parse; the HTML of one that does has every
//! character of the source escaped.

use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd};
use sea_orm::entity::prelude::*;

use super::InvalidValue;

/// The longest text, in characters.
pub const MAX_CHARS: usize = 50_000;

/// A Markdown text with no raw HTML and no dangerous link.
#[derive(Clone, Debug, PartialEq, Eq, DeriveValueType, serde::Serialize)]
pub struct Markdown(String);

fn parser(text: &str) -> Parser<'_> {
    Parser::new_ext(text, Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH)
}

/// A link target the bank may publish: http(s), mailto, or a relative path without a scheme.
fn safe_target(url: &str) -> bool {
    let lower = url.trim().to_lowercase();
    let scheme = lower.split_once(':').map(|(s, _)| s);
    match scheme {
        Some("http" | "https" | "mailto") => true,
        Some(s) if s.contains(['/', '?', '#']) => true,
        Some(_) => false,
        None => true,
    }
}

impl Markdown {
    /// Checks `text`: not empty, at most [`MAX_CHARS`], no raw HTML, only safe links.
    pub fn parse(text: &str) -> Result<Self, InvalidValue> {
        if text.trim().is_empty() {
            return Err(InvalidValue("the text is empty".into()));
        }
        let chars = text.chars().count();
        if chars > MAX_CHARS {
            return Err(InvalidValue(format!(
                "at most {MAX_CHARS} characters, {chars} given"
            )));
        }
        for event in parser(text) {
            match event {
                Event::Html(html) | Event::InlineHtml(html) => {
                    return Err(InvalidValue(format!(
                        "raw HTML is not allowed («{}»); write Markdown",
                        html.trim().chars().take(40).collect::<String>()
                    )));
                }
                Event::Start(Tag::Link { dest_url, .. } | Tag::Image { dest_url, .. })
                    if !safe_target(&dest_url) =>
                {
                    return Err(InvalidValue(format!(
                        "a link goes to the web (http, https), an e-mail address or the site, not to «{dest_url}»"
                    )));
                }
                _ => {}
            }
        }
        Ok(Markdown(text.to_owned()))
    }

    /// The text as written.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The text as HTML. Every table is described as every table of the site is: a caption (the
    /// heading it stands under, or `caption`, the material's title, before any heading) and
    /// header cells that say they head a column.
    pub fn to_html(&self, caption: &str) -> String {
        let mut heading: Option<String> = None;
        let mut in_heading = false;
        let mut events = Vec::new();
        for event in parser(&self.0) {
            match &event {
                Event::Start(Tag::Heading { .. }) => {
                    in_heading = true;
                    heading = Some(String::new());
                }
                Event::End(TagEnd::Heading(_)) => in_heading = false,
                Event::Text(text) | Event::Code(text) if in_heading => {
                    heading.get_or_insert_with(String::new).push_str(text);
                }
                _ => {}
            }
            let opens_table = matches!(event, Event::Start(Tag::Table(_)));
            events.push(event);
            if opens_table {
                let text = heading.as_deref().unwrap_or(caption);
                let mut escaped = String::new();
                pulldown_cmark_escape::escape_html(&mut escaped, text)
                    .expect("writing to a String cannot fail");
                events.push(Event::Html(format!("<caption>{escaped}</caption>").into()));
            }
        }
        let mut html = String::new();
        pulldown_cmark::html::push_html(&mut html, events.into_iter());
        // Every `<th` of the HTML is a header cell the writer opened: the source's own `<` is
        // escaped, and raw HTML does not parse.
        html.replace("<th>", "<th scope=\"col\">")
            .replace("<th style", "<th scope=\"col\" style")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markdown_renders_and_html_does_not_parse() {
        let text =
            Markdown::parse("## Шаги\n\n- диагностика\n- [кейс](https://fioco.ru/a) & <b").unwrap();
        let html = text.to_html("Материал");
        assert!(
            html.contains("<h2>Шаги</h2>") && html.contains("<li>диагностика</li>"),
            "{html}"
        );
        assert!(html.contains("&amp; &lt;b"), "{html}");
        for bad in [
            "<script>alert(1)</script>",
            "текст <img src=x onerror=alert(1)>",
            "[x](javascript:alert(1))",
            "[x]( JavaScript:alert(1))",
            "![x](data:image/png;base64,AAAA)",
            "<!-- comment -->",
            "   ",
        ] {
            assert!(Markdown::parse(bad).is_err(), "{bad}");
        }
        assert!(Markdown::parse("[протокол](kotelnikovsky/protocols.html)").is_ok());
    }

    #[test]
    fn every_table_gets_the_heading_it_stands_under_as_its_caption() {
        let table = "| a | b |\n|---|---|\n| 1 | 2 |\n";
        let text = Markdown::parse(&format!("{table}\n## Итоги <2024>\n\n{table}")).unwrap();
        let html = text.to_html("Критерии & показатели");
        let captions: Vec<&str> = html
            .split("<caption>")
            .skip(1)
            .map(|rest| rest.split("</caption>").next().unwrap())
            .collect();
        assert_eq!(
            captions,
            ["Критерии &amp; показатели", "Итоги &lt;2024&gt;"]
        );
        assert_eq!(html.matches("<th scope=\"col\">").count(), 4, "{html}");
        assert_eq!(html.matches("<th").count(), 4 + 2, "{html}");
    }
}
