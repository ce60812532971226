/* knowledge.c - the best-practice knowledge base: parsing entries from YAML
 * (the embedded knowledge/<tech>.yaml and rule packs), version matching,
 * selection for the detected stack into ctx->best_practices, and the
 * per-rule advice the aggregator appends to recommendations.
 *
 * DESIGN: a pa_kb is built, used and freed on the main thread; the selected
 * entries live in the context's cJSON array, which is read-only once the
 * context is frozen (pa_knowledge_advice only reads it). */
#include "pa/knowledge.h"

#include <cjson/cJSON.h>
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "discovery/dtree.h"

#define KB_MAX_TEXT (1u << 20)   /* a knowledge document larger than this is refused */
#define KB_MAX_ADVICE_JOIN 2     /* at most this many advice texts are joined per rule */

/* generated/knowledge_data.c */
struct pa_knowledge_src { const char *name; const char *text; size_t len; };
extern const struct pa_knowledge_src pa_knowledge_sources[];

static const char *const KNOWN_TECH[] = {"sqlalchemy", "django", "postgresql", "mysql", "sqlite",
                                         "asyncio", "fastapi", "starlette", "celery", NULL};

void pa_kb_init(struct pa_kb *kb) { memset(kb, 0, sizeof *kb); }

static void entry_free(struct pa_kb_entry *e)
{
    free(e->id);
    free(e->tech);
    free(e->versions);
    for (size_t i = 0; i < e->rules.n; i++) free(e->rules.v[i]);
    pa_vec_free(&e->rules);
    free(e->statement);
    free(e->url);
    for (size_t i = 0; i < e->advice.n; i++) { free(e->advice.v[i].rule); free(e->advice.v[i].text); }
    pa_vec_free(&e->advice);
    free(e->origin);
    memset(e, 0, sizeof *e);
}

void pa_kb_free(struct pa_kb *kb)
{
    for (size_t i = 0; i < kb->entries.n; i++) entry_free(&kb->entries.v[i]);
    pa_vec_free(&kb->entries);
}

/* Text of a scalar node (strings, numbers written as "1.4"), else NULL. */
static const char *scalar(const struct pa_dn *n)
{
    if (!n) return NULL;
    if (n->kind == PA_DN_STR || n->kind == PA_DN_INT || n->kind == PA_DN_FLOAT || n->kind == PA_DN_OTHER)
        return n->str;
    return NULL;
}

static bool valid_id(const char *s)
{
    if (!s || !*s || strlen(s) > 128) return false;
    for (const char *p = s; *p; p++)
        if (!isalnum((unsigned char)*p) && *p != '-' && *p != '_' && *p != '.') return false;
    return true;
}

static bool valid_rule_id(const char *s)
{
    if (!s || !*s || strlen(s) > 32) return false;
    for (const char *p = s; *p; p++)
        if (!isalnum((unsigned char)*p) && *p != '_' && *p != '-') return false;
    return true;
}

static pa_status fail(char **err, const char *origin, uint32_t line, const char *fmt, const char *a, const char *b)
{
    char *m = pa_xasprintf(fmt, a ? a : "", b ? b : "");
    *err = pa_xasprintf("%s:%u: %s", origin, (unsigned)line, m);
    free(m);
    return PA_ERR_PARSE;
}

