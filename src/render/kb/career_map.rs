//! The career map: roles as linked boxes, `next`/`from` transitions as
//! arrows, laid out in layers at build time (longest path from a starting
//! role), two boxes per row so it stays readable on a phone. Roles without
//! known transitions are listed after the graph, still as links.

use std::collections::{BTreeMap, HashMap};
use std::fmt::Write;

use serde::Serialize;
use tera::Value;

use crate::model::{Lang, PageId, Site};
use crate::render::context::{LinkValue, link};

const WIDTH: f64 = 400.0;
const BOX_W: f64 = 184.0;
const BOX_H: f64 = 56.0;
/// Text size in drawing units: about 14 px when the 400-unit drawing is
/// shrunk onto a 360 px phone (the theme caps its width on wide screens).
const FONT: f64 = 17.0;
const LINE: f64 = 19.0;
/// Characters per line that fit a box at `FONT`.
const WRAP: usize = 19;
const ROW_GAP: f64 = 46.0;
const COLUMNS: usize = 2;

/// A placed box.
#[derive(Debug, Clone, PartialEq)]
struct Node {
    id: PageId,
    x: f64,
    y: f64,
}

/// Roles of a language in their order, and transitions between them (a
/// move to a role with no version in the language is left out of its map).
fn graph(site: &Site, lang: Lang) -> (Vec<PageId>, Vec<(PageId, PageId)>) {
    let roles = site.roles(lang);
    let mut edges = Vec::new();
    for &id in &roles {
        if let Some(role) = &site.entries[id].kb.role {
            let next = role.next.iter().filter_map(|&n| site.version(n, lang));
            edges.extend(next.map(|n| (id, n)));
        }
    }
    edges.sort_unstable();
    edges.dedup();
    (roles, edges)
}

/// Layer of each connected role: the longest path from a role nobody comes from.
/// Cycles are cut where a walk meets a role already on its path.
fn layers(roles: &[PageId], edges: &[(PageId, PageId)]) -> BTreeMap<PageId, usize> {
    let mut out: HashMap<PageId, Vec<PageId>> = HashMap::new();
    for &(a, b) in edges {
        out.entry(a).or_default().push(b);
    }
    let connected: Vec<PageId> = roles
        .iter()
        .copied()
        .filter(|r| edges.iter().any(|&(a, b)| a == *r || b == *r))
        .collect();
    let mut layer: BTreeMap<PageId, usize> = connected.iter().map(|&r| (r, 0)).collect();
    let starts: Vec<PageId> = connected
        .iter()
        .copied()
        .filter(|r| !edges.iter().any(|&(_, b)| b == *r))
        .collect();
    let starts = if starts.is_empty() {
        connected.first().copied().into_iter().collect()
    } else {
        starts
    };
    for start in starts {
        let mut path = vec![start];
        push_down(start, &out, &mut layer, &mut path);
    }
    layer
}

fn push_down(
    node: PageId,
    out: &HashMap<PageId, Vec<PageId>>,
    layer: &mut BTreeMap<PageId, usize>,
    path: &mut Vec<PageId>,
) {
    let depth = layer[&node];
    for &next in out.get(&node).into_iter().flatten() {
        if path.contains(&next) {
            continue;
        }
        if layer[&next] < depth + 1 {
            layer.insert(next, depth + 1);
        }
        path.push(next);
        push_down(next, out, layer, path);
        path.pop();
    }
}

/// Positions: each layer in rows of two boxes, layers top to bottom.
fn place(roles: &[PageId], layer: &BTreeMap<PageId, usize>) -> (Vec<Node>, f64) {
    let mut by_layer: BTreeMap<usize, Vec<PageId>> = BTreeMap::new();
    for &r in roles {
        if let Some(&l) = layer.get(&r) {
            by_layer.entry(l).or_default().push(r);
        }
    }
    let mut nodes = Vec::new();
    let mut y = 8.0;
    for members in by_layer.values() {
        for row in members.chunks(COLUMNS) {
            let gap = (WIDTH - BOX_W * row.len() as f64) / (row.len() as f64 + 1.0);
            for (i, &id) in row.iter().enumerate() {
                nodes.push(Node {
                    id,
                    x: gap + i as f64 * (BOX_W + gap),
                    y,
                });
            }
            y += BOX_H + ROW_GAP;
        }
    }
    (nodes, (y - ROW_GAP + 8.0).max(0.0))
}

