#!/usr/bin/env bash
# Build benchmark: Rolebook (the full default theme with search, feeds and
# all, and minimal templates) against Hugo (Debian package) and Zola (when
# ZOLA names its binary) on the generated corpora of ../shared/bench, in one
# alternated series: each round runs every tool once, in turn, into a fresh
# output folder on tmpfs. Prints each tool's median wall time, CPU time and
# peak RSS, the files it wrote, the ratios to Zola and Hugo, and the load
# average before and after.
#
#   benches/build.sh [PAGES...]                  default: 1000 10000
#   ROUNDS=5 ZOLA=/path/to/zola benches/build.sh 1000 10000 100000
#
# Hugo runs up to HUGO_MAX pages (default 10000): it peaked at 2.5 GiB at
# 10,000 pages, and 100,000 would not fit a 24 GiB machine beside the rest.
#
# Zola 0.22.1 is built once outside the repository (the compile is long):
#   fetch github:getzola/zola (or git clone), check out v0.22.1, cargo build --release
# Needs: python3, hugo (apt-get install hugo); GNU time (/usr/bin/time).
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$(pwd)
data=${BENCH_DATA:-$repo/../bench-data}
gen=${BENCH_GEN:-$repo/../shared/bench/gen_corpus.py}
out=/dev/shm/rolebook-bench; [ -d /dev/shm ] || out=$(mktemp -d)
rounds=${ROUNDS:-5}
zola=${ZOLA:-}
hugo_max=${HUGO_MAX:-10000}
pages=("$@"); [ ${#pages[@]} -gt 0 ] || pages=(1000 10000)

cargo build --release --quiet
rb=$repo/target/release/rolebook
mkdir -p "$out"

# The generator writes a Zola layout's content (custom fields under
# `extra`) when asked through its Python API; the templates are ours.
zola_content() { # zola_content PAGES DIR
    python3 - "$gen" "$1" "$2" <<'PY'
import importlib.util, sys
spec = importlib.util.spec_from_file_location("gen_corpus", sys.argv[1])
g = importlib.util.module_from_spec(spec)
spec.loader.exec_module(g)
g.generate(int(sys.argv[2]), sys.argv[3], "career-kb-1", ("zola",))
PY
}

median() { sort -n | awk '{v[NR]=$1} END {print (NR % 2) ? v[(NR+1)/2] : (v[NR/2] + v[NR/2+1]) / 2}'; }

for n in "${pages[@]}"; do
    corpus=$data/n$n
    [ -d "$corpus/neutral/content" ] || python3 "$gen" --pages "$n" --out "$corpus" >/dev/null
    minimal=$out/site-minimal-$n; full=$out/site-full-$n; zsite=$out/site-zola-$n
    rm -rf "$minimal" "$full" "$zsite"; mkdir -p "$minimal" "$full"
    cp -r benches/minimal/templates benches/minimal/rolebook.yaml "$minimal/"
    ln -s "$corpus/neutral/content" "$minimal/content"
    ln -s "$corpus/neutral/content" "$full/content"
    cat > "$full/rolebook.yaml" <<YAML
title: "Карьерная база знаний"
base_url: "https://example.org/"
language: ru
unknown_front_matter: extra
symlinks: follow
YAML
    unset wall_full wall_min wall_hugo wall_zola
    tools=(full min)
    [ "$n" -gt "$hugo_max" ] || tools+=(hugo)
    if [ -n "$zola" ]; then
        [ -d "$corpus/zola/content" ] || zola_content "$n" "$corpus" >/dev/null
        mkdir -p "$zsite"
        cp -r benches/zola/config.toml benches/zola/templates "$zsite/"
        ln -s "$corpus/zola/content" "$zsite/content"
        tools+=(zola)
    fi
    log=$out/times-$n.txt; : > "$log"
    echo "## $n pages ($rounds rounds, alternated; load average before: $(cut -d' ' -f1-3 /proc/loadavg))"
    for round in $(seq 0 "$rounds"); do
        for name in "${tools[@]}"; do
            target=$out/o-$name
            rm -rf "$target"
            case $name in
                full) cmd=("$rb" build --quiet --root "$full" --output "$target") ;;
                min) cmd=("$rb" build --quiet --root "$minimal" --output "$target") ;;
                hugo) cmd=(hugo --quiet --source "$corpus/hugo" --destination "$target") ;;
                zola) cmd=(sh -c "cd '$zsite' && exec '$zola' build --force -o '$target' >/dev/null") ;;
            esac
            # Round 0 warms the caches and is not counted.
            stats=$(/usr/bin/time -f "%e %U %S %M" "${cmd[@]}" 2>&1 >/dev/null | tail -1)
            [ "$round" -eq 0 ] || echo "$name $stats $(find "$target" -type f | wc -l)" >> "$log"
        done
    done
    printf '| tool | wall (median) | CPU user+sys | peak RSS | files | pages/s |\n|---|---|---|---|---|---|\n'
    for name in "${tools[@]}"; do
        wall=$(awk -v t="$name" '$1 == t {print $2}' "$log" | median)
        cpu=$(awk -v t="$name" '$1 == t {print $3 + $4}' "$log" | median)
        rss=$(awk -v t="$name" '$1 == t {print $5}' "$log" | median)
        files=$(awk -v t="$name" '$1 == t {print $6}' "$log" | median)
        printf '| %s | %.2f s | %.2f s | %d MiB | %d | %.0f |\n' "$name" "$wall" "$cpu" $((${rss%.*} / 1024)) "${files%.*}" \
            "$(awk -v n="$n" -v w="$wall" 'BEGIN {print (n + 21) / w}')"
        eval "wall_$name=$wall"
    done
    for peer in zola hugo; do
        ref="wall_$peer"; [ -n "${!ref:-}" ] || continue
        awk -v f="$wall_full" -v m="$wall_min" -v p="${!ref}" -v n="$peer" \
            'BEGIN {printf "ratio to %s: full theme %.2f×, minimal %.2f×\n", n, f / p, m / p}'
    done
    echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
done
