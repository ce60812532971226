#!/usr/bin/env bash
# test.sh - install what is missing, build pa-audit with its tests, and run
# the whole suite: a normal build, an AddressSanitizer+UBSan build, and the
# threaded pipeline tests under ThreadSanitizer.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/deps.sh
jobs=$(nproc)

cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build build -j"$jobs"
(cd build && ctest --output-on-failure -j"$jobs")

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
echo "test.sh: all suites passed"
