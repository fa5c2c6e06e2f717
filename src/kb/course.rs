//! Courses: a `kind: course` section and its chapters, in order, with
//! numbering, navigation, reading times, JSON-LD and the printable handout.
//!
//! Chapters are the course section's pages. They follow the `chapters:` list
//! of the course when it has one (each entry must resolve), else `weight`
//! order, where two chapters with the same weight are an error naming both.

use crate::content::page::Kind;
use crate::error::{Error, Location, display_path};
use crate::model::kinds::{ChapterData, CourseData};
use crate::model::{PageId, Site};

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
