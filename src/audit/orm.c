/* orm.c - ORM-aware questions over facts + index + models (implements
 * include/pa/orm.h), shared by the query and transaction auditors.
 *
 * A "query chain" is a call together with the calls it was made on
 * (session.query(U).filter(x).all() is the chain query → filter → all; the
 * outermost call is its head). Classification looks at the chain's root:
 * what the index resolved it to (a library signature: Session, AsyncSession,
 * Query, Connection, Django QuerySet/Model, DB-API cursor, asyncpg), or - when
 * the index could not type the receiver - conservative name evidence (a
 * receiver called session/db/cursor/conn, a parameter annotated Session, a
 * Depends(get_db) default, `Model.objects.…` of a known model). The statement
 * handed to execute() decides read vs UPDATE/DELETE/INSERT: select()/update()
 * /delete()/insert() builders, text("…") and SQL string literals, also through
 * a local variable holding the statement. Calls of project functions take the
 * dominant DB operation of the callee's body (transitively, depth-limited).
 *
 * DESIGN: pure reads of frozen facts/index/models, so every function is
 * thread-safe; the only cache is the per-thread memo of classification
 * answers and per-file walk tables (pa_orm_memo_begin/end, a _Thread_local
 * pointer). Recursion is bounded (ORM_DEPTH) and guarded against call
 * cycles with a small explicit stack.
 */
#include "pa/orm.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#define ORM_DEPTH 4

enum fam {
    F_NONE = 0,
    F_SESSION,    /* sqlalchemy Session / AsyncSession / sqlmodel Session */
    F_QUERY,      /* legacy Query (session.query(...) / Model.query) */
    F_SA_CONN,    /* sqlalchemy Connection / AsyncConnection */
    F_DJ_QS,      /* Django manager / QuerySet */
    F_DJ_MODEL,   /* Django model instance */
    F_DBAPI,      /* DB-API connection/cursor, asyncpg connection/pool */
    F_PROJECT,    /* a project function */
    F_TXN,        /* transaction control outside a session: engine.begin(), sessionmaker.begin(), atomic() */
};

struct visit {
    pa_fref st[ORM_DEPTH + 2]; /* functions being classified (cycle guard) */
    int n;                     /* depth */
    int budget;                /* project functions still allowed to be expanded (bounds the work per question) */
};

#define ORM_BUDGET 48

static const struct pa_call *call_at(const struct pa_file_facts *f, int32_t i)
{
    return i >= 0 && (size_t)i < f->calls.n ? &f->calls.v[i] : NULL;
}

static bool in_set(const char *s, const char *const *set)
{
    for (int i = 0; s && set[i]; i++)
        if (s[0] == set[i][0] && strcmp(s, set[i]) == 0) return true;   /* first byte: a cheap filter */
    return false;
}

/* Chain of `call` from its root up to `call` itself: out[0] = root. */
static size_t chain_of(const struct pa_file_facts *f, int32_t call, int32_t *out, size_t max)
{
    int32_t tmp[16];
    size_t n = 0;
    for (int32_t c = call; call_at(f, c) && n < 16 && n < max; c = call_at(f, c)->recv_call) tmp[n++] = c;
    for (size_t i = 0; i < n; i++) out[i] = tmp[n - 1 - i];
    return n;
}

/* Receiver text of a call: callee up to its last dot ("self.session" for
 * self.session.get). Owned or NULL when the callee has no dot. */
static char *receiver_of(const struct pa_call *c)
{
    const char *d = strrchr(c->callee, '.');
    if (!d || d == c->callee) return NULL;
    return pa_xstrndup(c->callee, (size_t)(d - c->callee));
}

static const char *const k_session_names[] = {
    "session", "db", "db_session", "dbsession", "sess", "async_session", "asession", "s_",
    "self.session", "self.db", "self._session", "self._db", "self.db_session", "self._db_session",
    "cls.session", "uow.session", "self.uow.session", "self._uow.session", NULL};
static const char *const k_engine_names[] = {"engine", "async_engine", "self.engine", "self._engine", "transaction", NULL};
static const char *const k_dbapi_names[] = {
    "cursor", "cur", "conn", "connection", "con", "dbconn", "db_conn", "pool", "pg", "tx",
    "self.conn", "self.connection", "self._conn", "self._connection", "self.cursor", "self._cursor",
    "self.pool", "self._pool", "self.cur", NULL};

/* Family named by a type/annotation text ("AsyncSession", "Optional[Session]", "asyncpg.Pool"). */
static enum fam fam_of_type_text(const char *t)
{
    if (!t) return F_NONE;
    if (strstr(t, "Session") && !strstr(t, "sessionmaker") && !strstr(t, "ClientSession")) return F_SESSION;
    if (strstr(t, "AsyncConnection") || strstr(t, "sqlalchemy") ) return F_SA_CONN;
    if (strstr(t, "Cursor") || strstr(t, "cursor") || strstr(t, "asyncpg") || strstr(t, "psycopg") ||
        strstr(t, "sqlite3") || strstr(t, "Pool") || strstr(t, "Connection"))
        return F_DBAPI;
    return F_NONE;
}

static enum fam fam_of_default(const char *d)
{
    if (!d || !pa_str_starts(d, "Depends(")) return F_NONE;
    if (strstr(d, "session") || strstr(d, "get_db") || strstr(d, "Session")) return F_SESSION;
    if (strstr(d, "conn") || strstr(d, "pool")) return F_DBAPI;
    return F_NONE;
}

/* Is the receiver bound only by an unannotated parameter (no annotation, no
 * Depends() default, no assignment or with-binding in the function)? Its
 * type is then a guess from its name. */
static bool receiver_untyped(const struct pa_file_facts *f, int32_t func, const char *recv)
{
    if (strchr(recv, '.')) return false;
    const struct pa_func *fn = pa_facts_func(f, func);
    bool param = false;
    for (uint16_t i = 0; fn && i < fn->nparams; i++)
        if (strcmp(fn->params[i].name, recv) == 0) {
            if (fn->params[i].annotation || fn->params[i].default_) return false;
            param = true;
        }
    if (!param) return false;
    for (size_t a = 0; a < f->assigns.n; a++)
        if (f->assigns.v[a].func == func && strcmp(f->assigns.v[a].target, recv) == 0) return false;
    for (size_t w = 0; w < f->withs.n; w++) {
        const struct pa_with *wi = &f->withs.v[w];
        if (wi->func != func) continue;
        for (uint16_t k = 0; k < wi->nitems; k++)
            if (wi->items[k].as && strcmp(wi->items[k].as, recv) == 0) return false;
    }
    return true;
}

/* Family of a receiver expression from parameters of the enclosing function
 * and, for self.x, from the `self.x = param` assignment in the class. */
static bool memo_self_assigns(const struct pa_audit_input *in, int32_t file, const char *target, const int32_t **idx,
                              size_t *n);

/* Does assignment `as` (in a method of class cls) declare the receiver's family?
 * Sets *k and returns true when it decides. */
static bool self_assign_family(const struct pa_file_facts *f, const struct pa_assign *as, int32_t cls, enum fam *k)
{
    if (as->func < 0) return false;
    const struct pa_func *m = pa_facts_func(f, as->func);
    if (!m || m->cls != cls) return false;
    if (as->annotation) { *k = fam_of_type_text(as->annotation); return true; }
    if (as->value_kind == PA_EXPR_NAME && as->value)
        for (uint16_t i = 0; i < m->nparams; i++)
            if (strcmp(m->params[i].name, as->value) == 0) {
                enum fam t = fam_of_type_text(m->params[i].annotation);
                *k = t ? t : fam_of_default(m->params[i].default_);
                return true;
            }
    return false;
}

