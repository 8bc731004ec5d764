#!/usr/bin/env python3
"""Full-scan throughput of two vigie builds, measured in the same run.

Runs `vigie scan -jN --format jsonl` (N = --jobs, default 1) of a BEFORE and an AFTER binary over the same inputs, in
alternating rounds (before/after, then after/before, so neither always runs on a warmer or a
cooler machine), output to /dev/null, and prints for each round the wall and CPU times and the
ratio after/before; then the median ratios. On a shared machine whose speed drifts from one
minute to the next, the median of paired ratios is steadier than two separate timings.

With --callgrind it also counts instructions of one run of each under valgrind's callgrind
(repeatable whatever else the machine does), and prints that ratio too.

usage: bench/compare_scan.py --before OLD/vigie --after NEW/vigie [--config C] [--before-config C]
                             [--rounds N] [--jobs N] [--callgrind] PATH...
"""

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time


def scan_command(vigie, config, paths, jobs):
    command = [vigie, "scan", f"-j{jobs}", "--no-progress", "--format", "jsonl"]
    if config:
        command += ["--config", config]
    return command + paths


def timed_run(command):
    """Wall seconds and CPU seconds (user + system) of one run; output discarded."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    # vigie exits 1 when a message is flagged: only 2 and above are failures.
    completed = subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if completed.returncode >= 2:
        sys.exit(f"{command[0]} failed ({completed.returncode}): {completed.stderr.decode(errors='replace')[:500]}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu


def instructions(command):
    with tempfile.TemporaryDirectory() as folder:
        out = os.path.join(folder, "callgrind.out")
        completed = subprocess.run(["valgrind", "--tool=callgrind", f"--callgrind-out-file={out}"] + command,
                                   stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        if completed.returncode >= 2:
            sys.exit(f"callgrind of {command[0]} failed: {completed.stderr.decode(errors='replace')[-500:]}")
        with open(out, encoding="utf-8", errors="replace") as profile:
            for line in profile:
                if line.startswith("totals:") or line.startswith("summary:"):
                    return int(line.split()[1])
    sys.exit("callgrind wrote no total")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--before", required=True, help="the reference vigie binary")
    parser.add_argument("--after", required=True, help="the vigie binary measured against it")
    parser.add_argument("--config", help="configuration for both (or for AFTER when --before-config is given)")
    parser.add_argument("--before-config", help="configuration for BEFORE, when its format differs")
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--jobs", type=int, default=1, help="scanning threads of both (default 1)")
    parser.add_argument("--callgrind", action="store_true", help="also count instructions (slow: about 40 x)")
    parser.add_argument("paths", nargs="+")
    args = parser.parse_args()

    before = scan_command(args.before, args.before_config or args.config, args.paths, args.jobs)
    after = scan_command(args.after, args.config, args.paths, args.jobs)
    timed_run(before)  # warms the page cache for both: the inputs are the same files
    wall_ratios, cpu_ratios = [], []
    print("round  before_wall  after_wall  before_cpu  after_cpu  wall_ratio  cpu_ratio")
    for round_number in range(args.rounds):
        if round_number % 2 == 0:
            before_time, after_time = timed_run(before), timed_run(after)
        else:
            after_time, before_time = timed_run(after), timed_run(before)
        wall_ratios.append(after_time[0] / before_time[0])
        cpu_ratios.append(after_time[1] / before_time[1])
        print(f"{round_number + 1:5d}  {before_time[0]:11.3f}  {after_time[0]:10.3f}  {before_time[1]:10.3f}"
              f"  {after_time[1]:9.3f}  {wall_ratios[-1]:10.3f}  {cpu_ratios[-1]:9.3f}", flush=True)
    print(f"RESULT rounds={args.rounds} median_wall_ratio={statistics.median(wall_ratios):.3f}"
          f" median_cpu_ratio={statistics.median(cpu_ratios):.3f} (after/before: below 1 is faster)")
    if args.callgrind:
        before_count, after_count = instructions(before), instructions(after)
        print(f"RESULT instructions before={before_count} after={after_count}"
              f" ratio={after_count / before_count:.3f}")


if __name__ == "__main__":
    main()
