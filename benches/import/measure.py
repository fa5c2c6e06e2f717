#!/usr/bin/env python3
"""How well `rolebook import` carries real sites over: one row per source.

    python3 benches/import/measure.py --rolebook PATH --work /dev/shm/import-bench \
        [--as-is] [--drop-failing] FORMAT:SRC [FORMAT:SRC ...]

FORMAT is hugo, zola, vitepress, docusaurus or mdbook; SRC the source site's
folder. For each source, in WORK/<name>/ (name = the folder's name):

1. `site/`: `ROLEBOOK import --from FORMAT SRC site`. With `--as-is` (the
   baseline: what a user gets without the importer) the source's content
   folder is copied to `site/content/` instead, and `site/rolebook.yaml` is
   `title` plus `unknown_front_matter: extra`. The content folder is
   `content/` (hugo, zola), `srcDir` of `.vitepress/config.*` (vitepress,
   default: the folder holding `.vitepress/`), `docs/` (docusaurus; when there
   is none, `src/content/`, where Next.js sites such as react.dev keep their
   Markdown), `src` of `book.toml` (mdbook). `node_modules`, `.git` and
   `.vitepress` are left out.
2. `ROLEBOOK build --root site --output public` (WORK should be on tmpfs,
   e.g. /dev/shm). Errors are counted from stderr: one per line of the form
   `path:line:col: error: …` (or `error: …` without a location); the JSON
   groups them by message with the `…`-quoted names blanked out. A build with
   errors writes nothing, so the HTML figures are then empty ("—"), unless
   `--drop-failing` is given: the content files named by the errors are moved
   to `dropped/` and the build runs again (up to 10 rounds); the HTML figures
   are then those of the pages that remained, and `dropped` says how many
   files went.
3. `ROLEBOOK check --root site --format json`: warnings in total and
   `broken-root-link` ones. `check` may skip its site-wide lints (orphans,
   broken root links) on a site with errors: when the full site had errors
   and `--drop-failing` left a site that builds, `check` runs again on it
   and the broken-root-link figure is that run's (marked `*`); without it,
   the figure of the full site is marked `†`.

What is counted in the built HTML (parsed with html.parser):

- **pages**: content pages, i.e. HTML files whose `<main>` holds an
  `<article>` of the theme's page or section templates (`home`, `page`,
  `section`, `roles-directory`, and `page` with `chapter`, `role`,
  `comparison`, `course`). Not counted: redirect pages (aliases: a
  `<meta http-equiv="refresh">` or `<main class="redirect">`), pages 2… of a
  paginated list (`…/page/N/`), taxonomy lists and terms, `/search/`,
  `404.html`, the salaries overview and career map (`page salaries`,
  `page career-map-page`), course handouts (`body.handout`) and other
  generated files.
- **visible junk**: a content page whose own visible text (its header,
  `.page-header`, and body, `.prose`; not the table of contents, cards of
  other pages or the theme's chrome), outside `<pre>`, `<code>`, `<kbd>`,
  `<samp>`, `<script>`, `<style>`, `<template>`, `<svg>` and `<textarea>`,
  holds syntax of another tool: `:::` (containers, admonitions), `{{<` /
  `{{%` (Hugo shortcodes), `{/*` (MDX comments), `{{ ` or `{{` + a word (Vue
  interpolation, Zola shortcodes, mdBook's `{{#include}}`), `{%` (Zola block
  shortcodes), `[[toc]]`, `<<<` at a line start (VitePress snippet imports),
  a tag-like `<Capitalized …>` / `</Capitalized>` shown as text in the body
  (an unrendered JSX or Vue component, which the HTML source shows as
  `&lt;Note&gt;`; not in the header, as titles such as `<Suspense>` are
  React's own), a line starting with MDX's `import … from` / `export const`,
  and a heading attribute `{#id}` left as text. The first offenders are
  printed with the text around the match.
- **links**: `<a href>` inside the page body (elements with class `prose`)
  that stay on the site: root-relative (`/x/`) or relative, not `#…` alone,
  not `//host`, not a scheme. The ratio column divides `check`'s
  broken-root-link count by this number (the two do not count quite the
  same things: `check` also counts images and links outside the body). The
  JSON also has the script's own resolution of each such link against the
  output folder (a file, or a folder with `index.html`; a `#fragment` must be
  an `id` of the target page): `links_unresolved`, `anchors_missing`.
- **breadcrumbs**: `<nav class="breadcrumbs">` (base.html writes it when the
  trail has more than one entry, so home pages are left out of this count).
- **navigation**: a way from the page to its neighbours in the page itself,
  as the default theme writes it: `nav.prev-next` (previous / next page of
  the section, or chapter), `nav.course-nav` / `ol.course-toc` (a course's
  chapters), or the list of a section's pages and subsections (`ul.cards`,
  `ul.page-list`). The header's site menu does not count: it is on every
  page and lists only the top sections. A page alone in its section, or a
  page outside any section, has none.
- **IMPORT.md lines**: the lines of `site/IMPORT.md` (the importer's
  report), 0 when there is none.

Prints a Markdown table, then the first offenders of each source; writes
every figure to WORK/results.json. Python 3 standard library only.
"""

