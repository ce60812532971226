/* txmodel.c - the transaction model shared by PA201-PA205: per function, the
 * database events (reads, staged and executed writes, flush, commit,
 * rollback, begin) with their session keys, and the regions where a
 * transaction is open (begin()/atomic() blocks, @atomic, Django
 * ATOMIC_REQUESTS views, autobegun session transactions up to their commit,
 * FastAPI dependency sessions committed on exit). Also the realtime-consumer
 * scan PA201 grades with, and small text helpers.
 *
 * Classification order for a call: the ORM classifier (orm.h), then the
 * index's library signature (effects COMMIT/ROLLBACK/BEGIN/DB_*), then - for
 * receivers whose type the index cannot know (self.session, db from a
 * dependency) - the method name on a receiver that is named like a session
 * or connection. Unknown stays unknown: no event.
 *
 * DESIGN: see txn.h. Everything here is a pure function of the frozen input;
 * the model's memory is owned by the pa_txn_file being built.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "audit/transaction/txn.h"

/* ---- text helpers --------------------------------------------------------- */

char *pa_txn_receiver_key(const char *callee)
{
    if (!callee || !*callee || callee[0] == '?') return NULL;
    const char *paren = strchr(callee, '(');
    size_t n = paren ? (size_t)(paren - callee) : strlen(callee);
    /* strip the last component of the part before the first call */
    size_t dot = n;
    while (dot > 0 && callee[dot - 1] != '.') dot--;
    if (dot == 0) return NULL;
    if (dot - 1 == 0) return NULL;
    return pa_xstrndup(callee, dot - 1);
}

bool pa_txn_sessionish(const char *key)
{
    if (!key || !*key) return false;
    const char *last = pa_str_last_dot(key);
    char tok[64];
    size_t n = strlen(last);
    if (n == 0 || n >= sizeof tok) return false;
    for (size_t i = 0; i <= n; i++) tok[i] = (char)tolower((unsigned char)last[i]);
    static const char *const exact[] = {"db", "cur", "conn", "con", "cx", "tx", "txn", "uow", "database", "sess", "dbs", NULL};
    for (int i = 0; exact[i]; i++)
        if (strcmp(tok, exact[i]) == 0) return true;
    if (strstr(tok, "session") || strstr(tok, "conn") || strstr(tok, "cursor") || strstr(tok, "transaction"))
        return true;
    if (pa_str_ends(tok, "_db") || pa_str_starts(tok, "db_") || pa_str_ends(tok, "_uow") || pa_str_ends(tok, "_cur"))
        return true;
    return false;
}

pa_txn_wkind pa_txn_sql_kind(const char *lit)
{
    if (!lit) return PA_TXN_W_NONE;
    const char *q = lit;
    while (*q && *q != '\'' && *q != '"') q++;
    if (!*q) return PA_TXN_W_NONE;
    while (*q == '\'' || *q == '"') q++;
    while (*q && isspace((unsigned char)*q)) q++;
    if (strncasecmp(q, "UPDATE", 6) == 0 && !isalnum((unsigned char)q[6])) return PA_TXN_W_UPDATE;
    if (strncasecmp(q, "INSERT", 6) == 0 && !isalnum((unsigned char)q[6])) return PA_TXN_W_INSERT;
    if (strncasecmp(q, "DELETE", 6) == 0 && !isalnum((unsigned char)q[6])) return PA_TXN_W_DELETE;
    return PA_TXN_W_NONE;
}

char *pa_txn_sql_table(const char *lit)
{
    if (!lit) return NULL;
    const char *q = lit;
    while (*q && *q != '\'' && *q != '"') q++;
    if (!*q) return NULL;
    while (*q == '\'' || *q == '"') q++;
    while (*q && isspace((unsigned char)*q)) q++;
    const char *kw = NULL;
    if (strncasecmp(q, "UPDATE", 6) == 0) kw = q + 6;
    else if (strncasecmp(q, "INSERT", 6) == 0) {
        kw = q + 6;
        while (*kw && isspace((unsigned char)*kw)) kw++;
        if (strncasecmp(kw, "INTO", 4) != 0) return NULL;
        kw += 4;
    } else if (strncasecmp(q, "DELETE", 6) == 0) {
        kw = q + 6;
        while (*kw && isspace((unsigned char)*kw)) kw++;
        if (strncasecmp(kw, "FROM", 4) != 0) return NULL;
        kw += 4;
    }
    if (!kw || !isspace((unsigned char)*kw)) return NULL;
    while (*kw && isspace((unsigned char)*kw)) kw++;
    if (strncasecmp(kw, "ONLY", 4) == 0 && isspace((unsigned char)kw[4])) {
        kw += 4;
        while (*kw && isspace((unsigned char)*kw)) kw++;
    }
    /* [schema.]table, possibly quoted: keep the last component */
    const char *start = kw, *e = kw;
    while (*e && (isalnum((unsigned char)*e) || *e == '_' || *e == '.' || *e == '"')) e++;
    if (e == start) return NULL;
    const char *dot = NULL;
    for (const char *p = start; p < e; p++)
        if (*p == '.') dot = p;
    if (dot) start = dot + 1;
    pa_buf b;
    pa_buf_init(&b);
    for (const char *p = start; p < e; p++)
        if (*p != '"') pa_buf_putc(&b, (char)tolower((unsigned char)*p));
    return b.len ? pa_buf_take(&b) : (pa_buf_free(&b), NULL);
}

bool pa_txn_text_is_atomic(const char *text)
{
    if (!text) return false;
    while (*text == '@' || isspace((unsigned char)*text)) text++;
    size_t n = strcspn(text, "(");
    while (n > 0 && isspace((unsigned char)text[n - 1])) n--;
    if (n == 6 && strncmp(text, "atomic", 6) == 0) return true;
    return n > 7 && strncmp(text + n - 7, ".atomic", 7) == 0;
}

bool pa_txn_deferred_call(const struct pa_call *c)
{
    /* on_commit / add_task / add_done_callback / call_soon / call_later: the
     * index marks them PA_LIB_DEFER on any receiver, so their callables' effects
     * are not the call's. Still listed: task-queue publishes (the index gives
     * them the broker's NET_IO, which PA202/PA205 do not report) and
     * after_commit/defer hooks the index does not know. */
    static const char *const names[] = {"after_commit", "delay", "apply_async", "send_task", "enqueue", "defer", NULL};
    const char *a = c && c->attr ? c->attr : "";
    for (int i = 0; names[i]; i++)
        if (strcmp(a, names[i]) == 0) return true;
    return false;
}

/* Network SDKs the library table does not describe: (prefix of the
 * canonical name of the call, whether the module's own functions are
 * network calls or only the clients it constructs are). */
static const struct sdk {
    const char *prefix;    /* canonical prefix, with the trailing dot */
    bool direct;           /* prefix.X.y(...) itself calls the service (stripe.Charge.create) */
} k_sdks[] = {
    {"boto3.", false},      {"botocore.", false}, {"aioboto3.", false},     {"stripe.", true},
    {"twilio.", false},     {"sendgrid.", false}, {"google.cloud.", false}, {"openai.", false},
    {"anthropic.", false},  {"slack_sdk.", false}, {"hvac.", false},        {"paypalrestsdk.", true},
    {"braintree.", true},   {"mailchimp3.", false}, {"elasticsearch.", false}, {"pika.", false},
    {"django.core.mail.", true},
};

