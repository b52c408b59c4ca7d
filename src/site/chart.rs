//! Line charts of results dynamics, as SVG in the page: a school's groups (ГК, ГИСБШ) by year,
//! and its results of a procedure by year. A chart needs no JavaScript, names itself with
//! `<title>` and `<desc>` (every value in words), and tells its series apart by marker shape,
//! line pattern and a text legend, not by colour alone: a chart of more lines than there are
//! styles becomes several. A missing year breaks the line: it is never drawn as zero. The page
//! puts the same figures in a table beside it.

use std::fmt::Write;

use crate::domain::GroupNumber;
use crate::site::prose::escape;
use crate::site::russian;

/// One year of the groups chart.
pub struct Point {
    /// The year.
    pub year: i32,
    /// Группа качества, if there is one.
    pub quality: Option<i16>,
    /// Группа по ГИСБШ, if there is one.
    pub wellbeing: Option<i16>,
}

/// A line of a chart: its names and its value in each year (none where there is none).
pub struct Line {
    /// The legend's name.
    pub name: String,
    /// The name in the description, where the legend's is long: «ГК».
    pub short: String,
    /// One value per year of the chart.
    pub values: Vec<Option<f64>>,
}

/// What a chart shows.
pub struct Chart<'a> {
    /// The element id, unique in the page.
    pub id: &'a str,
    /// The chart's title.
    pub title: String,
    /// The years, left to right.
    pub years: Vec<i32>,
    /// The lines.
    pub lines: Vec<Line>,
    /// The values at the bottom and top of the axis.
    pub range: (f64, f64),
    /// The values marked on the axis.
    pub ticks: Vec<f64>,
    /// Decimals shown on labels.
    pub decimals: usize,
}

const PLOT: f64 = 196.0;
const BOTTOM: f64 = 40.0;
const LEGEND_ROW: f64 = 24.0;

/// How a chart is laid out for a screen. Labels are 13 units high in both, so a chart drawn
/// across a phone's 360 px is as legible as one drawn across a laptop's 640: each page carries
/// both and the style sheet shows the one that fits (`.chart-wide`, `.chart-narrow`).
#[derive(Clone, Copy)]
struct Layout {
    /// The class the style sheet shows or hides it by.
    class: &'static str,
    /// What tells its ids apart from the other layout's.
    id_suffix: &'static str,
    width: f64,
    left: f64,
    right: f64,
    /// Legend entries per row.
    legend_columns: usize,
    /// Row labels of a bar chart on a line of their own above the bar, not beside it.
    labels_above_bars: bool,
}

const WIDE: Layout = Layout {
    class: "chart-wide",
    id_suffix: "",
    width: 640.0,
    left: 56.0,
    right: 24.0,
    legend_columns: 2,
    labels_above_bars: false,
};

const NARROW: Layout = Layout {
    class: "chart-narrow",
    id_suffix: "-narrow",
    width: 360.0,
    left: 40.0,
    right: 12.0,
    legend_columns: 1,
    labels_above_bars: true,
};

/// The chart in both layouts, or none when `draw` has nothing to draw.
fn both(draw: impl Fn(Layout) -> Option<String>) -> Option<String> {
    Some(draw(WIDE)? + &draw(NARROW)?)
}

/// How each line looks, in order: colour, dash pattern, marker.
const STYLES: [(&str, &str, Marker); 6] = [
    ("#1f4e79", "", Marker::Circle),
    ("#8a3b00", "6 4", Marker::Square),
    ("#2e6b30", "2 3", Marker::Triangle),
    ("#6a2c70", "10 3 2 3", Marker::Diamond),
    ("#444444", "1 5", Marker::Circle),
    ("#9c1c1c", "8 2", Marker::Square),
];

#[derive(Clone, Copy)]
enum Marker {
    Circle,
    Square,
    Triangle,
    Diamond,
}

