#!/usr/bin/env python3
"""Writes a CSV indicator feed (value,type) for the intelligence benchmarks: the sender domains of
a few corpus messages (real matches to report), then random domains, URLs, SHA-256 hashes,
addresses and IPv4 addresses, reproducible (seeded), up to COUNT rows.

Usage: make_intel_feed.py OUT.csv CORPUS COUNT
"""
import os, random, re, sys
out, corpus, count = sys.argv[1], sys.argv[2], int(sys.argv[3])
rng = random.Random(15)
def word(n):
    return "".join(rng.choice("abcdefghijklmnopqrstuvwxyz") for _ in range(n))
rows = ["value,type"]
# Sender domains of a few corpus messages: real matches for the hunt to report.
seen = set()
for folder in ("phishing-dev", "spamassassin/spam-1"):
    path = os.path.join(corpus, folder)
    if not os.path.isdir(path):
        continue
    for name in sorted(os.listdir(path))[:200:20]:
        head = open(os.path.join(path, name), "rb").read(8192).decode("latin-1")
        m = re.search(r"(?im)^From:.*@([a-z0-9.-]+\.[a-z]{2,})", head)
        if m and m.group(1).lower() not in seen:
            seen.add(m.group(1).lower())
            rows.append(f"{m.group(1).lower()},domain")
kinds = ["domain", "url", "sha256", "email-address", "ipv4"]
while len(rows) - 1 < count:
    kind = kinds[len(rows) % len(kinds)]
    domain = f"{word(8)}-{word(5)}.{rng.choice(['com', 'net', 'org', 'fr', 'info', 'xyz'])}"
    value = {"domain": domain,
             "url": f"https://{domain}/{word(6)}/{word(4)}.php",
             "sha256": "".join(rng.choice("0123456789abcdef") for _ in range(64)),
             "email-address": f"{word(6)}@{domain}",
             "ipv4": f"{rng.randint(11, 223)}.{rng.randint(0, 255)}.{rng.randint(0, 255)}.{rng.randint(1, 254)}"}[kind]
    rows.append(f"{value},{kind}")
open(out, "w").write("\n".join(rows) + "\n")
