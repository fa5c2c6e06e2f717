//! Courses: a `kind: course` section and its chapters, in order, with
//! numbering, navigation, reading times and the printable handout.

use tera::Value;

use crate::error::Error;
use crate::render::context::SiteValues;
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

/// Order chapters and check the course's references.
pub fn resolve(site: &mut Site, errors: &mut Vec<Error>) {
    let _ = (site, errors);
}

/// `page.course` on the course page.
pub fn course_value(site: &Site, values: &SiteValues, course: &CourseData) -> Value {
    let _ = (site, values, course);
    Value::none()
}

/// `page.chapter` on a chapter page.
pub fn chapter_value(site: &Site, values: &SiteValues, id: PageId, chapter: &ChapterData) -> Value {
    let _ = (site, values, id, chapter);
    Value::none()
}

/// `course` on the handout page.
pub fn handout_value(site: &Site, values: &SiteValues, id: PageId) -> Value {
    let _ = (site, values, id);
    Value::none()
}

/// The `Course` JSON-LD item of a course page.
pub fn json_ld(site: &Site, id: PageId) -> serde_json::Value {
    let entry = &site.entries[id];
    serde_json::json!({
        "@context": "https://schema.org",
        "@type": "Course",
        "name": entry.page.front.title,
        "url": entry.permalink,
    })
}
