//! `boilerplate`: text that came along when an article was copied from a web
//! page — ad and promo blocks, comment forms, ad-blocker and cookie banners,
//! editorial disclaimers, photo credits, site footers, e-mail addresses.
//!
//! Each paragraph, list item and heading is matched on its visible text,
//! lowercased, with `ё` read as `е` and whitespace collapsed. Consecutive
//! blocks of the same kind (a comment form is a heading, a prompt and a
//! notice) give one finding at the first. E-mail addresses are reported one
//! by one, at their own column.

use regex::Regex;

use super::outline::{HeadingRef, Unit};
use super::page::PageText;
use super::rules::BOILERPLATE;
use crate::error::Error;

/// What a pattern recognizes.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Kind {
    Ad,
    CommentForm,
    AdBlocker,
    Disclaimer,
    PhotoCredit,
    Cookie,
    Footer,
    Share,
    Email,
    Custom(String),
}

impl Kind {
    fn describe(&self) -> &str {
        match self {
            Kind::Ad => "an advertising or promo block",
            Kind::CommentForm => "a comment form",
            Kind::AdBlocker => "an ad-blocker banner",
            Kind::Disclaimer => "an editorial disclaimer",
            Kind::PhotoCredit => "a photo credit",
            Kind::Cookie => "a cookie banner",
            Kind::Footer => "a site footer",
            Kind::Share => "share buttons",
            Kind::Email => "an e-mail address",
            Kind::Custom(message) => message,
        }
    }
}

/// One boilerplate pattern: a case-insensitive regular expression.
#[derive(Debug, Clone)]
pub struct Pattern {
    regex: Regex,
    kind: Kind,
}

/// Makes the kind of a built-in pattern (a function: `Kind` owns a `String`).
type MakeKind = fn() -> Kind;

