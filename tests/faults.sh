#!/usr/bin/env bash
# faults.sh - pa-audit under failure: an output directory that cannot be
# written, a full disk (a 64 KiB tmpfs when we may mount, else a file-size
# limit), SIGKILL at random moments of a run (every report file must then be
# either the previous or the new complete version), SIGINT / SIGTERM (exit
# 130 / 143, message, no partial or temporary files), and allocation failure
# (a memory limit: "pa-audit: out of memory", never a silent or 0/1 exit).
# Usage: faults.sh PA_AUDIT_BINARY SOURCE_DIR
# (PA_FAULTS_NO_MOUNT=1 forces the ulimit -f variant of the disk-full case;
# PA_FAULTS_KILLS sets the number of SIGKILL rounds, default 40.)
set -u
bin=$1; src=$2
tmp=$(mktemp -d)
mnt=""
cleanup() { [ -n "$mnt" ] && umount "$mnt" 2>/dev/null; chmod -R u+rwx "$tmp" 2>/dev/null; rm -rf "$tmp"; }
trap cleanup EXIT
. "$(dirname "$0")/lib/check.sh"
note() { echo "faults: $*" >&2; }

D1=2026-01-01; D2=2026-11-24
W=docs/project/.audit/ln-650
C=docs/project/persistence_audit.md
workers="651-query-efficiency.md 652-transaction-correctness.md 653-runtime-performance.md"
# no temporary report files (name.tmp.XXXXXX) left under DIR
no_tmp() { [ -z "$(find "$1" -name '*.tmp.*' 2>/dev/null | head -1)" ]; }

# ---------------------------------------------------------------- references
# The project, audited once at D1 ("old") and once at D2 ("new"), keeping the
# report files of each for comparison. Output is deterministic (--date fixed).
p="$tmp/p"; cp -r "$src/examples/jobboard" "$p"
run() { timeout -k 5 120 "$bin" --date "$1" --fail-on never -q "$p" >/dev/null 2>"$tmp/run.err"; }
run $D2; rc=$?
check '[ $rc -eq 0 ]' "reference run at $D2: exit $rc ($(head -c 300 "$tmp/run.err"))"
mkdir -p "$tmp/ref_new"; cp "$p/$C" "$tmp/ref_new/consolidated.md"
for w in $workers; do cp "$p/$W/$D2/$w" "$tmp/ref_new/$w"; done
rm -rf "$p/$W/$D2"
run $D1; rc=$?
check '[ $rc -eq 0 ]' "reference run at $D1: exit $rc"
cp "$p/$C" "$tmp/ref_old_consolidated.md"
check '! cmp -s "$tmp/ref_old_consolidated.md" "$tmp/ref_new/consolidated.md"' "old and new consolidated reports are identical (test cannot tell them apart)"
reset_old() { cp "$tmp/ref_old_consolidated.md" "$p/$C"; rm -rf "$p/$W/$D2"; find "$p/docs" -name '*.tmp.*' -delete; }
# every report is the old or the new complete version (or, for the D2
# worker reports, absent)
consistent() {
  cmp -s "$p/$C" "$tmp/ref_old_consolidated.md" || cmp -s "$p/$C" "$tmp/ref_new/consolidated.md" || return 1
  for w in $workers; do
    [ ! -e "$p/$W/$D2/$w" ] || cmp -s "$p/$W/$D2/$w" "$tmp/ref_new/$w" || return 1
  done
  [ -f "$p/$W/$D1/651-query-efficiency.md" ] || return 1
}

# ---------------------------------------------------------------- unwritable output
# docs/project is a file: nothing can be written below it
q="$tmp/q"; cp -r "$src/examples/jobboard" "$q"; rm -rf "$q/docs/project"; echo "not a dir" > "$q/docs/project"
timeout -k 5 60 "$bin" --date $D2 --fail-on never "$q" >"$tmp/q.out" 2>"$tmp/q.err"; rc=$?
check '[ $rc -eq 2 ]' "docs/project is a file: exit $rc, want 2"
check 'grep -qi "cannot write" "$tmp/q.err"' "docs/project is a file: no 'cannot write' message ($(head -c 200 "$tmp/q.err"))"
check '[ "$(cat "$q/docs/project")" = "not a dir" ]' "docs/project (a file) was modified"
# --no-write on the same tree is fine
timeout -k 5 60 "$bin" --date $D2 --fail-on never --no-write "$q" >/dev/null 2>&1; rc=$?
check '[ $rc -eq 0 ]' "--no-write on an unwritable tree: exit $rc, want 0"
# stdout that cannot take the output: a full device, a closed descriptor
if [ -w /dev/full ]; then
  timeout -k 5 60 "$bin" --no-write --fail-on never --format json "$q" >/dev/full 2>"$tmp/full_out.err"; rc=$?
  check '[ $rc -eq 2 ] && grep -qi "cannot write" "$tmp/full_out.err"' "stdout on /dev/full: exit $rc, want 2 with a message"