static enum fam fam_of_receiver_decl(const struct pa_audit_input *in, int32_t file, int32_t func, const char *recv)
{
    const struct pa_file_facts *f = in->files[file];
    const struct pa_func *fn = pa_facts_func(f, func);
    for (int32_t fi = func; fi >= 0 && fn; fi = fn->parent, fn = pa_facts_func(f, fi)) {
        for (uint16_t i = 0; i < fn->nparams; i++) {
            if (strcmp(fn->params[i].name, recv) != 0) continue;
            enum fam k = fam_of_type_text(fn->params[i].annotation);
            if (!k) k = fam_of_default(fn->params[i].default_);
            return k;
        }
    }
    fn = pa_facts_func(f, func);
    if (fn && fn->cls >= 0 && pa_str_starts(recv, "self.")) {
        enum fam k = F_NONE;
        const int32_t *idx;
        size_t n;
        if (memo_self_assigns(in, file, recv, &idx, &n)) {   /* the assignments to recv, in source order */
            for (size_t j = 0; j < n; j++)
                if (self_assign_family(f, &f->assigns.v[idx[j]], fn->cls, &k)) return k;
        } else {
            for (size_t a = 0; a < f->assigns.n; a++)
                if (strcmp(f->assigns.v[a].target, recv) == 0 && self_assign_family(f, &f->assigns.v[a], fn->cls, &k))
                    return k;
        }
    }
    return F_NONE;
}

static enum fam fam_of_sig(const char *name)
{
    if (!name) return F_NONE;
    if (pa_str_starts(name, "sqlalchemy.orm.Session.") || pa_str_starts(name, "sqlalchemy.ext.asyncio.AsyncSession.") ||
        pa_str_starts(name, "sqlmodel.Session.") || pa_str_starts(name, "sqlalchemy.orm.scoped_session."))
        return F_SESSION;
    if (pa_str_starts(name, "sqlalchemy.orm.Query.")) return F_QUERY;
    if (pa_str_starts(name, "sqlalchemy.engine.Connection.") || pa_str_starts(name, "sqlalchemy.ext.asyncio.AsyncConnection."))
        return F_SA_CONN;
    if (pa_str_starts(name, "django.db.models.QuerySet.") || pa_str_starts(name, "django.db.models.Manager.")) return F_DJ_QS;
    if (pa_str_starts(name, "django.db.models.Model.")) return F_DJ_MODEL;
    if (((pa_str_starts(name, "sqlalchemy.") && (pa_str_ends(name, ".begin") || pa_str_ends(name, ".begin_nested"))) ||
         pa_str_starts(name, "django.db.transaction.")))
        return F_TXN;
    if (pa_str_starts(name, "psycopg") || pa_str_starts(name, "sqlite3.") || pa_str_starts(name, "asyncpg.") ||
        pa_str_starts(name, "pymysql.") || pa_str_starts(name, "MySQLdb.") || pa_str_starts(name, "aiosqlite.") ||
        pa_str_starts(name, "aiomysql.") || pa_str_starts(name, "databases."))
        return F_DBAPI;
    return F_NONE;
}

static const struct pa_model *model_named(const struct pa_audit_input *in, const char *text)
{
    if (!text || !*text) return NULL;
    for (const char *p = text; *p; p++)
        if (!(isalnum((unsigned char)*p) || *p == '_' || *p == '.')) return NULL;
    return pa_models_by_name(in->models, pa_str_last_dot(text));
}

/* Django `Model.objects.…` / `Model._default_manager.…`, or Flask-SQLAlchemy
 * `Model.query.…`: the model, else NULL. */
static const struct pa_model *manager_model(const struct pa_audit_input *in, const struct pa_call *root, enum fam *fam)
{
    const char *cal = root->callee;
    const char *o = strstr(cal, ".objects.");
    if (!o) o = strstr(cal, "._default_manager.");
    if (o) {
        char *m = pa_xstrndup(cal, (size_t)(o - cal));
        const struct pa_model *md = model_named(in, m);
        free(m);
        if (md) { *fam = F_DJ_QS; return md; }
    }
    const char *q = strstr(cal, ".query.");
    if (q) {
        char *m = pa_xstrndup(cal, (size_t)(q - cal));
        const struct pa_model *md = model_named(in, m);
        free(m);
        if (md && md->kind != PA_ORM_DJANGO) { *fam = F_QUERY; return md; }
    }
    return NULL;
}

static const struct pa_model *var_model_d(const struct pa_audit_input *in, int32_t file, int32_t func, const char *name,
                                          uint32_t line, int depth);
static const struct pa_model *call_model_d(const struct pa_audit_input *in, int32_t file, int32_t call, int depth);

/* The family of a chain root, with the model named by the receiver when known. */
static enum fam root_family(const struct pa_audit_input *in, int32_t file, int32_t root, struct pa_target *tg,
                            const struct pa_model **recv_model, int depth)
{
    const struct pa_file_facts *f = in->files[file];
    const struct pa_call *c = call_at(f, root);
    *recv_model = NULL;
    *tg = pa_index_resolve(in->index, file, root);
    enum fam fam = F_NONE;
    const struct pa_model *mm = manager_model(in, c, &fam);
    if (mm) { *recv_model = mm; return fam; }
    if (tg->kind == PA_TARGET_PROJECT) return F_PROJECT;
    if (tg->kind == PA_TARGET_CLASS) return F_NONE;
    char *recv = receiver_of(c);
    bool by_name = false;
    if (tg->kind == PA_TARGET_LIBRARY && tg->lib) {
        /* the index knows the library: trust it (requests.Session.get is not a query) - except
         * that its own session-name guess needs the same model-argument check as ours */
        fam = fam_of_sig(tg->lib->name);
        if (fam == F_DJ_MODEL && c->base) *recv_model = var_model_d(in, file, c->func, c->base, c->line, depth + 1);
        by_name = fam == F_SESSION && recv && in_set(recv, k_session_names) && receiver_untyped(f, c->func, recv);
    } else if (recv) {
        if (in_set(recv, k_session_names)) { fam = F_SESSION; by_name = true; }
        else if (in_set(recv, k_dbapi_names)) fam = F_DBAPI;
        else if (in_set(recv, k_engine_names)) fam = F_TXN;
        else fam = fam_of_receiver_decl(in, file, c->func, recv);
    }
    if (!recv) return fam;
    if (fam == F_SESSION && by_name) {
        /* a receiver merely *named* session could be an HTTP session: get()/delete() must name a model */
        const struct pa_arg *a0 = NULL;
        for (uint16_t i = 0; i < c->nargs && !a0; i++)
            if (!c->args[i].kw) a0 = &c->args[i];
        if (strcmp(c->attr, "get") == 0 && !(a0 && model_named(in, a0->text))) fam = F_NONE;
        if (strcmp(c->attr, "delete") == 0 &&
            !(a0 && a0->kind == PA_EXPR_NAME && var_model_d(in, file, c->func, a0->text, c->line, depth + 1)))
            fam = F_NONE;
        if (a0 && (a0->kind == PA_EXPR_STR || a0->kind == PA_EXPR_FSTRING) &&
            (strcmp(c->attr, "get") == 0 || strcmp(c->attr, "delete") == 0))
            fam = F_NONE;
    }
    if (!fam && !strchr(recv, '.') && !strchr(recv, '(') && !strchr(recv, '[') &&
        (strcmp(c->attr, "save") == 0 || strcmp(c->attr, "delete") == 0 || strcmp(c->attr, "asave") == 0 ||
         strcmp(c->attr, "adelete") == 0 || strcmp(c->attr, "refresh_from_db") == 0)) {
        const struct pa_model *vm = var_model_d(in, file, c->func, recv, c->line, depth + 1);
        if (vm && vm->kind == PA_ORM_DJANGO) { *recv_model = vm; fam = F_DJ_MODEL; }
    }
    free(recv);
    return fam;
}

/* ---- SQL text --------------------------------------------------------- */

static bool word_at(const char *p, const char *w)
{
    size_t n = strlen(w);
    for (size_t i = 0; i < n; i++)
        if (toupper((unsigned char)p[i]) != w[i]) return false;
    return !(isalnum((unsigned char)p[n]) || p[n] == '_');
}

static const char *find_word(const char *s, const char *w)
{
    for (const char *p = s; *p; p++)
        if ((p == s || !(isalnum((unsigned char)p[-1]) || p[-1] == '_')) && word_at(p, w)) return p;
    return NULL;
}

