/* refetch.c (query) - the analysis PA101 and PA103 share: a function B that
 * receives an id parameter and fetches an entity of model M by it, with the
 * resolved call sites of B and what each caller passes for that parameter
 * (obj.id of an object of model M it already holds - and whether it fetched
 * that object itself), plus how B uses the fetched entity (a single attribute
 * or more). Pure reads of the frozen input; results are owned by the caller. */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "audit/query/refetch.h"

/* Does the fetch chain ending at `head` look an entity up by `p`? */
static bool keyed_by(const struct pa_file_facts *f, int32_t head, const char *p)
{
    for (const struct pa_call *c = pa_query_call(f, head); c; c = pa_query_call(f, c->recv_call)) {
        for (uint16_t i = 0; i < c->nargs; i++) {
            const struct pa_arg *a = &c->args[i];
            if (!a->text) continue;
            if (strcmp(a->text, p) == 0 &&
                (!a->kw || strcmp(a->kw, "pk") == 0 || strcmp(a->kw, "id") == 0 || pa_str_ends(a->kw, "_id")))
                return true;
            const char *eq = strstr(a->text, "==");
            if (eq && pa_query_text_has_word(eq + 2, p) && (strstr(a->text, ".id ") || strstr(a->text, ".pk ")))
                return true;
        }
    }
    return false;
}

static bool single_fetch_call(const struct pa_audit_input *in, int32_t fi, int32_t ci, const struct pa_db_call *dc)
{
    const struct pa_file_facts *f = in->files[fi];
    const struct pa_call *c = pa_query_call(f, ci);
    static const char *const single[] = {"get", "get_one", "first", "one", "one_or_none", "scalar_one",
        "scalar_one_or_none", "scalar", "get_or_404", "first_or_404", "one_or_404", "aget", "afirst", NULL};
    if (dc->via_project) {
        const struct pa_func *fn = pa_facts_func(in->files[dc->callee.file], dc->callee.func);
        if (!fn || !fn->returns) return false;
        return !(strstr(fn->returns, "list") || strstr(fn->returns, "List") || strstr(fn->returns, "Sequence") ||
                 strstr(fn->returns, "Iterable") || strstr(fn->returns, "QuerySet") || strstr(fn->returns, "tuple"));
    }
    for (int i = 0; single[i]; i++)
        if (strcmp(c->attr, single[i]) == 0) return true;
    return false;
}

bool pa_query_entity_fetch(const struct pa_audit_input *in, int32_t fi, int32_t ci, const struct pa_model **model)
{
    struct pa_db_call dc;
    const struct pa_file_facts *f = in->files[fi];
    if (!pa_query_call(f, ci) || !pa_query_is_head(f, ci)) return false;
    if (!pa_orm_classify_call(in, fi, ci, &dc) || dc.op != PA_DB_READ) return false;
    if (!single_fetch_call(in, fi, ci, &dc)) return false;
    const struct pa_model *m = pa_orm_call_model(in, fi, ci);
    if (!m) m = dc.model;
    if (!m) return false;
    *model = m;
    return true;
}

/* Uses of local `var` in function func after line: distinct attributes read,
 * and whether it is used whole (passed, returned, method call, mutated). */
static void var_uses(const struct pa_file_facts *f, int32_t func, const char *var, uint32_t line, char **attr_out,
                     int *nattrs, bool *whole)
{
    *nattrs = 0;
    *whole = false;
    *attr_out = NULL;
    size_t vn = strlen(var);
#define SCAN_TEXT(T)                                                                                   \
    do {                                                                                               \
        const char *t_ = (T);                                                                          \
        for (const char *p = t_; p && (p = strstr(p, var)); p += vn) {                                 \
            if (p > t_ && (isalnum((unsigned char)p[-1]) || p[-1] == '_' || p[-1] == '.')) continue;   \
            if (isalnum((unsigned char)p[vn]) || p[vn] == '_') continue;                               \
            if (p[vn] != '.') { *whole = true; continue; }                                             \
            const char *a = p + vn + 1, *e = a;                                                        \
            while (isalnum((unsigned char)*e) || *e == '_') e++;                                       \
            if (*e == '(') { *whole = true; continue; }                                                \
            if (!*attr_out) { *attr_out = pa_xstrndup(a, (size_t)(e - a)); *nattrs = 1; }              \
            else if (strlen(*attr_out) != (size_t)(e - a) || strncmp(*attr_out, a, (size_t)(e - a))) \
                *nattrs = 2;                                                                           \
        }                                                                                              \
    } while (0)
    for (size_t i = 0; i < f->calls.n; i++) {
        const struct pa_call *c = &f->calls.v[i];
        if (c->func != func || c->line <= line) continue;
        if (c->base && strcmp(c->base, var) == 0 && c->recv_call < 0) *whole = true;   /* var.method() */
        for (uint16_t k = 0; k < c->nargs; k++) SCAN_TEXT(c->args[k].text);
    }
    for (size_t i = 0; i < f->assigns.n; i++) {
        const struct pa_assign *as = &f->assigns.v[i];
        if (as->func != func || as->line <= line) continue;
        if (pa_query_text_has_attr(as->target, var, NULL) || strcmp(as->target, var) == 0) *whole = true;
        if (as->value_call < 0) SCAN_TEXT(as->value);
    }
    for (size_t i = 0; i < f->returns.n; i++) {
        const struct pa_return *r = &f->returns.v[i];
        if (r->func != func || r->line <= line) continue;
        if (r->value_call < 0) SCAN_TEXT(r->value);
    }
#undef SCAN_TEXT
}

