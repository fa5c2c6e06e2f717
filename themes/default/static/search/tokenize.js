// Search tokenizer: the same tokens and stems as the Rust indexer
// (src/search/tokenize.rs, whose module docs give the rules). Plain ES module,
// no dependencies. Stemmers: hand ports of Snowball Russian and English
// (Porter2) as generated in rust-stemmers 1.2. Parity: tests/parity/.

const MAX_TOKEN_CHARS = 64;
const SEG = /(?![\u0300-\u036f])[\p{Alphabetic}\p{N}][\p{Alphabetic}\p{N}\u0300-\u036f\u00ad\u200c\u200d\u2060]*/gu;
const WORD_START = /(?![\u0300-\u036f])[\p{Alphabetic}\p{N}]/uy;
const CONNECTORS = "-\u2010\u2011'\u2019._";

const isWordStart = (s, i) => ((WORD_START.lastIndex = i), WORD_START.test(s));

/** Tokens of `text` in order: {text, term, start, end (UTF-16), kind, stop}. */
export function tokenize(text) {
  const out = [];
  let pos = 0;
  for (let seg; (seg = segmentFrom(text, pos)); ) {
    const segs = [seg];
    while (CONNECTORS.includes(text[seg[1]] || "x") && isWordStart(text, seg[1] + 1)) {
      segs.push((seg = segmentFrom(text, seg[1] + 1)));
    }
    emitSpan(text, segs, out);
    pos = seg[1];
  }
  return out;
}

// [start, end) of the first segment at or after `from`, with a `++`/`#` suffix.
function segmentFrom(text, from) {
  SEG.lastIndex = from;
  const m = SEG.exec(text);
  if (!m) return null;
  const start = m.index;
  let end = start + m[0].length;
  if (/[A-Za-z]/.test(text[end - 1])) {
    const k = text.startsWith("++", end) ? 2 : text[end] === "#" ? 1 : 0;
    if (k && !isWordStart(text, end + k)) end += k;
  }
  return [start, end];
}

function emitSpan(text, segs, out) {
  if (segs.length === 1) return emitSegment(text, segs[0], "word", out);
  const start = segs[0][0], end = segs[segs.length - 1][1];
  if (fits(text.slice(start, end))) push(out, text.slice(start, end), start, "compound");
  for (const seg of segs) emitSegment(text, seg, "part", out);
}

function emitSegment(text, [start, end], kind, out) {
  const surface = text.slice(start, end);
  if (!fits(surface)) return;
  push(out, surface, start, kind);
  if (/^[\x00-\x7f]*$/.test(surface)) {
    camelPieces(surface, (a, b) => b - a >= 2 && push(out, surface.slice(a, b), start + a, "part"));
  }
}

const fits = (s) => s.length <= MAX_TOKEN_CHARS || [...s].length <= MAX_TOKEN_CHARS;

// Snippets tokenize whole blocks of page text, whose words repeat: the
// folded text, term and stop flag of a surface form are memoized (a pure
// function of it, cleared like TERMS).
const SURFACES = new Map();

function push(out, surface, start, kind) {
  let known = SURFACES.get(surface);
  if (!known) {
    const text = fold(surface);
    known = { text, term: term(text), stop: isStopWord(text) };
    if (SURFACES.size >= TERMS_MAX) SURFACES.clear();
    SURFACES.set(surface, known);
  }
  out.push({ text: known.text, term: known.term, start, end: start + surface.length, kind, stop: known.stop });
}

const isUpper = (c) => c >= "A" && c <= "Z";
const isLower = (c) => c >= "a" && c <= "z";

// Calls piece(from, to) per camelCase piece; nothing for a one-piece word.
function camelPieces(w, piece) {
  let from = 0, hasLower = false;
  for (let i = 0; i < w.length; i++) {
    if (i > 0 && isUpper(w[i])) {
      const p = w[i - 1];
      const hump = isLower(p) || (p >= "0" && p <= "9" && hasLower) ||
        (isUpper(p) && isLower(w[i + 1] || "") && isLower(w[i + 2] || ""));
      if (hump) { piece(from, i); from = i; hasLower = false; }
    }
    hasLower ||= isLower(w[i]);
  }
  if (from > 0) piece(from, w.length);
}

