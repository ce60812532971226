/* tech_stack.c - docs/project/tech_stack.md: the project's own statement of
 * its stack. Reads Markdown tables (| Layer | Technology | Version |), bullet
 * lists ("- **Database:** PostgreSQL 16") and "## Database" sections followed
 * by text. Known technologies are recognised by name wherever they appear in
 * a row and placed in their slot; a labelled row naming an unknown technology
 * fills the labelled slot. What this file states wins over every other source
 * (it runs first and pa_tech_set is first-wins). */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "discovery/disc_internal.h"
#include "pa/discovery.h"

enum slot { S_NONE = 0, S_DB, S_ORM, S_FRAMEWORK, S_RUNTIME, S_QUEUE, S_LANG };

struct known {
    const char *word;   /* lowercase, matched as a whole word (may contain spaces) */
    const char *name;   /* canonical name */
    enum slot slot;
};

/* Longer names first where one contains another. */
static const struct known g_known[] = {
    {"django orm", "Django ORM", S_ORM},
    {"postgresql", "PostgreSQL", S_DB}, {"postgres", "PostgreSQL", S_DB}, {"mysql", "MySQL", S_DB},
    {"mariadb", "MariaDB", S_DB}, {"sqlite", "SQLite", S_DB}, {"mongodb", "MongoDB", S_DB},
    {"cockroachdb", "CockroachDB", S_DB}, {"sql server", "SQL Server", S_DB}, {"oracle", "Oracle", S_DB},
    {"sqlalchemy", "SQLAlchemy", S_ORM}, {"sqlmodel", "SQLModel", S_ORM}, {"tortoise orm", "Tortoise ORM", S_ORM},
    {"tortoise", "Tortoise ORM", S_ORM}, {"peewee", "Peewee", S_ORM}, {"pony orm", "Pony ORM", S_ORM},
    {"fastapi", "FastAPI", S_FRAMEWORK}, {"starlette", "Starlette", S_FRAMEWORK}, {"django", "Django", S_FRAMEWORK},
    {"flask", "Flask", S_FRAMEWORK}, {"aiohttp", "aiohttp", S_FRAMEWORK}, {"quart", "Quart", S_FRAMEWORK},
    {"sanic", "Sanic", S_FRAMEWORK}, {"litestar", "Litestar", S_FRAMEWORK}, {"tornado", "Tornado", S_FRAMEWORK},
    {"asyncio", "asyncio", S_RUNTIME}, {"uvloop", "asyncio", S_RUNTIME}, {"trio", "trio", S_RUNTIME},
    {"anyio", "anyio", S_RUNTIME},
    {"celery", "Celery", S_QUEUE}, {"rq", "RQ", S_QUEUE}, {"arq", "arq", S_QUEUE}, {"dramatiq", "Dramatiq", S_QUEUE},
    {"huey", "Huey", S_QUEUE}, {"taskiq", "TaskIQ", S_QUEUE},
    {"python", "Python", S_LANG}, {"cpython", "Python", S_LANG},
};

/* Label text → slot. */
static enum slot label_slot(const char *label)
{
    static const struct { const char *word; enum slot slot; } labels[] = {
        {"orm", S_ORM}, {"data access", S_ORM}, {"database", S_DB}, {"db", S_DB}, {"datastore", S_DB},
        {"data store", S_DB}, {"storage", S_DB}, {"persistence", S_DB},
        {"task queue", S_QUEUE}, {"queue", S_QUEUE}, {"background", S_QUEUE}, {"worker", S_QUEUE}, {"jobs", S_QUEUE},
        {"async runtime", S_RUNTIME}, {"event loop", S_RUNTIME}, {"concurrency", S_RUNTIME},
        {"framework", S_FRAMEWORK}, {"web", S_FRAMEWORK}, {"api", S_FRAMEWORK}, {"backend", S_FRAMEWORK},
        {"language", S_LANG}, {"runtime", S_RUNTIME},
    };
    char low[128];
    size_t n = 0;
    for (const char *p = label; *p && n + 1 < sizeof low; p++) low[n++] = (char)tolower((unsigned char)*p);
    low[n] = '\0';
    for (size_t i = 0; i < sizeof labels / sizeof *labels; i++) {
        const char *hit = strstr(low, labels[i].word);
        size_t k = strlen(labels[i].word);
        if (hit && (hit == low || !isalnum((unsigned char)hit[-1])) && !isalnum((unsigned char)hit[k])) {
            /* "Async framework" names the framework slot unless it says runtime */
            return labels[i].slot;
        }
    }
    return S_NONE;
}

static struct pa_tech *slot_tech(struct pa_context *ctx, enum slot s)
{
    switch (s) {
    case S_DB: return &ctx->database;
    case S_ORM: return &ctx->orm;
    case S_FRAMEWORK: return &ctx->framework;
    case S_RUNTIME: return &ctx->async_runtime;
    case S_QUEUE: return &ctx->task_queue;
    case S_LANG: return &ctx->language;
    default: return NULL;
    }
}

