// Turns two real Russian documentation sites into Rolebook sites, for the
// search evaluation of issue 14 (`eval-docs.json`) and its byte budget on a
// documentation corpus. The corpora stay outside the repository.
//
// Get the sources (either way), then convert:
//
//   # with the session's `fetch` tool: github:reactjs/ru.react.dev and
//   # github:vuejs-translations/docs-ru give bare git folders; or
//   git clone --depth 1 https://github.com/reactjs/ru.react.dev /work/corpora/git/react
//   git clone --depth 1 https://github.com/vuejs-translations/docs-ru /work/corpora/git/vue
//   (cd benches/search && npm ci)
//   node benches/search/docs-corpus.mjs --react GIT_OR_CHECKOUT --vue GIT_OR_CHECKOUT [--out /work/corpora]
//
// Writes OUT/react-ru and OUT/vue-ru (one Rolebook page per documentation
// page: React's src/content, Vue's src) and OUT/docs-split (both sites with
// every page cut at its `##`, `###` and `####` headings, one page per part:
// about 3,000 pages of documentation, for the bytes of a first query). The
// commits converted are written to OUT/SOURCES.txt. Pages keep their text,
// headings and code; links become their text, JSX/Vue components and HTML
// tags are dropped (their content kept), heading anchors removed.

import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, dirname, join, relative } from "node:path";
import YAML from "yaml";

const args = Object.fromEntries(process.argv.slice(2).reduce((pairs, a, i, all) =>
  (a.startsWith("--") ? [...pairs, [a.slice(2), all[i + 1]]] : pairs), []));
const OUT = args.out || "/work/corpora";

const SITES = {
  "react-ru": { source: args.react, root: "src/content", title: "React (документация на русском)" },
  "vue-ru": { source: args.vue, root: "src", title: "Vue.js (документация на русском)" },
};

/** A checkout of `root` of a source (a work tree, or a bare git folder exported with `git archive`). */
function checkout(source, root, name) {
  if (!source) throw new Error(`--${name.split("-")[0]} is needed (a git folder or a checkout)`);
  if (existsSync(join(source, root))) return { dir: join(source, root), commit: gitHead(join(source, ".git")) };
  const dir = join(tmpdir(), `rolebook-docs-${name}`);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const tar = execFileSync("git", ["--git-dir", source, "archive", "HEAD", root], { maxBuffer: 1 << 30 });
  execFileSync("tar", ["-x", "-C", dir], { input: tar });
  return { dir: join(dir, root), commit: gitHead(source) };
}

function gitHead(gitDir) {
  try {
    return execFileSync("git", ["--git-dir", gitDir, "rev-parse", "HEAD"], { encoding: "utf8" }).trim();
  } catch {
    return "unknown";
  }
}

function walk(dir) {
  return readdirSync(dir).sort().flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? walk(path) : [path];
  });
}

/** Front matter (YAML) and body of a Markdown file. */
function split(text) {
  const m = /^---\r?\n([\s\S]*?)\r?\n---\r?\n/.exec(text);
  if (!m) return { front: {}, body: text };
  return { front: YAML.parse(m[1]) || {}, body: text.slice(m[0].length) };
}

const FENCE = /^\s*(```|~~~)/;

/** Markdown for Rolebook: components, tags, anchors and links dropped, code kept. */
function clean(body) {
  const out = [];
  let fence = null, skip = null;
  for (let line of body.replace(/<!--[\s\S]*?-->/g, "").split("\n")) {
    const f = FENCE.exec(line);
    if (fence) {
      out.push(line);
      if (f && f[1] === fence) fence = null;
      continue;
    }
    if (skip) {
      if (new RegExp(`</${skip}>`).test(line)) skip = null;
      continue;
    }
    if (f) {
      fence = f[1];
      out.push(line.replace(/\{[^}]*\}\s*$/, ""));
      continue;
    }
    const block = /^\s*<(script|style)\b/.exec(line);
    if (block) {
      if (!new RegExp(`</${block[1]}>`).test(line)) skip = block[1];
      continue;
    }
    line = outsideCode(line, (text) => text
      .replace(/\s*\{\/\*.*?\*\/\}/g, "")
      .replace(/\s*\{#[^}]*\}/g, "")
      .replace(/!\[[^\]]*\]\([^)]*\)/g, "")
      .replace(/\[([^\]]*)\]\([^)]*\)/g, "$1")
      .replace(/\[([^\]]*)\]\[[^\]]*\]/g, "$1")
      .replace(/(^|[^\\])<\/?[A-Za-z][\w.-]*(\s[^<>]*)?\/?>/g, "$1"));
    const container = /^\s*:::\s*(\w+)?\s*(.*)$/.exec(line);
    if (container) {
      if (container[2]) out.push(`**${container[2]}**`, "");
      continue;
    }
    if (/^\s*\[[^\]]+\]:\s*\S+/.test(line)) continue;
    out.push(line);
  }
  return out.join("\n").replace(/\n{3,}/g, "\n\n").trim() + "\n";
}

/** `line` with `edit` applied to the text outside its inline code spans. */
function outsideCode(line, edit) {
  return line.split(/(`+[^`]*`+)/).map((part, i) => (i % 2 ? part : edit(part))).join("");
}

