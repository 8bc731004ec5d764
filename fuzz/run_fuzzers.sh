#!/usr/bin/env bash
# Builds vigie's fuzz targets in their own build directory (clang, ASan+UBSan, libFuzzer) and runs
# each one for a fixed time, or, with --replay, only replays the committed seeds under ASan/UBSan
# (quick enough for every CI run). It owns the fuzzing workflow: where the build and the working
# corpora live, which flags each run gets, and how a failure is reported. It never writes into the
# repository except the (git-ignored) build directory: working corpora, crash artifacts and logs go
# under /tmp, and the shared mail corpus is read only.
#
# Usage:
#   fuzz/run_fuzzers.sh [SECONDS] [TARGET...]   fuzz each target SECONDS (default 60), in turn
#   fuzz/run_fuzzers.sh --replay                build the replays and run them over fuzz/seeds/
#
# Environment (all optional):
#   VIGIE_FUZZ_BUILD_DIR  build directory            (default: <repo>/build-fuzz)
#   VIGIE_FUZZ_WORK_DIR   corpora, artifacts, logs   (default: /tmp/vigie-fuzz)
#   VIGIE_FUZZ_CRASH_DIR  where reproducers are kept (default: /tmp/vigie-crashes)
#   VIGIE_FUZZ_CORPUS     extra read-only mail corpus for fuzz_message
#                         (default: <repo>/../shared/corpus, used when present)
#   VIGIE_FUZZ_JOBS       parallel build jobs        (default: 2)
#   VIGIE_FUZZ_WERROR     ON/OFF for VIGIE_WERROR    (default: ON)
#
# Exit status: 0 when every run ended cleanly; 1 on any crash, leak, timeout, out-of-memory or
# sanitizer report (all targets are still run, so one bad parser does not hide another); 2 on a
# usage or build error.
set -euo pipefail

REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BUILD_DIR="${VIGIE_FUZZ_BUILD_DIR:-$REPO/build-fuzz}"
WORK_DIR="${VIGIE_FUZZ_WORK_DIR:-/tmp/vigie-fuzz}"
CRASH_DIR="${VIGIE_FUZZ_CRASH_DIR:-/tmp/vigie-crashes}"
CORPUS_DIR="${VIGIE_FUZZ_CORPUS:-$REPO/../shared/corpus}"
JOBS="${VIGIE_FUZZ_JOBS:-2}"
WERROR="${VIGIE_FUZZ_WERROR:-ON}"
ALL_TARGETS=(message html url headers decoders spf dns_zone dkim dmarc rdata content_model calendar smuggling tnef mbox archive archive_directories pdf lnk rtf cfb ovba offcrypto ooxml milter scan message_edits stix_pattern misp)

# Largest input libFuzzer builds per target (longer seeds are cut there). 16 KB holds a message
# with several nested parts and some HTML; longer inputs mostly add base64 and markup volume that
# costs exec/s (HTML tree building, charset detection, hashes) without reaching new code.
# Header values and URLs are short in real mail. SPF inputs hold four TXT records (real ones stay
# under 512 bytes each); zone files that exercise the loader fit in a few KB. DKIM inputs are a key
# record and a header with a few signatures or a two-hop ARC chain (2 KB); the body matters only
# through canonicalisation, which short bodies cover. DMARC records and DNS RDATA are short.
# A calendar invitation with a time zone, an alarm and HTML in its description fits in 8 KB; the
# second, small-limits pass of fuzz_calendar stops at 512 bytes anyway. A smuggling page needs a
# candidate of 2 KiB or more (kMinBase64Chars) besides its script; a TNEF stream with a reminder
# and two attachments fits in 4 KB. An archive with a few members, each a few KB compressed, fits
# in 64 KB; past that inputs mostly add compressed bytes. A PDF with a few actions, a form and an
# embedded file fits in 8 KB (qpdf's time grows with the input); shortcuts are a few hundred bytes
# plus their strings; an RTF with an object of a few KB of hex fits in 16 KB. A compound file with
# a VBA project of two modules fits in 8 KB (512-byte sectors); dir streams and OOXML members are
# short. An encrypted OOXML package of a few KB in a compound file fits in 8 KB. The message
# edits take messages like fuzz_message. STIX patterns in real feeds are under 1 KB; 4 KB leaves room
# for nesting and long sets. A MISP event with a few dozen attributes and tags, or a list of a few
# hundred lines, fits in 16 KB. An mbox of a few short messages, escaped "From " lines and CRLF
# fits in 8 KB: the splitter's states are per line, not per size.
declare -A MAX_LEN=([message]=16384 [html]=16384 [url]=2048 [headers]=2048 [decoders]=8192
                    [spf]=4096 [dns_zone]=4096 [dkim]=8192 [dmarc]=1024 [rdata]=1024
                    [content_model]=4096 [calendar]=8192 [smuggling]=16384 [tnef]=4096
                    [archive]=65536 [archive_directories]=65536 [pdf]=8192 [lnk]=4096 [rtf]=16384 [cfb]=16384 [ovba]=4096
                    [offcrypto]=8192 [ooxml]=16384 [milter]=16384
                    [scan]=16384 [message_edits]=16384 [stix_pattern]=4096 [misp]=16384 [mbox]=8192)
