# tests/lib/check.sh - the counters and assertions the script tests share
# (sourced, not run): `check 'COND' 'message'` evals COND, counts a pass or
# prints "FAIL: message"; each script ends with its own summary line.
pass=0; fail=0
ok()    { pass=$((pass+1)); }
bad()   { fail=$((fail+1)); echo "FAIL: $*" >&2; }
check() { if eval "$1"; then ok; else bad "$2"; fi; }
