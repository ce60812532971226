#!/usr/bin/env python3
"""gen_synthetic.py - a synthetic project for bench/run.sh: N copies of the
bundled example service's application package (app -> app_0 .. app_N-1, with
imports rewritten) plus its project files, so that scaling can be measured at
1x, 10x and 100x the example. Usage: gen_synthetic.py N OUT_DIR"""
import os
import re
import shutil
import sys


def main():
    n, out = int(sys.argv[1]), sys.argv[2]
    src = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "examples", "jobboard")
    if os.path.exists(out):
        shutil.rmtree(out)
    shutil.copytree(src, out, ignore=shutil.ignore_patterns("app", "tests", ".audit", "persistence_audit.md"))
    pat = re.compile(r"\b(from|import)\s+app(\.|\s)")
    for k in range(n):
        for root, _dirs, files in os.walk(os.path.join(src, "app")):
            rel = os.path.relpath(root, src)
            dst = os.path.join(out, "app_%d" % k + rel[3:])
            os.makedirs(dst, exist_ok=True)
            for f in files:
                if not f.endswith(".py"):
                    continue
                text = open(os.path.join(root, f), encoding="utf-8").read()
                text = pat.sub(lambda m: "%s app_%d%s" % (m.group(1), k, m.group(2)), text)
                with open(os.path.join(dst, f), "w", encoding="utf-8") as fh:
                    fh.write(text)


if __name__ == "__main__":
    main()
