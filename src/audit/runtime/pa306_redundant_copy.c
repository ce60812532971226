/* pa306_redundant_copy.c - PA306 redundant_data_copy: a copy (list(x),
 * dict(x), set(x), x.copy(), copy.copy/deepcopy(x), x[:]) of a local whose
 * type is known to be a list/dict/set, bound to a local name that is
 * afterwards only read - iterated, indexed, passed to
 * non-mutating calls - while the source is not changed after the copy.
 * When anything is unclear (the copy escapes, is returned, is passed to an
 * unknown callee, the source's type is unknown for list/dict/set(x), or the
 * source is mutated or handed to a call afterwards) nothing is reported:
 * list(x) of an iterator or generator is a materialisation, not a copy. */
#include <stdlib.h>
#include <string.h>

#include "audit/runtime/runtime.h"

static const char *const mutators[] = {
    "append", "extend", "insert", "remove", "pop", "clear", "sort", "reverse", "update", "setdefault", "popitem",
    "add", "discard", "difference_update", "intersection_update", "symmetric_difference_update", "__setitem__",
    "__delitem__", "__iadd__", NULL,
};

static const char *const readonly_builtins[] = {
    "builtins.len", "builtins.sorted", "builtins.sum", "builtins.min", "builtins.max", "builtins.any", "builtins.all",
    "builtins.print", "builtins.str", "builtins.repr", "builtins.enumerate", "builtins.zip", "builtins.iter",
    "builtins.tuple", "builtins.frozenset", "builtins.isinstance", "builtins.bool", "builtins.hash",
    "builtins.reversed", "builtins.filter", "builtins.map", "json.dumps", "json.dump", NULL,
};

static const char *const readonly_methods[] = {"join", "debug", "info", "warning", "error", "exception", "format", NULL};

static bool in_list(const char *s, const char *const *l)
{
    for (int i = 0; s && l[i]; i++)
        if (strcmp(s, l[i]) == 0) return true;
    return false;
}

static bool is_constant_name(const char *s)
{
    bool upper = false;
    for (; *s; s++) {
        if (*s >= 'a' && *s <= 'z') return false;
        if (*s >= 'A' && *s <= 'Z') upper = true;
        else if (*s != '_' && !(*s >= '0' && *s <= '9')) return false;
    }
    return upper;
}

/* Container kind of a module-level constant bound exactly once to a literal
 * collection and never mutated anywhere in the file; 0 otherwise. */
static char module_constant_kind(const struct pa_file_facts *f, const char *name)
{
    size_t n = strlen(name), binds = 0;
    char kind = 0;
    for (size_t i = 0; i < f->assigns.n; i++) {
        const struct pa_assign *a = &f->assigns.v[i];
        if (strncmp(a->target, name, n) != 0) continue;
        if (a->target[n] == '[' || a->target[n] == '.') return 0;  /* NAME[k] = … / NAME.x = … */
        if (a->target[n] != '\0') continue;
        if (a->func != -1 || a->cls != -1 || strcmp(a->op, "=") != 0) return 0;
        binds++;
        kind = a->value_kind == PA_EXPR_LIST ? 'l' : a->value_kind == PA_EXPR_DICT ? 'd'
             : a->value_kind == PA_EXPR_SET ? 's' : 0;
    }
    if (binds != 1) return 0;
    for (size_t i = 0; i < f->calls.n; i++) {
        const struct pa_call *c = &f->calls.v[i];
        if (!strncmp(c->callee, name, n) && c->callee[n] == '.' && in_list(c->attr, mutators)) return 0;
    }
    return kind;
}

/* What kind of container is local `name` in `func`, from its assignments
 * and parameter annotation: 'l'ist, 'd'ict, 's'et, or 0 when unknown/mixed. */
