/* migrations.c - triggers and their NOTIFY channels from SQL: .sql files,
 * and the string literals of Python migrations (alembic op.execute("""…"""),
 * op.execute(sa.text(…)), Django migrations.RunSQL("…"), DDL(…)), where
 * adjacent literals are joined and escapes decoded while keeping each byte's
 * source line. PostgreSQL forms:
 *   CREATE [OR REPLACE] [CONSTRAINT] TRIGGER name {BEFORE|AFTER|INSTEAD OF}
 *     events ON [schema.]table … EXECUTE {PROCEDURE|FUNCTION} fn()
 *   CREATE [OR REPLACE] FUNCTION fn() … AS $tag$ … pg_notify('channel', …) /
 *     NOTIFY channel … $tag$   (or a single-quoted body)
 * A trigger is linked to its function's channel, across files too
 * (pa_disc_link_triggers).
 *
 * DESIGN: the PCRE2 patterns are compiled once (pthread_once) and then only
 * read, so they are safe to share; match data and match contexts are per
 * call. A match limit bounds backtracking on hostile input. */
#define PCRE2_CODE_UNIT_WIDTH 8
#include <ctype.h>
#include <pcre2.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "discovery/disc_internal.h"
#include "pa/discovery.h"

#define IDENT "(?:\"[^\"\\n]{1,128}\"|[A-Za-z_][A-Za-z0-9_$]{0,127})"
#define QIDENT "(?:" IDENT "\\s*\\.\\s*)?" IDENT

enum { RE_TRIGGER = 0, RE_FUNCTION, RE_BODY_START, RE_PG_NOTIFY, RE_NOTIFY, RE__COUNT };

static const char *const g_patterns[RE__COUNT] = {
    [RE_TRIGGER] = "\\bCREATE\\s+(?:OR\\s+REPLACE\\s+)?(?:CONSTRAINT\\s+)?TRIGGER\\s+(?:IF\\s+NOT\\s+EXISTS\\s+)?(" IDENT
                   ")\\s+(BEFORE|AFTER|INSTEAD\\s+OF)\\s+([\\s\\S]{1,300}?)\\s+ON\\s+(?:ONLY\\s+)?(" QIDENT
                   ")[\\s\\S]{0,2000}?\\bEXECUTE\\s+(?:PROCEDURE|FUNCTION)\\s+(" QIDENT ")\\s*\\(",
    [RE_FUNCTION] = "\\bCREATE\\s+(?:OR\\s+REPLACE\\s+)?FUNCTION\\s+(" QIDENT ")\\s*\\(",
    [RE_BODY_START] = "\\bAS\\s+(\\$[A-Za-z0-9_]{0,64}\\$|')",
    [RE_PG_NOTIFY] = "\\bpg_notify\\s*\\(\\s*('(?:[^']|'')*'|[^,)]{1,200})",
    [RE_NOTIFY] = "\\bNOTIFY\\s+(" IDENT ")",
};

static pcre2_code *g_re[RE__COUNT];
static pthread_once_t g_once = PTHREAD_ONCE_INIT;

static void compile_all(void)
{
    for (int i = 0; i < RE__COUNT; i++) {
        int err;
        PCRE2_SIZE off;
        g_re[i] = pcre2_compile((PCRE2_SPTR)g_patterns[i], PCRE2_ZERO_TERMINATED, PCRE2_CASELESS, &err, &off, NULL);
        if (!g_re[i]) {
            PCRE2_UCHAR msg[256];
            pcre2_get_error_message(err, msg, sizeof msg);
            pa_error("internal: migration pattern %d does not compile at %zu: %s", i, (size_t)off, (char *)msg);
            abort();
        }
    }
}

/* A run of SQL text with a way back to source lines. */
struct sqltext {
    const char *s;         /* text */
    size_t len;            /* bytes */
    const uint32_t *lines; /* source line per byte, or NULL: count newlines from base_line */
    uint32_t base_line;    /* line of s[0] when lines is NULL */
};

