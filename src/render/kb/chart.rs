//! Salary charts as inline SVG, drawn at build time: no JavaScript, scales
//! with the page (a `viewBox` 400 units wide, text sized to stay readable on
//! a 360 px phone), and carries a text alternative (`<title>`, `<desc>`).
//!
//! Every bar spans `min..max` on one linear axis from 0 to a rounded maximum,
//! so bar positions and lengths are proportional to the figures.

use std::fmt::Write;

use super::role::{currency_symbol, period_text, range_text};
use crate::model::kinds::SalaryData;
use crate::render::i18n::format_number;

/// Width of the drawing in SVG units.
pub const WIDTH: f64 = 400.0;
const ROW: f64 = 46.0;
const BAR: f64 = 14.0;
const AXIS: f64 = 26.0;

/// One bar: a label and a range.
#[derive(Debug, Clone, PartialEq)]
pub struct Bar {
    /// Text above the bar.
    pub label: String,
    /// Lower end.
    pub min: u64,
    /// Upper end.
    pub max: u64,
    /// Currency code.
    pub currency: String,
    /// A group heading drawn before this bar (role name on the overview).
    pub group: Option<String>,
}

/// The chart of one role's salary ranges per region; `id` is the SVG's id,
/// unique on its page (the overview shows one chart per role).
pub fn role_chart(id: &str, role: &str, salary: &SalaryData, language: &str) -> String {
    let bars: Vec<Bar> = salary
        .regions
        .iter()
        .map(|r| Bar {
            label: r.region.clone(),
            min: r.min,
            max: r.max,
            currency: salary.currency.clone(),
            group: None,
        })
        .collect();
    let title = match language {
        "ru" => format!("Зарплата: {role}, {}", period_text(salary.period, language)),
        _ => format!("Salary: {role}, {}", period_text(salary.period, language)),
    };
    draw(id, &title, &bars, language)
}

