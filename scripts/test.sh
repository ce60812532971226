#!/usr/bin/env bash
# test.sh - install what is missing, build pa-audit with its tests, and run
# the whole suite: a normal build, a valgrind memcheck of the example audit,
# an AddressSanitizer+UBSan build, the threaded pipeline tests under
# ThreadSanitizer, and a libFuzzer smoke run of every fuzz target.
# Skip parts with PA_SKIP_VALGRIND=1, PA_SKIP_SANITIZERS=1, PA_SKIP_FUZZ=1.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/deps.sh
jobs=$(nproc)

cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build build -j"$jobs"
(cd build && ctest --output-on-failure -j"$jobs")

# Valgrind memcheck of the example audit (report files written, then JSON
# with a baseline round trip): no leak, no invalid access.
if [ "${PA_SKIP_VALGRIND:-0}" != 1 ]; then
  vg=(valgrind -q --leak-check=full --errors-for-leak-kinds=definite,indirect --error-exitcode=1)
  vgdir=$(mktemp -d); cp -r examples/jobboard "$vgdir/p"
  "${vg[@]}" build/pa-audit --date 2026-11-24 --fail-on never -q "$vgdir/p" >/dev/null
  "${vg[@]}" build/pa-audit --date 2026-11-24 --fail-on never --no-write --format json \
      --write-baseline "$vgdir/bl.json" "$vgdir/p" >/dev/null
  "${vg[@]}" build/pa-audit --date 2026-11-24 --fail-on never --no-write --format sarif \
      --baseline "$vgdir/bl.json" "$vgdir/p" >/dev/null
  # the facts cache: a cold run writes every entry (no uninitialised byte may
  # reach a file), a warm run decodes them
  for _ in cold warm; do
    "${vg[@]}" build/pa-audit --date 2026-11-24 --fail-on never --no-write -q --cache "$vgdir/cache" "$vgdir/p" >/dev/null
  done
  rm -rf "$vgdir"
  echo "test.sh: valgrind memcheck clean"
fi

if [ "${PA_SKIP_SANITIZERS:-0}" != 1 ]; then
  cache="-DPA_GRAMMAR_CACHE=$PWD/build/_grammars"
  cmake -S . -B build-asan -DCMAKE_BUILD_TYPE=Debug -DPA_SANITIZE=address,undefined $cache >/dev/null
  cmake --build build-asan -j"$jobs"
  (cd build-asan && ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1 \
     ctest --output-on-failure -j"$jobs")

  cmake -S . -B build-tsan -DCMAKE_BUILD_TYPE=Debug -DPA_SANITIZE=thread $cache >/dev/null
  cmake --build build-tsan -j"$jobs"
  (cd build-tsan && TSAN_OPTIONS=halt_on_error=1 PA_TEST_JOBS=4 ctest --output-on-failure -L threads)
fi

# libFuzzer smoke test: every target for PA_FUZZ_SECONDS (default 20 s) from
# the seed corpus (clang, -fsanitize=fuzzer,address,undefined). Long
# campaigns: tests/fuzz/README.md.
if [ "${PA_SKIP_FUZZ:-0}" != 1 ]; then
  # -seed=1: the same mutation sequence on every CI run (a smoke test, not a
  # campaign); -timeout 20 s leaves room for a loaded 2-core runner.
  PA_FUZZ_BUILD=build-fuzz PA_FUZZ_JOBS="$jobs" PA_FUZZ_TIMEOUT=20 PA_FUZZ_ARGS="${PA_FUZZ_ARGS:--seed=1}" \
    bash scripts/fuzz.sh "${PA_FUZZ_SECONDS:-20}"
fi
echo "test.sh: all suites passed"