static uint32_t line_at(const struct sqltext *t, size_t off)
{
    if (off >= t->len) off = t->len ? t->len - 1 : 0;
    if (t->lines) return t->len ? t->lines[off] : t->base_line;
    uint32_t l = t->base_line;
    for (size_t i = 0; i < off; i++) l += t->s[i] == '\n';
    return l;
}

/* Identifier → unqualified, unquoted, lowercase (owned). */
static char *ident_norm(const char *s, size_t n)
{
    const char *p = s, *e = s + n;
    /* last component after a '.' outside quotes */
    bool inq = false;
    for (const char *q = s; q < e; q++) {
        if (*q == '"') inq = !inq;
        else if (*q == '.' && !inq) p = q + 1;
    }
    while (p < e && isspace((unsigned char)*p)) p++;
    if (p < e && *p == '"') {
        p++;
        const char *z = memchr(p, '"', (size_t)(e - p));
        if (z) e = z;
    }
    while (e > p && isspace((unsigned char)e[-1])) e--;
    char *r = pa_xstrndup(p, (size_t)(e - p));
    for (char *q = r; *q; q++) *q = (char)tolower((unsigned char)*q);
    return r;
}

static char *upper_ws(const char *s, size_t n)
{
    pa_buf b;
    pa_buf_init(&b);
    bool sp = false;
    for (size_t i = 0; i < n; i++) {
        if (isspace((unsigned char)s[i])) { sp = b.len > 0; continue; }
        if (sp) pa_buf_putc(&b, ' ');
        sp = false;
        pa_buf_putc(&b, (char)toupper((unsigned char)s[i]));
    }
    return b.s ? pa_buf_take(&b) : pa_xstrdup("");
}

static int run(int re, const char *s, size_t len, size_t start, pcre2_match_data *md, pcre2_match_context *mc)
{
    return pcre2_match(g_re[re], (PCRE2_SPTR)s, len, start, 0, md, mc);
}

/* Channel from a pg_notify first argument: 'name' → name; an expression stays as written. */
static char *channel_of(const char *s, size_t n)
{
    while (n && isspace((unsigned char)s[n - 1])) n--;
    if (n >= 2 && s[0] == '\'' && s[n - 1] == '\'') {
        pa_buf b;
        pa_buf_init(&b);
        for (size_t i = 1; i + 1 < n; i++) {
            pa_buf_putc(&b, s[i]);
            if (s[i] == '\'' && s[i + 1] == '\'') i++;
        }
        return b.s ? pa_buf_take(&b) : pa_xstrdup("");
    }
    return pa_xstrndup(s, n);
}

static void add_fn(struct pa_context *ctx, char *name, char *channel)
{
    struct pa_disc_state *st = pa_disc_state_get(ctx);
    for (size_t i = 0; i < st->fns.n; i++)
        if (strcmp(st->fns.v[i].name, name) == 0) {   /* CREATE OR REPLACE: the latest body wins */
            free(st->fns.v[i].channel);
            st->fns.v[i].channel = channel;
            free(name);
            return;
        }
    struct pa_disc_fn f = {name, channel};
    pa_vec_push(&st->fns, f);
}