static bool ci_contains(const char *s, const char *needle)
{
    size_t n = strlen(needle);
    for (const char *p = s; *p; p++) {
        size_t i = 0;
        while (i < n && p[i] && toupper((unsigned char)p[i]) == toupper((unsigned char)needle[i])) i++;
        if (i == n) return true;
    }
    return false;
}

/* Table name after `kw` (FROM/INTO/UPDATE) in SQL text; lowercased, owned or NULL. */
static char *sql_table_after(const char *sql, const char *kw)
{
    const char *p = find_word(sql, kw);
    if (!p) return NULL;
    p += strlen(kw);
    while (*p == ' ' || *p == '\n' || *p == '\t' || *p == '"' || *p == '`') p++;
    const char *s = p;
    while (isalnum((unsigned char)*p) || *p == '_' || *p == '.') p++;
    if (p == s) return NULL;
    const char *dot = NULL;
    for (const char *q = s; q < p; q++)
        if (*q == '.') dot = q;
    if (dot) s = dot + 1;
    char *t = pa_xstrndup(s, (size_t)(p - s));
    for (char *q = t; *q; q++) *q = (char)tolower((unsigned char)*q);
    return t;
}

/* Classify SQL text (a Python string literal's source text). */
static pa_db_op sql_op(const char *text, bool *bulk, char **table, bool *utility)
{
    if (!text) return PA_DB_NONE;
    const char *p = text;
    while (*p && (isalpha((unsigned char)*p))) p++;            /* string prefix f/r/b/u */
    while (*p == '"' || *p == '\'') p++;
    while (*p && (isspace((unsigned char)*p) || *p == '(' || *p == '\\')) {
        if (*p == '\\' && p[1]) p++;
        p++;
    }
    pa_db_op op = PA_DB_NONE;
    const char *kw = NULL;
    if (word_at(p, "SELECT") || word_at(p, "SHOW") || word_at(p, "EXPLAIN")) { op = PA_DB_READ; kw = "FROM"; }
    else if (word_at(p, "WITH")) {
        op = PA_DB_READ; kw = "FROM";
        if (find_word(p, "UPDATE")) { op = PA_DB_UPDATE; kw = "UPDATE"; }
        else if (find_word(p, "DELETE")) { op = PA_DB_DELETE; kw = "FROM"; }
        else if (find_word(p, "INSERT")) { op = PA_DB_INSERT; kw = "INTO"; }
    }
    else if (word_at(p, "UPDATE")) { op = PA_DB_UPDATE; kw = "UPDATE"; }
    else if (word_at(p, "DELETE")) { op = PA_DB_DELETE; kw = "FROM"; }
    else if (word_at(p, "INSERT") || word_at(p, "REPLACE") || word_at(p, "UPSERT")) { op = PA_DB_INSERT; kw = "INTO"; }
    else if (word_at(p, "MERGE")) { op = PA_DB_UPDATE; kw = "INTO"; }
    else if (word_at(p, "COMMIT")) op = PA_DB_COMMIT;
    else if (word_at(p, "ROLLBACK")) op = PA_DB_ROLLBACK;
    else if (word_at(p, "BEGIN") || (word_at(p, "START") && find_word(p, "TRANSACTION"))) op = PA_DB_BEGIN;
    else if (utility) {
        static const char *const util[] = {"CREATE", "ALTER", "DROP", "TRUNCATE", "GRANT", "REVOKE", "SET", "RESET",
            "VACUUM", "ANALYZE", "LOCK", "NOTIFY", "LISTEN", "UNLISTEN", "PRAGMA", "COMMENT", "REINDEX", "CLUSTER",
            "REFRESH", "DISCARD", "DEALLOCATE", "PREPARE", "ATTACH", "DETACH", NULL};
        for (int i = 0; util[i]; i++)
            if (word_at(p, util[i])) *utility = true;
    }
    if (bulk && (op == PA_DB_UPDATE || op == PA_DB_DELETE))
        *bulk = ci_contains(p, "ANY(") || ci_contains(p, "ANY (") || ci_contains(p, " IN (") ||
                ci_contains(p, "UNNEST(") || !find_word(p, "WHERE");
    if (bulk && op == PA_DB_INSERT) *bulk = ci_contains(p, "UNNEST(") || (find_word(p, "SELECT") != NULL);
    if (table && kw && !*table) *table = sql_table_after(p, kw);
    return op;
}

/* ---- statements (select/update/delete/insert builders) ------------------ */

struct dbres {
    pa_db_op op;
    const struct pa_model *model;
    char *table;            /* owned */
    bool bulk;
    bool via_project;
    pa_fref callee;
};

/* The nearest assignment of `name` in func before line: its index or -1. */
static int32_t assign_before(const struct pa_file_facts *f, int32_t func, const char *name, uint32_t line)
{
    int32_t best = -1;
    for (size_t a = 0; a < f->assigns.n; a++) {
        const struct pa_assign *as = &f->assigns.v[a];
        if (as->func != func || as->line > line || strcmp(as->target, name) != 0) continue;
        if (as->line == line && as->value_call < 0) continue;
        if (best < 0 || as->line >= f->assigns.v[best].line) best = (int32_t)a;
    }
    return best;
}

/* Classify the statement expression passed to execute(): builder chain,
 * text()/string SQL, or a local variable holding one. */
static void stmt_classify(const struct pa_audit_input *in, int32_t file, const struct pa_call *exec_call,
                          const struct pa_arg *a, struct dbres *r, int depth)
{
    const struct pa_file_facts *f = in->files[file];
    r->op = PA_DB_READ;
    if (!a || depth > ORM_DEPTH) return;
    if (a->kind == PA_EXPR_STR || a->kind == PA_EXPR_FSTRING || a->kind == PA_EXPR_BINOP) {
        bool util = false;
        pa_db_op op = sql_op(a->text, &r->bulk, &r->table, &util);
        if (op) r->op = op;
        else if (util) r->op = PA_DB_NONE;   /* DDL / session settings: not a row read or write */
        return;
    }
    if (a->kind == PA_EXPR_NAME && a->text) {
        int32_t as = assign_before(f, exec_call->func, a->text, exec_call->line);
        if (as < 0) return;
        const struct pa_assign *asg = &f->assigns.v[as];
        struct pa_arg tmp = {.kw = NULL, .kind = asg->value_kind, .flags = asg->value_flags, .text = asg->value,
                              .call = asg->value_call, .func = -1, .nelems = asg->value_nelems};
        if (asg->value_kind == PA_EXPR_NAME) return;
        stmt_classify(in, file, call_at(f, asg->value_call) ? call_at(f, asg->value_call) : exec_call, &tmp, r, depth + 1);
        return;
    }
    if (a->call < 0) return;
    int32_t ch[16];
    size_t n = chain_of(f, a->call, ch, 16);
    const struct pa_call *root = call_at(f, ch[0]);
    const char *at = root->attr;
    const struct pa_arg *a0 = pa_call_posarg(root, 0);
    if (strcmp(at, "text") == 0) {
        bool util = false;
        pa_db_op op = a0 ? sql_op(a0->text, &r->bulk, &r->table, &util) : PA_DB_NONE;
        if (op) r->op = op;
        else if (util) r->op = PA_DB_NONE;
        return;
    }
    if (strcmp(at, "select") == 0 || strcmp(at, "update") == 0 || strcmp(at, "delete") == 0 ||
        strcmp(at, "insert") == 0) {
        r->op = at[0] == 's' ? PA_DB_READ : at[0] == 'u' ? PA_DB_UPDATE : at[0] == 'd' ? PA_DB_DELETE : PA_DB_INSERT;
        if (a0) r->model = model_named(in, a0->text);
        if (r->op == PA_DB_UPDATE || r->op == PA_DB_DELETE) {
            /* a statement without a per-row WHERE, or with an IN/ANY predicate, is set-based */
            bool where = false, in_pred = false;
            for (size_t i = 1; i < n; i++) {
                const struct pa_call *cc = call_at(f, ch[i]);
                if (strcmp(cc->attr, "where") == 0 || strcmp(cc->attr, "filter") == 0 || strcmp(cc->attr, "filter_by") == 0) {
                    where = true;
                    for (uint16_t k = 0; k < cc->nargs; k++)
                        if (cc->args[k].text && (strstr(cc->args[k].text, ".in_(") || strstr(cc->args[k].text, "any_(")))
                            in_pred = true;
                }
            }
            r->bulk = !where || in_pred;
        }
        if (r->op == PA_DB_INSERT) {
            for (size_t i = 1; i < n; i++) {
                const struct pa_call *cc = call_at(f, ch[i]);
                const struct pa_arg *v0 = pa_call_posarg(cc, 0);
                if (strcmp(cc->attr, "values") == 0 && v0 &&
                    (v0->kind == PA_EXPR_LIST || v0->kind == PA_EXPR_LISTCOMP || v0->kind == PA_EXPR_NAME))
                    r->bulk = true;
                if (strcmp(cc->attr, "from_select") == 0) r->bulk = true;
            }
        }
        if (r->model && !r->table && r->model->table) r->table = pa_xstrdup(r->model->table);
    }
}

