/* validate.c - context validation, run after the auditors and before
 * scoring (CONTRACT.md "Context validation").
 *
 * Rule 1 (ADR / planned work): a finding becomes advisory, noted
 * "[Planned: ADR-XXX]", when an ADR (ctx.adrs; its text is lowercased) that
 * is not rejected/superseded/deprecated mentions, as a whole token:
 *   a. the finding's file path ("app/api/files.py"), or
 *   b. the file's dotted module ("app.api.files", at least one dot), or
 *   c. the enclosing function's qualified name when it is a method
 *      ("OrderRepo.load_all"), or
 *   d. the function's simple name (>= 4 chars, not a generic name such as
 *      main/run/get/handler) together with the file's stem or the rule's
 *      keywords, or
 *   e. the rule itself (its id "pa301", its check id "blocking_io_in_async"
 *      or "blocking io in async", or two distinct keywords of its title)
 *      together with the file's stem or base name (stem >= 4 chars, not a
 *      generic stem such as utils/models/main/__init__).
 * A token is bounded by characters that cannot continue an identifier or a
 * path, so "upload" does not match inside "upload_file" and "api/files.py"
 * does not match inside "myapp/api/files.py". The first matching ADR in
 * ctx.adrs order wins.
 *
 * Rule 6 (execution context), only for blocking_io_in_async,
 * redundant_fetch, scope_too_wide and missing_to_thread: one point each for
 *   bootstrap  - a function in the chain named __init__ or containing
 *                setup/bootstrap/migrat/startup/lifespan, entry BOOTSTRAP,
 *                module-level code of an __init__.py, or a file under
 *                migrations/ or alembic/;
 *   background - a file under tasks/ jobs/ cron/ workers/ (or named
 *                tasks.py, jobs.py, cron.py, worker(s).py), or entry BACKGROUND;
 *   safeguard  - a call in the same function with a `timeout` keyword
 *                (or one ending in "timeout"), or asyncio.wait_for /
 *                asyncio.timeout / anyio.fail_after / move_on_after …;
 *   small data - a loop in the function over a literal collection of fewer
 *                than 100 items (directly, or through a name bound to one),
 *                or over range() with a literal bound below 100.
 * >= 3 points: advisory; >= 1: one severity level down (LOW stays LOW).
 * The points are written to finding->evidence.
 *
 * Exempt from both rules: missing_rollback findings at CRITICAL, and
 * n_update_delete_loop / query_in_loop findings whose entry is a request
 * handler (N-UPDATE loops / N+1 in hot paths). Advisory findings keep their
 * severity; they are reported in their own section and not scored. */
#include "report/report_int.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

/* ---- ADR token index --------------------------------------------------------
 * Each ADR's text is split once into tokens: maximal runs of identifier
 * characters, '.', '/' and '-', with trailing '.', '/', '-' trimmed, so
 * "see app/api/files.py." gives the token "app/api/files.py" and "(pa107)"
 * gives "pa107". A needle matches when it equals a whole token: this is the
 * token boundary rule, and makes each lookup O(1) however many findings and
 * ADRs there are. Multi-word needles ("blocking io in async") are searched in
 * the text with the same boundaries; per-rule results are cached. */
static bool ident_char(char c) { return isalnum((unsigned char)c) || c == '_' || (unsigned char)c >= 0x80; }
static bool tok_char(char c) { return ident_char(c) || c == '.' || c == '/' || c == '-'; }

struct adr_idx {
    const struct pa_adr *adr;  /* borrowed from the context */
    char *buf;                 /* owned: lowercased text (phrase search) */
    char *tokbuf;              /* owned: a copy of buf cut into NUL-terminated tokens */
    pa_strmap tokens;          /* token -> (void *)1; keys point into tokbuf */
    int8_t *rule_hit;          /* per rule in registry order: -1 unknown, 0 no, 1 mentions the rule */
    bool dead;                 /* rejected / superseded / deprecated / withdrawn */
};

static void lower_ascii(char *s)
{
    for (; *s; s++) *s = (char)tolower((unsigned char)*s);
}

