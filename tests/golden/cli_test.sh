#!/usr/bin/env bash
# End-to-end: the vigie binary on the bundled examples. Checks output fields, verdicts, exit codes
# and error messages the way an operator would see them.
# Usage: cli_test.sh VIGIE_BINARY SOURCE_DIR
set -u
vigie=$1
src=$2
examples=$src/examples
tmp=$(mktemp -d)
trap '[ -n "${VIGIE_KEEP_TMP:-}" ] || rm -rf "$tmp"' EXIT
. "$src/tests/lib/check.sh"
py() { python3 -c "$1" "${@:2}"; }

# scan: one JSON object per message, in path order, with the documented fields.
"$vigie" scan --no-progress "$examples" > "$tmp/scan.jsonl"; rc=$?
check "scan exits 0" test "$rc" -eq 0
check "scan emits one line per example" test "$(wc -l < "$tmp/scan.jsonl")" -eq "$(ls "$examples" | wc -l)"
check "scan fields and verdicts" py '
import json, sys
rows = {r["file"].rsplit("/", 1)[-1]: r for r in map(json.loads, open(sys.argv[1]))}
for r in rows.values():
    for k in ("file", "message_id", "from", "subject", "parse", "findings", "verdict", "elapsed_us"):
        assert k in r, (k, r["file"])
    assert set(r["parse"]) >= {"parts", "anomalies"}
    assert set(r["verdict"]) >= {"action", "score"}
b = rows["benign.eml"]
assert b["verdict"]["action"] == "accept" and b["findings"] == [], b
assert b["subject"] == "Réunion du comité de pilotage — jeudi", b["subject"]
s = rows["spear-phishing-ministry.eml"]
ids = {f["id"] for f in s["findings"]}
assert {"MULTIPLE_FROM", "ENCODED_WORD_ADDRESS_TRICK", "BOUNDARY_TRICK"} <= ids, ids
assert s["verdict"]["action"] in ("quarantine", "reject"), s["verdict"]
assert all(f["explanation"]["fr"] and f["explanation"]["en"] for f in s["findings"])
assert "T1566" in next(f for f in s["findings"] if f["id"] == "MULTIPLE_FROM")["attack"]
assert s["verdict"]["reasons"] and s["verdict"]["banner"]["fr"].startswith("Danger"), s["verdict"]
assert b["verdict"]["banner"] == {"en": "", "fr": ""}, b["verdict"]
assert set(b["auth"]) == {"spf", "dkim", "dmarc", "arc", "authentication_results"}, b["auth"]
assert b["auth"]["authentication_results"] == "vigie; none", b["auth"]
m = rows["malformed.eml"]
assert "MALFORMED_STRUCTURE" in {f["id"] for f in m["findings"]}, m["findings"]
# Every finding names its group; the verdict lists the groups, each counting at most its cap,
# and the score is what the groups counted.
assert all(f["group"] for r in rows.values() for f in r["findings"])
g = {x["group"]: x for x in s["verdict"]["groups"]}
assert {f["group"] for f in s["findings"]} == set(g), (g, s["findings"])
assert all(set(x) == {"group", "score", "uncapped", "max_score"} for x in g.values()), g
assert all(x["score"] <= x["max_score"] + 1e-9 for x in g.values() if x["max_score"] is not None), g
assert abs(sum(x["score"] for x in g.values()) - s["verdict"]["score"]) < 1e-6, s["verdict"]
assert g["sender_identity"]["uncapped"] > g["sender_identity"]["score"], g  # two address tricks, capped
assert b["verdict"]["groups"] == [], b["verdict"]
' "$tmp/scan.jsonl"

# parse --json: attachment name (RFC 2231 continuations, UTF-8), hashes, URLs.
"$vigie" parse --json "$examples/attachment.eml" > "$tmp/parse.json"
check "parse --json attachment" py '
import json, sys, hashlib
p = json.load(open(sys.argv[1]))
att = [x for x in p["parts"] if x.get("filename")]
assert len(att) == 1, att
a = att[0]
assert a["filename"] == "Ordre du jour — réunion.pdf", a["filename"]
assert a["type"] == "application/pdf" and a["encoding"] == "base64"
assert len(a["sha256"]) == 64 and a["size"] > 100
assert p["from"][0]["address"] == "jp.dupont@partenaire-exemple.eu"
assert p["received"][0]["ip"] == "198.51.100.14", p["received"]
assert "Château" in p["text"][0]["text"], p["text"]
' "$tmp/parse.json"

"$vigie" parse --json "$examples/spear-phishing-ministry.eml" > "$tmp/spear.json"
check "parse --json HTML facts" py '
import json, sys
p = json.load(open(sys.argv[1]))
hosts = {u.get("host") for u in p["urls"]}
assert "interieur-gouv.fr.cabinet-ministre.info" in hosts, hosts
assert "webhook.example.net" in hosts, hosts
h = p["html"][0]
assert h["forms"][0]["password"] is True
assert any(x["reason"] for x in h["hidden"]), h["hidden"]
assert "nested_boundary_prefix" in {a["kind"] for a in p["anomalies"]}
' "$tmp/spear.json"

# stdin, text format, French explanations, parallel jobs give the same records.
"$vigie" scan --format text --lang fr - < "$examples/spear-phishing-ministry.eml" > "$tmp/text.txt"
check "text format in French" grep -q "plusieurs en-têtes From" "$tmp/text.txt"
check "text format verdict line" grep -qE "^  verdict :          (QUARANTINE|REJECT)" "$tmp/text.txt"
check "text format: one line per finding" test "$(grep -c '^      ' "$tmp/text.txt")" -eq 0
check "text format: reader banner" grep -q "^  bannière :         Danger :" "$tmp/text.txt"
check "text format: French subject label" grep -q "^  objet :            " "$tmp/text.txt"
check "text format: French auth label" grep -q "^  authentification : spf=" "$tmp/text.txt"
check "text format: no English label left" bash -c '! grep -nE "^  (verdict|files|from|subject|auth|parts|banner):" "$1"' _ "$tmp/text.txt"
"$vigie" scan --format text --explain "$examples/spear-phishing-ministry.eml" > "$tmp/explain.txt"
check "--explain shows the header in context" \
  grep -q "in From: Cabinet du ministre <cabinet@interieur.gouv.fr> <secretariat@" "$tmp/explain.txt"
