#!/usr/bin/env bash
# End-to-end: sender authentication over live DNS (a real unbound server on 127.0.0.1) gives the
# same auth results as over recorded DNS (the same zone as a --dns-zone file).
#
#   1. An RSA-2048 DKIM key; make_zone.py turns zone.yaml (+ the key record) into the recorded zone
#      and into unbound local-data, TXT split into ≤255-byte strings the same way in both.
#   2. unbound runs in the foreground on 127.0.0.1 and a free port, in a temporary directory, no
#      chroot, no user switch, no remote control; a trap stops it on every exit.
#   3. e2e.py writes the messages (DKIM-signed with python3-dkim) and the signature is checked
#      against the key as the server serves it.
#   4. vigie scan --dns-server and vigie scan --dns-zone over the same messages, client IP and HELO:
#      the auth objects must be identical and SPF must give the expected results. DKIM and DMARC
#      are compared as soon as vigie reports them.
#   5. A lookup the server never answers (a deny zone) is temperror in live mode, bounded in time;
#      a per-message budget too small for the SPF tree is temperror the same way in both modes;
#      without --client-ip the client comes from the Received chain past a trusted relay; with a
#      server that never answers at all, vigie warns once and stops waiting (circuit breaker).
#   6. DNS reputation lists (dns_lists) served by the same unbound: listed client, listed link,
#      clean message, a list refusing the query; live equal to recorded; nothing asked without
#      a list or without DNS.
# Usage: auth_unbound_test.sh VIGIE_BINARY SOURCE_DIR
set -u
vigie=$1
src=$2
here=$src/tests/auth_e2e
py=/usr/bin/python3   # Debian's, with python3-dkim and python3-yaml (not a pyenv python3)
tmp=$(mktemp -d)
unbound_pid=
silent_pid=
cleanup() {
  [ -n "$silent_pid" ] && kill "$silent_pid" 2>/dev/null
  if [ -n "$unbound_pid" ] && kill -0 "$unbound_pid" 2>/dev/null; then
    kill "$unbound_pid" 2>/dev/null
    for _ in $(seq 50); do kill -0 "$unbound_pid" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$unbound_pid" 2>/dev/null
    wait "$unbound_pid" 2>/dev/null
  fi
  [ -n "${VIGIE_E2E_KEEP:-}" ] && echo "kept $tmp" || rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 1' INT TERM
. "$src/tests/lib/check.sh"
die() { echo "FAIL: $*"; [ -f "$tmp/unbound.log" ] && tail -20 "$tmp/unbound.log"; exit 1; }

for tool in /usr/sbin/unbound /usr/sbin/unbound-checkconf dig openssl "$py"; do
  command -v "$tool" > /dev/null || die "$tool is missing (scripts/install-deps.sh installs it)"
done

# 1. Key and zone.
openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "$tmp/dkim.pem" 2> /dev/null \
  || die "openssl genpkey"
public_key=$(openssl pkey -in "$tmp/dkim.pem" -pubout -outform DER 2> /dev/null | base64 -w0)
"$py" "$here/make_zone.py" "$here/zone.yaml" "$public_key" "$tmp/zone.yaml" "$tmp/local-data.conf" \
  || die "make_zone.py"

# 2. The server. The port is found free by binding port 0; should another process take it before
# unbound does, unbound exits and the next attempt picks another.
start_unbound() {
  port=$("$py" -c 'import socket; s=socket.socket(socket.AF_INET, socket.SOCK_DGRAM); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
  cat > "$tmp/unbound.conf" <<CONF
server:
  interface: 127.0.0.1
  port: $port
  do-ip6: no
  do-daemonize: no
  username: ""
  chroot: ""
  directory: "$tmp"
  pidfile: "$tmp/unbound.pid"
  use-syslog: no
  logfile: "$tmp/unbound.log"
  verbosity: 1
  num-threads: 1
  module-config: "iterator"
  access-control: 127.0.0.0/8 allow
  # vigie's start-up health check asks for the root zone's name servers: answered here, so that
  # the server never recurses to the real root (no traffic beyond the loopback).
  local-zone: "." transparent
  local-data: ". 300 IN NS ns.example.test."
$(cat "$tmp/local-data.conf")
remote-control:
  control-enable: no
CONF
  /usr/sbin/unbound-checkconf "$tmp/unbound.conf" > "$tmp/checkconf.log" 2>&1 \
    || { cat "$tmp/checkconf.log"; die "unbound-checkconf"; }
  /usr/sbin/unbound -d -c "$tmp/unbound.conf" > "$tmp/unbound.out" 2>&1 &
  unbound_pid=$!
  for _ in $(seq 50); do  # at most 10 s
    kill -0 "$unbound_pid" 2>/dev/null || return 1
    if dig +time=1 +tries=1 +short -p "$port" @127.0.0.1 pass.example.test TXT 2>/dev/null | grep -q spf1; then
      return 0
    fi
    sleep 0.2
  done
  return 1
}
started=0
for _ in 1 2 3; do
  if start_unbound; then started=1; break; fi
  kill "$unbound_pid" 2>/dev/null; wait "$unbound_pid" 2>/dev/null; unbound_pid=
done
[ "$started" = 1 ] || { cat "$tmp/unbound.out"; die "unbound did not start answering on 127.0.0.1"; }
server=127.0.0.1:$port

# 3. Messages, and the DKIM key as served.
"$py" "$here/e2e.py" messages "$tmp/dkim.pem" "$tmp/messages" || die "writing the messages"
check "DKIM signature verifies with the served key" "$py" "$here/e2e.py" dkim-check "$port" "$tmp/messages/main/pass.eml"

# 4. Live and recorded DNS over the same messages.
envelope=(--client-ip 192.0.2.10 --helo mail.example.test)
"$vigie" scan --no-progress --format jsonl --dns-server "$server" "${envelope[@]}" "$tmp/messages/main" > "$tmp/live.jsonl" 2> "$tmp/live.err"
check "live scan exits 0" test $? -eq 0
"$vigie" scan --no-progress --format jsonl --dns-zone "$tmp/zone.yaml" "${envelope[@]}" "$tmp/messages/main" > "$tmp/recorded.jsonl" 2> "$tmp/recorded.err"
check "recorded scan exits 0" test $? -eq 0
cat "$tmp/live.err" "$tmp/recorded.err"
check "live: no DNS warning when the server answers" bash -c "! grep -q 'DNS' '$tmp/live.err'"
check "live and recorded auth identical, SPF as expected" "$py" "$here/e2e.py" compare "$tmp/live.jsonl" "$tmp/recorded.jsonl"

# 5a. A server that never answers: temperror within the configured time (2 attempts of 300 ms).
printf '[dns]\ntimeout_ms = 300\nretries = 1\n' > "$tmp/fast.toml"
start=$(date +%s%N)
"$vigie" scan --no-progress -c "$tmp/fast.toml" --dns-server "$server" "${envelope[@]}" "$tmp/messages/timeout" > "$tmp/timeout-live.jsonl"
elapsed_ms=$(( ($(date +%s%N) - start) / 1000000 ))
check "timeout: live temperror" "$py" "$here/e2e.py" expect "$tmp/timeout-live.jsonl" temperror "spf.slow.test failed: timeout"
check "timeout: bounded (${elapsed_ms} ms)" test "$elapsed_ms" -lt 5000
"$vigie" scan --no-progress --dns-zone "$tmp/zone.yaml" "${envelope[@]}" "$tmp/messages/timeout" > "$tmp/timeout-recorded.jsonl"
check "timeout: recorded temperror" "$py" "$here/e2e.py" expect "$tmp/timeout-recorded.jsonl" temperror "spf.slow.test failed: timeout"

# 5b. Per-message budget: mx.example.test needs TXT, MX and an address lookup per MX name (4).
printf '[dns]\nmax_queries_per_message = 3\n' > "$tmp/budget.toml"
"$vigie" scan --no-progress -c "$tmp/budget.toml" --dns-server "$server" "${envelope[@]}" "$tmp/messages/main/mx.eml" > "$tmp/budget-live.jsonl"
"$vigie" scan --no-progress -c "$tmp/budget.toml" --dns-zone "$tmp/zone.yaml" "${envelope[@]}" "$tmp/messages/main/mx.eml" > "$tmp/budget-recorded.jsonl"
check "budget: live temperror" "$py" "$here/e2e.py" expect "$tmp/budget-live.jsonl" temperror "lookup budget exhausted: more than 3 lookups"
check "budget: live equals recorded" "$py" "$here/e2e.py" compare "$tmp/budget-live.jsonl" "$tmp/budget-recorded.jsonl" --any

# 5c. No --client-ip: the client is the first Received hop not from a trusted relay.
printf '[relays]\ntrusted = ["10.0.0.0/8"]\n' > "$tmp/relays.toml"
"$vigie" scan --no-progress -c "$tmp/relays.toml" --dns-server "$server" "$tmp/messages/relay" > "$tmp/relay-live.jsonl"
"$vigie" scan --no-progress -c "$tmp/relays.toml" --dns-zone "$tmp/zone.yaml" "$tmp/messages/relay" > "$tmp/relay-recorded.jsonl"
check "relay: pass from Received header 2" "$py" "$here/e2e.py" expect "$tmp/relay-live.jsonl" pass "client IP 192.0.2.10 from Received header 2, below 1 trusted relay)"
check "relay: live equals recorded" "$py" "$here/e2e.py" compare "$tmp/relay-live.jsonl" "$tmp/relay-recorded.jsonl" --any

# 6. DNS reputation lists (the dns_lists analyzer) over the same server: a listed client (from the
# Received header), a listed link, a clean message, and two messages whose sender domain the list
# refuses to answer about (127.255.255.254): not a listing, one warning for the run.
mkdir -p "$tmp/lists"
for name in listed-client listed-link clean refused refused-again; do
  client=198.51.100.20; from=a@clean-site.example; link=https://clean-site.example/
  case $name in
    listed-client) client=203.0.113.7 ;;
    listed-link) link=https://www.phish-site.example/login ;;
    refused*) from=a@refused-site.example ;;
  esac
  printf 'Received: from out.sender.example (out.sender.example [%s]) by mx.example.test with ESMTP id %s; Mon, 7 Dec 2026 10:00:00 +0000\nFrom: %s\nTo: b@example.test\nSubject: %s\nDate: Mon, 7 Dec 2026 10:00:00 +0000\nMessage-ID: <%s@example.test>\n\nSee %s\n' \
    "$client" "$name" "$from" "$name" "$name" "$link" > "$tmp/lists/$name.eml"
