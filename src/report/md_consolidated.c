/* md_consolidated.c - the consolidated report docs/project/persistence_audit.md.
 *
 * Sections, in the order CONTRACT.md fixes: title with date, Executive
 * Summary, Compliance Score, Severity Summary, Findings by Category,
 * Advisory Findings, Recommended Actions, Skipped Files (only if any),
 * Suppressions (only if any), Sources Consulted. */
#include "report/report_int.h"

#include <cjson/cJSON.h>
#include <stdlib.h>
#include <string.h>

/* Per-rule tally of non-advisory findings, for top risks and actions. */
struct rule_tally {
    const struct pa_rule_meta *rule;  /* static */
    size_t by_sev[4];                 /* findings per severity (index pa_severity) */
    size_t total;                     /* all of them */
    pa_severity max;                  /* highest severity: the action's priority */
    const struct pa_finding *first;  /* highest-ranked finding (run->all is sorted) */
};

static int cmp_tally(const void *pa, const void *pb)
{
    const struct rule_tally *a = pa, *b = pb;
    if (a->max != b->max) return a->max > b->max ? -1 : 1;
    for (int s = PA_SEV_CRITICAL; s >= PA_SEV_LOW; s--)
        if (a->by_sev[s] != b->by_sev[s]) return a->by_sev[s] > b->by_sev[s] ? -1 : 1;
    return strcmp(a->rule->id, b->rule->id);
}

/* Tallies for rules with at least one non-advisory finding, priority order. Owned. */
static size_t tally_rules(const struct pa_run *run, struct rule_tally **out)
{
    size_t nrules;
    const struct pa_rule_meta *all = pa_rules_all(&nrules);
    struct rule_tally *t = pa_xcalloc(nrules + 1, sizeof *t);
    for (size_t i = 0; i < run->all.items.n; i++) {
        const struct pa_finding *f = run->all.items.v[i];
        if (f->advisory || !f->rule) continue;
        size_t k = (size_t)(f->rule - all);
        if (k >= nrules) continue;
        struct rule_tally *r = &t[k];
        r->rule = f->rule;
        r->by_sev[f->severity]++;
        if (!r->total++ || f->severity > r->max) r->max = f->severity;
        if (!r->first) r->first = f;
    }
    size_t n = 0;
    for (size_t i = 0; i < nrules; i++)
        if (t[i].total) t[n++] = t[i];
    if (n) qsort(t, n, sizeof *t, cmp_tally);
    *out = t;
    return n;
}

static void put_sev_breakdown(pa_buf *b, const size_t by_sev[4])
{
    bool first = true;
    for (int s = PA_SEV_CRITICAL; s >= PA_SEV_LOW; s--) {
        if (!by_sev[s]) continue;
        pa_buf_printf(b, "%s%zu %s", first ? "" : ", ", by_sev[s], pa_severity_name((pa_severity)s));
        first = false;
    }
}

static void put_tech(pa_buf *b, bool *first, const char *label, const struct pa_tech *t)
{
    if (!t->name) return;
    pa_buf_printf(b, "%s%s%s%s", *first ? "" : ", ", t->name, t->version ? " " : "", t->version ? t->version : "");
    if (label) pa_buf_printf(b, " (%s)", label);
    *first = false;
}

static void put_stack(pa_buf *b, const struct pa_context *ctx)
{
    bool first = true;
    put_tech(b, &first, NULL, &ctx->language);
    put_tech(b, &first, "framework", &ctx->framework);
    put_tech(b, &first, ctx->orm_async ? "ORM, async" : "ORM", &ctx->orm);
    put_tech(b, &first, "database", &ctx->database);
    put_tech(b, &first, "async runtime", &ctx->async_runtime);
    put_tech(b, &first, "task queue", &ctx->task_queue);
    if (first) pa_buf_puts(b, "not detected");
}

