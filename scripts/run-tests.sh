#!/usr/bin/env bash
# Installs dependencies, builds everything and runs every test: unit, corpus, GMime differential,
# end-to-end CLI, fuzz seed replay under ASan/UBSan and a bounded fuzzing run of each target.
# VIGIE_FUZZ_SECONDS sets the fuzzing time per target (default 60; 0 skips fuzzing, replay only).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
# Tests and benchmarks named explicitly: build/ may have been configured without them (the
# examples command turns them off), and CMake's cache would otherwise keep that choice.
cmake -S . -B build -G Ninja -DVIGIE_TESTS=ON -DVIGIE_BENCH=ON > /dev/null
cmake --build build -j "$(nproc)"

fuzz_seconds=${VIGIE_FUZZ_SECONDS:-60}
if [ "$fuzz_seconds" -gt 0 ]; then
  bash fuzz/run_fuzzers.sh "$fuzz_seconds"
else
  bash fuzz/run_fuzzers.sh --replay
fi

cd build
# A run that finds no test is a failure, not a pass.
# The dependencies above include Postfix and this runs as root: the mail-flow test must run, not skip.
VIGIE_REQUIRE_POSTFIX=1 ctest --output-on-failure --no-tests=error -j "$(nproc)"
