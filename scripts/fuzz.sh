#!/usr/bin/env bash
# fuzz.sh - build the libFuzzer targets (clang, -fsanitize=fuzzer,address,undefined)
# and run each one for a bounded time.
#
#   scripts/fuzz.sh [SECONDS] [TARGET...]
#
# SECONDS (default 30) is per target; with no TARGET every target runs, one
# after the other. Environment:
#   PA_FUZZ_BUILD   build directory            (default build-fuzz)
#   PA_FUZZ_CORPUS  corpus directory, kept between runs (default $PA_FUZZ_BUILD/corpus)
#   PA_FUZZ_JOBS    make -j for the build      (default nproc)
#   PA_FUZZ_ARGS    extra libFuzzer flags
#   PA_FUZZ_TIMEOUT seconds one input may take before it counts as a hang (default 10)
# A crash/leak/timeout input is written to $PA_FUZZ_BUILD/artifacts/<target>/
# and the script exits 1 after the remaining targets ran; copy such inputs to
# tests/fuzz/regressions/<target>/ once fixed (see tests/fuzz/README.md).
set -euo pipefail
cd "$(dirname "$0")/.."
secs=${1:-30}
shift || true
build=${PA_FUZZ_BUILD:-build-fuzz}
corpus=${PA_FUZZ_CORPUS:-$build/corpus}
jobs=${PA_FUZZ_JOBS:-$(nproc)}
cc=${CC:-}
if [ -z "$cc" ] || ! "$cc" --version 2>/dev/null | grep -q clang; then
  cc=$(command -v clang || command -v clang-14 || true)
fi
[ -n "$cc" ] || { echo "fuzz.sh: clang is required (apt-get install clang libclang-rt-14-dev)" >&2; exit 2; }

cache=()
[ -d build/_grammars ] && cache=(-DPA_GRAMMAR_CACHE="$PWD/build/_grammars")
CC="$cc" cmake -S . -B "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DPA_FUZZ=ON \
  -DPA_SANITIZE=address,undefined -DCMAKE_C_FLAGS="-fsanitize=fuzzer-no-link" "${cache[@]}" >/dev/null
cmake --build "$build" -j"$jobs" --target pa_fuzz_all

targets=("$@")
[ ${#targets[@]} -gt 0 ] || mapfile -t targets < "$build/fuzz_targets.txt"
seeds="$build/seeds"
rm -rf "$seeds"
"$build/tests/fuzz_make_corpus" --make-corpus "$seeds" >/dev/null

export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1:allocator_may_return_null=0}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
failed=()
for t in "${targets[@]}"; do
  mkdir -p "$corpus/$t" "$build/artifacts/$t" "$seeds/$t"
  dict=()
  case $t in   # token dictionaries (tests/fuzz/dicts/)
    python|suppress) dict=(-dict=tests/fuzz/dicts/python.dict) ;;
    config_yaml|disc_compose|packs) dict=(-dict=tests/fuzz/dicts/yaml.dict) ;;
  esac
  log="$build/artifacts/$t.log"
  echo "fuzz: $t for ${secs}s"
  # -timeout: one input taking over 10 s is a hang; -rss_limit_mb guards memory;
  # -close_fd_mask=2 silences the warnings pa-audit prints for bad input (crash
  # reports still reach the log: libFuzzer keeps its own copy of stderr)
  # shellcheck disable=SC2086
  if ! "$build/tests/fuzz_$t" -max_total_time="$secs" -timeout="${PA_FUZZ_TIMEOUT:-10}" -rss_limit_mb=2048 -max_len=65536 \
       -print_final_stats=1 -close_fd_mask=2 -artifact_prefix="$build/artifacts/$t/" "${dict[@]}" ${PA_FUZZ_ARGS:-} \
       "$corpus/$t" "$seeds/$t" >"$log" 2>&1; then
    echo "fuzz: $t FAILED - see $log and $build/artifacts/$t/" >&2
    tail -n 40 "$log" >&2
    failed+=("$t")
  else
    grep -E "^stat::number_of_executed_units|^stat::peak_rss_mb" "$log" | tr '\n' ' ' | sed "s/^/fuzz: $t: /"; echo
  fi
done
if [ ${#failed[@]} -gt 0 ]; then echo "fuzz.sh: failures in: ${failed[*]}" >&2; exit 1; fi
echo "fuzz.sh: ${#targets[@]} targets ran ${secs}s each without a finding"
