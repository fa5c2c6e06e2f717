//! Course views: the course's table of contents, a chapter's place in it,
//! the printable handout and the `Course` JSON-LD.

use serde::Serialize;
use serde_json::json;
use tera::Value;

use crate::model::kinds::{ChapterData, CourseData};
use crate::model::{PageId, Site};

#[derive(Serialize)]
struct ChapterItem {
    number: usize,
    title: String,
    url: String,
    description: Option<String>,
    reading_time: usize,
    current: bool,
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

/// `page.chapter` on a chapter page: number, course table of contents with
/// the current chapter marked, earlier chapters, reading time and what remains.
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
    Value::from_serializable(&value)
}

/// `course` on the handout page: the course data and every chapter's content.
pub fn handout_value(site: &Site, id: PageId) -> Value {
    let Some(course) = site.entries[id].kb.course.as_ref() else {
        return Value::none();
    };
    let chapters: Vec<Value> = course
        .chapters
        .iter()
        .map(|&c| crate::render::context::page_value(site, c))
        .collect();
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
        ],
    )
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
        "inLanguage": site.config.language,
        "provider": {"@type": "Organization", "name": site.config.title, "url": site.config.base_url},
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
