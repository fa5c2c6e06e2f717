// Search engine of the default theme: reads the sharded index that
// src/search/ writes under /search/ and ranks pages for a query. No DOM, no
// dependencies; the tokenizer module is passed in (it must be the
// tokenize.js of the same build). The design (fields, weights, typo and
// prefix rules, file layout) is documented in src/search/mod.rs.

const PREFIX_MIN = 2; // characters before the last word is completed while typing
const PREFIX_SHARDS = 3; // shards the prefix of a word being typed may read
const PREFIX_TERMS = 30; // completions kept per prefix (most frequent first)
const WORD_MIN = 4; // letters a word needs for completions and corrections
const TWO_EDITS_MIN = 8; // letters a word needs before two edits are tried
const TYPO_TERMS = 3; // corrections kept per word (most frequent first)
const RARE_DF = 2; // a known word on this many pages or fewer ...
const FREQUENT_RATIO = 10; // ... is also corrected to a neighbour this many times more frequent
const FREQUENT_MIN = 5; // ... and on at least this many pages
// Match factors (exact 1, prefix, typos, synonyms, parts) come with the manifest's ranking.

/**
 * Opens the index at `base` (the absolute URL of the /search/ folder, ending
 * in /). `early`: the manifest's bytes, when a caller started fetching them
 * before this module loaded (boot.js does on the search page).
 */
export async function openIndex(base, tokenizer, fetcher = fetchBytes, early = null) {
  // The manifest has a fixed name: revalidate it, the rest is content-hashed.
  const manifest = json(inflate(await (early || fetcher(MANIFEST_URL(base), true))));
  if (manifest.version !== 3) throw new Error(`search index version ${manifest.version} is not supported`);
  return new Index(base, manifest, tokenizer, fetcher);
}

/** The manifest's address in the index folder `base`. */
export const MANIFEST_URL = (base) => base + "index.z";

/**
 * The bytes of `url`; with `range` ([start, end)), those bytes only, or the
 * whole file from a server that ignores range requests (the caller tells
 * them apart by length). A custom fetcher may always return the whole file.
 */