static void executive_summary(pa_buf *b, const struct pa_run *run, const struct rule_tally *t, size_t nt)
{
    char sc[16];
    size_t total[4] = {0};
    for (int c = 0; c < PA_CAT__COUNT; c++)
        for (int s = 0; s < 4; s++) total[s] += run->counts[c][s];
    pa_buf_puts(b, "## Executive Summary\n\n");
    pa_buf_printf(b, "Overall score: **%s/10**. ", pa_report_score_str(sc, run->overall));
    pa_report_put_issues(b, total);
    pa_buf_printf(b, " in %zu analysed file%s; %zu advisory", run->nfiles, run->nfiles == 1 ? "" : "s",
                  run->nadvisory);
    if (run->nsuppressed) pa_buf_printf(b, ", %zu suppressed", run->nsuppressed);
    if (run->opts && run->opts->baseline) pa_buf_printf(b, ", %zu baseline (%zu new)", run->nbaseline, run->nnew);
    pa_buf_puts(b, ". Top risks: ");
    if (!nt) pa_buf_puts(b, "none found");
    for (size_t i = 0; i < nt && i < 3; i++) {
        pa_buf_printf(b, "%s%s %s - ", i ? "; " : "", t[i].rule->id, t[i].rule->title);
        put_sev_breakdown(b, t[i].by_sev);
    }
    pa_buf_puts(b, ". Detected stack: ");
    put_stack(b, &run->ctx);
    pa_buf_puts(b, ".\n\nWorker reports:");
    for (int c = 0; c < PA_CAT__COUNT; c++) {
        char *p = pa_report_worker_path(run, (pa_category)c);
        pa_buf_printf(b, "%s `%s`", c ? "," : "", p);
        free(p);
    }
    pa_buf_puts(b, ".\n");
}

static void compliance_table(pa_buf *b, const struct pa_run *run)
{
    char sc[16];
    size_t total[4] = {0};
    pa_buf_puts(b, "\n## Compliance Score\n\n| Category | Score | Issues | Critical | High | Medium | Low |\n"
                   "|----------|-------|--------|----------|------|--------|-----|\n");
    for (int c = 0; c < PA_CAT__COUNT; c++) {
        const size_t *n = run->counts[c];
        for (int s = 0; s < 4; s++) total[s] += n[s];
        pa_buf_printf(b, "| %s | %s/10 | %zu | %zu | %zu | %zu | %zu |\n", pa_category_name((pa_category)c),
                      pa_report_score_str(sc, run->scores[c]), pa_report_total(n), n[PA_SEV_CRITICAL], n[PA_SEV_HIGH],
                      n[PA_SEV_MEDIUM], n[PA_SEV_LOW]);
    }
    pa_buf_printf(b, "| **Overall** | **%s/10** | %zu | %zu | %zu | %zu | %zu |\n", pa_report_score_str(sc, run->overall),
                  pa_report_total(total), total[PA_SEV_CRITICAL], total[PA_SEV_HIGH], total[PA_SEV_MEDIUM],
                  total[PA_SEV_LOW]);
}

static void severity_table(pa_buf *b, const struct pa_run *run)
{
    pa_buf_puts(b, "\n## Severity Summary\n\n| Severity |");
    for (int c = 0; c < PA_CAT__COUNT; c++) pa_buf_printf(b, " %s |", pa_category_name((pa_category)c));
    pa_buf_puts(b, " Total |\n|----------|");
    for (int c = 0; c < PA_CAT__COUNT; c++) pa_buf_puts(b, "---|");
    pa_buf_puts(b, "-------|\n");
    size_t grand = 0, col[PA_CAT__COUNT] = {0};
    for (int s = PA_SEV_CRITICAL; s >= PA_SEV_LOW; s--) {
        size_t row = 0;
        pa_buf_printf(b, "| %s |", pa_severity_name((pa_severity)s));
        for (int c = 0; c < PA_CAT__COUNT; c++) {
            pa_buf_printf(b, " %zu |", run->counts[c][s]);
            row += run->counts[c][s];
            col[c] += run->counts[c][s];
        }
        pa_buf_printf(b, " %zu |\n", row);
        grand += row;
    }
    pa_buf_puts(b, "| **Total** |");
    for (int c = 0; c < PA_CAT__COUNT; c++) pa_buf_printf(b, " %zu |", col[c]);
    pa_buf_printf(b, " %zu |\n", grand);
}