/* Parse one entry map into e (zeroed); on error e is freed. */
static pa_status parse_entry(const struct pa_dn *m, const char *origin, bool from_pack, struct pa_kb_entry *e,
                             char **err)
{
    memset(e, 0, sizeof *e);
    if (!m || m->kind != PA_DN_MAP)
        return fail(err, origin, m ? m->line : 0, "knowledge entry: expected a map%s%s", NULL, NULL);
    pa_status st = PA_OK;
    for (size_t i = 0; i < m->n && st == PA_OK; i++) {
        const char *k = m->keys[i]->str;
        const struct pa_dn *v = m->vals[i];
        const char *s = scalar(v);
        if (!strcmp(k, "id") || !strcmp(k, "tech") || !strcmp(k, "versions") || !strcmp(k, "statement") ||
            !strcmp(k, "url")) {
            if (!s) { st = fail(err, origin, v->line, "knowledge entry: '%s' must be a string%s", k, NULL); break; }
            char **slot = !strcmp(k, "id") ? &e->id : !strcmp(k, "tech") ? &e->tech
                        : !strcmp(k, "versions") ? &e->versions : !strcmp(k, "statement") ? &e->statement : &e->url;
            free(*slot);
            *slot = pa_xstrdup(s);
        } else if (!strcmp(k, "rules")) {
            if (v->kind != PA_DN_SEQ) { st = fail(err, origin, v->line, "knowledge entry: 'rules' must be a list of rule ids%s%s", NULL, NULL); break; }
            for (size_t j = 0; j < v->n; j++) {
                const char *r = pa_dn_str(v->vals[j]);
                if (!valid_rule_id(r)) { st = fail(err, origin, v->vals[j]->line, "knowledge entry: bad rule id '%s'%s", r ? r : "", NULL); break; }
                pa_vec_push(&e->rules, pa_xstrdup(r));
            }
        } else if (!strcmp(k, "advice")) {
            if (v->kind == PA_DN_NULL) continue;
            if (v->kind != PA_DN_MAP) { st = fail(err, origin, v->line, "knowledge entry: 'advice' must map rule ids to text%s%s", NULL, NULL); break; }
            for (size_t j = 0; j < v->n; j++) {
                const char *r = v->keys[j]->str, *t = pa_dn_str(v->vals[j]);
                if (!valid_rule_id(r) || !t || !*t) { st = fail(err, origin, v->keys[j]->line, "knowledge entry: advice for '%s' must be non-empty text%s", r, NULL); break; }
                struct pa_kb_advice a = {pa_xstrdup(r), pa_xstrdup(t)};
                pa_vec_push(&e->advice, a);
            }
        } else {
            st = fail(err, origin, m->keys[i]->line,
                      "knowledge entry: unknown key '%s' (known: id, tech, versions, rules, statement, url, advice)%s", k, NULL);
        }
    }
    if (st == PA_OK) {
        if (!valid_id(e->id)) st = fail(err, origin, m->line, "knowledge entry: missing or invalid 'id' (letters, digits, '.', '-', '_')%s%s", NULL, NULL);
        else if (!e->tech) st = fail(err, origin, m->line, "knowledge entry %s: missing 'tech'%s", e->id, NULL);
        else if (!e->statement || !*e->statement) st = fail(err, origin, m->line, "knowledge entry %s: missing 'statement'%s", e->id, NULL);
        else if (!e->url || !(pa_str_starts(e->url, "https://") || pa_str_starts(e->url, "http://")) || strchr(e->url, ' '))
            st = fail(err, origin, m->line, "knowledge entry %s: 'url' must be an http(s) URL%s", e->id, NULL);
        else {
            bool known = false;
            for (size_t t = 0; KNOWN_TECH[t] && !known; t++) known = pa_str_eq(KNOWN_TECH[t], e->tech);
            if (!known)
                st = fail(err, origin, m->line,
                          "knowledge entry %s: unknown tech '%s' (known: sqlalchemy, django, postgresql, mysql, sqlite, asyncio, fastapi, starlette, celery)",
                          e->id, e->tech);
        }
    }
    if (st != PA_OK) { entry_free(e); return st; }
    e->origin = pa_xstrdup(origin);
    e->from_pack = from_pack;
    return PA_OK;
}

pa_status pa_kb_add_list(struct pa_kb *kb, const struct pa_dn *seq, const char *origin, bool from_pack, char **err)
{
    *err = NULL;
    if (!seq || seq->kind == PA_DN_NULL) return PA_OK;
    if (seq->kind != PA_DN_SEQ) return fail(err, origin, seq->line, "'knowledge' must be a list of entries%s%s", NULL, NULL);
    for (size_t i = 0; i < seq->n; i++) {
        struct pa_kb_entry e;
        pa_status st = parse_entry(seq->vals[i], origin, from_pack, &e, err);
        if (st != PA_OK) return st;
        size_t j = 0;
        while (j < kb->entries.n && !pa_str_eq(kb->entries.v[j].id, e.id)) j++;
        if (j < kb->entries.n) {   /* a later definition (a pack) replaces an earlier one */
            entry_free(&kb->entries.v[j]);
            kb->entries.v[j] = e;
        } else {
            pa_vec_push(&kb->entries, e);
        }
    }
    return PA_OK;
}