/// Built-in patterns, written for the normalized text (lowercase, `е` for `ё`).
/// Word boundaries are ASCII-only (`(?-u:\b)`) and stand next to Latin words
/// only: a Unicode `\b` keeps the regex engine off its fast automaton on
/// Russian text, which made a 50 MB page take seconds longer.
const DEFAULTS: &[(&str, MakeKind)] = &[
    // Ads and promos (Russian ad marking: «Реклама. ООО …, erid: …»).
    (
        r"^(реклама|рекламный блок|спонсорский блок|спецпроект|advertisement|advertising|sponsored|ad)\W*(\d+\+\W*)?$",
        || Kind::Ad,
    ),
    (r"^реклама\s*[.:]", || Kind::Ad),
    (r"(?-u:\b)erid\s*[:：]", || Kind::Ad),
    (r"на правах рекламы", || Kind::Ad),
    (
        r"(по|введите|используйте|примените|с) промокод|промокод\w*\s*[:«“]|(?-u:\b)promo ?code\s*:|(?-u:\b)use (the )?(promo )?code(?-u:\b)",
        || Kind::Ad,
    ),
    (
        r"(примите|участвуйте|поучаствуйте) (участие )?в (конкурсе|премии|рейтинге|розыгрыше)|приглашаем (вас )?(принять участие|к участию) в (конкурсе|премии|розыгрыше)|прием заявок (открыт|продлен|продлится)|заявк\w* на участие в (конкурсе|премии|рейтинге)|конкурс\w* для (digital|диджитал|рекламных|креативных|маркетинговых|коммуникационных)(-| )агентств|призов\w* фонд|главный приз|(подробнее|подробности|регистрация)[^.!?]{0,20}по ссылке",
        || Kind::Ad,
    ),
    (
        r"подпис(ывайтесь|аться|ывайся|айтесь) на (наш|нас(?:$|[^\p{L}]))|присоединяйтесь к (нашему|нам в)",
        || Kind::Ad,
    ),
    (
        r"(?-u:\b)subscribe to (our|the) (newsletter|channel|blog)|(?-u:\b)sponsored (content|post|by)(?-u:\b)|(?-u:\b)paid (partnership|promotion)(?-u:\b)",
        || Kind::Ad,
    ),
    // Comment forms: labels and buttons are whole blocks; prompts are short.
    (
        r"^(комментарии|комментарий|комментариев нет|нет комментариев|обсуждение|comments?|leave a reply|discussion)\W*(\d+\W*)?$",
        || Kind::CommentForm,
    ),
    (
        r"^(\w+,? )?(оставьте|добавьте|напишите|оставить|добавить|написать|отправить) (свой |ваш |первый )?комментари\w*( \S+){0,3}\W*$",
        || Kind::CommentForm,
    ),
    (
        r"(ваш|адрес вашей) (адрес )?(e-?mail|электронной почты|почты) не (будет )?опубликован",
        || Kind::CommentForm,
    ),
    (
        r"обязательные поля помечены|чтобы (оставить|написать) комментарий|войдите,? чтобы (комментировать|прокомментировать|оставить)|нажимая (на )?кнопку «?(отправить|оставить|опубликовать)",
        || Kind::CommentForm,
    ),
    (
        r"(?-u:\b)leave a (comment|reply)(?-u:\b)|(?-u:\b)your email address will not be published(?-u:\b)|(?-u:\b)required fields are marked(?-u:\b)|(?-u:\b)post comment(?-u:\b)|(?-u:\b)log ?in to (comment|reply)(?-u:\b)",
        || Kind::CommentForm,
    ),
    // Ad-blocker banners: they speak to the reader.
    (
        r"(отключите|выключите|приостановите|отключить) (ваш |свой )?(блокировщик|блокировку рекламы|adblock|ad block)|(используете|включен|установлен) (ли )?(у вас )?(блокировщик рекламы|adblock)|добавьте (наш )?сайт в (исключения|белый список)",
        || Kind::AdBlocker,
    ),
    (
        r"(?-u:\b)(disable|turn off|pause) (your )?ad ?-?block(er)?(?-u:\b)|(?-u:\b)(using|use) an ad ?-?blocker(?-u:\b)|(?-u:\b)whitelist (us|our site|this site)(?-u:\b)",
        || Kind::AdBlocker,
    ),
    // Editorial disclaimers.
    (
        r"мнение (редакции|автора) (может )?не совпада|точка зрения (редакции|автора) (может )?не совпада|редакция не (несет|отвечает)",
        || Kind::Disclaimer,
    ),
    (
        r"(партнерск|спонсорск)\w* (материал|публикаци|стать)|материал (подготовлен|опубликован|публикуется) (при поддержке|на правах|в партнерстве)|(стать\w*|публикаци\w*) (опубликован\w*|публикуется) на правах",
        || Kind::Disclaimer,
    ),
    (
        r"по вопросам (размещения|сотрудничества|рекламы|публикации)|хотите (опубликовать (свою|свой|вашу)|стать (нашим )?автором|написать для нас)|(присылайте|отправляйте|направляйте|пишите)[^.!?]{0,60}(на почту|на адрес|на e-?mail|в редакцию)",
        || Kind::Disclaimer,
    ),
    (
        r"(?-u:\b)the views (and opinions )?expressed(?-u:\b)|(?-u:\b)(this|the) (article|post|content) (is|was) (sponsored|produced in partnership|paid for)(?-u:\b)",
        || Kind::Disclaimer,
    ),
    // Photo credits (a caption such as «Иллюстрация: схема …» is not one).
    (
        r"^(фото|фотография|фотографии|обложка|photo|photos|cover photo|cover image)( на обложке| обложки| в заголовке| анонса)?\s*(:|©|—|–)",
        || Kind::PhotoCredit,
    ),
    (
        r"(?-u:\b)photo(graph)? (by|credit|courtesy)(?-u:\b)|(?-u:\b)image (credit|courtesy|source)(?-u:\b)|источник (фото|изображения|иллюстрации)|(?-u:\b)(shutterstock|getty images|depositphotos|unsplash)(?-u:\b)|фотобанк",
        || Kind::PhotoCredit,
    ),
    // Cookie banners, footers, share buttons.
    (
        r"(мы используем|сайт использует|используются) (файлы )?cookie|(?-u:\b)we use cookies(?-u:\b)|(?-u:\b)(this|our) (site|website) uses cookies(?-u:\b)",
        || Kind::Cookie,
    ),
    (
        r"все права защищены|(?-u:\b)all rights reserved(?-u:\b)|^©|копирование материалов (сайта )?(запрещено|разрешено|допускается)",
        || Kind::Footer,
    ),
    (
        r"^(поделиться|поделитесь|поделиться в соцсетях|share|share this|share on)\W*$",
        || Kind::Share,
    ),
    // E-mail addresses anywhere in the text.
    (
        r"[a-z0-9][a-z0-9._%+-]*@[a-z0-9-]+(\.[a-z0-9-]+)*\.[a-zа-я]{2,}",
        || Kind::Email,
    ),
];

