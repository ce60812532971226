/* runtime.h - private header of the runtime-performance auditor: its rule
 * checks and the helpers they share. */
#ifndef PA_AUDIT_RUNTIME_H
#define PA_AUDIT_RUNTIME_H

#include "pa/audit.h"

void pa_check_pa303(const struct pa_audit_input *in, struct pa_rule_out *out);
void pa_check_pa304(const struct pa_audit_input *in, struct pa_rule_out *out);

/* Severity by execution context for event-loop rules (PA301, PA303):
 * request handler HIGH, background MEDIUM, bootstrap LOW. */
pa_severity pa_runtime_loop_severity(pa_entry_kind k);
const char *pa_runtime_entry_label(pa_entry_kind k);

#endif