static const struct sdk *sdk_of(const char *canon)
{
    if (!canon) return NULL;
    for (size_t i = 0; i < sizeof k_sdks / sizeof k_sdks[0]; i++)
        if (pa_str_starts(canon, k_sdks[i].prefix)) return &k_sdks[i];
    return NULL;
}

/* Canonical name of the callee up to its first call ("boto3.client" for
 * boto3.client("s3").upload_file). Owned or NULL. */
static char *callee_canon(const struct pa_audit_input *in, int32_t file, const struct pa_call *c)
{
    if (!c->callee || c->callee[0] == '?') return NULL;
    size_t n = strcspn(c->callee, "(");
    char *head = pa_xstrndup(c->callee, n);
    char *canon = pa_index_canonical(in->index, file, c->func, head);
    free(head);
    return canon;
}

/* Is the value of `name` (a local, a module global or self.<attr>) a client
 * built by a network SDK or a gRPC stub? */
static bool var_is_client(const struct pa_audit_input *in, int32_t file, int32_t func, const char *name, const char **what)
{
    const struct pa_file_facts *f = in->files[file];
    for (size_t i = 0; i < f->assigns.n; i++) {
        const struct pa_assign *as = &f->assigns.v[i];
        if (!as->target || strcmp(as->target, name) != 0 || as->value_call < 0) continue;
        if (!(as->func == func || as->func == -1 || pa_str_starts(name, "self."))) continue;
        const struct pa_call *vc = call_at(f, as->value_call);
        if (!vc || !vc->callee) continue;
        const char *last = pa_str_last_dot(vc->callee);
        size_t ln = strlen(last);
        if (ln > 4 && strcmp(last + ln - 4, "Stub") == 0) {
            *what = "gRPC stub";
            return true;
        }
        char *canon = callee_canon(in, file, vc);
        const struct sdk *sd = sdk_of(canon);
        free(canon);
        if (sd) {
            *what = sd->prefix;
            return true;
        }
    }
    return false;
}

bool pa_txn_sdk_call(const struct pa_audit_input *in, int32_t file, int32_t ci, const char **what)
{
    const struct pa_file_facts *f = in->files[file];
    const struct pa_call *c = call_at(f, ci);
    if (!c || !c->callee) return false;
    /* stripe.Charge.create(...) */
    char *canon = callee_canon(in, file, c);
    const struct sdk *sd = sdk_of(canon);
    bool chained = c->recv_call >= 0;
    free(canon);
    const char *last = pa_str_last_dot(c->callee);
    bool ctor = isupper((unsigned char)last[0]) != 0;     /* EmailMessage(...), stripe.StripeClient(...) */
    if (sd && sd->direct && !chained && !ctor && (strchr(c->callee, '.') || strcmp(sd->prefix, "django.core.mail.") == 0)) {
        *what = sd->prefix;
        return true;
    }
    /* s3.upload_file(...) / self.stub.GetUser(...) on a client variable */
    char *key = pa_txn_receiver_key(c->callee);
    bool r = key && !strchr(c->callee, '(') && var_is_client(in, file, c->func, key, what);
    free(key);
    return r;
}

const char *pa_txn_region_label(pa_txn_rkind k)
{
    switch (k) {
    case PA_TXR_BLOCK: return "transaction block";
    case PA_TXR_DECORATOR: return "@transaction.atomic function";
    case PA_TXR_REQUEST: return "ATOMIC_REQUESTS view";
    case PA_TXR_AUTOBEGIN: return "open session transaction";
    case PA_TXR_DEPENDENCY: return "request-scoped session transaction";
    }
    return "transaction";
}

uint32_t pa_txn_code_lines(const struct pa_audit_input *in, const struct pa_file_facts *f, uint32_t from, uint32_t to)
{
    (void)in;
    return f ? pa_facts_code_lines(f, from, to) : 0;
}

/* ---- small fact helpers ---------------------------------------------------- */

static bool key_match(const char *a, const char *b)
{
    return !a || !b || strcmp(a, b) == 0;
}

/* ---- call classification ------------------------------------------------- */

struct cls {
    pa_txn_op op;
    pa_txn_wkind wkind;
    const char *table;
    const struct pa_model *model;
    bool via_project;
    bool django;
    bool asyncpg;
    int32_t which;        /* the chain member that was classified */
    char *sql_table;      /* table parsed from an SQL literal (owned), or NULL */
};

static pa_txn_wkind wkind_of(pa_db_op op)
{
    switch (op) {
    case PA_DB_UPDATE: return PA_TXN_W_UPDATE;
    case PA_DB_INSERT: return PA_TXN_W_INSERT;
    case PA_DB_DELETE: return PA_TXN_W_DELETE;
    case PA_DB_ADD: return PA_TXN_W_ADD;
    default: return PA_TXN_W_NONE;
    }
}

