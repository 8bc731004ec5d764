#!/usr/bin/env bash
# Load test of `vigie serve` over loopback, beside `vigie scan -j2` on the same messages in the same
# run. Starts the service on a free port of 127.0.0.1 (threads = concurrency), posts a warm-up of
# 2 000 messages, then twice MESSAGES messages (the corpus files in turn) at CONCURRENCY with
# vigie_serve_load (C++, one kept-alive connection per client thread, messages preloaded), reads
# the service's RSS after each pass, checks /metrics for errors, stops it with SIGTERM (it must
# exit 0), then times `vigie scan -j2 --quiet` over the same files. The client shares the machine's
# cores with the service. Everything started is stopped on exit.
# Usage: bench/serve_load.sh BUILD_DIR CONFIG MESSAGES CONCURRENCY DIR...
set -euo pipefail
build=$1 config=$2 total=$3 concurrency=$4
shift 4
vigie=$build/src/cli/vigie
client=$build/bench/vigie_serve_load
tmp=$(mktemp -d)
pid=
cleanup() {
  if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then kill -KILL "$pid"; fi
  rm -rf "$tmp"
}
trap cleanup EXIT

find "$@" -type f -name '*.eml' | sort > "$tmp/files"
count=$(wc -l < "$tmp/files")
bytes=$(cat "$tmp/files" | tr '\n' '\0' | du -cb --files0-from=- | tail -1 | cut -f1)
cat "$config" > "$tmp/vigie.toml"
printf '\n[serve]\nthreads = %d\n' "$concurrency" >> "$tmp/vigie.toml"
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
"$vigie" serve --config "$tmp/vigie.toml" --http "127.0.0.1:$port" 2> "$tmp/log" &
pid=$!
for _ in $(seq 600); do curl -sf "http://127.0.0.1:$port/health" > /dev/null && break; sleep 0.1; done
rss() { awk '/^VmRSS/ {print int($2 / 1024)}' "/proc/$pid/status"; }
rss_start=$(rss)
"$client" "$port" "$concurrency" 2000 "$tmp/files" > /dev/null
rss_before=$(rss)
"$client" "$port" "$concurrency" "$total" "$tmp/files" > "$tmp/result.json"
rss_after=$(rss)
# A second pass of the same load: memory should level off, not keep growing.
"$client" "$port" "$concurrency" "$total" "$tmp/files" > "$tmp/result2.json"
rss_second=$(rss)
service_errors=$(curl -sf "http://127.0.0.1:$port/metrics" | awk '/^vigie_errors_total/ {s += $2} END {print s + 0}')
kill -TERM "$pid"
wait "$pid" && stopped=0 || stopped=$?
pid=
scan_start=$(date +%s.%N)
"$vigie" scan --quiet --no-progress -j2 --config "$config" $(cat "$tmp/files") > /dev/null
scan_end=$(date +%s.%N)

python3 - "$tmp/result.json" "$count" "$bytes" "$total" "$concurrency" "$rss_start" "$rss_before" "$rss_after" \
  "$service_errors" "$stopped" "$scan_start" "$scan_end" "$tmp/result2.json" "$rss_second" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
count, size, total, conc = int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5])
rss_start, rss_before, rss_after = sys.argv[6:9]
service_errors, stopped = sys.argv[9], sys.argv[10]
scan_seconds = float(sys.argv[12]) - float(sys.argv[11])
r2, rss_second = json.load(open(sys.argv[13])), sys.argv[14]
print(f"corpus: {count} files, {size / 1e6:.1f} MB; HTTP: {r['messages']} messages at concurrency {conc}")
print("| run | messages | msgs/s | p50 ms | p99 ms | p99 < 100 KB ms | max ms | errors | RSS MiB after |")
print("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |")
print(f"| vigie serve, HTTP | {r['messages']} | {r['messages_per_second']:.0f} | {r['p50_ms']:.2f} | {r['p99_ms']:.2f} "
      f"| {r['p99_under_100kb_ms']:.2f} | {r['max_ms']:.1f} | {r['errors']} client | {rss_after} (start {rss_start}, warm-up {rss_before}) |")
print(f"| vigie serve, HTTP, 2nd pass | {r2['messages']} | {r2['messages_per_second']:.0f} | {r2['p50_ms']:.2f} | {r2['p99_ms']:.2f} "
      f"| {r2['p99_under_100kb_ms']:.2f} | {r2['max_ms']:.1f} | {r2['errors']} client | {rss_second} |")
print(f"service errors (/metrics vigie_errors_total, both passes): {service_errors}")
print(f"| vigie scan -j2 | {count} | {count / scan_seconds:.0f} | | | | | | |")
print(f"service exit status after SIGTERM: {stopped}")
PY