check "--explain shows the groups and their caps" \
  grep -qE "^    sender_identity: [0-9.]+ of [0-9.]+, capped at 10.0 \((MULTIPLE_FROM|ENCODED_WORD_ADDRESS_TRICK), " "$tmp/explain.txt"
# Issue 12: --explain named the wrong part for a link (evidence url:part:3 printed "in part 2") and
# lost the link text. The link sits in part 3, the HTML part, with its visible text.
check "--explain names the link's part and its text" \
  grep -q 'in part 3: text/html, link text "https://www.interieur.gouv.fr/espace-securise"' "$tmp/explain.txt"
check "--explain puts the mismatch in part 3" grep -q "^      part 3: url: text shows www.interieur.gouv.fr" "$tmp/explain.txt"
check "text without --explain has no group lines" bash -c '! grep -q "groups:" "$1"' _ "$tmp/text.txt"
# An Office package's XML parts are counted, not listed: the VBA project stays in view.
"$vigie" scan --format text "$src/tests/golden/messages/office-docm-autoopen.eml" > "$tmp/docm.txt"
check "text lists the VBA project of a .docm" grep -q "> word/vbaProject.bin, application/x-ole-storage" "$tmp/docm.txt"
check "text counts the XML parts of a .docm" grep -q "> 4 XML parts of the document, listed in the JSON output" "$tmp/docm.txt"
check "text does not list each XML part" bash -c '! grep -q "word/document.xml" "$1"' _ "$tmp/docm.txt"
# --explain --lang fr: the evidence the analyzers describe in prose, and the words around it, are in
# French; the data they quote (hosts, URLs, addresses) is unchanged. With and without a profile.
"$vigie" scan --format text --explain --lang fr "$examples/spear-phishing-ministry.eml" > "$tmp/explain-fr.txt"
"$vigie" scan --format text --explain --lang fr --config "$src/config/ministere.example.toml" \
  "$examples/spear-phishing-ministry.eml" > "$tmp/explain-fr-profile.txt"
for out in "$tmp/explain-fr.txt" "$tmp/explain-fr-profile.txt"; do
  name=$(basename "$out" .txt)
  check "$name: link mismatch in French" grep -q \
    "url: le texte affiche www.interieur.gouv.fr, le lien mène à interieur-gouv.fr.cabinet-ministre.info : https://interieur-gouv.fr.cabinet-ministre.info/connexion" "$out"
  check "$name: link context in French" grep -q \
    '^        dans partie 3 : text/html, texte du lien "https://www.interieur.gouv.fr/espace-securise"' "$out"
  check "$name: credential form in French" grep -q \
    "form: champ de mot de passe ; le formulaire envoie à https://webhook.example.net/collect" "$out"
  check "$name: brand look-alike in French" grep -q \
    "header:Reply-To: proton.example imite proton.me (marque proton) : même nom sous un autre suffixe" "$out"
  check "$name: sender outside the protected domains in French" grep -q \
    "hors des domaines protégés (interieur-gouv.fr.cabinet-ministre.info)" "$out"
  check "$name: groups in French" grep -qE "^  groupes :  chacun compte au plus son max_score$" "$out"
  check "$name: capped group in French" grep -qE "^    sender_identity : [0-9.]+ sur [0-9.]+, plafonné à 10.0 \(" "$out"
  check "$name: no English prose left" bash -c \
    '! grep -nE "imitates|link goes to|text shows|outside the protected domains|password input|posts to|each counts|capped at|^        in |link text|within a longer" "$1"' _ "$out"
done
check "explain-fr-profile: organisation look-alike in French" grep -q \
  "header:From: interieur-gouv.fr.cabinet-ministre.info imite interieur.gouv.fr (organisation) : son domaine avec un point ou un tiret déplacé ('interieur-gouv.fr')" \
  "$tmp/explain-fr-profile.txt"
check "explain-fr-profile: person in a longer name in French" grep -q \
  "matched:person: Cabinet du ministre : nom inclus dans un nom affiché plus long" "$tmp/explain-fr-profile.txt"
# JSON keeps `what` as it was and adds `what_fr` only to prose.
"$vigie" scan --quiet --config "$src/config/ministere.example.toml" "$examples/spear-phishing-ministry.eml" > "$tmp/spear-fr.json"
check "JSON what_fr beside what for prose, none for data" py '
import json, sys
r = json.loads(open(sys.argv[1]).readline())
ev = [e for f in r["findings"] for e in f["evidence"]]
mismatch = [e for e in ev if e["what"].startswith("text shows www.interieur.gouv.fr")]
assert mismatch and mismatch[0]["what_fr"].startswith("le texte affiche www.interieur.gouv.fr"), mismatch
data = [e for e in ev if e["field"] == "display-name"]
assert data and all("what_fr" not in e for e in data), data
' "$tmp/spear-fr.json"
"$vigie" scan --quiet -j 1 "$examples" | py 'import json,sys; print([(r["file"], r["verdict"]["action"]) for r in map(json.loads, sys.stdin)])' > "$tmp/j1"
"$vigie" scan --quiet -j 2 "$examples" | py 'import json,sys; print([(r["file"], r["verdict"]["action"]) for r in map(json.loads, sys.stdin)])' > "$tmp/j2"
check "-j 2 equals -j 1, in the same order" cmp -s "$tmp/j1" "$tmp/j2"