import argparse
import html.parser
import json
import os
import posixpath
import re
import shutil
import subprocess
import sys
import time
import urllib.parse

FORMATS = ("hugo", "zola", "vitepress", "docusaurus", "mdbook")

# ----------------------------------------------------------------- running


def run(cmd, env=None):
    """Run a command; returns (exit code, stdout, stderr, seconds)."""
    full_env = dict(os.environ)
    full_env.update({"NO_COLOR": "1", "TERM": "dumb"})
    if env:
        full_env.update(env)
    start = time.monotonic()
    proc = subprocess.run(cmd, capture_output=True, text=True, env=full_env, errors="replace")
    return proc.returncode, proc.stdout, proc.stderr, round(time.monotonic() - start, 3)


ERROR_LINE = re.compile(r"^(?P<path>\S[^\n]*?):(?P<line>\d+):(?P<col>\d+): error(?:\[(?P<rule>[^\]]+)\])?: (?P<msg>.*)$")
BARE_ERROR = re.compile(r"^error(?:\[(?P<rule>[^\]]+)\])?: (?P<msg>.*)$")
WARNING_LINE = re.compile(r"^(?P<path>\S[^\n]*?):(?P<line>\d+):(?P<col>\d+): warning(?:\[(?P<rule>[^\]]+)\])?: (?P<msg>.*)$")


def message_kind(msg):
    """A message with its specifics blanked: `x` → `…`, numbers → N."""
    msg = re.sub(r"`[^`]*`", "`…`", msg)
    msg = re.sub(r"\(looked for [^)]*\)", "(looked for …)", msg)
    msg = re.sub(r"\d+", "N", msg)
    return msg[:160]


def parse_diagnostics(stderr):
    """Errors and warnings of a rolebook command's stderr."""
    errors, warnings = [], []
    for line in stderr.splitlines():
        m = ERROR_LINE.match(line)
        if m:
            errors.append({"path": m["path"], "line": int(m["line"]), "msg": m["msg"]})
            continue
        m = BARE_ERROR.match(line)
        if m:
            errors.append({"path": None, "line": 0, "msg": m["msg"]})
            continue
        m = WARNING_LINE.match(line)
        if m:
            warnings.append({"path": m["path"], "line": int(m["line"]), "rule": m["rule"], "msg": m["msg"]})
    return errors, warnings


def group(items, key, top=15):
    counts = {}
    for it in items:
        k = key(it)
        counts[k] = counts.get(k, 0) + 1
    return [{"kind": k, "count": n} for k, n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[:top]]


# ------------------------------------------------------------ the baseline

IGNORED_DIRS = {".git", "node_modules", ".vitepress", ".docusaurus"}


def vitepress_config(src):
    for base in (src, os.path.join(src, "docs")):
        for name in ("config.mts", "config.ts", "config.mjs", "config.js"):
            path = os.path.join(base, ".vitepress", name)
            if os.path.isfile(path):
                return base, path
    return src, None