/* Classify one call (not its receiver chain). */
static bool classify_one(const struct pa_audit_input *in, int32_t file, int32_t ci, struct cls *o)
{
    const struct pa_file_facts *f = in->files[file];
    const struct pa_call *c = &f->calls.v[ci];
    memset(o, 0, sizeof *o);
    o->which = ci;
    struct pa_target tg = pa_index_resolve(in->index, file, ci);
    const char *canon = tg.canonical;
    if (tg.kind == PA_TARGET_LIBRARY && tg.lib) canon = tg.lib->name;
    if (canon && pa_str_starts(canon, "django.")) o->django = true;
    if (canon && pa_str_starts(canon, "asyncpg.")) o->asyncpg = true;

    /* a project function that commits is a commit boundary whatever else it does */
    if (tg.kind == PA_TARGET_PROJECT) {
        uint32_t e = pa_index_call_effects(in->index, file, ci);
        o->via_project = true;
        /* BEGIN: it runs its own begin()/atomic() block, which commits on exit */
        if (e & (PA_EFF_COMMIT | PA_EFF_BEGIN)) { o->op = PA_TXN_COMMIT; return true; }
        if (e & PA_EFF_ROLLBACK) { o->op = PA_TXN_ROLLBACK; return true; }
    }

    struct pa_db_call dc;
    memset(&dc, 0, sizeof dc);
    if (pa_orm_classify_call(in, file, ci, &dc) && dc.op != PA_DB_NONE) {
        o->table = dc.table;
        o->model = dc.model;
        if (dc.model && dc.model->kind == PA_ORM_DJANGO) o->django = true;
        if (dc.via_project) o->via_project = true;
        o->wkind = wkind_of(dc.op);
        switch (dc.op) {
        case PA_DB_READ: o->op = PA_TXN_READ; break;
        case PA_DB_UPDATE:
        case PA_DB_DELETE:
        case PA_DB_INSERT: o->op = PA_TXN_WRITE; break;
        case PA_DB_ADD: o->op = PA_TXN_STAGE; break;
        case PA_DB_FLUSH: o->op = PA_TXN_FLUSH; break;
        case PA_DB_COMMIT: o->op = PA_TXN_COMMIT; break;
        case PA_DB_ROLLBACK: o->op = PA_TXN_ROLLBACK; break;
        case PA_DB_BEGIN: o->op = PA_TXN_BEGIN; break;
        case PA_DB_NONE: break;
        }
        /* Django ORM writes execute at once; session.add stages */
        if (o->op == PA_TXN_STAGE && o->django) o->op = PA_TXN_WRITE;
        return o->op != PA_TXN_NONE;
    }
    if (tg.kind == PA_TARGET_LIBRARY && tg.lib) {
        uint32_t e = tg.lib->effects;
        if (e & PA_EFF_COMMIT) o->op = PA_TXN_COMMIT;
        else if (e & PA_EFF_ROLLBACK) o->op = PA_TXN_ROLLBACK;
        else if (e & PA_EFF_BEGIN) o->op = PA_TXN_BEGIN;
        else if (e & PA_EFF_DB_WRITE) {
            const char *a = c->attr ? c->attr : "";
            if (strcmp(a, "add") == 0 || strcmp(a, "add_all") == 0) { o->op = PA_TXN_STAGE; o->wkind = PA_TXN_W_ADD; }
            else if (strcmp(a, "flush") == 0) o->op = PA_TXN_FLUSH;
            else {
                o->op = PA_TXN_WRITE;
                const struct pa_arg *a0 = pa_call_posarg(c, 0);
                o->wkind = a0 ? pa_txn_sql_kind(a0->text) : PA_TXN_W_NONE;
                if (o->wkind == PA_TXN_W_NONE) o->wkind = PA_TXN_W_UPDATE;
                if (a0) o->sql_table = pa_txn_sql_table(a0->text);
            }
        } else if (e & PA_EFF_DB_READ) o->op = PA_TXN_READ;
        if (o->op != PA_TXN_NONE) return true;
    }
    if (tg.kind != PA_TARGET_UNRESOLVED && tg.kind != PA_TARGET_LIBRARY) return false;
    /* a known library call that is not a DB call (aiohttp/requests sessions) */
    if (tg.kind == PA_TARGET_LIBRARY && tg.lib && tg.lib->effects) return false;
    if (canon && (pa_str_starts(canon, "requests.") || pa_str_starts(canon, "httpx.") || pa_str_starts(canon, "aiohttp.")))
        return false;
    /* receivers the index could not type: go by method name on a session-like name */
    char *key = pa_txn_receiver_key(c->callee);
    bool sess = key && pa_txn_sessionish(key);
    const char *a = c->attr ? c->attr : "";
    if (key && strcmp(key, "transaction") == 0) {
        if (strcmp(a, "commit") == 0) o->op = PA_TXN_COMMIT, o->django = true;
        else if (strcmp(a, "rollback") == 0) o->op = PA_TXN_ROLLBACK, o->django = true;
    } else if (sess) {
        if (strcmp(a, "commit") == 0 && c->nargs == 0) o->op = PA_TXN_COMMIT;
        else if (strcmp(a, "rollback") == 0 && c->nargs == 0) o->op = PA_TXN_ROLLBACK;
        else if (strcmp(a, "flush") == 0) o->op = PA_TXN_FLUSH;
        else if (strcmp(a, "begin") == 0 || strcmp(a, "begin_nested") == 0) o->op = PA_TXN_BEGIN;
        else if (strcmp(a, "add") == 0 || strcmp(a, "add_all") == 0) { o->op = PA_TXN_STAGE; o->wkind = PA_TXN_W_ADD; }
        else if (strcmp(a, "delete") == 0 && c->nargs == 1) { o->op = PA_TXN_STAGE; o->wkind = PA_TXN_W_DELETE; }
        else if (strcmp(a, "execute") == 0 || strcmp(a, "executemany") == 0 || strcmp(a, "fetch") == 0 ||
                 strcmp(a, "fetchrow") == 0 || strcmp(a, "fetchval") == 0) {
            const struct pa_arg *a0 = pa_call_posarg(c, 0);
            o->wkind = a0 ? pa_txn_sql_kind(a0->text) : PA_TXN_W_NONE;
            if (a0 && a0->call >= 0) {
                const struct pa_call *sc = call_at(f, a0->call);
                const char *sa = sc && sc->attr ? sc->attr : "";
                if (sc && strcmp(sa, "text") == 0) o->wkind = sc->nargs ? pa_txn_sql_kind(sc->args[0].text) : PA_TXN_W_NONE;
                else if (strcmp(sa, "update") == 0 || strcmp(sa, "values") == 0 || strcmp(sa, "where") == 0) {
                    const char *t = sc->callee ? sc->callee : "";
                    if (pa_str_starts(t, "update(") || pa_str_starts(t, "sa.update(")) o->wkind = PA_TXN_W_UPDATE;
                    else if (pa_str_starts(t, "insert(") || pa_str_starts(t, "sa.insert(")) o->wkind = PA_TXN_W_INSERT;
                    else if (pa_str_starts(t, "delete(") || pa_str_starts(t, "sa.delete(")) o->wkind = PA_TXN_W_DELETE;
                }
            }
            if (strcmp(a, "executemany") == 0 && o->wkind == PA_TXN_W_NONE) o->wkind = PA_TXN_W_UPDATE;
            o->op = o->wkind != PA_TXN_W_NONE ? PA_TXN_WRITE : PA_TXN_READ;
            if (o->op == PA_TXN_WRITE && a0) o->sql_table = pa_txn_sql_table(a0->text);
        } else if (strcmp(a, "get") == 0 || strcmp(a, "scalar") == 0 || strcmp(a, "scalars") == 0 ||
                   strcmp(a, "query") == 0 || strcmp(a, "refresh") == 0)
            o->op = PA_TXN_READ;
    }
    free(key);
    return o->op != PA_TXN_NONE;
}

/* Classify the outermost call of a receiver chain: the first member (outer
 * to inner) that classifies. */
static bool classify_chain(const struct pa_audit_input *in, int32_t file, int32_t ci, struct cls *o)
{
    const struct pa_file_facts *f = in->files[file];
    int guard = 0;
    for (int32_t k = ci; k >= 0 && (size_t)k < f->calls.n && guard < 16; k = f->calls.v[k].recv_call, guard++)
        if (classify_one(in, file, k, o)) return true;
    memset(o, 0, sizeof *o);
    return false;
}

/* ---- with-blocks ---------------------------------------------------------- */

static bool item_is_begin(const struct pa_txn_file *tf, const struct pa_with_item *it)
{
    if (pa_txn_text_is_atomic(it->expr)) return true;
    const struct pa_call *c = call_at(tf->f, it->call);
    if (!c) return false;
    const char *a = c->attr ? c->attr : "";
    if (strcmp(a, "begin") == 0 || strcmp(a, "begin_nested") == 0 || strcmp(a, "atomic") == 0) return true;
    char *key = pa_txn_receiver_key(c->callee);
    bool r = false;
    if (strcmp(a, "transaction") == 0 && key && pa_txn_sessionish(key)) r = true;
    free(key);
    if (r) return true;
    struct cls o;
    bool b = classify_one(tf->in, tf->file, it->call, &o) && o.op == PA_TXN_BEGIN;
    free(o.sql_table);
    return b;
}

