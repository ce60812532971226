/* from_facts.c - post-parse discovery from code facts (single thread, after
 * the parse pool; the facts are frozen and only read):
 * - engine / session factory configuration: calls to create_engine,
 *   create_async_engine, sessionmaker, async_sessionmaker, scoped_session,
 *   async_scoped_session with their keyword arguments and the bound name;
 * - imports revealing the stack (web framework, ORM, drivers, task queue);
 * - realtime consumers: SSE (EventSourceResponse, StreamingResponse with
 *   text/event-stream), WebSocket endpoints (@app.websocket, WebSocket
 *   parameters, Django Channels consumers), LISTEN (asyncpg add_listener,
 *   "LISTEN ch" SQL strings, psycopg notifies);
 * - Django ATOMIC_REQUESTS = True in a DATABASES setting. */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "discovery/disc_internal.h"
#include "pa/discovery.h"

static const char *const g_factories[] = {
    "create_engine", "create_async_engine", "sessionmaker", "async_sessionmaker", "scoped_session",
    "async_scoped_session",
};

static const struct { const char *module; int bit; } g_imports[] = {
    {"fastapi", PA_IMP_FASTAPI}, {"starlette", PA_IMP_STARLETTE}, {"django", PA_IMP_DJANGO},
    {"flask", PA_IMP_FLASK}, {"aiohttp", PA_IMP_AIOHTTP}, {"sqlalchemy", PA_IMP_SQLALCHEMY},
    {"sqlmodel", PA_IMP_SQLMODEL}, {"asyncpg", PA_IMP_ASYNCPG}, {"psycopg", PA_IMP_PSYCOPG},
    {"psycopg2", PA_IMP_PSYCOPG2}, {"aiosqlite", PA_IMP_AIOSQLITE}, {"celery", PA_IMP_CELERY},
    {"arq", PA_IMP_ARQ}, {"rq", PA_IMP_RQ}, {"dramatiq", PA_IMP_DRAMATIQ},
};

static void mark_import(struct pa_disc_state *s, int bit, const char *path, uint32_t line)
{
    if (s->imports & (1u << bit)) return;
    s->imports |= 1u << bit;
    s->import_src[bit] = pa_xasprintf("%s:%u", path, line);
}

static void scan_imports(struct pa_disc_state *s, const struct pa_file_facts *f)
{
    for (size_t i = 0; i < f->imports.n; i++) {
        const struct pa_import *im = &f->imports.v[i];
        if (im->level || !im->module) continue;
        const char *m = im->module;
        size_t top = strcspn(m, ".");
        for (size_t k = 0; k < sizeof g_imports / sizeof *g_imports; k++)
            if (strlen(g_imports[k].module) == top && strncmp(m, g_imports[k].module, top) == 0)
                mark_import(s, g_imports[k].bit, f->path, im->line);
        if (pa_str_starts(m, "sqlalchemy.ext.asyncio") ||
            (strcmp(m, "sqlalchemy.ext") == 0 && pa_str_eq(im->name, "asyncio")))
            mark_import(s, PA_IMP_SQLALCHEMY_ASYNC, f->path, im->line);
    }
}

/* "False"/"True" → 0/1, anything else (a variable) → -1. */
static int tri(const struct pa_arg *a)
{
    if (!a->text) return -1;
    if (strcmp(a->text, "True") == 0) return 1;
    if (strcmp(a->text, "False") == 0) return 0;
    return -1;
}

static long num(const struct pa_arg *a)
{
    if (!a->text || a->kind != PA_EXPR_NUM) return -1;
    char *end;
    long v = strtol(a->text, &end, 10);
    return end != a->text && v >= 0 ? v : -1;
}

/* Unquoted text of a string literal argument (owned), NULL if not a plain literal. */
static char *str_lit(const char *t)
{
    if (!t) return NULL;
    while (*t && strchr("rRbBuU", *t)) t++;
    size_t n = strlen(t);
    if (n >= 6 && (strncmp(t, "\"\"\"", 3) == 0 || strncmp(t, "'''", 3) == 0)) return pa_xstrndup(t + 3, n - 6);
    if (n >= 2 && (t[0] == '"' || t[0] == '\'') && t[n - 1] == t[0]) return pa_xstrndup(t + 1, n - 2);
    return NULL;
}

