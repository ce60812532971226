#!/usr/bin/env bash
# sarif_validate.sh - validates pa-audit's SARIF with Microsoft's SARIF
# validator (npm package @microsoft/sarif-multitool-linux, pinned and checked
# against its integrity hash, cached in the build tree): the SARIF 2.1.0 rules
# plus GitHub's ingestion rules; zero errors and zero warnings is the bar.
# Usage: sarif_validate.sh PA_AUDIT_BINARY SOURCE_DIR
set -u
bin=$1; src=$2
ver=5.7.0
sha=37151ba6ae884825a84d0fcd7ce604c040caab51de91afeb3282794792ccc9d7006505ff5fb8399961dc8310ee6fed0cd3b2c2f7ab59e4b647bc5d50cb78234c
cache="$(cd "$(dirname "$bin")" && pwd)/_sarif_multitool"
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
pass=0; fail=0
tool="$cache/package/Sarif.Multitool"
if [ ! -x "$tool" ]; then
  mkdir -p "$cache"
  tgz="$cache/microsoft-sarif-multitool-linux-$ver.tgz"
  [ -f "$tgz" ] || (cd "$cache" && npm pack --silent "@microsoft/sarif-multitool-linux@$ver" >/dev/null 2>&1)
  if [ ! -f "$tgz" ] || [ "$(sha512sum "$tgz" | cut -c1-128)" != "$sha" ]; then
    rm -f "$tgz"
    echo "sarif_validate: cannot fetch or verify @microsoft/sarif-multitool-linux@$ver with npm pack" >&2
    echo "sarif_validate: 0 passed, 1 failed"; exit 1
  fi
  tar xzf "$tgz" -C "$cache" && chmod +x "$tool"
fi
export DOTNET_SYSTEM_GLOBALIZATION_INVARIANT=1 DOTNET_CLI_TELEMETRY_OPTOUT=1
for target in "$src/examples/jobboard" "$src/tests/rules/PA303" "$src/tests/rules/PA107" "$src/tests/rules/PA202"; do
  name=$(basename "$target")
  "$bin" --no-write --date 2026-01-01 --format sarif "$target" >"$tmp/$name.sarif" 2>/dev/null
  "$tool" validate "$tmp/$name.sarif" -o "$tmp/$name.out.sarif" --json-schema "$cache/package/sarif-2.1.0.json" \
      --level "Error;Warning" --rule-kind "Sarif;Gh" >"$tmp/$name.log" 2>&1
  n=$(python3 -c "import json,sys; r=json.load(open(sys.argv[1]))['runs'][0].get('results',[]); print(len(r))" "$tmp/$name.out.sarif" 2>/dev/null || echo x)
  results=$(python3 -c "import json,sys; print(len(json.load(open(sys.argv[1]))['runs'][0]['results']))" "$tmp/$name.sarif" 2>/dev/null || echo 0)
  if [ "$n" = 0 ] && [ "$results" -gt 0 ]; then pass=$((pass+1));
  else fail=$((fail+1)); echo "FAIL: $name: validator reported ${n} problems (pa-audit results: $results)" >&2; head -c 3000 "$tmp/$name.out.sarif" >&2; fi
done
echo "sarif_validate: $pass passed, $fail failed"
[ $fail -eq 0 ]
