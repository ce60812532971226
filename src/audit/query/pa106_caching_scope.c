/* pa106_caching_scope.c - PA106 wrong_caching_scope: a cache of
 * rarely-changing data kept in per-request state, so it is refilled by a
 * query on every request:
 *  - a class holding _cache/_loaded/_initialized-style attributes filled by
 *    a query (no user/request-specific filter), instantiated per request:
 *    FastAPI `Depends(Class)` / `Depends(factory)` where the factory builds
 *    it without app-scope caching (lru_cache/cache), a Django class-based
 *    view (one instance per request), or `Class()` inside a request handler;
 *  - Flask `g.<name> = <query>` (g lives for one request).
 * HIGH when the query joins or aggregates, MEDIUM otherwise.
 * Not flagged: queries filtered by a method parameter or request/user data,
 * classes provided by a cached factory or instantiated at module level. */
#include <stdlib.h>
#include <string.h>

#include "audit/query/query.h"

static bool cache_attr(const char *target)
{
    if (!pa_str_starts(target, "self.")) return false;
    const char *a = target + 5;
    char *name = pa_xstrdup(a);
    char *br = strchr(name, '[');
    if (br) *br = '\0';
    bool ok = !strchr(name, '.') && (strstr(name, "cache") || pa_str_starts(name, "_loaded") ||
              pa_str_starts(name, "_initialized") || pa_str_starts(name, "_memo") || strcmp(name, "loaded") == 0 ||
              pa_str_ends(name, "_loaded"));
    free(name);
    return ok;
}

/* Does the query depend on per-request data (method parameters, request, user)? */
static bool request_specific(const struct pa_file_facts *f, int32_t head, const struct pa_func *fn)
{
    for (const struct pa_call *c = pa_query_call(f, head); c; c = pa_query_call(f, c->recv_call)) {
        for (size_t j = (size_t)(c - f->calls.v); j < f->calls.n; j++) {
            const struct pa_call *x = &f->calls.v[j];
            if (x != c && !pa_query_span_within(x, c)) break;
            for (uint16_t k = 0; k < x->nargs; k++) {
                const char *t = x->args[k].text;
                if (!t) continue;
                if (strstr(t, "user") || strstr(t, "request") || strstr(t, "tenant") || strstr(t, "current_"))
                    return true;
                for (uint16_t p = 0; p < fn->nparams; p++) {
                    const char *pn = fn->params[p].name;
                    if (strcmp(pn, "self") == 0 || strcmp(pn, "cls") == 0) continue;
                    if (pa_query_text_has_word(t, pn)) return true;
                }
                if (strstr(t, "self.") && !strstr(t, "self.session") && !strstr(t, "self.db")) return true;
            }
        }
    }
    return false;
}

static bool joins_or_aggregates(const struct pa_file_facts *f, int32_t head, int depth)
{
    static const char *const j[] = {"join", "outerjoin", "group_by", "annotate", "aggregate", "select_related",
                                    "prefetch_related", "having", NULL};
    for (const struct pa_call *c = pa_query_call(f, head); c; c = pa_query_call(f, c->recv_call)) {
        for (int i = 0; j[i]; i++)
            if (strcmp(c->attr, j[i]) == 0) return true;
        for (size_t k = (size_t)(c - f->calls.v) + 1; k < f->calls.n; k++) {
            const struct pa_call *x = &f->calls.v[k];
            if (!pa_query_span_within(x, c)) break;
            for (int i = 0; j[i]; i++)
                if (strcmp(x->attr, j[i]) == 0) return true;
            if (pa_str_starts(x->callee, "func.")) return true;
        }
        for (uint16_t k = 0; k < c->nargs; k++) {
            const char *t = c->args[k].text;
            if (t && (strstr(t, "JOIN") || strstr(t, "GROUP BY") || strstr(t, "join ") || strstr(t, "func.")))
                return true;
            /* a statement built in a local variable */
            if (depth < 3 && t && c->args[k].kind == PA_EXPR_NAME && !c->args[k].kw)
                for (size_t a = 0; a < f->assigns.n; a++) {
                    const struct pa_assign *as = &f->assigns.v[a];
                    if (as->func == c->func && as->line <= c->line && strcmp(as->target, t) == 0 && as->value_call >= 0) {
                        int32_t h = as->value_call;
                        for (int32_t jj = h - 1; jj >= 0 && jj >= h - 8; jj--)
                            if (f->calls.v[jj].recv_call == h) h = jj;
                        if (joins_or_aggregates(f, h, depth + 1)) return true;
                    }
                }
        }
    }
    return false;
}

