# The counting check of vigie's shell tests, sourced by them: `check NAME COMMAND...` runs the
# command, counts it in `passes` or prints "FAIL: NAME" and counts it in `failures`; the script
# reports the two counts at its end and fails when `failures` is not 0.
failures=0
passes=0
check() {  # check NAME COMMAND...: the command must succeed
  local name=$1; shift
  if "$@"; then passes=$((passes + 1)); else echo "FAIL: $name"; failures=$((failures + 1)); fi
}
