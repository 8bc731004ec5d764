#!/usr/bin/env bash
# Installs dependencies, builds vigie and scans the bundled example messages, printing verdicts.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
cmake -S . -B build -G Ninja -DVIGIE_TESTS=OFF -DVIGIE_BENCH=OFF > /dev/null
cmake --build build -j "$(nproc)"
# With the example organisation profile (a ministry's protected domains and people), so that the
# look-alike and impersonation detectors have something to protect.
./build/src/cli/vigie scan --config config/ministere.example.toml --format text examples/
