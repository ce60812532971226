/* pa204_missing_rollback.c - PA204 missing_rollback: a commit() whose
 * failure leaves a session or connection in use without a rollback:
 *   long-lived  the session/connection is module-level, or created by the
 *               object's __init__ (self.session = SessionLocal()), and the
 *               commit has no rollback path (try/except with rollback(),
 *               finally with rollback()/close());
 *   swallowed   the commit is in a try whose except neither rolls back nor
 *               re-raises, and the session is used again: the try is in a
 *               loop (catch-and-continue), or the session is used after it.
 * Not flagged (CONTRACT): commits inside begin()/atomic() blocks, @atomic
 * functions, scoped session/connection context managers (with Session(),
 * async with AsyncSession(), with psycopg.connect(), async with
 * pool.acquire()) that are not reused across a swallowed failure, and
 * sessions handed in as parameters (the caller's dependency or middleware
 * owns rollback). MEDIUM always: whether a half-applied failure is critical
 * (money, inventory) is not decidable statically. */
#include <stdlib.h>
#include <string.h>

#include "audit/transaction/txn.h"

/* An event rolling back / closing the session in a line range (handler, finally). */
static bool rollback_in(const struct pa_txn_file *tf, const struct pa_txn_func *fn, const char *key, uint32_t from, uint32_t to)
{
    if (!from || to < from) return false;
    for (size_t i = 0; i < fn->ev.n; i++) {
        const struct pa_txn_event *e = &fn->ev.v[i];
        if (e->op == PA_TXN_ROLLBACK && e->line >= from && e->line <= to) return true;
    }
    const struct pa_file_facts *f = tf->f;
    for (size_t k = 0; k < fn->calls.n; k++) {
        const struct pa_call *c = &f->calls.v[fn->calls.v[k]];
        if (c->line < from || c->line > to || !c->attr) continue;
        if (strcmp(c->attr, "rollback") == 0) return true;
        if (strcmp(c->attr, "close") == 0 || strcmp(c->attr, "remove") == 0 || strcmp(c->attr, "expunge_all") == 0) {
            char *k2 = pa_txn_receiver_key(c->callee);
            bool same = k2 && key && strcmp(k2, key) == 0;
            free(k2);
            if (same) return true;
        }
        if (pa_index_call_effects(tf->in->index, tf->file, fn->calls.v[k]) & PA_EFF_ROLLBACK) return true;
    }
    return false;
}

/* A module-level assignment `name = <session/connection factory call>` in
 * file fi (or `self.name = …` in __init__ of class cls when attr). Returns
 * a description (owned) or NULL. */
static char *factory_assign(const struct pa_audit_input *in, int32_t fi, const char *name, bool attr, int32_t cls)
{
    const struct pa_file_facts *f = in->files[fi];
    for (size_t i = 0; i < f->assigns.n; i++) {
        const struct pa_assign *as = &f->assigns.v[i];
        if (!as->target || !as->op || strcmp(as->op, "=") != 0) continue;
        const struct pa_func *afn = pa_facts_func(f, as->func);
        if (attr) {
            if (!afn || cls < 0 || afn->cls != cls || strcmp(afn->name, "__init__") != 0) continue;
            if (!pa_str_starts(as->target, "self.") || strcmp(as->target + 5, name) != 0) continue;
        } else {
            if (as->func != -1 || as->cls != -1 || strcmp(as->target, name) != 0) continue;
        }
        const struct pa_call *vc = call_at(f, as->value_call);
        if (!vc || !vc->callee) continue;
        if (strstr(vc->callee, "scoped_session")) continue;     /* thread-local registry, removed per request */
        struct pa_target tg = pa_index_resolve(in->index, fi, as->value_call);
        const char *canon = tg.kind == PA_TARGET_LIBRARY && tg.lib ? tg.lib->name : tg.canonical;
        if (canon && strstr(canon, "scoped_session")) continue;
        const char *last = pa_str_last_dot(vc->callee);
        bool factory = strstr(last, "Session") || strstr(last, "session") || strcmp(last, "connect") == 0 ||
                       (canon && (pa_str_ends(canon, ".connect") || pa_str_ends(canon, "Session") ||
                                  pa_str_ends(canon, "sessionmaker.__call__")));
        if (!factory || strstr(last, "sessionmaker") || strcmp(last, "get_session") == 0 || strcmp(last, "get_db") == 0) continue;
        return attr ? pa_xasprintf("created once in %s() at line %u and kept on the object", afn ? afn->qualname : "__init__",
                                   as->line)
                    : pa_xasprintf("a module-level session/connection created at line %u", as->line);
    }
    return NULL;
}

