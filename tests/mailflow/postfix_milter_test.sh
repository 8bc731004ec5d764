#!/usr/bin/env bash
# End-to-end: vigie serve as the milter of a real Postfix (tests/lib/postfix.sh: 127.0.0.1 only,
# private configuration, queue and Maildir), messages sent with swaks.
#   1. benign, with forged X-Vigie-* and Authentication-Results of our authserv-id: delivered,
#      forged headers gone, vigie's own added, a foreign Authentication-Results kept
#   2. warn (disguised attachments; a malformed message): delivered with the reader's banner,
#      still valid MIME (Python's email parser finds no defect), attachments byte-identical
#   3. quarantine (a .doc with AutoOpen): accepted by SMTP, not delivered, stored in vigie's
#      quarantine; released over HTTP: delivered through the release listener byte for byte
#   4. reject (a .lnk running PowerShell): refused at DATA with 550 5.7.1 and vigie's reference
#   5. vigie stopped: Postfix applies milter_default_action (tempfail: 451, nothing accepted)
#   6. nothing lost: every message accepted by SMTP is delivered or in vigie's quarantine, the
#      queue is empty, every scan is in vigie's log
# Everything started (Postfix, vigie) is stopped on every exit; every wait is bounded.
# Exit 77 (ctest SKIP_RETURN_CODE) without postfix or swaks or when not root, unless
# VIGIE_REQUIRE_POSTFIX=1 (CI), which makes those a failure.
# Usage: postfix_milter_test.sh VIGIE_BINARY SOURCE_DIR
set -u
vigie=$1
src=$2
. "$src/tests/lib/check.sh"
. "$src/tests/lib/postfix.sh"

missing=
command -v postfix > /dev/null || missing="postfix"
command -v swaks > /dev/null || missing="$missing swaks"
[ "$(id -u)" = 0 ] || missing="$missing root"
if [ -n "$missing" ]; then
  echo "SKIP: needs$missing (Debian: apt-get install postfix swaks; run as root): mail flow NOT tested"
  [ "${VIGIE_REQUIRE_POSTFIX:-0}" = 1 ] && exit 1
  exit 77
fi

tmp=$(mktemp -d)
chmod 755 "$tmp"  # Postfix's processes (user postfix, nobody) reach their directories through it
vigie_pid=
stop_vigie() {
  if [ -n "$vigie_pid" ] && kill -0 "$vigie_pid" 2>/dev/null; then
    kill -TERM "$vigie_pid"
    for _ in $(seq 100); do kill -0 "$vigie_pid" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$vigie_pid" 2>/dev/null
    wait "$vigie_pid" 2>/dev/null
  fi
  vigie_pid=
}
cleanup() {
  stop_vigie
  postfix_stop "$tmp/postfix"
  if [ "$failures" != 0 ]; then
    echo "--- vigie log"; tail -20 "$tmp/vigie.log" 2>/dev/null
    echo "--- postfix log"; tail -30 "$tmp/postfix/postfix.log" 2>/dev/null
  fi
  rm -rf "$tmp"
}
trap cleanup EXIT
wait_for() {  # wait_for COMMAND SECONDS
  local deadline=$((SECONDS + $2))
  until eval "$1"; do
    [ "$SECONDS" -ge "$deadline" ] && return 1
    sleep 0.2
  done
}
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
smtp_port=$(free_port)
release_port=$(free_port)
milter_port=$(free_port)
http_port=$(free_port)
token=mailflow-token-0123456789abcdef
base=http://127.0.0.1:$http_port

cat "$src/config/ministere.example.toml" > "$tmp/vigie.toml"
cat >> "$tmp/vigie.toml" <<TOML

[serve]
milter_listen = "127.0.0.1:$milter_port"
admin_token = "$token"

[actions]
banner_languages = ["fr", "en"]

[events]
path = "$tmp/events.sqlite"

[quarantine]
maildir = "$tmp/quarantine"
release_smtp = "127.0.0.1:$release_port"
TOML
check "config check" "$vigie" config check "$tmp/vigie.toml"

start_vigie() {
  # The goldens' recorded DNS zone, so that sender authentication runs (and Authentication-Results
  # is written) without a network.
  "$vigie" serve --config "$tmp/vigie.toml" --http "127.0.0.1:$http_port" \
    --dns-zone "$src/tests/golden/zone.yaml" 2>> "$tmp/vigie.log" &
  vigie_pid=$!
  wait_for "curl -sf $base/health > /dev/null" 60
}
start_vigie || { echo "FAIL: vigie serve did not start"; failures=1; exit 1; }
postfix_start "$tmp/postfix" "$smtp_port" "$release_port" "$milter_port" tempfail ||
  { echo "FAIL: postfix did not start: $(cat "$tmp/postfix/start.log")"; failures=1; exit 1; }
wait_for "(exec 3<>/dev/tcp/127.0.0.1/$smtp_port) 2>/dev/null" 30 || { echo "FAIL: postfix not listening"; failures=1; exit 1; }