bool pa_txn_with_is_begin(const struct pa_txn_file *tf, int32_t w)
{
    if (w < 0 || (size_t)w >= tf->f->withs.n) return false;
    const struct pa_with *wb = &tf->f->withs.v[w];
    for (uint16_t i = 0; i < wb->nitems; i++)
        if (item_is_begin(tf, &wb->items[i])) return true;
    return false;
}

static bool name_is_session_factory(const char *name)
{
    if (!name) return false;
    const char *last = pa_str_last_dot(name);
    if (strcmp(last, "cursor") == 0) return false;
    return strstr(last, "Session") || strstr(last, "session") || strcmp(last, "connect") == 0 ||
           strcmp(last, "acquire") == 0 || strstr(last, "sessionmaker") || strcmp(last, "get_db") == 0 ||
           strcmp(last, "get_conn") == 0 || strcmp(last, "get_connection") == 0 || strcmp(last, "connection") == 0;
}

bool pa_txn_with_is_scope(const struct pa_txn_file *tf, int32_t w)
{
    if (pa_txn_with_is_begin(tf, w)) return true;
    if (w < 0 || (size_t)w >= tf->f->withs.n) return false;
    const struct pa_with *wb = &tf->f->withs.v[w];
    for (uint16_t i = 0; i < wb->nitems; i++) {
        const struct pa_with_item *it = &wb->items[i];
        const struct pa_call *c = call_at(tf->f, it->call);
        if (!c) {
            /* `with conn:` (psycopg2/sqlite3 connection as a transaction scope) */
            if (it->expr && pa_txn_sessionish(it->expr) && !strchr(it->expr, '(')) return true;
            continue;
        }
        const char *a = c->attr ? c->attr : "";
        if (strcmp(a, "cursor") == 0) continue;
        struct pa_target tg = pa_index_resolve(tf->in->index, tf->file, it->call);
        const char *canon = tg.kind == PA_TARGET_LIBRARY && tg.lib ? tg.lib->name : tg.canonical;
        if (canon && (pa_str_starts(canon, "requests.") || pa_str_starts(canon, "httpx.") ||
                      pa_str_starts(canon, "aiohttp.") || pa_str_starts(canon, "urllib3.")))
            continue;                                   /* HTTP sessions */
        if (canon && name_is_session_factory(canon)) return true;
        if (name_is_session_factory(c->callee)) return true;
        if (it->as && pa_txn_sessionish(it->as)) return true;
    }
    return false;
}

/* ---- dependency sessions --------------------------------------------------- */

/* Find a project function by canonical dotted name "pkg.mod.func". */
static pa_fref find_func(const struct pa_audit_input *in, const char *canon)
{
    return pa_index_find_function(in->index, canon);
}

/* `Depends(get_db)` inside text → "get_db" (owned) or NULL. */
static char *depends_target(const char *text)
{
    if (!text) return NULL;
    const char *d = strstr(text, "Depends(");
    if (!d) return NULL;
    d += 8;
    while (*d == ' ') d++;
    size_t n = strcspn(d, ",) ");
    return n ? pa_xstrndup(d, n) : NULL;
}

/* Does the dependency named in a parameter commit when the request ends
 * (a generator dependency whose body commits)? */
static bool dependency_commits(const struct pa_txn_file *tf, int32_t func, const struct pa_param *p)
{
    char *name = depends_target(p->default_);
    if (!name) name = depends_target(p->annotation);
    if (!name) return false;
    char *canon = pa_index_canonical(tf->in->index, tf->file, func, name);
    pa_fref fr = find_func(tf->in, canon ? canon : name);
    if (!pa_fref_ok(fr) && !strchr(name, '.')) {
        /* same module */
        char *local = tf->f->module ? pa_xasprintf("%s.%s", tf->f->module, name) : NULL;
        fr = find_func(tf->in, local);
        free(local);
    }
    free(canon);
    free(name);
    if (!pa_fref_ok(fr)) return false;
    const struct pa_func *fn = pa_facts_func(tf->in->files[fr.file], fr.func);
    if (!fn || !fn->is_generator) return false;
    /* commits after the yield, or yields inside a begin() block */
    if (pa_index_effects(tf->in->index, fr) & (PA_EFF_COMMIT | PA_EFF_BEGIN)) return true;
    /* receivers the index could not type: session.commit() / session.begin() by name */
    const struct pa_file_facts *g = tf->in->files[fr.file];
    for (size_t ci = 0; ci < g->calls.n; ci++) {
        const struct pa_call *c = &g->calls.v[ci];
        if (c->func != fr.func || !c->attr || (strcmp(c->attr, "commit") != 0 && strcmp(c->attr, "begin") != 0)) continue;
        char *key = pa_txn_receiver_key(c->callee);
        bool sess = key && pa_txn_sessionish(key);
        free(key);
        if (sess) return true;
    }
    return false;
}

/* ---- building ---------------------------------------------------------------- */

static struct pa_txn_func *slot_mut(struct pa_txn_file *tf, int32_t func)
{
    if (func < -1 || (size_t)(func + 1) >= tf->nfuncs) return NULL;
    return &tf->funcs[func + 1];
}

const struct pa_txn_func *pa_txn_slot(const struct pa_txn_file *tf, int32_t func)
{
    return slot_mut((struct pa_txn_file *)tf, func);
}

static const char *arena_str(struct pa_txn_file *tf, const char *s)
{
    return s ? pa_arena_strdup(&tf->arena, s) : NULL;
}

/* Resolve cursor aliases: `cur = conn.cursor()` / `with conn.cursor() as cur` → "conn". */
static const char *resolve_alias(struct pa_txn_file *tf, int32_t func, const char *key)
{
    if (!key || strchr(key, '.')) return key;
    const struct pa_file_facts *f = tf->f;
    for (size_t i = 0; i < f->assigns.n; i++) {
        const struct pa_assign *as = &f->assigns.v[i];
        if (as->func != func || !as->target || strcmp(as->target, key) != 0) continue;
        const struct pa_call *vc = call_at(f, as->value_call);
        if (vc && vc->attr && strcmp(vc->attr, "cursor") == 0) {
            char *k = pa_txn_receiver_key(vc->callee);
            if (k) {
                const char *r = arena_str(tf, k);
                free(k);
                return r;
            }
        }
    }
    for (size_t i = 0; i < f->withs.n; i++) {
        const struct pa_with *w = &f->withs.v[i];
        if (w->func != func) continue;
        for (uint16_t k = 0; k < w->nitems; k++) {
            if (!w->items[k].as || strcmp(w->items[k].as, key) != 0) continue;
            const struct pa_call *vc = call_at(f, w->items[k].call);
            if (vc && vc->attr && strcmp(vc->attr, "cursor") == 0) {
                char *kk = pa_txn_receiver_key(vc->callee);
                if (kk) {
                    const char *r = arena_str(tf, kk);
                    free(kk);
                    return r;
                }
            }
        }
    }
    return key;
}

static int ev_cmp(const void *a, const void *b)
{
    const struct pa_txn_event *x = a, *y = b;
    if (x->line != y->line) return x->line < y->line ? -1 : 1;
    if (x->col != y->col) return x->col < y->col ? -1 : 1;
    if (x->call != y->call) return x->call < y->call ? -1 : 1;
    return x->assign < y->assign ? -1 : x->assign > y->assign;
}

