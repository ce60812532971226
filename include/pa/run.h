/* run.h - one audit run: the state the pipeline hands to the aggregator and
 * the report writers, and the entry points of the pipeline.
 *
 * DESIGN
 * - pa_run_execute drives: config → discovery (pre-parse) → walk → parse pool
 *   (opts.jobs threads, facts per file, trees freed) → discovery from facts →
 *   index → three auditor threads → pa_aggregate → reports.
 * - After the auditors are joined, everything here is touched by the main
 *   thread only.
 */
#ifndef PA_RUN_H
#define PA_RUN_H

#include "pa/audit.h"

struct pa_suppression_use {
    char *path;          /* relative path */
    uint32_t line;       /* comment line */
    char *rules;         /* "PA301,PA303" or NULL = all */
    char *reason;        /* or NULL */
    size_t matched;      /* findings it suppressed */
    bool unknown_rule;   /* names a rule id that does not exist */
};

struct pa_phase_time {
    const char *name;    /* "walk", "parse+extract", "index", "query", … */
    double seconds;
    double heap_mb;      /* heap bytes in use when the phase ended (MB), or -1 when unknown */
    double rss_mb;       /* resident set size then (MB), or -1 */
};

struct pa_run {
    struct pa_options *opts;                 /* borrowed from main */
    struct pa_context ctx;                   /* owned */
    struct pa_file_facts **files;            /* owned, sorted by path */
    size_t nfiles;
    size_t bytes;                            /* source bytes analysed */
    pa_index *index;                         /* owned */
    pa_models *models;                       /* owned */
    struct pa_audit_result results[PA_CAT__COUNT]; /* owned */
    PA_VEC(struct pa_skipped) skipped;       /* owned, sorted by path */
    PA_VEC(struct pa_suppression_use) suppressions; /* owned */
    pa_findings all;                         /* merged, validated, sorted (suppressed removed) */
    size_t nsuppressed;                      /* findings removed by suppression comments */
    double scores[PA_CAT__COUNT];            /* per category, one decimal */
    double overall;                          /* mean of the three */
    size_t counts[PA_CAT__COUNT][4];         /* non-advisory findings per severity */
    size_t nadvisory, nbaseline, nnew;
    PA_VEC(struct pa_phase_time) phases;     /* timings */
    PA_VEC(char *) written;                  /* report files written (relative to root) */
    struct pa_packs *packs;                  /* rule packs loaded for this run, or NULL (owned) */
};

void pa_run_init(struct pa_run *run, struct pa_options *opts);
void pa_run_free(struct pa_run *run);
/* Execute the whole pipeline. Returns PA_OK when the audit completed (the
 * exit code is then decided by pa_run_exit_code), otherwise a status that
 * maps to exit 2 (with a message printed). */
pa_status pa_run_execute(struct pa_run *run);
int pa_run_exit_code(const struct pa_run *run);
void pa_run_phase(struct pa_run *run, const char *name, double seconds);
/* Interruption (SIGINT/SIGTERM; added for issue 9): main's signal handler
 * calls pa_run_interrupt(signo) - async-signal-safe, it only sets a flag.
 * The parse pool stops taking files and pa_run_execute returns PA_ERR_IO at
 * the next phase boundary, before any report file is started; a report
 * already being written is finished (temp + rename), so no partial file is
 * left. pa_run_interrupted() returns the signal number, or 0. */
void pa_run_interrupt(int signo);
int pa_run_interrupted(void);

/* ---- aggregator and reports (src/report/) ------------------------------- */
/* Context validation (Rule 1, Rule 6), suppression, baseline, per-rule
 * severity overrides, fingerprints, sort, scores. Fills run->all and scores. */
void pa_aggregate(struct pa_run *run);
/* Markdown worker report for one category (with the AUDIT-META block). Owned. */
char *pa_report_worker_md(const struct pa_run *run, pa_category cat);
/* The consolidated report docs/project/persistence_audit.md. Owned. */
char *pa_report_consolidated_md(const struct pa_run *run);
char *pa_report_json(const struct pa_run *run);   /* owned */
char *pa_report_text(const struct pa_run *run, bool color);   /* owned */
char *pa_report_sarif(const struct pa_run *run);  /* owned */
char *pa_report_github(const struct pa_run *run); /* owned */
/* Write the four report files (atomic). Appends their paths to run->written. */
pa_status pa_report_write_files(struct pa_run *run);
/* Relative path of a worker report: docs/project/.audit/ln-650/{date}/651-….md. Owned. */
char *pa_report_worker_path(const struct pa_run *run, pa_category cat);

double pa_score_round1(double x);

#endif
