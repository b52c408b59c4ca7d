//! The results-dynamics chart of a school: quality group and well-being group by year, as an SVG
//! in the page. It needs no JavaScript, names itself with `<title>` and `<desc>`, and tells the
//! two series apart by marker shape, line pattern and a text legend, not by colour alone. The
//! page puts the same figures in a table beside it.

use std::fmt::Write;

use crate::domain::GroupNumber;

/// One year of the chart.
pub struct Point {
    /// The year.
    pub year: i32,
    /// Группа качества, if there is one.
    pub quality: Option<i16>,
    /// Группа по ГИСБШ, if there is one.
    pub wellbeing: Option<i16>,
}

const WIDTH: f64 = 640.0;
const HEIGHT: f64 = 280.0;
const LEFT: f64 = 56.0;
const RIGHT: f64 = 24.0;
const TOP: f64 = 44.0;
const BOTTOM: f64 = 40.0;

struct Series {
    name: &'static str,
    colour: &'static str,
    dash: &'static str,
    value: fn(&Point) -> Option<i16>,
    marker: fn(f64, f64, &str) -> String,
}

fn circle(x: f64, y: f64, colour: &str) -> String {
    format!(r#"<circle cx="{x:.1}" cy="{y:.1}" r="5" fill="{colour}"/>"#)
}

fn square(x: f64, y: f64, colour: &str) -> String {
    format!(
        r#"<rect x="{:.1}" y="{:.1}" width="10" height="10" fill="{colour}"/>"#,
        x - 5.0,
        y - 5.0
    )
}

const SERIES: [Series; 2] = [
    Series {
        name: "Группа качества (ГК)",
        colour: "#1f4e79",
        dash: "",
        value: |p| p.quality,
        marker: circle,
    },
    Series {
        name: "Группа по ГИСБШ",
        colour: "#8a3b00",
        dash: r#" stroke-dasharray="6 4""#,
        value: |p| p.wellbeing,
        marker: square,
    },
];

/// The chart, or none when no year has a group to draw.
pub fn evaluation_chart(id: &str, school: &str, points: &[Point]) -> Option<String> {
    if points
        .iter()
        .all(|p| p.quality.is_none() && p.wellbeing.is_none())
    {
        return None;
    }
    let max = f64::from(GroupNumber::MAX);
    let plot_width = WIDTH - LEFT - RIGHT;
    let plot_height = HEIGHT - TOP - BOTTOM;
    let x = |i: usize| {
        if points.len() == 1 {
            LEFT + plot_width / 2.0
        } else {
            LEFT + plot_width * i as f64 / (points.len() - 1) as f64
        }
    };
    let y = |group: i16| TOP + plot_height * (1.0 - (f64::from(group) - 1.0) / (max - 1.0));

    let mut desc = String::new();
    for p in points {
        let show = |v: Option<i16>| v.map_or("нет данных".to_owned(), |v| v.to_string());
        let _ = write!(
            desc,
            "{} год: ГК {}, ГИСБШ {}. ",
            p.year,
            show(p.quality),
            show(p.wellbeing)
        );
    }

    let mut svg = String::new();
    let _ = write!(
        svg,
        r#"<svg class="chart" role="img" aria-labelledby="{id}-title {id}-desc" viewBox="0 0 {WIDTH} {HEIGHT}" xmlns="http://www.w3.org/2000/svg">"#
    );
    let _ = write!(
        svg,
        r#"<title id="{id}-title">Динамика групп: {}</title><desc id="{id}-desc">{}</desc>"#,
        escape(school),
        desc.trim_end()
    );
    // Axes and grid: group 1 at the bottom, 10 at the top.
    for group in [1, 4, 7, 10] {
        let gy = y(group);
        let _ = write!(
            svg,
            r##"<line x1="{LEFT}" y1="{gy:.1}" x2="{:.1}" y2="{gy:.1}" stroke="#c8c8c8"/><text x="{:.1}" y="{:.1}" text-anchor="end" font-size="13" fill="#222">{group}</text>"##,
            WIDTH - RIGHT,
            LEFT - 8.0,
            gy + 4.0
        );
    }
    for (i, p) in points.iter().enumerate() {
        let _ = write!(
            svg,
            r##"<text x="{:.1}" y="{:.1}" text-anchor="middle" font-size="13" fill="#222">{}</text>"##,
            x(i),
            HEIGHT - 14.0,
            p.year
        );
    }
    // Legend: a marker, a line sample and the name of each series.
    for (s, series) in SERIES.iter().enumerate() {
        let lx = LEFT + 250.0 * s as f64;
        let _ = write!(
            svg,
            r##"<line x1="{lx:.1}" y1="18" x2="{:.1}" y2="18" stroke="{}" stroke-width="2"{}/>{}<text x="{:.1}" y="23" font-size="13" fill="#222">{}</text>"##,
            lx + 30.0,
            series.colour,
            series.dash,
            (series.marker)(lx + 15.0, 18.0, series.colour),
            lx + 38.0,
            series.name
        );
    }
    for (s, series) in SERIES.iter().enumerate() {
        // The series sit a little apart, so equal groups do not hide each other.
        let dodge = if s == 0 { -7.0 } else { 7.0 };
        let coordinates: Vec<(f64, f64, i16)> = points
            .iter()
            .enumerate()
            .filter_map(|(i, p)| (series.value)(p).map(|v| (x(i) + dodge, y(v), v)))
            .collect();
        if coordinates.len() > 1 {
            let path: Vec<String> = coordinates
                .iter()
                .map(|(px, py, _)| format!("{px:.1},{py:.1}"))
                .collect();
            let _ = write!(
                svg,
                r#"<polyline points="{}" fill="none" stroke="{}" stroke-width="2"{}/>"#,
                path.join(" "),
                series.colour,
                series.dash
            );
        }
        for (px, py, value) in coordinates {
            svg.push_str(&(series.marker)(px, py, series.colour));
            let _ = write!(
                svg,
                r#"<text x="{:.1}" y="{:.1}" font-size="13" text-anchor="{}" fill="{}">{value}</text>"#,
                px + dodge * 1.4,
                py - 8.0,
                if s == 0 { "end" } else { "start" },
                series.colour
            );
        }
    }
    svg.push_str("</svg>");
    Some(svg)
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
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
