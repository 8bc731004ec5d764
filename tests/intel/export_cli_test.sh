#!/usr/bin/env bash
# End-to-end: sharing back. With the indicator store of intel_cli_test.sh (a STIX bundle, a MISP
# event and a list from tests/intel/data), `vigie scan --export stix` on the planted message
# writes a bundle whose every object validates against the OASIS STIX 2.1 JSON schemas and whose
# references all resolve (the partner's STIX indicators aside); a bundle broken on purpose fails
# the same validation. `--export misp --export-file` keeps the records on stdout and writes a MISP
# event that validates against the MISP core format's schema and MUST keys, with the sighting of
# the partner's MISP attributes. Then `vigie serve` records the planted message and a benign one
# in its event store, and `vigie intel export` shares the planted one alone, in a date range.
# Skips (77) when the conformance schemas (../shared/conformance beside the source) are absent.
# Usage: export_cli_test.sh VIGIE_BINARY SOURCE_DIR
set -u
vigie=$1
src=$2
data=$src/tests/intel/data
conformance=${VIGIE_CONFORMANCE_DIR:-$src/../shared/conformance}
schemas=$conformance/stix2/schemas
misp_spec=$conformance/misp/misp-core-format.md
if [ ! -d "$schemas" ]; then
  echo "SKIP: no STIX 2.1 schemas at $schemas"
  exit 77
fi
tmp=$(mktemp -d)
pid=
cleanup() {
  if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then kill -KILL "$pid" 2>/dev/null; fi
  [ -n "${VIGIE_KEEP_TMP:-}" ] || rm -rf "$tmp"
}
trap cleanup EXIT
. "$src/tests/lib/check.sh"
# Debian's python3-jsonschema (scripts/install-deps.sh) when the system Python has it.
py=python3
if /usr/bin/python3 -c 'import jsonschema' 2> /dev/null; then py=/usr/bin/python3; fi
validate="$py -W ignore::DeprecationWarning $src/tests/intel/validate_export.py"
store=$tmp/intel.sqlite
partner_stix=$(for n in 1 2 3 4 5 6; do printf 'indicator--00000000-0000-4000-8000-00000000000%s ' "$n"; done)

"$vigie" intel import cert-fr "$data/apt28-bundle.json" --store "$store" > /dev/null 2>&1
"$vigie" intel import partner "$data/partner-event.json" --store "$store" > /dev/null 2>&1
"$vigie" intel import lookalikes "$data/domains.txt" --type domain --store "$store" > /dev/null 2>&1
python3 "$src/tests/intel/planted_message.py" "$tmp/planted.eml"
cat "$src/config/ministere.example.toml" > "$tmp/vigie.toml"
printf '\n[analyzers.intelligence]\nstore = "%s"\n\n[export]\nproducer = "CERT ministère"\n' "$store" >> "$tmp/vigie.toml"

# --- STIX on stdout.
"$vigie" scan --no-progress --config "$tmp/vigie.toml" --export stix "$tmp/planted.eml" \
  > "$tmp/bundle.json" 2> "$tmp/stix.err"; rc=$?
check "scan --export stix (exit $rc)" test "$rc" -le 1
# shellcheck disable=SC2086
check "every object valid against the STIX 2.1 schemas, every ref resolved" \
  $validate stix "$schemas" "$tmp/bundle.json" $partner_stix
check "the bundle says what was seen" python3 - "$tmp/bundle.json" <<'PY'
import json, sys
b = json.load(open(sys.argv[1]))
objs = b["objects"]
by_type = {}
for o in objs:
    by_type.setdefault(o["type"], []).append(o)