# Dictionary per target: tokens the fuzzer would take very long to guess byte by byte.
declare -A DICT=([message]=mime [html]=html [url]=url [headers]=mime [decoders]=mime [spf]=spf
                 [dns_zone]=zone [dkim]=dkim [dmarc]=spf [rdata]=zone
                 [content_model]=content_model [calendar]=calendar [smuggling]=smuggling [tnef]=tnef
                 [archive]=archive [archive_directories]=archive_directories [pdf]=pdf [lnk]=lnk [rtf]=rtf [cfb]=office [ovba]=office
                 [offcrypto]=office [ooxml]=office [milter]=milter
                 [scan]=mime [message_edits]=mime [stix_pattern]=stix [misp]=misp [mbox]=mbox)

die() { echo "run_fuzzers: $*" >&2; exit 2; }

configure_and_build() {
  local what="$1"
  command -v clang >/dev/null && command -v clang++ >/dev/null || die "clang/clang++ not found"
  # Configured on every run (quick once cached) so that the options below always hold, even in a
  # build directory configured by hand; CC/CXX only matter the first time.
  CC=clang CXX=clang++ cmake -S "$REPO" -B "$BUILD_DIR" \
    -DCMAKE_BUILD_TYPE=RelWithDebInfo \
    -DVIGIE_FUZZ=ON -DVIGIE_TESTS=OFF -DVIGIE_BENCH=OFF -DVIGIE_WERROR="$WERROR" \
    >/dev/null || die "cmake configure failed"
  if ! grep -q '^CMAKE_CXX_COMPILER:[A-Z]*=.*clang' "$BUILD_DIR/CMakeCache.txt"; then
    die "$BUILD_DIR was configured with another compiler; remove it or set VIGIE_FUZZ_BUILD_DIR"
  fi
  cmake --build "$BUILD_DIR" --target "$what" -j "$JOBS" || die "build of $what failed"
}

replay() {
  configure_and_build vigie_fuzz_replays
  # The fuzz directory enables testing itself, so its ctest file exists even with VIGIE_TESTS=OFF.
  ctest --test-dir "$BUILD_DIR/fuzz" -L fuzz --output-on-failure
}