static void adr_idx_init(struct adr_idx *x, const struct pa_adr *a, size_t nrules)
{
    x->adr = a;
    x->buf = pa_xstrdup(a->text ? a->text : "");
    lower_ascii(x->buf);
    pa_strmap_init(&x->tokens);
    x->rule_hit = pa_xmalloc(nrules + 1);
    memset(x->rule_hit, -1, nrules + 1);
    x->dead = false;
    if (a->status) {
        static const char *const dead[] = {"rejected", "superseded", "deprecated", "withdrawn", NULL};
        char *st = pa_xstrdup(a->status);
        lower_ascii(st);
        for (size_t i = 0; dead[i]; i++) x->dead |= strstr(st, dead[i]) != NULL;
        free(st);
    }
    /* tokens are cut from a second copy (tokbuf) so buf stays searchable as text */
    x->tokbuf = pa_xstrdup(x->buf);
    char *p = x->tokbuf;
    for (;;) {
        while (*p && !tok_char(*p)) p++;
        if (!*p) break;
        char *start = p;
        while (*p && tok_char(*p)) p++;
        bool at_end = *p == '\0';
        char *end = p;
        while (end > start && (end[-1] == '.' || end[-1] == '/' || end[-1] == '-')) end--;
        *end = '\0';
        if (end > start) pa_strmap_put(&x->tokens, start, (void *)1);
        if (at_end) break;
        p++;
    }
}

static void adr_idx_free(struct adr_idx *x)
{
    pa_strmap_free(&x->tokens);
    free(x->buf);
    free(x->tokbuf);
    free(x->rule_hit);
}

/* Is needle (any case) a whole token of the ADR? */
static bool has_token(const struct adr_idx *x, const char *needle)
{
    if (!needle || !*needle) return false;
    char small[256];
    size_t n = strlen(needle);
    if (n >= sizeof small) return false;
    for (size_t i = 0; i <= n; i++) small[i] = (char)tolower((unsigned char)needle[i]);
    return pa_strmap_has(&x->tokens, small);
}

/* Does the text contain the (lowercase, multi-word) phrase with token boundaries? */
static bool has_phrase(const char *text, const char *phrase)
{
    size_t n = strlen(phrase);
    for (const char *p = strstr(text, phrase); p; p = strstr(p + 1, phrase)) {
        char before = p > text ? p[-1] : ' ';
        if (tok_char(before) || tok_char(p[n])) continue;
        return true;
    }
    return false;
}

static bool in_list(const char *s, const char *const *list)
{
    for (size_t i = 0; list[i]; i++)
        if (pa_str_ieq(s, list[i])) return true;
    return false;
}

static const char *const generic_funcs[] = {
    "main", "run", "get", "set", "post", "put", "patch", "delete", "update", "create", "list", "index",
    "handler", "handle", "process", "execute", "call", "__call__", "__init__", "setup", "init", "start",
    "stop", "save", "load", "read", "write", "fetch", "query", "send", "task", "job", "view", "func",
    "wrapper", "inner", "callback", "<lambda>", "<module>", NULL};

static const char *const generic_stems[] = {
    "__init__", "__main__", "main", "app", "apps", "utils", "util", "helpers", "helper", "common", "core",
    "base", "models", "model", "views", "view", "api", "routes", "router", "config", "settings", "db",
    "database", "service", "services", "schemas", "schema", "types", "misc", "tasks", "jobs", "crud",
    "deps", "dependencies", "lib", "test", "tests", NULL};

static const char *const stop_words[] = {
    "again", "where", "instead", "every", "other", "their", "about", "there", "which", "could", "should",
    "items", "value", "across", "before", "after", "whole", "single", "several", "issued", "rarely",
    "already", "caller", "while", "never", "those", NULL};

/* File stem of a path ("app/api/files.py" -> "files"). Owned. */
static char *path_stem(const char *path)
{
    const char *b = strrchr(path, '/');
    b = b ? b + 1 : path;
    const char *dot = strrchr(b, '.');
    size_t n = dot && dot > b ? (size_t)(dot - b) : strlen(b);
    return pa_xstrndup(b, n);
}

/* Does the ADR mention the rule: its id, its check id (with '_' or spaces),
 * or two distinct keywords (>= 5 letters) of its title and check id? */
