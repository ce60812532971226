/* runtime.h - private header of the runtime-performance auditor: its rule
 * checks and the helpers they share. */
#ifndef PA_AUDIT_RUNTIME_H
#define PA_AUDIT_RUNTIME_H

#include "pa/audit.h"

void pa_check_pa301(const struct pa_audit_input *in, struct pa_rule_out *out);
void pa_check_pa302(const struct pa_audit_input *in, struct pa_rule_out *out);
void pa_check_pa305(const struct pa_audit_input *in, struct pa_rule_out *out);
void pa_check_pa306(const struct pa_audit_input *in, struct pa_rule_out *out);
void pa_check_pa303(const struct pa_audit_input *in, struct pa_rule_out *out);
void pa_check_pa304(const struct pa_audit_input *in, struct pa_rule_out *out);

/* Severity by execution context for event-loop rules (PA301, PA303):
 * request handler HIGH, background MEDIUM, bootstrap LOW. */
pa_severity pa_runtime_loop_severity(pa_entry_kind k);
const char *pa_runtime_entry_label(pa_entry_kind k);


/* Is call ci of file fi executed on the event loop inside an `async def`
 * (not a decorator, not in a callable offloaded to a thread)? Sets *fn. */
bool pa_runtime_async_site(const struct pa_audit_input *in, int32_t fi, int32_t ci, const struct pa_func **fn);
/* Advice for a blocking/cpu library call in async code (static text). */
const char *pa_runtime_advice(const struct pa_libsig *sig, uint32_t effect);
#endif