/// Draws a marker centred on (`x`, `y`) into `svg`, filled by the group it is in.
fn marker(svg: &mut String, kind: Marker, x: f64, y: f64) {
    let _ = match kind {
        Marker::Circle => write!(svg, r#"<circle cx="{}" cy="{}" r="5"/>"#, At(x), At(y)),
        Marker::Square => write!(
            svg,
            r#"<rect x="{}" y="{}" width="10" height="10"/>"#,
            At(x - 5.0),
            At(y - 5.0)
        ),
        Marker::Triangle => write!(
            svg,
            r#"<polygon points="{},{} {},{} {},{}"/>"#,
            At(x),
            At(y - 6.0),
            At(x - 6.0),
            At(y + 5.0),
            At(x + 6.0),
            At(y + 5.0)
        ),
        Marker::Diamond => write!(
            svg,
            r#"<polygon points="{},{} {},{} {},{} {},{}"/>"#,
            At(x),
            At(y - 6.0),
            At(x + 6.0),
            At(y),
            At(x),
            At(y + 6.0),
            At(x - 6.0),
            At(y)
        ),
    };
}

/// A coordinate as the charts write it, to a tenth of a unit, a whole one without «.0». Written
/// from whole tenths: the float formatter's exact mode (`{:.1}`) was a tenth of a national
/// export's time.
#[derive(Clone, Copy)]
struct At(f64);

impl std::fmt::Display for At {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let tenths = (self.0 * 10.0).round() as i64;
        let sign = if tenths < 0 { "-" } else { "" };
        let tenths = tenths.unsigned_abs();
        match tenths % 10 {
            0 => write!(f, "{sign}{}", tenths / 10),
            tenth => write!(f, "{sign}{}.{tenth}", tenths / 10),
        }
    }
}

/// The groups chart of a school, or none when no year has a group to draw.
pub fn evaluation_chart(id: &str, school: &str, points: &[Point]) -> Option<String> {
    let line = |name: &str, short: &str, value: fn(&Point) -> Option<i16>| Line {
        name: name.to_owned(),
        short: short.to_owned(),
        values: points.iter().map(|p| value(p).map(f64::from)).collect(),
    };
    line_chart(&Chart {
        id,
        title: format!("Динамика групп: {school}"),
        years: points.iter().map(|p| p.year).collect(),
        lines: vec![
            line("Группа качества (ГК)", "ГК", |p| {
                p.quality
            }),
            line("Группа по ГИСБШ", "ГИСБШ", |p| {
                p.wellbeing
            }),
        ],
        range: (1.0, f64::from(GroupNumber::MAX)),
        ticks: vec![1.0, 4.0, 7.0, 10.0],
        decimals: 0,
    })
}

/// The chart, or none when no line has a value to draw.
fn line_chart(chart: &Chart<'_>) -> Option<String> {
    both(|layout| line_chart_in(chart, layout))
}

/// At most this many lines in one chart: one more would look like one of the others.
const MOST_LINES: usize = STYLES.len();

/// The chart, split where it has more lines than can be told apart (a school's ВПР has a line
/// per subject and grade, sixteen and more) into charts of at most [`MOST_LINES`] lines each,
/// keeping the lines of one group (`groups[i]` is line i's: its subject) together where they
/// fit. Each part's title names the groups it shows. None when no line has a value to draw.
pub fn line_charts(chart: Chart<'_>, groups: &[String]) -> Option<String> {
    if chart.lines.len() <= MOST_LINES {
        return line_chart(&chart);
    }
    let order: Vec<usize> = (0..groups.len()).collect();
    let mut parts: Vec<Vec<usize>> = Vec::new();
    for group in order.chunk_by(|&a, &b| groups[a] == groups[b]) {
        match parts.last_mut() {
            Some(part) if part.len() + group.len() <= MOST_LINES => part.extend(group),
            _ => parts.extend(group.chunks(MOST_LINES).map(<[usize]>::to_vec)),
        }
    }
    let mut lines: Vec<Option<Line>> = chart.lines.into_iter().map(Some).collect();
    let drawn: String = parts
        .iter()
        .enumerate()
        .filter_map(|(n, part)| {
            let mut names: Vec<&str> = part.iter().map(|&i| groups[i].as_str()).collect();
            names.dedup();
            line_chart(&Chart {
                id: &format!("{}-{}", chart.id, n + 1),
                title: format!("{} — {}", chart.title, names.join(", ")),
                years: chart.years.clone(),
                lines: part.iter().filter_map(|&i| lines[i].take()).collect(),
                range: chart.range,
                ticks: chart.ticks.clone(),
                decimals: chart.decimals,
            })
        })
        .collect();
    (!drawn.is_empty()).then_some(drawn)
}

