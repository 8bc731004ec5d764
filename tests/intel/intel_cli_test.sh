#!/usr/bin/env bash
# End-to-end: `vigie intel` fills an indicator store from a STIX 2.1 bundle, a MISP event and a
# plain list (tests/intel/data, written for this test), and `vigie scan` with that store matches a
# message planted with the indicators: the sender, a Received hop, a link by URL prefix, the
# subject by a STIX LIKE pattern, and the hash of a file inside a zip attached to the message. A
# broken feed leaves the store as it was; a removed feed no longer matches. The indicators linked
# to APT28 put it first among the verdict's attribution hints, with high confidence.
# Usage: intel_cli_test.sh VIGIE_BINARY SOURCE_DIR
set -u
vigie=$1
src=$2
data=$src/tests/intel/data
tmp=$(mktemp -d)
trap '[ -n "${VIGIE_KEEP_TMP:-}" ] || rm -rf "$tmp"' EXIT
. "$src/tests/lib/check.sh"
store=$tmp/intel.sqlite

"$vigie" intel import cert-fr "$data/apt28-bundle.json" --store "$store" > "$tmp/stix.out" 2>&1; rc=$?
check "STIX bundle imported (exit $rc)" test "$rc" -eq 0
check "STIX: 5 indicators taken (the revoked one is kept, marked)" grep -q "5 indicators imported, 1 not taken" "$tmp/stix.out"
check "STIX: the broken pattern is named with its indicator" grep -q "indicator--00000000-0000-4000-8000-000000000005" "$tmp/stix.out"
"$vigie" intel import partner "$data/partner-event.json" --store "$store" > "$tmp/misp.out" 2>&1; rc=$?
check "MISP event imported (exit $rc)" test "$rc" -eq 0
check "MISP: 2 indicators, the bad IP not taken" grep -q "2 indicators imported, 1 not taken" "$tmp/misp.out"
check "MISP: to_ids false and other types counted" grep -q "not for detection" "$tmp/misp.out"
"$vigie" intel import lookalikes "$data/domains.txt" --type domain --store "$store" > "$tmp/list.out" 2>&1; rc=$?
check "list imported (exit $rc)" test "$rc" -eq 0
check "list: the bad line is named" grep -q "domains.txt:4" "$tmp/list.out"
printf '[limits]\nintel_max_list_bytes = 10\n' > "$tmp/small.toml"
"$vigie" intel import small "$data/domains.txt" --type domain --store "$store" --config "$tmp/small.toml" > "$tmp/small.out" 2>&1; rc=$?
check "[limits] intel_max_list_bytes refuses a larger list (exit $rc)" test "$rc" -ne 0
check "the refusal names the limit or the size" grep -qi "larger\|limit\|bytes" "$tmp/small.out"
"$vigie" intel import nolist "$data/domains.txt" --store "$store" > "$tmp/notype.out" 2>&1; rc=$?
check "a plain list without --type is refused (exit $rc)" test "$rc" -eq 2

"$vigie" intel stats --json --store "$store" > "$tmp/stats.json"
check "stats: 3 feeds, 9 indicators" python3 -c '
import json, sys
s = json.load(open(sys.argv[1]))
assert s["feeds"] == 3 and s["indicators"] == 9, s' "$tmp/stats.json"
before=$(cat "$tmp/stats.json")

# A broken feed changes nothing.
printf '{"type": "bundle", "objects": [' > "$tmp/broken.json"
"$vigie" intel import cert-fr "$tmp/broken.json" --format stix --store "$store" > "$tmp/broken.out" 2>&1; rc=$?
check "a bundle that is not JSON is refused (exit $rc)" test "$rc" -ne 0
check "the refusal says the store is unchanged" grep -q "unchanged" "$tmp/broken.out"
"$vigie" intel stats --json --store "$store" > "$tmp/stats2.json"
check "the store is unchanged after the broken import" test "$(cat "$tmp/stats2.json")" = "$before"

