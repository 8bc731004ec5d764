#!/usr/bin/env bash
# The shipped ATT&CK data is what tools/attack/build_attack_data.py makes of the shared bundle
# (nobody edits it by hand), its license travels with it, and `vigie attack` answers from it.
# Usage: attack_data_test.sh VIGIE_BINARY SOURCE_DIR
# Exit 77 (skipped) when the shared bundle (../shared/attack beside the source tree) or python3 is
# absent; the CLI checks run anyway.
set -u
vigie=$1
source_dir=$2
bundle="$source_dir/../shared/attack/enterprise-attack-core.json"
shipped="$source_dir/data/attack/enterprise-attack.json"
failures=0
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# The CLI: a technique, a set by alias, --about, an unknown name.
out=$(VIGIE_DATA_DIR="$source_dir/data" "$vigie" attack T1566.002) || fail "vigie attack T1566.002 exited $?"
grep -q '^Technique T1566.002: Spearphishing Link$' <<<"$out" || fail "T1566.002: $out"
grep -q '^Intrusion sets known to use it ([0-9]*):$' <<<"$out" || fail "T1566.002 users: $out"
grep -q '^© 2025 The MITRE Corporation' <<<"$out" || fail "no copyright line after a description"
out=$(VIGIE_DATA_DIR="$source_dir/data" "$vigie" attack "Fancy Bear") || fail "vigie attack 'Fancy Bear' exited $?"
grep -q '^Intrusion set G0007: APT28$' <<<"$out" || fail "Fancy Bear: $out"
out=$(VIGIE_DATA_DIR="$source_dir/data" "$vigie" attack --about) || fail "vigie attack --about exited $?"
grep -q '^MITRE ATT&CK v18.1 (enterprise-attack)$' <<<"$out" || fail "--about: $out"
VIGIE_DATA_DIR="$source_dir/data" "$vigie" attack APT282 >"$work/out" 2>"$work/err"
code=$?
[ "$code" -eq 3 ] || fail "unknown name exited $code, expected 3"
grep -q "did you mean: APT28" "$work/err" || fail "no suggestion: $(cat "$work/err")"
VIGIE_DATA_DIR="$work" "$vigie" attack APT28 >"$work/out" 2>"$work/err"
code=$?
[ "$code" -eq 1 ] || fail "missing data exited $code, expected 1"
grep -q "cannot read the ATT&CK data: .*enterprise-attack.json" "$work/err" || fail "missing data: $(cat "$work/err")"

cmp -s "$source_dir/data/attack/LICENSE-ATTACK.txt" "$source_dir/../shared/attack/LICENSE-ATTACK.txt" 2>/dev/null ||
  [ ! -f "$source_dir/../shared/attack/LICENSE-ATTACK.txt" ] || fail "data/attack/LICENSE-ATTACK.txt differs from MITRE's"
[ -s "$source_dir/data/attack/LICENSE-ATTACK.txt" ] || fail "data/attack/LICENSE-ATTACK.txt is missing"

if [ "$failures" -ne 0 ]; then exit 1; fi
if [ ! -f "$bundle" ] || ! command -v python3 >/dev/null; then
  echo "SKIP: regeneration check needs python3 and $bundle"
  exit 77
fi
python3 "$source_dir/tools/attack/build_attack_data.py" "$bundle" --attack-version 18.1 --out "$work/generated.json" ||
  { echo "FAIL: the generator failed"; exit 1; }
if ! cmp -s "$work/generated.json" "$shipped"; then
  echo "FAIL: $shipped is not what tools/attack/build_attack_data.py produces (edited by hand, or stale):"
  diff "$shipped" "$work/generated.json" | head -20
  exit 1
fi
echo "ok: attack data, license and CLI"
