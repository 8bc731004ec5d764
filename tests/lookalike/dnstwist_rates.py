#!/usr/bin/env python3
"""Look-alike detection measured with dnstwist, the permutation engine defenders use to watch
their own domains (Debian package `dnstwist`, run offline: `--format list` prints the
permutations without resolving them).

For each protected domain below and each dnstwist fuzzer, every permutation becomes the sender
and the link of one plain message; all messages go into one mbox scanned by `vigie scan` with
those domains protected. A permutation counts as detected when the scan reports
LOOKALIKE_ORGANISATION_DOMAIN. Prints the rate per fuzzer and fails when one falls under its
floor in MIN_RATES (the floors sit a little under the rates measured when they were set, so that
a regression fails and a change of dnstwist's output by a few permutations does not).

  dnstwist_rates.py VIGIE_BINARY [--report] [--keep DIR]

--report also prints the permutations missed, per fuzzer (a sample of each).
"""
import argparse
import collections
import concurrent.futures
import json
import os
import shutil
import subprocess
import sys
import tempfile

PROTECTED = ["interieur.gouv.fr", "defense.gouv.fr", "diplomatie.gouv.fr", "elysee.fr", "ssi.gouv.fr",
             "institut-strategie.example"]

# dnstwist 20221213's fuzzers. "dictionary" adds the words of a list (dnstwist's own list of words
# used in phishing: login, secure, account...), "tld-swap" puts the name under other suffixes (its
# list of common ones), "various" glues or hyphenates the suffix to the name.
FUZZERS = ["addition", "bitsquatting", "cyrillic", "homoglyph", "hyphenation", "insertion",
           "omission", "repetition", "replacement", "subdomain", "transposition", "vowel-swap",
           "dictionary", "tld-swap", "various"]
DNSTWIST_DICTIONARIES = "/usr/share/dnstwist/dictionaries"

# Least share detected, in %, per fuzzer, a few points under the rates measured when set (issue
# 12; before it: homoglyph 0.9 %, subdomain 20.5 %, cyrillic 33 %, various 75 %). The misses left
# are mostly the 3-letter acronym's neighbours (dsi, sci, sso are other acronyms, not
# look-alikes), homoglyph permutations two or three visual edits away ("1mter1eur"), and
# dictionary words that imitate nothing next to an ordinary-word name ("blue-defense",
# "defensegroup": see the analyzer's header on ordinary words).
MIN_RATES = {
    "addition": 80, "bitsquatting": 90, "cyrillic": 100, "homoglyph": 92, "hyphenation": 95,
    "insertion": 93, "omission": 93, "repetition": 93, "replacement": 90, "subdomain": 95,
    "transposition": 95, "vowel-swap": 92, "dictionary": 40, "tld-swap": 98, "various": 95,
}

# dnstwist makes thousands of homoglyph permutations of a long name (two substitutions anywhere):
# a fixed, evenly spaced sample of each fuzzer's sorted output keeps the run short.
MAX_PER_FUZZER_AND_DOMAIN = 300


def permutations(domain, fuzzer):
    command = ["dnstwist", "--format", "list", "--fuzzers", fuzzer]
    if fuzzer == "dictionary":
        command += ["--dictionary", os.path.join(DNSTWIST_DICTIONARIES, "english.dict")]
    if fuzzer == "tld-swap":
        command += ["--tld", os.path.join(DNSTWIST_DICTIONARIES, "common_tlds.dict")]
    out = subprocess.run(command + [domain], capture_output=True, text=True, check=False)
    if out.returncode != 0:
        # dnstwist refuses a fuzzer that makes nothing of this domain (cyrillic needs every
        # letter to have a Cyrillic twin).
        if "do not generate any permutations" in out.stderr:
            return []
        sys.exit(f"dnstwist {fuzzer} {domain} failed: {out.stderr.strip()}")
    found = sorted({line.strip() for line in out.stdout.splitlines() if line.strip()} - {domain})
    if len(found) > MAX_PER_FUZZER_AND_DOMAIN:
        step = len(found) / MAX_PER_FUZZER_AND_DOMAIN
        found = [found[int(i * step)] for i in range(MAX_PER_FUZZER_AND_DOMAIN)]
    return found


