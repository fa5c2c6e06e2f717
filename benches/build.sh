#!/usr/bin/env bash
# Build benchmark: Rolebook (minimal templates, and the full default theme with
# search, feeds and all) against Hugo (Debian package) on the generated
# corpora of ../shared/bench, measured in the same run.
#
#   benches/build.sh [PAGES...]        default: 1000 10000
#
# Needs: python3, hyperfine and hugo (apt-get install hyperfine hugo).
# Outputs go to /dev/shm when it exists (less disk noise), a fresh folder per run.
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$(pwd)
data=${BENCH_DATA:-$repo/../bench-data}
gen=${BENCH_GEN:-$repo/../shared/bench/gen_corpus.py}
out=/dev/shm/rolebook-bench; [ -d /dev/shm ] || out=$(mktemp -d)
runs=${RUNS:-5}
pages=("$@"); [ ${#pages[@]} -gt 0 ] || pages=(1000 10000)

cargo build --release --quiet
rb=$repo/target/release/rolebook

for n in "${pages[@]}"; do
    corpus=$data/n$n
    [ -d "$corpus/neutral/content" ] || python3 "$gen" --pages "$n" --out "$corpus"
    minimal=$out/site-minimal-$n; full=$out/site-full-$n
    rm -rf "$minimal" "$full"; mkdir -p "$minimal" "$full"
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
    echo "## $n pages"
    hyperfine --warmup 1 --runs "$runs" --export-markdown "$out/times-$n.md" \
        --prepare "rm -rf $out/o-min $out/o-full $out/o-hugo" \
        -n "rolebook (minimal templates)" "$rb build --quiet --root $minimal --output $out/o-min" \
        -n "rolebook (default theme, search, feeds)" "$rb build --quiet --root $full --output $out/o-full" \
        -n "hugo (minimal templates)" "hugo --quiet --source $corpus/hugo --destination $out/o-hugo"
    for name in min full hugo; do
        rm -rf "$out/o-$name"
        case $name in
            min) cmd=("$rb" build --quiet --root "$minimal" --output "$out/o-$name") ;;
            full) cmd=("$rb" build --quiet --root "$full" --output "$out/o-$name") ;;
            hugo) cmd=(hugo --quiet --source "$corpus/hugo" --destination "$out/o-$name") ;;
        esac
        /usr/bin/time -f "$name: wall %e s, user %U s, sys %S s, peak RSS %M KB" "${cmd[@]}" 2>&1 | grep -E "peak RSS" || true
    done
    echo "pages written: $(find "$out/o-full" -name index.html | wc -l) (full), $(find "$out/o-hugo" -name index.html | wc -l) (hugo)"
done
