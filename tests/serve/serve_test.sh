#!/usr/bin/env bash
# End-to-end test of `vigie serve` over loopback: the service started on a free port of 127.0.0.1,
# messages posted with curl, a reload by SIGHUP with a broken configuration (the old engine serves
# on), a reload through POST /reload with the admin token, then SIGTERM while a request is being
# sent (it is answered, new connections are refused, and the service exits 0). Everything started is stopped on exit,
# even on failure; every wait is bounded.
# Usage: serve_test.sh VIGIE_BINARY SOURCE_DIR
set -u
vigie=$1
src=$2
tmp=$(mktemp -d)
pid=
cleanup() {
  if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then kill -KILL "$pid" 2>/dev/null; fi
  rm -rf "$tmp"
}
trap cleanup EXIT
failures=0
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }
# Waits up to $2 seconds for a command (a string for eval) to succeed.
wait_for() {
  local deadline=$((SECONDS + $2))
  until eval "$1"; do
    [ "$SECONDS" -ge "$deadline" ] && return 1
    sleep 0.1
  done
}

port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
base=http://127.0.0.1:$port
token=e2e-token-0123456789abcdef
write_config() {
  cat "$src/config/ministere.example.toml" > "$tmp/vigie.toml"
  cat >> "$tmp/vigie.toml" <<TOML

[history]
path = "history.sqlite"

[serve]
threads = 4
max_request_bytes = 300000
admin_token = "$token"
TOML
}
write_config
"$vigie" config check "$tmp/vigie.toml" > /dev/null || fail "config check of the serve configuration"

"$vigie" serve --config "$tmp/vigie.toml" --http "127.0.0.1:$port" 2> "$tmp/log" &
pid=$!
wait_for "curl -sf $base/health > /dev/null" 60 || { fail "service did not answer /health"; cat "$tmp/log"; exit 1; }
grep -q '"event":"started"' "$tmp/log" || fail "no start line in the log"

post() {  # post FILE [curl options...] -> body in $tmp/out, headers in $tmp/headers, status printed
  local file=$1
  shift
  curl -s -o "$tmp/out" -D "$tmp/headers" -w '%{http_code}' --max-time 30 \
    -H 'Content-Type: message/rfc822' "$@" --data-binary "@$file" "$base/scan"
}
action() { python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["verdict"]["action"])' "$tmp/out"; }

status=$(post "$src/examples/spear-phishing-ministry.eml" -H 'Queue-Id: 4QxE2e1' -H 'Client-IP: 203.0.113.9' \
  -H 'From: <dg@interieur-gouv.fr>' -H 'Rcpt: helene.bernard@interieur.gouv.fr')
[ "$status" = 200 ] || fail "spear phishing: HTTP $status"
[ "$(action)" = reject ] || fail "spear phishing: action $(action), expected reject"
id=$(tr -d '\r' < "$tmp/headers" | sed -n 's/^X-Vigie-Id: //Ip')
[ -n "$id" ] || fail "no X-Vigie-Id header"
grep -q "\"id\":\"$id\".*\"queue_id\":\"4QxE2e1\"\|\"queue_id\":\"4QxE2e1\".*\"id\":\"$id\"" "$tmp/log" || \
  grep -q "\"id\":\"$id\"" "$tmp/log" || fail "id $id not in the log"

status=$(post "$src/examples/benign.eml" -H 'Rcpt: a@interieur.gouv.fr, b@interieur.gouv.fr')
[ "$status" = 200 ] && [ "$(action)" = accept ] || fail "benign: HTTP $status, action $(action)"

head -c 400000 /dev/zero > "$tmp/big.eml"
status=$(post "$tmp/big.eml")
[ "$status" = 413 ] || fail "400 KB over a 300 KB limit: HTTP $status, expected 413"
status=$(post "$src/examples/benign.eml" -H 'Client-IP: 300.1.1.1')
[ "$status" = 400 ] || fail "bad Client-IP: HTTP $status, expected 400"

