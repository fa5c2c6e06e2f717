// Search engine of the default theme: reads the sharded index that
// src/search/ writes under /search/ and ranks pages for a query. No DOM, no
// dependencies; the tokenizer module is passed in (it must be the
// tokenize.js of the same build). The design (fields, weights, typo and
// prefix rules, file layout) is documented in src/search/mod.rs.

const PREFIX_MIN = 2; // characters before the last word is completed as a prefix
const PREFIX_SHARDS = 3; // shards one prefix may read
const PREFIX_TERMS = 40; // completions kept per prefix (most frequent first)
const TYPO_MIN = 5; // letters a word needs before typos are corrected
const TYPO_TERMS = 4; // corrections kept per word (most frequent first)

/** Opens the index at `base` (the absolute URL of the /search/ folder, ending in /). */
export async function openIndex(base, tokenizer, fetcher = fetchFile) {
  const manifest = JSON.parse(await fetcher(base + "index.json", "text", true));
  if (manifest.version !== 1) throw new Error(`search index version ${manifest.version} is not supported`);
  return new Index(base, manifest, tokenizer, fetcher);
}

async function fetchFile(url, kind, revalidate) {
  const response = await fetch(url, revalidate ? { cache: "no-cache" } : {});
  if (!response.ok) throw new Error(`${url}: HTTP ${response.status}`);
  return kind === "text" ? response.text() : response.arrayBuffer();
}

export class Index {
  constructor(base, manifest, tokenizer, fetcher) {
    this.base = base;
    this.m = manifest;
    this.tok = tokenizer;
    this.fetcher = fetcher;
    this.files = new Map(); // path -> Promise of the decoded file
    this.shardKeys = manifest.shards.map((s) => s[0]);
    this.sectionOf = expandRuns(manifest.sectionOf, manifest.docs);
    this.freq = Array.from({ length: 32 }, (_, q) => (q ? manifest.ranking.freqMin * manifest.ranking.freqStep ** (q - 1) : 0));
  }

  /** Sections as {title, url}, in manifest order (result `section` indexes into it). */
  get sections() {
    return this.m.sections.map(([title, url]) => ({ title, url: this.siteUrl(url) }));
  }

  /** A root-relative URL from one relative to the site's base path. */
  siteUrl(rel) {
    return new URL("../" + rel, this.base).pathname;
  }

  load(path, decode, kind = "bytes") {
    let file = this.files.get(path);
    if (!file) {
      file = this.fetcher(this.base + path, kind).then(decode);
      file.catch(() => this.files.delete(path));
      this.files.set(path, file);
    }
    return file;
  }

  shard(i) {
    return this.load(`s/${this.m.shards[i][1]}.bin`, decodeShard);
  }

