// ruff_check.mjs - the peer in bench/run.sh: ruff's WebAssembly build
// checking the same files with the rules closest to pa-audit's runtime
// auditor (ASYNC, PERF, C4). Usage: node ruff_check.mjs PKG_DIR FILE_LIST
// Prints "files N diagnostics N seconds S".
import { readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import path from 'node:path';

const [pkgDir, listFile] = process.argv.slice(2);
const mod = await import(pathToFileURL(path.join(pkgDir, 'ruff_wasm.js')).href);
const ws = new mod.Workspace({ lint: { select: ['ASYNC', 'PERF', 'C4'] } }, mod.PositionEncoding.Utf8);
const files = readFileSync(listFile, 'utf8').split('\n').filter(Boolean);
const t0 = process.hrtime.bigint();
let diags = 0, checked = 0;
for (const f of files) {
  let src;
  try { src = readFileSync(f, 'utf8'); } catch { continue; }
  try { diags += ws.check(src).length; checked++; } catch { /* unparsable file: skipped like pa-audit does */ }
}
const secs = Number(process.hrtime.bigint() - t0) / 1e9;
console.log(`files ${checked} diagnostics ${diags} seconds ${secs.toFixed(3)}`);
