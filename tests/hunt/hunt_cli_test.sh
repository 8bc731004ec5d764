#!/usr/bin/env bash
# End-to-end: `vigie hunt` over an archive folder built here (an mbox, a Maildir, a directory of
# .eml) planted with indicators of a STIX bundle and a MISP event written here: a sender, a URL in an
# mboxrd-escaped message, the hash of an attachment, and the hash of a file inside a zip attached
# to a forwarded message (message/rfc822) attached to the mail: attachments of attachments. Checks
# the summary tables, the JSON lines (location, Message-ID, date, recipients, sightings), that clean
# messages and an indicator expired before delivery are not reported, that an indicator valid at
# delivery but expired since is, that a message over the size limit is counted and named, and that
# a feed that gives nothing stops the hunt before it starts.
# Usage: hunt_cli_test.sh VIGIE_BINARY SOURCE_DIR
set -u
vigie=$1
src=$2
tmp=$(mktemp -d)
trap '[ -n "${VIGIE_KEEP_TMP:-}" ] || rm -rf "$tmp"' EXIT
. "$src/tests/lib/check.sh"
archive=$tmp/archive
mkdir -p "$archive/mail/cur" "$archive/mail/new" "$archive/mail/tmp" "$archive/eml/2026"

python3 - "$tmp" <<'PY'
import base64, email.utils, hashlib, io, json, sys, zipfile
tmp = sys.argv[1]
archive = tmp + "/archive"

def b64(data):
    return base64.encodebytes(data).decode()

def message(sender, to, subject, date, msgid, body, attachments=()):
    parts = ["From: %s\nTo: %s\nSubject: %s\nDate: %s\nMessage-ID: <%s>\nMIME-Version: 1.0\n"
             % (sender, to, subject, date, msgid)]
    if not attachments:
        return parts[0] + "Content-Type: text/plain; charset=utf-8\n\n" + body
    text = parts[0] + "Content-Type: multipart/mixed; boundary=outer\n\n--outer\nContent-Type: text/plain\n\n" + body + "\n"
    for content_type, name, payload in attachments:
        if content_type == "message/rfc822":
            text += "--outer\nContent-Type: message/rfc822\nContent-Disposition: attachment; filename=%s\n\n%s\n" % (name, payload)
        else:
            text += ("--outer\nContent-Type: %s; name=%s\nContent-Disposition: attachment; filename=%s\n"
                     "Content-Transfer-Encoding: base64\n\n%s" % (content_type, name, name, b64(payload)))
    return text + "--outer--\n"

dropper = b"MZ\x90\x00 vigie hunt test: attachment, not a program\n"
inner = b"MZ\x90\x00 vigie hunt test: inside the zip inside the forwarded message\n"
zipped = io.BytesIO()
with zipfile.ZipFile(zipped, "w") as z:
    z.writestr("facture.exe", inner)
forwarded = message("Comptabilité <compta@fournisseur.example>", "chef@ministere.gouv.fr", "Facture",
                    "Mon, 2 Mar 2026 08:00:00 +0000", "inner@test", "Voir la facture jointe.",
                    [("application/zip", "facture.zip", zipped.getvalue())])

# The mbox: a planted sender, a clean message, and a URL in a message whose body holds lines the
# mboxrd writer escaped (">From ", ">>From ").
with open(archive + "/box.mbox", "w") as f:
    f.write("From rh@portail-rh.example Mon Mar  2 09:00:00 2026\n")
    f.write(message("RH <rh@portail-rh.example>", "agent@ministere.gouv.fr", "Entretien annuel",
                    "Mon, 2 Mar 2026 09:00:00 +0000", "sender@test", "Merci de confirmer.") + "\n\n")
    f.write("From collegue@ministere.gouv.fr Mon Mar  2 10:00:00 2026\n")
    f.write(message("Collègue <collegue@ministere.gouv.fr>", "agent@ministere.gouv.fr", "Réunion",
                    "Mon, 2 Mar 2026 10:00:00 +0000", "clean1@test", "À demain.\n>From here on, rien.") + "\n\n")
    f.write("From partage@files.example Tue Mar  3 11:00:00 2026\n")
    f.write(message("Partage <partage@files.example>", "agent@ministere.gouv.fr, directeur@ministere.gouv.fr",
                    "Document partagé", "Tue, 3 Mar 2026 11:00:00 +0000", "url@test",
                    ">From the team:\n>>From ops\nOuvrir https://files.example/kit/login.php?id=4") + "\n\n")
    # A domain whose indicator expired before this message was delivered: not a match.
    f.write("From old@expired.example Tue Mar  3 12:00:00 2026\n")
    f.write(message("Old <old@expired.example>", "agent@ministere.gouv.fr", "Ancien",
                    "Tue, 3 Mar 2026 12:00:00 +0000", "expired@test", "Rien.") + "\n")