static bool mentions_rule(struct adr_idx *x, const struct pa_rule_meta *r)
{
    if (!r) return false;
    size_t nrules;
    const struct pa_rule_meta *all = pa_rules_all(&nrules);
    size_t k = (size_t)(r - all);
    if (k < nrules && x->rule_hit[k] >= 0) return x->rule_hit[k] == 1;
    bool hit = has_token(x, r->id) || has_token(x, r->check);
    if (!hit) {
        char *spaced = pa_xstrdup(r->check);
        for (char *p = spaced; *p; p++)
            if (*p == '_') *p = ' ';
        hit = has_phrase(x->buf, spaced);
        free(spaced);
    }
    if (!hit) {
        char *s = pa_xasprintf("%s %s", r->title, r->check);
        const char *seen[32];
        size_t nseen = 0, hits = 0;
        for (char *p = s; *p && hits < 2;) {
            while (*p && !isalnum((unsigned char)*p)) p++;
            char *w = p;
            while (*p && isalnum((unsigned char)*p)) { *p = (char)tolower((unsigned char)*p); p++; }
            if (*p) *p++ = '\0';
            if (strlen(w) < 5 || in_list(w, stop_words)) continue;
            bool dup = false;
            for (size_t i = 0; i < nseen; i++) dup |= strcmp(seen[i], w) == 0;
            if (dup || nseen == 32) continue;
            seen[nseen++] = w;
            if (has_token(x, w)) hits++;
        }
        free(s);
        hit = hits >= 2;
    }
    if (k < nrules) x->rule_hit[k] = hit ? 1 : 0;
    return hit;
}

/* Why the ADR matches the finding (owned), or NULL. */
static char *adr_match(struct adr_idx *x, const struct pa_finding *f, const struct pa_file_facts *ff)
{
    if (x->dead || !x->adr->text) return NULL;
    if (has_token(x, f->path)) return pa_xasprintf("mentions %s", f->path);
    if (ff && ff->module && strchr(ff->module, '.') && has_token(x, ff->module))
        return pa_xasprintf("mentions module %s", ff->module);
    char *stem = path_stem(f->path);
    const char *base = strrchr(f->path, '/');
    base = base ? base + 1 : f->path;
    bool stem_ok = strlen(stem) >= 4 && !in_list(stem, generic_stems) && (has_token(x, stem) || has_token(x, base));
    char *why = NULL;
    if (f->function && !strchr(f->function, '<')) {
        const char *simple = pa_str_last_dot(f->function);
        if (simple != f->function && has_token(x, f->function))
            why = pa_xasprintf("mentions %s", f->function);
        else if (strlen(simple) >= 4 && !in_list(simple, generic_funcs) && has_token(x, simple) &&
                 (stem_ok || mentions_rule(x, f->rule)))
            why = pa_xasprintf("mentions %s() %s", simple, stem_ok ? "and the file" : "and the issue");
    }
    if (!why && stem_ok && mentions_rule(x, f->rule))
        why = pa_xasprintf("mentions %s and %s", f->rule->check, stem);
    free(stem);
    return why;
}

static bool exempt(const struct pa_finding *f)
{
    if (!f->rule) return true;
    if (pa_str_eq(f->rule->check, "missing_rollback") && f->severity == PA_SEV_CRITICAL) return true;
    if ((pa_str_eq(f->rule->check, "n_update_delete_loop") || pa_str_eq(f->rule->check, "query_in_loop")) &&
        f->entry == PA_ENTRY_REQUEST)
        return true;
    return false;
}

static bool rule1(struct adr_idx *idx, size_t nadrs, struct pa_finding *f, const struct pa_file_facts *ff)
{
    for (size_t i = 0; i < nadrs; i++) {
        const struct pa_adr *a = idx[i].adr;
        char *why = adr_match(&idx[i], f, ff);
        if (!why) continue;
        const char *id = a->id && *a->id ? a->id : "ADR";
        f->advisory = true;
        free(f->advisory_note);
        f->advisory_note = pa_xasprintf("[Planned: %s]%s%s", id, a->title ? " " : "", a->title ? a->title : "");
        free(f->evidence);
        f->evidence = pa_xasprintf("Rule 1 (ADR/planned): %s (%s) %s", id, a->path ? a->path : "?", why);
        free(why);
        return true;
    }
    return false;
}

/* ---- Rule 6 ------------------------------------------------------------------ */
static bool rule6_applies(const struct pa_rule_meta *r)
{
    static const char *const checks[] = {"blocking_io_in_async", "redundant_fetch", "scope_too_wide",
                                         "missing_to_thread", NULL};
    for (size_t i = 0; checks[i]; i++)
        if (pa_str_eq(r->check, checks[i])) return true;
    return false;
}

