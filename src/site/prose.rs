//! Texts of the data (justifications, descriptions, decisions) as the documents wrote them:
//! each line a paragraph, lines starting with a dash or a bullet a list, as seed 000's
//! justifications print «Развиваются формы индивидуализации образования: – консультации…».
//! The rendering is minimal and safe: paragraphs and lists only, every character of the text
//! escaped; the data never brings its own HTML.

/// Escapes `text` as HTML needs it in content and in quoted attributes, and no more: a `/`
/// stays a `/`, so URLs read as written. A control character other than a line break or a tab
/// has no place in a page and becomes U+FFFD, as a browser shows it; so the export may mark
/// places in rendered HTML with one.
pub fn escape(text: &str) -> String {
    let mut escaped = String::with_capacity(text.len());
    for ch in text.chars() {
        match ch {
            '&' => escaped.push_str("&amp;"),
            '<' => escaped.push_str("&lt;"),
            '>' => escaped.push_str("&gt;"),
            '"' => escaped.push_str("&quot;"),
            '\'' => escaped.push_str("&#39;"),
            '\t' | '\n' | '\r' => escaped.push(ch),
            _ if ch.is_ascii_control() => escaped.push(char::REPLACEMENT_CHARACTER),
            _ => escaped.push(ch),
        }
    }
    escaped
}

/// The item text of a line that is a list item: «– консультации», «- …», «• …», «* …».
fn item(line: &str) -> Option<&str> {
    let rest = line.strip_prefix(['–', '—', '-', '•', '*', '·'])?;
    rest.starts_with(char::is_whitespace).then(|| rest.trim())
}

/// Texts of more blocks than this fold under their first line (`<details>`), so a table of
/// long justifications stays a table one can read down.
const FOLD_AFTER: usize = 3;

/// `text` as HTML: a single line as escaped text, more lines as paragraphs and lists; a long
/// text folded under its first line, open on a click.
pub fn to_html(text: &str) -> String {
    let lines: Vec<&str> = text
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect();
    if let [line] = lines.as_slice()
        && item(line).is_none()
    {
        return escape(line);
    }
    if lines.len() > FOLD_AFTER && item(lines[0]).is_none() {
        return format!(
            "<details><summary>{}</summary>{}</details>",
            escape(lines[0]),
            blocks(&lines[1..])
        );
    }
    blocks(&lines)
}

/// Lines as paragraphs, runs of list items as lists.
fn blocks(lines: &[&str]) -> String {
    let mut html = String::new();
    let mut in_list = false;
    for &line in lines {
        match item(line) {
            Some(text) => {
                if !in_list {
                    html.push_str("<ul>");
                    in_list = true;
                }
                html.push_str(&format!("<li>{}</li>", escape(text)));
            }
            None => {
                if in_list {
                    html.push_str("</ul>");
                    in_list = false;
                }
                html.push_str(&format!("<p>{}</p>", escape(line)));
            }
        }
    }
    if in_list {
        html.push_str("</ul>");
    }
    html
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_become_paragraphs_and_dashed_lines_a_list() {
        let text = "Развиваются формы:\n– консультации для родителей;\n– индивидуальные занятия.";
        assert_eq!(
            to_html(text),
            "<p>Развиваются формы:</p><ul><li>консультации для родителей;</li><li>индивидуальные занятия.</li></ul>"
        );
    }

    #[test]
    fn a_long_text_folds_under_its_first_line() {
        let text = "Стабильные результаты ВПР, ОГЭ.\nРазвиваются формы:\n– консультации для родителей;\n– индивидуальные занятия.\n100% вовлечение <родителей>.";
        assert_eq!(
            to_html(text),
            "<details><summary>Стабильные результаты ВПР, ОГЭ.</summary><p>Развиваются формы:</p><ul><li>консультации для родителей;</li><li>индивидуальные занятия.</li></ul><p>100% вовлечение &lt;родителей&gt;.</p></details>"
        );
    }

    #[test]
    fn one_line_stays_plain_text_and_a_dash_inside_a_line_is_text() {
        assert_eq!(
            to_html("  2021–2022 — «Точка роста» & ИМЦ "),
            "2021–2022 — «Точка роста» &amp; ИМЦ"
        );
        assert_eq!(to_html("-5 баллов"), "-5 баллов");
        assert_eq!(to_html("– один пункт"), "<ul><li>один пункт</li></ul>");
        assert_eq!(
            to_html("<script>'x'</script>"),
            "&lt;script&gt;&#39;x&#39;&lt;/script&gt;"
        );
    }
}