/* Where the session of `key` comes from, when it outlives the unit of work.
 * Returns a description (owned) or NULL. */
static char *long_lived(const struct pa_txn_file *tf, int32_t func, const char *key)
{
    const struct pa_file_facts *f = tf->f;
    if (!key) return NULL;
    const char *as_attr = pa_str_starts(key, "self.") ? key + 5 : NULL;
    if (as_attr && strchr(as_attr, '.')) return NULL;
    if (!as_attr && strchr(key, '.')) return NULL;
    const struct pa_func *fd = pa_facts_func(f, func);
    if (!as_attr && fd) {
        /* a parameter or a local binding shadows the module name */
        for (uint16_t p = 0; p < fd->nparams; p++)
            if (strcmp(fd->params[p].name, key) == 0) return NULL;
        for (size_t i = 0; i < f->assigns.n; i++)
            if (f->assigns.v[i].func == func && f->assigns.v[i].target && strcmp(f->assigns.v[i].target, key) == 0) return NULL;
        for (size_t i = 0; i < f->withs.n; i++) {
            const struct pa_with *w = &f->withs.v[i];
            if (w->func != func) continue;
            for (uint16_t k = 0; k < w->nitems; k++)
                if (w->items[k].as && strcmp(w->items[k].as, key) == 0) return NULL;
        }
    }
    int32_t cls = fd ? fd->cls : -1;
    char *r = factory_assign(tf->in, tf->file, as_attr ? as_attr : key, as_attr != NULL, cls);
    if (r || as_attr) return r;
    /* imported from another module: `from app.db import session` */
    char *canon = pa_index_canonical(tf->in->index, tf->file, func, key);
    const char *dot = canon ? strrchr(canon, '.') : NULL;
    if (dot) {
        for (size_t fi = 0; fi < tf->in->nfiles && !r; fi++) {
            const struct pa_file_facts *g = tf->in->files[fi];
            if ((int32_t)fi == tf->file || !g->module || strlen(g->module) != (size_t)(dot - canon) ||
                strncmp(g->module, canon, (size_t)(dot - canon)) != 0)
                continue;
            r = factory_assign(tf->in, (int32_t)fi, dot + 1, false, -1);
            if (r) {
                char *r2 = pa_xasprintf("%s in %s", r, g->path);
                free(r);
                r = r2;
            }
        }
    }
    free(canon);
    return r;
}

static bool key_used_after(const struct pa_txn_func *fn, const char *key, uint32_t line)
{
    for (size_t i = 0; i < fn->ev.n; i++) {
        const struct pa_txn_event *e = &fn->ev.v[i];
        if (e->line > line && e->key && key && strcmp(e->key, key) == 0) return true;
    }
    return false;
}

