/* common.c - helpers shared by the discovery parsers: the pending-evidence
 * state, manifest and dependency recording, PEP 508 requirement parsing,
 * version shortening, database URL classification and trigger linking. */
#include <ctype.h>
#include <strings.h>
#include <stdlib.h>
#include <string.h>

#include "discovery/disc_internal.h"

struct pa_disc_state *pa_disc_state_get(struct pa_context *ctx)
{
    if (!ctx->disc) ctx->disc = pa_xcalloc(1, sizeof *ctx->disc);
    return ctx->disc;
}

static void tech_clear(struct pa_tech *t)
{
    free(t->name);
    free(t->version);
    free(t->source);
}

void pa_disc_state_free(struct pa_disc_state *s)
{
    if (!s) return;
    tech_clear(&s->db_image);
    tech_clear(&s->db_url);
    tech_clear(&s->python);
    for (size_t i = 0; i < s->fns.n; i++) {
        free(s->fns.v[i].name);
        free(s->fns.v[i].channel);
    }
    pa_vec_free(&s->fns);
    for (size_t i = 0; i < PA_IMP__COUNT; i++) free(s->import_src[i]);
    free(s);
}

void pa_disc_add_manifest(struct pa_context *ctx, const char *path)
{
    for (size_t i = 0; i < ctx->manifests.n; i++)
        if (strcmp(ctx->manifests.v[i], path) == 0) return;
    pa_vec_push(&ctx->manifests, pa_xstrdup(path));
}

char *pa_disc_norm_name(const char *name, size_t n)
{
    pa_buf b;
    pa_buf_init(&b);
    bool sep = false;
    for (size_t i = 0; i < n; i++) {
        char c = name[i];
        if (c == '-' || c == '_' || c == '.') { sep = true; continue; }
        if (sep && b.len) pa_buf_putc(&b, '-');
        sep = false;
        pa_buf_putc(&b, (char)tolower((unsigned char)c));
    }
    if (!b.s) return pa_xstrdup("");
    return pa_buf_take(&b);
}

void pa_disc_add_dep(struct pa_context *ctx, const char *name, const char *version, const char *source)
{
    char *nn = pa_disc_norm_name(name, strlen(name));
    if (!*nn) { free(nn); return; }
    for (size_t i = 0; i < ctx->deps.n; i++) {
        struct pa_dep *d = &ctx->deps.v[i];
        if (strcmp(d->name, nn) == 0 && pa_str_eq(d->source, source) && pa_str_eq(d->version, version)) {
            free(nn);
            return;
        }
    }
    struct pa_dep d = {nn, version && *version ? pa_xstrdup(version) : NULL, source ? pa_xstrdup(source) : NULL};
    pa_vec_push(&ctx->deps, d);
}

static bool name_char(char c) { return isalnum((unsigned char)c) || c == '-' || c == '_' || c == '.'; }

bool pa_disc_pep508(struct pa_context *ctx, const char *req, const char *source)
{
    while (*req == ' ' || *req == '\t') req++;
    if (!*req || *req == '-' || *req == '#') return false;
    /* VCS / URL requirement: take the name from #egg= */
    const char *egg = strstr(req, "#egg=");
    if (strstr(req, "://") && egg && (strncmp(req, "git+", 4) == 0 || strncmp(req, "hg+", 3) == 0 ||
                                      strncmp(req, "http", 4) == 0 || strncmp(req, "svn+", 4) == 0)) {
        egg += 5;
        size_t n = 0;
        while (egg[n] && name_char(egg[n])) n++;
        if (!n) return false;
        char *nm = pa_xstrndup(egg, n);
        pa_disc_add_dep(ctx, nm, NULL, source);
        free(nm);
        return true;
    }
    if (!isalnum((unsigned char)*req)) return false;   /* ./path, /abs, URLs without egg */
    size_t n = 0;
    while (req[n] && name_char(req[n])) n++;
    const char *p = req + n;
    /* a bare file name such as "foo.whl" or "./x" is not a requirement */
    if (n > 4 && (strncmp(req + n - 4, ".whl", 4) == 0 || strncmp(req + n - 4, ".zip", 4) == 0 ||
                  strncmp(req + n - 4, ".txt", 4) == 0))
        return false;
    char *name = pa_xstrndup(req, n);
    while (*p == ' ' || *p == '\t') p++;
    bool async_extra = false;
    if (*p == '[') {
        const char *close = strchr(p, ']');
        if (!close) { free(name); return false; }
        pa_buf ex;
        pa_buf_init(&ex);
        pa_buf_append(&ex, p + 1, (size_t)(close - p - 1));
        const char *exs = pa_buf_cstr(&ex);
        for (const char *q = exs; (q = strstr(q, "asyncio")) != NULL; q += 7) async_extra = true;
        pa_buf_free(&ex);
        p = close + 1;
    }
    /* version spec: up to ';' (markers) or ' --' (pip options such as --hash) */
    pa_buf spec;
    pa_buf_init(&spec);
    bool url = false;
    while (*p == ' ' || *p == '\t') p++;
    if (*p == '@') url = true;
    for (; *p && *p != ';' && !url; p++) {
        if (*p == ' ' && p[1] == '-' && p[2] == '-') break;
        if (*p == '#' ) break;
        if (*p == ' ' || *p == '\t' || *p == '(' || *p == ')' || *p == '\r') continue;
        pa_buf_putc(&spec, *p);
    }
    char *nn = pa_disc_norm_name(name, strlen(name));
    if (async_extra && strcmp(nn, "sqlalchemy") == 0) pa_disc_state_get(ctx)->sqlalchemy_async_extra = true;
    pa_disc_add_dep(ctx, name, spec.len ? pa_buf_cstr(&spec) : NULL, source);
    free(nn);
    free(name);
    pa_buf_free(&spec);
    return true;
}

