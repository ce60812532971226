/* auditor.c (transaction) - the transaction-correctness auditor's rule table
 * (worker ln-652, report 652-transaction-correctness.md). */
#include "pa/audit.h"

static const struct pa_rule_impl rules[] = {
    {"PA201", NULL, "not implemented yet (transaction auditor issue)"},
    {"PA202", NULL, "not implemented yet (transaction auditor issue)"},
    {"PA203", NULL, "not implemented yet (transaction auditor issue)"},
    {"PA204", NULL, "not implemented yet (transaction auditor issue)"},
    {"PA205", NULL, "not implemented yet (transaction auditor issue)"},
};

const struct pa_rule_impl *pa_transaction_rules(size_t *n)
{
    *n = sizeof rules / sizeof rules[0];
    return rules;
}
