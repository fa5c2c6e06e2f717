//! Courses: a `kind: course` section and its chapters, in order, with
//! numbering, navigation, reading times, JSON-LD and the printable handout.
//!
//! Chapters are the course section's pages. They follow the `chapters:` list
//! of the course when it has one (each entry must resolve), else `weight`
//! order, where two chapters with the same weight are an error naming both.

use serde::Serialize;
use serde_json::json;
use tera::Value;

use crate::content::page::Kind;
use crate::error::{Error, Location, display_path};
use crate::site::{PageId, Site};

/// A course section's resolved chapters.
#[derive(Debug, Clone, Default)]
pub struct CourseData {
    /// Chapters in course order.
    pub chapters: Vec<PageId>,
}

/// A chapter's place in its course.
#[derive(Debug, Clone, Default)]
pub struct ChapterData {
    /// The course section.
    pub course: PageId,
    /// 1-based number.
    pub number: usize,
}

/// Order chapters, check the course's references, and number the chapters.
pub fn resolve(site: &mut Site, errors: &mut Vec<Error>) {
    let courses: Vec<PageId> = site
        .entries
        .iter()
        .enumerate()
        .filter(|(_, e)| e.page.is_section && e.page.front.kind == Kind::Course)
        .map(|(i, _)| i)
        .collect();
    for course in courses {
        let chapters = match site.entries[course].page.front.raw.chapters.is_some() {
            true => listed_order(site, course, errors),
            false => weight_order(site, course, errors),
        };
        for (i, &chapter) in chapters.iter().enumerate() {
            let entry = &mut site.entries[chapter];
            entry.kb.chapter = Some(ChapterData {
                course,
                number: i + 1,
            });
            entry.prev = i.checked_sub(1).map(|j| chapters[j]);
            entry.next = chapters.get(i + 1).copied();
        }
        let rest: Vec<PageId> = site.entries[course]
            .children
            .iter()
            .copied()
            .filter(|c| !chapters.contains(c))
            .collect();
        site.entries[course].children = chapters.iter().copied().chain(rest).collect();
        site.entries[course].kb.course = Some(CourseData { chapters });
    }
}

/// The course's pages in `weight` order; equal weights are an error.
fn weight_order(site: &Site, course: PageId, errors: &mut Vec<Error>) -> Vec<PageId> {
    let chapters: Vec<PageId> = site.entries[course].children.clone();
    for (i, &a) in chapters.iter().enumerate() {
        for &b in &chapters[i + 1..] {
            let (mut pa, mut pb) = (&site.entries[a].page, &site.entries[b].page);
            if pa.file > pb.file {
                std::mem::swap(&mut pa, &mut pb);
            }
            if pa.front.weight.is_some() && pa.front.weight == pb.front.weight {
                errors.push(
                    Error::at(
                        Location::file(&pb.file),
                        format!(
                            "chapters `{}` and `{}` both have `weight: {}`",
                            display_path(&pa.file),
                            display_path(&pb.file),
                            pa.front.weight.unwrap_or_default()
                        ),
                    )
                    .with_hint("give every chapter its own weight (1, 2, 3, …), or list them in the course's `chapters:`"),
                );
            }
        }
    }
    chapters
}

/// The order of the course's `chapters:` list; unlisted pages follow in weight order.
fn listed_order(site: &Site, course: PageId, errors: &mut Vec<Error>) -> Vec<PageId> {
    let children = site.entries[course].children.clone();
    let mut order = Vec::new();
    for reference in &site.entries[course].page.front.refs {
        match find_chapter(site, &children, &reference.target) {
            Some(id) if !order.contains(&id) => order.push(id),
            Some(_) => errors.push(
                Error::at(
                    reference.location.clone(),
                    format!("chapter `{}` is listed twice", reference.target),
                )
                .with_hint("remove the second entry"),
            ),
            None => errors.push(
                Error::at(
                    reference.location.clone(),
                    format!(
                        "`chapters`: no chapter `{}` in this course",
                        reference.target
                    ),
                )
                .with_hint(format!(
                    "chapters are the course folder's pages, by file name: {}",
                    chapter_names(site, &children)
                )),
            ),
        }
    }
    let unlisted: Vec<PageId> = children
        .iter()
        .copied()
        .filter(|c| !order.contains(c))
        .collect();
    order.extend(unlisted);
    order
}

fn find_chapter(site: &Site, children: &[PageId], target: &str) -> Option<PageId> {
    let target = target
        .trim()
        .trim_start_matches("content/")
        .trim_matches('/');
    children.iter().copied().find(|&c| {
        let page = &site.entries[c].page;
        let slug = site.entries[c]
            .rel_url
            .trim_end_matches('/')
            .rsplit('/')
            .next()
            .unwrap_or("");
        [
            page.stem(),
            slug,
            page.content_path.as_str(),
            page.content_path.trim_end_matches(".md"),
        ]
        .iter()
        .any(|name| {
            *name == target
                || name.ends_with(&format!("/{target}"))
                || format!("{}.md", page.stem()) == target
        })
    })
}

fn chapter_names(site: &Site, children: &[PageId]) -> String {
    children
        .iter()
        .map(|&c| format!("`{}`", site.entries[c].page.stem()))
        .collect::<Vec<_>>()
        .join(", ")
}

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
            ("content", Value::safe_string(&entry.rendered.html)),
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