  /** Index of the shard whose term range holds `term`. */
  shardIndex(term) {
    let lo = 0, hi = this.shardKeys.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.shardKeys[mid] <= term) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }

  /** The dictionary entry of `term`, or null. */
  async entry(term) {
    const shard = await this.shard(this.shardIndex(term));
    return shard.find(term);
  }

  /** Entries whose term starts with `prefix`, most frequent first. */
  async completions(prefix) {
    const first = this.shardIndex(prefix), last = this.shardIndex(prefix + "\uffff");
    const shards = [];
    for (let i = first; i <= Math.min(last, first + PREFIX_SHARDS - 1); i++) shards.push(this.shard(i));
    const found = (await Promise.all(shards)).flatMap((s) => s.withPrefix(prefix));
    return found.filter((e) => e.df > 0).sort((a, b) => b.df - a.df).slice(0, PREFIX_TERMS);
  }

  /** Dictionary entries one edit away from any of `words`, most frequent first. */
  async corrections(words) {
    const directory = await this.load(`t/${this.m.typo}.json`, (text) => JSON.parse(text).map(([key, hash]) => {
      const first = String.fromCodePoint(key.codePointAt(0));
      return { first, length: Number(key.slice(first.length)), hash };
    }), "text");
    const keys = new Set();
    for (const word of words) {
      const chars = [...word];
      // Typos rarely hit the first letter; a swap of the first two is covered.
      for (const first of new Set([chars[0], chars[1]])) {
        for (let n = chars.length - 1; n <= chars.length + 1; n++) keys.add(bucketFile(directory, first, n));
      }
    }
    const buckets = await Promise.all([...keys].filter(Boolean).map((hash) => this.load(`t/${hash}.txt`, (t) => t, "text")));
    const found = new Map();
    for (const text of buckets) {
      for (const line of text.split("\n")) {
        const space = line.indexOf(" ");
        const term = line.slice(0, space);
        if (space > 0 && words.some((w) => oneEdit(w, term))) found.set(term, Number(line.slice(space + 1)));
      }
    }
    const best = [...found].sort((a, b) => b[1] - a[1]).slice(0, TYPO_TERMS);
    return (await Promise.all(best.map(([term]) => this.entry(term)))).filter((e) => e && e.df > 0);
  }

  /** The display record of a document: {title, url, section, description, blocks}. */
  record(doc) {
    const group = this.m.groups[Math.floor(doc / this.m.groupSize)];
    return this.load(`d/${doc}.${group}.json`, (text) => {
      const r = JSON.parse(text);
      return { doc, title: r.t, url: this.siteUrl(r.u), section: r.s, description: r.d, blocks: r.b };
    }, "text");
  }

  /**
   * Ranks the pages for `query`. Returns {hits: [{doc, score, section}],
   * sections: Map(section index -> count), mode: "and" | "or" | "none", terms}
   * where `terms` (a Set) and `prefixes` hold what matched, for highlighting.
   */
  async search(query, { section = null } = {}) {
    const atoms = this.atoms(query, true);
    const clauses = await this.clauses(atoms);
    const ranked = this.rank(clauses);
    const sections = new Map();
    for (const hit of ranked.hits) sections.set(hit.section, (sections.get(hit.section) || 0) + 1);
    if (section !== null) ranked.hits = ranked.hits.filter((h) => h.section === section);
    ranked.sections = sections;
    return ranked;
  }

  /**
   * Query text -> atoms: one per word or compound (stop words dropped),
   * with the terms of its parts. `typing` marks the last one for prefix
   * matching unless the text ends with a space or punctuation.
   */
  atoms(text, typing = false) {
    const atoms = [];
    for (const t of this.tok.tokenize(text)) {
      if (t.kind !== "part") atoms.push({ term: t.term, text: t.text, stop: t.stop, parts: [], prefix: false });
      else if (atoms.length && !t.stop) atoms[atoms.length - 1].parts.push(t.term);
    }
    const content = atoms.filter((a) => !a.stop);
    const last = content[content.length - 1];
    if (typing && last && /[\p{L}\p{N}]$/u.test(text) && atoms[atoms.length - 1] === last) {
      last.prefix = [...last.text].length >= PREFIX_MIN;
    }
    return content;
  }

  /** Atoms -> clauses (AND): each a list of alternatives (synonyms), each a list of atoms. */
  async clauses(atoms) {
    await Promise.all(atoms.map((a) => this.expand(a)));
    const clauses = [];
    for (let i = 0; i < atoms.length; ) {
      const found = this.synonyms(atoms, i);
      if (!found) {
        clauses.push([{ atoms: [atoms[i]], factor: 1 }]);
        i++;
        continue;
      }
      const alternatives = found.alternatives.map((text) => ({ atoms: this.atoms(text), factor: 0.85 }));
      await Promise.all(alternatives.flatMap((alt) => alt.atoms.map((a) => this.expand(a))));
      clauses.push([{ atoms: atoms.slice(i, i + found.length), factor: 1 }, ...alternatives]);
      i += found.length;
    }
    return clauses;
  }

  /** The longest synonym rule whose trigger starts at atom `i`. */
  synonyms(atoms, i) {
    let best = null;
    for (const line of (atoms[i].entry?.rules || "").split("\n")) {
      if (!line) continue;
      const [trigger, ...alternatives] = line.split("\t");
      const terms = trigger.split(" ");
      const fits = terms.every((t, k) => atoms[i + k] && atoms[i + k].term === t);
      if (fits && (!best || terms.length > best.length)) best = { length: terms.length, alternatives };
    }
    return best;
  }

  /** Finds an atom's dictionary entries: exact, parts, completions, corrections. */
  async expand(atom) {
    if (atom.matches) return;
    const [entry, parts, completions] = await Promise.all([
      this.entry(atom.term),
      Promise.all(atom.parts.map((p) => this.entry(p))),
      atom.prefix ? this.completions(atom.text) : [],
    ]);
    atom.entry = entry;
    atom.matches = [];
    if (entry && entry.df > 0) atom.matches.push({ entry, factor: 1 });
    for (const e of completions) {
      if (e !== entry) atom.matches.push({ entry: e, factor: 0.6 + 0.3 * Math.min(1, atom.text.length / e.term.length) });
    }
    atom.parts = parts.every((e) => e && e.df > 0) ? parts : [];
    const known = atom.matches.length || atom.parts.length || entry?.rules;
    if (!known && [...atom.text].length >= TYPO_MIN && /\p{L}/u.test(atom.text)) {
      for (const e of await this.corrections([...new Set([atom.term, atom.text])])) {
        atom.matches.push({ entry: e, factor: 0.6 });
      }
    }
  }

  /** Scores of every document an atom matches: Map(doc -> [score, title hit]). */
  atomScores(atom) {
    const n = this.m.docs, r = this.m.ranking;
    const out = new Map();
    const add = (entry, factor, combine) => {
      const idf = Math.log(1 + (n - entry.df + 0.5) / (entry.df + 0.5));
      const { docs, weights } = entry.postings();
      for (let k = 0; k < docs.length; k++) {
        const w = weights[k], f = this.freq[w & 31];
        const s = factor * idf * (r.title * (w >> 7) + r.heading * ((w >> 6) & 1) +
          r.description * ((w >> 5) & 1) + (f * (r.k1 + 1)) / (f + r.k1));
        combine(docs[k], s, w >> 7);
      }
    };
    for (const { entry, factor } of atom.matches) {
      add(entry, factor, (doc, s, title) => {
        const old = out.get(doc);
        if (!old) out.set(doc, [s, title]);
        else { if (s > old[0]) old[0] = s; old[1] |= title; }
      });
    }
    if (atom.parts.length) {
      // A compound also matches a page that has all its parts.
      const parts = new Map();
      atom.parts.forEach((entry, i) => add(entry, 0.8 / atom.parts.length, (doc, s, title) => {
        const old = parts.get(doc);
        if (i === 0) parts.set(doc, [s, title, 1]);
        else if (old && old[2] === i) { old[0] += s; old[1] &= title; old[2]++; }
      }));
      for (const [doc, [s, title, count]] of parts) {
        if (count < atom.parts.length) continue;
        const old = out.get(doc);
        if (!old) out.set(doc, [s, title]);
        else if (s > old[0]) { old[0] = s; old[1] |= title; }
      }
    }
    return out;
  }

  /** Combines clauses: AND, or OR when AND finds nothing. */
  rank(clauses) {
    const terms = new Set(), prefixes = [];
    const perClause = clauses.map((alternatives) => {
      const best = new Map();
      for (const { atoms, factor } of alternatives) {
        for (const a of atoms) {
          for (const m of a.matches || []) terms.add(m.entry.term);
          for (const p of a.parts) terms.add(p.term);
          if (a.prefix) prefixes.push(a.text);
        }
        // An alternative matches a page that matches all its atoms.
        let acc = null;
        for (const atom of atoms) {
          const scores = this.atomScores(atom);
          if (!acc) acc = new Map([...scores].map(([d, [s, t]]) => [d, [s * factor, t]]));
          else {
            for (const [doc, v] of acc) {
              const other = scores.get(doc);
              if (!other) acc.delete(doc);
              else { v[0] += other[0] * factor; v[1] &= other[1]; }
            }
          }
        }
        for (const [doc, v] of acc || []) {
          const old = best.get(doc);
          if (!old || v[0] > old[0]) best.set(doc, v);
        }
      }
      return best;
    });
    if (!perClause.length) return { hits: [], mode: "none", terms, prefixes };
    const r = this.m.ranking;
    const total = new Map();
    perClause.forEach((scores) => {
      for (const [doc, [s, title]] of scores) {
        const old = total.get(doc);
        if (old) { old.score += s; old.matched++; old.titles += title; }
        else total.set(doc, { score: s, matched: 1, titles: title });
      }
    });
    let mode = "and";
    let hits = [...total].filter(([, v]) => v.matched === clauses.length);
    if (!hits.length && clauses.length > 1) {
      mode = "or";
      hits = [...total];
    }
    const list = hits.map(([doc, v]) => {
      let score = v.score * (v.matched / clauses.length) ** 2;
      if (v.titles === clauses.length) score *= r.titleAll;
      return { doc, score, section: this.sectionOf[doc] };
    });
    list.sort((a, b) => b.score - a.score || a.doc - b.doc);
    return { hits: list, mode: list.length ? mode : "none", terms, prefixes };
  }

  /**
   * Text segments of `text` with matches marked: [{text, hit}], cut to about
   * `size` characters around the first match when `size` is given.
   */
  highlight(text, result, size = 0) {
    const tokens = this.tok.tokenize(text);
    const hits = tokens.filter((t) => this.matches(t, result));
    let from = 0, to = text.length;
    if (size && text.length > size) {
      const at = hits.length ? hits[0].start : 0;
      from = Math.max(0, at - Math.floor(size / 4));
      if (from > 0) from = text.indexOf(" ", from) + 1 || from;
      to = Math.min(text.length, from + size);
      if (to < text.length) to = text.lastIndexOf(" ", to) > from ? text.lastIndexOf(" ", to) : to;
    }
    const out = [];
    let pos = from;
    for (const t of hits) {
      // Compounds and their parts overlap: mark each stretch once.
      if (t.start < pos || t.end > to) continue;
      if (t.start > pos) out.push({ text: text.slice(pos, t.start), hit: false });
      out.push({ text: text.slice(t.start, t.end), hit: true });
      pos = t.end;
    }
    if (pos < to) out.push({ text: text.slice(pos, to), hit: false });
    if (from > 0) out.unshift({ text: "…", hit: false });
    if (to < text.length) out.push({ text: "…", hit: false });
    return { segments: out, hits: hits.length };
  }

  /** The best snippet of a record: {heading, segments} (both segment lists). */
  snippet(record, result, size = 180) {
    let best = null;
    const sources = [["", record.description], ...record.blocks];
    for (const [heading, text] of sources) {
      if (!text && !heading) continue;
      const distinct = new Set(this.tok.tokenize(heading + "\n" + text)
        .filter((t) => this.matches(t, result))
        .map((t) => t.term)).size;
      if (!best || distinct > best.distinct) best = { heading, text, distinct };
    }
    if (!best) return { heading: [], segments: [] };
    return {
      heading: best.heading ? this.highlight(best.heading, result).segments : [],
      segments: this.highlight(best.text, result, size).segments,
    };
  }

  /** Whether a token of displayed text matches what the query matched. */
  matches(token, result) {
    return !token.stop && (result.terms.has(token.term) || result.prefixes.some((p) => token.text.startsWith(p)));
  }
}

