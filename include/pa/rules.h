/* rules.h - the single source of truth for rule metadata (id, check id,
 * category, default severity, title, principle). It feeds the worker
 * reports' Checks tables, SARIF rule entries, `pa-audit rules` and
 * `explain`; a test keeps docs/rules/ in step with it.
 * The table itself is src/rules/rules.def (one registration line per rule). */
#ifndef PA_RULES_H
#define PA_RULES_H

#include <stdbool.h>
#include <stddef.h>

#include "pa/core.h"

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
/* ---- custom rules (rule packs, include/pa/packs.h) --------------------- */
/* The table returned by pa_rules_all is the built-in rules followed by the
 * custom rules registered for this run; pointers into it stay valid. */
#define PA_RULES_MAX 32                /* whole table (options.severity_set is indexed by it) */
#define PA_RULES_PER_CATEGORY_MAX 16   /* pa_audit_result.checks holds 16 */
/* Register a custom rule; m's strings are borrowed until
 * pa_rules_reset_custom (the packs module owns them). Main thread, before
 * pa_rules_freeze. Returns PA_OK, or an error with *reason (static) set:
 * reserved id (PA100-PA399), duplicate id, table full, frozen. */
pa_status pa_rules_add_custom(const struct pa_rule_meta *m, const char **reason);
/* No more registrations until pa_rules_reset_custom (called before the
 * parse pool / auditors start). */
void pa_rules_freeze(void);
/* Drop every custom rule and unfreeze (end of a run; no reader may be running). */
void pa_rules_reset_custom(void);
/* Is r a custom (pack) rule of the table? */
bool pa_rule_is_custom(const struct pa_rule_meta *r);

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
