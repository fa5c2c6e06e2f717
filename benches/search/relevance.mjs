// Relevance of Rolebook's search against Pagefind 1.6 and MiniSearch 7.2 on
// the same built pages and the same queries (issue 14).
//
//   cargo build --release
//   (cd benches/search && npm ci)            # Pagefind, MiniSearch, Snowball
//   node benches/search/docs-corpus.mjs …    # the corpora, see that script
//   node benches/search/relevance.mjs [--set eval-docs.json|eval.json] [--corpora /work/corpora]
//        [--corpus /work/bench-data/n10000/neutral] [--engines rolebook,minisearch,pagefind]
//        [--rolebook BIN] [--theme DIR] [--work DIR] [--json FILE] [--factors lemma=0,derived=0,cross=0]
//        [--ablate fill,stop]
//
// The set's sha256 must match its `.sha256` file when there is one (the
// queries were frozen before tuning). Each site is built with Rolebook; the
// same pages (those Rolebook indexes, their `<main>`) are indexed by Pagefind
// (searched in headless Chromium through its API) and by MiniSearch
// configured as its documentation suggests: fields title (boost 2) and text,
// Snowball Russian in `processTerm`, prefix and fuzzy 0.2 on terms longer
// than 3 characters, AND, then OR to fill ten results. Rolebook is searched
// in Node with the theme's own engine.js, as a submitted query (deep link);
// `--factors` overrides match factors of the manifest's ranking (0 turns a
// kind of match off: lemma, derived, cross, typo, typo2, synonym, parts) and
// `--ablate` takes back the filled list or the stop-word queries, to measure
// what each one adds; `--theme` names the
// folder of the engine.js and tokenize.js that go with an older `--rolebook`.
//
// Per engine: MRR@10, recall@5 (relevant pages in the top five / min(relevant,
// 5)), hit@1, and per kind of query; for Rolebook minus each other engine a
// paired bootstrap 95% interval (10,000 resamples of the queries, fixed seed).

import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gzipSync } from "node:zlib";

import MiniSearch from "minisearch";
import { parse } from "node-html-parser";
import snowball from "snowball-stemmers";

import { Chrome } from "./cdp.mjs";
import { HERE, REPO, ROLEBOOK, args, buildPagefind, fold, log, readRecords, run, serve, walk } from "./lib.mjs";
import { openSite } from "./query.mjs";

const SET = join(HERE, args.set || "eval-docs.json");
const CORPORA = args.corpora || "/work/corpora";
const CORPUS = args.corpus || "/work/bench-data/n10000/neutral";
const WORK = args.work || join(existsSync("/dev/shm") ? "/dev/shm" : tmpdir(), "rolebook-relevance");
const ENGINES = (args.engines || "rolebook,minisearch,pagefind").split(",");
const RESAMPLES = 10_000;
const ABLATE = new Set((args.ablate || "").split(",").filter(Boolean));
const FACTORS = Object.fromEntries((args.factors || "").split(",").filter(Boolean).map((kv) => {
  const [key, value] = kv.split("=");
  return [key, Number(value)];
}));

/** The folder of a site of the sets: a converted corpus, the bundled site, or the generated one. */
function siteRoot(name) {
  if (name === "bundled") return REPO;
  if (name !== "corpus") return join(CORPORA, name);
  const root = join(WORK, "corpus-site");
  rmSync(root, { recursive: true, force: true });
  mkdirSync(root, { recursive: true });
  symlinkSync(join(CORPUS, "content"), join(root, "content"));
  writeFileSync(join(root, "rolebook.yaml"), 'title: "Карьерная база знаний"\nbase_url: "https://example.org/"\n' +
    "language: ru\nunknown_front_matter: extra\nsymlinks: follow\n");
  return root;
}

function checkFrozen() {
  const file = SET.replace(/\.json$/, ".sha256");
  if (!existsSync(file)) return null;
  const want = readFileSync(file, "utf8").split(/\s+/)[0];
  const got = createHash("sha256").update(readFileSync(SET)).digest("hex");
  if (got !== want) throw new Error(`${SET} changed after it was frozen: sha256 ${got}, ${file} says ${want}`);
  return got;
}

/** The indexed pages of a build: {url (root-relative), title, text of <main>}. */
function pages(dir) {
  return readRecords(join(dir, "search")).map((record) => {
    const html = readFileSync(join(dir, record.u, "index.html"), "utf8");
    const main = parse(html).querySelector("main");
    return { id: "/" + record.u, title: record.t, text: main ? main.structuredText : "" };
  });
}