curl -sf "$base/metrics" > "$tmp/metrics" || fail "GET /metrics"
grep -q '^vigie_messages_total{action="reject"} 1$' "$tmp/metrics" || fail "metrics: one reject"
grep -q '^vigie_errors_total{kind="too_large"} 1$' "$tmp/metrics" || fail "metrics: one too_large"

# SIGHUP with a broken configuration: the reload fails, the old engine serves on.
echo '[policy' >> "$tmp/vigie.toml"
kill -HUP "$pid"
wait_for "grep -q '\"event\":\"reload_failed\"' '$tmp/log'" 30 || fail "no reload_failed after SIGHUP"
status=$(post "$src/examples/spear-phishing-ministry.eml")
[ "$status" = 200 ] && [ "$(action)" = reject ] || fail "after a failed reload: HTTP $status, action $(action)"
curl -sf "$base/metrics" | grep -q '^vigie_reload_failures_total 1$' || fail "metrics: one reload failure"

# POST /reload: refused without the token, done with it once the file is valid again.
status=$(curl -s -o /dev/null -w '%{http_code}' -X POST -d '' "$base/reload")
[ "$status" = 401 ] || fail "reload without a token: HTTP $status"
write_config
status=$(curl -s -o "$tmp/out" -w '%{http_code}' -X POST -d '' -H "Authorization: Bearer $token" "$base/reload")
[ "$status" = 200 ] || fail "reload with the token: HTTP $status $(cat "$tmp/out")"
curl -sf "$base/health" | grep -q '"engine_generation":2' || fail "health does not show engine 2"

# SIGTERM while a request is being sent: the client sends the headers and half the message, the
# service gets SIGTERM, stops accepting (a new connection is refused), then the client sends the
# rest and must get its verdict; the service then exits 0.
python3 - "$src/examples/spear-phishing-ministry.eml" "$port" "$pid" > "$tmp/inflight.out" 2>&1 <<'PY'
import json, os, signal, socket, sys, time
message = open(sys.argv[1], "rb").read()
port, pid = int(sys.argv[2]), int(sys.argv[3])
client = socket.create_connection(("127.0.0.1", port), timeout=30)
client.sendall(b"POST /scan HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: message/rfc822\r\n"
               b"Connection: close\r\nContent-Length: %d\r\n\r\n" % len(message))
half = len(message) // 2
client.sendall(message[:half])
time.sleep(0.5)
os.kill(pid, signal.SIGTERM)
refused = False
for _ in range(50):  # up to 5 s for the listener to close
    time.sleep(0.1)
    try:
        socket.create_connection(("127.0.0.1", port), timeout=1).close()
    except OSError:
        refused = True
        break
client.sendall(message[half:])
answer = b""
while True:
    chunk = client.recv(65536)
    if not chunk:
        break
    answer += chunk
head, _, body = answer.partition(b"\r\n\r\n")
status = head.split(b" ")[1].decode() if head else "none"
action = json.loads(body)["verdict"]["action"] if status == "200" else "-"
print(f"refused={refused} status={status} action={action}")
PY
grep -q 'refused=True' "$tmp/inflight.out" || fail "new connections still accepted after SIGTERM: $(cat "$tmp/inflight.out")"
grep -q 'status=200 action=reject' "$tmp/inflight.out" || fail "request in flight at SIGTERM not answered: $(cat "$tmp/inflight.out")"
wait_for "! kill -0 $pid 2>/dev/null" 60 || fail "service still running 60 s after SIGTERM"
wait "$pid"
rc=$?
pid=
[ "$rc" = 0 ] || fail "service exited $rc after SIGTERM, expected 0"
grep -q '"event":"stopped"' "$tmp/log" || fail "no stopped line in the log"
curl -s --max-time 2 "$base/health" > /dev/null && fail "still accepting after exit"

# Every log line is a JSON object with time, level and event.
python3 - "$tmp/log" <<'PY' || fail "log lines are not all JSON"
import json, sys
for line in open(sys.argv[1]):
    record = json.loads(line)
    assert {"time", "level", "event"} <= record.keys(), line
PY
if [ "$failures" -ne 0 ]; then
  echo "--- service log"; cat "$tmp/log"
fi
echo "serve end-to-end: $failures failure(s)"
test "$failures" -eq 0