/** The page's title: front matter, else its first `# ` heading (taken out of the body). */
function titled(front, body, file) {
  if (front.title) return { title: String(front.title), body };
  const m = /^#\s+(.+)$/m.exec(body);
  if (m) return { title: m[1].replace(/\\</g, "<").trim(), body: body.replace(m[0], "") };
  return { title: basename(file).replace(/\.mdx?$/, ""), body };
}

function page(title, description, body) {
  const front = { title, ...(description ? { description } : {}) };
  return `---\n${YAML.stringify(front)}---\n\n${body}`;
}

/** Paths without folders of one page each: React's blog dates, Vue's tutorial steps. */
function flatten(rel) {
  return rel
    .replace(/^blog\/(\d{4})\/(\d\d)\/(\d\d)\//, "blog/$1-$2-$3-")
    .replace(/^tutorial\/src\/(step-\d+)\/description\.md$/, "tutorial/$1.md");
}

/** Converted pages of one site: [{path (content-relative), title, description, body}]. */
function convert(name) {
  const site = SITES[name];
  const { dir, commit } = checkout(site.source, site.root, name);
  const pages = [];
  for (const file of walk(dir)) {
    if (!/\.mdx?$/.test(file) || /\[/.test(file)) continue;
    const { front, body } = split(readFileSync(file, "utf8"));
    const t = titled(front, clean(body), file);
    if (!t.body.trim() && !front.description) continue;
    let rel = flatten(relative(dir, file).replace(/\.mdx?$/, ".md"));
    // A folder's index.md is its section page.
    if (basename(rel) === "index.md" && dirname(rel) !== ".") rel = join(dirname(rel), "_index.md");
    if (rel === "index.md") rel = "_index.md";
    pages.push({ path: rel, title: t.title, description: front.description ? String(front.description) : "", body: t.body });
  }
  return { pages, commit };
}

/** Section pages for folders without one. */
function sections(pages) {
  const have = new Set(pages.map((p) => p.path));
  const out = [];
  for (const p of pages) {
    for (let d = dirname(p.path); d !== "."; d = dirname(d)) {
      const index = join(d, "_index.md");
      if (!have.has(index)) {
        have.add(index);
        out.push({ path: index, title: basename(d), description: "", body: "\n" });
      }
    }
  }
  return out;
}

function writeSite(dir, title, pages) {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(join(dir, "content"), { recursive: true });
  writeFileSync(join(dir, "rolebook.yaml"),
    `title: ${JSON.stringify(title)}\nbase_url: "https://example.org/"\nlanguage: ru\nunknown_front_matter: extra\n`);
  const all = [...pages, ...sections(pages)];
  if (!all.some((p) => p.path === "_index.md")) all.push({ path: "_index.md", title, description: "", body: "\n" });
  for (const p of all) {
    const file = join(dir, "content", p.path);
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, page(p.title, p.description, p.body));
  }
  return all.length;
}

/** A page cut at its `##`–`####` headings (outside code): the intro, then one part per heading. */
function parts(p) {
  const out = [{ heading: null, lines: [] }];
  let fence = null;
  for (const line of p.body.split("\n")) {
    const f = FENCE.exec(line);
    if (fence) { if (f && f[1] === fence) fence = null; }
    else if (f) fence = f[1];
    const h = !fence && !f && /^#{2,4}\s+(.+)$/.exec(line);
    if (h) out.push({ heading: h[1].trim(), lines: [] });
    else out[out.length - 1].lines.push(line);
  }
  return out.filter((part, i) => i === 0 || part.lines.join("").trim());
}

function splitPages(name, pages) {
  const out = [];
  for (const p of pages) {
    const base = join(name, p.path.replace(/(_index)?\.md$/, ""));
    parts(p).forEach((part, i) => {
      const body = part.lines.join("\n").trim() + "\n";
      if (i === 0) out.push({ path: join(base, "_index.md"), title: p.title, description: p.description, body });
      else out.push({ path: join(base, `${String(i).padStart(2, "0")}.md`), title: part.heading, description: p.title, body });
    });
  }
  return out;
}

const sources = [];
const split3000 = [];
for (const name of Object.keys(SITES)) {
  const { pages, commit } = convert(name);
  const n = writeSite(join(OUT, name), SITES[name].title, pages);
  console.error(`${name}: ${n} pages (commit ${commit})`);
  sources.push(`${name}: ${SITES[name].source} ${commit}`);
  split3000.push(...splitPages(name, pages));
}
const n = writeSite(join(OUT, "docs-split"), "React и Vue: документация по разделам", split3000);
console.error(`docs-split: ${n} pages`);
writeFileSync(join(OUT, "SOURCES.txt"), sources.join("\n") + "\n");