# The Maildir: the attachment's hash.
with open(archive + "/mail/cur/1700000000.1.host:2,S", "w") as f:
    f.write(message("Support <support@partner.example>", "agent@ministere.gouv.fr", "Mise à jour",
                    "Wed, 4 Mar 2026 09:30:00 +0100", "attachment@test", "Installer la mise à jour.",
                    [("application/octet-stream", "update.exe", dropper)]))
with open(archive + "/mail/new/1700000001.2.host", "w") as f:
    f.write(message("Collègue <collegue@ministere.gouv.fr>", "agent@ministere.gouv.fr", "Déjeuner",
                    "Wed, 4 Mar 2026 12:00:00 +0100", "clean2@test", "Midi ?"))
# The directory of .eml, in a subfolder: the forwarded message with the zip.
with open(archive + "/eml/2026/forward.eml", "w") as f:
    f.write(message("Assistante <assistante@ministere.gouv.fr>", "directeur@ministere.gouv.fr",
                    "Tr: Facture", "Thu, 5 Mar 2026 14:00:00 +0000", "forward@test", "Pour info.",
                    [("message/rfc822", "facture.eml", forwarded)]))
with open(archive + "/eml/clean.eml", "w") as f:
    f.write(message("Collègue <collegue@ministere.gouv.fr>", "agent@ministere.gouv.fr", "Compte rendu",
                    "Thu, 5 Mar 2026 16:00:00 +0000", "clean3@test", "Ci-joint le compte rendu."))

def indicator(n, pattern, valid_until=None, name=None):
    i = {"type": "indicator", "spec_version": "2.1", "id": "indicator--00000000-0000-4000-8000-00000000000%d" % n,
         "created": "2026-01-01T00:00:00Z", "modified": "2026-01-01T00:00:00Z", "pattern_type": "stix",
         "pattern": pattern, "valid_from": "2026-01-01T00:00:00Z", "confidence": 90}
    if valid_until:
        i["valid_until"] = valid_until
    if name:
        i["name"] = name
    return i

bundle = {"type": "bundle", "id": "bundle--00000000-0000-4000-8000-000000000000", "objects": [
    # Expired since (June 2026) but valid when the message was delivered (March 2026).
    indicator(1, "[email-addr:value = 'rh@portail-rh.example']", "2026-06-01T00:00:00Z", "Faux service RH"),
    indicator(2, "[url:value = 'https://files.example/kit/login.php?id=4']"),
    indicator(3, "[file:hashes.'SHA-256' = '%s']" % hashlib.sha256(dropper).hexdigest()),
    indicator(4, "[file:hashes.'SHA-256' = '%s']" % hashlib.sha256(inner).hexdigest(), name="Dropper facture"),
    indicator(5, "[domain-name:value = 'expired.example']", "2026-02-01T00:00:00Z"),
    indicator(6, "[this is not a pattern"),
]}
json.dump(bundle, open(tmp + "/campaign.json", "w"))
open(tmp + "/inner.sha256", "w").write(hashlib.sha256(inner).hexdigest())
PY

"$vigie" hunt --no-progress --intel "$tmp/campaign.json" --jobs 2 --output jsonl "$tmp/hits.jsonl" "$archive" \
  > "$tmp/summary.txt" 2> "$tmp/stderr.txt"; rc=$?
check "hunt runs (exit $rc)" test "$rc" -eq 0
check "the feed is reported with its broken indicator before the hunt" \
  grep -q "campaign.json (stix): 5 indicators, 1 not taken" "$tmp/stderr.txt"
