//! Course views: the course's table of contents, a chapter's place in it,
//! its self-checks, the printable handout and the `Course` JSON-LD.
//!
//! A chapter's body reaches its template as parts (`page.chapter.body`):
//! HTML, or a quiz that the theme renders as a form with its UI strings. The
//! handout gets every chapter with its ids prefixed (`chapter-3-portret`),
//! links to chapters turned into places in the handout labelled with the
//! chapter's number for paper, and other links made absolute.

use serde::Serialize;
use serde_json::json;
use tera::Value;

use crate::content::quiz::Quiz;
use crate::markdown::embed::{self, Target};
use crate::markdown::{LocalLink, Part};
use crate::model::kinds::{ChapterData, CourseData};
use crate::model::{LinkTarget, PageId, Site};

#[derive(Serialize)]
struct ChapterItem {
    number: usize,
    title: String,
    url: String,
    description: Option<String>,
    reading_time: usize,
    current: bool,
    /// Questions in the chapter's self-checks.
    questions: usize,
}

fn chapter_items(site: &Site, course: &CourseData, current: Option<PageId>) -> Vec<ChapterItem> {
    course
        .chapters
        .iter()
        .enumerate()
        .map(|(i, &c)| {
            let entry = &site.entries[c];
            ChapterItem {
                number: i + 1,
                title: entry.page.front.title.clone(),
                url: entry.url.clone(),
                description: entry.page.front.description.clone(),
                reading_time: entry.rendered.reading_minutes(),
                current: current == Some(c),
                questions: entry
                    .rendered
                    .quizzes
                    .iter()
                    .map(|q| q.questions.len())
                    .sum(),
            }
        })
        .collect()
}

#[derive(Serialize)]
struct CourseValue {
    title: String,
    url: String,
    author: Option<String>,
    audience: Option<String>,
    duration: Option<String>,
    level: Option<String>,
    chapters: Vec<ChapterItem>,
    total_minutes: usize,
    start_url: Option<String>,
    handout_url: String,
    /// Key under which reading progress is kept in `localStorage`.
    progress_key: String,
}

fn course_fields(
    site: &Site,
    id: PageId,
    course: &CourseData,
    current: Option<PageId>,
) -> CourseValue {
    let entry = &site.entries[id];
    let raw = &entry.page.front.raw;
    let chapters = chapter_items(site, course, current);
    CourseValue {
        title: entry.page.front.title.clone(),
        url: entry.url.clone(),
        author: raw.author.clone(),
        audience: raw.audience.clone(),
        duration: raw.duration.clone(),
        level: raw.level.clone(),
        total_minutes: chapters.iter().map(|c| c.reading_time).sum(),
        start_url: chapters.first().map(|c| c.url.clone()),
        chapters,
        handout_url: format!("{}print/", entry.url),
        progress_key: format!("rolebook:progress:{}", entry.url),
    }
}

/// `page.course` on the course page.
pub fn course_value(site: &Site, id: PageId, course: &CourseData) -> Value {
    Value::from_serializable(&course_fields(site, id, course, None))
}

#[derive(Serialize)]
struct ChapterValue {
    number: usize,
    total: usize,
    course: CourseValue,
    earlier: Vec<ChapterItem>,
    reading_time: usize,
    remaining_minutes: usize,
    remaining_chapters: usize,
}

/// A quiz as templates see it: ids for the form, the right answers spelled out.
#[derive(Serialize)]
struct QuizValue<'a> {
    id: &'a str,
    total: usize,
    questions: Vec<QuestionValue<'a>>,
}

#[derive(Serialize)]
struct QuestionValue<'a> {
    number: usize,
    id: String,
    text: &'a str,
    multiple: bool,
    answers: Vec<AnswerValue<'a>>,
    /// The texts of the right answers.
    correct: Vec<&'a str>,
    explain: Option<&'a str>,
}

#[derive(Serialize)]
struct AnswerValue<'a> {
    id: String,
    text: &'a str,
    correct: bool,
}