async function fetchBytes(url, revalidate, range = null) {
  const options = revalidate ? { cache: "no-cache" } : {};
  if (range) options.headers = { Range: `bytes=${range[0]}-${range[1] - 1}` };
  const response = await fetch(url, options);
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
    this.records = new Map(); // doc -> Promise of its record
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

  /**
   * Entries whose term starts with `prefix`, most frequent first, from at
   * most `maxShards` shards (one: only the shard the prefix is in anyway).
   */
  async completions(prefix, maxShards) {
    const first = this.shardIndex(prefix), last = this.shardIndex(prefix + "\uffff");
    const shards = [];
    for (let i = first; i <= Math.min(last, first + maxShards - 1); i++) shards.push(this.shard(i));
    const found = (await Promise.all(shards)).flatMap((s) => s.withPrefix(prefix));
    return found.filter((e) => e.df > 0).sort((a, b) => b.df - a.df).slice(0, PREFIX_TERMS);
  }

  /**
   * Word forms of the site `edits` edits away from the atom's text (one, or
   * up to two), or whose terms are that far from its term (a typo that
   * Snowball stems away: `агрномо`, `агрном` -> `агроном`), and whose terms
   * are on at least `minDf` pages, most frequent first: [{form, entry}], one
   * per term.
   */
  async corrections(atom, edits, minDf) {
    const word = atom.text;
    const directory = await this.load(`t-${this.m.typo}.z`, (buffer) => json(inflate(buffer)).map(([key, hash]) => {
      const first = String.fromCodePoint(key.codePointAt(0));
      return { first, length: Number(key.slice(first.length)), hash };
    }));
    const chars = [...word], keys = new Set();
    // Typos rarely hit the first letter; a swap of the first two is covered.
    for (const first of new Set([chars[0], chars[1]])) {
      for (let n = chars.length - edits; n <= chars.length + edits; n++) keys.add(bucketFile(directory, first, n));
    }
    const files = [...keys].filter(Boolean).map((hash) => this.load(`t-${hash}.z`, (b) => utf8.decode(inflate(b))));
    const near = edits === 1 ? oneEdit : (a, b) => a !== b && withinTwoEdits(a, b);
    const found = new Map(); // term -> [form, df, closeness]
    for (const text of await Promise.all(files)) {
      for (const line of text.split("\n")) {
        const space = line.indexOf(" ");
        const form = line.slice(0, space), df = Number(line.slice(space + 1));
        if (space <= 0 || df < minDf) continue;
        const term = this.tok.term(form);
        if (term === atom.term) continue;
        // A form near the typed text names the correction better than one
        // whose term is near the typed term.
        const closeness = near(word, form) ? 2 : near(atom.term, term) ? 1 : 0;
        if (closeness > (found.get(term)?.[2] || 0)) found.set(term, [form, df, closeness]);
      }
    }
    const best = [...found].sort((a, b) => b[1][1] - a[1][1] || (a[0] < b[0] ? -1 : 1)).slice(0, TYPO_TERMS);
    const entries = await Promise.all(best.map(([term]) => this.entry(term)));
    return best.map(([, [form]], k) => ({ form, entry: entries[k] })).filter((c) => c.entry && c.entry.df > 0);
  }

  /**
   * Where each record is in its pack: {start, length} per document and the
   * byte size of each pack, from the layout (LEB128 lengths in units of
   * `align` bytes). Loaded with the first query's shards.
   */
  layout() {
    return this.load(`l-${this.m.layout}.z`, (buffer) => {
      const bytes = new Uint8Array(inflate(buffer)), { docs, groupSize, align } = this.m;
      const start = new Uint32Array(docs), length = new Uint32Array(docs);
      const packSize = new Uint32Array(Math.ceil(docs / groupSize));
      for (let doc = 0, pos = 0; doc < docs; doc++) {
        let units = 0, shift = 0, byte;
        do {
          byte = bytes[pos++];
          units += (byte & 0x7f) * 2 ** shift;
          shift += 7;
        } while (byte & 0x80);
        const group = Math.floor(doc / groupSize);
        start[doc] = packSize[group];
        length[doc] = units * align;
        packSize[group] += length[doc];
      }
      return { start, length, packSize };
    });
  }

  /** The display record of a document: {doc, title, url, section, description, blocks}. */
  record(doc) {
    let record = this.records.get(doc);
    if (!record) {
      // A line of JSON (where the page is), then the deflated JSON of what it shows.
      record = this.recordBytes(doc).then((bytes) => {
        const newline = bytes.indexOf(10);
        const place = JSON.parse(utf8.decode(bytes.subarray(0, newline)));
        const body = json(inflate(bytes.slice(newline + 1).buffer));
        return { doc, title: body.t, url: this.siteUrl(place.u), section: place.s, description: body.d, blocks: body.b };
      });
      record.catch(() => this.records.delete(doc));
      this.records.set(doc, record);
    }
    return record;
  }

  /** A record's bytes: a range of its pack, or a slice of a pack the server sent whole. */
  async recordBytes(doc) {
    const layout = await this.layout();
    const group = Math.floor(doc / this.m.groupSize);
    const path = `d/p-${this.m.groups[group]}.pack`;
    const start = layout.start[doc], end = start + layout.length[doc];
    const whole = this.files.get(path);
    if (whole) return new Uint8Array(await whole, start, end - start);
    const buffer = await this.fetcher(this.base + path, false, [start, end]);
    if (buffer.byteLength === end - start) return new Uint8Array(buffer);
    if (buffer.byteLength !== layout.packSize[group]) throw new Error(`${path}: ${buffer.byteLength} bytes, not a record`);
    this.files.set(path, Promise.resolve(buffer));
    return new Uint8Array(buffer, start, end - start);
  }

  /**
   * Ranks the pages for `query`. `typing`: the user is still typing it, so
   * its last word is also completed from two characters on (not for a deep
   * link or a submitted query). Returns {hits: [{doc, score, section}],
   * sections: Map(section index -> count), mode: "and" (some page has every
   * word) | "or" | "none", corrected: the query with the corrections used (or
   * null)}, and `terms` (a Set) and `prefixes`: what matched, for highlighting.
   */
  async search(query, { typing = true } = {}) {
    const atoms = this.atoms(query, typing);
    this.layout().catch(() => {}); // needed for the results: fetched beside the shards
    const clauses = await this.clauses(atoms);
    const ranked = this.rank(clauses);
    ranked.corrected = corrected(query, atoms);
    ranked.sections = new Map();
    for (const hit of ranked.hits) ranked.sections.set(hit.section, (ranked.sections.get(hit.section) || 0) + 1);
    return ranked;
  }

  /**
   * Query text -> atoms: one per word or compound, with the terms of its
   * parts. Stop words are dropped unless the query has nothing else. Words
   * of four letters or more also match the terms their term starts with (in
   * the shard of the term); while `typing`, the last word (unless a space or
   * punctuation follows it) matches the terms its text starts with from two
   * characters on. `typed`: a phrase the user typed (not a synonym's
   * alternative, which matches its own terms only).
   */
  atoms(text, typing = false, typed = true) {
    const atoms = [];
    for (const t of this.tok.tokenize(text)) {
      if (t.kind !== "part") atoms.push({ term: t.term, text: t.text, stop: t.stop, parts: [], prefix: null, typed, typos: typed, start: t.start, end: t.end, shards: 1 });
      else if (atoms.length && !t.stop) atoms[atoms.length - 1].parts.push(t.term);
    }
    const content = atoms.some((a) => !a.stop) ? atoms.filter((a) => !a.stop) : atoms;
    for (const a of content) {
      if (a.stop) a.typos = false;
      else if (typed && isWord(a.text, WORD_MIN)) a.prefix = a.term;
    }
    const last = content[content.length - 1];
    if (typing && last && !last.stop && /[\p{L}\p{N}]$/u.test(text) && atoms[atoms.length - 1] === last && [...last.text].length >= PREFIX_MIN) {
      last.prefix = last.text;
      last.shards = PREFIX_SHARDS;
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
      const factor = this.m.ranking.synonym;
      const alternatives = found.alternatives.map((text) => ({ atoms: this.atoms(text, false, false), factor }));
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

  /**
   * Finds an atom's dictionary entries, each with a factor: exact (1),
   * completions of its prefix, corrections (one edit, or two for long
   * words) when it is unknown, or rare next to a far more frequent
   * neighbour; and the entries of its parts.
   */
  async expand(atom) {
    if (atom.matches) return;
    const r = this.m.ranking;
    const [entry, parts, completions] = await Promise.all([
      this.entry(atom.term),
      Promise.all(atom.parts.map((p) => this.entry(p))),
      atom.prefix ? this.completions(atom.prefix, atom.shards) : [],
    ]);
    atom.entry = entry;
    atom.matches = [];
    matchEntry(atom, entry, 1, "exact");
    if (entry && atom.typed) {
      const [same, derived, cross] = entry.relatedTerms();
      await Promise.all([this.matchTerms(atom, same, r.lemma, "lemma"), this.matchTerms(atom, derived, r.derived, "derived"),
        this.matchTerms(atom, cross, r.cross, "cross")]);
    }
    for (const e of completions) {
      matchEntry(atom, e, r.prefix[0] + (r.prefix[1] - r.prefix[0]) * Math.min(1, atom.prefix.length / e.term.length), "prefix");
    }
    atom.parts = parts.every((e) => e && e.df > 0) ? parts : [];
    if (atom.typos && !this.found(atom)) await this.fallbacks(atom);
    if (atom.typos && isWord(atom.text, WORD_MIN)) await this.correct(atom);
  }

  /** Adds the entries of `terms` to an atom's matches. */
  async matchTerms(atom, terms, factor, how) {
    if (!terms.length || factor <= 0) return;
    for (const e of await Promise.all(terms.map((t) => this.entry(t)))) matchEntry(atom, e, factor, how);
  }

  /** Whether an atom matched its own term or its word's other forms. */
  found(atom) {
    return atom.matches.some((m) => m.how === "exact" || m.how === "lemma");
  }

  /**
   * For a word the site does not have: the terms of its spelling in the
   * other script (precise key, else skeleton key), and of its root.
   */
  async fallbacks(atom) {
    const r = this.m.ranking, script = scriptOf(atom.text);
    const keys = [this.tok.crossKeys(atom.text), this.tok.crossKeys(atom.term)].filter(Boolean);
    const root = this.tok.root(atom.term);
    const terms = (entries) => entries.flatMap((e) => (e ? e.relatedTerms()[0] : []));
    const other = (entries) => terms(entries).filter((t) => scriptOf(t) !== script);
    // One round of lookups: the precise keys and the root together, then
    // the skeleton keys only when the precise ones find nothing.
    const [precise, roots] = await Promise.all([
      Promise.all(keys.map((k) => this.entry("\u0001" + k[0]))),
      root ? this.entry("\u0003" + root).then((e) => [e]) : [],
    ]);
    let cross = other(precise);
    if (!cross.length) cross = other(await Promise.all(keys.filter((k) => k[1]).map((k) => this.entry("\u0002" + k[1]))));
    await Promise.all([this.matchTerms(atom, cross, r.cross, "cross"), this.matchTerms(atom, terms(roots), r.derived, "derived")]);
  }

  /** Adds corrections to an atom that is unknown, or rare where a neighbour is far more frequent. */
  async correct(atom) {
    const r = this.m.ranking, entry = atom.entry;
    const found = this.found(atom);
    if (!found && (atom.parts.length || entry?.rules || atom.matches.some((m) => m.how === "cross"))) return;
    const df = Math.max(0, ...atom.matches.filter((m) => m.how === "exact" || m.how === "lemma").map((m) => m.entry.df));
    if (found && df > RARE_DF) return;
    const minDf = found ? Math.max(df * FREQUENT_RATIO, FREQUENT_MIN) : 1;
    let fixes = await this.corrections(atom, 1, minDf);
    let factor = r.typo;
    if (!fixes.length && !found && [...atom.text].length >= TWO_EDITS_MIN) {
      fixes = await this.corrections(atom, 2, 1);
      factor = r.typo2;
    }
    for (const { entry: e } of fixes) matchEntry(atom, e, factor, "typo");
    if (fixes.length) atom.correction = fixes[0].form;
  }

  /**
   * Scores of an atom for every document (-1: no match), whether the match
   * is in the title, and whether that title match is exact; the best of its
   * matched terms, or of all its parts together.
   */
  atomScores(atom, n) {
    const score = new Float64Array(n).fill(-1);
    const title = new Uint8Array(n), exactTitle = new Uint8Array(n);
    for (const { entry, factor, how } of atom.matches) {
      const exact = how === "exact" ? 1 : 0;
      this.addPostings(entry, factor, (doc, s, t) => {
        if (s > score[doc]) score[doc] = s;
        title[doc] |= t;
        exactTitle[doc] |= t & exact;
      });
    }
    if (atom.parts.length) {
      const sum = new Float64Array(n), count = new Uint8Array(n), allTitle = new Uint8Array(n).fill(1);
      for (const entry of atom.parts) {
        this.addPostings(entry, this.m.ranking.parts / atom.parts.length, (doc, s, t) => {
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
    return { score, title, exactTitle };
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

  /**
   * Combines clauses. Pages with every clause come first, then pages with
   * fewer (a coordination factor: score × (matched / clauses)²), so the list
   * fills up whenever pages match any word. Among pages with every clause,
   * those whose title or aliases hold every query word exactly come first.
   */
  rank(clauses) {
    const n = this.m.docs, r = this.m.ranking;
    const terms = new Set(), prefixes = [];
    const total = new Float64Array(n), matched = new Uint8Array(n), titles = new Uint8Array(n), exact = new Uint8Array(n);
    for (const alternatives of clauses) {
      const best = new Float64Array(n).fill(-1), bestTitle = new Uint8Array(n), bestExact = new Uint8Array(n);
      for (const { atoms, factor } of alternatives) {
        // An alternative matches a page that matches all its atoms.
        const sum = new Float64Array(n), all = new Uint8Array(n).fill(1);
        const allTitle = new Uint8Array(n).fill(1), allExact = new Uint8Array(n).fill(factor === 1 ? 1 : 0);
        for (const atom of atoms) {
          for (const m of atom.matches || []) terms.add(m.entry.term);
          for (const p of atom.parts) terms.add(p.term);
          if (atom.prefix && atom.prefix === atom.text) prefixes.push(atom.text);
          const { score, title, exactTitle } = this.atomScores(atom, n);
          for (let doc = 0; doc < n; doc++) {
            if (score[doc] < 0) all[doc] = 0;
            else { sum[doc] += score[doc]; allTitle[doc] &= title[doc]; allExact[doc] &= exactTitle[doc]; }
          }
        }
        for (let doc = 0; doc < n; doc++) {
          if (atoms.length && all[doc] && sum[doc] * factor > best[doc]) {
            best[doc] = sum[doc] * factor;
            bestTitle[doc] = allTitle[doc];
          }
          if (atoms.length && all[doc]) bestExact[doc] |= allExact[doc];
        }
      }
      for (let doc = 0; doc < n; doc++) {
        if (best[doc] >= 0) { total[doc] += best[doc]; matched[doc]++; titles[doc] += bestTitle[doc]; exact[doc] += bestExact[doc]; }
      }
    }
    const need = clauses.length;
    const hits = [];
    for (let doc = 0; doc < n; doc++) {
      if (!matched[doc]) continue;
      let score = total[doc] * (matched[doc] / need) ** 2;
      if (titles[doc] === need) score *= r.titleAll;
      hits.push({ doc, score, section: this.sectionOf[doc], matched: matched[doc], exact: exact[doc] === need ? 1 : 0 });
    }
    hits.sort((a, b) => b.matched - a.matched || b.exact - a.exact || b.score - a.score || a.doc - b.doc);
    const mode = !hits.length ? "none" : hits[0].matched === need ? "and" : "or";
    return { hits, mode, terms, prefixes };
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

/** Whether `text` has a letter and at least `min` characters. */
const isWord = (text, min) => [...text].length >= min && /\p{L}/u.test(text);

/** Adds (or raises) an entry of an atom's matches; entries without pages are skipped. */
function matchEntry(atom, entry, factor, how) {
  if (!entry || entry.df <= 0 || factor <= 0) return;
  const kept = atom.matches.find((m) => m.entry === entry);
  if (!kept) atom.matches.push({ entry, factor, how });
  else if (factor > kept.factor) Object.assign(kept, { factor, how });
}

/** The query with each corrected word replaced by its correction, or null when none was. */
function corrected(query, atoms) {
  const fixed = atoms.filter((a) => a.correction).sort((a, b) => b.start - a.start);
  if (!fixed.length) return null;
  let out = query;
  for (const a of fixed) out = out.slice(0, a.start) + a.correction + out.slice(a.end);
  return out;
}

/** "c" for a word with Cyrillic letters, "l" for one with Latin letters, else "". */
const scriptOf = (word) => (/[\u0400-\u04ff]/.test(word) ? "c" : /[a-z]/.test(word) ? "l" : "");

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

/**
 * Whether `a` and `b` are at most two edits apart (insertions, deletions,
 * substitutions, swaps of neighbours: optimal string alignment distance).
 */
export function withinTwoEdits(a, b) {
  const x = [...a], y = [...b];
  if (Math.abs(x.length - y.length) > 2) return false;
  let before = null, prev = Array.from({ length: y.length + 1 }, (_, j) => j);
  for (let i = 1; i <= x.length; i++) {
    const row = [i];
    let low = i;
    for (let j = 1; j <= y.length; j++) {
      let d = Math.min(prev[j] + 1, row[j - 1] + 1, prev[j - 1] + (x[i - 1] === y[j - 1] ? 0 : 1));
      if (before && i > 1 && j > 1 && x[i - 1] === y[j - 2] && x[i - 2] === y[j - 1]) d = Math.min(d, before[j - 2] + 1);
      row.push(d);
      low = Math.min(low, d);
    }
    if (low > 2) return false;
    [before, prev] = [prev, row];
  }
  return prev[y.length] <= 2;
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
    const relatedBytes = varint();
    const related = relatedBytes ? utf8.decode(bytes.subarray(p, (p += relatedBytes))) : "";
    entries[i] = new Entry(term, df, size, rules, related);
    prev = term;
  }
  for (const e of entries) e.bytes = bytes.subarray(p, (p += e.size));
  return new Shard(entries);
}

class Entry {
  constructor(term, df, size, rules, related) {
    Object.assign(this, { term, df, size, rules, related, bytes: null, decoded: null });
  }

  /** Related terms: [same word (or what a key leads to), derived, other script], each a list. */
  relatedTerms() {
    return [0, 1, 2].map((k) => (this.related.split("\t")[k] || "").split(" ").filter(Boolean));
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