static bool bootstrap_name(const char *name, size_t n)
{
    static const char *const keys[] = {"setup", "bootstrap", "migrat", "startup", "lifespan", NULL};
    char buf[128];
    if (n >= sizeof buf) n = sizeof buf - 1;
    for (size_t i = 0; i < n; i++) buf[i] = (char)tolower((unsigned char)name[i]);
    buf[n] = '\0';
    if (strcmp(buf, "__init__") == 0) return true;
    for (size_t i = 0; keys[i]; i++)
        if (strstr(buf, keys[i])) return true;
    return false;
}

static bool path_has_segment(const char *path, const char *const *dirs, const char *const *stems)
{
    const char *p = path;
    for (;;) {
        const char *slash = strchr(p, '/');
        if (!slash) break;
        for (size_t i = 0; dirs[i]; i++)
            if (strlen(dirs[i]) == (size_t)(slash - p) && strncmp(p, dirs[i], (size_t)(slash - p)) == 0) return true;
        p = slash + 1;
    }
    if (stems) {
        char *stem = path_stem(path);
        bool hit = in_list(stem, stems);
        free(stem);
        return hit;
    }
    return false;
}

static bool is_bootstrap(const struct pa_finding *f, const char **why)
{
    static const char *const mig_dirs[] = {"migrations", "alembic", NULL};
    if (f->entry == PA_ENTRY_BOOTSTRAP) { *why = "bootstrap entry point"; return true; }
    if (f->function) {
        const char *s = f->function;
        while (*s) {
            const char *e = strchr(s, '.');
            size_t n = e ? (size_t)(e - s) : strlen(s);
            if (bootstrap_name(s, n)) { *why = "startup/setup function"; return true; }
            s += n;
            if (*s) s++;
        }
    } else if (pa_str_eq(f->path, "__init__.py") || pa_str_ends(f->path, "/__init__.py")) {
        *why = "module-level code of a package __init__";
        return true;
    }
    if (path_has_segment(f->path, mig_dirs, NULL)) { *why = "migration code"; return true; }
    return false;
}

static bool is_background(const struct pa_finding *f)
{
    static const char *const dirs[] = {"tasks", "jobs", "cron", "crons", "workers", "worker", NULL};
    static const char *const stems[] = {"tasks", "jobs", "cron", "worker", "workers", NULL};
    return f->entry == PA_ENTRY_BACKGROUND || path_has_segment(f->path, dirs, stems);
}

static bool safeguard_call(const struct pa_call *c)
{
    static const char *const guards[] = {"wait_for", "fail_after", "fail_at", "move_on_after", "move_on_at",
                                         "timeout", "timeout_at", NULL};
    static const char *const bases[] = {"asyncio", "anyio", "trio", "async_timeout", NULL};
    for (size_t i = 0; i < c->nargs; i++) {
        const char *kw = c->args[i].kw;
        if (kw && kw[0] != '*' && pa_str_ends(kw, "timeout")) return true;
    }
    if (!c->attr || !in_list(c->attr, guards)) return false;
    if (!c->base || pa_str_eq(c->callee, c->attr)) return true;  /* imported name: `wait_for(…)` */
    return in_list(c->base, bases);
}

static bool has_safeguard(const struct pa_file_facts *ff, int32_t fi, uint32_t line)
{
    for (size_t i = 0; i < ff->calls.n; i++) {
        const struct pa_call *c = &ff->calls.v[i];
        if (c->func != fi) continue;
        if (fi < 0 && (c->line + 5 < line || c->line > line + 5)) continue;
        if (safeguard_call(c)) return true;
    }
    return false;
}

static bool small_literal(uint8_t kind, uint8_t flags, uint32_t nelems)
{
    bool coll = kind == PA_EXPR_LIST || kind == PA_EXPR_TUPLE || kind == PA_EXPR_SET || kind == PA_EXPR_DICT;
    return coll && (flags & PA_XF_LITERAL) && nelems < 100;
}