static char container_kind(const struct pa_file_facts *f, int32_t func, const char *name, size_t skip)
{
    char kind = 0;
    for (size_t i = 0; i < f->assigns.n; i++) {
        const struct pa_assign *a = &f->assigns.v[i];
        if (i == skip || a->func != func || strcmp(a->target, name) != 0) continue;
        if (strcmp(a->op, "=") != 0) return 0;
        char k = 0;
        switch (a->value_kind) {
        case PA_EXPR_LIST: case PA_EXPR_LISTCOMP: k = 'l'; break;
        case PA_EXPR_DICT: case PA_EXPR_DICTCOMP: k = 'd'; break;
        case PA_EXPR_SET: case PA_EXPR_SETCOMP: k = 's'; break;
        default: return 0;
        }
        if (kind && kind != k) return 0;
        kind = k;
    }
    if (kind) return kind;
    if (func >= 0 && is_constant_name(name)) {
        /* an ALL_CAPS module constant bound once to a literal collection */
        bool bound_here = false;
        for (size_t i = 0; i < f->assigns.n && !bound_here; i++)
            if (f->assigns.v[i].func == func && strcmp(f->assigns.v[i].target, name) == 0) bound_here = true;
        if (!bound_here) return module_constant_kind(f, name);
    }
    const struct pa_func *fn = pa_facts_func(f, func);
    for (uint16_t i = 0; fn && i < fn->nparams; i++) {
        const struct pa_param *p = &fn->params[i];
        if (strcmp(p->name, name) != 0 || !p->annotation) continue;
        const char *an = p->annotation;
        if (pa_str_starts(an, "list") || pa_str_starts(an, "List")) return 'l';
        if (pa_str_starts(an, "dict") || pa_str_starts(an, "Dict")) return 'd';
        if (pa_str_starts(an, "set") || pa_str_starts(an, "Set")) return 's';
    }
    return 0;
}

/* Source expression of the copy assigned by a, its kind, or NULL. Owned. */
static char *copy_source(const struct pa_audit_input *in, int32_t fi, const struct pa_assign *a, size_t ai, const char **what)
{
    const struct pa_file_facts *f = in->files[fi];
    if (a->value_kind == PA_EXPR_SUBSCRIPT && (a->value_flags & PA_XF_SLICE_ALL) && a->value) {
        size_t n = strlen(a->value);
        if (n < 4) return NULL;
        char *src = pa_xstrndup(a->value, n - 3);
        if (strpbrk(src, "()[] ") || container_kind(f, a->func, src, ai) != 'l') { free(src); return NULL; }
        *what = "x[:]";
        return src;
    }
    if (a->value_call < 0 || (a->value_kind != PA_EXPR_CALL)) return NULL;
    const struct pa_call *c = &f->calls.v[a->value_call];
    if (strchr(c->callee, '(') || strchr(c->callee, '?')) return NULL;
    if (strcmp(c->attr, "copy") == 0 && c->nargs == 0 && strcmp(c->callee, "copy") != 0) {
        /* x.copy() of a local known to be a list/dict/set (hash objects,
         * contexts, dataframes … have .copy() with other meanings) */
        char *src = pa_xstrndup(c->callee, strlen(c->callee) - 5);
        if (strchr(src, '.') || !container_kind(f, a->func, src, (size_t)-1)) { free(src); return NULL; }
        *what = ".copy()";
        return src;
    }
    if (c->nargs != 1 || c->args[0].kw || (c->args[0].kind != PA_EXPR_NAME && c->args[0].kind != PA_EXPR_ATTR)) return NULL;
    char *canon = pa_index_canonical(in->index, fi, c->func, c->callee);
    char *src = NULL;
    if (canon && (!strcmp(canon, "copy.copy") || !strcmp(canon, "copy.deepcopy"))) {
        if (c->args[0].kind == PA_EXPR_NAME && container_kind(f, a->func, c->args[0].text, (size_t)-1)) {
            *what = strcmp(canon, "copy.copy") == 0 ? "copy.copy()" : "copy.deepcopy()";
            src = pa_xstrdup(c->args[0].text);
        }
    } else if (canon && (!strcmp(canon, "builtins.list") || !strcmp(canon, "builtins.dict") || !strcmp(canon, "builtins.set"))) {
        char want = canon[9] == 'l' ? 'l' : canon[9] == 'd' ? 'd' : 's';
        if (c->args[0].kind == PA_EXPR_NAME && container_kind(f, a->func, c->args[0].text, (size_t)-1) == want) {
            *what = want == 'l' ? "list()" : want == 'd' ? "dict()" : "set()";
            src = pa_xstrdup(c->args[0].text);
        }
    }
    free(canon);
    return src;
}

