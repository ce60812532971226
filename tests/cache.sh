#!/usr/bin/env bash
# cache.sh - the incremental facts cache end to end: a cold run stores every
# file, a warm run hits every file, and both print exactly what a run without
# the cache prints (JSON and the reports); an edited file misses; damaged,
# emptied and foreign entries are rejected and rebuilt, never trusted; the
# config's `cache:` names a directory inside the project (not walked), and
# one that escapes through a symlink is refused with a warning; rule packs'
# custom rules find the same with and without the cache.
# Usage: cache.sh PA_AUDIT_BINARY SOURCE_DIR
set -u
bin=$1; src=$2
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
. "$(dirname "$0")/lib/check.sh"

cp -r "$src/examples/jobboard" "$tmp/p"
rm -rf "$tmp/p/docs/project"
run() { "$bin" --no-write --no-color --date 2026-01-01 --fail-on never --format json -v "$@" 2>"$tmp/err"; }
nfiles=$(find "$tmp/p" -name '*.py' -not -path '*/tests/*' | wc -l)

run "$tmp/p" >"$tmp/plain.json"
run --cache "$tmp/c" "$tmp/p" >"$tmp/cold.json"
check "grep -q 'cache: 0 hits, $nfiles misses (0 rejected), $nfiles stored' '$tmp/err'" "cold run stores every file ($(grep cache: "$tmp/err"))"
check "cmp -s '$tmp/plain.json' '$tmp/cold.json'" "cold cached run differs from a run without cache"
check "[ -f '$tmp/c/CACHEDIR.TAG' ] && [ -f '$tmp/c/.gitignore' ]" "cache directory is tagged"
run --cache "$tmp/c" -j1 "$tmp/p" >"$tmp/warm.json"
check "grep -q 'cache: $nfiles hits, 0 misses (0 rejected), 0 stored' '$tmp/err'" "warm run hits every file ($(grep cache: "$tmp/err"))"
check "cmp -s '$tmp/plain.json' '$tmp/warm.json'" "warm cached run differs from a run without cache"
# --no-cache wins
run --cache "$tmp/c" --no-cache "$tmp/p" >/dev/null
check "! grep -q 'cache:' '$tmp/err'" "--no-cache still used the cache"

# an edited file misses (and only that one)
f=$(find "$tmp/p/app" -name '*.py' | sort | head -1)
printf '\n# edited\n' >>"$f"
run --cache "$tmp/c" "$tmp/p" >/dev/null
check "grep -q 'cache: $((nfiles-1)) hits, 1 misses (0 rejected), 1 stored' '$tmp/err'" "an edited file misses ($(grep cache: "$tmp/err"))"

# damage every entry three ways: flipped byte, truncation, emptied
i=0
for e in $(find "$tmp/c/facts" -name '*.facts' | sort); do
  case $((i % 3)) in
    0) printf '\x7f' | dd of="$e" bs=1 seek=200 conv=notrunc status=none ;;
    1) truncate -s 100 "$e" ;;
    2) : >"$e" ;;
  esac
  i=$((i+1))
done
run --cache "$tmp/c" "$tmp/p" >"$tmp/damaged.json"
check "cmp -s '$tmp/plain.json' '$tmp/damaged.json'" "damaged cache changed the output"
check "grep -q 'cache: 0 hits' '$tmp/err' && grep -q 'rejected), $nfiles stored' '$tmp/err'" "damaged entries were not all rebuilt ($(grep cache: "$tmp/err"))"
run --cache "$tmp/c" "$tmp/p" >/dev/null
check "grep -q 'cache: $nfiles hits' '$tmp/err'" "rebuilt entries hit again"

# config `cache: true`: .pa-audit-cache at the root, not walked, same output
printf 'cache: true\n' >"$tmp/p/.pa-audit.yml"
run "$tmp/p" >"$tmp/cfg1.json"
run "$tmp/p" >"$tmp/cfg2.json"
check "[ -d '$tmp/p/.pa-audit-cache/facts' ]" "config cache: true did not create .pa-audit-cache"
check "grep -q 'cache: $nfiles hits' '$tmp/err'" "config cache not used on the second run ($(grep cache: "$tmp/err"))"
check "cmp -s '$tmp/cfg1.json' '$tmp/cfg2.json'" "config-cached runs differ"
# a config cache directory that escapes the project through a symlink: refused, run goes on
mkdir -p "$tmp/outside"
ln -s "$tmp/outside" "$tmp/p/escape"
printf 'cache: escape/c\n' >"$tmp/p/.pa-audit.yml"
run "$tmp/p" >"$tmp/esc.json"; rc=$?
check "[ $rc -eq 0 ] && grep -q 'resolves outside the project' '$tmp/err'" "escaping config cache dir not refused"
check "[ -z \"\$(ls -A '$tmp/outside')\" ]" "something was written outside the project"
# a cache path that is a file: warning, no cache, same output
rm -f "$tmp/p/.pa-audit.yml" "$tmp/p/escape"
: >"$tmp/afile"
run --cache "$tmp/afile" "$tmp/p" >"$tmp/file.json"; rc=$?
check "[ $rc -eq 0 ] && grep -q \"cache: not using\" '$tmp/err'" "a file as cache dir was not refused with a warning"

# rule packs' custom rules: run on the extractor's tree when parsing, on their
# own parse on a cache hit; the findings are the same either way
pk=(--rules "$src/tests/packs/org_rules.yaml" "$src/tests/packs/project")
run "${pk[@]}" >"$tmp/pk0.json"
run --cache "$tmp/pc" "${pk[@]}" >"$tmp/pk1.json"
run --cache "$tmp/pc" "${pk[@]}" >"$tmp/pk2.json"
check "grep -q 'cache: [1-9][0-9]* hits, 0 misses' '$tmp/err'" "pack project not served from the cache ($(grep cache: "$tmp/err"))"
check "grep -q ORG001 '$tmp/pk0.json' && cmp -s '$tmp/pk0.json' '$tmp/pk1.json' && cmp -s '$tmp/pk0.json' '$tmp/pk2.json'" "custom rule findings differ with the cache"

echo "cache: $pass passed, $fail failed"
[ $fail -eq 0 ]
