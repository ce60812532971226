/* aggregate.c - the aggregator: merges the three auditors' findings and runs
 * the post-audit pipeline (pa_aggregate in include/pa/run.h).
 *
 * Order of the steps, and why:
 *   1. merge      - the auditors' lists are moved into run->all;
 *   2. severity   - per-rule overrides from the config (`severity:`) replace
 *                   the graded severity (and the original severity: the
 *                   override is the user's grading, validation starts there);
 *   3. fingerprint- before suppression, so removing a suppressed finding never
 *                   renumbers the occurrence counter of its neighbours;
 *   4. suppress   - `# pa-audit: ignore` comments;
 *   5. validate   - context validation Rule 1 / Rule 6;
 *   6. baseline   - --baseline marks, --write-baseline writes;
 *   7. sort       - pa_findings_sort (a total order);
 *   8. score      - counts and scores.
 *
 * DESIGN: main thread only, after the auditor threads are joined. */
#include "report/report_int.h"

#include "pa/knowledge.h"

#include <stdlib.h>
#include <string.h>

const struct pa_file_facts *pa_report_facts(const struct pa_run *run, const char *path)
{
    if (!path || !run->files) return NULL;
    size_t lo = 0, hi = run->nfiles;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int c = strcmp(run->files[mid]->path, path);
        if (c == 0) return run->files[mid];
        if (c < 0) lo = mid + 1;
        else hi = mid;
    }
    /* not sorted the way we expect: fall back to a scan */
    for (size_t i = 0; i < run->nfiles; i++)
        if (run->files[i] && pa_str_eq(run->files[i]->path, path)) return run->files[i];
    return NULL;
}

int32_t pa_report_func_at(const struct pa_file_facts *f, const char *qualname, uint32_t line)
{
    if (!f || !qualname) return -1;
    int32_t best = -1;
    for (size_t i = 0; i < f->funcs.n; i++) {
        const struct pa_func *fn = &f->funcs.v[i];
        if (!pa_str_eq(fn->qualname, qualname)) continue;
        if (line < fn->line || line > fn->end_line) continue;
        best = (int32_t)i;  /* later = nested deeper (pre-order) */
    }
    if (best < 0) /* the name alone, when the line is outside (decorator line …) */
        for (size_t i = 0; i < f->funcs.n; i++)
            if (pa_str_eq(f->funcs.v[i].qualname, qualname)) return (int32_t)i;
    return best;
}

static void apply_baseline(struct pa_run *run)
{
    const struct pa_options *o = run->opts;
    if (o && o->baseline) {
        struct pa_baseline bl;
        char *err = NULL;
        if (pa_baseline_read(o->baseline, &bl, &err) != PA_OK) {
            pa_warn("baseline %s: %s (no finding is treated as baseline)", o->baseline, err ? err : "unreadable");
            free(err);
        } else {
            for (size_t i = 0; i < run->all.items.n; i++) {
                struct pa_finding *f = run->all.items.v[i];
                f->baseline = f->fingerprint && pa_baseline_has(&bl, f->fingerprint);
            }
            pa_baseline_free(&bl);
        }
    }
    if (o && o->write_baseline) {
        if (pa_baseline_write(o->write_baseline, &run->all) != PA_OK)
            pa_error("cannot write baseline %s", o->write_baseline);
        else
            pa_info("baseline written: %s (%zu findings)", o->write_baseline, run->all.items.n);
    }
}

void pa_aggregate(struct pa_run *run)
{
    for (int c = 0; c < PA_CAT__COUNT; c++) pa_findings_move(&run->all, &run->results[c].findings);

    /* Knowledge base (src/knowledge/, owned by the kb area): append the
     * version-specific advice of the detected stack's best practices to each
     * recommendation, in this one place rather than in every rule. */
    for (size_t i = 0; i < run->all.items.n; i++) {
        struct pa_finding *f = run->all.items.v[i];
        char *adv = f->rule ? pa_knowledge_advice(&run->ctx, f->rule->id) : NULL;
        if (adv && !(f->recommendation && strstr(f->recommendation, adv))) {
            char *r = f->recommendation && *f->recommendation ? pa_xasprintf("%s %s", f->recommendation, adv) : pa_xstrdup(adv);
            free(f->recommendation);
            f->recommendation = r;
        }
        free(adv);
    }

    if (run->opts)
        for (size_t i = 0; i < run->all.items.n; i++) {
            struct pa_finding *f = run->all.items.v[i];
            if (!f->rule) continue;
            pa_severity s = pa_options_severity(run->opts, f->rule, f->severity);
            if (s != f->severity) f->severity = f->original_severity = s;
        }

    pa_report_fingerprints(run);
    pa_report_suppress(run);
    pa_report_validate(run);
    apply_baseline(run);
    pa_findings_sort(&run->all);
    pa_report_score(run);
}
