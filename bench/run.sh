#!/usr/bin/env bash
# bench/run.sh - throughput and memory of pa-audit on this machine's Python
# standard library, its site-packages and a synthetic project at 1x/10x/100x
# the bundled example; the parse floor (--parse-only) and the ratio to it;
# -j1 vs -j2; a warm --cache re-run; and ruff's WebAssembly build (ASYNC, PERF, C4) on the same
# files. Usage: bench/run.sh [--no-ruff] [--runs N]
set -euo pipefail
cd "$(dirname "$0")/.."
ruff=1; runs=3
while [ $# -gt 0 ]; do
  case $1 in --no-ruff) ruff=0 ;; --runs) runs=$2; shift ;; *) echo "usage: bench/run.sh [--no-ruff] [--runs N]" >&2; exit 2 ;; esac
  shift
done
bash scripts/deps.sh
cmake -S . -B build-bench -DCMAKE_BUILD_TYPE=Release -DPA_BUILD_TESTS=OFF >/dev/null
cmake --build build-bench -j"$(nproc)" >/dev/null
BIN=$PWD/build-bench/pa-audit
cache=$PWD/bench/.cache; mkdir -p "$cache"
STD=$(python3 -c 'import sysconfig; print(sysconfig.get_paths()["stdlib"])')
SITE=$(python3 -c 'import sysconfig; print(sysconfig.get_paths()["purelib"])')
jobs=$(nproc)

# best-of-N wall time and the peak RSS of that run: "secs rss_kb"
best() {
  local b="" rss=""
  for _ in $(seq "$runs"); do
    /usr/bin/time -f "%e %M" -o "$cache/time.txt" "$@" >"$cache/out.txt" 2>"$cache/err.txt" || true
    read -r s m <"$cache/time.txt"
    if [ -z "$b" ] || awk "BEGIN{exit !($s < $b)}"; then b=$s; rss=$m; cp "$cache/err.txt" "$cache/best_err.txt"; fi
  done
  echo "$b $rss"
}

row() { # label dir extra-args...
  local label=$1 dir=$2; shift 2
  read -r t rss < <(best "$BIN" --no-default-excludes --no-write --fail-on never -q --timings -j"$jobs" "$@" "$dir")
  local files mb
  cp "$cache/best_err.txt" "$cache/audit_err.txt"
  files=$(grep -o 'timings ([0-9]* files' "$cache/best_err.txt" | grep -o '[0-9]*')
  mb=$(grep -o ', [0-9.]* MB' "$cache/best_err.txt" | grep -o '[0-9.]*')
  read -r tp _ < <(best "$BIN" --parse-only --no-default-excludes -j"$jobs" "$@" "$dir")
  printf '%-22s %7s files %8.2f MB %8.3f s %7.1f MB/s  peak %6.1f MB  parse-only %7.3f s  audit/parse %5.2f\n' \
    "$label" "$files" "$mb" "$t" "$(awk "BEGIN{print $mb/($t>0?$t:1e-9)}")" "$(awk "BEGIN{print $rss/1024}")" \
    "$tp" "$(awk "BEGIN{print $t/($tp>0?$tp:1e-9)}")"
  local ti tpe
  ti=$(awk '$1 == "index" {print $2}' "$cache/audit_err.txt")
  tpe=$(awk '$1 == "parse+extract" {print $2}' "$cache/audit_err.txt")
  printf '      index %.3f s: %.1f%% of parse+extract, %.1f%% of parse-only\n' "$ti" \
    "$(awk "BEGIN{print 100*$ti/($tpe>0?$tpe:1e-9)}")" "$(awk "BEGIN{print 100*$ti/($tp>0?$tp:1e-9)}")"
  grep -E '^  [a-z]' "$cache/audit_err.txt" | grep -v ' total ' \
    | sed -E 's/^  (.*[^ ]) +([0-9.]+) s(.*)$/      phase \1: \2 s\3/'

  eval "T_${label//[^a-zA-Z0-9]/_}=$t"
}

echo "pa-audit bench on $(nproc) cores, best of $runs; $(date -u +%Y-%m-%d)"
row stdlib "$STD" --exclude site-packages
row site-packages "$SITE"
read -r t1 _ < <(best "$BIN" --no-default-excludes --no-write --fail-on never -q -j1 --exclude site-packages "$STD")
printf '%-22s -j1 %.3f s, -j%s %.3f s: speed-up %.2fx\n' stdlib "$t1" "$jobs" "$T_stdlib" "$(awk "BEGIN{print $t1/$T_stdlib}")"
printf '%-22s site-packages / stdlib time: %.2fx\n' "" "$(awk "BEGIN{print $T_site_packages/$T_stdlib}")"

# incremental cache (--cache): a cold run fills it, warm runs hit every file
rm -rf "$cache/facts-cache"
read -r tc _ < <(runs=1 best "$BIN" --no-default-excludes --no-write --fail-on never -q -j"$jobs" --exclude site-packages --cache "$cache/facts-cache" "$STD")
read -r tw rw < <(best "$BIN" --no-default-excludes --no-write --fail-on never -q -j"$jobs" --exclude site-packages --cache "$cache/facts-cache" "$STD")
printf '%-22s --cache cold %.3f s, warm %.3f s (peak %.1f MB): warm is %.2fx faster than an uncached run\n' stdlib \
  "$tc" "$tw" "$(awk "BEGIN{print $rw/1024}")" "$(awk "BEGIN{print $T_stdlib/($tw>0?$tw:1e-9)}")"

for n in 1 10 100; do
  python3 bench/gen_synthetic.py "$n" "$cache/synthetic_$n"
  row "synthetic-${n}x" "$cache/synthetic_$n"
done

if [ $ruff = 1 ]; then
  # ruff's WebAssembly build, fetched with npm pack and checked against its pinned integrity
  ver=0.17.4
  sha=a446890e1fd95327d62b8c3437322417be1bad7b59c8d37dfcd08f96e4a3dd9f466268d0c46e12aa454288b52fc59d1b68e00f692851ea75145ae6e37b1cc47c
  tgz="$cache/astral-sh-ruff-wasm-nodejs-$ver.tgz"
  [ -f "$tgz" ] || (cd "$cache" && npm pack --silent "@astral-sh/ruff-wasm-nodejs@$ver" >/dev/null)
  if [ "$(sha512sum "$tgz" | cut -c1-128)" != "$sha" ]; then echo "ruff-wasm tarball integrity mismatch" >&2; exit 1; fi
  rm -rf "$cache/ruff" && mkdir -p "$cache/ruff" && tar xzf "$tgz" -C "$cache/ruff"
  find "$STD" -path "$STD/site-packages" -prune -o -name '*.py' -type f -print | sort >"$cache/files.txt"
  out=$(node bench/ruff_check.mjs "$cache/ruff/package" "$cache/files.txt")
  rt=$(echo "$out" | awk '{print $6}')
  printf 'ruff-wasm (ASYNC,PERF,C4) stdlib: %s; pa-audit/ruff wall time: %.2f\n' "$out" "$(awk "BEGIN{print $T_stdlib/$rt}")"
fi
