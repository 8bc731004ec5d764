#!/usr/bin/env bash
# End-to-end: two vigie processes share the sender history through Redis ([history] backend =
# "redis"), the way several nodes behind several MTAs will, and scanning goes on when Redis is down.
#
#   1. redis-server runs in the foreground on 127.0.0.1 and a free port, no persistence, in a
#      temporary directory; a trap stops it on every exit.
#   2. Node A scans a message from an outside sender: FIRST_CONTACT. Node B, another process with
#      its OWN local SQLite file, scans the same sender: no FIRST_CONTACT; only Redis can have told
#      it. Node B's first scan of another sender is still a first contact.
#   3. Redis is stopped: node C (a fresh local file) still scans, exit 0, with one
#      store_primary_down JSON line on stderr; its local file keeps what it saw.
#   4. Two `vigie serve` processes (D, E) share the history over HTTP scans; Redis stops (D
#      scans on, /metrics shows the outage), restarts empty, and D's replay teaches E what D saw.
# Exit 77 (ctest SKIP_RETURN_CODE) when redis-server is not installed: reported as skipped.
# Usage: redis_shared_history.sh VIGIE_BINARY SOURCE_DIR
set -u
vigie=$1
src=$2
examples=$src/examples
redis_server=${VIGIE_REDIS_SERVER:-$(command -v redis-server || true)}
if [ -z "$redis_server" ]; then
  echo "SKIP: redis-server is not installed (Debian: apt-get install redis-server): shared history NOT tested"
  exit 77
fi
tmp=$(mktemp -d)
redis_pid=
stop_redis() {
  if [ -n "$redis_pid" ] && kill -0 "$redis_pid" 2>/dev/null; then
    kill "$redis_pid" 2>/dev/null
    for _ in $(seq 50); do kill -0 "$redis_pid" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$redis_pid" 2>/dev/null
    wait "$redis_pid" 2>/dev/null
  fi
  redis_pid=
}
cleanup() {
  stop_redis
  [ -n "${VIGIE_E2E_KEEP:-}" ] && echo "kept $tmp" || rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 1' INT TERM
. "$src/tests/lib/check.sh"

port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
start_redis() {
  "$redis_server" --bind 127.0.0.1 --port "$port" --save '' --appendonly no --dir "$tmp" \
    --logfile "$tmp/redis.log" --daemonize no &
  redis_pid=$!
  for _ in $(seq 100); do
    if python3 - "$port" <<'EOF' 2>/dev/null; then return 0; fi
import socket, sys
s = socket.create_connection(("127.0.0.1", int(sys.argv[1])), timeout=0.2)
s.sendall(b"PING\r\n")
sys.exit(0 if s.recv(16).startswith(b"+PONG") else 1)
EOF
    sleep 0.1
  done
  return 1
}
start_redis || { echo "FAIL: redis-server did not start"; cat "$tmp/redis.log"; exit 1; }

# One configuration per node: the same Redis, a local file of its own.
node_config() {  # node_config NAME [KEY_PREFIX]
  cat > "$tmp/$1.toml" <<EOF
[organisation]
protected_domains = ["prefecture-exemple.gouv.fr"]
[history]
backend = "redis"
path = "$1.db"
[history.redis]
port = $port
key_prefix = "${2:-e2e:}"
retry_interval_ms = 1000
EOF
}
for node in a b c; do node_config "$node"; done
for node in d e; do node_config "$node" "e2e-serve:"; done
check "config check accepts a redis history" "$vigie" config check "$tmp/a.toml"

first_contacts() {  # first_contacts NODE MESSAGE: how many FIRST_CONTACT findings
  "$vigie" scan --quiet --no-progress --config "$tmp/$1.toml" "$2" 2>> "$tmp/$1.err" |
    python3 -c 'import json,sys; print(sum(f["id"] == "FIRST_CONTACT" for f in json.load(sys.stdin)["findings"]))'
}
message=$examples/benign.eml
other=$tmp/other-sender.eml
sed 's/^From: .*/From: Quelqu'"'"'un d'"'"'autre <autre@fournisseur-exemple.fr>/' "$message" > "$other"
check "the other message has another sender" bash -c "! cmp -s '$message' '$other'"

check "node A: a new sender is a first contact" test "$(first_contacts a "$message")" = 1
check "node B starts without a local file: it can learn the sender only from Redis" test ! -e "$tmp/b.db"
check "node B (other process, own local file): the sender is known through Redis" \
  test "$(first_contacts b "$message")" = 0
check "node B: another sender is still a first contact" test "$(first_contacts b "$other")" = 1
check "node A: and now knows that one too" test "$(first_contacts a "$other")" = 0
check "no outage was logged while Redis was up" bash -c "! grep -q store_primary_down '$tmp/a.err' '$tmp/b.err'"

stop_redis
check "Redis down: node C still scans" test "$(first_contacts c "$message")" = 1
check "Redis down: the outage is logged as one JSON line naming the server" \
  test "$(grep -c "\"event\":\"store_primary_down\".*127.0.0.1:$port" "$tmp/c.err")" = 1
