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
