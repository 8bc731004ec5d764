#!/usr/bin/env bash
# Load through a real Postfix with vigie serve as its milter (tests/lib/postfix.sh: 127.0.0.1
# only, private configuration, queue and Maildir): MESSAGES messages (the corpus files in turn)
# sent by bench/smtp_load.py over CONCURRENCY SMTP connections. Reports SMTP messages/s, the
# latency from the end of DATA to Postfix's answer (p50/p99; the milter's scan is inside it),
# vigie's own scan latency from its log, vigie's RSS before and after, and the accounting: every
# message accepted by SMTP must be delivered or in vigie's quarantine, the queue must drain, and
# every message must have one scan line in vigie's log. Needs root, postfix. Everything started is
# stopped on exit.
# Usage: bench/postfix_load.sh VIGIE_BINARY CONFIG MESSAGES CONCURRENCY DIR...
set -euo pipefail
vigie=$1 config=$2 total=$3 concurrency=$4
shift 4
here=$(cd "$(dirname "$0")" && pwd)
. "$here/../tests/lib/postfix.sh"
tmp=$(mktemp -d)
chmod 755 "$tmp"
pid=
cleanup() {
  if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then kill -KILL "$pid"; fi
  postfix_stop "$tmp/postfix"
  rm -rf "$tmp"
}
trap cleanup EXIT
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
smtp_port=$(free_port) release_port=$(free_port) milter_port=$(free_port) http_port=$(free_port)

find "$@" -type f -name '*.eml' | sort > "$tmp/files"
cat "$config" > "$tmp/vigie.toml"
cat >> "$tmp/vigie.toml" <<TOML

[serve]
milter_listen = "127.0.0.1:$milter_port"

[events]
path = "$tmp/events.sqlite"

[quarantine]
maildir = "$tmp/quarantine"
release_smtp = "127.0.0.1:$release_port"
TOML
"$vigie" serve --config "$tmp/vigie.toml" --http "127.0.0.1:$http_port" 2> "$tmp/vigie.log" &
pid=$!
for _ in $(seq 600); do curl -sf "http://127.0.0.1:$http_port/health" > /dev/null && break; sleep 0.1; done
postfix_start "$tmp/postfix" "$smtp_port" "$release_port" "$milter_port" tempfail
for _ in $(seq 300); do (exec 3<>/dev/tcp/127.0.0.1/$smtp_port) 2>/dev/null && break; sleep 0.1; done
rss() { awk '/^VmRSS/ {print int($2 / 1024)}' "/proc/$pid/status"; }
rss_start=$(rss)
python3 "$here/smtp_load.py" "$smtp_port" "$concurrency" "$total" "$tmp/files" > "$tmp/result.json"
rss_end=$(rss)
# Deliveries finish after the SMTP answers: wait (bounded) for the queue to drain.
for _ in $(seq 600); do [ "$(postfix_queued "$tmp/postfix")" = 0 ] && break; sleep 0.2; done
queued=$(postfix_queued "$tmp/postfix")
delivered=$(postfix_delivered "$tmp/postfix")
quarantined=$( (find "$tmp/quarantine/new" -type f 2>/dev/null || true) | wc -l)
kill -TERM "$pid"
wait "$pid" && stopped=0 || stopped=$?
pid=

python3 - "$tmp/result.json" "$tmp/vigie.log" "$rss_start" "$rss_end" "$queued" "$delivered" "$quarantined" \
  "$stopped" "$concurrency" <<'PY'
import json, sys
result = json.load(open(sys.argv[1]))
scans = [json.loads(line) for line in open(sys.argv[2]) if '"event":"scan"' in line]
rss_start, rss_end, queued, delivered, quarantined, stopped, concurrency = map(int, sys.argv[3:10])
latencies = sorted(s["latency_ms"] for s in scans)
pct = lambda p: latencies[min(len(latencies) - 1, int(p * len(latencies)))] if latencies else 0
actions = {}
for s in scans:
    actions[s["action"]] = actions.get(s["action"], 0) + 1
lost = result["accepted"] - delivered - quarantined
print(f"through Postfix, {result['messages']} messages at concurrency {concurrency}:")
print(f"  SMTP: {result['messages_per_second']} msgs/s; end of DATA to answer p50 {result['p50_ms']} ms, "
      f"p99 {result['p99_ms']} ms")
print(f"  vigie scans: {len(scans)} (p50 {pct(0.5):.2f} ms, p99 {pct(0.99):.2f} ms); actions {actions}")
print(f"  accepted {result['accepted']}, refused {result['refused']}, temp-failed {result['tempfailed']}, "
      f"errors {result['errors']}; delivered {delivered}, quarantined {quarantined}, still queued {queued}; lost {lost}")
print(f"  vigie RSS {rss_start} -> {rss_end} MiB; stopped with status {stopped}")
ok = (result["errors"] == 0 and result["tempfailed"] == 0 and lost == 0 and queued == 0
      and len(scans) == result["messages"] and stopped == 0)
print("  OK" if ok else "  FAILED: errors, temp-failures, lost or unscanned messages, or an unclean stop")
sys.exit(0 if ok else 1)
PY