/* Every `Depends(...)` parameter default of the project, in (file, function,
 * parameter) order, built once per check: per_request() asks about each
 * candidate class, and rescanning every function of the project per
 * candidate was quadratic. The class a default names is looked up once. */
struct dep_param {
    int32_t file, func;      /* the function holding the parameter */
    const char *after;       /* default text after "Depends(" (borrowed from facts) */
    char *inner;             /* that text up to the first ',' or ')' (owned) */
    bool resolved;           /* the class lookup below was done */
    bool found;              /* inner names a project class ... */
    int32_t kf, kc;          /* ... this one */
};

struct dep_list {
    PA_VEC(struct dep_param) v;  /* all Depends parameters */
    size_t *start;               /* per file: first entry; nfiles+1 entries */
};

static void dep_list_build(const struct pa_audit_input *in, struct dep_list *dl)
{
    memset(dl, 0, sizeof *dl);
    dl->start = pa_xcalloc(in->nfiles + 1, sizeof *dl->start);
    for (size_t fi = 0; fi < in->nfiles; fi++) {
        const struct pa_file_facts *f = in->files[fi];
        dl->start[fi] = dl->v.n;
        for (size_t fn_i = 0; fn_i < f->funcs.n; fn_i++) {
            const struct pa_func *fn = &f->funcs.v[fn_i];
            for (uint16_t p = 0; p < fn->nparams; p++) {
                const char *d = fn->params[p].default_;
                if (!d || !pa_str_starts(d, "Depends(")) continue;
                struct dep_param e;
                memset(&e, 0, sizeof e);
                e.file = (int32_t)fi;
                e.func = (int32_t)fn_i;
                e.after = d + 8;
                e.inner = pa_xstrdup(d + 8);
                char *cut = strpbrk(e.inner, ",)");
                if (cut) *cut = '\0';
                pa_vec_push(&dl->v, e);
            }
        }
    }
    dl->start[in->nfiles] = dl->v.n;
}

static void dep_list_free(struct dep_list *dl)
{
    for (size_t i = 0; i < dl->v.n; i++) free(dl->v.v[i].inner);
    pa_vec_free(&dl->v);
    free(dl->start);
}

/* How class (cf, ci) gets instantiated per request; fills where/line. */
static bool per_request(const struct pa_audit_input *in, struct dep_list *dl, int32_t cf, int32_t ci, char **how,
                        const char **path, uint32_t *line)
{
    const struct pa_class *k = &in->files[cf]->classes.v[ci];
    for (uint16_t b = 0; b < k->nbases; b++) {
        const char *base = pa_str_last_dot(k->bases[b]);
        if (pa_str_ends(base, "View") || pa_str_ends(base, "APIView") || pa_str_ends(base, "ViewSet") ||
            strcmp(base, "MethodView") == 0) {
            *how = pa_xasprintf("%s is a class-based view: the framework creates one instance per request", k->name);
            *path = in->files[cf]->path;
            *line = k->line;
            return true;
        }
    }
    for (size_t fi = 0; fi < in->nfiles; fi++) {
        const struct pa_file_facts *f = in->files[fi];
        for (size_t di = dl->start[fi]; di < dl->start[fi + 1]; di++) {
            struct dep_param *e = &dl->v.v[di];
            if (!e->resolved) {
                e->resolved = true;
                e->found = pa_index_find_class(in->index, e->file, e->func, e->inner, &e->kf, &e->kc);
            }
            if (e->found && e->kf == cf && e->kc == ci) {
                *how = pa_xasprintf("`Depends(%s)` builds a new %s for every request", e->inner, k->name);
                *path = f->path;
                *line = f->funcs.v[e->func].line;
                return true;
            }
        }
        /* Class() called inside a request handler or an uncached dependency factory */
        for (size_t c = 0; c < f->calls.n; c++) {
            const struct pa_call *call = &f->calls.v[c];
            if (call->func < 0 || strcmp(pa_str_last_dot(call->callee), k->name) != 0) continue;
            struct pa_target tg = pa_index_resolve(in->index, (int32_t)fi, (int32_t)c);
            if (tg.kind != PA_TARGET_CLASS || tg.cls_file != cf || tg.cls != ci) continue;
            const struct pa_func *fn = &f->funcs.v[call->func];
            bool cached = false;
            for (uint16_t d = 0; d < fn->ndecorators; d++)
                if (strstr(fn->decorators[d], "cache")) cached = true;
            if (cached) continue;
            pa_entry_kind ek = pa_index_entry(in->index, (pa_fref){(int32_t)fi, call->func});
            bool factory = false;
            for (size_t di = 0; di < dl->v.n && !factory; di++)
                if (pa_query_text_has_word(dl->v.v[di].after, fn->name)) factory = true;
            if (ek == PA_ENTRY_REQUEST || factory) {
                *how = factory ? pa_xasprintf("dependency %s() builds a new %s on every request (no app-scope caching)",
                                              fn->name, k->name)
                               : pa_xasprintf("request handler %s() creates a new %s per request", fn->name, k->name);
                *path = f->path;
                *line = call->line;
                return true;
            }
        }
    }
    return false;
}