/* The innermost BLOCK region enclosing with-index w's body, if any. */
static bool in_block(const struct pa_txn_file *tf, const struct pa_txn_func *fn, int32_t with, uint32_t line)
{
    for (size_t r = 0; r < fn->rg.n; r++) {
        const struct pa_txn_region *rg = &fn->rg.v[r];
        if (rg->kind != PA_TXR_BLOCK) continue;
        if (with_contains(tf->f, with, rg->with) && line > tf->f->withs.v[rg->with].line) return true;
    }
    return false;
}

static bool has_atomic_decorator(const struct pa_func *fn, bool *non_atomic)
{
    bool r = false;
    for (uint16_t d = 0; d < fn->ndecorators; d++) {
        if (pa_txn_text_is_atomic(fn->decorators[d])) r = true;
        if (strstr(fn->decorators[d], "non_atomic_requests")) *non_atomic = true;
    }
    return r;
}

/* A Django view: first parameter (after self) named `request`. */
static bool is_django_view(const struct pa_func *fn)
{
    for (uint16_t i = 0; i < fn->nparams; i++) {
        const char *n = fn->params[i].name;
        if (i == 0 && (strcmp(n, "self") == 0 || strcmp(n, "cls") == 0)) continue;
        return strcmp(n, "request") == 0;
    }
    return false;
}

/* Is call ci a constructor of a model class (`Job(...)`)? */
static bool model_ctor(const struct pa_txn_file *tf, int32_t ci)
{
    const struct pa_call *c = call_at(tf->f, ci);
    if (!c) return false;
    struct pa_target tg = pa_index_resolve(tf->in->index, tf->file, ci);
    if (tg.kind == PA_TARGET_CLASS) return true;
    return c->callee && tf->in->models && pa_models_by_name(tf->in->models, pa_str_last_dot(c->callee)) != NULL;
}

/* session.add(x) of an object created in this function (an INSERT, not an
 * UPDATE of a loaded row): add(Model(...)), or x = Model(...) before it. */
static bool adds_new_row(const struct pa_txn_file *tf, int32_t func, const struct pa_call *c)
{
    if (!c) return false;
    const struct pa_file_facts *f = tf->f;
    for (uint16_t a = 0; a < c->nargs; a++) {
        const struct pa_arg *ag = &c->args[a];
        if (ag->kw) continue;
        if (ag->call >= 0) return model_ctor(tf, ag->call);
        if (ag->kind == PA_EXPR_NAME && ag->text) {
            const struct pa_assign *best = NULL;
            for (size_t i = 0; i < f->assigns.n; i++) {
                const struct pa_assign *as = &f->assigns.v[i];
                if (as->func == func && as->target && strcmp(as->target, ag->text) == 0 && as->line <= c->line) best = as;
            }
            return best && best->value_call >= 0 && model_ctor(tf, best->value_call);
        }
        return false;
    }
    return false;
}

static void add_events(struct pa_txn_file *tf, const int32_t *fslot_of_call)
{
    const struct pa_audit_input *in = tf->in;
    const struct pa_file_facts *f = tf->f;
    /* receivers of another call are classified as part of that call's chain */
    uint8_t *is_recv = pa_xcalloc(f->calls.n ? f->calls.n : 1, 1);
    uint8_t *is_ev = pa_xcalloc(f->calls.n ? f->calls.n : 1, 1);
    for (size_t ci = 0; ci < f->calls.n; ci++) {
        int32_t r = f->calls.v[ci].recv_call;
        if (r >= 0 && (size_t)r < f->calls.n) is_recv[r] = 1;
    }
    for (size_t ci = 0; ci < f->calls.n; ci++) {
        const struct pa_call *c = &f->calls.v[ci];
        if (is_recv[ci] || (c->flags & PA_CALL_DECORATOR)) continue;
        struct pa_txn_func *fn = &tf->funcs[fslot_of_call[ci]];
        /* an argument of a DB call builds the statement, it does not run one */
        bool nested = false;
        for (int32_t p = c->parent_call, g = 0; p >= 0 && (size_t)p < f->calls.n && g < 32; p = f->calls.v[p].parent_call, g++)
            if (is_ev[p]) { nested = true; break; }
        if (nested) continue;
        struct cls o;
        if (!classify_chain(in, tf->file, (int32_t)ci, &o)) continue;
        for (int32_t k = (int32_t)ci, g = 0; k >= 0 && (size_t)k < f->calls.n && g < 16; k = f->calls.v[k].recv_call, g++)
            is_ev[k] = 1;
        struct pa_txn_event e;
        memset(&e, 0, sizeof e);
        e.call = (int32_t)ci;
        e.assign = -1;
        e.line = c->line;
        e.col = c->col;
        e.op = o.op;
        e.wkind = o.wkind;
        e.table = o.table;
        if (!e.table && o.sql_table) e.table = arena_str(tf, o.sql_table);
        free(o.sql_table);
        e.model = o.model;
        e.via_project = o.via_project;
        e.effects = pa_index_call_effects(in->index, tf->file, (int32_t)ci);
        e.loop = c->loop;
        e.with = c->with;
        e.try_ = c->try_;
        if (o.django) e.key = "django";
        else if (!o.via_project) {
            const struct pa_call *wc = call_at(f, o.which);
            char *k = pa_txn_receiver_key(wc ? wc->callee : c->callee);
            if (k) {
                e.key = resolve_alias(tf, c->func, arena_str(tf, k));
                free(k);
            }
        }
        /* the row a write changes, when it is a variable: receiver root or a NAME argument */
        if (o.op == PA_TXN_WRITE || o.op == PA_TXN_STAGE) {
            const struct pa_call *wc = call_at(f, o.which);
            if (wc && wc->base && !pa_txn_sessionish(wc->base) && strcmp(wc->base, "self") != 0 &&
                pa_orm_var_model(in, tf->file, c->func, wc->base, c->line))
                e.target = arena_str(tf, wc->base);
            for (uint16_t a = 0; !e.target && wc && a < wc->nargs; a++)
                if (wc->args[a].kind == PA_EXPR_NAME && pa_orm_var_model(in, tf->file, c->func, wc->args[a].text, c->line))
                    e.target = arena_str(tf, wc->args[a].text);
        }
        if (e.wkind == PA_TXN_W_ADD && adds_new_row(tf, c->func, call_at(f, o.which))) e.wkind = PA_TXN_W_INSERT;
        if (o.asyncpg && !in_block(tf, fn, c->with, c->line)) e.autocommit = true;
        if (tf->raw_autocommit && e.key && !o.django && pa_txn_sessionish(e.key) && !in_block(tf, fn, c->with, c->line) &&
            (o.op == PA_TXN_WRITE || o.op == PA_TXN_READ)) {
            struct pa_target tg = pa_index_resolve(in->index, tf->file, (int32_t)ci);
            const char *cn = tg.kind == PA_TARGET_LIBRARY && tg.lib ? tg.lib->name : NULL;
            if (!cn || !pa_str_starts(cn, "sqlalchemy")) e.autocommit = true;
        }
        pa_vec_push(&fn->ev, e);
    }
    /* model attribute writes: job.progress = … (SQLAlchemy/SQLModel unit of work) */
    for (size_t ai = 0; ai < f->assigns.n; ai++) {
        const struct pa_assign *as = &f->assigns.v[ai];
        if (as->target_kind != PA_EXPR_ATTR || !as->target || !as->op || strcmp(as->op, ":") == 0) continue;
        const char *dot = strrchr(as->target, '.');
        if (!dot || dot == as->target) continue;
        char *var = pa_xstrndup(as->target, (size_t)(dot - as->target));
        bool simple = true;
        for (const char *p = var; *p; p++)
            if (!(isalnum((unsigned char)*p) || *p == '_')) simple = false;
        const struct pa_model *m = simple && strcmp(var, "self") != 0 ? pa_orm_var_model(in, tf->file, as->func, var, as->line) : NULL;
        if (m && m->kind != PA_ORM_DJANGO && pa_model_has_column(m, dot + 1)) {
            struct pa_txn_func *fn = slot_mut(tf, as->func);
            if (fn) {
                struct pa_txn_event e;
                memset(&e, 0, sizeof e);
                e.call = -1;
                e.assign = (int32_t)ai;
                e.line = as->line;
                e.col = as->col;
                e.op = PA_TXN_STAGE;
                e.wkind = PA_TXN_W_UPDATE;
                e.table = m->table;
                e.model = m;
                e.target = arena_str(tf, var);
                e.loop = as->loop;
                e.with = as->with;
                e.try_ = as->try_;
                pa_vec_push(&fn->ev, e);
            }
        }
        free(var);
    }
    free(is_recv);
    free(is_ev);
}

