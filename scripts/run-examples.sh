#!/usr/bin/env bash
# Installs dependencies, builds vigie and scans the bundled example messages, printing verdicts.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
cmake -S . -B build -G Ninja -DVIGIE_TESTS=OFF -DVIGIE_BENCH=OFF > /dev/null
cmake --build build -j "$(nproc)"
./build/src/cli/vigie scan --format text examples/
