#!/usr/bin/env bash
# End-to-end test of `vigie serve` over loopback: the service started on a free port of 127.0.0.1,
# messages posted with curl, a reload by SIGHUP with a broken configuration (the old engine serves
# on), a reload through POST /reload with the admin token, then SIGTERM while a request is being
# sent (it is answered, new connections are refused, and the service exits 0). The event store gets
# one row per scan, all written by the time the service has exited; the quarantine endpoints are
# checked on two held messages placed as Quarantine::hold leaves them (token, bad ids, list, show,
# raw, release to an SMTP sink the test runs, byte for byte, delete). Last, two starts that cannot
# complete (milter address taken, event store unopenable) exit 2. Everything started is stopped
# on exit, even on failure; every wait is bounded.
# Usage: serve_test.sh VIGIE_BINARY SOURCE_DIR
set -u
vigie=$1
src=$2
tmp=$(mktemp -d)
pid=
sink_pid=
cleanup() {
  if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then kill -KILL "$pid" 2>/dev/null; fi
  if [ -n "$sink_pid" ] && kill -0 "$sink_pid" 2>/dev/null; then kill -KILL "$sink_pid" 2>/dev/null; fi
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
# The relay a release re-injects into: one session, then it exits.
python3 "$src/tests/serve/smtp_sink.py" "$tmp/sink.envelope" "$tmp/sink.data" > "$tmp/sink.port" &
sink_pid=$!
wait_for "[ -s '$tmp/sink.port' ]" 20 || { echo "FAIL: the SMTP sink did not start"; exit 1; }
sink_port=$(head -1 "$tmp/sink.port")
write_config() {
  cat "$src/config/ministere.example.toml" > "$tmp/vigie.toml"
  cat >> "$tmp/vigie.toml" <<TOML

[history]
path = "history.sqlite"

[serve]
threads = 4
max_request_bytes = 300000
admin_token = "$token"

[events]
path = "events.sqlite"

[quarantine]
maildir = "held"
release_smtp = "127.0.0.1:$sink_port"
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

# --- Event store: one row per scan, under the id of X-Vigie-Id, listener http, never quarantined.
python3 - "$tmp/events.sqlite" "$id" > "$tmp/events.out" 2>&1 <<'PY' || fail "event of the spear phishing: $(cat "$tmp/events.out")"
import sqlite3, sys, time
deadline = time.time() + 10  # written by the store's thread, not by the request
while True:
    con = sqlite3.connect(sys.argv[1], timeout=5)
    row = con.execute("SELECT action, listener, queue_id, client_ip, quarantined FROM events_view WHERE id = ?",
                      (sys.argv[2],)).fetchone()
    if row or time.time() > deadline:
        break
    con.close()
    time.sleep(0.1)
assert row == ("reject", "http", "4QxE2e1", "203.0.113.9", 0), row
rcpt = con.execute("SELECT count(*) FROM event_recipients r JOIN events e ON e.seq = r.event WHERE e.id = ?"
                   " AND r.recipient = 'HELENE.BERNARD@interieur.gouv.fr'", (sys.argv[2],)).fetchone()[0]
assert rcpt == 1, rcpt
assert con.execute("SELECT count(*) FROM event_findings f JOIN events e ON e.seq = f.event WHERE e.id = ?",
                   (sys.argv[2],)).fetchone()[0] > 0
PY

# --- Quarantine. HTTP never holds (the caller acts on the answer): two messages are placed as
# Quarantine::hold leaves them, a file in new/ and a row, one with awkward lines for the release.
python3 - "$tmp/events.sqlite" "$tmp/held" <<'PY' || fail "placing held messages"
import hashlib, json, os, sqlite3, sys, time
db, maildir = sys.argv[1], sys.argv[2]
messages = {
    "00000000000000a1": b"From: a@example.net\r\nTo: x@interieur.gouv.fr\r\nSubject: held\r\n\r\n"
                        b".leading dot\r\n.\r\nbare LF\n.dot after bare LF\n.\nend\r\n",
    "00000000000000a2": b"From: b@example.net\r\nSubject: other\r\n\r\nbody\r\n",
}
con = sqlite3.connect(db, timeout=5)
for n, (mid, raw) in enumerate(sorted(messages.items())):
    path = os.path.join(maildir, "new", mid)
    with open(path, "wb") as out:
        out.write(raw)
    rcpts = ["x@interieur.gouv.fr", "y@interieur.gouv.fr"] if n == 0 else ["z@interieur.gouv.fr"]
    con.execute("INSERT INTO quarantine(id, path, sha256, size, mail_from, recipients, stored_at, reason,"
                " findings, action, score, state) VALUES(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'held')",
                (mid, path, hashlib.sha256(raw).hexdigest(), len(raw), "attacker@example.net", json.dumps(rcpts),
                 int(time.time()) - n, json.dumps(["VBA_AUTO_EXEC"]),
                 json.dumps([{"id": "VBA_AUTO_EXEC", "group": "active_content", "score": 15,
                              "object": "part 2 (facture.docm)"}]), "quarantine", 15))
    for r in rcpts:
        con.execute("INSERT INTO quarantine_recipients(recipient, id) VALUES(?, ?)", (r, mid))
con.commit()
PY
auth=(-H "Authorization: Bearer $token")
admin() {  # admin METHOD PATH [curl options...] -> body in $tmp/out, status printed
  local method=$1 path=$2
  shift 2
  curl -s --path-as-is -o "$tmp/out" -w '%{http_code}' --max-time 30 -X "$method" "$@" "$base$path"
}
field() { python3 -c 'import json,sys; v=json.load(open(sys.argv[1])); print(eval(sys.argv[2], {}, {"v": v}))' "$tmp/out" "$1"; }
[ "$(admin GET /quarantine)" = 401 ] || fail "quarantine list without a token"
[ "$(admin GET /quarantine -H 'Authorization: Bearer wrong-token-0123456789')" = 401 ] || fail "quarantine list with a wrong token"
[ "$(admin GET /quarantine/00000000000000a1/raw)" = 401 ] || fail "raw without a token"
[ "$(admin DELETE /quarantine/00000000000000a1)" = 401 ] || fail "delete without a token"
for bad in 00000000000000A1 0000000000000a1 00000000000000a1a ..%2F..%2Fetc%2Fpasswd '%2e%2e'; do
  status=$(admin GET "/quarantine/$bad/raw" "${auth[@]}")
  case "$status" in 400|404) ;; *) fail "id '$bad': HTTP $status, expected 400 (or 404 when not routed)";; esac