static void session_cfg(struct pa_context *ctx, const struct pa_file_facts *f, size_t ci)
{
    const struct pa_call *c = &f->calls.v[ci];
    struct pa_session_cfg s = {0};
    s.path = pa_xstrdup(f->path);
    s.line = c->line;
    s.factory = pa_xstrdup(c->attr);
    s.expire_on_commit = s.autoflush = s.autocommit = -1;
    s.pool_size = s.max_overflow = -1;
    s.is_async = strcmp(c->attr, "create_async_engine") == 0 || strcmp(c->attr, "async_sessionmaker") == 0 ||
                 strcmp(c->attr, "async_scoped_session") == 0;
    for (uint16_t i = 0; i < c->nargs; i++) {
        const struct pa_arg *a = &c->args[i];
        if (!a->kw && i == 0 && a->kind == PA_EXPR_STR && strstr(c->attr, "engine")) {
            /* create_engine("postgresql+psycopg://…"): the URL names the database */
            char *url = str_lit(a->text);
            if (url) {
                char *where = pa_xasprintf("%s:%u", f->path, c->line);
                pa_disc_db_url(ctx, c->attr, url, where);
                free(where);
                free(url);
            }
        }
        if (!a->kw) continue;
        if (strcmp(a->kw, "expire_on_commit") == 0) s.expire_on_commit = tri(a);
        else if (strcmp(a->kw, "autoflush") == 0) s.autoflush = tri(a);
        else if (strcmp(a->kw, "autocommit") == 0) s.autocommit = tri(a);
        else if (strcmp(a->kw, "pool_size") == 0) s.pool_size = num(a);
        else if (strcmp(a->kw, "max_overflow") == 0) s.max_overflow = num(a);
        else if (strcmp(a->kw, "isolation_level") == 0) {
            char *v = str_lit(a->text);
            s.isolation_level = v ? v : (a->text ? pa_xstrdup(a->text) : NULL);
        } else if (strcmp(a->kw, "class_") == 0 && a->text && strstr(a->text, "AsyncSession")) {
            s.is_async = true;
        }
    }
    for (size_t i = 0; i < f->assigns.n; i++)
        if (f->assigns.v[i].value_call == (int32_t)ci && f->assigns.v[i].target) {
            s.name = pa_xstrdup(f->assigns.v[i].target);
            break;
        }
    if (s.is_async) pa_disc_state_get(ctx)->async_sessions = true;
    pa_vec_push(&ctx->sessions, s);
}

static void add_channel(struct pa_context *ctx, const char *ch, size_t n)
{
    if (!n || n > 128) return;
    char *c = pa_xstrndup(ch, n);
    for (size_t i = 0; i < ctx->realtime_channels.n; i++)
        if (strcmp(ctx->realtime_channels.v[i], c) == 0) { free(c); return; }
    pa_vec_push(&ctx->realtime_channels, c);
}

/* "LISTEN name" / 'LISTEN "name"' inside a string literal argument. */
static void listen_in_text(struct pa_context *ctx, const char *t)
{
    for (const char *p = t; *p; p++) {
        if (strncasecmp(p, "listen", 6) != 0) continue;
        if (p > t && (isalnum((unsigned char)p[-1]) || p[-1] == '_')) continue;
        const char *q = p + 6;
        if (*q != ' ' && *q != '\t') continue;
        while (*q == ' ' || *q == '\t') q++;
        bool quoted = *q == '"';
        if (quoted) q++;
        size_t n = 0;
        while (isalnum((unsigned char)q[n]) || q[n] == '_' || (quoted && q[n] && q[n] != '"' && q[n] != '\\')) n++;
        if (n && (isalpha((unsigned char)q[0]) || q[0] == '_' || quoted)) {
            ctx->has_realtime_consumer = true;
            add_channel(ctx, q, n);
        }
        return;
    }
}

