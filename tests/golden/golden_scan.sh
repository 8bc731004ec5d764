#!/usr/bin/env bash
# Golden scan outputs: `vigie scan` of every bundled example and every message of
# tests/golden/messages/, with the example ministry profile, against tests/golden/scan/NAME.json
# (the JSON record pretty-printed, without the time it took). A change of behaviour shows as a
# diff of what an analyst would read: findings, evidence, objects, verdict.
#   VIGIE_UPDATE_GOLDEN=1 rewrites the baselines (review the diff before committing them);
#   a mismatch leaves NAME.json.failed beside the baseline.
# Usage: golden_scan.sh VIGIE_BINARY SOURCE_DIR
set -u
vigie=$1
src=$2
golden=$src/tests/golden/scan
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
failures=0
passes=0
inputs=("$src"/examples/*.eml "$src"/tests/golden/messages/*.eml)
for eml in "${inputs[@]}"; do
  name=$(basename "$eml" .eml)
  # A message that needs more than the profile (DNS reputation lists) has NAME.toml, added to the
  # profile, and NAME.zone.yaml, the recorded DNS of its scan.
  config=config/ministere.example.toml
  dns=()
  if [ -f "${eml%.eml}.toml" ]; then
    cat "$src/$config" "${eml%.eml}.toml" > "$tmp/$name.toml"
    config=$tmp/$name.toml
  fi
  if [ -f "${eml%.eml}.zone.yaml" ]; then dns=(--dns-zone "${eml%.eml}.zone.yaml"); fi
  # Relative paths, so the baselines do not depend on where the tree is.
  (cd "$src" && "$vigie" scan --no-progress --quiet --config "$config" "${dns[@]}" "${eml#"$src"/}") \
    > "$tmp/$name.jsonl" 2> "$tmp/$name.err"
  if ! python3 - "$tmp/$name.jsonl" "$tmp/$name.json" <<'PY'
import json, sys
records = [json.loads(line) for line in open(sys.argv[1]) if line.strip()]
assert len(records) == 1, f"{len(records)} records"
record = records[0]
record.pop("elapsed_us", None)
with open(sys.argv[2], "w") as out:
    json.dump(record, out, indent=2, ensure_ascii=False)
    out.write("\n")
PY
  then
    echo "FAIL: $name: no single scan record (stderr: $(head -c 300 "$tmp/$name.err"))"
    failures=$((failures + 1))
    continue
  fi
  if [ "${VIGIE_UPDATE_GOLDEN:-0}" = 1 ]; then cp "$tmp/$name.json" "$golden/$name.json"; fi
  if cmp -s "$tmp/$name.json" "$golden/$name.json"; then
    passes=$((passes + 1))
    rm -f "$golden/$name.json.failed"
  else
    echo "FAIL: golden scan $name (baseline $golden/$name.json, got $golden/$name.json.failed)"
    cp "$tmp/$name.json" "$golden/$name.json.failed"
    diff -u "$golden/$name.json" "$tmp/$name.json" | head -40
    failures=$((failures + 1))
  fi
done
echo "$passes passed, $failures failed"
test "$passes" -gt 0 && test "$failures" -eq 0
