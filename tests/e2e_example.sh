#!/usr/bin/env bash
# e2e_example.sh - end-to-end audit of the bundled example project: report
# files and their sections, JSON contract keys, score arithmetic, exit codes
# under --fail-on, --no-write, and that earlier audit folders survive.
# Usage: e2e_example.sh PA_AUDIT_BINARY SOURCE_DIR
set -u
bin=$1; src=$2
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
. "$(dirname "$0")/lib/check.sh"

cp -r "$src/examples/jobboard" "$tmp/p"
mkdir -p "$tmp/p/docs/project/.audit/ln-650/2020-01-01"
echo old > "$tmp/p/docs/project/.audit/ln-650/2020-01-01/keep.md"

"$bin" --date 2026-11-24 "$tmp/p" >"$tmp/out.txt" 2>"$tmp/err.txt"; rc=$?
check '[ $rc -eq 0 ] || [ $rc -eq 1 ]' "audit exit code $rc (stderr: $(head -c 400 "$tmp/err.txt"))"
d="$tmp/p/docs/project/.audit/ln-650/2026-11-24"
for f in 651-query-efficiency.md 652-transaction-correctness.md 653-runtime-performance.md; do
  check '[ -s "$d/$f" ]' "missing worker report $f"
  check 'grep -q "<!-- AUDIT-META" "$d/$f"' "$f: no AUDIT-META block"
  for k in worker category domain scan_path score total_issues critical high medium low status; do
    check 'grep -q "^$k: " "$d/$f"' "$f: AUDIT-META lacks $k"
  done
  check 'grep -q "| ID | Check | Status | Details |" "$d/$f"' "$f: no Checks table"
  check 'grep -q "| Severity | Location | Issue | Principle | Recommendation | Effort |" "$d/$f"' "$f: no Findings table"
done
check '[ -f "$tmp/p/docs/project/.audit/ln-650/2020-01-01/keep.md" ]' "earlier audit folder was deleted"
c="$tmp/p/docs/project/persistence_audit.md"
check '[ -s "$c" ]' "no consolidated report"
# sections in the order CONTRACT.md gives
prev=0
for s in "Executive Summary" "Compliance Score" "Severity Summary" "Findings by Category" "Advisory Findings" "Recommended Actions" "Sources Consulted"; do
  n=$(grep -n "^## .*$s" "$c" | head -1 | cut -d: -f1)
  check '[ -n "$n" ] && [ "$n" -gt "$prev" ]' "consolidated report: section '$s' missing or out of order"
  prev=${n:-$prev}
done
check 'grep -q "2026-11-24" "$c"' "consolidated report has no date"
# context validation on the example: the ADR makes a finding advisory (Rule 1) and execution context lowers others (Rule 6)
check 'sed -n "/^## Advisory Findings/,/^## Recommended/p" "$c" | grep -q "\[Planned: ADR-007\]"' "no Rule 1 (ADR-007) advisory finding in the Advisory section"
check 'grep -q "lowered from HIGH: Rule 6 (execution context)" "$c"' "no Rule 6 downgrade in the consolidated report"
check 'grep -q "^Overall: .*/10 | Issues: " "$tmp/out.txt"' "text summary has no Overall line"
check 'grep -q "^Report written: docs/project/.audit/ln-650/2026-11-24/651-query-efficiency.md" "$tmp/out.txt"' "text summary lacks Report written line"

# JSON contract and score arithmetic
"$bin" --date 2026-11-24 --no-write --format json "$tmp/p" >"$tmp/a.json" 2>/dev/null
python3 - "$tmp/a.json" <<'PY' || bad "JSON contract check"
import json, sys
j = json.load(open(sys.argv[1]))
for k in ["tool", "date", "root", "context", "overall_score", "categories", "findings", "skipped_files"]:
    assert k in j, k
assert j["tool"]["name"] == "pa-audit"
assert [c["id"] for c in j["categories"]] == ["query_efficiency", "transaction_correctness", "runtime_performance"]
w = {"CRITICAL": 2.0, "HIGH": 1.0, "MEDIUM": 0.5, "LOW": 0.2}
scores = []
for c in j["categories"]:
    fs = [f for f in j["findings"] if f["category"] == c["id"] and not f["advisory"]]
    pen = sum(w[f["severity"]] for f in fs)
    exp = round(max(0.0, 10 - pen) + 1e-9, 1)
    assert abs(c["score"] - exp) < 0.051, (c["id"], c["score"], exp)
    for k in ["critical", "high", "medium", "low"]:
        assert c[k] == sum(1 for f in fs if f["severity"] == k.upper()), (c["id"], k)
    assert len(c["checks"]) > 0
    for ch in c["checks"]:
        assert ch["status"] in ("passed", "failed", "warning", "skipped")
    scores.append(c["score"])