/* ---- classification ----------------------------------------------------- */

static int op_rank(pa_db_op op)
{
    switch (op) {
    case PA_DB_UPDATE: return 9;
    case PA_DB_DELETE: return 8;
    case PA_DB_INSERT: return 7;
    case PA_DB_ADD: return 6;
    case PA_DB_READ: return 5;
    case PA_DB_FLUSH: return 4;
    case PA_DB_COMMIT: return 3;
    case PA_DB_ROLLBACK: return 2;
    case PA_DB_BEGIN: return 1;
    case PA_DB_NONE: break;
    }
    return 0;
}

static bool classify_d(const struct pa_audit_input *in, int32_t file, int32_t call, struct dbres *r, struct visit *vs);

/* ---- per-thread memo ---------------------------------------------------------
 * The answer of pa_orm_classify_call for (in, file, call) is a pure function
 * of frozen input, and the rules of an auditor ask the same questions again
 * and again (every transaction rule rebuilds the file's transaction model).
 * Between pa_orm_memo_begin(in) and pa_orm_memo_end() on one thread, answers
 * are kept in that thread's memo (a _Thread_local pointer: never shared, so
 * no lock), with per-file helper tables for the project-function walk.
 * Without an active memo for `in`, nothing is cached and the same answers are
 * computed directly. */
struct memo_file {
    int32_t *slot;       /* per call: 0 unknown, -1 "no", else index+1 into orm_memo.ent; NULL until used */
    int32_t *pop;        /* per function: 0 unknown, else index+1 into orm_memo.pops; NULL until used */
    uint8_t *is_recv;    /* per call: is_receiver() answer; NULL until used */
    bool sorted;         /* call lines are non-decreasing (valid once is_recv is set) */
    int32_t *self_asg;   /* assignments to `self.…` sorted by (target, index); NULL until used */
    size_t nself_asg;
};

/* What project_op() did to a zeroed result at depth 0 with a fresh budget
 * and an empty stack - a pure function of the project function. */
struct memo_pop {
    pa_db_op op;
    const struct pa_model *model;
    char *table;                      /* owned */
    bool bulk;
};

struct orm_memo {
    const struct pa_audit_input *in;  /* the input the answers belong to (borrowed) */
    struct memo_file *files;          /* per file */
    PA_VEC(struct pa_db_call) ent;    /* "yes" answers (every pointer in them borrows frozen data) */
    PA_VEC(struct memo_pop) pops;     /* project_op results at depth 0 */
};

static _Thread_local struct orm_memo *tl_memo;

void pa_orm_memo_begin(const struct pa_audit_input *in)
{
    pa_orm_memo_end();
    if (!in) return;
    struct orm_memo *m = pa_xcalloc(1, sizeof *m);
    m->in = in;
    m->files = pa_xcalloc(in->nfiles ? in->nfiles : 1, sizeof *m->files);
    tl_memo = m;
}

void pa_orm_memo_end(void)
{
    struct orm_memo *m = tl_memo;
    if (!m) return;
    for (size_t i = 0; i < m->in->nfiles; i++) {
        free(m->files[i].slot);
        free(m->files[i].pop);
        free(m->files[i].is_recv);
        free(m->files[i].self_asg);
    }
    for (size_t i = 0; i < m->pops.n; i++) free(m->pops.v[i].table);
    pa_vec_free(&m->pops);
    free(m->files);
    pa_vec_free(&m->ent);
    free(m);
    tl_memo = NULL;
}

struct asg_key {
    const char *target;
    int32_t idx;
};

static int cmp_asg_key(const void *a, const void *b)
{
    const struct asg_key *x = a, *y = b;
    int c = strcmp(x->target, y->target);
    return c ? c : (x->idx > y->idx) - (x->idx < y->idx);
}

/* The assignments of file `file` whose target is `target` (a `self.…` name), in
 * source order, from the memo's sorted table; false without an active memo. */
static bool memo_self_assigns(const struct pa_audit_input *in, int32_t file, const char *target, const int32_t **idx,
                              size_t *n)
{
    struct orm_memo *m = tl_memo;
    if (!m || m->in != in || file < 0 || (size_t)file >= in->nfiles) return false;
    struct memo_file *mf = &m->files[file];
    const struct pa_file_facts *f = in->files[file];
    if (!mf->self_asg) {
        struct asg_key *keys = pa_xmalloc((f->assigns.n ? f->assigns.n : 1) * sizeof *keys);
        size_t k = 0;
        for (size_t a = 0; a < f->assigns.n; a++)
            if (pa_str_starts(f->assigns.v[a].target, "self.")) keys[k++] = (struct asg_key){f->assigns.v[a].target, (int32_t)a};
        qsort(keys, k, sizeof *keys, cmp_asg_key);
        mf->self_asg = pa_xmalloc((k ? k : 1) * sizeof *mf->self_asg);
        for (size_t i = 0; i < k; i++) mf->self_asg[i] = keys[i].idx;
        mf->nself_asg = k;
        free(keys);
    }
    /* first entry whose target is >= target */
    size_t lo = 0, hi = mf->nself_asg;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (strcmp(f->assigns.v[mf->self_asg[mid]].target, target) < 0) lo = mid + 1;
        else hi = mid;
    }
    size_t end = lo;
    while (end < mf->nself_asg && strcmp(f->assigns.v[mf->self_asg[end]].target, target) == 0) end++;
    *idx = mf->self_asg + lo;
    *n = end - lo;
    return true;
}

/* The memo's helper tables of file `file` of `in` (built on first use), or
 * NULL without an active memo for `in`. */
static const struct memo_file *memo_walk_tables(const struct pa_audit_input *in, int32_t file)
{
    struct orm_memo *m = tl_memo;
    if (!m || m->in != in || file < 0 || (size_t)file >= in->nfiles) return NULL;
    struct memo_file *mf = &m->files[file];
    if (!mf->is_recv) {
        const struct pa_file_facts *f = in->files[file];
        size_t n = f->calls.n;
        mf->is_recv = pa_xcalloc(n ? n : 1, 1);
        mf->sorted = true;
        for (size_t j = 0; j < n; j++) {
            /* is_receiver(i) looks at the 64 calls before i for one whose receiver is i */
            int32_t r = f->calls.v[j].recv_call;
            if (r > (int32_t)j && (size_t)r < n && r - (int32_t)j <= 64) mf->is_recv[r] = 1;
            if (j && f->calls.v[j].line < f->calls.v[j - 1].line) mf->sorted = false;
        }
    }
    return mf;
}

/* Is call i of f the receiver of another call (i.e. not the head of its chain)? */
static bool is_receiver(const struct pa_file_facts *f, int32_t i)
{
    int32_t lo = i > 64 ? i - 64 : 0;
    for (int32_t j = i - 1; j >= lo; j--)
        if (f->calls.v[j].recv_call == i) return true;
    return false;
}

static void project_op_walk(const struct pa_audit_input *in, pa_fref fn, struct dbres *r, struct visit *vs);

/* Dominant DB operation of a project function's body. At depth 0 (a
 * question's own callee: budget fresh, stack empty, r zeroed) the answer
 * depends on the function only, so the memo keeps it. */
