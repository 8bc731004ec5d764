#!/usr/bin/env bash
# The same HTTP load against `vigie serve` (POST /scan) and Rspamd (POST /checkv2), in one run,
# in the private network namespace of ../shared/peers (loopback only, Rspamd's network checks off,
# a DNS stub answering NXDOMAIN; see its README). Both get MESSAGES messages (the corpus files in
# turn) at CONCURRENCY from the same client (bench/vigie_serve_load), after a warm-up of 1,000;
# the order alternates over ROUNDS rounds so that neither always runs on a warmer machine. Rspamd
# runs its stock worker count; vigie serve one thread per client connection. Needs root, rspamd,
# dnsmasq-base. Prints one line per run and the ratio of the medians.
# Usage: bench/serve_vs_rspamd.sh BUILD_DIR CONFIG MESSAGES CONCURRENCY ROUNDS DIR...
set -euo pipefail
peers=${VIGIE_PEERS_DIR:-$(cd "$(dirname "$0")/../.." && pwd)/shared/peers}
. "$peers/lib/common.sh"
peers_enter_netns "$0" "$@"
build=$(cd "$1" && pwd) config=$2 total=$3 concurrency=$4 rounds=$5
shift 5
vigie=$build/src/cli/vigie
client=$build/bench/vigie_serve_load
tmp=$(mktemp -d)
vigie_pid=
cleanup() {
  if [ -n "$vigie_pid" ] && kill -0 "$vigie_pid" 2>/dev/null; then kill -KILL "$vigie_pid"; fi
  peers_stop_rspamd
  peers_stop_dns
  rm -rf "$tmp"
}
trap cleanup EXIT
find "$@" -type f -name '*.eml' | sort > "$tmp/files"
cat "$config" > "$tmp/vigie.toml"
printf '\n[serve]\nthreads = %d\n' "$concurrency" >> "$tmp/vigie.toml"
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
"$vigie" serve --config "$tmp/vigie.toml" --http "127.0.0.1:$port" 2> "$tmp/vigie.log" &
vigie_pid=$!
for _ in $(seq 600); do curl -sf "http://127.0.0.1:$port/health" > /dev/null && break; sleep 0.1; done
peers_start_dns
peers_start_rspamd 2> "$tmp/rspamd-start.log"
"$client" "$port" "$concurrency" 1000 "$tmp/files" > /dev/null
"$client" "$RSPAMD_PORT" "$concurrency" 1000 "$tmp/files" /checkv2 action > /dev/null
for round in $(seq "$rounds"); do
  if [ $((round % 2)) = 1 ]; then order="vigie rspamd"; else order="rspamd vigie"; fi
  for engine in $order; do
    if [ "$engine" = vigie ]; then
      "$client" "$port" "$concurrency" "$total" "$tmp/files" > "$tmp/$engine.$round.json" || true
    else
      "$client" "$RSPAMD_PORT" "$concurrency" "$total" "$tmp/files" /checkv2 action > "$tmp/$engine.$round.json" || true
    fi
  done
done
python3 - "$tmp" "$rounds" "$concurrency" "$(wc -l < "$tmp/files")" <<'PY'
import json, statistics, sys
tmp, rounds, concurrency, files = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4]
runs = {e: [json.load(open(f"{tmp}/{e}.{r}.json")) for r in range(1, rounds + 1)] for e in ("vigie", "rspamd")}
for engine, results in runs.items():
    for r in results:
        print(f"{engine:7} {r['messages']} msgs at c={concurrency}: {r['messages_per_second']:8.1f} msgs/s, "
              f"p50 {r['p50_ms']:.2f} ms, p99 {r['p99_ms']:.2f} ms, p99 under 100 KB {r['p99_under_100kb_ms']:.2f} ms, "
              f"errors {r['errors']}")
median = {e: statistics.median(r["messages_per_second"] for r in rs) for e, rs in runs.items()}
print(f"over {files} corpus files: vigie/rspamd = {median['vigie'] / median['rspamd']:.1f}x (medians of {rounds} rounds)")
PY