/// The SVG of the map, or an empty string when no role has a transition.
pub fn svg(site: &Site, lang: Lang) -> String {
    let (roles, edges) = graph(site, lang);
    let layer = layers(&roles, &edges);
    let (nodes, height) = place(&roles, &layer);
    if nodes.is_empty() {
        return String::new();
    }
    let title = if site.lang_code(lang) == "ru" {
        "Карта карьерных переходов"
    } else {
        "Career map"
    };
    let mut svg = String::new();
    let _ = write!(
        svg,
        r#"<svg class="career-map" viewBox="0 0 {WIDTH} {height:.0}" width="100%" xmlns="http://www.w3.org/2000/svg" aria-labelledby="career-map-title"><title id="career-map-title">{title}</title>"#
    );
    svg.push_str(r##"<defs><marker id="career-arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" class="career-arrowhead" fill="#5f6368"/></marker></defs>"##);
    let position: HashMap<PageId, &Node> = nodes.iter().map(|n| (n.id, n)).collect();
    for (a, b) in &edges {
        if let (Some(from), Some(to)) = (position.get(a), position.get(b)) {
            draw_edge(&mut svg, from, to);
        }
    }
    for node in &nodes {
        draw_node(&mut svg, site, node);
    }
    svg.push_str("</svg>");
    svg
}

fn draw_edge(svg: &mut String, from: &Node, to: &Node) {
    let (x1, y1) = (from.x + BOX_W / 2.0, from.y + BOX_H);
    let (x2, y2) = (to.x + BOX_W / 2.0, to.y - 2.0);
    let (x1, y1, x2, y2) = if to.y > from.y {
        (x1, y1, x2, y2)
    } else {
        // Same row or upwards (a cycle): leave from the side.
        (
            from.x + BOX_W,
            from.y + BOX_H / 2.0,
            to.x,
            to.y + BOX_H / 2.0,
        )
    };
    let mid = (y1 + y2) / 2.0;
    let _ = write!(
        svg,
        r##"<path class="career-edge" d="M{x1:.1},{y1:.1} C{x1:.1},{mid:.1} {x2:.1},{mid:.1} {x2:.1},{y2:.1}" fill="none" stroke="#5f6368" stroke-width="1.5" marker-end="url(#career-arrow)"/>"##
    );
}

fn draw_node(svg: &mut String, site: &Site, node: &Node) {
    let entry = &site.entries[node.id];
    let lines = wrap(&entry.page.front.title, WRAP);
    let _ = write!(
        svg,
        r#"<a href="{}" class="career-node">"#,
        crate::render::xml::escape(&entry.url)
    );
    let _ = write!(
        svg,
        r##"<rect x="{:.1}" y="{:.1}" width="{BOX_W}" height="{BOX_H}" rx="8" fill="#e8f0fe" stroke="#1a5fb4" stroke-width="1.2"/>"##,
        node.x, node.y
    );
    let first_y = node.y + BOX_H / 2.0 + FONT * 0.35 - (lines.len() as f64 - 1.0) * LINE / 2.0;
    for (i, line) in lines.iter().enumerate() {
        let _ = write!(
            svg,
            r##"<text x="{:.1}" y="{:.1}" font-size="{FONT}" text-anchor="middle" fill="#0b3d91">{}</text>"##,
            node.x + BOX_W / 2.0,
            first_y + i as f64 * LINE,
            crate::render::xml::escape(line)
        );
    }
    svg.push_str("</a>");
}

/// Break a title into lines of at most `width` characters at spaces and hyphens.
fn wrap(title: &str, width: usize) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    let mut current = String::new();
    for word in title.split(' ') {
        let fits = current.chars().count() + word.chars().count() < width;
        if current.is_empty() || fits {
            if !current.is_empty() {
                current.push(' ');
            }
            current.push_str(word);
        } else {
            lines.push(std::mem::take(&mut current));
            current.push_str(word);
        }
    }
    lines.push(current);
    if lines.len() > 2 {
        let rest = lines.split_off(1).join(" ");
        lines.push(rest);
    }
    lines
}

#[derive(Serialize)]
struct Transition {
    from: LinkValue,
    to: LinkValue,
}

#[derive(Serialize)]
struct Ladder {
    role: LinkValue,
    steps: Vec<String>,
}

/// `career_map` in the template: the SVG, the transitions and ladders as text,
/// and roles without known transitions.
pub fn value(site: &Site, lang: Lang) -> Value {
    let (roles, edges) = graph(site, lang);
    let transitions: Vec<Transition> = edges
        .iter()
        .map(|&(a, b)| Transition {
            from: link(&site.entries[a]),
            to: link(&site.entries[b]),
        })
        .collect();
    let isolated: Vec<LinkValue> = roles
        .iter()
        .filter(|r| !edges.iter().any(|&(a, b)| a == **r || b == **r))
        .map(|&r| link(&site.entries[r]))
        .collect();
    let ladders: Vec<Ladder> = roles
        .iter()
        .filter_map(|&r| {
            let career = site.entries[r].page.front.raw.career.as_ref()?;
            (!career.ladder.is_empty()).then(|| Ladder {
                role: link(&site.entries[r]),
                steps: career.ladder.clone(),
            })
        })
        .collect();
    let mut map = tera::Map::new();
    map.insert("svg".into(), Value::safe_string(&svg(site, lang)));
    map.insert("transitions".into(), Value::from_serializable(&transitions));
    map.insert("isolated".into(), Value::from_serializable(&isolated));
    map.insert("ladders".into(), Value::from_serializable(&ladders));
    Value::from(map)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn layers_follow_the_longest_path_and_survive_cycles() {
        let roles = [1, 2, 3, 4, 5];
        let edges = [(1, 2), (2, 3), (1, 3), (3, 1)];
        let layer = layers(&roles, &edges);
        assert_eq!(layer[&1], 0);
        assert_eq!(layer[&2], 1);
        assert_eq!(layer[&3], 2);
        assert!(
            !layer.contains_key(&5),
            "isolated roles are not in the graph"
        );
    }

    #[test]
    fn long_titles_wrap() {
        assert_eq!(
            wrap("Технический аккаунт-менеджер", WRAP),
            ["Технический", "аккаунт-менеджер"]
        );
        assert_eq!(wrap("HR-менеджер", WRAP), ["HR-менеджер"]);
    }
}
