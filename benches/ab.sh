#!/usr/bin/env bash
# A/B build benchmark: two rolebook binaries on one site, alternated run by
# run (the machine is shared and its speed drifts), output on tmpfs.
#
#   benches/ab.sh OLD_BINARY NEW_BINARY SITE_ROOT [ROUNDS]
#
# Prints each run, the median wall time and peak RSS of each binary, the
# ratio new/old, and the load average before and after.
set -euo pipefail
old=$1 new=$2 root=$3 rounds=${4:-7}
out=/dev/shm/rolebook-ab; [ -d /dev/shm ] || out=$(mktemp -d)
export SOURCE_DATE_EPOCH=${SOURCE_DATE_EPOCH:-1780000000}
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
run() { # binary label
    rm -rf "$out"
    /usr/bin/time -f "%e %M" "$1" build --quiet --root "$root" --output "$out" 2>&1 >/dev/null | tail -1
}
"$old" build --quiet --root "$root" --output "$out" >/dev/null  # warm-up
declare -a a b am bm
for i in $(seq "$rounds"); do
    read -r t m < <(run "$old"); a+=("$t"); am+=("$m")
    read -r t m < <(run "$new"); b+=("$t"); bm+=("$m")
    echo "round $i: old ${a[-1]} s ${am[-1]} KB, new ${b[-1]} s ${bm[-1]} KB"
done
median() { printf '%s\n' "$@" | sort -g | awk '{v[NR]=$1} END {print (NR%2) ? v[(NR+1)/2] : (v[NR/2]+v[NR/2+1])/2}'; }
ma=$(median "${a[@]}") mb=$(median "${b[@]}")
echo "median: old $ma s ($(median "${am[@]}") KB), new $mb s ($(median "${bm[@]}") KB), new/old $(awk "BEGIN {printf \"%.3f\", $mb/$ma}")"
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
rm -rf "$out"