done
cat > "$tmp/lists.toml" <<'TOML'
[[analyzers.dns_lists.lists]]
zone = "zen.test-dnsbl.example"
kind = "ip"
name = "ZEN"
codes."127.0.0.2" = { name = "SBL", score = 6 }
codes."127.0.0.4" = { name = "XBL", score = 7 }
[[analyzers.dns_lists.lists]]
zone = "dbl.test-dnsbl.example"
kind = "domain"
name = "DBL"
codes."127.0.1.4" = { name = "phish", score = 8 }
TOML
"$vigie" scan --no-progress --format jsonl -c "$tmp/lists.toml" --dns-server "$server" "$tmp/lists" > "$tmp/lists-live.jsonl" 2> "$tmp/lists-live.err"
check "lists: live scan exits 0" test $? -eq 0
"$py" "$here/e2e.py" findings "$tmp/lists-live.jsonl" | grep -E 'DNSBL|DBL_|URIBL|DNS_LIST' | sort > "$tmp/lists-live.txt"
cat "$tmp/lists-live.txt" "$tmp/lists-live.err"
check "lists: listed client" grep -qx 'listed-client.eml DNSBL_CLIENT_LISTED 203.0.113.7 (SMTP client, Received header 1) listed by ZEN: SBL (127.0.0.2), XBL (127.0.0.4)' "$tmp/lists-live.txt"
check "lists: listed link" grep -qx 'listed-link.eml URIBL_LINK_LISTED https://www.phish-site.example/login listed by DBL as phish-site.example: phish (127.0.1.4)' "$tmp/lists-live.txt"
check "lists: the clean message is not listed" bash -c "! grep -q '^clean.eml' '$tmp/lists-live.txt'"
check "lists: a refusal is no listing" bash -c "! grep -q '^refused.*LISTED' '$tmp/lists-live.txt'"
check "lists: a refusal says the list was unavailable" grep -q '^refused.eml DNS_LIST_UNAVAILABLE DBL: refused (127.255.255.254' "$tmp/lists-live.txt"
check "lists: one warning for the refusing list" test "$(grep -c 'DNS list dbl.test-dnsbl.example refuses our queries' "$tmp/lists-live.err")" -eq 1
check "lists: no DNS outage seen" bash -c "! grep -q 'DNS looks unreachable' '$tmp/lists-live.err'"
"$vigie" scan --no-progress --format jsonl -c "$tmp/lists.toml" --dns-zone "$tmp/zone.yaml" "$tmp/lists" > "$tmp/lists-recorded.jsonl" 2> /dev/null
"$py" "$here/e2e.py" findings "$tmp/lists-recorded.jsonl" | grep -E 'DNSBL|DBL_|URIBL|DNS_LIST' | sort > "$tmp/lists-recorded.txt"
check "lists: live equals recorded" cmp -s "$tmp/lists-live.txt" "$tmp/lists-recorded.txt"
"$vigie" scan --no-progress --format jsonl --dns-server "$server" "$tmp/lists" > "$tmp/lists-off.jsonl" 2> /dev/null
check "lists: none configured, nothing asked" bash -c "! '$py' '$here/e2e.py' findings '$tmp/lists-off.jsonl' | grep -qE 'DNSBL|DBL_|URIBL|DNS_LIST'"
"$vigie" scan --no-progress --format jsonl -c "$tmp/lists.toml" "$tmp/lists" > "$tmp/lists-nodns.jsonl" 2> /dev/null
check "lists: without DNS, nothing asked" bash -c "! '$py' '$here/e2e.py' findings '$tmp/lists-nodns.jsonl' | grep -qE 'DNSBL|DBL_|URIBL|DNS_LIST'"