static void project_op(const struct pa_audit_input *in, pa_fref fn, struct dbres *r, struct visit *vs)
{
    struct orm_memo *m = tl_memo;
    bool fresh = vs->n == 0 && vs->budget == ORM_BUDGET && !r->op && !r->table && !r->model && !r->bulk;
    if (!fresh || !m || m->in != in || fn.file < 0 || (size_t)fn.file >= in->nfiles || fn.func < 0 ||
        (size_t)fn.func >= in->files[fn.file]->funcs.n) {
        project_op_walk(in, fn, r, vs);
        return;
    }
    struct memo_file *mf = &m->files[fn.file];
    if (!mf->pop) mf->pop = pa_xcalloc(in->files[fn.file]->funcs.n, sizeof *mf->pop);
    int32_t k = mf->pop[fn.func];
    if (k == 0) {
        project_op_walk(in, fn, r, vs);
        struct memo_pop e = {r->op, r->model, r->table ? pa_xstrdup(r->table) : NULL, r->bulk};
        pa_vec_push(&m->pops, e);
        mf->pop[fn.func] = (int32_t)m->pops.n;
        return;
    }
    const struct memo_pop *e = &m->pops.v[k - 1];
    r->op = e->op;
    r->model = e->model;
    r->table = e->table ? pa_xstrdup(e->table) : NULL;
    r->bulk = e->bulk;
}

static void project_op_walk(const struct pa_audit_input *in, pa_fref fn, struct dbres *r, struct visit *vs)
{
    if (vs->n >= ORM_DEPTH || vs->budget <= 0) return;
    vs->budget--;
    for (int i = 0; i < vs->n; i++)
        if (vs->st[i].file == fn.file && vs->st[i].func == fn.func) return;
    vs->st[vs->n++] = fn;
    const struct pa_file_facts *f = in->files[fn.file];
    const struct pa_func *pf = pa_facts_func(f, fn.func);
    const struct memo_file *mt = pf ? memo_walk_tables(in, fn.file) : NULL;
    size_t first = 0;
    if (mt && mt->sorted) {
        /* sorted lines: the calls before pf->line, which the loop skips, end at the lower bound */
        size_t lo = 0, hi = f->calls.n;
        while (lo < hi) {
            size_t mid = lo + (hi - lo) / 2;
            if (f->calls.v[mid].line < pf->line) lo = mid + 1;
            else hi = mid;
        }
        first = lo;
    }
    for (size_t ci = first; pf && ci < f->calls.n; ci++) {
        const struct pa_call *c = &f->calls.v[ci];
        if (c->line < pf->line) continue;
        if (c->line > pf->end_line) break;
        if (c->func != fn.func || (c->flags & PA_CALL_DECORATOR)) continue;
        if (mt ? mt->is_recv[ci] != 0 : is_receiver(f, (int32_t)ci)) continue;
        struct dbres sub;
        memset(&sub, 0, sizeof sub);
        if (classify_d(in, fn.file, (int32_t)ci, &sub, vs) && op_rank(sub.op) > op_rank(r->op)) {
            free(r->table);
            r->op = sub.op;
            r->model = sub.model;
            r->table = sub.table;
            sub.table = NULL;
            r->bulk = sub.bulk;
        }
        free(sub.table);
        if (r->op == PA_DB_UPDATE && !r->bulk) break;   /* nothing ranks higher */
    }
    vs->n--;
}

static bool chain_has(const struct pa_file_facts *f, const int32_t *ch, size_t n, size_t from, const char *const *set)
{
    for (size_t i = from; i < n; i++)
        if (in_set(call_at(f, ch[i])->attr, set)) return true;
    return false;
}

static const char *const k_dj_read[] = {"all", "filter", "exclude", "get", "first", "last", "count", "exists",
    "aggregate", "in_bulk", "iterator", "latest", "earliest", "values", "values_list", "get_or_create",
    "update_or_create", "select_for_update", "aget", "afirst", "alast", "acount", "aexists", "aaggregate",
    "aget_or_create", "aupdate_or_create", "ain_bulk", "aiterator", "raw", "dates", "none", NULL};