assert abs(j["overall_score"] - round(sum(scores) / 3 + 1e-9, 1)) < 0.051
keys = ["rule", "check", "category", "severity", "original_severity", "advisory", "baseline", "path", "line",
        "column", "end_line", "issue", "principle", "recommendation", "effort", "trace", "fingerprint"]
order = {"CRITICAL": 0, "HIGH": 1, "MEDIUM": 2, "LOW": 3}
prev = None
for f in j["findings"]:
    for k in keys:
        assert k in f, k
    key = (order[f["severity"]], f["path"], f["line"])
    assert prev is None or prev <= key, (prev, key)
    prev = key
    assert not f["path"].startswith("/")
PY
check 'grep -q "\"PA303\"" "$tmp/a.json"' "example: no PA303 finding"

# exit codes: a HIGH finding exists -> 0 under the default (critical, unless the example has a critical), 1 under --fail-on high
"$bin" --no-write --fail-on high --format json "$tmp/p" >/dev/null 2>&1; rc=$?
check '[ $rc -eq 1 ]' "--fail-on high should exit 1 (got $rc)"
"$bin" --no-write --fail-on never "$tmp/p" >/dev/null 2>&1; rc=$?
check '[ $rc -eq 0 ]' "--fail-on never should exit 0 (got $rc)"
"$bin" --no-write --fail-on never --fail-under 10 "$tmp/p" >/dev/null 2>&1; rc=$?
check '[ $rc -eq 1 ]' "--fail-under 10 should exit 1 (got $rc)"
"$bin" --no-write --select PA304 --fail-on high "$tmp/p" >/dev/null 2>&1; rc=$?
check '[ $rc -eq 0 ]' "--select PA304 --fail-on high should exit 0 (PA304 is never HIGH) (got $rc)"

# usage errors exit 2
"$bin" --bogus "$tmp/p" >/dev/null 2>&1; check '[ $? -eq 2 ]' "unknown option should exit 2"
"$bin" --format xml "$tmp/p" >/dev/null 2>&1; check '[ $? -eq 2 ]' "bad --format should exit 2"
"$bin" --date 2026-02-30 "$tmp/p" >/dev/null 2>&1; check '[ $? -eq 2 ]' "bad --date should exit 2"
"$bin" "$tmp/does-not-exist" >/dev/null 2>&1; check '[ $? -eq 2 ]' "missing PATH should exit 2"
"$bin" explain PA999 >/dev/null 2>&1; check '[ $? -eq 2 ]' "explain of an unknown rule should exit 2"
"$bin" explain PA303 | grep -q "PA303" ; check '[ $? -eq 0 ]' "explain PA303 prints the page"
[ "$("$bin" rules | tail -n +2 | wc -l)" -eq 18 ]; check '[ $? -eq 0 ]' "rules lists 18 rules"
"$bin" --version | grep -q "^pa-audit [0-9]"; check '[ $? -eq 0 ]' "--version"

# --no-write writes nothing
cp -r "$src/examples/jobboard" "$tmp/q"
rm -rf "$tmp/q/docs/project/.audit" "$tmp/q/docs/project/persistence_audit.md"
"$bin" --no-write "$tmp/q" >/dev/null 2>&1
check '[ ! -e "$tmp/q/docs/project/persistence_audit.md" ] && [ ! -e "$tmp/q/docs/project/.audit" ]' "--no-write wrote files"

# --print-context on the example
"$bin" --print-context "$tmp/q" >"$tmp/ctx.json" 2>/dev/null; check '[ $? -eq 0 ]' "--print-context exit code"
python3 - "$tmp/ctx.json" <<'PY' || bad "--print-context content"
import json, sys
c = json.load(open(sys.argv[1]))
ts = c["tech_stack"]
assert ts["database"]["name"] == "PostgreSQL" and str(ts["database"]["version"]).startswith("16"), ts["database"]
assert ts["orm"]["name"] == "SQLAlchemy" and ts["orm"]["async"] is True, ts["orm"]
assert ts["framework"]["name"] == "FastAPI", ts["framework"]
assert any(s.get("expire_on_commit") is False for s in c["db_config"]["sessions"]), c["db_config"]
assert any(t["table"] == "jobs" and t["notifies"] for t in c["triggers"]), c["triggers"]
PY

echo "e2e_example: $pass passed, $fail failed"
[ $fail -eq 0 ]