impl Pattern {
    /// The built-in list.
    pub fn defaults() -> Vec<Pattern> {
        DEFAULTS
            .iter()
            .map(|(source, kind)| Pattern {
                regex: compile(source).expect("built-in patterns are valid"),
                kind: kind(),
            })
            .collect()
    }

    /// A site's own pattern; `message` names what it finds.
    pub fn custom(source: &str, message: Option<&str>) -> Result<Pattern, String> {
        let normalized = normalize(source);
        let regex = compile(&normalized).map_err(|e| e.to_string())?;
        let message = message.map_or_else(
            || format!("text matching the boilerplate pattern `{source}`"),
            str::to_string,
        );
        Ok(Pattern {
            regex,
            kind: Kind::Custom(message),
        })
    }

    /// What the pattern finds, as a phrase ("a comment form").
    pub fn message(&self) -> &str {
        self.kind.describe()
    }
}

fn compile(source: &str) -> Result<Regex, regex::Error> {
    regex::RegexBuilder::new(source)
        .case_insensitive(true)
        .size_limit(1 << 20)
        .build()
}

/// Lowercase, `ё` → `е`: what patterns are matched against.
fn normalize(text: &str) -> String {
    text.to_lowercase().replace('ё', "е")
}

/// A block of text that may be boilerplate: a unit or a heading.
struct Item<'a> {
    start: usize,
    end: usize,
    text: &'a str,
    mailto: &'a [String],
    is_heading: bool,
}

/// All patterns compiled into one set, so each block is scanned once.
pub(crate) struct Matcher<'a> {
    patterns: &'a [Pattern],
    set: regex::RegexSet,
}

