#!/usr/bin/env python3
"""Verdict differences between two vigie builds, message by message.

A change that should not alter detection (a refactoring, a speed-up) is checked by scanning the
same folders with the build before and the build after and listing every message whose action,
score or set of findings changed. Each argument is a file or folder given to `vigie scan`.

  bench/eval/compare.py --before /work/baseline/build-release/src/cli/vigie \\
      --after build-release/src/cli/vigie [--config FILE] ../shared/corpus/phishing-dev ...

Prints one block per changed message (before → after, findings gained and lost with their
scores) and a summary; exit status 1 when any message changed, so it can serve as a check.
Scores are compared to 0.01 (findings print with float noise). Standard library only.
"""
import argparse
import json
import subprocess
import sys


def scan(vigie, paths, config, jobs):
    cmd = [vigie, "scan", "--format", "jsonl", "--no-progress", "-j", str(jobs)]
    if config:
        cmd += ["--config", config]
    out = subprocess.run(cmd + list(paths), check=False, capture_output=True, text=True)
    if out.returncode not in (0, 1):
        sys.exit(f"compare: {' '.join(cmd)} failed ({out.returncode}): {out.stderr.strip()}")
    results = {}
    for line in out.stdout.splitlines():
        if line.strip():
            record = json.loads(line)
            results[record["file"]] = record
    return results


def findings(record):
    return {f["id"]: round(f["score"], 2) for f in record["findings"]}


def main():
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("paths", nargs="+")
    parser.add_argument("--before", required=True, help="vigie binary before the change")
    parser.add_argument("--after", required=True, help="vigie binary after the change")
    parser.add_argument("--config", help="configuration given to both")
    parser.add_argument("--before-config", help="configuration for the build before only "
                        "(when the configuration format changed)")
    parser.add_argument("-j", "--jobs", type=int, default=2)
    args = parser.parse_args()

    before = scan(args.before, args.paths, args.before_config or args.config, args.jobs)
    after = scan(args.after, args.paths, args.config, args.jobs)
    changed_actions = changed_findings = 0
    for name in sorted(set(before) | set(after)):
        old, new = before.get(name), after.get(name)
        if old is None or new is None:
            print(f"{name}: only {'after' if old is None else 'before'}")
            changed_actions += 1
            continue
        old_action, new_action = old["verdict"]["action"], new["verdict"]["action"]
        old_f, new_f = findings(old), findings(new)
        score_moved = abs(old["verdict"]["score"] - new["verdict"]["score"]) > 0.01
        if old_action == new_action and old_f == new_f and not score_moved:
            continue
        if old_action != new_action:
            changed_actions += 1
        else:
            changed_findings += 1
        print(f"{name}: {old_action} {old['verdict']['score']:.2f} -> "
              f"{new_action} {new['verdict']['score']:.2f}")
        for fid in sorted(set(old_f) | set(new_f)):
            if old_f.get(fid) != new_f.get(fid):
                print(f"    {fid}: {old_f.get(fid, '-')} -> {new_f.get(fid, '-')}")
    print(f"{len(after)} messages: {changed_actions} changed action, "
          f"{changed_findings} changed findings or score only")
    return 1 if changed_actions or changed_findings else 0


if __name__ == "__main__":
    sys.exit(main())
