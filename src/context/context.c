/* context.c - the context store: lifecycle, notes, tech slots, dependency and
 * trigger lookups, and its JSON form (the contextStore printed by
 * --print-context and embedded as "context" in --format json).
 *
 * Every string is heap-owned by the context and released by
 * pa_context_free; once discovery is finished the context is read-only and
 * safe to read from any thread. */
#include "pa/context.h"

#include <cjson/cJSON.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "discovery/disc_internal.h"

void pa_context_init(struct pa_context *ctx, const char *root)
{
    memset(ctx, 0, sizeof *ctx);
    ctx->root = pa_xstrdup(root ? root : ".");
}

static void tech_free(struct pa_tech *t)
{
    free(t->name);
    free(t->version);
    free(t->source);
    memset(t, 0, sizeof *t);
}

void pa_context_free(struct pa_context *ctx)
{
    free(ctx->root);
    tech_free(&ctx->database);
    tech_free(&ctx->orm);
    tech_free(&ctx->framework);
    tech_free(&ctx->async_runtime);
    tech_free(&ctx->task_queue);
    tech_free(&ctx->language);
    for (size_t i = 0; i < ctx->deps.n; i++) {
        free(ctx->deps.v[i].name);
        free(ctx->deps.v[i].version);
        free(ctx->deps.v[i].source);
    }
    pa_vec_free(&ctx->deps);
    for (size_t i = 0; i < ctx->manifests.n; i++) free(ctx->manifests.v[i]);
    pa_vec_free(&ctx->manifests);
    for (size_t i = 0; i < ctx->sessions.n; i++) {
        free(ctx->sessions.v[i].path);
        free(ctx->sessions.v[i].factory);
        free(ctx->sessions.v[i].name);
        free(ctx->sessions.v[i].isolation_level);
    }
    pa_vec_free(&ctx->sessions);
    for (size_t i = 0; i < ctx->triggers.n; i++) {
        struct pa_trigger *t = &ctx->triggers.v[i];
        free(t->name);
        free(t->table);
        free(t->event);
        free(t->function);
        free(t->channel);
        free(t->source);
    }
    pa_vec_free(&ctx->triggers);
    for (size_t i = 0; i < ctx->adrs.n; i++) {
        struct pa_adr *a = &ctx->adrs.v[i];
        free(a->id);
        free(a->title);
        free(a->path);
        free(a->status);
        free(a->text);
    }
    pa_vec_free(&ctx->adrs);
    for (size_t i = 0; i < ctx->realtime_channels.n; i++) free(ctx->realtime_channels.v[i]);
    pa_vec_free(&ctx->realtime_channels);
    free(ctx->team_id);
    free(ctx->tech_stack_doc);
    for (size_t i = 0; i < ctx->notes.n; i++) {
        free(ctx->notes.v[i].path);
        free(ctx->notes.v[i].message);
    }
    pa_vec_free(&ctx->notes);
    if (ctx->best_practices) cJSON_Delete(ctx->best_practices);
    if (ctx->disc) pa_disc_state_free(ctx->disc);
    memset(ctx, 0, sizeof *ctx);
}

void pa_context_note(struct pa_context *ctx, const char *path, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    pa_buf b;
    pa_buf_init(&b);
    pa_buf_vprintf(&b, fmt, ap);
    va_end(ap);
    struct pa_context_note n = {pa_xstrdup(path ? path : ""), pa_buf_take(&b)};
    pa_vec_push(&ctx->notes, n);
}

void pa_tech_set(struct pa_tech *t, const char *name, const char *version, const char *source)
{
    if (t->name || !name) return;
    t->name = pa_xstrdup(name);
    t->version = version ? pa_xstrdup(version) : NULL;
    t->source = source ? pa_xstrdup(source) : NULL;
}

const struct pa_dep *pa_context_dep(const struct pa_context *ctx, const char *name)
{
    if (!name) return NULL;
    for (size_t i = 0; i < ctx->deps.n; i++)
        if (strcmp(ctx->deps.v[i].name, name) == 0) return &ctx->deps.v[i];
    return NULL;
}

const struct pa_trigger *pa_context_notify_trigger(const struct pa_context *ctx, const char *table)
{
    if (!table) return NULL;
    for (size_t i = 0; i < ctx->triggers.n; i++) {
        const struct pa_trigger *t = &ctx->triggers.v[i];
        if (t->channel && t->table && pa_str_ieq(t->table, table)) return t;
    }
    return NULL;
}

/* ---- JSON --------------------------------------------------------------- */

static void add_str_or_null(cJSON *o, const char *key, const char *s)
{
    if (s) cJSON_AddStringToObject(o, key, s);
    else cJSON_AddNullToObject(o, key);
}

static void add_tri(cJSON *o, const char *key, int v)
{
    if (v < 0) cJSON_AddNullToObject(o, key);
    else cJSON_AddBoolToObject(o, key, v != 0);
}

static void add_long(cJSON *o, const char *key, long v)
{
    if (v < 0) cJSON_AddNullToObject(o, key);
    else cJSON_AddNumberToObject(o, key, (double)v);
}

static cJSON *tech_json(const struct pa_tech *t)
{
    cJSON *o = cJSON_CreateObject();
    add_str_or_null(o, "name", t->name);
    add_str_or_null(o, "version", t->version);
    add_str_or_null(o, "source", t->source);
    return o;
}