static void scan_calls(struct pa_context *ctx, const struct pa_file_facts *f)
{
    for (size_t i = 0; i < f->calls.n; i++) {
        const struct pa_call *c = &f->calls.v[i];
        const char *attr = c->attr ? c->attr : "";
        for (size_t k = 0; k < sizeof g_factories / sizeof *g_factories; k++)
            if (attr[0] == g_factories[k][0] && strcmp(attr, g_factories[k]) == 0) { session_cfg(ctx, f, i); break; }
        if (strcmp(attr, "EventSourceResponse") == 0 || strcmp(attr, "ServerSentEvent") == 0) ctx->has_realtime_consumer = true;
        if (c->flags & PA_CALL_DECORATOR) {
            if (strcmp(attr, "websocket") == 0 || strcmp(attr, "websocket_route") == 0 || strcmp(attr, "ws") == 0)
                ctx->has_realtime_consumer = true;
        }
        if (c->callee && strstr(c->callee, "notifies")) ctx->has_realtime_consumer = true;
        bool streaming = strcmp(attr, "StreamingResponse") == 0, listener = strcmp(attr, "add_listener") == 0;
        for (uint16_t a = 0; a < c->nargs; a++) {
            const struct pa_arg *arg = &c->args[a];
            if (!arg->text) continue;
            if (streaming && strstr(arg->text, "text/event-stream")) ctx->has_realtime_consumer = true;
            if (listener && a == 0 && !arg->kw && arg->kind == PA_EXPR_STR) {
                char *ch = str_lit(arg->text);
                ctx->has_realtime_consumer = true;
                if (ch) add_channel(ctx, ch, strlen(ch));
                free(ch);
            }
            if (arg->kind == PA_EXPR_STR) listen_in_text(ctx, arg->text);
        }
    }
}

static void scan_defs(struct pa_context *ctx, const struct pa_file_facts *f)
{
    for (size_t i = 0; i < f->funcs.n; i++) {
        const struct pa_func *fn = &f->funcs.v[i];
        for (uint16_t d = 0; d < fn->ndecorators; d++) {
            const char *dec = fn->decorators[d];
            if (!dec) continue;
            if (strstr(dec, ".websocket(") || strstr(dec, ".websocket_route(") || pa_str_starts(dec, "websocket(") ||
                strstr(dec, "sse_endpoint"))
                ctx->has_realtime_consumer = true;
        }
        for (uint16_t p = 0; p < fn->nparams; p++) {
            const char *ann = fn->params[p].annotation;
            if (ann && (strcmp(ann, "WebSocket") == 0 || pa_str_ends(ann, ".WebSocket"))) ctx->has_realtime_consumer = true;
        }
    }
    for (size_t i = 0; i < f->classes.n; i++) {
        const struct pa_class *cl = &f->classes.v[i];
        for (uint16_t b = 0; b < cl->nbases; b++)
            if (cl->bases[b] && (strstr(cl->bases[b], "WebsocketConsumer") || strstr(cl->bases[b], "WebSocketEndpoint")))
                ctx->has_realtime_consumer = true;
    }
}

/* `"ATOMIC_REQUESTS": True` in an assigned dict, or DATABASES[...]["ATOMIC_REQUESTS"] = True. */
static bool atomic_text(const char *t)
{
    const char *p = t ? strstr(t, "ATOMIC_REQUESTS") : NULL;
    if (!p) return false;
    p += 15;
    while (*p == '"' || *p == '\'' || *p == ' ') p++;
    if (*p != ':' && *p != '=') return false;
    p++;
    while (*p == ' ') p++;
    return strncmp(p, "True", 4) == 0;
}

static void scan_assigns(struct pa_context *ctx, const struct pa_file_facts *f)
{
    for (size_t i = 0; i < f->assigns.n; i++) {
        const struct pa_assign *a = &f->assigns.v[i];
        if (atomic_text(a->value)) ctx->django_atomic_requests = true;
        if (a->target && strstr(a->target, "ATOMIC_REQUESTS") && pa_str_eq(a->value, "True")) ctx->django_atomic_requests = true;
    }
}

void pa_discover_from_facts(struct pa_context *ctx, struct pa_file_facts *const *files, size_t n)
{
    struct pa_disc_state *s = pa_disc_state_get(ctx);
    if (n) s->python_seen = true;
    for (size_t i = 0; i < n; i++) {
        const struct pa_file_facts *f = files[i];
        if (!f) continue;
        scan_imports(s, f);
        scan_calls(ctx, f);
        scan_defs(ctx, f);
        scan_assigns(ctx, f);
    }
    if (ctx->realtime_channels.n > 1)
        qsort(ctx->realtime_channels.v, ctx->realtime_channels.n, sizeof *ctx->realtime_channels.v, pa_str_cmp_ptr);
}