ids = {o["id"]: o for o in objs}
assert [i["name"] for i in by_type["identity"]] == ["CERT ministère"], by_type["identity"]
assert [m["name"] for m in by_type["marking-definition"]] == ["TLP:AMBER"], by_type["marking-definition"]
sighted = {s["sighting_of_ref"] for s in by_type["sighting"]}
assert "indicator--00000000-0000-4000-8000-000000000001" in sighted, sighted
misp = [ids[r] for r in sighted if r in ids]
refs = {i["external_references"][0]["external_id"] for i in misp}
assert any(r.endswith("/5f0c3b2a-0000-4000-8000-000000000101") for r in refs), refs
assert any(r.endswith("/5f0c3b2a-0000-4000-8000-000000000102") for r in refs), refs
assert any(r.startswith("list:domains.txt:") for r in refs), refs
(message,) = by_type["email-message"]
assert message["subject"] == "Convocation entretien annuel" and ids[message["from_ref"]]["value"] == "rh@portail-rh-interieur.example"
hashes = {f["hashes"].get("SHA-256") for f in by_type["file"]}
assert "f5d5e6f6fd2dfb02a0e495fc733775dd745ccdf7c7fdea056ac11848ec16d890" in hashes, hashes
assert {"198.51.100.23"} <= {a["value"] for a in by_type["ipv4-addr"]}
derived = {i["pattern"] for i in by_type["indicator"] if "indicator_types" in i}
assert "[email-addr:value = 'rh@portail-rh-interieur.example']" in derived, derived
assert "[file:hashes.'SHA-256' = 'f5d5e6f6fd2dfb02a0e495fc733775dd745ccdf7c7fdea056ac11848ec16d890']" in derived, derived
assert any(p.startswith("[url:value = 'https://files-partage.example/kit/") for p in derived), derived
(observed,) = by_type["observed-data"]
assert all(r in ids for r in observed["object_refs"])
PY
check "the summary says how many were exported" grep -q "exported 1 detection as stix (TLP:AMBER)" "$tmp/stix.err"

# The validation can fail: one object broken (a sighting counted -1, a dangling ref).
python3 - "$tmp/bundle.json" "$tmp/broken.json" <<'PY'
import json, sys
b = json.load(open(sys.argv[1]))
s = next(o for o in b["objects"] if o["type"] == "sighting")
s["count"] = -1
b["objects"].append({"type": "domain-name", "spec_version": "2.1", "id": "domain-name--not-a-uuid", "value": "x.example"})
json.dump(b, open(sys.argv[2], "w"))
PY
# shellcheck disable=SC2086
$validate stix "$schemas" "$tmp/broken.json" $partner_stix > "$tmp/broken.out"; rc=$?
check "a broken bundle fails the validation (exit $rc)" test "$rc" -eq 1
check "the broken sighting is named" grep -q "^sighting--.*-1 is less than the minimum" "$tmp/broken.out"
check "the broken id is named" grep -q "^domain-name--not-a-uuid" "$tmp/broken.out"

# --- MISP beside the records.
"$vigie" scan --quiet --no-progress --config "$tmp/vigie.toml" --export misp --export-file "$tmp/event.json" \
  --tlp green "$tmp/planted.eml" > "$tmp/records.json"; rc=$?
check "scan --export misp --export-file (exit $rc)" test "$rc" -le 1
check "the records still on stdout" python3 -c 'import json,sys; assert json.load(open(sys.argv[1]))["verdict"]' "$tmp/records.json"
check "the MISP event is valid" $validate misp "$misp_spec" "$tmp/event.json"
check "the MISP event says what was seen" python3 - "$tmp/event.json" <<'PY'
import json, sys
e = json.load(open(sys.argv[1]))["Event"]
assert e["Tag"] == [{"name": "tlp:green"}] and e["distribution"] == "2", (e["Tag"], e["distribution"])
assert e["Orgc"]["name"] == "CERT ministère"
attrs = {(a["type"], a["value"]): a for a in e["Attribute"]}
hop = attrs[("ip-src", "198.51.100.23")]
assert hop["to_ids"] and hop["Sighting"][0]["uuid"] == "5f0c3b2a-0000-4000-8000-000000000101", hop
assert attrs[("email-src", "rh@portail-rh-interieur.example")]["to_ids"]
assert attrs[("email-subject", "Convocation entretien annuel")]["to_ids"] is False
assert attrs[("sha256", "f5d5e6f6fd2dfb02a0e495fc733775dd745ccdf7c7fdea056ac11848ec16d890")]["to_ids"]
assert ("filename", "Convocation.exe") in attrs
PY
python3 - "$tmp/event.json" "$tmp/broken-event.json" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
d["Event"]["Attribute"][0]["colour"] = "red"  # not a key of the format
del d["Event"]["Attribute"][1]["to_ids"]
json.dump(d, open(sys.argv[2], "w"))
PY
$validate misp "$misp_spec" "$tmp/broken-event.json" > "$tmp/broken-event.out"; rc=$?
check "a broken MISP event fails the validation (exit $rc)" test "$rc" -eq 1
check "the unknown key is named" \
  grep -q "Additional properties are not allowed ('colour'" "$tmp/broken-event.out"