# Sender authentication against recorded DNS: SPF pass from the listed IP, fail from another, and
# "none" with a reason when no DNS source is given.
spf_of() { "$vigie" scan --quiet "$@" | py 'import json,sys; r=json.load(sys.stdin)["auth"]["spf"]; print(r["result"], r.get("domain", ""))'; }
check "spf pass" test "$(spf_of --dns-zone "$src/tests/golden/zone.yaml" --client-ip 192.0.2.25 "$examples/benign.eml")" = "pass mairie-exemple.fr"
check "spf fail" test "$(spf_of --dns-zone "$src/tests/golden/zone.yaml" --client-ip 203.0.113.9 "$examples/benign.eml")" = "fail mairie-exemple.fr"
check "spf none without DNS" test "$(spf_of --client-ip 192.0.2.25 "$examples/benign.eml")" = "none "
# DKIM and DMARC end to end: the benign example signed by an independent implementation (dkimpy,
# with a key made here) passes DKIM and an aligned DMARC; the same bytes with an edited Subject fail
# DKIM and, sent from an unlisted IP, DMARC (whose p=reject becomes the disposition).
openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "$tmp/dkim.pem" 2> /dev/null
/usr/bin/python3 - "$tmp" "$examples/benign.eml" "$src/tests/golden/zone.yaml" <<'PY'
import base64, subprocess, sys, dkim
tmp, message, zone = sys.argv[1:4]
key = open(f"{tmp}/dkim.pem", "rb").read()
der = subprocess.run(["openssl", "pkey", "-in", f"{tmp}/dkim.pem", "-pubout", "-outform", "DER"],
                     capture_output=True, check=True).stdout
p = base64.b64encode(der).decode()
raw = open(message, "rb").read().replace(b"\r\n", b"\n").replace(b"\n", b"\r\n")
sig = dkim.sign(raw, b"sel", b"mairie-exemple.fr", key, canonicalize=(b"relaxed", b"relaxed"),
                include_headers=[b"from", b"to", b"subject", b"date", b"message-id"])
signed = sig + raw
open(f"{tmp}/signed.eml", "wb").write(signed)
open(f"{tmp}/altered.eml", "wb").write(signed.replace(b"Subject: =?utf-8?q?R=C3=A9union", b"Subject: =?utf-8?q?Rxunion"))
record = f"v=DKIM1; k=rsa; p={p}"
chunks = ", ".join(f"'{record[i:i + 200]}'" for i in range(0, len(record), 200))
with open(f"{tmp}/dkimzone.yaml", "w") as out:
    out.write(open(zone).read().rstrip("\n") + "\n")
    out.write(f"sel._domainkey.mairie-exemple.fr:\n  - TXT: [ {chunks} ]\n")
    out.write("_dmarc.mairie-exemple.fr:\n  - TXT: 'v=DMARC1; p=reject'\n")
PY
auth_of() { "$vigie" scan --quiet --dns-zone "$tmp/dkimzone.yaml" "$@" | py 'import json,sys; a=json.load(sys.stdin)["auth"]; print(a["dkim"][0]["result"], a["dmarc"]["result"], a["dmarc"]["disposition"], a["dmarc"]["dkim_aligned"])'; }
check "dkimpy-signed message: dkim pass, dmarc pass" test "$(auth_of --client-ip 203.0.113.9 "$tmp/signed.eml")" = "pass pass none True"
check "edited subject: dkim fail, dmarc fail, reject" test "$(auth_of --client-ip 203.0.113.9 "$tmp/altered.eml")" = "fail fail reject False"
# The authentication reasons an analyst reads are French with --lang fr; JSON keeps them in English.
"$vigie" scan --quiet --format text --explain --lang fr --dns-zone "$tmp/dkimzone.yaml" --client-ip 203.0.113.9 \
  "$tmp/altered.eml" > "$tmp/altered-fr.txt"
check "French DMARC reason" grep -q "^      auth: aucun SPF ou DKIM pass aligné sur mairie-exemple.fr$" "$tmp/altered-fr.txt"
check "no English reason left" bash -c '! grep -nE "aligned with|matched in|signature did not verify|no DMARC record" "$1"' _ "$tmp/altered-fr.txt"
"$vigie" scan --quiet --dns-zone "$tmp/dkimzone.yaml" --client-ip 203.0.113.9 "$tmp/altered.eml" > "$tmp/altered.json"
check "JSON reason stays English, reason_fr beside it" py '
import json, sys
d = json.load(open(sys.argv[1]))["auth"]["dmarc"]
assert d["reason"] == "no SPF or DKIM pass aligned with mairie-exemple.fr", d
assert d["reason_fr"] == "aucun SPF ou DKIM pass aligné sur mairie-exemple.fr", d
' "$tmp/altered.json"
"$vigie" scan --dns-zone "$tmp/dkimzone.yaml" --client-ip 192.0.2.25 "$tmp/signed.eml" | py 'import json,sys; print(json.load(sys.stdin)["auth"]["authentication_results"])' > "$tmp/ar.txt"
check "Authentication-Results value" grep -q "^vigie; spf=pass smtp.mailfrom=mairie-exemple.fr; dkim=pass header.d=mairie-exemple.fr header.i=@mairie-exemple.fr header.s=sel header.a=rsa-sha256 header.b=[^ ;]*; dmarc=pass (p=reject dis=none) header.from=mairie-exemple.fr$" "$tmp/ar.txt"

