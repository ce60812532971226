/* auditor.c (query) - the query-efficiency auditor's rule table (worker
 * ln-651, report 651-query-efficiency.md). One registration line per rule. */
#include "pa/audit.h"

static const struct pa_rule_impl rules[] = {
    {"PA101", NULL, "not implemented yet (query auditor issue)"},
    {"PA102", NULL, "not implemented yet (query auditor issue)"},
    {"PA103", NULL, "not implemented yet (query auditor issue)"},
    {"PA104", NULL, "not implemented yet (query auditor issue)"},
    {"PA105", NULL, "not implemented yet (query auditor issue)"},
    {"PA106", NULL, "not implemented yet (query auditor issue)"},
    {"PA107", NULL, "not implemented yet (query auditor issue)"},
};

const struct pa_rule_impl *pa_query_rules(size_t *n)
{
    *n = sizeof rules / sizeof rules[0];
    return rules;
}