fi
timeout -k 5 60 "$bin" --no-write --fail-on never --format json "$q" >&- 2>"$tmp/closed_out.err"; rc=$?
check '[ $rc -eq 2 ]' "closed stdout: exit $rc, want 2"
# a read-only project for a non-root user
if [ "$(id -u)" = 0 ] && command -v setpriv >/dev/null && id nobody >/dev/null 2>&1 && \
   setpriv --reuid=nobody --regid=nogroup --clear-groups "$bin" --version >/dev/null 2>&1; then
  r="$tmp/ro"; cp -r "$src/examples/jobboard" "$r"; chmod 755 "$tmp"; chmod -R a+rX,go-w "$r"
  timeout -k 5 60 setpriv --reuid=nobody --regid=nogroup --clear-groups "$bin" --date $D2 --fail-on never "$r" \
      >/dev/null 2>"$tmp/ro.err"; rc=$?
  check '[ $rc -eq 2 ]' "read-only project (as nobody): exit $rc, want 2"
  check 'grep -qi "cannot write" "$tmp/ro.err"' "read-only project: no 'cannot write' message"
  check '[ ! -e "$r/$W/$D2" ] || [ -z "$(find "$r/$W/$D2" -type f)" ]' "read-only project: files appeared"
  # -o to an unwritable place
  timeout -k 5 60 setpriv --reuid=nobody --regid=nogroup --clear-groups "$bin" --no-write -o /proc/version/x.json \
      --format json "$r" >/dev/null 2>"$tmp/ro2.err"; rc=$?
  check '[ $rc -eq 2 ]' "-o into an unwritable path: exit $rc, want 2"
else
  note "read-only project as non-root: skipped (not root, no setpriv/nobody, or nobody cannot run $bin)"
fi

# ---------------------------------------------------------------- disk full
f="$tmp/full"; cp -r "$src/examples/jobboard" "$f"
mkdir -p "$f/docs/project"; echo "previous report" > "$tmp/prev.md"
how=""
if [ "$(id -u)" = 0 ] && [ "${PA_FAULTS_NO_MOUNT:-0}" != 1 ] && mount -t tmpfs -o size=64k tmpfs "$f/docs/project" 2>/dev/null; then
  mnt="$f/docs/project"; how="a 64 KiB tmpfs"
  cp "$tmp/prev.md" "$f/$C"
  # leave ~6 KiB free: the worker reports fit partly, the rest must fail cleanly
  avail=$(df -k --output=avail "$mnt" | tail -1)
  [ "$avail" -gt 6 ] && head -c $(( (avail - 6) * 1024 )) /dev/zero > "$mnt/filler" 2>/dev/null
  timeout -k 5 60 "$bin" --date $D2 --fail-on never "$f" >/dev/null 2>"$tmp/full.err"; rc=$?
else
  how="a file-size limit (ulimit -f)"
  cp "$tmp/prev.md" "$f/$C"
  ( ulimit -f 4; exec timeout -k 5 60 "$bin" --date $D2 --fail-on never "$f" >/dev/null 2>"$tmp/full.err" ); rc=$?
fi
check '[ $rc -eq 2 ]' "disk full ($how): exit $rc, want 2 ($(head -c 300 "$tmp/full.err"))"
check 'grep -qi "cannot write" "$tmp/full.err"' "disk full ($how): no 'cannot write' message"
check 'cmp -s "$f/$C" "$tmp/prev.md"' "disk full ($how): the previous consolidated report was damaged"
check 'no_tmp "$f/docs"' "disk full ($how): temporary files left behind"
for w in $workers; do
  x="$f/$W/$D2/$w"
  check '[ ! -e "$x" ] || cmp -s "$x" "$tmp/ref_new/$w"' "disk full ($how): $w is truncated"
done
if [ -n "$mnt" ]; then umount "$mnt"; mnt=""; fi

# ---------------------------------------------------------------- SIGKILL mid-run
# Kill at random moments of a run (over the run's whole duration, report
# writing included); afterwards every report is the old or the new version.
reset_old
s=$(date +%s%N); run $D2; e=$(( ($(date +%s%N) - s) / 1000 ))   # microseconds
reset_old
iters=${PA_FAULTS_KILLS:-40}; nold=0; nnew=0; nbad=0; ntmp=0
for i in $(seq 1 "$iters"); do
  delay=$(( RANDOM * 32768 + RANDOM )); delay=$(( delay % (e + e / 5 + 1) ))
  "$bin" --date $D2 --fail-on never -q "$p" >/dev/null 2>&1 &
  pid=$!
  sleep "$(printf '0.%06d' "$delay")" 2>/dev/null || sleep 0
  kill -KILL $pid 2>/dev/null
  wait $pid 2>/dev/null
  if consistent; then
    if cmp -s "$p/$C" "$tmp/ref_new/consolidated.md"; then nnew=$((nnew+1)); else nold=$((nold+1)); fi
  else
    nbad=$((nbad+1)); cp "$p/$C" "$tmp/bad_$i.md" 2>/dev/null
  fi
  no_tmp "$p/docs" || ntmp=$((ntmp+1))
  reset_old
