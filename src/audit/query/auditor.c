/* auditor.c (query) - the query-efficiency auditor's rule table (worker
 * ln-651, report 651-query-efficiency.md). One registration line per rule. */
#include "pa/audit.h"
#include "audit/query/query.h"

static const struct pa_rule_impl rules[] = {
    {"PA101", pa_check_pa101, NULL},
    {"PA102", pa_check_pa102, NULL},
    {"PA103", pa_check_pa103, NULL},
    {"PA104", pa_check_pa104, NULL},
    {"PA105", pa_check_pa105, NULL},
    {"PA106", pa_check_pa106, NULL},
    {"PA107", pa_check_pa107, NULL},
};

const struct pa_rule_impl *pa_query_rules(size_t *n)
{
    *n = sizeof rules / sizeof rules[0];
    return rules;
}