char *pa_disc_major_minor(const char *spec)
{
    if (!spec) return NULL;
    const char *p = spec;
    while (*p && !isdigit((unsigned char)*p)) p++;
    if (!*p) return NULL;
    const char *s = p;
    while (isdigit((unsigned char)*p)) p++;
    if (*p == '.' && isdigit((unsigned char)p[1])) {
        p++;
        while (isdigit((unsigned char)*p)) p++;
    }
    return pa_xstrndup(s, (size_t)(p - s));
}

void pa_disc_tech_offer(struct pa_tech *t, const char *name, const char *version, const char *source)
{
    if (!name) return;
    if (!t->name) {
        pa_tech_set(t, name, version, source);
        return;
    }
    if (!t->version && version && pa_str_ieq(t->name, name)) {
        t->version = pa_xstrdup(version);
        if (source) {
            char *ns = t->source ? pa_xasprintf("%s; %s", t->source, source) : pa_xstrdup(source);
            free(t->source);
            t->source = ns;
        }
    }
}

bool pa_disc_text_ok(struct pa_context *ctx, const char *text, size_t len, const char *path)
{
    if (memchr(text, '\0', len)) {
        pa_context_note(ctx, path, "binary content (NUL byte); skipped");
        return false;
    }
    if (!pa_utf8_valid(text, len)) {
        pa_context_note(ctx, path, "not valid UTF-8; skipped");
        return false;
    }
    return true;
}

void pa_disc_link_triggers(struct pa_context *ctx)
{
    struct pa_disc_state *s = ctx->disc;
    if (!s) return;
    for (size_t i = 0; i < ctx->triggers.n; i++) {
        struct pa_trigger *t = &ctx->triggers.v[i];
        if (t->channel || !t->function) continue;
        for (size_t j = 0; j < s->fns.n; j++)
            if (strcmp(s->fns.v[j].name, t->function) == 0) {
                t->channel = pa_xstrdup(s->fns.v[j].channel);
                break;
            }
    }
}

void pa_disc_python(struct pa_context *ctx, const char *spec, const char *source)
{
    struct pa_disc_state *s = pa_disc_state_get(ctx);
    s->python_seen = true;
    char *v = pa_disc_major_minor(spec);
    if (v) pa_disc_tech_offer(&s->python, "Python", v, source);
    free(v);
}

/* URL scheme → database name; NULL when not a database URL. */
static const char *scheme_db(const char *scheme, size_t n)
{
    static const struct { const char *pfx; const char *db; } map[] = {
        {"postgresql", "PostgreSQL"}, {"postgres", "PostgreSQL"}, {"pgsql", "PostgreSQL"},
        {"cockroachdb", "CockroachDB"}, {"mysql", "MySQL"}, {"mariadb", "MariaDB"},
        {"sqlite", "SQLite"}, {"mssql", "SQL Server"}, {"oracle", "Oracle"}, {"mongodb", "MongoDB"},
    };
    for (size_t i = 0; i < sizeof map / sizeof *map; i++) {
        size_t k = strlen(map[i].pfx);
        if (n >= k && strncasecmp(scheme, map[i].pfx, k) == 0 && (n == k || scheme[k] == '+'))
            return map[i].db;
    }
    return NULL;
}

void pa_disc_db_url(struct pa_context *ctx, const char *key, const char *value, const char *path)
{
    if (!value) return;
    while (*value == ' ' || *value == '"' || *value == '\'') value++;
    const char *colon = strstr(value, "://");
    if (!colon) return;
    size_t n = (size_t)(colon - value);
    if (n == 0 || n > 40) return;
    for (size_t i = 0; i < n; i++)
        if (!(isalnum((unsigned char)value[i]) || value[i] == '+' || value[i] == '_')) return;
    const char *db = scheme_db(value, n);
    if (!db) return;
    struct pa_disc_state *s = pa_disc_state_get(ctx);
    const char *plus = memchr(value, '+', n);
    if (plus) {
        static const char *const async_drivers[] = {"asyncpg", "aiosqlite", "asyncmy", "aiomysql", "psycopg_async"};
        size_t dn = n - (size_t)(plus + 1 - value);
        for (size_t i = 0; i < sizeof async_drivers / sizeof *async_drivers; i++)
            if (dn == strlen(async_drivers[i]) && strncmp(plus + 1, async_drivers[i], dn) == 0) s->url_async_driver = true;
    }
    /* never copy credentials: the evidence names the key and the scheme only */
    char *src = pa_xasprintf("%s: %s %.*s", path, key ? key : "url", (int)n, value);
    pa_disc_tech_offer(&s->db_url, db, NULL, src);
    free(src);
}
