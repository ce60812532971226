/* extract_lines.c - line-level facts: per-line hashes of the
 * whitespace-normalised text (for stable fingerprints), and suppression
 * comments (`# pa-audit: ignore[PA301,PA303] -- reason`).
 *
 * A suppression comment alone on its line applies to the next line that is
 * neither blank nor comment-only; a trailing comment applies to its own line.
 */
#include <string.h>

#include "project/extract_int.h"

static bool is_ws(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\v'; }

static const char *find_str(const char *s, size_t n, const char *needle)
{
    size_t m = strlen(needle);
    if (m > n) return NULL;
    for (size_t i = 0; i + m <= n; i++)
        if (s[i] == needle[0] && memcmp(s + i, needle, m) == 0) return s + i;
    return NULL;
}

void pa_ex_comment(struct pa_ex *x, TSNode n)
{
    uint32_t a = ts_node_start_byte(n), b = ts_node_end_byte(n);
    if (b > x->len || b <= a) return;
    const char *s = x->src + a;
    size_t len = b - a;
    const char *m = find_str(s, len, "pa-audit:");
    if (!m) return;
    const char *p = m + 9, *e = s + len;
    while (p < e && is_ws(*p)) p++;
    if ((size_t)(e - p) < 6 || memcmp(p, "ignore", 6) != 0) return;
    p += 6;
    if (p < e && (*p == '_' || (*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9')))
        return;  /* "ignored", "ignore_x": not our directive */
    struct pa_ex_supp sp;
    memset(&sp, 0, sizeof sp);
    while (p < e && is_ws(*p)) p++;
    if (p < e && *p == '[') {
        const char *q = p + 1;
        pa_buf *t = &x->tmp;
        pa_buf_reset(t);
        while (q < e && *q != ']') {
            if (!is_ws(*q) && (unsigned char)*q >= 0x20) pa_buf_putc(t, *q);
            q++;
        }
        if (t->len) {
            /* drop empty list items: "PA301,,PA303," -> "PA301,PA303" */
            char *r = pa_arena_alloc(x->arena, t->len + 1);
            size_t o = 0;
            for (size_t i = 0; i < t->len; i++) {
                if (t->s[i] == ',' && (o == 0 || r[o - 1] == ',')) continue;
                r[o++] = t->s[i];
            }
            while (o > 0 && r[o - 1] == ',') o--;
            r[o] = '\0';
            sp.s.rules = o ? r : NULL;
        }
        p = q < e ? q + 1 : q;
    }
    const char *dash = find_str(p, (size_t)(e - p), "--");
    if (dash) {
        const char *r = dash + 2, *re = e;
        while (r < re && is_ws(*r)) r++;
        while (re > r && is_ws(re[-1])) re--;
        if (re > r) sp.s.reason = pa_ex_text_range(x, (uint32_t)(r - x->src), (uint32_t)(re - x->src));
    }
    TSPoint pt = ts_node_start_point(n);
    sp.s.line = pt.row + 1;
    sp.s.applies_to = sp.s.line;
    /* alone on its line? */
    uint32_t i = a;
    bool alone = true;
    while (i > 0 && x->src[i - 1] != '\n') {
        if (!is_ws(x->src[i - 1])) { alone = false; break; }
        i--;
    }
    sp.own_line = alone;
    pa_vec_push(&x->supps, sp);
}

void pa_ex_lines(struct pa_ex *x)
{
    const char *s = x->src;
    size_t n = x->len;
    uint32_t nlines = 0;
    for (const char *q = s, *e = s + n; q < e && (q = memchr(q, '\n', (size_t)(e - q))) != NULL; q++) nlines++;
    if (n > 0 && s[n - 1] != '\n') nlines++;
    x->f->nlines = nlines;
    x->f->line_hash = nlines ? pa_arena_alloc(x->arena, nlines * sizeof(uint32_t)) : NULL;
    x->lineinfo.n = 0;
    pa_vec_grow(&x->lineinfo, (size_t)nlines + 1);
    size_t i = 0;
    for (uint32_t line = 0; line < nlines; line++) {
        const char *nl = memchr(s + i, '\n', n - i);
        size_t j = nl ? (size_t)(nl - s) : n;
        /* FNV-1a 64 (as pa_hash_bytes) over the line with whitespace runs
         * collapsed to one space and both ends stripped, computed in place */
        uint64_t h = 1469598103934665603ULL;
        bool started = false, pend_space = false;
        char first = 0;
        for (size_t k = i; k < j; k++) {
            unsigned char c = (unsigned char)s[k];
            if (c <= ' ' && is_ws((char)c)) { pend_space = started; continue; }
            if (pend_space) { h ^= ' '; h *= 1099511628211ULL; pend_space = false; }
            if (!started) { first = (char)c; started = true; }
            h ^= c;
            h *= 1099511628211ULL;
        }
        x->f->line_hash[line] = (uint32_t)h;
        x->lineinfo.v[line] = (!started || first == '#') ? 1 : 0;
        i = j + 1;
    }
    x->lineinfo.n = nlines;
    /* code lines as a bitmap plus a count per 64-line block (0.2 byte per line) */
    size_t nwords = ((size_t)nlines + 63) / 64;
    x->f->code_bits = pa_arena_alloc(x->arena, (nwords ? nwords : 1) * sizeof(uint64_t));
    x->f->code_block = pa_arena_alloc(x->arena, ((size_t)(nlines >> 6) + 1) * sizeof(uint32_t));
    uint32_t count = 0;
    for (uint32_t line = 0; line < nlines; line++) {
        if ((line & 63) == 0) x->f->code_block[line >> 6] = count;
        if (!x->lineinfo.v[line]) {
            x->f->code_bits[line >> 6] |= 1ULL << (line & 63);
            count++;
        }
    }
    if ((nlines & 63) == 0) x->f->code_block[nlines >> 6] = count;   /* the block after a full last word */
    for (size_t k = 0; k < x->supps.n; k++) {
        struct pa_ex_supp *sp = &x->supps.v[k];
        if (!sp->own_line) continue;
        for (uint32_t l = sp->s.line; l < nlines; l++) {  /* l is 0-based index of line l+1 */
            if (!x->lineinfo.v[l]) { sp->s.applies_to = l + 1; break; }
        }
    }
}