/// Draw bars on a shared axis from 0 to a round maximum.
pub fn draw(id: &str, title: &str, bars: &[Bar], language: &str) -> String {
    let (axis_max, step) = axis(bars.iter().map(|b| b.max).max().unwrap_or(1));
    let groups = bars.iter().filter(|b| b.group.is_some()).count() as f64;
    let height = bars.len() as f64 * ROW + groups * 24.0 + AXIS;
    let mut svg = String::new();
    let _ = write!(
        svg,
        r#"<svg class="salary-chart" id="{id}" role="img" aria-labelledby="{id}-title {id}-desc" viewBox="0 0 {WIDTH} {height}" width="100%" preserveAspectRatio="xMinYMin meet" xmlns="http://www.w3.org/2000/svg">"#
    );
    let _ = write!(svg, r#"<title id="{id}-title">{}</title>"#, escape(title));
    let _ = write!(
        svg,
        r#"<desc id="{id}-desc">{}</desc>"#,
        escape(&description(bars, language))
    );
    let plot_height = height - AXIS;
    grid(&mut svg, axis_max, step, plot_height, language);
    let mut y = 0.0;
    for bar in bars {
        if let Some(group) = &bar.group {
            let _ = write!(
                svg,
                r#"<text class="chart-group" x="0" y="{:.1}" font-size="14" font-weight="600">{}</text>"#,
                y + 16.0,
                escape(group)
            );
            y += 24.0;
        }
        draw_bar(&mut svg, bar, y, axis_max, language);
        y += ROW;
    }
    svg.push_str("</svg>");
    svg
}

fn draw_bar(svg: &mut String, bar: &Bar, y: f64, axis_max: u64, language: &str) {
    let x = scale(bar.min, axis_max);
    let width = (scale(bar.max, axis_max) - x).max(2.0);
    let label_y = y + 15.0;
    let bar_y = y + 22.0;
    let range = range_text(bar.min, bar.max, &bar.currency, language);
    let _ = write!(
        svg,
        r#"<text class="chart-label" x="0" y="{label_y:.1}" font-size="13">{}</text>"#,
        escape(&bar.label)
    );
    let _ = write!(
        svg,
        r#"<text class="chart-value" x="{WIDTH}" y="{label_y:.1}" font-size="13" text-anchor="end">{}</text>"#,
        escape(&range)
    );
    let _ = write!(
        svg,
        r##"<rect class="chart-track" x="0" y="{bar_y:.1}" width="{WIDTH}" height="{BAR}" rx="3" fill="#e8eaed"/>"##
    );
    let _ = write!(
        svg,
        r##"<rect class="chart-bar" x="{x:.2}" y="{bar_y:.1}" width="{width:.2}" height="{BAR}" rx="3" fill="#1a5fb4" data-min="{}" data-max="{}"/>"##,
        bar.min, bar.max
    );
}

/// Vertical grid lines with labels at each step.
fn grid(svg: &mut String, axis_max: u64, step: u64, plot_height: f64, language: &str) {
    let mut value = 0;
    while value <= axis_max {
        let x = scale(value, axis_max);
        let _ = write!(
            svg,
            r##"<line class="chart-grid" x1="{x:.2}" y1="0" x2="{x:.2}" y2="{plot_height:.1}" stroke="#c4c7c5" stroke-width="0.5"/>"##
        );
        let anchor = if value == 0 {
            "start"
        } else if value == axis_max {
            "end"
        } else {
            "middle"
        };
        let _ = write!(
            svg,
            r#"<text class="chart-tick" x="{x:.2}" y="{:.1}" font-size="11" text-anchor="{anchor}">{}</text>"#,
            plot_height + 16.0,
            escape(&tick_label(value, language))
        );
        value += step;
    }
}

/// `150 тыс.` / `150k`, so ticks stay short.
fn tick_label(value: u64, language: &str) -> String {
    let thousands = value / 1000;
    match (value, language) {
        (0, _) => "0".to_string(),
        (v, "ru") if v % 1000 == 0 => {
            format!("{}\u{a0}тыс.", format_number(thousands.into(), language))
        }
        (v, _) if v % 1000 == 0 => format!("{thousands}k"),
        (v, _) => format_number(v.into(), language),
    }
}

/// X coordinate of a value.
pub fn scale(value: u64, axis_max: u64) -> f64 {
    value as f64 / axis_max as f64 * WIDTH
}

/// A round axis maximum ≥ `max` and a step giving at most 5 intervals.
pub fn axis(max: u64) -> (u64, u64) {
    let max = max.max(1);
    let mut magnitude = 1u64;
    while magnitude.saturating_mul(10) <= max {
        magnitude *= 10;
    }
    for base in [magnitude / 10, magnitude] {
        for factor in [1, 2, 5, 10] {
            let step = (base * factor).max(1);
            let steps = max.div_ceil(step);
            if steps <= 5 {
                return (steps * step, step);
            }
        }
    }
    (max, max)
}

/// The text alternative: every bar in words.
fn description(bars: &[Bar], language: &str) -> String {
    let mut parts = Vec::new();
    let mut group = String::new();
    for bar in bars {
        if let Some(g) = &bar.group {
            group = format!("{g}, ");
        }
        let (min, max) = (
            format_number(bar.min.into(), language),
            format_number(bar.max.into(), language),
        );
        let symbol = currency_symbol(&bar.currency);
        parts.push(match language {
            "ru" => format!("{group}{}: от {min} до {max} {symbol}", bar.label),
            _ => format!("{group}{}: {min} to {max} {symbol}", bar.label),
        });
    }
    parts.join("; ")
}

fn escape(text: &str) -> String {
    crate::render::xml::escape(text)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::content::kinds::{Period, SalaryRegion};

    fn salary() -> SalaryData {
        SalaryData {
            as_of: None,
            currency: "RUB".into(),
            period: Period::Month,
            source: None,
            regions: vec![
                SalaryRegion {
                    region: "Россия".into(),
                    min: 24_000,
                    max: 100_000,
                },
                SalaryRegion {
                    region: "Москва".into(),
                    min: 30_000,
                    max: 150_000,
                },
            ],
            stale: false,
            age_months: None,
        }
    }

    #[test]
    fn axis_is_round_and_covers_the_maximum() {
        assert_eq!(axis(150_000), (150_000, 50_000));
        assert_eq!(axis(100_000), (100_000, 20_000));
        assert_eq!(axis(97_000), (100_000, 20_000));
        assert_eq!(axis(7), (8, 2));
        assert_eq!(axis(1), (1, 1));
    }

    #[test]
    fn bars_are_proportional_to_the_figures() {
        let svg = role_chart("salary-chart", "Аккаунт-менеджер", &salary(), "ru");
        let bars: Vec<(f64, f64)> = svg
            .split("<rect class=\"chart-bar\"")
            .skip(1)
            .map(|rest| (attr(rest, "x"), attr(rest, "width")))
            .collect();
        assert_eq!(bars.len(), 2);
        // Axis 0..150 000 over 400 units.
        assert!((bars[0].0 - 24_000.0 / 150_000.0 * WIDTH).abs() < 0.01);
        assert!((bars[0].1 - 76_000.0 / 150_000.0 * WIDTH).abs() < 0.01);
        assert!((bars[1].0 + bars[1].1 - WIDTH).abs() < 0.01);
    }

    #[test]
    fn chart_has_a_text_alternative() {
        let svg = role_chart("salary-chart", "Аккаунт-менеджер", &salary(), "ru");
        assert!(svg.contains(r#"role="img""#));
        assert!(svg.contains(
            "<title id=\"salary-chart-title\">Зарплата: Аккаунт-менеджер, в месяц</title>"
        ));
        assert!(svg.contains("Москва: от 30\u{202f}000 до 150\u{202f}000 ₽"));
    }

    fn attr(text: &str, name: &str) -> f64 {
        let start = text.find(&format!(" {name}=\"")).unwrap() + name.len() + 3;
        let end = text[start..].find('"').unwrap() + start;
        text[start..end].parse().unwrap()
    }
}