static void scan_functions(struct pa_context *ctx, const struct sqltext *t, pcre2_match_data *md,
                           pcre2_match_data *md2, pcre2_match_context *mc)
{
    size_t pos = 0;
    while (pos < t->len && run(RE_FUNCTION, t->s, t->len, pos, md, mc) > 0) {
        PCRE2_SIZE *ov = pcre2_get_ovector_pointer(md);
        char *name = ident_norm(t->s + ov[2], ov[3] - ov[2]);
        size_t after = ov[1];
        pos = ov[1];
        /* body: AS $tag$ … $tag$ or AS '…' within a bounded window */
        size_t win = t->len - after < 4000 ? t->len - after : 4000;
        const char *body = NULL;
        size_t blen = 0;
        if (run(RE_BODY_START, t->s, after + win, after, md2, mc) > 0) {
            PCRE2_SIZE *ov2 = pcre2_get_ovector_pointer(md2);
            const char *tag = t->s + ov2[2];
            size_t tl = ov2[3] - ov2[2];
            body = t->s + ov2[3];
            const char *end = NULL;
            if (tag[0] == '$') {
                for (const char *q = body; q + tl <= t->s + t->len; q++)
                    if (*q == '$' && memcmp(q, tag, tl) == 0) { end = q; break; }
            } else {
                for (const char *q = body; q < t->s + t->len; q++) {
                    if (*q != '\'') continue;
                    if (q + 1 < t->s + t->len && q[1] == '\'') { q++; continue; }
                    end = q;
                    break;
                }
            }
            blen = end ? (size_t)(end - body) : (size_t)(t->s + t->len - body);
            pos = (size_t)(body - t->s) + blen;
        }
        char *channel = NULL;
        if (body) {
            if (run(RE_PG_NOTIFY, body, blen, 0, md2, mc) > 0) {
                PCRE2_SIZE *ov2 = pcre2_get_ovector_pointer(md2);
                channel = channel_of(body + ov2[2], ov2[3] - ov2[2]);
            } else if (run(RE_NOTIFY, body, blen, 0, md2, mc) > 0) {
                PCRE2_SIZE *ov2 = pcre2_get_ovector_pointer(md2);
                channel = ident_norm(body + ov2[2], ov2[3] - ov2[2]);
            }
        }
        if (channel) add_fn(ctx, name, channel);
        else free(name);
    }
}

static void scan_triggers(struct pa_context *ctx, const struct sqltext *t, const char *path, pcre2_match_data *md,
                          pcre2_match_context *mc)
{
    size_t pos = 0;
    while (pos < t->len && run(RE_TRIGGER, t->s, t->len, pos, md, mc) > 0) {
        PCRE2_SIZE *ov = pcre2_get_ovector_pointer(md);
        struct pa_trigger tr = {0};
        tr.name = ident_norm(t->s + ov[2], ov[3] - ov[2]);
        tr.event = upper_ws(t->s + ov[6], ov[7] - ov[6]);
        tr.table = ident_norm(t->s + ov[8], ov[9] - ov[8]);
        tr.function = ident_norm(t->s + ov[10], ov[11] - ov[10]);
        tr.source = pa_xasprintf("%s:%u", path, line_at(t, ov[0]));
        pos = ov[1];
        bool dup = false;
        for (size_t i = 0; i < ctx->triggers.n; i++)
            if (strcmp(ctx->triggers.v[i].name, tr.name) == 0 && strcmp(ctx->triggers.v[i].table, tr.table) == 0) dup = true;
        if (dup) {
            free(tr.name); free(tr.event); free(tr.table); free(tr.function); free(tr.source);
            continue;
        }
        pa_vec_push(&ctx->triggers, tr);
    }
}

static void scan_sql(struct pa_context *ctx, const struct sqltext *texts, size_t n, const char *path)
{
    pthread_once(&g_once, compile_all);
    pcre2_match_data *md = pcre2_match_data_create(12, NULL);
    pcre2_match_data *md2 = pcre2_match_data_create(4, NULL);
    pcre2_match_context *mc = pcre2_match_context_create(NULL);
    pcre2_set_match_limit(mc, 2000000);
    for (size_t i = 0; i < n; i++) scan_functions(ctx, &texts[i], md, md2, mc);
    for (size_t i = 0; i < n; i++) scan_triggers(ctx, &texts[i], path, md, mc);
    pcre2_match_context_free(mc);
    pcre2_match_data_free(md2);
    pcre2_match_data_free(md);
    pa_disc_link_triggers(ctx);
}

/* ---- Python string literals ---------------------------------------------- */

struct pystr {
    pa_buf text;                 /* decoded, adjacent literals joined */
    PA_VEC(uint32_t) lines;      /* source line per decoded byte */
};

static void ps_put(struct pystr *g, char c, uint32_t line)
{
    pa_buf_putc(&g->text, c);
    pa_vec_push(&g->lines, line);
}

