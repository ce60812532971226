/* effect_sites.h - private: the shared search for event-loop call sites
 * that reach a library call with given effects (PA301, PA305). */
#ifndef PA_AUDIT_EFFECT_SITES_H
#define PA_AUDIT_EFFECT_SITES_H

#include "audit/runtime/runtime.h"

struct pa_effect_rule {
    uint32_t effects;   /* PA_EFF_* bits that make a site a finding */
    /* Optional: decide from the final library call's arguments (file, call) whether it qualifies. */
    bool (*accept)(const struct pa_audit_input *in, int32_t file, int32_t call, const struct pa_libsig *sig);
    /* Optional: severity by entry kind (default pa_runtime_loop_severity). */
    pa_severity (*severity)(pa_entry_kind entry);
    /* Issue and recommendation text for a direct call and for a chain. */
    void (*describe_direct)(const struct pa_audit_input *in, int32_t file, const struct pa_call *c,
                            const struct pa_func *fn, pa_entry_kind entry, const struct pa_libsig *sig,
                            uint32_t effect, pa_buf *issue, pa_buf *rec);
    void (*describe_chain)(const struct pa_audit_input *in, int32_t file, const struct pa_call *c,
                           const struct pa_func *fn, pa_entry_kind entry, const struct pa_libsig *sig,
                           uint32_t effect, pa_buf *issue, pa_buf *rec);
};

void pa_runtime_check_effect_sites(const struct pa_audit_input *in, struct pa_rule_out *out,
                                   const struct pa_effect_rule *rule);

#endif
