#!/usr/bin/env python3
"""Cross-validated evaluation of the content classifier (`vigie learn` + `vigie scan`).

The classifier is trained by each site on its own mail, so its detection can only be measured
honestly on messages it has not learned. This script splits every labelled folder into k folds
(deterministically: by a hash of each file's path inside its folder, so the split does not depend
on where the corpus is mounted or on listing order), and for each fold:

  1. learns a fresh model, in a temporary directory, from the other k-1 folds only
     (`vigie learn --phish` / `--ham`);
  2. writes a temporary configuration: the --config base file, if any, plus
     `[analyzers.content_classifier] model = <that model>` and `threshold`;
  3. scans the held-out fold with `vigie scan --format jsonl` and records, per message, the
     action (all analyzers together) and the classifier's probability.

No message is ever scanned by a model that learned it. The report gives, per label: the rate
flagged by the rule-based analyzers alone (one scan with the base configuration, no classifier),
the rate flagged with the classifier added (action tag or stronger), the classifier finding alone,
and the classifier alone at other thresholds (from the probabilities of a second scan of each fold
at the lowest threshold, so they come from the same models).

Folders given as train-phish=DIR or train-ham=DIR are learned in every fold and never scored: the
rest of what a site feeds the classifier (its reported spam, say).

Each file is one unit (an mbox file goes to one fold as a whole). The base configuration is copied
into the temporary directory, so relative paths in it would resolve there: give absolute paths in a
base configuration, and no [analyzers.content_classifier] section. Standard library only; run with any python3.

  bench/eval/crossval.py --vigie build-release/src/cli/vigie \\
      phish=../shared/corpus/phishing-dev ham=../shared/corpus/spamassassin/easy-ham-1 ...
"""
import argparse
import collections
import hashlib
import json
import os
import re
import subprocess
import sys
import tempfile

FINDING = "CONTENT_RESEMBLES_REPORTED_PHISHING"
LABELS = ("phish", "ham")
# Folders learned in every fold and never scored: mail a site would feed the classifier besides
# the messages being measured (its reported spam, say).
TRAINING_ONLY = {"train-phish": "phish", "train-ham": "ham"}
SWEEP = (0.6, 0.7, 0.8, 0.9, 0.95, 0.99, 0.999)
LOWEST_THRESHOLD = 0.500001  # [analyzers.content_classifier] threshold must be above 0.5
CHUNK = 500  # files per vigie invocation, well under the command-line length limit
PROBABILITY = re.compile(r"phish probability ([0-9.]+)")


def labelled_files(specs):
    """[(label, folder, relative path, absolute path)] for every file under every LABEL=DIR."""
    files = []
    for spec in specs:
        label, _, folder = spec.partition("=")
        if (label not in LABELS and label not in TRAINING_ONLY) or not folder:
            sys.exit(f"crossval: expected LABEL=DIR with LABEL phish, ham, train-phish or train-ham, "
                     f"got {spec!r}")
        if not os.path.isdir(folder):
            sys.exit(f"crossval: {folder}: not a directory")
        name = os.path.basename(os.path.normpath(folder))
        for root, dirs, names in os.walk(folder):
            dirs.sort()
            for n in sorted(names):
                path = os.path.join(root, n)
                files.append((label, name, os.path.relpath(path, folder), os.path.abspath(path)))
    return files


def fold_of(folder_name, relative, k):
    digest = hashlib.sha256(f"{folder_name}/{relative}".encode()).digest()
    return int.from_bytes(digest[:8], "big") % k


def run(cmd):
    out = subprocess.run(cmd, check=False, capture_output=True, text=True)
    # Exit 1 is "some input could not be read": every file here was just listed, so treat it as
    # an error too.
    if out.returncode != 0:
        sys.exit(f"crossval: {' '.join(cmd[:6])} ... failed ({out.returncode}): {out.stderr.strip()}")
    return out.stdout


def learn(vigie, model, label, paths):
    for i in range(0, len(paths), CHUNK):
        run([vigie, "learn", "--model", model, f"--{label}"] + paths[i:i + CHUNK])


def scan(vigie, config, paths, jobs):
    """{absolute path: (action, classifier probability or None, score, finding ids)}"""
    rows = {}
    for i in range(0, len(paths), CHUNK):
        cmd = [vigie, "scan", "--format", "jsonl", "--no-progress", "-j", str(jobs)]
        if config:
            cmd += ["--config", config]
        for line in run(cmd + paths[i:i + CHUNK]).splitlines():
            r = json.loads(line)
            probability = None
            for f in r["findings"]:
                if f["id"] == FINDING:
                    probability = float(PROBABILITY.search(f["evidence"][0]["what"]).group(1))
            rows[os.path.abspath(r["file"])] = (r["verdict"]["action"], probability,
                                                r["verdict"]["score"], [f["id"] for f in r["findings"]])
    return rows


def write_config(path, base_text, model, threshold):
    with open(path, "w", encoding="utf-8") as out:
        out.write(base_text.rstrip("\n") + "\n\n" if base_text else "")
        out.write(f'[analyzers.content_classifier]\nmodel = "{model}"\nthreshold = {threshold!r}\n')