static const char *arg_for_param(const struct pa_call *c, const struct pa_func *callee, int pidx)
{
    const char *pname = callee->params[pidx].name;
    for (uint16_t i = 0; i < c->nargs; i++)
        if (c->args[i].kw && strcmp(c->args[i].kw, pname) == 0) return c->args[i].text;
    int skip = callee->cls >= 0 && callee->nparams > 0 &&
               (strcmp(callee->params[0].name, "self") == 0 || strcmp(callee->params[0].name, "cls") == 0);
    const struct pa_arg *a = pa_call_posarg(c, pidx - skip);
    return a ? a->text : NULL;
}

/* Find callers of fn (resolved call sites anywhere in the project). */
/* Call sites grouped by their last callee component, built once per scan so
 * that finding the callers of a function is not a scan of every call. */
struct call_ref {
    int32_t file, call;   /* a call site */
};
typedef PA_VEC(struct call_ref) call_refs;

/* by_attr holds an (empty) entry for each name wanted; fill in the call
 * sites whose last component is one of them (only those: on a large tree
 * all call sites would be megabytes). */
static void build_by_attr(const struct pa_audit_input *in, pa_strmap *by_attr)
{
    for (size_t fi = 0; fi < in->nfiles; fi++) {
        const struct pa_file_facts *f = in->files[fi];
        for (size_t ci = 0; ci < f->calls.n; ci++) {
            call_refs *v = pa_strmap_get(by_attr, f->calls.v[ci].attr);
            if (!v) continue;
            struct call_ref r = {(int32_t)fi, (int32_t)ci};
            pa_vec_push(v, r);
        }
    }
}

static void free_by_attr(pa_strmap *by_attr)
{
    for (size_t i = 0; i < by_attr->cap; i++)
        if (by_attr->keys[i]) {
            call_refs *v = by_attr->vals[i];
            pa_vec_free(v);
            free(v);
        }
    pa_strmap_free(by_attr);
}

static void find_callers(const struct pa_audit_input *in, const pa_strmap *by_attr, pa_fref fn, int pidx,
                         const struct pa_model *m, struct pa_query_refetch *rf)
{
    const struct pa_func *callee = pa_facts_func(in->files[fn.file], fn.func);
    const call_refs *refs = pa_strmap_get(by_attr, callee->name);
    for (size_t ri = 0; refs && ri < refs->n; ri++) {
        {
            size_t fi = (size_t)refs->v[ri].file, ci = (size_t)refs->v[ri].call;
            const struct pa_file_facts *f = in->files[fi];
            const struct pa_call *c = &f->calls.v[ci];
            struct pa_target tg = pa_index_resolve(in->index, (int32_t)fi, (int32_t)ci);
            if (tg.kind != PA_TARGET_PROJECT || tg.fn.file != fn.file || tg.fn.func != fn.func) continue;
            struct pa_query_caller k;
            memset(&k, 0, sizeof k);
            k.file = (int32_t)fi;
            k.func = c->func;
            k.call = (int32_t)ci;
            k.fetch_call = -1;
            const char *at = arg_for_param(c, callee, pidx);
            if (at) {
                const char *dot = strrchr(at, '.');
                if (dot && (strcmp(dot, ".id") == 0 || strcmp(dot, ".pk") == 0)) {
                    char *obj = pa_xstrndup(at, (size_t)(dot - at));
                    bool simple = true;
                    for (const char *p = obj; *p; p++)
                        if (!(isalnum((unsigned char)*p) || *p == '_')) simple = false;
                    const struct pa_model *om = simple && c->func >= 0 ? pa_orm_var_model(in, (int32_t)fi, c->func, obj, c->line) : NULL;
                    if (om == m) {
                        k.obj = obj;
                        obj = NULL;
                        /* did the caller fetch it itself? */
                        for (size_t a = 0; a < f->assigns.n; a++) {
                            const struct pa_assign *as = &f->assigns.v[a];
                            if (as->func != c->func || as->line > c->line || strcmp(as->target, k.obj) != 0) continue;
                            const struct pa_model *fm = NULL;
                            k.fetch_call = -1;
                            if (as->value_call >= 0 && pa_query_entity_fetch(in, (int32_t)fi, as->value_call, &fm) && fm == m)
                                k.fetch_call = as->value_call;
                        }
                    }
                    free(obj);
                }
            }
            pa_vec_push(&rf->callers, k);
        }
    }
}