def message(index, host):
    return (f"From dnstwist@localhost Thu Jan  1 00:00:00 2025\n"
            f"From: Service <agent@{host}>\n"
            f"To: someone@example.org\n"
            f"Subject: case {index}\n"
            f"Message-ID: <case-{index}@dnstwist.test>\n"
            f"Content-Type: text/html; charset=utf-8\n\n"
            f"<p>Bonjour, <a href=\"https://{host}/connexion\">ouvrir le document</a></p>\n\n")


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("vigie")
    parser.add_argument("--report", action="store_true")
    parser.add_argument("--keep", help="write the mbox, configuration and scan output here")
    args = parser.parse_args()
    if shutil.which("dnstwist") is None:
        sys.exit("dnstwist not found: install Debian's dnstwist (scripts/install-deps.sh, test group)")

    cases = []  # (fuzzer, protected domain, permutation)
    jobs = [(domain, fuzzer) for domain in PROTECTED for fuzzer in FUZZERS]
    with concurrent.futures.ThreadPoolExecutor(max_workers=2) as pool:  # dnstwist starts slowly
        for (domain, fuzzer), found in zip(jobs, pool.map(lambda job: permutations(*job), jobs)):
            # A permutation that is another protected domain is that domain, not an attack on it.
            cases += [(fuzzer, domain, p) for p in found if p not in PROTECTED]

    work = args.keep or tempfile.mkdtemp(prefix="vigie-dnstwist-")
    os.makedirs(work, exist_ok=True)
    try:
        mbox = os.path.join(work, "permutations.mbox")
        with open(mbox, "w", encoding="utf-8") as f:
            for i, (_, _, host) in enumerate(cases):
                f.write(message(i, host))
        config = os.path.join(work, "vigie.toml")
        with open(config, "w", encoding="utf-8") as f:
            f.write("[organisation]\nprotected_domains = [" + ", ".join(f'"{d}"' for d in PROTECTED) + "]\n")
        out = subprocess.run([args.vigie, "scan", "--config", config, "--format", "jsonl", "--no-progress",
                              mbox], capture_output=True, text=True, check=False)
        if out.returncode not in (0, 1):
            sys.exit(f"vigie scan failed ({out.returncode}): {out.stderr.strip()}")
        rows = [json.loads(line) for line in out.stdout.splitlines() if line.strip()]
        if args.keep:
            with open(os.path.join(work, "scan.jsonl"), "w", encoding="utf-8") as f:
                f.write(out.stdout)
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)

    if len(rows) != len(cases):
        sys.exit(f"expected {len(cases)} scan results, got {len(rows)}")
    detected = {}
    for row in rows:
        index = int(row["subject"].split()[-1])
        detected[index] = any(f["id"] == "LOOKALIKE_ORGANISATION_DOMAIN" for f in row["findings"])

    per_fuzzer = collections.defaultdict(lambda: [0, 0])
    missed = collections.defaultdict(list)
    for i, (fuzzer, domain, host) in enumerate(cases):
        per_fuzzer[fuzzer][1] += 1
        if detected[i]:
            per_fuzzer[fuzzer][0] += 1
        else:
            missed[fuzzer].append(host)

    failed = []
    print(f"{'fuzzer':14} {'detected':>9} {'total':>6} {'rate':>7}  floor")
    for fuzzer in FUZZERS:
        hit, total = per_fuzzer[fuzzer]
        if total == 0:
            continue
        rate = 100.0 * hit / total
        floor = MIN_RATES[fuzzer]
        print(f"{fuzzer:14} {hit:9} {total:6} {rate:6.1f}%  {floor:.0f}%")
        if rate < floor:
            failed.append(fuzzer)
        if args.report:
            by_domain = collections.Counter(d for f, d, _ in cases if f == fuzzer)
            hit_domain = collections.Counter(d for i, (f, d, _) in enumerate(cases) if f == fuzzer and detected[i])
            print("    " + ", ".join(f"{d} {hit_domain[d]}/{n}" for d, n in by_domain.items()))
            if missed[fuzzer]:
                print("    missed: " + " ".join(missed[fuzzer][:: max(1, len(missed[fuzzer]) // 15)][:15]))
    hit = sum(h for h, _ in per_fuzzer.values())
    print(f"{'all':14} {hit:9} {len(cases):6} {100.0 * hit / len(cases):6.1f}%")
    if failed:
        print("FAIL: under the floor: " + ", ".join(failed))
        return 1
    print(f"{len(FUZZERS) - len(failed)} passed, 0 failed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