/* Is the source changed or handed to a call after the copy? */
static bool source_touched_after(const struct pa_file_facts *f, int32_t func, const char *src, uint32_t line)
{
    size_t n = strlen(src);
    for (size_t i = 0; i < f->calls.n; i++) {
        const struct pa_call *c = &f->calls.v[i];
        if (c->func != func || c->line < line) continue;
        if (!strncmp(c->callee, src, n) && c->callee[n] == '.' && in_list(c->attr, mutators)) return true;
        for (uint16_t k = 0; k < c->nargs; k++)
            if (strcmp(c->args[k].text, src) == 0 && c->line > line) return true;
    }
    for (size_t i = 0; i < f->assigns.n; i++) {
        const struct pa_assign *a = &f->assigns.v[i];
        if (a->func != func || a->line < line) continue;
        if (!strncmp(a->target, src, n) && (a->target[n] == '\0' || a->target[n] == '[' || a->target[n] == '.')) {
            if (a->line > line || a->target[n] != '\0') return true;
        }
    }
    return false;
}

void pa_check_pa306(const struct pa_audit_input *in, struct pa_rule_out *out)
{
    for (size_t fi = 0; fi < in->nfiles; fi++) {
        const struct pa_file_facts *f = in->files[fi];
        for (size_t ai = 0; ai < f->assigns.n; ai++) {
            const struct pa_assign *a = &f->assigns.v[ai];
            if (a->func < 0 || a->target_kind != PA_EXPR_NAME || strcmp(a->op, "=") != 0) continue;
            const char *what = NULL;
            char *src = copy_source(in, (int32_t)fi, a, ai, &what);
            if (!src) continue;
            out->examined++;
            bool ok = true;
            size_t reads = 0;
            for (size_t j = 0; j < f->assigns.n && ok; j++) /* bound once only */
                if (j != ai && f->assigns.v[j].func == a->func && strcmp(f->assigns.v[j].target, a->target) == 0) ok = false;
            for (size_t u = 0; u < f->name_uses.n && ok; u++) {
                const struct pa_name_use *use = &f->name_uses.v[u];
                if (use->func != a->func || strcmp(use->name, a->target) != 0) continue;
                if (use->line == a->line && use->kind == PA_USE_STORE) continue; /* the copy itself */
                switch (use->kind) {
                case PA_USE_LOAD: reads++; break;
                case PA_USE_METHOD:
                    if (in_list(use->detail, mutators)) ok = false; else reads++;
                    break;
                case PA_USE_ARG: {
                    char *canon = use->detail ? pa_index_canonical(in->index, (int32_t)fi, a->func, use->detail) : NULL;
                    bool ro = canon && in_list(canon, readonly_builtins);
                    if (!ro && use->detail) ro = in_list(pa_str_last_dot(use->detail), readonly_methods) && strchr(use->detail, '.');
                    free(canon);
                    if (ro) reads++; else ok = false;
                    break;
                }
                default: ok = false; break;
                }
            }
            if (ok && reads > 0 && !source_touched_after(f, a->func, src, a->line)) {
                pa_entry_kind entry = pa_index_entry(in->index, (pa_fref){(int32_t)fi, a->func});
                pa_buf issue, rec;
                pa_buf_init(&issue);
                pa_buf_init(&rec);
                pa_buf_printf(&issue, "`%s` is a copy of `%s` (%s) that is only read afterwards; the copy costs "
                              "time and memory proportional to its size for nothing", a->target, src, what);
                pa_buf_printf(&rec, "Read `%s` directly; copy only when one side is going to be mutated.", src);
                pa_rule_report_at(out, in, (int32_t)fi, a->func, a->line, a->col, a->end_line,
                                  entry == PA_ENTRY_REQUEST ? PA_SEV_MEDIUM : PA_SEV_LOW, issue.s, rec.s, "S");
                pa_buf_free(&issue);
                pa_buf_free(&rec);
            }
            free(src);
        }
    }
}