const FOLD = { "ё": "е", "\u2019": "'", "\u2010": "-", "\u2011": "-" };

/** Lowercase, ё→е, composed й, normalized connectors, in-word marks dropped. */
export function fold(word) {
  return word.toLowerCase().replace(/и\u0306/g, "й")
    .replace(/[ё\u2019\u2010\u2011\u00ad\u200c\u200d\u2060\u0300-\u036f]/g, (c) => FOLD[c] || "");
}

// Stemming is most of the tokenizer's time and text repeats its words:
// terms are memoized (a pure function of the text, so tokens are unchanged).
const TERMS = new Map();
const TERMS_MAX = 20000;

/** Index key of a folded token text: the part after the last connector stemmed. */
export function term(text) {
  let key = TERMS.get(text);
  if (key === undefined) {
    const i = Math.max(text.lastIndexOf("-"), text.lastIndexOf("'"), text.lastIndexOf("."), text.lastIndexOf("_"));
    key = text.slice(0, i + 1) + stem(text.slice(i + 1));
    if (TERMS.size >= TERMS_MAX) TERMS.clear();
    TERMS.set(text, key);
  }
  return key;
}

const LOOKALIKE = { a: "а", c: "с", e: "е", h: "н", k: "к", m: "м", o: "о", p: "р", t: "т", x: "х", y: "у", b: "в" };

/** Stems a folded word: Russian if it has Cyrillic, English if all Latin. */
export function stem(w) {
  let cyr = 0, lat = 0, look = 0, other = 0;
  for (const c of w) {
    if (c >= "0" && c <= "9") continue;
    if (c >= "\u0400" && c <= "\u04ff") cyr++;
    else if ((c >= "a" && c <= "z") || (c >= "\xdf" && c <= "\u024f") || (c >= "\u1e00" && c <= "\u1eff")) {
      lat++;
      if (LOOKALIKE[c]) look++;
    } else other++;
  }
  if (cyr) return stemRu(lat && look === lat && cyr >= lat ? w.replace(/[a-z]/g, (c) => LOOKALIKE[c]) : w);
  return lat && !other ? stemEn(w) : w;
}

// ---- Snowball Russian -------------------------------------------------------

// Among tables, longest first: [suffix, group].
const table = (...groups) => groups.flatMap((g, i) => g.split(" ").map((s) => [s, i + 1]))
  .sort((a, b) => b[0].length - a[0].length);
const RU_GERUND = table("в вши вшись", "ив ивши ившись ыв ывши ывшись");
const RU_REFLEXIVE = table("ся сь");
const RU_ADJECTIVE = table("ее ие ые ое ими ыми ей ий ый ой ем им ым ом его ого ему ому их ых ую юю ая яя ою ею");
const RU_PARTICIPLE = table("ем нн вш ющ щ", "ивш ывш ующ");
const RU_VERB = table("ла на ете йте ли й л ем н ло но ет ют ны ть ешь нно",
  "ила ыла ена ейте уйте ите или ыли ей уй ил ыл им ым ен ило ыло ено ят ует уют ит ыт ены ить ыть ишь ую ю");
const RU_NOUN = table("а ев ов ие ье е иями ями ами еи ии и ией ей ой ий й иям ям ием ем ам ом о у ах иях ях ы ь ию ью ю ия ья я");
const RU_DERIVATIONAL = table("ост ость");
const RU_TIDY = table("ейше ейш", "н", "ь");

// The longest entry that ends `w` and starts at or after `lb`: [length, group].
function among(w, lb, list) {
  for (const [s, g] of list) if (w.endsWith(s) && w.length - s.length >= lb) return [s.length, g];
  return null;
}

const RU_VOWELS = "аеиоуыэюя";
const ruVowel = (w, i) => i < w.length && RU_VOWELS.includes(w[i]);
const cut = (w, n) => w.slice(0, w.length - n);
// Group 1 endings must follow а or я inside RV.
const afterAYa = (w, m, lb) => m[1] === 2 || (w.length - m[0] - 1 >= lb && "ая".includes(w[w.length - m[0] - 1]));