/* `range(n)` / `range(a, n[, step])` with literal bounds and n < 100. */
static bool small_range(const struct pa_file_facts *ff, int32_t ci)
{
    if (ci < 0 || (size_t)ci >= ff->calls.n) return false;
    const struct pa_call *c = &ff->calls.v[ci];
    if (!pa_str_eq(c->callee, "range") || c->nargs < 1 || c->nargs > 3) return false;
    for (uint16_t i = 0; i < c->nargs; i++)
        if (c->args[i].kw || c->args[i].kind != PA_EXPR_NUM || !c->args[i].text) return false;
    const char *stop = c->args[c->nargs == 1 ? 0 : 1].text;
    char *end = NULL;
    long v = strtol(stop, &end, 10);
    return end && end != stop && *end == '\0' && v < 100;
}

static bool has_small_data(const struct pa_file_facts *ff, int32_t fi)
{
    for (size_t i = 0; i < ff->loops.n; i++) {
        const struct pa_loop *l = &ff->loops.v[i];
        if (l->func != fi) continue;
        if ((l->iter_flags & PA_XF_LITERAL) && l->iter_nelems < 100) return true;
        if (small_range(ff, l->iter_call)) return true;
        if (l->iter_kind != PA_EXPR_NAME || !l->iter) continue;
        for (size_t k = 0; k < ff->assigns.n; k++) {
            const struct pa_assign *a = &ff->assigns.v[k];
            if ((a->func == fi || a->func == -1) && pa_str_eq(a->target, l->iter) && pa_str_eq(a->op, "=") &&
                small_literal(a->value_kind, a->value_flags, a->value_nelems))
                return true;
        }
    }
    return false;
}

static void rule6(struct pa_finding *f, const struct pa_file_facts *ff)
{
    pa_buf ev;
    pa_buf_init(&ev);
    int points = 0;
    const char *why = NULL;
    if (is_bootstrap(f, &why)) { points++; pa_buf_printf(&ev, "+1 %s", why); }
    if (is_background(f)) { points++; pa_buf_printf(&ev, "%sbackground job code", ev.len ? "; +1 " : "+1 "); }
    int32_t fi = ff ? pa_report_func_at(ff, f->function, f->line) : -1;
    if (ff && (fi >= 0 || !f->function) && has_safeguard(ff, fi, f->line)) {
        points++;
        pa_buf_printf(&ev, "%stimeout/safeguard nearby", ev.len ? "; +1 " : "+1 ");
    }
    if (ff && (fi >= 0 || !f->function) && has_small_data(ff, fi)) {
        points++;
        pa_buf_printf(&ev, "%ssmall literal data (< 100 items)", ev.len ? "; +1 " : "+1 ");
    }
    if (points == 0) { pa_buf_free(&ev); return; }
    free(f->evidence);
    if (points >= 3) {
        f->advisory = true;
        free(f->advisory_note);
        f->advisory_note = pa_xasprintf("Rule 6: execution context score %d/4", points);
        f->evidence = pa_xasprintf("Rule 6 (execution context): %s = %d -> advisory", pa_buf_cstr(&ev), points);
    } else {
        pa_severity from = f->severity;
        if (f->severity > PA_SEV_LOW) f->severity = (pa_severity)(f->severity - 1);
        f->evidence = pa_xasprintf("Rule 6 (execution context): %s = %d -> one level down (%s -> %s)",
                                   pa_buf_cstr(&ev), points, pa_severity_name(from), pa_severity_name(f->severity));
    }
    pa_buf_free(&ev);
}

void pa_report_validate(struct pa_run *run)
{
    size_t nrules, nadrs = run->ctx.adrs.n;
    pa_rules_all(&nrules);
    struct adr_idx *idx = nadrs && run->all.items.n ? pa_xcalloc(nadrs, sizeof *idx) : NULL;
    if (!idx) nadrs = 0;
    for (size_t i = 0; i < nadrs; i++) adr_idx_init(&idx[i], &run->ctx.adrs.v[i], nrules);
    for (size_t i = 0; i < run->all.items.n; i++) {
        struct pa_finding *f = run->all.items.v[i];
        if (f->advisory || exempt(f)) continue;
        const struct pa_file_facts *ff = pa_report_facts(run, f->path);
        if (rule1(idx, nadrs, f, ff)) continue;
        if (rule6_applies(f->rule)) rule6(f, ff);
    }
    for (size_t i = 0; i < nadrs; i++) adr_idx_free(&idx[i]);
    free(idx);
}