fn line_chart_in(chart: &Chart<'_>, layout: Layout) -> Option<String> {
    let Layout {
        width, left, right, ..
    } = layout;
    if chart
        .lines
        .iter()
        .all(|l| l.values.iter().all(Option::is_none))
    {
        return None;
    }
    let id = format!("{}{}", chart.id, layout.id_suffix);
    let class = layout.class;
    let legend_rows = chart.lines.len().div_ceil(layout.legend_columns);
    let top = 20.0 + LEGEND_ROW * legend_rows as f64;
    let height = top + PLOT + BOTTOM;
    let plot_width = width - left - right;
    let count = chart.years.len();
    let x = |i: usize| {
        if count == 1 {
            left + plot_width / 2.0
        } else {
            left + plot_width * i as f64 / (count - 1) as f64
        }
    };
    let (low, high) = chart.range;
    let y = |value: f64| top + PLOT * (1.0 - (value - low) / (high - low));
    let label = |value: f64| russian::decimal(value, chart.decimals);

    let mut desc = String::new();
    for (i, year) in chart.years.iter().enumerate() {
        let values: Vec<String> = chart
            .lines
            .iter()
            .map(|l| {
                let value = l.values[i].map_or("нет данных".to_owned(), label);
                format!("{} {value}", l.short)
            })
            .collect();
        let _ = write!(desc, "{year} год: {}. ", values.join(", "));
    }

    let mut svg = String::new();
    let _ = write!(
        svg,
        r##"<svg class="chart {class}" role="img" aria-labelledby="{id}-title {id}-desc" viewBox="0 0 {width} {height}" font-size="13" fill="#222" xmlns="http://www.w3.org/2000/svg">"##
    );
    let _ = write!(
        svg,
        r#"<title id="{id}-title">{}</title><desc id="{id}-desc">{}</desc>"#,
        escape(&chart.title),
        escape(desc.trim_end())
    );
    for &tick in &chart.ticks {
        let ty = y(tick);
        let _ = write!(
            svg,
            r##"<line x1="{left}" y1="{}" x2="{}" y2="{}" stroke="#c8c8c8"/><text x="{}" y="{}" text-anchor="end">{}</text>"##,
            At(ty),
            At(width - right),
            At(ty),
            At(left - 8.0),
            At(ty + 4.0),
            label(tick)
        );
    }
    for (i, year) in chart.years.iter().enumerate() {
        let _ = write!(
            svg,
            r##"<text x="{}" y="{}" text-anchor="middle">{year}</text>"##,
            At(x(i)),
            At(height - 14.0)
        );
    }
    for (n, line) in chart.lines.iter().enumerate() {
        let (colour, dash, kind) = STYLES[n % STYLES.len()];
        let dash = if dash.is_empty() {
            String::new()
        } else {
            format!(r#" stroke-dasharray="{dash}""#)
        };
        let columns = layout.legend_columns;
        let (lx, ly) = (
            left + 290.0 * (n % columns) as f64,
            18.0 + LEGEND_ROW * (n / columns) as f64,
        );
        // A line's markers and labels take its colour from the group around them.
        let _ = write!(
            svg,
            r#"<g fill="{colour}"><line x1="{}" y1="{}" x2="{}" y2="{}" stroke="{colour}" stroke-width="2"{dash}/>"#,
            At(lx),
            At(ly),
            At(lx + 30.0),
            At(ly)
        );
        marker(&mut svg, kind, lx + 15.0, ly);
        let _ = write!(
            svg,
            r##"<text x="{}" y="{}" fill="#222">{}</text>"##,
            At(lx + 38.0),
            At(ly + 5.0),
            escape(&line.name)
        );
        // Lines sit a little apart, so equal values do not hide each other.
        let dodge = (n as f64 - (chart.lines.len() as f64 - 1.0) / 2.0) * 6.0;
        let points: Vec<Option<(f64, f64, f64)>> = line
            .values
            .iter()
            .enumerate()
            .map(|(i, v)| v.map(|v| (x(i) + dodge, y(v), v)))
            .collect();
        for run in points.split(Option::is_none) {
            if run.len() > 1 {
                svg.push_str(r#"<polyline points=""#);
                for (at, (px, py, _)) in run.iter().flatten().enumerate() {
                    let gap = if at == 0 { "" } else { " " };
                    let _ = write!(svg, "{gap}{},{}", At(*px), At(*py));
                }
                let _ = write!(
                    svg,
                    r#"" fill="none" stroke="{colour}" stroke-width="2"{dash}/>"#
                );
            }
        }
        for (px, py, value) in points.into_iter().flatten() {
            marker(&mut svg, kind, px, py);
            let _ = write!(
                svg,
                r#"<text x="{}" y="{}" text-anchor="middle">{}</text>"#,
                At(px),
                At(py - 9.0),
                label(value)
            );
        }
        svg.push_str("</g>");
    }
    svg.push_str("</svg>");
    Some(svg)
}

/// A horizontal bar of each row split into its parts (a part's share of the row), with the
/// count in words in the description and each part labelled with its share.
pub fn stacked_bars(
    id: &str,
    title: &str,
    parts: [&str; 3],
    rows: &[(String, [u32; 3], [u32; 3])],
) -> Option<String> {
    both(|layout| stacked_bars_in(id, title, parts, rows, layout))
}

fn stacked_bars_in(
    id: &str,
    title: &str,
    parts: [&str; 3],
    rows: &[(String, [u32; 3], [u32; 3])],
    layout: Layout,
) -> Option<String> {
    let Layout {
        width, left, right, ..
    } = layout;
    let id = format!("{id}{}", layout.id_suffix);
    let class = layout.class;
    if rows
        .iter()
        .all(|(_, counts, _)| counts.iter().all(|&c| c == 0))
    {
        return None;
    }
    const COLOURS: [&str; 3] = ["#8a3b00", "#b5b5b5", "#1f4e79"];
    const LABEL_COLOURS: [&str; 3] = ["#ffffff", "#111111", "#ffffff"];
    // Beside the bar, a label has 250 units; above it, the whole width and a line of its own.
    let (bar_left, row_height) = if layout.labels_above_bars {
        (left, 62.0)
    } else {
        (left + 250.0, 44.0)
    };
    let bar_width = width - bar_left - right;
    let legend_rows = if layout.labels_above_bars { 3.0 } else { 1.0 };
    let top = 24.0 + 24.0 * legend_rows;
    let height = top + row_height * rows.len() as f64 + 10.0;
    let mut desc = String::new();
    for (label, counts, shares) in rows {
        let words: Vec<String> = parts
            .iter()
            .zip(counts.iter().zip(shares))
            .map(|(part, (count, share))| format!("{part} {count} ({share} %)"))
            .collect();
        let _ = write!(desc, "{label}: {}. ", words.join(", "));
    }
    let mut svg = String::new();
    let _ = write!(
        svg,
        r##"<svg class="chart {class}" role="img" aria-labelledby="{id}-title {id}-desc" viewBox="0 0 {width} {height}" font-size="13" fill="#222" xmlns="http://www.w3.org/2000/svg"><title id="{id}-title">{}</title><desc id="{id}-desc">{}</desc>"##,
        escape(title),
        escape(desc.trim_end())
    );
    for (p, part) in parts.iter().enumerate() {
        let (lx, ly) = if layout.labels_above_bars {
            (left, 10.0 + 24.0 * p as f64)
        } else {
            (left + 190.0 * p as f64, 10.0)
        };
        let _ = write!(
            svg,
            r##"<rect x="{}" y="{}" width="14" height="14" fill="{}"/><text x="{}" y="{}">{}</text>"##,
            At(lx),
            At(ly),
            COLOURS[p],
            At(lx + 20.0),
            At(ly + 12.0),
            escape(part)
        );
    }
    for (r, (label, _, shares)) in rows.iter().enumerate() {
        let row_top = top + row_height * r as f64;
        let _ = write!(
            svg,
            r##"<text x="{left}" y="{}">{}</text>"##,
            At(row_top + 20.0),
            escape(label)
        );
        let y = if layout.labels_above_bars {
            row_top + 28.0
        } else {
            row_top
        };
        let mut x = bar_left;
        for (p, share) in shares.iter().enumerate() {
            let w = bar_width * f64::from(*share) / 100.0;
            if w > 0.0 {
                let _ = write!(
                    svg,
                    r#"<rect x="{}" y="{}" width="{}" height="28" fill="{}"/>"#,
                    At(x),
                    At(y),
                    At(w),
                    COLOURS[p]
                );
                if *share >= 8 {
                    let _ = write!(
                        svg,
                        r#"<text x="{}" y="{}" text-anchor="middle" fill="{}">{share} %</text>"#,
                        At(x + w / 2.0),
                        At(y + 19.0),
                        LABEL_COLOURS[p]
                    );
                }
            }
            x += w;
        }
    }
    svg.push_str("</svg>");
    Some(svg)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_chart_describes_every_year_in_words() {
        let svg = evaluation_chart(
            "c",
            "Гаевская ООШ",
            &[
                Point {
                    year: 2020,
                    quality: Some(5),
                    wellbeing: None,
                },
                Point {
                    year: 2021,
                    quality: Some(6),
                    wellbeing: Some(2),
                },
            ],
        )
        .unwrap();
        assert!(svg.contains(r#"role="img""#));
        assert!(svg.contains("<title id=\"c-title\">Динамика групп: Гаевская ООШ</title>"));
        assert!(svg.contains("2020 год: ГК 5, ГИСБШ нет данных. 2021 год: ГК 6, ГИСБШ 2."));
        assert!(
            svg.contains("stroke-dasharray"),
            "the second series is dashed"
        );
    }

    #[test]
    fn a_missing_year_breaks_the_line() {
        let svg = line_chart(&Chart {
            id: "r",
            title: "ОГЭ".into(),
            years: vec![2019, 2020, 2021],
            lines: vec![Line {
                name: "Математика".into(),
                short: "Математика".into(),
                values: vec![Some(4.0), None, Some(3.33)],
            }],
            range: (1.0, 5.0),
            ticks: vec![1.0, 5.0],
            decimals: 2,
        })
        .unwrap();
        assert!(!svg.contains("<polyline"), "no line across 2020: {svg}");
        assert!(svg.contains("2020 год: Математика нет данных."));
    }

    #[test]
    fn more_lines_than_styles_make_several_charts_keeping_a_subject_together() {
        let line = |name: &str| Line {
            name: name.into(),
            short: name.into(),
            values: vec![Some(3.5)],
        };
        let groups: Vec<String> = ["Русский язык"; 5]
            .into_iter()
            .chain(["Математика"; 5])
            .chain(["Физика", "Химия"])
            .map(str::to_owned)
            .collect();
        let svg = line_charts(
            Chart {
                id: "r",
                title: "ВПР".into(),
                years: vec![2024],
                lines: (0..groups.len())
                    .map(|i| line(&format!("line {i}")))
                    .collect(),
                range: (2.0, 5.0),
                ticks: vec![2.0, 5.0],
                decimals: 2,
            },
            &groups,
        )
        .unwrap();
        let titles: Vec<&str> = svg
            .split("<title id=\"")
            .skip(1)
            .map(|rest| &rest[rest.find('>').unwrap() + 1..rest.find("</title>").unwrap()])
            .collect();
        assert_eq!(
            titles,
            [
                "ВПР — Русский язык",
                "ВПР — Русский язык",
                "ВПР — Математика, Физика",
                "ВПР — Математика, Физика",
                "ВПР — Химия",
                "ВПР — Химия",
            ],
            "each chart twice: wide and narrow"
        );
        assert!(svg.contains(r#"id="r-3-title""#));
    }

    #[test]
    fn nothing_to_draw_means_no_chart() {
        assert!(
            evaluation_chart(
                "c",
                "x",
                &[Point {
                    year: 2020,
                    quality: None,
                    wellbeing: None
                }]
            )
            .is_none()
        );
    }
}
