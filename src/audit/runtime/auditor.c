/* auditor.c (runtime) - the runtime-performance auditor's rule table (worker
 * ln-653, report 653-runtime-performance.md). One registration line per rule. */
#include "pa/audit.h"
#include "audit/runtime/runtime.h"

static const struct pa_rule_impl rules[] = {
    {"PA301", NULL, "not implemented yet (runtime auditor issue)"},
    {"PA302", NULL, "not implemented yet (runtime auditor issue)"},
    {"PA303", pa_check_pa303, NULL},
    {"PA304", pa_check_pa304, NULL},
    {"PA305", NULL, "not implemented yet (runtime auditor issue)"},
    {"PA306", NULL, "not implemented yet (runtime auditor issue)"},
};

const struct pa_rule_impl *pa_runtime_rules(size_t *n)
{
    *n = sizeof rules / sizeof rules[0];
    return rules;
}