/** [start, value, start, value, ...] -> one value per document. */
function expandRuns(runs, n) {
  const out = new Int32Array(n).fill(-1);
  for (let i = 0; i < runs.length; i += 2) out.fill(runs[i + 1], runs[i], i + 2 < runs.length ? runs[i + 2] : n);
  return out;
}

/** Which typo bucket file holds the words of `first` letter and length `n`. */
function bucketFile(directory, first, n) {
  let found = null;
  for (const b of directory) {
    if (b.first < first || (b.first === first && b.length <= n)) found = b;
    else break;
  }
  return found && found.first <= first ? found.hash : null;
}

/** Whether `a` and `b` are one insertion, deletion, substitution or swap of neighbours apart. */
export function oneEdit(a, b) {
  if (a === b) return false;
  const x = [...a], y = [...b];
  if (Math.abs(x.length - y.length) > 1) return false;
  let i = 0;
  while (i < x.length && i < y.length && x[i] === y[i]) i++;
  let j = 0;
  while (j < x.length - i && j < y.length - i && x[x.length - 1 - j] === y[y.length - 1 - j]) j++;
  const restX = x.length - i - j, restY = y.length - i - j;
  if (restX <= 1 && restY <= 1) return true;
  return restX === 2 && restY === 2 && x[i] === y[i + 1] && x[i + 1] === y[i];
}