static bool classify_d(const struct pa_audit_input *in, int32_t file, int32_t call, struct dbres *r, struct visit *vs)
{
    const struct pa_file_facts *f = in->files[file];
    const struct pa_call *head = call_at(f, call);
    if (!head || vs->n > ORM_DEPTH) return false;
    int32_t ch[16];
    size_t n = chain_of(f, call, ch, 16);
    const struct pa_call *root = call_at(f, ch[0]);
    struct pa_target tg;
    const struct pa_model *rm = NULL;
    enum fam fam = root_family(in, file, ch[0], &tg, &rm, vs->n);
    const char *m0 = root->attr;
    /* Model(...).save(): a new Django row */
    if (n == 2 && (strcmp(head->attr, "save") == 0 || strcmp(head->attr, "asave") == 0) && !strchr(root->callee, '.')) {
        const struct pa_model *cm = model_named(in, root->callee);
        if (cm && cm->kind == PA_ORM_DJANGO) {
            r->op = PA_DB_INSERT;
            r->model = cm;
            if (cm->table) r->table = pa_xstrdup(cm->table);
            return true;
        }
    }
    const struct pa_arg *a0 = pa_call_posarg(root, 0);
    switch (fam) {
    case F_NONE: return false;
    case F_PROJECT: {
        uint32_t eff = pa_index_call_effects(in->index, file, ch[0]);
        project_op(in, tg.fn, r, vs);
        if (!r->op && (eff & PA_EFF_DB_WRITE)) r->op = PA_DB_ADD;   /* a write of unknown kind */
        else if (!r->op && (eff & PA_EFF_DB_READ)) r->op = PA_DB_READ;
        else if (!r->op && (eff & PA_EFF_COMMIT)) r->op = PA_DB_COMMIT;
        if (!r->op) return false;
        r->via_project = true;
        r->callee = tg.fn;
        r->bulk = r->bulk && r->op != PA_DB_READ;
        return true;
    }
    case F_SESSION:
        if (strcmp(m0, "get") == 0 || strcmp(m0, "get_one") == 0) {
            r->op = PA_DB_READ;
            r->model = a0 ? model_named(in, a0->text) : NULL;
        } else if (strcmp(m0, "execute") == 0 || strcmp(m0, "exec") == 0 || strcmp(m0, "scalars") == 0 ||
                   strcmp(m0, "scalar") == 0 || strcmp(m0, "stream") == 0 || strcmp(m0, "stream_scalars") == 0) {
            stmt_classify(in, file, root, a0, r, 0);
            const struct pa_arg *a1 = pa_call_posarg(root, 1);
            if (a1 && (a1->kind == PA_EXPR_LIST || a1->kind == PA_EXPR_LISTCOMP || a1->kind == PA_EXPR_NAME) &&
                r->op != PA_DB_READ)
                r->bulk = true;   /* executemany form: execute(stmt, [params...]) */
        } else if (strcmp(m0, "query") == 0) {
            r->model = a0 ? model_named(in, a0->text) : NULL;
            static const char *const upd[] = {"update", NULL}, *const del[] = {"delete", NULL};
            r->op = chain_has(f, ch, n, 1, upd) ? PA_DB_UPDATE : chain_has(f, ch, n, 1, del) ? PA_DB_DELETE : PA_DB_READ;
            if (r->op != PA_DB_READ) {
                static const char *const flt[] = {"filter", "filter_by", NULL};
                r->bulk = !chain_has(f, ch, n, 1, flt);
                for (size_t i = 1; i < n; i++) {
                    const struct pa_call *cc = call_at(f, ch[i]);
                    for (uint16_t k = 0; k < cc->nargs; k++)
                        if (cc->args[k].text && strstr(cc->args[k].text, ".in_(")) r->bulk = true;
                }
            }
        } else if (strcmp(m0, "add") == 0) {
            r->op = PA_DB_ADD;
            if (a0 && a0->kind == PA_EXPR_NAME) r->model = var_model_d(in, file, root->func, a0->text, root->line, 1);
            else if (a0 && a0->call >= 0) r->model = call_model_d(in, file, a0->call, 1);
        } else if (strcmp(m0, "add_all") == 0) {
            r->op = PA_DB_ADD;
            r->bulk = true;
        } else if (strcmp(m0, "delete") == 0) {
            r->op = PA_DB_DELETE;
            if (a0 && a0->kind == PA_EXPR_NAME) r->model = var_model_d(in, file, root->func, a0->text, root->line, 1);
        } else if (strcmp(m0, "merge") == 0) r->op = PA_DB_ADD;
        else if (strcmp(m0, "flush") == 0) r->op = PA_DB_FLUSH;
        else if (strcmp(m0, "commit") == 0) r->op = PA_DB_COMMIT;
        else if (strcmp(m0, "rollback") == 0) r->op = PA_DB_ROLLBACK;
        else if (strcmp(m0, "begin") == 0 || strcmp(m0, "begin_nested") == 0) r->op = PA_DB_BEGIN;
        else if (strcmp(m0, "refresh") == 0) r->op = PA_DB_READ;
        else if (strcmp(m0, "bulk_save_objects") == 0 || strcmp(m0, "bulk_insert_mappings") == 0) {
            r->op = PA_DB_INSERT;
            r->bulk = true;
        } else if (strcmp(m0, "bulk_update_mappings") == 0) {
            r->op = PA_DB_UPDATE;
            r->bulk = true;
        } else return false;
        break;
    case F_QUERY: {
        r->model = rm;
        if (!rm && strcmp(m0, "query") != 0 && a0) r->model = NULL;
        static const char *const upd[] = {"update", NULL}, *const del[] = {"delete", NULL};
        if (chain_has(f, ch, n, 0, upd)) r->op = PA_DB_UPDATE;
        else if (chain_has(f, ch, n, 0, del)) r->op = PA_DB_DELETE;
        else r->op = PA_DB_READ;
        if (r->op != PA_DB_READ) {
            static const char *const flt[] = {"filter", "filter_by", "get", NULL};
            r->bulk = !chain_has(f, ch, n, 0, flt);
        }
        break;
    }
    case F_SA_CONN:
        if (strcmp(m0, "execute") == 0 || strcmp(m0, "scalar") == 0 || strcmp(m0, "scalars") == 0 ||
            strcmp(m0, "stream") == 0 || strcmp(m0, "exec_driver_sql") == 0) {
            stmt_classify(in, file, root, a0, r, 0);
            const struct pa_arg *a1 = pa_call_posarg(root, 1);
            if (a1 && (a1->kind == PA_EXPR_LIST || a1->kind == PA_EXPR_LISTCOMP) && r->op != PA_DB_READ) r->bulk = true;
        } else if (strcmp(m0, "commit") == 0) r->op = PA_DB_COMMIT;
        else if (strcmp(m0, "rollback") == 0) r->op = PA_DB_ROLLBACK;
        else if (strcmp(m0, "begin") == 0 || strcmp(m0, "begin_nested") == 0) r->op = PA_DB_BEGIN;
        else return false;
        break;
    case F_DJ_QS: {
        r->model = rm;
        if (!r->model && root->base) r->model = var_model_d(in, file, root->func, root->base, root->line, 1);
        static const char *const upd[] = {"update", "aupdate", NULL}, *const del[] = {"delete", "adelete", NULL};
        static const char *const crt[] = {"create", "acreate", NULL}, *const bc[] = {"bulk_create", "abulk_create", NULL};
        static const char *const bu[] = {"bulk_update", "abulk_update", NULL};
        static const char *const flt[] = {"filter", "exclude", "get", NULL};
        if (chain_has(f, ch, n, 0, bu)) { r->op = PA_DB_UPDATE; r->bulk = true; }
        else if (chain_has(f, ch, n, 0, bc)) { r->op = PA_DB_INSERT; r->bulk = true; }
        else if (chain_has(f, ch, n, 0, upd) || chain_has(f, ch, n, 0, del)) {
            r->op = chain_has(f, ch, n, 0, upd) ? PA_DB_UPDATE : PA_DB_DELETE;
            r->bulk = !chain_has(f, ch, n, 0, flt);
            for (size_t i = 0; i < n; i++) {
                const struct pa_call *cc = call_at(f, ch[i]);
                for (uint16_t k = 0; k < cc->nargs; k++)
                    if (cc->args[k].kw && pa_str_ends(cc->args[k].kw, "__in")) r->bulk = true;
            }
        } else if (chain_has(f, ch, n, 0, crt)) r->op = PA_DB_INSERT;
        else if (chain_has(f, ch, n, 0, k_dj_read)) r->op = PA_DB_READ;
        else return false;
        break;
    }
    case F_DJ_MODEL:
        r->model = rm;
        if (strcmp(m0, "save") == 0 || strcmp(m0, "asave") == 0) r->op = PA_DB_UPDATE;
        else if (strcmp(m0, "delete") == 0 || strcmp(m0, "adelete") == 0) r->op = PA_DB_DELETE;
        else if (strcmp(m0, "refresh_from_db") == 0 || strcmp(m0, "arefresh_from_db") == 0) r->op = PA_DB_READ;
        else return false;
        break;
    case F_TXN:
        if (strcmp(m0, "begin") == 0 || strcmp(m0, "begin_nested") == 0 || strcmp(m0, "atomic") == 0) r->op = PA_DB_BEGIN;
        else if (strcmp(m0, "commit") == 0) r->op = PA_DB_COMMIT;
        else if (strcmp(m0, "rollback") == 0) r->op = PA_DB_ROLLBACK;
        else return false;
        break;
    case F_DBAPI:
        if (strcmp(m0, "execute") == 0 || strcmp(m0, "fetch") == 0 || strcmp(m0, "fetchrow") == 0 ||
            strcmp(m0, "fetchval") == 0 || strcmp(m0, "fetch_one") == 0 || strcmp(m0, "fetch_all") == 0 ||
            strcmp(m0, "fetch_val") == 0) {
            stmt_classify(in, file, root, a0, r, 0);
            /* UPDATE ... RETURNING via fetch is still a write */
        } else if (strcmp(m0, "executemany") == 0 || strcmp(m0, "execute_many") == 0) {
            stmt_classify(in, file, root, a0, r, 0);
            if (r->op == PA_DB_READ) r->op = PA_DB_INSERT;
            r->bulk = true;
        } else if (strncmp(m0, "copy_", 5) == 0) {
            r->op = PA_DB_INSERT;
            r->bulk = true;
        } else if (strcmp(m0, "commit") == 0) r->op = PA_DB_COMMIT;
        else if (strcmp(m0, "rollback") == 0) r->op = PA_DB_ROLLBACK;
        else if (strcmp(m0, "transaction") == 0 || strcmp(m0, "begin") == 0) r->op = PA_DB_BEGIN;
        else return false;
        break;
    }
    if (r->model && !r->table && r->model->table) r->table = pa_xstrdup(r->model->table);
    return r->op != PA_DB_NONE;
}

/* The table is returned borrowed from frozen data: the model's table, or -
 * for raw SQL naming a table no model maps - the matching trigger's table in
 * the context (ctx->triggers), else NULL. */
static bool classify_call_uncached(const struct pa_audit_input *in, int32_t file, int32_t call, struct pa_db_call *out);

bool pa_orm_classify_call(const struct pa_audit_input *in, int32_t file, int32_t call, struct pa_db_call *out)
{
    struct orm_memo *m = tl_memo;
    if (!m || m->in != in || file < 0 || (size_t)file >= in->nfiles || !call_at(in->files[file], call))
        return classify_call_uncached(in, file, call, out);
    int32_t *sl = m->files[file].slot;
    if (!sl) sl = m->files[file].slot = pa_xcalloc(in->files[file]->calls.n, sizeof *sl);
    if (sl[call] > 0) {
        *out = m->ent.v[sl[call] - 1];
        return true;
    }
    if (sl[call] < 0) {
        memset(out, 0, sizeof *out);
        out->callee = PA_FREF_NONE;
        return false;
    }
    if (!classify_call_uncached(in, file, call, out)) {
        sl[call] = -1;   /* a "no" leaves *out as the uncached path does: zeroed, callee NONE */
        return false;
    }
    pa_vec_push(&m->ent, *out);
    sl[call] = (int32_t)m->ent.n;
    return true;
}