sent=0        # accepted by SMTP (250 after DATA)
refused=0     # refused with a 5xx or 4xx the sender saw
send() {  # send NAME FILE: swaks transcript in $tmp/NAME.swaks; prints the final reply code
  swaks --server "127.0.0.1:$smtp_port" --from sender@example.net --to agent@exemple.gouv.fr \
    --data "$2" --timeout 60 > "$tmp/$1.swaks" 2>&1
  local code
  # -a: a malformed message's transcript holds a NUL byte.
  code=$(grep -aE '^<(-|\*\*) +[0-9]{3} ' "$tmp/$1.swaks" | tail -2 | head -1 | sed -E 's/^<(-|\*\*) +([0-9]{3}).*/\2/')
  echo "$code"
}
# The message delivered whose X-Vigie-Id matches the scan logged for a queue id.
delivered_with_id() { grep -l "^X-Vigie-Id: $1" "$tmp/postfix/mail/inbox/new/"* 2>/dev/null | head -1; }
queue_id_of() { grep -aoE 'queued as [0-9A-F]+' "$tmp/$1.swaks" | awk '{print $3}'; }
vigie_id_for_queue() { grep "\"queue_id\":\"$1\"" "$tmp/vigie.log" | grep -oE '"id":"[0-9a-f]{16}"' | head -1 | cut -d'"' -f4; }

# deliver NAME FILE: sends it, checks SMTP accepted it and it was delivered; sets `id` (vigie's)
# and `delivered` (the Maildir file, empty when it never came).
deliver() {
  local code qid
  code=$(send "$1" "$2")
  check "$1 accepted by SMTP ($code)" test "$code" = 250
  sent=$((sent + 1))
  qid=$(queue_id_of "$1")
  wait_for "[ -n \"\$(vigie_id_for_queue $qid)\" ]" 30
  id=$(vigie_id_for_queue "$qid")
  wait_for "[ -n \"\$(delivered_with_id $id)\" ]" 30
  delivered=$(delivered_with_id "$id")
  check "$1 delivered with its X-Vigie-Id" test -n "$delivered"
}

# 1. benign with forged headers
{
  printf 'X-Vigie-Action: accept\r\nX-Vigie-Score: 0.0\r\n'
  printf 'Authentication-Results: mx.interieur.gouv.fr; dkim=pass header.d=interieur.gouv.fr\r\n'
  printf 'Authentication-Results: mx.autre.example; spf=pass smtp.mailfrom=example.net\r\n'
  cat "$src/examples/benign.eml"
} > "$tmp/benign-forged.eml"
deliver benign "$tmp/benign-forged.eml"
benign=$delivered
if [ -n "$benign" ]; then
  check "benign: one X-Vigie-Action, vigie's" test "$(grep -c '^X-Vigie-Action:' "$benign")" = 1
  check "benign: X-Vigie-Action is accept" grep -q '^X-Vigie-Action: accept' "$benign"
  check "benign: forged X-Vigie-Score gone" test "$(grep -c '^X-Vigie-Score: 0.0$' "$benign")" -le 1
  check "benign: forged Authentication-Results of our authserv-id gone" \
    bash -c "! grep -q 'header.d=interieur.gouv.fr' '$benign'"
  check "benign: foreign Authentication-Results kept" grep -q '^Authentication-Results: mx.autre.example' "$benign"
  check "benign: vigie's Authentication-Results added" grep -q '^Authentication-Results: mx.interieur.gouv.fr' "$benign"
  check "benign: no banner" bash -c "! grep -q 'vigie' <(sed -n '/^\$/,\$p' '$benign')"
fi

# 2. warn: banner, valid MIME, attachments untouched
valid_mime_with_banner() {  # FILE ORIGINAL: every part parses without defect, the banner is in a text part,
  # and every attachment of the original is byte-identical
  python3 - "$1" "$2" <<'PY'
import email, email.policy, sys
delivered = email.message_from_binary_file(open(sys.argv[1], 'rb'), policy=email.policy.default)
original = email.message_from_binary_file(open(sys.argv[2], 'rb'), policy=email.policy.default)
defects = [d for part in delivered.walk() for d in part.defects]
orig_defects = [d for part in original.walk() for d in part.defects]
if len(defects) > len(orig_defects):
    sys.exit(f"new MIME defects: {defects}")
texts = [p.get_content() for p in delivered.walk() if p.get_content_type() in ('text/plain', 'text/html')]
# The text banner ends with a line of 60 underscores (src/service/actions/banner.cpp).
if not texts or '_' * 60 not in texts[0]:
    sys.exit("no banner in the first text part")
def attachments(m):
    return [p.get_payload(decode=True) for p in m.walk() if p.get_content_disposition() == 'attachment']
if attachments(delivered) != attachments(original):
    sys.exit("attachments changed")
PY
}
for name in disguised-attachments; do
  file=$src/tests/golden/messages/$name.eml
  deliver "$name" "$file"
  [ -n "$delivered" ] || continue
  check "$name: X-Vigie-Action is warn" grep -q '^X-Vigie-Action: warn' "$delivered"
  check "$name: banner in the text, MIME still valid, attachments untouched" valid_mime_with_banner "$delivered" "$file"