def rate(numerator, denominator):
    return 100.0 * numerator / denominator if denominator else 0.0


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("folders", nargs="+", metavar="LABEL=DIR")
    parser.add_argument("--vigie", default="build-release/src/cli/vigie")
    parser.add_argument("--config", default="", help="base configuration (absolute paths, no [analyzers.content_classifier])")
    parser.add_argument("-k", "--folds", type=int, default=5)
    parser.add_argument("--threshold", type=float, default=0.6, help="[analyzers.content_classifier] threshold")
    parser.add_argument("-j", "--jobs", type=int, default=1)
    parser.add_argument("--worst", type=int, default=10, help="classifier false positives listed")
    parser.add_argument("--misses", type=int, default=0, help="phish accepted listed (highest score first)")
    args = parser.parse_args()
    if args.folds < 2:
        sys.exit("crossval: --folds must be at least 2")
    base_text = ""
    if args.config:
        with open(args.config, encoding="utf-8") as f:
            base_text = f.read()
        if re.search(r"^\s*\[analyzers\.content_classifier\]", base_text, re.M):
            sys.exit("crossval: the base configuration must not have an [analyzers.content_classifier] section")

    every_file = labelled_files(args.folders)
    files = [f for f in every_file if f[0] in LABELS]
    always_learned = {label: [p for lab, _, _, p in every_file if TRAINING_ONLY.get(lab) == label]
                      for label in LABELS}
    folds = collections.defaultdict(list)
    for label, name, relative, path in files:
        folds[fold_of(name, relative, args.folds)].append((label, path))
    label_of = {path: label for label, _, _, path in files}

    baseline = scan(args.vigie, args.config, [p for _, _, _, p in files], args.jobs)
    verdicts, probabilities = {}, {}
    with tempfile.TemporaryDirectory(prefix="vigie-crossval-") as tmp:
        for fold in range(args.folds):
            held_out = [p for _, p in folds[fold]]
            model = os.path.join(tmp, f"model-{fold}.txt")
            for label in LABELS:
                training = [p for other in range(args.folds) if other != fold
                            for lab, p in folds[other] if lab == label] + always_learned[label]
                assert not set(training) & set(held_out)
                learn(args.vigie, model, label, training)
            config = os.path.join(tmp, f"config-{fold}.toml")
            write_config(config, base_text, model, args.threshold)
            verdicts.update(scan(args.vigie, config, held_out, args.jobs))
            write_config(config, base_text, model, LOWEST_THRESHOLD)
            for path, (_, probability, _, _) in scan(args.vigie, config, held_out, args.jobs).items():
                probabilities[path] = probability if probability is not None else 0.0
            counts = collections.Counter(lab for lab, _ in folds[fold])
            print(f"fold {fold + 1}/{args.folds}: held out {counts['phish']} phish, {counts['ham']} ham",
                  file=sys.stderr)

    totals = collections.Counter(label_of.values())
    def count(label, predicate):
        return sum(1 for path, lab in label_of.items() if lab == label and predicate(path))

    print(f"\n{args.folds}-fold cross-validation, threshold {args.threshold}; flagged = action tag or stronger")
    print(f"  {'label':6} {'messages':>8} {'rules alone':>12} {'rules+classifier':>17} {'classifier alone':>17}")
    for label in LABELS:
        rules = count(label, lambda p: baseline[p][0] != "accept")
        combined = count(label, lambda p: verdicts[p][0] != "accept")
        alone = count(label, lambda p: verdicts[p][1] is not None)
        print(f"  {label:6} {totals[label]:8} {rate(rules, totals[label]):11.2f}% "
              f"{rate(combined, totals[label]):16.2f}% {rate(alone, totals[label]):16.2f}%")
    print("\nclassifier alone by threshold (probability >= threshold)")
    print(f"  {'threshold':>9} " + " ".join(f"{label:>8}" for label in LABELS))
    for threshold in SWEEP:
        cells = [rate(count(label, lambda p: probabilities[p] >= threshold), totals[label]) for label in LABELS]
        print(f"  {threshold:9} " + " ".join(f"{c:7.2f}%" for c in cells))
    worst = sorted((p for p, lab in label_of.items() if lab == "ham" and verdicts[p][1] is not None),
                   key=lambda p: -verdicts[p][1])[: args.worst]
    if worst:
        print("\nham the classifier flagged (highest probability first)")
        for p in worst:
            print(f"  {verdicts[p][1]:.4f} {verdicts[p][0]:10} {p}")
    misses = sorted((p for p, lab in label_of.items() if lab == "phish" and verdicts[p][0] == "accept"),
                    key=lambda p: -verdicts[p][2])[: args.misses]
    if misses:
        print("\nphish accepted (score, classifier probability, findings)")
        for p in misses:
            print(f"  {verdicts[p][2]:5.1f} {probabilities[p]:.4f} {p}: {', '.join(verdicts[p][3])}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
