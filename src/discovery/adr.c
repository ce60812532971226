/* adr.c - architecture decision records and planned-work documents (Markdown
 * under docs/adr/, docs/decisions/, docs/reference/adrs/, docs/architecture/):
 * id from the file name ("0007-use-x.md", "ADR-007-….md", "adr_12.md") or the
 * title ("# ADR-007: …", adr-tools' "# 7. …") → "ADR-007"; the first heading
 * as title; the status line ("Status: Accepted", "**Status:** …" or a
 * "## Status" section); the lowercased text for Rule 1 matching. */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "discovery/disc_internal.h"
#include "pa/discovery.h"

static char *fmt_id(const char *digits, size_t n)
{
    while (n > 1 && *digits == '0') { digits++; n--; }
    if (n > 9) return NULL;
    char buf[16];
    memcpy(buf, digits, n);
    buf[n] = '\0';
    return pa_xasprintf("ADR-%03ld", strtol(buf, NULL, 10));
}

/* "0007-x", "adr-007-x", "ADR_12", "adr7" → ADR-007; NULL if the name has no number in front. */
static char *id_from_name(const char *path)
{
    const char *base = strrchr(path, '/');
    base = base ? base + 1 : path;
    const char *p = base;
    if (strncasecmp(p, "adr", 3) == 0) {
        p += 3;
        while (*p == '-' || *p == '_' || *p == ' ' || *p == '.') p++;
    }
    size_t n = 0;
    while (isdigit((unsigned char)p[n])) n++;
    if (!n || isalpha((unsigned char)p[n])) return NULL;
    return fmt_id(p, n);
}

/* From a heading: "ADR-007: x", "ADR 7 - x", "7. x" → id, and *rest points at the title proper. */
static char *id_from_title(const char *h, const char **rest)
{
    *rest = h;
    const char *p = h;
    bool adr = false;
    if (strncasecmp(p, "adr", 3) == 0) {
        adr = true;
        p += 3;
        while (*p == '-' || *p == '_' || *p == ' ' || *p == '#') p++;
    }
    size_t n = 0;
    while (isdigit((unsigned char)p[n])) n++;
    if (!n) return NULL;
    const char *q = p + n;
    if (!adr && *q != '.' && *q != ':') return NULL;   /* "7. Title" (adr-tools) */
    while (*q == '.' || *q == ':' || *q == ' ' || *q == '-' || *q == '\t') q++;
    *rest = q;
    return fmt_id(p, n);
}

static char *strip_md(const char *s, size_t n)
{
    pa_buf b;
    pa_buf_init(&b);
    for (size_t i = 0; i < n; i++)
        if (s[i] != '*' && s[i] != '`' && s[i] != '\r') pa_buf_putc(&b, s[i]);
    char *r = b.s ? pa_buf_take(&b) : pa_xstrdup("");
    char *t = pa_str_trim(r);
    memmove(r, t, strlen(t) + 1);
    return r;
}

void pa_disc_adr(struct pa_context *ctx, const char *text, size_t len, const char *path)
{
    pa_disc_add_manifest(ctx, path);
    if (!pa_disc_text_ok(ctx, text, len, path)) return;
    for (size_t i = 0; i < ctx->adrs.n; i++)
        if (strcmp(ctx->adrs.v[i].path, path) == 0) return;
    struct pa_adr a = {0};
    a.path = pa_xstrdup(path);
    a.id = id_from_name(path);
    bool status_section = false, in_code = false;
    const char *p = text, *end = text + len;
    while (p < end) {
        const char *e = memchr(p, '\n', (size_t)(end - p));
        if (!e) e = end;
        char *line = strip_md(p, (size_t)(e - p));
        p = e < end ? e + 1 : end;
        if (strncmp(line, "```", 3) == 0) in_code = !in_code;
        if (in_code || !*line) { free(line); continue; }
        if (line[0] == '#') {
            const char *h = line;
            int level = 0;
            while (*h == '#') { h++; level++; }
            while (*h == ' ') h++;
            if (!a.title && level <= 2 && *h) {
                const char *rest;
                char *tid = id_from_title(h, &rest);
                if (!a.id) a.id = tid;
                else free(tid);
                a.title = pa_xstrdup(*rest ? rest : h);
            } else {
                status_section = strcasecmp(h, "status") == 0;
            }
            free(line);
            continue;
        }
        if (!a.status) {
            const char *l = line;
            if ((*l == '-' || *l == '+') && l[1] == ' ') l += 2;
            if (strncasecmp(l, "status", 6) == 0 && (l[6] == ':' || (l[6] == ' ' && strchr(l, ':')))) {
                const char *v = strchr(l, ':') + 1;
                while (*v == ' ' || *v == '\t') v++;
                if (*v) a.status = pa_xstrdup(v);
            } else if (status_section) {
                a.status = pa_xstrdup(l);
            }
            if (a.status)
                for (char *q = a.status; *q; q++) *q = (char)tolower((unsigned char)*q);
        }
        free(line);
    }
    if (!a.id) {
        /* no number anywhere: the file's stem names it */
        const char *base = strrchr(path, '/');
        base = base ? base + 1 : path;
        const char *dot = strrchr(base, '.');
        a.id = pa_xstrndup(base, dot ? (size_t)(dot - base) : strlen(base));
    }
    a.text = pa_xstrndup(text, len);
    for (char *q = a.text; *q; q++) *q = (char)tolower((unsigned char)*q);
    pa_vec_push(&ctx->adrs, a);
}