// Index past the first non-vowel that follows a vowel, from `i`; -1 if none.
function gopast(w, i, isVowel) {
  while (i < w.length && !isVowel(w, i)) i++;
  if (i++ >= w.length) return -1;
  while (i < w.length && isVowel(w, i)) i++;
  return i < w.length ? i + 1 : -1;
}

function stemRu(w) {
  let rv = w.length, r2 = w.length;
  let i = 0;
  while (i < w.length && !ruVowel(w, i)) i++;
  if (i < w.length) {
    rv = i + 1;
    const r1 = gopast(w, rv - 1, ruVowel);
    if (r1 >= 0) { const p = gopast(w, r1, ruVowel); if (p >= 0) r2 = p; }
  }
  let m = among(w, rv, RU_GERUND);
  if (m && afterAYa(w, m, rv)) w = cut(w, m[0]);
  else {
    if ((m = among(w, rv, RU_REFLEXIVE))) w = cut(w, m[0]);
    if ((m = among(w, rv, RU_ADJECTIVE))) {
      w = cut(w, m[0]);
      if ((m = among(w, rv, RU_PARTICIPLE)) && afterAYa(w, m, rv)) w = cut(w, m[0]);
    } else if ((m = among(w, rv, RU_VERB)) && afterAYa(w, m, rv)) w = cut(w, m[0]);
    else if ((m = among(w, rv, RU_NOUN))) w = cut(w, m[0]);
  }
  if (w.endsWith("и") && w.length - 1 >= rv) w = cut(w, 1);
  if ((m = among(w, rv, RU_DERIVATIONAL)) && w.length - m[0] >= r2) w = cut(w, m[0]);
  if ((m = among(w, rv, RU_TIDY))) {
    if (m[1] === 1) {
      w = cut(w, m[0]);
      if (w.endsWith("нн") && w.length - 2 >= rv) w = cut(w, 1);
    } else if (m[1] === 3 || (w.endsWith("нн") && w.length - 2 >= rv)) w = cut(w, 1);
  }
  return w;
}

// ---- Snowball English (Porter2) ---------------------------------------------

const EN_EXCEPTIONS = {
  skis: "ski", skies: "sky", dying: "die", lying: "lie", tying: "tie", idly: "idl", gently: "gentl",
  ugly: "ugli", early: "earli", only: "onli", singly: "singl", sky: "sky", news: "news", howe: "howe",
  atlas: "atlas", cosmos: "cosmos", bias: "bias", andes: "andes",
};
const EN_INVARIANT = "inning outing canning herring earring proceed exceed succeed".split(" ");
const enVowel = (w, i) => i >= 0 && i < w.length && "aeiouy".includes(w[i]);
const hasVowel = (w, end) => [...w.slice(0, end)].some((c) => "aeiouy".includes(c));
// A short syllable ends at `k`.
const shortV = (w, k) =>
  (k >= 3 && !"aeiouywxY".includes(w[k - 1]) && enVowel(w, k - 2) && !enVowel(w, k - 3)) ||
  (k === 2 && !enVowel(w, 1) && enVowel(w, 0));
// [suffix, replacement, condition]: "*" needs R2, "l" a preceding l, "L" a preceding valid li-ending.
const byLength = (s) => s.split(" ").map((e) => e.split(":")).sort((a, b) => b[0].length - a[0].length);
const STEP2 = byLength("ational:ate tional:tion enci:ence anci:ance abli:able entli:ent izer:ize ization:ize " +
  "ation:ate ator:ate alism:al aliti:al alli:al fulness:ful ousli:ous ousness:ous iveness:ive iviti:ive " +
  "biliti:ble bli:ble ogi:og:l fulli:ful lessli:less li::L");
const STEP3 = byLength("ational:ate tional:tion alize:al icate:ic iciti:ic ical:ic ful: ness: ative::*");
const STEP4 = byLength("al ance ence er ic able ible ant ement ment ent ism ate iti ous ive ize ion");
const endsWithAny = (w, list) => list.find((e) => w.endsWith(e[0]));