pa_status pa_kb_add_yaml(struct pa_kb *kb, const char *text, size_t len, const char *origin, bool from_pack,
                         char **err)
{
    *err = NULL;
    if (len > KB_MAX_TEXT) { *err = pa_xasprintf("%s: larger than %u bytes", origin, KB_MAX_TEXT); return PA_ERR_LIMIT; }
    struct pa_doc d;
    pa_doc_init(&d);
    uint32_t line = 0;
    char *msg = NULL;
    pa_status st = pa_yaml_load(&d, text, len, &line, &msg);
    if (st != PA_OK) {
        *err = pa_xasprintf("%s:%u: %s", origin, (unsigned)line, msg ? msg : "invalid YAML");
        free(msg);
    } else if (d.root && d.root->kind != PA_DN_MAP) {
        *err = pa_xasprintf("%s:%u: expected a map with a 'knowledge' list", origin, (unsigned)d.root->line);
        st = PA_ERR_PARSE;
    } else if (d.root) {
        st = pa_kb_add_list(kb, pa_dn_get(d.root, "knowledge"), origin, from_pack, err);
    }
    pa_doc_free(&d);
    return st;
}

void pa_kb_merge(struct pa_kb *dst, const struct pa_kb *src)
{
    for (size_t i = 0; i < src->entries.n; i++) {
        const struct pa_kb_entry *e = &src->entries.v[i];
        struct pa_kb_entry c;
        memset(&c, 0, sizeof c);
        c.id = pa_xstrdup(e->id);
        c.tech = pa_xstrdup(e->tech);
        c.versions = e->versions ? pa_xstrdup(e->versions) : NULL;
        for (size_t r = 0; r < e->rules.n; r++) pa_vec_push(&c.rules, pa_xstrdup(e->rules.v[r]));
        c.statement = pa_xstrdup(e->statement);
        c.url = pa_xstrdup(e->url);
        for (size_t a = 0; a < e->advice.n; a++) {
            struct pa_kb_advice adv = {pa_xstrdup(e->advice.v[a].rule), pa_xstrdup(e->advice.v[a].text)};
            pa_vec_push(&c.advice, adv);
        }
        c.origin = pa_xstrdup(e->origin);
        c.from_pack = e->from_pack;
        size_t j = 0;
        while (j < dst->entries.n && !pa_str_eq(dst->entries.v[j].id, c.id)) j++;
        if (j < dst->entries.n) {
            entry_free(&dst->entries.v[j]);
            dst->entries.v[j] = c;
        } else {
            pa_vec_push(&dst->entries, c);
        }
    }
}

pa_status pa_kb_load_builtin(struct pa_kb *kb, char **err)
{
    for (size_t i = 0; pa_knowledge_sources[i].name; i++) {
        pa_status st = pa_kb_add_yaml(kb, pa_knowledge_sources[i].text, pa_knowledge_sources[i].len,
                                      pa_knowledge_sources[i].name, false, err);
        if (st != PA_OK) return st;
    }
    return PA_OK;
}

/* ---- versions ----------------------------------------------------------- */
#define VMAX 4

/* Parse the first dotted number in s into v[]; returns the component count (0 = none). */
static int parse_version(const char *s, long v[VMAX], const char **end)
{
    memset(v, 0, sizeof(long) * VMAX);
    if (end) *end = s;
    if (!s) return 0;
    while (*s && !isdigit((unsigned char)*s)) s++;
    int n = 0;
    while (*s && isdigit((unsigned char)*s) && n < VMAX) {
        long x = 0;
        while (isdigit((unsigned char)*s)) { if (x < 100000000) x = x * 10 + (*s - '0'); s++; }
        v[n++] = x;
        if (*s == '.' && isdigit((unsigned char)s[1])) s++;
        else break;
    }
    while (isdigit((unsigned char)*s) || *s == '.') s++;
    if (end) *end = s;
    return n;
}