// MiniSearch as its documentation suggests, with Snowball Russian.
const russian = snowball.newStemmer("russian");

function miniSearch(docs) {
  const index = new MiniSearch({
    fields: ["title", "text"],
    processTerm: (term) => russian.stem(fold(term)),
    searchOptions: {
      boost: { title: 2 },
      prefix: (term) => term.length > 3,
      fuzzy: (term) => (term.length > 3 ? 0.2 : false),
    },
  });
  index.addAll(docs);
  const bytes = gzipSync(JSON.stringify(index)).length;
  return {
    bytes,
    search: (q) => {
      const and = index.search(q, { combineWith: "AND" }).map((r) => r.id);
      if (and.length >= 10) return and.slice(0, 10);
      const seen = new Set(and);
      const or = index.search(q, { combineWith: "OR" }).map((r) => r.id).filter((id) => !seen.has(id));
      return [...and, ...or].slice(0, 10);
    },
  };
}

/**
 * Rolebook's hits with a behaviour of issue 14 taken back, for `--ablate`:
 * `fill` keeps only the pages with every word when there are any (AND, then
 * OR only when AND finds nothing); `stop` finds nothing for a query of stop
 * words only (as when stop words were not indexed).
 */
function ablated(index, q, hits) {
  if (ABLATE.has("stop") && index.atoms(q).every((a) => a.stop)) return [];
  if (ABLATE.has("fill") && hits.length) return hits.filter((h) => h.matched === hits[0].matched);
  return hits;
}

async function rolebookResults(dir, queries) {
  const index = await (args.theme ? openSite(dir, args.theme) : openSite(dir));
  Object.assign(index.m.ranking, FACTORS);
  const out = [];
  for (const q of queries) {
    const result = await index.search(q, { typing: false });
    result.hits = ablated(index, q, result.hits);
    const records = await Promise.all(result.hits.slice(0, 10).map((h) => index.record(h.doc)));
    out.push({ urls: records.map((r) => r.url), notice: result.corrected || null, count: result.hits.length });
  }
  return out;
}

async function pagefindResults(dir, queries) {
  const server = await serve(dir);
  const chrome = Chrome.launch();
  try {
    const page = await chrome.page();
    await page.goto(`${server.origin}/pagefind-search/`);
    await page.eval(`window.pf = await import("/pagefind/pagefind.js"); await pf.init();`);
    const out = [];
    for (const q of queries) {
      const urls = await page.eval(`const s = await pf.search(${JSON.stringify(q)});
        const data = await Promise.all(s.results.slice(0, 10).map((r) => r.data()));
        return data.map((d) => new URL(d.url, location.href).pathname);`);
      out.push({ urls });
    }
    return out;
  } finally {
    await chrome.close();
    server.close();
  }
}

function relevant(query, titles) {
  if (query.expect) return new Set(query.expect);
  const fragments = query.title.map(fold);
  return new Set([...titles].filter(([, t]) => fragments.every((f) => fold(t).includes(f))).map(([u]) => u));
}

function score(urls, wanted) {
  const rank = urls.slice(0, 10).findIndex((u) => wanted.has(u));
  const top5 = urls.slice(0, 5).filter((u) => wanted.has(u)).length;
  return { rr: rank >= 0 ? 1 / (rank + 1) : 0, recall5: wanted.size ? top5 / Math.min(wanted.size, 5) : 0,
    hit1: rank === 0 ? 1 : 0, rank: rank >= 0 ? rank + 1 : null };
}

const mean = (xs) => xs.reduce((s, x) => s + x, 0) / xs.length;

/** Seeded PRNG (mulberry32), so the intervals are reproducible. */
function random(seed) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Paired bootstrap 95% interval of mean(a − b). */
function bootstrap(a, b) {
  const next = random(14);
  const diffs = a.map((x, i) => x - b[i]);
  const means = [];
  for (let r = 0; r < RESAMPLES; r++) {
    let sum = 0;
    for (let i = 0; i < diffs.length; i++) sum += diffs[Math.floor(next() * diffs.length)];
    means.push(sum / diffs.length);
  }
  means.sort((x, y) => x - y);
  return { mean: mean(diffs), low: means[Math.floor(RESAMPLES * 0.025)], high: means[Math.floor(RESAMPLES * 0.975)] };
}

