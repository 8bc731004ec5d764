#!/usr/bin/env python3
"""Detection evaluation: scans labelled folders with `vigie scan` and prints a confusion matrix.

Each argument is LABEL=PATH where LABEL is `phish`, `spam` or `ham` (what the folder is known to
hold). A message counts as *flagged* when the verdict is `tag` or stronger. The report gives, per
folder: the action counts, the flagged rate, the findings that fire most, and for ham the worst
false positives (highest scores) with their reasons, for phish the misses with their scores.

Exit status 1 when --require-phish / --require-ham targets are given and missed, so the same
script serves as a check. Standard library only; run with any python3.

  bench/eval/eval.py --vigie build/src/cli/vigie \\
      phish=../shared/corpus/phishing-dev ham=../shared/corpus/spamassassin/easy-ham-1 ...
"""
import argparse
import collections
import json
import subprocess
import sys
import time

ACTIONS = ["accept", "tag", "warn", "quarantine", "reject"]


def scan(vigie, path, config, jobs):
    cmd = [vigie, "scan", "--format", "jsonl", "--no-progress", "-j", str(jobs), path]
    if config:
        cmd[2:2] = ["--config", config]
    start = time.monotonic()
    out = subprocess.run(cmd, check=False, capture_output=True, text=True)
    elapsed = time.monotonic() - start
    if out.returncode not in (0, 1):
        sys.exit(f"eval: {' '.join(cmd)} failed ({out.returncode}): {out.stderr.strip()}")
    return [json.loads(line) for line in out.stdout.splitlines() if line.strip()], elapsed


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("folders", nargs="+", metavar="LABEL=PATH")
    parser.add_argument("--vigie", default="build/src/cli/vigie")
    parser.add_argument("--config", default="")
    parser.add_argument("-j", "--jobs", type=int, default=2)
    parser.add_argument("--worst", type=int, default=10, help="false positives / misses listed")
    parser.add_argument("--require-phish", type=float, help="minimum flagged rate on phish, in %%")
    parser.add_argument("--require-ham", type=float, help="maximum flagged rate on ham, in %%")
    args = parser.parse_args()

    totals = collections.defaultdict(lambda: [0, 0])  # label -> [flagged, total]
    for spec in args.folders:
        label, _, path = spec.partition("=")
        if label not in ("phish", "spam", "ham") or not path:
            sys.exit(f"eval: expected LABEL=PATH with LABEL phish, spam or ham, got {spec!r}")
        rows, elapsed = scan(args.vigie, path, args.config, args.jobs)
        actions = collections.Counter(r["verdict"]["action"] for r in rows)
        flagged = sum(n for a, n in actions.items() if a != "accept")
        totals[label][0] += flagged
        totals[label][1] += len(rows)
        rate = 100.0 * flagged / len(rows) if rows else 0.0
        print(f"\n{label:5} {path}: {len(rows)} messages, flagged (tag+) {flagged} = {rate:.2f}%"
              f"  [{len(rows) / elapsed:.0f} msgs/s with -j {args.jobs}, process included]")
        print("      " + "  ".join(f"{a}={actions.get(a, 0)}" for a in ACTIONS))
        fires = collections.Counter(f["id"] for r in rows for f in {x["id"]: x for x in r["findings"]}.values())
        print("      findings: " + ", ".join(f"{i}={n}" for i, n in fires.most_common(12)))
        if label == "ham":
            worst = sorted((r for r in rows if r["verdict"]["action"] != "accept"),
                           key=lambda r: -r["verdict"]["score"])[: args.worst]
            for r in worst:
                print(f"      FP {r['verdict']['score']:5.1f} {r['file']}: {', '.join(r['verdict']['reasons'])}")
        elif label == "phish":
            missed = sorted((r for r in rows if r["verdict"]["action"] == "accept"),
                            key=lambda r: -r["verdict"]["score"])[: args.worst]
            for r in missed:
                print(f"      miss {r['verdict']['score']:4.1f} {r['file']}: "
                      f"{', '.join(f['id'] for f in r['findings']) or '-'}")

    print("\nconfusion matrix (flagged = tag or stronger)")
    print(f"  {'label':6} {'flagged':>8} {'accepted':>9} {'rate':>8}")
    ok = True
    for label, (flagged, total) in totals.items():
        rate = 100.0 * flagged / total if total else 0.0
        print(f"  {label:6} {flagged:8} {total - flagged:9} {rate:7.2f}%")
        if label == "phish" and args.require_phish is not None and rate < args.require_phish:
            print(f"  FAIL: phish flagged {rate:.2f}% < required {args.require_phish}%")
            ok = False
        if label == "ham" and args.require_ham is not None and rate > args.require_ham:
            print(f"  FAIL: ham flagged {rate:.2f}% > allowed {args.require_ham}%")
            ok = False
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
