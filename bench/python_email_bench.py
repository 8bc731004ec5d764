#!/usr/bin/env python3
"""Parse throughput of Python's standard `email` package, the baseline of run_parse_bench.sh.

This script owns the Python workload: email.message_from_bytes(policy=email.policy.default),
then walk() and get_content() on every leaf (text decoded to str, other parts to bytes),
exceptions from get_content() caught and counted, as a Python-based filter would have to.
Files are loaded before timing; passes over the whole set repeat until a minimum time has
elapsed; the best and median pass are printed as one RESULT line with the same keys as
vigie_parse_bench, so the driver can tabulate the three tools. Single thread, as the others.
"""

import argparse
import email
import email.policy
import os
import sys
import time


def collect_files(paths, list_file):
    files = []
    if list_file:
        with open(list_file, encoding="utf-8", errors="surrogateescape") as f:
            files.extend(line.rstrip("\n") for line in f if line.strip())
    for path in paths:
        if os.path.isdir(path):
            for root, _dirs, names in os.walk(path):
                files.extend(os.path.join(root, n) for n in names if n.endswith(".eml"))
        elif os.path.isfile(path):
            files.append(path)
        else:
            print(f"python_email_bench: skipping {path}: not a file or directory", file=sys.stderr)
    # Sorted and deduplicated like vigie_parse_bench, so that both read the same set.
    return sorted(set(files))


def one_pass(messages):
    """Returns (seconds, errors). Errors: get_content() failures, parse-level exceptions."""
    errors = 0
    sink = 0
    start = time.perf_counter()
    for data in messages:
        try:
            msg = email.message_from_bytes(data, policy=email.policy.default)
        except Exception:  # noqa: BLE001 - the parser should never raise; count it if it does
            errors += 1
            continue
        for part in msg.walk():
            if part.is_multipart():  # containers, including message/rfc822 (walk() descends)
                continue
            try:
                content = part.get_content()
            except Exception:  # noqa: BLE001 - unknown charsets, bad base64 ... are data errors
                errors += 1
                continue
            sink += len(content) if isinstance(content, (str, bytes)) else 1
    return time.perf_counter() - start, errors


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("paths", nargs="*", help=".eml files or directories (recursive)")
    parser.add_argument("--list", help="file with one message path per line")
    parser.add_argument("--min-seconds", type=float, default=2.0)
    parser.add_argument("--min-passes", type=int, default=1)
    args = parser.parse_args()
    paths = args.paths or ([] if args.list else ["../shared/corpus"])

    files = collect_files(paths, args.list)
    messages = []
    for name in files:
        with open(name, "rb") as f:
            messages.append(f.read())
    if not messages:
        print("python_email_bench: no message found", file=sys.stderr)
        return 1
    total_bytes = sum(len(m) for m in messages)
    print(f"loaded {len(messages)} messages, {total_bytes} bytes", file=sys.stderr)

    times = []
    errors = 0
    while len(times) < max(1, args.min_passes) or sum(times) < args.min_seconds:
        seconds, errors = one_pass(messages)
        times.append(seconds)
    times.sort()
    best, median = times[0], times[len(times) // 2]
    n, mb = len(messages), total_bytes / 1e6
    print(f"RESULT tool=python files={n} bytes={total_bytes} passes={len(times)} "
          f"best_s={best:.4f} median_s={median:.4f} msgs_per_s={n / best:.1f} "
          f"mb_per_s={mb / best:.2f} median_msgs_per_s={n / median:.1f} "
          f"median_mb_per_s={mb / median:.2f} errors={errors} "
          f"python={sys.version.split()[0]}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