# Live DNS: one DNS source at a time, and a bad server is a usage error (no network is touched:
# both are refused before any lookup). Live lookups are tested in tests/auth_e2e.
"$vigie" scan --dns --dns-zone "$src/tests/golden/zone.yaml" "$examples/benign.eml" > /dev/null 2> "$tmp/dnserr"; rc=$?
check "--dns with --dns-zone: exit 2" test "$rc" -eq 2
check "--dns with --dns-zone: said" grep -q "cannot be used together" "$tmp/dnserr"
"$vigie" scan --dns-server dns.example --client-ip 192.0.2.25 "$examples/benign.eml" > /dev/null 2> "$tmp/dnserr"; rc=$?
check "bad --dns-server: exit 2" test "$rc" -eq 2
check "bad --dns-server: named" grep -q "DNS server 'dns.example': not an IPv4 or IPv6 address" "$tmp/dnserr"
printf '[dns]\nservers = ["127.0.0.1:99999"]\n' > "$tmp/baddns.toml"
"$vigie" config check "$tmp/baddns.toml" 2> "$tmp/cfgerr"; rc=$?
check "config check bad DNS server: exit 2" test "$rc" -eq 2
check "config check bad DNS server: file:line key" grep -q "baddns.toml:2:.*dns.servers: DNS server '127.0.0.1:99999'" "$tmp/cfgerr"
printf 'example.com:\n  - BOGUS: 1\n' > "$tmp/badzone.yaml"
"$vigie" scan --dns-zone "$tmp/badzone.yaml" "$examples/benign.eml" > /dev/null 2> "$tmp/zoneerr"; rc=$?
check "bad zone: exit 2" test "$rc" -eq 2
check "bad zone: file:line" grep -q "badzone.yaml:2" "$tmp/zoneerr"

# A public suffix or an IP address as one of our domains is refused (issue 12: gouv.fr as a partner
# made every domain under it one, look-alikes included).
printf '[organisation]\nprotected_domains = ["interieur.gouv.fr"]\npartner_domains = ["gouv.fr", "192.0.2.1"]\n' > "$tmp/suffix.toml"
"$vigie" config check "$tmp/suffix.toml" > /dev/null 2> "$tmp/suffixerr"; rc=$?
check "IP address partner: exit 2" test "$rc" -eq 2
check "IP address partner: located" grep -q "suffix.toml:3:.*partner_domains: '192.0.2.1' is an IP address" "$tmp/suffixerr"
printf '[organisation]\nprotected_domains = ["interieur.gouv.fr"]\npartner_domains = ["gouv.fr"]\n' > "$tmp/suffix.toml"
"$vigie" config check "$tmp/suffix.toml" > /dev/null 2> "$tmp/suffixerr"; rc=$?
check "public suffix partner: exit 2" test "$rc" -eq 2
check "public suffix partner: said" grep -q "partner_domains: 'gouv.fr' is a public suffix" "$tmp/suffixerr"
# With the example profile, a Cyrillic look-alike under gouv.fr is no partner.
printf 'From: Service RH <rh@int\xd0\xb5rieur.gouv.fr>\nTo: agent@interieur.gouv.fr\nSubject: Mot de passe\n\nBonjour\n' > "$tmp/cyrillic.eml"
"$vigie" scan --no-progress -q --config "$src/config/ministere.example.toml" "$tmp/cyrillic.eml" > "$tmp/cyrillic.jsonl"
check "example profile: Cyrillic look-alike under gouv.fr found" grep -q "LOOKALIKE_ORGANISATION_DOMAIN\|CONFUSABLE_DOMAIN" "$tmp/cyrillic.jsonl"
# [lists] public_suffix_list: a site's list decides registrable domains (the unit tests check the
# engine's users of it); a missing file is a configuration error with its line and column.
printf '// ===BEGIN ICANN DOMAINS===\ncom\nuk\nco.uk\nfr\n// ===END ICANN DOMAINS===\n// ===BEGIN PRIVATE DOMAINS===\nexample.fr\n// ===END PRIVATE DOMAINS===\n' > "$tmp/site_psl.dat"
printf '[lists]\npublic_suffix_list = "site_psl.dat"\n' > "$tmp/psl.toml"
printf 'From: a@example.org\nSubject: offre\nContent-Type: text/plain\n\nVoir https://www.shop.example.fr/offre\n' > "$tmp/psl.eml"
psl_domain() { py 'import json,sys; print(json.load(sys.stdin)["urls"][0]["domain"])'; }
check "public_suffix_list: built-in list" test "$("$vigie" parse --json "$tmp/psl.eml" | psl_domain)" = example.fr
check "public_suffix_list: parse uses the site's list" \
  test "$("$vigie" parse --json --config "$tmp/psl.toml" "$tmp/psl.eml" | psl_domain)" = shop.example.fr
printf '[lists]\npublic_suffix_list = "no_such_psl.dat"\n' > "$tmp/badpsl.toml"
"$vigie" scan --config "$tmp/badpsl.toml" "$examples/benign.eml" > /dev/null 2> "$tmp/pslerr"; rc=$?
check "public_suffix_list missing: exit 2" test "$rc" -eq 2
check "public_suffix_list missing: file:line:column key" \
  grep -q "badpsl.toml:2:22: lists.public_suffix_list: $tmp/no_such_psl.dat: does not exist" "$tmp/pslerr"

# The example organisation profile is valid and changes nothing for benign mail.
"$vigie" config check "$src/config/ministere.example.toml" > /dev/null 2>&1; rc=$?
check "example configuration is valid" test "$rc" -eq 0
"$vigie" scan --no-progress --config "$src/config/ministere.example.toml" "$examples" |
  py 'import json,sys; print(sorted((r["file"].rsplit("/", 1)[-1], r["verdict"]["action"]) for r in map(json.loads, sys.stdin)))' > "$tmp/profile.txt"
check "example profile: benign mail stays accepted" \
  grep -qF "('benign.eml', 'accept')" "$tmp/profile.txt"