check "Redis down: node C's local store kept the contact" test -s "$tmp/c.db"
check "Redis down: node C's next scan knows the sender from its local store" \
  test "$(first_contacts c "$message")" = 0

# Two `vigie serve` processes, as two nodes behind two MTAs: one history through Redis, an outage
# counted in /metrics, and the history catching up when Redis is back (it restarts empty: only the
# replay can tell node E what node D saw during the outage).
check "Redis restarted" start_redis
serve_pids=()
serve_node() {  # serve_node NAME PORT: starts it in the background
  "$vigie" serve --config "$tmp/$1.toml" --http "127.0.0.1:$2" 2>> "$tmp/$1.err" &
  serve_pids+=($!)
  for _ in $(seq 300); do curl -sf "http://127.0.0.1:$2/health" > /dev/null && return 0; sleep 0.1; done
  return 1
}
stop_serves() {
  for p in "${serve_pids[@]}"; do kill -TERM "$p" 2>/dev/null; wait "$p" 2>/dev/null; done
  serve_pids=()
}
trap 'stop_serves; cleanup' EXIT
served_first_contacts() {  # served_first_contacts BASE MESSAGE
  curl -sf --max-time 30 --data-binary "@$2" -H 'Content-Type: message/rfc822' "$1/scan" |
    python3 -c 'import json,sys; print(sum(f["id"] == "FIRST_CONTACT" for f in json.load(sys.stdin)["findings"]))'
}
metric() { curl -sf "$1/metrics" | awk -v name="$2" '$1 == name {print $2}'; }
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
d_port=$(free_port)
e_port=$(free_port)
d=http://127.0.0.1:$d_port
e=http://127.0.0.1:$e_port
check "serve D started" serve_node d "$d_port"
check "serve E started" serve_node e "$e_port"
check "serve D: a new sender is a first contact" test "$(served_first_contacts "$d" "$message")" = 1
check "serve E: the sender is known through Redis" test "$(served_first_contacts "$e" "$message")" = 0
check "serve D: the shared store is up in /metrics" test "$(metric "$d" vigie_shared_store_up)" = 1
stop_redis
check "Redis down: serve D still scans; the other sender is new" test "$(served_first_contacts "$d" "$other")" = 1
check "Redis down: /metrics says so" test "$(metric "$d" vigie_shared_store_up)" = 0
check "Redis down: the outage is counted" test "$(metric "$d" vigie_shared_store_outages_total)" = 1
check "Redis down: the increments wait for replay" test "$(metric "$d" vigie_shared_store_pending)" -ge 1
check "Redis back" start_redis
sleep 1.2  # the retry interval of the nodes' configuration
served_first_contacts "$d" "$message" > /dev/null  # the first call after the interval replays
check "Redis back: serve D logged the end of the outage" grep -q '"event":"store_primary_back"' "$tmp/d.err"
check "Redis back: /metrics says so" test "$(metric "$d" vigie_shared_store_up)" = 1
check "Redis back: the queue was replayed" test "$(metric "$d" vigie_shared_store_replayed_total)" -ge 1
check "Redis back: serve E learns from the replay the sender D saw during the outage" \
  test "$(served_first_contacts "$e" "$other")" = 0
stop_serves

echo "redis shared history: $passes passed, $failures failed"
[ "$failures" -eq 0 ]