/* A fetch by an id parameter (pass 1 of the scan). */
struct refetch_cand {
    int32_t file, call;
    int pidx;
    const struct pa_model *model;
};

void pa_query_refetch_scan(const struct pa_audit_input *in, struct pa_rule_out *out, pa_query_refetch_fn cb, void *ud)
{
    /* pass 1: the fetches by an id parameter, and the names of their functions */
    PA_VEC(struct refetch_cand) cands = {0};
    pa_strmap by_attr;
    pa_strmap_init(&by_attr);
    for (size_t fi = 0; fi < in->nfiles; fi++) {
        const struct pa_file_facts *f = in->files[fi];
        for (size_t ci = 0; ci < f->calls.n; ci++) {
            const struct pa_call *c = &f->calls.v[ci];
            const struct pa_func *fn = pa_facts_func(f, c->func);
            if (!fn || fn->is_lambda || !fn->nparams) continue;
            int pidx = -1;
            for (uint16_t p = 0; p < fn->nparams && pidx < 0; p++) {
                if (fn->params[p].kind == 1 || fn->params[p].kind == 2) continue;
                if (keyed_by(f, (int32_t)ci, fn->params[p].name)) pidx = p;
            }
            if (pidx < 0) continue;
            const struct pa_model *m = NULL;
            if (!pa_query_entity_fetch(in, (int32_t)fi, (int32_t)ci, &m)) continue;
            struct refetch_cand cd = {(int32_t)fi, (int32_t)ci, pidx, m};
            pa_vec_push(&cands, cd);
            if (!pa_strmap_has(&by_attr, fn->name))   /* key borrowed from the facts */
                pa_strmap_put(&by_attr, fn->name, pa_xcalloc(1, sizeof(call_refs)));
        }
    }
    /* pass 2: their callers */
    if (cands.n) build_by_attr(in, &by_attr);
    for (size_t qi = 0; qi < cands.n; qi++) {
        {
            size_t fi = (size_t)cands.v[qi].file, ci = (size_t)cands.v[qi].call;
            int pidx = cands.v[qi].pidx;
            const struct pa_model *m = cands.v[qi].model;
            const struct pa_file_facts *f = in->files[fi];
            const struct pa_call *c = &f->calls.v[ci];
            const struct pa_func *fn = pa_facts_func(f, c->func);
            out->examined++;
            struct pa_query_refetch rf;
            memset(&rf, 0, sizeof rf);
            rf.file = (int32_t)fi;
            rf.func = c->func;
            rf.call = (int32_t)ci;
            rf.model = m;
            rf.param = fn->params[pidx].name;
            for (size_t a = 0; a < f->assigns.n; a++)
                if (f->assigns.v[a].value_call == (int32_t)ci && f->assigns.v[a].target_kind == PA_EXPR_NAME)
                    rf.var = f->assigns.v[a].target;
            if (!rf.var) {
                /* `return session.get(User, uid).email` / `x = Store.objects.get(pk=i).name` */
                for (int pass = 0; pass < 2 && !rf.single_attr; pass++) {
                    size_t n = pass ? f->returns.n : f->assigns.n;
                    for (size_t k = 0; k < n && !rf.single_attr; k++) {
                        uint32_t ln = pass ? f->returns.v[k].line : f->assigns.v[k].line;
                        int32_t kf = pass ? f->returns.v[k].func : f->assigns.v[k].func;
                        uint8_t vk = pass ? f->returns.v[k].value_kind : f->assigns.v[k].value_kind;
                        const char *t = pass ? f->returns.v[k].value : f->assigns.v[k].value;
                        if (kf != c->func || ln != c->line || vk != PA_EXPR_ATTR || !t) continue;
                        const char *cp = strrchr(t, ')');
                        if (!cp || cp[1] != '.' || !strstr(t, c->attr)) continue;
                        const char *a = cp + 2;
                        bool ident = *a != '\0';
                        for (const char *q = a; *q; q++)
                            if (!(isalnum((unsigned char)*q) || *q == '_')) ident = false;
                        if (ident) rf.single_attr = pa_xstrdup(a);
                    }
                }
            }
            if (rf.var) {
                int n = 0;
                bool whole = false;
                var_uses(f, c->func, rf.var, c->line, &rf.single_attr, &n, &whole);
                if (n != 1 || whole) { free(rf.single_attr); rf.single_attr = NULL; }
            }
            find_callers(in, &by_attr, (pa_fref){(int32_t)fi, c->func}, pidx, m, &rf);
            if (rf.callers.n) cb(in, out, &rf, ud);
            for (size_t k = 0; k < rf.callers.n; k++) free(rf.callers.v[k].obj);
            pa_vec_free(&rf.callers);
            free(rf.single_attr);
        }
    }
    free_by_attr(&by_attr);
    pa_vec_free(&cands);
}

bool pa_query_refetch_is_resolve(const struct pa_query_refetch *rf)
{
    if (!rf->single_attr || !rf->callers.n) return false;
    for (size_t k = 0; k < rf->callers.n; k++)
        if (!rf->callers.v[k].obj) return false;
    return true;
}