static bool ev_opens(const struct pa_txn_event *e)
{
    return !e->autocommit && (e->op == PA_TXN_READ || e->op == PA_TXN_WRITE || e->op == PA_TXN_FLUSH);
}

static bool ev_writes(const struct pa_txn_event *e)
{
    return e->op == PA_TXN_WRITE || e->op == PA_TXN_STAGE || e->op == PA_TXN_FLUSH;
}

static bool ev_ends(const struct pa_txn_event *e)
{
    return e->op == PA_TXN_COMMIT || e->op == PA_TXN_ROLLBACK;
}

/* Autobegun transactions: first executed statement on a key .. its commit. */
static void add_autobegin(struct pa_txn_file *tf, struct pa_txn_func *fn)
{
    const struct pa_file_facts *f = tf->f;
    size_t n = fn->ev.n;
    bool *used = pa_xcalloc(n ? n : 1, sizeof *used);
    for (size_t i = 0; i < n; i++) {
        const struct pa_txn_event *o = &fn->ev.v[i];
        if (used[i] || !ev_opens(o) || !o->key || in_block(tf, fn, o->with, o->line)) continue;
        if (strcmp(o->key, "django") == 0) continue;       /* Django autocommits outside atomic() */
        bool wrote = ev_writes(o);
        size_t close = n;
        for (size_t j = i + 1; j < n; j++) {
            const struct pa_txn_event *e = &fn->ev.v[j];
            if (ev_ends(e) && key_match(e->key, o->key) && !in_block(tf, fn, e->with, e->line)) { close = j; break; }
            if (ev_opens(e) && e->key && strcmp(e->key, o->key) == 0) used[j] = true;
            if (ev_writes(e) && (!e->key || strcmp(e->key, o->key) == 0)) wrote = true;
        }
        if (close == n) continue;
        const struct pa_txn_event *ce = &fn->ev.v[close];
        if (ce->op != PA_TXN_COMMIT || !wrote) continue;
        struct pa_txn_region r;
        memset(&r, 0, sizeof r);
        r.kind = PA_TXR_AUTOBEGIN;
        r.key = o->key;
        r.line = o->line;
        r.col = o->col;
        r.open_line = o->line;
        r.end_line = ce->line;
        r.end_col = ce->col;
        r.with = -1;
        r.open_ev = (int32_t)i;
        r.close_ev = (int32_t)close;
        /* an open inside a loop without its own commit stays open into the next iteration */
        int32_t best = -1;
        for (int32_t l = o->loop; l >= 0 && (size_t)l < f->loops.n; l = f->loops.v[l].parent) {
            const struct pa_loop *lp = &f->loops.v[l];
            if (ce->line <= lp->end_line) break;
            bool ends_inside = false;
            for (size_t j = 0; j < n && !ends_inside; j++) {
                const struct pa_txn_event *e = &fn->ev.v[j];
                if (ev_ends(e) && key_match(e->key, o->key) && e->line >= lp->line && e->line <= lp->end_line) ends_inside = true;
            }
            if (ends_inside) break;
            best = l;
        }
        if (best >= 0) {
            r.line = f->loops.v[best].line;
            r.col = 0;
        }
        r.what = pa_arena_printf(&tf->arena, "the transaction on `%s` opened at line %u and committed at line %u", o->key,
                                 o->line, ce->line);
        pa_vec_push(&fn->rg, r);
    }
    free(used);
}

static void add_dependency(struct pa_txn_file *tf, struct pa_txn_func *fn)
{
    const struct pa_func *fd = pa_facts_func(tf->f, fn->func);
    if (!fd) return;
    for (uint16_t p = 0; p < fd->nparams; p++) {
        const struct pa_param *pm = &fd->params[p];
        if (!dependency_commits(tf, fn->func, pm)) continue;
        /* first statement on that session .. end of the function; needs a write */
        int32_t open = -1;
        bool wrote = false, committed = false;
        for (size_t i = 0; i < fn->ev.n; i++) {
            const struct pa_txn_event *e = &fn->ev.v[i];
            bool mine = e->key && strcmp(e->key, pm->name) == 0;
            if (ev_ends(e) && (mine || !e->key)) { committed = true; break; }
            if (open < 0 && mine && ev_opens(e) && !in_block(tf, fn, e->with, e->line)) open = (int32_t)i;
            if (open >= 0 && ev_writes(e) && (mine || !e->key)) wrote = true;
        }
        if (open < 0 || !wrote || committed) continue;
        const struct pa_txn_event *o = &fn->ev.v[open];
        struct pa_txn_region r;
        memset(&r, 0, sizeof r);
        r.kind = PA_TXR_DEPENDENCY;
        r.key = arena_str(tf, pm->name);
        r.line = o->line;
        r.col = o->col;
        r.open_line = o->line;
        r.end_line = fd->end_line;
        r.with = -1;
        r.open_ev = open;
        r.close_ev = -1;
        r.what = pa_arena_printf(&tf->arena,
                                 "the request transaction on `%s` (opened at line %u, committed by the dependency after "
                                 "the handler returns)",
                                 pm->name, o->line);
        pa_vec_push(&fn->rg, r);
    }
}