def content_dir(fmt, src):
    """The folder of the source holding its pages (see the docstring)."""
    if fmt in ("hugo", "zola"):
        return os.path.join(src, "content")
    if fmt == "vitepress":
        base, cfg = vitepress_config(src)
        if cfg:
            text = open(cfg, encoding="utf-8", errors="replace").read()
            m = re.search(r"""\bsrcDir\s*:\s*['"`]([^'"`]+)['"`]""", text)
            if m:
                return os.path.normpath(os.path.join(base, m.group(1)))
        return base
    if fmt == "docusaurus":
        for sub in ("docs", os.path.join("src", "content")):
            if os.path.isdir(os.path.join(src, sub)):
                return os.path.join(src, sub)
        return os.path.join(src, "docs")
    if fmt == "mdbook":
        sub = "src"
        book = os.path.join(src, "book.toml")
        if os.path.isfile(book):
            in_book = False
            for line in open(book, encoding="utf-8", errors="replace"):
                s = line.strip()
                if s.startswith("["):
                    in_book = s == "[book]"
                m = re.match(r"""src\s*=\s*['"]([^'"]+)['"]""", s)
                if in_book and m:
                    sub = m.group(1)
        return os.path.join(src, sub)
    raise ValueError(fmt)


def make_as_is(fmt, src, dest, name):
    cdir = content_dir(fmt, src)
    if not os.path.isdir(cdir):
        raise SystemExit(f"{src}: no content folder {cdir}")
    shutil.copytree(
        cdir,
        os.path.join(dest, "content"),
        symlinks=True,
        ignore=lambda d, names: [n for n in names if n in IGNORED_DIRS],
    )
    with open(os.path.join(dest, "rolebook.yaml"), "w", encoding="utf-8") as f:
        f.write(f"title: {json.dumps(name)}\nunknown_front_matter: extra\n")
    return cdir


# ---------------------------------------------------------------- the HTML

SKIP_TEXT = {"pre", "code", "kbd", "samp", "script", "style", "template", "svg", "textarea", "noscript"}
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr", "param"}
BLOCK = {
    "p", "div", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "table", "tr", "td", "th", "section",
    "article", "aside", "header", "footer", "nav", "blockquote", "details", "summary", "dl", "dt", "dd",
    "figure", "figcaption", "br", "hr", "main", "pre",
}
CONTENT_ARTICLES = {"home", "page", "section", "roles-directory", "chapter", "role", "comparison", "course"}
GENERATED_ARTICLES = {"not-found", "career-map-page", "salaries", "search-page", "taxonomy", "taxonomy-term"}
NAV_CLASSES = {"prev-next", "course-nav", "course-toc", "cards", "page-list"}


