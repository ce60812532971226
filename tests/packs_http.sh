#!/usr/bin/env bash
# packs_http.sh - rule packs over HTTP against a local server on 127.0.0.1:
# download + cache, ETag revalidation (304), --offline, network failure
# fallback to the cache, 404, --rules-url-optional, timeout, oversized
# bodies (with and without Content-Length), malformed YAML, an invalid
# tree-sitter query (error names the rule), redirects (allowed to loopback,
# refused to plain-http hosts), and a custom rule producing a SARIF result.
# Usage: packs_http.sh PA_AUDIT_BINARY SOURCE_DIR   (run by ctest)
set -u
BIN=${1:?pa-audit binary}
SRC=${2:?source dir}
PACKS="$SRC/tests/packs"
PROJECT="$PACKS/project"
command -v python3 >/dev/null || { echo "python3 not found: skipping"; exit 0; }

WORK=$(mktemp -d "${TMPDIR:-/tmp}/pa-packs-http.XXXXXX")
SERVER_PID=""
cleanup() {
    if [ -n "$SERVER_PID" ]; then kill "$SERVER_PID" 2>/dev/null; wait "$SERVER_PID" 2>/dev/null; fi
    rm -rf "$WORK"
}
trap cleanup EXIT INT TERM
export XDG_CACHE_HOME="$WORK/cache"
export PA_AUDIT_FETCH_TIMEOUT_MS=1500
unset http_proxy https_proxy HTTP_PROXY HTTPS_PROXY ALL_PROXY all_proxy
export NO_PROXY='*'

fails=0
pass=0
ok()   { pass=$((pass + 1)); }
fail() { fails=$((fails + 1)); echo "FAIL: $*"; }

cat > "$WORK/server.py" <<'PY'
# A tiny HTTP server for the rule-pack tests: ETag/304, 404, slow,
# oversized (with and without Content-Length), redirects. Logs every
# request's path and status to the log file.
import http.server, os, sys, time
packs, portfile, logfile = sys.argv[1], sys.argv[2], sys.argv[3]

def read(name):
    with open(os.path.join(packs, name), 'rb') as f:
        return f.read()

class H(http.server.BaseHTTPRequestHandler):
    def log(self, code):
        with open(logfile, 'a') as f:
            f.write('%s %d\n' % (self.path, code))
    def send(self, code, body=b'', headers=()):
        self.send_response(code)
        for k, v in headers:
            self.send_header(k, v)
        if body is not None:
            self.send_header('Content-Length', str(len(body)))
        self.end_headers()
        if body:
            try:
                self.wfile.write(body)
            except OSError:
                pass  # the client gave up (size limit): expected
        self.log(code)
    def do_GET(self):
        p = self.path
        if p == '/pack.yaml':
            etag = '"org-rules-v1"'
            if self.headers.get('If-None-Match') == etag:
                self.send(304, b'', [('ETag', etag)])
            else:
                self.send(200, read('org_rules.yaml'), [('ETag', etag), ('Last-Modified', 'Tue, 24 Nov 2026 10:00:00 GMT')])
        elif p == '/malformed.yaml':
            self.send(200, read('malformed.yaml'))
        elif p == '/bad_query.yaml':
            self.send(200, read('bad_query.yaml'))
        elif p == '/slow.yaml':
            time.sleep(4)
            self.send(200, read('org_rules.yaml'))
        elif p == '/big.yaml':
            self.send(200, b'# ' + b'x' * (2 << 20) + b'\n')
        elif p == '/big-chunked.yaml':
            self.send_response(200)
            self.end_headers()
            try:
                for _ in range(64):
                    self.wfile.write(b'#' + b'y' * 65535 + b'\n')
            except Exception:
                pass
            self.log(200)
        elif p == '/redirect.yaml':
            self.send(302, b'', [('Location', '/pack.yaml')])
        elif p == '/redirect-out.yaml':
            self.send(302, b'', [('Location', 'http://pa-audit-test.invalid/pack.yaml')])
        else:
            self.send(404, b'not found\n')
    def log_message(self, *a):
        pass

srv = http.server.ThreadingHTTPServer(('127.0.0.1', 0), H)
with open(portfile + '.tmp', 'w') as f:
    f.write(str(srv.server_address[1]))
os.rename(portfile + '.tmp', portfile)
srv.serve_forever()
PY

python3 "$WORK/server.py" "$PACKS" "$WORK/port" "$WORK/requests.log" &
SERVER_PID=$!
for _ in $(seq 1 100); do [ -s "$WORK/port" ] && break; sleep 0.1; done
[ -s "$WORK/port" ] || { echo "FAIL: the test server did not start"; exit 1; }
BASE="http://127.0.0.1:$(cat "$WORK/port")"

# run NAME ARGS... : pa-audit on the fixture project, output in $WORK/NAME.{out,err,rc}
run() {
    local name=$1; shift
    timeout 60 "$BIN" --no-write --fail-on never -j 2 "$@" "$PROJECT" >"$WORK/$name.out" 2>"$WORK/$name.err"
    echo $? >"$WORK/$name.rc"
}
rc_is()   { [ "$(cat "$WORK/$1.rc")" = "$2" ] && ok || fail "$1: exit $(cat "$WORK/$1.rc"), expected $2; stderr: $(head -c 600 "$WORK/$1.err")"; }
err_has() { grep -qF -- "$2" "$WORK/$1.err" && ok || fail "$1: stderr lacks '$2': $(head -c 600 "$WORK/$1.err")"; }
out_has() { grep -qF -- "$2" "$WORK/$1.out" && ok || fail "$1: stdout lacks '$2'"; }
log_count() { grep -c "^$1 $2\$" "$WORK/requests.log" 2>/dev/null || true; }

