#!/usr/bin/env bash
# determinism.sh - the same input gives byte-identical output whatever --jobs
# is, for every format; and two runs in a row agree.
# Usage: determinism.sh PA_AUDIT_BINARY SOURCE_DIR
set -u
bin=$1; src=$2
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
pass=0; fail=0
jobs_hi=${PA_TEST_JOBS:-4}
for target in "$src/examples/jobboard" "$src/tests/rules/PA303" "$src/tests/rules/PA304"; do
  for fmt in json md text sarif github; do
    "$bin" --no-write --no-color --date 2026-01-01 -j1 --format "$fmt" "$target" >"$tmp/a" 2>/dev/null
    "$bin" --no-write --no-color --date 2026-01-01 -j"$jobs_hi" --format "$fmt" "$target" >"$tmp/b" 2>/dev/null
    "$bin" --no-write --no-color --date 2026-01-01 -j"$jobs_hi" --format "$fmt" "$target" >"$tmp/c" 2>/dev/null
    if cmp -s "$tmp/a" "$tmp/b" && cmp -s "$tmp/b" "$tmp/c" && [ -s "$tmp/a" ]; then pass=$((pass+1));
    else fail=$((fail+1)); echo "FAIL: $target --format $fmt differs between -j1 and -j$jobs_hi (or is empty)" >&2; fi
  done
done
echo "determinism: $pass passed, $fail failed"
[ $fail -eq 0 ]