# 5d. An outage: a server on the loopback that never answers. vigie warns once on stderr and, after
# the start-up health check fails (300 ms), answers temperror without waiting: the 15 messages
# take well under a second of DNS instead of several lookups of 2 x 300 ms each.
"$py" -c '
import os, socket, sys, time
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind(("127.0.0.1", 0))
open(sys.argv[1] + ".tmp", "w").write(str(s.getsockname()[1]))
os.rename(sys.argv[1] + ".tmp", sys.argv[1])
time.sleep(30)
' "$tmp/silent.port" &
silent_pid=$!
for _ in $(seq 50); do [ -s "$tmp/silent.port" ] && break; sleep 0.1; done
silent_port=$(cat "$tmp/silent.port")
start=$(date +%s%N)
"$vigie" scan --no-progress -c "$tmp/fast.toml" --dns-server "127.0.0.1:$silent_port" "${envelope[@]}" "$tmp/messages/main" > "$tmp/outage.jsonl" 2> "$tmp/outage.err"
elapsed_ms=$(( ($(date +%s%N) - start) / 1000000 ))
kill "$silent_pid" 2>/dev/null; wait "$silent_pid" 2>/dev/null; silent_pid=
cat "$tmp/outage.err"
check "outage: one warning on stderr" test "$(grep -c 'DNS looks unreachable' "$tmp/outage.err")" -eq 1
check "outage: temperror, DNS unavailable" "$py" "$here/e2e.py" expect "$tmp/outage.jsonl" temperror "DNS unavailable"
check "outage: the verdict says authentication could not run" grep -q AUTH_TEMPORARY_ERROR "$tmp/outage.jsonl"
check "outage: no wait per message (${elapsed_ms} ms)" test "$elapsed_ms" -lt 3000

check "unbound still running" kill -0 "$unbound_pid"
echo "$passes passed, $failures failed"
test "$failures" -eq 0