fn quiz_value(quiz: &Quiz) -> Value {
    let questions = quiz
        .questions
        .iter()
        .enumerate()
        .map(|(q, question)| QuestionValue {
            number: q + 1,
            id: format!("{}-{}", quiz.id, q + 1),
            text: &question.question,
            multiple: question.is_multiple(),
            answers: question
                .answers
                .iter()
                .enumerate()
                .map(|(a, answer)| AnswerValue {
                    id: format!("{}-{}-{}", quiz.id, q + 1, a + 1),
                    text: &answer.text,
                    correct: answer.correct,
                })
                .collect(),
            correct: question
                .answers
                .iter()
                .filter(|a| a.correct)
                .map(|a| a.text.as_str())
                .collect(),
            explain: question.explain.as_deref(),
        })
        .collect();
    Value::from_serializable(&QuizValue {
        id: &quiz.id,
        total: quiz.questions.len(),
        questions,
    })
}

/// A page's HTML as parts: `{html}` or `{quiz}`, in order.
fn body_value(html: &str, quizzes: &[Quiz]) -> Value {
    let parts: Vec<Value> = crate::markdown::split_quizzes(html, quizzes.len())
        .into_iter()
        .map(|part| {
            let mut map = tera::Map::with_capacity(1);
            match part {
                Part::Html(html) => map.insert("html".into(), Value::safe_string(html)),
                Part::Quiz(n) => map.insert("quiz".into(), quiz_value(&quizzes[n])),
            };
            Value::from(map)
        })
        .collect();
    Value::from(parts)
}

/// `page.chapter` on a chapter page: number, course table of contents with
/// the current chapter marked, earlier chapters, reading time, what remains,
/// and the body as parts (`body`: HTML and quizzes).
pub fn chapter_value(site: &Site, id: PageId, chapter: &ChapterData) -> Value {
    let Some(course) = site.entries[chapter.course].kb.course.as_ref() else {
        return Value::none();
    };
    let fields = course_fields(site, chapter.course, course, Some(id));
    let earlier: Vec<ChapterItem> = chapter_items(site, course, Some(id))
        .into_iter()
        .take(chapter.number - 1)
        .collect();
    let after = &fields.chapters[chapter.number..];
    let value = ChapterValue {
        number: chapter.number,
        total: fields.chapters.len(),
        reading_time: site.entries[id].rendered.reading_minutes(),
        remaining_minutes: after.iter().map(|c| c.reading_time).sum(),
        remaining_chapters: after.len(),
        earlier,
        course: fields,
    };
    let quizzes = &site.entries[id].rendered.quizzes;
    let body = body_value(&crate::render::context::content_html(site, id), quizzes);
    crate::render::context::with_fields(
        Value::from_serializable(&value),
        [
            ("body", body),
            (
                "quizzes",
                Value::from(quizzes.iter().map(quiz_value).collect::<Vec<_>>()),
            ),
        ],
    )
}

/// `course` on the handout page: the course data and every chapter's
/// content (`body`, as parts) and self-checks (`quizzes`), made for one
/// document and for paper. `chapter_ref` is the UI string `глава {number}`.
pub fn handout_value(site: &Site, id: PageId, chapter_ref: &str) -> Value {
    let Some(course) = site.entries[id].kb.course.as_ref() else {
        return Value::none();
    };
    let chapters: Vec<Value> = course
        .chapters
        .iter()
        .enumerate()
        .map(|(i, &c)| {
            let quizzes = &site.entries[c].rendered.quizzes;
            let html = handout_html(site, course, c, i + 1, chapter_ref);
            crate::render::context::with_fields(
                crate::render::context::page_value(site, c),
                [
                    ("number", Value::from(i + 1)),
                    ("body", body_value(&html, quizzes)),
                    (
                        "quizzes",
                        Value::from(quizzes.iter().map(quiz_value).collect::<Vec<_>>()),
                    ),
                ],
            )
        })
        .collect();
    let has_quizzes = course
        .chapters
        .iter()
        .any(|&c| !site.entries[c].rendered.quizzes.is_empty());
    let fields = Value::from_serializable(&course_fields(site, id, course, None));
    let entry = &site.entries[id];
    crate::render::context::with_fields(
        fields,
        [
            ("chapter_pages", Value::from(chapters)),
            (
                "description",
                Value::from(entry.page.front.description.clone()),
            ),
            (
                "content",
                Value::safe_string(&crate::render::context::content_html(site, id)),
            ),
            ("permalink", Value::from(entry.permalink.as_str())),
            ("has_quizzes", Value::from(has_quizzes)),
        ],
    )
}

