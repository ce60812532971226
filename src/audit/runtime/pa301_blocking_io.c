/* pa301_blocking_io.c - PA301 blocking_io_in_async: blocking file, network,
 * subprocess, stdin and sync-database calls executed on the event loop,
 * directly in an `async def` or through sync helpers in any module. Methods
 * on an object obtained from an already-reported call (f.read() after
 * open()) are the same problem and are not reported twice. */
#include "audit/runtime/effect_sites.h"

static const char *kind_of(uint32_t effect)
{
    if (effect & PA_EFF_NET_IO) return "network";
    if (effect & PA_EFF_FILE_IO) return "file";
    if (effect & PA_EFF_SUBPROCESS) return "subprocess";
    if (effect & PA_EFF_SYNC_DB) return "synchronous database";
    if (effect & PA_EFF_INPUT) return "stdin";
    return "blocking";
}

static uint32_t first_bit(uint32_t e)
{
    static const uint32_t order[] = {PA_EFF_NET_IO, PA_EFF_FILE_IO, PA_EFF_SUBPROCESS, PA_EFF_SYNC_DB, PA_EFF_INPUT};
    for (size_t i = 0; i < sizeof order / sizeof order[0]; i++)
        if (e & order[i]) return order[i];
    return e;
}

static void direct(const struct pa_audit_input *in, int32_t file, const struct pa_call *c, const struct pa_func *fn,
                   pa_entry_kind entry, const struct pa_libsig *sig, uint32_t effect, pa_buf *issue, pa_buf *rec)
{
    uint32_t e = first_bit(effect);
    pa_buf_printf(issue, "Blocking %s call %s() in async def %s() (%s) stalls the event loop until it returns",
                  kind_of(e), sig->name, fn->name, pa_runtime_entry_label(entry));
    pa_buf_printf(rec, "Instead of `%s(...)`: %s.", c->callee, pa_runtime_advice(sig, e));
}

static void chain(const struct pa_audit_input *in, int32_t file, const struct pa_call *c, const struct pa_func *fn,
                  pa_entry_kind entry, const struct pa_libsig *sig, uint32_t effect, pa_buf *issue, pa_buf *rec)
{
    pa_buf_printf(issue, "%s() called from async def %s() (%s) does blocking %s IO in %s()", c->callee, fn->name,
                  pa_runtime_entry_label(entry), kind_of(effect), sig->name);
    pa_buf_printf(rec, "Offload the call with `await asyncio.to_thread(%s, ...)`, or make the chain async (%s).",
                  c->callee, pa_runtime_advice(sig, effect));
}

/* Graded HIGH everywhere: context validation's Rule 6 lowers blocking_io
 * findings in background jobs and startup code (grading here as well would
 * lower them twice). */
static pa_severity severity(pa_entry_kind entry) { (void)entry; return PA_SEV_HIGH; }

void pa_check_pa301(const struct pa_audit_input *in, struct pa_rule_out *out)
{
    static const struct pa_effect_rule rule = {PA_EFF_BLOCKING, NULL, severity, direct, chain};
    pa_runtime_check_effect_sites(in, out, &rule);
}