static bool classify_call_uncached(const struct pa_audit_input *in, int32_t file, int32_t call, struct pa_db_call *out)
{
    memset(out, 0, sizeof *out);
    out->callee = PA_FREF_NONE;
    if (!in || file < 0 || (size_t)file >= in->nfiles || !call_at(in->files[file], call)) return false;
    struct dbres r;
    memset(&r, 0, sizeof r);
    struct visit vs;
    memset(&vs, 0, sizeof vs);
    vs.budget = ORM_BUDGET;
    bool ok = classify_d(in, file, call, &r, &vs);
    if (ok) {
        out->op = r.op;
        out->model = r.model;
        if (!out->model && r.table) out->model = pa_models_by_table(in->models, r.table);
        out->table = out->model ? out->model->table : NULL;
        for (size_t t = 0; !out->table && r.table && t < in->ctx->triggers.n; t++)
            if (in->ctx->triggers.v[t].table && strcmp(in->ctx->triggers.v[t].table, r.table) == 0)
                out->table = in->ctx->triggers.v[t].table;
        out->bulk = r.bulk;
        out->via_project = r.via_project;
        out->callee = r.via_project ? r.callee : PA_FREF_NONE;
    }
    free(r.table);
    return ok;
}

/* ---- models of expressions --------------------------------------------- */

/* Model named inside a type annotation: "list[Order]", "Optional[User]",
 * "Sequence[\"Order\"]", "User | None", "QuerySet[Order]". */
static const struct pa_model *annotation_model(const struct pa_audit_input *in, const char *ann)
{
    if (!ann) return NULL;
    static const char *const skip[] = {"list", "List", "Optional", "Sequence", "Iterable", "Iterator", "set", "Set",
        "tuple", "Tuple", "None", "QuerySet", "typing", "Awaitable", "AsyncIterator", "Generator", "Union", NULL};
    const struct pa_model *found = NULL;
    for (const char *p = ann; *p;) {
        if (isalpha((unsigned char)*p) || *p == '_') {
            const char *s = p;
            while (isalnum((unsigned char)*p) || *p == '_' || *p == '.') p++;
            char *w = pa_xstrndup(s, (size_t)(p - s));
            if (!in_set(w, skip)) {
                const struct pa_model *m = pa_models_by_name(in->models, pa_str_last_dot(w));
                if (m) {
                    if (found && found != m) { free(w); return NULL; }   /* ambiguous: tuple[A, B] */
                    found = m;
                }
            }
            free(w);
        } else p++;
    }
    return found;
}

static const struct pa_model *call_model_d(const struct pa_audit_input *in, int32_t file, int32_t call, int depth)
{
    if (depth > ORM_DEPTH) return NULL;
    const struct pa_file_facts *f = in->files[file];
    const struct pa_call *head = call_at(f, call);
    if (!head) return NULL;
    int32_t ch[16];
    size_t n = chain_of(f, call, ch, 16);
    const struct pa_call *root = call_at(f, ch[0]);
    const struct pa_arg *a0 = pa_call_posarg(root, 0);
    /* columns-only results are not entities */
    static const char *const narrow[] = {"values", "values_list", "with_entities", "scalar", "count", "exists",
        "aggregate", "in_bulk", "aggregate", "acount", "aexists", NULL};
    if (chain_has(f, ch, n, 0, narrow)) return NULL;
    /* a model constructor */
    if (n == 1 && strchr(root->callee, '(') == NULL) {
        const struct pa_model *m = model_named(in, root->callee);
        if (m) return m;
    }
    if (strcmp(root->attr, "select") == 0 && !strchr(root->callee, '.')) return a0 && root->nargs == 1 ? model_named(in, a0->text) : NULL;
    struct pa_target tg;
    const struct pa_model *rm = NULL;
    enum fam fam = root_family(in, file, ch[0], &tg, &rm, depth);
    switch (fam) {
    case F_SESSION:
        if (strcmp(root->attr, "get") == 0 || strcmp(root->attr, "get_one") == 0 || strcmp(root->attr, "query") == 0)
            return a0 && (strcmp(root->attr, "query") != 0 || root->nargs == 1) ? model_named(in, a0->text) : NULL;
        if (strcmp(root->attr, "execute") == 0 || strcmp(root->attr, "exec") == 0 || strcmp(root->attr, "scalars") == 0 ||
            strcmp(root->attr, "scalar") == 0) {
            if (!a0) return NULL;
            if (a0->call >= 0) return call_model_d(in, file, a0->call, depth + 1);
            if (a0->kind == PA_EXPR_NAME) {
                int32_t as = assign_before(f, root->func, a0->text, root->line);
                if (as >= 0 && f->assigns.v[as].value_call >= 0)
                    return call_model_d(in, file, f->assigns.v[as].value_call, depth + 1);
            }
        }
        return NULL;
    case F_QUERY: case F_DJ_QS: return rm ? rm : (root->base ? var_model_d(in, file, root->func, root->base, root->line, depth + 1) : NULL);
    case F_PROJECT: {
        const struct pa_file_facts *cf = in->files[tg.fn.file];
        const struct pa_func *fn = pa_facts_func(cf, tg.fn.func);
        if (!fn) return NULL;
        if (fn->returns) return annotation_model(in, fn->returns);
        for (size_t i = 0; i < cf->returns.n; i++) {
            const struct pa_return *rt = &cf->returns.v[i];
            if (rt->func != tg.fn.func) continue;
            const struct pa_model *m = NULL;
            if (rt->value_call >= 0) m = call_model_d(in, tg.fn.file, rt->value_call, depth + 1);
            else if (rt->value_kind == PA_EXPR_NAME && rt->value)
                m = var_model_d(in, tg.fn.file, tg.fn.func, rt->value, rt->line, depth + 1);
            if (m) return m;
        }
        return NULL;
    }
    default: break;
    }
    if (tg.kind == PA_TARGET_CLASS && n == 1) {
        const struct pa_class *k = &in->files[tg.cls_file]->classes.v[tg.cls];
        return pa_models_by_name(in->models, k->name);
    }
    /* result.scalars() / rows.all() on a local holding an earlier query's result */
    if (fam == F_NONE && root->base && strchr(root->callee, '.') && !strchr(root->callee, '(') &&
        strncmp(root->callee, "self.", 5) != 0) {
        int32_t as = assign_before(f, root->func, root->base, root->line);
        if (as >= 0 && f->assigns.v[as].line < root->line && f->assigns.v[as].value_call >= 0 &&
            f->assigns.v[as].target_kind == PA_EXPR_NAME)
            return call_model_d(in, file, f->assigns.v[as].value_call, depth + 1);
    }
    return NULL;
}

const struct pa_model *pa_orm_call_model(const struct pa_audit_input *in, int32_t file, int32_t call)
{
    if (!in || file < 0 || (size_t)file >= in->nfiles) return NULL;
    return call_model_d(in, file, call, 0);
}

/* Is `name` one of the comma-separated targets of a loop ("i, row")? */
static bool target_binds(const char *target, const char *name)
{
    if (!target) return false;
    size_t n = strlen(name);
    for (const char *p = target; (p = strstr(p, name)); p += n) {
        bool lb = p == target || !(isalnum((unsigned char)p[-1]) || p[-1] == '_' || p[-1] == '.');
        bool rb = !(isalnum((unsigned char)p[n]) || p[n] == '_' || p[n] == '.');
        if (lb && rb) return true;
    }
    return false;
}

