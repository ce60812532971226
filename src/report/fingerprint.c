/* fingerprint.c - stable finding fingerprints (what --baseline matches and
 * SARIF's partialFingerprints carry).
 *
 * A fingerprint is FNV-1a 64 (pa_hash_bytes) over
 *     "paAudit/v1" NUL rule-id NUL path NUL code-hash(16 hex) NUL occurrence
 * printed as 16 lowercase hex digits, where
 *   - code-hash is the rule's hash of the normalised source line
 *     (finding->code_hash); when a rule left it 0, the file facts' line hash
 *     of the finding's line is used, else the line number (last resort);
 *   - occurrence counts findings with the same (rule, path, code-hash) in
 *     line/column order, so two identical lines in one file stay distinct.
 * Line numbers are not part of it, so inserting or deleting code elsewhere
 * in the file does not change a fingerprint. Renaming the file does. */
#include "report/report_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

char *pa_fingerprint_make(const char *rule_id, const char *path, uint64_t code_hash, size_t occurrence)
{
    pa_buf b;
    pa_buf_init(&b);
    pa_buf_puts(&b, "paAudit/v1");
    pa_buf_putc(&b, '\0');
    pa_buf_puts(&b, rule_id ? rule_id : "");
    pa_buf_putc(&b, '\0');
    pa_buf_puts(&b, path ? path : "");
    pa_buf_putc(&b, '\0');
    pa_buf_printf(&b, "%016llx", (unsigned long long)code_hash);
    pa_buf_putc(&b, '\0');
    pa_buf_printf(&b, "%zu", occurrence);
    uint64_t h = pa_hash_bytes(b.s, b.len);
    pa_buf_free(&b);
    return pa_xasprintf("%016llx", (unsigned long long)h);
}

struct fp_key {
    struct pa_finding *f;  /* borrowed from run->all */
    uint64_t code;         /* effective code hash (rule's, else the facts' line hash) */
};

static int cmp_key(const void *pa, const void *pb)
{
    const struct fp_key *a = pa, *b = pb;
    int c = strcmp(a->f->rule ? a->f->rule->id : "", b->f->rule ? b->f->rule->id : "");
    if (c) return c;
    if ((c = strcmp(a->f->path, b->f->path))) return c;
    if (a->code != b->code) return a->code < b->code ? -1 : 1;
    if (a->f->line != b->f->line) return a->f->line < b->f->line ? -1 : 1;
    if (a->f->column != b->f->column) return a->f->column < b->f->column ? -1 : 1;
    if (a->f->end_line != b->f->end_line) return a->f->end_line < b->f->end_line ? -1 : 1;
    return strcmp(a->f->issue ? a->f->issue : "", b->f->issue ? b->f->issue : "");
}

void pa_report_fingerprints(struct pa_run *run)
{
    size_t n = run->all.items.n;
    if (!n) return;
    struct fp_key *keys = pa_xcalloc(n, sizeof *keys);
    for (size_t i = 0; i < n; i++) {
        struct pa_finding *f = run->all.items.v[i];
        uint64_t code = f->code_hash;
        if (!code) {
            const struct pa_file_facts *ff = pa_report_facts(run, f->path);
            if (ff && ff->line_hash && f->line >= 1 && f->line <= ff->nlines) code = ff->line_hash[f->line - 1];
            if (!code) code = 0x8000000000000000ull | f->line;
        }
        keys[i].f = f;
        keys[i].code = code;
    }
    qsort(keys, n, sizeof *keys, cmp_key);
    size_t occ = 0;
    for (size_t i = 0; i < n; i++) {
        struct fp_key *k = &keys[i];
        if (i > 0) {
            struct fp_key *p = &keys[i - 1];
            bool same = p->code == k->code && pa_str_eq(p->f->path, k->f->path) && p->f->rule == k->f->rule;
            occ = same ? occ + 1 : 0;
        }
        free(k->f->fingerprint);
        k->f->fingerprint = pa_fingerprint_make(k->f->rule ? k->f->rule->id : "", k->f->path, k->code, occ);
    }
    free(keys);
}
