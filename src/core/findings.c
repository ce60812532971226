/* findings.c - findings lists: creation, trace steps, moving between lists,
 * the canonical sort order, and check-status names (include/pa/finding.h).
 *
 * DESIGN
 * - A pa_findings list owns its findings (heap) and each finding owns its
 *   strings, so a list filled on an auditor thread can be moved to the
 *   aggregator after the join without copying.
 * - pa_findings_sort is a total order (severity desc, path, line, column,
 *   rule id, then end line, issue text, fingerprint): two runs over the same
 *   input sort identically whatever order the auditors produced. */
#include "pa/finding.h"

#include <stdlib.h>
#include <string.h>

void pa_findings_init(pa_findings *fs)
{
    fs->items.v = NULL;
    fs->items.n = fs->items.cap = 0;
}

void pa_finding_free(struct pa_finding *f)
{
    if (!f) return;
    free(f->advisory_note);
    free(f->path);
    free(f->issue);
    free(f->principle);
    free(f->recommendation);
    for (size_t i = 0; i < f->ntrace; i++) {
        free(f->trace[i].path);
        free(f->trace[i].note);
    }
    free(f->trace);
    free(f->function);
    free(f->fingerprint);
    free(f->evidence);
    free(f);
}

void pa_findings_free(pa_findings *fs)
{
    for (size_t i = 0; i < fs->items.n; i++) pa_finding_free(fs->items.v[i]);
    pa_vec_free(&fs->items);
}

static char *dup_or_null(const char *s) { return s ? pa_xstrdup(s) : NULL; }

struct pa_finding *pa_findings_add(pa_findings *fs, const struct pa_rule_meta *rule, pa_severity sev,
                                   const char *path, uint32_t line, uint32_t column, uint32_t end_line,
                                   const char *issue, const char *recommendation, const char *effort)
{
    struct pa_finding *f = pa_xcalloc(1, sizeof *f);
    f->rule = rule;
    f->severity = sev;
    f->original_severity = sev;
    f->path = pa_xstrdup(path ? path : "");
    f->line = line ? line : 1;
    f->column = column ? column : 1;
    f->end_line = end_line >= f->line ? end_line : f->line;
    f->issue = pa_xstrdup(issue ? issue : (rule ? rule->title : ""));
    f->recommendation = dup_or_null(recommendation);
    f->effort = effort ? effort : "M";
    pa_vec_push(&fs->items, f);
    return f;
}

void pa_finding_add_trace(struct pa_finding *f, const char *path, uint32_t line, const char *note)
{
    f->trace = pa_xrealloc(f->trace, (f->ntrace + 1) * sizeof *f->trace);
    struct pa_trace_step *t = &f->trace[f->ntrace++];
    t->path = pa_xstrdup(path ? path : "");
    t->line = line;
    t->note = dup_or_null(note);
}

void pa_findings_move(pa_findings *dst, pa_findings *src)
{
    if (dst == src) return;
    pa_vec_grow(&dst->items, dst->items.n + src->items.n);
    for (size_t i = 0; i < src->items.n; i++) dst->items.v[dst->items.n++] = src->items.v[i];
    pa_vec_free(&src->items);
}

static int cmp_str_null(const char *a, const char *b)
{
    if (!a || !b) return (a != NULL) - (b != NULL);
    return strcmp(a, b);
}

static int cmp_u32(uint32_t a, uint32_t b) { return (a > b) - (a < b); }

static int cmp_finding(const void *pa, const void *pb)
{
    const struct pa_finding *a = *(const struct pa_finding *const *)pa;
    const struct pa_finding *b = *(const struct pa_finding *const *)pb;
    int c;
    if (a->severity != b->severity) return a->severity > b->severity ? -1 : 1;
    if ((c = cmp_str_null(a->path, b->path))) return c;
    if ((c = cmp_u32(a->line, b->line))) return c;
    if ((c = cmp_u32(a->column, b->column))) return c;
    if ((c = cmp_str_null(a->rule ? a->rule->id : NULL, b->rule ? b->rule->id : NULL))) return c;
    if ((c = cmp_u32(a->end_line, b->end_line))) return c;
    if (a->advisory != b->advisory) return a->advisory ? 1 : -1;
    if ((c = cmp_str_null(a->issue, b->issue))) return c;
    if ((c = cmp_str_null(a->function, b->function))) return c;
    if ((c = cmp_str_null(a->fingerprint, b->fingerprint))) return c;
    if (a->code_hash != b->code_hash) return a->code_hash < b->code_hash ? -1 : 1;
    return cmp_str_null(a->recommendation, b->recommendation);
}

void pa_findings_sort(pa_findings *fs)
{
    if (fs->items.n > 1) qsort(fs->items.v, fs->items.n, sizeof *fs->items.v, cmp_finding);
}

const char *pa_check_status_name(pa_check_status s)
{
    switch (s) {
    case PA_CHECK_PASSED: return "passed";
    case PA_CHECK_FAILED: return "failed";
    case PA_CHECK_WARNING: return "warning";
    case PA_CHECK_SKIPPED: return "skipped";
    }
    return "?";
}