/* Model of the items a loop iterates over. */
static const struct pa_model *loop_item_model(const struct pa_audit_input *in, int32_t file, const struct pa_loop *L,
                                              int depth)
{
    const struct pa_file_facts *f = in->files[file];
    if (L->iter_call >= 0) {
        const struct pa_call *ic = call_at(f, L->iter_call);
        /* enumerate(xs) / zip / reversed / sorted: look at the first argument */
        if (ic && (strcmp(ic->callee, "enumerate") == 0 || strcmp(ic->callee, "reversed") == 0 ||
                   strcmp(ic->callee, "sorted") == 0 || strcmp(ic->callee, "list") == 0)) {
            const struct pa_arg *a = pa_call_posarg(ic, 0);
            if (!a) return NULL;
            if (strcmp(ic->callee, "enumerate") == 0 && L->target && strchr(L->target, ',') == NULL) return NULL;
            if (a->call >= 0) return call_model_d(in, file, a->call, depth + 1);
            if (a->kind == PA_EXPR_NAME) return var_model_d(in, file, L->func, a->text, L->line, depth + 1);
            return NULL;
        }
        return call_model_d(in, file, L->iter_call, depth + 1);
    }
    if (L->iter_kind == PA_EXPR_NAME && L->iter) return var_model_d(in, file, L->func, L->iter, L->line, depth + 1);
    if (L->iter_kind == PA_EXPR_ATTR && L->iter) {
        /* parent.children: a relationship collection of a known model */
        const char *d = strrchr(L->iter, '.');
        if (!d) return NULL;
        char *base = pa_xstrndup(L->iter, (size_t)(d - L->iter));
        const struct pa_model *pm = strchr(base, '.') ? NULL : var_model_d(in, file, L->func, base, L->line, depth + 1);
        free(base);
        const struct pa_model_rel *rel = pm ? pa_model_rel(pm, d + 1) : NULL;
        return rel && rel->target ? pa_models_by_name(in->models, rel->target) : NULL;
    }
    return NULL;
}

static const struct pa_model *var_model_d(const struct pa_audit_input *in, int32_t file, int32_t func, const char *name,
                                          uint32_t line, int depth)
{
    if (depth > ORM_DEPTH || !name) return NULL;
    const struct pa_file_facts *f = in->files[file];
    /* nearest binding: loop target enclosing the line, or an earlier assignment */
    const struct pa_loop *bl = NULL;
    for (size_t i = 0; i < f->loops.n; i++) {
        const struct pa_loop *L = &f->loops.v[i];
        if (L->func != func || L->line > line || L->end_line < line || !target_binds(L->target, name)) continue;
        if (!bl || L->line >= bl->line) bl = L;
    }
    int32_t as = assign_before(f, func, name, line);
    const struct pa_assign *asg = as >= 0 ? &f->assigns.v[as] : NULL;
    if (bl && (!asg || bl->line >= asg->line)) {
        if (strchr(bl->target, ',')) return NULL;
        return loop_item_model(in, file, bl, depth);
    }
    if (asg) {
        if (asg->annotation) {
            const struct pa_model *m = annotation_model(in, asg->annotation);
            if (m) return m;
        }
        if (asg->target_kind != PA_EXPR_NAME) return NULL;
        if (asg->value_call >= 0) return call_model_d(in, file, asg->value_call, depth + 1);
        if (asg->value_kind == PA_EXPR_NAME && asg->value && strcmp(asg->value, name) != 0)
            return var_model_d(in, file, func, asg->value, asg->line, depth + 1);
        return NULL;
    }
    const struct pa_func *fn = pa_facts_func(f, func);
    for (uint16_t i = 0; fn && i < fn->nparams; i++)
        if (strcmp(fn->params[i].name, name) == 0) return annotation_model(in, fn->params[i].annotation);
    return NULL;
}

const struct pa_model *pa_orm_var_model(const struct pa_audit_input *in, int32_t file, int32_t func, const char *name,
                                        uint32_t line)
{
    if (!in || file < 0 || (size_t)file >= in->nfiles) return NULL;
    return var_model_d(in, file, func, name, line, 0);
}

/* ---- eager loading ------------------------------------------------------ */

static const char *const k_eager[] = {"selectinload", "joinedload", "subqueryload", "contains_eager", "immediateload",
    "raiseload", "noload", "select_related", "prefetch_related", "Prefetch", "prefetch_related_objects", NULL};

/* Does an option argument text name relationship rel? "Order.customer",
 * "'customer'", "\"customer__address\"", "Order.items.of_type(X)". */
static bool arg_names_rel(const char *text, const char *rel)
{
    if (!text) return false;
    char *t = pa_xstrdup(text);
    char *s = t;
    if (*s == '"' || *s == '\'') {
        s++;
        size_t n = strlen(s);
        if (n && (s[n - 1] == '"' || s[n - 1] == '\'')) s[n - 1] = '\0';
        char *dd = strstr(s, "__");
        if (dd) *dd = '\0';
        bool ok = strcmp(s, rel) == 0 || strcmp(s, "*") == 0;
        free(t);
        return ok;
    }
    char *paren = strchr(s, '(');
    if (paren) *paren = '\0';
    const char *last = pa_str_last_dot(s);
    if (paren && strcmp(last, "of_type") == 0) {
        char *d = strrchr(s, '.');
        if (d) {
            *d = '\0';
            last = pa_str_last_dot(s);
        }
    }
    bool ok = strcmp(last, rel) == 0;
    free(t);
    return ok;
}

static bool span_within(const struct pa_call *in_, const struct pa_call *outer)
{
    if (in_->line < outer->line || (in_->line == outer->line && in_->col < outer->col)) return false;
    if (in_->end_line > outer->end_line || (in_->end_line == outer->end_line && in_->end_col > outer->end_col)) return false;
    return true;
}

/* Any eager-loading call naming rel inside the span of call c (c's args). */
static bool eager_under(const struct pa_file_facts *f, int32_t c, const char *rel)
{
    const struct pa_call *oc = call_at(f, c);
    for (size_t j = (size_t)c; j < f->calls.n; j++) {
        const struct pa_call *x = &f->calls.v[j];
        if (j != (size_t)c && !span_within(x, oc)) {
            if (x->line > oc->end_line) break;
            continue;
        }
        if (!in_set(x->attr, k_eager)) continue;
        for (uint16_t k = 0; k < x->nargs; k++)
            if (!x->args[k].kw && arg_names_rel(x->args[k].text, rel)) return true;
    }
    return false;
}

static bool eager_d(const struct pa_audit_input *in, int32_t file, int32_t call, const char *rel, int depth)
{
    if (depth > ORM_DEPTH) return false;
    const struct pa_file_facts *f = in->files[file];
    const struct pa_call *head = call_at(f, call);
    if (!head) return false;
    int32_t ch[16];
    size_t n = chain_of(f, call, ch, 16);
    for (size_t i = 0; i < n; i++) {
        if (eager_under(f, ch[i], rel)) return true;
        const struct pa_call *c = call_at(f, ch[i]);
        /* execute(stmt): the statement built in a local variable */
        for (uint16_t k = 0; k < c->nargs; k++) {
            const struct pa_arg *a = &c->args[k];
            if (a->kind != PA_EXPR_NAME || a->kw) continue;
            for (size_t as = 0; as < f->assigns.n; as++) {
                const struct pa_assign *asg = &f->assigns.v[as];
                if (asg->func != c->func || asg->line > c->line || strcmp(asg->target, a->text) != 0) continue;
                if (asg->value_call >= 0 && eager_d(in, file, asg->value_call, rel, depth + 1)) return true;
            }
        }
    }
    /* a project function producing the rows: any eager option for rel in its body */
    struct pa_target tg = pa_index_resolve(in->index, file, ch[0]);
    if (tg.kind == PA_TARGET_PROJECT) {
        const struct pa_file_facts *cf = in->files[tg.fn.file];
        for (size_t j = 0; j < cf->calls.n; j++) {
            const struct pa_call *x = &cf->calls.v[j];
            if (x->func != tg.fn.func) continue;
            if (in_set(x->attr, k_eager))
                for (uint16_t k = 0; k < x->nargs; k++)
                    if (!x->args[k].kw && arg_names_rel(x->args[k].text, rel)) return true;
            if (!is_receiver(cf, (int32_t)j) && pa_index_resolve(in->index, tg.fn.file, (int32_t)j).kind == PA_TARGET_PROJECT &&
                eager_d(in, tg.fn.file, (int32_t)j, rel, depth + 1))
                return true;
        }
    }
    return false;
}

bool pa_orm_query_eager_loads(const struct pa_audit_input *in, int32_t file, int32_t call, const char *rel)
{
    if (!in || !rel || file < 0 || (size_t)file >= in->nfiles) return false;
    return eager_d(in, file, call, rel, 0);
}