check "the missing to_ids is named" grep -q "no to_ids" "$tmp/broken-event.out"
"$vigie" scan --quiet --no-progress --export-file "$tmp/x.json" "$tmp/planted.eml" > /dev/null 2>&1; rc=$?
check "--export-file without --export is refused (exit $rc)" test "$rc" -eq 2

# --- The service records; vigie intel export shares.
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
printf '\n[events]\npath = "%s"\n' "$tmp/events.sqlite" >> "$tmp/vigie.toml"
"$vigie" serve --config "$tmp/vigie.toml" --http "127.0.0.1:$port" 2> "$tmp/serve.log" &
pid=$!
deadline=$((SECONDS + 60))
until curl -sf "http://127.0.0.1:$port/health" > /dev/null; do
  [ "$SECONDS" -ge "$deadline" ] && break
  sleep 0.1
done
for message in "$tmp/planted.eml" "$src/examples/benign.eml"; do
  curl -sf -o /dev/null --max-time 30 -H 'Content-Type: message/rfc822' --data-binary "@$message" \
    "http://127.0.0.1:$port/scan" || echo "FAIL: POST $message"
done
kill -TERM "$pid"
deadline=$((SECONDS + 60))
while kill -0 "$pid" 2>/dev/null && [ "$SECONDS" -lt "$deadline" ]; do sleep 0.1; done
wait "$pid"; rc=$?
check "the service stopped (exit $rc)" test "$rc" -eq 0
pid=
check "two events, one with its detection record" python3 - "$tmp/events.sqlite" <<'PY'
import sqlite3, sys
rows = sqlite3.connect(sys.argv[1]).execute("SELECT action, export_record IS NOT NULL FROM events").fetchall()
assert sorted(r[1] for r in rows) == [0, 1], rows
PY
today=$(date -u +%Y-%m-%d)
"$vigie" intel export --config "$tmp/vigie.toml" --since "$today" --until "$today" -o "$tmp/recorded.json" \
  2> "$tmp/export.err"; rc=$?
check "intel export (exit $rc)" test "$rc" -eq 0
check "intel export: one detection" grep -q "exported 1 detection as stix" "$tmp/export.err"
# shellcheck disable=SC2086
check "the recorded detection's bundle is valid" $validate stix "$schemas" "$tmp/recorded.json" $partner_stix
check "the recorded detection is the planted message" python3 -c '
import json, sys
b = json.load(open(sys.argv[1]))
assert any(o["type"] == "email-message" and o["subject"] == "Convocation entretien annuel" for o in b["objects"])
assert any(o["type"] == "sighting" for o in b["objects"])' "$tmp/recorded.json"
"$vigie" intel export --events "$tmp/events.sqlite" --format misp --until 2000-01-01 -o "$tmp/none.json" 2> "$tmp/none.err"
check "nothing before 2000" grep -q "exported 0 detections as misp" "$tmp/none.err"
"$vigie" intel export --events "$tmp/events.sqlite" --since yesterday > /dev/null 2>&1; rc=$?
check "a date that is not one is refused (exit $rc)" test "$rc" -eq 2

echo "export: $passes passed, $failures failed"
[ "$failures" -eq 0 ]
