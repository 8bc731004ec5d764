#!/usr/bin/env bash
# Runs the three parse workloads (vigie, GMime, Python email) on the same message files in one go
# and prints messages/s and MB/s for each, single thread, with the ratios vigie/GMime and
# vigie/Python. This script owns only the orchestration: the file list is built once here and
# handed to every tool, so they cannot disagree on the set; the workloads live in
# vigie_parse_bench.cpp and python_email_bench.py.
#
# usage: bench/run_parse_bench.sh [DIR_OR_FILE...]        (default: ../shared/corpus)
# env:   VIGIE_BENCH_BIN   path to vigie_parse_bench
#                          (default: build/bench/vigie_parse_bench, else the first build*/ one)
#        MIN_SECONDS       minimum timed seconds per tool (default 2)
#        PYTHON            interpreter (default /usr/bin/python3, else python3)
set -euo pipefail

script_dir=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$script_dir/.." && pwd)
min_seconds=${MIN_SECONDS:-2}

if [[ -n "${PYTHON:-}" ]]; then
  python=$PYTHON
elif [[ -x /usr/bin/python3 ]]; then
  python=/usr/bin/python3   # the Debian interpreter, whose email package is the baseline
else
  python=python3
fi

bin=${VIGIE_BENCH_BIN:-}
if [[ -z "$bin" ]]; then
  for candidate in "$root"/build/bench/vigie_parse_bench "$root"/build*/bench/vigie_parse_bench; do
    if [[ -x "$candidate" ]]; then bin=$candidate; break; fi
  done
fi
if [[ -z "$bin" || ! -x "$bin" ]]; then
  echo "vigie_parse_bench not found; build it first, e.g.:" >&2
  echo "  cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=Release" >&2
  echo "  cmake --build build -j1 --target vigie_parse_bench" >&2
  exit 1
fi

if [[ $# -eq 0 ]]; then
  set -- "$root/../shared/corpus"
fi

list=$(mktemp)
results=$(mktemp)
trap 'rm -f "$list" "$results"' EXIT
for path in "$@"; do
  if [[ -d "$path" ]]; then
    find "$path" -type f -name '*.eml'
  elif [[ -f "$path" ]]; then
    echo "$path"
  else
    echo "skipping $path: not a file or directory" >&2
  fi
done | LC_ALL=C sort -u >"$list"
count=$(wc -l <"$list")
if [[ "$count" -eq 0 ]]; then
  echo "no .eml file under: $*" >&2
  exit 1
fi
echo "$count messages; binary $bin; $("$python" --version 2>&1); min ${min_seconds}s per tool" \
  >&2

# One after the other, never in parallel: each measurement is single-thread and must not share
# the CPU with another tool. vigie and GMime run in rounds of one pass each (--paired), so that
# their ratio is also measured pass against pass, seconds apart (PAIRED line).
"$bin" --tool both --paired --min-seconds "$min_seconds" --list "$list" | grep -E '^(RESULT|PAIRED)' >>"$results"
"$bin" --tool vigie-decode --min-seconds "$min_seconds" --list "$list" | grep '^RESULT' >>"$results"
"$python" "$script_dir/python_email_bench.py" --min-seconds "$min_seconds" --list "$list" \
  | grep '^RESULT' >>"$results"

awk '
  $1 == "PAIRED" {
    for (i = 2; i <= NF; i++) { split($i, p, "="); pk[p[1]] = p[2] }
    paired = sprintf("vigie/gmime pass against pass (%d rounds): median %.2f, range %.2f-%.2f",
                     pk["rounds"], pk["median_ratio"], pk["min_ratio"], pk["max_ratio"])
    next
  }
  {
    delete kv
    for (i = 2; i <= NF; i++) { split($i, p, "="); kv[p[1]] = p[2] }
    tool = kv["tool"]; order[++n] = tool
    msgs[tool] = kv["msgs_per_s"]; mbs[tool] = kv["mb_per_s"]
    mmsgs[tool] = kv["median_msgs_per_s"]; passes[tool] = kv["passes"]; errs[tool] = kv["errors"]
    files = kv["files"]; bytes = kv["bytes"]
  }
  END {
    printf "%d messages, %.1f MB (10^6 bytes), single thread, best pass\n", files, bytes / 1e6
    printf "%-13s %10s %8s %14s %7s %7s %12s\n", "tool", "msgs/s", "MB/s", "median msgs/s",
           "passes", "errors", "vigie/tool"
    for (i = 1; i <= n; i++) {
      t = order[i]
      ratio = (t == "vigie" || msgs[t] == 0) ? "-" : sprintf("%.2f", msgs["vigie"] / msgs[t])
      printf "%-13s %10.1f %8.2f %14.1f %7d %7d %12s\n", t, msgs[t], mbs[t], mmsgs[t], passes[t],
             errs[t], ratio
    }
    # Ratios > 1 mean vigie is faster. vigie does strictly more work than gmime and python (HTML,
    # URLs, hashes); vigie-decode is the like-for-like row against gmime.
    if (msgs["gmime"] > 0 && msgs["python"] > 0) {
      printf "vigie/gmime %.2f   vigie/python %.2f   vigie-decode/gmime %.2f\n",
             msgs["vigie"] / msgs["gmime"], msgs["vigie"] / msgs["python"],
             msgs["vigie-decode"] / msgs["gmime"]
    }
    if (paired != "") print paired
  }' "$results"
