/* pa304_string_concat.c - PA304 string_concat_in_loop: `s += piece` inside a
 * for/while loop when `s` is known to be a str (initialised from a string
 * literal, f-string or str(), annotated `str`, or concatenated with one) and
 * the string outlives the loop iteration (initialised outside the innermost
 * loop holding the +=). Ints, lists, bytes, numpy arrays and names of unknown
 * type are never flagged. */
#include <string.h>

#include "audit/runtime/runtime.h"

enum strness { S_UNKNOWN, S_STR, S_NOT_STR };

static bool value_is_str(uint8_t kind, uint8_t flags)
{
    return kind == PA_EXPR_STR || kind == PA_EXPR_FSTRING || (flags & (PA_XF_STR_CONCAT | PA_XF_STR_CALL));
}

static enum strness classify(const struct pa_assign *a)
{
    if (a->annotation) {
        if (strcmp(a->annotation, "str") == 0) return S_STR;
        return S_NOT_STR;
    }
    if (value_is_str(a->value_kind, a->value_flags)) return S_STR;
    switch (a->value_kind) {
    case PA_EXPR_NUM: case PA_EXPR_BOOL: case PA_EXPR_NONE: case PA_EXPR_LIST: case PA_EXPR_TUPLE:
    case PA_EXPR_DICT: case PA_EXPR_SET: case PA_EXPR_LISTCOMP: case PA_EXPR_SETCOMP: case PA_EXPR_DICTCOMP:
    case PA_EXPR_GENEXP: case PA_EXPR_BYTES: case PA_EXPR_LAMBDA: case PA_EXPR_COMPARE:
        return S_NOT_STR;
    default:
        return S_UNKNOWN;
    }
}

/* Is loop `inner` equal to or nested inside loop `outer`? */
static bool loop_within(const struct pa_file_facts *f, int32_t inner, int32_t outer)
{
    for (int32_t l = inner; l >= 0; l = f->loops.v[l].parent)
        if (l == outer) return true;
    return false;
}

static const struct pa_param *find_param(const struct pa_func *fn, const char *name)
{
    for (uint16_t i = 0; fn && i < fn->nparams; i++)
        if (strcmp(fn->params[i].name, name) == 0) return &fn->params[i];
    return NULL;
}

static bool is_accumulating_loop(uint8_t kind) { return kind == PA_LOOP_FOR || kind == PA_LOOP_ASYNC_FOR || kind == PA_LOOP_WHILE; }

void pa_check_pa304(const struct pa_audit_input *in, struct pa_rule_out *out)
{
    for (size_t fi = 0; fi < in->nfiles; fi++) {
        const struct pa_file_facts *f = in->files[fi];
        for (size_t ai = 0; ai < f->assigns.n; ai++) {
            const struct pa_assign *a = &f->assigns.v[ai];
            if (strcmp(a->op, "+=") != 0 || a->loop < 0) continue;
            if (a->target_kind != PA_EXPR_NAME && a->target_kind != PA_EXPR_ATTR) continue;
            if (!is_accumulating_loop(f->loops.v[a->loop].kind)) continue;
            out->examined++;
            bool rhs_str = value_is_str(a->value_kind, a->value_flags);
            /* every plain assignment of the same target in the same function scope */
            size_t ninit = 0, ninside = 0;
            enum strness verdict = S_UNKNOWN;
            bool any_str = false, any_not = false;
            for (size_t bi = 0; bi < f->assigns.n; bi++) {
                const struct pa_assign *b = &f->assigns.v[bi];
                if (b->func != a->func || b->cls != a->cls || bi == ai) continue;
                if (strcmp(b->target, a->target) != 0) continue;
                if (strcmp(b->op, "=") != 0 && strcmp(b->op, ":") != 0) {
                    if (strcmp(b->op, "+=") != 0) any_not = true; /* -=, *= … : not a string */
                    else if (!value_is_str(b->value_kind, b->value_flags) && classify(b) == S_NOT_STR) any_not = true;
                    continue;
                }
                ninit++;
                if (b->loop >= 0 && loop_within(f, b->loop, a->loop)) ninside++;
                enum strness s = classify(b);
                if (s == S_STR) any_str = true;
                else if (s == S_NOT_STR) any_not = true;
            }
            if (any_not) continue;
            if (ninit == 0) {
                const struct pa_param *p = a->target_kind == PA_EXPR_NAME ? find_param(pa_facts_func(f, a->func), a->target) : NULL;
                if (p && p->annotation) verdict = strcmp(p->annotation, "str") == 0 ? S_STR : S_NOT_STR;
                else verdict = rhs_str ? S_STR : S_UNKNOWN;
                /* an attribute with no assignment in this function: type unknown unless the += itself is a string */
                if (a->target_kind == PA_EXPR_ATTR && !rhs_str) verdict = S_UNKNOWN;
            } else {
                verdict = (any_str || rhs_str) ? S_STR : S_UNKNOWN;
                if (ninside == ninit) continue; /* re-initialised every iteration: no growth across iterations */
            }
            if (verdict != S_STR) continue;
            const struct pa_loop *lp = &f->loops.v[a->loop];
            pa_entry_kind entry = a->func >= 0 ? pa_index_entry(in->index, (pa_fref){(int32_t)fi, a->func}) : PA_ENTRY_NONE;
            bool hot = entry == PA_ENTRY_REQUEST || lp->parent >= 0;
            pa_buf issue, rec;
            pa_buf_init(&issue);
            pa_buf_init(&rec);
            pa_buf_printf(&issue, "String `%s` is built with += inside the %s loop at line %u: each += may copy the "
                          "whole string, O(n²) over the loop%s",
                          a->target, lp->kind == PA_LOOP_WHILE ? "while" : "for", lp->line,
                          hot ? (entry == PA_ENTRY_REQUEST ? " (request handler)" : " (nested loop)") : "");
            pa_buf_printf(&rec, "Collect the pieces in a list (`parts.append(...)`) and build the string once after "
                          "the loop with `\"\".join(parts)`, or write to an `io.StringIO`.");
            pa_rule_report_at(out, in, (int32_t)fi, a->func, a->line, a->col, a->end_line,
                              hot ? PA_SEV_MEDIUM : PA_SEV_LOW, issue.s, rec.s, "S");
            pa_buf_free(&issue);
            pa_buf_free(&rec);
        }
    }
}