/// Chapter `number`'s HTML for the handout: ids prefixed with
/// `chapter-N-`, links to chapters of the course pointing into the handout
/// (labelled `глава N` for paper), other links absolute.
fn handout_html(
    site: &Site,
    course: &CourseData,
    id: PageId,
    number: usize,
    chapter_ref: &str,
) -> String {
    let entry = &site.entries[id];
    let html = entry
        .rendered
        .html
        .with_str(|html| embed::prefix_ids(html, &format!("chapter-{number}-")));
    let origin = url::Url::parse(&site.config.base_url)
        .map(|u| u.origin().ascii_serialization())
        .unwrap_or_default();
    let html = embed::absolute_root_links(&html, &origin);
    let targets: Vec<Target> = entry
        .links
        .iter()
        .zip(&entry.rendered.local_links)
        .map(|(target, link)| handout_target(site, course, target, link, chapter_ref))
        .collect();
    embed::fill_links(&html, &targets)
}

fn handout_target(
    site: &Site,
    course: &CourseData,
    target: &LinkTarget,
    link: &LocalLink,
    chapter_ref: &str,
) -> Target {
    let with_anchor = |url: String, anchor: &Option<String>| match anchor {
        Some(anchor) => format!("{url}#{anchor}"),
        None => url,
    };
    let url = match target {
        LinkTarget::Page { id, anchor } => {
            if let Some(i) = course.chapters.iter().position(|c| c == id) {
                let number = i + 1;
                return Target {
                    url: match anchor {
                        Some(anchor) => format!("#chapter-{number}-{anchor}"),
                        None => format!("#chapter-{number}"),
                    },
                    label: Some(chapter_ref.replace("{number}", &number.to_string())),
                };
            }
            with_anchor(site.entries[*id].permalink.clone(), anchor)
        }
        // Images load from the site; links to files print in full.
        LinkTarget::Asset { index, .. } if link.is_image => site.assets[*index].url.clone(),
        LinkTarget::Asset { index, anchor } => with_anchor(
            crate::model::absolute_url(&site.config.base_url, &site.assets[*index].rel_url),
            anchor,
        ),
        LinkTarget::AsWritten => link.dest.clone(),
    };
    Target { url, label: None }
}

/// The `Course` JSON-LD item of a course page, with its chapters as parts.
pub fn json_ld(site: &Site, id: PageId) -> serde_json::Value {
    let entry = &site.entries[id];
    let raw = &entry.page.front.raw;
    let chapters: Vec<serde_json::Value> = entry
        .kb
        .course
        .iter()
        .flat_map(|c| c.chapters.iter().enumerate())
        .map(|(i, &c)| {
            let chapter = &site.entries[c];
            json!({"@type": "Article", "position": i + 1, "name": chapter.page.front.title, "url": chapter.permalink})
        })
        .collect();
    let mut item = json!({
        "@context": "https://schema.org",
        "@type": "Course",
        "name": entry.page.front.title,
        "url": entry.permalink,
        "inLanguage": site.lang_code(entry.lang),
        "provider": crate::render::kb::jsonld::organization(site, entry.lang),
        "hasPart": chapters,
    });
    if let Some(description) = &entry.page.front.description {
        item["description"] = json!(description);
    }
    if let Some(author) = &raw.author {
        item["author"] = json!({"@type": "Person", "name": author});
    }
    if let Some(level) = &raw.level {
        item["educationalLevel"] = json!(level);
    }
    if let Some(audience) = &raw.audience {
        item["audience"] = json!({"@type": "EducationalAudience", "audienceType": audience});
    }
    if let Some(course) = &entry.kb.course {
        let minutes: usize = course
            .chapters
            .iter()
            .map(|&c| site.entries[c].rendered.reading_minutes())
            .sum();
        item["timeRequired"] = json!(format!("PT{minutes}M"));
    }
    item
}
