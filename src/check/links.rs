//! `broken-root-link`: root-relative links (`/roles/pm/`, `/salaries/`,
//! `/images/x.png`) must match a file the build writes. Links to Markdown
//! files are checked by `build` itself; these are written as URLs, so only
//! the list of outputs can tell whether they work.

use std::collections::{HashMap, HashSet};

use percent_encoding::percent_decode_str;

use super::page::PageText;
use super::rules::BROKEN_ROOT_LINK;
use crate::error::Error;
use crate::model::{Job, JobKind, PageId, Site};

/// Everything a build would write, by output path.
pub(crate) struct Outputs {
    files: HashSet<String>,
    /// Jobs that write a whole folder (`search/`).
    folders: Vec<String>,
    /// Output path → the entry rendered there, for `#anchor` checks.
    entries: HashMap<String, PageId>,
}

impl Outputs {
    /// The outputs of a job list.
    pub fn new(jobs: &[Job]) -> Outputs {
        let mut outputs = Outputs {
            files: HashSet::new(),
            folders: Vec::new(),
            entries: HashMap::new(),
        };
        for job in jobs {
            if job.output.ends_with('/') {
                outputs.folders.push(job.output.clone());
            } else {
                outputs.files.insert(job.output.clone());
            }
            match job.kind {
                JobKind::Page(id) | JobKind::Section { id, number: 1 } => {
                    outputs.entries.insert(job.output.clone(), id);
                }
                _ => {}
            }
        }
        outputs
    }

    /// The output a site-relative path is served from, if the build writes it.
    fn find(&self, rel: &str) -> Option<String> {
        let mut candidates = if rel.is_empty() || rel.ends_with('/') {
            vec![format!("{rel}index.html")]
        } else {
            vec![rel.to_string(), format!("{rel}/index.html")]
        };
        // `/guide/setup.html` and `/guide/setup.md` (VitePress and mdBook
        // links) reach the page `/guide/setup/`: hosts and `serve` redirect.
        if let Some(stem) = crate::model::page_of_file_path(rel) {
            candidates.push(format!("{stem}/index.html"));
        }
        candidates.into_iter().find(|c| {
            self.files.contains(c) || self.folders.iter().any(|f| c.starts_with(f.as_str()))
        })
    }
}

/// The page built from the content file a root link names, as `build`
/// resolves it (`/guide/Setup`, `/guide/Setup.html` → `guide/Setup.md`).
fn page_of_content_file(site: &Site, rel: &str) -> Option<PageId> {
    let file = crate::markdown::root_page_file(&format!("/{rel}"))?;
    // `guide/index.md` is `guide/_index.md` with `index_pages: section`.
    let section = match file.strip_suffix("index.md") {
        Some(folder) if folder.is_empty() || folder.ends_with('/') => {
            Some(format!("{folder}_index.md"))
        }
        _ => None,
    };
    site.by_path
        .get(&file)
        .or_else(|| site.by_path.get(section.as_ref()?))
        .copied()
}

/// True for `/path` (not `//host`, which is an external link).
pub(crate) fn is_root_relative(dest: &str) -> bool {
    dest.starts_with('/') && !dest.starts_with("//")
}

/// Findings for one page's root-relative links, and the entries they reach
/// (so such links count against `orphan-page`).
pub(crate) fn check(
    site: &Site,
    outputs: &Outputs,
    page: &PageText<'_>,
) -> (Vec<Error>, Vec<(PageId, PageId)>) {
    let mut findings = Vec::new();
    let mut reached = Vec::new();
    let base = site.config.base_path();
    for link in page
        .outline
        .links
        .iter()
        .filter(|l| is_root_relative(&l.dest))
    {
        let (path, anchor) = split_url(&link.dest);
        let decoded = percent_decode_str(path).decode_utf8_lossy();
        let location = page.location(link.start);
        // A root link naming a content file (`/guide/setup.md`) is linked by
        // `build` whatever the `base_url` path.
        if let Some(target) = page_of_content_file(site, decoded.trim_start_matches('/')) {
            reached.push((page.index, target));
            if let Some(error) = missing_anchor(site, target, anchor, &link.dest, &location) {
                findings.push(error);
            }
            continue;
        }
        let Some(rel) = decoded
            .strip_prefix(base)
            .or_else(|| (decoded.as_ref() == base.trim_end_matches('/')).then_some(""))
        else {
            findings.push(
                Error::warning(
                    BROKEN_ROOT_LINK,
                    location,
                    format!(
                        "`{}` is outside the site, which is served under `{base}`",
                        link.dest
                    ),
                )
                .with_hint(format!(
                    "start the link with `{base}`, or link to the Markdown file (`../roles/x.md`)"
                )),
            );
            continue;
        };
        let target = match outputs.find(rel) {
            Some(output) => Some(outputs.entries.get(&output).copied()),
            // `/guide/Setup` names `content/guide/Setup.md`: `build` links it.
            None => page_of_content_file(site, rel).map(Some),
        };
        match target {
            Some(target) => {
                if let Some(target) = target {
                    reached.push((page.index, target));
                    if let Some(error) = missing_anchor(site, target, anchor, &link.dest, &location)
                    {
                        findings.push(error);
                    }
                }
            }
            None => findings.push(missing_target(
                site,
                &link.dest,
                rel,
                link.is_image,
                location,
            )),
        }
    }
    (findings, reached)
}

/// `/a/b/?q#x` → (`/a/b/`, Some(`x`)).
fn split_url(dest: &str) -> (&str, Option<&str>) {
    let (rest, anchor) = match dest.split_once('#') {
        Some((rest, anchor)) => (rest, Some(anchor).filter(|a| !a.is_empty())),
        None => (dest, None),
    };
    (rest.split('?').next().unwrap_or(rest), anchor)
}

fn missing_anchor(
    site: &Site,
    target: PageId,
    anchor: Option<&str>,
    dest: &str,
    location: &crate::error::Location,
) -> Option<Error> {
    let anchor = anchor?;
    let anchor = percent_decode_str(anchor).decode_utf8_lossy();
    let toc = &site.entries[target].rendered.toc;
    if toc.iter().any(|h| h.id == anchor) {
        return None;
    }
    let hint = match crate::error::closest(&anchor, toc.iter().map(|h| h.id.as_str())) {
        Some(close) => format!("did you mean `#{close}`?"),
        None => "link to a heading the page has, or to the page without `#…`".to_string(),
    };
    Some(
        Error::warning(
            BROKEN_ROOT_LINK,
            location.clone(),
            format!("`{dest}`: the page has no heading with the id `{anchor}`"),
        )
        .with_hint(hint),
    )
}

fn missing_target(
    site: &Site,
    dest: &str,
    rel: &str,
    is_image: bool,
    location: crate::error::Location,
) -> Error {
    let what = if is_image { "an image" } else { "a page" };
    let wanted = format!("{}{}", site.config.base_path(), rel);
    let suggestion = crate::error::closest(&wanted, site.entries.iter().map(|e| e.url.as_str()));
    let hint = match suggestion {
        Some(url) => format!("did you mean `{url}`?"),
        None => "link to the Markdown file instead (`../roles/x.md`), so `build` checks the link and follows renames".to_string(),
    };
    Error::warning(
        BROKEN_ROOT_LINK,
        location,
        format!("link to {what} the site does not have: `{dest}`"),
    )
    .with_hint(hint)
}