# Runs one target; returns non-zero when libFuzzer reported anything.
fuzz_one() {
  local name="$1" seconds="$2"
  local binary="$BUILD_DIR/fuzz/fuzz_$name"
  local work="$WORK_DIR/$name"
  local corpus="$work/corpus" artifacts="$work/artifacts/" log="$work/fuzz.log"
  [[ -x "$binary" ]] || die "$binary not built"

  # The working corpus persists across runs (coverage accumulates) and is seeded from the repo;
  # libFuzzer writes new inputs only into the first directory, so the repo stays untouched.
  mkdir -p "$corpus" "$artifacts"
  rm -f "$artifacts"/{crash,leak,timeout,oom}-* 2>/dev/null || true
  cp -n "$REPO/fuzz/seeds/$name/"* "$corpus/" 2>/dev/null || true

  local extra=()
  if [[ ( "$name" == message || "$name" == message_edits ) && -d "$CORPUS_DIR" ]]; then
    # Real mail as read-only seeds: the phishing sample (hostile structure, recent clients) and the
    # hard ham (HTML newsletters). The other SpamAssassin folders add little beyond these and
    # every seed file is run once before fuzzing starts, which eats a short run's time budget.
    local sub
    for sub in phishing-dev spamassassin/hard-ham-1; do
      [[ -d "$CORPUS_DIR/$sub" ]] && extra+=("$CORPUS_DIR/$sub")
    done
  fi
  if [[ "$name" == scan ]]; then
    # The bundled attack samples (the same list as fuzz/CMakeLists.txt's replay): they reach the
    # weapon analyzers, whose formats the fuzzer would take long to build from the seeds alone.
    extra+=("$REPO/examples" "$REPO/tests/golden/messages")
  fi

  echo "=== fuzz_$name: ${seconds}s, log $log"
  local status=0
  # Fixed TZ/locale: date and charset code then take the same paths as in the unit tests.
  TZ=UTC LC_ALL=C \
  ASAN_OPTIONS="${ASAN_OPTIONS:-}${ASAN_OPTIONS:+:}detect_leaks=1" \
  UBSAN_OPTIONS="${UBSAN_OPTIONS:-}${UBSAN_OPTIONS:+:}halt_on_error=1:print_stacktrace=1" \
    "$binary" \
      -max_total_time="$seconds" -rss_limit_mb=2048 -timeout=10 \
      -max_len="${MAX_LEN[$name]}" \
      -dict="$REPO/fuzz/dicts/${DICT[$name]}.dict" \
      -artifact_prefix="$artifacts" -print_final_stats=1 \
      "$corpus" "${extra[@]}" >"$log" 2>&1 || status=$?

  # The last status line holds the totals ("#N DONE cov: C ft: F corp: ... exec/s: E").
  local summary
  summary="$(grep -E '^#[0-9]+' "$log" | tail -n 1 || true)"
  echo "    ${summary:-no status line}"

  local found=()
  mapfile -t found < <(find "$artifacts" -maxdepth 1 -type f \
                         \( -name 'crash-*' -o -name 'leak-*' -o -name 'timeout-*' \
                            -o -name 'oom-*' \) | sort)
  # A sanitizer report can end a run without an artifact (e.g. in a libFuzzer thread); the log
  # is the authority then.
  if (( status == 0 && ${#found[@]} == 0 )) &&
     ! grep -qE 'ERROR: (AddressSanitizer|LeakSanitizer|libFuzzer)|runtime error:' "$log"; then
    return 0
  fi

  echo "!!! fuzz_$name FAILED (exit $status); sanitizer report:" >&2
  grep -m 1 -A 25 -E 'ERROR: |runtime error:|==ERROR|documented guarantee' "$log" >&2 || tail -n 30 "$log" >&2
  mkdir -p "$CRASH_DIR/$name"
  local artifact
  for artifact in "${found[@]}"; do
    cp "$artifact" "$CRASH_DIR/$name/"
    echo "    reproducer: $CRASH_DIR/$name/$(basename "$artifact")" >&2
  done
  cp "$log" "$CRASH_DIR/$name/fuzz.log"
  local file="<file>"
  (( ${#found[@]} )) && file="$(basename "${found[0]}")"
  cat >&2 <<EOF
    To reproduce:   $binary $CRASH_DIR/$name/$file
    (or, without libFuzzer, $BUILD_DIR/fuzz/fuzz_${name}_replay $CRASH_DIR/$name/$file)
    Once the parser is fixed, commit the input as a regression seed so every CI run replays it:
      cp $CRASH_DIR/$name/$file $REPO/fuzz/seeds/$name/regression-<short-description>
      git add fuzz/seeds/$name && fuzz/run_fuzzers.sh --replay
EOF
  return 1
}

main() {
  if [[ "${1:-}" == "--replay" ]]; then
    (( $# == 1 )) || die "--replay takes no other argument"
    replay
    return
  fi
  if [[ "${1:-}" == "-h" || "${1:-}" == "--help" ]]; then
    sed -n '2,/^set -euo/p' "${BASH_SOURCE[0]}" | sed '$d; s/^# \{0,1\}//'
    return 0
  fi

  local seconds=60
  if [[ $# -gt 0 && "$1" =~ ^[0-9]+$ ]]; then
    seconds="$1"
    shift
  fi
  local targets=("$@")
  (( ${#targets[@]} )) || targets=("${ALL_TARGETS[@]}")
  local t
  for t in "${targets[@]}"; do
    [[ -n "${MAX_LEN[$t]:-}" ]] || die "unknown target '$t' (known: ${ALL_TARGETS[*]})"
  done

  configure_and_build vigie_fuzz_targets
  local failed=()
  for t in "${targets[@]}"; do
    fuzz_one "$t" "$seconds" || failed+=("$t")
  done
  if (( ${#failed[@]} )); then
    echo "run_fuzzers: FAILED: ${failed[*]} (reproducers under $CRASH_DIR)" >&2
    return 1
  fi
  echo "run_fuzzers: all ${#targets[@]} targets ran ${seconds}s without a report"
}

main "$@"
