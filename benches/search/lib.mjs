// Helpers shared by the search benchmarks (bench.mjs: bytes and speed;
// eval-docs.mjs: relevance): running commands, reading a built site's search
// records, a byte-counting static server, and Pagefind's copy of a site.

import { execFileSync } from "node:child_process";
import { inflateSync } from "node:zlib";
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { createServer } from "node:http";
import parseRange from "range-parser";
import { dirname, extname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";

export const HERE = dirname(fileURLToPath(import.meta.url));
export const REPO = join(HERE, "../..");
export const PAGEFIND = join(HERE, "node_modules/.bin/pagefind");

/** `--name value` pairs of the command line. */
export const args = Object.fromEntries(process.argv.slice(2).reduce((pairs, a, i, all) =>
  (a.startsWith("--") ? [...pairs, [a.slice(2), all[i + 1]]] : pairs), []));

export const ROLEBOOK = args.rolebook || join(process.env.CARGO_TARGET_DIR || join(REPO, "target"), "release/rolebook");

export const fold = (s) => s.toLowerCase().replaceAll("ё", "е");

export function log(...parts) {
  console.error(...parts);
}

export function run(cmd, argv) {
  const started = process.hrtime.bigint();
  const out = execFileSync(cmd, argv, { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
  return { out, seconds: Number(process.hrtime.bigint() - started) / 1e9 };
}

export function walk(dir) {
  const out = [];
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) out.push(...walk(path));
    else out.push(path);
  }
  return out;
}

export const size = (paths) => paths.reduce((sum, p) => sum + statSync(p).size, 0);

/** Rolebook's search page with its search replaced by Pagefind's default UI. */
export function pagefindPage(html) {
  const ui = `<link rel="stylesheet" href="/pagefind/pagefind-ui.css"><script src="/pagefind/pagefind-ui.js"></script>`;
  const body = `<div id="search"></div>
<script>
window.addEventListener("DOMContentLoaded", () => {
  const ui = new PagefindUI({ element: "#search", showSubResults: false, pageSize: 10, showImages: false });
  const q = new URLSearchParams(location.search).get("q");
  if (q) ui.triggerSearch(q);
  window.pagefindUI = ui;
});
</script>`;
  return html
    .replace(/<link rel="(stylesheet|modulepreload)" href="\/search\/[^"]*">\n?/g, "")
    .replace(/<script type="application\/json" id="search-(config|strings)">.*?<\/script>\n?/gs, "")
    .replace(/<script type="module" src="\/search\/boot\.js[^"]*"><\/script>/, "")
    .replace(/<form class="search-form".*?<\/form>/s, "")
    .replace(/<p id="search-status".*?<button id="search-more"[^>]*>.*?<\/button>/s, body)
    .replace("</head>", `${ui}\n</head>`);
}

export const MIME = { ".html": "text/html; charset=utf-8", ".js": "text/javascript", ".mjs": "text/javascript",
  ".css": "text/css", ".json": "application/json", ".txt": "text/plain; charset=utf-8", ".wasm": "application/wasm" };

/**
 * The search records of a built site (its `search/` folder): for each page
 * in the index, {u, s} (URL relative to the base, section) and {t, d, b}
 * (title, description, excerpt blocks). Records are a line of JSON, then
 * deflated JSON, packed by groups in `d/p-<hash>.pack` at the offsets the
 * layout `l-<hash>.z` gives (LEB128 lengths in units of `align` bytes).
 */
export function readRecords(searchDir) {
  const manifest = JSON.parse(inflateSync(readFileSync(join(searchDir, "index.z"))).toString("utf8"));
  const layout = inflateSync(readFileSync(join(searchDir, `l-${manifest.layout}.z`)));
  const records = [];
  let pos = 0, offset = 0, pack = null;
  for (let doc = 0; doc < manifest.docs; doc++) {
    let units = 0, shift = 0, byte;
    do {
      byte = layout[pos++];
      units += (byte & 0x7f) * 2 ** shift;
      shift += 7;
    } while (byte & 0x80);
    if (doc % manifest.groupSize === 0) {
      const file = join(searchDir, `d/p-${manifest.groups[doc / manifest.groupSize]}.pack`);
      pack = existsSync(file) ? readFileSync(file) : null;
      offset = 0;
    }
    const length = units * manifest.align;
    if (length) {
      const bytes = pack.subarray(offset, offset + length), newline = bytes.indexOf(10);
      records.push({ ...JSON.parse(bytes.subarray(0, newline).toString("utf8")),
        ...JSON.parse(inflateSync(bytes.subarray(newline + 1), { finishFlush: 2 }).toString("utf8")) });
    }
    offset += length;
  }
  return records;
}

/**
 * Serves a folder without HTTP compression and counts the body bytes it
 * sends: everything the browser downloads, page scripts and workers alike.
 */
export function serve(dir) {
  const sent = { bytes: 0, files: [] };
  const server = createServer((req, res) => {
    const path = decodeURIComponent(new URL(req.url, "http://x").pathname);
    // The theme's offline service worker downloads the page and its assets a
    // second time once it is active; not needed to show results, and the
    // same for both engines: left out.
    if (path.endsWith("/sw.js")) {
      res.writeHead(404).end();
      return;
    }
    let file = join(dir, path);
    if (existsSync(file) && statSync(file).isDirectory()) file = join(file, "index.html");
    if (!file.startsWith(dir) || !existsSync(file)) {
      res.writeHead(404).end();
      return;
    }
    let body = readFileSync(file);
    const type = MIME[extname(file)] || "application/octet-stream";
    // One range, as static hosts serve them (search records in their packs).
    const ranges = req.headers.range && !type.startsWith("text/html") ? parseRange(body.length, req.headers.range) : null;
    if (Array.isArray(ranges) && ranges.type === "bytes" && ranges.length === 1) {
      const { start, end } = ranges[0];
      res.writeHead(206, { "Content-Type": type, "Content-Range": `bytes ${start}-${end}/${body.length}` });
      body = body.subarray(start, end + 1);
    } else {
      res.writeHead(200, { "Content-Type": type, "Accept-Ranges": "bytes" });
    }
    sent.bytes += body.length;
    sent.files.push([path, body.length]);
    res.end(body);
  });
  return new Promise((resolve) => server.listen(0, "127.0.0.1", () =>
    resolve({ origin: `http://127.0.0.1:${server.address().port}`, sent, close: () => server.close() })));
}

/** Bytes by kind of file. */
export function byKind(files) {
  const out = {};
  for (const [path, bytes] of files) {
    const kind = path.endsWith("/") || path.endsWith(".html") ? "html" : path.endsWith(".css") ? "css"
      : /\.m?js$/.test(path) ? "js" : "index";
    out[kind] = (out[kind] || 0) + bytes;
  }
  return out;
}

/** The URLs (relative to the base) of the pages in a built site's search index. */
export function indexedUrls(rolebookDir) {
  return new Set(readRecords(join(rolebookDir, "search")).map((r) => r.u));
}

/**
 * Copies a Rolebook build to `pagefindDir` keeping only the pages Rolebook
 * indexes, indexes it with Pagefind (their `<main>` only) and adds
 * `/pagefind-search/`: Rolebook's search page with Pagefind's default UI.
 */
export function buildPagefind(rolebookDir, pagefindDir) {
  const indexed = indexedUrls(rolebookDir);
  rmSync(pagefindDir, { recursive: true, force: true });
  cpSync(rolebookDir, pagefindDir, { recursive: true });
  const searchPage = readFileSync(join(pagefindDir, "search/index.html"), "utf8");
  for (const file of walk(pagefindDir)) {
    const rel = relative(pagefindDir, file);
    const url = rel.endsWith("index.html") ? rel.slice(0, -"index.html".length) : null;
    if (extname(file) === ".html" && !(url !== null && indexed.has(url))) rmSync(file);
  }
  const pf = run(PAGEFIND, ["--site", pagefindDir, "--root-selector", "main", "--quiet"]);
  mkdirSync(join(pagefindDir, "pagefind-search"));
  writeFileSync(join(pagefindDir, "pagefind-search/index.html"), pagefindPage(searchPage));
  return { docs: indexed.size, seconds: pf.seconds };
}
