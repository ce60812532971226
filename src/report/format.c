/* format.c - small formatting helpers shared by every report writer:
 * score and count strings, the JSON string escaper, the Issue cell text,
 * the "rule applied" label of advisory findings, and the merged list of
 * skipped files. */
#include "report/report_int.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *pa_report_score_str(char *out, double score)
{
    double r = pa_score_round1(score);
    if (r < -1e6 || r > 1e6 || r != r) r = 0.0;  /* scores are 0..10; keep the text short */
    int tenths = (int)(r * 10.0 + (r < 0 ? -0.5 : 0.5));
    int a = tenths < 0 ? -tenths : tenths;
    snprintf(out, 16, "%s%d.%d", tenths < 0 ? "-" : "", a / 10, a % 10);
    return out;
}

size_t pa_report_total(const size_t counts[4])
{
    return counts[0] + counts[1] + counts[2] + counts[3];
}

void pa_report_put_issues(pa_buf *b, const size_t counts[4])
{
    pa_buf_printf(b, "Issues: %zu (C:%zu H:%zu M:%zu L:%zu)", pa_report_total(counts), counts[PA_SEV_CRITICAL],
                  counts[PA_SEV_HIGH], counts[PA_SEV_MEDIUM], counts[PA_SEV_LOW]);
}

const char *pa_report_principle(const struct pa_finding *f)
{
    if (f->principle && *f->principle) return f->principle;
    return f->rule && f->rule->principle ? f->rule->principle : "";
}

/* Length of the valid UTF-8 sequence at p (1..4), or 0 when invalid. */
static size_t utf8_seq(const unsigned char *p)
{
    unsigned c = p[0];
    size_t k;
    unsigned min, cp;
    if (c < 0x80) return 1;
    if ((c & 0xE0) == 0xC0) { k = 1; min = 0x80; cp = c & 0x1F; }
    else if ((c & 0xF0) == 0xE0) { k = 2; min = 0x800; cp = c & 0x0F; }
    else if ((c & 0xF8) == 0xF0) { k = 3; min = 0x10000; cp = c & 0x07; }
    else return 0;
    for (size_t i = 1; i <= k; i++) {
        if ((p[i] & 0xC0) != 0x80) return 0;  /* also stops at NUL */
        cp = (cp << 6) | (p[i] & 0x3F);
    }
    if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return 0;
    return k + 1;
}

void pa_report_json_str(pa_buf *b, const char *s)
{
    if (!s) { pa_buf_puts(b, "null"); return; }
    pa_buf_putc(b, '"');
    const unsigned char *p = (const unsigned char *)s;
    while (*p) {
        unsigned char c = *p;
        switch (c) {
        case '"': pa_buf_puts(b, "\\\""); p++; continue;
        case '\\': pa_buf_puts(b, "\\\\"); p++; continue;
        case '\n': pa_buf_puts(b, "\\n"); p++; continue;
        case '\r': pa_buf_puts(b, "\\r"); p++; continue;
        case '\t': pa_buf_puts(b, "\\t"); p++; continue;
        default: break;
        }
        if (c < 0x20 || c == 0x7F) {
            pa_buf_printf(b, "\\u%04x", c);
            p++;
            continue;
        }
        size_t k = utf8_seq(p);
        if (!k) {
            pa_buf_puts(b, "\\ufffd");
            p++;
            continue;
        }
        pa_buf_append(b, (const char *)p, k);
        p += k;
    }
    pa_buf_putc(b, '"');
}

char *pa_report_issue_text(const struct pa_finding *f)
{
    pa_buf b;
    pa_buf_init(&b);
    pa_buf_puts(&b, f->issue ? f->issue : "");
    if (!f->advisory && f->severity != f->original_severity)
        pa_buf_printf(&b, " (severity lowered from %s: %s)", pa_severity_name(f->original_severity),
                      f->evidence ? f->evidence : "context validation");
    if (f->baseline) pa_buf_puts(&b, " [baseline]");
    return pa_buf_take(&b);
}