static void recommended_actions(pa_buf *b, const struct rule_tally *t, size_t nt)
{
    pa_buf_puts(b, "\n## Recommended Actions\n\n");
    if (!nt) { pa_buf_puts(b, "No action required.\n"); return; }
    pa_buf_puts(b, "| # | Priority | Rule | Findings | Fix |\n|---|----------|------|----------|-----|\n");
    for (size_t i = 0; i < nt; i++) {
        pa_buf_printf(b, "| %zu | %s | %s %s | %zu (", i + 1, pa_severity_name(t[i].max), t[i].rule->id,
                      t[i].rule->check, t[i].total);
        put_sev_breakdown(b, t[i].by_sev);
        pa_buf_puts(b, ") | ");
        pa_report_md_cell(b, t[i].rule->principle);
        if (t[i].first && t[i].first->recommendation && *t[i].first->recommendation) {
            pa_buf_puts(b, ". First: ");
            pa_report_md_cell(b, t[i].first->path);
            pa_buf_printf(b, ":%u - ", (unsigned)t[i].first->line);
            pa_report_md_cell(b, t[i].first->recommendation);
        }
        pa_buf_puts(b, " |\n");
    }
}

struct url_vec { char **v; size_t n, cap; };  /* owned strings */

/* Collect http(s) URLs under "url"/"urls"/"source" keys anywhere in j. */
static void collect_urls(const cJSON *j, struct url_vec *out, int depth)
{
    if (!j || depth > 16) return;
    const cJSON *it;
    cJSON_ArrayForEach(it, j) {
        const char *k = it->string;
        bool url_key = k && (pa_str_eq(k, "url") || pa_str_eq(k, "urls") || pa_str_eq(k, "source") ||
                             pa_str_eq(k, "sources") || pa_str_eq(k, "link"));
        if (cJSON_IsString(it) && it->valuestring && (url_key || !k) &&
            (pa_str_starts(it->valuestring, "https://") || pa_str_starts(it->valuestring, "http://")))
            pa_vec_push(out, pa_xstrdup(it->valuestring));
        else if (cJSON_IsArray(it) || cJSON_IsObject(it))
            collect_urls(it, out, depth + 1);
    }
}

static void sources(pa_buf *b, const struct pa_run *run)
{
    pa_buf_puts(b, "\n## Sources Consulted\n\n");
    struct url_vec urls = {0};
    if (run->ctx.best_practices) collect_urls(run->ctx.best_practices, &urls, 0);
    if (urls.n) qsort(urls.v, urls.n, sizeof *urls.v, pa_str_cmp_ptr);
    size_t lines = 0;
    for (size_t i = 0; i < urls.n; i++) {
        if (i && strcmp(urls.v[i - 1], urls.v[i]) == 0) continue;
        pa_buf_printf(b, "- %s\n", urls.v[i]);
        lines++;
    }
    for (size_t i = 0; i < urls.n; i++) free(urls.v[i]);
    pa_vec_free(&urls);
    size_t nrules;
    const struct pa_rule_meta *all = pa_rules_all(&nrules);
    for (size_t r = 0; r < nrules; r++) {
        bool fired = false;
        for (size_t i = 0; i < run->all.items.n && !fired; i++) fired = run->all.items.v[i]->rule == &all[r];
        if (!fired) continue;
        pa_buf_printf(b, "- docs/rules/%s.md (%s %s, `pa-audit explain %s`)\n", all[r].id, all[r].id, all[r].check,
                      all[r].id);
        lines++;
    }
    for (size_t a = 0; a < run->ctx.adrs.n; a++) {
        const struct pa_adr *adr = &run->ctx.adrs.v[a];
        if (!adr->id || !adr->path) continue;
        char *tag = pa_xasprintf("[Planned: %s]", adr->id);
        bool used = false;
        for (size_t i = 0; i < run->all.items.n && !used; i++) {
            const struct pa_finding *f = run->all.items.v[i];
            used = f->advisory_note && pa_str_starts(f->advisory_note, tag);
        }
        free(tag);
        if (!used) continue;
        pa_buf_printf(b, "- %s (%s)\n", adr->path, adr->id);
        lines++;
    }
    if (!lines) pa_buf_puts(b, "None.\n");
}

