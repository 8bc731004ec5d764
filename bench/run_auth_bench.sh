#!/usr/bin/env bash
# Authentication benchmark driver. Signs real messages with an independent DKIM implementation
# (dkimpy) under fresh RSA-2048 and Ed25519 keys, writes a recorded zone (SPF with an include,
# DKIM keys, DMARC) and runs vigie_auth_bench: auth cost per message with warm DNS beside the
# parse-only cost in the same run, with the engine's shared key cache and with keys decoded per
# message (paired passes, ratio), then DKIM verifications/s beside `openssl speed` of the same
# key types, measured here and now (ratios, since absolute times vary between machines).
#
# usage: bench/run_auth_bench.sh [DIR]            (default: ../shared/corpus/spamassassin/easy-ham-1)
# env:   COUNT (messages signed, default 300), MIN_SECONDS (default 2), VIGIE_AUTH_BENCH_BIN
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
corpus=${1:-$root/../shared/corpus/spamassassin/easy-ham-1}
count=${COUNT:-300}
min_seconds=${MIN_SECONDS:-2}
bin=${VIGIE_AUTH_BENCH_BIN:-$root/build/bench/vigie_auth_bench}
[[ -x "$bin" ]] || { echo "build vigie_auth_bench first (cmake --build build --target vigie_auth_bench)" >&2; exit 2; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "$work/rsa.pem" 2> /dev/null
/usr/bin/python3 - "$work" "$corpus" "$count" <<'PY'
import base64, os, subprocess, sys, dkim
from nacl.signing import SigningKey
work, corpus, count = sys.argv[1], sys.argv[2], int(sys.argv[3])
rsa = open(f"{work}/rsa.pem", "rb").read()
der = subprocess.run(["openssl", "pkey", "-in", f"{work}/rsa.pem", "-pubout", "-outform", "DER"],
                     capture_output=True, check=True).stdout
ed = SigningKey.generate()
ed_private = base64.b64encode(bytes(ed)).decode().encode()
ed_public = base64.b64encode(bytes(ed.verify_key)).decode()
os.makedirs(f"{work}/signed")
names = sorted(os.listdir(corpus))[:count]
for i, name in enumerate(names):
    raw = open(os.path.join(corpus, name), "rb").read().replace(b"\r\n", b"\n")
    head, sep, body = raw.partition(b"\n\n")
    # Our From and a body in CRLF: the signed form DKIM hashes; half RSA, half Ed25519.
    lines = [l for l in head.split(b"\n") if not l.lower().startswith(b"from:")]
    msg = (b"From: bench <bench@bench.example>\n" + b"\n".join(lines) + b"\n\n" + body).replace(b"\n", b"\r\n")
    if i % 2 == 0:
        sig = dkim.sign(msg, b"rsa", b"bench.example", rsa, include_headers=[b"from", b"subject", b"date"])
    else:
        sig = dkim.sign(msg, b"ed", b"bench.example", ed_private, signature_algorithm=b"ed25519-sha256",
                        include_headers=[b"from", b"subject", b"date"])
    open(f"{work}/signed/{i:05d}.eml", "wb").write(sig + msg)
record = "v=DKIM1; k=rsa; p=" + base64.b64encode(der).decode()
chunks = ", ".join(f"'{record[i:i + 200]}'" for i in range(0, len(record), 200))
open(f"{work}/zone.yaml", "w").write(
    "bench.example:\n  - TXT: 'v=spf1 include:_spf.bench.example -all'\n"
    "_spf.bench.example:\n  - TXT: 'v=spf1 ip4:198.51.100.0/24 ip4:192.0.2.0/24 -all'\n"
    "_dmarc.bench.example:\n  - TXT: 'v=DMARC1; p=reject'\n"
    f"rsa._domainkey.bench.example:\n  - TXT: [ {chunks} ]\n"
    f"ed._domainkey.bench.example:\n  - TXT: 'v=DKIM1; k=ed25519; p={ed_public}'\n")
PY

run() { "$bin" --zone "$work/zone.yaml" --client-ip 192.0.2.25 --mail-from bench@bench.example \
          --min-seconds "$min_seconds" "$@"; }
results=$(run --verify "$work/signed/00000.eml" "$work"/signed/*.eml)
ed_verify=$(run --verify "$work/signed/00001.eml" "$work/signed/00001.eml" | grep dkim-verify)
results+=$'\n'"$ed_verify"
openssl_rsa=$(openssl speed -seconds "$min_seconds" -mr rsa2048 2> /dev/null | awk -F: '/^\+F2:/ {print $5}')
openssl_ed=$(openssl speed -seconds "$min_seconds" -mr ed25519 2> /dev/null | awk -F: '/^\+F6:/ && /Ed25519/ {print $6}')

echo "$results"
echo "$results" | /usr/bin/python3 -c '
import sys, re
rows = [dict(kv.split("=", 1) for kv in line.split()[1:]) for line in sys.stdin if line.startswith("RESULT")]
parse = next(r for r in rows if r["workload"] == "parse")
auth = next(r for r in rows if r["workload"] == "parse+auth")
uncached = next(r for r in rows if r["workload"] == "parse+auth-per-message-keys")
speedup = next(r for r in rows if r["workload"] == "key-cache-speedup")
p, a, u = float(parse["us_per_message"]), float(auth["us_per_message"]), float(uncached["us_per_message"])
n, passed, total = parse["messages"], auth["dkim_pass"], auth["dkim_total"]
print(f"\nmessages: {n} (dkim pass {passed}/{total})")
print(f"parse only:        {p:9.1f} us/message")
keys, hits = auth["key_cache_entries"], auth["key_cache_hits"]
rounds, median = speedup["rounds"], float(speedup["median_ratio"])
low, high = float(speedup["min_ratio"]), float(speedup["max_ratio"])
print(f"parse + auth:      {a:9.1f} us/message   auth alone {a - p:.1f} us = {(a - p) / p:.2f}x the parse cost"
      f"   (shared key cache: {keys} keys, {hits} hits)")
print(f"  keys per message:{u:9.1f} us/message   auth alone {u - p:.1f} us = {(u - p) / p:.2f}x the parse cost")
print(f"  shared key cache: parse + auth {median:.2f}x faster (median of {rounds} paired rounds, "
      f"{low:.2f}-{high:.2f}); auth alone {(u - p) / (a - p):.2f}x (best passes)")
ref = {"rsa-sha256": float(sys.argv[1] or 0), "ed25519-sha256": float(sys.argv[2] or 0)}
for r in rows:
    if r["workload"] != "dkim-verify": continue
    v, o = float(r["verifications_per_s"]), ref.get(r["algorithm"], 0)
    algorithm, ratio = r["algorithm"], (v / o if o else float("nan"))
    print(f"DKIM {algorithm:15} {v:9.0f} verifications/s; openssl speed verify {o:9.0f}/s; ratio {ratio:.2f}")
' "$openssl_rsa" "$openssl_ed"
