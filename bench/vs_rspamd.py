#!/usr/bin/env python3
"""Full-scan throughput of vigie beside Rspamd, offline, on the same messages in the same run.

Rspamd is measured by ../shared/peers/throughput.sh (its own daemon in a private network namespace,
messages preloaded into the client, a warm-up, then timed passes at concurrency 1 and 2). vigie is
measured as a user runs it: `vigie scan --format jsonl -j N` over the same files, output included,
files read from disk (page cache) — so vigie pays for reading files that Rspamd's client preloads.
vigie runs every analyzer the configuration enables (the example ministry profile turns on the
organisation analyzers). The figure that matters is the ratio of messages per second at each
concurrency; absolute numbers vary from machine to machine and run to run.

Usage (root, Debian's rspamd and dnsmasq-base installed):
  bench/vs_rspamd.py --vigie build-release/src/cli/vigie --config config/ministere.example.toml \\
      [--rounds 3] [--every 1] ../shared/corpus/phishing-dev ../shared/corpus/spamassassin/easy-ham-1 ...
"""
import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time


def list_files(dirs, every):
    # The same selection as peers/lib/scan.py: *.eml sorted by name, every n-th, per directory.
    files = []
    for d in dirs:
        names = sorted(n for n in os.listdir(d) if n.endswith(".eml"))
        files += [os.path.join(d, n) for i, n in enumerate(names) if i % every == 0]
    return files


def vigie_pass(vigie, config, files, jobs):
    cmd = [vigie, "scan", "--format", "jsonl", "-j", str(jobs)]
    if config:
        cmd += ["--config", config]
    start = time.monotonic()
    done = subprocess.run(cmd + files, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, check=False)
    wall = time.monotonic() - start
    lines = done.stdout.count(b"\n")
    # Exit 0 (all accepted) or the verdict exit codes; anything else is a failure of the run.
    if lines != len(files):
        sys.exit(f"vigie wrote {lines} records for {len(files)} messages (exit {done.returncode})")
    return wall


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--vigie", required=True)
    ap.add_argument("--config", default="")
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--every", type=int, default=1)
    ap.add_argument("--peers", default=os.path.join(os.path.dirname(__file__), "..", "..", "shared", "peers"))
    ap.add_argument("--out", default="", help="write the figures as JSON here")
    ap.add_argument("dirs", nargs="+")
    a = ap.parse_args()

    files = list_files(a.dirs, a.every)
    nbytes = sum(os.path.getsize(f) for f in files)
    print(f"{len(files)} messages, {nbytes / 1e6:.1f} MB", file=sys.stderr)

    vigie_pass(a.vigie, a.config, files[:300], 2)  # warm-up: page cache, like Rspamd's
    vigie_rates = {}
    for jobs in (1, 2):
        walls = [vigie_pass(a.vigie, a.config, files, jobs) for _ in range(a.rounds)]
        vigie_rates[jobs] = len(files) / statistics.median(walls)
        print(f"vigie -j{jobs}: {vigie_rates[jobs]:.0f} msgs/s (median of {a.rounds})", file=sys.stderr)

    with tempfile.TemporaryDirectory() as tmp:
        out = os.path.join(tmp, "rspamd.json")
        env = dict(os.environ, EVERY=str(a.every))
        subprocess.run(["bash", os.path.join(a.peers, "throughput.sh"), "rspamd", out] + a.dirs,
                       env=env, check=True, stdout=subprocess.DEVNULL)
        with open(out) as f:
            rspamd = json.load(f)
    if rspamd["messages"] != len(files):
        sys.exit(f"Rspamd scanned {rspamd['messages']} messages, vigie {len(files)}")

    figures = {"messages": len(files), "bytes": nbytes, "rounds": a.rounds, "by_concurrency": []}
    print("| concurrency | vigie msgs/s | Rspamd msgs/s | ratio |")
    print("| --- | --- | --- | --- |")
    for p in rspamd["passes"]:
        c = p["concurrency"]
        if p["errors"]:
            sys.exit(f"Rspamd had {p['errors']} errors at concurrency {c}")
        ratio = vigie_rates[c] / p["msgs_per_s"]
        figures["by_concurrency"].append({"concurrency": c, "vigie_msgs_per_s": round(vigie_rates[c], 1),
                                          "rspamd_msgs_per_s": p["msgs_per_s"], "ratio": round(ratio, 2)})
        print(f"| {c} | {vigie_rates[c]:.0f} | {p['msgs_per_s']:.0f} | {ratio:.1f}× |")
    if a.out:
        with open(a.out, "w") as f:
            json.dump(figures, f, indent=1)


if __name__ == "__main__":
    main()
