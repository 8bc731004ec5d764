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
"$redis_server" --bind 127.0.0.1 --port "$port" --save '' --appendonly no --dir "$tmp" \
  --logfile "$tmp/redis.log" --daemonize no &
redis_pid=$!
up=
for _ in $(seq 100); do
  if python3 - "$port" <<'EOF' 2>/dev/null; then up=1; break; fi
import socket, sys
s = socket.create_connection(("127.0.0.1", int(sys.argv[1])), timeout=0.2)
s.sendall(b"PING\r\n")
sys.exit(0 if s.recv(16).startswith(b"+PONG") else 1)
EOF
  sleep 0.1
done
if [ -z "$up" ]; then echo "FAIL: redis-server did not start"; cat "$tmp/redis.log"; exit 1; fi

# One configuration per node: the same Redis, a local file of its own.
node_config() {  # node_config NAME
  cat > "$tmp/$1.toml" <<EOF
[organisation]
protected_domains = ["prefecture-exemple.gouv.fr"]
[history]
backend = "redis"
path = "$1.db"
[history.redis]
port = $port
key_prefix = "e2e:"
retry_interval_ms = 1000
EOF
}
for node in a b c; do node_config "$node"; done
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

echo "redis shared history: $passes passed, $failures failed"
[ "$failures" -eq 0 ]
