//! Slugs for URLs and heading ids, with a Russian transliteration that reads naturally.
//!
//! The scheme (documented in the README):
//!
//! - names made only of `a-z 0-9 . _ -` are kept exactly as written
//!   (`global_objects` stays `global_objects`, `v1.2` stays `v1.2`);
//! - otherwise the text is lowercased and Russian letters are transliterated
//!   letter by letter: а a, б b, в v, г g, д d, е e, ё e, ж zh, з z, и i, й y,
//!   к k, л l, м m, н n, о o, п p, р r, с s, т t, у u, ф f, х kh, ц ts, ч ch,
//!   ш sh, щ shch, ъ –, ы y, ь –, э e, ю yu, я ya; the adjective endings
//!   `-ый` and `-ий` at the end of a word become `-y` (`новый` → `novy`,
//!   `Достоевский` → `dostoevsky`);
//! - other letters are reduced to ASCII with `deunicode` (`café` → `cafe`);
//! - every other character becomes `-`, runs of `-` collapse, and `-` is
//!   trimmed at both ends. `_` is kept; `.` becomes `-`.

/// Turn a title, heading or taxonomy term into a URL-safe slug.
///
/// Returns an empty string when nothing sluggable is left (e.g. `"!!!"`);
/// callers decide the fallback.
pub fn slugify(text: &str) -> String {
    slugify_keeping(text, &[])
}

/// Characters a file or folder name keeps in its URL: they are valid in a
/// URL path as they are, and real documentation trees have names that
/// differ only by them (`@media` and `media`, `c++` and `c`).
pub const PATH_CHARACTERS: &[char] = &['@', '+', '~'];

/// The URL slug of a file or folder name, or of a `slug:`: like
/// [`slugify`], but `@`, `+` and `~` are kept (`@font-face`, `c++`, `a~b`).
pub fn slugify_path(name: &str) -> String {
    slugify_keeping(name, PATH_CHARACTERS)
}

/// The URL slug of a `slug:` (or, with `urls: preserve_case`, of a file or
/// folder name): a name of ASCII letters, digits and `. _ - @ + ~` is kept
/// exactly, its case included (`useState`, `API`), as the tools sites come
/// from keep it; anything else is [`slugify_path`].
pub fn slug_keeping_case(name: &str) -> String {
    let plain = !name.is_empty()
        && name.chars().all(|c| {
            c.is_ascii_alphanumeric()
                || matches!(c, '.' | '_' | '-')
                || PATH_CHARACTERS.contains(&c)
        });
    if plain {
        name.to_string()
    } else {
        slugify_path(name)
    }
}

fn slugify_keeping(text: &str, keep: &[char]) -> String {
    if is_kept_as_is(text, keep) {
        return text.to_string();
    }
    let lowered = text.to_lowercase();
    let mut ascii = String::with_capacity(lowered.len());
    let chars: Vec<char> = lowered.chars().collect();
    for (i, &c) in chars.iter().enumerate() {
        let next = chars.get(i + 1).copied();
        let next_is_letter = next.is_some_and(char::is_alphanumeric);
        if keep.contains(&c) {
            ascii.push(c);
            continue;
        }
        push_ascii(
            &mut ascii,
            c,
            chars.get(i.wrapping_sub(1)).copied(),
            next_is_letter,
        );
    }
    collapse_dashes(&ascii)
}

/// A name that is already a clean ASCII slug is used exactly as written.
fn is_kept_as_is(text: &str, keep: &[char]) -> bool {
    !text.is_empty()
        && text
            .chars()
            .all(|c| matches!(c, 'a'..='z' | '0'..='9' | '.' | '_' | '-') || keep.contains(&c))
}

fn push_ascii(out: &mut String, c: char, prev: Option<char>, next_is_letter: bool) {
    if c.is_ascii_alphanumeric() || c == '_' {
        out.push(c);
        return;
    }
    // «-ый», «-ий» at the end of a word read as `-y` (новый → novy, синий → siny).
    if c == 'й' && !next_is_letter && matches!(prev, Some('ы' | 'и')) {
        out.pop();
        out.push('y');
        return;
    }
    if let Some(latin) = russian_letter(c) {
        out.push_str(latin);
        return;
    }
    if c.is_alphanumeric() {
        let reduced = deunicode::deunicode_char(c).unwrap_or("-");
        out.extend(
            reduced
                .chars()
                .map(|r| r.to_ascii_lowercase())
                .map(|r| if r.is_ascii_alphanumeric() { r } else { '-' }),
        );
        return;
    }
    out.push('-');
}

/// The Latin spelling of one lowercase Russian letter (the table of the
/// slugs, which search also reads to match Cyrillic and Latin spellings).
pub fn russian_letter(c: char) -> Option<&'static str> {
    Some(match c {
        'а' => "a",
        'б' => "b",
        'в' => "v",
        'г' => "g",
        'д' => "d",
        'е' | 'ё' | 'э' => "e",
        'ж' => "zh",
        'з' => "z",
        'и' => "i",
        'й' | 'ы' => "y",
        'к' => "k",
        'л' => "l",
        'м' => "m",
        'н' => "n",
        'о' => "o",
        'п' => "p",
        'р' => "r",
        'с' => "s",
        'т' => "t",
        'у' => "u",
        'ф' => "f",
        'х' => "kh",
        'ц' => "ts",
        'ч' => "ch",
        'ш' => "sh",
        'щ' => "shch",
        'ъ' | 'ь' => "",
        'ю' => "yu",
        'я' => "ya",
        _ => return None,
    })
}

