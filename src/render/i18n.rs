//! Language rules for UI text: CLDR plural categories, dates and numbers.

use crate::content::page::Date;

/// The CLDR plural category of `n` in `language`: `one`, `few`, `many` or `other`.
///
/// Russian: 1, 21, 101 → `one`; 2–4, 22–24 → `few`; 0, 5–20, 25 → `many`.
/// English and unknown languages: 1 → `one`, else `other`.
pub fn plural_category(language: &str, n: i64) -> &'static str {
    let n = n.unsigned_abs();
    match base_language(language) {
        "ru" | "uk" | "be" => {
            let (d10, d100) = (n % 10, n % 100);
            if d10 == 1 && d100 != 11 {
                "one"
            } else if (2..=4).contains(&d10) && !(12..=14).contains(&d100) {
                "few"
            } else {
                "many"
            }
        }
        _ => {
            if n == 1 {
                "one"
            } else {
                "other"
            }
        }
    }
}

/// How old data is, in words, after "more than": `больше шести лет`,
/// `больше года`, `больше 14 месяцев`; `more than six years`.
pub fn age_text(months: i32, language: &str) -> String {
    let months = months.max(0) as u32;
    let (n, unit) = if months >= 12 {
        (months / 12, Unit::Year)
    } else {
        (months, Unit::Month)
    };
    match base_language(language) {
        "ru" => ru_more_than(n, unit),
        _ => {
            let words = [
                "zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine",
                "ten",
            ];
            let count = words
                .get(n as usize)
                .map_or(n.to_string(), |w| w.to_string());
            let unit = match (unit, n) {
                (Unit::Year, 1) => "year",
                (Unit::Year, _) => "years",
                (Unit::Month, 1) => "month",
                (Unit::Month, _) => "months",
            };
            format!("more than {count} {unit}")
        }
    }
}

#[derive(Clone, Copy)]
enum Unit {
    Year,
    Month,
}

/// `больше` takes the genitive: `больше года`, `больше двух лет`, `больше
/// 21 года`, `больше 25 месяцев`.
fn ru_more_than(n: u32, unit: Unit) -> String {
    const GENITIVE: [&str; 11] = [
        "нуля",
        "одного",
        "двух",
        "трёх",
        "четырёх",
        "пяти",
        "шести",
        "семи",
        "восьми",
        "девяти",
        "десяти",
    ];
    let one = n % 10 == 1 && n % 100 != 11;
    let noun = match (unit, one) {
        (Unit::Year, true) => "года",
        (Unit::Year, false) => "лет",
        (Unit::Month, true) => "месяца",
        (Unit::Month, false) => "месяцев",
    };
    match n {
        1 => format!("больше {noun}"),
        2..=10 => format!("больше {} {noun}", GENITIVE[n as usize]),
        _ => format!("больше {n} {noun}"),
    }
}

fn base_language(language: &str) -> &str {
    language.split(['-', '_']).next().unwrap_or(language)
}

const RU_MONTHS_GENITIVE: [&str; 12] = [
    "января",
    "февраля",
    "марта",
    "апреля",
    "мая",
    "июня",
    "июля",
    "августа",
    "сентября",
    "октября",
    "ноября",
    "декабря",
];

const EN_MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

/// How a date is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DateStyle {
    /// `4 ноября 2020 г.` / `November 4, 2020`.
    Long,
    /// `04.11.2020` / `2020-11-04`.
    Short,
    /// `2020-11-04` (for `datetime` attributes).
    Iso,
    /// `ноябрь 2020` style month and year: `ноября 2020 г.` / `November 2020`.
    Month,
}

/// Format a date in the site's language.
pub fn format_date(date: &Date, language: &str, style: DateStyle) -> String {
    let (y, m, d) = (date.year(), date.month() as usize, date.day());
    let ru = base_language(language) == "ru";
    match (style, ru) {
        (DateStyle::Iso, _) => format!("{y:04}-{m:02}-{d:02}"),
        (DateStyle::Long, true) => format!("{d} {} {y} г.", RU_MONTHS_GENITIVE[m - 1]),
        (DateStyle::Long, false) => format!("{} {d}, {y}", EN_MONTHS[m - 1]),
        (DateStyle::Short, true) => format!("{d:02}.{m:02}.{y:04}"),
        (DateStyle::Short, false) => format!("{y:04}-{m:02}-{d:02}"),
        (DateStyle::Month, true) => format!("{} {y} г.", RU_MONTHS_NOMINATIVE[m - 1]),
        (DateStyle::Month, false) => format!("{} {y}", EN_MONTHS[m - 1]),
    }
}

const RU_MONTHS_NOMINATIVE: [&str; 12] = [
    "январь",
    "февраль",
    "март",
    "апрель",
    "май",
    "июнь",
    "июль",
    "август",
    "сентябрь",
    "октябрь",
    "ноябрь",
    "декабрь",
];

/// Group digits of an integer: `30 000` in Russian (narrow no-break space,
/// also for four digits in tables), `30,000` in English.
pub fn format_number(n: i128, language: &str) -> String {
    let digits = n.unsigned_abs().to_string();
    let separator = if base_language(language) == "ru" {
        "\u{202f}"
    } else {
        ","
    };
    let mut out = String::new();
    if n < 0 {
        out.push('−');
    }
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push_str(separator);
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ages_read_as_words() {
        assert_eq!(age_text(73, "ru"), "больше шести лет");
        assert_eq!(age_text(12, "ru"), "больше года");
        assert_eq!(age_text(25, "ru"), "больше двух лет");
        assert_eq!(age_text(21 * 12, "ru"), "больше 21 года");
        assert_eq!(age_text(30 * 12, "ru"), "больше 30 лет");
        assert_eq!(age_text(7, "ru"), "больше семи месяцев");
        assert_eq!(age_text(73, "en"), "more than six years");
        assert_eq!(age_text(13, "en"), "more than one year");
    }

    #[test]
    fn russian_plural_forms() {
        let forms: Vec<_> = [1, 2, 5, 11, 12, 14, 21, 22, 25, 101, 111, 0]
            .iter()
            .map(|&n| plural_category("ru", n))
            .collect();
        assert_eq!(
            forms,
            [
                "one", "few", "many", "many", "many", "many", "one", "few", "many", "one", "many",
                "many"
            ]
        );
    }

    #[test]
    fn english_plural_forms() {
        assert_eq!(plural_category("en", 1), "one");
        assert_eq!(plural_category("en", 2), "other");
        assert_eq!(plural_category("en-GB", 0), "other");
    }

    #[test]
    fn dates_in_the_site_language() {
        let date = crate::content::page::parse_date("2020-11-04").unwrap();
        assert_eq!(
            format_date(&date, "ru", DateStyle::Long),
            "4 ноября 2020 г."
        );
        assert_eq!(
            format_date(&date, "en", DateStyle::Long),
            "November 4, 2020"
        );
        assert_eq!(format_date(&date, "ru", DateStyle::Short), "04.11.2020");
        assert_eq!(format_date(&date, "ru", DateStyle::Iso), "2020-11-04");
        assert_eq!(format_date(&date, "ru", DateStyle::Month), "ноябрь 2020 г.");
    }

    #[test]
    fn numbers_are_grouped() {
        assert_eq!(format_number(150000, "ru"), "150\u{202f}000");
        assert_eq!(format_number(2500, "en"), "2,500");
        assert_eq!(format_number(999, "ru"), "999");
        assert_eq!(format_number(-1000, "en"), "−1,000");
    }
}
