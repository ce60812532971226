/* text.c - `--format text`: the short human summary (CONTRACT.md).
 *
 *   Report written: docs/project/.audit/ln-650/2026-11-24/651-query-efficiency.md
 *   Score: 6.0/10 | Issues: 8 (C:0 H:3 M:4 L:1)
 *   … one block per auditor …
 *
 *   app/api/files.py
 *     app/api/files.py:44:9 HIGH PA301 issue
 *
 *   Overall: 7.1/10 | Issues: 19 (C:1 H:5 M:9 L:4) | advisory: 2 | report: docs/project/persistence_audit.md
 *
 * Findings are grouped by file (path order), line order within a file.
 * Colour (ANSI) only when asked. */
#include "report/report_int.h"

#include <stdlib.h>
#include <string.h>

#define C_RESET "\033[0m"
#define C_BOLD "\033[1m"
#define C_DIM "\033[2m"

static const char *sev_color(pa_severity s)
{
    switch (s) {
    case PA_SEV_CRITICAL: return "\033[1;31m";
    case PA_SEV_HIGH: return "\033[31m";
    case PA_SEV_MEDIUM: return "\033[33m";
    case PA_SEV_LOW: return "\033[36m";
    }
    return "";
}

static int cmp_loc(const void *pa, const void *pb)
{
    const struct pa_finding *a = *(const struct pa_finding *const *)pa;
    const struct pa_finding *b = *(const struct pa_finding *const *)pb;
    int c = strcmp(a->path, b->path);
    if (c) return c;
    if (a->line != b->line) return a->line < b->line ? -1 : 1;
    if (a->column != b->column) return a->column < b->column ? -1 : 1;
    if (a->severity != b->severity) return a->severity > b->severity ? -1 : 1;
    c = strcmp(a->rule ? a->rule->id : "", b->rule ? b->rule->id : "");
    if (c) return c;
    return strcmp(a->fingerprint ? a->fingerprint : "", b->fingerprint ? b->fingerprint : "");
}

/* Single-line version of s (newlines folded). */
/* Text from the project (issues quote code) never carries control
 * characters to the terminal: line breaks become spaces, other controls
 * (ESC sequences included) become '?'. */
static void put_line_text(pa_buf *b, const char *s)
{
    for (; s && *s; s++) {
        unsigned char c = (unsigned char)*s;
        pa_buf_putc(b, c == '\n' || c == '\r' || c == '\t' ? ' ' : (c < 0x20 || c == 0x7f) ? '?' : (char)c);
    }
}

/* A file name as printed: control characters escaped (\n, \xNN), so a
 * hostile name cannot forge lines or terminal sequences. */
static void put_path(pa_buf *b, const char *s)
{
    for (; s && *s; s++) {
        unsigned char c = (unsigned char)*s;
        if (c == '\n') pa_buf_puts(b, "\\n");
        else if (c < 0x20 || c == 0x7f) pa_buf_printf(b, "\\x%02x", c);
        else pa_buf_putc(b, (char)c);
    }
}

char *pa_report_text(const struct pa_run *run, bool color)
{
    pa_buf b;
    char sc[16];
    pa_buf_init(&b);
    bool no_write = run->opts && run->opts->no_write;
    for (int c = 0; c < PA_CAT__COUNT; c++) {
        if (no_write) pa_buf_puts(&b, "Report: (not written, --no-write)\n");
        else {
            char *p = pa_report_worker_path(run, (pa_category)c);
            pa_buf_printf(&b, "Report written: %s\n", p);
            free(p);
        }
        pa_buf_printf(&b, "Score: %s/10 | ", pa_report_score_str(sc, run->scores[c]));
        pa_report_put_issues(&b, run->counts[c]);
        pa_buf_putc(&b, '\n');
    }

    size_t n = run->all.items.n;
    if (n) {
        struct pa_finding **v = pa_xmalloc(n * sizeof *v);
        memcpy(v, run->all.items.v, n * sizeof *v);
        qsort(v, n, sizeof *v, cmp_loc);
        for (size_t i = 0; i < n; i++) {
            const struct pa_finding *f = v[i];
            if (i == 0 || strcmp(v[i - 1]->path, f->path) != 0) {
                pa_buf_printf(&b, "\n%s", color ? C_BOLD : "");
                put_path(&b, f->path);
                pa_buf_printf(&b, "%s\n", color ? C_RESET : "");
            }
            pa_buf_puts(&b, "  ");
            put_path(&b, f->path);
            pa_buf_printf(&b, ":%u:%u ", (unsigned)f->line, (unsigned)f->column);
            if (color) pa_buf_puts(&b, f->advisory ? C_DIM : sev_color(f->severity));
            pa_buf_puts(&b, pa_severity_name(f->severity));
            if (color) pa_buf_puts(&b, C_RESET);
            pa_buf_printf(&b, " %s ", f->rule ? f->rule->id : "?");
            put_line_text(&b, f->issue);
            if (f->advisory) {
                pa_buf_puts(&b, color ? C_DIM " (advisory: " : " (advisory: ");
                put_line_text(&b, f->advisory_note ? f->advisory_note : "context validation");
                pa_buf_puts(&b, color ? ")" C_RESET : ")");
            } else if (f->severity != f->original_severity) {
                pa_buf_printf(&b, " (lowered from %s)", pa_severity_name(f->original_severity));
            }
            if (f->baseline) pa_buf_puts(&b, " [baseline]");
            pa_buf_putc(&b, '\n');
        }
        free(v);
    }

    size_t total[4] = {0};
    for (int c = 0; c < PA_CAT__COUNT; c++)
        for (int s = 0; s < 4; s++) total[s] += run->counts[c][s];
    pa_buf_putc(&b, '\n');
    if (run->nsuppressed || (run->opts && run->opts->baseline)) {
        pa_buf_printf(&b, "Suppressed: %zu", run->nsuppressed);
        if (run->opts && run->opts->baseline) pa_buf_printf(&b, " | baseline: %zu | new: %zu", run->nbaseline, run->nnew);
        pa_buf_putc(&b, '\n');
    }
    if (color) pa_buf_puts(&b, C_BOLD);
    pa_buf_printf(&b, "Overall: %s/10 | ", pa_report_score_str(sc, run->overall));
    pa_report_put_issues(&b, total);
    pa_buf_printf(&b, " | advisory: %zu | report: %s", run->nadvisory,
                  no_write ? "(not written, --no-write)" : "docs/project/persistence_audit.md");
    if (color) pa_buf_puts(&b, C_RESET);
    pa_buf_putc(&b, '\n');
    return pa_buf_take(&b);
}
