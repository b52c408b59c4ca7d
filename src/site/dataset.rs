//! Tables as open data: each table on a page is a `Dataset`, rendered as the HTML table and
//! written as CSV (UTF-8 with BOM, `;`, CRLF, as Russian Excel opens it), JSON, and a passport
//! (паспорт набора открытых данных) — one source, so the figures cannot differ.

use std::borrow::Cow;

use serde::Serialize;
use serde_json::{Map, Value, json};

use super::russian::{self, MISSING};
use crate::domain::PartialDate;

/// The licence every dataset is published under.
pub const LICENCE: &str = "Creative Commons Attribution 4.0 (CC BY 4.0)";

/// One value of a table.
#[derive(Clone, Debug)]
pub enum Cell {
    /// Text; a link when `url` is set (site-relative).
    Text(String, Option<String>),
    /// A whole number.
    Int(i64),
    /// A number shown with `digits` decimals.
    Decimal(f64, usize),
    /// A number shown as the source printed it: a mean «3,4» stays «3,4», not «3,40».
    Printed(f64, String),
    /// A date at its precision.
    Date(PartialDate),
    /// No value: not held, no participants, not known.
    Missing,
}

impl Cell {
    /// Text without a link.
    pub fn text(value: impl Into<String>) -> Self {
        Cell::Text(value.into(), None)
    }

    /// Text linking to a page of the site.
    pub fn link(value: impl Into<String>, url: impl Into<String>) -> Self {
        Cell::Text(value.into(), Some(url.into()))
    }

    /// Text, or «—» when there is none.
    pub fn maybe(value: Option<impl Into<String>>) -> Self {
        value.map_or(Cell::Missing, |v| Cell::text(v))
    }

    /// A date, or «—».
    pub fn date(value: Option<PartialDate>) -> Self {
        value.map_or(Cell::Missing, Cell::Date)
    }

    /// As the page and the CSV show it.
    pub fn display(&self) -> String {
        match self {
            Cell::Text(text, _) => text.clone(),
            Cell::Int(n) => n.to_string(),
            Cell::Decimal(x, digits) => russian::decimal(*x, *digits),
            Cell::Printed(_, text) => text.clone(),
            Cell::Date(date) => russian::date(*date),
            Cell::Missing => MISSING.to_owned(),
        }
    }

    /// As JSON carries it: typed, with `null` for missing and ISO dates.
    fn json(&self) -> Value {
        match self {
            Cell::Text(text, _) => json!(text),
            Cell::Int(n) => json!(n),
            Cell::Decimal(x, _) | Cell::Printed(x, _) => json!(x),
            Cell::Date(date) => json!(date.to_string()),
            Cell::Missing => Value::Null,
        }
    }

    fn numeric(&self) -> bool {
        matches!(self, Cell::Int(_) | Cell::Decimal(..) | Cell::Printed(..))
    }
}

/// A column: its JSON key and its Russian heading.
#[derive(Clone, Debug)]
pub struct Column {
    /// The key in JSON and the passport: `quality_group`.
    pub key: Cow<'static, str>,
    /// The heading: «Группа качества».
    pub title: Cow<'static, str>,
}

/// A table that is also an open dataset.
#[derive(Clone, Debug)]
pub struct Dataset {
    /// The file name stem: `irbitskoye-schools`.
    pub id: String,
    /// The caption and passport title.
    pub title: String,
    /// What the data is, for the passport.
    pub description: String,
    /// The columns.
    pub columns: Vec<Column>,
    /// The rows; the first cell of each row heads it.
    pub rows: Vec<Vec<Cell>>,
    /// What the page says instead of a table when there are no rows: why, where the sources
    /// say why, in one short sentence.
    pub when_empty: Cow<'static, str>,
}

/// What a page says of a table without rows when nothing better is known.
const NOTHING_YET: &str = "Сведений пока нет.";

/// A cell as a template renders it.
#[derive(Serialize)]
struct CellView {
    text: String,
    url: Option<String>,
    numeric: bool,
}

impl Dataset {
    /// Starts a dataset.
    pub fn new(
        id: impl Into<String>,
        title: impl Into<String>,
        description: impl Into<String>,
        columns: &[(&'static str, &'static str)],
    ) -> Self {
        Dataset {
            id: id.into(),
            title: title.into(),
            description: description.into(),
            columns: columns
                .iter()
                .map(|&(key, title)| Column {
                    key: key.into(),
                    title: title.into(),
                })
                .collect(),
            rows: Vec::new(),
            when_empty: NOTHING_YET.into(),
        }
    }

    /// Says why the table may be empty, in words a reader understands.
    pub fn when_empty(mut self, sentence: impl Into<Cow<'static, str>>) -> Self {
        self.when_empty = sentence.into();
        self
    }

    /// Published as open data: a dataset without rows is not a dataset anyone can use.
    pub fn is_published(&self) -> bool {
        !self.rows.is_empty()
    }

    /// Adds a column whose key and heading are known only from the data (a year).
    pub fn column(
        mut self,
        key: impl Into<Cow<'static, str>>,
        title: impl Into<Cow<'static, str>>,
    ) -> Self {
        self.columns.push(Column {
            key: key.into(),
            title: title.into(),
        });
        self
    }