class PageParser(html.parser.HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.stack = []  # (tag, in_main, skip, prose, body)
        self.base = "/"
        self.redirect = False
        self.handout = False
        self.article = None  # classes of the first <article> in <main>
        self.breadcrumbs = False
        self.nav = set()
        self.ids = set()
        self.text = {"header": [], "body": []}  # visible text outside code
        self.links = []  # hrefs of <a> in .prose

    # the state at the top of the stack
    def _state(self):
        return self.stack[-1][1:] if self.stack else (False, False, False, False)

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        classes = set((a.get("class") or "").split())
        if a.get("id"):
            self.ids.add(a["id"])
        if a.get("name") and tag == "a":
            self.ids.add(a["name"])
        in_main, skip, prose, body = self._state()
        if tag == "html" and a.get("data-base"):
            self.base = a["data-base"]
        if tag == "meta" and (a.get("http-equiv") or "").lower() == "refresh":
            self.redirect = True
        if tag == "body" and "handout" in classes:
            self.handout = True
        if tag == "main":
            in_main = True
            if "redirect" in classes:
                self.redirect = True
        if tag == "nav" and "breadcrumbs" in classes:
            self.breadcrumbs = True
        if in_main:
            if tag == "article" and self.article is None:
                self.article = classes
            self.nav |= classes & NAV_CLASSES
        if tag in SKIP_TEXT:
            skip = True
        if "prose" in classes:
            prose = True
        if in_main and "prose" in classes:
            body = "body"
        elif in_main and "page-header" in classes and not body:
            body = "header"
        if prose and tag == "a" and a.get("href") is not None:
            self.links.append(a["href"])
        if body and not skip and tag in BLOCK:
            self.text[body].append("\n")
        if tag not in VOID:
            self.stack.append((tag, in_main, skip, prose, body))

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag not in VOID and self.stack and self.stack[-1][0] == tag:
            self.stack.pop()

    def handle_endtag(self, tag):
        if tag in VOID:
            return
        for i in range(len(self.stack) - 1, -1, -1):
            if self.stack[i][0] == tag:
                del self.stack[i:]
                break
        _, skip, _, body = self._state()
        if body and not skip and tag in BLOCK:
            self.text[body].append("\n")

    def handle_data(self, data):
        _, skip, _, body = self._state()
        if body and not skip:
            self.text[body].append(data)


JUNK = [
    ("container :::", re.compile(r":::")),
    ("hugo {{< {{%", re.compile(r"\{\{[<%]")),
    ("mdx comment {/*", re.compile(r"\{/\*")),
    ("interpolation {{", re.compile(r"\{\{(?: |[\w#$])")),
    ("zola block {%", re.compile(r"(?<!\{)\{%")),
    ("[[toc]]", re.compile(r"\[\[toc\]\]", re.I)),
    ("snippet <<<", re.compile(r"(?m)^[ \t]*<<<")),
    ("component tag as text", re.compile(r"</?[A-Z][A-Za-z0-9]+(?:\.[A-Za-z0-9]+)*(?:\s[^<>]*)?/?>")),
    ("mdx import/export", re.compile(r"(?m)^[ \t]*(?:import\s+[\w{}*,\s]+\s+from\s+\S|export\s+(?:const|let|default|function)\s)")),
    ("heading attribute {#id}", re.compile(r"\{#[\w-]+\}")),
]


def visible_junk(header, body):
    found = []
    for name, rx in JUNK:
        # A title may name a component (`<Suspense>`, React's reference pages).
        m = rx.search(body) if name == "component tag as text" else rx.search(header) or rx.search(body)
        if m:
            text = m.string
            a, b = max(0, m.start() - 40), min(len(text), m.end() + 40)
            found.append((name, " ".join(text[a:b].split())))
    return found


def classify(rel, p):
    """`content`, `home` or the reason a file is not a content page."""
    if p.redirect:
        return "redirect"
    if p.handout:
        return "handout"
    if re.search(r"(^|/)page/\d+/index\.html$", rel):
        return "pagination"
    if p.article is None:
        return "other"
    if p.article & GENERATED_ARTICLES:
        return "generated"
    if p.article & CONTENT_ARTICLES:
        return "home" if "home" in p.article else "content"
    return "other"


def link_target(href, page_url, base):
    """The output path (under the base path) and fragment of an internal link, or None."""
    if href.startswith("#") or href.startswith("//"):
        return None
    parts = urllib.parse.urlsplit(href)
    if parts.scheme or parts.netloc:
        return None
    path = urllib.parse.unquote(parts.path)
    if not path:
        return None
    if not path.startswith("/"):
        path = posixpath.join(posixpath.dirname(page_url.rstrip("/") + "/x"), path)
    norm = posixpath.normpath(path) + ("/" if path.endswith("/") else "")
    return norm, urllib.parse.unquote(parts.fragment)


def analyse_html(out):
    base = "/"
    pages = {}
    for d, dirs, files in os.walk(out):
        dirs.sort()
        for f in sorted(files):
            if not f.endswith(".html"):
                continue
            full = os.path.join(d, f)
            rel = os.path.relpath(full, out).replace(os.sep, "/")
            p = PageParser()
            try:
                p.feed(open(full, encoding="utf-8", errors="replace").read())
                p.close()
            except Exception as e:  # html.parser is lenient; keep going on anything
                print(f"  warning: {rel}: {e}", file=sys.stderr)
            base = p.base or base
            pages[rel] = p
    base = base if base.endswith("/") else base + "/"

    def url_of(rel):
        u = base + rel
        return u[: -len("index.html")] if u.endswith("index.html") else u

    kinds = {}
    junk_pages, junk_by_pattern = [], {}
    no_crumbs, no_nav = [], []
    links = unresolved = anchors_missing = 0
    unresolved_examples, anchor_examples = [], []
    content = []
    for rel, p in pages.items():
        kind = classify(rel, p)
        kinds[kind] = kinds.get(kind, 0) + 1
        if kind not in ("content", "home"):
            continue
        content.append(rel)
        found = visible_junk("".join(p.text["header"]), "".join(p.text["body"]))
        if found:
            junk_pages.append({"page": url_of(rel), "found": [{"pattern": n, "text": t} for n, t in found]})
            for n, _ in found:
                junk_by_pattern[n] = junk_by_pattern.get(n, 0) + 1
        if kind == "content" and not p.breadcrumbs:
            no_crumbs.append(url_of(rel))
        if not p.nav:
            no_nav.append(url_of(rel))
        for href in p.links:
            t = link_target(href, url_of(rel), base)
            if t is None:
                continue
            links += 1
            path, frag = t
            if not path.startswith(base):
                unresolved += 1
                if len(unresolved_examples) < 10:
                    unresolved_examples.append({"page": url_of(rel), "href": href})
                continue
            inner = path[len(base):]
            candidates = [inner + "index.html"] if inner.endswith("/") or inner == "" else [inner, inner + "/index.html"]
            target = next((c for c in candidates if os.path.isfile(os.path.join(out, c))), None)
            if target is None:
                unresolved += 1
                if len(unresolved_examples) < 10:
                    unresolved_examples.append({"page": url_of(rel), "href": href})
                continue
            if frag and target in pages and frag not in pages[target].ids:
                anchors_missing += 1
                if len(anchor_examples) < 10:
                    anchor_examples.append({"page": url_of(rel), "href": href})
    return {
        "html_files": len(pages),
        "file_kinds": kinds,
        "pages": len(content),
        "junk_pages": len(junk_pages),
        "junk_by_pattern": dict(sorted(junk_by_pattern.items(), key=lambda kv: -kv[1])),
        "junk_examples": junk_pages[:20],
        "links": links,
        "links_unresolved": unresolved,
        "links_unresolved_examples": unresolved_examples,
        "anchors_missing": anchors_missing,
        "anchors_missing_examples": anchor_examples,
        "pages_without_breadcrumbs": len(no_crumbs),
        "pages_without_breadcrumbs_examples": no_crumbs[:10],
        "pages_without_navigation": len(no_nav),
        "pages_without_navigation_examples": no_nav[:10],
    }


# ------------------------------------------------------------------ a source


def run_check(rolebook, site):
    rc, out, err, secs = run([rolebook, "check", "--root", site, "--format", "json"])
    try:
        doc = json.loads(out)
    except ValueError:
        return {"exit": rc, "seconds": secs, "parsed": False, "stderr": err[-2000:]}
    findings = doc.get("findings", [])
    by_rule = {}
    for f in findings:
        key = f.get("rule") or ("error" if f.get("severity") == "error" else "other")
        by_rule[key] = by_rule.get(key, 0) + 1
    summary = doc.get("summary", {})
    broken = [f for f in findings if f.get("rule") == "broken-root-link"]
    return {
        "exit": rc,
        "seconds": secs,
        "parsed": True,
        "pages": summary.get("pages"),
        "errors": summary.get("errors"),
        "warnings": summary.get("warnings"),
        "broken_root_links": len(broken),
        "broken_root_link_examples": [f"{f.get('path')}:{f.get('line')}: {f.get('message')}" for f in broken[:10]],
        "by_rule": dict(sorted(by_rule.items(), key=lambda kv: -kv[1])),
        "error_kinds": group([f for f in findings if f.get("severity") == "error"], lambda f: message_kind(f.get("message", ""))),
    }


def droppable(site, errors):
    """Content files named by build errors."""
    paths = set()
    for e in errors:
        p = e["path"]
        if p and p.startswith("content/") and os.path.isfile(os.path.join(site, p)):
            paths.add(p)
    return sorted(paths)


def measure(args, fmt, src):
    name = os.path.basename(os.path.normpath(src))
    root = os.path.join(args.work, name)
    site, out, dropped_dir = (os.path.join(root, x) for x in ("site", "public", "dropped"))
    if os.path.exists(root):
        shutil.rmtree(root)
    os.makedirs(root)
    res = {"source": name, "format": fmt, "src": src, "mode": "as-is" if args.as_is else "import"}
    print(f"== {name} ({fmt}, {res['mode']})", file=sys.stderr)

    if args.as_is:
        os.makedirs(site)
        res["content_dir"] = make_as_is(fmt, src, site, name)
    else:
        rc, so, se, secs = run([args.rolebook, "import", "--from", fmt, src, site])
        errs, warns = parse_diagnostics(se)
        res["import"] = {
            "exit": rc, "seconds": secs, "errors": len(errs), "warnings": len(warns),
            "error_kinds": group(errs, lambda e: message_kind(e["msg"])),
            "warning_kinds": group(warns, lambda w: message_kind(w["msg"])),
            "stderr_tail": se[-1500:],
        }
        if not os.path.isfile(os.path.join(site, "rolebook.yaml")):
            print(f"  import wrote no site (exit {rc})\n{se[-1500:]}", file=sys.stderr)
            res["failed"] = "import"
            return res
    md = [os.path.join(d, f) for d, _, fs in os.walk(os.path.join(site, "content")) for f in fs if f.endswith(".md")]
    res["source_pages"] = len(md)
    imp = os.path.join(site, "IMPORT.md")
    res["import_md_lines"] = sum(1 for _ in open(imp, encoding="utf-8", errors="replace")) if os.path.isfile(imp) else 0

    rc, so, se, secs = run([args.rolebook, "build", "--root", site, "--output", out])
    errs, _ = parse_diagnostics(se)
    res["build"] = {
        "exit": rc, "seconds": secs, "errors": len(errs),
        "error_kinds": group(errs, lambda e: message_kind(e["msg"])),
        "error_examples": [f"{e['path']}:{e['line']}: {e['msg']}" for e in errs[:15]],
        "summary": (se.strip().splitlines() or [""])[-1][:300],
    }
    print(f"  build: exit {rc}, {len(errs)} errors, {secs} s", file=sys.stderr)

    res["check"] = run_check(args.rolebook, site)
    print(f"  check: {res['check'].get('warnings')} warnings, {res['check'].get('errors')} errors", file=sys.stderr)

    dropped = []
    rounds = 0
    while rc != 0 and args.drop_failing and rounds < 10:
        paths = droppable(site, errs)
        if not paths:
            break
        for p in paths:
            dst = os.path.join(dropped_dir, p)
            os.makedirs(os.path.dirname(dst), exist_ok=True)
            shutil.move(os.path.join(site, p), dst)
        dropped += paths
        rounds += 1
        rc, so, se, secs = run([args.rolebook, "build", "--root", site, "--output", out])
        errs, _ = parse_diagnostics(se)
        print(f"  round {rounds}: dropped {len(paths)} files, build exit {rc}, {len(errs)} errors", file=sys.stderr)
    res["dropped"] = len(dropped)
    res["dropped_files"] = dropped[:50]
    if dropped and rc == 0:
        res["check_after_drop"] = run_check(args.rolebook, site)
    res["built"] = rc == 0 and os.path.isdir(out)
    if res["built"]:
        res["html"] = analyse_html(out)
    return res


# ------------------------------------------------------------------ output


def pct(n, d):
    return f"{100.0 * n / d:.1f}" if d else "—"


def row(r):
    if r.get("failed"):
        return f"| {r['source']} | — | import failed | — | — | — | — | — |"
    b, c, h = r["build"], r["check"], r.get("html")
    pages = "—"
    if h:
        pages = str(h["pages"]) + (f" ({r['dropped']} dropped)" if r.get("dropped") else "")
    errors = str(b["errors"]) if b["errors"] or b["exit"] == 0 else f"exit {b['exit']}"
    warnings = str(c.get("warnings", "?")) if c.get("parsed") else "?"
    # broken-root-link: from the full site when its check had no errors (so
    # its site-wide lints ran), else from the site left after dropping
    # (marked *), else the full site's figure, marked †.
    broken, mark = None, ""
    if c.get("parsed") and not c.get("errors"):
        broken = c["broken_root_links"]
    elif r.get("check_after_drop", {}).get("parsed"):
        broken, mark = r["check_after_drop"]["broken_root_links"], "*"
    elif c.get("parsed"):
        broken, mark = c["broken_root_links"], "†"
    if h and broken is not None:
        links = f"{broken}{mark} / {h['links']} ({pct(broken, h['links'])} %)"
    elif broken is not None:
        links = f"{broken}{mark} / —"
    elif h:
        links = f"— / {h['links']}"
    else:
        links = "—"
    if h:
        junk = f"{h['junk_pages']} ({pct(h['junk_pages'], h['pages'])} %)"
        crumbs, nav = str(h["pages_without_breadcrumbs"]), str(h["pages_without_navigation"])
    else:
        junk = crumbs = nav = "—"
    return f"| {r['source']} | {pages} | {errors} | {junk} | {warnings} | {links} | {crumbs} | {nav} |"


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--rolebook", required=True, help="the rolebook binary")
    ap.add_argument("--work", required=True, help="a scratch folder, ideally on tmpfs (/dev/shm/…)")
    ap.add_argument("--as-is", action="store_true", help="baseline: copy the content folder instead of importing")
    ap.add_argument("--drop-failing", action="store_true", help="move files with build errors away and build again, so the HTML can be measured")
    ap.add_argument("specs", nargs="+", metavar="FORMAT:SRC")
    args = ap.parse_args()
    args.rolebook = os.path.abspath(args.rolebook)
    args.work = os.path.abspath(args.work)
    if not os.access(args.rolebook, os.X_OK):
        ap.error(f"{args.rolebook}: not an executable")
    specs = []
    for spec in args.specs:
        fmt, sep, src = spec.partition(":")
        if not sep or fmt not in FORMATS:
            ap.error(f"{spec}: expected FORMAT:SRC with FORMAT one of {', '.join(FORMATS)}")
        if not os.path.isdir(src):
            ap.error(f"{src}: not a folder")
        specs.append((fmt, os.path.abspath(src)))
    if args.work in ("/", os.path.expanduser("~")) or any(s == args.work or s.startswith(args.work + os.sep) for _, s in specs):
        ap.error("--work must be a scratch folder of its own (it is emptied per source)")
    os.makedirs(args.work, exist_ok=True)

    results = [measure(args, fmt, src) for fmt, src in specs]
    mode = "as-is" if args.as_is else "import"
    print(f"\n{mode}, {os.path.basename(args.rolebook)}\n")
    print("| source | pages | errors | visible junk pages (%) | check warnings | broken root links / links (%) | pages without breadcrumbs | pages without navigation |")
    print("|---|---|---|---|---|---|---|---|")
    for r in results:
        print(row(r))
    if any(r.get("check_after_drop") for r in results):
        print("\n\\* from `check` on the site left after dropping the files with build errors")
    if any(r.get("check", {}).get("errors") for r in results):
        print("\n† `check` reported errors, and then may skip its site-wide lints (broken root links among them):")
        for r in results:
            for which in ("check", "check_after_drop"):
                for k in r.get(which, {}).get("error_kinds", [])[:3]:
                    print(f"- {r['source']} ({which.replace('_', ' ')}): error ×{k['count']}: {k['kind']}")
    for r in results:
        if r.get("failed"):
            continue
        print(f"\n**{r['source']}**: {r['source_pages']} Markdown files, IMPORT.md {r['import_md_lines']} lines, build {r['build']['seconds']} s")
        if "import" in r:
            i = r["import"]
            print(f"- import: exit {i['exit']}, {i['errors']} errors, {i['warnings']} warnings, {i['seconds']} s")
            for k in i["warning_kinds"][:5]:
                print(f"  - warning ×{k['count']}: {k['kind']}")
        for k in r["build"]["error_kinds"][:5]:
            print(f"- error ×{k['count']}: {k['kind']}")
        h = r.get("html")
        if h:
            print(f"- links of page bodies resolved against the output: {h['links']} internal, "
                  f"{h['links_unresolved']} reach no file, {h['anchors_missing']} reach a page without the #anchor")
        if h and h["junk_by_pattern"]:
            print("- junk: " + ", ".join(f"{k} ×{n}" for k, n in h["junk_by_pattern"].items()))
            for j in h["junk_examples"][:5]:
                f = j["found"][0]
                print(f"  - {j['page']}: {f['pattern']}: «{f['text']}»")
    with open(os.path.join(args.work, "results.json"), "w", encoding="utf-8") as f:
        json.dump({"mode": mode, "rolebook": args.rolebook, "results": results}, f, ensure_ascii=False, indent=2)
    print(f"\n→ {os.path.join(args.work, 'results.json')}")


if __name__ == "__main__":
    main()