void pa_txn_file_build(const struct pa_audit_input *in, int32_t file, struct pa_txn_file *tf)
{
    memset(tf, 0, sizeof *tf);
    tf->in = in;
    tf->file = file;
    tf->f = in->files[file];
    pa_arena_init(&tf->arena);
    const struct pa_file_facts *f = tf->f;
    tf->nfuncs = f->funcs.n + 1;
    tf->funcs = pa_xcalloc(tf->nfuncs, sizeof *tf->funcs);
    for (size_t i = 0; i < tf->nfuncs; i++) tf->funcs[i].func = (int32_t)i - 1;
    for (size_t i = 0; i < f->assigns.n; i++) {
        const struct pa_assign *as = &f->assigns.v[i];
        if (as->target && pa_str_ends(as->target, ".autocommit") && as->value && strcmp(as->value, "True") == 0)
            tf->raw_autocommit = true;
    }
    /* psycopg.connect(dsn, autocommit=True), conn.set_autocommit(True) */
    for (size_t ci = 0; ci < f->calls.n; ci++) {
        const struct pa_call *c = &f->calls.v[ci];
        for (uint16_t a = 0; a < c->nargs; a++)
            if (c->args[a].kw && strcmp(c->args[a].kw, "autocommit") == 0 && c->args[a].text &&
                strcmp(c->args[a].text, "True") == 0)
                tf->raw_autocommit = true;
        if (c->attr && strcmp(c->attr, "set_autocommit") == 0 && c->nargs == 1 && c->args[0].text &&
            strcmp(c->args[0].text, "True") == 0)
            tf->raw_autocommit = true;
    }
    int32_t *slot = pa_xcalloc(f->calls.n ? f->calls.n : 1, sizeof *slot);
    for (size_t ci = 0; ci < f->calls.n; ci++) {
        int32_t fu = f->calls.v[ci].func;
        slot[ci] = fu >= 0 && (size_t)fu < f->funcs.n ? fu + 1 : 0;
        pa_vec_push(&tf->funcs[slot[ci]].calls, (int32_t)ci);
    }
    /* BLOCK regions first: events need to know whether they are inside one */
    for (size_t w = 0; w < f->withs.n; w++) {
        const struct pa_with *wb = &f->withs.v[w];
        if (!pa_txn_with_is_begin(tf, (int32_t)w)) continue;
        struct pa_txn_func *fn = slot_mut(tf, wb->func);
        if (!fn) continue;
        struct pa_txn_region r;
        memset(&r, 0, sizeof r);
        r.kind = PA_TXR_BLOCK;
        r.line = wb->line;
        r.open_line = wb->line;
        r.end_line = wb->end_line;
        r.with = (int32_t)w;
        r.open_ev = r.close_ev = -1;
        const char *expr = wb->nitems ? wb->items[0].expr : "";
        r.key = wb->nitems && wb->items[0].as ? arena_str(tf, wb->items[0].as) : NULL;
        r.what = pa_arena_printf(&tf->arena, "`%swith %s` (line %u)", wb->is_async ? "async " : "", expr ? expr : "",
                                 wb->line);
        pa_vec_push(&fn->rg, r);
    }
    add_events(tf, slot);
    free(slot);
    for (size_t s = 0; s < tf->nfuncs; s++) {
        struct pa_txn_func *fn = &tf->funcs[s];
        if (fn->ev.n > 1) qsort(fn->ev.v, fn->ev.n, sizeof fn->ev.v[0], ev_cmp);
        const struct pa_func *fd = pa_facts_func(f, fn->func);
        bool whole = false;   /* the whole function runs inside atomic() */
        if (fd) {
            bool non_atomic = false;
            fn->atomic_decorated = has_atomic_decorator(fd, &non_atomic);
            whole = fn->atomic_decorated ||
                    (in->ctx && in->ctx->django_atomic_requests && !non_atomic && is_django_view(fd));
            /* an ATOMIC_REQUESTS view holds a transaction once it has touched the database */
            if (whole && !fn->atomic_decorated && fn->ev.n == 0) whole = false;
            if (whole) {
                struct pa_txn_region r;
                memset(&r, 0, sizeof r);
                r.kind = fn->atomic_decorated ? PA_TXR_DECORATOR : PA_TXR_REQUEST;
                r.line = fd->body_line ? fd->body_line : fd->line;
                r.open_line = fd->line;
                r.end_line = fd->end_line;
                r.with = -1;
                r.open_ev = r.close_ev = -1;
                r.key = "django";
                if (!fn->atomic_decorated) {
                    r.line = fn->ev.v[0].line;
                    r.col = fn->ev.v[0].col;
                }
                r.what = fn->atomic_decorated
                             ? pa_arena_printf(&tf->arena, "`@transaction.atomic` on %s()", fd->name)
                             : pa_arena_printf(&tf->arena, "the request transaction of view %s() (ATOMIC_REQUESTS)", fd->name);
                pa_vec_push(&fn->rg, r);
            }
        }
        /* Django ORM calls outside atomic() autocommit */
        for (size_t i = 0; i < fn->ev.n; i++) {
            struct pa_txn_event *e = &fn->ev.v[i];
            if (e->key && strcmp(e->key, "django") == 0 && e->op != PA_TXN_COMMIT && e->op != PA_TXN_ROLLBACK)
                e->autocommit = !whole && !in_block(tf, fn, e->with, e->line);
        }
        add_autobegin(tf, fn);
        add_dependency(tf, fn);
    }
}

/* ---- the per-thread model memo --------------------------------------------
 * The five rules each read every file's model. Between pa_txn_memo_begin
 * and _end on one thread, pa_txn_file_get builds a file's model once: a
 * model with events or regions is kept (few files touch the database), a
 * file found empty is only remembered as such. */
enum { MEMO_UNKNOWN = 0, MEMO_EMPTY, MEMO_KEPT };

struct txn_memo {
    const struct pa_audit_input *in;
    uint8_t *state;               /* per file: MEMO_* */
    struct pa_txn_file *models;   /* per file: the kept model (MEMO_KEPT) */
};

static _Thread_local struct txn_memo *t_memo;

void pa_txn_memo_begin(const struct pa_audit_input *in)
{
    pa_txn_memo_end();
    struct txn_memo *m = pa_xcalloc(1, sizeof *m);
    m->in = in;
    m->state = pa_xcalloc(in->nfiles ? in->nfiles : 1, 1);
    m->models = pa_xcalloc(in->nfiles ? in->nfiles : 1, sizeof *m->models);
    t_memo = m;
}

void pa_txn_memo_end(void)
{
    struct txn_memo *m = t_memo;
    if (!m) return;
    for (size_t i = 0; i < m->in->nfiles; i++)
        if (m->state[i] == MEMO_KEPT) pa_txn_file_free(&m->models[i]);
    free(m->state);
    free(m->models);
    free(m);
    t_memo = NULL;
}

static bool model_is_empty(const struct pa_txn_file *tf)
{
    for (size_t i = 0; i < tf->nfuncs; i++)
        if (tf->funcs[i].ev.n || tf->funcs[i].rg.n) return false;
    return true;
}

const struct pa_txn_file *pa_txn_file_get(const struct pa_audit_input *in, int32_t file)
{
    if (!in || file < 0 || (size_t)file >= in->nfiles) return NULL;
    if (!t_memo || t_memo->in != in) pa_txn_memo_begin(in);   /* a safety net: the auditor brackets its rules */
    struct txn_memo *m = t_memo;
    if (m->state[file] == MEMO_UNKNOWN) {
        pa_txn_file_build(in, file, &m->models[file]);
        if (model_is_empty(&m->models[file])) {
            pa_txn_file_free(&m->models[file]);
            m->state[file] = MEMO_EMPTY;
        } else {
            m->state[file] = MEMO_KEPT;
        }
    }
    return m->state[file] == MEMO_KEPT ? &m->models[file] : NULL;
}

