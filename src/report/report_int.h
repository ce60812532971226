/* report_int.h - private interface of the aggregator and report writers
 * (src/report/): the pipeline steps pa_aggregate runs, the baseline file,
 * fingerprints, scoring helpers and the small formatting helpers shared by
 * the markdown, JSON, SARIF, GitHub and text outputs.
 *
 * DESIGN
 * - Everything here runs on the main thread after the auditors are joined;
 *   nothing keeps global state.
 * - Every writer reads the run only (const) and returns an owned string;
 *   output depends only on the run's content (no clock, no pointer order). */
#ifndef PA_REPORT_INT_H
#define PA_REPORT_INT_H

#include "pa/run.h"

/* Where SARIF informationUri / helpUri point (rule docs live under docs/rules/). */
#define PA_HOMEPAGE "https://github.com/pa-audit/pa-audit"

/* ---- lookups (aggregate.c) ------------------------------------------------ */
/* Facts of the file at a project-relative path, or NULL. Borrowed from run. */
const struct pa_file_facts *pa_report_facts(const struct pa_run *run, const char *path);
/* Index of the innermost function of f whose qualname is `qualname` and
 * whose lines contain `line`; -1 when none (module level or unknown). */
int32_t pa_report_func_at(const struct pa_file_facts *f, const char *qualname, uint32_t line);

/* ---- aggregation steps ------------------------------------------------------ */
/* fingerprint.c: fill f->fingerprint for every finding (see the file header). */
void pa_report_fingerprints(struct pa_run *run);
/* Fingerprint of one finding identity. Owned, 16 lowercase hex digits. */
char *pa_fingerprint_make(const char *rule_id, const char *path, uint64_t code_hash, size_t occurrence);
/* suppress.c: apply `# pa-audit: ignore` comments; fills run->suppressions,
 * removes suppressed findings from run->all, counts run->nsuppressed. */
void pa_report_suppress(struct pa_run *run);
/* validate.c: context validation Rule 1 (ADR/planned) and Rule 6 (execution context). */
void pa_report_validate(struct pa_run *run);
/* score.c: counts, advisory/baseline tallies, per-category and overall scores. */
void pa_report_score(struct pa_run *run);
/* Score in tenths from severity counts (index by pa_severity): 100 - penalty, clamped at 0. */
int pa_score_tenths(const size_t counts[4]);

/* ---- baseline (baseline.c) -------------------------------------------------- */
struct pa_baseline {
    char **fps;   /* owned fingerprints, sorted, unique */
    size_t n;     /* how many */
};
/* Read a baseline file (JSON object, JSON array, or one fingerprint a line).
 * On failure returns PA_ERR_IO / PA_ERR_PARSE and sets *err (owned). */
pa_status pa_baseline_read(const char *path, struct pa_baseline *out, char **err);
bool pa_baseline_has(const struct pa_baseline *b, const char *fp);
void pa_baseline_free(struct pa_baseline *b);
/* The baseline file text for a findings list (sorted unique fingerprints). Owned. */
char *pa_baseline_format(const pa_findings *fs);
/* Write it atomically. */
pa_status pa_baseline_write(const char *path, const pa_findings *fs);

/* ---- formatting helpers (format.c) ----------------------------------------- */
/* "6.0" for a score. out must hold 16 bytes. */
const char *pa_report_score_str(char *out, double score);
/* "Issues: 8 (C:0 H:3 M:4 L:1)". */
void pa_report_put_issues(pa_buf *b, const size_t counts[4]);
size_t pa_report_total(const size_t counts[4]);
/* The finding's principle (its own or the rule's). Borrowed. */
const char *pa_report_principle(const struct pa_finding *f);
/* A JSON string literal (with quotes) of s; NULL gives null. Invalid UTF-8
 * bytes are replaced by U+FFFD so the output is always valid JSON. */
void pa_report_json_str(pa_buf *b, const char *s);
/* A finding's Issue cell text: issue, plus "[baseline]" and a note when
 * context validation lowered its severity. Owned. */
char *pa_report_issue_text(const struct pa_finding *f);
/* One-line message: the issue, then " Fix: recommendation" (a period is
 * added after the issue when it has no final punctuation). Owned. */
char *pa_report_message(const struct pa_finding *f);
/* The rule applied to an advisory finding ("Rule 1 (ADR-007)", "Rule 6 …"). Owned. */
char *pa_report_rule_applied(const struct pa_finding *f);
/* Skipped files and context notes merged, sorted by path, de-duplicated. */
struct pa_report_skip {
    const char *path;    /* borrowed from run */
    const char *reason;  /* borrowed from run */
};
size_t pa_report_skipped(const struct pa_run *run, struct pa_report_skip **out); /* *out owned (array only) */

/* Status name and details of rule r's check in run->results (a rule with no
 * result is "skipped": disabled by --select/--ignore, or not run). Borrowed. */
const char *pa_report_check(const struct pa_run *run, const struct pa_rule_meta *r, const char **details);

/* A markdown table cell: pa_buf_md_cell ('|' escaped, newlines folded), and
 * '<' written as &lt; where it could open an HTML tag ("<lambda>", "<locals>"),
 * which markdown renderers would otherwise swallow. */
void pa_report_md_cell(pa_buf *b, const char *s);

/* ---- markdown shared between the worker and consolidated reports ------------ */
/* Findings table (non-advisory findings of cat, in run->all order). */
void pa_report_md_findings(pa_buf *b, const struct pa_run *run, pa_category cat);
/* Checks table: every rule of cat in rule order, with its check result. */
void pa_report_md_checks(pa_buf *b, const struct pa_run *run, pa_category cat);
/* Advisory table for one category, or for all when cat == PA_CAT__COUNT.
 * Returns the number of rows written (0 writes nothing). */
size_t pa_report_md_advisory(pa_buf *b, const struct pa_run *run, pa_category cat);

#endif