async function main() {
  const sha = checkFrozen();
  const set = JSON.parse(readFileSync(SET, "utf8")).queries;
  const rows = [];
  const sizes = {};
  for (const site of [...new Set(set.map((q) => q.site))]) {
    const queries = set.filter((q) => q.site === site);
    const dir = join(WORK, site);
    rmSync(dir, { recursive: true, force: true });
    const built = run(ROLEBOOK, ["build", "--quiet", "--root", siteRoot(site), "--output", join(dir, "rolebook")]);
    log(`${site}: built in ${built.seconds.toFixed(1)} s`);
    const docs = pages(join(dir, "rolebook"));
    const titles = new Map(docs.map((d) => [d.id, d.title]));
    const results = {};
    const texts = queries.map((q) => q.q);
    if (ENGINES.includes("rolebook")) results.rolebook = await rolebookResults(join(dir, "rolebook"), texts);
    if (ENGINES.includes("minisearch")) {
      const mini = miniSearch(docs);
      sizes[site] = { docs: docs.length, miniSearchGzipBytes: mini.bytes };
      results.minisearch = texts.map((q) => ({ urls: mini.search(q) }));
    }
    if (ENGINES.includes("pagefind")) {
      buildPagefind(join(dir, "rolebook"), join(dir, "pagefind"));
      results.pagefind = await pagefindResults(join(dir, "pagefind"), texts);
    }
    queries.forEach((q, i) => {
      const wanted = relevant(q, titles);
      const row = { site, kind: q.kind, q: q.q, relevant: [...wanted] };
      for (const engine of Object.keys(results)) row[engine] = { ...score(results[engine][i].urls, wanted), ...results[engine][i] };
      rows.push(row);
    });
  }
  const report = { set: SET, sha256: sha, queries: rows.length, sizes, engines: {}, versus: {}, kinds: {} };
  const engines = ENGINES.filter((e) => rows[0][e]);
  for (const e of engines) {
    report.engines[e] = Object.fromEntries(["rr", "recall5", "hit1"].map((m) => [m, mean(rows.map((r) => r[e][m]))]));
  }
  for (const e of engines.filter((x) => x !== "rolebook" && engines.includes("rolebook"))) {
    report.versus[e] = Object.fromEntries(["rr", "recall5", "hit1"].map((m) =>
      [m, bootstrap(rows.map((r) => r.rolebook[m]), rows.map((r) => r[e][m]))]));
  }
  for (const kind of [...new Set(rows.map((r) => r.kind.split(",")[0].replace(/ \(.*/, "")))]) {
    const of = rows.filter((r) => r.kind.split(",")[0].replace(/ \(.*/, "") === kind);
    report.kinds[kind] = { n: of.length, ...Object.fromEntries(engines.map((e) => [e, mean(of.map((r) => r[e].rr))])) };
  }
  report.rows = rows;
  const out = args.json || join(WORK, "relevance.json");
  writeFileSync(out, JSON.stringify(report, null, 2));
  log(`wrote ${out}`);
  console.log(table(report, engines));
}

function table(report, engines) {
  const f = (x) => x.toFixed(3);
  const lines = [`${report.queries} queries of ${report.set.split("/").pop()}` + (report.sha256 ? ` (sha256 ${report.sha256.slice(0, 12)}…)` : ""), "",
    `| | ${engines.join(" | ")} |`, `|---|${engines.map(() => "---").join("|")}|`];
  for (const [m, name] of [["rr", "MRR@10"], ["recall5", "recall@5"], ["hit1", "hit@1"]]) {
    lines.push(`| ${name} | ${engines.map((e) => f(report.engines[e][m])).join(" | ")} |`);
  }
  for (const [e, v] of Object.entries(report.versus)) {
    lines.push("", `Rolebook − ${e}: ` + ["rr", "recall5", "hit1"].map((m) =>
      `${m === "rr" ? "MRR@10" : m === "recall5" ? "recall@5" : "hit@1"} ${v[m].mean >= 0 ? "+" : ""}${f(v[m].mean)} [${f(v[m].low)}, ${f(v[m].high)}]`).join(", "));
  }
  lines.push("", `| kind (MRR@10) | n | ${engines.join(" | ")} |`, `|---|---|${engines.map(() => "---").join("|")}|`);
  for (const [k, v] of Object.entries(report.kinds)) lines.push(`| ${k} | ${v.n} | ${engines.map((e) => f(v[e])).join(" | ")} |`);
  lines.push("", `| query | site | kind | ${engines.map((e) => `${e} rank`).join(" | ")} |`, `|---|---|---|${engines.map(() => "---").join("|")}|`);
  for (const r of report.rows) lines.push(`| ${r.q} | ${r.site} | ${r.kind} | ${engines.map((e) => r[e].rank ?? "—").join(" | ")} |`);
  return lines.join("\n");
}

await main();