/* Case-insensitive whole-word search; returns the offset or -1. */
static long find_word(const char *text, const char *word, size_t from)
{
    size_t k = strlen(word), n = strlen(text);
    for (size_t i = from; i + k <= n; i++) {
        if (strncasecmp(text + i, word, k) != 0) continue;
        if (i > 0 && (isalnum((unsigned char)text[i - 1]) || text[i - 1] == '_' || text[i - 1] == '-')) continue;
        char after = text[i + k];
        if (isalnum((unsigned char)after) || after == '_') continue;
        if (after == '-' && isalpha((unsigned char)text[i + k + 1])) continue;   /* "rq-dashboard" */
        return (long)i;
    }
    return -1;
}

/* The first version number at or after `p` before a separator; owned or NULL. */
static char *version_after(const char *p)
{
    while (*p == ' ' || *p == '\t' || *p == '*' || *p == '`' || *p == '(' || *p == ':' || *p == 'v' || *p == 'V' ||
           *p == '=' || *p == '>' || *p == '<' || *p == '^' || *p == '~' || *p == '-')
        p++;
    if (!isdigit((unsigned char)*p)) return NULL;
    return pa_disc_major_minor(p);
}

/* Strip markdown emphasis/code marks and surrounding space, in place. */
static char *clean(char *s)
{
    char *w = s;
    for (char *r = s; *r; r++)
        if (*r != '*' && *r != '`' && *r != '_') *w++ = *r;
        else if (*r == '_' && r > s && r[1] && isalnum((unsigned char)r[-1]) && isalnum((unsigned char)r[1])) *w++ = *r;
    *w = '\0';
    return pa_str_trim(s);
}

static bool mentions_async(const char *t)
{
    return find_word(t, "async", 0) >= 0 || find_word(t, "asyncio", 0) >= 0 || find_word(t, "asyncpg", 0) >= 0 ||
           find_word(t, "aiosqlite", 0) >= 0 || find_word(t, "asyncsession", 0) >= 0 || find_word(t, "asyncmy", 0) >= 0;
}

/* One statement: a label (may be empty), the value text and, for tables, a
 * separate version column. */
static void take(struct pa_context *ctx, const char *label, const char *value, const char *version_col,
                 bool labelled, const char *path, uint32_t line)
{
    enum slot ls = label_slot(label);
    char *src = pa_xasprintf("%s:%u", path, line);
    pa_buf all;
    pa_buf_init(&all);
    pa_buf_printf(&all, "%s %s", label, value);
    const char *text = pa_buf_cstr(&all);
    bool slot_filled[S_LANG + 1] = {0};
    /* known technologies anywhere in the row */
    for (size_t i = 0; i < sizeof g_known / sizeof *g_known; i++) {
        const struct known *k = &g_known[i];
        long at = find_word(text, k->word, 0);
        if (at < 0) continue;
        if (strcmp(k->word, "rq") == 0 && ls != S_QUEUE) continue;    /* too short to trust outside a queue row */
        if (strcmp(k->word, "python") == 0 && ls != S_LANG && ls != S_NONE && ls != S_RUNTIME) continue;
        enum slot s = k->slot;
        const char *name = k->name;
        if (s == S_FRAMEWORK && strcmp(name, "Django") == 0 && ls == S_ORM) { s = S_ORM; name = "Django ORM"; }
        /* a labelled row speaks about its slot only ("ORM | … Celery tasks use …" is not the queue) */
        if (ls != S_NONE && s != ls && !(ls == S_ORM && s == S_RUNTIME) && !(ls == S_RUNTIME && s == S_LANG)) continue;
        if (slot_filled[s]) continue;
        slot_filled[s] = true;
        char *ver = version_after(text + at + strlen(k->word));
        if (!ver && version_col && (ls == s || ls == S_NONE)) ver = version_after(version_col);
        pa_disc_tech_offer(slot_tech(ctx, s), name, ver, src);
        free(ver);
        if (s == S_ORM && mentions_async(text)) ctx->orm_async = true;
    }
    /* a labelled row naming something we do not know */
    if (labelled && ls != S_NONE && !slot_filled[ls]) {
        char *v = pa_xstrdup(value);
        char *t = clean(v);
        size_t n = 0;
        if (isalpha((unsigned char)t[0]))
            while (t[n] && (isalnum((unsigned char)t[n]) || t[n] == '-' || t[n] == '.' || t[n] == '+')) n++;
        while (n && (t[n - 1] == '.' || t[n - 1] == '-')) n--;
        if (n) {
            char *name = pa_xstrndup(t, n);
            char *ver = version_after(t + n);
            if (!ver && version_col) ver = version_after(version_col);
            pa_disc_tech_offer(slot_tech(ctx, ls), name, ver, src);
            free(ver);
            free(name);
        }
        free(v);
    }
    pa_buf_free(&all);
    free(src);
}