impl<'a> Matcher<'a> {
    /// Compile the set (the patterns are already known to be valid).
    pub fn new(patterns: &'a [Pattern]) -> Matcher<'a> {
        let set = regex::RegexSetBuilder::new(patterns.iter().map(|p| p.regex.as_str()))
            .case_insensitive(true)
            .size_limit(1 << 24)
            .build()
            .unwrap_or_else(|_| regex::RegexSet::empty());
        Matcher { patterns, set }
    }

    /// The first block pattern and the e-mail pattern that match `text`.
    fn matches(&self, text: &str) -> (Option<&'a Pattern>, Option<&'a Pattern>) {
        let mut block = None;
        let mut email = None;
        let hits = if self.set.is_empty() && !self.patterns.is_empty() {
            // A set too big to compile: fall back to one pattern at a time.
            (0..self.patterns.len())
                .filter(|&i| self.patterns[i].regex.is_match(text))
                .collect::<Vec<_>>()
        } else {
            self.set.matches(text).into_iter().collect()
        };
        for i in hits {
            let pattern = &self.patterns[i];
            match pattern.kind {
                Kind::Email => email = email.or(Some(pattern)),
                _ => block = block.or(Some(pattern)),
            }
        }
        (block, email)
    }
}

/// Findings of `boilerplate` for one page.
pub(crate) fn check(page: &PageText<'_>, matcher: &Matcher<'_>) -> Vec<Error> {
    if matcher.patterns.is_empty() {
        return Vec::new();
    }
    let mut findings = Vec::new();
    let mut previous: Option<(usize, Kind)> = None;
    let all = items(&page.outline.units, &page.outline.headings);
    for (index, item) in all.iter().enumerate() {
        let text = normalize(item.text);
        let (mut block, email) = matcher.matches(&text);
        if item.is_heading && block.is_some() {
            // A heading such as «Реклама» or «Комментарии» may be the
            // author's own section: only the start of a pasted block counts.
            let next = all
                .get(index + 1)
                .map(|n| matcher.matches(&normalize(n.text)).0);
            let continues = next.flatten().map(|p| &p.kind) == block.map(|p| &p.kind);
            if !continues {
                block = None;
            }
        }
        if let Some(pattern) = block {
            let continues = previous
                .as_ref()
                .is_some_and(|(i, kind)| *i + 1 == index && *kind == pattern.kind);
            if !continues {
                findings.push(block_finding(page, item, &pattern.kind));
            }
            previous = Some((index, pattern.kind.clone()));
        }
        let email = email.or_else(|| {
            // `mailto:` addresses are not in the visible text.
            (!item.mailto.is_empty())
                .then(|| matcher.patterns.iter().find(|p| p.kind == Kind::Email))
                .flatten()
        });
        if let Some(email) = email {
            findings.extend(email_findings(page, item, &text, &email.regex));
        }
    }
    findings
}

/// Units and headings in source order.
fn items<'a>(units: &'a [Unit], headings: &'a [HeadingRef]) -> Vec<Item<'a>> {
    let mut items: Vec<Item<'a>> = units
        .iter()
        .map(|u| Item {
            start: u.start,
            end: u.end,
            text: &u.text,
            mailto: &u.mailto,
            is_heading: false,
        })
        .chain(headings.iter().map(|h| Item {
            start: h.start,
            end: h.start,
            text: &h.text,
            mailto: &[],
            is_heading: true,
        }))
        .collect();
    items.sort_by_key(|i| i.start);
    items
}

fn block_finding(page: &PageText<'_>, item: &Item<'_>, kind: &Kind) -> Error {
    Error::warning(
        BOILERPLATE,
        page.location(item.start),
        format!(
            "{} pasted from a web page: `{}`",
            kind.describe(),
            excerpt(item.text)
        ),
    )
    .with_hint("remove it: a knowledge-base page keeps only the article's own text")
}

fn email_findings(page: &PageText<'_>, item: &Item<'_>, text: &str, regex: &Regex) -> Vec<Error> {
    let mut addresses: Vec<String> = regex
        .find_iter(text)
        .map(|m| m.as_str().trim_end_matches('.').to_string())
        .collect();
    for address in item.mailto {
        let address = normalize(address);
        if regex.is_match(&address) && !addresses.contains(&address) {
            addresses.push(address);
        }
    }
    if addresses.is_empty() {
        return Vec::new();
    }
    // A list item's range covers its nested lists: search from its start and
    // stop at the first match instead of copying the range.
    let source = page.body().get(item.start..item.end).unwrap_or("");
    addresses
        .into_iter()
        .map(|address| {
            let offset = find_ascii_case_insensitive(source, &address)
                .map_or(item.start, |i| item.start + i);
            Error::warning(
                BOILERPLATE,
                page.location(offset),
                format!("an e-mail address in the text: `{address}`"),
            )
            .with_hint("remove it (editorial and contact addresses come with copied pages); if the page needs it, allow the rule here with `lint: { allow: [boilerplate] }`")
        })
        .collect()
}

/// Byte offset of `needle` (ASCII, lowercase) in `haystack`, ignoring ASCII case.
fn find_ascii_case_insensitive(haystack: &str, needle: &str) -> Option<usize> {
    let (hay, needle) = (haystack.as_bytes(), needle.as_bytes());
    if needle.is_empty() || hay.len() < needle.len() {
        return None;
    }
    (0..=hay.len() - needle.len()).find(|&i| hay[i..i + needle.len()].eq_ignore_ascii_case(needle))
}

/// The first words of a block, for messages.
fn excerpt(text: &str) -> String {
    const MAX: usize = 60;
    let text = text.replace('`', "'");
    if text.chars().count() <= MAX {
        return text;
    }
    let cut: String = text.chars().take(MAX).collect();
    let cut = cut.rsplit_once(' ').map_or(cut.as_str(), |(head, _)| head);
    format!("{cut}…")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(text: &str) -> Vec<String> {
        let normalized = normalize(text);
        Pattern::defaults()
            .iter()
            .filter(|p| p.regex.is_match(&normalized))
            .map(|p| p.message().to_string())
            .collect()
    }

    #[test]
    fn russian_and_english_boilerplate_is_recognized() {
        for (text, expected) in [
            ("Реклама", "an advertising or promo block"),
            (
                "Реклама. ООО «Ромашка», ИНН 7700000000, erid: 2VtzqwE",
                "an advertising or promo block",
            ),
            (
                "Примите участие в конкурсе для digital-агентств!",
                "an advertising or promo block",
            ),
            ("Оставьте комментарий", "a comment form"),
            (
                "Ежегодный конкурс для digital-агентств: приём заявок до 1 марта",
                "an advertising or promo block",
            ),
            (
                "Участвуйте в премии и выиграйте главный приз",
                "an advertising or promo block",
            ),
            ("Реклама 16+", "an advertising or promo block"),
            (
                "Поддержите нас: отключите блокировку рекламы",
                "an ad-blocker banner",
            ),
            (
                "Хотите опубликовать свою колонку? Пишите нам.",
                "an editorial disclaimer",
            ),
            ("Комментарии (12)", "a comment form"),
            (
                "Ваш адрес email не будет опубликован. Обязательные поля помечены *",
                "a comment form",
            ),
            ("Leave a Reply", "a comment form"),
            (
                "Пожалуйста, отключите блокировщик рекламы",
                "an ad-blocker banner",
            ),
            ("Please disable your AdBlocker", "an ad-blocker banner"),
            (
                "Похоже, вы используете блокировщик рекламы",
                "an ad-blocker banner",
            ),
            ("Добавить комментарий", "a comment form"),
            (
                "Введите промокод ROLE10 и получите скидку",
                "an advertising or promo block",
            ),
            (
                "Партнёрская публикация. Мнение редакции может не совпадать с мнением автора.",
                "an editorial disclaimer",
            ),
            ("Фото на обложке: Unsplash", "a photo credit"),
            ("Photo by Jane Doe on Unsplash", "a photo credit"),
            ("Мы используем файлы cookie", "a cookie banner"),
            ("© 2020 Все права защищены", "a site footer"),
        ] {
            let found = kinds(text);
            assert!(found.iter().any(|k| k == expected), "{text:?}: {found:?}");
        }
        assert_eq!(kinds("Пишите: editor@example.ru"), ["an e-mail address"]);
    }

    #[test]
    fn ordinary_prose_about_ads_and_comments_is_not_boilerplate() {
        for text in [
            "Аккаунт-менеджер — связующее звено между рекламным агентством и клиентом.",
            "Реклама в соцсетях требует отдельного бюджета.",
            "Клиент оставляет комментарии к макету, и менеджер передаёт их дизайнеру.",
            "Фотограф снимает продукт для каталога.",
            "Комментарии клиента нужно передать команде без искажений.",
            "Блог компании — хороший способ рассказать о продукте.",
            "Клиент может оставить комментарий к макету прямо в документе.",
            "Промокоды и скидки — инструменты, которыми маркетолог управляет спросом.",
            "Всё больше пользователей ставят блокировщики рекламы, и охваты падают.",
            "Иллюстрация: карьерная лестница аккаунт-менеджера",
            "Изображение — важная часть бренда.",
            "Менеджер готовит и подаёт заявки на участие в тендерах.",
            "Комьюнити-менеджер работает с информационными партнёрами и ведёт партнёрские проекты.",
            "Отправляйте клиенту коммерческие предложения вовремя.",
        ] {
            assert!(kinds(text).is_empty(), "{text:?}: {:?}", kinds(text));
        }
    }

    #[test]
    fn custom_patterns_are_case_insensitive_and_read_yo_as_ye() {
        let pattern = Pattern::custom("Ещё больше статей", Some("a read-more block")).unwrap();
        assert!(
            pattern
                .regex
                .is_match(&normalize("ЕЩЁ БОЛЬШЕ СТАТЕЙ в нашем блоге"))
        );
        assert!(Pattern::custom("(", None).is_err());
    }
}