void pa_check_pa204(const struct pa_audit_input *in, struct pa_rule_out *out)
{
    for (size_t fi = 0; fi < in->nfiles; fi++) {
        const struct pa_txn_file *tf = pa_txn_file_get(in, (int32_t)fi);
        if (!tf) continue;
        const struct pa_file_facts *f = tf->f;
        for (size_t s = 0; s < tf->nfuncs; s++) {
            const struct pa_txn_func *fn = &tf->funcs[s];
            for (size_t i = 0; i < fn->ev.n; i++) {
                const struct pa_txn_event *e = &fn->ev.v[i];
                if (e->op != PA_TXN_COMMIT || e->via_project || e->call < 0) continue;
                const struct pa_call *c = &f->calls.v[e->call];
                out->examined++;
                /* inside a construct that rolls back on exit? */
                const struct pa_txn_region *r = pa_txn_region_of_call(tf, fn, e->call);
                if (r && (r->kind == PA_TXR_BLOCK || r->kind == PA_TXR_DECORATOR || r->kind == PA_TXR_REQUEST)) continue;
                int32_t scope = -1;
                for (int32_t w = c->with; w >= 0 && (size_t)w < f->withs.n; w = f->withs.v[w].parent)
                    if (pa_txn_with_is_scope(tf, w)) { scope = w; break; }
                /* innermost try whose body holds the commit */
                int32_t t = c->try_;
                while (t >= 0 && (size_t)t < f->tries.n && !(c->line <= f->tries.v[t].body_end_line)) t = f->tries.v[t].parent;
                bool guarded = false, swallowed = false;
                const struct pa_handler *swh = NULL;
                int32_t tsw = -1;           /* the try whose handler swallows */
                for (int32_t tt = t; tt >= 0 && (size_t)tt < f->tries.n; tt = f->tries.v[tt].parent) {
                    const struct pa_try *ty = &f->tries.v[tt];
                    if (c->line > ty->body_end_line) continue;   /* in its handler/finally, not its body */
                    if (rollback_in(tf, fn, e->key, ty->finally_line, ty->finally_end_line)) { guarded = true; break; }
                    bool any_rb = false, all_reraise = true;
                    for (uint16_t h = 0; h < ty->nhandlers; h++) {
                        const struct pa_handler *hd = &ty->handlers[h];
                        if (rollback_in(tf, fn, e->key, hd->line, hd->end_line)) any_rb = true;
                        else if (!hd->reraises) {
                            all_reraise = false;
                            if (!swallowed) { swallowed = true; swh = hd; tsw = tt; }
                        }
                    }
                    if (any_rb) { guarded = true; break; }
                    if (!all_reraise) break;                     /* the exception stops here */
                }
                if (guarded) continue;
                pa_buf issue, rec;
                pa_buf_init(&issue);
                pa_buf_init(&rec);
                const char *key = e->key ? e->key : "the session";
                if (swallowed && tsw >= 0) {
                    const struct pa_try *ty = &f->tries.v[tsw];
                    int32_t loop = ty->loop;
                    bool fresh = scope >= 0 && loop >= 0 && f->withs.v[scope].loop >= 0 &&
                                 loop_contains(f, f->withs.v[scope].loop, loop);   /* new session per iteration */
                    bool in_loop = loop >= 0 && !fresh;
                    bool reused = in_loop || (swh && swh->has_continue) || key_used_after(fn, e->key, ty->end_line);
                    char *ll = long_lived(tf, fn->func, e->key);
                    if (!reused && ll) reused = true;
                    free(ll);
                    if (reused && !(swh && swh->has_return && !in_loop && !key_used_after(fn, e->key, ty->end_line))) {
                        pa_buf_printf(&issue, "%s() is in a try whose `except%s%s` (line %u) neither rolls back nor re-raises, "
                                      "and `%s` is used again%s: after a failed commit every later statement on it fails "
                                      "(PendingRollbackError / \"current transaction is aborted\") until rollback() is called",
                                      c->callee, swh && swh->types ? " " : "", swh && swh->types ? swh->types : "",
                                      swh ? swh->line : ty->line, key, in_loop ? " on the next iteration" : " after it");
                        pa_buf_printf(&rec, "Call `%s.rollback()` in the except block before continuing (or run each unit "
                                      "in its own `with %s.begin():` block).", e->key ? e->key : "session",
                                      e->key ? e->key : "session");
                        pa_rule_report_call(out, in, (int32_t)fi, c, PA_SEV_MEDIUM, issue.s, rec.s, "S");
                    }
                } else if (scope < 0 && fn->func >= 0) {   /* module-level code runs once: a failure ends it */
                    char *ll = long_lived(tf, fn->func, e->key);
                    if (ll) {
                        pa_buf_printf(&issue, "%s() on `%s` (%s) has no rollback path: if the commit fails, the "
                                      "session/connection stays in a failed transaction and every later use of it in this process fails until "
                                      "rollback() is called",
                                      c->callee, key, ll);
                        pa_buf_printf(&rec, "Wrap the unit of work in `with %s.begin():` or in try/except that calls "
                                      "`%s.rollback()` and re-raises; better, open a session per unit of work (`with "
                                      "SessionLocal() as session:`).", key, key);
                        pa_rule_report_call(out, in, (int32_t)fi, c, PA_SEV_MEDIUM, issue.s, rec.s, "S");
                        free(ll);
                    }
                }
                pa_buf_free(&issue);
                pa_buf_free(&rec);
            }
        }
    }
}
