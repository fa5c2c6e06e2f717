#!/usr/bin/env bash
# Authoring benchmark (issue 17): the 10,000-page corpus of ../shared/bench
# with a fenced code block on every tenth page (languages rotating, each
# block different, so the highlight cache does not hide the work) and a
# 2000 x 1250 PNG of `static/` on every hundredth page, built by two
# binaries alternated run by run, output on tmpfs.
#
#   benches/authoring.sh OLD_BINARY NEW_BINARY [ROUNDS] [CORPUS]
#
# Sites: `plain` (the corpus as generated), `code` (+ code blocks), `full`
# (+ code blocks and images). Runs per round: old and new on `plain`, new on
# `code`, old on `full`, new on `full` with an empty image cache (first
# build) and again with the cache it left (second build). Highlighting
# costs new(code) - new(plain); images cost new(full, first) - new(code).
set -euo pipefail
old=$1 new=$2 rounds=${3:-5}
corpus=${4:-$(dirname "$0")/../../bench-data/n10000/neutral/content}
work=/dev/shm/rolebook-authoring; [ -d /dev/shm ] || work=$(mktemp -d)
export SOURCE_DATE_EPOCH=${SOURCE_DATE_EPOCH:-1780000000}
rm -rf "$work"; mkdir -p "$work"
config='title: "Карьерная база знаний"
base_url: "https://example.org/"
language: ru
unknown_front_matter: extra'
for site in plain code full; do
    mkdir -p "$work/$site"
    cp -r "$corpus" "$work/$site/content"
    printf '%s\n' "$config" > "$work/$site/rolebook.yaml"
done
python3 - "$work" <<'PY'
import pathlib, struct, sys, zlib
work = pathlib.Path(sys.argv[1])
langs = [("python", "def share(total, n={i}):\n    return [total / n for _ in range(n)]\n"),
         ("rust", "fn main() {{\n    let pages: Vec<u32> = (0..{i}).collect();\n    println!(\"{{}}\", pages.len());\n}}\n"),
         ("js", "const roles = Array.from({{ length: {i} }}, (_, k) => `role-${{k}}`);\nconsole.log(roles.join(', '));\n"),
         ("bash", "for i in $(seq {i}); do\n  echo \"page $i\" >> list.txt\ndone\n"),
         ("yaml", "salary:\n  as_of: 2020-11-04\n  regions:\n    - {{region: Москва, min: {i}, max: {j}}}\n"),
         ("sql", "SELECT role, avg(salary) FROM offers\nWHERE region = 'Москва' AND id > {i}\nGROUP BY role;\n")]
def png(path, w, h, seed):
    base = bytes(v for x in range(w) for v in ((x + seed) % 256, (x * 7 + seed) % 256, (x ^ seed) % 256))
    rows = b"".join(b"\x00" + base[(y * 3) % len(base):] + base[:(y * 3) % len(base)] for y in range(h))
    chunk = lambda t, d: struct.pack(">I", len(d)) + t + d + struct.pack(">I", zlib.crc32(t + d) & 0xffffffff)
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 8, 2, 0, 0, 0))
                     + chunk(b"IDAT", zlib.compress(rows, 1)) + chunk(b"IEND", b""))
for site in ("code", "full"):
    pages = sorted(p for p in (work / site / "content").rglob("*.md") if p.name != "_index.md")
    for i, page in enumerate(pages):
        extra = ""
        if i % 10 == 0:
            lang, code = langs[(i // 10) % len(langs)]
            extra += f"\n\n```{lang}\n{code.format(i=i + 1, j=2 * i + 2)}```\n"
        if site == "full" and i % 100 == 0:
            n = i // 100
            extra += f"\n\n![Схема {n}](/img/chart-{n}.png)\n"
            img = work / site / "static" / "img" / f"chart-{n}.png"
            img.parent.mkdir(parents=True, exist_ok=True)
            png(img, 2000, 1250, n)
        if extra:
            with page.open("a", encoding="utf-8") as f:
                f.write(extra)
PY
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
run() { # binary site
    rm -rf "$work/out"
    /usr/bin/time -f "%e %M" "$1" build --quiet --root "$work/$2" --output "$work/out" 2>&1 >/dev/null | tail -1
    [ -f "$work/out/index.html" ] || { echo "$1 failed on $2" >&2; exit 1; }
}
"$new" build --quiet --root "$work/plain" --output "$work/out" >/dev/null  # warm-up
declare -A times
for i in $(seq "$rounds"); do
    line="round $i:"
    for job in "old plain" "new plain" "new code" "old full" "new full-first" "new full-second"; do
        set -- $job
        bin=$old; [ "$1" = new ] && bin=$new
        site=${2%%-*}
        [ "$2" = full-first ] && rm -rf "$work/full/.rolebook-cache"
        read -r t m < <(run "$bin" "$site")
        times["$1 $2"]+="$t "
        line+=" $1 $2 ${t}s ($((m / 1024)) MB),"
    done
    echo "${line%,}"
done
median() { printf '%s\n' $@ | sort -g | awk '{v[NR]=$1} END {print (NR%2) ? v[(NR+1)/2] : (v[NR/2]+v[NR/2+1])/2}'; }
for key in "old plain" "new plain" "new code" "old full" "new full-first" "new full-second"; do
    echo "median $key: $(median ${times[$key]}) s"
done
# Costs and ratios per round (both sides measured moments apart), then their medians.
paired() { # expression over: op np nc of n1 n2
    local -a op=(${times["old plain"]}) np=(${times["new plain"]}) nc=(${times["new code"]})
    local -a of=(${times["old full"]}) n1=(${times["new full-first"]}) n2=(${times["new full-second"]})
    local values=()
    for k in "${!op[@]}"; do
        values+=("$(awk -v op="${op[$k]}" -v np="${np[$k]}" -v nc="${nc[$k]}" -v of="${of[$k]}" \
            -v n1="${n1[$k]}" -v n2="${n2[$k]}" "BEGIN {printf \"%.3f\", $1}")")
    done
    median "${values[@]}"
}
echo "plain corpus, new/old: $(paired 'np / op')"
echo "highlighting 1,000 code blocks (new code - new plain): $(paired 'nc - np') s"
echo "images, 100 PNGs -> 300 WebP copies, first build (new full first - new code): $(paired 'n1 - nc') s"
echo "images from the cache, second build (new full second - new code): $(paired 'n2 - nc') s"
echo "full site, new first build / old: $(paired 'n1 / of'), new second build / old: $(paired 'n2 / of')"
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
rm -rf "$work"
