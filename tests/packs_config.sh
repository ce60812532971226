#!/usr/bin/env bash
# packs_config.sh - a project's config may name rule packs' custom rules
# (select/ignore/severity: ORG001, ORG): the ids are checked once the packs
# are loaded; an id that no built-in rule and no loaded pack has is a usage
# error (exit 2) naming the config file, line and key. `rules` and `explain`
# with --rules list and explain the packs' rules.
# Usage: packs_config.sh PA_AUDIT_BINARY SOURCE_DIR
set -u
bin=$1; src=$2
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
. "$(dirname "$0")/lib/check.sh"

cp -r "$src/tests/packs/project" "$tmp/p"
pack="$src/tests/packs/org_rules.yaml"
run() { "$bin" --no-write --no-color --date 2026-01-01 --fail-on never --format json --rules "$pack" "$@" "$tmp/p" 2>"$tmp/err"; }
sev() { python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); print(sorted({f["severity"] for f in d["findings"] if f["rule"]==sys.argv[2]}))' "$1" "$2"; }
cnt() { python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); print(sum(1 for f in d["findings"] if f["rule"].startswith(sys.argv[2])))' "$1" "$2"; }

run >"$tmp/plain.json"; rc=$?
check "[ $rc -eq 0 ] && [ \$(cnt '$tmp/plain.json' ORG001) -gt 0 ] && [ \$(cnt '$tmp/plain.json' ORG002) -gt 0 ]" "the pack's rules did not fire (rc $rc)"

# severity of a custom rule, and ignore by id
printf 'severity:\n  ORG001: CRITICAL\nignore: [ORG002]\n' >"$tmp/p/.pa-audit.yml"
run >"$tmp/cfg.json"; rc=$?
check "[ $rc -eq 0 ]" "config naming custom rules refused (rc $rc: $(head -c 300 "$tmp/err"))"
check "[ \"\$(sev '$tmp/cfg.json' ORG001)\" = \"['CRITICAL']\" ]" "severity override of ORG001 not applied: $(sev "$tmp/cfg.json" ORG001)"
check "[ \$(cnt '$tmp/cfg.json' ORG002) -eq 0 ]" "ignore: [ORG002] not applied"

# select by a custom prefix: only the pack's rules run
printf 'select: [ORG]\n' >"$tmp/p/.pa-audit.yml"
run >"$tmp/sel.json"; rc=$?
check "[ $rc -eq 0 ] && [ \$(cnt '$tmp/sel.json' PA) -eq 0 ] && [ \$(cnt '$tmp/sel.json' ORG) -gt 0 ]" "select: [ORG] did not select only the pack's rules"

# an id no pack defines: exit 2 with file, line and key
printf 'select: [PA3]\nseverity:\n  ORG009: LOW\n' >"$tmp/p/.pa-audit.yml"
run >/dev/null; rc=$?
check "[ $rc -eq 2 ] && grep -q \".pa-audit.yml:3: key 'severity': unknown rule id 'ORG009'\" '$tmp/err'" "unknown custom id: rc $rc, $(head -c 300 "$tmp/err")"
# without the pack, its ids are unknown too
printf 'ignore: [ORG001]\n' >"$tmp/p/.pa-audit.yml"
"$bin" --no-write --fail-on never "$tmp/p" >/dev/null 2>"$tmp/err"; rc=$?
check "[ $rc -eq 2 ] && grep -q \".pa-audit.yml:1: key 'ignore': unknown rule id or prefix 'ORG001'\" '$tmp/err'" "custom id without its pack: rc $rc, $(head -c 300 "$tmp/err")"
# built-in-shaped ids are still checked at once
printf 'select: [PA999]\n' >"$tmp/p/.pa-audit.yml"
run >/dev/null; rc=$?
check "[ $rc -eq 2 ] && grep -q \"unknown rule id or prefix 'PA999'\" '$tmp/err'" "PA999 not refused: rc $rc"

# `rules` and `explain` list and explain the packs' rules given with --rules
"$bin" rules --rules "$pack" >"$tmp/rules.txt" 2>&1; rc=$?
check "[ $rc -eq 0 ] && grep -q '^ORG001 ' '$tmp/rules.txt' && grep -q '^PA301 ' '$tmp/rules.txt'" "rules --rules does not list ORG001 (rc $rc)"
"$bin" explain org001 --rules "$pack" >"$tmp/explain.txt" 2>&1; rc=$?
check "[ $rc -eq 0 ] && grep -q '^# ORG001' '$tmp/explain.txt' && grep -q 'org_rules.yaml (line' '$tmp/explain.txt'" "explain ORG001 --rules failed (rc $rc)"
"$bin" explain ORG001 >/dev/null 2>"$tmp/err"; rc=$?
check "[ $rc -eq 2 ] && grep -q 'need --rules FILE' '$tmp/err'" "explain ORG001 without its pack: rc $rc"

echo "packs_config: $pass passed, $fail failed"
[ $fail -eq 0 ]