static int vcmp(const long a[VMAX], const long b[VMAX])
{
    for (int i = 0; i < VMAX; i++)
        if (a[i] != b[i]) return a[i] < b[i] ? -1 : 1;
    return 0;
}

/* One clause: ">=2.0", "<3", "==1.4", "!=1.4.3", "~=1.4", "1.4", "1.4.*". */
static bool clause_matches(const char *c, size_t n, const long ver[VMAX])
{
    char buf[64];
    if (n >= sizeof buf) n = sizeof buf - 1;
    memcpy(buf, c, n);
    buf[n] = '\0';
    char *p = pa_str_trim(buf);
    if (!*p || !strcmp(p, "*")) return true;
    char op[3] = {0};
    size_t k = 0;
    while (k < 2 && (p[k] == '<' || p[k] == '>' || p[k] == '=' || p[k] == '!' || p[k] == '~')) { op[k] = p[k]; k++; }
    long want[VMAX];
    int nw = parse_version(p + k, want, NULL);
    if (nw == 0) return false;  /* unparseable clause never matches */
    int cmp = vcmp(ver, want);
    if (!strcmp(op, ">=") || !strcmp(op, "~=")) return cmp >= 0;
    if (!strcmp(op, ">")) return cmp > 0;
    if (!strcmp(op, "<=")) return cmp <= 0;
    if (!strcmp(op, "<")) return cmp < 0;
    bool prefix_eq = true;  /* "1.4" and "==1.4" match 1.4.x */
    for (int i = 0; i < nw; i++) prefix_eq = prefix_eq && ver[i] == want[i];
    if (!strcmp(op, "!=")) return !prefix_eq;
    if (!op[0] || !strcmp(op, "==") || !strcmp(op, "=")) return prefix_eq;
    return false;
}

static bool spec_is_any(const char *spec)
{
    if (!spec) return true;
    while (*spec == ' ') spec++;
    return !*spec || !strcmp(spec, "*");
}

bool pa_knowledge_version_matches(const char *spec, const char *version)
{
    if (spec_is_any(spec)) return true;
    long ver[VMAX];
    if (parse_version(version, ver, NULL) == 0) return false;
    for (const char *p = spec;;) {
        const char *q = strchr(p, ',');
        size_t n = q ? (size_t)(q - p) : strlen(p);
        if (!clause_matches(p, n, ver)) return false;
        if (!q) break;
        p = q + 1;
    }
    return true;
}

/* ---- selection ---------------------------------------------------------- */
/* A technology of the detected stack and the version its entries are matched against. */
struct stack_tech {
    const char *tech;      /* knowledge tech key */
    char *version;         /* detected version or NULL (owned) */
};

static char *version_of(const struct pa_context *ctx, const struct pa_tech *slot, const char *dep)
{
    long v[VMAX];
    if (slot && slot->version && parse_version(slot->version, v, NULL)) return pa_xstrdup(slot->version);
    const struct pa_dep *d = dep ? pa_context_dep(ctx, dep) : NULL;
    if (d && d->version && parse_version(d->version, v, NULL)) return pa_xstrdup(d->version);
    return NULL;
}

static void add_tech(struct stack_tech *t, size_t *n, const char *tech, char *version)
{
    for (size_t i = 0; i < *n; i++)
        if (!strcmp(t[i].tech, tech)) { free(version); return; }
    t[*n].tech = tech;
    t[*n].version = version;
    (*n)++;
}