/* Collect the string-literal groups of a Python source. */
static size_t python_strings(const char *s, size_t len, struct pystr **out)
{
    PA_VEC(struct pystr) groups = {0};
    uint32_t line = 1;
    size_t i = 0;
    bool joinable = false;   /* only whitespace/comments since the last literal */
    while (i < len) {
        char c = s[i];
        if (c == '\n') { line++; i++; continue; }
        if (c == '#') { while (i < len && s[i] != '\n') i++; continue; }
        if (c == ' ' || c == '\t' || c == '\r' || c == '\\' || c == '\f') { i++; continue; }
        /* string prefix? */
        size_t p = i;
        bool raw = false;
        while (p < len && p - i < 3 && strchr("rRbBuUfF", s[p])) { if (s[p] == 'r' || s[p] == 'R') raw = true; p++; }
        if (p < len && (s[p] == '"' || s[p] == '\'') && (p == i || i == 0 || !(isalnum((unsigned char)s[i - 1]) || s[i - 1] == '_'))) {
            char q = s[p];
            bool triple = p + 2 < len && s[p + 1] == q && s[p + 2] == q;
            size_t k = p + (triple ? 3 : 1);
            if (!joinable || groups.n == 0) {
                struct pystr g = {0};
                pa_buf_init(&g.text);
                pa_vec_push(&groups, g);
            }
            struct pystr *g = &groups.v[groups.n - 1];
            while (k < len) {
                char ch = s[k];
                if (triple ? (ch == q && k + 2 < len && s[k + 1] == q && s[k + 2] == q) : ch == q) {
                    k += triple ? 3 : 1;
                    break;
                }
                if (!triple && ch == '\n') break;   /* unterminated single-line string */
                if (ch == '\\' && k + 1 < len) {
                    char e = s[k + 1];
                    if (raw) { ps_put(g, ch, line); ps_put(g, e, line); }
                    else if (e == 'n') ps_put(g, '\n', line);
                    else if (e == 't') ps_put(g, '\t', line);
                    else if (e == 'r') ps_put(g, '\r', line);
                    else if (e == '\\' || e == '\'' || e == '"') ps_put(g, e, line);
                    else if (e == '\n') { /* line continuation inside the literal */ }
                    else { ps_put(g, ch, line); ps_put(g, e, line); }
                    if (e == '\n') line++;
                    k += 2;
                    continue;
                }
                ps_put(g, ch, line);
                if (ch == '\n') line++;
                k++;
            }
            ps_put(g, ' ', line);   /* keep joined literals apart like SQL whitespace */
            i = k;
            joinable = true;
            continue;
        }
        /* any other token ends implicit concatenation; skip identifiers whole */
        joinable = false;
        if (isalnum((unsigned char)c) || c == '_') {
            while (i < len && (isalnum((unsigned char)s[i]) || s[i] == '_')) i++;
        } else {
            i++;
        }
    }
    *out = groups.v;
    return groups.n;
}

/* ASCII case-insensitive substring test. */
static bool ci_contains(const char *hay, const char *needle)
{
    size_t k = strlen(needle);
    for (; *hay; hay++)
        if (strncasecmp(hay, needle, k) == 0) return true;
    return false;
}

static bool is_python(const char *path) { return pa_str_ends(path, ".py"); }

void pa_disc_migration(struct pa_context *ctx, const char *text, size_t len, const char *path)
{
    pa_disc_add_manifest(ctx, path);
    if (!pa_disc_text_ok(ctx, text, len, path)) return;
    if (!is_python(path)) {
        struct sqltext t = {text, len, NULL, 1};
        scan_sql(ctx, &t, 1, path);
        return;
    }
    struct pystr *groups = NULL;
    size_t n = python_strings(text, len, &groups);
    struct sqltext *ts = pa_xcalloc(n ? n : 1, sizeof *ts);
    size_t m = 0;
    for (size_t i = 0; i < n; i++) {
        /* only literals that can hold DDL are worth a regex pass */
        if (groups[i].text.len < 16) continue;
        const char *s = pa_buf_cstr(&groups[i].text);
        if (!ci_contains(s, "trigger") && !ci_contains(s, "function")) continue;
        ts[m++] = (struct sqltext){s, groups[i].text.len, groups[i].lines.v, 1};
    }
    scan_sql(ctx, ts, m, path);
    free(ts);
    for (size_t i = 0; i < n; i++) {
        pa_buf_free(&groups[i].text);
        pa_vec_free(&groups[i].lines);
    }
    free(groups);
}