function stemEn(w) {
  if (Object.hasOwn(EN_EXCEPTIONS, w)) return EN_EXCEPTIONS[w];
  if (w.length < 3) return w;
  if (w[0] === "'") w = w.slice(1);
  let yFound = false;
  for (let i = 0; i < w.length; i++) {
    if (w[i] === "y" && (i === 0 || enVowel(w, i - 1))) { w = w.slice(0, i) + "Y" + w.slice(i + 1); yFound = true; }
  }
  const pre = /^(gener|commun|arsen)/.exec(w);
  const p1 = pre ? pre[0].length : gopast(w, 0, enVowel);
  const r1 = p1 < 0 ? w.length : p1;
  const p2 = p1 < 0 ? -1 : gopast(w, p1, enVowel);
  const r2 = p2 < 0 ? w.length : p2;
  w = step1a(w);
  if (!EN_INVARIANT.includes(w)) w = step5(step4(step3(step2(step1c(step1b(w, r1)), r1), r1, r2), r2), r1, r2);
  return yFound ? w.replace(/Y/g, "y") : w;
}

function step1a(w) {
  const apos = ["'s'", "'s", "'"].find((s) => w.endsWith(s));
  if (apos) w = cut(w, apos.length);
  if (w.endsWith("sses")) return cut(w, 2);
  if (w.endsWith("ied") || w.endsWith("ies")) return cut(w, 3) + (w.length > 4 ? "i" : "ie");
  if (w.endsWith("ss") || w.endsWith("us")) return w;
  return w.endsWith("s") && hasVowel(w, w.length - 2) ? cut(w, 1) : w;
}

function step1b(w, r1) {
  const s = ["eedly", "ingly", "edly", "eed", "ing", "ed"].find((e) => w.endsWith(e));
  if (!s) return w;
  if (s.startsWith("ee")) return w.length - s.length >= r1 ? cut(w, s.length) + "ee" : w;
  if (!hasVowel(w, w.length - s.length)) return w;
  w = cut(w, s.length);
  if (/(at|bl|iz)$/.test(w)) return w + "e";
  if (/(bb|dd|ff|gg|mm|nn|pp|rr|tt)$/.test(w)) return cut(w, 1);
  return w.length === r1 && shortV(w, w.length) ? w + "e" : w;
}

function step1c(w) {
  const n = w.length;
  return n > 2 && "yY".includes(w[n - 1]) && !enVowel(w, n - 2) ? cut(w, 1) + "i" : w;
}

function step2(w, r1) {
  const e = endsWithAny(w, STEP2);
  if (!e || w.length - e[0].length < r1) return w;
  const before = w[w.length - e[0].length - 1] || "";
  if (e[2] && (e[2] === "l" ? before !== "l" : !before || !"cdeghkmnrt".includes(before))) return w;
  return cut(w, e[0].length) + e[1];
}

function step3(w, r1, r2) {
  const e = endsWithAny(w, STEP3);
  const at = e ? w.length - e[0].length : -1;
  if (!e || at < r1 || (e[2] === "*" && at < r2)) return w;
  return cut(w, e[0].length) + e[1];
}

function step4(w, r2) {
  const e = endsWithAny(w, STEP4);
  const at = e ? w.length - e[0].length : -1;
  if (!e || at < r2 || (e[0] === "ion" && !"st".includes(w[at - 1] || "x"))) return w;
  return cut(w, e[0].length);
}

function step5(w, r1, r2) {
  const at = w.length - 1;
  if (w.endsWith("e") && (at >= r2 || (at >= r1 && !shortV(w, at)))) return cut(w, 1);
  if (w.endsWith("l") && at >= r2 && w[at - 1] === "l") return cut(w, 1);
  return w;
}

// ---- Keys to related words (src/search/keys.rs) ------------------------------

// The slug table (src/slug.rs): Russian letters in Latin.
const LATIN = Object.fromEntries([..."абвгдеёжзийклмнопрстуфхцчшщъыьэюя"].map((c, i) =>
  [c, "a b v g d e e zh z i y k l m n o p r s t u f kh ts ch sh shch - y - e yu ya".split(" ")[i].replace("-", "")]));
// Sound rules, tried at each position in this order (longest first).
const PHONETIC = [["shch", "sh"], ["tion", "shn"], ["sion", "shn"], ["sch", "sh"], ["tch", "ch"], ["dzh", "j"], ["kh", "h"],
  ["ph", "f"], ["ck", "k"], ["qu", "kv"], ["yu", "u"], ["ya", "a"], ["yo", "o"], ["ye", "e"], ["oo", "u"], ["ee", "i"],
  ["ch", "ch"], ["x", "ks"], ["w", "v"], ["q", "k"], ["z", "s"], ["y", "i"]];