done
[ "$(admin GET /quarantine/00000000000000A1 "${auth[@]}")" = 400 ] || fail "upper-case id not refused with 400"
[ "$(admin GET /quarantine/ffffffffffffffff "${auth[@]}")" = 404 ] || fail "unknown id: expected 404"
[ "$(admin GET '/quarantine?limit=5000' "${auth[@]}")" = 400 ] || fail "list over the limit: expected 400"
[ "$(admin GET '/quarantine?state=lost' "${auth[@]}")" = 400 ] || fail "unknown state: expected 400"
[ "$(admin GET '/quarantine?state=held' "${auth[@]}")" = 200 ] || fail "list held"
[ "$(field 'len(v["messages"])')" = 2 ] || fail "list held: $(cat "$tmp/out")"
[ "$(field 'v["messages"][0]["id"]')" = 00000000000000a1 ] || fail "list is not newest first: $(cat "$tmp/out")"
admin GET '/quarantine?recipient=Z@interieur.gouv.fr' "${auth[@]}" > /dev/null
[ "$(field '[m["id"] for m in v["messages"]]')" = "['00000000000000a2']" ] || fail "list by recipient: $(cat "$tmp/out")"
[ "$(admin GET /quarantine/00000000000000a1 "${auth[@]}")" = 200 ] || fail "show"
[ "$(field 'v["findings"][0]["object"]')" = "part 2 (facture.docm)" ] || fail "show: findings $(cat "$tmp/out")"
[ "$(admin GET /quarantine/00000000000000a1/raw "${auth[@]}")" = 200 ] || fail "raw"
cmp -s "$tmp/out" "$tmp/held/new/00000000000000a1" || fail "raw bytes differ from the stored file"
status=$(admin POST /quarantine/00000000000000a1/release "${auth[@]}" -d '' -H 'X-Vigie-Analyst: e2e')
[ "$status" = 200 ] || fail "release: HTTP $status $(cat "$tmp/out")"
wait_for "[ -s '$tmp/sink.envelope' ]" 20 || fail "the sink got no message"
cmp -s "$tmp/sink.data" "$tmp/held/new/00000000000000a1" || fail "released bytes differ from the held ones"
python3 -c 'import json,sys; e=json.load(open(sys.argv[1])); assert e == {"mail_from": "attacker@example.net", "recipients": ["x@interieur.gouv.fr", "y@interieur.gouv.fr"]}, e' \
  "$tmp/sink.envelope" || fail "release envelope: $(cat "$tmp/sink.envelope")"