fn collapse_dashes(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if c == '-' && (out.is_empty() || out.ends_with('-')) {
            continue;
        }
        out.push(c);
    }
    while out.ends_with('-') {
        out.pop();
    }
    out
}

/// Hands out heading ids unique within one page: `zarplata`, `zarplata-1`, …
#[derive(Debug, Default)]
pub struct IdAllocator {
    used: std::collections::HashSet<String>,
    /// The next numbered suffix worth trying per base id: every lower one is
    /// taken, so 100,000 equal headings cost linear time, not quadratic.
    next: std::collections::HashMap<String, usize>,
}

impl IdAllocator {
    /// Reserve an id given explicitly by the author (`{#custom}`), as is.
    pub fn reserve(&mut self, id: &str) {
        self.used.insert(id.to_string());
    }

    /// A unique id for a heading text.
    pub fn allocate(&mut self, heading: &str) -> String {
        let mut base = slugify(heading);
        if base.is_empty() {
            base = "section".to_string();
        }
        if self.used.insert(base.clone()) {
            return base;
        }
        let next = self.next.entry(base.clone()).or_insert(1);
        loop {
            let candidate = format!("{base}-{next}");
            *next += 1;
            if self.used.insert(candidate.clone()) {
                return candidate;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn russian_words_read_naturally() {
        let pairs = [
            ("Аккаунт-менеджер", "akkaunt-menedzher"),
            ("чём", "chem"),
            ("Ёлка", "elka"),
            ("йогурт", "yogurt"),
            ("объявление", "obyavlenie"),
            ("Щука", "shchuka"),
            ("Жизнь", "zhizn"),
            ("Юля", "yulya"),
            ("Зарплата и доход", "zarplata-i-dokhod"),
            ("Цена", "tsena"),
            ("новый", "novy"),
            ("Достоевский", "dostoevsky"),
            ("мой дом", "moy-dom"),
            ("Кто вы для клиента?", "kto-vy-dlya-klienta"),
        ];
        for (input, expected) in pairs {
            assert_eq!(slugify(input), expected, "slug of {input:?}");
        }
    }

    #[test]
    fn clean_ascii_names_are_kept_exactly() {
        for name in ["global_objects", "v1.2", "account-manager", "a_b-c.d"] {
            assert_eq!(slugify(name), name);
        }
    }

    #[test]
    fn other_text_is_cleaned() {
        assert_eq!(slugify("Account Manager"), "account-manager");
        assert_eq!(slug_keeping_case("useState"), "useState");
        assert_eq!(slug_keeping_case("API-v2.1"), "API-v2.1");
        assert_eq!(slug_keeping_case("Account Manager"), "account-manager");
        assert_eq!(slug_keeping_case("Хуки"), "khuki");
        assert_eq!(slugify("C++ & Rust!"), "c-rust");
        assert_eq!(slugify("café crème"), "cafe-creme");
        assert_eq!(slugify("Node.js API"), "node-js-api");
        assert_eq!(slugify("  --Hello--  "), "hello");
        assert_eq!(slugify("!!!"), "");
        assert_eq!(slugify("CRM-менеджер"), "crm-menedzher");
    }

    #[test]
    fn file_names_keep_url_safe_characters() {
        let pairs = [
            ("@media", "@media"),
            ("@font-face", "@font-face"),
            ("c++", "c++"),
            ("C++", "c++"),
            ("a~b", "a~b"),
            ("@Font Face", "@font-face"),
            ("Отчёт+план", "otchet+plan"),
            ("v1.2", "v1.2"),
            ("global_objects", "global_objects"),
        ];
        for (name, expected) in pairs {
            assert_eq!(slugify_path(name), expected, "{name}");
        }
        // Titles, headings and terms are slugged as before.
        assert_eq!(slugify("C++"), "c");
        assert_eq!(slugify("@media"), "media");
    }

    #[test]
    fn heading_ids_are_unique_within_a_page() {
        let mut ids = IdAllocator::default();
        ids.reserve("zarplata-1");
        assert_eq!(ids.allocate("Зарплата"), "zarplata");
        assert_eq!(ids.allocate("Зарплата"), "zarplata-2");
        assert_eq!(ids.allocate("???"), "section");
        assert_eq!(ids.allocate(""), "section-1");
    }

    /// Found by the bad-input suite (issue 8): a page with 100,000 equal
    /// headings took minutes, each id trying every lower number first.
    #[test]
    fn many_equal_headings_get_ids_in_linear_time() {
        let mut ids = IdAllocator::default();
        ids.reserve("zagolovok-3");
        let started = std::time::Instant::now();
        let last = (0..100_000).map(|_| ids.allocate("Заголовок")).last();
        assert_eq!(last.as_deref(), Some("zagolovok-100000"));
        assert!(ids.used.contains("zagolovok-4") && ids.used.len() == 100_001);
        assert!(started.elapsed() < std::time::Duration::from_secs(10));
    }
}