/** A shard: its terms (sorted) with lazily decoded postings. */
function decodeShard(buffer) {
  const bytes = new Uint8Array(buffer);
  let p = 0;
  const varint = () => {
    let value = 0, scale = 1, b;
    do {
      b = bytes[p++];
      value += (b & 0x7f) * scale;
      scale *= 128;
    } while (b & 0x80);
    return value;
  };
  const utf8 = new TextDecoder();
  const count = varint();
  const entries = new Array(count);
  let prev = "";
  for (let i = 0; i < count; i++) {
    const shared = varint(), length = varint();
    const term = prev.slice(0, shared) + utf8.decode(bytes.subarray(p, (p += length)));
    const df = varint(), size = varint(), ruleBytes = varint();
    const rules = ruleBytes ? utf8.decode(bytes.subarray(p, (p += ruleBytes))) : "";
    entries[i] = new Entry(term, df, size, rules);
    prev = term;
  }
  for (const e of entries) {
    e.bytes = bytes.subarray(p, (p += e.size));
  }
  return new Shard(entries);
}

class Entry {
  constructor(term, df, size, rules) {
    Object.assign(this, { term, df, size, rules, bytes: null, decoded: null });
  }

  /** {docs: Uint32Array, weights: Uint8Array}, decoded on first use. */
  postings() {
    if (this.decoded) return this.decoded;
    const docs = new Uint32Array(this.df), weights = new Uint8Array(this.df), b = this.bytes;
    let p = 0, doc = 0;
    for (let k = 0; k < this.df; k++) {
      let gap = 0, scale = 1, x;
      do {
        x = b[p++];
        gap += (x & 0x7f) * scale;
        scale *= 128;
      } while (x & 0x80);
      doc += gap;
      docs[k] = doc;
      weights[k] = b[p++];
    }
    return (this.decoded = { docs, weights });
  }
}

class Shard {
  constructor(entries) {
    this.entries = entries;
  }

  /** Index of the first entry not below `term`. */
  lowerBound(term) {
    let lo = 0, hi = this.entries.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.entries[mid].term < term) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  find(term) {
    const e = this.entries[this.lowerBound(term)];
    return e && e.term === term ? e : null;
  }

  withPrefix(prefix) {
    const out = [];
    for (let i = this.lowerBound(prefix); i < this.entries.length && this.entries[i].term.startsWith(prefix); i++) {
      out.push(this.entries[i]);
    }
    return out;
  }
}
