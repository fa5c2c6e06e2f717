// Search engine of the default theme: reads the sharded index that
// src/search/ writes under /search/ and ranks pages for a query. No DOM, no
// dependencies; the tokenizer module is passed in (it must be the
// tokenize.js of the same build). The design (fields, weights, typo and
// prefix rules, file layout) is documented in src/search/mod.rs.

const PREFIX_MIN = 2; // characters before the last word is completed as a prefix
const PREFIX_SHARDS = 3; // shards one prefix may read
const PREFIX_TERMS = 30; // completions kept per prefix (most frequent first)
const TYPO_MIN = 5; // letters a word needs before typos are corrected
const TYPO_TERMS = 3; // corrections kept per word (most frequent first)
const SYNONYM_FACTOR = 0.85; // an alternative from a synonym group scores a little less
const PARTS_FACTOR = 0.8; // a compound found by its parts, not as a whole
const TYPO_FACTOR = 0.6; // a word found by a typo correction

/** Opens the index at `base` (the absolute URL of the /search/ folder, ending in /). */
export async function openIndex(base, tokenizer, fetcher = fetchBytes) {
  // The manifest has a fixed name: revalidate it, the rest is content-hashed.
  const manifest = JSON.parse(new TextDecoder().decode(await fetcher(base + "index.json", true)));
  if (manifest.version !== 1) throw new Error(`search index version ${manifest.version} is not supported`);
  return new Index(base, manifest, tokenizer, fetcher);
}

async function fetchBytes(url, revalidate) {
  const response = await fetch(url, revalidate ? { cache: "no-cache" } : {});
  if (!response.ok) throw new Error(`${url}: HTTP ${response.status}`);
  return response.arrayBuffer();
}

// ---- Inflate (RFC 1950/1951) ---------------------------------------------
// Index files are zlib streams (`*.z`). This small synchronous decoder is
// several times faster than DecompressionStream for files of a few KB,
// whose stream set-up costs about a millisecond each.

const LENGTH_BASE = [3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31, 35, 43, 51, 59, 67, 83, 99, 115, 131, 163, 195, 227, 258];
const LENGTH_EXTRA = [0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0];
const DIST_BASE = [1, 2, 3, 4, 5, 7, 9, 13, 17, 25, 33, 49, 65, 97, 129, 193, 257, 385, 513, 769, 1025, 1537, 2049, 3073,
  4097, 6145, 8193, 12289, 16385, 24577];
const DIST_EXTRA = [0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13, 13];
const CODE_ORDER = [16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15];

/** A canonical Huffman code: count of codes per length, symbols by code. */
function huffman(lengths, from, count) {
  const counts = new Uint16Array(16), symbols = new Uint16Array(count), offsets = new Uint16Array(16);
  for (let i = 0; i < count; i++) counts[lengths[from + i]]++;
  counts[0] = 0;
  for (let i = 1; i < 16; i++) offsets[i] = offsets[i - 1] + counts[i - 1];
  for (let i = 0; i < count; i++) if (lengths[from + i]) symbols[offsets[lengths[from + i]]++] = i;
  return { counts, symbols };
}

const FIXED = (() => {
  const lengths = new Uint8Array(288 + 30);
  lengths.fill(8, 0, 144).fill(9, 144, 256).fill(7, 256, 280).fill(8, 280, 288).fill(5, 288);
  return [huffman(lengths, 0, 288), huffman(lengths, 288, 30)];
})();

/** Inflates a zlib stream (its 2-byte header skipped, its checksum not checked). */
export function inflate(buffer) {
  const data = new Uint8Array(buffer);
  let pos = 2, bitBuffer = 0, bitCount = 0;
  let out = new Uint8Array(Math.max(1024, data.length * 4)), n = 0;
  const bits = (k) => {
    while (bitCount < k) {
      bitBuffer |= data[pos++] << bitCount;
      bitCount += 8;
    }
    const v = bitBuffer & ((1 << k) - 1);
    bitBuffer >>>= k;
    bitCount -= k;
    return v;
  };
  const symbol = ({ counts, symbols }) => {
    let code = 0, first = 0, index = 0;
    for (let len = 1; len < 16; len++) {
      code |= bits(1);
      const count = counts[len];
      if (code - first < count) return symbols[index + code - first];
      index += count;
      first = (first + count) << 1;
      code <<= 1;
    }
    throw new Error("bad deflate data");
  };
  const room = (k) => {
    if (n + k <= out.length) return;
    const bigger = new Uint8Array(Math.max(out.length * 2, n + k));
    bigger.set(out.subarray(0, n));
    out = bigger;
  };
  for (let last = 0; !last; ) {
    last = bits(1);
    const type = bits(2);
    if (type === 0) {
      bitBuffer = bitCount = 0;
      const length = data[pos] | (data[pos + 1] << 8);
      pos += 4;
      room(length);
      out.set(data.subarray(pos, pos + length), n);
      n += length;
      pos += length;
      continue;
    }
    const [literals, distances] = type === 1 ? FIXED : dynamicCodes(bits, symbol);
    for (;;) {
      const s = symbol(literals);
      if (s < 256) {
        room(1);
        out[n++] = s;
      } else if (s === 256) {
        break;
      } else {
        const length = LENGTH_BASE[s - 257] + bits(LENGTH_EXTRA[s - 257]);
        const d = symbol(distances);
        const distance = DIST_BASE[d] + bits(DIST_EXTRA[d]);
        room(length);
        for (let i = 0; i < length; i++, n++) out[n] = out[n - distance];
      }
    }
  }
  return out.slice(0, n).buffer;
}