static size_t detect_stack(const struct pa_context *ctx, struct stack_tech *t)
{
    size_t n = 0;
    const char *orm = ctx->orm.name, *fw = ctx->framework.name, *db = ctx->database.name;
    if (orm && (pa_str_ieq(orm, "SQLAlchemy") || pa_str_ieq(orm, "SQLModel")))
        add_tech(t, &n, "sqlalchemy", version_of(ctx, pa_str_ieq(orm, "SQLAlchemy") ? &ctx->orm : NULL, "sqlalchemy"));
    if ((orm && pa_str_ieq(orm, "Django ORM")) || (fw && pa_str_ieq(fw, "Django")))
        add_tech(t, &n, "django", version_of(ctx, fw && pa_str_ieq(fw, "Django") ? &ctx->framework : &ctx->orm, "django"));
    if (db && pa_str_ieq(db, "PostgreSQL")) add_tech(t, &n, "postgresql", version_of(ctx, &ctx->database, NULL));
    if (db && (pa_str_ieq(db, "MySQL") || pa_str_ieq(db, "MariaDB"))) add_tech(t, &n, "mysql", version_of(ctx, &ctx->database, NULL));
    if (db && pa_str_ieq(db, "SQLite")) add_tech(t, &n, "sqlite", version_of(ctx, &ctx->database, NULL));
    if (ctx->async_runtime.name && pa_str_ieq(ctx->async_runtime.name, "asyncio"))
        add_tech(t, &n, "asyncio", version_of(ctx, &ctx->language, NULL));  /* asyncio versions are Python's */
    if (fw && pa_str_ieq(fw, "FastAPI")) {
        add_tech(t, &n, "fastapi", version_of(ctx, &ctx->framework, "fastapi"));
        add_tech(t, &n, "starlette", version_of(ctx, NULL, "starlette"));  /* FastAPI is built on Starlette */
    }
    if (fw && pa_str_ieq(fw, "Starlette")) add_tech(t, &n, "starlette", version_of(ctx, &ctx->framework, "starlette"));
    if (ctx->task_queue.name && pa_str_ieq(ctx->task_queue.name, "Celery"))
        add_tech(t, &n, "celery", version_of(ctx, &ctx->task_queue, "celery"));
    return n;
}

/* Version assumed when a technology's version is unknown: the highest lower
 * bound written in that technology's entries (i.e. the newest release line
 * the knowledge base describes). Owned, or NULL when no entry is versioned. */
static char *assumed_version(const struct pa_kb *kb, const char *tech)
{
    long best[VMAX] = {0};
    bool any = false;
    for (size_t i = 0; i < kb->entries.n; i++) {
        const struct pa_kb_entry *e = &kb->entries.v[i];
        if (!pa_str_eq(e->tech, tech) || spec_is_any(e->versions)) continue;
        for (const char *p = e->versions; *p;) {
            while (*p == ' ' || *p == ',') p++;
            if (!*p) break;
            bool lower = *p != '<' && *p != '!';
            long v[VMAX];
            const char *end;
            if (parse_version(p, v, &end) && lower && (!any || vcmp(v, best) > 0)) { memcpy(best, v, sizeof best); any = true; }
            p = strchr(end, ',');
            if (!p) break;
        }
    }
    if (!any) return NULL;
    pa_buf b;
    pa_buf_init(&b);
    int last = VMAX - 1;
    while (last > 1 && best[last] == 0) last--;
    for (int i = 0; i <= last; i++) pa_buf_printf(&b, i ? ".%ld" : "%ld", best[i]);
    return pa_buf_take(&b);
}

static int cmp_entry_ptr(const void *a, const void *b)
{
    const struct pa_kb_entry *x = *(const struct pa_kb_entry *const *)a, *y = *(const struct pa_kb_entry *const *)b;
    return strcmp(x->id, y->id);
}