    /// Adds a row.
    pub fn push(&mut self, row: Vec<Cell>) {
        debug_assert_eq!(row.len(), self.columns.len(), "{}: row width", self.id);
        self.rows.push(row);
    }

    /// The site-relative paths of the files.
    pub fn files(&self) -> [String; 3] {
        [
            format!("opendata/{}.csv", self.id),
            format!("opendata/{}.json", self.id),
            format!("opendata/{}.meta.json", self.id),
        ]
    }

    /// What a template needs to render the table and its links. A column no row has a value
    /// in is left out of the page (the open data keeps it, so its structure stays the same);
    /// the first, which heads the rows, always stays.
    pub fn view(&self) -> Value {
        let shown: Vec<usize> = (0..self.columns.len())
            .filter(|&i| i == 0 || self.rows.iter().any(|row| !matches!(row[i], Cell::Missing)))
            .collect();
        let rows: Vec<Vec<CellView>> = self
            .rows
            .iter()
            .map(|row| {
                shown
                    .iter()
                    .map(|&i| &row[i])
                    .map(|cell| CellView {
                        text: cell.display(),
                        url: match cell {
                            Cell::Text(_, url) => url.clone(),
                            _ => None,
                        },
                        numeric: cell.numeric(),
                    })
                    .collect()
            })
            .collect();
        let [csv, json, passport] = self.files();
        json!({
            "id": self.id,
            "title": self.title,
            "columns": shown.iter().map(|&i| &self.columns[i].title).collect::<Vec<_>>(),
            "rows": rows,
            "when_empty": self.when_empty,
            "csv": csv,
            "json": json,
            "passport": passport,
        })
    }

    /// CSV for Russian Excel: BOM, `;`, CRLF, quotes where needed.
    pub fn csv(&self) -> Vec<u8> {
        fn field(text: &str) -> String {
            if text.contains([';', '"', '\n', '\r']) {
                format!("\"{}\"", text.replace('"', "\"\""))
            } else {
                text.to_owned()
            }
        }
        let mut out = String::from("\u{feff}");
        let header: Vec<String> = self.columns.iter().map(|c| field(&c.title)).collect();
        out.push_str(&header.join(";"));
        out.push_str("\r\n");
        for row in &self.rows {
            let cells: Vec<String> = row.iter().map(|c| field(&c.display())).collect();
            out.push_str(&cells.join(";"));
            out.push_str("\r\n");
        }
        out.into_bytes()
    }

    /// JSON: an array of objects keyed by column.
    pub fn json(&self) -> Vec<u8> {
        let rows: Vec<Value> = self
            .rows
            .iter()
            .map(|row| {
                let object: Map<String, Value> = self
                    .columns
                    .iter()
                    .zip(row)
                    .map(|(column, cell)| (column.key.to_string(), cell.json()))
                    .collect();
                Value::Object(object)
            })
            .collect();
        pretty(&Value::Array(rows))
    }

    /// The passport, as the Russian methodological recommendations on open data describe it.
    pub fn passport(&self, publisher: &str, modified: Option<&str>) -> Vec<u8> {
        let [csv, json, _] = self.files();
        let structure: Vec<Value> = self
            .columns
            .iter()
            .map(|c| json!({ "name": c.key, "title": c.title }))
            .collect();
        pretty(&json!({
            "standardversion": "http://opendata.gosmonitor.ru/standard/3.0",
            "identifier": self.id,
            "title": self.title,
            "description": self.description,
            "creator": publisher,
            "format": "csv",
            "modified": modified,
            "license": LICENCE,
            "data": [
                { "source": csv.trim_start_matches("opendata/"), "format": "csv", "encoding": "UTF-8 (BOM)", "separator": ";" },
                { "source": json.trim_start_matches("opendata/"), "format": "json" },
            ],
            "structure": structure,
        }))
    }
}

fn pretty(value: &Value) -> Vec<u8> {
    let mut bytes = serde_json::to_vec_pretty(value).expect("JSON values serialise");
    bytes.push(b'\n');
    bytes
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> Dataset {
        let mut ds = Dataset::new(
            "t",
            "Проба",
            "Описание",
            &[("name", "Школа"), ("share", "Доля, %"), ("on", "Дата")],
        );
        ds.push(vec![
            Cell::text("МОУ «Гаевская; ООШ»"),
            Cell::Decimal(55.2, 1),
            Cell::Missing,
        ]);
        ds.push(vec![
            Cell::text("Ницинская ООШ"),
            Cell::Int(3),
            Cell::date("2021-05-20".parse().ok()),
        ]);
        ds
    }

    #[test]
    fn csv_opens_in_russian_excel() {
        let csv = String::from_utf8(sample().csv()).unwrap();
        assert!(csv.starts_with('\u{feff}'));
        assert_eq!(
            csv.trim_start_matches('\u{feff}'),
            "Школа;Доля, %;Дата\r\n\"МОУ «Гаевская; ООШ»\";55,2;—\r\nНицинская ООШ;3;20.05.2021\r\n"
        );
    }

    #[test]
    fn json_is_typed_and_missing_is_null() {
        let json: Value = serde_json::from_slice(&sample().json()).unwrap();
        assert_eq!(json[0]["share"], 55.2);
        assert_eq!(json[0]["on"], Value::Null);
        assert_eq!(json[1]["on"], "2021-05-20");
    }
}