void pa_txn_file_free(struct pa_txn_file *tf)
{
    for (size_t i = 0; i < tf->nfuncs; i++) {
        pa_vec_free(&tf->funcs[i].ev);
        pa_vec_free(&tf->funcs[i].rg);
        pa_vec_free(&tf->funcs[i].calls);
    }
    free(tf->funcs);
    pa_arena_free(&tf->arena);
    memset(tf, 0, sizeof *tf);
}

/* ---- region queries ------------------------------------------------------- */

bool pa_txn_in_region(const struct pa_txn_file *tf, const struct pa_txn_region *r, int32_t call, uint32_t line, uint32_t col)
{
    const struct pa_file_facts *f = tf->f;
    const struct pa_call *c = call_at(f, call);
    switch (r->kind) {
    case PA_TXR_BLOCK: {
        int32_t w = c ? c->with : -1;
        if (!c) {
            /* an assignment: by lines */
            const struct pa_with *wb = &f->withs.v[r->with];
            return line > wb->line && line <= wb->end_line;
        }
        return with_contains(f, w, r->with) && line > f->withs.v[r->with].line;
    }
    case PA_TXR_DECORATOR: return true;
    case PA_TXR_REQUEST: return pos_lt(r->line, r->col, line, col);
    case PA_TXR_AUTOBEGIN:
        if (pos_lt(line, col, r->line, r->col) || !pos_lt(line, col, r->end_line, r->end_col)) return false;
        if (line == r->line && col == r->col) return false;
        return true;
    case PA_TXR_DEPENDENCY: return pos_lt(r->line, r->col, line, col) && line <= r->end_line;
    }
    return false;
}

const struct pa_txn_region *pa_txn_region_of_call(const struct pa_txn_file *tf, const struct pa_txn_func *fn, int32_t ci)
{
    const struct pa_call *c = call_at(tf->f, ci);
    if (!c || !fn) return NULL;
    const struct pa_txn_region *best = NULL;
    int rank = 99;
    for (size_t i = 0; i < fn->rg.n; i++) {
        const struct pa_txn_region *r = &fn->rg.v[i];
        if (!pa_txn_in_region(tf, r, ci, c->line, c->col)) continue;
        int k = r->kind == PA_TXR_BLOCK ? 0 : r->kind == PA_TXR_AUTOBEGIN ? 1 : r->kind == PA_TXR_DEPENDENCY ? 2 : 3;
        /* the innermost block wins among blocks */
        if (k < rank || (k == 0 && rank == 0 && best && r->with > best->with)) {
            best = r;
            rank = k;
        }
    }
    return best;
}

/* ---- realtime consumers ---------------------------------------------------- */

static char *literal_word(const char *text, bool after_listen)
{
    if (!text) return NULL;
    const char *q = text;
    while (*q && *q != '\'' && *q != '"') q++;
    if (!*q) return NULL;
    char quote = *q;
    q++;
    while (*q && isspace((unsigned char)*q)) q++;
    if (after_listen) {
        if (strncasecmp(q, "LISTEN", 6) != 0 || !isspace((unsigned char)q[6])) return NULL;
        q += 6;
        while (*q && isspace((unsigned char)*q)) q++;
        if (*q == '"') q++;
    }
    size_t n = 0;
    while (q[n] && (isalnum((unsigned char)q[n]) || q[n] == '_' || q[n] == '.' || q[n] == '-') && q[n] != quote) n++;
    if (!n) return NULL;
    char *r = pa_xstrndup(q, n);
    for (char *p = r; *p; p++) *p = (char)tolower((unsigned char)*p);
    return r;
}

void pa_txn_realtime_build(const struct pa_audit_input *in, struct pa_txn_realtime *rt)
{
    memset(rt, 0, sizeof rt[0]);
    const struct pa_context *ctx = in->ctx;
    if (ctx) {
        if (ctx->has_realtime_consumer && ctx->realtime_channels.n == 0) rt->push = true;
        for (size_t i = 0; i < ctx->realtime_channels.n; i++) {
            char *ch = pa_xstrdup(ctx->realtime_channels.v[i]);
            for (char *p = ch; *p; p++) *p = (char)tolower((unsigned char)*p);
            pa_vec_push(&rt->channels, ch);
        }
    }
    for (size_t fi = 0; fi < in->nfiles; fi++) {
        const struct pa_file_facts *f = in->files[fi];
        for (size_t ci = 0; ci < f->calls.n; ci++) {
            const struct pa_call *c = &f->calls.v[ci];
            const char *a = c->attr ? c->attr : "";
            if (strcmp(a, "add_listener") == 0 && c->nargs > 0) {
                char *ch = literal_word(c->args[0].text, false);
                if (ch) pa_vec_push(&rt->channels, ch);
                continue;
            }
            if ((strcmp(a, "execute") == 0 || strcmp(a, "execute_async") == 0) && c->nargs > 0) {
                char *ch = literal_word(c->args[0].text, true);
                if (ch) { pa_vec_push(&rt->channels, ch); continue; }
            }
            if (strcmp(a, "EventSourceResponse") == 0 || strcmp(a, "ServerSentEvent") == 0 || strcmp(a, "notifies") == 0) {
                rt->push = true;
                continue;
            }
            for (uint16_t k = 0; k < c->nargs; k++)
                if (c->args[k].text && strstr(c->args[k].text, "text/event-stream")) rt->push = true;
        }
        for (size_t k = 0; k < f->funcs.n; k++) {
            const struct pa_func *fn = &f->funcs.v[k];
            for (uint16_t d = 0; d < fn->ndecorators; d++)
                if (strstr(fn->decorators[d], ".websocket(") || strstr(fn->decorators[d], "websocket_route") ||
                    strstr(fn->decorators[d], ".ws_route("))
                    rt->push = true;
            for (uint16_t p = 0; p < fn->nparams; p++)
                if (fn->params[p].annotation && strcmp(fn->params[p].annotation, "WebSocket") == 0) rt->push = true;
        }
        for (size_t k = 0; k < f->classes.n; k++) {
            const struct pa_class *cl = &f->classes.v[k];
            for (uint16_t b = 0; b < cl->nbases; b++)
                if (strstr(cl->bases[b], "WebsocketConsumer") || strstr(cl->bases[b], "WebSocketEndpoint")) rt->push = true;
        }
    }
}

void pa_txn_realtime_free(struct pa_txn_realtime *rt)
{
    for (size_t i = 0; i < rt->channels.n; i++) free(rt->channels.v[i]);
    pa_vec_free(&rt->channels);
}

bool pa_txn_channel_is_realtime(const struct pa_txn_realtime *rt, const char *channel)
{
    if (rt->push) return true;
    if (!channel) return rt->channels.n > 0;
    for (size_t i = 0; i < rt->channels.n; i++)
        if (pa_str_ieq(rt->channels.v[i], channel)) return true;
    return false;
}
