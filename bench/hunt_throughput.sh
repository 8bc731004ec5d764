#!/usr/bin/env bash
# Throughput of the retro-hunt: `vigie hunt` in intelligence-only mode over the shared corpus
# (read in place, never copied) with a feed of a few thousand indicators, beside `cat` of the same
# files to /dev/null in the same run, as the physical reference (what reading the bytes costs at
# all). The feed is a CSV list written in a private temporary directory (removed at the end):
# random domains, URLs, SHA-256 hashes, addresses and IPv4 addresses, plus the sender domains of a
# few corpus messages, so that the hunt also has matches to report.
#
# Usage: bench/hunt_throughput.sh [ROUNDS]      (default 3; median of the rounds)
#   VIGIE=build/src/cli/vigie  CORPUS=../shared/corpus  INDICATORS=4000  JOBS=(cores)
# Prints the corpus size, then per tool the median time of a whole run (start-up and feed import
# included, as a user pays them), the start-up alone (a hunt over one tiny message), MB/s over the
# median and over the time after start-up, and vigie's MB/s as a share of cat's (the goal: 0.5).
set -euo pipefail

ROUNDS=${1:-3}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
VIGIE=${VIGIE:-$ROOT/build/src/cli/vigie}
CORPUS=${CORPUS:-$ROOT/../shared/corpus}
INDICATORS=${INDICATORS:-4000}
JOBS=${JOBS:-$(nproc)}

for tool in python3 bc; do
  command -v "$tool" >/dev/null || { echo "needs $tool" >&2; exit 2; }
done
[ -x "$VIGIE" ] || { echo "no vigie binary at $VIGIE (build it, or set VIGIE=)" >&2; exit 2; }
[ -d "$CORPUS" ] || { echo "no corpus at $CORPUS (set CORPUS=): skipped" >&2; exit 0; }

WORK=$(mktemp -d "${TMPDIR:-/tmp}/vigie-hunt-bench.XXXXXX")
trap 'rm -rf "$WORK"' EXIT
mkdir -p "$WORK/tiny"
printf 'From: a@example.org\nTo: b@example.net\nSubject: tiny\n\ntiny\n' > "$WORK/tiny/tiny.eml"

python3 "$ROOT/bench/make_intel_feed.py" "$WORK/feed.csv" "$CORPUS" "$INDICATORS"

# The same files for both tools: every regular file under the corpus, in one sorted list.
find "$CORPUS" -type f -print0 | sort -z > "$WORK/files"
BYTES=$(xargs -0 cat < "$WORK/files" | wc -c)
FILES=$(tr -cd '\0' < "$WORK/files" | wc -c)
echo "corpus: $FILES files, $(echo "$BYTES / 1000000" | bc -l | xargs printf '%.1f') MB; feed: $INDICATORS indicators; vigie -j $JOBS; rounds: $ROUNDS"

seconds() {
  local start end rc=0
  start=$(date +%s.%N)
  "$@" >/dev/null 2>"$WORK/stderr" || rc=$?
  end=$(date +%s.%N)
  if [ "$rc" -ne 0 ]; then
    echo "failed ($rc): $* : $(head -c 500 "$WORK/stderr")" >&2
    exit 1
  fi
  echo "$end - $start" | bc -l
}
median() { sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
run_cat() { xargs -0 cat < "$WORK/files" > /dev/null; }
run_hunt() { "$VIGIE" hunt --no-progress -j "$JOBS" --intel "$WORK/feed.csv" "$@"; }

run_cat  # the page cache holds the corpus for both tools from here on
declare -A RUN START
for round in $(seq "$ROUNDS"); do
  RUN[cat]+="$(seconds run_cat) "
  RUN[vigie]+="$(seconds run_hunt "$CORPUS") "
  START[cat]+="0 "
  START[vigie]+="$(seconds run_hunt "$WORK/tiny/tiny.eml") "
done

run_hunt "$CORPUS" > "$WORK/summary" 2>/dev/null
echo "vigie: $(head -1 "$WORK/summary")"
echo "       $(sed -n 2p "$WORK/summary")"

printf '%-8s %10s %10s %10s %14s\n' tool "median s" "start s" "MB/s" "MB/s w/o start"
declare -A RATE NET
for tool in cat vigie; do
  t=$(tr ' ' '\n' <<<"${RUN[$tool]}" | grep . | median)
  s=$(tr ' ' '\n' <<<"${START[$tool]}" | grep . | median)
  RATE[$tool]=$(echo "$BYTES / 1000000 / $t" | bc -l)
  NET[$tool]=$(echo "d = $t - $s; if (d <= 0) d = 0.001; $BYTES / 1000000 / d" | bc -l)
  printf '%-8s %10.2f %10.2f %10.1f %14.1f\n' "$tool" "$t" "$s" "${RATE[$tool]}" "${NET[$tool]}"
done
printf 'vigie / cat MB/s: %.3f (after start-up: %.3f); goal 0.5\n' \
  "$(echo "${RATE[vigie]} / ${RATE[cat]}" | bc -l)" "$(echo "${NET[vigie]} / ${NET[cat]}" | bc -l)"
