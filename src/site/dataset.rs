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
    /// The dataset this one's rows are published in, when it is not published on its own: a
    /// school's table is part of its municipality's dataset with a row per school (a file per
    /// school and table would be hundreds of thousands of files for a country).
    pub part_of: Option<String>,
}

/// The wholes of `parts` (each with the row it heads in the whole: a school), in order of
/// first appearance: the columns of all parts by key, led by `lead` unless the parts have it,
/// and every part's rows under their lead. A whole is titled by what its parts are
/// («Кураторы» of «Кураторы: СОШ № 6») and `whose` they are together.
pub fn wholes<'a>(
    parts: impl IntoIterator<Item = (Cell, &'a Dataset)>,
    lead: (&'static str, &'static str),
    whose: &str,
) -> Vec<Dataset> {
    let mut wholes: Vec<Dataset> = Vec::new();
    for (lead_cell, part) in parts {
        let Some(id) = &part.part_of else { continue };
        let at = match wholes.iter().position(|w| &w.id == id) {
            Some(at) => at,
            None => {
                let what = part.title.split(": ").next().unwrap_or(&part.title);
                let mut whole = Dataset::new(
                    id.clone(),
                    format!("{what}: {whose}"),
                    part.description.clone(),
                    &[],
                );
                if !part.columns.iter().any(|c| c.key == lead.0) {
                    whole = whole.column(lead.0, lead.1);
                }
                wholes.push(whole);
                wholes.len() - 1
            }
        };
        let whole = &mut wholes[at];
        for column in &part.columns {
            if !whole.columns.iter().any(|c| c.key == column.key) {
                whole.columns.push(column.clone());
                for row in &mut whole.rows {
                    row.push(Cell::Missing);
                }
            }
        }
        for row in &part.rows {
            let mut full = vec![Cell::Missing; whole.columns.len()];
            if whole.columns[0].key == lead.0 && !part.columns.iter().any(|c| c.key == lead.0) {
                full[0] = lead_cell.clone();
            }
            for (column, cell) in part.columns.iter().zip(row) {
                let to = whole
                    .columns
                    .iter()
                    .position(|c| c.key == column.key)
                    .expect("added above");
                full[to] = cell.clone();
            }
            whole.rows.push(full);
        }
    }
    wholes
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
            part_of: None,
        }
    }

    /// Says why the table may be empty, in words a reader understands.
    pub fn when_empty(mut self, sentence: impl Into<Cow<'static, str>>) -> Self {
        self.when_empty = sentence.into();
        self
    }

    /// Published as open data of its own: a dataset without rows is not a dataset anyone can
    /// use, and a part is published in its whole.
    pub fn is_published(&self) -> bool {
        !self.rows.is_empty() && self.part_of.is_none()
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

    /// The site-relative paths of the files its rows are published in.
    pub fn files(&self) -> [String; 3] {
        let id = self.part_of.as_deref().unwrap_or(&self.id);
        [
            format!("opendata/{id}.csv"),
            format!("opendata/{id}.json"),
            format!("opendata/{id}.meta.json"),
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

    #[test]
    fn a_whole_has_every_part_s_columns_and_a_row_per_part_row_under_its_school() {
        let part = |school: &str, years: &[(&'static str, i64)]| {
            let mut columns = vec![("subject", "Предмет")];
            columns.extend(years.iter().map(|&(year, _)| (year, year)));
            let mut ds = Dataset::new(
                format!("m-school-{school}-vpr"),
                format!("ВПР: {school}"),
                "d",
                &columns,
            );
            let mut row = vec![Cell::text("Математика")];
            row.extend(years.iter().map(|&(_, n)| Cell::Int(n)));
            ds.push(row);
            ds.part_of = Some("m-schools-vpr".into());
            ds
        };
        let (a, b) = (part("1", &[("2020", 3)]), part("2", &[("2021", 4)]));
        let wholes = wholes(
            [(Cell::text("СОШ № 1"), &a), (Cell::text("СОШ № 2"), &b)],
            ("school", "Школа"),
            "все школы",
        );
        let [whole] = wholes.as_slice() else {
            panic!("one whole: {wholes:?}")
        };
        assert_eq!(whole.title, "ВПР: все школы");
        assert!(whole.is_published());
        let csv = String::from_utf8(whole.csv()).unwrap();
        assert_eq!(
            csv,
            "\u{feff}Школа;Предмет;2020;2021\r\nСОШ № 1;Математика;3;—\r\nСОШ № 2;Математика;—;4\r\n"
        );
    }
}