/** The literal/length and distance codes of a dynamic block. */
function dynamicCodes(bits, symbol) {
  const literalCount = bits(5) + 257, distanceCount = bits(5) + 1, codeCount = bits(4) + 4;
  const codeLengths = new Uint8Array(19);
  for (let i = 0; i < codeCount; i++) codeLengths[CODE_ORDER[i]] = bits(3);
  const lengthCode = huffman(codeLengths, 0, 19);
  const lengths = new Uint8Array(literalCount + distanceCount);
  for (let i = 0; i < lengths.length; ) {
    const s = symbol(lengthCode);
    if (s < 16) lengths[i++] = s;
    else if (s === 16) lengths.fill(lengths[i - 1], i, (i += 3 + bits(2)));
    else if (s === 17) i += 3 + bits(3);
    else i += 11 + bits(7);
  }
  return [huffman(lengths, 0, literalCount), huffman(lengths, literalCount, distanceCount)];
}

const utf8 = new TextDecoder();
const json = (buffer) => JSON.parse(utf8.decode(buffer));

export class Index {
  constructor(base, manifest, tokenizer, fetcher) {
    this.base = base;
    this.m = manifest;
    this.tok = tokenizer;
    this.fetcher = fetcher;
    this.files = new Map(); // path -> Promise of the decoded file
    const shards = manifest.shards.split("\n").map((line) => line.split(" "));
    this.shardKeys = shards.map((s) => s[0]);
    this.shardFiles = shards.map((s) => s[1]);
    this.sectionOf = expandRuns(manifest.sectionOf, manifest.docs);
    this.freq = Array.from({ length: 32 }, (_, q) => (q ? manifest.ranking.freqMin * manifest.ranking.freqStep ** (q - 1) : 0));
    this.sectionList = manifest.sections.map(([title, url]) => ({ title, url: this.siteUrl(url) }));
  }

  /** Sections as {title, url}, in manifest order (result `section` indexes into it). */
  get sections() {
    return this.sectionList;
  }

  /** A root-relative URL from one relative to the site's base path. */
  siteUrl(rel) {
    return new URL("../" + rel, this.base).pathname;
  }

  /** A file of the index, decoded once and shared. */
  load(path, decode) {
    let file = this.files.get(path);
    if (!file) {
      file = this.fetcher(this.base + path, false).then(decode);
      file.catch(() => this.files.delete(path));
      this.files.set(path, file);
    }
    return file;
  }

  shard(i) {
    return this.load(`s-${this.shardFiles[i]}.z`, (buffer) => decodeShard(inflate(buffer)));
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
    const directory = await this.load(`t-${this.m.typo}.z`, (buffer) => json(inflate(buffer)).map(([key, hash]) => {
      const first = String.fromCodePoint(key.codePointAt(0));
      return { first, length: Number(key.slice(first.length)), hash };
    }));
    const keys = new Set();
    for (const word of words) {
      const chars = [...word];
      // Typos rarely hit the first letter; a swap of the first two is covered.
      for (const first of new Set([chars[0], chars[1]])) {
        for (let n = chars.length - 1; n <= chars.length + 1; n++) keys.add(bucketFile(directory, first, n));
      }
    }
    const files = [...keys].filter(Boolean).map((hash) => this.load(`t-${hash}.z`, (b) => utf8.decode(inflate(b))));
    const found = new Map();
    for (const text of await Promise.all(files)) {
      for (const line of text.split("\n")) {
        const space = line.indexOf(" ");
        const term = line.slice(0, space);
        if (space > 0 && words.some((w) => oneEdit(w, term))) found.set(term, Number(line.slice(space + 1)));
      }
    }
    const best = [...found].sort((a, b) => b[1] - a[1]).slice(0, TYPO_TERMS);
    return (await Promise.all(best.map(([term]) => this.entry(term)))).filter((e) => e && e.df > 0);
  }