# The planted message: the sender and subject of the lure, a hop from the partner's IP, a link
# under the kit folder, and a zip holding the dropper.
python3 "$src/tests/intel/planted_message.py" "$tmp/planted.eml"
cat "$src/config/ministere.example.toml" > "$tmp/vigie.toml"
printf '\n[analyzers.intelligence]\nstore = "%s"\n' "$store" >> "$tmp/vigie.toml"
"$vigie" scan --quiet --no-progress --config "$tmp/vigie.toml" "$tmp/planted.eml" > "$tmp/scan.json"; rc=$?
check "scan with the store (exit $rc)" test "$rc" -le 1
check "INTEL_MATCH with every planted observable" python3 -c '
import json, sys
r = json.load(open(sys.argv[1]))
f = next(f for f in r["findings"] if f["id"] == "INTEL_MATCH")
text = "\n".join(e["field"] + " | " + e["what"] for e in f["evidence"])
for expected in ("header:From | email-address rh@portail-rh-interieur.example matches indicator misp:",
                 "domain portail-rh-interieur.example matches indicator indicator--00000000-0000-4000-8000-000000000001",
                 "TLP:AMBER; indicates intrusion-set APT28",
                 "header:Received | ipv4 198.51.100.23 matches indicator misp:",
                 "URL prefix https://files-partage.example/kit/",
                 "sha256 | sha256 f5d5e6f6fd2dfb02a0e495fc733775dd745ccdf7c7fdea056ac11848ec16d890 matches",
                 "list:domains.txt:2",
                 "stix-pattern | the message satisfies the STIX pattern [email-message:subject LIKE"):
    assert expected in text, (expected, text)
assert f["confidence"] == 0.95, f["confidence"]
hashed = [e for e in f["evidence"] if e["field"] == "sha256"][0]
assert "Convocation.exe" in hashed["where"], hashed
assert r["verdict"]["action"] in ("quarantine", "reject"), r["verdict"]' "$tmp/scan.json"
check "the sightings name the indicators and the set, and the verdict points at APT28 with high confidence" python3 -c '
import json, sys
r = json.load(open(sys.argv[1]))
f = next(f for f in r["findings"] if f["id"] == "INTEL_MATCH")
linked = [s for s in f["sightings"] if any(l["name"] == "APT28" for l in s["indicates"])]
assert any(s["indicator"].startswith("indicator--") for s in linked) and any(s["indicator"].startswith("misp:") for s in linked), f["sightings"]
assert all(s["source"] and s["type"] and s["matched"] for s in f["sightings"]), f["sightings"]
top = r["verdict"]["attribution"][0]
assert (top["id"], top["name"], top["confidence"]) == ("G0007", "APT28", "high"), top
assert any(e["strong"] and e["named_as"] == "APT28" for e in top["intelligence"]), top' "$tmp/scan.json"
"$vigie" scan --quiet --no-progress --format text --explain --config "$tmp/vigie.toml" "$tmp/planted.eml" > "$tmp/scan.txt"
check "the text output shows the hint and its evidence" grep -q "attribution: *APT28 (G0007): high" "$tmp/scan.txt"
check "with --explain, the text output names the indicator behind it" grep -q "intelligence: indicator--.*, via APT28 (strong)" "$tmp/scan.txt"

"$vigie" intel remove cert-fr --store "$store" > /dev/null; rc=$?
check "remove a feed (exit $rc)" test "$rc" -eq 0
"$vigie" intel remove cert-fr --store "$store" > /dev/null 2>&1; rc=$?
check "remove it again: exit 2" test "$rc" -eq 2
"$vigie" intel list --store "$store" > "$tmp/list.txt"
check "list: the two feeds left" test "$(grep -c 'indicators' "$tmp/list.txt")" = 2
"$vigie" scan --quiet --no-progress --config "$tmp/vigie.toml" "$tmp/planted.eml" > "$tmp/scan2.json"
check "without the STIX feed its indicators no longer match" python3 -c '
import json, sys
r = json.load(open(sys.argv[1]))
f = next(f for f in r["findings"] if f["id"] == "INTEL_MATCH")
assert not any("indicator--" in e["what"] for e in f["evidence"]), f["evidence"]' "$tmp/scan2.json"

echo "intel: $passes passed, $failures failed"
[ "$failures" -eq 0 ]