static void fix(pa_buf *rec, const char *what)
{
    pa_buf_printf(rec, "Cache %s at application scope with a TTL instead of per request: a module-level "
                  "`@functools.lru_cache` function (clear it on change), a singleton service created once at startup "
                  "(e.g. in the lifespan handler / app.state), or `cachetools.TTLCache` shared by the app.", what);
}

static void check_classes(const struct pa_audit_input *in, struct pa_rule_out *out)
{
    struct dep_list dl;
    bool dl_built = false;
    for (size_t fi = 0; fi < in->nfiles; fi++) {
        const struct pa_file_facts *f = in->files[fi];
        for (size_t ai = 0; ai < f->assigns.n; ai++) {
            const struct pa_assign *as = &f->assigns.v[ai];
            const struct pa_func *fn = pa_facts_func(f, as->func);
            if (!fn || fn->cls < 0 || !cache_attr(as->target)) continue;
            /* the value comes from a query: directly, or through a local filled by one */
            int32_t q = as->value_call;
            if (q < 0 && as->value_kind == PA_EXPR_NAME && as->value) {
                for (size_t b = 0; b < f->assigns.n; b++) {
                    const struct pa_assign *v = &f->assigns.v[b];
                    if (v->func == as->func && v->line <= as->line && strcmp(v->target, as->value) == 0) q = v->value_call;
                }
            }
            if (q < 0 && as->value_kind == PA_EXPR_DICTCOMP) {
                for (size_t c = 0; c < f->calls.n; c++)
                    if (f->calls.v[c].func == as->func && f->calls.v[c].line == as->line && pa_query_is_head(f, (int32_t)c)) {
                        q = (int32_t)c;
                        break;
                    }
            }
            if (q < 0) continue;
            /* walk to the head of the chain holding the value */
            for (int32_t j = q - 1; j >= 0 && j >= q - 8; j--)
                if (f->calls.v[j].recv_call == q) q = j;
            out->examined++;
            struct pa_db_call dc;
            if (!pa_orm_classify_call(in, (int32_t)fi, q, &dc) || dc.op != PA_DB_READ) {
                /* {t.slug: t for t in result.scalars()}: the rows of a result fetched just before */
                const struct pa_call *root = pa_query_call(f, q);
                for (int g = 0; g < 32 && root && root->recv_call >= 0; g++) root = pa_query_call(f, root->recv_call);
                int32_t src = -1;
                for (size_t b = 0; root && root->base && b < f->assigns.n; b++) {
                    const struct pa_assign *v = &f->assigns.v[b];
                    if (v->func == as->func && v->line <= as->line && strcmp(v->target, root->base) == 0) src = v->value_call;
                }
                if (src < 0) continue;
                for (int32_t j = src - 1; j >= 0 && j >= src - 8; j--)
                    if (f->calls.v[j].recv_call == src) src = j;
                if (!pa_orm_classify_call(in, (int32_t)fi, src, &dc) || dc.op != PA_DB_READ) continue;
                q = src;
            }
            const struct pa_file_facts *qf = f;
            int32_t qh = q;
            if (dc.via_project) {
                /* the query itself is in the callee: judge its filters there */
                qf = in->files[dc.callee.file];
                const struct pa_func *cfn = pa_facts_func(qf, dc.callee.func);
                if (!cfn || cfn->nparams > 1) continue;   /* parameterised lookups are request-specific */
                qh = -1;
            }
            if (qh >= 0 && request_specific(f, qh, fn)) continue;
            char *how = NULL;
            const char *wpath = NULL;
            uint32_t wline = 0;
            if (!dl_built) { dep_list_build(in, &dl); dl_built = true; }
            if (!per_request(in, &dl, (int32_t)fi, fn->cls, &how, &wpath, &wline)) continue;
            bool heavy = qh >= 0 && joins_or_aggregates(f, qh, 0);
            const struct pa_class *k = &f->classes.v[fn->cls];
            pa_buf issue, rec;
            pa_buf_init(&issue);
            pa_buf_init(&rec);
            pa_buf_printf(&issue, "Per-request cache: %s.%s() stores the result of `%s()`%s%s%s in `%s`, but %s, so the "
                          "cache is rebuilt (and the query re-run) on every request", k->name, fn->name,
                          pa_query_call(f, q)->callee, dc.model ? " (" : "", dc.model ? dc.model->name : "", dc.model ? ")" : "",
                          as->target, how);
            if (heavy) pa_buf_puts(&issue, "; the query joins/aggregates, which makes every rebuild expensive");
            fix(&rec, dc.model ? dc.model->name : "this reference data");
            struct pa_finding *fd = pa_rule_report_call(out, in, (int32_t)fi, pa_query_call(f, q), heavy ? PA_SEV_HIGH : PA_SEV_MEDIUM,
                                                        issue.s, rec.s, "M");
            pa_finding_add_trace(fd, wpath, wline, "instantiated per request");
            pa_finding_add_trace(fd, f->path, as->line, "cache filled by a query");
            free(how);
            pa_buf_free(&issue);
            pa_buf_free(&rec);
        }
    }
    if (dl_built) dep_list_free(&dl);
}

