#!/usr/bin/env bash
# demo.sh - install what is missing, build pa-audit, and audit the bundled
# example service (examples/jobboard). Reports are written under
# examples/jobboard/docs/project/.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/deps.sh
cmake -S . -B build -DCMAKE_BUILD_TYPE=Release -DPA_BUILD_TESTS=OFF >/dev/null
cmake --build build -j"$(nproc)"
./build/pa-audit --fail-on never examples/jobboard
echo
echo "Consolidated report: examples/jobboard/docs/project/persistence_audit.md"
