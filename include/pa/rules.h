/* rules.h - the single source of truth for rule metadata (id, check id,
 * category, default severity, title, principle). It feeds the worker
 * reports' Checks tables, SARIF rule entries, `pa-audit rules` and
 * `explain`; a test keeps docs/rules/ in step with it.
 * The table itself is src/rules/rules.def (one registration line per rule). */
#ifndef PA_RULES_H
#define PA_RULES_H

#include <stdbool.h>
#include <stddef.h>

typedef enum pa_category {
    PA_CAT_QUERY = 0,     /* query_efficiency, worker ln-651 */
    PA_CAT_TRANSACTION,   /* transaction_correctness, worker ln-652 */
    PA_CAT_RUNTIME,       /* runtime_performance, worker ln-653 */
    PA_CAT__COUNT
} pa_category;

typedef enum pa_severity {
    PA_SEV_LOW = 0,
    PA_SEV_MEDIUM,
    PA_SEV_HIGH,
    PA_SEV_CRITICAL,
} pa_severity;

struct pa_rule_meta {
    const char *id;          /* "PA301" */
    const char *check;       /* "blocking_io_in_async" */
    pa_category category;    /* owning auditor */
    pa_severity severity;    /* default severity */
    const char *title;       /* CONTRACT.md title */
    const char *principle;   /* the principle column of the Findings table */
};

const struct pa_rule_meta *pa_rules_all(size_t *n);           /* static table, thread-safe */
const struct pa_rule_meta *pa_rule_find(const char *id);      /* NULL if unknown */
/* A rule id or prefix ("PA3", "PA101") matches rule id? */
bool pa_rule_matches(const char *pattern, const char *rule_id);

const char *pa_category_id(pa_category c);       /* "query_efficiency" */
const char *pa_category_name(pa_category c);     /* "Query Efficiency" */
const char *pa_category_worker(pa_category c);   /* "ln-651" */
const char *pa_category_report(pa_category c);   /* "651-query-efficiency.md" */
const char *pa_category_domain(pa_category c);   /* "persistence" etc. */

const char *pa_severity_name(pa_severity s);     /* "CRITICAL" … */
bool pa_severity_parse(const char *s, pa_severity *out); /* case-insensitive */

/* The rule's documentation page (docs/rules/ID.md), embedded at build time;
 * NULL if none. Borrowed, static. */
const char *pa_rule_doc(const char *id);

#endif