cJSON *pa_context_to_json(const struct pa_context *ctx)
{
    cJSON *root = cJSON_CreateObject();
    add_str_or_null(root, "root", ctx->root);

    cJSON *ts = cJSON_AddObjectToObject(root, "tech_stack");
    cJSON_AddItemToObject(ts, "language", tech_json(&ctx->language));
    cJSON_AddItemToObject(ts, "database", tech_json(&ctx->database));
    cJSON *orm = cJSON_CreateObject();
    add_str_or_null(orm, "name", ctx->orm.name);
    add_str_or_null(orm, "version", ctx->orm.version);
    cJSON_AddBoolToObject(orm, "async", ctx->orm_async);
    add_str_or_null(orm, "source", ctx->orm.source);
    cJSON_AddItemToObject(ts, "orm", orm);
    cJSON_AddItemToObject(ts, "framework", tech_json(&ctx->framework));
    cJSON_AddItemToObject(ts, "async_runtime", tech_json(&ctx->async_runtime));
    cJSON_AddItemToObject(ts, "task_queue", tech_json(&ctx->task_queue));
    add_str_or_null(ts, "doc", ctx->tech_stack_doc);

    cJSON *deps = cJSON_AddArrayToObject(root, "dependencies");
    for (size_t i = 0; i < ctx->deps.n; i++) {
        cJSON *d = cJSON_CreateObject();
        cJSON_AddStringToObject(d, "name", ctx->deps.v[i].name);
        add_str_or_null(d, "version", ctx->deps.v[i].version);
        add_str_or_null(d, "source", ctx->deps.v[i].source);
        cJSON_AddItemToArray(deps, d);
    }

    cJSON *man = cJSON_AddArrayToObject(root, "manifests");
    for (size_t i = 0; i < ctx->manifests.n; i++) cJSON_AddItemToArray(man, cJSON_CreateString(ctx->manifests.v[i]));

    cJSON *dbc = cJSON_AddObjectToObject(root, "db_config");
    cJSON *sess = cJSON_AddArrayToObject(dbc, "sessions");
    for (size_t i = 0; i < ctx->sessions.n; i++) {
        const struct pa_session_cfg *s = &ctx->sessions.v[i];
        cJSON *o = cJSON_CreateObject();
        add_str_or_null(o, "path", s->path);
        cJSON_AddNumberToObject(o, "line", s->line);
        add_str_or_null(o, "factory", s->factory);
        add_str_or_null(o, "name", s->name);
        add_tri(o, "expire_on_commit", s->expire_on_commit);
        add_tri(o, "autoflush", s->autoflush);
        add_tri(o, "autocommit", s->autocommit);
        add_long(o, "pool_size", s->pool_size);
        add_long(o, "max_overflow", s->max_overflow);
        add_str_or_null(o, "isolation_level", s->isolation_level);
        cJSON_AddBoolToObject(o, "async", s->is_async);
        cJSON_AddItemToArray(sess, o);
    }

    cJSON *trg = cJSON_AddArrayToObject(root, "triggers");
    for (size_t i = 0; i < ctx->triggers.n; i++) {
        const struct pa_trigger *t = &ctx->triggers.v[i];
        cJSON *o = cJSON_CreateObject();
        add_str_or_null(o, "name", t->name);
        add_str_or_null(o, "table", t->table);
        add_str_or_null(o, "event", t->event);
        add_str_or_null(o, "function", t->function);
        add_str_or_null(o, "notifies", t->channel);
        add_str_or_null(o, "source", t->source);
        cJSON_AddItemToArray(trg, o);
    }

    cJSON *rt = cJSON_AddObjectToObject(root, "realtime");
    cJSON_AddBoolToObject(rt, "consumer", ctx->has_realtime_consumer);
    cJSON *ch = cJSON_AddArrayToObject(rt, "channels");
    for (size_t i = 0; i < ctx->realtime_channels.n; i++)
        cJSON_AddItemToArray(ch, cJSON_CreateString(ctx->realtime_channels.v[i]));

    cJSON_AddBoolToObject(root, "django_atomic_requests", ctx->django_atomic_requests);

    cJSON *adrs = cJSON_AddArrayToObject(root, "adrs");
    for (size_t i = 0; i < ctx->adrs.n; i++) {
        const struct pa_adr *a = &ctx->adrs.v[i];
        cJSON *o = cJSON_CreateObject();
        add_str_or_null(o, "id", a->id);
        add_str_or_null(o, "title", a->title);
        add_str_or_null(o, "path", a->path);
        add_str_or_null(o, "status", a->status);
        cJSON_AddItemToArray(adrs, o);
    }

    add_str_or_null(root, "team_id", ctx->team_id);
    if (ctx->best_practices && cJSON_IsArray(ctx->best_practices)) {
        /* CONTRACT.md shows best_practices as an object: entries grouped by
         * technology ("sqlalchemy": [...], "postgresql": [...]), each group in
         * the (sorted) order of the selection, groups in first-seen order. */
        cJSON *bp = cJSON_AddObjectToObject(root, "best_practices");
        const cJSON *e;
        cJSON_ArrayForEach(e, ctx->best_practices) {
            const cJSON *tech = cJSON_GetObjectItemCaseSensitive(e, "tech");
            const char *key = cJSON_IsString(tech) ? tech->valuestring : "other";
            cJSON *group = cJSON_GetObjectItemCaseSensitive(bp, key);
            if (!group) group = cJSON_AddArrayToObject(bp, key);
            cJSON_AddItemToArray(group, cJSON_Duplicate(e, true));
        }
    } else {
        cJSON_AddObjectToObject(root, "best_practices");
    }

    cJSON *notes = cJSON_AddArrayToObject(root, "notes");
    for (size_t i = 0; i < ctx->notes.n; i++) {
        cJSON *o = cJSON_CreateObject();
        add_str_or_null(o, "path", ctx->notes.v[i].path);
        add_str_or_null(o, "message", ctx->notes.v[i].message);
        cJSON_AddItemToArray(notes, o);
    }
    return root;
}
