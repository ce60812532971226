/* auditor.c (transaction) - the transaction-correctness auditor's rule table
 * (worker ln-652, report 652-transaction-correctness.md). One registration
 * line per rule; the shared transaction model is txmodel.c (txn.h). */
#include "audit/transaction/txn.h"

static const struct pa_rule_impl rules[] = {
    {"PA201", pa_check_pa201, NULL},
    {"PA202", pa_check_pa202, NULL},
    {"PA203", pa_check_pa203, NULL},
    {"PA204", pa_check_pa204, NULL},
    {"PA205", pa_check_pa205, NULL},
};

const struct pa_rule_impl *pa_transaction_rules(size_t *n)
{
    *n = sizeof rules / sizeof rules[0];
    return rules;
}
