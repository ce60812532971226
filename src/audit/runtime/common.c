/* common.c (runtime) - severity grading by execution context shared by the
 * event-loop rules. */
#include "audit/runtime/runtime.h"

pa_severity pa_runtime_loop_severity(pa_entry_kind k)
{
    switch (k) {
    case PA_ENTRY_BACKGROUND:
    case PA_ENTRY_CLI: return PA_SEV_MEDIUM;
    case PA_ENTRY_BOOTSTRAP: return PA_SEV_LOW;
    case PA_ENTRY_REQUEST:
    case PA_ENTRY_NONE: break;
    }
    return PA_SEV_HIGH;
}

const char *pa_runtime_entry_label(pa_entry_kind k)
{
    switch (k) {
    case PA_ENTRY_REQUEST: return "request handler";
    case PA_ENTRY_BACKGROUND: return "background job";
    case PA_ENTRY_BOOTSTRAP: return "startup code";
    case PA_ENTRY_CLI: return "CLI command";
    case PA_ENTRY_NONE: break;
    }
    return "async function";
}

bool pa_runtime_async_site(const struct pa_audit_input *in, int32_t fi, int32_t ci, const struct pa_func **fnp)
{
    const struct pa_file_facts *f = in->files[fi];
    const struct pa_call *c = &f->calls.v[ci];
    const struct pa_func *fn = pa_facts_func(f, c->func);
    *fnp = fn;
    if (!fn || !fn->is_async || fn->is_lambda) return false;
    if (c->flags & PA_CALL_DECORATOR) return false;
    return !pa_index_call_offloaded(in->index, fi, ci);
}

const char *pa_runtime_advice(const struct pa_libsig *sig, uint32_t effect)
{
    if (sig && sig->advice) return sig->advice;
    if (effect & PA_EFF_NET_IO) return "use an async client (httpx.AsyncClient, aiohttp) or `await asyncio.to_thread(...)`";
    if (effect & PA_EFF_FILE_IO) return "use aiofiles / anyio.Path, or `await asyncio.to_thread(...)`";
    if (effect & PA_EFF_SUBPROCESS) return "use `await asyncio.create_subprocess_exec(...)`";
    if (effect & PA_EFF_SYNC_DB) return "use the async driver/session (AsyncSession, asyncpg, psycopg AsyncConnection) or `sync_to_async`";
    if (effect & PA_EFF_INPUT) return "do not read stdin in async code; take the value before starting the loop";
    if (effect & PA_EFF_CPU) return "offload with `await asyncio.to_thread(...)` (or a process pool for pure-Python CPU work)";
    if (effect & PA_EFF_SLEEP) return "`await asyncio.sleep(...)`";
    return "offload with `await asyncio.to_thread(...)`";
}