done
check '[ $nbad -eq 0 ]' "SIGKILL: $nbad of $iters runs left a report that is neither the old nor the new version"
note "SIGKILL: $iters kills over a ${e}us run: $nold left the old report, $nnew the new one, $nbad damaged; $ntmp left a temporary file (never a report name)"

# ---------------------------------------------------------------- SIGINT / SIGTERM
# A bigger tree so the signal lands mid-run; the handler lets the pipeline
# stop at the next phase boundary: exit 128+signo, "interrupted", no report
# started, no temporary file.
big="$tmp/big"; cp -r "$src/examples/jobboard" "$big"
python3 - "$big/app" <<'EOF'
import os, sys
body = "import time\n\n\nasync def h%d():\n    time.sleep(1)\n"
for d in range(8):
    os.makedirs(f"{sys.argv[1]}/gen{d}", exist_ok=True)
    for i in range(250):
        with open(f"{sys.argv[1]}/gen{d}/m{i}.py", "w") as fh:
            fh.write("".join(body % k for k in range(20)))
EOF
for sig in INT TERM; do
  want=$([ $sig = INT ] && echo 130 || echo 143)
  nint=0; nfin=0; nbadx=0
  for delay in 0.05 0.2 0.5 1.0; do
    rm -rf "$big/docs/project/.audit" "$big/$C"
    "$bin" --date $D2 --fail-on never "$big" >/dev/null 2>"$tmp/int.err" &
    pid=$!
    sleep $delay
    kill -$sig $pid 2>/dev/null
    wait $pid; rc=$?
    if [ $rc -eq $want ]; then
      nint=$((nint+1))
      grep -q "interrupted" "$tmp/int.err" || { nbadx=$((nbadx+1)); bad "SIG$sig: no 'interrupted' message"; }
      # nothing, or only complete files: the handler never cuts a write
      for x in $(find "$big/docs/project" -name '*.md' -newer "$tmp/int.err" 2>/dev/null); do
        grep -q "Sources Consulted\|AUDIT-META" "$x" || { nbadx=$((nbadx+1)); bad "SIG$sig: partial file $x"; }
      done
    elif [ $rc -eq 0 ]; then
      nfin=$((nfin+1))   # finished before the signal arrived
    else
      nbadx=$((nbadx+1)); bad "SIG$sig after ${delay}s: exit $rc, want $want (or 0 when already done)"
    fi
    no_tmp "$big/docs" || { nbadx=$((nbadx+1)); bad "SIG$sig: temporary file left"; }
  done
  check '[ $nint -ge 1 ]' "SIG$sig: no run was interrupted (exit $want) - the tree is too small to catch it"
  check '[ $nbadx -eq 0 ]' "SIG$sig: $nbadx problems"
  note "SIG$sig: $nint runs interrupted cleanly (exit $want), $nfin finished first"
done

# ---------------------------------------------------------------- out of memory
# A memory limit (ulimit -v) with a large input: allocation fails somewhere
# (pa_xmalloc, tree-sitter through the same wrappers): the message must be
# "pa-audit: out of memory" and the exit code 2 (internal error; 0 or 1
# would read as "audit passed / findings").
if ( ulimit -v 400000; "$bin" --version ) >/dev/null 2>&1; then
  o="$tmp/oom"; mkdir -p "$o"
  python3 - "$o/big.py" <<'EOF'
import sys
body = "import time\n\n\nasync def h(x):\n    time.sleep(1)\n    return [y for y in x if y]\n"
open(sys.argv[1], "w").write(body * 60000)
EOF
  seen=0
  for v in 150000 250000; do
    ( ulimit -v $v; exec timeout -k 5 60 "$bin" --no-write -j 1 --fail-on never "$o" >/dev/null 2>"$tmp/oom.err" ); rc=$?
    if [ $rc -eq 0 ]; then continue; fi   # enough memory at this limit
    seen=$((seen+1))
    check '[ $rc -eq 2 ]' "OOM at ${v} KiB: exit $rc, expected 2 (internal error)"
    check 'grep -q "pa-audit: out of memory" "$tmp/oom.err"' "OOM at ${v} KiB: exit $rc without 'pa-audit: out of memory' ($(head -c 200 "$tmp/oom.err"))"
  done
  [ $seen -gt 0 ] || note "OOM: the input fitted under every limit tried"
else
  note "OOM: skipped (this binary cannot start under ulimit -v - a sanitizer build)"
fi

echo "faults.sh: $pass passed, $fail failed"
[ $fail -eq 0 ]