done

# A message too broken to edit safely (no boundary, a NUL byte, a part header in the body) is
# delivered with the headers only, and the log says why it got no banner.
deliver malformed "$src/examples/malformed.eml"
check "malformed: X-Vigie-Action is warn" grep -aq '^X-Vigie-Action: warn' "$delivered"
check "malformed: the log says why there is no banner" grep -q "\"event\":\"banner_skipped\".*\"id\":\"$id\"" "$tmp/vigie.log"

# 3. quarantine: stored, not delivered, released byte for byte
code=$(send quarantined "$src/tests/golden/messages/office-doc-autoopen.eml")
check "quarantined message accepted by SMTP ($code)" test "$code" = 250
sent=$((sent + 1))
qid=$(queue_id_of quarantined)
wait_for "[ -n \"\$(vigie_id_for_queue $qid)\" ]" 30
qmsg=$(vigie_id_for_queue "$qid")
check "quarantined: stored in vigie's quarantine Maildir" test -f "$tmp/quarantine/new/$qmsg"
check "quarantined: not delivered" test -z "$(delivered_with_id "$qmsg")"
auth=(-H "Authorization: Bearer $token")
check "quarantine list shows it" bash -c "curl -sf ${auth[*]@Q} '$base/quarantine' | grep -q '$qmsg'"
check "quarantine raw is the stored file" bash -c "curl -sf ${auth[*]@Q} '$base/quarantine/$qmsg/raw' | cmp -s - '$tmp/quarantine/new/$qmsg'"
check "quarantine refuses an id that is not 16 hex digits" test "$(curl -s -o /dev/null -w '%{http_code}' "${auth[@]}" "$base/quarantine/0123456789abcdeZ")" = 400
traversal=$(curl -s -o /dev/null -w '%{http_code}' "${auth[@]}" "$base/quarantine/..%2F..%2Fetc%2Fpasswd")
check "quarantine refuses a path for an id ($traversal)" test "$traversal" = 400 -o "$traversal" = 404
check "quarantine refuses a wrong token" test "$(curl -s -o /dev/null -w '%{http_code}' -H 'Authorization: Bearer wrong-token-0123456789' "$base/quarantine")" = 401
cp "$tmp/quarantine/new/$qmsg" "$tmp/quarantined.raw" 2>/dev/null
before=$(postfix_delivered "$tmp/postfix")
check "release answered" bash -c "curl -sf -X POST -d '' ${auth[*]@Q} '$base/quarantine/$qmsg/release' > /dev/null"
wait_for "[ \$(postfix_delivered $tmp/postfix) -gt $before ]" 30
released=$(grep -l "office-releve-doc@fournisseur-exemple.net" "$tmp/postfix/mail/inbox/new/"* 2>/dev/null | head -1)
check "released message delivered" test -n "$released"
if [ -n "$released" ]; then
  # Delivered = what Postfix prepends (Return-Path, Delivered-To, Received) + the stored bytes,
  # which the Maildir holds with LF line ends.
  check "released byte for byte" python3 - "$released" "$tmp/quarantined.raw" <<'PY'
import sys
delivered = open(sys.argv[1], 'rb').read()
stored = open(sys.argv[2], 'rb').read().replace(b'\r\n', b'\n')
sys.exit(0 if delivered.endswith(stored) and len(delivered) - len(stored) < 1000 else 1)
PY
fi

# 4. reject
code=$(send rejected "$src/tests/golden/messages/lnk-powershell-encoded.eml")
check "weapon refused with 550 ($code)" test "$code" = 550
refused=$((refused + 1))
check "refusal says 5.7.1 and gives vigie's reference" grep -qE '550 5\.7\.1 .*ref vigie-[0-9a-f]{16}' "$tmp/rejected.swaks"

# 6 (before stopping). Nothing lost: the queue drains; every accepted message is delivered or quarantined.
wait_for "[ \$(postfix_queued $tmp/postfix) = 0 ]" 30
check "postfix queue empty" test "$(postfix_queued "$tmp/postfix")" = 0
# sent - 1 quarantined + 1 released
check "every accepted message delivered or released" test "$(postfix_delivered "$tmp/postfix")" = "$sent"
check "every scan logged" test "$(grep -c '"event":"scan"' "$tmp/vigie.log")" = $((sent + refused))

# 5. vigie stopped: Postfix's milter_default_action (tempfail)
stop_vigie
code=$(send stopped "$src/examples/benign.eml")
check "vigie stopped: Postfix temp-fails ($code)" test "$code" = 451
check "vigie stopped: nothing queued" test "$(postfix_queued "$tmp/postfix")" = 0
check "vigie stopped cleanly" grep -q '"event":"stopped"' "$tmp/vigie.log"

echo "postfix mail flow: $passes passed, $failures failed"
[ "$failures" = 0 ]
