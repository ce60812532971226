/* audit.h - the auditor interface and the pipeline that runs discovery,
 * the parse pool, the index, the three auditors and the aggregator.
 *
 * DESIGN
 * - Each auditor runs on its own pthread with read-only access to the input
 *   (context, facts, index, options) and fills only its own pa_audit_result.
 * - A rule is a function `void check(const struct pa_audit_input *, struct
 *   pa_rule_out *)` registered in its auditor's table; rules never walk trees.
 * - Results are merged and sorted by the aggregator, so output never depends
 *   on thread timing.
 */
#ifndef PA_AUDIT_H
#define PA_AUDIT_H

#include "pa/context.h"
#include "pa/facts.h"
#include "pa/finding.h"
#include "pa/index.h"
#include "pa/models.h"
#include "pa/options.h"

struct pa_skipped {
    char *path;      /* relative path */
    char *reason;    /* why it was not analysed (or only partially) */
};

struct pa_audit_input {
    const struct pa_context *ctx;          /* frozen context */
    const pa_index *index;                 /* frozen index */
    const pa_models *models;               /* frozen ORM model knowledge */
    struct pa_file_facts *const *files;    /* facts, sorted by path */
    size_t nfiles;
    const struct pa_options *opts;
};

/* What one rule check reports back. */
struct pa_rule_out {
    const struct pa_rule_meta *rule;   /* the rule being checked */
    pa_findings *findings;             /* the auditor's findings list */
    size_t examined;                   /* candidate sites examined (for the Checks details) */
};

typedef void (*pa_rule_check_fn)(const struct pa_audit_input *in, struct pa_rule_out *out);

struct pa_rule_impl {
    const char *rule_id;               /* "PA303" */
    pa_rule_check_fn check;            /* NULL = not implemented yet (reported as skipped) */
    const char *skip_reason;           /* why it is skipped, when check is NULL */
};

struct pa_audit_result {
    pa_category category;
    pa_findings findings;              /* owned */
    struct pa_check_result checks[16]; /* one per rule of the category, in rule order */
    size_t nchecks;
    double seconds;                    /* wall time of the auditor */
};

/* Run one auditor (all its enabled rules) into res. Thread-safe w.r.t. other auditors. */
void pa_auditor_run(pa_category cat, const struct pa_audit_input *in, struct pa_audit_result *res);
void pa_audit_result_free(struct pa_audit_result *res);

/* Each auditor's rule table (src/audit/<cat>/auditor.c). */
const struct pa_rule_impl *pa_query_rules(size_t *n);
const struct pa_rule_impl *pa_transaction_rules(size_t *n);
const struct pa_rule_impl *pa_runtime_rules(size_t *n);

/* Helpers shared by rules. */
/* Create a finding at a call site of a file with the function context filled. */
struct pa_finding *pa_rule_report_call(struct pa_rule_out *out, const struct pa_audit_input *in, int32_t file,
                                       const struct pa_call *call, pa_severity sev, const char *issue,
                                       const char *recommendation, const char *effort);
struct pa_finding *pa_rule_report_at(struct pa_rule_out *out, const struct pa_audit_input *in, int32_t file,
                                     int32_t func, uint32_t line, uint32_t col, uint32_t end_line, pa_severity sev,
                                     const char *issue, const char *recommendation, const char *effort);

#endif