check "example profile: look-alike of the protected domain" \
  test "$("$vigie" scan --config "$src/config/ministere.example.toml" "$examples/spear-phishing-ministry.eml" | py 'import json,sys; print(sorted(f["id"] for f in json.load(sys.stdin)["findings"]))' | grep -c LOOKALIKE_ORGANISATION_DOMAIN)" -eq 1

# Calendar invitations: the organizer, the parties and the links of the text/calendar part are read
# (parse), an outside invitation whose organizer claims the protected domain is spoofing, with its
# look-alike link found; an outside organizer's own invitation (also attached as invite.ics) is not.
"$vigie" parse --json "$examples/invitation-spoofed-organizer.eml" > "$tmp/invite.json"
check "parse --json calendar: parties and links" py '
import json, sys
p = json.load(open(sys.argv[1]))
c = p["calendars"]
assert len(c) == 1 and c[0]["method"] == "REQUEST", c
assert {"role": "organizer", "address": "helene.bernard@interieur.gouv.fr", "name": "Hélène Bernard"} in c[0]["parties"], c
assert any(x["role"] == "attendee" for x in c[0]["parties"]), c
sources = {(u["host"], u["source"]) for u in p["urls"]}
assert ("interieur-gouv.fr.visio-cabinet.info", "calendar_property") in sources, sources
assert ("interieur-gouv.fr.visio-cabinet.info", "href") in sources, sources
assert ("interieur-gouv.fr.visio-cabinet.info", "text") in sources, sources
' "$tmp/invite.json"
"$vigie" scan --config "$src/config/ministere.example.toml" "$examples/invitation-spoofed-organizer.eml" > "$tmp/invite-scan.json"
check "spoofed organizer: finding, evidence names the calendar part, look-alike link" py '
import json, sys
r = json.load(open(sys.argv[1]))
f = {x["id"]: x for x in r["findings"]}
assert "CALENDAR_ORGANIZER_SPOOFED" in f, sorted(f)
ev = f["CALENDAR_ORGANIZER_SPOOFED"]["evidence"]
assert ev[0]["where"] == "part 2: calendar:ORGANIZER", ev
assert "helene.bernard@interieur.gouv.fr" in ev[0]["what"], ev
assert "LOOKALIKE_ORGANISATION_DOMAIN" in f, sorted(f)
assert r["verdict"]["action"] in ("quarantine", "reject"), r["verdict"]
' "$tmp/invite-scan.json"
"$vigie" parse --json "$examples/invitation-outside-organizer.eml" > "$tmp/outside.json"
check "parse --json: an attached invite.ics is read too" py '
import json, sys
p = json.load(open(sys.argv[1]))
assert len(p["calendars"]) == 2, p["calendars"]
assert {u["part"] for u in p["urls"] if u["source"] == "calendar_property"} == {c["part"] for c in p["calendars"]}, p["urls"]
' "$tmp/outside.json"
"$vigie" scan --config "$src/config/ministere.example.toml" "$examples/invitation-outside-organizer.eml" > "$tmp/outside-scan.json"
check "outside organizer inviting us: no calendar finding, accepted" py '
import json, sys
r = json.load(open(sys.argv[1]))
ids = {x["id"] for x in r["findings"]}
assert not {i for i in ids if i.startswith("CALENDAR_")}, ids
assert r["verdict"]["action"] == "accept", (r["verdict"], ids)
' "$tmp/outside-scan.json"

