/* pa303_sync_sleep.c - PA303 sync_sleep_in_async: time.sleep() executed on
 * the event loop, directly in an `async def` or through sync helpers in any
 * module (reported at the call inside the async function, with the chain).
 * Not flagged: calls handed to asyncio.to_thread & co. (the index's offload
 * boundary), code in nested plain defs/lambdas that are not called inline,
 * awaited calls of async project functions (reported inside them). */
#include "audit/runtime/effect_sites.h"

static const char *sleep_advice(const struct pa_audit_input *in)
{
    const char *rt = in->ctx->async_runtime.name;
    if (rt && pa_str_ieq(rt, "trio")) return "await trio.sleep(...)";
    if (rt && pa_str_ieq(rt, "anyio")) return "await anyio.sleep(...)";
    return "await asyncio.sleep(...)";
}

static void direct(const struct pa_audit_input *in, int32_t file, const struct pa_call *c, const struct pa_func *fn,
                   pa_entry_kind entry, const struct pa_libsig *sig, uint32_t effect, pa_buf *issue, pa_buf *rec)
{
    pa_buf_printf(issue, "time.sleep() blocks the event loop in async def %s() (%s): every other request and "
                  "task on this loop stalls for the whole sleep", fn->name, pa_runtime_entry_label(entry));
    pa_buf_printf(rec, "Replace `%s(...)` with `%s`; it suspends only this coroutine.", c->callee, sleep_advice(in));
}

static void chain(const struct pa_audit_input *in, int32_t file, const struct pa_call *c, const struct pa_func *fn,
                  pa_entry_kind entry, const struct pa_libsig *sig, uint32_t effect, pa_buf *issue, pa_buf *rec)
{
    pa_buf_printf(issue, "%s() called from async def %s() (%s) blocks the event loop in time.sleep()", c->callee,
                  fn->name, pa_runtime_entry_label(entry));
    pa_buf_printf(rec, "Make the helper chain async and use `%s`, or offload the call: "
                  "`await asyncio.to_thread(%s, ...)`.", sleep_advice(in), c->callee);
}

void pa_check_pa303(const struct pa_audit_input *in, struct pa_rule_out *out)
{
    static const struct pa_effect_rule rule = {PA_EFF_SLEEP, NULL, NULL, direct, chain};
    pa_runtime_check_effect_sites(in, out, &rule);
}
