/* pa305_cpu_bound.c - PA305 missing_to_thread: CPU-bound library work run on
 * the event loop: password hashing and key derivation, compression, image
 * processing, XML/HTML parsing, pandas readers, pickle, and json/hash/regex
 * work over file contents (a small json.loads of a request body is not
 * flagged: it is cheap, and the rule must stay precise). */
#include <string.h>

#include "audit/runtime/effect_sites.h"

static const char *const file_reads[] = {"read", "read_text", "read_bytes", "readlines", "getvalue", NULL};

static bool is_file_read_call(const struct pa_file_facts *f, int32_t call)
{
    if (call < 0 || (size_t)call >= f->calls.n) return false;
    const char *attr = f->calls.v[call].attr;
    for (int i = 0; file_reads[i]; i++)
        if (strcmp(attr, file_reads[i]) == 0) return true;
    return false;
}

/* Is positional argument k of `call` the contents of a file (f.read(),
 * path.read_text(), or a local assigned from one)? */
static bool arg_is_file_content(const struct pa_file_facts *f, const struct pa_call *c, int k)
{
    int seen = 0;
    for (uint16_t i = 0; i < c->nargs; i++) {
        const struct pa_arg *a = &c->args[i];
        if (a->kw) continue;
        if (seen++ != k) continue;
        if (a->call >= 0) return is_file_read_call(f, a->call);
        if (a->kind != PA_EXPR_NAME) return false;
        for (size_t j = 0; j < f->assigns.n; j++) {
            const struct pa_assign *s = &f->assigns.v[j];
            if (s->func == c->func && s->line <= c->line && strcmp(s->target, a->text) == 0 &&
                is_file_read_call(f, s->value_call))
                return true;
        }
        for (size_t j = 0; j < f->withs.n; j++) { /* `with open(p) as fh: json.load(fh)` style names */
            const struct pa_with *w = &f->withs.v[j];
            if (w->func != c->func) continue;
            for (uint16_t q = 0; q < w->nitems; q++)
                if (w->items[q].as && strcmp(w->items[q].as, a->text) == 0 && w->items[q].call >= 0) {
                    const char *callee = f->calls.v[w->items[q].call].attr;
                    if (strcmp(callee, "open") == 0) return true;
                }
        }
        return false;
    }
    return false;
}

static bool accept(const struct pa_audit_input *in, int32_t file, int32_t call, const struct pa_libsig *sig)
{
    const struct pa_file_facts *f = in->files[file];
    const struct pa_call *c = &f->calls.v[call];
    const char *n = sig->name;
    if (!strcmp(n, "json.loads") || !strcmp(n, "orjson.loads") || !strcmp(n, "ujson.loads"))
        return arg_is_file_content(f, c, 0);
    if (pa_str_starts(n, "hashlib.") && strcmp(n, "hashlib.pbkdf2_hmac") != 0 && strcmp(n, "hashlib.scrypt") != 0)
        return arg_is_file_content(f, c, 0);
    if (pa_str_starts(n, "re."))
        return arg_is_file_content(f, c, 1);
    return true;
}

static pa_severity severity(pa_entry_kind entry) { (void)entry; return PA_SEV_MEDIUM; }

static const char *what(const struct pa_libsig *sig)
{
    const char *n = sig->name;
    if (strstr(n, "pbkdf2") || strstr(n, "scrypt") || pa_str_starts(n, "bcrypt.") || pa_str_starts(n, "argon2.") ||
        pa_str_starts(n, "passlib."))
        return "password hashing (deliberately slow)";
    if (pa_str_starts(n, "gzip.") || pa_str_starts(n, "zlib.") || pa_str_starts(n, "bz2.") || pa_str_starts(n, "lzma.") ||
        pa_str_starts(n, "zipfile."))
        return "compression";
    if (pa_str_starts(n, "PIL.") || pa_str_starts(n, "cv2.")) return "image processing";
    if (pa_str_starts(n, "lxml.") || pa_str_starts(n, "xml.") || pa_str_starts(n, "bs4.")) return "XML/HTML parsing";
    if (pa_str_starts(n, "pandas.")) return "dataframe loading";
    if (pa_str_starts(n, "pickle.")) return "unpickling/pickling";
    if (pa_str_starts(n, "json.") || pa_str_starts(n, "orjson.") || pa_str_starts(n, "ujson.")) return "JSON decoding of file contents";
    if (pa_str_starts(n, "hashlib.")) return "hashing of file contents";
    if (pa_str_starts(n, "re.")) return "regular expression over file contents";
    return "CPU-bound work";
}

static void direct(const struct pa_audit_input *in, int32_t file, const struct pa_call *c, const struct pa_func *fn,
                   pa_entry_kind entry, const struct pa_libsig *sig, uint32_t effect, pa_buf *issue, pa_buf *rec)
{
    pa_buf_printf(issue, "CPU-bound %s in %s() runs on the event loop in async def %s() (%s): nothing else on "
                  "the loop progresses until it finishes", what(sig), sig->name, fn->name, pa_runtime_entry_label(entry));
    pa_buf_printf(rec, "Offload it: `await asyncio.to_thread(%s, ...)` (a ProcessPoolExecutor via "
                  "`loop.run_in_executor` for pure-Python work that holds the GIL).", c->callee);
}

static void chain(const struct pa_audit_input *in, int32_t file, const struct pa_call *c, const struct pa_func *fn,
                  pa_entry_kind entry, const struct pa_libsig *sig, uint32_t effect, pa_buf *issue, pa_buf *rec)
{
    pa_buf_printf(issue, "%s() called from async def %s() (%s) does CPU-bound %s in %s() on the event loop",
                  c->callee, fn->name, pa_runtime_entry_label(entry), what(sig), sig->name);
    pa_buf_printf(rec, "Offload the call: `await asyncio.to_thread(%s, ...)`.", c->callee);
}

void pa_check_pa305(const struct pa_audit_input *in, struct pa_rule_out *out)
{
    static const struct pa_effect_rule rule = {PA_EFF_CPU, accept, severity, direct, chain};
    pa_runtime_check_effect_sites(in, out, &rule);
}