check "the broken pattern is named" grep -q "indicator--00000000-0000-4000-8000-000000000006" "$tmp/stderr.txt"
check "summary: 8 messages in 5 files" grep -q "Retro-hunt: 8 messages in 5 files" "$tmp/summary.txt"
check "summary: 4 messages matched 4 indicators" grep -q "^4 messages matched 4 indicators." "$tmp/summary.txt"
check "summary: by recipient" grep -Eq "^ +2  directeur@ministere.gouv.fr$" "$tmp/summary.txt"
check "summary: by indicator" \
  grep -Eq "^ +1  indicator--00000000-0000-4000-8000-000000000004 \(campaign.json\) sha256 " "$tmp/summary.txt"
check "summary: by day" grep -Eq "^ +1  2026-03-05$" "$tmp/summary.txt"
check "JSON lines: the planted messages and nothing else" python3 - "$tmp/hits.jsonl" "$archive" "$(cat "$tmp/inner.sha256")" <<'PY'
import json, sys
records = [json.loads(line) for line in open(sys.argv[1])]
archive, inner = sys.argv[2], sys.argv[3]
by_id = {r["message_id"]: r for r in records}
assert sorted(by_id) == ["attachment@test", "forward@test", "sender@test", "url@test"], sorted(by_id)
sender = by_id["sender@test"]
assert sender["file"] == archive + "/box.mbox" and sender["mbox_index"] == 1 and sender["mbox_offset"] == 0, sender
assert sender["date"] == "2026-03-02T09:00:00Z" and sender["from"] == ["rh@portail-rh.example"], sender
assert sender["recipients"] == ["agent@ministere.gouv.fr"], sender
s = sender["sightings"][0]
assert s["indicator"].endswith("0001") and s["source"] == "campaign.json" and s["name"] == "Faux service RH", s
url = by_id["url@test"]
assert url["mbox_index"] == 3 and url["mbox_offset"] > 0, url
assert open(url["file"], "rb").read()[url["mbox_offset"]:].startswith(b"From partage@files.example"), url
assert url["recipients"] == ["agent@ministere.gouv.fr", "directeur@ministere.gouv.fr"], url
assert any(s["type"] == "url" and s["indicator"].endswith("0002") for s in url["sightings"]), url
attached = by_id["attachment@test"]
assert "/mail/cur/" in attached["file"] and "mbox_index" not in attached, attached
assert any(s["indicator"].endswith("0003") and "update.exe" in s["where"] for s in attached["sightings"]), attached
forward = by_id["forward@test"]
deep = [s for s in forward["sightings"] if s["indicator"].endswith("0004")]
assert deep and deep[0]["observed"] == inner, forward
# The place says the whole way down: the forwarded message, its zip, the file inside.
assert "facture.zip" in deep[0]["where"] and "facture.exe" in deep[0]["where"], deep[0]["where"]
PY

# A message over the size limit is counted and named, not dropped.
cat "$src/config/ministere.example.toml" > "$tmp/small.toml"
printf '\n[limits]\nmax_message_bytes = 4096\n' >> "$tmp/small.toml"
if grep -q '^\[limits\]' "$src/config/ministere.example.toml"; then
  python3 - "$tmp/small.toml" <<'PY'
import re, sys
text = open(sys.argv[1]).read()
text = text.replace("\n[limits]\nmax_message_bytes = 4096\n", "")
text = re.sub(r"(?m)^max_message_bytes *=.*\n", "", text)
text = re.sub(r"(?m)^\[limits\]\n", "[limits]\nmax_message_bytes = 4096\n", text, count=1)
open(sys.argv[1], "w").write(text)
PY
fi
python3 - "$tmp/big.mbox" <<'PY'
import sys
with open(sys.argv[1], "w") as f:
    f.write("From a@example.org Mon Mar  2 09:00:00 2026\nFrom: a@example.org\nSubject: big\n\n" + "x" * 100 + "\n" * 100)
    f.write("x" * 10000 + "\n\n")
    f.write("From b@example.org Mon Mar  2 09:00:00 2026\nFrom: rh@portail-rh.example\nSubject: small\n\nok\n")
PY
"$vigie" hunt --no-progress --config "$tmp/small.toml" --intel "$tmp/campaign.json" "$tmp/big.mbox" \
  > "$tmp/big.txt" 2> "$tmp/big.err"; rc=$?
check "hunt with a message over the limit (exit $rc)" test "$rc" -eq 0
check "the message over the limit is counted and named" \
  grep -q "^1 message over the size limit" "$tmp/big.txt"
check "... by its place in the mbox" grep -q "big.mbox:1$" "$tmp/big.txt"
check "the message after it is still hunted" grep -q "^1 message matched 1 indicator." "$tmp/big.txt"

