/* finding.h - a finding and the per-auditor findings list.
 *
 * Ownership: every string in a finding is owned by the finding (heap) so
 * findings can outlive file facts and move between threads. A findings list
 * is filled by one thread (its auditor) and read by the aggregator after the
 * auditor thread has been joined. */
#ifndef PA_FINDING_H
#define PA_FINDING_H

#include "pa/core.h"
#include "pa/rules.h"

struct pa_trace_step {
    char *path;     /* project-relative path */
    uint32_t line;  /* 1-based */
    char *note;     /* "async handler upload()", "calls helper()", "time.sleep" */
};

/* Where the code runs; used for severity grading and context validation. */
typedef enum pa_entry_kind {
    PA_ENTRY_NONE = 0,     /* unknown / library code */
    PA_ENTRY_REQUEST,      /* HTTP request handler (or only reachable from one) */
    PA_ENTRY_BACKGROUND,   /* Celery/RQ/arq job, tasks/jobs/cron/workers code */
    PA_ENTRY_BOOTSTRAP,    /* startup, lifespan, __init__, setup, migrations */
    PA_ENTRY_CLI,          /* CLI or management command */
} pa_entry_kind;

struct pa_finding {
    const struct pa_rule_meta *rule;  /* static */
    pa_severity severity;             /* after validation */
    pa_severity original_severity;    /* as the auditor graded it */
    bool advisory;                    /* excluded from scores */
    bool baseline;                    /* fingerprint found in --baseline */
    char *advisory_note;              /* "[Planned: ADR-007] …" or "Rule 6: …"; NULL */
    char *path;                       /* project-relative, '/'-separated */
    uint32_t line, column, end_line;  /* 1-based */
    char *issue;                      /* what is wrong, with the "via a → b" chain */
    char *principle;                  /* NULL = rule's principle */
    char *recommendation;             /* concrete fix */
    const char *effort;               /* "S", "M" or "L" (static) */
    struct pa_trace_step *trace;      /* owned array */
    size_t ntrace;
    char *function;                   /* qualified name of the enclosing function, or NULL */
    pa_entry_kind entry;              /* execution context of the location */
    uint64_t code_hash;               /* hash of the normalised source line (for fingerprints) */
    char *fingerprint;                /* filled by the aggregator */
    char *evidence;                   /* validation evidence (Rule 6 points), NULL */
};

typedef struct pa_findings {
    PA_VEC(struct pa_finding *) items;  /* owned findings */
} pa_findings;

void pa_findings_init(pa_findings *fs);
void pa_findings_free(pa_findings *fs);
/* Create a finding owned by fs; strings are copied. Returns it (borrowed
 * until fs is freed) so the caller may add trace steps. */
struct pa_finding *pa_findings_add(pa_findings *fs, const struct pa_rule_meta *rule, pa_severity sev,
                                   const char *path, uint32_t line, uint32_t column, uint32_t end_line,
                                   const char *issue, const char *recommendation, const char *effort);
void pa_finding_add_trace(struct pa_finding *f, const char *path, uint32_t line, const char *note);
void pa_finding_free(struct pa_finding *f);
/* Move every finding of src to the end of dst; src is left empty. */
void pa_findings_move(pa_findings *dst, pa_findings *src);
/* Sort: severity (critical first), path, line, column, rule id. Total order. */
void pa_findings_sort(pa_findings *fs);

/* Result of one check in a worker's Checks table. */
typedef enum pa_check_status { PA_CHECK_PASSED = 0, PA_CHECK_FAILED, PA_CHECK_WARNING, PA_CHECK_SKIPPED } pa_check_status;
const char *pa_check_status_name(pa_check_status s); /* "passed" … */

struct pa_check_result {
    const struct pa_rule_meta *rule;  /* static */
    pa_check_status status;
    char *details;                    /* owned */
};

#endif
