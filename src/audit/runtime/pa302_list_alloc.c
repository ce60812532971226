/* pa302_list_alloc.c - PA302 unnecessary_list_allocation: a list
 * comprehension passed straight to any/all (loses short-circuiting), len
 * (builds a list to count it), set/frozenset (use a set comprehension), or
 * sum/min/max/sorted/tuple where a generator expression does the same work.
 * "".join([...]) is NOT flagged: CPython's str.join materialises its
 * argument anyway, so the list comprehension is the faster spelling. */
#include <stdlib.h>
#include <string.h>

#include "audit/runtime/runtime.h"

struct consumer {
    const char *name;      /* builtins.X */
    int max_positional;    /* positional args allowed besides the list comprehension */
    const char *why;       /* issue text */
    const char *fix;       /* recommendation, %s = the comprehension body */
};

static const struct consumer consumers[] = {
    {"builtins.any", 0, "builds the whole list before testing it, losing any()'s short-circuit at the first true item",
     "Pass a generator: `any(%s)`."},
    {"builtins.all", 0, "builds the whole list before testing it, losing all()'s short-circuit at the first false item",
     "Pass a generator: `all(%s)`."},
    {"builtins.len", 0, "builds a list only to count its items",
     "Count without materialising: `sum(1 for ...)` over the same iteration (or count in the database)."},
    {"builtins.set", 0, "builds a list only to turn it into a set", "Use a set comprehension: `{%s}`."},
    {"builtins.frozenset", 0, "builds a list only to turn it into a frozenset", "Pass a generator: `frozenset(%s)`."},
    {"builtins.sum", 1, "builds a list only to add it up", "Pass a generator: `sum(%s)`."},
    {"builtins.min", 0, "builds a list only to take its minimum", "Pass a generator: `min(%s)`."},
    {"builtins.max", 0, "builds a list only to take its maximum", "Pass a generator: `max(%s)`."},
    {"builtins.sorted", 0, "builds a list that sorted() copies again", "Pass a generator: `sorted(%s)`."},
    {"builtins.tuple", 0, "builds a list only to copy it into a tuple", "Pass a generator: `tuple(%s)`."},
};

void pa_check_pa302(const struct pa_audit_input *in, struct pa_rule_out *out)
{
    for (size_t fi = 0; fi < in->nfiles; fi++) {
        const struct pa_file_facts *f = in->files[fi];
        for (size_t ci = 0; ci < f->calls.n; ci++) {
            const struct pa_call *c = &f->calls.v[ci];
            if (c->nargs == 0 || c->base == NULL || strcmp(c->callee, c->base) != 0) continue; /* plain names only */
            const struct pa_arg *first = NULL;
            int npos = 0;
            bool splat = false;
            for (uint16_t i = 0; i < c->nargs; i++) {
                if (c->args[i].kw && (c->args[i].kw[0] == '*')) splat = true;
                if (c->args[i].kw) continue;
                if (!first) first = &c->args[i];
                npos++;
            }
            if (splat || !first || first != &c->args[0] || first->kind != PA_EXPR_LISTCOMP) continue;
            const struct consumer *k = NULL;
            char *canon = pa_index_canonical(in->index, (int32_t)fi, c->func, c->callee);
            for (size_t i = 0; canon && i < sizeof consumers / sizeof consumers[0]; i++)
                if (strcmp(canon, consumers[i].name) == 0) k = &consumers[i];
            free(canon);
            if (!k) continue;
            out->examined++;
            if (npos - 1 > k->max_positional) continue;
            if (strcmp(k->name, "builtins.len") != 0 && strcmp(k->name, "builtins.set") != 0 && c->nargs > 1 &&
                (strcmp(k->name, "builtins.any") == 0 || strcmp(k->name, "builtins.all") == 0))
                continue;
            pa_entry_kind entry = c->func >= 0 ? pa_index_entry(in->index, (pa_fref){(int32_t)fi, c->func}) : PA_ENTRY_NONE;
            bool hot = entry == PA_ENTRY_REQUEST || c->loop >= 0 || (c->flags & PA_CALL_IN_COMP);
            /* the comprehension without its brackets, when it was not truncated */
            const char *t = first->text;
            size_t n = strlen(t);
            char *inner = (n >= 2 && t[0] == '[' && t[n - 1] == ']') ? pa_xstrndup(t + 1, n - 2) : pa_xstrdup("...");
            pa_buf issue, rec;
            pa_buf_init(&issue);
            pa_buf_init(&rec);
            pa_buf_printf(&issue, "%s([...]) %s", c->callee, k->why);
            pa_buf_printf(&rec, k->fix, inner);
            pa_rule_report_call(out, in, (int32_t)fi, c, hot ? PA_SEV_MEDIUM : PA_SEV_LOW, issue.s, rec.s, "S");
            free(inner);
            pa_buf_free(&issue);
            pa_buf_free(&rec);
        }
    }
}