char *pa_report_consolidated_md(const struct pa_run *run)
{
    pa_buf b;
    pa_buf_init(&b);
    struct rule_tally *t;
    size_t nt = tally_rules(run, &t);
    pa_buf_printf(&b, "# Persistence & Performance Audit — %s\n\n",
                  run->opts && run->opts->date[0] ? run->opts->date : "undated");
    pa_buf_printf(&b, "Project: `%s` | Tool: pa-audit %s\n\n", run->ctx.root ? run->ctx.root : ".", PA_VERSION);
    executive_summary(&b, run, t, nt);
    compliance_table(&b, run);
    severity_table(&b, run);

    pa_buf_puts(&b, "\n## Findings by Category\n");
    for (int c = 0; c < PA_CAT__COUNT; c++) {
        char sc[16];
        pa_buf_printf(&b, "\n### %s (%s/10)\n\n", pa_category_name((pa_category)c),
                      pa_report_score_str(sc, run->scores[c]));
        pa_report_md_findings(&b, run, (pa_category)c);
    }

    pa_buf_puts(&b, "\n## Advisory Findings\n\n");
    if (run->nadvisory)
        pa_buf_puts(&b, "Context validation made these findings advisory; they are listed with their original "
                        "severity and do not count toward the scores.\n\n");
    if (!pa_report_md_advisory(&b, run, PA_CAT__COUNT)) pa_buf_puts(&b, "None.\n");

    recommended_actions(&b, t, nt);
    free(t);

    struct pa_report_skip *sk;
    size_t nsk = pa_report_skipped(run, &sk);
    if (nsk) {
        pa_buf_printf(&b, "\n## Skipped Files\n\n%zu file%s not analysed (or only partially):\n\n| Path | Reason |\n|------|--------|\n",
                      nsk, nsk == 1 ? "" : "s");
        for (size_t i = 0; i < nsk; i++) {
            pa_buf_puts(&b, "| ");
            pa_report_md_cell(&b, sk[i].path);
            pa_buf_puts(&b, " | ");
            pa_report_md_cell(&b, sk[i].reason);
            pa_buf_puts(&b, " |\n");
        }
    }
    free(sk);

    if (run->suppressions.n) {
        pa_buf_printf(&b, "\n## Suppressions\n\n%zu finding%s suppressed by %zu `# pa-audit: ignore` comment%s.\n\n"
                          "| Location | Rules | Reason | Suppressed |\n|----------|-------|--------|------------|\n",
                      run->nsuppressed, run->nsuppressed == 1 ? "" : "s", run->suppressions.n,
                      run->suppressions.n == 1 ? "" : "s");
        for (size_t i = 0; i < run->suppressions.n; i++) {
            const struct pa_suppression_use *u = &run->suppressions.v[i];
            pa_buf_puts(&b, "| ");
            pa_report_md_cell(&b, u->path);
            pa_buf_printf(&b, ":%u | ", (unsigned)u->line);
            pa_report_md_cell(&b, u->rules ? u->rules : "all");
            if (u->unknown_rule) pa_buf_puts(&b, " (unknown rule)");
            pa_buf_puts(&b, " | ");
            pa_report_md_cell(&b, u->reason ? u->reason : "-");
            pa_buf_printf(&b, " | %zu%s |\n", u->matched, u->matched ? "" : " (unused)");
        }
    }

    sources(&b, run);
    return pa_buf_take(&b);
}