# mbox: every message scanned and labelled.
{ for f in "$examples"/*.eml; do echo "From sender@example.org Mon Nov 16 07:00:00 2026"; cat "$f"; echo; done; } > "$tmp/all.mbox"
"$vigie" scan --no-progress "$tmp/all.mbox" > "$tmp/mbox.jsonl"
check "mbox split" test "$(wc -l < "$tmp/mbox.jsonl")" -eq "$(ls "$examples" | wc -l)"
check "mbox labels" grep -q 'all.mbox:2' "$tmp/mbox.jsonl"
# The messages of one mbox are scanned in parallel and still printed in file order.
check "mbox with -j 2: file order" py '
import json, subprocess, sys
out = subprocess.run([sys.argv[1], "scan", "--quiet", "-j", "2", sys.argv[2]], capture_output=True, check=True).stdout
labels = [json.loads(line)["file"].rsplit(":", 1)[1] for line in out.splitlines()]
assert labels == [str(i + 1) for i in range(len(labels))] and len(labels) > 1, labels
' "$vigie" "$tmp/all.mbox"

# parse on an mbox: every message, each under its label; --message N picks one.
"$vigie" parse "$tmp/all.mbox" > "$tmp/parse-mbox.txt"; rc=$?
check "parse mbox: exit 0" test "$rc" -eq 0
check "parse mbox: every message shown" test "$(grep -c '^Subject:' "$tmp/parse-mbox.txt")" -eq "$(ls "$examples" | wc -l)"
check "parse mbox: labelled" grep -q "^File:       $tmp/all.mbox:2$" "$tmp/parse-mbox.txt"
"$vigie" parse --json "$tmp/all.mbox" | py '
import json, sys
text, docs, at = sys.stdin.read(), [], 0
decoder = json.JSONDecoder()
while text[at:].strip():
    doc, at = decoder.raw_decode(text, at + len(text[at:]) - len(text[at:].lstrip()))
    docs.append(doc)
assert [d["file"].rsplit(":", 1)[1] for d in docs] == [str(i + 1) for i in range(len(docs))], docs
print(len(docs))' > "$tmp/parse-mbox-count"
check "parse --json mbox: one object per message" test "$(cat "$tmp/parse-mbox-count")" -eq "$(ls "$examples" | wc -l)"
"$vigie" parse --message 2 "$tmp/all.mbox" > "$tmp/parse-2.txt"
check "parse --message 2: one message" test "$(grep -c '^Subject:' "$tmp/parse-2.txt")" -eq 1
check "parse --message 2: the second" grep -q "^File:       $tmp/all.mbox:2$" "$tmp/parse-2.txt"
"$vigie" parse --message 9 "$tmp/all.mbox" > /dev/null 2> "$tmp/parse-err"; rc=$?
check "parse --message past the end: exit 2" test "$rc" -eq 2
check "parse --message past the end: said" grep -q "holds $(ls "$examples" | wc -l) messages: there is no message 9" "$tmp/parse-err"

# Repeatable options take one value each: the paths after them are inputs, not recipients or
# DNS servers (no lookup happens: the inputs do not exist).
"$vigie" scan --no-progress --rcpt archives@prefecture-exemple.gouv.fr "$examples/benign.eml" "$examples/malformed.eml" > "$tmp/rcpt.jsonl"; rc=$?
check "--rcpt then two paths: exit 0" test "$rc" -eq 0
check "--rcpt then two paths: both scanned" test "$(wc -l < "$tmp/rcpt.jsonl")" -eq 2
"$vigie" scan --no-progress --dns-server 192.0.2.53 "$tmp/no-such-1.eml" "$tmp/no-such-2.eml" > /dev/null 2> "$tmp/dnserr"; rc=$?
check "--dns-server then two paths: both are inputs" \
  test "$(grep -c "no-such-[12].eml: No such file" "$tmp/dnserr")" -eq 2
check "--dns-server then two paths: exit 1 (unreadable inputs)" test "$rc" -eq 1
"$vigie" scan --client-ip 999.1.1.1 "$examples/benign.eml" > "$tmp/out" 2> "$tmp/iperr"; rc=$?
check "--client-ip not an address: exit 2" test "$rc" -eq 2
check "--client-ip not an address: said" grep -q "999.1.1.1' is not an IPv4 or IPv6 address" "$tmp/iperr"
check "--client-ip not an address: nothing scanned" test ! -s "$tmp/out"
check "--client-ip IPv6 accepted" test "$(spf_of --client-ip 2001:db8::25 "$examples/benign.eml")" = "none "

# Symbolic links: a loop back to a parent and a second name for a file scan nothing twice.
mkdir -p "$tmp/linked/sub"
cp "$examples/benign.eml" "$tmp/linked/a.eml"
ln -s .. "$tmp/linked/sub/loop"
ln -s ../a.eml "$tmp/linked/sub/again.eml"
"$vigie" scan --no-progress "$tmp/linked" > "$tmp/linked.jsonl" 2> "$tmp/linkerr"; rc=$?
check "symlink loop: exit 0" test "$rc" -eq 0
check "symlink loop: the file scanned once" test "$(wc -l < "$tmp/linked.jsonl")" -eq 1
check "symlink loop: nothing said but the summary" test "$(grep -vc '^vigie: 1 message in 1 file, 0 errors' "$tmp/linkerr")" -eq 0

# Every run ends with a summary on stderr; --quiet leaves it out.
"$vigie" scan --config "$src/config/ministere.example.toml" "$examples" "$tmp/does-not-exist" > /dev/null 2> "$tmp/summary"
check "summary: counts, errors, rate and actions" \
  grep -qE "^vigie: $(ls "$examples" | wc -l) messages in $(ls "$examples" | wc -l) files, 1 error, [0-9.]+ s \([0-9.]+ messages/s\): [0-9]+ accept, [0-9]+ tag, [0-9]+ warn, [0-9]+ quarantine, [0-9]+ reject$" "$tmp/summary"
"$vigie" scan --quiet "$examples/benign.eml" > /dev/null 2> "$tmp/summary"
check "--quiet: no summary" test ! -s "$tmp/summary"

# On a terminal (a pseudo-terminal from script(1)) the progress line is drawn at once and cleared
# (carriage return, erase line) before each record and before the summary, so no record or
# message starts in the middle of it.
script -qefc "'$vigie' scan --format text -j 2 '$examples'" /dev/null > "$tmp/tty.txt" < /dev/null
  check "terminal: progress line, then cleared before output" py '
import re, sys
out = open(sys.argv[1], "rb").read().replace(b"\r\n", b"\n")
assert re.search(rb"0 messages, 0/\d+ files", out), out[:300]
# What each line shows once the terminal has acted on "\r ESC[K" (back to the start, erase).
visible = [line.rsplit(b"\r\x1b[K", 1)[-1] for line in out.split(b"\n")]
left = [v for v in visible if re.search(rb"\d+ messages?, \d+/\d+ files?", v)]
assert not left, left  # a progress line never stays under a record or a message
records = [v for v in visible if v.startswith(sys.argv[2].encode())]
assert len(records) == int(sys.argv[3]), (len(records), visible)
summary = [v for v in visible if b" messages in " in v]
assert len(summary) == 1 and summary[0].startswith(b"vigie: "), summary
 ' "$tmp/tty.txt" "$examples/" "$(ls "$examples" | wc -l)"

# Attacker-chosen text never reaches the terminal raw: escape sequences (OSC retitle, SGR colour,
# erase screen), C1 controls and bidi overrides in the Subject, display name, link text, file name
# and even the path are shown as \x1b, \u009b, \u202e.
mkdir -p "$tmp/hostile"
py '
import base64, sys
def word(text):
    return "=?utf-8?b?" + base64.b64encode(text.encode()).decode() + "?="
subject = "\x1b]0;pwned\x07Facture \x1b[31mURGENT\x1b[0m \u202efdp.exe \u009b31m"
name = word("Service\x1b[8m RH")
message = (
    f"From: \"{name}\" <rh@interieur-gouv.fr.example>\n"
    f"To: agent@interieur.gouv.fr\nSubject: {word(subject)}\nMIME-Version: 1.0\n"
    "Content-Type: multipart/mixed; boundary=\"b\"\n\n"
    "--b\nContent-Type: text/html; charset=utf-8\n\n"
    "<p>Votre mot de passe expire. <a href=\"https://interieur-gouv.fr.example/login\">Cliquez\x1b[2J ici</a></p>\n"
    "--b\nContent-Type: application/octet-stream\n"
    "Content-Disposition: attachment; filename*=utf-8\x27\x27fact%1B%5B31m%E2%80%AEfdp.exe\n"
    "Content-Transfer-Encoding: base64\n\nTVqQAAMAAAAEAAAA\n--b--\n")
open(sys.argv[1] + "/hostile/evil\x1b[31m.eml", "w").write(message)
' "$tmp"
hostile=$(printf '%s/hostile/evil\033[31m.eml' "$tmp")
"$vigie" scan --format text --explain --config "$src/config/ministere.example.toml" "$hostile" > "$tmp/hostile-scan.txt" 2> "$tmp/hostile-scan.err"
"$vigie" scan --format text "$tmp/hostile" "$(printf '%s/gone\033]0;x\007.eml' "$tmp")" > /dev/null 2> "$tmp/hostile-missing.err"
"$vigie" parse "$hostile" > "$tmp/hostile-parse.txt"
script -qefc "'$vigie' scan --format text '$tmp/hostile'" /dev/null > "$tmp/hostile-tty.txt" < /dev/null
check "hostile text: no control character reaches the terminal" py '
import re, sys
for path in sys.argv[1:]:
    data = open(path, "rb").read()
    if path.endswith("tty.txt"):   # vigie draws its own progress line there
        data = data.replace(b"\r\x1b[K", b"").replace(b"\r\n", b"\n")
    bad = re.findall(rb"[\x00-\x09\x0b-\x1f\x7f]|\xc2[\x80-\x9f]|\xe2\x80[\x8e\x8f\xa8-\xae]|\xe2\x81[\xa6-\xa9]|\xd8\x9c", data)
    assert not bad, (path, bad[:5])
' "$tmp/hostile-scan.txt" "$tmp/hostile-scan.err" "$tmp/hostile-missing.err" "$tmp/hostile-parse.txt" "$tmp/hostile-tty.txt"
check "hostile text: the subject is shown, escaped" \
  grep -qF 'subject: \x1b]0;pwned\x07Facture \x1b[31mURGENT\x1b[0m \u202efdp.exe \u009b31m' "$tmp/hostile-scan.txt"
check "hostile text: the path is shown, escaped" grep -qF 'hostile/evil\x1b[31m.eml' "$tmp/hostile-scan.txt"
check "hostile text: the missing path is named, escaped" grep -qF 'gone\x1b]0;x\x07.eml' "$tmp/hostile-missing.err"
check "hostile text: parse shows the file name, escaped" grep -qF '"fact\x1b[31m\u202efdp.exe"' "$tmp/hostile-parse.txt"
check "hostile text: parse shows the subject, escaped" grep -qF 'Subject:    \x1b]0;pwned' "$tmp/hostile-parse.txt"

# Errors: unreadable path → exit 1 with the path named; usage → exit 2; bad config → exit 2.
"$vigie" scan --no-progress "$tmp/does-not-exist" "$examples/benign.eml" > "$tmp/out" 2> "$tmp/err"; rc=$?
check "missing path exit 1" test "$rc" -eq 1
check "missing path named" grep -q "does-not-exist" "$tmp/err"
check "other paths still scanned" test "$(wc -l < "$tmp/out")" -eq 1
"$vigie" scan > /dev/null 2>&1; rc=$?
check "usage error exit 2" test "$rc" -eq 2
printf '[limits]\nmax_parts = "x"\n' > "$tmp/bad.toml"
"$vigie" config check "$tmp/bad.toml" 2> "$tmp/cfgerr"; rc=$?
check "config check exit 2" test "$rc" -eq 2
check "config check file:line key" grep -q "bad.toml:2:.*limits.max_parts" "$tmp/cfgerr"
printf '[limits]\nmax_parts = 3\n' > "$tmp/good.toml"
check "config check ok" "$vigie" config check "$tmp/good.toml"

# Sender history across runs: the first scan meets the sender for the first time, a second run
# with the same history file knows it; a corrupt history stops the scan before it starts.
printf '[organisation]\nprotected_domains = ["prefecture-exemple.gouv.fr"]\n[history]\npath = "history.db"\n' > "$tmp/history.toml"
first_contacts() { "$vigie" scan --quiet --config "$tmp/history.toml" "$@" "$examples/benign.eml" | py 'import json,sys; print(sum(f["id"] == "FIRST_CONTACT" for f in json.load(sys.stdin)["findings"]))'; }
check "history: first run is a first contact" test "$(first_contacts)" = 1
check "history: second run knows the sender" test "$(first_contacts)" = 0
check "history: file beside the config" test -s "$tmp/history.db"
check "history: a new recipient (--rcpt) has never met the sender" \
  test "$(first_contacts --rcpt archives@prefecture-exemple.gouv.fr)" = 1
head -c 8192 /dev/urandom > "$tmp/history.db"; rm -f "$tmp/history.db-wal" "$tmp/history.db-shm"
"$vigie" scan --no-progress --config "$tmp/history.toml" "$examples/benign.eml" > /dev/null 2> "$tmp/histerr"; rc=$?
check "history: corrupt file exit 2" test "$rc" -eq 2
check "history: corrupt file said" grep -q "not a SQLite database" "$tmp/histerr"

# Content classifier: the site trains it on its own mail (vigie learn), then scanning flags mail
# like the phishing it reported. An untrained model, bad inputs and a broken model are said.
mkdir -p "$tmp/learn/phish" "$tmp/learn/ham"
py '
import sys
out = sys.argv[1]
lures = ["Jackpot au casino", "Bonus crypto garanti", "Rencontre discrète ce soir", "Produit miracle"]
topics = ["Ordre du jour du comité", "Budget du projet", "Compte-rendu de réunion", "Planning"]
def scam(i):
    return (f"From: \"Lucky Win\" <promo{i}@lucky-win.example>\nSubject: {lures[i % 4]}\n"
            f"Content-Type: text/html; charset=utf-8\n\n<p>Gagnez maintenant, offre gratuite {i}: "
            f"<a href=\"https://lucky-win.example/c\">cliquez ici</a></p>\n")
def work(i):
    return (f"From: Claire Martin <claire.martin@mairie.example>\nSubject: {topics[i % 4]}\n"
            f"Content-Type: text/plain; charset=utf-8\n\n"
            f"Bonjour, voici le document pour la réunion de jeudi. Merci de relire le rapport {i}.\n")
for i in range(60):
    open(f"{out}/phish/{i}.eml", "w").write(scam(i))
    open(f"{out}/ham/{i}.eml", "w").write(work(i))
open(f"{out}/new-scam.eml", "w").write(scam(1000))
open(f"{out}/new-work.eml", "w").write(work(1000))
' "$tmp/learn"
printf '[analyzers.content_classifier]\nmodel = "model.txt"\n' > "$tmp/classifier.toml"
"$vigie" config check "$tmp/classifier.toml" > /dev/null 2> "$tmp/clserr"; rc=$?
check "classifier: config check before training exits 0" test "$rc" -eq 0
check "classifier: config check says untrained" grep -q "warning: classifier: .*model.txt: no model yet, untrained" "$tmp/clserr"
"$vigie" learn -c "$tmp/classifier.toml" --phish "$tmp/learn/phish" > "$tmp/learnout" 2> "$tmp/clserr"; rc=$?
check "learn --phish exits 0" test "$rc" -eq 0
check "learn --phish counts" grep -q "learned 60 phishing message(s) from 60 file(s)" "$tmp/learnout"
check "learn: still untrained without legitimate mail" grep -q "0 legitimate messages learned, untrained" "$tmp/clserr"
"$vigie" learn --model "$tmp/model.txt" --ham "$tmp/learn/ham" > "$tmp/learnout"; rc=$?
check "learn --ham exits 0" test "$rc" -eq 0
check "learn --ham totals" grep -q "now holds 60 phishing and 60 legitimate message(s)" "$tmp/learnout"
check "model header" test "$(head -1 "$tmp/model.txt")" = "# vigie content model v1 phish_messages=60 ham_messages=60"
"$vigie" config check "$tmp/classifier.toml" > "$tmp/clsout" 2> "$tmp/clserr"
check "classifier: config check reports the training" grep -q "60 reported phishing and 60 legitimate messages learned" "$tmp/clsout"
check "classifier: no warning once trained" test ! -s "$tmp/clserr"
content_of() { "$vigie" scan --quiet --config "$tmp/classifier.toml" "$1" | py 'import json,sys; r=json.load(sys.stdin); print(r["verdict"]["action"], sorted(f["id"] for f in r["findings"] if f["analyzer"] == "content_classifier"))'; }
check "classifier: new scam flagged" test "$(content_of "$tmp/learn/new-scam.eml")" = "tag ['CONTENT_RESEMBLES_REPORTED_PHISHING']"
check "classifier: new work mail accepted" test "$(content_of "$tmp/learn/new-work.eml")" = "accept []"
cp "$tmp/model.txt" "$tmp/model.before"
"$vigie" learn --model "$tmp/model.txt" --ham "$tmp/learn/ham" "$tmp/learn/missing" > /dev/null 2> "$tmp/clserr"; rc=$?
check "learn: unreadable path exit 1" test "$rc" -eq 1
check "learn: unreadable path named" grep -q "learn/missing" "$tmp/clserr"
check "learn: nothing learned on error" cmp -s "$tmp/model.txt" "$tmp/model.before"
"$vigie" learn --model "$tmp/model.txt" "$tmp/learn/ham" > /dev/null 2>&1; rc=$?
check "learn without --phish/--ham: exit 2" test "$rc" -eq 2
"$vigie" learn "$tmp/learn/ham" --ham > /dev/null 2> "$tmp/clserr"; rc=$?
check "learn without a model: exit 2" test "$rc" -eq 2
printf '# vigie content model v1 phish_messages=60 ham_messages=60\ncasino\t61\t0\n' > "$tmp/model.txt"
"$vigie" scan --config "$tmp/classifier.toml" "$tmp/learn/new-scam.eml" > /dev/null 2> "$tmp/clserr"; rc=$?
check "broken model: scan exit 2" test "$rc" -eq 2
check "broken model: file:line" grep -q "model.txt:2: a token cannot appear" "$tmp/clserr"

# Golden parse output: `vigie parse --json` of every example against tests/golden/parse/.
# A mismatch leaves NAME.json.failed beside the expected file; VIGIE_UPDATE_GOLDEN=1 rewrites them.
golden=$src/tests/golden/parse
fixtures=0
for eml in "$examples"/*.eml; do
  name=$(basename "$eml" .eml)
  fixtures=$((fixtures + 1))
  "$vigie" parse --json "$eml" > "$tmp/$name.json"
  if [ "${VIGIE_UPDATE_GOLDEN:-0}" = 1 ]; then
    cp "$tmp/$name.json" "$golden/$name.json"
  fi
  if cmp -s "$tmp/$name.json" "$golden/$name.json"; then
    passes=$((passes + 1)); rm -f "$golden/$name.json.failed"
  else
    echo "FAIL: golden $name (see $golden/$name.json.failed)"
    cp "$tmp/$name.json" "$golden/$name.json.failed"
    diff -u "$golden/$name.json" "$tmp/$name.json" | head -20
    failures=$((failures + 1))
  fi
done
check "golden fixtures found" test "$fixtures" -gt 0

echo "$passes passed, $failures failed"
test "$failures" -eq 0