[ "$(admin POST /quarantine/00000000000000a1/release "${auth[@]}" -d '')" = 409 ] || fail "second release: expected 409"
admin GET /quarantine/00000000000000a1 "${auth[@]}" > /dev/null
[ "$(field 'v["state"] + " " + v["changed_by"]')" = "released e2e from 127.0.0.1" ] || fail "released row: $(cat "$tmp/out")"
[ "$(admin DELETE /quarantine/00000000000000a2 "${auth[@]}")" = 200 ] || fail "delete"
[ -e "$tmp/held/new/00000000000000a2" ] && fail "deleted file still there"
[ "$(admin GET /quarantine/00000000000000a2/raw "${auth[@]}")" = 410 ] || fail "raw of a deleted message: expected 410"
[ "$(admin DELETE /quarantine/00000000000000a2 "${auth[@]}")" = 409 ] || fail "second delete: expected 409"
curl -sf "$base/metrics" > "$tmp/metrics" || fail "GET /metrics"
for metric in 'vigie_quarantine_held 0' 'vigie_quarantine_releases_total 1' 'vigie_quarantine_release_failures_total 0' \
              'vigie_quarantine_deletes_total 1' 'vigie_events_dropped_total 0'; do
  grep -q "^$metric\$" "$tmp/metrics" || fail "metrics: $metric"
done
grep -q '^vigie_event_store_bytes [1-9]' "$tmp/metrics" || fail "metrics: event store size"

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

# Every scan's event was written before the service exited: the two spear phishing posts, the
# benign one, and the one in flight at SIGTERM (refused requests are not scans).
events=$(python3 -c 'import sqlite3,sys; print(sqlite3.connect(sys.argv[1]).execute("SELECT count(*) FROM events WHERE listener = '"'"'http'"'"'").fetchone()[0])' "$tmp/events.sqlite")
[ "$events" = 4 ] || fail "events after exit: $events, expected 4"
grep -q '"events_written":4' "$tmp/log" || fail "stopped line does not count 4 events written"

# A start that cannot complete exits 2 with a start_failed line naming the setting at fault, and
# leaves nothing listening: a milter address already taken (held by the test), then an event store
# path that is a folder.
python3 -c 'import socket,sys,time; s=socket.socket(); s.bind(("127.0.0.1",0)); s.listen(); print(s.getsockname()[1], flush=True); time.sleep(30)' \
  > "$tmp/taken.port" &
taken_pid=$!
wait_for "[ -s '$tmp/taken.port' ]" 20 || fail "could not hold a port"
write_config
sed -i 's/^max_request_bytes = 300000$/&\nmilter_listen = "127.0.0.1:'"$(cat "$tmp/taken.port")"'"/' "$tmp/vigie.toml"
timeout 60 "$vigie" serve --config "$tmp/vigie.toml" --http "127.0.0.1:$port" 2> "$tmp/start.log"
rc=$?
[ "$rc" = 2 ] || fail "milter address taken: exit $rc, expected 2"
grep -q '"event":"start_failed".*"milter_listen":"127.0.0.1:' "$tmp/start.log" || fail "milter address taken: $(cat "$tmp/start.log")"
curl -s --max-time 2 "$base/health" > /dev/null && fail "HTTP still answers after a failed start"
kill "$taken_pid" 2>/dev/null
write_config
mkdir -p "$tmp/a-folder.sqlite"
sed -i 's/^path = "events.sqlite"$/path = "a-folder.sqlite"/' "$tmp/vigie.toml"
timeout 60 "$vigie" serve --config "$tmp/vigie.toml" --http "127.0.0.1:$port" 2> "$tmp/start.log"
rc=$?
[ "$rc" = 2 ] || fail "event store path is a folder: exit $rc, expected 2"
grep -q '"event":"start_failed".*"events":"' "$tmp/start.log" || fail "event store path is a folder: $(cat "$tmp/start.log")"

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