static void check_flask_g(const struct pa_audit_input *in, struct pa_rule_out *out)
{
    for (size_t fi = 0; fi < in->nfiles; fi++) {
        const struct pa_file_facts *f = in->files[fi];
        bool has_g = false;
        for (size_t i = 0; i < f->imports.n; i++)
            if (strcmp(f->imports.v[i].module, "flask") == 0 && f->imports.v[i].name &&
                strcmp(f->imports.v[i].name, "g") == 0)
                has_g = true;
        if (!has_g) continue;
        for (size_t ai = 0; ai < f->assigns.n; ai++) {
            const struct pa_assign *as = &f->assigns.v[ai];
            if (!pa_str_starts(as->target, "g.") || as->value_call < 0) continue;
            int32_t q = as->value_call;
            for (int32_t j = q - 1; j >= 0 && j >= q - 8; j--)
                if (f->calls.v[j].recv_call == q) q = j;
            out->examined++;
            struct pa_db_call dc;
            if (!pa_orm_classify_call(in, (int32_t)fi, q, &dc) || dc.op != PA_DB_READ || dc.via_project) continue;
            const struct pa_func *fn = pa_facts_func(f, as->func);
            if (fn && request_specific(f, q, fn)) continue;
            bool heavy = joins_or_aggregates(f, q, 0);
            pa_buf issue, rec;
            pa_buf_init(&issue);
            pa_buf_init(&rec);
            pa_buf_printf(&issue, "Per-request cache: `%s` holds the result of `%s()`%s%s%s, but Flask's `g` lives for one "
                          "request, so the query runs again on every request", as->target, pa_query_call(f, q)->callee,
                          dc.model ? " (" : "", dc.model ? dc.model->name : "", dc.model ? ")" : "");
            if (heavy) pa_buf_puts(&issue, "; the query joins/aggregates");
            fix(&rec, dc.model ? dc.model->name : "this reference data");
            pa_rule_report_call(out, in, (int32_t)fi, pa_query_call(f, q), heavy ? PA_SEV_HIGH : PA_SEV_MEDIUM, issue.s, rec.s, "M");
            pa_buf_free(&issue);
            pa_buf_free(&rec);
        }
    }
}

void pa_check_pa106(const struct pa_audit_input *in, struct pa_rule_out *out)
{
    check_classes(in, out);
    check_flask_g(in, out);
}