  /** The display record of a document: {doc, title, url, section, description, blocks}. */
  record(doc) {
    const group = this.m.groups[Math.floor(doc / this.m.groupSize)];
    // A line of JSON (where the page is), then the deflated JSON of what it shows.
    return this.load(`d/${doc}.rec?h=${group}`, (buffer) => {
      const bytes = new Uint8Array(buffer), newline = bytes.indexOf(10);
      const place = JSON.parse(utf8.decode(bytes.subarray(0, newline)));
      const body = json(inflate(bytes.slice(newline + 1).buffer));
      return { doc, title: body.t, url: this.siteUrl(place.u), section: place.s, description: body.d, blocks: body.b };
    });
  }

  /**
   * Ranks the pages for `query`. Returns {hits: [{doc, score, section}],
   * sections: Map(section index -> count), mode: "and" | "or" | "none"}, and
   * `terms` (a Set) and `prefixes`: what matched, for highlighting.
   */
  async search(query) {
    const atoms = this.atoms(query, true);
    const clauses = await this.clauses(atoms);
    const ranked = this.rank(clauses);
    ranked.sections = new Map();
    for (const hit of ranked.hits) ranked.sections.set(hit.section, (ranked.sections.get(hit.section) || 0) + 1);
    return ranked;
  }

  /**
   * Query text -> atoms: one per word or compound (stop words dropped),
   * with the terms of its parts. `typing` marks the last one for prefix
   * matching unless the text ends with a space or punctuation, and allows
   * typo corrections (not wanted for synonyms).
   */
  atoms(text, typing = false) {
    const atoms = [];
    for (const t of this.tok.tokenize(text)) {
      if (t.kind !== "part") atoms.push({ term: t.term, text: t.text, stop: t.stop, parts: [], prefix: false, typos: typing });
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
    const pending = [];
    for (let i = 0; i < atoms.length; ) {
      const found = this.synonyms(atoms, i);
      if (!found) {
        clauses.push([{ atoms: [atoms[i]], factor: 1 }]);
        i++;
        continue;
      }
      const alternatives = found.alternatives.map((text) => ({ atoms: this.atoms(text), factor: SYNONYM_FACTOR }));
      pending.push(...alternatives.flatMap((alt) => alt.atoms.map((a) => this.expand(a))));
      clauses.push([{ atoms: atoms.slice(i, i + found.length), factor: 1 }, ...alternatives]);
      i += found.length;
    }
    await Promise.all(pending);
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
    if (!known && atom.typos && [...atom.text].length >= TYPO_MIN && /\p{L}/u.test(atom.text)) {
      for (const e of await this.corrections([...new Set([atom.term, atom.text])])) {
        atom.matches.push({ entry: e, factor: TYPO_FACTOR });
      }
    }
  }

  /**
   * Scores of an atom for every document (-1: no match) and whether the
   * match is in the title; the best of its exact, completed and corrected
   * terms, or of all its parts together.
   */
  atomScores(atom, n) {
    const score = new Float64Array(n).fill(-1);
    const title = new Uint8Array(n);
    for (const { entry, factor } of atom.matches) {
      this.addPostings(entry, factor, (doc, s, t) => {
        if (s > score[doc]) score[doc] = s;
        title[doc] |= t;
      });
    }
    if (atom.parts.length) {
      const sum = new Float64Array(n), count = new Uint8Array(n), allTitle = new Uint8Array(n).fill(1);
      for (const entry of atom.parts) {
        this.addPostings(entry, PARTS_FACTOR / atom.parts.length, (doc, s, t) => {
          sum[doc] += s;
          count[doc]++;
          allTitle[doc] &= t;
        });
      }
      for (let doc = 0; doc < n; doc++) {
        if (count[doc] === atom.parts.length && sum[doc] > score[doc]) {
          score[doc] = sum[doc];
          title[doc] |= allTitle[doc];
        }
      }
    }
    return { score, title };
  }

  /**
   * Calls `add(doc, score, inTitle)` for each posting of an entry. The
   * score is BM25F-like with an IDF per field: a word common in bodies but
   * rare in titles still counts in a title.
   */
  addPostings(entry, factor, add) {
    const r = this.m.ranking, n = this.m.docs;
    const { docs, weights, fields } = entry.postings();
    const idf = (df) => Math.log(1 + (n - df + 0.5) / (df + 0.5));
    const body = idf(entry.df), inTitle = r.title * idf(fields[0]);
    const inHeading = r.heading * idf(fields[1]), inDescription = r.description * idf(fields[2]);
    for (let k = 0; k < docs.length; k++) {
      const w = weights[k], f = this.freq[w & 31];
      const s = (w & 0x80 ? inTitle : 0) + (w & 0x40 ? inHeading : 0) + (w & 0x20 ? inDescription : 0) +
        body * ((f * (r.k1 + 1)) / (f + r.k1));
      add(docs[k], factor * s, w >> 7);
    }
  }

  /** Combines clauses: AND, or OR when AND finds nothing. */
  rank(clauses) {
    const n = this.m.docs, r = this.m.ranking;
    const terms = new Set(), prefixes = [];
    const total = new Float64Array(n), matched = new Uint8Array(n), titles = new Uint8Array(n);
    for (const alternatives of clauses) {
      const best = new Float64Array(n).fill(-1), bestTitle = new Uint8Array(n);
      for (const { atoms, factor } of alternatives) {
        // An alternative matches a page that matches all its atoms.
        const sum = new Float64Array(n), all = new Uint8Array(n).fill(1), allTitle = new Uint8Array(n).fill(1);
        for (const atom of atoms) {
          for (const m of atom.matches || []) terms.add(m.entry.term);
          for (const p of atom.parts) terms.add(p.term);
          if (atom.prefix) prefixes.push(atom.text);
          const { score, title } = this.atomScores(atom, n);
          for (let doc = 0; doc < n; doc++) {
            if (score[doc] < 0) all[doc] = 0;
            else { sum[doc] += score[doc]; allTitle[doc] &= title[doc]; }
          }
        }
        for (let doc = 0; doc < n; doc++) {
          if (atoms.length && all[doc] && sum[doc] * factor > best[doc]) {
            best[doc] = sum[doc] * factor;
            bestTitle[doc] = allTitle[doc];
          }
        }
      }
      for (let doc = 0; doc < n; doc++) {
        if (best[doc] >= 0) { total[doc] += best[doc]; matched[doc]++; titles[doc] += bestTitle[doc]; }
      }
    }
    let mode = "and";
    let need = clauses.length;
    if (need > 1 && !matched.some((m) => m === need)) { mode = "or"; need = 1; }
    const hits = [];
    for (let doc = 0; doc < n; doc++) {
      if (!clauses.length || matched[doc] < need) continue;
      let score = total[doc] * (matched[doc] / clauses.length) ** 2;
      if (titles[doc] === clauses.length) score *= r.titleAll;
      hits.push({ doc, score, section: this.sectionOf[doc] });
    }
    hits.sort((a, b) => b.score - a.score || a.doc - b.doc);
    return { hits, mode: hits.length ? mode : "none", terms, prefixes };
  }

  /** Whether a token of displayed text matches what the query matched. */
  matches(token, result) {
    return !token.stop && (result.terms.has(token.term) || result.prefixes.some((p) => token.text.startsWith(p)));
  }

  /**
   * Text segments of `text` with matches marked: [{text, hit}], cut to about
   * `size` characters around the first match when `size` is given.
   */
  highlight(text, result, size = 0) {
    const hits = this.tok.tokenize(text).filter((t) => this.matches(t, result));
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

  /**
   * The best snippet of a record: the description or excerpt block with the
   * most distinct matched terms, as {heading, segments} (segment lists).
   */
  snippet(record, result, size = 180) {
    // Stems are prefixes of the words they match: blocks without any of
    // them as a substring are not tokenized.
    const needles = [...result.terms, ...result.prefixes];
    let best = null;
    for (const [heading, text] of [["", record.description], ...record.blocks]) {
      if (!text && !heading) continue;
      const both = heading + "\n" + text;
      const folded = both.toLowerCase().replaceAll("ё", "е");
      const terms = new Set();
      if (needles.some((x) => folded.includes(x))) {
        for (const t of this.tok.tokenize(both)) if (this.matches(t, result)) terms.add(t.term);
      }
      if (!best || terms.size > best.distinct) best = { heading, text, distinct: terms.size };
    }
    if (!best) return { heading: [], segments: [] };
    return {
      heading: best.heading ? this.highlight(best.heading, result).segments : [],
      segments: this.highlight(best.text, result, size).segments,
    };
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
  for (const e of entries) e.bytes = bytes.subarray(p, (p += e.size));
  return new Shard(entries);
}

class Entry {
  constructor(term, df, size, rules) {
    Object.assign(this, { term, df, size, rules, bytes: null, decoded: null });
  }

  /** {docs, weights, fields: [title, heading, description] document counts}, decoded once. */
  postings() {
    if (this.decoded) return this.decoded;
    const docs = new Uint32Array(this.df), weights = new Uint8Array(this.df), b = this.bytes;
    const fields = [0, 0, 0];
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
      const w = (weights[k] = b[p++]);
      fields[0] += w >> 7;
      fields[1] += (w >> 6) & 1;
      fields[2] += (w >> 5) & 1;
    }
    return (this.decoded = { docs, weights, fields });
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
