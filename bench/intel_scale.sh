#!/usr/bin/env bash
# What a large indicator store costs: one million indicators (bench/make_intel_feed.py: domains,
# URLs, SHA-256 hashes, addresses, IPv4 addresses) imported with `vigie intel import`, then the
# engine's start-up with that store (reading it and building the index) and its resident memory,
# and the per-message cost of scanning part of the shared corpus with every analyzer, with and
# without the store, in the same run (the reference). Files live in a private temporary directory
# removed at the end; the corpus is read in place.
#
# Usage: bench/intel_scale.sh [ROUNDS]          (default 3; medians of the rounds)
#   VIGIE=build/src/cli/vigie  CORPUS=../shared/corpus  INDICATORS=1000000  MESSAGES=1000
# Prints the import time and peak memory, then per configuration (without / with the store) the
# start-up time and peak memory (a scan of one tiny message), the time of the corpus scan after
# start-up and its per-message cost, and the ratio of per-message costs (the goal: little above 1).
set -euo pipefail

ROUNDS=${1:-3}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
VIGIE=${VIGIE:-$ROOT/build/src/cli/vigie}
CORPUS=${CORPUS:-$ROOT/../shared/corpus}
INDICATORS=${INDICATORS:-1000000}
MESSAGES=${MESSAGES:-1000}

for tool in python3 bc /usr/bin/time; do
  command -v "$tool" >/dev/null || { echo "needs $tool" >&2; exit 2; }
done
[ -x "$VIGIE" ] || { echo "no vigie binary at $VIGIE (build it, or set VIGIE=)" >&2; exit 2; }
[ -d "$CORPUS" ] || { echo "no corpus at $CORPUS (set CORPUS=): skipped" >&2; exit 0; }

WORK=$(mktemp -d "${TMPDIR:-/tmp}/vigie-intel-scale.XXXXXX")
trap 'rm -rf "$WORK"' EXIT
mkdir -p "$WORK/tiny" "$WORK/messages"
printf 'From: a@example.org\nTo: b@example.net\nSubject: tiny\n\ntiny\n' > "$WORK/tiny/tiny.eml"
# The first MESSAGES files of the corpus in a stable order, as links.
n=0
while IFS= read -r file; do
  n=$((n + 1))
  ln -s "$file" "$WORK/messages/$(printf %06d "$n").eml"
done < <(find "$CORPUS" -type f | sort | head -n "$MESSAGES")
COUNT=$(find "$WORK/messages" -type l | wc -l)

python3 "$ROOT/bench/make_intel_feed.py" "$WORK/feed.csv" "$CORPUS" "$INDICATORS"
STORE=$WORK/intel.sqlite
# seconds and peak resident kilobytes of one command: "S KB".
measure() {
  /usr/bin/time -f '%e %M' -o "$WORK/time" "$@" >/dev/null 2>"$WORK/stderr" || {
    echo "failed: $* : $(head -c 500 "$WORK/stderr")" >&2
    exit 1
  }
  cat "$WORK/time"
}
read -r import_s import_kb < <(measure "$VIGIE" intel import bench "$WORK/feed.csv" --store "$STORE")
echo "feed: $INDICATORS indicators; store $(du -m "$STORE" | cut -f1) MB; import ${import_s} s, peak $((import_kb / 1024)) MB"
echo "scan: $COUNT corpus messages, every analyzer, -j 1; rounds: $ROUNDS"

cp "$ROOT/config/ministere.example.toml" "$WORK/without.toml"
cp "$WORK/without.toml" "$WORK/with.toml"
printf '\n[analyzers.intelligence]\nstore = "%s"\n' "$STORE" >> "$WORK/with.toml"

median() { sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
scan() { measure "$VIGIE" scan --quiet --no-progress -j 1 --config "$WORK/$1.toml" "$2"; }
declare -A START MEM RUN
for round in $(seq "$ROUNDS"); do
  for config in without with; do
    read -r s kb < <(scan "$config" "$WORK/tiny")
    START[$config]+="$s "
    MEM[$config]+="$kb "
    read -r s kb < <(scan "$config" "$WORK/messages")
    RUN[$config]+="$s "
  done
done

printf '%-14s %10s %10s %12s %12s\n' store "start s" "peak MB" "scan s" "ms/message"
declare -A PER
for config in without with; do
  start=$(tr ' ' '\n' <<<"${START[$config]}" | grep . | median)
  mem=$(tr ' ' '\n' <<<"${MEM[$config]}" | grep . | median)
  run=$(tr ' ' '\n' <<<"${RUN[$config]}" | grep . | median)
  PER[$config]=$(echo "d = $run - $start; if (d <= 0) d = 0.001; d * 1000 / $COUNT" | bc -l)
  printf '%-14s %10.2f %10.0f %12.2f %12.3f\n' "$config" "$start" "$(echo "$mem / 1024" | bc -l)" "$run" "${PER[$config]}"
done
printf 'per-message cost with / without the store: %.3f\n' "$(echo "${PER[with]} / ${PER[without]}" | bc -l)"