void pa_knowledge_select(struct pa_context *ctx, const struct pa_kb *kb)
{
    struct stack_tech techs[16];
    size_t nt = detect_stack(ctx, techs);
    char *assumed[16] = {0};
    for (size_t i = 0; i < nt; i++)
        if (!techs[i].version) assumed[i] = assumed_version(kb, techs[i].tech);

    const struct pa_kb_entry **sel = pa_xcalloc(kb->entries.n + 1, sizeof *sel);
    const char **sel_ver = pa_xcalloc(kb->entries.n + 1, sizeof *sel_ver);
    bool *sel_assumed = pa_xcalloc(kb->entries.n + 1, sizeof *sel_assumed);
    size_t ns = 0;
    for (size_t i = 0; i < kb->entries.n; i++) {
        const struct pa_kb_entry *e = &kb->entries.v[i];
        for (size_t t = 0; t < nt; t++) {
            if (!pa_str_eq(e->tech, techs[t].tech)) continue;
            const char *v = techs[t].version ? techs[t].version : assumed[t];
            if (!pa_knowledge_version_matches(e->versions, v)) break;
            sel[ns] = e;
            sel_ver[ns] = v;
            sel_assumed[ns] = !techs[t].version && v;
            ns++;
            break;
        }
    }
    /* sort by id, carrying the matched version along */
    size_t *order = pa_xcalloc(ns + 1, sizeof *order);
    const struct pa_kb_entry **sorted = pa_xcalloc(ns + 1, sizeof *sorted);
    memcpy(sorted, sel, ns * sizeof *sel);
    qsort(sorted, ns, sizeof *sorted, cmp_entry_ptr);
    for (size_t i = 0; i < ns; i++)
        for (size_t j = 0; j < ns; j++)
            if (sel[j] == sorted[i]) { order[i] = j; break; }

    cJSON *arr = cJSON_CreateArray();
    for (size_t i = 0; i < ns; i++) {
        const struct pa_kb_entry *e = sel[order[i]];
        cJSON *o = cJSON_CreateObject();
        cJSON_AddStringToObject(o, "id", e->id);
        cJSON_AddStringToObject(o, "tech", e->tech);
        if (e->versions) cJSON_AddStringToObject(o, "versions", e->versions);
        else cJSON_AddNullToObject(o, "versions");
        const char *mv = sel_ver[order[i]];
        if (mv) {
            char *m = sel_assumed[order[i]] ? pa_xasprintf("%s (assumed: version unknown)", mv) : pa_xstrdup(mv);
            cJSON_AddStringToObject(o, "matched_version", m);
            free(m);
        } else {
            cJSON_AddNullToObject(o, "matched_version");
        }
        cJSON *rules = cJSON_AddArrayToObject(o, "rules");
        for (size_t r = 0; r < e->rules.n; r++) cJSON_AddItemToArray(rules, cJSON_CreateString(e->rules.v[r]));
        cJSON_AddStringToObject(o, "statement", e->statement);
        cJSON_AddStringToObject(o, "url", e->url);
        cJSON *adv = cJSON_AddObjectToObject(o, "advice");
        for (size_t a = 0; a < e->advice.n; a++) cJSON_AddStringToObject(adv, e->advice.v[a].rule, e->advice.v[a].text);
        cJSON_AddStringToObject(o, "origin", e->origin);
        cJSON_AddBoolToObject(o, "from_pack", e->from_pack);
        cJSON_AddItemToArray(arr, o);
    }
    if (ctx->best_practices) cJSON_Delete(ctx->best_practices);
    ctx->best_practices = arr;
    free(order);
    free(sorted);
    free(sel);
    free(sel_ver);
    free(sel_assumed);
    for (size_t i = 0; i < nt; i++) { free(techs[i].version); free(assumed[i]); }
}

char *pa_knowledge_advice(const struct pa_context *ctx, const char *rule_id)
{
    if (!ctx || !rule_id || !ctx->best_practices || !cJSON_IsArray(ctx->best_practices)) return NULL;
    pa_buf b;
    pa_buf_init(&b);
    size_t n = 0;
    for (int pass = 0; pass < 2; pass++) {  /* pack entries first, then built-in ones */
        const cJSON *e;
        cJSON_ArrayForEach(e, ctx->best_practices) {
            bool from_pack = cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(e, "from_pack"));
            if (from_pack != (pass == 0) || n >= KB_MAX_ADVICE_JOIN) continue;
            const cJSON *t = cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(e, "advice"), rule_id);
            if (!cJSON_IsString(t) || !t->valuestring || !*t->valuestring) continue;
            if (b.len && strstr(b.s, t->valuestring)) continue;
            if (b.len) pa_buf_putc(&b, ' ');
            pa_buf_puts(&b, t->valuestring);
            n++;
        }
    }
    if (!b.len) { pa_buf_free(&b); return NULL; }
    return pa_buf_take(&b);
}
