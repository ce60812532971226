#!/usr/bin/env bash
# deps.sh - install whatever pa-audit's build and tests need and is missing
# (Debian 12, as root). Safe to run repeatedly: installs only what is absent.
set -euo pipefail
pkgs=(build-essential cmake pkg-config git ca-certificates python3
      libpcre2-dev libcjson-dev libyaml-dev libtree-sitter-dev libcurl4-openssl-dev
      valgrind clang libclang-rt-14-dev)   # memcheck run and libFuzzer smoke test (scripts/test.sh)
# npm fetches the tree-sitter grammars; any working npm will do
command -v npm >/dev/null 2>&1 || pkgs+=(nodejs npm)
missing=()
for p in "${pkgs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "deps: installing ${missing[*]}"
  if [ "$(id -u)" != 0 ]; then echo "deps: run as root (or install: ${missing[*]})" >&2; exit 1; fi
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