# A feed that gives nothing stops the hunt before it starts.
printf '{"type": "bundle", "objects": [' > "$tmp/broken.json"
"$vigie" hunt --no-progress --intel "$tmp/campaign.json" --intel "$tmp/broken.json" "$archive" \
  > "$tmp/broken.out" 2> "$tmp/broken.err"; rc=$?
check "a broken feed is an error (exit $rc)" test "$rc" -eq 2
check "... named" grep -q "broken.json" "$tmp/broken.err"
check "... before any message is scanned" test ! -s "$tmp/broken.out"
"$vigie" hunt --no-progress --intel "$tmp/campaign.json" --output stix "$tmp/out.json" "$archive" \
  > /dev/null 2> "$tmp/stix.err"; rc=$?
check "--output stix writes a bundle (exit $rc)" test "$rc" -eq 0
check "the bundle has a sighting of each matched partner indicator, dated at delivery" python3 -c '
import json, sys
b = json.load(open(sys.argv[1]))
assert b["type"] == "bundle", b
sightings = [o for o in b["objects"] if o["type"] == "sighting"]
refs = {o["sighting_of_ref"] for o in sightings}
assert {"indicator--00000000-0000-4000-8000-000000000001", "indicator--00000000-0000-4000-8000-000000000003"} <= refs, refs
seen = [o["first_seen"] for o in sightings if o["sighting_of_ref"].endswith("0001")]
assert seen and all(t.startswith("2026-03") for t in seen), seen' "$tmp/out.json"
schemas=${VIGIE_CONFORMANCE_DIR:-$src/../shared/conformance}/stix2/schemas
if [ -d "$schemas" ] && /usr/bin/python3 -c 'import jsonschema' 2> /dev/null; then
  # shellcheck disable=SC2046
  check "the hunt's bundle is valid against the STIX 2.1 schemas" /usr/bin/python3 -W ignore::DeprecationWarning \
    "$src/tests/intel/validate_export.py" stix "$schemas" "$tmp/out.json" \
    $(for n in 1 2 3 4 5 6 7 8 9; do printf 'indicator--00000000-0000-4000-8000-00000000000%s ' "$n"; done)
fi
# The site's store alone, then with a new feed added to a private copy of it.
"$vigie" intel import campaign "$tmp/campaign.json" --store "$tmp/site.sqlite" > /dev/null 2>&1
"$vigie" hunt --no-progress --store "$tmp/site.sqlite" "$archive" > "$tmp/store.txt" 2> /dev/null; rc=$?
check "hunt with --store (exit $rc)" test "$rc" -eq 0
check "... finds what the feed found" grep -q "^4 messages matched 4 indicators." "$tmp/store.txt"
printf 'collegue@ministere.gouv.fr\n' > "$tmp/colleague.txt"
cp "$tmp/site.sqlite" "$tmp/site-before.sqlite"
"$vigie" hunt --no-progress --store "$tmp/site.sqlite" --intel "$tmp/colleague.txt" --intel-type email-address \
  "$archive" > "$tmp/both.txt" 2> "$tmp/both.err"; rc=$?
check "hunt with --store and --intel (exit $rc)" test "$rc" -eq 0
check "... says it hunts with both" grep -q "hunting with 6 indicators from 2 feeds (1 of them from --store)" "$tmp/both.err"
check "... and matches both: the store's 4 messages and the 3 from the colleague" \
  grep -q "^7 messages matched 5 indicators." "$tmp/both.txt"
check "... leaving the site's store as it was" cmp -s "$tmp/site.sqlite" "$tmp/site-before.sqlite"
"$vigie" hunt --no-progress --store "$tmp/absent.sqlite" --intel "$tmp/colleague.txt" --intel-type email-address \
  "$archive" > /dev/null 2> "$tmp/absent.err"; rc=$?
check "a missing --store is an error with --intel too (exit $rc)" test "$rc" -eq 2
check "... named" grep -q "absent.sqlite" "$tmp/absent.err"
check "no temporary store is left behind" test -z "$(find "${TMPDIR:-/tmp}" -maxdepth 1 -name 'vigie-hunt-*' -user "$(id -u)" -newer "$tmp/campaign.json" 2>/dev/null)"

echo "hunt: $passes passed, $failures failed"
[ "$failures" -eq 0 ]
