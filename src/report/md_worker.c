/* md_worker.c - the markdown worker reports (ln-651/652/653 form):
 * docs/project/.audit/ln-650/{date}/65X-….md, and the findings / advisory
 * tables the consolidated report reuses.
 *
 * Layout (the ln-65x audit worker template):
 *   # {Category} Audit Report
 *   <!-- AUDIT-META … -->           one key per line, parsed by coordinators
 *   Score: X/10 | Issues: N (C:… H:… M:… L:…)
 *   ## Checks                        every rule of the category, rule order
 *   ## Findings                      non-advisory findings, sorted
 *   ### Advisory                     advisory findings with the rule applied */
#include "report/report_int.h"

#include <stdlib.h>
#include <string.h>

char *pa_report_worker_path(const struct pa_run *run, pa_category cat)
{
    const char *date = run->opts && run->opts->date[0] ? run->opts->date : "undated";
    return pa_xasprintf("docs/project/.audit/ln-650/%s/%s", date, pa_category_report(cat));
}

static void finding_row(pa_buf *b, const struct pa_finding *f)
{
    char *issue = pa_report_issue_text(f);
    pa_buf_printf(b, "| %s | ", pa_severity_name(f->severity));
    pa_report_md_cell(b, f->path);
    pa_buf_printf(b, ":%u | ", (unsigned)f->line);
    pa_report_md_cell(b, issue);
    pa_buf_puts(b, " | ");
    pa_report_md_cell(b, pa_report_principle(f));
    pa_buf_puts(b, " | ");
    pa_report_md_cell(b, f->recommendation ? f->recommendation : "");
    pa_buf_puts(b, " | ");
    pa_report_md_cell(b, f->effort ? f->effort : "");
    pa_buf_puts(b, " |\n");
    free(issue);
}

void pa_report_md_findings(pa_buf *b, const struct pa_run *run, pa_category cat)
{
    size_t rows = 0;
    pa_buf_puts(b, "| Severity | Location | Issue | Principle | Recommendation | Effort |\n"
                   "|----------|----------|-------|-----------|----------------|--------|\n");
    for (size_t i = 0; i < run->all.items.n; i++) {
        const struct pa_finding *f = run->all.items.v[i];
        if (f->advisory || !f->rule || f->rule->category != cat) continue;
        finding_row(b, f);
        rows++;
    }
    if (!rows) pa_buf_puts(b, "\nNo issues found.\n");
}

size_t pa_report_md_advisory(pa_buf *b, const struct pa_run *run, pa_category cat)
{
    size_t rows = 0;
    for (size_t i = 0; i < run->all.items.n; i++) {
        const struct pa_finding *f = run->all.items.v[i];
        if (!f->advisory || !f->rule || (cat != PA_CAT__COUNT && f->rule->category != cat)) continue;
        if (!rows++)
            pa_buf_puts(b, "| Original Severity | Location | Rule | Issue | Rule Applied | Evidence |\n"
                           "|-------------------|----------|------|-------|--------------|----------|\n");
        char *applied = pa_report_rule_applied(f);
        pa_buf_printf(b, "| %s | ", pa_severity_name(f->original_severity));
        pa_report_md_cell(b, f->path);
        pa_buf_printf(b, ":%u | %s %s | ", (unsigned)f->line, f->rule->id, f->rule->check);
        pa_report_md_cell(b, f->issue);
        if (f->baseline) pa_buf_puts(b, " [baseline]");
        pa_buf_puts(b, " | ");
        pa_report_md_cell(b, applied);
        pa_buf_puts(b, " | ");
        pa_report_md_cell(b, f->evidence ? f->evidence : (f->advisory_note ? f->advisory_note : ""));
        if (f->evidence && f->advisory_note && pa_str_starts(f->advisory_note, "[Planned:")) {
            pa_buf_puts(b, "; ");
            pa_report_md_cell(b, f->advisory_note);
        }
        pa_buf_puts(b, " |\n");
        free(applied);
    }
    return rows;
}

void pa_report_md_checks(pa_buf *b, const struct pa_run *run, pa_category cat)
{
    size_t n;
    const struct pa_rule_meta *all = pa_rules_all(&n);
    pa_buf_puts(b, "| ID | Check | Status | Details |\n|----|-------|--------|---------|\n");
    for (size_t i = 0; i < n; i++) {
        const struct pa_rule_meta *r = &all[i];
        if (r->category != cat) continue;
        const char *details;
        const char *status = pa_report_check(run, r, &details);
        pa_buf_printf(b, "| %s | ", r->check);
        pa_report_md_cell(b, r->title);
        pa_buf_printf(b, " (%s) | %s | ", r->id, status);
        pa_report_md_cell(b, details);
        pa_buf_puts(b, " |\n");
    }
}

char *pa_report_worker_md(const struct pa_run *run, pa_category cat)
{
    pa_buf b;
    char sc[16];
    pa_buf_init(&b);
    const size_t *cnt = run->counts[cat];
    pa_report_score_str(sc, run->scores[cat]);
    pa_buf_printf(&b, "# %s Audit Report\n\n", pa_category_name(cat));
    pa_buf_printf(&b, "<!-- AUDIT-META\nworker: %s\ncategory: %s\ndomain: %s\nscan_path: %s\nscore: %s\n"
                      "total_issues: %zu\ncritical: %zu\nhigh: %zu\nmedium: %zu\nlow: %zu\nstatus: complete\n-->\n\n",
                  pa_category_worker(cat), pa_category_id(cat), pa_category_domain(cat),
                  run->ctx.root ? run->ctx.root : (run->opts && run->opts->root ? run->opts->root : "."), sc,
                  pa_report_total(cnt), cnt[PA_SEV_CRITICAL], cnt[PA_SEV_HIGH], cnt[PA_SEV_MEDIUM], cnt[PA_SEV_LOW]);
    pa_buf_printf(&b, "Score: %s/10 | ", sc);
    pa_report_put_issues(&b, cnt);
    pa_buf_putc(&b, '\n');
    size_t nadv = 0;
    for (size_t i = 0; i < run->all.items.n; i++) {
        const struct pa_finding *f = run->all.items.v[i];
        nadv += f->advisory && f->rule && f->rule->category == cat;
    }
    pa_buf_printf(&b, "\nDate: %s | Tool: pa-audit %s | Advisory: %zu\n",
                  run->opts && run->opts->date[0] ? run->opts->date : "undated", PA_VERSION, nadv);
    pa_buf_puts(&b, "\n## Checks\n\n");
    pa_report_md_checks(&b, run, cat);
    pa_buf_puts(&b, "\n## Findings\n\n");
    pa_report_md_findings(&b, run, cat);
    if (nadv) {
        pa_buf_puts(&b, "\n### Advisory\n\nContext validation made these advisory; they do not count toward the score.\n\n");
        pa_report_md_advisory(&b, run, cat);
    }
    return pa_buf_take(&b);
}
