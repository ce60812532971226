/* effect_sites.c - the machinery shared by PA301 (blocking IO) and PA305
 * (CPU-bound work): find calls executed on the event loop that reach a
 * library call with a given effect, directly or through sync helpers in any
 * module, and report them at the call inside the async function with the
 * chain. Offloaded calls (to_thread & co.) never count: the index's boundary
 * rule stops their effects. Awaited calls are async APIs and are skipped. */
#include <stdlib.h>
#include <string.h>

#include "audit/runtime/effect_sites.h"

#define MAX_CHAIN 10
/* Chains longer than this (call site + 3 helpers + the library call) are
 * not reported: a deep path through general-purpose code (warnings →
 * linecache → open) is rarely taken and not actionable at the call site. */
#define MAX_REPORTED_CHAIN 5

static bool chain_stays_sync(const struct pa_audit_input *in, const struct pa_chain_step *steps, size_t n)
{
    for (size_t k = 1; k < n; k++) {
        const struct pa_func *fn = pa_facts_func(in->files[steps[k].fn.file], steps[k].fn.func);
        if (!fn || fn->is_async) return false;
    }
    return true;
}

/* Is `name` bound in function `func` to the result of a call that is itself
 * reported (a file object from open(), a Popen, a connection)? Then methods on
 * it are the same problem, reported once at the constructor. */
static bool bound_to_reported_call(const struct pa_audit_input *in, int32_t fi, int32_t func, const char *name,
                                   const struct pa_effect_rule *rule)
{
    const struct pa_file_facts *f = in->files[fi];
    for (size_t i = 0; i < f->assigns.n; i++) {
        const struct pa_assign *a = &f->assigns.v[i];
        if (a->func != func || a->value_call < 0 || strcmp(a->target, name) != 0) continue;
        struct pa_target t = pa_index_resolve(in->index, fi, a->value_call);
        if (t.kind == PA_TARGET_LIBRARY && t.lib && (t.lib->effects & rule->effects)) return true;
    }
    for (size_t i = 0; i < f->withs.n; i++) {
        const struct pa_with *w = &f->withs.v[i];
        if (w->func != func) continue;
        for (uint16_t k = 0; k < w->nitems; k++) {
            if (!w->items[k].as || w->items[k].call < 0 || strcmp(w->items[k].as, name) != 0) continue;
            struct pa_target t = pa_index_resolve(in->index, fi, w->items[k].call);
            if (t.kind == PA_TARGET_LIBRARY && t.lib && (t.lib->effects & rule->effects)) return true;
        }
    }
    return false;
}

void pa_runtime_check_effect_sites(const struct pa_audit_input *in, struct pa_rule_out *out,
                                   const struct pa_effect_rule *rule)
{
    for (size_t fi = 0; fi < in->nfiles; fi++) {
        const struct pa_file_facts *f = in->files[fi];
        for (size_t ci = 0; ci < f->calls.n; ci++) {
            const struct pa_call *c = &f->calls.v[ci];
            const struct pa_func *fn;
            if (!pa_runtime_async_site(in, (int32_t)fi, (int32_t)ci, &fn)) continue;
            out->examined++;
            if (c->flags & PA_CALL_AWAITED) continue;
            struct pa_target tg = pa_index_resolve(in->index, (int32_t)fi, (int32_t)ci);
            pa_entry_kind entry = pa_index_entry(in->index, (pa_fref){(int32_t)fi, c->func});
            pa_severity sev = rule->severity ? rule->severity(entry) : pa_runtime_loop_severity(entry);
            if (tg.kind == PA_TARGET_LIBRARY && tg.lib) {
                uint32_t eff = tg.lib->effects & rule->effects;
                if (!eff || (tg.lib->flags & (PA_LIB_ASYNC_API | PA_LIB_OFFLOAD))) continue;
                if (rule->accept && !rule->accept(in, (int32_t)fi, (int32_t)ci, tg.lib)) continue;
                if (c->base && strchr(c->callee, '.') && strcmp(c->base, "self") != 0 &&
                    bound_to_reported_call(in, (int32_t)fi, c->func, c->base, rule))
                    continue;
                pa_buf issue, rec;
                pa_buf_init(&issue);
                pa_buf_init(&rec);
                rule->describe_direct(in, (int32_t)fi, c, fn, entry, tg.lib, eff, &issue, &rec);
                pa_rule_report_call(out, in, (int32_t)fi, c, sev, issue.s, rec.s, "S");
                pa_buf_free(&issue);
                pa_buf_free(&rec);
                continue;
            }
            if (tg.kind != PA_TARGET_PROJECT && tg.kind != PA_TARGET_CLASS) continue;
            if (tg.kind == PA_TARGET_PROJECT) {
                const struct pa_func *callee = pa_facts_func(in->files[tg.fn.file], tg.fn.func);
                if (!callee || callee->is_async) continue;
            }
            if (!(pa_index_call_effects(in->index, (int32_t)fi, (int32_t)ci) & rule->effects)) continue;
            /* the first effect bit (in a fixed order) with a chain whose every step is sync */
            for (uint32_t bit = 1; bit && bit <= rule->effects; bit <<= 1) {
                if (!(rule->effects & bit)) continue;
                struct pa_chain_step steps[MAX_CHAIN];
                size_t nsteps = 0;
                const struct pa_libsig *sig =
                    pa_index_effect_chain(in->index, (int32_t)fi, (int32_t)ci, bit, steps, MAX_CHAIN, &nsteps);
                if (!sig || nsteps < 2 || nsteps > MAX_REPORTED_CHAIN || !chain_stays_sync(in, steps, nsteps)) continue;
                if (sig->flags & (PA_LIB_ASYNC_API | PA_LIB_OFFLOAD)) continue;
                const struct pa_chain_step *last = &steps[nsteps - 1];
                if (rule->accept && !rule->accept(in, last->fn.file, last->call, sig)) continue;
                pa_buf issue, rec;
                pa_buf_init(&issue);
                pa_buf_init(&rec);
                rule->describe_chain(in, (int32_t)fi, c, fn, entry, sig, bit, &issue, &rec);
                struct pa_finding *fd = pa_rule_report_call(out, in, (int32_t)fi, c, sev, "", rec.s, "M");
                char *note = pa_xasprintf("async def %s()", fn->qualname);
                pa_finding_add_trace(fd, f->path, fn->line, note);
                free(note);
                pa_index_describe_chain(in->index, steps, nsteps, sig, fd, &issue);
                free(fd->issue);
                fd->issue = pa_buf_take(&issue);
                pa_buf_free(&rec);
                break;
            }
        }
    }
}
