/* pa303_sync_sleep.c - PA303 sync_sleep_in_async: time.sleep() executed on
 * the event loop, directly in an `async def` or through sync helpers in any
 * module (reported at the call inside the async function, with the chain).
 * Not flagged: calls handed to asyncio.to_thread & co. (the index's offload
 * boundary), code in nested plain defs/lambdas that are not called inline,
 * awaited calls of async project functions (reported inside them). */
#include <stdlib.h>
#include <string.h>

#include "audit/runtime/runtime.h"

#define MAX_CHAIN 10

static bool chain_stays_sync(const struct pa_audit_input *in, const struct pa_chain_step *steps, size_t n)
{
    for (size_t k = 1; k < n; k++) {
        const struct pa_func *fn = pa_facts_func(in->files[steps[k].fn.file], steps[k].fn.func);
        if (!fn || fn->is_async) return false;
    }
    return true;
}

void pa_check_pa303(const struct pa_audit_input *in, struct pa_rule_out *out)
{
    const char *advice = in->ctx->async_runtime.name && pa_str_ieq(in->ctx->async_runtime.name, "trio")
                             ? "await trio.sleep(...)"
                             : "await asyncio.sleep(...)";
    for (size_t fi = 0; fi < in->nfiles; fi++) {
        const struct pa_file_facts *f = in->files[fi];
        for (size_t ci = 0; ci < f->calls.n; ci++) {
            const struct pa_call *c = &f->calls.v[ci];
            const struct pa_func *fn = pa_facts_func(f, c->func);
            if (!fn || !fn->is_async || fn->is_lambda) continue;
            if (c->flags & PA_CALL_DECORATOR) continue;
            out->examined++;
            if (pa_index_call_offloaded(in->index, (int32_t)fi, (int32_t)ci)) continue;
            pa_entry_kind entry = pa_index_entry(in->index, (pa_fref){(int32_t)fi, c->func});
            pa_severity sev = pa_runtime_loop_severity(entry);
            char *canon = pa_index_canonical(in->index, (int32_t)fi, c->func, c->callee);
            bool direct = canon && strcmp(canon, "time.sleep") == 0;
            free(canon);
            pa_buf issue, rec;
            pa_buf_init(&issue);
            pa_buf_init(&rec);
            if (direct) {
                pa_buf_printf(&issue, "time.sleep() blocks the event loop in async def %s() (%s): every other "
                              "request and task on this loop stalls for the whole sleep",
                              fn->name, pa_runtime_entry_label(entry));
                pa_buf_printf(&rec, "Replace `%s(...)` with `%s`; it suspends only this coroutine.", c->callee, advice);
                pa_rule_report_call(out, in, (int32_t)fi, c, sev, issue.s, rec.s, "S");
            } else if (!(c->flags & PA_CALL_AWAITED)) {
                struct pa_target tg = pa_index_resolve(in->index, (int32_t)fi, (int32_t)ci);
                if (tg.kind == PA_TARGET_PROJECT || tg.kind == PA_TARGET_CLASS) {
                    if (tg.kind == PA_TARGET_PROJECT) {
                        const struct pa_func *callee = pa_facts_func(in->files[tg.fn.file], tg.fn.func);
                        if (!callee || callee->is_async) goto next;
                    }
                    struct pa_chain_step steps[MAX_CHAIN];
                    size_t nsteps = 0;
                    const struct pa_libsig *sig = pa_index_effect_chain(in->index, (int32_t)fi, (int32_t)ci, PA_EFF_SLEEP,
                                                                        steps, MAX_CHAIN, &nsteps);
                    if (sig && nsteps >= 2 && chain_stays_sync(in, steps, nsteps)) {
                        pa_buf_printf(&issue, "%s() called from async def %s() (%s) blocks the event loop in time.sleep()",
                                      c->callee, fn->name, pa_runtime_entry_label(entry));
                        pa_buf_printf(&rec, "Make the helper chain async and use `%s`, or offload the call: "
                                      "`await asyncio.to_thread(%s, ...)`.", advice, c->callee);
                        struct pa_finding *fd = pa_rule_report_call(out, in, (int32_t)fi, c, sev, "", rec.s, "M");
                        char *note = pa_xasprintf("async def %s()", fn->qualname);
                        pa_finding_add_trace(fd, f->path, fn->line, note);
                        free(note);
                        pa_index_describe_chain(in->index, steps, nsteps, sig, fd, &issue);
                        free(fd->issue);
                        fd->issue = pa_buf_take(&issue);
                    }
                }
            }
        next:
            pa_buf_free(&issue);
            pa_buf_free(&rec);
        }
    }
}