const single = (s) => s.replace(/(.)\1+/g, "$1");

/** [precise, skeleton or null] spelling keys of a folded word, or null (keys.rs: cross_keys). */
export function crossKeys(word) {
  const chars = [...word];
  if (chars.length < 3) return null;
  let latin;
  if (/^[a-z]+$/.test(word)) latin = word;
  else if (/^[а-яё]+$/.test(word)) latin = chars.map((c) => LATIN[c]).join("");
  else return null;
  let out = "";
  for (let at = 0; at < latin.length; ) {
    const rule = PHONETIC.find(([from]) => latin.startsWith(from, at));
    if (rule) { out += rule[1]; at += rule[0].length; continue; }
    const c = latin[at];
    out += c === "c" ? ("eiy".includes(latin[at + 1] || "-") ? "s" : "k") : c;
    at++;
  }
  const precise = single(out);
  const skeleton = single(precise[0] + precise.slice(1).replace(/[aeiou]/g, ""));
  return [precise, skeleton.length >= 4 ? skeleton : null];
}

const SUFFIXES = ("ирован ирова ован ова ева ыва ива тель тел ств чик щик ник инг ени ани ост ен ан ац яц ск н к а я и е")
  .split(" ").sort((a, b) => b.length - a.length);
const ROOT_MIN = 5;

/** The derivational root of a stem of Russian letters, or null (keys.rs: root). */
export function root(stem) {
  if (!/^[а-я]+$/.test(stem)) return null;
  let r = stem.replace(/э/g, "е");
  for (let k = 0; k < 2; k++) {
    const cut = SUFFIXES.find((s) => r.length >= s.length + ROOT_MIN && r.endsWith(s));
    if (!cut) break;
    r = r.slice(0, r.length - cut.length);
  }
  if (r.length > ROOT_MIN && /[бвмпф]л$/.test(r)) r = r.slice(0, -1);
  return r.length >= ROOT_MIN ? r : null;
}

// ---- Stop words ---------------------------------------------------------------

/** Stop words, folded; the same list as STOP_WORDS in tokenize.rs. */
export const STOP_WORDS = new Set(`
a about above after again against all am an and any are aren't as at be because been before being below
between both but by can't cannot could couldn't did didn't do does doesn't doing don't down during each
few for from further had hadn't has hasn't have haven't having he he'd he'll he's her here here's hers
herself him himself his how how's i i'd i'll i'm i've if in into is isn't it's its itself let's me more
most mustn't my myself no nor not of off on once only or other ought our ours ourselves out over own
same shan't she she'd she'll she's should shouldn't so some such than that that's the their theirs them
themselves then there there's these they they'd they'll they're they've this those through to too under
until up very was wasn't we we'd we'll we're we've were weren't what what's when when's where where's
which while who who's whom why why's with won't would wouldn't you you'd you'll you're you've your yours
yourself yourselves а более больше будет будто бы был была были было быть в вам вас вдруг ведь во вот
впрочем все всегда всего всех всю вы где где-то да даже два для до другой его ее ей ему если есть еще ж
же за зачем здесь и из из-за из-под или им иногда их к как как-то какая какой когда когда-то конечно
которая которого которое которой котором которую которые который которым которыми которых кто кто-то
куда ли либо лучше лишь между меня мне много может можно мой моя мы на над надо наконец нас не него нее
ней нельзя нет ни нибудь никогда ним них ничего но ну о об один он она они опять от перед по под после
потом потому почти при про раз разве с сам свое своего своей своем своему свои свой своим своими своих
свою своя себе себя сейчас со совсем так также такой там тебя тем теперь то тогда того тоже только том
тот три тут ты у уж уже хорошо хоть чего чем через что что-то чтоб чтобы чуть эта эти этим этими этих
это этого этой этом этот эту я`.trim().split(/\s+/));

/** Whether a folded token text is a stop word. */
export const isStopWord = (text) => STOP_WORDS.has(text);