# 1. first fetch: downloaded, cached, custom rule in SARIF with its own id
run first --format sarif -v --rules-url "$BASE/pack.yaml"
rc_is first 0
err_has first "rule pack $BASE/pack.yaml: downloaded"
out_has first '"ruleId": "ORG001"'
out_has first '"id": "ORG001"'
python3 - "$WORK/first.out" <<'PY' && ok || fail "first: SARIF is not valid JSON or lacks the ORG001 result"
import json, sys
d = json.load(open(sys.argv[1]))
res = [r for r in d['runs'][0]['results'] if r['ruleId'] == 'ORG001']
rules = d['runs'][0]['tool']['driver']['rules']
assert len(res) == 1, res
r = res[0]
assert rules[r['ruleIndex']]['id'] == 'ORG001'
loc = r['locations'][0]['physicalLocation']
assert loc['artifactLocation']['uri'] == 'app/service.py' and loc['region']['startLine'] == 5
assert r['level'] == 'error'
PY
ls "$XDG_CACHE_HOME"/pa-audit/packs/*.yaml >/dev/null 2>&1 && ok || fail "first: nothing cached under $XDG_CACHE_HOME/pa-audit/packs"
[ "$(log_count /pack.yaml 200)" = 1 ] && ok || fail "first: expected one 200 for /pack.yaml"

# 2. second run revalidates: 304, cached copy used, same result
run second --format sarif -v --rules-url "$BASE/pack.yaml"
rc_is second 0
err_has second "not modified, using the cached copy"
out_has second '"ruleId": "ORG001"'
[ "$(log_count /pack.yaml 304)" = 1 ] && ok || fail "second: expected one 304 for /pack.yaml: $(cat "$WORK/requests.log")"

# 3. --offline: cache only, no request, says so
before=$(wc -l <"$WORK/requests.log")
run offline --format json --offline --rules-url "$BASE/pack.yaml"
rc_is offline 0
err_has offline "offline: using the cached copy of rule pack $BASE/pack.yaml"
out_has offline '"rule": "ORG001"'
[ "$(wc -l <"$WORK/requests.log")" = "$before" ] && ok || fail "offline: the server was contacted"
run offline_miss --offline --rules-url "$BASE/never-fetched.yaml"
rc_is offline_miss 2
err_has offline_miss "$BASE/never-fetched.yaml: --offline and no cached copy"

# 4. 404: exit 2 naming URL and reason; optional: warning and exit 0
run notfound --rules-url "$BASE/missing.yaml"
rc_is notfound 2
err_has notfound "$BASE/missing.yaml: HTTP 404"
run notfound_opt --rules-url "$BASE/missing.yaml" --rules-url-optional --format json
rc_is notfound_opt 0
err_has notfound_opt "skipping rule pack (--rules-url-optional): $BASE/missing.yaml: HTTP 404"

# 5. timeout
run slow --rules-url "$BASE/slow.yaml"
rc_is slow 2
err_has slow "$BASE/slow.yaml: timed out after 1500 ms"

# 6. oversized, with and without Content-Length
run big --rules-url "$BASE/big.yaml"
rc_is big 2
err_has big "$BASE/big.yaml: response larger than 1048576 bytes"
run bigchunk --rules-url "$BASE/big-chunked.yaml"
rc_is bigchunk 2
err_has bigchunk "$BASE/big-chunked.yaml: response larger than 1048576 bytes"

# 7. malformed YAML and an invalid tree-sitter query
run malformed --rules-url "$BASE/malformed.yaml"
rc_is malformed 2
err_has malformed "$BASE/malformed.yaml:"
err_has malformed "malformed YAML"
run badquery --rules-url "$BASE/bad_query.yaml"
rc_is badquery 2
err_has badquery "$BASE/bad_query.yaml:8: rule ORG010: invalid tree-sitter query: unknown node type"

# 8. redirects: to loopback followed; to a plain-http host refused (no lookup)
run redirect --format json --rules-url "$BASE/redirect.yaml"
rc_is redirect 0
out_has redirect '"rule": "ORG001"'
run redirect_out --rules-url "$BASE/redirect-out.yaml"
rc_is redirect_out 2
err_has redirect_out "redirect to http://pa-audit-test.invalid/pack.yaml refused: plain http:// is refused"

# 9. plain http to a non-loopback host is refused before any network access
run insecure --rules-url "http://pa-audit-test.invalid/pack.yaml"
rc_is insecure 2
err_has insecure "http://pa-audit-test.invalid/pack.yaml: plain http:// is refused for non-loopback hosts"

# 10. the server goes away: the cached copy is used, and the run says so
kill "$SERVER_PID" 2>/dev/null; wait "$SERVER_PID" 2>/dev/null; SERVER_PID=""
run nonet --format json --rules-url "$BASE/pack.yaml"
rc_is nonet 0
err_has nonet "network unavailable: using the cached copy of rule pack $BASE/pack.yaml"
out_has nonet '"rule": "ORG001"'
run nonet_miss --rules-url "$BASE/missing-too.yaml"
rc_is nonet_miss 2
err_has nonet_miss "$BASE/missing-too.yaml:"

echo "packs_http: $pass passed, $fails failed"
[ "$fails" = 0 ]
