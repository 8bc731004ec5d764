#!/usr/bin/env bash
# Installs dependencies, builds everything and runs every test: unit, corpus, GMime differential,
# end-to-end CLI, fuzz seed replay under ASan/UBSan and a bounded fuzzing run of each target.
# VIGIE_FUZZ_SECONDS sets the fuzzing time per target (default 60; 0 skips fuzzing, replay only).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
cmake -S . -B build -G Ninja > /dev/null
cmake --build build -j "$(nproc)"

fuzz_seconds=${VIGIE_FUZZ_SECONDS:-60}
if [ "$fuzz_seconds" -gt 0 ]; then
  bash fuzz/run_fuzzers.sh "$fuzz_seconds"
else
  bash fuzz/run_fuzzers.sh --replay
fi

cd build
ctest --output-on-failure -j "$(nproc)"
