/* auditor.c (runtime) - the runtime-performance auditor's rule table (worker
 * ln-653, report 653-runtime-performance.md). One registration line per rule. */
#include "pa/audit.h"
#include "audit/runtime/runtime.h"

static const struct pa_rule_impl rules[] = {
    {"PA301", pa_check_pa301, NULL},
    {"PA302", pa_check_pa302, NULL},
    {"PA303", pa_check_pa303, NULL},
    {"PA304", pa_check_pa304, NULL},
    {"PA305", pa_check_pa305, NULL},
    {"PA306", pa_check_pa306, NULL},
};

const struct pa_rule_impl *pa_runtime_rules(size_t *n)
{
    *n = sizeof rules / sizeof rules[0];
    return rules;
}