/* Split a table row into trimmed cells (owned strings). */
static size_t split_row(const char *line, char **cells, size_t max)
{
    const char *p = line;
    while (*p == ' ' || *p == '\t') p++;
    if (*p == '|') p++;
    size_t n = 0;
    while (*p && n < max) {
        const char *e = p;
        while (*e && !(*e == '|' && (e == p || e[-1] != '\\'))) e++;
        if (!*e && e == p) break;
        char *c = pa_xstrndup(p, (size_t)(e - p));
        char *t = clean(c);
        memmove(c, t, strlen(t) + 1);
        cells[n++] = c;
        if (!*e) break;
        p = e + 1;
        const char *q = p;
        while (*q == ' ' || *q == '\t' || *q == '\r') q++;
        if (!*q) break;
    }
    return n;
}

static bool is_separator_row(const char *line)
{
    bool dash = false;
    for (const char *p = line; *p; p++) {
        if (*p == '-') dash = true;
        else if (*p != '|' && *p != ':' && *p != ' ' && *p != '\t' && *p != '\r') return false;
    }
    return dash;
}

void pa_disc_tech_stack_md(struct pa_context *ctx, const char *text, size_t len, const char *path)
{
    pa_disc_add_manifest(ctx, path);
    if (!pa_disc_text_ok(ctx, text, len, path)) return;
    if (!ctx->tech_stack_doc) ctx->tech_stack_doc = pa_xstrdup(path);
    char *copy = pa_xstrndup(text, len);
    char *section = pa_xstrdup("");
    long version_idx = -1;   /* "Version" column of the current table */
    bool in_table = false, in_code = false;
    uint32_t lineno = 0;
    char *save = copy;
    for (char *line = copy; line; line = save) {
        char *nl = strchr(line, '\n');
        save = nl ? nl + 1 : NULL;
        if (nl) *nl = '\0';
        lineno++;
        size_t ll = strlen(line);
        if (ll && line[ll - 1] == '\r') line[--ll] = '\0';
        char *t = pa_str_trim(line);
        if (strncmp(t, "```", 3) == 0 || strncmp(t, "~~~", 3) == 0) { in_code = !in_code; continue; }
        if (in_code) continue;
        if (!*t) { in_table = false; continue; }
        if (*t == '#') {
            while (*t == '#') t++;
            free(section);
            section = pa_xstrdup(clean(t));
            in_table = false;
            continue;
        }
        if (*t == '|') {
            if (is_separator_row(t)) continue;
            char *cells[16];
            size_t nc = split_row(t, cells, 16);
            bool header = false;
            if (!in_table) {
                /* a header row is followed by a separator row */
                const char *nx = save;
                while (nx && (*nx == ' ' || *nx == '\t')) nx++;
                if (nx && *nx == '|') {
                    const char *e = strchr(nx, '\n');
                    char *row = e ? pa_xstrndup(nx, (size_t)(e - nx)) : pa_xstrdup(nx);
                    header = is_separator_row(row);
                    free(row);
                }
                in_table = true;
                version_idx = -1;
                if (header)
                    for (size_t i = 0; i < nc; i++)
                        if (strcasecmp(cells[i], "version") == 0 || strcasecmp(cells[i], "versions") == 0) version_idx = (long)i;
            }
            if (!header && nc >= 1) {
                pa_buf val;
                pa_buf_init(&val);
                for (size_t i = 1; i < nc; i++) {
                    if ((long)i == version_idx) continue;
                    pa_buf_printf(&val, "%s%s", val.len ? " | " : "", cells[i]);
                }
                const char *vcol = version_idx > 0 && (size_t)version_idx < nc ? cells[version_idx] : NULL;
                take(ctx, cells[0], val.s ? val.s : "", vcol, nc >= 2, path, lineno);
                pa_buf_free(&val);
            }
            for (size_t i = 0; i < nc; i++) free(cells[i]);
            continue;
        }
        in_table = false;
        bool bullet = false;
        if ((*t == '-' || *t == '*' || *t == '+') && (t[1] == ' ' || t[1] == '\t')) { t += 2; bullet = true; }
        else if (isdigit((unsigned char)*t)) {
            char *q = t;
            while (isdigit((unsigned char)*q)) q++;
            if ((*q == '.' || *q == ')') && q[1] == ' ') { t = q + 2; bullet = true; }
        }
        char *c = clean(t);
        char *colon = strchr(c, ':');
        if (colon && colon - c < 40 && colon[1] != '/') {
            *colon = '\0';
            take(ctx, pa_str_trim(c), pa_str_trim(colon + 1), NULL, true, path, lineno);
        } else if (bullet || *section) {
            take(ctx, section, c, NULL, false, path, lineno);
        }
    }
    free(section);
    free(copy);
}