char *pa_report_message(const struct pa_finding *f)
{
    pa_buf b;
    pa_buf_init(&b);
    const char *issue = f->issue ? f->issue : "";
    pa_buf_puts(&b, issue);
    if (f->recommendation && *f->recommendation) {
        size_t n = strlen(issue);
        char last = n ? issue[n - 1] : '.';
        if (last != '.' && last != '!' && last != '?' && last != ':') pa_buf_putc(&b, '.');
        pa_buf_printf(&b, " Fix: %s", f->recommendation);
    }
    return pa_buf_take(&b);
}

char *pa_report_rule_applied(const struct pa_finding *f)
{
    if (f->advisory_note && pa_str_starts(f->advisory_note, "[Planned:")) {
        const char *end = strchr(f->advisory_note, ']');
        size_t n = end ? (size_t)(end - f->advisory_note) + 1 : strlen(f->advisory_note);
        char *tag = pa_xstrndup(f->advisory_note, n);
        char *s = pa_xasprintf("Rule 1 (ADR/planned) %s", tag);
        free(tag);
        return s;
    }
    if (f->advisory_note && pa_str_starts(f->advisory_note, "Rule 6")) return pa_xstrdup("Rule 6 (execution context)");
    return pa_xstrdup(f->advisory_note ? f->advisory_note : "context validation");
}

static int cmp_skip(const void *pa, const void *pb)
{
    const struct pa_report_skip *a = pa, *b = pb;
    int c = strcmp(a->path, b->path);
    return c ? c : strcmp(a->reason, b->reason);
}

size_t pa_report_skipped(const struct pa_run *run, struct pa_report_skip **out)
{
    size_t cap = run->skipped.n + run->ctx.notes.n, n = 0;
    struct pa_report_skip *v = pa_xcalloc(cap + 1, sizeof *v);
    for (size_t i = 0; i < run->skipped.n; i++) {
        v[n].path = run->skipped.v[i].path ? run->skipped.v[i].path : "";
        v[n].reason = run->skipped.v[i].reason ? run->skipped.v[i].reason : "";
        n++;
    }
    for (size_t i = 0; i < run->ctx.notes.n; i++) {
        v[n].path = run->ctx.notes.v[i].path ? run->ctx.notes.v[i].path : "";
        v[n].reason = run->ctx.notes.v[i].message ? run->ctx.notes.v[i].message : "";
        n++;
    }
    if (n) qsort(v, n, sizeof *v, cmp_skip);
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        if (k && cmp_skip(&v[k - 1], &v[i]) == 0) continue;
        v[k++] = v[i];
    }
    *out = v;
    return k;
}

const char *pa_report_check(const struct pa_run *run, const struct pa_rule_meta *r, const char **details)
{
    const struct pa_audit_result *res = &run->results[r->category];
    for (size_t k = 0; k < res->nchecks && k < sizeof res->checks / sizeof res->checks[0]; k++) {
        const struct pa_check_result *cr = &res->checks[k];
        if (cr->rule == r || (cr->rule && pa_str_eq(cr->rule->id, r->id))) {
            *details = cr->details ? cr->details : "";
            return pa_check_status_name(cr->status);
        }
    }
    *details = run->opts && !pa_options_rule_enabled(run->opts, r->id) ? "disabled by --select/--ignore" : "not run";
    return pa_check_status_name(PA_CHECK_SKIPPED);
}

void pa_report_md_cell(pa_buf *b, const char *s)
{
    if (!s) return;
    const char *run = s;
    for (const char *p = s; *p; p++) {
        bool tag = *p == '<' && (isalpha((unsigned char)p[1]) || p[1] == '/' || p[1] == '!' || p[1] == '?');
        if (!tag) continue;
        char *chunk = pa_xstrndup(run, (size_t)(p - run));
        pa_buf_md_cell(b, chunk);
        free(chunk);
        pa_buf_puts(b, "&lt;");
        run = p + 1;
    }
    pa_buf_md_cell(b, run);
}
